/**
 * Reading one value of a view into the catalogue's types. Drivers differ (PostgreSQL gives
 * `numeric` as text and arrays as arrays, Oracle upper-case flags, MySQL 0/1 for booleans) and
 * Apogée has its own habits (`O`/`N` flags, semesters numbered across the degree, ISO 639-2
 * language codes): each reader accepts them all and says clearly what it could not read.
 * @packageDocumentation
 */
import type { ComponentContact, Semester, TimetableSlot } from '@smile/plugin-catalogue';
import type { ValueType } from './views.js';

/** A value read, or why it could not be (`reason`: an `errors.*` key of the locales). */
export type Read = { ok: true; value: unknown } | { ok: false; reason: string; slot?: number };

const ok = (value: unknown): Read => ({ ok: true, value });
const bad = (reason: string, slot?: number): Read => ({ ok: false, reason, slot });

const isBlank = (v: unknown) => v === null || v === undefined || (typeof v === 'string' && v.trim() === '');

function text(v: unknown): Read {
  if (isBlank(v)) return ok(null);
  if (typeof v === 'string') return ok(v.trim());
  if (typeof v === 'number' || typeof v === 'bigint') return ok(String(v));
  if (v instanceof Date) return ok(v.toISOString().slice(0, 10));
  if (Buffer.isBuffer(v)) return ok(v.toString('utf8').trim() || null);
  return bad('text');
}

const NUMBER = /^[-+]?(\d+([.,]\d*)?|[.,]\d+)$/;

function number(v: unknown): Read {
  if (isBlank(v)) return ok(null);
  if (typeof v === 'number') return Number.isFinite(v) ? ok(v) : bad('number');
  if (typeof v === 'bigint') return ok(Number(v));
  // `numeric` arrives as text ("6.00"); French sources write "4,5"
  if (typeof v === 'string') {
    const s = v.trim().replace(/\s/g, '');
    return NUMBER.test(s) ? ok(Number(s.replace(',', '.'))) : bad('number');
  }
  return bad('number');
}

const TRUE = new Set(['1', 't', 'true', 'y', 'yes', 'o', 'oui', 'v', 'vrai']);
const FALSE = new Set(['0', 'f', 'false', 'n', 'no', 'non', 'faux']);

function boolean(v: unknown): Read {
  if (isBlank(v)) return ok(null);
  if (typeof v === 'boolean') return ok(v);
  if (typeof v === 'number' || typeof v === 'bigint') return Number(v) === 1 ? ok(true) : Number(v) === 0 ? ok(false) : bad('boolean');
  if (typeof v === 'string') {
    const s = v.trim().toLowerCase();
    return TRUE.has(s) ? ok(true) : FALSE.has(s) ? ok(false) : bad('boolean');
  }
  return bad('boolean');
}

/** ISO 639-2 (bibliographic and terminology) → ISO 639-1, for the languages SIS most often hold. */
const ISO639_2: Record<string, string> = {
  fra: 'fr', fre: 'fr', eng: 'en', deu: 'de', ger: 'de', spa: 'es', ita: 'it', por: 'pt', nld: 'nl', dut: 'nl',
  pol: 'pl', rus: 'ru', zho: 'zh', chi: 'zh', jpn: 'ja', kor: 'ko', ara: 'ar', tur: 'tr', ell: 'el', gre: 'el',
  swe: 'sv', dan: 'da', fin: 'fi', nor: 'no', ces: 'cs', cze: 'cs', slk: 'sk', slo: 'sk', hun: 'hu', ron: 'ro',
  rum: 'ro', bul: 'bg', hrv: 'hr', slv: 'sl', lit: 'lt', lav: 'lv', est: 'et', gle: 'ga', cat: 'ca', eus: 'eu',
  baq: 'eu', bre: 'br', cos: 'co', oci: 'oc', lat: 'la', heb: 'he', hin: 'hi', vie: 'vi', ukr: 'uk',
};

/** A list given as an array, or as text with separators. */
function items(v: unknown, separators: RegExp): string[] | null {
  if (Array.isArray(v)) return v.every((x) => typeof x === 'string' || typeof x === 'number') ? v.map((x) => String(x).trim()).filter(Boolean) : null;
  if (typeof v === 'string') return v.split(separators).map((x) => x.trim()).filter(Boolean);
  return null;
}

function languages(v: unknown): Read {
  if (isBlank(v)) return ok([]);
  const list = items(v, /[\s,;|/]+/);
  if (!list) return bad('languages');
  const out: string[] = [];
  for (const raw of list) {
    // "fr-FR", "fr_FR" → "fr"; "FRA" → "fr"
    const base = raw.toLowerCase().split(/[-_]/)[0]!;
    const code = ISO639_2[base] ?? base;
    if (!/^[a-z]{2,3}$/.test(code)) return bad('languages');
    if (!out.includes(code)) out.push(code);
  }
  return ok(out);
}

function list(v: unknown): Read {
  if (isBlank(v)) return ok([]);
  const l = items(v, /\s*[;|\n]\s*/);
  return l ? ok(l) : bad('list');
}

function codes(v: unknown): Read {
  if (isBlank(v)) return ok(null);
  const l = items(v, /[\s,;|]+/);
  if (!l) return bad('list');
  return ok(l.length ? [...new Set(l.map((x) => x.toLowerCase()))] : null);
}

/**
 * S1, S2, annual; also `1`/`2`, `AN`/`annuel`, `S1-S2`, and semesters numbered across the degree
 * as French universities do (S3, S5… are autumn semesters, S4, S6… spring ones).
 */
function semester(v: unknown): Read {
  if (isBlank(v)) return ok(null);
  const s = String(v).trim().toLowerCase().replace(/[\s_]/g, '');
  if (['annual', 'annuel', 'annuelle', 'an', 'a', 'year', 'y', 's1s2', 's1-s2', 's1+s2', 's1/s2', '12'].includes(s)) return ok('annual' satisfies Semester);
  const m = /^(?:s|sem|semestre|semester)?0?(\d{1,2})$/.exec(s);
  if (m) {
    const n = Number(m[1]);
    if (n >= 1 && n <= 10) return ok((n % 2 === 1 ? 'S1' : 'S2') satisfies Semester);
  }
  return bad('semester');
}

function json(v: unknown): unknown[] | null {
  let x = v;
  if (typeof x === 'string') {
    try {
      x = JSON.parse(x);
    } catch {
      return null;
    }
  }
  return Array.isArray(x) ? x : null;
}

const TIME = /^(\d{1,2}):(\d{2})(:\d{2})?$/;
const hhmm = (t: unknown): string | null => {
  const m = typeof t === 'string' ? TIME.exec(t.trim()) : null;
  if (!m || Number(m[1]) > 23 || Number(m[2]) > 59) return null;
  return `${m[1]!.padStart(2, '0')}:${m[2]}`;
};

function timetable(v: unknown): Read {
  if (isBlank(v)) return ok([]);
  const slots = json(v);
  if (!slots) return bad('json');
  const out: TimetableSlot[] = [];
  for (const [i, s] of slots.entries()) {
    const o = (s ?? {}) as Record<string, unknown>;
    const day = Number(o.day);
    const start = hhmm(o.start);
    const end = hhmm(o.end);
    if (typeof s !== 'object' || !Number.isInteger(day) || day < 1 || day > 7 || !start || !end) return bad('timetable', i + 1);
    const slot: TimetableSlot = { day, start, end };
    if (typeof o.room === 'string' && o.room.trim()) slot.room = o.room.trim();
    if (typeof o.kind === 'string' && o.kind.trim()) slot.kind = o.kind.trim();
    out.push(slot);
  }
  return ok(out);
}

function contacts(v: unknown): Read {
  if (isBlank(v)) return ok([]);
  const list = json(v);
  if (!list) return bad('json');
  const out: ComponentContact[] = [];
  for (const [i, x] of list.entries()) {
    if (!x || typeof x !== 'object' || Array.isArray(x)) return bad('contacts', i + 1);
    const contact: ComponentContact = {};
    for (const k of ['role', 'name', 'email', 'phone'] as const) {
      const val = (x as Record<string, unknown>)[k];
      if (val === undefined || val === null) continue;
      if (typeof val !== 'string') return bad('contacts', i + 1);
      if (val.trim()) contact[k] = val.trim();
    }
    out.push(contact);
  }
  return ok(out);
}

/** ISCED-F as text; a number lost its leading zero (`311` is `0311`). */
function isced(v: unknown): Read {
  if (typeof v === 'number' && Number.isInteger(v) && v >= 0) return ok(String(v).padStart(4, '0'));
  return text(v);
}

const READERS: Record<ValueType, (v: unknown) => Read> = {
  code: text, text, number, integer: number, boolean, languages, list, codes, semester, timetable, contacts, isced,
};

/** Read `value` as `type`. */
export const readValue = (type: ValueType, value: unknown): Read => READERS[type](value);

/** A value as shown in an error message (short, one line). */
export function shown(value: unknown): string {
  let s: string;
  try {
    s = typeof value === 'string' ? value : value instanceof Date ? value.toISOString() : JSON.stringify(value) ?? String(value);
  } catch {
    s = String(value);
  }
  s = s.replace(/\s+/g, ' ');
  return s.length > 60 ? `${s.slice(0, 57)}…` : s;
}
