import { ErrorCodes, SmileError, createServiceRef } from '@smile/sdk';
import type { AuditLog, Database, EventBus, Logger, Roles } from '@smile/sdk';
import type { Knex } from 'knex';
import type { MobilityHooks, TransitionEvent } from './hooks.js';
import { DEFAULT_EXCHANGE_TYPES, defaultSteps, processProblems } from './process.js';
import type {
  AllowedAction, DeadlineSpec, FileHistory, FileInput, FileStatus, MobilityActor, MobilityFile, Process, StepSpec,
  StepVisit, TransitionAction, TransitionRecord,
} from './types.js';
import { OPEN_STATUSES, PUBLICS } from './types.js';
import { roleLineage } from './role-lineage.js';

type Db = Knex | Knex.Transaction;
const DAY = 86_400_000;

/** The roles an actor holds, with their ancestors (a senior manager is a manager), and where. */
interface Capabilities {
  personId: number | null;
  holdings: Array<{ roles: Set<string>; components: string[] }>;
}

interface Deps {
  db: Database;
  audit: AuditLog;
  events: EventBus;
  roles: Roles;
  log: Logger;
}

const bad = (message: string, key?: string) => new SmileError(ErrorCodes.VALIDATION, message, { status: 400, key });
const day = (v: unknown): string | null => {
  if (v == null) return null;
  if (v instanceof Date) return `${v.getFullYear()}-${String(v.getMonth() + 1).padStart(2, '0')}-${String(v.getDate()).padStart(2, '0')}`;
  return String(v).slice(0, 10);
};
const json = <T>(v: unknown, fallback: T): T => (v == null ? fallback : typeof v === 'string' ? (JSON.parse(v) as T) : (v as T));

function toFile(r: any, withSpecialNeeds: boolean): MobilityFile {
  const f: MobilityFile = {
    id: r.id, institutionId: r.institution_id, personId: r.person_id ?? null,
    firstName: r.first_name, lastName: r.last_name, birthDate: day(r.birth_date), nationality: r.nationality ?? null,
    gender: r.gender ?? null, email: r.email ?? null, esi: r.esi ?? null, homeAddress: json(r.home_address, {}),
    home: { name: r.home_name ?? null, country: r.home_country ?? null, schac: r.home_schac ?? null, erasmusCode: r.home_erasmus_code ?? null, pic: r.home_pic ?? null },
    exchangeType: r.exchange_type, public: r.public, academicYear: r.academic_year,
    plannedStart: day(r.planned_start), plannedEnd: day(r.planned_end), componentId: r.component_id ?? null,
    componentCode: r.component_code ?? null, approvalComponents: r.approval_components ?? [],
    referentPersonId: r.referent_person_id ?? null, eqfLevel: r.eqf_level ?? null, isced: r.isced ?? null,
    status: r.status, language: r.language ?? null, processId: r.process_id, currentStep: r.current_step ?? null, version: r.version,
    createdAt: new Date(r.created_at), updatedAt: new Date(r.updated_at),
  };
  if (withSpecialNeeds) f.specialNeeds = r.special_needs ?? null;
  return f;
}

function toStep(r: any): StepSpec {
  return {
    key: r.key, label: { fr: r.label_fr, en: r.label_en }, owner: r.owner, ownerScopeComponent: r.owner_scope_component,
    requiredDocuments: r.required_documents ?? [], approvals: json(r.approvals, []), deadline: json(r.deadline, null),
    reminders: json(r.reminders, []), transitions: json(r.transitions, []), terminalStatus: r.terminal_status ?? null,
  };
}

function deadlineOf(spec: DeadlineSpec | null | undefined, now: Date, fileStart: Date): Date | null {
  if (!spec) return null;
  if ('absolute' in spec) return new Date(spec.absolute);
  return new Date((spec.from === 'fileStart' ? fileStart : now).getTime() + spec.relativeDays * DAY);
}

/**
 * Mobility files and the workflow engine: versioned processes of steps identified by key, atomic
 * and concurrency-safe transitions (row lock + optimistic version), parallel approvals, history.
 */
export class MobilityStore {
  constructor(private deps: Deps, readonly hooks: MobilityHooks) {}

  private knex(): Knex {
    return this.deps.db.knex;
  }

  // ---------------------------------------------------------------- exchange types and processes

  /** The institution's exchange types, in order. */
  async exchangeTypes(institutionId: number): Promise<Array<{ code: string; label: { fr: string; en: string }; active: boolean }>> {
    const rows = await this.knex()('mobility_exchange_types').where({ institution_id: institutionId }).orderBy(['position', 'code']);
    return rows.map((r: any) => ({ code: r.code, label: { fr: r.label_fr, en: r.label_en }, active: r.active }));
  }

  /**
   * Seed what an institution needs and lacks: the exchange types and the default process (the seed
   * system's, through `transformProcessSteps`). Idempotent; called at bootstrap and before a file is created.
   */
  async ensureSeeded(institutionId: number): Promise<void> {
    const knex = this.knex();
    const types = await knex('mobility_exchange_types').where({ institution_id: institutionId }).first();
    if (!types) {
      await knex('mobility_exchange_types')
        .insert(DEFAULT_EXCHANGE_TYPES.map((x, i) => ({ institution_id: institutionId, code: x.code, label_fr: x.fr, label_en: x.en, position: i })))
        .onConflict(['institution_id', 'code']).ignore();
    }
    const process = await knex('mobility_processes').where({ institution_id: institutionId, key: 'default' }).first();
    if (!process) {
      const steps = await this.hooks.transformProcessSteps.promise(defaultSteps(), { institutionId, exchangeType: null });
      try {
        await this.publishProcess({ institutionId, label: 'system' }, null, steps);
      } catch (e) {
        // another process seeded it at the same time
        if (!(await knex('mobility_processes').where({ institution_id: institutionId, key: 'default' }).first())) throw e;
      }
    }
  }

  /** A process version with its steps. */
  async process(institutionId: number, processId: number, db: Db = this.knex()): Promise<Process> {
    const p = await db('mobility_processes').where({ institution_id: institutionId, id: processId }).first();
    if (!p) throw new SmileError(ErrorCodes.NOT_FOUND, `no process ${processId}`, { status: 404 });
    const steps = await db('mobility_steps').where({ process_id: p.id }).orderBy('position');
    return { id: p.id, key: p.key, exchangeType: p.exchange_type ?? null, version: p.version, active: p.active, createdAt: new Date(p.created_at), steps: steps.map(toStep) };
  }

  /** The version new files of `exchangeType` start with: its own process, else the default one. */
  async activeProcess(institutionId: number, exchangeType: string | null, db: Db = this.knex()): Promise<Process | null> {
    const rows = await db('mobility_processes').where({ institution_id: institutionId, active: true }).whereIn('key', exchangeType ? [exchangeType, 'default'] : ['default']);
    const p = rows.find((r: any) => r.key === exchangeType) ?? rows.find((r: any) => r.key === 'default');
    return p ? this.process(institutionId, p.id, db) : null;
  }

  /**
   * Publish a new version of the process of `exchangeType` (`null`: the default one). The steps are
   * validated; the new version becomes the active one; files in progress keep theirs. With
   * `expectedVersion` (the version an editor's form was built from; 0 for none), a version
   * published meanwhile makes it a CONFLICT (409), checked under the same lock as the insert.
   */
  async publishProcess(actor: MobilityActor, exchangeType: string | null, steps: StepSpec[], expectedVersion?: number): Promise<Process> {
    const inst = actor.institutionId;
    const problems = processProblems(steps);
    if (problems.length) throw bad(`this process cannot be published: ${problems.join('; ')}`, 'steps');
    if (exchangeType !== null && !(await this.knex()('mobility_exchange_types').where({ institution_id: inst, code: exchangeType }).first()))
      throw bad(`unknown exchange type "${exchangeType}"`, 'exchangeType');
    const key = exchangeType ?? 'default';
    const id = await this.knex().transaction(async (trx) => {
      // serialise publications of one process: the row of the active version is the lock
      await trx('mobility_processes').where({ institution_id: inst, key, active: true }).forUpdate().select('id');
      const last = await trx('mobility_processes').where({ institution_id: inst, key }).max({ v: 'version' }).first();
      if (expectedVersion !== undefined && Number(last?.v ?? 0) !== expectedVersion) {
        throw new SmileError(ErrorCodes.CONFLICT, 'someone published this process meanwhile: reload it to see their version', { status: 409 });
      }
      const version = Number(last?.v ?? 0) + 1;
      await trx('mobility_processes').where({ institution_id: inst, key, active: true }).update({ active: false });
      let row: any;
      try {
        [row] = await trx('mobility_processes')
          .insert({ institution_id: inst, key, exchange_type: exchangeType, version, active: true, created_by: actor.personId ?? null })
          .returning('*');
      } catch (e) {
        throw new SmileError(ErrorCodes.CONFLICT, 'someone published this process meanwhile: reload it to see their version', { status: 409, cause: e });
      }
      await trx('mobility_steps').insert(steps.map((s, position) => ({
        institution_id: inst, process_id: row.id, key: s.key, label_fr: s.label.fr.trim(), label_en: s.label.en.trim(),
        owner: s.owner.trim(), owner_scope_component: !!s.ownerScopeComponent, required_documents: s.requiredDocuments ?? [],
        approvals: JSON.stringify(s.approvals ?? []), deadline: s.deadline ? JSON.stringify(s.deadline) : null,
        reminders: JSON.stringify(s.reminders ?? []), transitions: JSON.stringify(s.transitions.map((t) => ({ action: t.action, to: t.to, commentRequired: !!t.commentRequired }))),
        position, terminal_status: s.terminalStatus ?? null,
      })));
      await this.deps.audit.record(actor, { action: 'mobility.process.publish', targetType: 'mobility_process', targetId: row.id, detail: { key, version, steps: steps.map((s) => s.key) } }, { trx });
      return row.id as number;
    });
    return this.process(inst, id);
  }

  // ---------------------------------------------------------------- files

  private fileQuery(db: Db, institutionId: number) {
    return db('mobility_files as f')
      .leftJoin('components as c', 'c.id', 'f.component_id')
      .where('f.institution_id', institutionId)
      .select('f.*', 'c.code as component_code');
  }

  /** One file, or `null`, read in `opts.trx` if given. Special needs are left out unless `opts.specialNeeds` (restricted data). */
  async file(institutionId: number, id: number, opts: { specialNeeds?: boolean; trx?: Knex.Transaction } = {}): Promise<MobilityFile | null> {
    const r = await this.fileQuery(opts.trx ?? this.knex(), institutionId).where('f.id', id).first();
    return r ? toFile(r, !!opts.specialNeeds) : null;
  }

  /**
   * One file and, in the same round trip, values a caller computes with it: `extra` maps a name to a
   * SQL expression (a scalar subquery, typically) that may refer to the file row as `f`. Refused
   * names (not `[a-z_]+`) throw. Special needs are left out. A page that shows a file with its own
   * data saves a database round trip per request this way.
   */
  async fileWith(institutionId: number, id: number, extra: Record<string, string>): Promise<{ file: MobilityFile; extra: Record<string, unknown> } | null> {
    const knex = this.knex();
    const names = Object.keys(extra);
    for (const n of names) if (!/^[a-z_]+$/.test(n)) throw new Error(`fileWith: "${n}" is not a column name`);
    const r = await this.fileQuery(knex, institutionId).where('f.id', id)
      // a `?` of the expression is SQL (a JSON operator), not a binding
      .select(names.map((n) => knex.raw(`(${extra[n]!.replace(/\?/g, '\\?')}) as ??`, [`extra__${n}`]))).first();
    if (!r) return null;
    return { file: toFile(r, false), extra: Object.fromEntries(names.map((n) => [n, r[`extra__${n}`]])) };
  }

  /**
   * Create a file on the active process version for its exchange type (else the default process):
   * status `nominated`, the first step active, the creation in the history. In its own transaction,
   * or in `opts.trx` (an import creating many files all or none; the caller has seeded the
   * institution with {@link ensureSeeded} beforehand). `opts.detail` is added to the audit entry
   * and the `mobility.file.created` event (e.g. `{ source: 'import', line: 12 }`).
   */
  async createFile(actor: MobilityActor, data: FileInput, opts: { trx?: Knex.Transaction; detail?: Record<string, unknown> } = {}): Promise<MobilityFile> {
    const inst = actor.institutionId;
    if (!data.firstName?.trim()) throw bad('the first name is required', 'firstName');
    if (!data.lastName?.trim()) throw bad('the last name is required', 'lastName');
    if (!Number.isInteger(data.academicYear) || data.academicYear < 2000 || data.academicYear > 2100) throw bad('the academic year is invalid', 'academicYear');
    if (data.public && !(PUBLICS as readonly string[]).includes(data.public)) throw bad(`unknown public "${data.public}"`, 'public');
    if (data.plannedStart && data.plannedEnd && data.plannedEnd < data.plannedStart) throw bad('the planned end is before the planned start', 'plannedEnd');
    if (!opts.trx) await this.ensureSeeded(inst);
    const insert = async (trx: Knex.Transaction): Promise<number> => {
      const type = await trx('mobility_exchange_types').where({ institution_id: inst, code: data.exchangeType }).first();
      if (!type) throw bad(`unknown exchange type "${data.exchangeType}"`, 'exchangeType');
      const process = await this.activeProcess(inst, data.exchangeType, trx);
      if (!process) throw new SmileError(ErrorCodes.INTERNAL, 'no active process', { status: 500 });
      const first = process.steps[0]!;
      let component: string | null = null;
      if (data.componentId != null) {
        const c = await trx('components').where({ institution_id: inst, id: data.componentId }).first();
        if (!c) throw bad('unknown component', 'componentId');
        component = c.code;
      }
      const now = new Date();
      const [row] = await trx('mobility_files').insert({
        institution_id: inst, person_id: data.personId ?? null, first_name: data.firstName.trim(), last_name: data.lastName.trim(),
        birth_date: data.birthDate || null, nationality: data.nationality || null, gender: data.gender || null,
        email: data.email?.trim() || null, esi: data.esi?.trim() || null, home_address: JSON.stringify(data.homeAddress ?? {}),
        home_name: data.home?.name || null, home_country: data.home?.country || null, home_schac: data.home?.schac || null,
        home_erasmus_code: data.home?.erasmusCode || null, home_pic: data.home?.pic || null,
        exchange_type: data.exchangeType, public: data.public ?? 'student', academic_year: data.academicYear,
        planned_start: data.plannedStart || null, planned_end: data.plannedEnd || null, component_id: data.componentId ?? null,
        approval_components: data.approvalComponents ?? (component ? [component] : []), referent_person_id: data.referentPersonId ?? null,
        eqf_level: data.eqfLevel ?? null, isced: data.isced || null, special_needs: data.specialNeeds || null,
        language: data.language ?? null, status: first.terminalStatus ?? 'nominated', process_id: process.id, current_step: first.key,
      }).returning('*');
      await trx('mobility_file_steps').insert({
        institution_id: inst, file_id: row.id, step_key: first.key, state: first.terminalStatus ? 'done' : 'active',
        entered_at: now, left_at: first.terminalStatus ? now : null, deadline_at: deadlineOf(first.deadline, now, now),
      });
      await trx('mobility_transitions').insert({ institution_id: inst, file_id: row.id, from_step: null, to_step: first.key, action: 'create', person_id: actor.personId ?? null, label: actor.label, at: now });
      await this.deps.audit.record(actor, { action: 'mobility.file.create', targetType: 'mobility_file', targetId: row.id, detail: { process: process.key, version: process.version, step: first.key, ...opts.detail } }, { trx });
      await this.deps.events.emit('mobility.file.created', { fileId: row.id, step: first.key, ...opts.detail }, { trx, institutionId: inst });
      return row.id as number;
    };
    const id = opts.trx ? await insert(opts.trx) : await this.knex().transaction(insert);
    const r = await this.fileQuery(opts.trx ?? this.knex(), inst).where('f.id', id).first();
    return toFile(r, false);
  }

  // ---------------------------------------------------------------- who may act

  /** Load what the actor holds (outside any transaction: the embedded database has one connection). */
  private async capabilities(actor: MobilityActor): Promise<Capabilities> {
    if (!actor.personId) return { personId: null, holdings: [] };
    const [assignments, roles] = await Promise.all([this.deps.roles.assignments(actor.institutionId, actor.personId), this.deps.roles.list(actor.institutionId)]);
    return {
      personId: actor.personId,
      holdings: assignments.map((a) => ({ roles: new Set(roleLineage(roles, a.role)), components: a.components })),
    };
  }

  private static holds(cap: Capabilities, role: string, component?: string | null): boolean {
    return cap.holdings.some((h) => h.roles.has(role) && (component === undefined || h.components.length === 0 || (component !== null && h.components.includes(component))));
  }

  private static requiredApprovals(step: StepSpec, file: MobilityFile): string[] {
    const keys: string[] = [];
    for (const a of step.approvals ?? []) {
      if (a.perComponent && file.approvalComponents.length) for (const c of file.approvalComponents) keys.push(`${a.role}:${c}`);
      else keys.push(a.role);
    }
    return [...new Set(keys)];
  }

  private static canApprove(cap: Capabilities, key: string): boolean {
    const [role, component] = key.split(':') as [string, string | undefined];
    return MobilityStore.holds(cap, role, component);
  }

  private static actions(cap: Capabilities, file: MobilityFile, step: StepSpec | undefined, done: string[]): AllowedAction[] {
    if (!step || !OPEN_STATUSES.has(file.status) || file.currentStep !== step.key) return [];
    const owns = step.owner === 'student'
      ? cap.personId !== null && cap.personId === file.personId
      : MobilityStore.holds(cap, step.owner, step.ownerScopeComponent ? file.componentCode : undefined);
    const required = MobilityStore.requiredApprovals(step, file);
    const mine = required.filter((k) => !done.includes(k) && MobilityStore.canApprove(cap, k));
    const approver = required.some((k) => MobilityStore.canApprove(cap, k));
    const out: AllowedAction[] = [];
    for (const t of step.transitions) {
      let ok: boolean;
      if (t.action === 'validate') ok = required.length ? mine.length > 0 : owns;
      else if (t.action === 'refuse') ok = owns || approver;
      else ok = owns || approver || (cap.personId !== null && cap.personId === file.personId) || MobilityStore.holds(cap, 'manager');
      if (ok) out.push({ stepKey: step.key, action: t.action, to: t.to, commentRequired: !!t.commentRequired || t.action === 'refuse', approvals: t.action === 'validate' ? mine : [] });
    }
    return out;
  }

  /** Any transition of the step, for the platform itself; a validation gives the missing approvals. */
  private static systemAction(file: MobilityFile, step: StepSpec, done: string[], action: TransitionAction): AllowedAction | undefined {
    const t = OPEN_STATUSES.has(file.status) ? step.transitions.find((x) => x.action === action) : undefined;
    if (!t) return undefined;
    const approvals = action === 'validate' ? MobilityStore.requiredApprovals(step, file).filter((k) => !done.includes(k)) : [];
    return { stepKey: step.key, action, to: t.to, commentRequired: !!t.commentRequired || action === 'refuse', approvals };
  }

  /**
   * What `actor` may do now on the file's current step: the step owner (the student = the file's
   * person; a role, in the file's component when the step says so), the holders of approvals still
   * missing; abandoning is also open to the student and the office.
   */
  async allowedActions(actor: MobilityActor, file: MobilityFile): Promise<AllowedAction[]> {
    if (!file.currentStep || !OPEN_STATUSES.has(file.status)) return [];
    const cap = await this.capabilities(actor);
    const process = await this.process(file.institutionId, file.processId);
    const visit = await this.knex()('mobility_file_steps').where({ file_id: file.id, state: 'active' }).first();
    const done = json<Array<{ key: string }>>(visit?.approvals_done, []).map((a) => a.key);
    return MobilityStore.actions(cap, file, process.steps.find((s) => s.key === file.currentStep), done);
  }

  // ---------------------------------------------------------------- transitions

  /**
   * Take `action` on step `stepKey` of a file. Atomic: the file row is locked; it must still be at
   * `stepKey` (and at `expectedVersion` when given), otherwise a CONFLICT says where it is now. On a
   * step with approvals, a validation records the actor's approvals and moves on only when all are
   * in. The target is found by step key. History, audit, event `mobility.file.transitioned`.
   *
   * `opts.system`: the platform acts (a plugin's automation — the Learning Agreement fully signed —,
   * demo data), not a person: any transition of the step is allowed and a validation gives every
   * missing approval at once. Never set it from a request. `opts.trx` runs the transition inside the
   * caller's transaction (with `system` only: a person's roles are read outside any transaction).
   */
  async transition(
    actor: MobilityActor,
    fileId: number,
    input: { stepKey: string; action: TransitionAction; comment?: string | null },
    expectedVersion?: number,
    opts: { system?: boolean; trx?: Knex.Transaction } = {},
  ): Promise<{ file: MobilityFile; partial: boolean }> {
    const inst = actor.institutionId;
    const comment = input.comment?.trim() || null;
    if (opts.trx && !opts.system) throw new Error('mobility: transition in a caller\'s transaction is for system actions only');
    const cap = opts.system ? null : await this.capabilities(actor);
    const run = <T>(fn: (trx: Knex.Transaction) => Promise<T>): Promise<T> => (opts.trx ? fn(opts.trx) : this.knex().transaction(fn));
    const partial = await run(async (trx) => {
      const row = await trx('mobility_files').where({ institution_id: inst, id: fileId }).forUpdate().first();
      if (!row) throw new SmileError(ErrorCodes.NOT_FOUND, `no mobility file ${fileId}`, { status: 404 });
      const component = row.component_id ? (await trx('components').where({ id: row.component_id }).first())?.code ?? null : null;
      const file = toFile({ ...row, component_code: component }, false);
      const process = await this.process(inst, file.processId, trx);
      const label = (key: string | null) => (key ? process.steps.find((s) => s.key === key)?.label.en ?? key : 'closed');
      if (file.currentStep !== input.stepKey || !OPEN_STATUSES.has(file.status) || (expectedVersion !== undefined && file.version !== expectedVersion)) {
        throw new SmileError(
          ErrorCodes.CONFLICT,
          `this file moved meanwhile: it is now at step "${label(file.currentStep)}" (status ${file.status}); reload it to see what changed`,
          { status: 409 },
        );
      }
      const step = process.steps.find((s) => s.key === input.stepKey)!;
      const visit = await trx('mobility_file_steps').where({ file_id: fileId, state: 'active' }).forUpdate().first();
      const done = json<Array<{ key: string; personId: number | null; at: string }>>(visit?.approvals_done, []);
      const doneKeys = done.map((d) => d.key);
      const allowed = cap
        ? MobilityStore.actions(cap, file, step, doneKeys).find((a) => a.action === input.action)
        : MobilityStore.systemAction(file, step, doneKeys, input.action);
      if (!allowed) throw new SmileError(ErrorCodes.FORBIDDEN, `you may not ${input.action} the step "${step.label.en}" of this file`, { status: 403 });
      if (allowed.commentRequired && !comment) throw bad(`a comment is required to ${input.action} this step`, 'comment');

      const now = new Date();
      const required = MobilityStore.requiredApprovals(step, file);
      const approvalsNow = [...done, ...allowed.approvals.map((key) => ({ key, personId: actor.personId ?? null, at: now.toISOString() }))];
      const isPartial = input.action === 'validate' && required.length > 0 && required.some((k) => !approvalsNow.some((a) => a.key === k));
      const target = isPartial ? step : allowed.to === null || input.action === 'abandon' ? null : process.steps.find((s) => s.key === allowed.to)!;
      const event: TransitionEvent = {
        institutionId: inst, actor, file, fromStep: step.key, toStep: isPartial ? step.key : target?.key ?? null,
        action: input.action, partial: isPartial, comment, system: !!opts.system, trx,
      };
      await this.hooks.beforeTransition.promise(event);

      let status: FileStatus = file.status === 'nominated' ? 'in_progress' : file.status;
      if (isPartial) {
        await trx('mobility_file_steps').where({ id: visit.id }).update({ approvals_done: JSON.stringify(approvalsNow) });
      } else {
        const leftState = input.action === 'validate' ? 'done' : input.action === 'refuse' ? 'refused' : 'abandoned';
        if (visit) await trx('mobility_file_steps').where({ id: visit.id }).update({ state: leftState, left_at: now, approvals_done: JSON.stringify(approvalsNow) });
        if (input.action === 'abandon') status = 'abandoned';
        else if (!target) status = 'completed';
        else {
          if (target.terminalStatus) status = target.terminalStatus;
          await trx('mobility_file_steps').insert({
            institution_id: inst, file_id: fileId, step_key: target.key, state: target.terminalStatus ? 'done' : 'active',
            entered_at: now, left_at: target.terminalStatus ? now : null, deadline_at: deadlineOf(target.deadline, now, file.createdAt),
          });
        }
      }
      const currentStep = isPartial ? step.key : input.action === 'abandon' || !target ? null : target.key;
      await trx('mobility_files').where({ id: fileId }).update({ status, current_step: currentStep, version: file.version + 1, updated_at: now });
      await trx('mobility_transitions').insert({
        institution_id: inst, file_id: fileId, from_step: step.key, to_step: isPartial ? step.key : target?.key ?? null,
        action: isPartial ? 'approve' : input.action, person_id: actor.personId ?? null, label: actor.label, comment, at: now,
      });
      await this.deps.audit.record(actor, {
        action: `mobility.file.${isPartial ? 'approve' : input.action}`, targetType: 'mobility_file', targetId: fileId,
        before: { step: step.key, status: file.status }, after: { step: currentStep, status }, detail: { approvals: allowed.approvals, comment: comment !== null },
      }, { trx });
      await this.deps.events.emit('mobility.file.transitioned', { fileId, from: step.key, to: currentStep, action: input.action, partial: isPartial, status }, { trx, institutionId: inst });
      const after = toFile({ ...row, component_code: component, status, current_step: currentStep, version: file.version + 1, updated_at: now }, false);
      await this.hooks.afterTransition.promise({ ...event, file: after });
      return isPartial;
    });
    const r = await this.fileQuery(opts.trx ?? this.knex(), inst).where('f.id', fileId).first();
    return { file: toFile(r, false), partial };
  }

  // ---------------------------------------------------------------- history

  /** The file's transitions, step visits with their durations, and the total time per step key. */
  async history(institutionId: number, fileId: number): Promise<FileHistory> {
    const knex = this.knex();
    const [transitions, visits] = await Promise.all([
      knex('mobility_transitions').where({ institution_id: institutionId, file_id: fileId }).orderBy([{ column: 'at' }, { column: 'id' }]),
      knex('mobility_file_steps').where({ institution_id: institutionId, file_id: fileId }).orderBy([{ column: 'entered_at' }, { column: 'id' }]),
    ]);
    const now = Date.now();
    const v: StepVisit[] = visits.map((r: any) => {
      const enteredAt = new Date(r.entered_at);
      const leftAt = r.left_at ? new Date(r.left_at) : null;
      return {
        stepKey: r.step_key, state: r.state, enteredAt, leftAt, deadlineAt: r.deadline_at ? new Date(r.deadline_at) : null,
        approvalsDone: json(r.approvals_done, []), durationMs: Math.max(0, (leftAt?.getTime() ?? now) - enteredAt.getTime()),
      };
    });
    const timePerStep: Record<string, number> = {};
    for (const x of v) timePerStep[x.stepKey] = (timePerStep[x.stepKey] ?? 0) + x.durationMs;
    const t: TransitionRecord[] = transitions.map((r: any) => ({
      id: Number(r.id), fromStep: r.from_step ?? null, toStep: r.to_step ?? null, action: r.action, personId: r.person_id ?? null,
      label: r.label, comment: r.comment ?? null, at: new Date(r.at),
    }));
    return { transitions: t, visits: v, timePerStep };
  }
}

/** The mobility files and workflow engine. */
export const mobilityService = createServiceRef<MobilityStore>({ id: 'mobility.service' });
