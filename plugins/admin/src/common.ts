import { coreServices } from '@smile/sdk';
import type { PlatformAdmin, RequestContext } from '@smile/sdk';

/** The sections of the administration area, in the order the dashboard lists them. */
export const SECTIONS = [
  { key: 'institution', href: '/admin/institution', permission: 'admin:institution.edit' },
  { key: 'theme', href: '/admin/theme', permission: 'admin:theme.edit' },
  { key: 'plugins', href: '/admin/plugins', permission: 'admin:plugins.manage' },
  { key: 'outbox', href: '/admin/outbox', permission: 'admin:outbox.read' },
  { key: 'jobs', href: '/admin/jobs', permission: 'admin:jobs.read' },
] as const;

export type Ctx = RequestContext<any, any, any>;

export const admin = (ctx: Ctx): PlatformAdmin => ctx.resolve(coreServices.platformAdmin);

/**
 * A form field as text: the first value when a name is repeated, control characters removed
 * (PostgreSQL refuses NUL bytes), trimmed unless `keepSpaces`.
 */
export function field(body: unknown, name: string, keepSpaces = false): string {
  const raw = body && typeof body === 'object' ? (body as Record<string, unknown>)[name] : undefined;
  const v = Array.isArray(raw) ? raw[0] : raw;
  if (typeof v !== 'string' && typeof v !== 'number') return '';
  const s = String(v).replace(/[\u0000-\u0008\u000b\u000c\u000e-\u001f\u007f]/g, '');
  return keepSpaces ? s : s.trim();
}

/** An `updatedAt` version as `institutionVersion` gives it (anything else would reach SQL as garbage). */
export const isVersion = (v: string): boolean => /^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}(\.\d{1,6})?Z$/.test(v) && !Number.isNaN(Date.parse(v));

/** POST-redirect-GET: 303 so the browser follows with a GET. */
export function seeOther(ctx: Ctx, href: string): void {
  ctx.koa.status = 303;
  ctx.koa.redirect(href);
}

/** Render a view with a status other than 200 (a validation error, a conflict). */
export async function renderWithStatus(ctx: Ctx, status: number, view: string, locals: Record<string, unknown>): Promise<void> {
  await ctx.render(view, locals);
  ctx.koa.status = status;
}

/** `true` for an error the core raised with this HTTP status (SmileError or any error with `status`). */
export function hasStatus(e: unknown, status: number): boolean {
  return typeof e === 'object' && e !== null && (e as { status?: unknown }).status === status;
}

/** A PostgreSQL unique violation (both pg and PGlite report SQLSTATE 23505). */
export function isUniqueViolation(e: unknown): boolean {
  return typeof e === 'object' && e !== null && (e as { code?: unknown }).code === '23505';
}

/** The theme render failures as a list for the views. */
export function themeErrorList(pa: PlatformAdmin): { theme: string; message: string; at: string }[] {
  return Object.entries(pa.themeErrors()).map(([theme, v]) => ({ theme, message: v.message, at: v.at }));
}
