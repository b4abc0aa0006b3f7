/**
 * From an API item to a catalogue record: each record field reads a path in the item (or takes a
 * constant), values are translated through an optional `map` and converted to the field's type.
 * What cannot be converted is a row error naming the endpoint and the record number.
 * @packageDocumentation
 */
import type { ComponentRecord, ElementRecord, FormationRecord, LinkRecord, RowError, Semester } from '@smile/plugin-catalogue';
import { evaluate, type Match } from './path.js';
import { bilingual } from './strings.js';

/** The four lists of a catalogue batch, in the order they are read. */
export const ENTITIES = ['components', 'formations', 'elements', 'links'] as const;
export type Entity = (typeof ENTITIES)[number];

type Kind = 'string' | 'number' | 'integer' | 'boolean' | 'strings' | 'languages' | 'semester' | 'isced' | 'json';

/** Record fields each list can map, with their type. `diplomaTypeNameFr` and the like fill `{ fr, en }` pairs. */
export const TARGET_FIELDS = {
  components: { code: 'string', nameFr: 'string', nameEn: 'string', nameLongFr: 'string', nameLongEn: 'string', acronym: 'string', campus: 'string', contacts: 'json' },
  formations: {
    code: 'string', nameFr: 'string', nameEn: 'string', acronym: 'string', componentCode: 'string',
    diplomaType: 'string', diplomaTypeNameFr: 'string', diplomaTypeNameEn: 'string',
    formationType: 'string', formationTypeNameFr: 'string', formationTypeNameEn: 'string',
    level: 'integer', domain: 'string', isced: 'isced', eqf: 'integer', languages: 'languages', openToMobility: 'boolean',
  },
  elements: {
    code: 'string', kind: 'string', titleFr: 'string', titleEn: 'string', descriptionFr: 'string', descriptionEn: 'string',
    objectivesFr: 'string', objectivesEn: 'string', outcomesFr: 'string', outcomesEn: 'string', ects: 'number', mobilityEcts: 'number',
    semester: 'semester', level: 'integer', languages: 'languages', campus: 'string', isced: 'isced', competences: 'strings',
    prerequisitesFr: 'string', prerequisitesEn: 'string', seats: 'integer', exchangeTypes: 'strings', openToMobility: 'boolean',
    hours: 'number', timetable: 'json', componentCode: 'string',
  },
  links: { formationCode: 'string', parentCode: 'string', childCode: 'string', position: 'integer' },
} as const satisfies Record<Entity, Record<string, Kind>>;

/** Fields a mapping must give (the record is useless without them). */
export const REQUIRED_FIELDS: Record<Entity, string[]> = {
  components: ['code', 'nameFr'],
  formations: ['code', 'nameFr'],
  elements: ['code', 'titleFr'],
  links: ['formationCode', 'childCode'],
};

type Scalar = string | number | boolean | null;

/** How one record field is read: a path, or `{ path?, value?, map? }`. */
export type FieldSpec = string | { path?: string; value?: Scalar; map?: Record<string, Scalar> };

export type Fields = Partial<Record<string, FieldSpec>>;

/** A record of a list, with the line (record number) errors refer to. */
export type MappedRecord = ComponentRecord | FormationRecord | ElementRecord | LinkRecord;

type Converted = { ok: true; value: unknown } | { ok: false; expected: string };

const TRUE = new Set(['true', '1', 'yes', 'y', 'oui', 'o', 'vrai', 't']);
const FALSE = new Set(['false', '0', 'no', 'n', 'non', 'faux', 'f']);
const SEMESTER: Record<string, Semester> = {
  s1: 'S1', '1': 'S1', sem1: 'S1', 'semestre 1': 'S1', 'semester 1': 'S1', autumn: 'S1', automne: 'S1', fall: 'S1',
  s2: 'S2', '2': 'S2', sem2: 'S2', 'semestre 2': 'S2', 'semester 2': 'S2', spring: 'S2', printemps: 'S2',
  annual: 'annual', an: 'annual', annuel: 'annual', annuelle: 'annual', a: 'annual', year: 'annual', 'full year': 'annual', 's1-s2': 'annual', s1s2: 'annual',
};

function scalarText(v: unknown): string | null | undefined {
  if (v === null || v === undefined) return null;
  if (typeof v === 'string') return v.trim() === '' ? null : v.trim();
  if (typeof v === 'number' || typeof v === 'boolean') return String(v);
  return undefined;
}

function toNumber(v: unknown): Converted {
  if (typeof v === 'number') return Number.isFinite(v) ? { ok: true, value: v } : { ok: false, expected: 'number' };
  const text = scalarText(v);
  if (text === null) return { ok: true, value: null };
  // French exports write 4,5
  if (text !== undefined && /^[-+]?\d+([.,]\d+)?$/.test(text)) return { ok: true, value: Number(text.replace(',', '.')) };
  return { ok: false, expected: 'number' };
}

/** Convert the values a path reached to a field of type `kind`. */
export function convert(kind: Kind, values: unknown[]): Converted {
  const present = values.filter((v) => v !== undefined && v !== null && v !== '');
  if (kind === 'strings' || kind === 'languages') {
    const out: string[] = [];
    for (const v of present.flatMap((x) => (Array.isArray(x) ? x : [x]))) {
      const text = scalarText(v);
      if (text === undefined) return { ok: false, expected: 'list' };
      if (text !== null) out.push(...text.split(/[,;|]/).map((s) => s.trim()).filter(Boolean));
    }
    const list = kind === 'languages' ? out.map((l) => l.toLowerCase()) : out;
    return { ok: true, value: [...new Set(list)] };
  }
  if (kind === 'json') {
    if (!present.length) return { ok: true, value: undefined };
    const v = present.length === 1 ? present[0] : present;
    return Array.isArray(v) ? { ok: true, value: v } : { ok: false, expected: 'list' };
  }
  const v = present[0];
  if (v === undefined) return { ok: true, value: null };
  switch (kind) {
    case 'string': {
      const text = scalarText(v);
      return text === undefined ? { ok: false, expected: 'text' } : { ok: true, value: text };
    }
    case 'isced': {
      // a number loses the leading zero of 0311
      if (typeof v === 'number' && Number.isInteger(v) && v >= 0) return { ok: true, value: String(v).padStart(v < 100 ? 2 : 4, '0') };
      const text = scalarText(v);
      return text === undefined ? { ok: false, expected: 'text' } : { ok: true, value: text };
    }
    case 'number':
      return toNumber(v);
    case 'integer': {
      const n = toNumber(v);
      if (!n.ok || (n.value !== null && !Number.isInteger(n.value))) return { ok: false, expected: 'integer' };
      return n;
    }
    case 'boolean': {
      if (typeof v === 'boolean') return { ok: true, value: v };
      const text = scalarText(v)?.toLowerCase();
      if (text !== undefined && text !== null && TRUE.has(text)) return { ok: true, value: true };
      if (text !== undefined && text !== null && FALSE.has(text)) return { ok: true, value: false };
      return { ok: false, expected: 'boolean' };
    }
    case 'semester': {
      const text = scalarText(v)?.toLowerCase();
      const s = text ? SEMESTER[text] : undefined;
      return s ? { ok: true, value: s } : { ok: false, expected: 'semester' };
    }
  }
  return { ok: false, expected: 'text' };
}

function translate(value: unknown, map: Record<string, Scalar> | undefined): unknown {
  if (!map) return value;
  if (Array.isArray(value)) return value.map((v) => translate(v, map));
  const key = scalarText(value);
  if (typeof key === 'string' && Object.prototype.hasOwnProperty.call(map, key)) return map[key];
  return value;
}

/** Where a record came from, for error messages. */
export interface Origin {
  entity: Entity;
  /** 1-based number of the record in its list (all pages together). */
  index: number;
  page: number;
}

/** The entity row errors name for each list. */
export const ERROR_ENTITY: Record<Entity, RowError['entity']> = { components: 'component', formations: 'formation', elements: 'element', links: 'link' };

const shorten = (v: unknown) => {
  const s = typeof v === 'string' ? v : JSON.stringify(v) ?? String(v);
  return s.length > 60 ? `${s.slice(0, 57)}…` : s;
};

/**
 * Map one item to a record of `origin.entity`. Returns the record (`null` when it cannot be used
 * at all) and the errors found.
 */
export function mapItem(item: Match, fields: Fields, origin: Origin): { record: MappedRecord | null; errors: RowError[] } {
  const kinds = TARGET_FIELDS[origin.entity] as Record<string, Kind>;
  const out: Record<string, unknown> = { line: origin.index };
  const errors: RowError[] = [];
  const where = { entity: ERROR_ENTITY[origin.entity], line: origin.index };
  const at = { endpoint: origin.entity, record: origin.index, page: origin.page };
  for (const [field, spec] of Object.entries(fields)) {
    const kind = kinds[field];
    if (!kind || spec === undefined) continue;
    const s = typeof spec === 'string' ? { path: spec } : spec;
    let values: unknown[] = s.path ? evaluate(s.path, item.value, item.parents).map((m) => m.value) : [];
    if (!values.some((v) => v !== undefined && v !== null && v !== '') && s.value !== undefined) values = [s.value];
    // lists are split before translation, so that `map` sees each code of "FRA,ANG"
    if (kind === 'strings' || kind === 'languages') values = values.flatMap((v) => (Array.isArray(v) ? v : [v])).flatMap((v) => (typeof v === 'string' ? v.split(/[,;|]/) : [v]));
    values = values.map((v) => translate(v, s.map));
    const c = convert(kind, values);
    if (c.ok) {
      if (c.value !== undefined) out[field] = c.value;
    } else {
      errors.push({ ...where, field, message: bilingual(`errors.${c.expected}`, { ...at, field, value: shorten(values.find((v) => v !== undefined && v !== null)) }) });
    }
  }
  const codeField = origin.entity === 'links' ? 'childCode' : 'code';
  const code = typeof out[codeField] === 'string' ? (out[codeField] as string) : undefined;
  for (const e of errors) if (code) e.code = code;
  for (const field of REQUIRED_FIELDS[origin.entity]) {
    if (out[field] === undefined || out[field] === null) {
      errors.push({ ...where, code, field, message: bilingual('errors.missing', { ...at, field }) });
    }
  }
  if (errors.length) return { record: null, errors };
  // bilingual names of diploma and formation types come as two fields
  for (const base of ['diplomaTypeName', 'formationTypeName']) {
    const fr = out[`${base}Fr`];
    const en = out[`${base}En`];
    delete out[`${base}Fr`];
    delete out[`${base}En`];
    if (fr || en) out[base] = { ...(fr ? { fr } : {}), ...(en ? { en } : {}) };
  }
  return { record: out as unknown as MappedRecord, errors };
}

/** A key telling two records apart: identical duplicates (a record seen again on the next page) are dropped. */
export function recordKey(entity: Entity, r: MappedRecord): string {
  if (entity === 'links') {
    const l = r as LinkRecord;
    return `${l.formationCode}\u0000${l.parentCode ?? ''}\u0000${l.childCode}`;
  }
  return (r as { code: string }).code;
}

/** Same content (the line aside)? */
export function sameRecord(a: MappedRecord, b: MappedRecord): boolean {
  const strip = (r: MappedRecord) => JSON.stringify({ ...r, line: 0, position: undefined });
  return strip(a) === strip(b);
}
