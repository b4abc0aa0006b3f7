import { coreServices } from '@smile/sdk';
import type { RegisterApi } from '@smile/sdk';
import { federationStatus, refreshFederation, type FederationStatus } from '../idps.js';
import { sourceOf, type SamlSettings } from '../settings.js';
import { keysOf, spOf } from '../sp.js';
import type { SamlState } from '../state.js';
import { describeCertificate } from '../x509.js';

export const MANAGE = 'auth-saml:federation.manage';

/** Each configured source with its last refresh (null when never tried). */
function federationsOf(settings: SamlSettings, statuses: FederationStatus[]) {
  return settings.federations
    .filter((f) => sourceOf(f))
    .map((f) => ({ source: sourceOf(f), hasCertificate: Boolean(f.signingCertificate), status: statuses.find((s) => s.source === sourceOf(f)) ?? null }));
}

/**
 * `/saml/admin`: what to give the federation (entityID, metadata URL, certificates) and the state
 * of the federation metadata, with its last error; `POST /saml/admin/refresh` reloads it now.
 */
export function registerAdmin(r: RegisterApi<SamlSettings>, state: SamlState): void {
  r.nav({ href: '/saml/admin', label: { fr: 'Connexion fédérée (SAML)', en: 'Federated sign-in (SAML)' }, area: 'admin', permission: MANAGE, weight: 60 });

  r.route({
    method: 'GET',
    path: '/saml/admin',
    permission: MANAGE,
    async handler(ctx) {
      const sp = spOf(ctx, state.base);
      const keys = await keysOf(ctx, state.keys, sp);
      await ctx.render('auth-saml/admin', {
        title: ctx.t('auth-saml:admin.title'),
        sp,
        keyOrigin: keys.origin,
        certificates: [
          { use: 'signing', ...describeCertificate(keys.signing.certificate) },
          { use: 'encryption', ...describeCertificate(keys.encryption.certificate) },
        ],
        federations: federationsOf(sp.settings, await federationStatus(ctx.db)),
        configured: sp.settings.idps.map((i) => ({ entityId: i.entityId, name: i.name[ctx.language] })),
        total: await state.directory.count(ctx.db, sp.settings),
      });
    },
  });

  r.route({
    method: 'POST',
    path: '/saml/admin/refresh',
    permission: MANAGE,
    async handler(ctx) {
      const sp = spOf(ctx, state.base);
      const db = ctx.resolve(coreServices.database);
      const result = await refreshFederation(db.knex, ctx.institution.id, sp.settings, ctx.log);
      if (!result) ctx.flash('warning', ctx.t('auth-saml:admin.noSource'));
      else if (result.errors.length === 0) ctx.flash('success', ctx.t('auth-saml:admin.refreshed', { n: result.count }));
      else ctx.flash('error', ctx.t('auth-saml:admin.refreshFailed', { error: result.errors.map((e) => `${e.source}: ${e.error}`).join(' — '), n: result.count }));
      ctx.koa.status = 303;
      ctx.koa.redirect('/saml/admin');
    },
  });
}
