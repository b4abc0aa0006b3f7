import { readFileSync } from 'node:fs';
import { coreServices, definePlugin } from '@smile/sdk';
import { BUILTIN_MACROS, mailingHooks } from './macros.js';
import { PERMISSIONS, registerRoutes } from './routes.js';
import { MailingStore, mailingService } from './store.js';

export { mailingHooks, renderTemplate, unknownMacros, macrosIn, formatDate, escapeHtml, BUILTIN_MACROS } from './macros.js';
export type { MacroDefinition, MacroValues, Rendered } from './macros.js';
export { mailingService, MailingError, LANGUAGES } from './store.js';
export type { MailingService, MailTemplate, SentMail, SendRequest, MailingActor, Language } from './store.js';
export { SEED_TEMPLATES } from './seeds.js';
export type { SeedTemplate, Recipient } from './seeds.js';
export { PERMISSIONS } from './routes.js';

const VERSION: string = JSON.parse(readFileSync(new URL('../package.json', import.meta.url), 'utf8')).version;
const STYLESHEET = `<link rel="stylesheet" href="/assets/mailing@${VERSION}/mailing.css">`;

/**
 * Mail templates per institution and language, with macros contributed by plugins
 * (`transformMacros`), a preview, the seeded templates of the mobility process, and sending
 * through the core outbox with per-tag tracking.
 */
export default definePlugin({
  permissions: {
    [PERMISSIONS.edit]: {
      description: { fr: 'Modifier les modèles de courriels', en: 'Edit mail templates' },
      defaultRoles: ['manager'],
    },
  },
  register(r) {
    const hooks = r.provideHooks(mailingHooks);
    r.provide(mailingService, {
      deps: { db: coreServices.database, audit: coreServices.audit, mailer: coreServices.mailer },
      factory: (deps) => new MailingStore(deps, () => hooks.transformMacros.call(BUILTIN_MACROS.map((m) => ({ ...m })))),
    });
    r.hooks.transformLayout.tap((parts, page) => (page.view.startsWith('mailing/') ? { ...parts, head: [...parts.head, STYLESHEET] } : parts));
    registerRoutes(r);
  },
  async bootstrap(ctx) {
    const service = ctx.resolve(mailingService);
    const ids = (await ctx.db.knex('institutions').pluck('id')) as number[];
    for (const id of ids) await service.ensureSeeded(id);
  },
});
