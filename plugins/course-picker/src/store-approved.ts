/**
 * What the referents approved, counted as the rules engine counts it: the units the student's ECTS
 * bar adds up (a UE once for its chosen ECs in `implied-parent` mode, every element in `independent`
 * mode), from the approved courses only. The Learning Agreement's Table A is built from it, so that
 * the agreement and the picker never disagree on the credits.
 * @packageDocumentation
 */
import type { Knex } from 'knex';
import type { MobilityFile } from '@smile/plugin-mobility';
import type { PickerSettings } from './common.js';
import { evaluateChoice } from './rules-engine.js';
import { TERMS, type ChoiceLine, type ElementTitle, type RuleElement, type Term } from './rules-types.js';
import { loadElements, studentContext, type PickerElement } from './store-evaluate.js';
import type { Choice, ChoiceItem } from './store-types.js';

type Db = Knex | Knex.Transaction;

/** An approved element named inside the unit that counts it. */
export interface ApprovedPart {
  code: string;
  title: ElementTitle;
}

/** One unit of the approved choice, as the picker counts it. */
export interface ApprovedUnit {
  code: string;
  title: ElementTitle;
  /** ECTS counted for it over the whole mobility (a UE implied by its ECs: the UE's own credits). */
  ects: number;
  /** Terms of the mobility its credits count in, in calendar order: both for an annual unit of a full-year mobility. */
  terms: Term[];
  /** ECTS per term, as the picker's totals spread them. */
  split: Partial<Record<Term, number>>;
  /** Academic year of the catalogue it comes from. */
  year: number;
  componentCode: string | null;
  /** The approved ECs that make this UE count (empty when the unit itself was chosen). */
  impliedBy: string[];
  /** The approved elements whose credits this unit already includes (its ECs), in choice order. */
  includes: ApprovedPart[];
  /**
   * The approved course is no longer open in the catalogue (removed, closed to mobility, dropped by a
   * sync): its code, titles, ECTS and semester are those saved when it was chosen.
   */
  removed: boolean;
}

/** The approved counted units of a file's choice, with the language levels the student declared. */
export interface ApprovedUnits {
  /** `false` when the file has no choice or no approved course. */
  available: boolean;
  /** Units of the first term first, then the second, then those spread over the year; by code within each. */
  units: ApprovedUnit[];
  /** ISO 639-1 code → CEFR level the student declared. */
  languageLevels: Record<string, string>;
}

const SEMESTERS = new Set(['S1', 'S2', 'annual']);

/**
 * An approved course the engine would leave out of the totals (gone from the catalogue, or closed):
 * what was saved when it was chosen, kept in the formation trees when the catalogue still places it
 * there, so that an EC closed after approval still makes its UE count.
 */
function standIn(item: ChoiceItem, stillThere: PickerElement | undefined): RuleElement {
  return {
    code: item.code,
    kind: stillThere?.kind ?? '',
    titleFr: item.titleFr,
    titleEn: item.titleEn,
    ects: item.ects,
    mobilityEcts: null,
    semester: item.semester && SEMESTERS.has(item.semester) ? (item.semester as RuleElement['semester']) : null,
    level: stillThere?.level ?? null,
    languages: stillThere?.languages ?? [],
    componentCode: item.componentCode,
    seats: null,
    exchangeTypes: null,
    openToMobility: true,
    prerequisitesFr: null,
    prerequisitesEn: null,
    timetable: [],
    parentCodes: stillThere?.parentCodes ?? [],
  };
}

const termRank = (terms: Term[]): number => (terms.length > 1 ? TERMS.length : TERMS.indexOf(terms[0]!));

/**
 * The approved counted units of `choice` (the stored choice of `file`), read through `db` (a
 * transaction handle works: every read goes through it). Only courses whose decision is `approved`
 * are evaluated, with the engine's own counting and the institution's rules (`settings`); pending
 * and refused ones are left out. An approved course no longer open in the catalogue is kept, from
 * what was saved when it was chosen.
 */
export async function approvedUnitsOf(db: Db, settings: PickerSettings, file: MobilityFile, choice: Choice): Promise<ApprovedUnits> {
  const approved = choice.items.filter((i) => i.decision === 'approved');
  if (!approved.length) return { available: false, units: [], languageLevels: choice.languageLevels };
  const { chosen, related } = await loadElements(db, file.institutionId, file.academicYear, approved.map((i) => i.code));
  const removed = new Set<string>();
  const lines: ChoiceLine[] = approved.map((i) => {
    const found = chosen.get(i.code);
    const open = !!found && found.openToMobility;
    if (!open) removed.add(i.code);
    const element = open ? found : standIn(i, found);
    return { code: i.code, element, savedTitle: { fr: i.titleFr, en: i.titleEn }, ...(i.term ? { term: i.term } : {}) };
  });
  const student = studentContext(settings, file, { languageLevels: choice.languageLevels, items: approved });
  const { counted } = evaluateChoice({ lines, related, student, config: settings.rules, mode: 'submit' });
  const titleOf = new Map(lines.map((l) => [l.code, { fr: l.element!.titleFr, en: l.element!.titleEn ?? null }]));
  const units = counted.map((u): ApprovedUnit => {
    const terms = TERMS.filter((t) => u.split[t] !== undefined);
    return {
      code: u.code,
      title: u.title,
      ects: u.ects,
      terms,
      split: u.split,
      year: file.academicYear,
      componentCode: u.componentCode,
      impliedBy: u.impliedBy ?? [],
      includes: u.includes.map((code) => ({ code, title: titleOf.get(code) ?? { fr: code, en: null } })),
      removed: removed.has(u.code),
    };
  });
  units.sort((a, b) => termRank(a.terms) - termRank(b.terms) || a.code.localeCompare(b.code));
  return { available: true, units, languageLevels: choice.languageLevels };
}
