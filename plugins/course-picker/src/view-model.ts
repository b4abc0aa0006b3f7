/**
 * What the student's page, the referent's page and the file blocks show of a choice: each course
 * with its catalogue state, decision, problems and how the totals count it; the totals per term and
 * for the year with their sentences; the problems explained in the reader's language (the rules
 * engine's words), to the student or about the student (staff), components named by their names.
 * @packageDocumentation
 */
import { OPEN_STATUSES, type MobilityFile } from '@smile/plugin-mobility';
import type { Ctx, Lang } from './common.js';
import { titleIn } from './common.js';
import { explain, explainCounted, explainTerm, type ExplainOptions, type RulesAudience, type RulesTranslate } from './rules-explain.js';
import type { ElementTitle, Term, TermSummary, Violation } from './rules-types.js';
import type { Evaluated } from './store-evaluate.js';
import { componentNameIn, type ComponentNames } from './store-search.js';
import { decidingComponent } from './store.js';
import type { Choice, ChoiceItem, Decision } from './store-types.js';

/** One course as the pages show it. */
export interface ItemView {
  code: string;
  title: string;
  ects: number | null;
  /** Where its ECTS count ("Semester 1", "Semester 1 and 2"). */
  termLabel: string;
  /** An element without a semester in a full-year mobility: the student gives the term. */
  needsTerm: boolean;
  term: Term | null;
  componentCode: string | null;
  /** The teaching component's name in the reader's language (its code when the name is unknown). */
  componentName: string | null;
  decidingComponent: string | null;
  decision: Decision;
  decisionComment: string | null;
  decidedBy: string | null;
  decidedAt: Date | null;
  /** Gone from the catalogue or closed to mobility since it was chosen. */
  flagged: boolean;
  prerequisites: string | null;
  prerequisitesConfirmed: boolean;
  /** Explanations of the problems naming this course. */
  problems: Array<{ text: string; severity: 'block' | 'warning' }>;
  /** How the totals count it when not by its own ECTS (through its UE, inside another chosen element). */
  counted: string | null;
  url: string;
}

/** Totals of a term (or of the year) for a completion bar. */
export interface TotalView {
  key: Term | 'year';
  label: string;
  chosen: number;
  min: number;
  max: number;
  /** Width of the bar, 0–100, against the maximum. */
  percent: number;
  /** Where the minimum sits on the bar, 0–100. */
  minPercent: number;
  status: TermSummary['status'];
  share: number | null;
  threshold: number;
  mainEcts: number;
  text: string;
}

export interface ChoiceView {
  items: ItemView[];
  totals: TotalView[];
  /**
   * Problems not about a single course (those are in its `problems`), and the courses the referent
   * refused while the choice is back with the student (first, with the referent's comment).
   */
  problems: Array<{ text: string; severity: 'block' | 'warning'; codes: string[] }>;
  /** Blocking problems, refused courses still in the choice included. */
  blocking: number;
  /** No blocking problem and no refused course still in the choice. */
  canSubmit: boolean;
  terms: Term[];
  mainComponent: string | null;
  languages: string[];
  counts: Record<Decision, number>;
  /** Courses the referent refused, still in a choice that is back with the student, with the sentence of the problems list. */
  refused: Array<{ code: string; title: string; comment: string | null; text: string }>;
}

/** Who reads the view, and what it names. */
export interface ViewOptions {
  /** The student (default) or staff (referents, the office), who read about the student. */
  audience?: RulesAudience;
  /** The institution's components (`componentNames`), to name them; without it they are named by code. */
  componentNames?: ComponentNames;
}

const pct = (x: number, of: number) => (of > 0 ? Math.max(0, Math.min(100, Math.round((x / of) * 100))) : 0);

/** The student may change the choice: the file is open and the choice is not with the referents. */
export const isEditable = (file: Pick<MobilityFile, 'status'>, choice: Pick<Choice, 'submittedAt'>): boolean => OPEN_STATUSES.has(file.status) && !choice.submittedAt;

/** The translator the rules engine's sentences use: the request's (a theme may override strings). */
export const translator = (ctx: Ctx): RulesTranslate => (k, v) => ctx.t(`course-picker:${k}`, v);

/** Build the view of a choice for a reader of `lang`, the student unless `options.audience` says staff. */
export function choiceView(ctx: Ctx, file: MobilityFile, choice: Choice, evaluated: Evaluated, options: ViewOptions = {}): ChoiceView {
  const lang = ctx.language as Lang;
  const staff = options.audience === 'staff';
  const { evaluation, elements, student } = evaluated;
  const editable = isEditable(file, choice);
  const nameOf = options.componentNames ? componentNameIn(options.componentNames, lang) : () => undefined;
  const titles = new Map<string, ElementTitle>(choice.items.map((i) => {
    const e = elements.get(i.code);
    return [i.code, e ? { fr: e.titleFr, en: e.titleEn } : { fr: i.titleFr, en: i.titleEn }];
  }));
  const words: ExplainOptions = {
    translate: translator(ctx), audience: staff ? 'staff' : 'student', locked: !editable, componentName: nameOf, titleOf: (c) => titles.get(c),
  };
  const say = (v: Violation) => explain(v, lang, words);
  const termName = (x: Term) => ctx.t(`course-picker:picker.term.${x}`);
  const termsOfItem = new Map<string, Term[]>();
  const items: ItemView[] = choice.items.map((i) => {
    const e = elements.get(i.code);
    const sem = e ? e.semester : i.semester;
    const needsTerm = !!e && !sem && student.terms.length > 1;
    const counted = evaluation.counted.find((u) => u.code === i.code || u.includes.includes(i.code) || u.impliedBy?.includes(i.code));
    const where = counted ? (Object.keys(counted.split) as Term[]).sort() : [];
    termsOfItem.set(i.code, where);
    const componentCode = e?.componentCode ?? i.componentCode;
    return {
      code: i.code, title: e ? titleIn(lang, e.titleFr, e.titleEn) : titleIn(lang, i.titleFr, i.titleEn), ects: e ? e.mobilityEcts ?? e.ects : i.ects,
      termLabel: where.length ? where.map(termName).join(' + ') : sem ? ctx.t(`course-picker:picker.semester.${sem}`) : '',
      needsTerm, term: i.term, componentCode, componentName: componentCode ? nameOf(componentCode) ?? componentCode : null, decidingComponent: decidingComponent(file, i),
      decision: i.decision, decisionComment: i.decisionComment, decidedBy: i.decidedByLabel, decidedAt: i.decidedAt,
      flagged: !e || !e.openToMobility,
      prerequisites: e ? (lang === 'en' ? e.prerequisitesEn || e.prerequisitesFr : e.prerequisitesFr || e.prerequisitesEn) : null,
      prerequisitesConfirmed: i.prerequisitesConfirmed,
      problems: evaluation.violations.filter((v) => v.elements.includes(i.code)).map((v) => ({ text: say(v), severity: v.severity })),
      counted: counted ? explainCounted(counted, i.code, lang, words) : null,
      url: `/catalogue/${i.year}/elements/${encodeURIComponent(i.code)}`,
    };
  });
  // a refusal is the referents' to change until they send the choice back: then it is the student's to fix
  const refused = editable ? choice.items.filter((i) => i.decision === 'refused') : [];
  const total = (key: Term | 'year', s: TermSummary): TotalView => {
    // a refused course not counted anywhere (gone from the catalogue) is still in every total's way
    const mine = refused.filter((i) => key === 'year' || !termsOfItem.get(i.code)?.length || termsOfItem.get(i.code)!.includes(key));
    const also = mine.length ? [refusedTotal(ctx, lang, staff, mine)] : [];
    return {
      key, label: key === 'year' ? ctx.t('course-picker:picker.term.year') : termName(key), chosen: s.chosenEcts, min: s.min, max: s.max,
      percent: pct(s.chosenEcts, Math.max(s.max, s.chosenEcts)), minPercent: pct(s.min, Math.max(s.max, s.chosenEcts)), status: also.length ? 'block' : s.status,
      share: s.mainShare, threshold: s.threshold, mainEcts: s.mainComponentEcts, text: explainTerm(s, key, lang, { ...words, also }),
    };
  };
  const totals = student.terms.map((x) => total(x, evaluation.terms[x]!));
  if (student.terms.length > 1) totals.push(total('year', evaluation.year));
  const languages = [...new Set([...items.flatMap((i) => elements.get(i.code)?.languages ?? []), ...Object.keys(choice.languageLevels)])].sort();
  const counts: Record<Decision, number> = { pending: 0, approved: 0, refused: 0 };
  for (const i of choice.items) counts[i.decision]++;
  const refusedViews = refused.map((i) => ({ code: i.code, title: titleIn(lang, i.titleFr, i.titleEn), comment: i.decisionComment, text: refusedProblem(ctx, lang, staff, i) }));
  return {
    items, totals, terms: student.terms, mainComponent: student.mainComponent, languages, counts,
    problems: [
      ...refusedViews.map((r) => ({ text: r.text, severity: 'block' as const, codes: [r.code] })),
      // a problem about one course is shown with that course; the list holds the others (totals, pairs)
      ...evaluation.violations.filter((v) => v.elements.length !== 1).map((v) => ({ text: say(v), severity: v.severity, codes: v.elements })),
    ],
    blocking: evaluation.violations.filter((v) => v.severity === 'block').length + refused.length,
    canSubmit: evaluation.canSubmit && !refused.length,
    refused: refusedViews,
  };
}

const courseName = (lang: Lang, i: ChoiceItem) => `${i.code} – ${titleIn(lang, i.titleFr, i.titleEn)}`;

/** A refused course still in the choice, for the "what to fix" list: the referent's comment and what to do. */
function refusedProblem(ctx: Ctx, lang: Lang, staff: boolean, i: ChoiceItem): string {
  const key = staff ? 'picker.referent.problemRefused' : 'picker.problems.refused';
  return ctx.t(`course-picker:${key}${i.decisionComment ? '' : 'NoComment'}`, { course: courseName(lang, i), comment: i.decisionComment ?? '' });
}

/** The refused courses in a total's sentence, instead of "this meets the rules". */
function refusedTotal(ctx: Ctx, lang: Lang, staff: boolean, items: ChoiceItem[]): string {
  const courses = new Intl.ListFormat(lang, { type: 'conjunction' }).format(items.map((i) => courseName(lang, i)));
  return ctx.t(staff ? 'course-picker:picker.referent.refusedTotal' : 'course-picker:picker.submit.refused', { courses });
}

/**
 * What the student's page says of a submitted choice (or of a closed file), as a `picker.choice.*`
 * key and its values; `null` while the student is choosing. `step`: the current step's name.
 */
export function choiceStatus(file: Pick<MobilityFile, 'status' | 'currentStep'>, choice: Choice, step: string, approvalStep: string): { key: string; vars: Record<string, string | number> } | null {
  const n = choice.items.length;
  const approved = choice.items.filter((i) => i.decision === 'approved').length;
  const all = n > 0 && approved === n;
  if (!OPEN_STATUSES.has(file.status)) return { key: all && file.status === 'completed' ? 'approvedClosed' : 'closed', vars: {} };
  if (!choice.submittedAt) return null;
  if (file.currentStep === approvalStep) {
    if (all) return { key: 'approvedConfirm', vars: { step } };
    return approved ? { key: 'partial', vars: { step, approved, n } } : { key: 'submitted', vars: { step } };
  }
  // the referents' step is behind: the file went on
  if (all) return { key: step ? 'approvedNext' : 'approved', vars: { step } };
  return { key: step ? 'movedOn' : 'movedOnNoStep', vars: { step, approved, n } };
}
