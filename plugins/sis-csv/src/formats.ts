/**
 * The file formats, recognised by their header row: the seed system's three exports (components,
 * formations, courses) and the richer format covering the whole catalogue model (README.md).
 * Each turns the records of one file into catalogue records, with a row error for every cell it
 * cannot read.
 * @packageDocumentation
 */
import type { Bilingual } from '@smile/sdk';
import type { CatalogueBatch, ComponentRecord, ElementRecord, FormationRecord, LinkRecord, RowError } from '@smile/plugin-catalogue';
import { bilingual } from './strings.js';
import { fold, isBad, parseBoolean, parseLanguages, parseLevel, parseList, parseNumber, parseSemester, parseTimetable, semesterOf, type Bad } from './values.js';

export type FormatId = 'seed-components' | 'seed-formations' | 'seed-courses' | 'rich';

/** What one file brings, its lines being the file's own. */
export interface FileBatch extends CatalogueBatch {
  errors: RowError[];
}

/** A header cell as compared with column names: accents, case, surrounding space dropped; spaces and dashes as `_`. */
export const normaliseHeader = (h: string) => fold(h.replace(/^\ufeff/, '')).replace(/[\s-]+/g, '_');

/** One data row: cells by (normalised) column name. */
export class Row {
  constructor(
    readonly line: number,
    private readonly cells: Map<string, string>,
    private readonly errors: RowError[],
  ) {}

  /** Is the column in the file? */
  has(col: string): boolean {
    return this.cells.has(col);
  }

  /** The trimmed cell, or `undefined` when the column is absent. */
  get(col: string): string | undefined {
    const v = this.cells.get(col);
    return v === undefined ? undefined : v.trim();
  }

  /** The first of `cols` that is in the file and filled, else `''` when one is in the file, else `undefined`. */
  first(cols: string[]): string | undefined {
    let seen = false;
    for (const c of cols) {
      const v = this.get(c);
      if (v) return v;
      if (v !== undefined) seen = true;
    }
    return seen ? '' : undefined;
  }

  /** A text: absent column → `undefined` (left as it is), empty cell → `null`. */
  text(col: string): string | null | undefined {
    const v = this.get(col);
    return v === undefined ? undefined : v === '' ? null : v;
  }

  /** Parse a cell with `parse`; a bad value becomes a row error and `undefined` (the field is then left out). */
  parse<T>(col: string, entity: RowError['entity'], code: string | undefined, parse: (raw: string) => T | Bad): T | undefined {
    const raw = this.cells.get(col);
    if (raw === undefined) return undefined;
    const v = parse(raw);
    if (isBad(v)) {
      this.errors.push({ entity, line: this.line, code: code || undefined, field: col, message: bilingual(`errors.${v.bad}`, { column: col, ...v.vars }) });
      return undefined;
    }
    return v;
  }

  error(entity: RowError['entity'], code: string | undefined, field: string, message: Bilingual): void {
    this.errors.push({ entity, line: this.line, code: code || undefined, field, message });
  }
}

/** A format: its columns, those it needs, and how a row becomes records. */
export interface Format {
  id: FormatId;
  /** Every column it reads (normalised names). */
  columns: readonly string[];
  required: readonly string[];
  /** Column named in messages for a record field (`titleFr` → `libelle`), per entity. */
  columnOf(entity: RowError['entity'], field: string): string;
  read(row: Row, out: FileBatch): void;
}

const seedColumns = (map: Record<string, string>) => (_entity: RowError['entity'], field: string) => map[field] ?? field;

const seedComponents: Format = {
  id: 'seed-components',
  columns: ['code', 'libelle', 'libelle_long', 'acronyme', 'libelle_en', 'libelle_long_en'],
  required: ['code', 'libelle', 'libelle_long', 'acronyme'],
  columnOf: seedColumns({ nameFr: 'libelle', nameEn: 'libelle_en', acronym: 'acronyme' }),
  read(row, out) {
    const c: ComponentRecord = { code: row.get('code')!, nameFr: row.get('libelle')!, line: row.line };
    if (row.has('libelle_long')) c.nameLongFr = row.text('libelle_long');
    if (row.has('acronyme')) c.acronym = row.text('acronyme');
    if (row.has('libelle_en')) c.nameEn = row.text('libelle_en');
    if (row.has('libelle_long_en')) c.nameLongEn = row.text('libelle_long_en');
    out.components.push(c);
  },
};

const seedFormations: Format = {
  id: 'seed-formations',
  columns: ['code', 'libelle', 'acronyme', 'acronyme_type_diplome', 'niveau_etude', 'code_composante', 'libelle_en'],
  required: ['code', 'libelle', 'acronyme', 'acronyme_type_diplome', 'niveau_etude', 'code_composante'],
  columnOf: seedColumns({ nameFr: 'libelle', nameEn: 'libelle_en', acronym: 'acronyme', diplomaType: 'acronyme_type_diplome', level: 'niveau_etude', componentCode: 'code_composante' }),
  read(row, out) {
    const code = row.get('code')!;
    const f: FormationRecord = { code, nameFr: row.get('libelle')!, line: row.line };
    f.acronym = row.text('acronyme');
    f.diplomaType = row.text('acronyme_type_diplome');
    const level = row.parse('niveau_etude', 'formation', code, parseLevel);
    if (level !== undefined) f.level = level;
    f.componentCode = row.text('code_composante');
    if (row.has('libelle_en')) f.nameEn = row.text('libelle_en');
    out.formations.push(f);
  },
};

const seedCourses: Format = {
  id: 'seed-courses',
  columns: ['code', 'libelle', 'langue', 's1', 's2', 'ects', 'vol_elp', 'ouvert_mobilite', 'code_formation', 'objectif', 'description', 'libelle_en', 'objectif_en', 'description_en'],
  required: ['code', 'libelle', 'langue', 's1', 's2', 'ects', 'vol_elp', 'ouvert_mobilite', 'code_formation', 'objectif', 'description'],
  columnOf: seedColumns({
    titleFr: 'libelle', titleEn: 'libelle_en', languages: 'langue', semester: 's1', ects: 'ects', hours: 'vol_elp', openToMobility: 'ouvert_mobilite',
    objectivesFr: 'objectif', objectivesEn: 'objectif_en', descriptionFr: 'description', descriptionEn: 'description_en', formationCode: 'code_formation', childCode: 'code',
  }),
  read(row, out) {
    const code = row.get('code')!;
    const e: ElementRecord = { code, titleFr: row.get('libelle')!, line: row.line };
    const languages = row.parse('langue', 'element', code, parseLanguages);
    if (languages) e.languages = languages;
    const s1 = row.parse('s1', 'element', code, parseBoolean);
    const s2 = row.parse('s2', 'element', code, parseBoolean);
    e.semester = semesterOf(s1, s2);
    const ects = row.parse('ects', 'element', code, parseNumber);
    if (ects !== undefined) e.ects = ects;
    const hours = row.parse('vol_elp', 'element', code, parseNumber);
    if (hours !== undefined) e.hours = hours;
    const open = row.parse('ouvert_mobilite', 'element', code, parseBoolean);
    if (open !== undefined) e.openToMobility = open;
    e.objectivesFr = row.text('objectif');
    e.descriptionFr = row.text('description');
    if (row.has('libelle_en')) e.titleEn = row.text('libelle_en');
    if (row.has('objectif_en')) e.objectivesEn = row.text('objectif_en');
    if (row.has('description_en')) e.descriptionEn = row.text('description_en');
    out.elements.push(e);
    const formation = row.get('code_formation');
    if (formation) out.links.push({ formationCode: formation, childCode: code, line: row.line });
  },
};

// ---- the richer format -----------------------------------------------------------------------

const TYPES: Record<string, 'component' | 'formation' | 'element' | 'link'> = {
  component: 'component', composante: 'component',
  formation: 'formation', programme: 'formation', program: 'formation',
  element: 'element', course: 'element', cours: 'element',
  link: 'link', lien: 'link',
};

const RICH_COLUMNS = [
  'type', 'code', 'name_fr', 'name_en', 'title_fr', 'title_en', 'name_long_fr', 'name_long_en', 'acronym', 'campus',
  'contact_role', 'contact_name', 'contact_email', 'contact_phone',
  'component', 'diploma_type', 'diploma_type_name_fr', 'diploma_type_name_en', 'formation_type', 'formation_type_name_fr', 'formation_type_name_en',
  'level', 'domain', 'isced', 'eqf', 'languages', 'open_to_mobility',
  'kind', 'description_fr', 'description_en', 'objectives_fr', 'objectives_en', 'outcomes_fr', 'outcomes_en',
  'ects', 'mobility_ects', 'semester', 'competences', 'prerequisites_fr', 'prerequisites_en', 'seats', 'exchange_types', 'hours', 'timetable',
  'formation', 'parent', 'position',
] as const;

const RICH_OVERRIDES: Record<string, string> = { componentCode: 'component', formationCode: 'formation', parentCode: 'parent', childCode: 'code' };
const snake = (field: string) => field.replace(/[A-Z]/g, (c) => `_${c.toLowerCase()}`);

/** `a|b` → list; empty cell → `null` (every exchange type). */
const exchangeTypes = (raw: string): string[] | null => {
  const l = parseList(raw).map((s) => s.toLowerCase());
  return l.length ? l : null;
};

const rich: Format = {
  id: 'rich',
  columns: RICH_COLUMNS,
  required: ['type', 'code'],
  columnOf: (_entity, field) => RICH_OVERRIDES[field] ?? snake(field),
  read(row, out) {
    const rawType = row.get('type') ?? '';
    const type = TYPES[fold(rawType)];
    const code = row.get('code') ?? '';
    if (!type) {
      row.error('file', code, 'type', bilingual('errors.unknownType', { value: rawType }));
      return;
    }
    const num = (col: string) => row.parse(col, type, code, parseNumber);
    const set = <T extends object>(target: T, key: keyof T, value: unknown) => {
      if (value !== undefined) (target as Record<keyof T, unknown>)[key] = value;
    };
    if (type === 'component') {
      const c: ComponentRecord = { code, nameFr: row.first(['name_fr', 'title_fr']) ?? '', line: row.line };
      set(c, 'nameEn', nullable(row.first(['name_en', 'title_en'])));
      set(c, 'nameLongFr', row.text('name_long_fr'));
      set(c, 'nameLongEn', row.text('name_long_en'));
      set(c, 'acronym', row.text('acronym'));
      set(c, 'campus', row.text('campus'));
      const contact = { role: row.get('contact_role'), name: row.get('contact_name'), email: row.get('contact_email'), phone: row.get('contact_phone') };
      if (Object.values(contact).some((v) => v !== undefined)) {
        const filled = Object.fromEntries(Object.entries(contact).filter(([, v]) => v));
        c.contacts = Object.keys(filled).length ? [filled] : [];
      }
      out.components.push(c);
    } else if (type === 'formation') {
      const f: FormationRecord = { code, nameFr: row.first(['name_fr', 'title_fr']) ?? '', line: row.line };
      set(f, 'nameEn', nullable(row.first(['name_en', 'title_en'])));
      set(f, 'acronym', row.text('acronym'));
      set(f, 'componentCode', row.text('component'));
      set(f, 'diplomaType', row.text('diploma_type'));
      set(f, 'diplomaTypeName', names(row, 'diploma_type_name'));
      set(f, 'formationType', row.text('formation_type'));
      set(f, 'formationTypeName', names(row, 'formation_type_name'));
      set(f, 'level', row.parse('level', type, code, parseLevel));
      set(f, 'domain', row.text('domain'));
      set(f, 'isced', row.text('isced'));
      set(f, 'eqf', num('eqf'));
      set(f, 'languages', row.parse('languages', type, code, parseLanguages));
      set(f, 'openToMobility', row.parse('open_to_mobility', type, code, parseBoolean));
      out.formations.push(f);
    } else if (type === 'element') {
      const e: ElementRecord = { code, titleFr: row.first(['title_fr', 'name_fr']) ?? '', line: row.line };
      set(e, 'titleEn', nullable(row.first(['title_en', 'name_en'])));
      set(e, 'kind', row.text('kind'));
      for (const f of ['description', 'objectives', 'outcomes', 'prerequisites'] as const) {
        set(e, `${f}Fr`, row.text(`${f}_fr`));
        set(e, `${f}En`, row.text(`${f}_en`));
      }
      set(e, 'ects', num('ects'));
      set(e, 'mobilityEcts', num('mobility_ects'));
      set(e, 'semester', row.parse('semester', type, code, parseSemester));
      set(e, 'level', row.parse('level', type, code, parseLevel));
      set(e, 'languages', row.parse('languages', type, code, parseLanguages));
      set(e, 'campus', row.text('campus'));
      set(e, 'isced', row.text('isced'));
      set(e, 'competences', row.parse('competences', type, code, parseList));
      set(e, 'seats', num('seats'));
      set(e, 'exchangeTypes', row.parse('exchange_types', type, code, exchangeTypes));
      set(e, 'openToMobility', row.parse('open_to_mobility', type, code, parseBoolean));
      set(e, 'hours', num('hours'));
      set(e, 'timetable', row.parse('timetable', type, code, parseTimetable));
      set(e, 'componentCode', row.text('component'));
      out.elements.push(e);
      placement(row, out, code, 'element');
    } else {
      placement(row, out, code, 'link', true);
    }
  },
};

const nullable = (v: string | undefined) => (v === undefined ? undefined : v || null);

function names(row: Row, prefix: string): Partial<Bilingual> | undefined {
  const fr = row.get(`${prefix}_fr`);
  const en = row.get(`${prefix}_en`);
  if (!fr && !en) return undefined;
  return { ...(fr ? { fr } : {}), ...(en ? { en } : {}) };
}

/** The `formation` / `parent` / `position` cells of a row: where the element sits in a formation's tree. */
function placement(row: Row, out: FileBatch, code: string, entity: 'element' | 'link', required = false): void {
  const formation = row.get('formation');
  const parent = row.get('parent');
  if (!formation) {
    if (parent || required) row.error(entity, code, 'formation', bilingual(parent ? 'errors.parentWithoutFormation' : 'errors.linkWithoutFormation'));
    return;
  }
  const link: LinkRecord = { formationCode: formation, parentCode: parent || null, childCode: code, line: row.line };
  const position = row.parse('position', entity, code, parseNumber);
  if (typeof position === 'number') link.position = position;
  out.links.push(link);
}

/** Every format, in the order they are tried. */
export const FORMATS: readonly Format[] = [seedComponents, seedFormations, seedCourses, rich];

export const formatName = (id: FormatId): Bilingual => bilingual(`formats.${id}`);

/** What the header row says about a file. */
export type Detection =
  | { ok: true; format: Format; columns: string[]; ignored: string[] }
  | { ok: false; error: Bilingual };

/**
 * The format of a header row: the one that explains it best (columns it knows, beyond `code`, minus
 * half the columns it does not); a `type` column means the richer format. Missing required columns,
 * or a header no format knows, are file errors; a header read as one column holding another
 * separator says so.
 */
export function detectFormat(header: string[]): Detection {
  const columns = header.map(normaliseHeader);
  const present = new Set(columns.filter(Boolean));
  let best: { format: Format; score: number } | null = null;
  for (const format of FORMATS) {
    const known = [...present].filter((c) => c !== 'code' && format.columns.includes(c)).length;
    const unknown = [...present].filter((c) => !format.columns.includes(c)).length;
    const score = known - unknown / 2 + (format.id === 'rich' && present.has('type') ? 100 : 0);
    if (known > 0 && (!best || score > best.score)) best = { format, score };
  }
  if (!best) {
    const separator = header.length === 1 ? /[^\p{L}\p{N}\s_-]/u.exec(header[0]!)?.[0] : undefined;
    if (separator) {
      // one column holding the names with another separator: say which format it was meant to be
      const split = new Set(header[0]!.split(separator).map(normaliseHeader));
      const meant = FORMATS.map((f) => ({ f, n: f.columns.filter((c) => split.has(c)).length })).sort((a, b) => b.n - a.n)[0]!;
      if (meant.n > 1) {
        return { ok: false, error: bilingual('errors.wrongDelimiter', { format: formatName(meant.f.id), columns: meant.f.required.join(', '), found: separator }) };
      }
    }
    const formats = FORMATS.map((f) => bilingual('errors.formatLine', { name: formatName(f.id), columns: f.required.join(', ') }));
    return {
      ok: false,
      error: bilingual('errors.unknownHeader', {
        columns: header.join(', ') || '—',
        formats: { fr: formats.map((l) => l.fr).join(' ; '), en: formats.map((l) => l.en).join('; ') },
      }),
    };
  }
  const missing = best.format.required.filter((c) => !present.has(c));
  if (missing.length) return { ok: false, error: bilingual('errors.missingColumns', { format: formatName(best.format.id), columns: missing.join(', ') }) };
  const dup = columns.find((c, i) => c && columns.indexOf(c) !== i);
  if (dup) return { ok: false, error: bilingual('errors.duplicateColumn', { column: dup }) };
  const format = best.format;
  return { ok: true, format, columns, ignored: header.filter((_h, i) => columns[i] && !format.columns.includes(columns[i]!)) };
}
