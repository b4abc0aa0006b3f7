/**
 * The student's course picker, `/mobility/me/:id/courses`: search what they may take, add and remove
 * courses (htmx, or plain forms), the completion bars and the problems explained, the draft's
 * details (terms, prerequisites, language levels), and "Submit" — the mobility transition that
 * sends the choice to the referents. Only the person the file is about reaches it.
 * @packageDocumentation
 */
import { formField, formFields, seeOther } from '@smile/sdk';
import type { RegisterApi } from '@smile/sdk';
import { PERMISSIONS, mobilityService, type MobilityFile } from '@smile/plugin-mobility';
import { actorOf, domId, idParam, notFound, PickerRefusal, refusalText, termsOfFile, type Ctx, type PickerSettings } from './common.js';
import { activeFilters, backQuery, parsePickerQuery, queryString, SORTS } from './picker-query.js';
import { explain } from './rules-explain.js';
import { CEFR_LEVELS, type Violation } from './rules-types.js';
import { evaluateStored } from './store-evaluate.js';
import { componentNameIn, componentNames, filterOptions, searchPicker, type PickerQuery } from './store-search.js';
import { fileAndPageState, type PageState } from './store-page.js';
import { APPROVAL_STEP, CHOICE_STEP, coursePickerService } from './store.js';
import type { DraftInput } from './store-types.js';
import { choiceStatus, choiceView, isEditable, translator } from './view-model.js';
import { cachedView } from './view-cache.js';

export const pickerPath = (id: number) => `/mobility/me/${id}/courses`;

/** A file gone between two reads of the same request: as if it never existed. */
function notFoundIn(ctx: Ctx): never {
  throw notFound(ctx);
}

/** The file `id` when it belongs to the signed-in person, else a 404 (another person's file does not exist for them). */
async function ownFile(ctx: Ctx): Promise<MobilityFile> {
  const id = idParam(ctx);
  const personId = ctx.principal.personId;
  const file = personId ? await ctx.resolve(mobilityService).file(ctx.institution.id, id) : null;
  if (!file || file.personId !== personId) throw notFound(ctx);
  return file;
}

interface Extra {
  /** Problems that refused the last action, shown in the error summary. */
  errors?: string[];
  /** What was done, for the live region. */
  status?: string;
  /** Focus this element id after an htmx swap. */
  focus?: string;
  /** Heading of the error summary (default: "your last action was refused"). */
  errorTitle?: string;
}

/** Register the student's pages. */
export function registerStudentPages(r: RegisterApi<PickerSettings>): void {
  const store = r.deferred(coursePickerService);

  /**
   * What the views need. `resultsOnly`: for the htmx search fragment, which shows the results alone —
   * the choice's evaluation and its explanations (most of a page's work) are left out (`view` is null).
   */
  async function locals(ctx: Ctx, file: MobilityFile, s: PickerQuery, extra: Extra = {}, resultsOnly = false, read?: PageState) {
    const settings = r.settingsFor(ctx.institution);
    const inst = ctx.institution.id;
    const knex = ctx.db.knex;
    // the generation with the choice: the caches below key on it
    const { choice, generation, seats } = read ?? (await fileAndPageState(ctx.resolve(mobilityService), inst, file.id))?.state ?? notFoundIn(ctx);
    const editable = isEditable(file, choice);
    // at the choice step the student is about to submit: show what would block it (a minimum not met too)
    const atChoiceStep = editable && file.currentStep === CHOICE_STEP;
    const mode = atChoiceStep ? 'submit' : 'draft';
    const view = resultsOnly
      ? null
      : await cachedView(
        { db: knex, settings, theme: ctx.institution.theme, language: ctx.language, mode, generation, file, choice, seats },
        async () => {
          // component names change with the catalogue's generation as far as this page knows (see componentNames)
          const [evaluated, names] = await Promise.all([evaluateStored(knex, settings, file, choice, mode, generation, seats), componentNames(knex, inst, generation)]);
          return choiceView(ctx, file, choice, evaluated, { componentNames: names });
        },
      );
    const scope = { institutionId: inst, year: file.academicYear, exchangeType: file.exchangeType, terms: termsOfFile(settings, file), lang: ctx.language };
    const [result, options, process] = await Promise.all([
      searchPicker(knex, scope, s, generation),
      filterOptions(knex, inst, file.academicYear, generation),
      // the step's name is only shown once the choice went to the referents
      choice.submittedAt ? ctx.resolve(mobilityService).process(inst, file.processId) : null,
    ]);
    const step = process?.steps.find((x) => x.key === file.currentStep);
    const stepLabel = step ? (ctx.language === 'en' ? step.label.en : step.label.fr) : '';
    const status = choiceStatus(file, choice, stepLabel, APPROVAL_STEP);
    const qs = queryString(s);
    return {
      title: ctx.t('course-picker:picker.title'),
      file, choice, view, s, result, options, sorts: SORTS, filters: activeFilters(s), back: qs,
      base: pickerPath(file.id), pageUrl: (n: number) => `${pickerPath(file.id)}?${queryString(s, n)}`,
      chosen: new Set(choice.items.map((i) => i.code)), editable,
      // the view counts a refused course still in the choice as blocking
      atChoiceStep, ready: !!view?.canSubmit && choice.items.length > 0,
      errorTitle: extra.errorTitle ?? ctx.t('course-picker:picker.errors.title', { n: (extra.errors ?? []).length }),
      stepLabel, statusNote: status ? ctx.t(`course-picker:picker.choice.${status.key}`, status.vars) : '',
      cefr: CEFR_LEVELS, domId, errors: extra.errors ?? [], status: extra.status ?? '', focus: extra.focus ?? '',
    };
  }

  /** After a change: the live region (htmx) or the page again (a plain form: 303, or the page with the error). */
  async function answer(ctx: Ctx, file: MobilityFile, s: PickerQuery, extra: Extra, status = 200): Promise<void> {
    if (ctx.htmx) {
      const l = await locals(ctx, file, s, extra);
      await ctx.render('course-picker/picker-live', { ...l, fragment: true });
      ctx.koa.status = status;
      return;
    }
    if (status < 400) {
      if (extra.status) ctx.flash('success', extra.status);
      const qs = queryString(s);
      return seeOther(ctx, `${pickerPath(file.id)}${qs ? `?${qs}` : ''}#${extra.focus || 'picker-choice'}`);
    }
    await ctx.render('course-picker/picker', await locals(ctx, file, s, extra));
    ctx.koa.status = status;
  }

  const refused = (ctx: Ctx, e: unknown): { status: number; errors: string[] } | null => {
    if (!(e instanceof PickerRefusal)) return null;
    const problems = (e as PickerRefusal & { problems?: Violation[] }).problems;
    if (problems?.length) return { status: e.status, errors: problems.map((v) => explain(v, ctx.language, translator(ctx))) };
    return { status: e.status, errors: [refusalText(ctx.language, e)] };
  };

  r.route({
    method: 'GET',
    path: '/mobility/me/:id/courses',
    permission: PERMISSIONS.self,
    async handler(ctx) {
      // the file and the picker's own rows in one round trip: shown only if the file is the student's
      const id = idParam(ctx);
      const personId = ctx.principal.personId;
      const both = personId ? await fileAndPageState(ctx.resolve(mobilityService), ctx.institution.id, id) : null;
      if (!both || both.file.personId !== personId) throw notFound(ctx);
      const { file, state: read } = both;
      const s = parsePickerQuery(ctx.query);
      ctx.koa.vary('HX-Target');
      if (ctx.htmx && ctx.koa.get('HX-Request-Type') !== 'full' && /(^|#)picker-results$/.test(ctx.koa.get('HX-Target'))) {
        const qs = queryString(s);
        ctx.koa.set('HX-Replace-Url', `${pickerPath(file.id)}${qs ? `?${qs}` : ''}`);
        await ctx.render('course-picker/picker-results', { ...(await locals(ctx, file, s, {}, true, read)), fragment: true });
        return;
      }
      await ctx.render('course-picker/picker', await locals(ctx, file, s, {}, false, read));
    },
  });

  /** Change the choice with `run` (which says what it did) and answer with that line, or with why it was refused. */
  async function change(ctx: Ctx, file: MobilityFile, s: ReturnType<typeof backQuery>, focus: string, run: () => Promise<string>): Promise<void> {
    try {
      return await answer(ctx, file, s, { status: await run(), focus });
    } catch (e) {
      const why = refused(ctx, e);
      if (!why) throw e;
      return answer(ctx, file, s, { errors: why.errors, focus: 'picker-errors' }, why.status);
    }
  }

  for (const op of ['add', 'remove'] as const) {
    r.route({
      method: 'POST',
      path: `/mobility/me/:id/courses/${op}`,
      permission: PERMISSIONS.self,
      async handler(ctx) {
        const file = await ownFile(ctx);
        const s = backQuery(ctx.body);
        const code = formField(ctx.body, 'code').slice(0, 64);
        const version = Number(formField(ctx.body, 'version'));
        const where = formField(ctx.body, 'from') === 'choice' ? 'picker-choice-title' : `toggle-${domId(code)}`;
        return change(ctx, file, s, where, async () => {
          if (!code) throw new PickerRefusal('unknown', { code: '' });
          const actor = { ...actorOf(ctx), ip: ctx.koa.ip };
          const expected = Number.isInteger(version) && version > 0 ? version : null;
          const { item } = op === 'add'
            ? await store().add(actor, r.settingsFor(ctx.institution), file, code, expected)
            : await store().remove(actor, file, code, expected);
          const title = ctx.language === 'en' ? item.titleEn || item.titleFr : item.titleFr;
          return ctx.t(`course-picker:picker.done.${op}`, { code, title });
        });
      },
    });
  }

  r.route({
    method: 'POST',
    path: '/mobility/me/:id/courses/save',
    permission: PERMISSIONS.self,
    async handler(ctx) {
      const file = await ownFile(ctx);
      const s = backQuery(ctx.body);
      const input: DraftInput = { terms: {}, confirmed: formFields(ctx.body, 'confirmed'), languageLevels: {} };
      const body = (ctx.body ?? {}) as Record<string, unknown>;
      for (const k of Object.keys(body)) {
        const term = /^term:(.{1,64})$/.exec(k);
        if (term) {
          const v = formField(body, k);
          if (v === 'S1' || v === 'S2') input.terms[term[1]!] = v;
        }
        const level = /^level:([a-z]{2})$/.exec(k);
        if (level && formField(body, k)) input.languageLevels[level[1]!] = formField(body, k);
      }
      return change(ctx, file, s, 'picker-draft', async () => {
        await store().saveDraft({ ...actorOf(ctx), ip: ctx.koa.ip }, file, input, Number(formField(ctx.body, 'version')));
        return ctx.t('course-picker:picker.done.save');
      });
    },
  });

  r.route({
    method: 'POST',
    path: '/mobility/me/:id/courses/submit',
    permission: PERMISSIONS.self,
    async handler(ctx) {
      const file = await ownFile(ctx);
      const s = backQuery(ctx.body);
      const fileVersion = Number(formField(ctx.body, 'fileVersion'));
      const mobility = ctx.resolve(mobilityService);
      try {
        await mobility.transition(actorOf(ctx), file.id, { stepKey: CHOICE_STEP, action: 'validate' }, Number.isInteger(fileVersion) ? fileVersion : undefined);
      } catch (e) {
        const status = (e as { status?: number }).status ?? 500;
        if (status >= 500) throw e;
        // the engine's message (our tap's, in the student's language) without its code prefix
        const text = String((e as Error).message).replace(/^SMILE_ERR_[A-Z_]+: /, '').replace(/ \((plugin|key) "[^"]*"(, key "[^"]*")?\)$/, '');
        const fresh = (await ctx.resolve(mobilityService).file(ctx.institution.id, file.id)) ?? file;
        const errors = status === 409 ? [ctx.t('course-picker:picker.errors.moved')] : status === 422 ? await submitProblems(ctx, fresh, text) : [text];
        return answer(ctx, fresh, s, { errors, focus: 'picker-errors', errorTitle: ctx.t('course-picker:picker.submit.blocked') }, status);
      }
      ctx.flash('success', ctx.t('course-picker:picker.done.submit'));
      if (ctx.htmx) {
        ctx.koa.set('HX-Redirect', pickerPath(file.id));
        ctx.koa.status = 204;
        return;
      }
      return seeOther(ctx, pickerPath(file.id));
    },
  });

  /** The problems that refused a submission, one per line (the tap's message has them all in one). */
  async function submitProblems(ctx: Ctx, file: MobilityFile, message: string): Promise<string[]> {
    const choice = await store().choice(ctx.institution.id, file.id);
    const [{ evaluation }, names] = await Promise.all([
      evaluateStored(ctx.db.knex, r.settingsFor(ctx.institution), file, choice, 'submit'), componentNames(ctx.db.knex, ctx.institution.id),
    ]);
    const words = { translate: translator(ctx), componentName: componentNameIn(names, ctx.language) };
    const list = evaluation.violations.filter((v) => v.severity === 'block').map((v) => explain(v, ctx.language, words));
    const refusedItems = choice.items.filter((i) => i.decision === 'refused');
    if (refusedItems.length) list.unshift(ctx.t('course-picker:picker.submit.refused', { courses: refusedItems.map((i) => i.code).join(', ') }));
    if (!choice.items.length) list.unshift(ctx.t('course-picker:picker.submit.empty'));
    return list.length ? list : [message];
  }
}
