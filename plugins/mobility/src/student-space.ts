/**
 * The student space: `/mobility/me` (the person's files) and `/mobility/me/:id` (one file: where it
 * stands in the process, what to do next and by when, the timeline the student may see, the
 * profile's completion, the blocks other parts add), and sending the current student step.
 * @packageDocumentation
 */
import { coreServices, formField as field, seeOther } from '@smile/sdk';
import type { RegisterApi } from '@smile/sdk';
import { PERMISSIONS } from './permissions.js';
import { actorOf, idParam, pick, renderWithStatus, statusOf, storeOf, type Ctx, type Lang } from './manager-common.js';
import { academicYearLabel, isOpen, ownFile, studentNotFound, userMessage } from './student-common.js';
import { missingFields, requiredFields, valuesOfFile } from './student-store.js';
import { ProfileIncomplete } from './student-taps.js';
import { isOfficeRole, timelineOf } from './student-timeline.js';
import type { RoleInfo } from '@smile/sdk';
import type { FileHistory, MobilityFile, Process } from './types.js';

export const ME = '/mobility/me';

/** The state of each step for the student: the ordered list and the bar. */
export function progressOf(process: Process, history: FileHistory, file: MobilityFile, lang: Lang) {
  const open = isOpen(file);
  const idx = process.steps.findIndex((s) => s.key === file.currentStep);
  const steps = process.steps.map((s, i) => {
    const last = history.visits.filter((v) => v.stepKey === s.key).at(-1);
    let state: string;
    if (open && s.key === file.currentStep) state = 'active';
    else if (!open) state = last ? (last.state === 'active' ? 'done' : last.state) : 'skipped';
    else if (i < idx) state = last ? last.state : 'skipped';
    else state = 'upcoming';
    return { key: s.key, label: pick(lang, s.label), owner: s.owner, state, current: open && s.key === file.currentStep };
  });
  const finished = file.status === 'validated' || file.status === 'completed';
  const reached = idx >= 0 ? idx : steps.filter((s) => s.state !== 'skipped' && s.state !== 'upcoming').length;
  const percent = finished ? 100 : Math.round((100 * Math.max(0, reached)) / Math.max(1, steps.length));
  return { steps, percent, position: idx >= 0 ? idx + 1 : null, total: steps.length };
}

/** The role that owns a step, as the student reads it. */
function ownerName(ctx: Ctx, roles: RoleInfo[], owner: string): string {
  if (isOfficeRole(roles, owner)) return ctx.t('mobility:student.next.office');
  return pick(ctx.language, roles.find((r) => r.key === owner)?.name) || owner;
}

/** Everything the file page shows; `error` is a refused submission's message. */
async function fileLocals(ctx: Ctx, file: MobilityFile, error: { message: string; missing?: string[] } | null = null) {
  const store = storeOf(ctx);
  const lang = ctx.language as Lang;
  const inst = ctx.institution.id;
  const [process, history, actions, types, roles, required] = await Promise.all([
    store.process(inst, file.processId),
    store.history(inst, file.id),
    store.allowedActions(actorOf(ctx), file),
    store.exchangeTypes(inst),
    ctx.resolve(coreServices.roles).list(inst),
    requiredFields(ctx.db.knex, inst, file.exchangeType),
  ]);
  const label = (key: string | null) => pick(lang, process.steps.find((s) => s.key === key)?.label) || key || '';
  const progress = progressOf(process, history, file, lang);
  const current = isOpen(file) ? process.steps.find((s) => s.key === file.currentStep) ?? null : null;
  const visit = history.visits.find((v) => v.state === 'active') ?? null;
  const [sections, timeline] = await Promise.all([
    store.hooks.fileSections.promise([], { ctx, file, audience: 'student' }).then((list) => list.sort((a, b) => a.order - b.order)),
    timelineOf(ctx, process, history, file, roles),
  ]);
  // a block that carries the step's own action (the course choice's "Submit my choice"): the student
  // sends the step from there, the generic form would only mislead
  const actedIn = current?.owner === 'student' ? sections.find((x) => x.stepAction === current.key) ?? null : null;
  const submit = current?.owner === 'student' && !actedIn ? actions.find((a) => a.action === 'validate' && a.stepKey === current.key) ?? null : null;
  const now = Date.now();
  const next = !current
    ? { kind: 'closed' as const, status: ctx.t(`mobility:student.status.${file.status}`) }
    : current.owner === 'student'
      ? {
          kind: 'student' as const, step: label(current.key), deadline: visit?.deadlineAt ?? null, overdue: !!visit?.deadlineAt && visit.deadlineAt.getTime() < now,
          actedIn: actedIn ? `#${actedIn.id}` : null,
        }
      : { kind: 'others' as const, step: label(current.key), who: ownerName(ctx, roles, current.owner), since: visit?.enteredAt ?? file.updatedAt };
  const missing = missingFields(valuesOfFile(file), required);
  return {
    title: ctx.t('mobility:student.file.title', { year: academicYearLabel(file.academicYear) }),
    file, progress, next, submit, sections, timeline,
    statusLabel: ctx.t(`mobility:student.status.${file.status}`),
    exchangeLabel: pick(lang, types.find((x) => x.code === file.exchangeType)?.label) || file.exchangeType,
    completion: { filled: required.length - missing.length, required: required.length, missing: missing.map((f) => ctx.t(`mobility:profile.fields.${f}`)) },
    error,
  };
}

async function listLocals(ctx: Ctx) {
  const types = await storeOf(ctx).exchangeTypes(ctx.institution.id);
  const rows = await ctx.db.table('mobility_files').where({ person_id: ctx.principal.personId }).orderBy([{ column: 'created_at', order: 'desc' }, { column: 'id', order: 'desc' }])
    .select('id', 'academic_year', 'exchange_type', 'status', 'home_name');
  return rows.map((r: any) => ({
    id: r.id, year: academicYearLabel(Number(r.academic_year)), home: r.home_name ?? '',
    exchange: pick(ctx.language, types.find((x) => x.code === r.exchange_type)?.label) || r.exchange_type,
    status: ctx.t(`mobility:student.status.${r.status}`),
  }));
}

export function registerSpace(r: RegisterApi<any>): void {
  r.nav({ href: ME, area: 'main', permission: PERMISSIONS.self, label: { fr: 'Ma mobilité', en: 'My mobility' }, weight: 20 });

  r.route({
    method: 'GET',
    path: ME,
    permission: PERMISSIONS.self,
    async handler(ctx) {
      const files = ctx.principal.personId ? await listLocals(ctx) : [];
      if (files.length === 1) return seeOther(ctx, `${ME}/${files[0]!.id}`);
      await ctx.render('mobility/student-files', { title: ctx.t('mobility:student.list.title'), files });
    },
  });

  r.route({
    method: 'GET',
    path: `${ME}/:id`,
    permission: PERMISSIONS.self,
    async handler(ctx) {
      const file = await ownFile(ctx, idParam(ctx));
      await ctx.render('mobility/student-file', await fileLocals(ctx, file));
    },
  });

  r.route({
    method: 'POST',
    path: `${ME}/:id/submit`,
    permission: PERMISSIONS.self,
    async handler(ctx) {
      const id = idParam(ctx);
      const file = await ownFile(ctx, id);
      const stepKey = field(ctx.body, 'step');
      const version = Number(field(ctx.body, 'version'));
      if (!stepKey || !Number.isInteger(version)) {
        return renderWithStatus(ctx, 400, 'mobility/student-file', await fileLocals(ctx, file, { message: ctx.t('mobility:student.errors.badSubmit') }));
      }
      const store = storeOf(ctx);
      try {
        const { file: after } = await store.transition(actorOf(ctx), id, { stepKey, action: 'validate' }, version);
        const process = await store.process(ctx.institution.id, after.processId);
        const step = pick(ctx.language, process.steps.find((x) => x.key === after.currentStep)?.label);
        ctx.flash('success', step ? ctx.t('mobility:student.submit.done', { step }) : ctx.t('mobility:student.submit.doneClosed'));
        return seeOther(ctx, `${ME}/${id}`);
      } catch (e) {
        const status = statusOf(e);
        if (!status || status >= 500) throw e;
        const fresh = await ownFile(ctx, id).catch(() => null);
        if (!fresh) throw studentNotFound(ctx);
        let error: { message: string; missing?: string[] };
        if (status === 409) error = { message: ctx.t('mobility:student.errors.conflict') };
        else if (e instanceof ProfileIncomplete) error = { message: ctx.t('mobility:student.errors.incompleteLead'), missing: e.fields.map((f) => ctx.t(`mobility:profile.fields.${f}`)) };
        // the engine's own refusal is written for developers: say it plainly instead
        else if (status === 403) error = { message: ctx.t('mobility:student.errors.notYourTurn') };
        else error = { message: userMessage(e) };
        ctx.log.info({ file: id, stepKey, status }, 'mobility: a student submission was refused');
        return renderWithStatus(ctx, status === 409 ? 409 : 422, 'mobility/student-file', await fileLocals(ctx, fresh, error));
      }
    },
  });
}
