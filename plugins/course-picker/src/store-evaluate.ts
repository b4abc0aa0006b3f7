/**
 * From stored rows to the rules engine and back: the catalogue's elements of a choice (with their
 * ancestors in the formation trees and the seats left), the student's context, and the evaluation.
 * Every read goes through the handle it is given, so it runs inside a caller's transaction too.
 * @packageDocumentation
 */
import { cacheOf } from './caches.js';
import type { Knex } from 'knex';
import type { MobilityFile } from '@smile/plugin-mobility';
import { termsOfFile, type PickerSettings } from './common.js';
import { evaluateChoice } from './rules-engine.js';
import type { Cefr, ChoiceLine, EvaluationMode, Evaluation, RuleElement, StudentContext, Term } from './rules-types.js';
import type { Choice } from './store-types.js';

type Db = Knex | Knex.Transaction;

const num = (v: unknown): number | null => (v === null || v === undefined ? null : Number(v));
const json = <T>(v: unknown, fallback: T): T => (v == null ? fallback : typeof v === 'string' ? (JSON.parse(v) as T) : (v as T));

/** A catalogue element as the rules see it, plus what the pages show of it. */
export type PickerElement = RuleElement & { id: number; campus: string | null; inSource: boolean; openFlag: boolean };

const ELEMENT_COLUMNS = [
  'e.id', 'e.code', 'e.kind', 'e.title_fr', 'e.title_en', 'e.ects', 'e.mobility_ects', 'e.semester', 'e.level', 'e.languages', 'e.seats',
  'e.exchange_types', 'e.open_to_mobility', 'e.in_source', 'e.prerequisites_fr', 'e.prerequisites_en', 'e.timetable', 'e.campus', 'c.code as component_code',
];

function toElement(r: Record<string, any>, parents: string[]): PickerElement {
  return {
    id: r.id, code: r.code, kind: r.kind, titleFr: r.title_fr, titleEn: r.title_en ?? null, ects: num(r.ects), mobilityEcts: num(r.mobility_ects),
    semester: r.semester ?? null, level: r.level ?? null, languages: r.languages ?? [], componentCode: r.component_code ?? null, seats: r.seats ?? null,
    exchangeTypes: r.exchange_types ?? null,
    // a full sync that no longer finds it closes it for good: for the rules, both mean "gone from the offer"
    openToMobility: !!r.open_to_mobility && !!r.in_source,
    openFlag: !!r.open_to_mobility, inSource: !!r.in_source,
    prerequisitesFr: r.prerequisites_fr ?? null, prerequisitesEn: r.prerequisites_en ?? null, timetable: json(r.timetable, []), parentCodes: parents,
    campus: r.campus ?? null,
  };
}

/** A seat counter of the course picker (`capacity` null: the catalogue's number of seats applies). */
export interface SeatRow {
  code: string;
  capacity: number | null;
  taken: number;
}

/** The seat counters of `codes` in `year`. */
export async function seatRows(db: Db, institutionId: number, year: number, codes: string[]): Promise<SeatRow[]> {
  if (!codes.length) return [];
  return (await db('course_picker_seats').where({ institution_id: institutionId, year }).whereIn('code', codes).select('code', 'capacity', 'taken')) as SeatRow[];
}

/** Seats still free per element from its counter (`null`: unlimited), a seat held by `ownCodes` not counted as taken. */
export function seatsFrom(rows: SeatRow[], elements: PickerElement[], ownCodes: Set<string> = new Set()): Map<string, number | null> {
  const byCode = new Map(rows.map((r) => [r.code, r]));
  const out = new Map<string, number | null>();
  for (const e of elements) {
    const row = byCode.get(e.code);
    const capacity = row?.capacity ?? e.seats;
    out.set(e.code, capacity === null || capacity === undefined ? null : capacity - Math.max(0, (row?.taken ?? 0) - (ownCodes.has(e.code) ? 1 : 0)));
  }
  return out;
}

/** Seats still free per code for `year` (`null`: unlimited), a seat held by `ownCodes` not counted as taken. */
export async function seatsLeft(db: Db, institutionId: number, year: number, elements: PickerElement[], ownCodes: Set<string> = new Set()): Promise<Map<string, number | null>> {
  return seatsFrom(await seatRows(db, institutionId, year, elements.map((e) => e.code)), elements, ownCodes);
}

/**
 * The catalogue elements of `codes` in `year` (absent codes are left out: removed from the
 * catalogue), and their ancestors in every formation tree (`related`), for the hierarchy rules.
 */
export async function loadElements(db: Db, institutionId: number, year: number, codes: string[]): Promise<{ chosen: Map<string, PickerElement>; related: PickerElement[] }> {
  if (!codes.length) return { chosen: new Map(), related: [] };
  const rows = (await db('catalogue_elements as e')
    .leftJoin('components as c', 'c.id', 'e.component_id')
    .where({ 'e.institution_id': institutionId, 'e.year': year })
    .whereIn('e.code', codes)
    .select(ELEMENT_COLUMNS)) as Record<string, any>[];
  const ids = rows.map((r) => r.id as number);
  // every placement above the chosen elements, however deep the tree (a bad edit may loop: depth stops it)
  const links = ids.length
    ? ((await db.raw(
      `with recursive up(child_id, parent_id, depth) as (
         select l.child_id, l.parent_id, 1 from catalogue_links l
          where l.institution_id = ? and l.parent_id is not null and l.child_id = any(?::int[])
         union
         select l.child_id, l.parent_id, up.depth + 1 from catalogue_links l join up on l.child_id = up.parent_id
          where l.institution_id = ? and l.parent_id is not null and up.depth < 8
       )
       select distinct child_id, parent_id from up`,
      [institutionId, ids, institutionId],
    )).rows as Array<{ child_id: number; parent_id: number }>)
    : [];
  const known = new Set(ids);
  const extra = [...new Set(links.map((l) => l.parent_id))].filter((id) => !known.has(id));
  const parentRows = extra.length
    ? ((await db('catalogue_elements as e').leftJoin('components as c', 'c.id', 'e.component_id').where('e.institution_id', institutionId).whereIn('e.id', extra).select(ELEMENT_COLUMNS)) as Record<string, any>[])
    : [];
  const codeOf = new Map([...rows, ...parentRows].map((r) => [r.id as number, r.code as string]));
  const parentsOf = (id: number) => [...new Set(links.filter((l) => l.child_id === id).map((l) => codeOf.get(l.parent_id)).filter((c): c is string => !!c))];
  const chosen = new Map(rows.map((r) => [r.code as string, toElement(r, parentsOf(r.id))]));
  return { chosen, related: parentRows.map((r) => toElement(r, parentsOf(r.id))) };
}

/*
 * The catalogue side of a choice kept per database, institution, year, codes and catalogue generation (least
 * recently used out first): elements and their placements only change with the catalogue, whose
 * generation then moves on, in any process. Seats are not in it: they are read each time.
 */
const ELEMENTS_CACHE_MAX = 500;

/**
 * {@link loadElements} through a cache keyed on `generation` (read by the caller before this call, so
 * that a change meanwhile files the entry under a generation nobody asks for again). Returns copies:
 * callers set `seatsLeft` on them.
 */
export async function loadElementsCached(db: Db, institutionId: number, year: number, codes: string[], generation: number): Promise<{ chosen: Map<string, PickerElement>; related: PickerElement[] }> {
  const key = `${institutionId}:${year}:${generation}:${JSON.stringify([...new Set(codes)].sort())}`;
  const elementsCache = cacheOf<{ chosen: Map<string, PickerElement>; related: PickerElement[] }>(db, 'elements');
  let entry = elementsCache.get(key);
  if (entry) {
    elementsCache.delete(key);
  } else {
    entry = await loadElements(db, institutionId, year, codes);
  }
  elementsCache.set(key, entry);
  while (elementsCache.size > ELEMENTS_CACHE_MAX) elementsCache.delete(elementsCache.keys().next().value!);
  return { chosen: new Map([...entry.chosen].map(([code, e]) => [code, { ...e }])), related: entry.related.map((e) => ({ ...e })) };
}

/** What the rules know of the student of `file`. */
export function studentContext(settings: PickerSettings, file: MobilityFile, choice: Pick<Choice, 'languageLevels' | 'items'>): StudentContext {
  return {
    exchangeType: file.exchangeType,
    terms: termsOfFile(settings, file),
    mainComponent: file.componentCode,
    languages: choice.languageLevels as Record<string, Cefr>,
    confirmedPrerequisites: choice.items.filter((i) => i.prerequisitesConfirmed).map((i) => i.code),
  };
}

/** An evaluation with the elements it was made of (the pages show their catalogue state). */
export interface Evaluated {
  evaluation: Evaluation;
  elements: Map<string, PickerElement>;
  student: StudentContext;
}

/**
 * Evaluate a stored choice: its items as lines (a code gone from the catalogue stays, with the
 * title saved when it was chosen), the seats left (the student's own held seat not counted), from
 * `seats` when the caller read them with the choice.
 */
export async function evaluateStored(db: Db, settings: PickerSettings, file: MobilityFile, choice: Choice, mode: EvaluationMode, generation?: number, seats?: SeatRow[]): Promise<Evaluated> {
  const codes = choice.items.map((i) => i.code);
  const { chosen, related } = generation === undefined
    ? await loadElements(db, file.institutionId, file.academicYear, codes)
    : await loadElementsCached(db, file.institutionId, file.academicYear, codes, generation);
  const own = new Set(choice.items.filter((i) => i.seatTaken).map((i) => i.code));
  const left = seats ? seatsFrom(seats, [...chosen.values()], own) : await seatsLeft(db, file.institutionId, file.academicYear, [...chosen.values()], own);
  for (const [code, e] of chosen) {
    const item = choice.items.find((i) => i.code === code);
    // a seat already given to this student cannot be missing for them
    e.seatsLeft = item?.decision === 'approved' ? null : left.get(code) ?? null;
  }
  const student = studentContext(settings, file, choice);
  const lines: ChoiceLine[] = choice.items.map((i) => ({
    code: i.code, element: chosen.get(i.code) ?? null, savedTitle: { fr: i.titleFr, en: i.titleEn }, ...(i.term ? { term: i.term as Term } : {}),
  }));
  const evaluation = evaluateChoice({ lines, related, student, config: settings.rules, mode });
  return { evaluation, elements: chosen, student };
}

/** The rules that make an element impossible to even put in a draft. */
export const UNDRAFTABLE = new Set(['element-removed', 'not-open-exchange-type', 'not-open-term']);

/**
 * Why `code` cannot be added to a draft, as the engine says (the violations of `UNDRAFTABLE`
 * rules about it alone), or `[]`. Also returns the element for the snapshot.
 */
export async function draftCheck(db: Db, settings: PickerSettings, file: MobilityFile, code: string): Promise<{ element: PickerElement | null; problems: Evaluation['violations'] }> {
  const { chosen, related } = await loadElements(db, file.institutionId, file.academicYear, [code]);
  const element = chosen.get(code) ?? null;
  const student = studentContext(settings, file, { languageLevels: {}, items: [] });
  const evaluation = evaluateChoice({ lines: [{ code, element }], related, student, config: settings.rules, mode: 'draft' });
  return { element, problems: evaluation.violations.filter((v) => UNDRAFTABLE.has(v.rule) && v.elements[0] === code) };
}
