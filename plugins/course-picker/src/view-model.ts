/**
 * What the student's page, the referent's page and the file blocks show of a choice: each course
 * with its catalogue state, decision and problems; the totals per term and for the year with their
 * sentences; the problems explained in the reader's language (the rules engine's words).
 * @packageDocumentation
 */
import type { MobilityFile } from '@smile/plugin-mobility';
import type { Ctx, Lang } from './common.js';
import { titleIn } from './common.js';
import { explain, explainTerm, type RulesTranslate } from './rules-explain.js';
import type { Term, TermSummary, Violation } from './rules-types.js';
import type { Evaluated } from './store-evaluate.js';
import { decidingComponent } from './store.js';
import type { Choice, Decision } from './store-types.js';

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
  /** Problems not about a single course (those are in its `problems`). */
  problems: Array<{ text: string; severity: 'block' | 'warning'; codes: string[] }>;
  blocking: number;
  canSubmit: boolean;
  terms: Term[];
  mainComponent: string | null;
  languages: string[];
  counts: Record<Decision, number>;
}

const pct = (x: number, of: number) => (of > 0 ? Math.max(0, Math.min(100, Math.round((x / of) * 100))) : 0);

/** The translator the rules engine's sentences use: the request's (a theme may override strings). */
export const translator = (ctx: Ctx): RulesTranslate => (k, v) => ctx.t(`course-picker:${k}`, v);

/** Build the view of a choice for a reader of `lang`. */
export function choiceView(ctx: Ctx, file: MobilityFile, choice: Choice, evaluated: Evaluated): ChoiceView {
  const lang = ctx.language as Lang;
  const t = translator(ctx);
  const { evaluation, elements, student } = evaluated;
  const say = (v: Violation) => explain(v, lang, t);
  const termName = (x: Term) => ctx.t(`course-picker:picker.term.${x}`);
  const items: ItemView[] = choice.items.map((i) => {
    const e = elements.get(i.code);
    const sem = e ? e.semester : i.semester;
    const needsTerm = !!e && !sem && student.terms.length > 1;
    const counted = evaluation.counted.find((u) => u.code === i.code || u.includes.includes(i.code) || u.impliedBy?.includes(i.code));
    const where = counted ? (Object.keys(counted.split) as Term[]).sort() : [];
    return {
      code: i.code, title: e ? titleIn(lang, e.titleFr, e.titleEn) : titleIn(lang, i.titleFr, i.titleEn), ects: e ? e.mobilityEcts ?? e.ects : i.ects,
      termLabel: where.length ? where.map(termName).join(' + ') : sem ? ctx.t(`course-picker:picker.semester.${sem}`) : '',
      needsTerm, term: i.term, componentCode: e?.componentCode ?? i.componentCode, decidingComponent: decidingComponent(file, i),
      decision: i.decision, decisionComment: i.decisionComment, decidedBy: i.decidedByLabel, decidedAt: i.decidedAt,
      flagged: !e || !e.openToMobility,
      prerequisites: e ? (lang === 'en' ? e.prerequisitesEn || e.prerequisitesFr : e.prerequisitesFr || e.prerequisitesEn) : null,
      prerequisitesConfirmed: i.prerequisitesConfirmed,
      problems: evaluation.violations.filter((v) => v.elements.includes(i.code)).map((v) => ({ text: say(v), severity: v.severity })),
      url: `/catalogue/${i.year}/elements/${encodeURIComponent(i.code)}`,
    };
  });
  const total = (key: Term | 'year', s: TermSummary): TotalView => ({
    key, label: key === 'year' ? ctx.t('course-picker:picker.term.year') : termName(key), chosen: s.chosenEcts, min: s.min, max: s.max,
    percent: pct(s.chosenEcts, Math.max(s.max, s.chosenEcts)), minPercent: pct(s.min, Math.max(s.max, s.chosenEcts)), status: s.status,
    share: s.mainShare, threshold: s.threshold, mainEcts: s.mainComponentEcts, text: explainTerm(s, key, lang, t),
  });
  const totals = student.terms.map((x) => total(x, evaluation.terms[x]!));
  if (student.terms.length > 1) totals.push(total('year', evaluation.year));
  const languages = [...new Set([...items.flatMap((i) => elements.get(i.code)?.languages ?? []), ...Object.keys(choice.languageLevels)])].sort();
  const counts: Record<Decision, number> = { pending: 0, approved: 0, refused: 0 };
  for (const i of choice.items) counts[i.decision]++;
  return {
    items, totals, terms: student.terms, mainComponent: student.mainComponent, languages, counts,
    // a problem about one course is shown with that course; the list holds the others (totals, pairs)
    problems: evaluation.violations.filter((v) => v.elements.length !== 1).map((v) => ({ text: say(v), severity: v.severity, codes: v.elements })),
    blocking: evaluation.violations.filter((v) => v.severity === 'block').length,
    canSubmit: evaluation.canSubmit,
  };
}
