/**
 * The course choice's block on a file's page (office and referents) and on the student's space:
 * ECTS per term, the decisions so far, the refused courses still to replace (with the referent's
 * comment), the problems count, and the link to the full page. Staff read about the student.
 * @packageDocumentation
 */
import type { RegisterApi } from '@smile/sdk';
import { mobilityHooks } from '@smile/plugin-mobility';
import type { PickerSettings } from './common.js';
import { evaluateStored } from './store-evaluate.js';
import { componentNames } from './store-search.js';
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
    const [evaluated, names] = await Promise.all([
      evaluateStored(ctx.db.knex, r.settingsFor(ctx.institution), file, choice, 'draft'), componentNames(ctx.db.knex, file.institutionId),
    ]);
    const view = choiceView(ctx, file, choice, evaluated, { audience: audience === 'student' ? 'student' : 'staff', componentNames: names });
    return [
      ...sections,
      {
        id: 'course-choice',
        order: 50,
        stepAction: 'course-selection',
        view: 'course-picker/section',
        locals: {
          coursePicker: {
            audience, totals: view.totals, counts: view.counts, items: choice.items.length, flagged: view.items.filter((i) => i.flagged).length,
            blocking: view.blocking, submitted: !!choice.submittedAt, refused: view.refused.map((x) => x.text), href: audience === 'student' ? pickerPath(file.id) : referentPath(file.id),
          },
        },
      },
    ];
  });
}
