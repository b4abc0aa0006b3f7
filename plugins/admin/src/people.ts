import { applyTable, coreServices, defineTable, parseTableState, renderTable } from '@smile/sdk';
import type { Bilingual, Person, RegisterApi, RoleInfo, TableSpec } from '@smile/sdk';
import { field, fields, hasStatus, identityOf, inLang, notFound, reason, renderWithStatus, rolesOf, seeOther, type Ctx } from './common.js';
import { bilingual } from './strings.js';

/** A row of the people list, as the base query selects it. */
interface PersonRow {
  id: number;
  display_name: string;
  email: string | null;
  role_keys: string;
  last_sign_in_at: Date | null;
  role_filter: string | null;
}

/**
 * The people list. Defined per request because the role filter offers this institution's roles
 * (`defineTable` only checks the spec: cheap).
 */
export function peopleTable(roles: readonly RoleInfo[]): TableSpec<PersonRow> {
  const names = new Map<string, Bilingual>(roles.map((r) => [r.key, r.name]));
  return defineTable<PersonRow>({
    id: 'admin-people',
    caption: bilingual('people.caption'),
    columns: [
      { key: 'display_name', label: bilingual('people.col.name'), sortable: true, href: (row) => `/admin/people/${row.id}` },
      { key: 'email', label: bilingual('people.col.email'), sortable: true },
      {
        key: 'role_keys', label: bilingual('people.col.roles'),
        format: (v, _row, lang) => String(v ?? '').split(',').filter(Boolean).map((k) => (names.has(k) ? inLang(names.get(k)!, lang) : k)).join(', '),
      },
      { key: 'last_sign_in_at', label: bilingual('people.col.lastSignIn'), type: 'datetime', sortable: true, firstDir: 'desc' },
    ],
    // the base query answers `role_filter` with the chosen role for the people holding it (see list())
    filters: roles.length ? [{ key: 'role', label: bilingual('people.roleFilter'), type: 'select', sql: 'role_filter', options: roles.map((r) => ({ value: r.key, label: r.name })) }] : [],
    search: { columns: ['display_name', 'email'] },
    defaultSort: { key: 'display_name' },
    uniqueKey: 'id',
  });
}

async function list(ctx: Ctx) {
  const roles = await rolesOf(ctx).list(ctx.institution.id);
  const spec = peopleTable(roles);
  const state = parseTableState(spec, ctx.query);
  const k = ctx.db.knex;
  const inst = ctx.institution.id;
  // persons is platform-wide: it is only reached through this institution's institution_people
  const base = ctx.db.table('institution_people as ip')
    .join('persons as p', 'p.id', 'ip.person_id')
    .select('p.id', 'p.display_name', 'p.email', 'ip.last_sign_in_at')
    .select(k.raw(
      `coalesce((select string_agg(distinct r.key, ',' order by r.key) from role_assignments ra join roles r on r.id = ra.role_id
        where ra.institution_id = ? and ra.person_id = p.id), '') as role_keys`, [inst]));
  // The table's select filter compares a column with the chosen value: the column is the chosen
  // role itself, selected only for the people who hold it.
  const role = state.filters.role;
  if (role) {
    base.select(k.raw('?::text as role_filter', [role])).whereExists((q) => q.select(k.raw('1')).from('role_assignments as ra').join('roles as r', 'r.id', 'ra.role_id')
      .where('ra.institution_id', inst).whereRaw('ra.person_id = p.id').where('r.key', role));
  } else base.select(k.raw('null::text as role_filter'));
  const table = await applyTable(base, spec, state);
  await renderTable(ctx, { view: 'admin/people', table, baseUrl: '/admin/people', locals: { title: ctx.t('admin:people.title') } });
}

/** The person, if this institution knows them (signed in here, invited, or given a role here); else 404. */
async function findPerson(ctx: Ctx): Promise<{ person: Person; seen: { first_seen_at: Date | null; last_sign_in_at: Date | null } | null }> {
  const raw = String(ctx.params.id ?? '');
  if (!/^[1-9][0-9]{0,9}$/.test(raw) || Number(raw) > 2_147_483_647) throw notFound('person');
  const id = Number(raw);
  const seen = await ctx.db.table('institution_people').where({ person_id: id }).first('first_seen_at', 'last_sign_in_at');
  if (!seen && !(await ctx.db.table('role_assignments').where({ person_id: id }).first('id'))) throw notFound('person');
  const person = await identityOf(ctx).person(id);
  if (!person) throw notFound('person');
  return { person, seen: seen ?? null };
}

interface AddForm { role: string; components: string[] }

interface PersonPageState { add?: AddForm; errors?: Record<string, string>; refusal?: string | null }

async function showPerson(ctx: Ctx, status: number, { add = { role: '', components: [] }, errors = {}, refusal = null }: PersonPageState = {}) {
  const { person, seen } = await findPerson(ctx);
  const roles = rolesOf(ctx);
  const inst = ctx.institution.id;
  const [all, comps, rules, assignments, attributes, identities] = await Promise.all([
    roles.list(inst), roles.components(inst), roles.rules(inst), roles.assignments(inst, person.id), identityOf(ctx).lastAttributes(person.id),
    ctx.db.knex('person_identities').where({ person_id: person.id }).select('provider', 'issuer', 'created_at', 'last_sign_in_at').orderByRaw('last_sign_in_at desc nulls last, id'),
  ]);
  const roleNames = new Map(all.map((r) => [r.key, inLang(r.name, ctx.language)]));
  const compNames = new Map(comps.map((c) => [c.code, inLang(c.name, ctx.language)]));
  const ruleNames = new Map(rules.map((r) => [r.id, r.name]));
  await renderWithStatus(ctx, status, 'admin/person', {
    title: person.displayName,
    person, seen,
    identities: identities.map((i: any) => ({ provider: i.provider, issuer: i.issuer, createdAt: i.created_at, lastSignInAt: i.last_sign_in_at })),
    attributes: Object.entries(attributes).sort(([a], [b]) => a.localeCompare(b)).map(([name, values]) => ({ name, values })),
    assignments: assignments.map((a) => ({
      id: a.id, role: roleNames.get(a.role) ?? a.role, source: a.source,
      scope: a.components.length ? a.components.map((c) => compNames.get(c) ?? c).join(', ') : null,
      rule: a.ruleId !== null ? (ruleNames.get(a.ruleId) ?? `#${a.ruleId}`) : null,
    })),
    roles: all.map((r) => ({ value: r.key, label: `${roleNames.get(r.key)} (${r.key})` })),
    components: comps.map((c) => ({ code: c.code, name: inLang(c.name, ctx.language) })),
    add, errors, refusal,
  });
}

/** `/admin/people`: the institution's people; a person's page shows their identities and roles. */
export function registerPeople(r: RegisterApi) {
  r.route({ method: 'GET', path: '/admin/people', permission: 'admin:people.manage', handler: list });
  r.route({ method: 'GET', path: '/admin/people/:id', permission: 'admin:people.manage', handler: (ctx) => showPerson(ctx, 200) });

  r.route({
    method: 'POST',
    path: '/admin/people/:id/roles',
    permission: 'admin:people.manage',
    async handler(ctx) {
      const { person } = await findPerson(ctx);
      const add: AddForm = { role: field(ctx.body, 'role'), components: [...new Set(fields(ctx.body, 'components'))].sort() };
      const roles = rolesOf(ctx);
      const inst = ctx.institution.id;
      const errors: Record<string, string> = {};
      const all = await roles.list(inst);
      const known = new Set((await roles.components(inst)).map((c) => c.code));
      if (!add.role) errors.role = ctx.t('admin:people.errors.chooseRole');
      else if (!all.some((x) => x.key === add.role)) errors.role = ctx.t('admin:people.errors.unknownRole');
      const unknown = add.components.filter((c) => !known.has(c));
      if (unknown.length) errors.components = ctx.t('admin:people.errors.unknownComponents', { codes: unknown.join(', ').slice(0, 200) });
      if (!errors.role && !errors.components) {
        const same = (await roles.assignments(inst, person.id)).find((a) => a.source === 'manual' && a.role === add.role && [...a.components].sort().join('\n') === add.components.join('\n'));
        if (same) errors.role = ctx.t('admin:people.errors.alreadyHeld');
      }
      if (Object.keys(errors).length) return showPerson(ctx, 422, { add, errors });
      try {
        await roles.assign(ctx, person.id, add.role, add.components);
      } catch (e) {
        if (!(hasStatus(e, 400) || hasStatus(e, 409) || hasStatus(e, 422))) throw e;
        return showPerson(ctx, 422, { add, errors: { role: ctx.t('admin:people.errors.refused', { reason: reason(e) }) } });
      }
      const roleName = inLang(all.find((x) => x.key === add.role)!.name, ctx.language);
      ctx.flash('success', ctx.t('admin:people.assigned', { role: roleName, person: person.displayName }));
      seeOther(ctx, `/admin/people/${person.id}#roles`);
    },
  });

  r.route({
    method: 'POST',
    path: '/admin/people/:id/roles/:assignment/delete',
    permission: 'admin:people.manage',
    async handler(ctx) {
      const { person } = await findPerson(ctx);
      const roles = rolesOf(ctx);
      const a = (await roles.assignments(ctx.institution.id, person.id)).find((x) => String(x.id) === String(ctx.params.assignment ?? ''));
      if (!a) throw notFound('role assignment');
      const all = await roles.list(ctx.institution.id);
      const roleName = inLang(all.find((x) => x.key === a.role)?.name ?? { fr: a.role, en: a.role }, ctx.language);
      if (a.source === 'rule') {
        // the next sign-in would give it back: the rule is what must change
        const rule = (await roles.rules(ctx.institution.id)).find((x) => x.id === a.ruleId);
        return showPerson(ctx, 409, { refusal: ctx.t('admin:people.errors.ruleAssignment', { role: roleName, rule: rule?.name ?? `#${a.ruleId}` }) });
      }
      // taking from oneself the means to give it back would need another administrator
      if (person.id === ctx.principal.personId) {
        const others = (await roles.assignments(ctx.institution.id, person.id)).filter((x) => x.id !== a.id);
        const still = await Promise.all(others.map(async (x) => (await roles.effectivePrivileges(ctx.institution.id, x.role)).has('admin:people.manage')));
        if (!still.includes(true)) return showPerson(ctx, 409, { refusal: ctx.t('admin:people.errors.selfLockout', { role: roleName }) });
      }
      await roles.unassign(ctx, a.id);
      ctx.flash('success', ctx.t('admin:people.unassigned', { role: roleName, person: person.displayName }));
      seeOther(ctx, `/admin/people/${person.id}#roles`);
    },
  });

  r.route({
    method: 'POST',
    path: '/admin/people/:id/sign-out',
    permission: 'admin:people.manage',
    async handler(ctx) {
      const { person } = await findPerson(ctx);
      const n = await identityOf(ctx).signOutEverywhere(person.id);
      // the core ends the sessions without a trace: who did it belongs in the log
      await ctx.resolve(coreServices.audit).record(ctx, { action: 'admin.person.signed-out-everywhere', targetType: 'person', targetId: person.id, detail: { sessions: n } });
      ctx.flash('success', ctx.t('admin:people.signedOut', { person: person.displayName, n }));
      seeOther(ctx, `/admin/people/${person.id}`);
    },
  });
}
