import type { RegisterApi } from '@smile/sdk';
import type { Idp } from '../idps.js';
import type { SamlSettings } from '../settings.js';
import { spOf } from '../sp.js';
import { readRemembered, REMEMBER_COOKIE, type SamlState } from '../state.js';
import { field, safeReturnPath } from '../util.js';

/** What the views show of an IdP. */
export interface IdpChoice {
  entityId: string;
  name: string;
  /** The host of the entityID, to tell apart IdPs with similar names. */
  host: string;
  href: string;
}

function choice(idp: Idp, lang: 'fr' | 'en', returnTo: string): IdpChoice {
  let host = '';
  try {
    host = new URL(idp.entityId).hostname;
  } catch {
    host = idp.entityId.replace(/^urn:/, '').slice(0, 80);
  }
  const params = new URLSearchParams({ idp: idp.entityId });
  if (returnTo !== '/') params.set('return', returnTo);
  return { entityId: idp.entityId, name: idp.name[lang], host, href: `/saml/login?${params}` };
}

/**
 * `/saml/discovery`: "Select your home institution". The search runs on the server (thousands of
 * IdPs), accent-insensitively; htmx replaces the results as the person types, and the form works
 * without JavaScript. IdPs chosen before (cookie) and the institution's featured ones come first.
 */
export function registerDiscovery(r: RegisterApi<SamlSettings>, state: SamlState): void {
  r.route({
    method: 'GET',
    path: '/saml/discovery',
    public: true,
    async handler(ctx) {
      const sp = spOf(ctx, state.base);
      const q = field(ctx.query, 'q').slice(0, 100).trim();
      const returnTo = safeReturnPath(field(ctx.query, 'return'));
      const found = q ? await state.directory.search(ctx.db, sp.settings, q, ctx.language) : { idps: [], more: false };
      const results = found.idps.map((i) => choice(i, ctx.language, returnTo));
      const locals = { q, returnTo, results, more: found.more };
      if (ctx.htmx && /idp-results$/.test(ctx.koa.get('HX-Target'))) return ctx.render('auth-saml/idp-results', locals);
      const remembered = (await state.directory.findMany(ctx.db, sp.settings, readRemembered(ctx.koa.cookies.get(REMEMBER_COOKIE)))).map((i) => choice(i, ctx.language, returnTo));
      const featured = (await state.directory.findMany(ctx.db, sp.settings, sp.settings.featuredIdps))
        .filter((i) => !remembered.some((m) => m.entityId === i.entityId))
        .map((i) => choice(i, ctx.language, returnTo));
      const total = await state.directory.count(ctx.db, sp.settings);
      await ctx.render('auth-saml/discovery', { ...locals, title: ctx.t('auth-saml:discovery.title'), remembered, featured, total });
    },
  });
}
