import { createReadStream, existsSync, statSync } from 'node:fs';
import path from 'node:path';
import type Koa from 'koa';
import type { LoadedPlugin } from '../plugins/registry.js';
import { createRequire } from 'node:module';
import { CORE_VERSION } from '../plugins/discovery.js';

const require = createRequire(import.meta.url);
const pkgDir = (name: string) => path.dirname(require.resolve(`${name}/package.json`));
/** Front-end libraries served from node_modules (no CDN), under /assets/core@<version>/vendor/. */
const VENDOR: Record<string, () => string> = {
  'htmx.min.js': () => path.join(pkgDir('htmx.org'), 'dist', 'htmx.min.js'),
  'alpine.min.js': () => path.join(pkgDir('alpinejs'), 'dist', 'cdn.min.js'),
};

const CORE_PUBLIC = path.resolve(path.dirname(new URL(import.meta.url).pathname), '..', '..', 'public');
const TYPES: Record<string, string> = {
  '.js': 'text/javascript; charset=utf-8', '.css': 'text/css; charset=utf-8', '.svg': 'image/svg+xml', '.png': 'image/png',
  '.jpg': 'image/jpeg', '.jpeg': 'image/jpeg', '.webp': 'image/webp', '.gif': 'image/gif', '.woff2': 'font/woff2', '.ico': 'image/x-icon', '.json': 'application/json', '.map': 'application/json',
};

/** URL of an asset: versioned, so it can be cached for a year. */
export function assetUrl(owner: string, version: string, file: string): string {
  return `/assets/${owner}@${version}/${file}`;
}

/**
 * Serves `/assets/<owner>@<version>/<file>` from the owner's `public/` folder (core: core/public).
 * The version in the URL changes with each release, so responses are immutable.
 */
export function serveAssets(plugins: LoadedPlugin[]): Koa.Middleware {
  const roots = new Map<string, { dir: string; version: string }>([['core', { dir: CORE_PUBLIC, version: CORE_VERSION }]]);
  for (const p of plugins) roots.set(p.id, { dir: path.join(p.dir, 'public'), version: p.version });
  return async (koa, next) => {
    if (!koa.path.startsWith('/assets/') || (koa.method !== 'GET' && koa.method !== 'HEAD')) return next();
    const m = /^\/assets\/([a-z0-9-]+)@([^/]+)\/(.+)$/.exec(koa.path);
    const root = m && roots.get(m[1]!);
    if (!m || !root) return next();
    const vendor = m[1] === 'core' && m[3]!.startsWith('vendor/') ? VENDOR[m[3]!.slice(7)] : undefined;
    const file = vendor ? vendor() : path.resolve(root.dir, m[3]!);
    if ((!vendor && !file.startsWith(root.dir + path.sep)) || !existsSync(file) || !statSync(file).isFile()) return next();
    koa.type = TYPES[path.extname(file)] ?? 'application/octet-stream';
    koa.set('Cache-Control', m[2] === root.version ? 'public, max-age=31536000, immutable' : 'no-cache');
    koa.set('X-Content-Type-Options', 'nosniff');
    koa.length = statSync(file).size;
    koa.body = createReadStream(file);
  };
}
