import { readFileSync } from 'node:fs';

type Dict = Record<string, unknown>;
const load = (lang: string): Dict => JSON.parse(readFileSync(new URL(`../locales/${lang}.json`, import.meta.url), 'utf8'));
const dicts: Record<'fr' | 'en', Dict> = { fr: load('fr'), en: load('en') };

/**
 * A string of this plugin in a given language, with `{{name}}` placeholders filled. For mail, whose
 * language is not the request's (an invitation is written in both languages).
 */
export function tr(lang: 'fr' | 'en', key: string, vars: Record<string, string | number> = {}): string {
  const v = key.split('.').reduce<unknown>((o, k) => (o && typeof o === 'object' ? (o as Dict)[k] : undefined), dicts[lang]);
  if (typeof v !== 'string') throw new TypeError(`auth-local: missing string "${key}" (${lang})`);
  return v.replace(/\{\{(\w+)\}\}/g, (_m, name: string) => (vars[name] === undefined ? `{{${name}}}` : String(vars[name])));
}

/** Date and time in a language, Paris time (the platform's reference zone, as the core's pages use). */
export function fmtDateTime(lang: 'fr' | 'en', d: Date): string {
  return new Intl.DateTimeFormat(lang === 'fr' ? 'fr-FR' : 'en-GB', { dateStyle: 'long', timeStyle: 'short', timeZone: 'Europe/Paris' }).format(d);
}
