import { readFileSync } from 'node:fs';
import { coreServices, definePlugin } from '@smile/sdk';
import { settingsSchema } from './common.js';
import { DECIDE, registerReferentPages } from './routes-referent.js';
import { registerSeatsPage, SEATS } from './routes-seats.js';
import { registerStudentPages } from './routes-student.js';
import { registerSections } from './sections.js';
import { registerDemo } from './demo.js';
import { CoursePickerStore, coursePickerService } from './store.js';
import { registerWorkflow } from './workflow.js';

export { coursePickerService, CoursePickerStore, decidingComponent, CHOICE_STEP, APPROVAL_STEP } from './store.js';
export type { Choice, ChoiceItem, Decision } from './store-types.js';
export type { ApprovedPart, ApprovedUnit, ApprovedUnits } from './store-approved.js';
export * from './rules.js';
export { settingsSchema, type PickerSettings } from './common.js';

const VERSION: string = JSON.parse(readFileSync(new URL('../package.json', import.meta.url), 'utf8')).version;
const STYLESHEET = `<link rel="stylesheet" href="/assets/course-picker@${VERSION}/picker.css">`;

/**
 * Course choice: the student picks teaching elements from the catalogue under the host's rules
 * (the rules engine, `rules-*.ts`), the referents approve or refuse each course for their component,
 * seats are taken at approval. Plugs into the mobility workflow's course-selection and
 * referent-approval steps.
 */
export default definePlugin({
  settings: settingsSchema,
  permissions: {
    [DECIDE]: {
      description: { fr: 'Accepter ou refuser les cours choisis par les étudiants (dans ses composantes)', en: 'Approve or refuse the courses students chose (in one’s components)' },
      defaultRoles: ['referent'],
    },
    [SEATS]: {
      description: { fr: 'Fixer le nombre de places des cours pour les étudiants en mobilité', en: 'Set the number of seats of courses for incoming students' },
      defaultRoles: ['manager'],
    },
  },
  register(r) {
    r.provide(coursePickerService, {
      deps: { db: coreServices.database, audit: coreServices.audit },
      factory: (deps) => new CoursePickerStore(deps, (institution) => r.settingsFor(institution as never)),
    });
    r.hooks.transformLayout.tap((parts, page) => (page.view.startsWith('course-picker/') || page.view.startsWith('mobility/') ? { ...parts, head: [...parts.head, STYLESHEET] } : parts));
    registerWorkflow(r);
    registerStudentPages(r);
    registerReferentPages(r);
    registerSeatsPage(r);
    registerSections(r);
    registerDemo(r);
  },
});
