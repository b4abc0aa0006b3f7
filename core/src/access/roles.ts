import type { Knex } from 'knex';
import { SmileError, ErrorCodes } from '@smile/sdk';
import type { AuditActor, AuditLog, Bilingual, PermissionInfo, RequestContext, RoleAssignment, RoleInfo, RoleRule, Roles } from '@smile/sdk';
import { SEED_ROLES, evaluateRules, ruleProblems } from './rules.js';
import { actorOf } from './audit.js';
import type { Invalidations } from '../db/invalidations.js';

type Actor = RequestContext | AuditActor;
interface RoleRow { id: number; key: string; name_fr: string; name_en: string; parent_id: number | null; external_access: boolean; system: boolean; updated_at: Date }
interface Snapshot {
  at: number;
  roles: RoleRow[];
  byId: Map<number, RoleRow>;
  byKey: Map<string, RoleRow>;
  /** Own privileges per role id. */
  own: Map<number, Set<string>>;
  /** Own + ancestors' privileges per role id. */
  effective: Map<number, Set<string>>;
  /** Permission sets shared by principals with the same assignments (navigation caches key on them). */
  principals: Map<string, { permissions: Set<string>; scoped: Map<string, Set<string>> | undefined; roles: string[] }>;
}

/** Rule outcomes computed before the sign-in transaction opens. */
export interface PreparedRules {
  given: Array<{ role: string; components: string[]; ruleId: number; ruleName: string }>;
  s: Snapshot;
}

const KEY = /^[a-z][a-z0-9-]{1,49}$/;
const invalid = (msg: string, field?: string) => {
  const e = new SmileError(ErrorCodes.VALIDATION, msg, { status: 422 });
  if (field) (e as any).field = field;
  return e;
};

/**
 * Roles, privileges and assignments. Each institution's roles and privileges are held in a
 * snapshot, each person's assignments beside it (every signed-in request needs them). A change
 * anywhere is announced (`roles`, `assignments`: see {@link Invalidations}) and every process drops
 * what it held; while the announcements cannot be heard, what is held is at most `ttlMs` old.
 */
export class RolesService implements Roles {
  private snapshots = new Map<number, Snapshot>();
  /** Each person's assignments per institution (`institution:person`), as old as the snapshots may be. */
  private assigned = new Map<string, { rows: { role_id: number; components: string[] }[]; at: number }>();

  /**
   * `bus`: announcements of changes made by other processes (while it is live, what is held here is
   * current); `ttlMs`: how old a snapshot may be when it is not.
   */
  constructor(
    private knex: Knex, private audit: AuditLog, private permissions: () => PermissionInfo[], private schacCode: (institutionId: number) => Promise<string | null>,
    private ttlMs: number, private bus: Invalidations,
  ) {
    bus.on('roles', (inst) => this.invalidate(Number(inst)));
    bus.on('assignments', (key) => this.assigned.delete(key));
    bus.onReset(() => {
      this.snapshots.clear();
      this.assigned.clear();
    });
  }

  /** Drop this process's snapshot of an institution (and its people's assignments). */
  invalidate(institutionId: number) {
    this.snapshots.delete(institutionId);
    for (const k of this.assigned.keys()) if (k.startsWith(`${institutionId}:`)) this.assigned.delete(k);
  }

  /** Roles or privileges of an institution changed: every process drops its snapshot. */
  private async changed(institutionId: number) {
    await this.bus.announce(this.knex, 'roles', String(institutionId));
  }

  /** How old what is held may be: as long as announcements arrive, until one says it changed. */
  private get maxAge() {
    return this.bus.live ? Number.POSITIVE_INFINITY : this.ttlMs;
  }

  /**
   * Forget a person's assignments in every process: at once here, and again once `trx` (if any) has
   * ended (a request reading them between the change and the commit would otherwise keep the old
   * ones); other processes hear it at commit.
   */
  private async forget(institutionId: number, personId: number, trx?: Knex.Transaction) {
    const key = `${institutionId}:${personId}`;
    const ended = (trx as { executionPromise?: Promise<unknown> } | undefined)?.executionPromise;
    if (ended) void ended.then(() => this.assigned.delete(key), () => this.assigned.delete(key));
    await this.bus.announce(trx ?? this.knex, 'assignments', key);
  }

  /** A person's assignments: read once per person, then kept as long as a snapshot (a change here forgets them). */
  private async assignmentRows(institutionId: number, personId: number): Promise<{ role_id: number; components: string[] }[]> {
    const key = `${institutionId}:${personId}`;
    const hit = this.assigned.get(key);
    if (hit && Date.now() - hit.at < this.maxAge) return hit.rows;
    const rows = (await this.knex('role_assignments').where({ institution_id: institutionId, person_id: personId }).select('role_id', 'components')) as { role_id: number; components: string[] }[];
    if (this.assigned.size >= 50_000) this.assigned.clear();
    this.assigned.set(key, { rows, at: Date.now() });
    return rows;
  }

  /**
   * Seed the roles of an institution that has none, and give each declared privilege not seen
   * before to its default roles. Run at boot and when an institution is created.
   */
  async sync(institutionId: number): Promise<void> {
    await this.knex.transaction(async (trx) => {
      const existing = await trx('roles').where({ institution_id: institutionId }).select('id', 'key');
      if (existing.length === 0) {
        const ids = new Map<string, number>();
        for (const r of SEED_ROLES) {
          const [row] = await trx('roles')
            .insert({ institution_id: institutionId, key: r.key, name_fr: r.fr, name_en: r.en, parent_id: r.parent ? ids.get(r.parent) : null, external_access: r.external, system: true })
            .returning('id');
          ids.set(r.key, row.id);
          existing.push({ id: row.id, key: r.key });
        }
      }
      const done = new Set((await trx('privilege_defaults').where({ institution_id: institutionId }).pluck('privilege')) as string[]);
      const roleId = new Map(existing.map((r: { id: number; key: string }) => [r.key, r.id]));
      const fresh = this.permissions().filter((p) => !done.has(p.name));
      if (fresh.length === 0) return;
      const grants = fresh.flatMap((p) => p.defaultRoles.filter((k) => roleId.has(k)).map((k) => ({ institution_id: institutionId, role_id: roleId.get(k), privilege: p.name })));
      if (grants.length) await trx('role_privileges').insert(grants).onConflict(['role_id', 'privilege']).ignore();
      await trx('privilege_defaults').insert(fresh.map((p) => ({ institution_id: institutionId, privilege: p.name }))).onConflict(['institution_id', 'privilege']).ignore();
    });
    await this.changed(institutionId);
  }

  private async snapshot(institutionId: number): Promise<Snapshot> {
    const cached = this.snapshots.get(institutionId);
    if (cached && Date.now() - cached.at < this.maxAge) return cached;
    const roles = (await this.knex('roles').where({ institution_id: institutionId }).orderBy('id')) as RoleRow[];
    const privs = (await this.knex('role_privileges').where({ institution_id: institutionId }).select('role_id', 'privilege')) as { role_id: number; privilege: string }[];
    const own = new Map<number, Set<string>>(roles.map((r) => [r.id, new Set<string>()]));
    for (const p of privs) own.get(p.role_id)?.add(p.privilege);
    const byId = new Map(roles.map((r) => [r.id, r]));
    const effective = new Map<number, Set<string>>();
    for (const r of roles) {
      const set = new Set<string>();
      const seen = new Set<number>();
      for (let cur: RoleRow | undefined = r; cur && !seen.has(cur.id); cur = cur.parent_id ? byId.get(cur.parent_id) : undefined) {
        seen.add(cur.id);
        for (const p of own.get(cur.id) ?? []) set.add(p);
      }
      effective.set(r.id, set);
    }
    const s: Snapshot = { at: Date.now(), roles, byId, byKey: new Map(roles.map((r) => [r.key, r])), own, effective, principals: new Map() };
    this.snapshots.set(institutionId, s);
    return s;
  }

  /** Roles in hierarchy order (each after its parent), for lists and the matrix. */
  private ordered(s: Snapshot): RoleRow[] {
    const out: RoleRow[] = [];
    const visit = (parent: number | null, depth: number) => {
      for (const r of s.roles.filter((x) => x.parent_id === parent || (parent === null && x.parent_id !== null && !s.byId.has(x.parent_id)))) {
        if (out.includes(r) || depth > 20) continue;
        out.push(r);
        visit(r.id, depth + 1);
      }
    };
    visit(null, 0);
    for (const r of s.roles) if (!out.includes(r)) out.push(r);
    return out;
  }

  async list(institutionId: number): Promise<RoleInfo[]> {
    const s = await this.snapshot(institutionId);
    const counts = new Map(
      ((await this.knex('role_assignments').where({ institution_id: institutionId }).groupBy('role_id').select('role_id').countDistinct({ n: 'person_id' })) as { role_id: number; n: number | string }[]).map((r) => [r.role_id, Number(r.n)]),
    );
    return this.ordered(s).map((r) => ({
      key: r.key, name: { fr: r.name_fr, en: r.name_en }, parent: r.parent_id ? s.byId.get(r.parent_id)?.key ?? null : null,
      externalAccess: r.external_access, system: r.system, privileges: [...(s.own.get(r.id) ?? [])].sort(), userCount: counts.get(r.id) ?? 0,
    }));
  }

  async effectivePrivileges(institutionId: number, role: string): Promise<Set<string>> {
    const s = await this.snapshot(institutionId);
    const r = s.byKey.get(role);
    return new Set(r ? s.effective.get(r.id) : []);
  }

  /**
   * The permissions of a person in an institution, from their assignments: a permission held through
   * any institution-wide role is unscoped; otherwise it is limited to the union of the components.
   */
  async principalFor(institutionId: number, personId: number): Promise<{ permissions: Set<string>; scoped: Map<string, Set<string>> | undefined; roles: string[] }> {
    const s = await this.snapshot(institutionId);
    const rows = await this.assignmentRows(institutionId, personId);
    const sig = rows.map((r) => `${r.role_id}:${[...r.components].sort().join(',')}`).sort().join('|');
    const hit = s.principals.get(sig);
    if (hit) return hit;
    const permissions = new Set<string>();
    const wide = new Set<string>();
    const limited = new Map<string, Set<string>>();
    for (const a of rows) {
      for (const p of s.effective.get(a.role_id) ?? []) {
        permissions.add(p);
        if (a.components.length === 0) wide.add(p);
        else for (const c of a.components) (limited.get(p) ?? limited.set(p, new Set()).get(p)!).add(c);
      }
    }
    for (const p of wide) limited.delete(p);
    const v = {
      permissions: Object.freeze(permissions) as Set<string>,
      scoped: limited.size ? limited : undefined,
      roles: [...new Set(rows.map((r) => s.byId.get(r.role_id)?.key).filter((k): k is string => !!k))],
    };
    if (s.principals.size < 5000) s.principals.set(sig, v);
    return v;
  }

  private async role(institutionId: number, key: string): Promise<RoleRow> {
    const r = (await this.snapshot(institutionId)).byKey.get(key);
    if (!r) throw invalid(`unknown role "${key}"`, 'role');
    return r;
  }

  async setPrivilege(actor: Actor, role: string, privilege: string, granted: boolean): Promise<void> {
    const a = actorOf(actor);
    const inst = a.institutionId!;
    if (!this.permissions().some((p) => p.name === privilege)) throw invalid(`unknown privilege "${privilege}"`, 'privilege');
    const r = await this.role(inst, role);
    await this.knex.transaction(async (trx) => {
      const had = !!(await trx('role_privileges').where({ role_id: r.id, privilege }).first());
      if (had === granted) return;
      if (granted) await trx('role_privileges').insert({ institution_id: inst, role_id: r.id, privilege });
      else await trx('role_privileges').where({ role_id: r.id, privilege }).del();
      await trx('roles').where({ id: r.id }).update({ updated_at: trx.fn.now() });
      await this.audit.record(a, { action: granted ? 'core.role.privilege-granted' : 'core.role.privilege-revoked', targetType: 'role', targetId: role, before: { privilege, granted: had }, after: { privilege, granted } }, { trx });
    });
    await this.changed(inst);
  }

  private checkNames(name: Bilingual) {
    if (!name?.fr?.trim()) throw invalid('the French name is required', 'nameFr');
    if (!name?.en?.trim()) throw invalid('the English name is required', 'nameEn');
  }

  async createRole(actor: Actor, role: { key: string; name: Bilingual; parent: string | null; externalAccess: boolean }): Promise<void> {
    const a = actorOf(actor);
    const inst = a.institutionId!;
    if (!KEY.test(role.key)) throw invalid('the key must be 2 to 50 lower-case letters, digits or dashes, starting with a letter', 'key');
    this.checkNames(role.name);
    const s = await this.snapshot(inst);
    if (s.byKey.has(role.key)) throw invalid(`a role "${role.key}" already exists`, 'key');
    const parent = role.parent ? await this.role(inst, role.parent) : null;
    await this.knex.transaction(async (trx) => {
      const row = { institution_id: inst, key: role.key, name_fr: role.name.fr.trim(), name_en: role.name.en.trim(), parent_id: parent?.id ?? null, external_access: role.externalAccess, system: false };
      await trx('roles').insert(row);
      await this.audit.record(a, { action: 'core.role.created', targetType: 'role', targetId: role.key, after: { ...role } }, { trx });
    });
    await this.changed(inst);
  }

  async updateRole(actor: Actor, key: string, patch: { name?: Bilingual; parent?: string | null; externalAccess?: boolean }): Promise<void> {
    const a = actorOf(actor);
    const inst = a.institutionId!;
    const s = await this.snapshot(inst);
    const r = await this.role(inst, key);
    if (patch.name) this.checkNames(patch.name);
    let parentId = r.parent_id;
    if (patch.parent !== undefined) {
      parentId = patch.parent ? (await this.role(inst, patch.parent)).id : null;
      // a role cannot inherit from itself or from one of its descendants
      for (let cur = parentId; cur; cur = s.byId.get(cur)?.parent_id ?? null) {
        if (cur === r.id) throw invalid(`"${patch.parent}" inherits from "${key}": choose another parent`, 'parent');
      }
    }
    const before = { name: { fr: r.name_fr, en: r.name_en }, parent: r.parent_id ? s.byId.get(r.parent_id)?.key ?? null : null, externalAccess: r.external_access };
    const after = { name: patch.name ? { fr: patch.name.fr.trim(), en: patch.name.en.trim() } : before.name, parent: patch.parent !== undefined ? patch.parent : before.parent, externalAccess: patch.externalAccess ?? before.externalAccess };
    await this.knex.transaction(async (trx) => {
      await trx('roles').where({ id: r.id }).update({ name_fr: after.name.fr, name_en: after.name.en, parent_id: parentId, external_access: after.externalAccess, updated_at: trx.fn.now() });
      await this.audit.record(a, { action: 'core.role.updated', targetType: 'role', targetId: key, before, after }, { trx });
    });
    await this.changed(inst);
  }

  async deleteRole(actor: Actor, key: string): Promise<void> {
    const a = actorOf(actor);
    const inst = a.institutionId!;
    const r = await this.role(inst, key);
    if (r.system) throw invalid(`"${key}" is a seeded role: it can be renamed but not deleted`, 'key');
    await this.knex.transaction(async (trx) => {
      const used = await trx('role_assignments').where({ role_id: r.id }).first('id');
      if (used) throw invalid(`people hold "${key}": remove their assignments first`, 'key');
      const child = await trx('roles').where({ parent_id: r.id }).first('key');
      if (child) throw invalid(`"${child.key}" inherits from "${key}": change its parent first`, 'key');
      const rule = await trx('role_rules').where({ role_id: r.id }).first('name');
      if (rule) throw invalid(`the rule "${rule.name}" gives "${key}": change or delete it first`, 'key');
      await trx('roles').where({ id: r.id }).del();
      await this.audit.record(a, { action: 'core.role.deleted', targetType: 'role', targetId: key, before: { key, name: { fr: r.name_fr, en: r.name_en } } }, { trx });
    });
    await this.changed(inst);
  }

  async assignments(institutionId: number, personId: number): Promise<RoleAssignment[]> {
    const rows = await this.knex('role_assignments as a').join('roles as r', 'r.id', 'a.role_id')
      .where({ 'a.institution_id': institutionId, 'a.person_id': personId }).orderBy('a.id')
      .select('a.id', 'a.person_id', 'r.key', 'a.components', 'a.source', 'a.rule_id');
    return rows.map((x: any) => ({ id: x.id, personId: x.person_id, role: x.key, components: x.components, source: x.source, ruleId: x.rule_id }));
  }

  private async checkComponents(trx: Knex | Knex.Transaction, inst: number, components: string[]) {
    if (!components.length) return;
    const known = new Set((await trx('components').where({ institution_id: inst }).whereIn('code', components).pluck('code')) as string[]);
    const unknown = components.filter((c) => !known.has(c));
    if (unknown.length) throw invalid(`unknown component(s): ${unknown.join(', ')}`, 'components');
  }

  async assign(actor: Actor, personId: number, role: string, components: string[] = [], opts: { trx?: Knex.Transaction } = {}): Promise<RoleAssignment> {
    const a = actorOf(actor);
    const inst = a.institutionId!;
    const comps = [...new Set(components.map((c) => c.trim()).filter(Boolean))].sort();
    const run = async (trx: Knex.Transaction) => {
      // looked up in the caller's transaction: on PGlite another query would wait for it forever
      const r = await trx('roles').where({ institution_id: inst, key: role }).first('id');
      if (!r) throw invalid(`unknown role "${role}"`, 'role');
      await this.checkComponents(trx, inst, comps);
      await trx('institution_people').insert({ institution_id: inst, person_id: personId }).onConflict(['institution_id', 'person_id']).ignore();
      const [row] = await trx('role_assignments').insert({ institution_id: inst, person_id: personId, role_id: r.id, components: comps, source: 'manual', created_by: a.personId ?? null }).returning('id');
      await this.audit.record(a, { action: 'core.role.assigned', targetType: 'person', targetId: personId, after: { role, components: comps } }, { trx });
      return { id: row.id, personId, role, components: comps, source: 'manual' as const, ruleId: null };
    };
    const out = opts.trx ? await run(opts.trx) : await this.knex.transaction(run);
    await this.forget(inst, personId, opts.trx);
    return out;
  }

  async unassign(actor: Actor, assignmentId: number): Promise<void> {
    const a = actorOf(actor);
    const inst = a.institutionId!;
    await this.knex.transaction(async (trx) => {
      const row = await trx('role_assignments as a').join('roles as r', 'r.id', 'a.role_id').where({ 'a.id': assignmentId, 'a.institution_id': inst }).first('a.*', 'r.key');
      if (!row) throw new SmileError(ErrorCodes.NOT_FOUND, 'no such role assignment', { status: 404 });
      if (row.source === 'rule') throw invalid('this role is given by an automatic rule at each sign-in: change the rule instead', 'assignment');
      await trx('role_assignments').where({ id: assignmentId }).del();
      await this.audit.record(a, { action: 'core.role.unassigned', targetType: 'person', targetId: row.person_id, before: { role: row.key, components: row.components } }, { trx });
      await this.forget(inst, row.person_id, trx);
    });
  }

  async components(institutionId: number): Promise<Array<{ code: string; name: Bilingual }>> {
    const rows = await this.knex('components').where({ institution_id: institutionId }).orderBy('code');
    return rows.map((c: any) => ({ code: c.code, name: { fr: c.name_fr, en: c.name_en } }));
  }

  async saveComponent(actor: Actor, c: { code: string; name: Bilingual }): Promise<void> {
    const a = actorOf(actor);
    const inst = a.institutionId!;
    const code = c.code?.trim() ?? '';
    if (!/^[A-Za-z0-9][A-Za-z0-9_.-]{0,63}$/.test(code)) throw invalid('the code must be 1 to 64 letters, digits, dots, dashes or underscores', 'code');
    this.checkNames(c.name);
    await this.knex.transaction(async (trx) => {
      const before = await trx('components').where({ institution_id: inst, code }).first();
      await trx('components').insert({ institution_id: inst, code, name_fr: c.name.fr.trim(), name_en: c.name.en.trim() }).onConflict(['institution_id', 'code']).merge(['name_fr', 'name_en']);
      await this.audit.record(a, { action: before ? 'core.component.renamed' : 'core.component.created', targetType: 'component', targetId: code, before: before ? { fr: before.name_fr, en: before.name_en } : undefined, after: { fr: c.name.fr.trim(), en: c.name.en.trim() } }, { trx });
    });
  }

  async rules(institutionId: number): Promise<RoleRule[]> {
    const rows = await this.knex('role_rules as x').join('roles as r', 'r.id', 'x.role_id').where({ 'x.institution_id': institutionId }).orderBy([{ column: 'x.position' }, { column: 'x.id' }]).select('x.*', 'r.key');
    return rows.map((x: any) => ({ id: x.id, name: x.name, conditions: x.conditions, role: x.key, scope: x.scope, enabled: x.enabled, position: x.position }));
  }

  async saveRule(actor: Actor, rule: Omit<RoleRule, 'id' | 'position'> & { id?: number }): Promise<RoleRule> {
    const a = actorOf(actor);
    const inst = a.institutionId!;
    const problems = ruleProblems(rule);
    if (problems) {
      const [field, why] = Object.entries(problems)[0]!;
      const e = invalid(`invalid rule: ${field} ${why}`, field);
      (e as any).problems = problems;
      throw e;
    }
    const r = await this.role(inst, rule.role);
    if (rule.scope.kind === 'components') await this.checkComponents(this.knex, inst, rule.scope.components);
    const data = { name: rule.name.trim(), conditions: JSON.stringify(rule.conditions.map((c) => ({ attribute: c.attribute.trim(), op: c.op, ...(c.value !== undefined && c.op !== 'present' && c.op !== 'absent' ? { value: c.value } : {}) }))), role_id: r.id, scope: JSON.stringify(rule.scope), enabled: rule.enabled };
    const id = await this.knex.transaction(async (trx) => {
      if (rule.id) {
        const before = await trx('role_rules').where({ id: rule.id, institution_id: inst }).first();
        if (!before) throw new SmileError(ErrorCodes.NOT_FOUND, 'no such rule', { status: 404 });
        await trx('role_rules').where({ id: rule.id }).update({ ...data, updated_at: trx.fn.now() });
        await this.audit.record(a, { action: 'core.rule.updated', targetType: 'rule', targetId: rule.id, before: { name: before.name, conditions: before.conditions, scope: before.scope, enabled: before.enabled, roleId: before.role_id }, after: rule }, { trx });
        return rule.id;
      }
      const max = await trx('role_rules').where({ institution_id: inst }).max({ m: 'position' }).first();
      const [row] = await trx('role_rules').insert({ ...data, institution_id: inst, position: Number(max?.m ?? 0) + 1 }).returning('id');
      await this.audit.record(a, { action: 'core.rule.created', targetType: 'rule', targetId: row.id, after: rule }, { trx });
      return row.id as number;
    });
    return (await this.rules(inst)).find((x) => x.id === id)!;
  }

  async deleteRule(actor: Actor, id: number): Promise<void> {
    const a = actorOf(actor);
    const inst = a.institutionId!;
    await this.knex.transaction(async (trx) => {
      const before = await trx('role_rules').where({ id, institution_id: inst }).first();
      if (!before) throw new SmileError(ErrorCodes.NOT_FOUND, 'no such rule', { status: 404 });
      // what the rule gave goes with it (role_assignments.rule_id cascades)
      await trx('role_rules').where({ id }).del();
      await this.audit.record(a, { action: 'core.rule.deleted', targetType: 'rule', targetId: id, before: { name: before.name, conditions: before.conditions, scope: before.scope } }, { trx });
    });
  }

  async previewRules(institutionId: number, attributes: Record<string, string[]>) {
    const [rules, comps, schac] = [await this.rules(institutionId), await this.components(institutionId), await this.schacCode(institutionId)];
    return evaluateRules(rules, attributes, { schacCode: schac, components: new Set(comps.map((c) => c.code)) });
  }

  /**
   * Recompute the rule-given roles of a person at sign-in: those the rules give now replace those
   * they gave before; manual assignments are untouched. Returns what changed, for the audit log.
   */
  async prepareRules(institutionId: number, attributes: Record<string, string[]>): Promise<PreparedRules> {
    return { given: await this.previewRules(institutionId, attributes), s: await this.snapshot(institutionId) };
  }

  /** Inside the sign-in transaction, with what {@link prepareRules} computed before it (one connection on PGlite). */
  async applyRules(trx: Knex.Transaction, institutionId: number, personId: number, { given, s }: PreparedRules): Promise<{ added: string[]; removed: string[] }> {
    await this.forget(institutionId, personId, trx);
    const current = (await trx('role_assignments').where({ institution_id: institutionId, person_id: personId, source: 'rule' }).select('id', 'role_id', 'components', 'rule_id')) as { id: number; role_id: number; components: string[]; rule_id: number }[];
    const key = (roleId: number, comps: string[], rule: number) => `${roleId}|${[...comps].sort().join(',')}|${rule}`;
    const want = new Map(given.filter((g) => s.byKey.has(g.role)).map((g) => [key(s.byKey.get(g.role)!.id, g.components, g.ruleId), g]));
    const have = new Map(current.map((c) => [key(c.role_id, c.components, c.rule_id), c]));
    const removed = current.filter((c) => !want.has(key(c.role_id, c.components, c.rule_id)));
    if (removed.length) await trx('role_assignments').whereIn('id', removed.map((r) => r.id)).del();
    const added = [...want].filter(([k]) => !have.has(k)).map(([, g]) => g);
    if (added.length) {
      await trx('role_assignments').insert(added.map((g) => ({ institution_id: institutionId, person_id: personId, role_id: s.byKey.get(g.role)!.id, components: g.components, source: 'rule', rule_id: g.ruleId })));
    }
    const label = (roleId: number, comps: string[]) => `${s.byId.get(roleId)?.key}${comps.length ? `@${comps.join(',')}` : ''}`;
    return { added: added.map((g) => `${g.role}${g.components.length ? `@${g.components.join(',')}` : ''}`), removed: removed.map((r) => label(r.role_id, r.components)) };
  }
}
