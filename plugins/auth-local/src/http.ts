import { createHash, randomBytes } from 'node:crypto';
import { coreServices } from '@smile/sdk';
import type { RequestContext } from '@smile/sdk';

export { formField as field, formFields as fields, seeOther } from '@smile/sdk';

export type Ctx = RequestContext<any, any, any>;

/** Render a view with a status other than 200 (`render` sets 200). */
export async function renderWithStatus(ctx: Ctx, status: number, view: string, locals: Record<string, unknown>): Promise<void> {
  await ctx.render(view, locals);
  ctx.koa.status = status;
}

/**
 * Pages whose URL carries a secret token: no caching, and no Referer that could carry the token
 * to another site.
 */
export function secretPage(ctx: Ctx): void {
  ctx.koa.set('Cache-Control', 'no-store');
  ctx.koa.set('Referrer-Policy', 'no-referrer');
}

const EMAIL = /^[^\s@"<>(),;:\\[\]]+@[^\s@"<>(),;:\\[\]]+\.[^\s@"<>(),;:\\[\]]+$/;

/** An email address as we store it (trimmed, lower case), or null when it does not look like one. */
export function normaliseEmail(raw: string): string | null {
  const e = raw.trim().toLowerCase();
  return e.length <= 254 && EMAIL.test(e) ? e : null;
}

/** A random single-use token for a link (256 bits). */
export const newToken = (): string => randomBytes(32).toString('base64url');
/** What is stored instead of the token: its SHA-256. */
export const tokenHash = (token: string): string => createHash('sha256').update(token).digest('hex');
/** Does `token` have the shape of one of ours? (Anything else is refused without a query.) */
export const isToken = (token: string): boolean => /^[A-Za-z0-9_-]{43}$/.test(token);

/**
 * Origin for links in mails. The request's own origin only when its host is one the institution
 * declares: otherwise (a single institution answers every host) a forged `Host` header could make
 * a reset mail point to an attacker's site, so the configured base URL is used.
 */
export function mailOrigin(ctx: Ctx): string {
  const host = ctx.koa.hostname.toLowerCase();
  if (ctx.institution.hostNames.some((h) => h.toLowerCase() === host)) return ctx.koa.origin;
  return ctx.resolve(coreServices.config).baseUrl.replace(/\/+$/, '');
}

/** The institution's name in the request's language. */
export const institutionName = (ctx: Ctx): string => (ctx.language === 'fr' ? ctx.institution.nameFr : ctx.institution.nameEn);
