/**
 * Cell values as spreadsheets write them, turned into typed values: numbers with a decimal comma,
 * yes/no in French or English, language names or codes, semesters, timetable slots.
 * Each parser returns the value, or `{ bad }` naming what is wrong (turned into a row error).
 * @packageDocumentation
 */
import type { Semester, TimetableSlot } from '@smile/plugin-catalogue';

/** A value that could not be read, with the message key that says why. */
export interface Bad {
  bad: string;
  vars?: Record<string, string>;
}
export const isBad = (v: unknown): v is Bad => typeof v === 'object' && v !== null && 'bad' in v;

/** Lower case, accents and surrounding space removed: how names and flags are compared. */
export const fold = (s: string) => s.normalize('NFD').replace(/[\u0300-\u036f]/g, '').trim().toLowerCase();

/** `12`, `2,5`, `2.5`, `1 200,5`, `-3` → number; empty → `null`. */
export function parseNumber(raw: string): number | null | Bad {
  const s = raw.replace(/[\s\u00a0\u202f]/g, '');
  if (s === '') return null;
  const n = /^[+-]?(\d+([.,]\d*)?|[.,]\d+)$/.test(s) ? Number(s.replace(',', '.')) : NaN;
  return Number.isFinite(n) ? n : { bad: 'notNumber', vars: { value: raw.trim() } };
}

const TRUE = new Set(['1', 'true', 'vrai', 'oui', 'o', 'yes', 'y', 'x', 'ouvert', 'open']);
const FALSE = new Set(['0', 'false', 'faux', 'non', 'n', 'no', 'ferme', 'closed']);

/** `true`/`false`, `1`/`0`, `oui`/`non`, `yes`/`no` → boolean; empty → `undefined` (left as it is). */
export function parseBoolean(raw: string): boolean | undefined | Bad {
  const s = fold(raw);
  if (s === '') return undefined;
  if (TRUE.has(s)) return true;
  if (FALSE.has(s)) return false;
  return { bad: 'notBoolean', vars: { value: raw.trim() } };
}

/** Language names (French, English, native) and ISO 639-2 codes → ISO 639-1. */
const LANGUAGES: Record<string, string> = {};
for (const [code, names] of Object.entries({
  fr: 'francais french fra fre',
  en: 'anglais english eng',
  es: 'espagnol spanish espanol castellano spa',
  de: 'allemand german deutsch deu ger',
  it: 'italien italian italiano ita',
  pt: 'portugais portuguese portugues por',
  nl: 'neerlandais dutch nederlands hollandais nld dut',
  ca: 'catalan catala cat',
  ar: 'arabe arabic ara',
  zh: 'chinois chinese mandarin zho chi',
  ja: 'japonais japanese jpn',
  ko: 'coreen korean kor',
  ru: 'russe russian rus',
  pl: 'polonais polish pol',
  cs: 'tcheque czech ces cze',
  el: 'grec greek ell gre',
  tr: 'turc turkish tur',
  sv: 'suedois swedish swe',
  da: 'danois danish dan',
  fi: 'finnois finnish fin',
  nb: 'norvegien norwegian nor nob',
  ro: 'roumain romanian ron rum',
  hu: 'hongrois hungarian hun',
  he: 'hebreu hebrew heb',
  la: 'latin lat',
  br: 'breton bre',
  oc: 'occitan oci',
  eu: 'basque eus baq',
  co: 'corse corsican cos',
  hi: 'hindi hin',
  uk: 'ukrainien ukrainian ukr',
  vi: 'vietnamien vietnamese vie',
  fa: 'persan persian farsi fas per',
  sw: 'swahili swa',
})) {
  LANGUAGES[code] = code;
  for (const n of names.split(' ')) LANGUAGES[n] = code;
}

/**
 * `Français, Anglais`, `fr|en`, `FR/EN`, `fr-FR`, `français et anglais` → `['fr', 'en']` (each once,
 * in order); empty → `[]`.
 */
export function parseLanguages(raw: string): string[] | Bad {
  const out: string[] = [];
  for (const token of fold(raw).split(/[\s,;|/+&]+/)) {
    if (!token || token === 'et' || token === 'and') continue;
    const code = LANGUAGES[token] ?? LANGUAGES[token.split(/[-_]/)[0]!];
    if (!code) return { bad: 'unknownLanguage', vars: { value: token } };
    if (!out.includes(code)) out.push(code);
  }
  return out;
}

/** A list separated by `|` (trimmed, blanks dropped); empty → `[]`. */
export const parseList = (raw: string): string[] => raw.split('|').map((s) => s.trim()).filter(Boolean);

/** `S1`, `S2`, `annual` (and `annuel`, `1`, `2`, `A`, `S1+S2`) → semester; empty → `null`. */
export function parseSemester(raw: string): Semester | null | Bad {
  const s = fold(raw).replace(/\s+/g, '');
  if (s === '') return null;
  if (s === 's1' || s === '1' || s === 'semestre1' || s === 'semester1') return 'S1';
  if (s === 's2' || s === '2' || s === 'semestre2' || s === 'semester2') return 'S2';
  if (['annual', 'annuel', 'annuelle', 'a', 'year', 'annee', 's1+s2', 's1s2', 's1-s2'].includes(s)) return 'annual';
  return { bad: 'badSemester', vars: { value: raw.trim() } };
}

/** The seed format's `s1`/`s2` flags → semester (`1` in both: annual; in neither: `null`). */
export function semesterOf(s1: boolean | undefined, s2: boolean | undefined): Semester | null {
  if (s1 && s2) return 'annual';
  if (s1) return 'S1';
  if (s2) return 'S2';
  return null;
}

/**
 * A year of study: `3`, `L3` (3), `M1` (4), `M2` (5), `D1` (6), `BAC+3` (3); empty → `null`.
 * Bachelor years are 1–3, master years follow, as the catalogue counts them.
 */
export function parseLevel(raw: string): number | null | Bad {
  const s = fold(raw).replace(/\s+/g, '');
  if (s === '') return null;
  let m = /^(l|m|d)(\d{1,2})$/.exec(s);
  if (m) return Number(m[2]) + (m[1] === 'm' ? 3 : m[1] === 'd' ? 5 : 0);
  m = /^bac\+(\d{1,2})$/.exec(s);
  if (m) return Number(m[1]);
  const n = parseNumber(raw);
  return isBad(n) ? { bad: 'badLevel', vars: { value: raw.trim() } } : n;
}

const DAYS: Record<string, number> = {
  mon: 1, monday: 1, lun: 1, lundi: 1,
  tue: 2, tuesday: 2, mar: 2, mardi: 2,
  wed: 3, wednesday: 3, mer: 3, mercredi: 3,
  thu: 4, thursday: 4, jeu: 4, jeudi: 4,
  fri: 5, friday: 5, ven: 5, vendredi: 5,
  sat: 6, saturday: 6, sam: 6, samedi: 6,
  sun: 7, sunday: 7, dim: 7, dimanche: 7,
};

const time = (s: string): string | null => {
  const m = /^(\d{1,2})[:h](\d{2})$/.exec(s);
  if (!m || Number(m[1]) > 23 || Number(m[2]) > 59) return null;
  return `${m[1]!.padStart(2, '0')}:${m[2]}`;
};

/**
 * Timetable slots separated by `|`, each `<day> <start>-<end> [room] [kind]`: the day as 1–7
 * (Monday = 1) or a name (`mon`, `lundi`…), times as `08:30` or `8h30`. Empty → `[]`.
 */
export function parseTimetable(raw: string): TimetableSlot[] | Bad {
  const slots: TimetableSlot[] = [];
  for (const part of parseList(raw)) {
    const m = /^(\S+)\s+(\d{1,2}[:h]\d{2})\s*[-–]\s*(\d{1,2}[:h]\d{2})(?:\s+(\S+))?(?:\s+(.+))?$/.exec(part);
    const day = m ? (/^[1-7]$/.test(m[1]!) ? Number(m[1]) : DAYS[fold(m[1]!)]) : undefined;
    const start = m ? time(m[2]!) : null;
    const end = m ? time(m[3]!) : null;
    if (!m || !day || !start || !end || end <= start) return { bad: 'badTimetable', vars: { value: part } };
    const slot: TimetableSlot = { day, start, end };
    if (m[4]) slot.room = m[4];
    if (m[5]) slot.kind = m[5].trim();
    slots.push(slot);
  }
  return slots;
}
