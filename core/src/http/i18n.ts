import { existsSync, readdirSync, readFileSync } from 'node:fs';
import path from 'node:path';
import i18next, { type i18n as I18n } from 'i18next';

type Dict = Record<string, unknown>;
export type Lang = 'fr' | 'en';
export const LANGS: Lang[] = ['fr', 'en'];

function readJson(file: string): Dict {
  return existsSync(file) ? (JSON.parse(readFileSync(file, 'utf8')) as Dict) : {};
}

/**
 * The strings of one owner (core, plugin) in `lang`: `locales/<lang>.json`, deep-merged with every
 * `locales/<lang>/*.json` in name order (large plugins keep one file per part).
 */
export function readOwnerStrings(dir: string, lang: Lang): Dict {
  let out = readJson(path.join(dir, 'locales', `${lang}.json`));
  const parts = path.join(dir, 'locales', lang);
  if (existsSync(parts)) {
    for (const f of readdirSync(parts).filter((x) => x.endsWith('.json')).sort()) out = deepMerge(out, readJson(path.join(parts, f)));
  }
  return out;
}

function deepMerge(base: Dict, over: Dict): Dict {
  const out: Dict = { ...base };
  for (const [k, v] of Object.entries(over)) {
    out[k] = v && typeof v === 'object' && !Array.isArray(v) && typeof out[k] === 'object' ? deepMerge(out[k] as Dict, v as Dict) : v;
  }
  return out;
}

/**
 * Strings of the core and every plugin (one i18next namespace per owner, `locales/<lang>.json` and
 * `locales/<lang>/*.json`),
 * looked up as `<owner>:<dotted.key>`. Themes may override any string: their
 * `locales/<lang>.json` holds `{ "<owner>": { ...keys } }`. A key missing in one language falls back
 * to the other and is reported once.
 */
export class Strings {
  private readonly instances = new Map<string, I18n>();
  private readonly reported = new Set<string>();
  /** Strings never change after boot: plain lookups (no variables) are computed once. */
  private readonly plain = new Map<string, string>();
  /** Lookups with variables, by key and values (bounded: cleared when full). */
  private readonly withVars = new Map<string, string>();

  constructor(
    private owners: { id: string; dir: string }[],
    private themes: { id: string; dirs: string[] }[],
    private onMissing: (key: string, lang: Lang) => void = () => {},
  ) {
    this.instances.set('', this.build([]));
    for (const t of themes) this.instances.set(t.id, this.build(t.dirs));
  }

  private build(themeDirs: string[]): I18n {
    const resources: Record<Lang, Record<string, Dict>> = { fr: {}, en: {} };
    for (const lang of LANGS) {
      for (const o of this.owners) resources[lang][o.id] = readOwnerStrings(o.dir, lang);
      // parent theme first, so the child's strings win
      for (const dir of [...themeDirs].reverse()) {
        const over = readJson(path.join(dir, 'locales', `${lang}.json`));
        for (const [owner, dict] of Object.entries(over)) {
          if (dict && typeof dict === 'object') resources[lang][owner] = deepMerge(resources[lang][owner] ?? {}, dict as Dict);
        }
      }
    }
    const inst = i18next.createInstance();
    void inst.init({
      initAsync: false,
      resources,
      lng: 'fr',
      fallbackLng: false,
      ns: this.owners.map((o) => o.id),
      defaultNS: 'core',
      interpolation: { escapeValue: false },
      returnNull: false,
      saveMissing: false,
      showSupportNotice: false,
    } as any);
    return inst;
  }

  /** Translate `fullKey` (`owner:key`, or a core key) in `lang`, under theme `theme`. */
  t(lang: Lang, fullKey: string, vars?: Record<string, string | number>, theme = ''): string {
    const id = `${theme}\u0000${lang}\u0000${fullKey}`;
    if (vars) {
      let withVars = '';
      for (const k in vars) withVars += `\u0000${k}\u0001${vars[k]}`;
      if (withVars) {
        // the same string with the same values is asked again and again (a label per row of a list)
        const vid = id + withVars;
        let out = this.withVars.get(vid);
        if (out === undefined) {
          out = this.lookup(lang, fullKey, vars, theme);
          if (this.withVars.size >= 20_000) this.withVars.clear();
          this.withVars.set(vid, out);
        }
        return out;
      }
    }
    let v = this.plain.get(id);
    if (v === undefined) {
      v = this.lookup(lang, fullKey, {}, theme);
      this.plain.set(id, v);
    }
    return v;
  }

  private lookup(lang: Lang, fullKey: string, vars: Record<string, string | number>, theme: string): string {
    const inst = this.instances.get(theme) ?? this.instances.get('')!;
    const key = fullKey.includes(':') ? fullKey : `core:${fullKey}`;
    if (inst.exists(key, { lng: lang, ...vars })) return inst.t(key, { lng: lang, ...vars }) as string;
    const other: Lang = lang === 'fr' ? 'en' : 'fr';
    const id = `${lang}:${key}`;
    if (!this.reported.has(id)) {
      this.reported.add(id);
      this.onMissing(key, lang);
    }
    if (inst.exists(key, { lng: other, ...vars })) return inst.t(key, { lng: other, ...vars }) as string;
    return key;
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

const formatterCache = new Map<Lang, ReturnType<typeof makeFormatters>>();

/** Locale-aware formatting helpers given to every view (built once per language: Intl objects are costly). */
export function formatters(lang: Lang) {
  let f = formatterCache.get(lang);
  if (!f) formatterCache.set(lang, (f = makeFormatters(lang)));
  return f;
}

function makeFormatters(lang: Lang) {
  const locale = lang === 'fr' ? 'fr-FR' : 'en-GB';
  const num = new Intl.NumberFormat(locale, { maximumFractionDigits: 2 });
  const date = new Intl.DateTimeFormat(locale, { dateStyle: 'long' });
  const dateTime = new Intl.DateTimeFormat(locale, { dateStyle: 'medium', timeStyle: 'short' });
  const languages = new Intl.DisplayNames([locale], { type: 'language', fallback: 'code' });
  const languageNames = new Map<string, string>();
  return {
    fmtNumber: (n: number) => num.format(n),
    fmtDate: (d: Date | string) => date.format(new Date(d)),
    fmtDateTime: (d: Date | string) => dateTime.format(new Date(d)),
    /** ECTS credits: "7,5 ECTS" / "7.5 ECTS". */
    fmtEcts: (n: number) => `${num.format(n)} ECTS`,
    /** A language by its ISO 639 code: "français" / "French" (the code itself when unknown). */
    fmtLanguage: (code: string) => {
      let name = languageNames.get(code);
      if (name === undefined) {
        try {
          name = languages.of(code) ?? code;
        } catch {
          name = code;
        }
        if (languageNames.size < 1000) languageNames.set(code, name);
      }
      return name;
    },
  };
}
