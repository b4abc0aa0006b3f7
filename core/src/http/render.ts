import { existsSync } from 'node:fs';
import path from 'node:path';
import type Koa from 'koa';
import type { Flash, Institution, LayoutParts, NavItem, Principal } from '@smile/sdk';
import type { Platform } from '../platform.js';
import type { LoadedPlugin } from '../plugins/registry.js';
import { CORE_VERSION } from '../plugins/discovery.js';
import { Views } from './views.js';
import { Strings, LANGS, formatters, type Lang } from './i18n.js';
import { assetUrl } from './assets.js';

export const FLASH_COOKIE = 'smile_flash';
export const FALLBACK_THEME = 'base';

/** The request state the renderer reads (set by the app's middleware). */
export interface RenderState {
  requestId: string;
  institution: Institution;
  principal: Principal;
  language: Lang;
  csrf?: string;
}

interface ThemeInfo {
  id: string;
  chain: LoadedPlugin[];
  css: string[];
  logo: string | null;
}

/**
 * Renders pages: a view inside the layout of the institution's theme, or the view alone for htmx
 * partial requests. A theme whose templates fail falls back to the base theme; the failure is kept
 * for the admin pages and logged.
 */
export class Renderer {
  readonly views: Views;
  readonly strings: Strings;
  /** Theme id → last render error, shown to admins. */
  readonly themeErrors = new Map<string, { message: string; at: Date; view?: string }>();
  private themes = new Map<string, ThemeInfo>();

  constructor(private p: Platform) {
    const cache = p.config.production || process.env.SMILE_VIEW_CACHE !== '0';
    this.views = new Views(p.plugins, cache);
    const themePlugins = p.plugins.filter((x) => x.manifest.kind === 'theme');
    for (const t of themePlugins) {
      const chain: LoadedPlugin[] = [];
      for (let cur: LoadedPlugin | undefined = t; cur && chain.length < 10; cur = p.plugins.find((x) => x.id === cur!.manifest.parent)) chain.push(cur);
      const css = [...chain].reverse().filter((c) => existsSync(path.join(c.dir, 'public', 'theme.css'))).map((c) => assetUrl(c.id, c.version, 'theme.css'));
      const logoOwner = chain.find((c) => existsSync(path.join(c.dir, 'public', 'logo.svg')));
      this.themes.set(t.id, { id: t.id, chain, css, logo: logoOwner ? assetUrl(logoOwner.id, logoOwner.version, 'logo.svg') : null });
    }
    this.strings = new Strings(
      [{ id: 'core', dir: path.resolve(path.dirname(new URL(import.meta.url).pathname), '..', '..') }, ...p.plugins],
      [...this.themes.values()].map((t) => ({ id: t.id, dirs: t.chain.map((c) => c.dir) })),
      (key, lang) => p.log.warn({ key, lang }, 'missing translation'),
    );
  }

  /** Navigation entries for this user, in weight order. */
  nav(inst: Institution, principal: Principal, lang: Lang, currentPath: string): NavItem[] {
    // the entries depend on the permission set (one object per principal), the institution's
    // enabled plugins and the language: computed once per combination, only `current` per request
    let byKey = this.navCache.get(principal.permissions);
    if (!byKey) this.navCache.set(principal.permissions, (byKey = new Map()));
    const key = `${inst.id}\u0000${lang}\u0000${JSON.stringify(inst.plugins)}`;
    let items = byKey.get(key);
    if (!items) {
      items = this.p.registry.nav
        .filter(({ plugin, def }) => this.p.isEnabled(plugin, inst) && (!def.permission || principal.permissions.has(def.permission)))
        .map(({ plugin, def }) => ({ plugin, href: def.href, label: def.label[lang], area: def.area, weight: def.weight }))
        .sort((a, b) => a.weight - b.weight);
      byKey.set(key, items);
    }
    return items.map((n) => ({ ...n, current: currentPath === n.href || (n.href !== '/' && currentPath.startsWith(`${n.href}/`)) }));
  }

  private navCache = new WeakMap<ReadonlySet<string>, Map<string, NavItem[]>>();
  private tFns = new Map<string, (key: string, vars?: Record<string, string | number>) => string>();
  private readonly vendor = {
    htmx: assetUrl('core', CORE_VERSION, 'vendor/htmx.min.js'),
    alpine: assetUrl('core', CORE_VERSION, 'vendor/alpine.min.js'),
  };

  /** The `t` function of a language and theme (one per pair, not one per request). */
  private tFor(lang: Lang, themeId: string) {
    const k = `${lang}\u0000${themeId}`;
    let t = this.tFns.get(k);
    if (!t) this.tFns.set(k, (t = (key: string, vars?: Record<string, string | number>) => this.strings.t(lang, key, vars, themeId)));
    return t;
  }

  /** Take (and clear) the flash message left by the previous request. */
  private takeFlash(koa: Koa.Context): Flash | null {
    if (!koa.get('cookie').includes(FLASH_COOKIE)) return null;
    const raw = koa.cookies.get(FLASH_COOKIE);
    if (!raw) return null;
    koa.cookies.set(FLASH_COOKIE, null, { httpOnly: true, sameSite: 'lax', overwrite: true });
    try {
      const f = JSON.parse(Buffer.from(raw, 'base64url').toString('utf8')) as Flash;
      return ['success', 'info', 'warning', 'error'].includes(f.type) && typeof f.message === 'string' ? f : null;
    } catch {
      return null;
    }
  }

  static setFlash(koa: Koa.Context, flash: Flash) {
    koa.cookies.set(FLASH_COOKIE, Buffer.from(JSON.stringify(flash)).toString('base64url'), { httpOnly: true, sameSite: 'lax', overwrite: true, maxAge: 5 * 60 * 1000 });
  }

  /** Render `view` for this request and set it as the response. */
  async page(koa: Koa.Context, view: string, locals: Record<string, unknown>, status = 200): Promise<void> {
    const st = koa.state as RenderState;
    const inst = st.institution;
    const wanted = inst && this.themes.has(inst.theme) ? inst.theme : FALLBACK_THEME;
    if (inst && wanted !== inst.theme && !this.themeErrors.has(inst.theme)) {
      this.themeErrors.set(inst.theme, { message: `theme "${inst.theme}" is not installed`, at: new Date() });
    }
    try {
      await this.renderWith(koa, wanted, view, locals, status);
      // a fixed theme is no longer reported (after a restart, or with SMILE_VIEW_CACHE=0)
      if (wanted === inst?.theme && this.themeErrors.get(wanted)?.view === view) this.themeErrors.delete(wanted);
    } catch (e) {
      if (wanted === FALLBACK_THEME) throw e;
      this.themeErrors.set(wanted, { message: (e as Error).message, at: new Date(), view });
      this.p.log.error({ theme: wanted, view, err: String(e) }, 'theme failed to render; falling back to the base theme');
      await this.renderWith(koa, FALLBACK_THEME, view, locals, status);
    }
  }

  private async renderWith(koa: Koa.Context, themeId: string, view: string, locals: Record<string, unknown>, status: number) {
    const st = koa.state as RenderState;
    const lang = st.language ?? 'fr';
    const inst = st.institution;
    const principal = st.principal;
    const theme = this.themes.get(themeId);
    const t = this.tFor(lang, themeId);
    // the language links keep the page's other parameters (a filtered list stays filtered)
    const langHref = (l: string) => {
      const q = new URLSearchParams(koa.querystring);
      q.set('lang', l);
      return `${koa.path}?${q.toString()}`;
    };
    const base = {
      coreVersion: CORE_VERSION, t, lang, langs: LANGS, langHref, institution: inst, requestId: st.requestId, csrfToken: st.csrf ?? '',
      path: koa.path, principal, ...formatters(lang),
    };
    const nav = this.nav(inst, principal, lang, koa.path);
    const body = await this.views.render(view, themeId, { ...base, nav, ...locals });
    koa.vary('HX-Request');
    koa.status = status;
    koa.type = 'html';
    const partial = koa.get('HX-Request') === 'true' && koa.get('HX-Request-Type') !== 'full';
    if (partial) {
      koa.body = body;
      return;
    }
    let parts: LayoutParts = { head: [], beforeMain: [], afterMain: [], foot: [] };
    parts = await this.p.hooks.transformLayout.promise(parts, { institution: inst, language: lang, path: koa.path, permissions: principal.permissions, view });
    const settings = theme ? this.p.settingsFor(themeId, inst) : {};
    koa.body = await this.views.render('core/layout', themeId, {
      ...base,
      body,
      title: locals.title ?? '',
      parts,
      nav,
      flash: this.takeFlash(koa),
      theme: { id: themeId, css: theme?.css ?? [], logo: (settings.logoUrl as string | undefined) || theme?.logo || null, settings },
      vendor: this.vendor,
    });
  }
}
