import { readFileSync } from 'node:fs';
import { coreServices, definePlugin } from '@smile/sdk';
import type { Logger } from '@smile/sdk';
import { IdpDirectory, loadAggregate, refreshFederation, type LoadedAggregate } from './idps.js';
import { SpKeyStore } from './keys.js';
import { registerAdmin, MANAGE } from './routes/admin.js';
import { registerDiscovery } from './routes/discovery.js';
import { registerLogout } from './routes/logout.js';
import { registerSignIn } from './routes/sign-in.js';
import { settingsFor, settingsSchema, sourceOf, type SamlSettings } from './settings.js';
import type { SamlState } from './state.js';

const VERSION: string = JSON.parse(readFileSync(new URL('../package.json', import.meta.url), 'utf8')).version;
const STYLESHEET = `<link rel="stylesheet" href="/assets/auth-saml@${VERSION}/auth-saml.css">`;
const JOB = 'refresh-metadata';

/**
 * Refresh the federation IdPs of every institution that uses the plugin (or of one). Institutions
 * sharing an aggregate and certificate share one download and one verification.
 */
async function refreshAll(knex: any, base: SamlSettings, log: Logger, only?: number): Promise<void> {
  let q = knex('institutions').select('id', 'code', 'settings', 'plugins').orderBy('id');
  if (only) q = q.where({ id: only });
  const shared = new Map<string, Promise<LoadedAggregate>>();
  for (const row of await q) {
    if (row.plugins?.['auth-saml'] === false) continue;
    const s = settingsFor(base, { settings: row.settings ?? {} });
    await refreshFederation(knex, row.id, s, log.child({ institution: row.code }), (fed) => {
      const key = `${sourceOf(fed)}\n${fed.signingCertificate}`;
      let p = shared.get(key);
      if (!p) shared.set(key, (p = loadAggregate(fed)));
      return p;
    });
  }
}

/**
 * Sign-in through SAML 2.0 federations (Shibboleth, RENATER, eduGAIN): SP metadata, federation
 * metadata, discovery, signed AuthnRequests, verified assertions, attribute mapping, single logout.
 * Built on node-saml's `SAML` class (the core of @node-saml/passport-saml, see README).
 */
export default definePlugin({
  settings: settingsSchema,
  permissions: {
    [MANAGE]: {
      description: { fr: 'Gérer la connexion fédérée (métadonnées SAML, fédération)', en: 'Manage federated sign-in (SAML metadata, federation)' },
      defaultRoles: ['techadmin'],
    },
  },
  register(r) {
    const state: SamlState = { base: r.settings, keys: new SpKeyStore(), directory: new IdpDirectory() };
    r.nav({ href: '/saml/discovery', label: { fr: 'Connexion avec votre établissement (Shibboleth)', en: 'Sign in with your institution (Shibboleth)' }, area: 'signin' });
    r.hooks.transformLayout.tap((parts, page) => (page.view.startsWith('auth-saml/') ? { ...parts, head: [...parts.head, STYLESHEET] } : parts));
    registerDiscovery(r, state);
    registerSignIn(r, state);
    registerLogout(r, state);
    registerAdmin(r, state);
    r.job<{ institutionId?: number }>({
      name: JOB,
      cron: r.settings.refreshCron,
      attempts: 1,
      async handler(data, ctx) {
        await refreshAll(ctx.resolve(coreServices.database).knex, r.settings, ctx.log, data?.institutionId);
      },
    });
  },
  async bootstrap(ctx) {
    // first start, or a federation source configured since: load it now rather than at the next cron tick
    const rows = await ctx.db.knex('institutions').select('id', 'settings', 'plugins');
    const loaded = await ctx.db.knex('auth_saml_federation').whereNotNull('last_success_at').select('institution_id', 'source');
    const done = new Set(loaded.map((r: { institution_id: number; source: string }) => `${r.institution_id}\n${r.source}`));
    const pending = rows.some(
      (row: any) => row.plugins?.['auth-saml'] !== false && settingsFor(ctx.settings, { settings: row.settings ?? {} }).federations.some((f) => sourceOf(f) && !done.has(`${row.id}\n${sourceOf(f)}`)),
    );
    if (pending) await ctx.jobs.enqueue(`auth-saml.${JOB}`, {}, { jobId: 'auth-saml-refresh-at-boot' });
  },
});
