/**
 * Column names of the catalogue tables and the conversions between stored rows and model objects.
 * @packageDocumentation
 */
import type { Element, ElementField, Formation, FormationField, Semester, TimetableSlot } from './types.js';

/** Element field → column. `componentCode` is stored as `component_id`. */
export const ELEMENT_COLUMNS: Record<Exclude<ElementField, 'componentCode'>, string> = {
  kind: 'kind', titleFr: 'title_fr', titleEn: 'title_en', descriptionFr: 'description_fr', descriptionEn: 'description_en',
  objectivesFr: 'objectives_fr', objectivesEn: 'objectives_en', outcomesFr: 'outcomes_fr', outcomesEn: 'outcomes_en',
  ects: 'ects', mobilityEcts: 'mobility_ects', semester: 'semester', level: 'level', languages: 'languages', campus: 'campus',
  isced: 'isced', competences: 'competences', prerequisitesFr: 'prerequisites_fr', prerequisitesEn: 'prerequisites_en',
  seats: 'seats', exchangeTypes: 'exchange_types', openToMobility: 'open_to_mobility', hours: 'hours', timetable: 'timetable',
};

/** Formation field → column (`componentCode`, `diplomaType`, `formationType` are stored as ids). */
export const FORMATION_COLUMNS: Record<Exclude<FormationField, 'componentCode' | 'diplomaType' | 'formationType'>, string> = {
  nameFr: 'name_fr', nameEn: 'name_en', acronym: 'acronym', level: 'level', domain: 'domain', isced: 'isced', eqf: 'eqf',
  languages: 'languages', openToMobility: 'open_to_mobility',
};

/** The column of a formation field (component, diploma and formation types are stored as ids). */
export const formationColumn = (field: string): string =>
  field === 'componentCode' ? 'component_id' : field === 'diplomaType' ? 'diploma_type_id' : field === 'formationType' ? 'formation_type_id' : (FORMATION_COLUMNS as Record<string, string>)[field]!;

/** The column of an element field (the component is stored as an id). */
export const elementColumn = (field: string): string => (field === 'componentCode' ? 'component_id' : (ELEMENT_COLUMNS as Record<string, string>)[field]!);

const num = (v: unknown): number | null => (v === null || v === undefined ? null : Number(v));

/** A stored element row (with `component_code` joined) as an {@link Element}. */
export function toElement(r: Record<string, any>): Element {
  return {
    id: r.id, year: r.year, code: r.code, kind: r.kind, titleFr: r.title_fr, titleEn: r.title_en,
    descriptionFr: r.description_fr, descriptionEn: r.description_en, objectivesFr: r.objectives_fr, objectivesEn: r.objectives_en,
    outcomesFr: r.outcomes_fr, outcomesEn: r.outcomes_en, ects: num(r.ects), mobilityEcts: num(r.mobility_ects),
    semester: (r.semester ?? null) as Semester | null, level: r.level, languages: r.languages ?? [], campus: r.campus, isced: r.isced,
    competences: r.competences ?? [], prerequisitesFr: r.prerequisites_fr, prerequisitesEn: r.prerequisites_en, seats: r.seats,
    exchangeTypes: r.exchange_types ?? null, openToMobility: r.open_to_mobility, hours: num(r.hours),
    timetable: (r.timetable ?? []) as TimetableSlot[], componentId: r.component_id, componentCode: r.component_code ?? null,
    source: r.source, localFields: r.local_fields ?? [], imported: r.imported ?? {}, inSource: r.in_source, version: r.version,
    updatedAt: r.updated_at,
  };
}

/** A stored formation row (with `component_code` joined) as a {@link Formation}. */
export function toFormation(r: Record<string, any>): Formation {
  return {
    id: r.id, year: r.year, code: r.code, nameFr: r.name_fr, nameEn: r.name_en, acronym: r.acronym, componentId: r.component_id,
    componentCode: r.component_code ?? null, diplomaTypeId: r.diploma_type_id, formationTypeId: r.formation_type_id, level: r.level,
    domain: r.domain, isced: r.isced, eqf: r.eqf, languages: r.languages ?? [], openToMobility: r.open_to_mobility, source: r.source,
    localFields: r.local_fields ?? [], imported: r.imported ?? {}, inSource: r.in_source, version: r.version, updatedAt: r.updated_at,
  };
}

/** The title of an element or the name of a formation in `lang` (French when there is no English). */
export function titleIn(lang: 'fr' | 'en', fr: string, en: string | null | undefined): string {
  return lang === 'en' && en ? en : fr;
}

/** Two stored values are equal for change detection (numbers as numbers, arrays and objects by content). */
export function sameValue(a: unknown, b: unknown): boolean {
  if (a === b) return true;
  if ((a === null || a === undefined) && (b === null || b === undefined)) return true;
  if (typeof a === 'number' || typeof b === 'number') return a !== null && b !== null && a !== undefined && b !== undefined && Number(a) === Number(b);
  if (typeof a === 'object' || typeof b === 'object') return stableJson(a ?? null) === stableJson(b ?? null);
  return false;
}

/** JSON with object keys sorted: PostgreSQL stores jsonb keys in its own order. */
function stableJson(v: unknown): string {
  return JSON.stringify(v, (_k, x) => (x && typeof x === 'object' && !Array.isArray(x) ? Object.fromEntries(Object.entries(x).sort(([p], [q]) => (p < q ? -1 : p > q ? 1 : 0))) : x));
}
