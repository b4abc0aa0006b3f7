import { existsSync, lstatSync, readdirSync, readFileSync, realpathSync } from 'node:fs';
import path from 'node:path';
import semver from 'semver';
import { manifestSchema, SmileError, ErrorCodes } from '@smile/sdk';
import type { PluginManifest } from '@smile/sdk';

/** The kernel's version, against which `engines.smile` ranges are checked. */
export const CORE_VERSION: string = JSON.parse(readFileSync(new URL('../../package.json', import.meta.url), 'utf8')).version;

/** A plugin found on disk, its manifest validated, no code run. */
export interface DiscoveredPlugin {
  manifest: PluginManifest;
  id: string;
  version: string;
  packageName: string;
  dir: string;
  /** Where it was found: `plugins`, `themes`, `node_modules`, or `path`. */
  origin: 'plugins' | 'themes' | 'node_modules' | 'path';
  /** Absolute path of the code entry, or null (a theme without settings code). */
  entry: string | null;
}

function readPackage(dir: string): Record<string, any> | null {
  const file = path.join(dir, 'package.json');
  if (!existsSync(file)) return null;
  try {
    return JSON.parse(readFileSync(file, 'utf8'));
  } catch (e) {
    throw new SmileError(ErrorCodes.MANIFEST_INVALID, `${file} is not valid JSON: ${(e as Error).message}`, { key: file });
  }
}

function findEntry(dir: string, pkg: Record<string, any>, manifest: PluginManifest): string | null {
  const candidates = [manifest.main, 'src/index.ts', typeof pkg.main === 'string' ? pkg.main : undefined, 'index.js'].filter(Boolean) as string[];
  for (const c of candidates) {
    const p = path.join(dir, c);
    if (existsSync(p)) return p;
  }
  if (manifest.main) {
    throw new SmileError(ErrorCodes.MANIFEST_INVALID, `entry "${manifest.main}" does not exist in ${dir}`, { plugin: manifest.id, key: 'smile.main' });
  }
  if (manifest.kind === 'theme') return null;
  throw new SmileError(ErrorCodes.MANIFEST_INVALID, `no code entry found in ${dir} (tried src/index.ts, index.js)`, { plugin: manifest.id, key: 'smile.main' });
}

/** Read and validate one plugin folder's manifest. Returns null when the folder holds no SMILE plugin. */
export function readPlugin(dir: string, origin: DiscoveredPlugin['origin']): DiscoveredPlugin | null {
  const pkg = readPackage(dir);
  if (!pkg || pkg.smile === undefined) return null;
  const parsed = manifestSchema.safeParse(pkg.smile);
  const hint = typeof pkg.smile?.id === 'string' ? pkg.smile.id : (pkg.name ?? dir);
  if (!parsed.success) {
    const issue = parsed.error.issues[0]!;
    // an unknown key is named itself, not its parent object
    const extra = issue.code === 'unrecognized_keys' ? [(issue as { keys: string[] }).keys[0]!] : [];
    throw new SmileError(ErrorCodes.MANIFEST_INVALID, `invalid manifest in ${path.join(dir, 'package.json')}: ${issue.message}`, {
      plugin: hint,
      key: ['smile', ...issue.path, ...extra].join('.'),
    });
  }
  const manifest = parsed.data;
  if (!semver.validRange(manifest.engines.smile)) {
    throw new SmileError(ErrorCodes.PLUGIN_ENGINE, `engines.smile "${manifest.engines.smile}" is not a valid semver range`, { plugin: manifest.id, key: 'smile.engines.smile' });
  }
  for (const [dep, range] of Object.entries(manifest.dependsOn)) {
    if (!semver.validRange(range)) {
      throw new SmileError(ErrorCodes.MANIFEST_INVALID, `dependsOn.${dep} "${range}" is not a valid semver range`, { plugin: manifest.id, key: `smile.dependsOn.${dep}` });
    }
  }
  if (typeof pkg.version !== 'string' || !semver.valid(pkg.version)) {
    throw new SmileError(ErrorCodes.MANIFEST_INVALID, `package.json version "${pkg.version}" is not a semver version`, { plugin: manifest.id, key: 'version' });
  }
  return {
    manifest,
    id: manifest.id,
    version: pkg.version,
    packageName: pkg.name ?? manifest.id,
    dir,
    origin,
    entry: findEntry(dir, pkg, manifest),
  };
}

function subdirs(dir: string): string[] {
  if (!existsSync(dir)) return [];
  return readdirSync(dir, { withFileTypes: true })
    .filter((d) => d.isDirectory() || d.isSymbolicLink())
    .map((d) => path.join(dir, d.name));
}

/** Installed npm packages carrying a manifest. Workspace links are skipped: those are found in their own folders. */
function nodeModulePackages(root: string): string[] {
  const nm = path.join(root, 'node_modules');
  const out: string[] = [];
  for (const d of subdirs(nm)) {
    const base = path.basename(d);
    if (base.startsWith('.')) continue;
    const dirs = base.startsWith('@') ? subdirs(d) : [d];
    for (const p of dirs) {
      if (lstatSync(p).isSymbolicLink()) continue;
      const pj = path.join(p, 'package.json');
      // cheap pre-filter: most packages are not SMILE plugins
      if (existsSync(pj) && readFileSync(pj, 'utf8').includes('"smile"')) out.push(p);
    }
  }
  return out;
}

/**
 * Find every plugin: `plugins/*`, `themes/*`, installed npm packages, and the extra paths
 * (each either a plugin folder or a folder of plugin folders).
 */
export function discoverPlugins(opts: { rootDir: string; extraPaths: string[] }): DiscoveredPlugin[] {
  const found: DiscoveredPlugin[] = [];
  const add = (dir: string, origin: DiscoveredPlugin['origin']) => {
    const p = readPlugin(dir, origin);
    if (p) found.push(p);
  };
  for (const d of subdirs(path.join(opts.rootDir, 'plugins'))) add(d, 'plugins');
  for (const d of subdirs(path.join(opts.rootDir, 'themes'))) add(d, 'themes');
  for (const d of nodeModulePackages(opts.rootDir)) add(d, 'node_modules');
  for (const extra of opts.extraPaths) {
    if (!existsSync(extra)) {
      throw new SmileError(ErrorCodes.CONFIG_INVALID, `plugin path ${extra} does not exist`, { key: 'plugins.paths' });
    }
    if (existsSync(path.join(extra, 'package.json'))) add(extra, 'path');
    else for (const d of subdirs(extra)) add(d, 'path');
  }
  const byId = new Map<string, DiscoveredPlugin>();
  for (const p of found) {
    const prev = byId.get(p.id);
    if (prev && realpathSync(prev.dir) !== realpathSync(p.dir)) {
      throw new SmileError(ErrorCodes.PLUGIN_DUPLICATE, `two plugins have the same id: ${prev.dir} and ${p.dir}`, { plugin: p.id, key: 'smile.id' });
    }
    byId.set(p.id, p);
  }
  return [...byId.values()];
}

/**
 * Check engines and dependencies and return the plugins in dependency order (a plugin after
 * everything it depends on; ties broken by id, so the order is stable).
 */
export function orderPlugins(plugins: DiscoveredPlugin[], coreVersion = CORE_VERSION): DiscoveredPlugin[] {
  const byId = new Map(plugins.map((p) => [p.id, p]));
  for (const p of plugins) {
    if (!semver.satisfies(coreVersion, p.manifest.engines.smile, { includePrerelease: true })) {
      throw new SmileError(ErrorCodes.PLUGIN_ENGINE, `requires SMILE ${p.manifest.engines.smile}, this is ${coreVersion}`, { plugin: p.id, key: 'smile.engines.smile' });
    }
    for (const [dep, range] of Object.entries(p.manifest.dependsOn)) {
      const d = byId.get(dep);
      if (!d) throw new SmileError(ErrorCodes.DEPENDENCY_MISSING, `depends on "${dep}" (${range}), which is not installed or is disabled`, { plugin: p.id, key: `smile.dependsOn.${dep}` });
      if (!semver.satisfies(d.version, range, { includePrerelease: true })) {
        throw new SmileError(ErrorCodes.DEPENDENCY_VERSION, `depends on "${dep}" ${range}, but ${d.version} is installed`, { plugin: p.id, key: `smile.dependsOn.${dep}` });
      }
    }
    if (p.manifest.parent && !byId.has(p.manifest.parent)) {
      throw new SmileError(ErrorCodes.DEPENDENCY_MISSING, `parent theme "${p.manifest.parent}" is not installed`, { plugin: p.id, key: 'smile.parent' });
    }
  }
  const order: DiscoveredPlugin[] = [];
  const state = new Map<string, 'visiting' | 'done'>();
  const visit = (p: DiscoveredPlugin, trail: string[]) => {
    const s = state.get(p.id);
    if (s === 'done') return;
    if (s === 'visiting') {
      const cycle = [...trail.slice(trail.indexOf(p.id)), p.id].join(' → ');
      throw new SmileError(ErrorCodes.DEPENDENCY_CYCLE, `dependency cycle: ${cycle}`, { plugin: p.id, key: 'smile.dependsOn' });
    }
    state.set(p.id, 'visiting');
    const deps = [...Object.keys(p.manifest.dependsOn), ...(p.manifest.parent ? [p.manifest.parent] : [])].sort();
    for (const dep of deps) visit(byId.get(dep)!, [...trail, p.id]);
    state.set(p.id, 'done');
    order.push(p);
  };
  for (const p of [...plugins].sort((a, b) => a.id.localeCompare(b.id))) visit(p, []);
  return order;
}
