import { coreServices } from '@smile/sdk';
import type { PermissionInfo, RegisterApi, RoleInfo } from '@smile/sdk';
import { admin, ancestors, descendants, field, fields, hasStatus, hierarchyOrder, inLang, keepsWithout, reason, renderWithStatus, rolesOf, seeOther, type Ctx, type RoleNode } from './common.js';

/** One checkbox of the matrix: a role × a privilege. */
export interface MatrixCell {
  /** Stable id of the checkbox, so htmx gives the focus back to it after swapping the cell. */
  id: string;
  /** `<role>/<privilege>`: the checkbox value (role keys and privilege names hold no `/`). */
  value: string;
  role: string;
  roleName: string;
  privilege: string;
  privilegeLabel: string;
  /** The id of the form of the plugin group (checkboxes sit in a table, the forms outside it). */
  form: string;
  /** Granted to the role itself. */
  own: boolean;
  /** Name of the nearest ancestor holding it, when the role inherits it. */
  inheritedFrom: string | null;
}

export interface MatrixGroup {
  plugin: string;
  title: string;
  form: string;
  rows: { name: string; description: string; cells: MatrixCell[] }[];
}

const cellValue = (role: string, privilege: string) => `${role}/${privilege}`;
/** The privilege this page needs: an administrator may not take it from themselves here. */
const SELF_NEEDED = 'admin:roles.manage';

/** Why revoking `privilege` from `role` is refused for the acting person (they would lock themselves out), or null. */
async function lockout(ctx: Ctx, role: string, privilege: string): Promise<string | null> {
  if (privilege !== SELF_NEEDED) return null;
  return keepsWithout(ctx, await rolesOf(ctx).list(ctx.institution.id), role, privilege) ? null : ctx.t('admin:matrix.errors.selfLockout', { privilege });
}
const formId = (plugin: string) => `mf-${plugin}`;

function cellOf(byKey: ReadonlyMap<string, RoleInfo>, role: RoleInfo, p: PermissionInfo, lang: 'fr' | 'en'): MatrixCell {
  const from = ancestors(byKey, role.key).find((a) => a.privileges.includes(p.name));
  return {
    id: `cb:${role.key}:${p.name}`, value: cellValue(role.key, p.name), role: role.key, roleName: inLang(role.name, lang),
    privilege: p.name, privilegeLabel: inLang(p.description, lang), form: formId(p.plugin),
    own: role.privileges.includes(p.name), inheritedFrom: from ? inLang(from.name, lang) : null,
  };
}

/** Titles of the plugins declaring privileges (the core's own privileges under a translated name). */
function pluginTitles(ctx: Ctx): Map<string, string> {
  const titles = new Map(admin(ctx).plugins(ctx.institution).map((p) => [p.id, p.title?.[ctx.language] ?? p.id]));
  titles.set('core', ctx.t('admin:matrix.corePlugin'));
  return titles;
}

/** The whole matrix: roles in hierarchy order, privileges grouped by plugin (the core first, then by title). */
async function buildMatrix(ctx: Ctx): Promise<{ roles: RoleNode[]; groups: MatrixGroup[] }> {
  const roles = hierarchyOrder(await rolesOf(ctx).list(ctx.institution.id));
  const byKey = new Map<string, RoleInfo>(roles.map((r) => [r.key, r]));
  const titles = pluginTitles(ctx);
  const byPlugin = new Map<string, PermissionInfo[]>();
  for (const p of ctx.resolve(coreServices.permissions).all()) byPlugin.set(p.plugin, [...(byPlugin.get(p.plugin) ?? []), p]);
  const groups = [...byPlugin].map(([plugin, perms]) => ({
    plugin, title: titles.get(plugin) ?? plugin, form: formId(plugin),
    rows: perms.sort((a, b) => a.name.localeCompare(b.name)).map((p) => ({
      name: p.name, description: inLang(p.description, ctx.language), cells: roles.map((r) => cellOf(byKey, r, p, ctx.language)),
    })),
  }));
  groups.sort((a, b) => (a.plugin === 'core' ? -1 : b.plugin === 'core' ? 1 : a.title.localeCompare(b.title, ctx.language)));
  return { roles, groups };
}

async function showMatrix(ctx: Ctx, status: number, error: string | null = null) {
  const { roles, groups } = await buildMatrix(ctx);
  await renderWithStatus(ctx, status, 'admin/matrix', {
    title: ctx.t('admin:matrix.title'), error,
    roles: roles.map((r) => ({ key: r.key, name: inLang(r.name, ctx.language), depth: r.depth, parent: r.parent })),
    groups,
  });
}

/**
 * The cell of `role` × `privilege` as stored now, and the cells of the roles below it (whose
 * inherited state follows it); or why there is none (unknown role: 404, unknown privilege: 422).
 */
async function currentCells(ctx: Ctx, role: string, privilege: string): Promise<{ cell: MatrixCell; below: MatrixCell[] } | { status: number; error: string }> {
  const p = ctx.resolve(coreServices.permissions).all().find((x) => x.name === privilege);
  if (!p) return { status: 422, error: ctx.t('admin:matrix.errors.unknownPrivilege', { privilege: privilege.slice(0, 120) }) };
  const all = await rolesOf(ctx).list(ctx.institution.id);
  const byKey = new Map(all.map((r) => [r.key, r]));
  const r = byKey.get(role);
  if (!r) return { status: 404, error: ctx.t('admin:matrix.errors.unknownRole') };
  const below = descendants(all, role);
  return { cell: cellOf(byKey, r, p, ctx.language), below: all.filter((x) => x.key !== role && below.has(x.key)).map((x) => cellOf(byKey, x, p, ctx.language)) };
}

interface Toggled { cell: MatrixCell | null; below: MatrixCell[]; status: number; error: string | null; granted: boolean }

/**
 * Grant or revoke one privilege as the checkbox now says (`grant` holds the checked values of the
 * group's form). Returns the cell as stored afterwards (with the cells of the roles below, whose
 * inherited state may have changed), and an error with its status when refused.
 */
async function toggle(ctx: Ctx): Promise<Toggled> {
  const role = field(ctx.body, 'role');
  const privilege = field(ctx.body, 'privilege');
  const granted = fields(ctx.body, 'grant').includes(cellValue(role, privilege));
  const before = await currentCells(ctx, role, privilege);
  if (!('cell' in before)) return { cell: null, below: [], status: before.status, error: before.error, granted };
  const c = before.cell;
  // the box was disabled when the page was built, or the hierarchy changed since: the page is stale
  if (!c.own && c.inheritedFrom && !granted) {
    return { ...before, status: 409, error: ctx.t('admin:matrix.errors.inherited', { role: c.roleName, parent: c.inheritedFrom }), granted };
  }
  if (c.own === granted) return { ...before, status: 200, error: null, granted };
  const refused = granted ? null : await lockout(ctx, role, privilege);
  if (refused) return { ...before, status: 409, error: refused, granted };
  try {
    await rolesOf(ctx).setPrivilege(ctx, role, privilege, granted);
  } catch (e) {
    const status = [400, 404, 409, 422].find((s) => hasStatus(e, s));
    if (!status) throw e;
    return { ...before, status: status === 400 ? 422 : status, error: ctx.t('admin:matrix.errors.refused', { reason: reason(e) }), granted };
  }
  const after = await currentCells(ctx, role, privilege);
  return 'cell' in after ? { ...after, status: 200, error: null, granted } : { cell: { ...c, own: granted }, below: [], status: 200, error: null, granted };
}

/** `/admin/roles/matrix`: roles × privileges, one checkbox per cell, saved as it is ticked. */
export function registerMatrix(r: RegisterApi) {
  r.route({ method: 'GET', path: '/admin/roles/matrix', permission: 'admin:roles.manage', handler: (ctx) => showMatrix(ctx, 200) });

  // htmx: one cell, answered with the cell as stored (4xx with the reason when refused), plus the
  // cells of the roles below it out of band (what they inherit changed); focus stays on the
  // checkbox because the new one has the same id. Without htmx: back to the page.
  r.route({
    method: 'POST',
    path: '/admin/roles/matrix/cell',
    permission: 'admin:roles.manage',
    async handler(ctx) {
      const { cell, below, status, error, granted } = await toggle(ctx);
      const done = !error && cell ? ctx.t(granted ? 'admin:matrix.granted' : 'admin:matrix.revoked', { role: cell.roleName, privilege: cell.privilegeLabel }) : null;
      if (ctx.htmx) {
        if (!cell) return renderWithStatus(ctx, status, 'admin/matrix-error', { error });
        return renderWithStatus(ctx, status, 'admin/matrix-toggle', { c: cell, below, error, done });
      }
      ctx.flash(error ? 'error' : 'success', error ?? done!);
      seeOther(ctx, '/admin/roles/matrix');
    },
  });

  // Without JavaScript: one plugin group's form. Only the cells whose box changed since the page
  // was built (`had` lists what was ticked then) are saved, so that another administrator's
  // changes to other cells of the group meanwhile are not undone.
  r.route({
    method: 'POST',
    path: '/admin/roles/matrix',
    permission: 'admin:roles.manage',
    async handler(ctx) {
      const plugin = field(ctx.body, 'plugin');
      const { groups } = await buildMatrix(ctx);
      const group = groups.find((g) => g.plugin === plugin);
      if (!group) return showMatrix(ctx, 422, ctx.t('admin:matrix.errors.unknownGroup'));
      const cells = new Map(group.rows.flatMap((row) => row.cells).map((c) => [c.value, c]));
      const grant = new Set(fields(ctx.body, 'grant'));
      const had = new Set(fields(ctx.body, 'had'));
      const unknown = [...grant, ...had].find((v) => !cells.has(v));
      if (unknown) return showMatrix(ctx, 422, ctx.t('admin:matrix.errors.unknownPrivilege', { privilege: unknown.split('/').slice(1).join('/').slice(0, 120) }));
      const todo = [...cells.values()].filter((c) => {
        const want = grant.has(c.value);
        return want !== had.has(c.value) && want !== c.own && !(!c.own && c.inheritedFrom);
      });
      for (const c of todo) {
        const refused = c.own ? await lockout(ctx, c.role, c.privilege) : null;
        if (refused) return showMatrix(ctx, 409, refused);
      }
      let changes = 0;
      for (const c of todo) {
        await rolesOf(ctx).setPrivilege(ctx, c.role, c.privilege, !c.own);
        changes++;
      }
      ctx.flash('success', ctx.t('admin:matrix.savedGroup', { plugin: group.title, changes }));
      seeOther(ctx, `/admin/roles/matrix#group-${group.plugin}`);
    },
  });
}
