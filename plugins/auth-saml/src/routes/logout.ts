/**
 * Single logout.
 *
 * - SP-initiated: `POST /saml/logout` (a form with the CSRF token) ends this session, then sends
 *   the browser to the IdP's SingleLogoutService with a signed LogoutRequest; the IdP answers on
 *   `/saml/slo` with a LogoutResponse.
 * - IdP-initiated: the IdP sends a signed LogoutRequest to `/saml/slo` (HTTP-Redirect or POST).
 *   When the browser brings our session cookie and that session was opened by this IdP for this
 *   NameID, only that session ends. Otherwise (a cross-site POST carries no SameSite=Lax cookie)
 *   the person is found from the IdP + NameID recorded at sign-in and every session of theirs ends
 *   (`identity.signOutEverywhere`). We answer with a LogoutResponse (HTTP-Redirect).
 */
import { createHash } from 'node:crypto';
import { inflateRawSync } from 'node:zlib';
import { DOMParser } from '@xmldom/xmldom';
import { coreServices } from '@smile/sdk';
import type { RegisterApi, RequestContext } from '@smile/sdk';
import type { Profile } from '@node-saml/node-saml';
import { Refusal } from '../acs.js';
import type { Idp } from '../idps.js';
import { refuse } from '../pages.js';
import type { SamlSettings } from '../settings.js';
import { keysOf, kvKey, samlFor, spOf, type Sp } from '../sp.js';
import type { SamlState } from '../state.js';
import { field } from '../util.js';

interface SamlSession {
  nameId: string;
  nameIdFormat: string | null;
  nameQualifier: string | null;
  spNameQualifier: string | null;
  sessionIndex: string | null;
  idp: string;
}

/** The Issuer of an inbound logout message (unverified: only to pick the IdP whose key verifies it). */
function issuerOf(encoded: string, deflated: boolean): string | null {
  try {
    const raw = Buffer.from(encoded, 'base64');
    const xml = (deflated ? inflateRawSync(raw, { maxOutputLength: 1_000_000 }) : raw).toString('utf8');
    const root = new DOMParser({ onError: (l: string) => { if (l !== 'warning') throw new Error('not XML'); } }).parseFromString(xml, 'text/xml').documentElement;
    for (let n = root?.firstChild; n; n = n.nextSibling) if (n.nodeType === 1 && (n as any).localName === 'Issuer') return (n.textContent ?? '').trim();
  } catch {
    return null;
  }
  return null;
}

async function endSessions(ctx: RequestContext, idp: Idp, profile: Profile): Promise<number> {
  const mine = ctx.session.get<SamlSession>('saml');
  if (mine && mine.idp === idp.entityId && mine.nameId === profile.nameID) {
    ctx.session.signOut();
    return 1;
  }
  const kv = ctx.resolve(coreServices.kv);
  const digest = createHash('sha256').update(`${idp.entityId}\n${profile.nameID}`).digest('hex');
  const personId = Number(await kv.take(kvKey.nameId(ctx.institution.id, digest)));
  if (!personId) return 0;
  return ctx.resolve(coreServices.identity).signOutEverywhere(personId);
}

/** `/saml/logout`, `/saml/slo`. */
export function registerLogout(r: RegisterApi<SamlSettings>, state: SamlState): void {
  r.route({
    method: 'POST',
    path: '/saml/logout',
    public: true,
    async handler(ctx) {
      const sp = spOf(ctx, state.base);
      const saml = ctx.session.get<SamlSession>('saml');
      const idp = saml ? await state.directory.find(ctx.db, sp.settings, saml.idp) : null;
      ctx.session.signOut();
      if (!saml || !idp?.sloUrl) {
        ctx.flash('success', ctx.t(saml ? 'auth-saml:logout.localOnly' : 'auth-saml:logout.done'));
        ctx.koa.status = 303;
        return ctx.koa.redirect('/');
      }
      const keys = await keysOf(ctx, state.keys, sp);
      const user = {
        issuer: idp.entityId, nameID: saml.nameId, nameIDFormat: saml.nameIdFormat ?? 'urn:oasis:names:tc:SAML:2.0:nameid-format:unspecified',
        nameQualifier: saml.nameQualifier ?? undefined, spNameQualifier: saml.spNameQualifier ?? undefined, sessionIndex: saml.sessionIndex ?? undefined,
      };
      const url = await samlFor(ctx, sp, keys, idp).getLogoutUrlAsync(user, '', {});
      ctx.log.info({ idp: idp.entityId }, 'SAML logout sent to the IdP');
      ctx.koa.status = 303;
      ctx.koa.redirect(url);
    },
  });

  const slo = async (ctx: RequestContext, sp: Sp, message: { encoded: string; request: boolean; redirect: boolean }) => {
    const entityId = issuerOf(message.encoded, message.redirect);
    const idp = entityId ? await state.directory.find(ctx.db, sp.settings, entityId) : null;
    if (!idp) return refuse(ctx, new Refusal('unknown-idp', 400, { error: 'logout message from an unknown IdP', idp: entityId?.slice(0, 500) }));
    const saml = samlFor(ctx, sp, await keysOf(ctx, state.keys, sp), idp);
    let profile: Profile | null;
    try {
      if (message.redirect) {
        // node-saml accepts an unsigned redirect message; a logout request must be signed
        if (message.request && !field(ctx.query, 'Signature')) throw new Refusal('slo-unsigned', 401, { idp: idp.entityId, error: 'unsigned LogoutRequest' });
        ({ profile } = await saml.validateRedirectAsync(ctx.query as any, ctx.koa.querystring));
      } else if (message.request) {
        ({ profile } = await saml.validatePostRequestAsync({ SAMLRequest: message.encoded }));
      } else {
        ({ profile } = await saml.validatePostResponseAsync({ SAMLResponse: message.encoded }));
      }
    } catch (e) {
      const refusal = e instanceof Refusal ? e : new Refusal('invalid-response', 401, { idp: idp.entityId, error: (e as Error).message.slice(0, 300) });
      return refuse(ctx, refusal, idp.name[ctx.language]);
    }
    if (!message.request || !profile) {
      // the IdP confirms our LogoutRequest
      ctx.flash('success', ctx.t('auth-saml:logout.done'));
      ctx.koa.status = 303;
      return ctx.koa.redirect('/');
    }
    const ended = await endSessions(ctx, idp, profile);
    ctx.log.info({ idp: idp.entityId, ended }, 'IdP-initiated SAML logout');
    const relay = field(message.redirect ? ctx.query : ctx.body, 'RelayState');
    const url = await saml.getLogoutResponseUrlAsync(profile, relay, {}, true);
    ctx.koa.set('Cache-Control', 'no-store');
    ctx.koa.redirect(url);
  };

  r.route({
    method: 'GET',
    path: '/saml/slo',
    public: true,
    async handler(ctx) {
      const request = field(ctx.query, 'SAMLRequest');
      const response = field(ctx.query, 'SAMLResponse');
      if (!request && !response) return refuse(ctx, new Refusal('malformed', 400, { error: 'no SAML message' }));
      await slo(ctx, spOf(ctx, state.base), { encoded: request || response, request: Boolean(request), redirect: true });
    },
  });

  r.route({
    method: 'POST',
    path: '/saml/slo',
    public: true,
    // posted by the IdP from another site; the message is checked by its signature
    csrf: false,
    async handler(ctx) {
      const request = field(ctx.body, 'SAMLRequest');
      const response = field(ctx.body, 'SAMLResponse');
      if (!request && !response) return refuse(ctx, new Refusal('malformed', 400, { error: 'no SAML message' }));
      await slo(ctx, spOf(ctx, state.base), { encoded: request || response, request: Boolean(request), redirect: false });
    },
  });
}
