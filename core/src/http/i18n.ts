import { existsSync, readFileSync } from 'node:fs';
import path from 'node:path';

type Dict = Record<string, unknown>;
export type Lang = 'fr' | 'en';
export const LANGS: Lang[] = ['fr', 'en'];

/**
 * Strings per language from each owner's `locales/<lang>.json`, looked up as `<owner>:<dotted.key>`.
 * A key missing in one language falls back to the other and is reported once.
 */
export class Strings {
  private dicts = new Map<string, Record<Lang, Dict>>();
  private reported = new Set<string>();

  constructor(owners: { id: string; dir: string }[], private onMissing: (key: string, lang: Lang) => void = () => {}) {
    for (const o of owners) {
      const load = (l: Lang) => {
        const f = path.join(o.dir, 'locales', `${l}.json`);
        return existsSync(f) ? (JSON.parse(readFileSync(f, 'utf8')) as Dict) : {};
      };
      this.dicts.set(o.id, { fr: load('fr'), en: load('en') });
    }
  }

  private lookup(owner: string, key: string, lang: Lang): string | undefined {
    let v: unknown = this.dicts.get(owner)?.[lang];
    for (const part of key.split('.')) v = v && typeof v === 'object' ? (v as Dict)[part] : undefined;
    return typeof v === 'string' ? v : undefined;
  }

  t(lang: Lang, fullKey: string, vars: Record<string, string | number> = {}): string {
    const [owner, key] = fullKey.includes(':') ? (fullKey.split(/:(.*)/s, 2) as [string, string]) : ['core', fullKey];
    let s = this.lookup(owner, key, lang);
    if (s === undefined) {
      const other: Lang = lang === 'fr' ? 'en' : 'fr';
      s = this.lookup(owner, key, other);
      const id = `${lang}:${fullKey}`;
      if (!this.reported.has(id)) {
        this.reported.add(id);
        this.onMissing(fullKey, lang);
      }
    }
    if (s === undefined) return fullKey;
    return s.replace(/\{\{(\w+)\}\}/g, (_, k) => (vars[k] !== undefined ? String(vars[k]) : `{{${k}}}`));
  }
}

/** The preferred supported language of an Accept-Language header, if any. */
export function fromAcceptLanguage(header: string | undefined): Lang | undefined {
  if (!header) return undefined;
  const prefs = header
    .split(',')
    .map((part) => {
      const [tag, ...params] = part.trim().split(';');
      const q = params.find((p) => p.trim().startsWith('q='));
      return { lang: tag!.trim().slice(0, 2).toLowerCase(), q: q ? Number(q.trim().slice(2)) : 1 };
    })
    .filter((p) => p.q > 0)
    .sort((a, b) => b.q - a.q);
  return prefs.find((p) => LANGS.includes(p.lang as Lang))?.lang as Lang | undefined;
}
