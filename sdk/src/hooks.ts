import {
  AsyncSeriesBailHook,
  AsyncSeriesHook,
  AsyncSeriesWaterfallHook,
  SyncWaterfallHook,
} from 'tapable';
import type { Institution, OutgoingMail, TenantDb } from './services.js';
import type { Principal, Session } from './plugin.js';
import type { Person, SignInIdentity } from './identity.js';
import type { Context as KoaContext } from 'koa';

/**
 * Named stages order taps on one hook. Lower runs first; taps of equal stage run in
 * plugin dependency order. Prefer a named stage to a raw number.
 */
export const HookStage = Object.freeze({
  FIRST: -1000,
  EARLY: -100,
  NORMAL: 0,
  LATE: 100,
  LAST: 1000,
});

/** A section a plugin adds to the home page. */
export interface HomeSection {
  /** Owner plugin id. */
  plugin: string;
  /** Heading, already translated. */
  title: string;
  /** HTML inserted as is: escape every value you put in it. Sections of plugins disabled for the institution are dropped. */
  html: string;
  /** Smaller weights render first. */
  weight?: number;
}

/** What the home page hooks know about the request. */
export interface HomeContext {
  institution: Institution;
  language: 'fr' | 'en';
  /** Permissions of the current user or token. */
  permissions: ReadonlySet<string>;
}

/** Given to `resolvePrincipal` taps. */
export interface PrincipalRequest {
  koa: KoaContext;
  institution: Institution;
  /** The request's server-side session (empty for a visitor without one). */
  session: Session;
}

/** A navigation entry, declared with `r.nav()`. */
export interface NavItem {
  plugin: string;
  href: string;
  label: string;
  /** `main` (top menu), `user` (account menu), `admin` (admin area menu) or `signin` (a sign-in method). */
  area: 'main' | 'user' | 'admin' | 'signin';
  weight: number;
  current?: boolean;
}

/** What a layout shows around the page body; each outlet is a list of HTML snippets. */
export interface LayoutParts {
  /** Inside `<head>`: stylesheets, meta tags. */
  head: string[];
  /** Before `<main>`: banners. */
  beforeMain: string[];
  /** After `<main>`. */
  afterMain: string[];
  /** Before `</body>`: scripts. */
  foot: string[];
}

/** What `transformLayout` taps know about the page. */
export interface LayoutContext {
  institution: Institution;
  language: 'fr' | 'en';
  path: string;
  permissions: ReadonlySet<string>;
  /** The view being rendered, e.g. `hello/index`. */
  view: string;
}

/** Given to `resolveInstitution` taps. */
export interface ResolveInstitutionInput {
  host: string;
  /** All institutions, in id order. */
  institutions: readonly Institution[];
}

/** A minimal OpenAPI 3.1 document shape. */
export interface OpenApiDocument {
  openapi: string;
  info: { title: string; version: string; description?: string };
  paths: Record<string, Record<string, unknown>>;
  components: { schemas?: Record<string, unknown>; securitySchemes?: Record<string, unknown> };
  [key: string]: unknown;
}

/** Given to `seedDemo` taps. */
export interface SeedContext {
  institution: Institution;
  /** Seed size, for plugins that can generate more (benchmarks). */
  size: 'demo' | number;
  /** Data access bound to the institution being seeded. */
  db: TenantDb;
}

/** Given to `afterSignIn` taps. */
export interface SignInEvent {
  institution: Institution;
  person: Person;
  identity: SignInIdentity;
  /** Role keys held after rules were applied. */
  roles: readonly string[];
  /** `true` when this sign-in created the person. */
  created: boolean;
}

/** Details of a message the outbox worker has just delivered. */
export interface SentMail {
  outboxId: number;
  institutionId: number;
  to: string;
  subject: string;
  tag: string | null;
}

/**
 * Build the core hook catalogue. The kernel calls this once; plugins receive a tap-only
 * view of it as `r.hooks`. Hook signatures are API: changing one is a breaking change.
 *
 * Naming: `before*`/`after*` for side effects, `transform*` for waterfalls (each tap returns
 * the next value), `resolve*` for bail hooks (the first tap returning a value wins).
 */
export function createCoreHooks() {
  return Object.freeze({
    /**
     * Every plugin has bootstrapped; the HTTP server is about to listen.
     * Use it for work that needs all services (warming caches).
     * @since 0.1.0
     * @mutates no
     */
    afterBootstrap: new AsyncSeriesHook<[]>([]),

    /**
     * Find the institution a request belongs to, from its host name. The first tap
     * returning an institution wins; without a winner the core matches `host_names`, then takes
     * the only institution, then the first one without host names; else the request gets a 404.
     * @since 0.1.0
     * @mutates no
     */
    resolveInstitution: new AsyncSeriesBailHook<[ResolveInstitutionInput], Institution | undefined>(['input']),

    /**
     * Who is making this request. The first tap returning a principal wins (core API tokens tap at
     * `FIRST`; sign-in plugins tap at `NORMAL`); without a winner the request is anonymous.
     * @since 0.1.0
     * @mutates no
     */
    resolvePrincipal: new AsyncSeriesBailHook<[PrincipalRequest], Principal | undefined>(['request']),

    /**
     * A person has just signed in (any method): their record, identity attributes and roles are
     * stored. Taps read attributes they care about (e.g. the `esi` plugin stores
     * `schacPersonalUniqueCode`). A tap that throws is logged; the sign-in still succeeds.
     * @since 0.1.0
     * @mutates no
     */
    afterSignIn: new AsyncSeriesHook<[SignInEvent]>(['event']),

    /**
     * The layout's outlets (`head`, `beforeMain`, `afterMain`, `foot`) for a full page. Taps push
     * escaped HTML snippets (stylesheets, banners, scripts) and return the parts. Navigation is
     * declared with `r.nav()` instead, so it can be filtered by permission.
     * @since 0.1.0
     * @mutates yes — return the parts
     */
    transformLayout: new AsyncSeriesWaterfallHook<[LayoutParts, LayoutContext]>(['parts', 'ctx']),

    /**
     * Sections of the home page. Each tap receives the list and returns it, usually with one
     * more section. Check `ctx.permissions` before adding private content.
     * @since 0.1.0
     * @mutates yes — return the (new) list
     */
    transformHomeSections: new AsyncSeriesWaterfallHook<[HomeSection[], HomeContext]>(['sections', 'ctx']),

    /**
     * A message is about to enter the outbox. Taps may change it (add a footer, a cc).
     * Throwing refuses the message and rolls back the caller's transaction.
     * @since 0.1.0
     * @mutates yes — change the message in place
     */
    beforeMailQueued: new AsyncSeriesHook<[OutgoingMail]>(['mail']),

    /**
     * A message left the outbox and the SMTP server accepted it.
     * @since 0.1.0
     * @mutates no
     */
    afterMailSent: new AsyncSeriesHook<[SentMail]>(['mail']),

    /**
     * The OpenAPI document served at `/api/v1/openapi.json`, built from the API routes'
     * schemas. Taps may add descriptions, tags or examples.
     * @since 0.1.0
     * @mutates yes — return the document
     */
    transformOpenApi: new SyncWaterfallHook<[OpenApiDocument]>(['document']),

    /**
     * Demo data for one institution (`smile seed demo`, and `npm start` on an empty database).
     * Runs in plugin dependency order, so a tap can rely on its dependencies' demo data.
     * @since 0.1.0
     * @mutates no
     */
    seedDemo: new AsyncSeriesHook<[SeedContext]>(['ctx']),

    /**
     * The process is stopping: the HTTP server no longer accepts requests, jobs are draining.
     * @since 0.1.0
     * @mutates no
     */
    beforeShutdown: new AsyncSeriesHook<[]>([]),
  });
}

/** The core hook catalogue type. */
export type CoreHooks = ReturnType<typeof createCoreHooks>;

/** Options a plugin may pass when tapping; the tap name is always the plugin id. */
export interface TapOptions {
  /** One of {@link HookStage}, or a number between them. */
  stage?: number;
}

type HookArgs<H> = H extends { call(...args: infer A): unknown } ? A : H extends { promise(...args: infer A): unknown } ? A : never;
/** What a tap returns: the hook's result type (the next value of a waterfall, the answer of a bail hook, nothing otherwise). */
type HookResult<H> = H extends { promise(...args: any[]): Promise<infer R> } ? R : H extends { call(...args: any[]): infer R } ? R : void;

/**
 * What a plugin can do with a hook: tap it, named after itself. It cannot call the hook
 * or remove other taps.
 */
export interface TapOnly<H> {
  tap(fn: (...args: HookArgs<H>) => HookResult<H> | Promise<HookResult<H>>): void;
  tap(opts: TapOptions, fn: (...args: HookArgs<H>) => HookResult<H> | Promise<HookResult<H>>): void;
}

/** Tap-only views of a set of hooks. */
export type TapOnlyHooks<T> = { readonly [K in keyof T]: TapOnly<T[K]> };

/**
 * A typed reference to hooks owned by a plugin (like the core catalogue, but the plugin calls them).
 * The owner provides them with `r.provideHooks(ref)`; dependents tap them with `r.hooksOf(ref)`.
 */
export interface HookSetRef<T extends Record<string, object>> {
  readonly owner: string;
  readonly create: () => T;
}

/** Declare hooks owned by plugin `owner`. Export the ref from the plugin's public module. */
export function defineHooks<T extends Record<string, object>>(owner: string, create: () => T): HookSetRef<T> {
  return Object.freeze({ owner, create });
}
