import { coreServices, definePlugin } from '@smile/sdk';
import { mobilityHooks } from './hooks.js';
import { registerIntake } from './intake.js';
import { registerStudent } from './student.js';
import { registerDocuments } from './documents.js';
import { storageSettings } from './storage.js';
import { registerMail } from './mail.js';
import { registerConfig } from './config.js';
import { registerDemo } from './demo.js';
import { registerManager } from './manager.js';
import { registerDuplicates } from './duplicates.js';
import { PERMISSIONS } from './permissions.js';
import { MobilityStore, mobilityService } from './store.js';

export { mobilityHooks } from './hooks.js';
export type { FileSection, FileSectionsContext, MobilityHooks, ProcessStepsContext, TransitionEvent } from './hooks.js';
export { MobilityStore, mobilityService } from './store.js';
export { PERMISSIONS } from './permissions.js';
export { defaultSteps, processProblems, DEFAULT_EXCHANGE_TYPES } from './process.js';
export { languageForCountry } from './student-common.js';
export * from './types.js';

/**
 * Mobility files of incoming people and the configurable, versioned validation workflow they go
 * through. This version holds the model and the engine (service `mobility.service`, hooks
 * `mobilityHooks`); pages come next.
 */
export default definePlugin({
  settings: storageSettings,
  permissions: {
    [PERMISSIONS.read]: {
      description: { fr: 'Consulter les dossiers de mobilité', en: 'See mobility files' },
      defaultRoles: ['referent', 'manager'],
    },
    [PERMISSIONS.manage]: {
      description: { fr: 'Créer, importer et faire avancer les dossiers de mobilité', en: 'Create, import and move mobility files on' },
      defaultRoles: ['manager'],
    },
    [PERMISSIONS.self]: {
      description: { fr: 'Suivre et compléter son propre dossier de mobilité', en: 'Follow and complete one’s own mobility file' },
      defaultRoles: ['student'],
    },
    [PERMISSIONS.configure]: {
      description: { fr: 'Configurer les processus, types d’échange, périodes de candidature et types de documents', en: 'Configure processes, exchange types, application periods and document types' },
      defaultRoles: ['manager'],
    },
  },
  register(r) {
    const hooks = r.provideHooks(mobilityHooks);
    r.provide(mobilityService, {
      deps: { db: coreServices.database, audit: coreServices.audit, events: coreServices.events, roles: coreServices.roles, log: coreServices.logger },
      factory: (deps) => new MobilityStore(deps, hooks),
    });
    registerManager(r);
    registerIntake(r);
    registerStudent(r, hooks);
    registerDocuments(r, hooks);
    registerMail(r, hooks);
    registerConfig(r, hooks);
    registerDuplicates(r, hooks);
    registerDemo(r);
  },
  async bootstrap(ctx) {
    const store = ctx.resolve(mobilityService);
    for (const institution of await ctx.resolve(coreServices.institutions).all()) await store.ensureSeeded(institution.id);
  },
});
