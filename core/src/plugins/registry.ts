import type { z } from 'zod';
import {
  SmileError, ErrorCodes, EVENT_NAME, PERMISSION_NAME,
} from '@smile/sdk';
import type {
  ApiRoute, CommandDefinition, CoreHooks, HookSetRef, JobDefinition, PageRoute, PermissionDefinition, ProviderDefinition,
  RegisterApi, ServiceRef, SmilePlugin, SubscriberDefinition, TapOnlyHooks, TapOptions,
} from '@smile/sdk';
import type { DiscoveredPlugin } from './discovery.js';

/** A plugin after loading: manifest, code, validated settings. */
export interface LoadedPlugin extends DiscoveredPlugin {
  code: SmilePlugin | null;
  settings: Record<string, unknown>;
  settingsSchema?: z.ZodType;
}

export interface Registered<T> {
  plugin: string;
  def: T;
}

/** Everything the plugins declared during `register`. */
export class Registry {
  readonly providers = new Map<string, Registered<ProviderDefinition<unknown, any>> & { ref: ServiceRef<unknown> }>();
  readonly pageRoutes: Registered<PageRoute>[] = [];
  readonly apiRoutes: Registered<ApiRoute>[] = [];
  readonly jobs = new Map<string, Registered<JobDefinition<any>>>();
  readonly subscribers: (Registered<SubscriberDefinition> & { key: string })[] = [];
  readonly commands = new Map<string, Registered<CommandDefinition>>();
  readonly permissions = new Map<string, Registered<PermissionDefinition>>();
  readonly nav: (Registered<{ href: string; label: { fr: string; en: string }; area: 'main' | 'user' | 'admin' | 'signin'; permission?: string; weight: number }>)[] = [];
  readonly hookSets = new Map<HookSetRef<any>, { owner: string; hooks: Record<string, any> }>();

  /** Is `plugin` enabled for an institution? Set by the platform; taps of disabled plugins are skipped. */
  enabledFor?: (plugin: string, institution: { plugins: Record<string, boolean> }) => boolean;

  /** Set by the platform once services exist; `r.deferred()` getters go through it. */
  resolver?: (id: string) => unknown;

  /** Set by the platform: a plugin's settings for one institution (instance settings + its overrides). */
  settingsResolver?: (plugin: string, institution: { code?: string; settings: Record<string, Record<string, unknown>> }) => Record<string, unknown>;

  constructor(readonly coreHooks: CoreHooks) {}

  declarePermissions(plugin: string, perms: Record<string, PermissionDefinition> | undefined) {
    for (const [name, def] of Object.entries(perms ?? {})) {
      if (!PERMISSION_NAME.test(name) || !name.startsWith(`${plugin}:`)) {
        throw new SmileError(ErrorCodes.PLUGIN_REGISTER, `permission "${name}" must look like "${plugin}:<resource>.<action>"`, { plugin, key: `permissions.${name}` });
      }
      this.permissions.set(name, { plugin, def });
    }
  }

  /** The `r` object a plugin's `register` receives. Everything is checked as it is declared. */
  api(p: LoadedPlugin, dependsOn: Set<string>): RegisterApi<any> {
    const plugin = p.id;
    const fail = (key: string, msg: string, code: string = ErrorCodes.PLUGIN_REGISTER): never => {
      throw new SmileError(code, msg, { plugin, key });
    };
    const checkAccess = (kind: string, path: string, r: { permission?: string; public?: boolean }) => {
      if (r.public === true && r.permission) fail(path, `${kind} ${path} is both public and guarded by ${r.permission}`, ErrorCodes.ROUTE_INVALID);
      if (r.public !== true && !r.permission) fail(path, `${kind} ${path} must declare a permission or "public: true"`, ErrorCodes.ROUTE_INVALID);
      if (r.permission && !PERMISSION_NAME.test(r.permission)) fail(path, `${kind} ${path}: "${r.permission}" is not a permission name`, ErrorCodes.ROUTE_INVALID);
      if (!path.startsWith('/')) fail(path, `${kind} path must start with "/"`, ErrorCodes.ROUTE_INVALID);
    };
    const jobName = (name: string) => (name.startsWith(`${plugin}.`) ? name : `${plugin}.${name}`);
    return {
      id: plugin,
      settings: p.settings,
      hooks: tapOnly(this.coreHooks, plugin, (inst) => this.enabledFor?.(plugin, inst) ?? true),
      provide: (ref, def) => {
        if (!ref.id.startsWith(`${plugin}.`)) fail(ref.id, `service ref "${ref.id}" must start with "${plugin}."`);
        if (this.providers.has(ref.id)) fail(ref.id, `service "${ref.id}" is provided twice`, ErrorCodes.SERVICE_DUPLICATE);
        if (typeof def?.factory !== 'function') fail(ref.id, `service "${ref.id}" needs a factory`);
        this.providers.set(ref.id, { plugin, def: def as any, ref });
      },
      provideHooks: (ref) => {
        if (ref.owner !== plugin) fail('hooks', `hooks owned by "${ref.owner}" cannot be provided by "${plugin}"`);
        if (this.hookSets.has(ref)) fail('hooks', 'hooks provided twice');
        const hooks = Object.freeze(ref.create());
        this.hookSets.set(ref, { owner: plugin, hooks });
        return hooks;
      },
      hooksOf: (ref) => {
        if (ref.owner !== plugin && !dependsOn.has(ref.owner)) {
          fail(`dependsOn.${ref.owner}`, `taps hooks of "${ref.owner}" without depending on it`, ErrorCodes.HOOK_UNKNOWN);
        }
        const set = this.hookSets.get(ref);
        if (!set) fail(ref.owner, `plugin "${ref.owner}" does not provide these hooks`, ErrorCodes.HOOK_UNKNOWN);
        return tapOnly(set!.hooks, plugin, (inst) => this.enabledFor?.(plugin, inst) ?? true) as any;
      },
      route: (route) => {
        checkAccess('route', route.path, route);
        if (route.csrf === false && route.public !== true) fail(route.path, `route ${route.path}: only public routes may opt out of CSRF`, ErrorCodes.ROUTE_INVALID);
        this.pageRoutes.push({ plugin, def: route });
      },
      api: (route) => {
        checkAccess('API route', route.path, route);
        if (!route.response) fail(route.path, `API route ${route.path} needs a response schema`, ErrorCodes.ROUTE_INVALID);
        this.apiRoutes.push({ plugin, def: route as unknown as ApiRoute });
      },
      job: (job) => {
        const name = jobName(job.name);
        if (!/^[a-z][a-z0-9-]*\.[a-z][a-zA-Z0-9.-]*$/.test(name)) fail(job.name, `job name "${job.name}" is not valid`, ErrorCodes.JOB_INVALID);
        if (this.jobs.has(name)) fail(name, `job "${name}" is declared twice`, ErrorCodes.JOB_INVALID);
        if (typeof job.handler !== 'function') fail(name, `job "${name}" needs a handler`, ErrorCodes.JOB_INVALID);
        this.jobs.set(name, { plugin, def: { ...job, name } });
      },
      subscribe: (sub) => {
        if (!EVENT_NAME.test(sub.event)) fail(sub.event, `"${sub.event}" is not an event name (<plugin-id>.<entity>.<past-tense>)`, ErrorCodes.EVENT_NAME);
        const key = `${plugin}:${sub.event}:${this.subscribers.filter((s) => s.plugin === plugin && s.def.event === sub.event).length}`;
        this.subscribers.push({ plugin, def: sub, key });
      },
      settingsFor: (institution) => (this.settingsResolver ? this.settingsResolver(plugin, institution) : p.settings) as any,
      deferred: (ref) => () => {
        if (!this.resolver) throw new SmileError(ErrorCodes.SERVICE_MISSING, `service "${ref.id}" used before the platform booted`, { plugin, key: ref.id });
        return this.resolver(ref.id) as any;
      },
      nav: (item) => {
        if (!item.href.startsWith('/')) fail(item.href, 'navigation links must be site-relative ("/...")');
        this.nav.push({ plugin, def: { area: 'main', weight: 0, ...item } });
      },
      command: (cmd) => {
        const name = cmd.name.trim().replace(/\s+/g, ' ');
        if (this.commands.has(name)) fail(name, `command "${name}" is already defined by ${this.commands.get(name)!.plugin}`);
        this.commands.set(name, { plugin, def: cmd });
      },
    };
  }

  /** Checks that need every plugin registered: service dependencies, lifetimes, permissions used by routes. */
  validate(order: string[]) {
    const rank = new Map(order.map((id, i) => [id, i]));
    for (const [id, { plugin, def, ref }] of this.providers) {
      for (const [name, dep] of Object.entries(def.deps ?? {}) as [string, ServiceRef<unknown>][]) {
        if (!dep || typeof dep.id !== 'string') {
          throw new SmileError(ErrorCodes.SERVICE_MISSING, `service "${id}" dependency "${name}" is not a service ref`, { plugin, key: id });
        }
        const core = dep.id.startsWith('core.');
        const provider = this.providers.get(dep.id);
        if (!core && !provider) {
          throw new SmileError(ErrorCodes.SERVICE_MISSING, `service "${id}" needs "${dep.id}", which no enabled plugin provides`, { plugin, key: `deps.${name}` });
        }
        if (ref.scope === 'singleton' && dep.scope === 'request') {
          throw new SmileError(ErrorCodes.PLUGIN_REGISTER, `singleton "${id}" cannot depend on request-scoped "${dep.id}"`, { plugin, key: `deps.${name}` });
        }
        if (provider && provider.plugin !== plugin && (rank.get(provider.plugin) ?? 0) > (rank.get(plugin) ?? 0)) {
          throw new SmileError(ErrorCodes.SERVICE_MISSING, `service "${id}" needs "${dep.id}" from "${provider.plugin}", which is not in dependsOn`, { plugin, key: `deps.${name}` });
        }
      }
    }
    for (const { plugin, def } of this.nav) {
      if (def.permission && !this.permissions.has(def.permission)) {
        throw new SmileError(ErrorCodes.PLUGIN_REGISTER, `navigation entry ${def.href} needs "${def.permission}", which no plugin declares`, { plugin, key: def.href });
      }
    }
    for (const { plugin, def } of [...this.pageRoutes, ...this.apiRoutes]) {
      if (def.permission && !this.permissions.has(def.permission)) {
        throw new SmileError(ErrorCodes.ROUTE_INVALID, `route ${def.method} ${def.path} needs "${def.permission}", which no plugin declares`, { plugin, key: def.path });
      }
    }
  }
}

/** The institution a hook call is about, when one of its arguments says (`institution` field). */
function institutionOf(args: unknown[]): { plugins: Record<string, boolean> } | undefined {
  for (const a of args) {
    const inst = (a as { institution?: { plugins?: Record<string, boolean> } } | null)?.institution;
    if (inst && typeof inst === 'object' && inst.plugins) return inst as { plugins: Record<string, boolean> };
  }
  return undefined;
}

/**
 * A view of `hooks` that can only tap, with the tap named after `plugin`. When a call concerns an
 * institution that has the plugin disabled, its tap is skipped (a waterfall passes its value on).
 */
export function tapOnly<T extends Record<string, any>>(hooks: T, plugin: string, enabled: (inst: { plugins: Record<string, boolean> }) => boolean = () => true): TapOnlyHooks<T> {
  const view: Record<string, unknown> = {};
  for (const [name, hook] of Object.entries(hooks)) {
    view[name] = Object.freeze({
      tap(a: TapOptions | ((...args: any[]) => any), b?: (...args: any[]) => any) {
        const fn = (typeof a === 'function' ? a : b)!;
        const opts = typeof a === 'function' ? {} : a;
        if (typeof fn !== 'function') throw new SmileError(ErrorCodes.PLUGIN_REGISTER, `tap on ${name} needs a function`, { plugin, key: name });
        const tapOpts = { name: plugin, stage: opts.stage ?? 0 };
        const waterfall = /Waterfall/.test(hook.constructor?.name ?? '');
        const guarded = (...args: any[]) => {
          const inst = institutionOf(args);
          if (inst && !enabled(inst)) return waterfall ? args[0] : undefined;
          return fn(...args);
        };
        // async hooks get a promise tap (sync functions are fine too); sync hooks a plain tap
        // sync hooks have a tapPromise too (it throws): go by the class
        if (/^Async/.test(hook.constructor?.name ?? '')) hook.tapPromise(tapOpts, async (...args: any[]) => guarded(...args));
        else hook.tap(tapOpts, guarded);
      },
    });
  }
  return Object.freeze(view) as TapOnlyHooks<T>;
}
