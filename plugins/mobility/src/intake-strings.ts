/** The intake's strings in both languages, for messages built before any request exists (CLI, import). */
import { readFileSync } from 'node:fs';
import type { Bilingual } from '@smile/sdk';

type Dict = Record<string, unknown>;
const load = (lang: string): Dict => JSON.parse(readFileSync(new URL(`../locales/${lang}/intake.json`, import.meta.url), 'utf8')).intake;
const dicts = { fr: load('fr'), en: load('en') };

function lookup(d: Dict, key: string): string {
  const v = key.split('.').reduce<unknown>((o, k) => (o && typeof o === 'object' ? (o as Dict)[k] : undefined), d);
  if (typeof v !== 'string') throw new TypeError(`mobility intake: missing string "${key}"`);
  return v;
}

/** `intake.<key>` in both languages, `{{placeholders}}` filled. */
export function bilingual(key: string, vars: Record<string, string | number> = {}): Bilingual {
  const fill = (s: string) => s.replace(/\{\{(\w+)\}\}/g, (_m, k: string) => (vars[k] === undefined ? '' : String(vars[k])));
  return { fr: fill(lookup(dicts.fr, key)), en: fill(lookup(dicts.en, key)) };
}
