import { readFileSync } from 'node:fs';
import type { LaTerm } from './model.js';

/** Languages the PDF is written in. */
export type LaPdfLanguage = 'fr' | 'en';

type Dict = { [k: string]: string | Dict };

function load(lang: LaPdfLanguage): Dict {
  const file = new URL(`../locales/${lang}/pdf.json`, import.meta.url);
  return (JSON.parse(readFileSync(file, 'utf8')) as { pdf: Dict }).pdf;
}

// The PDF is rendered outside any request (jobs, EWP), so it reads its own strings, once.
const dictionaries: Record<LaPdfLanguage, Dict> = { fr: load('fr'), en: load('en') };
const locales: Record<LaPdfLanguage, string> = { fr: 'fr-FR', en: 'en-GB' };

/** Looks up strings of `locales/<lang>/pdf.json` (`pdf.` prefix omitted) and formats values. */
export class PdfStrings {
  private readonly dict: Dict;
  private readonly dateFmt: Intl.DateTimeFormat;
  private readonly monthFmt: Intl.DateTimeFormat;
  private readonly instantFmt: Intl.DateTimeFormat;
  private readonly regions: Intl.DisplayNames;
  private readonly languages: Intl.DisplayNames;
  private readonly numberFmt: Intl.NumberFormat;

  constructor(readonly language: LaPdfLanguage) {
    this.dict = dictionaries[language];
    const locale = locales[language];
    this.dateFmt = new Intl.DateTimeFormat(locale, { day: 'numeric', month: 'long', year: 'numeric', timeZone: 'UTC' });
    this.monthFmt = new Intl.DateTimeFormat(locale, { month: 'long', year: 'numeric', timeZone: 'UTC' });
    // Signatures are shown in UTC, labelled: the PDF has no reader time zone and must not be ambiguous.
    this.instantFmt = new Intl.DateTimeFormat(locale, {
      day: '2-digit', month: '2-digit', year: 'numeric', hour: '2-digit', minute: '2-digit', second: '2-digit',
      timeZone: 'UTC', timeZoneName: 'short', hourCycle: 'h23',
    });
    this.regions = new Intl.DisplayNames([locale], { type: 'region', fallback: 'code' });
    this.languages = new Intl.DisplayNames([locale], { type: 'language', fallback: 'code' });
    this.numberFmt = new Intl.NumberFormat(locale, { maximumFractionDigits: 1 });
  }

  /** The string at `key` with `{{name}}` replaced; the key itself when missing, so a gap shows. */
  t(key: string, vars: Record<string, string | number> = {}): string {
    let node: string | Dict | undefined = this.dict;
    for (const part of key.split('.')) node = typeof node === 'object' ? node[part] : undefined;
    if (typeof node !== 'string') return key;
    return node.replace(/\{\{(\w+)\}\}/g, (m, name: string) => (name in vars ? String(vars[name]) : m));
  }

  /** `2025-09-01` → "1 September 2025"; `2025-09` → "September 2025"; anything else as given. */
  date(value: string): string {
    if (/^\d{4}-\d{2}-\d{2}$/.test(value)) return this.dateFmt.format(new Date(`${value}T00:00:00Z`));
    if (/^\d{4}-\d{2}$/.test(value)) return this.monthFmt.format(new Date(`${value}-01T00:00:00Z`));
    return value;
  }

  /** An instant, in UTC. */
  instant(value: string): string {
    const d = new Date(value);
    return Number.isNaN(d.getTime()) ? value : this.instantFmt.format(d);
  }

  /** "Poland (PL)". */
  country(code: string): string {
    const c = code.toUpperCase();
    try {
      const name = this.regions.of(c);
      return name && name !== c ? `${name} (${c})` : c;
    } catch {
      return code;
    }
  }

  /** Name of a BCP 47 language, in the PDF's language. */
  languageName(code: string): string {
    try {
      return this.languages.of(code) ?? code;
    } catch {
      return code;
    }
  }

  number(n: number): string {
    return this.numberFmt.format(n);
  }

  term(term: LaTerm | undefined): string {
    if (!term) return '';
    if (term.label) return term.label;
    if (term.total === 1) return this.t('terms.year');
    if (term.total === 2) return this.t('terms.semester', { number: term.number });
    if (term.total === 3) return this.t('terms.trimester', { number: term.number });
    return this.t('terms.other', { number: term.number, total: term.total });
  }
}

const cache = new Map<LaPdfLanguage, PdfStrings>();

/** One formatter per language (Intl objects are costly to build). */
export function pdfStrings(language: LaPdfLanguage): PdfStrings {
  if (language !== 'fr' && language !== 'en') throw new TypeError(`Learning Agreement PDF: unsupported language "${String(language)}"`);
  let s = cache.get(language);
  if (!s) cache.set(language, (s = new PdfStrings(language)));
  return s;
}
