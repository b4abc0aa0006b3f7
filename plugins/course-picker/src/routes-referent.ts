/**
 * The referents' page, `/mobility/files/:id/courses`: the student's choice with its problems (a
 * course gone from the catalogue is flagged), grouped by the component that decides each course.
 * A referent approves or refuses the courses of their component(s) (a refusal needs a comment), then
 * sends their decisions: their approval of the step when every course is approved, else the step is
 * refused back to the student with the refused courses in the comment.
 * @packageDocumentation
 */
import { SmileError, formField, seeOther } from '@smile/sdk';
import type { RegisterApi } from '@smile/sdk';
import { PERMISSIONS, mobilityService, type MobilityFile } from '@smile/plugin-mobility';
import { actorOf, domId, fileLanguage, idParam, notFound, PickerRefusal, refusalText, str, titleIn, type Ctx, type PickerSettings } from './common.js';
import { approvalsOf, approvedComponents } from './store-approvals.js';
import { evaluateStored } from './store-evaluate.js';
import { componentNameIn, componentNames } from './store-search.js';
import { APPROVAL_STEP, coursePickerService } from './store.js';
import { DECISIONS, type Choice, type Decision } from './store-types.js';
import { choiceView, type ItemView } from './view-model.js';

/** Deciding on courses (held per component, like the referent role). */
export const DECIDE = 'course-picker:courses.decide';
export const referentPath = (id: number) => `/mobility/files/${id}/courses`;

/** A file the person may read: its main component, or a component approving it, in their scope. */
async function readableFile(ctx: Ctx): Promise<MobilityFile> {
  const file = await ctx.resolve(mobilityService).file(ctx.institution.id, idParam(ctx));
  const scope = ctx.scopeOf(PERMISSIONS.read);
  const codes = [file?.componentCode, ...(file?.approvalComponents ?? [])].filter((c): c is string => !!c);
  if (!file || (scope !== 'all' && !codes.some((c) => scope.includes(c)))) throw notFound(ctx);
  return file;
}

const mayDecide = (ctx: Ctx) => (component: string | null) => (component === null ? ctx.can(DECIDE) : ctx.can(DECIDE, { component }));

interface FormState {
  errors?: Array<{ text: string; field?: string }>;
  /** What was typed, per code, when a decision was refused. */
  typed?: { code: string; decision: string; comment: string };
}

/** Register the referents' page and its two actions. */
export function registerReferentPages(r: RegisterApi<PickerSettings>): void {
  const store = r.deferred(coursePickerService);

  async function locals(ctx: Ctx, file: MobilityFile, form: FormState = {}) {
    const choice = await store().choice(ctx.institution.id, file.id);
    const [evaluated, names] = await Promise.all([
      evaluateStored(ctx.db.knex, r.settingsFor(ctx.institution), file, choice, 'submit'), componentNames(ctx.db.knex, ctx.institution.id),
    ]);
    const view = choiceView(ctx, file, choice, evaluated, { audience: 'staff', componentNames: names });
    const nameOf = componentNameIn(names, ctx.language);
    const atStep = file.currentStep === APPROVAL_STEP && !!choice.submittedAt && (file.status === 'nominated' || file.status === 'in_progress');
    const done = atStep ? approvedComponents(await approvalsOf(ctx.db.knex, file.id, true)) : [];
    const can = mayDecide(ctx);
    const byComponent = new Map<string | null, ItemView[]>();
    for (const it of view.items) byComponent.set(it.decidingComponent, [...(byComponent.get(it.decidingComponent) ?? []), it]);
    const groups = [...byComponent].map(([component, items]) => ({
      component, name: component ? nameOf(component) ?? component : null, items, approved: done.includes(component), mayDecide: atStep && can(component) && !done.includes(component),
    }));
    const mine = groups.filter((g) => g.mayDecide);
    const mineItems = mine.flatMap((g) => g.items);
    return {
      title: ctx.t('course-picker:picker.referent.title', { name: `${file.firstName} ${file.lastName}` }),
      file, choice, view, groups, atStep, decisions: DECISIONS.filter((d) => d !== 'pending'),
      canFinish: mine.length > 0, pending: mineItems.filter((i) => i.decision === 'pending').length,
      refusedCount: mineItems.filter((i) => i.decision === 'refused').length,
      errors: form.errors ?? [], typed: form.typed ?? null, base: referentPath(file.id), domId,
    };
  }

  const render = async (ctx: Ctx, file: MobilityFile, form: FormState, status: number) => {
    await ctx.render('course-picker/referent', await locals(ctx, file, form));
    ctx.koa.status = status;
  };

  r.route({
    method: 'GET',
    path: '/mobility/files/:id/courses',
    permission: PERMISSIONS.read,
    async handler(ctx) {
      const file = await readableFile(ctx);
      await ctx.render('course-picker/referent', await locals(ctx, file));
    },
  });

  r.route({
    method: 'POST',
    path: '/mobility/files/:id/courses/decide',
    permission: DECIDE,
    async handler(ctx) {
      const file = await readableFile(ctx);
      const code = formField(ctx.body, 'code').slice(0, 64);
      const decision = formField(ctx.body, 'decision') as Decision;
      const was = formField(ctx.body, 'was') as Decision;
      const comment = formField(ctx.body, 'comment').slice(0, 2000);
      const typed = { code, decision, comment };
      const field = `comment-${domId(code)}`;
      if (!DECISIONS.includes(decision) || !DECISIONS.includes(was)) {
        return render(ctx, file, { errors: [{ text: ctx.t('course-picker:picker.referent.errors.choose'), field: `decision-${domId(code)}` }], typed }, 400);
      }
      try {
        await store().decide({ ...actorOf(ctx), ip: ctx.koa.ip }, file, { code, decision, comment, was }, mayDecide(ctx));
      } catch (e) {
        if (!(e instanceof PickerRefusal)) throw e;
        const fresh = (await ctx.resolve(mobilityService).file(ctx.institution.id, file.id)) ?? file;
        return render(ctx, fresh, { errors: [{ text: refusalText(ctx.language, e), ...(e.reason === 'comment' ? { field } : {}) }], typed }, e.status);
      }
      ctx.flash('success', ctx.t(`course-picker:picker.referent.done.${decision}`, { code }));
      return seeOther(ctx, `${referentPath(file.id)}#item-${domId(code)}`);
    },
  });

  r.route({
    method: 'POST',
    path: '/mobility/files/:id/courses/finish',
    permission: DECIDE,
    async handler(ctx) {
      const file = await readableFile(ctx);
      const l = await locals(ctx, file);
      const version = Number(formField(ctx.body, 'fileVersion'));
      if (!l.canFinish) return render(ctx, file, { errors: [{ text: ctx.t('course-picker:picker.errors.not-at-step') }] }, 409);
      if (l.pending) return render(ctx, file, { errors: [{ text: ctx.t('course-picker:picker.referent.errors.pending', { n: l.pending }) }] }, 422);
      const mine = l.groups.filter((g) => g.mayDecide).flatMap((g) => g.items);
      const refused = mine.filter((i) => i.decision === 'refused');
      const mobility = ctx.resolve(mobilityService);
      try {
        if (refused.length) {
          await mobility.transition(actorOf(ctx), file.id, { stepKey: APPROVAL_STEP, action: 'refuse', comment: refusalComment(file, l.choice, refused.map((i) => i.code)) }, Number.isInteger(version) ? version : undefined);
          ctx.flash('success', ctx.t('course-picker:picker.referent.done.sentBack'));
        } else {
          const { partial } = await mobility.transition(actorOf(ctx), file.id, { stepKey: APPROVAL_STEP, action: 'validate' }, Number.isInteger(version) ? version : undefined);
          ctx.flash('success', ctx.t(partial ? 'course-picker:picker.referent.done.approvedPartial' : 'course-picker:picker.referent.done.approvedAll'));
        }
      } catch (e) {
        const status = e instanceof SmileError ? e.status : 500;
        if (status >= 500) throw e;
        const fresh = (await mobility.file(ctx.institution.id, file.id)) ?? file;
        const text = status === 409 ? ctx.t('course-picker:picker.errors.moved') : String((e as Error).message).replace(/^SMILE_ERR_[A-Z_]+: /, '').replace(/ \((plugin|key) "[^"]*"\)$/, '');
        return render(ctx, fresh, { errors: [{ text }] }, status);
      }
      return seeOther(ctx, referentPath(file.id));
    },
  });
}

/** The comment of a refusal sent back to the student, in the language they read: each refused course and why. */
export function refusalComment(file: Pick<MobilityFile, 'language' | 'home'>, choice: Choice, codes: string[]): string {
  const lang = fileLanguage(file);
  const lines = choice.items
    .filter((i) => codes.includes(i.code))
    .map((i) => str(lang, 'picker.referent.refusedLine', { code: i.code, title: titleIn(lang, i.titleFr, i.titleEn), comment: i.decisionComment ?? '' }));
  return `${str(lang, 'picker.referent.refusedIntro')}\n${lines.join('\n')}`;
}
