import { createHash, randomBytes } from 'node:crypto';
import { coreServices } from '@smile/sdk';
import type { RequestContext } from '@smile/sdk';

export type Ctx = RequestContext<any, any, any>;

/**
 * A form field as text: the first value when a name is repeated, control characters removed
 * (PostgreSQL refuses NUL bytes), trimmed unless `keepSpaces` (passwords are taken as typed).
 */
export function field(body: unknown, name: string, keepSpaces = false): string {
  const raw = body && typeof body === 'object' ? (body as Record<string, unknown>)[name] : undefined;
  const v = Array.isArray(raw) ? raw[0] : raw;
  if (typeof v !== 'string' && typeof v !== 'number') return '';
  const s = String(v).replace(/[\u0000-\u0008\u000b\u000c\u000e-\u001f\u007f]/g, '');
  return keepSpaces ? s : s.trim();
}

/** Every value of a repeated form field (checkboxes), as trimmed strings. */
export function fields(body: unknown, name: string): string[] {
  const raw = body && typeof body === 'object' ? (body as Record<string, unknown>)[name] : undefined;
  const list = Array.isArray(raw) ? raw : raw === undefined ? [] : [raw];
  return list.filter((v): v is string => typeof v === 'string').map((v) => v.trim()).filter(Boolean);
}

/** POST-redirect-GET: 303 so that the browser follows with a GET. */
export function seeOther(ctx: Ctx, href: string): void {
  ctx.koa.status = 303;
  ctx.koa.redirect(href);
}

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
