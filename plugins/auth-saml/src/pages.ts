import { coreServices } from '@smile/sdk';
import type { RequestContext } from '@smile/sdk';
import type { Refusal } from './acs.js';

/** Reasons with their own explanation on the error page; others share the generic one. */
const EXPLAINED = new Set([
  'malformed', 'unsolicited', 'replay', 'unknown-idp', 'unsigned', 'signature', 'signature-wrapping', 'audience', 'expired',
  'not-yet-valid', 'recipient', 'issuer', 'idp-status', 'in-response-to', 'missing-attribute', 'slo-unsigned',
]);

/** Friendly names → how users know them, for the "did not send" page. */
const ATTRIBUTE_LABELS = new Set(['eppn', 'mail', 'givenName', 'sn', 'displayName', 'schacDateOfBirth', 'schacHomeOrganization', 'schacPersonalUniqueCode', 'supannEtuId', 'eduPersonAffiliation', 'supannEntiteAffectation']);

/**
 * Refuse a sign-in: warn in the log (reason only, never the assertion), audit it through the
 * identity service, and show a bilingual page with what happened and what to do.
 */
export async function refuse(ctx: RequestContext, r: Refusal, idpName?: string): Promise<void> {
  ctx.log.warn({ reason: r.reason, idp: r.detail.idp, error: r.detail.error }, 'SAML sign-in refused');
  try {
    await ctx.resolve(coreServices.identity).signInFailed(ctx, { provider: 'auth-saml', reason: r.reason, subject: r.subject, detail: r.detail });
  } catch (e) {
    // the page must still tell the person what happened
    ctx.log.error({ err: (e as Error).message }, 'could not audit a refused SAML sign-in');
  }
  const key = EXPLAINED.has(r.reason) ? r.reason : 'generic';
  const attribute = r.attribute ?? '';
  const attributeLabel = attribute
    .split(', ')
    .map((a) => (ATTRIBUTE_LABELS.has(a) ? ctx.t(`auth-saml:attributes.${a}`) + ` (${a})` : a))
    .join(', ');
  await ctx.render('auth-saml/error', {
    title: ctx.t(`auth-saml:errors.${key}.title`, { attribute: attributeLabel }),
    heading: ctx.t(`auth-saml:errors.${key}.title`, { attribute: attributeLabel }),
    text: ctx.t(`auth-saml:errors.${key}.text`, { attribute: attributeLabel, idp: idpName ?? String(r.detail.idp ?? '') }),
    todo: ctx.t(`auth-saml:errors.${key}.todo`, { attribute: attributeLabel }),
    reason: r.reason,
  });
  ctx.koa.status = r.status;
  ctx.koa.set('Cache-Control', 'no-store');
}
