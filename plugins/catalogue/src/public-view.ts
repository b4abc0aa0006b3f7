/**
 * Helpers the public views receive as `h`: text in the visitor's language (with the language of a
 * fallback, for `lang` attributes), names of languages, days and exchange types, and the stable
 * addresses of pages. Themes overriding the views can rely on them.
 * @packageDocumentation
 */
import { pageWindow } from '@smile/sdk';
import { componentPath, elementPath, formationPath } from './public-query.js';
import { yearLabel } from './store.js';

type Lang = 'fr' | 'en';

/** A text in the visitor's language, or in the other one (`lang` then names it, for a `lang` attribute). */
export interface Localised {
  text: string;
  lang: Lang | null;
}

// Intl objects are costly to build: one per language, for the life of the process
const displayNames = new Map<Lang, Intl.DisplayNames>();
const weekdays = new Map<Lang, string[]>();
const lists = new Map<Lang, Intl.ListFormat>();
const numbers = new Map<Lang, Intl.NumberFormat>();
const locale = (lang: Lang) => (lang === 'fr' ? 'fr-FR' : 'en-GB');

/** Whole numbers as the visitor writes them ("1 234" / "1,234"). */
export function formatCount(n: number, lang: Lang): string {
  let f = numbers.get(lang);
  if (!f) numbers.set(lang, (f = new Intl.NumberFormat(locale(lang))));
  return f.format(n);
}

const languageLists = new Map<string, string>();

/** "French and English" / "français et anglais". */
export function languageList(codes: string[], lang: Lang): string {
  const key = `${lang}:${codes.join(',')}`;
  const known = languageLists.get(key);
  if (known !== undefined) return known;
  let f = lists.get(lang);
  if (!f) lists.set(lang, (f = new Intl.ListFormat(locale(lang), { type: 'conjunction' })));
  const out = f.format(codes.map((c) => languageName(c, lang)));
  if (languageLists.size < 5000) languageLists.set(key, out);
  return out;
}

const languageNames = new Map<string, string>();

/** "anglais" / "English" for `en`; the code itself when unknown. */
export function languageName(code: string, lang: Lang): string {
  const key = `${lang}:${code}`;
  let name = languageNames.get(key);
  if (name !== undefined) return name;
  let names = displayNames.get(lang);
  if (!names) displayNames.set(lang, (names = new Intl.DisplayNames([locale(lang)], { type: 'language', fallback: 'code' })));
  try {
    name = names.of(code) ?? code;
  } catch {
    name = code;
  }
  // codes come from the catalogue's data: a bounded set in practice, but never let it grow without end
  if (languageNames.size < 1000) languageNames.set(key, name);
  return name;
}

/** 1 = Monday … 7 = Sunday, in the visitor's language. */
export function dayName(day: number, lang: Lang): string {
  let list = weekdays.get(lang);
  if (!list) {
    const f = new Intl.DateTimeFormat(locale(lang), { weekday: 'long', timeZone: 'UTC' });
    // 1 January 2024 was a Monday
    weekdays.set(lang, (list = Array.from({ length: 7 }, (_, i) => f.format(new Date(Date.UTC(2024, 0, 1 + i))))));
  }
  return list[day - 1] ?? String(day);
}

/** The helpers of one request. */
export function viewHelpers(lang: Lang, exchangeTypes: { code: string; fr: string; en: string }[]) {
  const other: Lang = lang === 'fr' ? 'en' : 'fr';
  const pick = (fr: string | null | undefined, en: string | null | undefined): Localised | null => {
    const mine = lang === 'fr' ? fr : en;
    if (mine && mine.trim()) return { text: mine, lang: null };
    const theirs = lang === 'fr' ? en : fr;
    return theirs && theirs.trim() ? { text: theirs, lang: other } : null;
  };
  return {
    lang,
    pick,
    /** A name whose English form may be a copy of the French one (imports fill it so): shown as French then. */
    name: (fr: string, en: string | null | undefined): Localised => pick(fr, en && en !== fr ? en : null) ?? { text: fr, lang: null },
    languageName: (code: string) => languageName(code, lang),
    languageNames: (codes: string[]) => languageList(codes, lang),
    dayName: (day: number) => dayName(day, lang),
    exchangeType: (code: string) => {
      const x = exchangeTypes.find((e) => e.code === code);
      return x ? x[lang] : code;
    },
    /** The credits an incoming student gets: the mobility ECTS when set, else the standard ones. */
    ects: (e: { ects: number | null; mobilityEcts: number | null }) => e.mobilityEcts ?? e.ects,
    yearLabel,
    pageWindow,
    elementPath,
    formationPath,
    componentPath,
  };
}

export type ViewHelpers = ReturnType<typeof viewHelpers>;
