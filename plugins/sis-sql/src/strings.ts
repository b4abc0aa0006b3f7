/**
 * The plugin's strings in both languages, for messages built outside a request (row errors of a
 * sync run, the connector's label): read once from `locales/`.
 * @packageDocumentation
 */
import { readFileSync } from 'node:fs';
import type { Bilingual } from '@smile/sdk';

type Strings = Record<string, unknown>;

const load = (lang: 'fr' | 'en'): Strings => JSON.parse(readFileSync(new URL(`../locales/${lang}.json`, import.meta.url), 'utf8'));
const STRINGS = { fr: load('fr'), en: load('en') };

function lookup(strings: Strings, key: string): string {
  let v: unknown = strings;
  for (const part of key.split('.')) v = v && typeof v === 'object' ? (v as Strings)[part] : undefined;
  return typeof v === 'string' ? v : key;
}

const fill = (text: string, vars: Record<string, string | number>) => text.replace(/\{\{(\w+)\}\}/g, (m, k: string) => (k in vars ? String(vars[k]) : m));

/** `key` in both languages, `{{name}}` placeholders filled from `vars` (a var may itself be bilingual). */
export function bilingual(key: string, vars: Record<string, string | number | Bilingual> = {}): Bilingual {
  const pick = (lang: 'fr' | 'en') => Object.fromEntries(Object.entries(vars).map(([k, v]) => [k, typeof v === 'object' ? v[lang] : v]));
  return { fr: fill(lookup(STRINGS.fr, key), pick('fr')), en: fill(lookup(STRINGS.en, key), pick('en')) };
}
