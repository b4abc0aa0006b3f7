import { coreServices, definePlugin } from '@smile/sdk';
import { mobilityHooks } from './hooks.js';
import { registerIntake } from './intake.js';
import { registerManager } from './manager.js';
import { PERMISSIONS } from './permissions.js';
import { MobilityStore, mobilityService } from './store.js';

export { mobilityHooks } from './hooks.js';
export type { MobilityHooks, ProcessStepsContext, TransitionEvent } from './hooks.js';
export { MobilityStore, mobilityService } from './store.js';
export { PERMISSIONS } from './permissions.js';
export { defaultSteps, processProblems, DEFAULT_EXCHANGE_TYPES } from './process.js';
export * from './types.js';

/**
 * Mobility files of incoming people and the configurable, versioned validation workflow they go
 * through. This version holds the model and the engine (service `mobility.service`, hooks
 * `mobilityHooks`); pages come next.
 */
export default definePlugin({
  permissions: {
    [PERMISSIONS.read]: {
      description: { fr: 'Consulter les dossiers de mobilité', en: 'See mobility files' },
      defaultRoles: ['referent', 'manager'],
    },
    [PERMISSIONS.manage]: {
      description: { fr: 'Créer, importer et faire avancer les dossiers de mobilité', en: 'Create, import and move mobility files on' },
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
  },
  async bootstrap(ctx) {
    const store = ctx.resolve(mobilityService);
    for (const institution of await ctx.resolve(coreServices.institutions).all()) await store.ensureSeeded(institution.id);
  },
});
