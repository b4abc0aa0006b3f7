/**
 * The course choice's block on a file's page (office and referents) and on the student's space:
 * ECTS per term, the decisions so far, the problems count, and the link to the full page.
 * @packageDocumentation
 */
import type { RegisterApi } from '@smile/sdk';
import { mobilityHooks } from '@smile/plugin-mobility';
import type { PickerSettings } from './common.js';
import { evaluateStored } from './store-evaluate.js';
import { coursePickerService } from './store.js';
import { referentPath } from './routes-referent.js';
import { pickerPath } from './routes-student.js';
import { choiceView } from './view-model.js';

/** Register the `fileSections` tap. */
export function registerSections(r: RegisterApi<PickerSettings>): void {
  const store = r.deferred(coursePickerService);
  r.hooksOf(mobilityHooks).fileSections.tap(async (sections, { ctx, file, audience }) => {
    // the mobility pages checked who may see the file; the student block is for the file's person only
    if (audience === 'student' && (!ctx.principal.personId || ctx.principal.personId !== file.personId)) return sections;
    const choice = await store().choice(file.institutionId, file.id);
    const evaluated = await evaluateStored(ctx.db.knex, r.settingsFor(ctx.institution), file, choice, 'draft');
    const view = choiceView(ctx, file, choice, evaluated);
    return [
      ...sections,
      {
        id: 'course-choice',
        order: 50,
        view: 'course-picker/section',
        locals: {
          coursePicker: {
            audience, totals: view.totals, counts: view.counts, items: choice.items.length, flagged: view.items.filter((i) => i.flagged).length,
            blocking: view.blocking, submitted: !!choice.submittedAt, href: audience === 'student' ? pickerPath(file.id) : referentPath(file.id),
          },
        },
      },
    ];
  });
}
