import path from 'node:path';
import { pathToFileURL } from 'node:url';
import type { Server } from 'node:http';
import { asFunction, asValue, createContainer, Lifetime, type AwilixContainer } from 'awilix';
import { SmileError, ErrorCodes, coreServices, createCoreHooks, isSmilePlugin } from '@smile/sdk';
import type { BootstrapContext, CoreHooks, Logger, ServiceRef, InstanceConfig } from '@smile/sdk';
import { loadConfig, type SmileConfig } from './config.js';
import { createLogger, redactUrl } from './logger.js';
import { openDatabase, type DatabaseHandle } from './db/database.js';
import { migrateUp, migrationStatus, type MigrationSource } from './db/migrator.js';
import { discoverPlugins, orderPlugins, type DiscoveredPlugin } from './plugins/discovery.js';
import { Registry, type LoadedPlugin } from './plugins/registry.js';
import { InProcessQueue } from './jobs/in-process.js';
import { BullMqQueue } from './jobs/bullmq.js';
import type { JobQueueAdapter } from './jobs/types.js';
import { createEventBus, EVENT_JOB } from './events.js';
import { Outbox, MAIL_SEND_JOB, MAIL_SWEEP_JOB } from './mail/outbox.js';
import { Institutions } from './institutions.js';
import { CORE_PERMISSIONS, registerCoreRoutes } from './core-plugin.js';
import { createPlatformAdmin } from './admin.js';
import { AuditLogImpl } from './access/audit.js';
import { DbKeyValueStore, RedisKeyValueStore } from './access/kv.js';
import { RolesService } from './access/roles.js';
import { IdentityService } from './access/identity.js';
import { Invalidations } from './db/invalidations.js';
import { DbSessionStore, RedisSessionStore, sessionIdOf, type SessionStore, type SessionTimeouts } from './http/sessions.js';

export interface PlatformOptions {
  /** A loaded config; by default `loadConfig()` (file + env). */
  config?: SmileConfig;
  /** Keep only these plugins (and what they depend on). Tests use it. */
  only?: string[];
  /** Keep the embedded database in memory (tests). */
  memory?: boolean;
  /** `auto` applies pending migrations at boot; `check` refuses to boot when some are pending. */
  migrate?: 'auto' | 'check';
  /** Run job workers in this process (default true). */
  workers?: boolean;
  logger?: Logger;
  /** Prefix of BullMQ keys (tests isolate themselves with a unique one). */
  jobsPrefix?: string;
  /** Seed the demo institution when the database has none (default: config.demo). */
  demo?: boolean;
}

const CORE_MIGRATIONS = path.resolve(path.dirname(new URL(import.meta.url).pathname), '..', 'migrations');

/**
 * The running platform. `Platform.boot()` goes through discover → register → migrate →
 * bootstrap; `listen()` makes it ready; `stop()` destroys in reverse order. Any failure before
 * ready undoes what was started and rethrows a coded error naming the plugin.
 */
export class Platform {
  readonly hooks: CoreHooks = createCoreHooks();
  readonly registry = new Registry(this.hooks);
  readonly container: AwilixContainer;
  plugins: LoadedPlugin[] = [];
  db!: DatabaseHandle;
  jobs!: JobQueueAdapter;
  mailer!: Outbox;
  institutions!: Institutions;
  server?: Server;
  roles!: RolesService;
  identity!: IdentityService;
  sessions!: SessionStore;
  /** Cache invalidation between the processes sharing a database server. */
  invalidations!: Invalidations;
  kv!: DbKeyValueStore | RedisKeyValueStore;
  sessionTimeouts!: SessionTimeouts;
  /** The page renderer, once the HTTP app is built (theme errors for the admin pages). */
  renderer?: import('./http/render.js').Renderer;
  private bootstrapped: LoadedPlugin[] = [];
  private cleanups: (() => Promise<void> | void)[] = [];
  private httpHandler?: (req: any, res: any) => void;

  private constructor(readonly config: SmileConfig, readonly log: Logger, private opts: PlatformOptions) {
    this.container = createContainer({ strict: true });
  }

  static async boot(opts: PlatformOptions = {}): Promise<Platform> {
    const p = await Platform.prepare(opts);
    try {
      await p.migratePhase();
      await p.ensureInstitution();
      await p.bootstrapPhase();
      return p;
    } catch (e) {
      await p.stop().catch(() => undefined);
      throw e;
    }
  }

  /**
   * Discover, register and open the database and queue, without migrating or bootstrapping:
   * what `smile migrate` and `smile plugins list` need.
   */
  static async prepare(opts: PlatformOptions = {}): Promise<Platform> {
    const config = opts.config ?? loadConfig();
    const log = opts.logger ?? createLogger(config.logLevel);
    const p = new Platform(config, log, opts);
    try {
      await p.discoverAndLoad();
      p.registerPhase();
      await p.openServices();
      return p;
    } catch (e) {
      await p.stop().catch(() => undefined);
      throw e;
    }
  }

  /** Read manifests, order by dependencies, import code, validate settings. */
  private async discoverAndLoad() {
    const c = this.config;
    let found = discoverPlugins({ rootDir: c.rootDir, extraPaths: c.plugins.paths });
    const known = new Set(found.map((p) => p.id));
    for (const id of [...c.plugins.disabled, ...Object.keys(c.plugins.settings)]) {
      if (!known.has(id)) throw new SmileError(ErrorCodes.PLUGIN_UNKNOWN, `the configuration names plugin "${id}", which is not installed`, { plugin: id, key: c.plugins.disabled.includes(id) ? 'plugins.disabled' : `plugins.settings.${id}` });
    }
    found = found.filter((p) => !c.plugins.disabled.includes(p.id));
    if (this.opts.only) found = closure(found, this.opts.only);
    const ordered = orderPlugins(found);
    for (const d of ordered) this.plugins.push(await loadPlugin(d, c.plugins.settings[d.id] ?? {}));
    this.log.info({ plugins: this.plugins.map((p) => `${p.id}@${p.version}`) }, 'plugins discovered');
  }

  private registerPhase() {
    this.registry.declarePermissions('core', CORE_PERMISSIONS);
    registerCoreRoutes(this);
    for (const p of this.plugins) {
      this.registry.declarePermissions(p.id, p.code?.permissions);
      if (!p.code?.register) continue;
      const deps = new Set(Object.keys(p.manifest.dependsOn));
      try {
        const r: unknown = p.code.register(this.registry.api(p, deps));
        if (r && typeof (r as any).then === 'function') {
          throw new SmileError(ErrorCodes.PLUGIN_REGISTER, 'register() must be synchronous (no I/O): move async work to bootstrap()', { plugin: p.id, key: 'register' });
        }
      } catch (e) {
        if (e instanceof SmileError) throw e;
        throw new SmileError(ErrorCodes.PLUGIN_REGISTER, `register() threw: ${(e as Error).message}`, { plugin: p.id, key: 'register', cause: e });
      }
    }
    this.registry.validate(this.plugins.map((p) => p.id));
  }

  private async openServices() {
    const c = this.config;
    this.db = await openDatabase({ databaseUrl: c.databaseUrl, dataDir: c.dataDir, memory: this.opts.memory });
    this.cleanups.push(() => this.db.close());
    this.log.info({ database: this.db.description }, 'database open');
    this.jobs = c.redisUrl ? new BullMqQueue(c.redisUrl, this.log, this.opts.jobsPrefix) : new InProcessQueue(this.log);
    this.cleanups.push(() => this.jobs.stop());
    this.log.info({ jobs: this.jobs.kind, redis: redactUrl(c.redisUrl) }, 'job queue');
    this.mailer = new Outbox(this.db.knex, this.jobs, this.hooks, this.log, c.smtp);
    this.cleanups.push(() => this.mailer.close());
    this.institutions = new Institutions(this.db.knex);
    const events = createEventBus(this.registry, this.jobs, this.log);
    const instanceConfig: InstanceConfig = Object.freeze({
      port: c.port, host: c.host, dataDir: c.dataDir, demo: c.demo, production: c.production,
      baseUrl: c.baseUrl ?? `http://localhost:${c.port}`,
    });
    const reg = (ref: ServiceRef<unknown>, value: unknown) => this.container.register(ref.id, asValue(value));
    reg(coreServices.logger, this.log);
    reg(coreServices.database, this.db);
    reg(coreServices.jobs, this.jobs);
    reg(coreServices.events, events);
    reg(coreServices.mailer, this.mailer);
    reg(coreServices.config, instanceConfig);
    reg(coreServices.platformAdmin, createPlatformAdmin(this));
    reg(coreServices.institutions, {
      all: () => this.institutions.all(),
      byCode: (code: string) => this.institutions.byCode(code),
      byId: async (id: number) => (await this.institutions.all()).find((i) => i.id === id),
    });
    const perms = [...this.registry.permissions].map(([name, { plugin, def }]) => ({ name, plugin, description: def.description, defaultRoles: def.defaultRoles ?? [] }));
    reg(coreServices.permissions, { all: () => perms });
    await this.openAccess(perms);
    for (const [id, { def, ref }] of this.registry.providers) {
      const depRefs = Object.entries(def.deps ?? {}) as [string, ServiceRef<unknown>][];
      this.container.register(
        id,
        asFunction((cradle: Record<string, unknown>) => def.factory(Object.fromEntries(depRefs.map(([k, r]) => [k, cradle[r.id]]))), {
          lifetime: ref.scope === 'request' ? Lifetime.SCOPED : Lifetime.SINGLETON,
          dispose: def.dispose as any,
        }),
      );
    }
    this.cleanups.push(() => this.container.dispose());
    this.registry.resolver = (id) => this.container.resolve(id);
    this.registry.settingsResolver = (plugin, inst) => this.settingsFor(plugin, inst);
    this.registry.enabledFor = (plugin, inst) => this.isEnabled(plugin, inst);
    this.defineCoreJobs();
  }

  /** Audit log, key-value store, sessions, roles and identity: Redis-backed when `REDIS_URL` is set. */
  private async openAccess(perms: import('@smile/sdk').PermissionInfo[]) {
    const c = this.config;
    this.sessionTimeouts = { idleMs: c.sessions.idleMinutes * 60_000, absoluteMs: c.sessions.absoluteHours * 3_600_000 };
    const audit = new AuditLogImpl(this.db.knex);
    // on a server, other processes change sessions and roles too: they announce it (caches stay current)
    this.invalidations = new Invalidations(this.db.embedded ? undefined : c.databaseUrl, this.log);
    await this.invalidations.start();
    this.cleanups.push(() => this.invalidations.stop());
    if (c.redisUrl) {
      const { Redis } = await import('ioredis');
      const redis = new Redis(c.redisUrl, { maxRetriesPerRequest: 2, lazyConnect: true });
      await redis.connect();
      this.cleanups.push(() => void redis.disconnect());
      const prefix = `${this.opts.jobsPrefix ?? 'smile'}:`;
      this.kv = new RedisKeyValueStore(redis, prefix);
      this.sessions = new RedisSessionStore(redis, prefix, this.sessionTimeouts, this.invalidations, this.db.knex);
    } else {
      this.kv = new DbKeyValueStore(this.db.knex);
      this.sessions = new DbSessionStore(this.db.knex, this.sessionTimeouts, this.invalidations);
    }
    const schac = async (id: number) => (await this.institutions.all()).find((i) => i.id === id)?.schacCode ?? null;
    // current while changes are heard (always, on the embedded database); at most 5 s old otherwise
    this.roles = new RolesService(this.db.knex, audit, () => perms, schac, 5000, this.invalidations);
    this.identity = new IdentityService(this.db.knex, this.roles, audit, () => this.sessions, this.hooks, this.log);
    this.institutions.onCreated = (inst) => this.roles.sync(inst.id);
    const reg = (ref: ServiceRef<unknown>, value: unknown) => this.container.register(ref.id, asValue(value));
    reg(coreServices.audit, audit);
    reg(coreServices.kv, this.kv);
    reg(coreServices.roles, this.roles);
    reg(coreServices.identity, this.identity);
  }

  /** Test support: a new person holding `roles` and a signed-in session (see `TestPlatform.signIn`). */
  async testSignIn(o: { institution: import('@smile/sdk').Institution; roles: Array<string | { role: string; components: string[] }>; displayName?: string; email?: string }) {
    const { randomBytes } = await import('node:crypto');
    const person = await this.identity.createPerson({ displayName: o.displayName ?? `Test ${o.roles.map((r) => (typeof r === 'string' ? r : r.role)).join('+') || 'nobody'}`, email: o.email ?? null });
    const actor = { institutionId: o.institution.id, label: 'test' };
    await this.db.knex('institution_people').insert({ institution_id: o.institution.id, person_id: person.id }).onConflict(['institution_id', 'person_id']).ignore();
    for (const r of o.roles) {
      if (typeof r === 'string') await this.roles.assign(actor, person.id, r);
      else {
        for (const code of r.components) {
          await this.db.knex('components').insert({ institution_id: o.institution.id, code, name_fr: code, name_en: code }).onConflict(['institution_id', 'code']).ignore();
        }
        await this.roles.assign(actor, person.id, r.role, r.components);
      }
    }
    const token = randomBytes(32).toString('base64url');
    await this.sessions.create({
      id: sessionIdOf(token), institution_id: o.institution.id, person_id: person.id,
      data: { personId: person.id, label: person.displayName, provider: 'test', signedInAt: new Date().toISOString() },
      expires_at: new Date(Date.now() + this.sessionTimeouts.absoluteMs),
    });
    const csrf = randomBytes(16).toString('hex');
    return { cookie: `smile_sid=${token}; smile_csrf=${csrf}`, csrf, personId: person.id };
  }

  private defineCoreJobs() {
    const jobCtx = (attempt: number) => ({ log: this.log, attempt, resolve: <T>(r: ServiceRef<T>) => this.resolve(r) });
    this.jobs.define({ name: MAIL_SEND_JOB, handler: async () => {}, attempts: 1, concurrency: 2 }, (d) => this.mailer.send(Number(d.id)));
    this.jobs.define({ name: MAIL_SWEEP_JOB, handler: async () => {}, cron: '* * * * *', attempts: 1 }, async () => void (await this.mailer.sweep()));
    this.jobs.define({ name: EVENT_JOB, handler: async () => {}, attempts: 5, concurrency: 4 }, async (d, attempt) => {
      const sub = this.registry.subscribers.find((s) => s.key === d.key);
      if (!sub) return;
      await sub.def.handler(d.payload, { ...jobCtx(attempt), institutionId: d.institutionId, event: d.event });
    });
    this.jobs.define({ name: 'core.sessions.purge', handler: async () => {}, cron: '17 * * * *', attempts: 1 }, async () => {
      await this.sessions.purge();
      if (this.kv instanceof DbKeyValueStore) await this.kv.purge();
    });
    for (const { def } of this.registry.jobs.values()) {
      this.jobs.define(def, (data, attempt) => def.handler(data, jobCtx(attempt)));
    }
  }

  /** Migration sources in dependency order: core first, then each plugin's `migrations/`. */
  migrationSources(): MigrationSource[] {
    return [{ owner: 'core', dir: CORE_MIGRATIONS }, ...this.plugins.map((p) => ({ owner: p.id, dir: path.join(p.dir, 'migrations') }))];
  }

  async migratePhase() {
    const sources = this.migrationSources();
    if ((this.opts.migrate ?? 'auto') === 'auto') {
      await migrateUp(this.db.knex, sources, (m) => this.log.info(m));
    } else {
      const pending = (await migrationStatus(this.db.knex, sources)).filter((m) => !m.applied);
      if (pending.length) {
        throw new SmileError(ErrorCodes.MIGRATIONS_PENDING, `${pending.length} migration(s) pending, first ${pending[0]!.name}: run "smile migrate up"`, { plugin: pending[0]!.owner, key: pending[0]!.name });
      }
    }
    for (const p of this.plugins) {
      await this.db.knex('plugins')
        .insert({ id: p.id, version: p.version, kind: p.manifest.kind, state: 'installed' })
        .onConflict('id')
        .merge({ version: p.version, kind: p.manifest.kind, updated_at: this.db.knex.fn.now() });
    }
  }

  /** A fresh install gets one institution, so a single-institution install needs no setup. */
  private async ensureInstitution() {
    if ((await this.institutions.all()).length > 0) return;
    const demo = this.opts.demo ?? this.config.demo;
    const inst = await this.institutions.create(
      demo
        ? { code: 'demo', nameFr: 'Université de démonstration', nameEn: 'Demonstration University', schacCode: 'demo.smile.example', erasmusCode: 'F DEMO01', country: 'FR' }
        : { code: 'default', nameFr: 'Mon établissement', nameEn: 'My institution', country: 'FR' },
    );
    if (demo) this.pendingDemoSeed = inst.id;
  }

  private pendingDemoSeed: number | null = null;

  private async bootstrapPhase() {
    // every institution's roles exist and every declared privilege reached its default roles
    for (const inst of await this.institutions.all()) await this.roles.sync(inst.id);
    for (const p of this.plugins) {
      if (!p.code?.bootstrap) {
        this.bootstrapped.push(p);
        continue;
      }
      const ctx: BootstrapContext<any> = {
        id: p.id, settings: p.settings, log: this.log.child({ plugin: p.id }), db: this.db, jobs: this.jobs,
        events: this.resolve(coreServices.events), mailer: this.mailer, resolve: (ref) => this.resolve(ref),
      };
      try {
        await p.code.bootstrap(ctx);
        this.bootstrapped.push(p);
      } catch (e) {
        await this.db.knex('plugins').where({ id: p.id }).update({ state: 'failed', last_error: String((e as Error).message).slice(0, 2000) }).catch(() => undefined);
        throw new SmileError(ErrorCodes.PLUGIN_BOOTSTRAP, `bootstrap() failed: ${(e as Error).message}`, { plugin: p.id, key: 'bootstrap', cause: e });
      }
    }
    await this.db.knex('plugins').whereIn('id', this.plugins.map((p) => p.id)).update({ state: 'active', last_error: null });
    if (this.pendingDemoSeed !== null) {
      const inst = (await this.institutions.all()).find((i) => i.id === this.pendingDemoSeed)!;
      await this.seed(inst, 'demo');
      this.pendingDemoSeed = null;
      this.log.info({ institution: inst.code }, 'demo data seeded');
    }
  }

  /** Run the `seedDemo` hook for one institution, in one transaction. */
  async seed(inst: import('@smile/sdk').Institution, size: 'demo' | number): Promise<void> {
    await this.db.knex.transaction(async (trx) => {
      await this.hooks.seedDemo.promise({ institution: inst, size, db: this.db.forInstitution(inst.id, trx) });
    });
  }

  /** Wait until queued jobs have run (tests; in-process queue drains, BullMQ is polled). */
  async drainJobs(): Promise<void> {
    if (this.jobs instanceof InProcessQueue) return this.jobs.drain();
    for (let i = 0; i < 200; i++) {
      const s = Object.values(await this.jobs.stats());
      if (s.every((c) => c.waiting === 0 && c.active === 0)) return;
      await new Promise((r) => setTimeout(r, 50));
    }
  }

  /** Resolve a service ref from the root container (singletons). */
  resolve<T>(ref: ServiceRef<T>): T {
    return this.container.resolve(ref.id) as T;
  }

  /** Is `plugin` enabled for institution `inst`? (`core` always is.) */
  isEnabled(plugin: string, inst: { plugins: Record<string, boolean> }): boolean {
    if (plugin === 'core') return true;
    const p = this.plugins.find((x) => x.id === plugin);
    if (!p) return false;
    return inst.plugins[plugin] ?? p.manifest.defaultEnabled;
  }

  /**
   * Settings of `plugin` for an institution: instance settings with the institution's overrides,
   * validated by the plugin's schema. Invalid overrides are ignored (and logged): the instance
   * settings apply.
   */
  settingsFor(plugin: string, inst: { code?: string; settings: Record<string, Record<string, unknown>> }): Record<string, unknown> {
    // a theme without settings code uses its parent's schema and defaults
    let p = this.plugins.find((x) => x.id === plugin);
    for (let i = 0; p && !p.settingsSchema && p.manifest.parent && i < 10; i++) p = this.plugins.find((x) => x.id === p!.manifest.parent);
    const base = p?.settings ?? {};
    const over = inst.settings[plugin];
    if (!over || Object.keys(over).length === 0) return base;
    // route handlers ask on every request: validate each stored override once (a changed institution is a new object)
    const known = this.settingsCache.get(over);
    if (known) return known;
    const merged = { ...base, ...over };
    if (!p?.settingsSchema) return {};
    const r = p.settingsSchema.safeParse(merged);
    const out = r.success ? (r.data as Record<string, unknown>) : base;
    if (!r.success) this.log.warn({ plugin, institution: inst.code, key: r.error.issues[0]?.path.join('.') }, 'invalid institution settings ignored');
    this.settingsCache.set(over, out);
    return out;
  }

  /** Validated settings per stored override object (dropped with the institution record it belongs to). */
  private readonly settingsCache = new WeakMap<object, Record<string, unknown>>();

  /** The Koa request handler (built once). */
  async handler() {
    if (!this.httpHandler) {
      const { createHttpApp } = await import('./http/app.js');
      this.httpHandler = (await createHttpApp(this)).callback();
    }
    return this.httpHandler;
  }

  /** Start workers and the HTTP server. */
  async listen(opts: { port?: number; host?: string; http?: boolean } = {}): Promise<{ port: number }> {
    await this.jobs.start({ workers: this.opts.workers ?? true });
    await this.hooks.afterBootstrap.promise();
    if (opts.http === false) return { port: 0 };
    const handler = await this.handler();
    const { createServer } = await import('node:http');
    const server = createServer(handler);
    this.server = server;
    await new Promise<void>((resolve, reject) => {
      server.once('error', reject);
      server.listen(opts.port ?? this.config.port, opts.host ?? this.config.host, () => resolve());
    });
    const addr = server.address();
    const port = typeof addr === 'object' && addr ? addr.port : 0;
    this.log.info({ port, url: this.config.baseUrl ?? `http://localhost:${port}` }, 'SMILE is ready');
    return { port };
  }

  /** Stop: HTTP server, hooks, plugins' destroy (reverse order), services. Safe to call twice. */
  async stop(): Promise<void> {
    if (this.server) {
      const s = this.server;
      this.server = undefined;
      await new Promise<void>((r) => s.close(() => r()));
      s.closeAllConnections?.();
    }
    // no job may run against services that are being destroyed
    await this.jobs?.stop().catch((e) => this.log.error({ err: String(e) }, 'stopping jobs failed'));
    if (this.bootstrapped.length || this.cleanups.length) await this.hooks.beforeShutdown.promise().catch((e) => this.log.error({ err: String(e) }, 'beforeShutdown failed'));
    for (const p of this.bootstrapped.splice(0).reverse()) {
      try {
        await p.code?.destroy?.();
      } catch (e) {
        this.log.error({ plugin: p.id, err: String(e) }, `${ErrorCodes.PLUGIN_DESTROY}: destroy() failed`);
      }
    }
    for (const c of this.cleanups.splice(0).reverse()) {
      try {
        await c();
      } catch (e) {
        this.log.error({ err: String(e) }, 'shutdown step failed');
      }
    }
  }
}

/** Keep `ids` and everything they depend on (or inherit from). */
function closure(all: DiscoveredPlugin[], ids: string[]): DiscoveredPlugin[] {
  const byId = new Map(all.map((p) => [p.id, p]));
  const keep = new Set<string>();
  const add = (id: string) => {
    if (keep.has(id)) return;
    const p = byId.get(id);
    if (!p) throw new SmileError(ErrorCodes.PLUGIN_UNKNOWN, `plugin "${id}" is not installed`, { plugin: id, key: 'only' });
    keep.add(id);
    for (const d of Object.keys(p.manifest.dependsOn)) if (byId.has(d)) add(d);
    if (p.manifest.parent) add(p.manifest.parent);
  };
  ids.forEach(add);
  return all.filter((p) => keep.has(p.id));
}

/** Import a plugin's code and validate its settings. */
async function loadPlugin(d: DiscoveredPlugin, rawSettings: Record<string, unknown>): Promise<LoadedPlugin> {
  let code: any = null;
  if (d.entry) {
    try {
      const mod = await import(pathToFileURL(d.entry).href);
      code = mod.default;
    } catch (e) {
      throw new SmileError(ErrorCodes.PLUGIN_LOAD, `cannot load ${d.entry}: ${(e as Error).message}`, { plugin: d.id, key: 'main', cause: e });
    }
    if (!isSmilePlugin(code)) {
      throw new SmileError(ErrorCodes.PLUGIN_LOAD, `${d.entry} must export default definePlugin({...}) (or defineTheme for themes)`, { plugin: d.id, key: 'main' });
    }
  }
  const schema = code?.settings;
  let settings: Record<string, unknown> = {};
  if (schema) {
    const parsed = schema.safeParse(rawSettings);
    if (!parsed.success) {
      const issue = parsed.error.issues[0]!;
      throw new SmileError(ErrorCodes.SETTINGS_INVALID, `invalid settings: ${issue.message}`, { plugin: d.id, key: ['plugins', 'settings', d.id, ...issue.path].join('.') });
    }
    settings = parsed.data;
  } else if (Object.keys(rawSettings).length) {
    throw new SmileError(ErrorCodes.SETTINGS_INVALID, 'settings were given but this plugin has none', { plugin: d.id, key: `plugins.settings.${d.id}` });
  }
  return { ...d, code, settings, settingsSchema: schema };
}
