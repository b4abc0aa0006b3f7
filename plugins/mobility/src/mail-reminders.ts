/**
 * Reminders of a step's deadline: the scheduled job, and a reminder sent now by a manager.
 * @packageDocumentation
 */
import type { Knex } from 'knex';
import type { AuditLog, Database, InstitutionDirectory } from '@smile/sdk';
import type { MobilityActor, MobilityFile, StepSpec } from './types.js';
import { reminderNotices, type Notice } from './mail-rules.js';
import { componentsOf, institutionInfo } from './mail-recipients.js';
import { sendNotices, type MailDeps } from './mail-notify.js';

const DAY = 86_400_000;

/** What the reminder job needs besides the mail services. */
export interface ReminderDeps extends MailDeps {
  db: () => Database;
  institutions: () => InstitutionDirectory;
}

/** What a run did. */
export interface ReminderRun {
  /** Step visits whose reminder(s) were recorded by this run. */
  visits: number;
  /** Mails queued. */
  mails: number;
}

const json = <T>(v: unknown, fallback: T): T => (v == null ? fallback : typeof v === 'string' ? (JSON.parse(v) as T) : (v as T));

/**
 * The components whose holders of `role` still owe an approval on the step (all of the file's
 * components when the step has no approvals by that role), or `null` when the role owes nothing.
 */
function owing(step: StepSpec, file: MobilityFile, role: string, done: string[]): string[] | null {
  const approvals = (step.approvals ?? []).filter((a) => a.role === role);
  if (!approvals.length) return role === 'referent' ? componentsOf(file) : file.componentCode ? [file.componentCode] : [];
  const perComponent = approvals.some((a) => a.perComponent) && file.approvalComponents.length > 0;
  if (!perComponent) return done.includes(role) ? null : componentsOf(file);
  const missing = file.approvalComponents.filter((c) => !done.includes(`${role}:${c}`));
  return missing.length ? missing : null;
}

/** The reminder notices of a step for a file: to the student, or to the staff whose approval is missing. */
function noticesFor(step: StepSpec, file: MobilityFile, done: string[]): { notices: Notice[]; components: Map<Notice, string[]> } {
  const components = new Map<Notice, string[]>();
  const notices = reminderNotices(step).filter((n) => {
    if (n.audience === 'student') return true;
    const c = owing(step, file, n.role!, done);
    if (c) components.set(n, c);
    return c !== null;
  });
  return { notices, components };
}

/**
 * Send the reminders that are due: for each active step visit with a deadline, each of the step's
 * `reminders` whose date (deadline − daysBefore) has come. Each is recorded under a unique key (visit,
 * daysBefore, deadline) in the transaction that queues the mail: a reminder is never sent twice, even
 * by overlapping runs, and a moved deadline makes new reminders due. Several due at once (a run
 * missed, a deadline moved closer) make one mail; a reminder whose date came before the step started
 * is recorded without a mail (the step's own mail told the person).
 */
export async function sendDueReminders(deps: ReminderDeps, opts: { now?: Date; institutionId?: number } = {}): Promise<ReminderRun> {
  const now = opts.now ?? new Date();
  const knex = deps.db().knex;
  const q = knex('mobility_file_steps as v')
    .join('mobility_files as f', function () {
      this.on('f.id', 'v.file_id').andOn('f.current_step', 'v.step_key');
    })
    .join('mobility_steps as s', function () {
      this.on('s.process_id', 'f.process_id').andOn('s.key', 'v.step_key');
    })
    .where('v.state', 'active')
    .whereNotNull('v.deadline_at')
    .whereIn('f.status', ['nominated', 'in_progress'])
    // only visits with a reminder due and not yet recorded: the job stays cheap however many files wait
    .whereRaw(
      `exists (select 1 from jsonb_array_elements(s.reminders) r
        where jsonb_typeof(r->'daysBefore') = 'number' and (r->>'daysBefore') ~ '^-{0,1}[0-9]+$'
          and v.deadline_at - ((r->>'daysBefore')::int * interval '1 day') <= ?
          and not exists (select 1 from mobility_reminders m where m.visit_id = v.id and m.days_before = (r->>'daysBefore')::int and m.deadline_at = v.deadline_at))`,
      [now],
    )
    .select('v.id as visit_id', 'v.file_id', 'v.deadline_at', 'v.entered_at', 'v.approvals_done', 'f.institution_id', 's.reminders');
  if (opts.institutionId !== undefined) q.where('f.institution_id', opts.institutionId);
  const visits = (await q) as any[];
  const due = visits
    .map((v) => {
      const deadline = new Date(v.deadline_at);
      const list = json<Array<{ daysBefore: number }>>(v.reminders, []).filter((r) => Number.isInteger(r?.daysBefore) && deadline.getTime() - r.daysBefore * DAY <= now.getTime());
      return { ...v, deadline, entered: new Date(v.entered_at), list };
    })
    .filter((v) => v.list.length > 0);
  if (!due.length) return { visits: 0, mails: 0 };
  const recorded = (await knex('mobility_reminders').whereIn('visit_id', due.map((v) => v.visit_id)).select('visit_id', 'days_before', 'deadline_at')) as any[];
  const known = new Set(recorded.map((r) => `${r.visit_id}|${r.days_before}|${new Date(r.deadline_at).getTime()}`));
  const run: ReminderRun = { visits: 0, mails: 0 };
  const enabled = new Map<number, boolean>();
  for (const v of due) {
    const fresh = v.list.filter((r: { daysBefore: number }) => !known.has(`${v.visit_id}|${r.daysBefore}|${v.deadline.getTime()}`));
    if (!fresh.length) continue;
    if (!enabled.has(v.institution_id)) enabled.set(v.institution_id, (await deps.institutions().byId(v.institution_id))?.plugins?.mobility !== false);
    if (!enabled.get(v.institution_id)) continue;
    const file = await deps.store().file(v.institution_id, v.file_id);
    if (!file) continue;
    const step = (await deps.store().process(v.institution_id, file.processId)).steps.find((s) => s.key === file.currentStep);
    if (!step) continue;
    const done = json<Array<{ key: string }>>(v.approvals_done, []).map((a) => a.key);
    const rows = fresh.map((r: { daysBefore: number }) => ({
      institution_id: v.institution_id, file_id: v.file_id, visit_id: v.visit_id, days_before: r.daysBefore, deadline_at: v.deadline,
      mailed: v.deadline.getTime() - r.daysBefore * DAY >= v.entered.getTime(),
    }));
    const mails = await knex.transaction(async (trx) => {
      // the unique key decides: an overlapping run that recorded these first leaves nothing here
      const inserted = (await trx('mobility_reminders').insert(rows).onConflict(['visit_id', 'days_before', 'deadline_at']).ignore().returning(['id', 'mailed'])) as Array<{ mailed: boolean }>;
      if (!inserted.some((r) => r.mailed)) return inserted.length ? 0 : -1;
      const inst = await institutionInfo(trx, v.institution_id, deps.baseUrl());
      const { notices, components } = noticesFor(step, file, done);
      return sendNotices(deps, trx, inst, file, notices, { components: (n) => components.get(n) }, trx);
    });
    if (mails >= 0) run.visits++;
    run.mails += Math.max(0, mails);
  }
  if (run.visits) deps.log().info({ visits: run.visits, mails: run.mails }, 'mobility reminders sent');
  return run;
}

/**
 * A reminder of the file's current step sent now (bulk action), to whoever the step waits on;
 * audited in the same transaction. Not recorded as a scheduled reminder: those still come.
 * Returns the number of mails queued (0 when nobody with an address is waited on).
 */
export async function sendReminderNow(deps: ReminderDeps & { audit: () => AuditLog }, actor: MobilityActor, file: MobilityFile): Promise<number> {
  const step = (await deps.store().process(file.institutionId, file.processId)).steps.find((s) => s.key === file.currentStep);
  if (!step || !['nominated', 'in_progress'].includes(file.status)) return 0;
  const knex = deps.db().knex;
  const visit = await knex('mobility_file_steps').where({ file_id: file.id, state: 'active' }).first('approvals_done');
  const { notices, components } = noticesFor(step, file, json<Array<{ key: string }>>(visit?.approvals_done, []).map((a) => a.key));
  return knex.transaction(async (trx: Knex.Transaction) => {
    const inst = await institutionInfo(trx, file.institutionId, deps.baseUrl());
    const mails = await sendNotices(deps, trx, inst, file, notices, { components: (n) => components.get(n) }, trx);
    await deps.audit().record(actor, { action: 'mobility.file.reminded', targetType: 'mobility_file', targetId: file.id, detail: { step: step.key, mails } }, { trx });
    return mails;
  });
}
