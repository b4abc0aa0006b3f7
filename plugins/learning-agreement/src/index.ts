import { readFileSync } from 'node:fs';
import { coreServices, definePlugin } from '@smile/sdk';
import { coursePickerService } from '@smile/plugin-course-picker';
import { mailingService } from '@smile/plugin-mailing';
import { mobilityHooks } from '@smile/plugin-mobility';
import { registerApi } from './api.js';
import { registerDemo } from './demo.js';
import { LaCircuit } from './circuit.js';
import { paths } from './links.js';
import { laService } from './routes-common.js';
import { registerLink } from './routes-link.js';
import { registerStaff } from './routes-staff.js';
import { registerStudent } from './routes-student.js';
import { PERMISSIONS, settingsSchema, type LaSettings } from './store-types.js';

export { laService } from './routes-common.js';
export { LaCircuit } from './circuit.js';
export { LaStore, nextParty } from './store.js';
export { PERMISSIONS, LA_STATES, LaError, settingsSchema } from './store-types.js';
export type { LaSettings, LaState, StoredAgreement, StoredVersion, StoredSignature, ChangeItem } from './store-types.js';
export * from './model.js';

const { version } = JSON.parse(readFileSync(new URL('../package.json', import.meta.url), 'utf8')) as { version: string };
const STYLESHEET = `<link rel="stylesheet" href="/assets/learning-agreement@${version}/la.css">`;

/**
 * The Online Learning Agreement: built when a mobility file reaches `la-generated`, versioned
 * (nothing is overwritten), signed by the student, the sending and the receiving institutions in a
 * configurable order (the sending side through an e-mailed single-use link), changed during the
 * mobility by proposals that go through the same circuit, rendered as PDF and EWP XML.
 */
export default definePlugin({
  settings: settingsSchema,
  permissions: {
    [PERMISSIONS.read]: {
      description: { fr: 'Consulter les contrats d’études (pages, documents, API)', en: 'See Learning Agreements (pages, documents, API)' },
      defaultRoles: ['referent', 'manager'],
    },
    [PERMISSIONS.sign]: {
      description: { fr: 'Signer les contrats d’études pour l’établissement d’accueil', en: 'Sign Learning Agreements for the receiving institution' },
      defaultRoles: ['manager'],
    },
    [PERMISSIONS.manage]: {
      description: { fr: 'Enregistrer une signature sur papier, renvoyer un lien de signature', en: 'Record a signature on paper, send a signing link again' },
      defaultRoles: ['manager'],
    },
  },
  register(r) {
    r.provide(laService, {
      deps: {
        db: coreServices.database, audit: coreServices.audit, events: coreServices.events, mailing: mailingService, config: coreServices.config, log: coreServices.logger,
        coursePicker: coursePickerService,
      },
      factory: (deps) => new LaCircuit(deps, (institution) => r.settingsFor(institution) as LaSettings),
    });
    const service = r.deferred(laService);
    const mobility = r.hooksOf(mobilityHooks);

    // in the transition's transaction: the file is validated and its agreement exists, or neither
    mobility.afterTransition.tap(async (event) => {
      if (event.partial || event.toStep !== 'la-generated' || event.fromStep === 'la-generated') return;
      await service().onGenerated(event.trx, event.actor, event.file);
    });

    mobility.fileSections.tap(async (sections, { ctx, file, audience }) => {
      if (audience === 'manager' && !ctx.can(PERMISSIONS.read, { component: file.componentCode })) return sections;
      if (audience === 'student' && (file.personId === null || file.personId !== ctx.principal.personId)) return sections;
      const a = await service().byFile(ctx.institution.id, file.id);
      return [...sections, {
        id: 'learning-agreement', order: 50, view: 'learning-agreement/section',
        locals: { la: a, href: a ? (audience === 'student' ? paths.student(file.id) : paths.staff(a.id)) : null, laAudience: audience },
      }];
    });

    r.hooks.transformLayout.tap((parts, page) => (page.view.startsWith('learning-agreement/') ? { ...parts, head: [...parts.head, STYLESHEET] } : parts));

    registerStudent(r);
    registerStaff(r);
    registerLink(r);
    registerApi(r);
    registerDemo(r);
  },
});
