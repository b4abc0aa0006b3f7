import { createHash } from 'node:crypto';
import type { RegisterApi, RoleInfo } from '@smile/sdk';
import {
  descendants, field, hasStatus, hierarchyOrder, inLang, isUniqueViolation, notFound, reason, renderWithStatus, rolesOf, seeOther, type Ctx,
} from './common.js';

/** Keys of custom roles: lower-case words joined by hyphens. `new` and `matrix` are page paths. */
export const ROLE_KEY = /^[a-z][a-z0-9]*(-[a-z0-9]+)*$/;
const RESERVED_KEYS = new Set(['new', 'matrix']);
const MAX_NAME = 200;

export const ROLE_FIELDS = ['key', 'nameFr', 'nameEn', 'parent', 'externalAccess'] as const;
export type RoleField = (typeof ROLE_FIELDS)[number];
export type RoleValues = Record<RoleField, string>;
type Errors = Partial<Record<RoleField | 'form', string>>;

/**
 * The version of a role as its edit form saw it: a digest of what the form edits. Comparing it
 * before saving refuses an edit made on a stale form (409) without relying on the core to bump
 * `updated_at`; a change that was undone in between is not a conflict, which is harmless.
 */
export function roleVersion(r: Pick<RoleInfo, 'name' | 'parent' | 'externalAccess'>): string {
  return createHash('sha256').update(JSON.stringify([r.name.fr, r.name.en, r.parent, r.externalAccess])).digest('base64url').slice(0, 22);
}

const valuesOf = (r: RoleInfo): RoleValues => ({
  key: r.key, nameFr: r.name.fr, nameEn: r.name.en, parent: r.parent ?? '', externalAccess: r.externalAccess ? '1' : '',
});

function valuesFrom(body: unknown): RoleValues {
  const v = Object.fromEntries(ROLE_FIELDS.map((k) => [k, field(body, k)])) as RoleValues;
  v.key = v.key.toLowerCase();
  v.externalAccess = v.externalAccess ? '1' : '';
  return v;
}

/** Check the form against the institution's roles; `editing` is the key of the role being edited. */
export function validateRole(v: RoleValues, all: readonly RoleInfo[], editing: string | null, t: Ctx['t']): Errors {
  const errors: Errors = {};
  if (editing === null) {
    if (!v.key) errors.key = t('admin:roles.errors.required');
    else if (v.key.length < 2 || v.key.length > 50 || !ROLE_KEY.test(v.key) || RESERVED_KEYS.has(v.key)) errors.key = t('admin:roles.errors.key');
    else if (all.some((r) => r.key === v.key)) errors.key = t('admin:roles.errors.keyTaken');
  }
  for (const k of ['nameFr', 'nameEn'] as const) {
    if (!v[k]) errors[k] = t('admin:roles.errors.required');
    else if (v[k].length > MAX_NAME) errors[k] = t('admin:roles.errors.tooLong', { max: MAX_NAME });
  }
  if (v.parent) {
    if (!all.some((r) => r.key === v.parent)) errors.parent = t('admin:roles.errors.unknownParent');
    // a role below itself would inherit from itself: the hierarchy must stay a tree
    else if (editing !== null && descendants(all, editing).has(v.parent)) errors.parent = t('admin:roles.errors.cycle');
  }
  return errors;
}

interface FormState {
  values: RoleValues;
  errors?: Errors;
  version?: string;
  conflict?: { label: string; value: string }[] | null;
}

async function showForm(ctx: Ctx, status: number, all: RoleInfo[], editing: RoleInfo | null, s: FormState) {
  const below = editing ? descendants(all, editing.key) : new Set<string>();
  const parents = hierarchyOrder(all).filter((r) => !below.has(r.key)).map((r) => ({ value: r.key, label: `${'— '.repeat(r.depth)}${inLang(r.name, ctx.language)} (${r.key})` }));
  await renderWithStatus(ctx, status, 'admin/role-form', {
    title: editing ? ctx.t('admin:roles.editTitle', { role: inLang(editing.name, ctx.language) }) : ctx.t('admin:roles.newTitle'),
    editing: editing ? { key: editing.key, system: editing.system } : null,
    parents, values: s.values, errors: s.errors ?? {}, version: s.version ?? '', conflict: s.conflict ?? null,
  });
}

async function findRole(ctx: Ctx): Promise<{ all: RoleInfo[]; role: RoleInfo }> {
  const key = String(ctx.params.key ?? '');
  const all = await rolesOf(ctx).list(ctx.institution.id);
  const role = ROLE_KEY.test(key) ? all.find((r) => r.key === key) : undefined;
  if (!role) throw notFound('role');
  return { all, role };
}

/** Why the role cannot be deleted, in the page language, or null. */
async function deleteRefusal(ctx: Ctx, all: RoleInfo[], role: RoleInfo): Promise<string | null> {
  const name = inLang(role.name, ctx.language);
  if (role.system) return ctx.t('admin:roles.errors.deleteSystem', { role: name });
  if (role.userCount > 0) return ctx.t('admin:roles.errors.deleteInUse', { role: name, n: role.userCount });
  const children = all.filter((r) => r.parent === role.key).map((r) => inLang(r.name, ctx.language));
  if (children.length) return ctx.t('admin:roles.errors.deleteParent', { role: name, roles: children.join(', ') });
  const rules = (await rolesOf(ctx).rules(ctx.institution.id)).filter((r) => r.role === role.key).map((r) => r.name);
  if (rules.length) return ctx.t('admin:roles.errors.deleteRules', { role: name, rules: rules.join(', ') });
  return null;
}

/** The list of roles; `error` explains a refused deletion (status 409). */
async function showList(ctx: Ctx, status: number, error: string | null) {
  const all = await rolesOf(ctx).list(ctx.institution.id);
  const names = new Map(all.map((x) => [x.key, inLang(x.name, ctx.language)]));
  const other = ctx.language === 'fr' ? 'en' : 'fr';
  const rows = hierarchyOrder(all).map((x) => ({
    key: x.key, depth: x.depth, name: inLang(x.name, ctx.language), otherName: x.name[other], otherLang: other,
    parent: x.parent === null ? null : (names.get(x.parent) ?? x.parent), userCount: x.userCount, externalAccess: x.externalAccess, system: x.system,
  }));
  await renderWithStatus(ctx, status, 'admin/roles', { title: ctx.t('admin:roles.title'), rows, error });
}

/** `/admin/roles`: the institution's roles; create, edit and delete custom ones. */
export function registerRoles(r: RegisterApi) {
  r.route({ method: 'GET', path: '/admin/roles', permission: 'admin:roles.manage', handler: (ctx) => showList(ctx, 200, null) });

  r.route({
    method: 'GET',
    path: '/admin/roles/new',
    permission: 'admin:roles.manage',
    async handler(ctx) {
      const all = await rolesOf(ctx).list(ctx.institution.id);
      await showForm(ctx, 200, all, null, { values: { key: '', nameFr: '', nameEn: '', parent: all.some((x) => x.key === 'standard') ? 'standard' : '', externalAccess: '' } });
    },
  });

  r.route({
    method: 'POST',
    path: '/admin/roles',
    permission: 'admin:roles.manage',
    async handler(ctx) {
      const roles = rolesOf(ctx);
      const all = await roles.list(ctx.institution.id);
      const values = valuesFrom(ctx.body);
      const errors = validateRole(values, all, null, ctx.t);
      if (Object.keys(errors).length) return showForm(ctx, 422, all, null, { values, errors });
      try {
        await roles.createRole(ctx, { key: values.key, name: { fr: values.nameFr, en: values.nameEn }, parent: values.parent || null, externalAccess: values.externalAccess === '1' });
      } catch (e) {
        // created meanwhile by someone else, or refused by the core: say so next to the form
        if (isUniqueViolation(e) || hasStatus(e, 409)) return showForm(ctx, 422, all, null, { values, errors: { key: ctx.t('admin:roles.errors.keyTaken') } });
        if (hasStatus(e, 400) || hasStatus(e, 422)) return showForm(ctx, 422, all, null, { values, errors: { form: ctx.t('admin:roles.errors.refused', { reason: reason(e) }) } });
        throw e;
      }
      ctx.flash('success', ctx.t('admin:roles.created', { role: values[ctx.language === 'fr' ? 'nameFr' : 'nameEn'] }));
      seeOther(ctx, `/admin/roles#role-${values.key}`);
    },
  });

  r.route({
    method: 'GET',
    path: '/admin/roles/:key',
    permission: 'admin:roles.manage',
    async handler(ctx) {
      const { all, role } = await findRole(ctx);
      await showForm(ctx, 200, all, role, { values: valuesOf(role), version: roleVersion(role) });
    },
  });

  r.route({
    method: 'POST',
    path: '/admin/roles/:key',
    permission: 'admin:roles.manage',
    async handler(ctx) {
      const { all, role } = await findRole(ctx);
      const values = { ...valuesFrom(ctx.body), key: role.key };
      const version = field(ctx.body, 'version');
      const errors = validateRole(values, all, role.key, ctx.t);
      if (Object.keys(errors).length) return showForm(ctx, 422, all, role, { values, errors, version });
      if (version !== roleVersion(role)) {
        // Someone saved this role meanwhile: keep what this person typed, show what is stored now,
        // and give the form the current version so that sending it again deliberately overwrites.
        const stored = valuesOf(role);
        const shown = (k: RoleField, v: string) => (k === 'externalAccess' ? ctx.t(v ? 'admin:common.yes' : 'admin:common.no') : v);
        const conflict = (['nameFr', 'nameEn', 'parent', 'externalAccess'] as const).filter((k) => stored[k] !== values[k])
          .map((k) => ({ label: ctx.t(`admin:roles.fields.${k}`), value: shown(k, stored[k]) }));
        return showForm(ctx, 409, all, role, { values, version: roleVersion(role), conflict });
      }
      try {
        await rolesOf(ctx).updateRole(ctx, role.key, { name: { fr: values.nameFr, en: values.nameEn }, parent: values.parent || null, externalAccess: values.externalAccess === '1' });
      } catch (e) {
        if (hasStatus(e, 400) || hasStatus(e, 409) || hasStatus(e, 422)) {
          return showForm(ctx, 422, all, role, { values, version, errors: { form: ctx.t('admin:roles.errors.refused', { reason: reason(e) }) } });
        }
        throw e;
      }
      ctx.flash('success', ctx.t('admin:roles.saved', { role: values[ctx.language === 'fr' ? 'nameFr' : 'nameEn'] }));
      seeOther(ctx, `/admin/roles#role-${role.key}`);
    },
  });

  r.route({
    method: 'POST',
    path: '/admin/roles/:key/delete',
    permission: 'admin:roles.manage',
    async handler(ctx) {
      const { all, role } = await findRole(ctx);
      let error = await deleteRefusal(ctx, all, role);
      if (!error) {
        try {
          await rolesOf(ctx).deleteRole(ctx, role.key);
        } catch (e) {
          if (!(hasStatus(e, 400) || hasStatus(e, 409) || hasStatus(e, 422))) throw e;
          error = ctx.t('admin:roles.errors.refused', { reason: reason(e) });
        }
      }
      if (error) return showList(ctx, 409, error);
      ctx.flash('success', ctx.t('admin:roles.deleted', { role: inLang(role.name, ctx.language) }));
      seeOther(ctx, '/admin/roles');
    },
  });
}
