import { coreServices, definePlugin } from '@smile/sdk';
import { mobilityHooks } from './hooks.js';
import { MobilityStore, mobilityService } from './store.js';

export { mobilityHooks } from './hooks.js';
export type { MobilityHooks, ProcessStepsContext, TransitionEvent } from './hooks.js';
export { MobilityStore, mobilityService } from './store.js';
export { defaultSteps, processProblems, DEFAULT_EXCHANGE_TYPES } from './process.js';
export * from './types.js';

/**
 * Mobility files of incoming people and the configurable, versioned validation workflow they go
 * through. This version holds the model and the engine (service `mobility.service`, hooks
 * `mobilityHooks`); pages come next.
 */
export default definePlugin({
  register(r) {
    const hooks = r.provideHooks(mobilityHooks);
    r.provide(mobilityService, {
      deps: { db: coreServices.database, audit: coreServices.audit, events: coreServices.events, roles: coreServices.roles, log: coreServices.logger },
      factory: (deps) => new MobilityStore(deps, hooks),
    });
  },
  async bootstrap(ctx) {
    const store = ctx.resolve(mobilityService);
    for (const institution of await ctx.resolve(coreServices.institutions).all()) await store.ensureSeeded(institution.id);
  },
});
