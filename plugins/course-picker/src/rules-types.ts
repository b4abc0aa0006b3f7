/**
 * Types of the course-choice rules engine: what it reads (the chosen teaching elements as the
 * catalogue holds them, the student's context, the institution's rules) and what it returns.
 * Everything here is plain data: the engine does no I/O, so the server can call it on every request
 * and the tests can call it without a database.
 * @packageDocumentation
 */
import type { Element, TimetableSlot } from '@smile/plugin-catalogue';

/** A semester of the mobility. A full-year mobility has both. */
export type Term = 'S1' | 'S2';
export const TERMS: readonly Term[] = ['S1', 'S2'];

/** Levels of the Common European Framework of Reference for Languages, lowest first. */
export type Cefr = 'A1' | 'A2' | 'B1' | 'B2' | 'C1' | 'C2';
export const CEFR_LEVELS: readonly Cefr[] = ['A1', 'A2', 'B1', 'B2', 'C1', 'C2'];

/** `warn`: the student is told but may submit; `block`: the choice cannot be submitted. */
export type CheckMode = 'warn' | 'block';

/**
 * How a UE and its ECs count:
 * - `implied-parent`: choosing an EC takes its UE; the UE's ECTS count once however many of its ECs are chosen;
 * - `exclusive`: a UE and one of its ECs (or any element and one under it) cannot both be chosen;
 * - `independent`: every chosen element counts for itself.
 */
export type HierarchyMode = 'implied-parent' | 'exclusive' | 'independent';

/** A timetable slot as the catalogue stores it, with the teaching weeks when known (absent: every week). */
export type RuleSlot = TimetableSlot & {
  /** Teaching weeks the slot runs in (e.g. odd weeks only). Not stored by the catalogue yet. */
  weeks?: number[];
};

/** The catalogue fields of a teaching element the rules read, 1:1 with `@smile/plugin-catalogue`'s `Element`. */
export type CatalogueElementFields = Pick<
  Element,
  | 'code' | 'kind' | 'titleFr' | 'titleEn' | 'ects' | 'mobilityEcts' | 'semester' | 'level' | 'languages' | 'componentCode'
  | 'seats' | 'exchangeTypes' | 'openToMobility' | 'prerequisitesFr' | 'prerequisitesEn'
>;

/** A teaching element as the rules see it: the catalogue's fields plus what the caller computes. */
export interface RuleElement extends CatalogueElementFields {
  timetable: RuleSlot[];
  /** Codes of the elements it sits directly under, in any formation tree (`catalogue_links`), nearest formation first. */
  parentCodes: string[];
  /** Seats still free for incoming students, this student's own choice not counted (`null`/absent: unknown or unlimited). */
  seatsLeft?: number | null;
  /** Codes of host elements it requires (the catalogue only has free text: see the README). */
  prerequisiteCodes?: string[];
}

/** One line of the student's choice. */
export interface ChoiceLine {
  /** The code chosen: kept even when the element left the catalogue. */
  code: string;
  /** The element now in the catalogue; `null` when it is no longer there. */
  element: RuleElement | null;
  /** Titles saved with the choice, shown when the element is gone. */
  savedTitle?: { fr: string; en?: string | null };
  /** The term the student takes it in, for elements the catalogue gives no semester. */
  term?: Term;
}

/** What the rules know of the student. */
export interface StudentContext {
  /** Exchange type code of the mobility file (`first-semester`…). */
  exchangeType: string;
  /** Terms of the mobility: one semester, or both for a full year. */
  terms: Term[];
  /** Code of the main (host) component; `null`: no share rule. */
  mainComponent: string | null;
  /** Declared level per ISO 639-1 language code. */
  languages: Record<string, Cefr>;
  /** Codes of host elements recognised as already acquired (count as met prerequisites). */
  acquired?: string[];
  /** Codes of chosen elements whose written prerequisites the student said they meet. */
  confirmedPrerequisites?: string[];
}

/** The rules of one exchange type (every field has a default: {@link DEFAULT_RULES}). */
export interface ExchangeRules {
  ects: {
    termMin: number;
    termMax: number;
    /** Checked for full-year mobilities only. */
    yearMin: number;
    yearMax: number;
  };
  /** Minimum share of ECTS, in percent, from the main component, per term. */
  mainComponentShare: number;
  language: {
    mode: CheckMode;
    /** Level required when the language has none of its own. */
    defaultLevel: Cefr;
    /** Level required per ISO 639-1 language of instruction. */
    levels: Record<string, Cefr>;
  };
  prerequisites: { mode: CheckMode };
  /** Clashes are always warnings; `off` skips the check. */
  timetable: 'warn' | 'off';
  hierarchy: {
    mode: HierarchyMode;
    /** Kinds (case-insensitive) a chosen child implies in `implied-parent` mode. */
    unitKinds: string[];
  };
}

/** A partial override of {@link ExchangeRules}. */
export type ExchangeRulesInput = {
  [K in keyof ExchangeRules]?: ExchangeRules[K] extends Record<string, unknown> ? Partial<ExchangeRules[K]> : ExchangeRules[K];
};

/** The institution's rules: defaults, then per exchange type code. */
export interface RulesConfig {
  defaults?: ExchangeRulesInput;
  byExchangeType?: Record<string, ExchangeRulesInput>;
}

/** `draft`: a choice being built (the ECTS minimum only warns); `submit`: the choice sent for approval. */
export type EvaluationMode = 'draft' | 'submit';

/** Everything `evaluateChoice` reads. */
export interface ChoiceInput {
  lines: ChoiceLine[];
  /** Other catalogue elements the chosen ones sit under (their UEs…), to resolve the hierarchy. */
  related?: RuleElement[];
  student: StudentContext;
  config?: RulesConfig;
  mode: EvaluationMode;
}

/** Every rule the engine checks. */
export const RULE_IDS = [
  'element-removed', 'not-open-exchange-type', 'not-open-term', 'no-seats', 'hierarchy-exclusive', 'duplicate',
  'ects-term-max', 'ects-year-max', 'ects-term-min', 'ects-year-min', 'main-component-share',
  'language', 'prerequisites', 'timetable-clash', 'no-ects',
] as const;
export type RuleId = (typeof RULE_IDS)[number];

/** A title in both languages (English may be missing in the catalogue). */
export interface ElementTitle {
  fr: string;
  en: string | null;
}

/** Values of a violation, for messages. */
export type ViolationParams = Record<string, string | number | boolean | string[] | null>;

/** A broken rule. */
export interface Violation {
  rule: RuleId;
  severity: 'block' | 'warning';
  /** Codes of the elements involved (may be empty for totals). */
  elements: string[];
  /** Titles of `elements`, same order. */
  titles: ElementTitle[];
  /** The term it is about, for per-term rules. */
  term?: Term;
  params: ViolationParams;
}

/** An element counted in the totals. */
export interface CountedUnit {
  code: string;
  title: ElementTitle;
  /** ECTS counted for it over the whole mobility. */
  ects: number;
  /** Where its ECTS go (an annual element of a full-year mobility is split between both terms). */
  split: Partial<Record<Term, number>>;
  componentCode: string | null;
  /** Set for a UE counted because these chosen ECs imply it. */
  impliedBy?: string[];
  /** Chosen elements whose ECTS this unit already includes. */
  includes: string[];
}

/** Totals and checks of one term (or of the whole mobility for `year`). */
export interface TermSummary {
  chosenEcts: number;
  min: number;
  max: number;
  mainComponentEcts: number;
  /** Percent of the chosen ECTS from the main component, rounded to one decimal; `null` with no ECTS or no main component. */
  mainShare: number | null;
  /** Percent required. */
  threshold: number;
  /** The student's main component (whose share is measured). */
  mainComponent: string | null;
  /** Worst severity among the violations about these totals. */
  status: 'ok' | 'warning' | 'block';
}

/** What `evaluateChoice` returns. */
export interface Evaluation {
  mode: EvaluationMode;
  rules: ExchangeRules;
  terms: Partial<Record<Term, TermSummary>>;
  year: TermSummary;
  counted: CountedUnit[];
  violations: Violation[];
  /** `true` iff no violation is blocking. */
  canSubmit: boolean;
}
