/**
 * What the student part shares: its strings outside a request (mail, hook taps), the language of
 * a file's person, the public origin of an institution, the file of the signed-in person, how an
 * academic year is written, the message of a refused action, and the country list.
 * @packageDocumentation
 */
import { readFileSync } from 'node:fs';
import { ErrorCodes, SmileError } from '@smile/sdk';
import type { Institution, InstanceConfig } from '@smile/sdk';
import { storeOf, type Ctx, type Lang } from './manager-common.js';
import type { MobilityFile } from './types.js';

type Dict = Record<string, unknown>;
const load = (lang: Lang, part: string): Dict => JSON.parse(readFileSync(new URL(`../locales/${lang}/${part}.json`, import.meta.url), 'utf8'))[part];
const dicts: Record<Lang, Dict> = {
  fr: { student: load('fr', 'student'), profile: load('fr', 'profile') },
  en: { student: load('en', 'student'), profile: load('en', 'profile') },
};

/**
 * A string of the student or profile part in `lang`, for code that runs without a request (hook
 * taps, subscribers): `s('en', 'student.errors.missing', { fields })`.
 */
export function s(lang: Lang, key: string, vars: Record<string, string | number> = {}): string {
  const v = key.split('.').reduce<unknown>((o, k) => (o && typeof o === 'object' ? (o as Dict)[k] : undefined), dicts[lang]);
  if (typeof v !== 'string') throw new TypeError(`mobility: missing string "${key}" (${lang})`);
  return v.replace(/\{\{\s*(\w+)\s*\}\}/g, (_, name: string) => String(vars[name] ?? ''));
}

/** Countries whose nominees read French by default (the rest get English). */
const FRENCH_SPEAKING = new Set(['FR', 'BE', 'CH', 'LU', 'MC']);

/** The language a nominee from `country` most likely reads: French for French-speaking countries, else English. */
export const languageForCountry = (country: string | null | undefined): Lang => (FRENCH_SPEAKING.has((country ?? '').toUpperCase()) ? 'fr' : 'en');


/** 404 in the student's language: another person's file does not exist for them. */
export const studentNotFound = (ctx: Ctx): SmileError => new SmileError(ErrorCodes.NOT_FOUND, ctx.t('mobility:student.errors.notFound'), { status: 404 });

/** The file `id` when it belongs to the signed-in person (with their special needs: their own data), else a 404. */
export async function ownFile(ctx: Ctx, id: number): Promise<MobilityFile> {
  const personId = ctx.principal.personId;
  const file = personId ? await storeOf(ctx).file(ctx.institution.id, id, { specialNeeds: true }) : null;
  if (!file || file.personId !== personId) throw studentNotFound(ctx);
  return file;
}

/**
 * An academic year as the student pages write it, `2026` → `2026–2027`: with the en dash, as the
 * catalogue and the course choice write it.
 */
export const academicYearLabel = (year: number): string => `${year}–${year + 1}`;

/** Files a student may still change (profile, submission). */
export const isOpen = (file: Pick<MobilityFile, 'status'>): boolean => file.status === 'nominated' || file.status === 'in_progress';

/** The text of a refused action for a user: the coded prefix and the plugin/key suffix taken away. */
export const userMessage = (e: unknown): string =>
  String((e as Error)?.message ?? '')
    .replace(/^SMILE_ERR_[A-Z_]+: /, '')
    .replace(/ \((plugin|key) "[^"]*"(, key "[^"]*")?\)$/, '');

/** ISO 3166-1 alpha-2 codes (and XK, Kosovo, which the European Commission uses). */
export const COUNTRY_CODES: readonly string[] = (
  'AD AE AF AG AI AL AM AO AQ AR AS AT AU AW AX AZ BA BB BD BE BF BG BH BI BJ BL BM BN BO BQ BR BS BT BV BW BY BZ CA CC CD CF CG CH CI ' +
  'CK CL CM CN CO CR CU CV CW CX CY CZ DE DJ DK DM DO DZ EC EE EG EH ER ES ET FI FJ FK FM FO FR GA GB GD GE GF GG GH GI GL GM GN GP GQ ' +
  'GR GS GT GU GW GY HK HM HN HR HT HU ID IE IL IM IN IO IQ IR IS IT JE JM JO JP KE KG KH KI KM KN KP KR KW KY KZ LA LB LC LI LK LR LS ' +
  'LT LU LV LY MA MC MD ME MF MG MH MK ML MM MN MO MP MQ MR MS MT MU MV MW MX MY MZ NA NC NE NF NG NI NL NO NP NR NU NZ OM PA PE PF PG ' +
  'PH PK PL PM PN PR PS PT PW PY QA RE RO RS RU RW SA SB SC SD SE SG SH SI SJ SK SL SM SN SO SR SS ST SV SX SY SZ TC TD TF TG TH TJ TK ' +
  'TL TM TN TO TR TT TV TW TZ UA UG UM US UY UZ VA VC VE VG VI VN VU WF WS XK YE YT ZA ZM ZW'
).split(' ');

const countryCache = new Map<Lang, Array<{ value: string; label: string }>>();

/** The countries as select options, named and sorted in `lang`. */
export function countryOptions(lang: Lang): Array<{ value: string; label: string }> {
  let list = countryCache.get(lang);
  if (!list) {
    const names = new Intl.DisplayNames([lang], { type: 'region' });
    list = COUNTRY_CODES.map((c) => ({ value: c, label: names.of(c) ?? c })).sort((a, b) => a.label.localeCompare(b.label, lang));
    countryCache.set(lang, list);
  }
  return list;
}

/** A country's name in `lang` (the code itself when unknown). */
export const countryName = (lang: Lang, code: string | null | undefined): string =>
  code ? countryOptions(lang).find((c) => c.value === code)?.label ?? code : '';
