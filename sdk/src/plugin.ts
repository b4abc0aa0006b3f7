import type { Context as KoaContext } from 'koa';
import type { z } from 'zod';
import type { CoreHooks, HookSetRef, TapOnlyHooks } from './hooks.js';
import type { ResolvedDeps, ServiceRef } from './refs.js';
import type { EventBus, Institution, JobQueue, Logger, Mailer, TenantDb, Database } from './services.js';

/** A string in both languages of the platform. */
export interface Bilingual {
  fr: string;
  en: string;
}

/** A permission a plugin declares: `<plugin-id>:<resource>.<action>`. */
export interface PermissionDefinition {
  description: Bilingual;
  /** Role keys that get it by default (e.g. `student`, `manager`, `referent`, `admin`). */
  defaultRoles?: string[];
}

/** Who is making a request. */
export interface Principal {
  kind: 'anonymous' | 'token' | 'user';
  /** Display name for logs and audit; never a secret. */
  label: string;
  /** Every permission held, in the whole institution or in some components only. Route guards use it. */
  permissions: ReadonlySet<string>;
  /**
   * Permissions held only in some components (permission → component codes). A permission in
   * `permissions` and absent here is held in the whole institution.
   */
  scoped?: ReadonlyMap<string, ReadonlySet<string>>;
  /** API token id, when `kind` is `token`. */
  tokenId?: number;
  /** The signed-in person, when `kind` is `user`. */
  personId?: number;
  /** Role keys held in the request's institution. */
  roles?: readonly string[];
}

/** A server-side session. Only an id travels in the cookie; data stays on the server. */
export interface Session {
  /** `true` once the session exists on the server (after `set` or `signIn`). */
  readonly exists: boolean;
  get<T = unknown>(key: string): T | undefined;
  set(key: string, value: unknown): void;
  /** Start a signed-in session: a NEW id is issued (no fixation), the data replaced by `data`. */
  signIn(data: Record<string, unknown>): void;
  /** End this session (sign-out). */
  signOut(): void;
}

/**
 * A file sent with a `multipart/form-data` form: it arrives in `ctx.body` under its field name.
 * Held in memory; files over the upload limit (50 MB) are refused with 413 before the handler runs.
 */
export interface UploadedFile {
  /** Name as the client sent it, path included if it sent one (`../x.pdf`): never use it as a path; refuse or strip it. */
  filename: string;
  /** MIME type the browser announced (not checked). */
  mimeType: string;
  data: Buffer;
}

/** A message shown once, on the next page the user sees. */
export interface Flash {
  type: 'success' | 'info' | 'warning' | 'error';
  message: string;
}

/** What a route handler receives. */
export interface RequestContext<P = Record<string, string>, Q = Record<string, unknown>, B = unknown> {
  /** The underlying Koa context (headers, cookies, status). */
  readonly koa: KoaContext;
  readonly requestId: string;
  readonly institution: Institution;
  /** Data access bound to the request's institution. */
  readonly db: TenantDb;
  readonly principal: Principal;
  readonly language: 'fr' | 'en';
  readonly log: Logger;
  readonly params: P;
  readonly query: Q;
  readonly body: B;
  /** `true` when the request came from htmx (render the fragment, not the page). */
  readonly htmx: boolean;
  /** The server-side session. */
  readonly session: Session;
  /** Translate `<plugin-id>:<key>` in the request's language. */
  t(key: string, vars?: Record<string, string | number>): string;
  /** Show `message` (already translated) once on the next page. */
  flash(type: Flash['type'], message: string): void;
  /** Resolve a service in the request scope. */
  resolve<T>(ref: ServiceRef<T>): T;
  /**
   * Does the principal hold `permission`? Without `scope`: anywhere (in the whole institution or in
   * at least one component). With `scope.component`: in that component (or institution-wide).
   */
  can(permission: string, scope?: { component?: string | null }): boolean;
  /** Where the principal holds `permission`: `'all'`, the component codes, or `[]` (nowhere). Filter lists with it. */
  scopeOf(permission: string): 'all' | string[];
  /**
   * Render `<plugin-id>/<view>` inside the layout (or alone for htmx requests) and set it
   * as the response body.
   */
  render(view: string, locals?: Record<string, unknown>): Promise<void>;
}

/** Who may call a route: a permission name, or `public` for routes open to everyone. */
export type RouteAccess = { permission: string; public?: never } | { public: true; permission?: never };

/** An HTML page route. */
export type PageRoute = RouteAccess & {
  method: 'GET' | 'POST' | 'PUT' | 'PATCH' | 'DELETE';
  path: string;
  /**
   * `false` exempts a public state-changing route from the CSRF check. Only for endpoints that a
   * third party posts to and that authenticate the request otherwise (a SAML assertion consumer:
   * the response is signed). Refused at boot on routes that need a permission.
   */
  csrf?: false;
  handler: (ctx: RequestContext) => Promise<void> | void;
};

/** A JSON API route, mounted under `/api/v1`, validated by its zod schemas and documented in OpenAPI. */
export type ApiRoute<
  P extends z.ZodType = z.ZodType,
  Q extends z.ZodType = z.ZodType,
  B extends z.ZodType = z.ZodType,
  R extends z.ZodType = z.ZodType,
> = RouteAccess & {
  method: 'GET' | 'POST' | 'PUT' | 'PATCH' | 'DELETE';
  /** Path under `/api/v1`, with `:param` placeholders. */
  path: string;
  summary: string;
  description?: string;
  params?: P;
  query?: Q;
  body?: B;
  response: R;
  /** HTTP status of a success (default 200). */
  status?: number;
  handler: (ctx: RequestContext<z.infer<P>, z.infer<Q>, z.infer<B>>) => Promise<z.input<R>> | z.input<R>;
};

/** A background job. */
export interface JobDefinition<D = Record<string, unknown>> {
  /** `<plugin-id>.<name>`; the plugin id prefix is added when missing. */
  name: string;
  handler: (data: D, ctx: JobContext) => Promise<void>;
  /** Cron expression (5 or 6 fields) for scheduled runs. */
  cron?: string;
  /** How many run at once in one process (default 1). */
  concurrency?: number;
  /** Attempts before the job is marked failed (default 3). */
  attempts?: number;
  /** Exponential backoff base in ms (default 1000). */
  backoffMs?: number;
}

/** What a job handler receives. */
export interface JobContext {
  log: Logger;
  attempt: number;
  resolve<T>(ref: ServiceRef<T>): T;
}

/** An event subscriber, called through the job queue after the emitting transaction commits. */
export interface SubscriberDefinition {
  /** `<plugin-id>.<entity>.<past-tense>` */
  event: string;
  /** Runs as its own job: retried up to 5 times with backoff when it throws. */
  handler: (payload: Record<string, unknown>, ctx: JobContext & { institutionId: number | null; event: string }) => Promise<void>;
}

/** A `smile <name>` command contributed by a plugin. */
export interface CommandDefinition {
  /** Space-separated words, e.g. `import catalogue`. */
  name: string;
  description: string;
  /** Option names (long form, without dashes) → description. Values are strings or `true`. */
  options?: Record<string, { description: string; type: 'string' | 'boolean' }>;
  run: (args: { positionals: string[]; options: Record<string, string | boolean | undefined> }, ctx: CommandContext) => Promise<number | void>;
}

/** What a command receives: the booted platform, without the HTTP server. */
export interface CommandContext {
  log: Logger;
  db: Database;
  resolve<T>(ref: ServiceRef<T>): T;
  /** Print to standard output. */
  print(line: string): void;
  /**
   * The institution the command works on: the one with `code` (an `--institution` option), or the
   * only one. Throws a `SmileError` (exit code 2, its message on standard error) when there is no
   * such institution, none yet, or several and no code.
   */
  institution(code?: string): Promise<Institution>;
}

/** A service provider. */
export interface ProviderDefinition<T, D extends Record<string, ServiceRef<unknown>>> {
  deps?: D;
  factory: (deps: ResolvedDeps<D>) => T;
  /** Called at shutdown, in reverse order of creation (singletons only). */
  dispose?: (service: T) => Promise<void> | void;
}

/** The API a plugin's `register` receives. Synchronous, no I/O: declare, don't do. */
export interface RegisterApi<S = Record<string, unknown>> {
  /** The plugin id (from the manifest). */
  readonly id: string;
  /** Validated instance-level settings (institution overrides apply at request time). */
  readonly settings: S;
  /** Tap-only view of the core hooks. */
  readonly hooks: TapOnlyHooks<CoreHooks>;
  /** Provide a service under `ref`. The ref id must start with this plugin's id. */
  provide<T, D extends Record<string, ServiceRef<unknown>> = {}>(ref: ServiceRef<T>, def: ProviderDefinition<T, D>): void;
  /** Create and own the hooks of `ref`; returns them (callable) for this plugin. */
  provideHooks<T extends Record<string, object>>(ref: HookSetRef<T>): T;
  /** Tap-only view of another plugin's hooks; that plugin must be in `dependsOn`. */
  hooksOf<T extends Record<string, object>>(ref: HookSetRef<T>): TapOnlyHooks<T>;
  /** An HTML page route. */
  route(route: PageRoute): void;
  /** A JSON API route under `/api/v1`. */
  api<P extends z.ZodType, Q extends z.ZodType, B extends z.ZodType, R extends z.ZodType>(route: ApiRoute<P, Q, B, R>): void;
  /** A background job (scheduled with `cron`, or enqueued by name). */
  job<D = Record<string, unknown>>(job: JobDefinition<D>): void;
  /** Subscribe to an event. */
  subscribe(sub: SubscriberDefinition): void;
  /** A CLI command. */
  command(cmd: CommandDefinition): void;
  /**
   * This plugin's settings for one institution: the instance settings with the institution's
   * overrides, validated (secrets included: never render or log them). Usable once the platform
   * has booted (in route handlers, jobs, hook taps).
   */
  settingsFor(institution: Institution): S;
  /**
   * A getter for a service, usable once the platform has booted (in route handlers, hook taps,
   * jobs): taps declared here often need services that do not exist yet at register time.
   */
  deferred<T>(ref: ServiceRef<T>): () => T;
  /** A navigation entry, shown to users holding `permission` (everyone when absent). */
  nav(item: { href: string; label: Bilingual; area?: 'main' | 'user' | 'admin' | 'signin'; permission?: string; weight?: number }): void;
}

/** What `bootstrap` receives: migrations applied, dependencies bootstrapped. */
export interface BootstrapContext<S = Record<string, unknown>> {
  readonly id: string;
  readonly settings: S;
  readonly log: Logger;
  readonly db: Database;
  readonly jobs: JobQueue;
  readonly events: EventBus;
  readonly mailer: Mailer;
  resolve<T>(ref: ServiceRef<T>): T;
}

/** A plugin's code: what `definePlugin` takes. */
export interface PluginDefinition<S extends z.ZodType = z.ZodType> {
  /** Settings schema with defaults. Mark secrets with `secret()`. */
  settings?: S;
  /** Permissions this plugin declares, by name. */
  permissions?: Record<string, PermissionDefinition>;
  register?: (r: RegisterApi<z.infer<S>>) => void;
  bootstrap?: (ctx: BootstrapContext<z.infer<S>>) => Promise<void> | void;
  destroy?: () => Promise<void> | void;
}

const BRAND = Symbol.for('smile.plugin');

/** A plugin as returned by {@link definePlugin}. */
export type SmilePlugin<S extends z.ZodType = z.ZodType> = PluginDefinition<S> & { readonly [BRAND]: true };

/**
 * Define a plugin. The id, kind, version and dependencies come from the package.json
 * `"smile"` manifest; this object holds the code.
 * @example
 * export default definePlugin({
 *   settings: z.object({ greeting: z.string().default('Bonjour') }),
 *   register(r) { r.route({ method: 'GET', path: '/hello', public: true, handler: (ctx) => ctx.render('hello/index') }); },
 * });
 */
export function definePlugin<S extends z.ZodType = z.ZodObject<{}>>(def: PluginDefinition<S>): SmilePlugin<S> {
  if (def.register !== undefined && typeof def.register !== 'function') throw new TypeError('definePlugin: register must be a function');
  if (def.bootstrap !== undefined && typeof def.bootstrap !== 'function') throw new TypeError('definePlugin: bootstrap must be a function');
  return Object.freeze({ ...def, [BRAND]: true as const });
}

/** Is `value` a plugin made by {@link definePlugin}? */
export function isSmilePlugin(value: unknown): value is SmilePlugin {
  return typeof value === 'object' && value !== null && (value as Record<symbol, unknown>)[BRAND] === true;
}

/** A theme's settings schema and nothing else: themes hold no code. */
export interface ThemeDefinition<S extends z.ZodType = z.ZodType> {
  settings?: S;
}

/** A theme as returned by {@link defineTheme}. */
export type SmileTheme<S extends z.ZodType = z.ZodType> = ThemeDefinition<S> & { readonly [BRAND]: true };

/** Define a theme's typed settings (logo, colours, footer links). */
export function defineTheme<S extends z.ZodType>(def: ThemeDefinition<S>): SmileTheme<S> {
  return Object.freeze({ ...def, [BRAND]: true as const });
}
