import { randomUUID } from 'node:crypto';
import path from 'node:path';
import Koa from 'koa';
import Router from '@koa/router';
import { bodyParser } from '@koa/bodyparser';
import { parseMultipart } from './multipart.js';
import { z } from 'zod';
import { asValue } from 'awilix';
import { SmileError, ErrorCodes, coreServices, principalCan, principalScope } from '@smile/sdk';
import type { ApiRoute, Institution, Logger, PageRoute, Principal, RequestContext, HomeSection } from '@smile/sdk';
import type { Platform } from '../platform.js';
import { tenantDb } from '../db/database.js';
import { migrationStatus } from '../db/migrator.js';
import { buildOpenApi } from '../api/openapi.js';
import { fromAcceptLanguage, LANGS, type Lang } from './i18n.js';
import { Renderer } from './render.js';
import { RequestSession } from './sessions.js';
import { serveAssets } from './assets.js';
import { CORE_VERSION } from '../plugins/discovery.js';
import { Institutions } from '../institutions.js';

const ANONYMOUS: Principal = Object.freeze({ kind: 'anonymous', label: 'anonymous', permissions: new Set<string>() });
const SAFE = new Set(['GET', 'HEAD', 'OPTIONS']);
const CSRF_COOKIE = 'smile_csrf';

interface State {
  requestId: string;
  institution: Institution;
  principal: Principal;
  language: Lang;
  csrf?: string;
  session: RequestSession;
}

/** The platform's HTTP application. Everything per request goes through here. */
export async function createHttpApp(p: Platform): Promise<Koa> {
  const app = new Koa({ proxy: p.config.trustProxy });
  const production = p.config.production;
  const renderer = new Renderer(p);
  p.renderer = renderer;
  const openapi = p.hooks.transformOpenApi.call(buildOpenApi(p.registry.apiRoutes, CORE_VERSION));
  const page = (koa: Koa.Context, view: string, locals: Record<string, unknown>, status = 200) => renderer.page(koa, view, locals, status);

  // 1. request id + access log + errors
  app.use(async (koa, next) => {
    const started = process.hrtime.bigint();
    const incoming = koa.get('X-Request-Id');
    const requestId = /^[A-Za-z0-9._-]{8,64}$/.test(incoming) ? incoming : randomUUID();
    (koa.state as State).requestId = requestId;
    koa.set('X-Request-Id', requestId);
    try {
      await next();
      if (koa.status === 404 && koa.body === undefined) throw new SmileError(ErrorCodes.NOT_FOUND, 'not found', { status: 404 });
      // the router's "Method Not Allowed" (a GET on a form's address): the site's error page, not a bare text
      if (koa.status === 405 && koa.body === undefined) throw new SmileError(ErrorCodes.VALIDATION, 'method not allowed', { status: 405 });
    } catch (err) {
      const e = err instanceof SmileError ? err : null;
      const status = e?.status ?? (err as { status?: number }).status ?? 500;
      const code = e?.code ?? (status === 404 ? ErrorCodes.NOT_FOUND : status < 500 ? ErrorCodes.VALIDATION : ErrorCodes.INTERNAL);
      const expose = e ? e.expose : status < 500;
      const message = expose ? (e?.message.replace(/^SMILE_ERR_[A-Z_]+: /, '') ?? (err as Error).message) : 'internal error';
      if (status >= 500) p.log.error({ requestId, err: production ? String(err) : err, path: koa.path }, 'request failed');
      const wantsJson = koa.path.startsWith('/api/') || (koa.accepts('html', 'json') === 'json');
      koa.status = status;
      koa.set('Cache-Control', 'no-store');
      if (wantsJson) {
        koa.body = { error: { code, message, requestId, ...((err as any).issues ? { issues: (err as any).issues } : {}) } };
      } else {
        try {
          await page(koa, 'core/error', { status, code, message, known: [401, 403, 404, 405, 500].includes(status) ? status : null, title: String(status) }, status);
        } catch (renderErr) {
          koa.type = 'text';
          koa.body = `${status} ${message} (request ${requestId})`;
          p.log.error({ requestId, err: String(renderErr) }, 'error page failed to render');
        }
      }
    } finally {
      const ms = Number(process.hrtime.bigint() - started) / 1e6;
      const line = { requestId, method: koa.method, path: koa.path, status: koa.status, ms: Math.round(ms * 10) / 10 };
      if (koa.status >= 500) p.log.error(line, 'request');
      else if (koa.status >= 400) p.log.info(line, 'request');
      else p.log.debug(line, 'request');
    }
  });

  // 2. probes: no tenant, no session
  app.use(async (koa, next) => {
    if (koa.path === '/healthz') {
      koa.body = { status: 'ok', uptime: Math.round(process.uptime()) };
      return;
    }
    if (koa.path === '/readyz') {
      const checks: Record<string, string> = {};
      let ok = true;
      try {
        await p.db.knex.raw('select 1');
        checks.database = 'ok';
        const pending = (await migrationStatus(p.db.knex, p.migrationSources())).filter((m) => !m.applied);
        checks.migrations = pending.length ? `${pending.length} pending` : 'ok';
        ok = pending.length === 0;
      } catch (e) {
        checks.database = 'unreachable';
        ok = false;
      }
      koa.status = ok ? 200 : 503;
      koa.set('Cache-Control', 'no-store');
      koa.body = { status: ok ? 'ready' : 'not ready', checks };
      return;
    }
    await next();
  });

  // 3. static assets of core, themes and plugins
  app.use(serveAssets(p.plugins));

  // 4. tenant, language, principal
  app.use(async (koa, next) => {
    const st = koa.state as State;
    const list = await p.institutions.all();
    const inst = (await p.hooks.resolveInstitution.promise({ host: koa.hostname, institutions: list })) ?? Institutions.match(koa.host, list);
    if (!inst) throw new SmileError(ErrorCodes.INSTITUTION_UNKNOWN, `no institution is served at ${koa.hostname}`, { status: 404 });
    st.institution = inst;
    const chosen = koa.query.lang ?? koa.cookies.get('smile_lang');
    if (typeof koa.query.lang === 'string' && LANGS.includes(koa.query.lang as Lang)) {
      koa.cookies.set('smile_lang', koa.query.lang, { httpOnly: true, sameSite: 'lax', maxAge: 365 * 864e5, overwrite: true });
    }
    st.language = (LANGS.includes(chosen as Lang) ? chosen : fromAcceptLanguage(koa.get('Accept-Language')) ?? inst.defaultLanguage) as Lang;
    st.session = await RequestSession.load(koa, p.sessions, inst.id, p.sessionTimeouts);
    const principal = await p.hooks.resolvePrincipal.promise({ koa, institution: inst, session: st.session });
    if ((principal as any)?.invalidToken) throw new SmileError(ErrorCodes.UNAUTHENTICATED, 'invalid or revoked API token for this institution', { status: 401 });
    st.principal = principal ?? ANONYMOUS;
    try {
      await next();
    } finally {
      await st.session.commit();
    }
  });

  // Public routes that a third party posts to (a SAML assertion consumer): their body is checked by its signature
  const csrfExempt = new Set(p.registry.pageRoutes.filter((r) => r.def.csrf === false).map((r) => `${r.def.method} ${r.def.path}`));
  const pageBody = bodyParser({ enableTypes: ['json', 'form'] });
  const exemptBody = bodyParser({ enableTypes: ['form'], formLimit: '1mb' });
  // 5. CSRF (double submit) for page routes; API calls authenticate with a bearer token, not cookies
  app.use(async (koa, next) => {
    if (koa.path.startsWith('/api/')) {
      if (!SAFE.has(koa.method) && (koa.state as State).principal.kind !== 'token') {
        throw new SmileError(ErrorCodes.UNAUTHENTICATED, 'state-changing API calls need an API token', { status: 401 });
      }
      return next();
    }
    let token = koa.cookies.get(CSRF_COOKIE);
    if (!token) {
      // randomUUID draws from a pooled entropy buffer: 122 random bits, cheaper than randomBytes per request
      token = randomUUID().replace(/-/g, '');
      koa.cookies.set(CSRF_COOKIE, token, { httpOnly: true, sameSite: 'lax', secure: koa.secure, overwrite: true });
    }
    (koa.state as State).csrf = token;
    if (!SAFE.has(koa.method)) {
      const exempt = csrfExempt.has(`${koa.method} ${koa.path}`);
      // a SAML response with many attribute values can exceed the default 56 KB form limit
      if (!exempt && koa.is('multipart/form-data')) await parseMultipart(koa);
      else await (exempt ? exemptBody : pageBody)(koa, async () => {});
      if (exempt) return next();
      const sent = koa.get('X-CSRF-Token') || (koa.request as any).body?._csrf;
      if (!sent || sent !== koa.cookies.get(CSRF_COOKIE)) {
        throw new SmileError(ErrorCodes.CSRF, 'this page has expired: reload it and try again', { status: 403 });
      }
    }
    return next();
  });

  const router = new Router();
  const mkContext = (koa: Koa.Context, plugin: string, extra: { params: any; query: any; body: any }): RequestContext<any, any, any> => {
    const st = koa.state as State;
    let scope: ReturnType<typeof p.container.createScope> | undefined;
    let log: Logger | undefined;
    const db = tenantDb(p.db.knex, st.institution.id);
    return {
      koa, requestId: st.requestId, institution: st.institution, db, principal: st.principal, language: st.language,
      // built on first use: most handlers never log
      get log() {
        return (log ??= p.log.child({ requestId: st.requestId, plugin }));
      },
      params: extra.params, query: extra.query, body: extra.body,
      htmx: koa.get('HX-Request') === 'true',
      session: st.session,
      t: (key, vars) => renderer.strings.t(st.language, key, vars, st.institution.theme),
      flash: (type, message) => Renderer.setFlash(koa, { type, message }),
      resolve(ref) {
        if (!scope) {
          scope = p.container.createScope();
          scope.register({ [coreServices.institution.id]: asValue(st.institution), [coreServices.tenantDb.id]: asValue(db) });
        }
        return scope.resolve(ref.id);
      },
      can: (perm, scope) => principalCan(st.principal, perm, scope?.component),
      scopeOf: (perm) => principalScope(st.principal, perm),
      render: (view, locals = {}) => page(koa, view, locals),
    };
  };
  const guard = (koa: Koa.Context, plugin: string, route: { permission?: string; public?: boolean }) => {
    const st = koa.state as State;
    if (!p.isEnabled(plugin, st.institution)) throw new SmileError(ErrorCodes.NOT_FOUND, 'not found', { status: 404 });
    if (route.public) return;
    if (st.principal.kind === 'anonymous') throw new SmileError(ErrorCodes.UNAUTHENTICATED, 'sign in to see this page', { status: 401 });
    if (!st.principal.permissions.has(route.permission!)) throw new SmileError(ErrorCodes.FORBIDDEN, `you need the permission ${route.permission}`, { status: 403 });
  };

  for (const { plugin, def } of p.registry.pageRoutes) {
    router.register(def.path, [def.method], async (koa: any) => {
      guard(koa, plugin, def);
      await (def as PageRoute).handler(mkContext(koa, plugin, { params: koa.params, query: koa.query, body: (koa.request as any).body }));
    });
  }

  const apiBody = bodyParser({ enableTypes: ['json'], jsonLimit: '2mb' });
  const validate = (schema: z.ZodType | undefined, value: unknown, where: string) => {
    if (!schema) return value;
    const r = schema.safeParse(value);
    if (!r.success) {
      const e = new SmileError(ErrorCodes.VALIDATION, `invalid ${where}: ${r.error.issues.map((i) => `${i.path.join('.') || where} ${i.message}`).join('; ')}`, { status: 400 });
      (e as any).issues = r.error.issues.map((i) => ({ path: [where, ...i.path].join('.'), message: i.message }));
      throw e;
    }
    return r.data;
  };
  router.get('/api/v1/openapi.json', (koa) => {
    koa.set('Cache-Control', 'no-cache');
    koa.body = openapi;
  });
  for (const { plugin, def } of p.registry.apiRoutes) {
    const d = def as ApiRoute;
    router.register(`/api/v1${d.path}`, [d.method], [apiBody as any, async (koa: any) => {
      guard(koa, plugin, d);
      const params = validate(d.params, koa.params, 'params');
      const query = validate(d.query, koa.query, 'query');
      const body = validate(d.body, koa.request.body, 'body');
      const result = await d.handler(mkContext(koa, plugin, { params, query, body }));
      koa.status = d.status ?? 200;
      koa.body = d.response.parse(result);
    }]);
  }

  router.get('/', async (koa) => {
    const st = koa.state as State;
    const sections: HomeSection[] = await p.hooks.transformHomeSections.promise([], { institution: st.institution, language: st.language, permissions: st.principal.permissions });
    sections.sort((a, b) => (a.weight ?? 0) - (b.weight ?? 0));
    await page(koa, 'core/home', { sections: sections.filter((s) => p.isEnabled(s.plugin, st.institution)), title: '' });
  });

  app.use(router.routes());
  app.use(router.allowedMethods());
  return app;
}
