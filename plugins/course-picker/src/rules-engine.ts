/**
 * `evaluateChoice`: the whole check of a student's course choice, run by the server on every change
 * and before a submission (the page only shows what it returns).
 */
import { availability, clashes, exclusions, languageCheck, prerequisiteCheck } from './rules-checks.js';
import { resolveRules } from './rules-config.js';
import { limitViolations, shareOf } from './rules-totals.js';
import { countUnits, fromHundredths, Hierarchy, titleOf, toHundredths, type ValidChoice } from './rules-count.js';
import {
  RULE_IDS,
  TERMS,
  type ChoiceInput,
  type CountedUnit,
  type Evaluation,
  type ExchangeRules,
  type RuleElement,
  type StudentContext,
  type Term,
  type TermSummary,
  type Violation,
} from './rules-types.js';

const TOTAL_RULES = new Set<Violation['rule']>(['ects-term-min', 'ects-term-max', 'ects-year-min', 'ects-year-max', 'main-component-share']);

/**
 * Checks a course choice against the rules of the student's exchange type. Pure and deterministic:
 * the same input gives the same output, violations in a stable order (blocking first).
 *
 * Nothing chosen is dropped: an element no longer in the catalogue, or closed to mobility, gives an
 * `element-removed` violation naming it, and its ECTS leave the totals (it cannot be taken, so the
 * student sees how much is missing). Other faulty elements stay in the totals.
 */
export function evaluateChoice(input: ChoiceInput): Evaluation {
  const { mode } = input;
  // in calendar order, once each: the totals and the split of annual elements rely on it
  const inOrder = TERMS.filter((t) => input.student.terms.includes(t));
  if (!inOrder.length) throw new TypeError('course-picker rules: the mobility has no term (student.terms is empty)');
  const student: StudentContext = { ...input.student, terms: inOrder };
  const rules = resolveRules(input.config, student.exchangeType);
  const violations: Violation[] = [];

  const seen = new Set<string>();
  const valid: ValidChoice[] = [];
  for (const line of input.lines) {
    const e = line.element;
    if (seen.has(line.code)) {
      violations.push({ rule: 'duplicate', severity: 'warning', elements: [line.code], titles: [e ? titleOf(e) : saved(line)], params: {} });
      continue;
    }
    seen.add(line.code);
    if (!e || !e.openToMobility) {
      violations.push({ rule: 'element-removed', severity: 'block', elements: [line.code], titles: [e ? titleOf(e) : saved(line)], params: { reason: e ? 'closed' : 'missing' } });
      continue;
    }
    valid.push({ element: e, term: line.term });
  }

  const byCode = new Map<string, RuleElement>();
  for (const r of input.related ?? []) byCode.set(r.code, r);
  for (const c of valid) byCode.set(c.element.code, c.element);
  const hierarchy = new Hierarchy(byCode);

  for (const c of valid) {
    violations.push(...availability(c, student));
    const lang = languageCheck(c, student, rules);
    if (lang) violations.push(lang);
    const pre = prerequisiteCheck(c, valid, hierarchy, student, rules);
    if (pre) violations.push(pre);
  }
  violations.push(...exclusions(valid, hierarchy, rules));
  violations.push(...clashes(valid, hierarchy, student, rules));

  const { units, noEcts } = countUnits(valid, hierarchy, rules, student);
  for (const code of noEcts) {
    violations.push({ rule: 'no-ects', severity: 'warning', elements: [code], titles: [titleOf(byCode.get(code)!)], params: {} });
  }

  const terms: Partial<Record<Term, TermSummary>> = {};
  for (const t of student.terms) {
    const { summary, found } = totals(units, [t], rules.ects.termMin, rules.ects.termMax, rules, student, mode, t);
    terms[t] = summary;
    violations.push(...found);
  }
  const fullYear = student.terms.length > 1;
  const yearTotals = fullYear
    ? totals(units, student.terms, rules.ects.yearMin, rules.ects.yearMax, rules, student, mode, undefined)
    : null;
  if (yearTotals) violations.push(...yearTotals.found);

  const ordered = sortViolations(violations);
  for (const t of student.terms) terms[t]!.status = worst(ordered.filter((v) => v.term === t && TOTAL_RULES.has(v.rule)));
  const year: TermSummary = yearTotals ? yearTotals.summary : { ...terms[student.terms[0]!]! };
  year.status = worst(ordered.filter((v) => TOTAL_RULES.has(v.rule)));

  return { mode, rules, terms, year, counted: units, violations: ordered, canSubmit: !ordered.some((v) => v.severity === 'block') };
}

function saved(line: ChoiceInput['lines'][number]) {
  return { fr: line.savedTitle?.fr ?? line.code, en: line.savedTitle?.en ?? null };
}

/**
 * Totals of `terms` and their ECTS and share violations. `term` is set for a single term; the
 * whole-year totals use the `ects-year-*` rules and, for the share, are only shown: a full year whose
 * every term meets the share meets it too.
 */
function totals(
  units: CountedUnit[],
  over: Term[],
  min: number,
  max: number,
  rules: ExchangeRules,
  student: StudentContext,
  mode: ChoiceInput['mode'],
  term: Term | undefined,
): { summary: TermSummary; found: Violation[] } {
  let chosenH = 0;
  let mainH = 0;
  for (const u of units) {
    for (const t of over) {
      const h = toHundredths(u.split[t] ?? 0);
      chosenH += h;
      if (student.mainComponent && u.componentCode === student.mainComponent) mainH += h;
    }
  }
  const threshold = rules.mainComponentShare;
  const share = student.mainComponent ? shareOf(chosenH, mainH) : null;
  const summary: TermSummary = {
    chosenEcts: fromHundredths(chosenH), min, max, mainComponentEcts: fromHundredths(mainH), mainShare: share, threshold, mainComponent: student.mainComponent, status: 'ok',
  };
  const found = limitViolations({ chosenH, mainH, min, max, threshold, mainComponent: student.mainComponent, term, mode });
  return { summary, found };
}

const RULE_ORDER = new Map(RULE_IDS.map((r, i) => [r, i]));

/** Blocking first, then in {@link RULE_IDS} order, then by term; ties keep the input order. */
export function sortViolations(list: Violation[]): Violation[] {
  return list
    .map((v, i) => ({ v, i }))
    .sort(
      (a, b) =>
        (a.v.severity === b.v.severity ? 0 : a.v.severity === 'block' ? -1 : 1) ||
        RULE_ORDER.get(a.v.rule)! - RULE_ORDER.get(b.v.rule)! ||
        (a.v.term ?? '').localeCompare(b.v.term ?? '') ||
        a.i - b.i,
    )
    .map((x) => x.v);
}

function worst(list: Violation[]): TermSummary['status'] {
  return list.some((v) => v.severity === 'block') ? 'block' : list.length ? 'warning' : 'ok';
}
