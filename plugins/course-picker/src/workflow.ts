/**
 * The course choice in the mobility workflow (taps on `mobilityHooks`):
 * - submitting (`validate` of the choice step) is refused while the rules engine finds a blocking
 *   problem in submit mode, or a refused course is still in the choice — in the actor's language;
 * - once submitted the choice is locked; a refusal back to the choice step unlocks it;
 * - a referent's validation is refused while a course of their component is undecided or refused;
 * - an abandoned file gives its seats back.
 * @packageDocumentation
 */
import { ErrorCodes, SmileError } from '@smile/sdk';
import type { RegisterApi } from '@smile/sdk';
import { mobilityHooks, type TransitionEvent } from '@smile/plugin-mobility';
import { settingsIn, str, titleIn, type Lang, type PickerSettings } from './common.js';
import { explain } from './rules-explain.js';
import { evaluateStored } from './store-evaluate.js';
import { componentNameIn, componentNames } from './store-search.js';
import { approvalsOf, approvedComponents } from './store-approvals.js';
import { APPROVAL_STEP, CHOICE_STEP, coursePickerService, decidingComponent } from './store.js';
import type { ChoiceItem } from './store-types.js';

const langOf = (e: TransitionEvent): Lang => (e.actor.language === 'fr' ? 'fr' : e.actor.language === 'en' ? 'en' : e.file.language ?? 'fr');
const refuse = (message: string) => new SmileError(ErrorCodes.VALIDATION, message, { status: 422 });
const listOf = (lang: Lang, items: ChoiceItem[]) =>
  new Intl.ListFormat(lang, { type: 'conjunction' }).format(items.map((i) => `${i.code} – ${titleIn(lang, i.titleFr, i.titleEn)}`));

/** Register the workflow taps. */
export function registerWorkflow(r: RegisterApi<PickerSettings>): void {
  const store = r.deferred(coursePickerService);
  const hooks = r.hooksOf(mobilityHooks);

  hooks.beforeTransition.tap(async (e) => {
    if (e.fromStep !== CHOICE_STEP || e.action !== 'validate' || e.system) return;
    const lang = langOf(e);
    const settings = await settingsIn(e.trx, e.institutionId, (i) => r.settingsFor(i));
    const choice = await store().choice(e.institutionId, e.file.id, e.trx);
    const refused = choice.items.filter((i) => i.decision === 'refused');
    const { evaluation } = await evaluateStored(e.trx, settings, e.file, choice, 'submit');
    const blocking = evaluation.violations.filter((v) => v.severity === 'block');
    // components by name, as on the pages (read only when a sentence may name one)
    const names = blocking.some((v) => v.rule === 'main-component-share') ? componentNameIn(await componentNames(e.trx, e.institutionId), lang) : undefined;
    const problems = blocking.map((v) => explain(v, lang, { componentName: names }));
    if (!choice.items.length) problems.unshift(str(lang, 'picker.submit.empty'));
    if (refused.length) problems.unshift(str(lang, 'picker.submit.refused', { courses: listOf(lang, refused) }));
    if (problems.length) throw refuse(`${str(lang, 'picker.submit.blocked')} ${problems.join(' ')}`);
  });

  hooks.afterTransition.tap(async (e) => {
    const s = store();
    if (e.action === 'abandon') {
      await s.releaseAll(e.trx, e.institutionId, e.file.id);
      return;
    }
    if (e.fromStep === CHOICE_STEP && e.action === 'validate' && !e.partial) {
      await s.setSubmitted(e.trx, e.institutionId, e.file.id, new Date());
      return;
    }
    if (e.toStep === CHOICE_STEP && e.fromStep !== CHOICE_STEP) {
      await s.setSubmitted(e.trx, e.institutionId, e.file.id, null);
      return;
    }
    if (e.fromStep === APPROVAL_STEP && e.action === 'validate' && !e.system) {
      // the approvals a person gives are decided by the engine from their roles (read outside the
      // transaction): they are known once recorded, so the check runs here; throwing rolls it all back
      const mine = approvedComponents(await approvalsOf(e.trx, e.file.id), e.actor.personId ?? null);
      if (!mine.length) return;
      const choice = await s.choice(e.institutionId, e.file.id, e.trx);
      const open = choice.items.filter((i) => i.decision !== 'approved' && mine.includes(decidingComponent(e.file, i)));
      if (open.length) {
        const lang = langOf(e);
        throw refuse(str(lang, 'picker.referent.errors.undecided', { courses: listOf(lang, open) }));
      }
    }
  });
}
