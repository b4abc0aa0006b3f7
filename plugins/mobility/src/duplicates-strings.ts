/** The duplicates part's strings, for the store (refusals and history comments are written in the actor's language). */
import { readFileSync } from 'node:fs';

type Dict = Record<string, unknown>;
type Lang = 'fr' | 'en';
const load = (lang: Lang): Dict => JSON.parse(readFileSync(new URL(`../locales/${lang}/duplicates.json`, import.meta.url), 'utf8')).duplicates;
const dicts: Record<Lang, Dict> = { fr: load('fr'), en: load('en') };

/** `duplicates.<key>` in `lang`, `{{placeholders}}` filled. */
export function dups(lang: Lang, key: string, vars: Record<string, string | number> = {}): string {
  const v = key.split('.').reduce<unknown>((o, k) => (o && typeof o === 'object' ? (o as Dict)[k] : undefined), dicts[lang]);
  if (typeof v !== 'string') throw new TypeError(`mobility: missing string "duplicates.${key}" (${lang})`);
  return v.replace(/\{\{\s*(\w+)\s*\}\}/g, (_, name: string) => String(vars[name] ?? ''));
}
