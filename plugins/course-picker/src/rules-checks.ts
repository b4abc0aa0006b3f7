/**
 * The rules about single elements and pairs of elements: availability, seats, language,
 * prerequisites, hierarchy exclusions and timetable clashes. Internal to the rules engine.
 */
import { termsOf, titleOf, type Hierarchy, type ValidChoice } from './rules-count.js';
import { CEFR_LEVELS, type Cefr, type ExchangeRules, type RuleSlot, type StudentContext, type Term, type Violation } from './rules-types.js';

const severityOf = (mode: 'warn' | 'block'): Violation['severity'] => (mode === 'block' ? 'block' : 'warning');
const rank = (level: Cefr | undefined): number => (level ? CEFR_LEVELS.indexOf(level) : -1);
const TERM_ORDER: Record<Term, number> = { S1: 1, S2: 2 };

/** Is the element open to the student's exchange type and in the terms of the mobility? */
export function availability(c: ValidChoice, student: StudentContext): Violation[] {
  const e = c.element;
  const out: Violation[] = [];
  const one = { elements: [e.code], titles: [titleOf(e)] };
  if (e.exchangeTypes && !e.exchangeTypes.includes(student.exchangeType)) {
    out.push({ rule: 'not-open-exchange-type', severity: 'block', ...one, params: { exchangeType: student.exchangeType } });
  }
  const sem = e.semester;
  const fits = sem === 'annual' ? student.terms.length > 1 : sem === 'S1' || sem === 'S2' ? student.terms.includes(sem) : true;
  if (!fits) out.push({ rule: 'not-open-term', severity: 'block', ...one, params: { semester: sem, terms: [...student.terms] } });
  if (e.seatsLeft !== undefined && e.seatsLeft !== null && e.seatsLeft <= 0) {
    out.push({ rule: 'no-seats', severity: 'block', ...one, params: { seats: e.seats } });
  }
  return out;
}

/**
 * The student must hold the required level in one of the languages of instruction: an element
 * listed with several languages is taught in either, so refusing it for the weaker one would block
 * students the host accepts. An element with no language is not checked.
 */
export function languageCheck(c: ValidChoice, student: StudentContext, rules: ExchangeRules): Violation | null {
  const e = c.element;
  if (!e.languages.length) return null;
  const required = e.languages.map((l) => rules.language.levels[l] ?? rules.language.defaultLevel);
  const met = e.languages.some((l, i) => rank(student.languages[l]) >= rank(required[i]));
  if (met) return null;
  return {
    rule: 'language',
    severity: severityOf(rules.language.mode),
    elements: [e.code],
    titles: [titleOf(e)],
    params: { languages: [...e.languages], required, declared: e.languages.map((l) => student.languages[l] ?? '') },
  };
}

/**
 * Prerequisites given as element codes are met by elements acquired before, or chosen in an earlier
 * term of the mobility. Prerequisites the catalogue only describes in words need the student's word
 * that they meet them. `elements` starts with the chosen element, then the missing prerequisites.
 */
export function prerequisiteCheck(c: ValidChoice, choices: ValidChoice[], hierarchy: Hierarchy, student: StudentContext, rules: ExchangeRules): Violation | null {
  const e = c.element;
  const severity = severityOf(rules.prerequisites.mode);
  const codes = e.prerequisiteCodes ?? [];
  if (codes.length) {
    const acquired = new Set(student.acquired ?? []);
    const starts = Math.min(...termsOf(e, c.term, student).map((t) => TERM_ORDER[t]));
    const earlier = (code: string) =>
      choices.some((o) => o.element.code === code && Math.max(...termsOf(o.element, o.term, student).map((t) => TERM_ORDER[t])) < starts);
    const missing = codes.filter((p) => !acquired.has(p) && !earlier(p));
    if (!missing.length) return null;
    const titles = missing.map((p) => {
      const known = hierarchy.get(p) ?? choices.find((o) => o.element.code === p)?.element;
      return known ? titleOf(known) : { fr: p, en: null };
    });
    return { rule: 'prerequisites', severity, elements: [e.code, ...missing], titles: [titleOf(e), ...titles], params: { kind: 'codes', missing } };
  }
  const text = (e.prerequisitesFr ?? '').trim() || (e.prerequisitesEn ?? '').trim();
  if (text && !(student.confirmedPrerequisites ?? []).includes(e.code)) {
    return { rule: 'prerequisites', severity, elements: [e.code], titles: [titleOf(e)], params: { kind: 'statement' } };
  }
  return null;
}

/** `exclusive` mode: an element and one under it, both chosen. */
export function exclusions(choices: ValidChoice[], hierarchy: Hierarchy, rules: ExchangeRules): Violation[] {
  if (rules.hierarchy.mode !== 'exclusive') return [];
  const chosen = new Map(choices.map((c) => [c.element.code, c.element]));
  const out: Violation[] = [];
  for (const c of choices) {
    for (const a of hierarchy.ancestors(c.element.code)) {
      const parent = chosen.get(a);
      if (parent) out.push({ rule: 'hierarchy-exclusive', severity: 'block', elements: [a, c.element.code], titles: [titleOf(parent), titleOf(c.element)], params: {} });
    }
  }
  return out;
}

const minutes = (hhmm: string): number => {
  const [h, m] = hhmm.split(':').map(Number);
  return (h ?? 0) * 60 + (m ?? 0);
};

/** Same day, times overlapping (a course ending at 10:00 and one starting at 10:00 do not clash), a week in common. */
export function slotsClash(a: RuleSlot, b: RuleSlot): boolean {
  if (a.day !== b.day) return false;
  if (!(minutes(a.start) < minutes(b.end) && minutes(b.start) < minutes(a.end))) return false;
  if (!a.weeks || !b.weeks) return true;
  const weeks = new Set(a.weeks);
  return b.weeks.some((w) => weeks.has(w));
}

/**
 * Pairs of chosen elements taught at the same time in a common term: one warning per pair, naming
 * the first overlapping slots. An element and one under it are the same teaching, never a clash.
 */
export function clashes(choices: ValidChoice[], hierarchy: Hierarchy, student: StudentContext, rules: ExchangeRules): Violation[] {
  if (rules.timetable === 'off') return [];
  const out: Violation[] = [];
  const withSlots = choices.filter((c) => c.element.timetable.length);
  for (let i = 0; i < withSlots.length; i++) {
    for (let j = i + 1; j < withSlots.length; j++) {
      const a = withSlots[i]!;
      const b = withSlots[j]!;
      const termsA = termsOf(a.element, a.term, student);
      const term = termsOf(b.element, b.term, student).find((t) => termsA.includes(t));
      if (!term) continue;
      if (hierarchy.isAncestor(a.element.code, b.element.code) || hierarchy.isAncestor(b.element.code, a.element.code)) continue;
      let pair: [RuleSlot, RuleSlot] | undefined;
      for (const sa of a.element.timetable) {
        const sb = b.element.timetable.find((s) => slotsClash(sa, s));
        if (sb) {
          pair = [sa, sb];
          break;
        }
      }
      if (!pair) continue;
      out.push({
        rule: 'timetable-clash',
        severity: 'warning',
        elements: [a.element.code, b.element.code],
        titles: [titleOf(a.element), titleOf(b.element)],
        term,
        params: { day: pair[0].day, startA: pair[0].start, endA: pair[0].end, startB: pair[1].start, endB: pair[1].end },
      });
    }
  }
  return out;
}
