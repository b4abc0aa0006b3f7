import { readFileSync } from 'node:fs';
import type { Bilingual } from '@smile/sdk';

type Dict = Record<string, unknown>;
const load = (lang: string): Dict => JSON.parse(readFileSync(new URL(`../locales/${lang}.json`, import.meta.url), 'utf8'));
const dicts = { fr: load('fr'), en: load('en') };

function lookup(d: Dict, key: string): string {
  const v = key.split('.').reduce<unknown>((o, k) => (o && typeof o === 'object' ? (o as Dict)[k] : undefined), d);
  if (typeof v !== 'string') throw new TypeError(`admin: missing string "${key}"`);
  return v;
}

/**
 * A string of this plugin's locale files in both languages, for APIs that take a `Bilingual`
 * (table captions, column labels) at definition time, before any request exists.
 */
export function bilingual(key: string): Bilingual {
  return { fr: lookup(dicts.fr, key), en: lookup(dicts.en, key) };
}
