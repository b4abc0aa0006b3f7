import type { RequestContext, UploadedFile } from './plugin.js';

const CONTROL = /[\u0000-\u0008\u000b\u000c\u000e-\u001f\u007f]/g;

/**
 * A form field as text: the first value when the name is repeated, control characters removed
 * (PostgreSQL refuses NUL bytes), trimmed unless `keepSpaces` (passwords are taken as typed).
 * Anything else (absent, an object) is `''`.
 */
export function formField(body: unknown, name: string, keepSpaces = false): string {
  const raw = body && typeof body === 'object' ? (body as Record<string, unknown>)[name] : undefined;
  const v = Array.isArray(raw) ? raw[0] : raw;
  if (typeof v !== 'string' && typeof v !== 'number') return '';
  const s = String(v).replace(CONTROL, '');
  return keepSpaces ? s : s.trim();
}

/** Every value of a repeated form field (checkboxes, multi-selects), cleaned like {@link formField}, blanks dropped. */
export function formFields(body: unknown, name: string): string[] {
  const raw = body && typeof body === 'object' ? (body as Record<string, unknown>)[name] : undefined;
  const list = Array.isArray(raw) ? raw : raw === undefined ? [] : [raw];
  return list.map((v) => formField({ v }, 'v')).filter(Boolean);
}

/** The file sent in a form field (`multipart/form-data`), or `undefined` when none was chosen. */
export function formFile(body: unknown, name: string): UploadedFile | undefined {
  const raw = body && typeof body === 'object' ? (body as Record<string, unknown>)[name] : undefined;
  const v = Array.isArray(raw) ? raw[0] : raw;
  return v && typeof v === 'object' && Buffer.isBuffer((v as UploadedFile).data) ? (v as UploadedFile) : undefined;
}

/** POST-redirect-GET: answer 303, so the browser follows with a GET. */
export function seeOther(ctx: RequestContext<any, any, any>, href: string): void {
  ctx.koa.status = 303;
  ctx.koa.redirect(href);
}

/**
 * `value` when it is a path on this site (`/…`, not `//host` nor `/\host`, no control
 * characters), else `/`. Every `return` parameter and SAML RelayState goes through it: no open
 * redirect.
 */
export function safeReturnPath(value: unknown): string {
  if (typeof value !== 'string' || value.length > 2000) return '/';
  if (!value.startsWith('/') || value.startsWith('//') || value.startsWith('/\\')) return '/';
  if (/[\u0000-\u001f\u007f\\]/.test(value)) return '/';
  try {
    // the URL parser must agree that it stays on this origin
    const u = new URL(value, 'http://x.invalid');
    if (u.origin !== 'http://x.invalid') return '/';
    return u.pathname + u.search + u.hash;
  } catch {
    return '/';
  }
}
