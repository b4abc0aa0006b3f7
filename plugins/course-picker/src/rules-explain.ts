/**
 * Sentences for the student and the referent: what is wrong and how to fix it, in French or English,
 * from `locales/<lang>/rules.json`. Pages pass their request's translator so that a theme's
 * overrides apply; without one, the plugin's own files are read. The student is spoken to ("your
 * main component"); staff read about the student (`audience: 'staff'`, the `rules.staff` strings).
 */
import { readFileSync } from 'node:fs';
import { limitViolations } from './rules-totals.js';
import type { CountedUnit, ElementTitle, Term, TermSummary, Violation } from './rules-types.js';

/** A language of the platform. */
export type RulesLanguage = 'fr' | 'en';

/** Looks up `rules.…` keys (`{{name}}` placeholders filled), e.g. `(k, v) => ctx.t('course-picker:' + k, v)`. */
export type RulesTranslate = (key: string, vars: Record<string, string | number>) => string;

/** Who reads a sentence: the student it is about, or staff (referents, the office) reading about the student. */
export type RulesAudience = 'student' | 'staff';

/** How to say a sentence; every field is optional. */
export interface ExplainOptions {
  /** The request's translator (a theme may reword the strings); default: the plugin's own files. */
  translate?: RulesTranslate;
  /** Default `'student'`. */
  audience?: RulesAudience;
  /**
   * The student cannot change the choice now (it is with the referents, or the file is closed): the
   * student's sentences then say what is so without asking for what the page no longer offers
   * (declaring a level, confirming prerequisites, dropping a course). Staff sentences ignore it.
   */
  locked?: boolean;
  /** The name of a component in the reader's language, from its code; the code is said when it gives none. */
  componentName?: (code: string) => string | null | undefined;
  /** Titles of chosen elements that a sentence names by code only (the units' `includes`, `impliedBy`). */
  titleOf?: (code: string) => ElementTitle | null | undefined;
}

/**
 * The rules whose student sentence asks for a change of the draft (a level, a confirmation, a course
 * dropped) though the problem is no reason to send the choice back: their `rules.locked` sentence
 * says what is so, and nothing to do.
 */
const LOCKED_VARIANTS = new Set<Violation['rule']>(['hierarchy-exclusive', 'duplicate', 'language', 'prerequisites', 'timetable-clash']);

type Dict = Record<string, unknown>;
const load = (lang: RulesLanguage): Dict => JSON.parse(readFileSync(new URL(`../locales/${lang}/rules.json`, import.meta.url), 'utf8')) as Dict;
const files: Record<RulesLanguage, Dict> = { fr: load('fr'), en: load('en') };

/** The plugin's own strings, for callers with no request (mail, CLI, tests). */
export function fileTranslator(lang: RulesLanguage): RulesTranslate {
  return (key, vars) => {
    const v = key.split('.').reduce<unknown>((o, k) => (o && typeof o === 'object' ? (o as Dict)[k] : undefined), files[lang]);
    if (typeof v !== 'string') throw new TypeError(`course-picker: missing string "${key}" (${lang})`);
    return v.replace(/\{\{(\w+)\}\}/g, (_m, k: string) => (vars[k] === undefined ? '' : String(vars[k])));
  };
}

// building an Intl object costs far more than formatting with it: one per language and options, for the process
const intl = new Map<string, unknown>();
function cached<T>(key: string, make: () => T): T {
  let v = intl.get(key) as T | undefined;
  if (v === undefined) intl.set(key, (v = make()));
  return v;
}

// the names themselves: a handful of languages, asked for on every line that mentions one
const languageNames = new Map<string, string>();

/** The name of language `code` (ISO 639-1) in `lang` ("anglais", "English"); the code when unknown. */
function languageName(lang: string, code: string): string {
  const key = `${lang}:${code}`;
  let name = languageNames.get(key);
  if (name === undefined) {
    try {
      name = cached(`language:${lang}`, () => new Intl.DisplayNames(lang, { type: 'language' })).of(code) ?? code;
    } catch {
      name = code;
    }
    if (languageNames.size > 2000) languageNames.clear();
    languageNames.set(key, name);
  }
  return name;
}

class Words {
  readonly t: RulesTranslate;
  readonly staff: boolean;
  constructor(readonly lang: RulesLanguage, readonly options: ExplainOptions) {
    this.t = options.translate ?? fileTranslator(lang);
    this.staff = options.audience === 'staff';
  }
  /** The key of a violation's or summary's sentence for this reader (`violation.x` → `rules.staff.violation.x`). */
  key(rule: string, rest = ''): string {
    const tail = `${rule}${rest}`;
    if (this.staff) return `rules.staff.${tail}`;
    if (this.options.locked && tail.startsWith('violation.') && LOCKED_VARIANTS.has(rule.slice('violation.'.length) as Violation['rule'])) return `rules.locked.${tail}`;
    return `rules.${tail}`;
  }
  component(code: string): string {
    return (code && this.options.componentName?.(code)) || code;
  }
  number(n: number): string {
    return cached(`number:${this.lang}`, () => new Intl.NumberFormat(this.lang, { maximumFractionDigits: 2 })).format(n);
  }
  element(code: string, title: ElementTitle | undefined): string {
    const name = (this.lang === 'en' ? title?.en || title?.fr : title?.fr) || '';
    return name && name !== code ? this.t('rules.element', { code, title: name }) : code;
  }
  list(items: string[], type: 'conjunction' | 'disjunction' = 'conjunction'): string {
    return cached(`list:${this.lang}:${type}`, () => new Intl.ListFormat(this.lang, { type })).format(items);
  }
  term(t: Term): string {
    return this.t(`rules.term.${t}`, {});
  }
  where(t: Term | 'year' | undefined): string {
    return !t || t === 'year' ? this.t('rules.term.year', {}) : this.t('rules.term.in', { term: this.term(t) });
  }
  language(code: string): string {
    return languageName(this.lang, code);
  }
  day(day: number): string {
    // 1 January 2024 was a Monday: day 1 → Monday … 7 → Sunday
    return cached(`day:${this.lang}`, () => new Intl.DateTimeFormat(this.lang, { weekday: 'long', timeZone: 'UTC' })).format(Date.UTC(2024, 0, day));
  }
}

const capital = (s: string) => s.charAt(0).toLocaleUpperCase() + s.slice(1);

/** The options of {@link explain} from what a caller gives: a translator alone (as before options existed), or options. */
const optionsOf = (o: RulesTranslate | ExplainOptions | undefined): ExplainOptions => (typeof o === 'function' ? { translate: o } : o ?? {});

/**
 * One violation as a sentence saying what is wrong and how to fix it, with the elements' codes
 * and titles: "You have 24 ECTS in semester 1; the minimum is 30: add 6 ECTS or more." The third
 * argument is the request's translator, or {@link ExplainOptions} (audience, locked choice,
 * component names: without `componentName` a component is named by its code).
 */
export function explain(v: Violation, language: RulesLanguage, options?: RulesTranslate | ExplainOptions): string {
  const w = new Words(language, optionsOf(options));
  const el = (i: number) => w.element(v.elements[i] ?? '', v.titles[i]);
  const p = v.params;
  const n = (k: string) => w.number(Number(p[k] ?? 0));
  const key = w.key(`violation.${v.rule}`);
  switch (v.rule) {
    case 'element-removed':
      return w.t(`${key}.${p.reason === 'closed' ? 'closed' : 'missing'}`, { element: el(0) });
    case 'not-open-term': {
      const terms = w.list(((p.terms as string[]) ?? []).map((t) => w.term(t as Term)));
      if (p.semester === 'annual') return w.t(`${key}.annual`, { element: el(0), terms });
      return w.t(`${key}.semester`, { element: el(0), semester: w.term(p.semester as Term), terms });
    }
    case 'not-open-exchange-type':
    case 'no-seats':
    case 'duplicate':
    case 'no-ects':
      return w.t(key, { element: el(0) });
    case 'hierarchy-exclusive':
      return w.t(key, { parent: el(0), child: el(1) });
    case 'ects-term-min':
    case 'ects-term-max':
    case 'ects-year-min':
    case 'ects-year-max':
      return w.t(key, { ects: n('ects'), min: n('min'), max: n('max'), missing: n('missing'), excess: n('excess'), where: w.where(v.term) });
    case 'main-component-share':
      return w.t(`${key}.${p.add === null ? 'drop' : 'both'}`, {
        Where: capital(w.where(v.term)), mainEcts: n('mainEcts'), ects: n('ects'), share: n('share'), threshold: n('threshold'),
        component: w.component(String(p.component ?? '')), add: n('add'), drop: n('drop'),
      });
    case 'language': {
      const langs = (p.languages as string[]) ?? [];
      const needs = langs.map((l, i) => {
        const declared = ((p.declared as string[]) ?? [])[i];
        const vars = { language: w.language(l), required: ((p.required as string[]) ?? [])[i] ?? '', declared: declared ?? '' };
        return w.t(w.key('violation.language-need', `.${declared ? 'declared' : 'none'}`), vars);
      });
      return w.t(`${key}.${v.severity === 'block' ? 'block' : 'warn'}`, { element: el(0), requirements: w.list(needs, 'disjunction') });
    }
    case 'prerequisites':
      if (p.kind === 'codes') return w.t(`${key}.codes`, { element: el(0), missing: w.list(v.elements.slice(1).map((_c, i) => el(i + 1))) });
      return w.t(`${key}.statement`, { element: el(0) });
    case 'timetable-clash':
      return w.t(key, {
        a: el(0), b: el(1), day: w.day(Number(p.day)), slotA: `${p.startA}–${p.endA}`, slotB: `${p.startB}–${p.endB}`, term: w.term(v.term ?? 'S1'),
      });
  }
}

/**
 * The totals of a term (or of the whole mobility, `'year'`) in one or more sentences: ECTS against
 * the limits, the main component's share, then what to do when a limit is not met (in the same
 * words as {@link explain}), or that the choice meets the rules.
 */
export function explainTerm(
  summary: TermSummary, which: Term | 'year', language: RulesLanguage, options?: RulesTranslate | (ExplainOptions & {
    /**
     * Further problems of these totals the caller knows of and the engine does not (a course the
     * referent refused still in the choice), as sentences: said after the engine's, and the
     * totals are then not said to meet the rules.
     */
    also?: string[];
  }),
): string {
  const o = optionsOf(options) as ExplainOptions & { also?: string[] };
  const w = new Words(language, o);
  const Label = capital(which === 'year' ? w.t('rules.term.year', {}) : w.term(which));
  const vars = { Label, ects: w.number(summary.chosenEcts), min: w.number(summary.min), max: w.number(summary.max) };
  const parts = [w.t(w.key('summary', summary.min === summary.max ? '.ects-exact' : '.ects'), vars)];
  if (summary.mainShare !== null && summary.mainComponent) {
    parts.push(w.t(w.key('summary', '.share'), {
      mainEcts: w.number(summary.mainComponentEcts), share: w.number(summary.mainShare), component: w.component(summary.mainComponent), threshold: w.number(summary.threshold),
    }));
  }
  const fixes = [...termProblems(summary, which).map((v) => explain(v, language, o)), ...(o.also ?? [])];
  parts.push(...(fixes.length ? fixes : [w.t(w.key('summary', '.ok'), {})]));
  return parts.join(' ');
}

/**
 * How a chosen element counts when the totals count it through another one (the engine's
 * `counted` units), or `null` when it counts for itself:
 * - an EC counted as its UE (`implied-parent`): "Counts as its teaching unit UE1 – Methodology
 *   (8 ECTS) with EC1B – …: the totals count the unit's credits, once for all of them.";
 * - a chosen element whose chosen children it includes: "Includes EC1A – …, also in the choice: …";
 * - an element under another chosen one: "Already counted in UE1 – … (8 ECTS): it adds nothing to the totals."
 * `unit` is the counted unit `code` belongs to. Titles of the other elements come from `titleOf`.
 */
export function explainCounted(unit: CountedUnit, code: string, language: RulesLanguage, options?: RulesTranslate | ExplainOptions): string | null {
  const o = optionsOf(options);
  const w = new Words(language, o);
  const name = (c: string) => w.element(c, o.titleOf?.(c) ?? undefined);
  const vars = { unit: w.element(unit.code, unit.title), ects: w.number(unit.ects) };
  if (unit.code === code) {
    const inside = unit.includes.filter((c) => c !== code);
    if (!inside.length) return null;
    return w.t(`rules.counted.includes.${inside.length === 1 ? 'one' : 'many'}`, { ...vars, others: w.list(inside.map(name)) });
  }
  if (unit.impliedBy?.includes(code)) {
    const others = unit.impliedBy.filter((c) => c !== code);
    return others.length ? w.t('rules.counted.unitWith', { ...vars, others: w.list(others.map(name)) }) : w.t('rules.counted.unit', vars);
  }
  if (unit.includes.includes(code)) return w.t('rules.counted.inside', vars);
  return null;
}

/** The limits a summary breaks, as at submission: a summary says what is missing even in a draft. */
function termProblems(s: TermSummary, which: Term | 'year'): Violation[] {
  const h = (x: number) => Math.round(x * 100);
  return limitViolations({
    chosenH: h(s.chosenEcts), mainH: h(s.mainComponentEcts), min: s.min, max: s.max, threshold: s.threshold,
    mainComponent: s.mainComponent, mode: 'submit', ...(which === 'year' ? {} : { term: which }),
  });
}
