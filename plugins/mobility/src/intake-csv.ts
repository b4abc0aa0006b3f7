/**
 * Nomination CSV files: the seed system's export (firstname, lastname, email, year, birthdate d/m/Y,
 * esi, city, postalcode, street, numstreet, referent email, institution code) and the richer format,
 * which adds: exchange type, public, nationality, gender, home name, home country, home schac, home
 * erasmus code, home pic, planned start, planned end, component code, eqf, isced. Headers are matched
 * case-insensitively, accents, spaces, hyphens and underscores folded. Dates are d/m/Y or Y-m-d.
 * @packageDocumentation
 */
import { readCsv, type Bilingual } from '@smile/sdk';
import { PUBLICS, type FileInput, type MobilityPublic } from './types.js';
import { bilingual } from './intake-strings.js';

/** A row as read, ready to become a file once its references are resolved. */
export interface NominationRow {
  line: number;
  input: FileInput;
  referentEmail: string | null;
  componentCode: string | null;
}

/** A problem found in a row (`error`: the import cannot go on; `warning`: shown, not blocking). */
export interface RowIssue {
  line: number | null;
  field: string | null;
  message: Bilingual;
}

export interface ParsedNominations {
  format: 'seed' | 'rich' | null;
  rows: NominationRow[];
  errors: RowIssue[];
  warnings: RowIssue[];
}

const SEED = ['firstname', 'lastname', 'email', 'year', 'birthdate', 'esi', 'city', 'postalcode', 'street', 'numstreet', 'referentemail', 'institutioncode'] as const;
const RICH = ['exchangetype', 'public', 'nationality', 'gender', 'homename', 'homecountry', 'homeschac', 'homeerasmuscode', 'homepic', 'plannedstart', 'plannedend', 'componentcode', 'eqf', 'isced'] as const;
/** Columns a file must have. */
export const REQUIRED_COLUMNS = ['firstname', 'lastname', 'year'] as const;
/** Every column read, as documented. */
export const COLUMNS = [...SEED, ...RICH] as const;

/** A header cell folded for matching. */
export const foldHeader = (h: string) =>
  h.normalize('NFD').replace(/[\u0300-\u036f]/g, '').toLowerCase().replace(/[\s_\-.]+/g, '');

const EMAIL = /^[^\s@]+@[^\s@]+\.[^\s@]+$/;

/** `d/m/Y` (or `d-m-Y`, `d.m.Y`) or `Y-m-d` to `Y-m-d`; `null` when not a real date. */
export function parseDate(raw: string): string | null {
  let y: number, m: number, d: number;
  let match = /^(\d{1,2})[/.-](\d{1,2})[/.-](\d{4})$/.exec(raw);
  if (match) [d, m, y] = [Number(match[1]), Number(match[2]), Number(match[3])];
  else if ((match = /^(\d{4})-(\d{2})-(\d{2})$/.exec(raw))) [y, m, d] = [Number(match[1]), Number(match[2]), Number(match[3])];
  else return null;
  const date = new Date(Date.UTC(y, m - 1, d));
  if (date.getUTCFullYear() !== y || date.getUTCMonth() !== m - 1 || date.getUTCDate() !== d || y < 1900 || y > 2100) return null;
  return `${y}-${String(m).padStart(2, '0')}-${String(d).padStart(2, '0')}`;
}

/** `2026`, `2026-2027`, `2026/27` → 2026. */
export function parseYear(raw: string): number | null {
  const m = /^(\d{4})(?:\s*[-/–]\s*(\d{2}|\d{4}))?$/.exec(raw);
  return m ? Number(m[1]) : null;
}

/** Options of a read: the exchange types known and the one for rows that name none. */
export interface ParseOptions {
  exchangeTypes: string[];
  defaultExchangeType: string;
}

/** Read a nomination file. Every row error carries its file line. */
export function parseNominations(bytes: Uint8Array, opts: ParseOptions): ParsedNominations {
  const out: ParsedNominations = { format: null, rows: [], errors: [], warnings: [] };
  const table = readCsv(bytes);
  if (!table.header.length) {
    out.errors.push({ line: null, field: null, message: bilingual('errors.emptyFile') });
    return out;
  }
  const columns = table.header.map(foldHeader);
  const missing = REQUIRED_COLUMNS.filter((c) => !columns.includes(c));
  if (missing.length) {
    out.errors.push({ line: 1, field: null, message: bilingual('errors.missingColumns', { columns: missing.join(', ') }) });
    return out;
  }
  out.format = columns.some((c) => (RICH as readonly string[]).includes(c)) ? 'rich' : 'seed';
  const broken = new Set<number>();
  for (const p of table.problems) {
    broken.add(p.line);
    out.errors.push({
      line: p.line, field: null,
      message: p.kind === 'unterminated-quote' ? bilingual('errors.unterminatedQuote') : bilingual('errors.fieldCount', { expected: p.expected ?? 0, found: p.found ?? 0 }),
    });
  }
  for (const record of table.records) {
    if (broken.has(record.line)) continue;
    const line = record.line;
    const cell = (name: string) => {
      const i = columns.indexOf(name);
      return i < 0 ? '' : (record.fields[i] ?? '').trim();
    };
    const error = (field: string, key: string, vars: Record<string, string | number> = {}) => out.errors.push({ line, field, message: bilingual(key, vars) });
    const before = out.errors.length;

    const firstName = cell('firstname');
    const lastName = cell('lastname');
    if (!firstName) error('firstname', 'errors.required', { column: 'firstname' });
    if (!lastName) error('lastname', 'errors.required', { column: 'lastname' });
    const year = parseYear(cell('year'));
    if (year === null || year < 2000 || year > 2100) error('year', 'errors.badYear', { value: cell('year') });
    const email = cell('email');
    if (email && !EMAIL.test(email)) error('email', 'errors.badEmail', { value: email });
    const referentEmail = cell('referentemail');
    if (referentEmail && !EMAIL.test(referentEmail)) error('referent email', 'errors.badEmail', { value: referentEmail });
    const date = (column: string) => {
      const raw = cell(column);
      if (!raw) return null;
      const d = parseDate(raw);
      if (!d) error(column, 'errors.badDate', { value: raw, column });
      return d;
    };
    const birthDate = date('birthdate');
    const plannedStart = date('plannedstart');
    const plannedEnd = date('plannedend');
    if (plannedStart && plannedEnd && plannedEnd < plannedStart) error('plannedend', 'errors.endBeforeStart');
    const exchangeType = cell('exchangetype') || opts.defaultExchangeType;
    if (!opts.exchangeTypes.includes(exchangeType)) error('exchangetype', 'errors.unknownExchangeType', { value: exchangeType, known: opts.exchangeTypes.join(', ') });
    const pub = cell('public').toLowerCase();
    if (pub && !(PUBLICS as readonly string[]).includes(pub)) error('public', 'errors.unknownPublic', { value: pub, known: PUBLICS.join(', ') });
    const eqfRaw = cell('eqf');
    const eqf = eqfRaw ? Number(eqfRaw) : null;
    if (eqfRaw && (!Number.isInteger(eqf) || eqf! < 1 || eqf! > 8)) error('eqf', 'errors.badEqf', { value: eqfRaw });
    const country = cell('homecountry').toUpperCase();
    if (country && !/^[A-Z]{2}$/.test(country)) error('homecountry', 'errors.badCountry', { value: country });
    if (out.errors.length > before) continue;

    // the seed system's "institution code" is a SCHAC code (a domain) or an Erasmus code
    const institutionCode = cell('institutioncode');
    const schac = cell('homeschac') || (institutionCode.includes('.') ? institutionCode : '');
    const erasmusCode = cell('homeerasmuscode') || (institutionCode && !institutionCode.includes('.') ? institutionCode : '');
    const address = { street: cell('street') || undefined, number: cell('numstreet') || undefined, postalCode: cell('postalcode') || undefined, city: cell('city') || undefined };
    out.rows.push({
      line,
      referentEmail: referentEmail || null,
      componentCode: cell('componentcode') || null,
      input: {
        firstName, lastName, birthDate, email: email || null, esi: cell('esi') || null,
        nationality: cell('nationality').toUpperCase() || null, gender: cell('gender') || null,
        homeAddress: Object.fromEntries(Object.entries(address).filter(([, v]) => v !== undefined)),
        home: { name: cell('homename') || null, country: country || null, schac: schac || null, erasmusCode: erasmusCode || null, pic: cell('homepic') || null },
        exchangeType, public: (pub || 'student') as MobilityPublic, academicYear: year!, plannedStart, plannedEnd,
        eqfLevel: eqf, isced: cell('isced') || null,
      },
    });
  }
  out.errors.sort((a, b) => (a.line ?? 0) - (b.line ?? 0));
  return out;
}
