/**
 * The page a signing link opens, `/la/sign/:token`, for the sending institution's coordinator
 * without an account: the version to review, its PDF, and a form to sign or to refuse with a
 * comment. Public routes that check the token themselves: unknown, expired, used or replaced
 * links are refused with a clear page; every action is audited with the signer's name and IP.
 * @packageDocumentation
 */
import { formField, seeOther } from '@smile/sdk';
import type { RegisterApi } from '@smile/sdk';
import type { SigningLink } from './links.js';
import { actorOf, agreementView, laOf, refusal, renderWithStatus, sendPdf, type Ctx } from './routes-common.js';
import type { FieldErrors } from './routes-forms.js';
import { LaError, type StoredAgreement } from './store-types.js';

const BASE = '/la/sign/:token';
const VIEW = 'learning-agreement/link';
const CLOSED = 'learning-agreement/link-closed';

/** The token's link and agreement, or a page saying why the link cannot be used (and `null`). */
async function open(ctx: Ctx): Promise<{ link: SigningLink; agreement: StoredAgreement } | null> {
  // the token is in the address: never send it on to another site, never keep the page in a cache
  ctx.koa.set('Referrer-Policy', 'no-referrer');
  ctx.koa.set('Cache-Control', 'no-store');
  const token = String(ctx.params.token ?? '');
  try {
    const svc = laOf(ctx);
    const link = await svc.link(ctx.institution.id, token);
    const agreement = await svc.agreementOfLink(ctx.institution.id, link);
    if (!agreement) throw new LaError('linkUnknown', 'unknown link');
    if (agreement.versions.at(-1)!.id !== link.versionId) throw new LaError('stale', 'replaced');
    return { link, agreement };
  } catch (e) {
    const x = refusal(ctx, e);
    ctx.log.info({ reason: (e as LaError).reason }, 'signing link refused');
    await renderWithStatus(ctx, x.status, CLOSED, { title: ctx.t('learning-agreement:la.link.closedTitle'), message: x.message, stale: (e as LaError).reason === 'stale' });
    return null;
  }
}

interface Extra { error?: string | null; sign?: { name: string; position: string; email: string }; refuse?: { name: string; comment: string }; errors?: FieldErrors }

function locals(ctx: Ctx, token: string, a: StoredAgreement, link: SigningLink, extra: Extra = {}) {
  const view = agreementView(ctx, a);
  const p = view.doc.sending.responsiblePerson;
  const name = [p.givenNames, p.familyName].filter(Boolean).join(' ');
  return {
    ...view,
    title: ctx.t('learning-agreement:la.link.title', { name: `${view.doc.student.givenNames} ${view.doc.student.familyName}` }),
    base: `/la/sign/${token}`,
    expiresAt: link.expiresAt,
    myTurn: view.next === link.party,
    sign: extra.sign ?? { name, position: p.position ?? '', email: p.email },
    refuse: extra.refuse ?? { name, comment: '' },
    errors: extra.errors ?? {},
    error: extra.error ?? null,
  };
}

export function registerLink(r: RegisterApi<any>): void {
  r.route({
    method: 'GET', path: BASE, public: true,
    async handler(ctx) {
      const o = await open(ctx);
      if (o) await ctx.render(VIEW, locals(ctx, String(ctx.params.token), o.agreement, o.link));
    },
  });

  r.route({
    method: 'GET', path: `${BASE}/pdf`, public: true,
    async handler(ctx) {
      const o = await open(ctx);
      if (o) await sendPdf(ctx, o.agreement);
    },
  });

  const act = (kind: 'sign' | 'refuse') => async (ctx: Ctx) => {
    const token = String(ctx.params.token ?? '');
    const o = await open(ctx);
    if (!o) return;
    const f = (n: string) => formField(ctx.body, n);
    const version = { versionNumber: Number(f('version')), hash: f('hash') || undefined, ip: ctx.koa.ip };
    const sign = { name: f('name'), position: f('position'), email: f('email') };
    const refuse = { name: f('name'), comment: formField(ctx.body, 'comment', true).trim().slice(0, 5000) };
    const who = kind === 'sign' ? `${sign.name} <${sign.email}> (signing link)` : `${refuse.name} (signing link)`;
    try {
      if (kind === 'sign') await laOf(ctx).sign(actorOf(ctx, who), o.agreement.id, { via: 'link', token }, { ...version, ...sign });
      else await laOf(ctx).refuse(actorOf(ctx, who), o.agreement.id, { via: 'link', token }, { ...version, ...refuse, email: o.link.email });
      ctx.flash('success', ctx.t(kind === 'sign' ? 'learning-agreement:la.link.thanksSigned' : 'learning-agreement:la.link.thanksRefused'));
      return seeOther(ctx, `/la/sign/${token}/done`);
    } catch (e) {
      const x = refusal(ctx, e);
      const errors: FieldErrors = x.field ? { [`${kind}-${x.field}`]: x.field === 'email' ? 'email' : 'required' } : {};
      const fresh = (await laOf(ctx).byId(ctx.institution.id, o.agreement.id))!;
      const extra: Extra = kind === 'sign' ? { sign, errors, error: x.message } : { refuse, errors, error: x.message };
      return renderWithStatus(ctx, x.status, VIEW, locals(ctx, token, fresh, o.link, extra));
    }
  };
  r.route({ method: 'POST', path: BASE, public: true, handler: act('sign') });
  r.route({ method: 'POST', path: `${BASE}/refuse`, public: true, handler: act('refuse') });

  // after the action the link is used: this page only says thank you (the flash message)
  r.route({
    method: 'GET', path: `${BASE}/done`, public: true,
    async handler(ctx) {
      ctx.koa.set('Referrer-Policy', 'no-referrer');
      await ctx.render(CLOSED, { title: ctx.t('learning-agreement:la.link.doneTitle'), message: ctx.t('learning-agreement:la.link.done'), stale: false });
    },
  });
}
