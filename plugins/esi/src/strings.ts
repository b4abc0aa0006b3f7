import { readFileSync } from 'node:fs';
import type { Bilingual } from '@smile/sdk';
import type { Issue } from './esi.js';

type Dict = Record<string, unknown>;
const load = (lang: string): Dict => JSON.parse(readFileSync(new URL(`../locales/${lang}.json`, import.meta.url), 'utf8'));
const dicts = { fr: load('fr'), en: load('en') };

function lookup(d: Dict, key: string): string {
  const v = key.split('.').reduce<unknown>((o, k) => (o && typeof o === 'object' ? (o as Dict)[k] : undefined), d);
  if (typeof v !== 'string') throw new TypeError(`esi: missing string "${key}"`);
  return v;
}

/**
 * A string of this plugin's locale files in both languages, for APIs that take a `Bilingual` at
 * definition time (table captions, column labels), before any request exists.
 */
export function bilingual(key: string): Bilingual {
  return { fr: lookup(dicts.fr, key), en: lookup(dicts.en, key) };
}

/**
 * The reason of a refusal as text, outside a request (logs, service callers): the same strings the
 * pages show through `ctx.t('esi:errors.<code>', vars)`.
 */
export function issueMessage(issue: Issue, lang: 'fr' | 'en' = 'en'): string {
  const vars = issue.vars ?? {};
  return lookup(dicts[lang], `errors.${issue.code}`).replace(/\{\{(\w+)\}\}/g, (_m, k: string) => String(vars[k] ?? ''));
}
