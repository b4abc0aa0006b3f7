/**
 * The process editor: the institution's default process and one per exchange type (started from a
 * copy of the default). The active version's steps in one form; add, remove and move steps by
 * submitting the form (no script needed); check and publish. Publishing creates a new version
 * (files in progress keep theirs); a form built on an older version than the active one is refused.
 * @packageDocumentation
 */
import { coreServices, formField as field, seeOther } from '@smile/sdk';
import type { RegisterApi } from '@smile/sdk';
import { PERMISSIONS } from './permissions.js';
import { processProblems } from './process.js';
import type { Process } from './types.js';
import { actorOf, pick, renderWithStatus, statusOf, storeOf, type Ctx } from './manager-common.js';
import { CONFIG, longDate, missing, summaryOf, today, type FieldErrors } from './config-common.js';
import { exchangeTypeRows } from './config-exchange-types.js';
import { applyOp, checkSteps, DEADLINE_KINDS, END, formOf, readSteps, specOf, TERMINAL_STATUSES, type Known, type StepForm } from './config-process-form.js';

export const PROCESSES = `${CONFIG}/processes`;
const DEFAULT = 'default';

/** What the editor is about: the default process or an exchange type's. */
interface Subject {
  key: string;
  exchangeType: string | null;
  label: string;
}

async function subjectOf(ctx: Ctx): Promise<Subject> {
  const key = String(ctx.params.key ?? '');
  await storeOf(ctx).ensureSeeded(ctx.institution.id);
  if (key === DEFAULT) return { key, exchangeType: null, label: ctx.t('mobility:config.process.defaultName') };
  const type = (await exchangeTypeRows(ctx.db.knex, ctx.institution.id)).find((x) => x.code === key);
  if (!type) throw missing(ctx);
  return { key, exchangeType: key, label: pick(ctx.language, { fr: type.labelFr, en: type.labelEn }) };
}

/** The active version of exactly this key (no fallback to the default), or `null`. */
async function ownActive(ctx: Ctx, key: string): Promise<Process | null> {
  const row = await ctx.db.table('mobility_processes').where({ key, active: true }).first('id');
  return row ? storeOf(ctx).process(ctx.institution.id, row.id) : null;
}

/** The versions of a key: number, date, author, files started on each. */
async function versions(ctx: Ctx, key: string) {
  const rows = await ctx.db.knex('mobility_processes as p')
    .leftJoin('persons as who', 'who.id', 'p.created_by')
    .where({ 'p.institution_id': ctx.institution.id, 'p.key': key })
    .orderBy('p.version', 'desc')
    .select('p.id', 'p.version', 'p.active', 'p.created_at', 'who.display_name as author',
      ctx.db.knex.raw('(select count(*) from mobility_files f where f.institution_id = p.institution_id and f.process_id = p.id)::int as files'));
  return rows.map((r: any) => ({
    version: r.version, active: r.active, date: longDate(ctx.language, r.created_at), author: r.author ?? ctx.t('mobility:config.process.system'), files: Number(r.files),
  }));
}

async function known(ctx: Ctx) {
  const [roles, documents] = await Promise.all([
    ctx.resolve(coreServices.roles).list(ctx.institution.id),
    ctx.db.table('mobility_document_types').orderBy(['position', 'code']).select('code', 'label_fr', 'label_en', 'active'),
  ]);
  return {
    roles: roles.map((r) => ({ value: r.key, label: pick(ctx.language, r.name) || r.key })),
    documents: documents.map((d: any) => ({ value: d.code, label: pick(ctx.language, { fr: d.label_fr, en: d.label_en }) || d.code, active: d.active })),
  };
}

interface EditorState {
  steps: StepForm[];
  baseVersion: number;
  errors?: FieldErrors;
  error?: string | null;
  notice?: string | null;
  focus?: string | null;
}

async function showEditor(ctx: Ctx, status: number, subject: Subject, state: EditorState): Promise<void> {
  const [k, history, active] = await Promise.all([known(ctx), versions(ctx, subject.key), ownActive(ctx, subject.key)]);
  const errors = state.errors ?? {};
  const order = state.steps.flatMap((_s, i) => [`s${i}`, ...['key', 'labelFr', 'labelEn', 'owner', 'documents', 'approvals', 'deadlineDate', 'deadlineDays', 'reminders', 'validateTo', 'refuseTo', 'terminal'].map((f) => `s${i}-${f}`)]);
  const label = (s: StepForm) => pick(ctx.language, { fr: s.labelFr, en: s.labelEn }) || s.key || ctx.t('mobility:config.process.newStep');
  await renderWithStatus(ctx, status, 'mobility/config-process', {
    title: ctx.t('mobility:config.process.title', { name: subject.label }),
    subject, steps: state.steps, baseVersion: state.baseVersion, errors, error: state.error ?? null, notice: state.notice ?? null, focus: state.focus ?? null,
    summary: summaryOf(errors, ['steps', ...order]),
    copied: !active && subject.exchangeType !== null,
    history,
    stepLabels: state.steps.map(label),
    owners: [{ value: '', label: ctx.t('mobility:config.choose') }, { value: 'student', label: ctx.t('mobility:config.process.ownerStudent') }, ...k.roles],
    roles: [{ value: '', label: ctx.t('mobility:config.process.noApproval') }, ...k.roles],
    documents: k.documents,
    deadlineKinds: DEADLINE_KINDS.map((d) => ({ value: d, label: ctx.t(`mobility:config.process.deadline.${d}`) })),
    // a target that is no longer a step (removed meanwhile) stays chosen, so that the check points at it
    targets: (self: number, current: string) => {
      const list = [
        { value: '', label: ctx.t('mobility:config.process.noTransition') },
        ...state.steps.map((s, i) => ({ value: s.key, label: label(s), i })).filter((x) => x.value && x.i !== self).map(({ value, label: l }) => ({ value, label: l })),
        { value: END, label: ctx.t('mobility:config.process.end') },
      ];
      return list.some((o) => o.value === current) ? list : [...list, { value: current, label: ctx.t('mobility:config.process.missingStep', { key: current }) }];
    },
    terminals: [{ value: '', label: ctx.t('mobility:config.process.notTerminal') }, ...TERMINAL_STATUSES.map((s) => ({ value: s, label: ctx.t(`mobility:manager.status.${s}`) }))],
  });
}

/** The steps the editor starts from: the active version, else (an exchange type) a copy of the default. */
async function base(ctx: Ctx, subject: Subject): Promise<{ process: Process | null; steps: StepForm[]; keys: Set<string> }> {
  const own = await ownActive(ctx, subject.key);
  const from = own ?? (await storeOf(ctx).activeProcess(ctx.institution.id, null));
  const steps = (from?.steps ?? []).map(formOf);
  return { process: own, steps, keys: new Set(steps.map((s) => s.key)) };
}

/** Routes of the process pages. */
export function registerProcesses(r: RegisterApi<any>): void {
  r.route({
    method: 'GET',
    path: PROCESSES,
    permission: PERMISSIONS.configure,
    async handler(ctx) {
      await storeOf(ctx).ensureSeeded(ctx.institution.id);
      const [types, active] = await Promise.all([
        exchangeTypeRows(ctx.db.knex, ctx.institution.id),
        ctx.db.table('mobility_processes').where({ active: true }).select('key', 'version', 'created_at'),
      ]);
      const byKey = new Map(active.map((p: any) => [p.key, { version: p.version, date: longDate(ctx.language, p.created_at) }]));
      await ctx.render('mobility/config-processes', {
        title: ctx.t('mobility:config.processes.title'),
        defaultProcess: byKey.get(DEFAULT) ?? null,
        types: types.map((x) => ({ code: x.code, label: pick(ctx.language, { fr: x.labelFr, en: x.labelEn }), active: x.active, own: byKey.get(x.code) ?? null })),
      });
    },
  });

  r.route({
    method: 'GET',
    path: `${PROCESSES}/:key`,
    permission: PERMISSIONS.configure,
    async handler(ctx) {
      const subject = await subjectOf(ctx);
      const b = await base(ctx, subject);
      await showEditor(ctx, 200, subject, { steps: b.steps, baseVersion: b.process?.version ?? 0 });
    },
  });

  r.route({
    method: 'POST',
    path: `${PROCESSES}/:key`,
    permission: PERMISSIONS.configure,
    async handler(ctx) {
      const subject = await subjectOf(ctx);
      const b = await base(ctx, subject);
      const baseVersion = Number.parseInt(field(ctx.body, 'baseVersion'), 10) || 0;
      let steps = readSteps(ctx.body, b.keys);
      const op = field(ctx.body, 'op') || 'check';
      if (op !== 'check' && op !== 'publish') {
        const done = applyOp(steps, op);
        return showEditor(ctx, 200, subject, { steps: done.steps, baseVersion, focus: done.focus });
      }
      const roles = new Set((await ctx.resolve(coreServices.roles).list(ctx.institution.id)).map((x) => x.key));
      const documents = new Set((await ctx.db.table('mobility_document_types').pluck('code')) as string[]);
      const k: Known = {
        roles, documents, today: today(), formatDay: (d) => longDate(ctx.language, d),
        label: (s) => pick(ctx.language, { fr: s.labelFr, en: s.labelEn }) || s.key,
      };
      const errors = checkSteps(steps, k, (key, vars) => ctx.t(key, vars));
      if (Object.keys(errors).length) return showEditor(ctx, 422, subject, { steps, baseVersion, errors });
      const specs = steps.map(specOf);
      // the engine's own check, kept as the last guard: anything it still finds is shown as is
      const problems = processProblems(specs);
      if (problems.length) return showEditor(ctx, 422, subject, { steps, baseVersion, error: ctx.t('mobility:config.process.errors.guard', { problems: problems.join('; ') }) });
      if (op === 'check') return showEditor(ctx, 200, subject, { steps, baseVersion, notice: ctx.t('mobility:config.process.checked') });

      const current = b.process?.version ?? 0;
      const stale = async () => {
        const latest = await ownActive(ctx, subject.key);
        const by = latest ? (await versions(ctx, subject.key)).find((v) => v.version === latest.version) : null;
        ctx.log.info({ key: subject.key, baseVersion, current: latest?.version }, 'mobility process publish refused: stale form');
        // what was typed stays; the form now stands on the newer version, so publishing again is a deliberate overwrite
        return showEditor(ctx, 409, subject, {
          steps, baseVersion: latest?.version ?? 0,
          error: ctx.t('mobility:config.process.conflict', { version: latest?.version ?? 0, date: by?.date ?? '', author: by?.author ?? '' }),
        });
      };
      if (current !== baseVersion) return stale();
      try {
        const published = await storeOf(ctx).publishProcess(actorOf(ctx), subject.exchangeType, specs, baseVersion);
        ctx.flash('success', ctx.t('mobility:config.process.published', { version: published.version, name: subject.label }));
        return seeOther(ctx, `${PROCESSES}/${encodeURIComponent(subject.key)}`);
      } catch (e) {
        if (statusOf(e) === 409) return stale();
        if (statusOf(e) === 400) return showEditor(ctx, 422, subject, { steps, baseVersion, error: ctx.t('mobility:config.process.errors.guard', { problems: (e as Error).message }) });
        throw e;
      }
    },
  });
}
