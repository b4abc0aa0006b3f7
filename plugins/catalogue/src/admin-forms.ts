/**
 * The element and formation forms of the back office: values as typed (kept on error), checks
 * with messages next to each field, and the patch of what the person actually changed.
 * @packageDocumentation
 */
import { formField as field, formFields as fields } from '@smile/sdk';
import { sameValue } from './rows.js';
import type { ElementPatch, FormationPatch } from './store.js';
import { SEMESTERS, type Element, type ElementField, type Formation, type FormationField, type Semester, type TimetableSlot } from './types.js';
import type { Ctx } from './admin-common.js';

export type Errors = Record<string, string>;

const CODE = /^[^\s\u0000-\u001f]{1,64}$/;
const LANG = /^[a-z]{2,3}$/;
const ISCED = /^\d{2,4}$/;
const TIME = /^([01]\d|2[0-3]):[0-5]\d$/;
/** Empty timetable rows offered after the existing ones. */
export const SPARE_SLOTS = 2;
const MAX_SLOTS = 20;

/** A timetable row as typed. */
export interface SlotValues {
  day: string;
  start: string;
  end: string;
  room: string;
  kind: string;
}

/** The element form as typed (every value a string, so that nothing is lost on error). */
export interface ElementValues {
  code: string;
  kind: string;
  titleFr: string;
  titleEn: string;
  descriptionFr: string;
  descriptionEn: string;
  objectivesFr: string;
  objectivesEn: string;
  outcomesFr: string;
  outcomesEn: string;
  prerequisitesFr: string;
  prerequisitesEn: string;
  ects: string;
  mobilityEcts: string;
  semester: string;
  level: string;
  languages: string;
  campus: string;
  isced: string;
  competences: string;
  seats: string;
  hours: string;
  componentCode: string;
  exchangeTypes: string[];
  openToMobility: boolean;
  timetable: SlotValues[];
  version: string;
}

const TEXTS = ['kind', 'titleFr', 'titleEn', 'descriptionFr', 'descriptionEn', 'objectivesFr', 'objectivesEn', 'outcomesFr', 'outcomesEn', 'prerequisitesFr', 'prerequisitesEn', 'campus', 'isced'] as const;
const LONG_TEXTS = new Set(['descriptionFr', 'descriptionEn', 'objectivesFr', 'objectivesEn', 'outcomesFr', 'outcomesEn', 'prerequisitesFr', 'prerequisitesEn']);

const num = (n: number | null) => (n === null || n === undefined ? '' : String(n));

/** The form of a stored element. */
export function elementValues(e: Element): ElementValues {
  return {
    code: e.code, kind: e.kind, titleFr: e.titleFr, titleEn: e.titleEn ?? '', descriptionFr: e.descriptionFr ?? '', descriptionEn: e.descriptionEn ?? '',
    objectivesFr: e.objectivesFr ?? '', objectivesEn: e.objectivesEn ?? '', outcomesFr: e.outcomesFr ?? '', outcomesEn: e.outcomesEn ?? '',
    prerequisitesFr: e.prerequisitesFr ?? '', prerequisitesEn: e.prerequisitesEn ?? '', ects: num(e.ects), mobilityEcts: num(e.mobilityEcts),
    semester: e.semester ?? '', level: num(e.level), languages: e.languages.join(', '), campus: e.campus ?? '', isced: e.isced ?? '',
    competences: e.competences.join('\n'), seats: num(e.seats), hours: num(e.hours), componentCode: e.componentCode ?? '',
    exchangeTypes: e.exchangeTypes ?? [], openToMobility: e.openToMobility,
    timetable: e.timetable.map((s) => ({ day: String(s.day), start: s.start, end: s.end, room: s.room ?? '', kind: s.kind ?? '' })),
    version: String(e.version),
  };
}

/** An empty form for a new element. */
export function blankElement(componentCode = ''): ElementValues {
  return {
    code: '', kind: 'EC', titleFr: '', titleEn: '', descriptionFr: '', descriptionEn: '', objectivesFr: '', objectivesEn: '', outcomesFr: '', outcomesEn: '',
    prerequisitesFr: '', prerequisitesEn: '', ects: '', mobilityEcts: '', semester: '', level: '', languages: 'fr', campus: '', isced: '', competences: '',
    seats: '', hours: '', componentCode, exchangeTypes: [], openToMobility: true, timetable: [], version: '',
  };
}

/** The form as posted. */
export function elementValuesFrom(body: unknown): ElementValues {
  const count = Math.min(MAX_SLOTS, Math.max(0, Number(field(body, 'tt_count')) || 0));
  const timetable: SlotValues[] = [];
  for (let i = 0; i < count; i++) {
    const slot = { day: field(body, `tt${i}_day`), start: field(body, `tt${i}_start`), end: field(body, `tt${i}_end`), room: field(body, `tt${i}_room`), kind: field(body, `tt${i}_kind`) };
    if (slot.day || slot.start || slot.end || slot.room || slot.kind) timetable.push(slot);
  }
  const v = { ...blankElement(), timetable } as ElementValues;
  for (const k of TEXTS) v[k] = field(body, k);
  for (const k of ['code', 'ects', 'mobilityEcts', 'semester', 'level', 'languages', 'seats', 'hours', 'componentCode', 'version'] as const) v[k] = field(body, k);
  v.competences = field(body, 'competences');
  v.exchangeTypes = fields(body, 'exchangeTypes');
  v.openToMobility = field(body, 'openToMobility') === 'on' || field(body, 'openToMobility') === 'true';
  return v;
}

/** A decimal typed with a dot or a French comma. */
function decimal(s: string): number | null | undefined {
  if (s === '') return null;
  const t = s.replace(/\s/g, '').replace(',', '.');
  return /^-?\d+(\.\d+)?$/.test(t) ? Number(t) : undefined;
}

/** What the checks need to know besides the values. */
export interface FormContext {
  isNew: boolean;
  exchangeCodes: string[];
  /** Components the person may choose. */
  componentCodes: string[];
  /** A person limited to some components must choose one (a record without one is institution-wide). */
  componentRequired: boolean;
}

/** Check the typed element; returns the full patch (every field, as stored) and the errors by field. */
export function parseElement(ctx: Ctx, v: ElementValues, opts: FormContext): { patch: ElementPatch & { code: string }; errors: Errors } {
  const errors: Errors = {};
  const t = (key: string, vars?: Record<string, string | number>) => ctx.t(`catalogue:admin.errors.${key}`, vars);
  if (opts.isNew) {
    if (!v.code) errors.code = t('required');
    else if (!CODE.test(v.code)) errors.code = t('code');
  }
  if (!v.titleFr) errors.titleFr = t('required');
  for (const k of TEXTS) {
    const max = LONG_TEXTS.has(k) ? 20000 : k === 'kind' ? 30 : k === 'isced' ? 10 : k === 'campus' ? 200 : 300;
    if (v[k].length > max) errors[k] = t('tooLong', { max });
  }
  if (v.isced && !ISCED.test(v.isced)) errors.isced = t('isced');
  const number = (k: 'ects' | 'mobilityEcts' | 'hours' | 'level' | 'seats', min: number, max: number, integer: boolean): number | null => {
    const n = decimal(v[k]);
    if (n === undefined) errors[k] = t(integer ? 'integer' : 'number');
    else if (n !== null && (n < min || n > max)) errors[k] = t('range', { min, max });
    else if (n !== null && integer && !Number.isInteger(n)) errors[k] = t('integer');
    else return n;
    return null;
  };
  const ects = number('ects', 0, 120, false);
  const mobilityEcts = number('mobilityEcts', 0, 120, false);
  const hours = number('hours', 0, 10000, false);
  const level = number('level', 0, 12, true);
  const seats = number('seats', 0, 100000, true);
  let semester: Semester | null = null;
  if (v.semester) {
    if ((SEMESTERS as readonly string[]).includes(v.semester)) semester = v.semester as Semester;
    else errors.semester = t('choose');
  }
  const languages = v.languages.split(/[\s,;]+/).map((s) => s.toLowerCase()).filter(Boolean);
  if (languages.some((l) => !LANG.test(l))) errors.languages = t('languages');
  const competences = v.competences.split(/\r?\n/).map((s) => s.trim()).filter(Boolean);
  if (competences.some((c) => c.length > 300)) errors.competences = t('tooLong', { max: 300 });
  const unknownType = v.exchangeTypes.find((x) => !opts.exchangeCodes.includes(x));
  if (unknownType) errors.exchangeTypes = t('choose');
  if (v.componentCode && !opts.componentCodes.includes(v.componentCode)) errors.componentCode = t('choose');
  else if (!v.componentCode && opts.componentRequired) errors.componentCode = t('required');
  const timetable: TimetableSlot[] = [];
  v.timetable.forEach((s, i) => {
    const day = Number(s.day);
    if (!(Number.isInteger(day) && day >= 1 && day <= 7)) errors[`tt${i}_day`] = t('choose');
    if (!TIME.test(s.start)) errors[`tt${i}_start`] = t('time');
    if (!TIME.test(s.end)) errors[`tt${i}_end`] = t('time');
    else if (TIME.test(s.start) && s.end <= s.start) errors[`tt${i}_end`] = t('endAfterStart');
    if (s.room.length > 100) errors[`tt${i}_room`] = t('tooLong', { max: 100 });
    if (s.kind.length > 50) errors[`tt${i}_kind`] = t('tooLong', { max: 50 });
    // keys in the order jsonb keeps them, so that a stored timetable and a typed one compare equal
    const slot: TimetableSlot = { day, end: s.end, start: s.start } as TimetableSlot;
    if (s.kind) slot.kind = s.kind;
    if (s.room) slot.room = s.room;
    timetable.push(slot);
  });
  const text = (s: string) => (s === '' ? null : s);
  const patch: ElementPatch & { code: string } = {
    code: v.code,
    kind: v.kind || 'EC', titleFr: v.titleFr, titleEn: text(v.titleEn), descriptionFr: text(v.descriptionFr), descriptionEn: text(v.descriptionEn),
    objectivesFr: text(v.objectivesFr), objectivesEn: text(v.objectivesEn), outcomesFr: text(v.outcomesFr), outcomesEn: text(v.outcomesEn),
    prerequisitesFr: text(v.prerequisitesFr), prerequisitesEn: text(v.prerequisitesEn), ects, mobilityEcts, semester, level, languages,
    campus: text(v.campus), isced: text(v.isced), competences, seats, exchangeTypes: v.exchangeTypes.length ? v.exchangeTypes : null,
    openToMobility: v.openToMobility, hours, timetable, componentCode: v.componentCode || null,
  };
  return { patch, errors };
}

/** Compare two stored values, objects by content whatever the order of their keys. */
function same(a: unknown, c: unknown): boolean {
  const norm = (x: unknown): unknown =>
    Array.isArray(x) ? x.map(norm) : x && typeof x === 'object' && !(x instanceof Date) ? Object.fromEntries(Object.entries(x).sort(([k1], [k2]) => k1.localeCompare(k2)).map(([k, y]) => [k, norm(y)])) : x;
  return sameValue(norm(a), norm(c));
}

/** The fields of `patch` that differ from the stored record: what the person changed. */
export function changedFields<F extends string>(stored: Record<F, unknown>, patch: Partial<Record<F, unknown>>, keys: readonly F[]): F[] {
  return keys.filter((k) => k in patch && !same(stored[k] ?? null, patch[k] ?? null));
}

/** The formation form as typed. */
export interface FormationValues {
  code: string;
  nameFr: string;
  nameEn: string;
  acronym: string;
  componentCode: string;
  diplomaType: string;
  formationType: string;
  level: string;
  domain: string;
  isced: string;
  eqf: string;
  languages: string;
  openToMobility: boolean;
  version: string;
}

/** The form of a stored formation (`types`: code of its diploma and formation types). */
export function formationValues(f: Formation, types: { diplomaType: string; formationType: string }): FormationValues {
  return {
    code: f.code, nameFr: f.nameFr, nameEn: f.nameEn ?? '', acronym: f.acronym ?? '', componentCode: f.componentCode ?? '', ...types,
    level: num(f.level), domain: f.domain ?? '', isced: f.isced ?? '', eqf: num(f.eqf), languages: f.languages.join(', '), openToMobility: f.openToMobility,
    version: String(f.version),
  };
}

export function blankFormation(componentCode = ''): FormationValues {
  return { code: '', nameFr: '', nameEn: '', acronym: '', componentCode, diplomaType: '', formationType: '', level: '', domain: '', isced: '', eqf: '', languages: 'fr', openToMobility: true, version: '' };
}

export function formationValuesFrom(body: unknown): FormationValues {
  const v = blankFormation();
  for (const k of ['code', 'nameFr', 'nameEn', 'acronym', 'componentCode', 'diplomaType', 'formationType', 'level', 'domain', 'isced', 'eqf', 'languages', 'version'] as const) v[k] = field(body, k);
  v.openToMobility = field(body, 'openToMobility') === 'on' || field(body, 'openToMobility') === 'true';
  return v;
}

/** Check the typed formation; `typeCodes`: codes of the diploma and formation types that exist. */
export function parseFormation(
  ctx: Ctx,
  v: FormationValues,
  opts: FormContext & { diplomaTypes: string[]; formationTypes: string[] },
): { patch: FormationPatch & { code: string }; errors: Errors } {
  const errors: Errors = {};
  const t = (key: string, vars?: Record<string, string | number>) => ctx.t(`catalogue:admin.errors.${key}`, vars);
  if (opts.isNew) {
    if (!v.code) errors.code = t('required');
    else if (!CODE.test(v.code)) errors.code = t('code');
  }
  if (!v.nameFr) errors.nameFr = t('required');
  for (const [k, max] of [['nameFr', 300], ['nameEn', 300], ['acronym', 50], ['domain', 200]] as const) if (v[k].length > max) errors[k] = t('tooLong', { max });
  if (v.isced && !ISCED.test(v.isced)) errors.isced = t('isced');
  const int = (k: 'level' | 'eqf', min: number, max: number): number | null => {
    const n = decimal(v[k]);
    if (n === undefined || (n !== null && !Number.isInteger(n))) errors[k] = t('integer');
    else if (n !== null && (n < min || n > max)) errors[k] = t('range', { min, max });
    else return n;
    return null;
  };
  const level = int('level', 0, 12);
  const eqf = int('eqf', 1, 8);
  const languages = v.languages.split(/[\s,;]+/).map((s) => s.toLowerCase()).filter(Boolean);
  if (languages.some((l) => !LANG.test(l))) errors.languages = t('languages');
  if (v.componentCode && !opts.componentCodes.includes(v.componentCode)) errors.componentCode = t('choose');
  else if (!v.componentCode && opts.componentRequired) errors.componentCode = t('required');
  if (v.diplomaType && !opts.diplomaTypes.includes(v.diplomaType)) errors.diplomaType = t('choose');
  if (v.formationType && !opts.formationTypes.includes(v.formationType)) errors.formationType = t('choose');
  const text = (s: string) => (s === '' ? null : s);
  return {
    patch: {
      code: v.code, nameFr: v.nameFr, nameEn: text(v.nameEn), acronym: text(v.acronym), componentCode: v.componentCode || null,
      diplomaType: v.diplomaType || null, formationType: v.formationType || null, level, domain: text(v.domain), isced: text(v.isced), eqf, languages,
      openToMobility: v.openToMobility,
    },
    errors,
  };
}

export type { ElementField, FormationField };
