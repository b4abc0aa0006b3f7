import { readFileSync } from 'node:fs';
import type { Bilingual } from '@smile/sdk';

type Dict = Record<string, unknown>;
const load = (lang: string): Dict => JSON.parse(readFileSync(new URL(`../locales/${lang}.json`, import.meta.url), 'utf8'));
const dicts = { fr: load('fr'), en: load('en') };

function lookup(d: Dict, key: string): string {
  const v = key.split('.').reduce<unknown>((o, k) => (o && typeof o === 'object' ? (o as Dict)[k] : undefined), d);
  if (typeof v !== 'string') throw new TypeError(`sis-csv: missing string "${key}"`);
  return v;
}

type Vars = Record<string, string | number | Bilingual>;
const fill = (s: string, vars: Vars, lang: 'fr' | 'en') =>
  s.replace(/\{\{(\w+)\}\}/g, (_m, k: string) => {
    const v = vars[k];
    return v === undefined ? '' : typeof v === 'object' ? v[lang] : String(v);
  });

/**
 * A string of the locale files in both languages, placeholders filled: row errors are built before
 * any request exists (the command line, the import) and shown later in the reader's language.
 */
export function bilingual(key: string, vars: Vars = {}): Bilingual {
  return { fr: fill(lookup(dicts.fr, key), vars, 'fr'), en: fill(lookup(dicts.en, key), vars, 'en') };
}

/** Join a list for a message (`a, b, c`). */
export const list = (items: readonly string[]) => items.join(', ');
