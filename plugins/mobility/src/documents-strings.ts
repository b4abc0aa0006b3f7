/** The documents part's strings, for code that runs without a request (the step condition tap). */
import { readFileSync } from 'node:fs';

type Dict = Record<string, unknown>;
type Lang = 'fr' | 'en';
const load = (lang: Lang): Dict => JSON.parse(readFileSync(new URL(`../locales/${lang}/documents.json`, import.meta.url), 'utf8')).documents;
const dicts: Record<Lang, Dict> = { fr: load('fr'), en: load('en') };

/** `documents.<key>` in `lang`, `{{placeholders}}` filled. */
export function ds(lang: Lang, key: string, vars: Record<string, string | number> = {}): string {
  const v = key.split('.').reduce<unknown>((o, k) => (o && typeof o === 'object' ? (o as Dict)[k] : undefined), dicts[lang]);
  if (typeof v !== 'string') throw new TypeError(`mobility: missing string "documents.${key}" (${lang})`);
  return v.replace(/\{\{\s*(\w+)\s*\}\}/g, (_, name: string) => String(vars[name] ?? ''));
}
