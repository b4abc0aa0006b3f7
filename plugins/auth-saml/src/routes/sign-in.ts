import { createHash } from 'node:crypto';
import { coreServices, SmileError } from '@smile/sdk';
import type { RegisterApi } from '@smile/sdk';
import { consume, Refusal, type AuthnRecord } from '../acs.js';
import { refuse } from '../pages.js';
import type { SamlSettings } from '../settings.js';
import { buildSpMetadata } from '../sp-metadata.js';
import { keysOf, kvKey, newMessageId, samlFor, spOf } from '../sp.js';
import { readRemembered, REMEMBER_COOKIE, writeRemembered, type SamlState } from '../state.js';
import { field, safeReturnPath } from '../util.js';

const SESSION_TTL_MS = 12 * 3600_000; // the kernel's absolute session lifetime

/** Friendly names sign-in cannot do without: the subject's and the required ones. */
const requiredOf = (s: SamlSettings) => [...new Set([...(s.subject === 'persistent' ? [] : ['eppn']), ...s.requiredAttributes])];

/** `/saml/metadata`, `/saml/login`, `/saml/acs`. */
export function registerSignIn(r: RegisterApi<SamlSettings>, state: SamlState): void {
  r.route({
    method: 'GET',
    path: '/saml/metadata',
    public: true,
    async handler(ctx) {
      const sp = spOf(ctx, state.base);
      const keys = await keysOf(ctx, state.keys, sp);
      ctx.koa.type = 'application/samlmetadata+xml';
      ctx.koa.set('Cache-Control', 'public, max-age=300');
      ctx.koa.body = buildSpMetadata({
        entityId: sp.entityId, acsUrl: sp.acsUrl, sloUrl: sp.sloUrl, baseUrl: sp.baseUrl,
        signingCertificate: keys.signing.certificate, encryptionCertificate: keys.encryption.certificate,
        displayName: sp.settings.displayName ?? { fr: ctx.institution.nameFr, en: ctx.institution.nameEn },
        contacts: sp.settings.contacts, esi: sp.settings.esiEntityCategory, required: requiredOf(sp.settings),
      });
    },
  });

  r.route({
    method: 'GET',
    path: '/saml/login',
    public: true,
    async handler(ctx) {
      const sp = spOf(ctx, state.base);
      const entityId = field(ctx.query, 'idp');
      const idp = entityId ? await state.directory.find(ctx.db, sp.settings, entityId) : null;
      if (!idp) throw new SmileError('SMILE_ERR_NOT_FOUND', ctx.t('auth-saml:login.unknownIdp'), { status: 404 });
      const returnTo = safeReturnPath(field(ctx.query, 'return'));
      const id = newMessageId();
      const record: AuthnRecord = { idp: idp.entityId, returnTo };
      await ctx.resolve(coreServices.kv).set(kvKey.authn(ctx.institution.id, id), JSON.stringify(record), sp.settings.requestTtlMinutes * 60_000);
      const keys = await keysOf(ctx, state.keys, sp);
      // RelayState is limited to 80 bytes (SAML bindings §3.4.3); the record is what we trust anyway
      const url = await samlFor(ctx, sp, keys, idp, { id }).getAuthorizeUrlAsync(returnTo !== '/' && returnTo.length <= 80 ? returnTo : '', undefined, {});
      ctx.koa.cookies.set(REMEMBER_COOKIE, writeRemembered(readRemembered(ctx.koa.cookies.get(REMEMBER_COOKIE)), idp.entityId), {
        httpOnly: true, sameSite: 'lax', secure: ctx.koa.secure, maxAge: 365 * 24 * 3600_000, overwrite: true,
      });
      ctx.koa.set('Cache-Control', 'no-store');
      ctx.koa.redirect(url);
    },
  });

  r.route({
    method: 'POST',
    path: '/saml/acs',
    public: true,
    // the IdP posts from another site: no CSRF token, the response is checked by its signature
    csrf: false,
    async handler(ctx) {
      const sp = spOf(ctx, state.base);
      const body = (ctx.body ?? {}) as Record<string, unknown>;
      let accepted;
      try {
        accepted = await consume(ctx, sp, state.keys, state.directory, body);
      } catch (e) {
        if (!(e instanceof Refusal)) throw e;
        const idp = typeof e.detail.idp === 'string' ? await state.directory.find(ctx.db, sp.settings, e.detail.idp) : null;
        return refuse(ctx, e, idp ? idp.name[ctx.language] : undefined);
      }
      const identity = ctx.resolve(coreServices.identity);
      const result = await identity.signIn(ctx, accepted.identity, { session: { saml: accepted.session, signOutUrl: '/saml/logout' } });
      // IdP-initiated logout may arrive without our cookie: remember whose NameID this is
      const digest = createHash('sha256').update(`${accepted.session.idp}\n${accepted.session.nameId}`).digest('hex');
      await ctx.resolve(coreServices.kv).set(kvKey.nameId(ctx.institution.id, digest), String(result.person.id), SESSION_TTL_MS);
      ctx.log.info({ idp: accepted.identity.issuer, person: result.person.id, created: result.created }, 'SAML sign-in');
      ctx.koa.status = 303;
      ctx.koa.redirect(accepted.returnTo !== '/' ? accepted.returnTo : safeReturnPath(field(body, 'RelayState')));
    },
  });
}
