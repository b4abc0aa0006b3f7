import { existsSync, readdirSync, readFileSync, statSync } from 'node:fs';
import path from 'node:path';
import { pathToFileURL } from 'node:url';
import ejs from 'ejs';
import semver from 'semver';
import { isSmilePlugin, manifestSchema } from '@smile/sdk';
import { discoverPlugins, type DiscoveredPlugin } from '../plugins/discovery.js';
import { readOwnerStrings, type Lang } from '../http/i18n.js';

/** The checks of `smile theme validate`; each has a section in docs/theme-guide.md. */
export const THEME_RULES = {
  SMILE_THEME_MANIFEST: 'the "smile" manifest of package.json is valid and its kind is "theme"',
  SMILE_THEME_PARENT_UNKNOWN: 'the parent theme is installed',
  SMILE_THEME_OVERRIDE_UNKNOWN: 'every overrides/<owner>/<view>.ejs replaces a view that exists',
  SMILE_THEME_TEMPLATE_SYNTAX: 'every template compiles',
  SMILE_THEME_LAYOUT_OUTLETS: 'a layout override keeps the body and the four plugin outlets',
  SMILE_THEME_SETTINGS: 'src/index.ts exports defineTheme() whose settings have valid defaults',
  SMILE_THEME_CODE: 'a theme holds templates, CSS, images and strings: no code',
  SMILE_THEME_LOCALES: 'locales/fr.json and locales/en.json are valid and hold the same keys',
  SMILE_THEME_ASSETS: 'public/ holds only files the platform serves well',
} as const;

export type ThemeRule = keyof typeof THEME_RULES;

export interface ThemeFinding {
  rule: ThemeRule;
  level: 'error' | 'warning';
  message: string;
  /** Path relative to the theme folder. */
  file?: string;
  /** Where the rule is explained: `docs/theme-guide.md#smile_theme_…`. */
  docs: string;
}

export interface ValidateThemeOptions {
  /** Views that exist, as `<owner>/<view>` (e.g. `core/layout`, `hello/index`). */
  knownViews: Iterable<string>;
  /** Installed theme ids (for the parent check). Without it, the parent is not checked. */
  installedThemes?: Iterable<string>;
  /** Strings that exist, per owner (dotted keys). Without it, string keys are not checked. */
  knownStrings?: Map<string, Set<string>>;
}

/** Files served from public/ with a proper content type (core/src/http/assets.ts). */
const ASSET_TYPES = new Set(['.css', '.svg', '.png', '.jpg', '.woff2', '.ico']);
const CODE_EXT = /\.(c|m)?(j|t)sx?$/;
const ASSET_MAX_BYTES = 1024 * 1024;
const OUTLETS = ['head', 'beforeMain', 'afterMain', 'foot'] as const;
const ENTRY = 'src/index.ts';

export const docsFor = (rule: ThemeRule) => `docs/theme-guide.md#${rule.toLowerCase()}`;

/** Files under `dir` (relative, `/`-separated), without node_modules, dot folders and the tests. */
function walk(dir: string, rel = ''): string[] {
  const out: string[] = [];
  for (const e of readdirSync(path.join(dir, rel), { withFileTypes: true })) {
    const r = rel ? `${rel}/${e.name}` : e.name;
    if (e.isDirectory()) {
      if (e.name === 'node_modules' || e.name.startsWith('.') || (!rel && (e.name === 'test' || e.name === 'tests'))) continue;
      out.push(...walk(dir, r));
    } else if (e.isFile()) out.push(r);
  }
  return out.sort();
}

/** Dotted keys of the string leaves of a locales object. */
function flatten(o: Record<string, unknown>, prefix = '', out = new Map<string, unknown>()): Map<string, unknown> {
  for (const [k, v] of Object.entries(o)) {
    const key = prefix ? `${prefix}.${k}` : k;
    if (v && typeof v === 'object' && !Array.isArray(v)) flatten(v as Record<string, unknown>, key, out);
    else out.set(key, v);
  }
  return out;
}

const isObject = (v: unknown): v is Record<string, unknown> => !!v && typeof v === 'object' && !Array.isArray(v);
const isZodSchema = (v: unknown) => isObject(v) && typeof (v as { safeParse?: unknown }).safeParse === 'function';
const list = (xs: string[], max = 5) => (xs.length > max ? `${xs.slice(0, max).join(', ')} … (${xs.length - max} more)` : xs.join(', '));

/**
 * Check a theme folder without installing it: its manifest, parent, overrides, templates, layout
 * outlets, settings, absence of code, strings and assets. Returns the findings (empty: all good).
 */
export async function validateTheme(dir: string, opts: ValidateThemeOptions): Promise<ThemeFinding[]> {
  const root = path.resolve(dir);
  const findings: ThemeFinding[] = [];
  const add = (rule: ThemeRule, level: ThemeFinding['level'], message: string, file?: string) =>
    findings.push({ rule, level, message, ...(file ? { file } : {}), docs: docsFor(rule) });
  if (!existsSync(root) || !statSync(root).isDirectory()) {
    add('SMILE_THEME_MANIFEST', 'error', `${dir} is not a folder`);
    return findings;
  }
  const files = walk(root);
  const manifest = checkManifest(root, add);
  checkParent(manifest, opts.installedThemes, add);
  checkOverrides(files, opts.knownViews, add);
  checkTemplates(root, files, add);
  checkLayout(root, add);
  // src/index.ts is imported (run) to be checked: only once the package is known to be a theme
  if (manifest) await checkEntry(root, manifest, add);
  checkCode(root, files, add);
  checkLocales(root, files, manifest?.id, opts.knownStrings, add);
  checkAssets(root, files, add);
  return findings;
}

type Add = (rule: ThemeRule, level: ThemeFinding['level'], message: string, file?: string) => void;
type Manifest = { id: string; parent?: string; main?: string } | null;

function checkManifest(root: string, add: Add): Manifest {
  const file = path.join(root, 'package.json');
  const rule = 'SMILE_THEME_MANIFEST';
  if (!existsSync(file)) {
    add(rule, 'error', 'no package.json: a theme is a package whose "smile" field is its manifest', 'package.json');
    return null;
  }
  let pkg: Record<string, unknown>;
  try {
    pkg = JSON.parse(readFileSync(file, 'utf8'));
  } catch (e) {
    add(rule, 'error', `not valid JSON: ${(e as Error).message}`, 'package.json');
    return null;
  }
  if (!isObject(pkg) || pkg.smile === undefined) {
    add(rule, 'error', 'no "smile" field: add { "id", "kind": "theme", "parent", "engines" }', 'package.json');
    return null;
  }
  const parsed = manifestSchema.safeParse(pkg.smile);
  if (!parsed.success) {
    for (const issue of parsed.error.issues) {
      const where = ['smile', ...issue.path, ...(issue.code === 'unrecognized_keys' ? [issue.keys.join(', ')] : [])].join('.');
      add(rule, 'error', `${where}: ${issue.message}`, 'package.json');
    }
    return null;
  }
  const m = parsed.data;
  let ok = true;
  if (m.kind !== 'theme') {
    add(rule, 'error', `smile.kind is "${m.kind}": a theme has "kind": "theme"`, 'package.json');
    ok = false;
  }
  if (!semver.validRange(m.engines.smile)) add(rule, 'error', `smile.engines.smile "${m.engines.smile}" is not a semver range`, 'package.json');
  if (typeof pkg.version !== 'string' || !semver.valid(pkg.version)) add(rule, 'error', `version "${String(pkg.version)}" is not a semver version`, 'package.json');
  if (Object.keys(m.dependsOn).length) add(rule, 'error', 'smile.dependsOn: a theme depends on nothing but its parent', 'package.json');
  if (!m.title?.fr || !m.title?.en) add(rule, 'warning', 'smile.title { "fr", "en" } is missing: admins will see the id in the theme list', 'package.json');
  return ok ? { id: m.id, parent: m.parent, main: m.main } : null;
}

function checkParent(m: Manifest, installed: Iterable<string> | undefined, add: Add) {
  if (!m?.parent || !installed) return;
  const ids = new Set(installed);
  if (m.parent === m.id) add('SMILE_THEME_PARENT_UNKNOWN', 'error', `the theme is its own parent ("${m.parent}")`, 'package.json');
  else if (!ids.has(m.parent)) {
    add('SMILE_THEME_PARENT_UNKNOWN', 'error', `parent theme "${m.parent}" is not installed (installed themes: ${[...ids].sort().join(', ') || 'none'})`, 'package.json');
  }
}

function checkOverrides(files: string[], knownViews: Iterable<string>, add: Add) {
  const known = new Set(knownViews);
  const owners = new Map<string, string[]>();
  for (const v of known) {
    const [o, ...rest] = v.split('/');
    owners.set(o!, [...(owners.get(o!) ?? []), rest.join('/')]);
  }
  const rule = 'SMILE_THEME_OVERRIDE_UNKNOWN';
  for (const f of files.filter((x) => x.startsWith('overrides/'))) {
    const rel = f.slice('overrides/'.length);
    if (!f.endsWith('.ejs')) {
      add(rule, 'warning', 'not a template: only overrides/<owner>/<view>.ejs files are used', f);
      continue;
    }
    const name = rel.slice(0, -4);
    const [owner, ...rest] = name.split('/');
    if (!rest.length) {
      add(rule, 'error', 'an override lives in overrides/<owner>/<view>.ejs (owner: core or a plugin id)', f);
    } else if (!known.has(name)) {
      const views = owners.get(owner!);
      if (!views) add(rule, 'warning', `no installed plugin "${owner}" has views here: this override cannot be checked (is the plugin installed?)`, f);
      else add(rule, 'error', `"${owner}" has no view "${rest.join('/')}": this file would never be used (its views: ${list(views.sort(), 12)})`, f);
    }
  }
}

function checkTemplates(root: string, files: string[], add: Add) {
  for (const f of files.filter((x) => x.endsWith('.ejs'))) {
    const text = readFileSync(path.join(root, f), 'utf8');
    if (/<%[-=]\s*include\s*\(/.test(withoutComments(text))) {
      add('SMILE_THEME_TEMPLATE_SYNTAX', 'warning', 'include() returns a promise: write <%- await include(\'<owner>/<view>\', { ... }) %>', f);
    }
    try {
      ejs.compile(text, { async: true, filename: path.join(root, f) });
    } catch (e) {
      add('SMILE_THEME_TEMPLATE_SYNTAX', 'error', syntaxMessage(e as Error, path.join(root, f), text), f);
    }
  }
}

/** The ejs message without its file name and lint advert, plus a hint when `{ }` do not pair up. */
function syntaxMessage(e: Error, file: string, text: string): string {
  let msg = e.message.split(` in ${file}`).join('').split(file).join('').replace(/If the above error is not helpful.*$/s, '').replace(/\s+/g, ' ').trim();
  const code = [...text.matchAll(/<%(?![=\-#%])([\s\S]*?)%>/g)].map((m) => m[1]!).join('\n');
  const open = (code.match(/\{/g) ?? []).length;
  const close = (code.match(/\}/g) ?? []).length;
  if (open !== close) msg += ` (the <% %> tags open ${open} { and close ${close} }: a block is not closed)`;
  return msg;
}

/** The template text without ejs and HTML comments. */
const withoutComments = (text: string) => text.replace(/<%#[\s\S]*?%>/g, '').replace(/<!--[\s\S]*?-->/g, '');

function checkLayout(root: string, add: Add) {
  const f = 'overrides/core/layout.ejs';
  if (!existsSync(path.join(root, f))) return;
  const text = withoutComments(readFileSync(path.join(root, f), 'utf8'));
  const rule = 'SMILE_THEME_LAYOUT_OUTLETS';
  if (!/<%-\s*body\s*%>/.test(text)) add(rule, 'error', 'the page content is never shown: keep <%- body %> inside <main id="main">', f);
  const missing = OUTLETS.filter((o) => !new RegExp(`\\bparts\\s*(\\.\\s*${o}\\b|\\[\\s*['"]${o}['"]\\s*\\])`).test(text));
  if (missing.length) {
    add(rule, 'error', `plugins add content through outlets this layout drops: ${missing.map((o) => `parts.${o}`).join(', ')} (copy their loops from core/views/layout.ejs)`, f);
  }
  if (!/name="csrf-token"/.test(text)) add(rule, 'warning', 'no <meta name="csrf-token">: htmx forms will be refused', f);
  if (!/theme\.css/.test(text)) add(rule, 'warning', 'theme.css is never linked: the theme stylesheets (yours and your parent\'s) will not load', f);
}

async function checkEntry(root: string, m: Manifest, add: Add) {
  if (m?.main && path.posix.normalize(m.main.replace(/^\.\//, '')) !== ENTRY) {
    add('SMILE_THEME_CODE', 'error', `smile.main is "${m.main}": a theme's only module is ${ENTRY}`, 'package.json');
  }
  const file = path.join(root, ENTRY);
  if (!existsSync(file)) return;
  let mod: Record<string, unknown>;
  try {
    mod = await import(pathToFileURL(file).href);
  } catch (e) {
    add('SMILE_THEME_SETTINGS', 'error', `cannot be imported: ${(e as Error).message.split('\n')[0]}`, ENTRY);
    return;
  }
  const def = mod.default as Record<string, unknown> | undefined;
  if (!isSmilePlugin(def)) {
    add('SMILE_THEME_SETTINGS', 'error', 'the default export must be defineTheme({ settings }) from @smile/sdk', ENTRY);
  } else {
    const extra = Object.keys(def).filter((k) => k !== 'settings');
    if (extra.length) add('SMILE_THEME_CODE', 'error', `the default export has ${extra.join(', ')}: a theme declares settings only (defineTheme, not definePlugin)`, ENTRY);
    if (def.settings !== undefined) {
      if (!isZodSchema(def.settings)) add('SMILE_THEME_SETTINGS', 'error', 'settings must be a zod schema (z.object({...}))', ENTRY);
      else {
        const r = (def.settings as { safeParse(v: unknown): { success: boolean; error?: { issues: { path: PropertyKey[]; message: string }[] } } }).safeParse({});
        if (!r.success) {
          const i = r.error!.issues[0]!;
          add('SMILE_THEME_SETTINGS', 'error', `the defaults are not valid: ${i.path.map(String).join('.') || '(root)'}: ${i.message} (give every setting a default or make it optional)`, ENTRY);
        }
      }
    }
  }
  for (const [name, v] of Object.entries(mod)) {
    if (name === 'default' || isZodSchema(v)) continue;
    add('SMILE_THEME_CODE', 'error', `exports "${name}" (${typeof v}): export only the defineTheme() default (and zod schemas)`, ENTRY);
  }
}

function checkCode(root: string, files: string[], add: Add) {
  for (const f of files) {
    if (CODE_EXT.test(f) && f !== ENTRY) add('SMILE_THEME_CODE', 'error', 'a theme holds no code: only src/index.ts (settings) is allowed', f);
    if (f.startsWith('public/') && f.endsWith('.svg')) {
      const svg = readFileSync(path.join(root, f), 'utf8');
      if (/<script\b|\son[a-z]+\s*=|javascript:/i.test(svg)) add('SMILE_THEME_CODE', 'error', 'this SVG holds a script or an event handler: remove it', f);
    }
  }
}

function checkLocales(root: string, files: string[], themeId: string | undefined, known: Map<string, Set<string>> | undefined, add: Add) {
  const rule = 'SMILE_THEME_LOCALES';
  for (const f of files.filter((x) => x.startsWith('locales/') && !/^locales\/(fr|en)\.json$/.test(x))) {
    add(rule, 'warning', 'ignored: the platform reads locales/fr.json and locales/en.json only', f);
  }
  const keys: Partial<Record<'fr' | 'en', Set<string>>> = {};
  for (const lang of ['fr', 'en'] as const) {
    const f = `locales/${lang}.json`;
    if (!existsSync(path.join(root, f))) continue;
    let data: unknown;
    try {
      data = JSON.parse(readFileSync(path.join(root, f), 'utf8'));
    } catch (e) {
      add(rule, 'error', `not valid JSON: ${(e as Error).message}`, f);
      continue;
    }
    if (!isObject(data)) {
      add(rule, 'error', 'must be an object { "<owner>": { ...strings } } (owner: core, a plugin id, or this theme\'s id)', f);
      continue;
    }
    const set = new Set<string>();
    for (const [owner, dict] of Object.entries(data)) {
      if (!isObject(dict)) {
        add(rule, 'error', `"${owner}" must be an object of strings, e.g. { "core": { "layout": { "poweredBy": "…" } } }`, f);
        continue;
      }
      for (const [k, v] of flatten(dict)) {
        if (typeof v !== 'string') add(rule, 'error', `${owner}:${k} must be a string`, f);
        set.add(`${owner}:${k}`);
      }
      if (!known || owner === themeId) continue;
      const ownerKeys = known.get(owner);
      if (!ownerKeys) add(rule, 'warning', `no installed plugin "${owner}" has strings: these overrides cannot be checked (strings of your own go under "${themeId ?? '<theme id>'}")`, f);
      else {
        const unknown = [...flatten(dict).keys()].filter((k) => !ownerKeys.has(k));
        if (unknown.length) add(rule, 'warning', `${owner} has no string ${list(unknown)}: a typo? (strings of your own go under "${themeId ?? '<theme id>'}")`, f);
      }
    }
    keys[lang] = set;
  }
  const { fr, en } = keys;
  if (fr && !en && !existsSync(path.join(root, 'locales/en.json'))) add(rule, 'warning', 'locales/fr.json has no English counterpart locales/en.json', 'locales/fr.json');
  if (en && !fr && !existsSync(path.join(root, 'locales/fr.json'))) add(rule, 'warning', 'locales/en.json has no French counterpart locales/fr.json', 'locales/en.json');
  if (fr && en) {
    const onlyFr = [...fr].filter((k) => !en.has(k));
    const onlyEn = [...en].filter((k) => !fr.has(k));
    if (onlyFr.length) add(rule, 'warning', `missing in English: ${list(onlyFr)} (English pages keep the original string)`, 'locales/en.json');
    if (onlyEn.length) add(rule, 'warning', `missing in French: ${list(onlyEn)} (French pages keep the original string)`, 'locales/fr.json');
  }
}

function checkAssets(root: string, files: string[], add: Add) {
  for (const f of files.filter((x) => x.startsWith('public/'))) {
    const ext = path.extname(f).toLowerCase();
    if (CODE_EXT.test(f)) continue; // reported by SMILE_THEME_CODE
    if (!ASSET_TYPES.has(ext)) {
      const hint = ext === '.jpeg' ? ' (rename it .jpg)' : '';
      add('SMILE_THEME_ASSETS', 'warning', `"${ext || path.basename(f)}" files are served as application/octet-stream: browsers will not use it${hint}. Expected: ${[...ASSET_TYPES].join(' ')}`, f);
    } else if (statSync(path.join(root, f)).size > ASSET_MAX_BYTES) {
      add('SMILE_THEME_ASSETS', 'warning', 'larger than 1 MB: every visitor downloads it; compress it', f);
    }
  }
}

/** Views, themes and strings of what is installed: core plus the discovered plugins. */
export interface InstalledSnapshot {
  knownViews: Set<string>;
  installedThemes: Set<string>;
  knownStrings: Map<string, Set<string>>;
}

const CORE_DIR = path.resolve(path.dirname(new URL(import.meta.url).pathname), '..', '..');

function viewsOf(owner: string, viewsDir: string, out: Set<string>, rel = '') {
  if (!existsSync(path.join(viewsDir, rel))) return;
  for (const e of readdirSync(path.join(viewsDir, rel), { withFileTypes: true })) {
    const r = rel ? `${rel}/${e.name}` : e.name;
    if (e.isDirectory()) viewsOf(owner, viewsDir, out, r);
    else if (e.name.endsWith('.ejs')) out.add(`${owner}/${r.slice(0, -4)}`);
  }
}

function stringsOf(dir: string): Set<string> {
  const keys = new Set<string>();
  for (const lang of ['fr', 'en']) {
    try {
      const data = readOwnerStrings(dir, lang as Lang);
      if (isObject(data)) for (const k of flatten(data).keys()) keys.add(k);
    } catch {
      // a plugin's broken locales are the plugin's problem
    }
  }
  return keys;
}

/** What `plugins` (and the core) provide; themes contribute their ids only. */
export function snapshotOf(plugins: Pick<DiscoveredPlugin, 'id' | 'dir' | 'manifest'>[]): InstalledSnapshot {
  const knownViews = new Set<string>();
  const knownStrings = new Map<string, Set<string>>([['core', stringsOf(CORE_DIR)]]);
  viewsOf('core', path.join(CORE_DIR, 'views'), knownViews);
  const installedThemes = new Set<string>();
  for (const p of plugins) {
    if (p.manifest.kind === 'theme') {
      installedThemes.add(p.id);
      continue;
    }
    viewsOf(p.id, path.join(p.dir, 'views'), knownViews);
    knownStrings.set(p.id, stringsOf(p.dir));
  }
  return { knownViews, installedThemes, knownStrings };
}

/** Discover the installed plugins (as `smile start` would) and snapshot them. */
export function installedSnapshot(opts: { rootDir: string; extraPaths: string[] }): InstalledSnapshot {
  return snapshotOf(discoverPlugins(opts));
}
