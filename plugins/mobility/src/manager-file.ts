/**
 * A file's page for the office and referents: all data (special needs only with the manage
 * permission), the current step and who owns it, the timeline, and the actions this person may take
 * now, posted to `/mobility/files/:id/transition` with the file's version.
 * @packageDocumentation
 */
import { coreServices, formField as field, seeOther } from '@smile/sdk';
import type { RegisterApi } from '@smile/sdk';
import { PERMISSIONS } from './permissions.js';
import type { MobilityFile, TransitionAction } from './types.js';
import { FILES } from './manager-list.js';
import { actorOf, duration, idParam, fileInScope, inScope, keyOf, notFound, pick, readScope, renderWithStatus, statusOf, storeOf, type Ctx } from './manager-common.js';

const ACTIONS: readonly TransitionAction[] = ['validate', 'refuse', 'abandon'];

async function loadFile(ctx: Ctx, id: number): Promise<MobilityFile> {
  const file = await storeOf(ctx).file(ctx.institution.id, id, { specialNeeds: ctx.can(PERMISSIONS.manage) });
  if (!file || !fileInScope(readScope(ctx), file)) throw notFound(ctx);
  return file;
}

/** Everything the page shows. `form` keeps what was typed when a transition is refused. */
async function fileLocals(ctx: Ctx, file: MobilityFile, extra: { error?: string | null; commentError?: string | null; comment?: string } = {}) {
  const store = storeOf(ctx);
  const lang = ctx.language;
  const [process, history, actions, types, roles] = await Promise.all([
    store.process(ctx.institution.id, file.processId),
    store.history(ctx.institution.id, file.id),
    store.allowedActions(actorOf(ctx), file),
    store.exchangeTypes(ctx.institution.id),
    ctx.resolve(coreServices.roles).list(ctx.institution.id),
  ]);
  const stepLabel = (key: string | null) => (key ? pick(lang, process.steps.find((s) => s.key === key)?.label) || key : ctx.t('mobility:manager.file.end'));
  const ownerLabel = (owner: string) => (owner === 'student' ? ctx.t('mobility:manager.file.ownerStudent') : pick(lang, roles.find((r) => r.key === owner)?.name) || owner);
  const current = process.steps.find((s) => s.key === file.currentStep) ?? null;
  const activeVisit = history.visits.find((v) => v.state === 'active') ?? null;
  const visited = new Set(history.visits.map((v) => v.stepKey));
  const steps = process.steps.map((s) => ({
    key: s.key, label: pick(lang, s.label), owner: ownerLabel(s.owner),
    state: s.key === file.currentStep && activeVisit ? 'active' : history.visits.filter((v) => v.stepKey === s.key).at(-1)?.state ?? 'pending',
    time: visited.has(s.key) ? duration(ctx, history.timePerStep[s.key] ?? 0) : '',
  }));
  const timeline = [...history.transitions].reverse().map((x) => ({
    at: x.at, who: x.label, what: ctx.t(`mobility:manager.file.action.${x.action}`),
    from: x.fromStep ? stepLabel(x.fromStep) : '', to: x.action === 'approve' || x.action === 'merge' ? '' : stepLabel(x.toStep), comment: x.comment ?? '',
  }));
  const byAction = Object.fromEntries(actions.map((a) => [a.action, a]));
  const sections = (await store.hooks.fileSections.promise([], { ctx, file, audience: 'manager' })).sort((a, b) => a.order - b.order);
  return {
    sections,
    title: ctx.t('mobility:manager.file.title', { name: `${file.firstName} ${file.lastName}` }),
    file, steps, timeline, actions: byAction, hasActions: actions.length > 0,
    exchangeLabel: pick(lang, types.find((x) => x.code === file.exchangeType)?.label) || file.exchangeType,
    statusLabel: ctx.t(`mobility:manager.status.${file.status}`),
    publicLabel: ctx.t(`mobility:manager.publics.${file.public}`),
    current: current ? { label: pick(lang, current.label), owner: ownerLabel(current.owner), deadline: activeVisit?.deadlineAt ?? null } : null,
    showSpecialNeeds: ctx.can(PERMISSIONS.manage),
    error: extra.error ?? null, commentError: extra.commentError ?? null, comment: extra.comment ?? '',
  };
}

export function registerFile(r: RegisterApi<any>): void {
  r.route({
    method: 'GET',
    path: `${FILES}/:id`,
    permission: PERMISSIONS.read,
    async handler(ctx) {
      const file = await loadFile(ctx, idParam(ctx));
      await ctx.render('mobility/manager-file', await fileLocals(ctx, file));
    },
  });

  r.route({
    method: 'POST',
    path: `${FILES}/:id/transition`,
    permission: PERMISSIONS.read,
    async handler(ctx) {
      const id = idParam(ctx);
      const file = await loadFile(ctx, id);
      const action = field(ctx.body, 'action') as TransitionAction;
      const stepKey = field(ctx.body, 'step');
      const version = Number(field(ctx.body, 'version'));
      const comment = field(ctx.body, 'comment', true).slice(0, 5000);
      if (!ACTIONS.includes(action) || !stepKey || !Number.isInteger(version)) {
        return renderWithStatus(ctx, 400, 'mobility/manager-file', await fileLocals(ctx, file, { error: ctx.t('mobility:manager.errors.badAction') }));
      }
      const store = storeOf(ctx);
      try {
        const { file: after, partial } = await store.transition(actorOf(ctx), id, { stepKey, action, comment }, version);
        if (partial) ctx.flash('success', ctx.t('mobility:manager.file.approved'));
        else if (after.currentStep) {
          const process = await store.process(ctx.institution.id, after.processId);
          ctx.flash('success', ctx.t('mobility:manager.file.done', { step: pick(ctx.language, process.steps.find((s) => s.key === after.currentStep)?.label) || after.currentStep }));
        } else ctx.flash('success', ctx.t('mobility:manager.file.doneClosed', { status: ctx.t(`mobility:manager.status.${after.status}`) }));
        return seeOther(ctx, `${FILES}/${id}`);
      } catch (e) {
        const status = statusOf(e);
        if (status === 409) {
          const fresh = await loadFile(ctx, id);
          const locals = await fileLocals(ctx, fresh);
          const step = locals.current?.label ?? ctx.t('mobility:manager.file.end');
          ctx.log.info({ file: id, stepKey, action }, 'mobility transition refused: the file moved meanwhile');
          return renderWithStatus(ctx, 409, 'mobility/manager-file', { ...locals, error: ctx.t('mobility:manager.errors.conflict', { step, status: locals.statusLabel }) });
        }
        if (status === 400 && keyOf(e) === 'comment') {
          return renderWithStatus(ctx, 422, 'mobility/manager-file', await fileLocals(ctx, file, { commentError: ctx.t('mobility:manager.errors.comment'), comment }));
        }
        throw e;
      }
    },
  });
}
