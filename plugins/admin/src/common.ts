import { coreServices, ErrorCodes, SmileError } from '@smile/sdk';
import type { Bilingual, Identity, PlatformAdmin, RequestContext, RoleInfo, Roles } from '@smile/sdk';

// the form helpers every admin page uses, under their short names
export { formField as field, formFields as fields, seeOther } from '@smile/sdk';

/** The sections of the administration area, in the order the dashboard lists them. */
export const SECTIONS = [
  { key: 'institution', href: '/admin/institution', permission: 'admin:institution.edit' },
  { key: 'theme', href: '/admin/theme', permission: 'admin:theme.edit' },
  { key: 'plugins', href: '/admin/plugins', permission: 'admin:plugins.manage' },
  { key: 'outbox', href: '/admin/outbox', permission: 'admin:outbox.read' },
  { key: 'jobs', href: '/admin/jobs', permission: 'admin:jobs.read' },
  { key: 'people', href: '/admin/people', permission: 'admin:people.manage' },
  { key: 'roles', href: '/admin/roles', permission: 'admin:roles.manage' },
  { key: 'matrix', href: '/admin/roles/matrix', permission: 'admin:roles.manage' },
  { key: 'components', href: '/admin/components', permission: 'admin:roles.manage' },
  { key: 'rules', href: '/admin/rules', permission: 'admin:rules.manage' },
  { key: 'audit', href: '/admin/audit', permission: 'admin:audit.read' },
] as const;

export type Ctx = RequestContext<any, any, any>;

export const admin = (ctx: Ctx): PlatformAdmin => ctx.resolve(coreServices.platformAdmin);
export const rolesOf = (ctx: Ctx): Roles => ctx.resolve(coreServices.roles);
export const identityOf = (ctx: Ctx): Identity => ctx.resolve(coreServices.identity);

/** A 404 that says what was not found (the kernel's error page shows it). */
export const notFound = (what: string): SmileError => new SmileError(ErrorCodes.NOT_FOUND, `no such ${what} in this institution`, { status: 404 });

/** `b` in the page language. */
export const inLang = (b: Bilingual, lang: 'fr' | 'en'): string => b[lang] || b[lang === 'fr' ? 'en' : 'fr'];

/** An `updatedAt` version as `institutionVersion` gives it (anything else would reach SQL as garbage). */
export const isVersion = (v: string): boolean => /^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}(\.\d{1,6})?Z$/.test(v) && !Number.isNaN(Date.parse(v));

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

/** A role with its depth in the hierarchy (0 for a role without parent). */
export type RoleNode = RoleInfo & { depth: number };

/**
 * Roles in hierarchy order: each parent followed by its children (depth first), siblings in the
 * order the core lists them. A role whose parent is unknown counts as a root; a cycle (which the
 * core should refuse) cannot loop: what was not reached is appended.
 */
export function hierarchyOrder(roles: readonly RoleInfo[]): RoleNode[] {
  const keys = new Set(roles.map((r) => r.key));
  const children = new Map<string | null, RoleInfo[]>();
  for (const r of roles) {
    const p = r.parent !== null && keys.has(r.parent) ? r.parent : null;
    children.set(p, [...(children.get(p) ?? []), r]);
  }
  const out: RoleNode[] = [];
  const seen = new Set<string>();
  const visit = (parent: string | null, depth: number) => {
    for (const r of children.get(parent) ?? []) {
      if (seen.has(r.key)) continue;
      seen.add(r.key);
      out.push({ ...r, depth });
      visit(r.key, depth + 1);
    }
  };
  visit(null, 0);
  for (const r of roles) if (!seen.has(r.key)) out.push({ ...r, depth: 0 });
  return out;
}

/** The ancestors of `key`, nearest first (cycle-safe). */
export function ancestors(roles: ReadonlyMap<string, RoleInfo>, key: string): RoleInfo[] {
  const out: RoleInfo[] = [];
  const seen = new Set([key]);
  let p = roles.get(key)?.parent ?? null;
  while (p !== null && !seen.has(p)) {
    const r = roles.get(p);
    if (!r) break;
    seen.add(p);
    out.push(r);
    p = r.parent;
  }
  return out;
}

/** `key` and every role below it. */
export function descendants(roles: readonly RoleInfo[], key: string): Set<string> {
  const byKey = new Map(roles.map((r) => [r.key, r]));
  return new Set(roles.filter((r) => r.key === key || ancestors(byKey, r.key).some((a) => a.key === key)).map((r) => r.key));
}

/** The message of a core error without its `SMILE_ERR_…:` prefix, to show next to a refusal. */
export const reason = (e: unknown): string => (e instanceof Error ? e.message : String(e)).replace(/^SMILE_ERR_[A-Z_]+: /, '');

/**
 * Would the signed-in person still hold `privilege` if `role` lost its own grant of it? Guards the
 * changes that would take from administrators the very privilege they need to undo them. API
 * tokens hold their permissions directly: always `true` for them.
 */
export function keepsWithout(ctx: Ctx, all: readonly RoleInfo[], role: string, privilege: string): boolean {
  const mine = ctx.principal.roles;
  if (ctx.principal.kind !== 'user' || !mine) return true;
  const byKey = new Map(all.map((r) => [r.key, r]));
  return mine.some((k) => {
    const r = byKey.get(k);
    return !!r && [r, ...ancestors(byKey, k)].some((x) => x.key !== role && x.privileges.includes(privilege));
  });
}
