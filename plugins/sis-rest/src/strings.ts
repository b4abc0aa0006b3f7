/**
 * The plugin's strings in both languages, for messages built outside a request (run errors are
 * stored bilingual and shown in the reader's language later).
 * @packageDocumentation
 */
import { readFileSync } from 'node:fs';
import type { Bilingual } from '@smile/sdk';

type Tree = { [k: string]: string | Tree };
const load = (lang: 'fr' | 'en'): Tree => JSON.parse(readFileSync(new URL(`../locales/${lang}.json`, import.meta.url), 'utf8'));
const strings = { fr: load('fr'), en: load('en') };

function lookup(tree: Tree, key: string): string {
  let v: string | Tree | undefined = tree;
  for (const k of key.split('.')) v = typeof v === 'object' ? v[k] : undefined;
  return typeof v === 'string' ? v : key;
}

/** `key` of this plugin's locales in French and English, `{{name}}` filled from `vars`. */
export function bilingual(key: string, vars: Record<string, string | number> = {}): Bilingual {
  const fill = (s: string) => s.replace(/\{\{(\w+)\}\}/g, (_, k: string) => (k in vars ? String(vars[k]) : `{{${k}}}`));
  return { fr: fill(lookup(strings.fr, key)), en: fill(lookup(strings.en, key)) };
}
