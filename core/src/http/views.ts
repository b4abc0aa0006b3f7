import { existsSync, readFileSync } from 'node:fs';
import path from 'node:path';
import ejs from 'ejs';
import { SmileError, ErrorCodes } from '@smile/sdk';
import type { LoadedPlugin } from '../plugins/registry.js';

/** A compiled template: locals → HTML. */
type TemplateFn = (locals: Record<string, unknown>) => string | Promise<string>;

const CORE_VIEWS = path.resolve(path.dirname(new URL(import.meta.url).pathname), '..', '..', 'views');

/**
 * Finds `<plugin-id>/<view>` templates: the active theme's overrides, its parent's, the plugin's
 * own `views/`, then core. Compiled templates are cached per resolved file.
 */
export class Views {
  private resolved = new Map<string, string>();
  private compiled = new Map<string, TemplateFn>();

  constructor(private plugins: LoadedPlugin[], private cache: boolean) {}

  private themeChain(themeId: string): LoadedPlugin[] {
    const chain: LoadedPlugin[] = [];
    let t = this.plugins.find((p) => p.id === themeId && p.manifest.kind === 'theme');
    while (t && chain.length < 10) {
      chain.push(t);
      t = t.manifest.parent ? this.plugins.find((p) => p.id === t!.manifest.parent) : undefined;
    }
    return chain;
  }

  /** Absolute path of the template for `name` (`<owner>/<view>`) under theme `themeId`. */
  resolve(name: string, themeId: string): string {
    const key = `${themeId}\u0000${name}`;
    const hit = this.resolved.get(key);
    if (hit) return hit;
    const [owner, ...rest] = name.split('/');
    const view = rest.join('/');
    if (!owner || !view || view.includes('..')) throw new SmileError(ErrorCodes.INTERNAL, `bad view name "${name}"`);
    const candidates = [
      ...this.themeChain(themeId).map((t) => path.join(t.dir, 'overrides', owner, `${view}.ejs`)),
      ...(owner === 'core' ? [path.join(CORE_VIEWS, `${view}.ejs`)] : this.plugins.filter((p) => p.id === owner).map((p) => path.join(p.dir, 'views', `${view}.ejs`))),
    ];
    const found = candidates.find((c) => existsSync(c));
    if (!found) throw new SmileError(ErrorCodes.INTERNAL, `view "${name}" not found (looked in ${candidates.join(', ')})`);
    if (this.cache) this.resolved.set(key, found);
    return found;
  }

  async render(name: string, themeId: string, locals: Record<string, unknown>): Promise<string> {
    const file = this.resolve(name, themeId);
    const data = { ...locals, include: (child: string, extra: Record<string, unknown> = {}) => this.render(child, themeId, { ...locals, ...extra }) };
    // Compiled once per template and set of local names, which become plain variables
    // (destructured) instead of a `with (locals)` block that V8 runs several times slower.
    const names = Object.keys(locals).filter((k) => k !== 'include' && /^[A-Za-z_$][\w$]*$/.test(k));
    const key = `${file}\u0000${names.join(',')}`;
    let fn = this.cache ? this.compiled.get(key) : undefined;
    if (!fn) {
      // our theme-aware include replaces EJS's file include (a parameter of the compiled function);
      // the prefix adds no line, so error line numbers stay right
      const src = `<% include = locals.include; %>${readFileSync(file, 'utf8')}`;
      // line tracking only while editing templates (cache off): it costs a lot on every render;
      // async templates are slower too: only those that await (e.g. `await include`) get one
      const opts = { filename: file, compileDebug: !this.cache, _with: false, destructuredLocals: names };
      fn = (/\bawait\b/.test(src) ? ejs.compile(src, { ...opts, async: true }) : ejs.compile(src, opts)) as TemplateFn;
      if (this.cache) this.compiled.set(key, fn);
    }
    return fn(data);
  }
}
