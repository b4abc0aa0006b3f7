/**
 * Testing helpers: boot a real platform (embedded PGlite in memory, or a fresh database on the
 * PostgreSQL server named by `DATABASE_URL`), talk to it over HTTP, make fixtures.
 * @packageDocumentation
 */
import { randomBytes, randomUUID } from 'node:crypto';
import type { Knex } from 'knex';
import type { Institution } from './services.js';
import type { ServiceRef } from './refs.js';
import { freshDatabase } from './testing-cli.js';

export { startTestCli, type TestCli, type TestCliRun } from './testing-cli.js';

/** Options of {@link startTestPlatform}. */
export interface TestPlatformOptions {
  /** Plugin ids to load (with their dependencies). Default: every discovered plugin. */
  plugins?: string[];
  /** Extra plugin folders (a plugin folder, or a folder of them). */
  pluginPaths?: string[];
  /** Instance settings per plugin id. */
  settings?: Record<string, Record<string, unknown>>;
  /** Seed the demo institution (default false: one plain institution is created). */
  demo?: boolean;
  /** SMTP server for the outbox (tests use an smtp-server sink). */
  smtp?: { host: string; port: number; from?: string };
  /** Extra configuration keys. */
  config?: Record<string, unknown>;
  /** Run as NODE_ENV=production (no stack traces, demo sign-in refused). */
  production?: boolean;
  /** Log level (default `silent`; set SMILE_TEST_LOG to see logs). */
  logLevel?: string;
}

/** A response read whole. */
export interface TestResponse {
  status: number;
  headers: Headers;
  text: string;
  /** Parsed JSON body (throws if the body is not JSON). */
  json<T = any>(): T;
}

/** A running test platform. */
export interface TestPlatform {
  /** Base URL of the HTTP server (http://127.0.0.1:<port>). */
  url: string;
  /** The platform object (kernel internals: for assertions, not for plugin code). */
  platform: any;
  knex: Knex;
  /** The default institution created at boot. */
  institution: Institution;
  /** One request. `form` is sent URL-encoded; an array value or a list of pairs repeats a name (checkboxes). */
  /** An HTTP request; with `files`, the form and the files go as `multipart/form-data`. */
  request(method: string, path: string, opts?: { headers?: Record<string, string>; body?: unknown; form?: FormFields; files?: Record<string, TestFile> }): Promise<TestResponse>;
  get(path: string, headers?: Record<string, string>): Promise<TestResponse>;
  /** A browser-like client of this platform: cookie jar, the pages' CSRF token, a language. */
  client(opts?: TestClientOptions): TestClient;
  /** GET a page, then send a form with its CSRF cookie and token, as a browser would. */
  submitForm(pagePath: string, action: string, fields: Record<string, string>, method?: string): Promise<TestResponse>;
  /** Create another institution. */
  createInstitution(n: { code: string; nameFr?: string; nameEn?: string; hostNames?: string[]; plugins?: Record<string, boolean> }): Promise<Institution>;
  /** An API token for `institution` with `permissions`; returns the `Authorization` header value. */
  token(permissions: string[], institution?: Institution): Promise<string>;
  resolve<T>(ref: ServiceRef<T>): T;
  /**
   * A signed-in browser session for a new person holding `roles` in `institution` (role keys, or
   * `{ role, components }` for a scoped role). `cookie` is the Cookie header (session and CSRF
   * cookies); send `csrf` as the `_csrf` field or the `X-CSRF-Token` header on state changes.
   */
  signIn(
    roles: Array<string | { role: string; components: string[] }>,
    opts?: { institution?: Institution; displayName?: string; email?: string },
  ): Promise<{ cookie: string; csrf: string; personId: number }>;
  /** Wait until queued jobs (events, mail) have run. */
  drainJobs(): Promise<void>;
  stop(): Promise<void>;
}

/** Form fields: a value per name, several values per name, or pairs in order. */
export type FormFields = Record<string, string | string[]> | [string, string][];

/** Options of {@link TestClient}. */
export interface TestClientOptions {
  /** `Accept-Language` of every request (default `en`). */
  lang?: 'fr' | 'en';
  /** Headers sent with every request (an API token, a `Host`). */
  headers?: Record<string, string>;
  /** Start with the session of `TestPlatform.signIn`. */
  session?: { cookie: string; csrf: string };
}

/**
 * A browser without JavaScript: it keeps cookies (session, CSRF, flash), reads the CSRF token of
 * each page, and sends it with forms (`_csrf`) and htmx requests (`X-CSRF-Token`).
 */
export class TestClient {
  readonly jar = new Map<string, string>();
  csrf = '';
  protected readonly lang: 'fr' | 'en';
  protected readonly extra: Record<string, string>;

  constructor(protected readonly t: Pick<TestPlatform, 'request'>, opts: TestClientOptions = {}) {
    this.lang = opts.lang ?? 'en';
    this.extra = opts.headers ?? {};
    if (opts.session) {
      for (const pair of opts.session.cookie.split(/;\s*/)) {
        const i = pair.indexOf('=');
        if (i > 0) this.jar.set(pair.slice(0, i), pair.slice(i + 1));
      }
      this.csrf = opts.session.csrf;
    }
  }

  /** The Cookie header this client sends. */
  get cookie(): string {
    return [...this.jar].map(([k, v]) => `${k}=${v}`).join('; ');
  }

  protected headers(extra: Record<string, string> = {}): Record<string, string> {
    const h: Record<string, string> = { 'accept-language': this.lang, ...this.extra, ...extra };
    if (this.jar.size) h.cookie = this.cookie;
    return h;
  }

  /** Keep the cookies a response sets (and drop those it clears) and the page's CSRF token. */
  protected keep(res: TestResponse): TestResponse {
    for (const c of res.headers.getSetCookie?.() ?? []) {
      const pair = c.split(';')[0]!;
      const i = pair.indexOf('=');
      const value = pair.slice(i + 1);
      if (value === '' || /expires=Thu, 01 Jan 1970/i.test(c)) this.jar.delete(pair.slice(0, i));
      else this.jar.set(pair.slice(0, i), value);
    }
    const token = /name="csrf-token" content="([^"]+)"/.exec(res.text)?.[1];
    if (token) this.csrf = token;
    return res;
  }

  async get(path: string, headers: Record<string, string> = {}): Promise<TestResponse> {
    return this.keep(await this.t.request('GET', path, { headers: this.headers(headers) }));
  }

  /** A form post with the `_csrf` field (a first page is fetched when no token is known yet). */
  async post(path: string, form: FormFields = {}, headers: Record<string, string> = {}): Promise<TestResponse> {
    if (!this.csrf) await this.get('/');
    const fields: FormFields = Array.isArray(form) ? [['_csrf', this.csrf], ...form] : { _csrf: this.csrf, ...form };
    return this.keep(await this.t.request('POST', path, { headers: this.headers(headers), form: fields }));
  }

  /** A `multipart/form-data` form with files (and the `_csrf` field), as a file input sends it. */
  async upload(path: string, form: FormFields, files: Record<string, TestFile>, headers: Record<string, string> = {}): Promise<TestResponse> {
    if (!this.csrf) await this.get('/');
    const fields: FormFields = Array.isArray(form) ? [['_csrf', this.csrf], ...form] : { _csrf: this.csrf, ...form };
    return this.keep(await this.t.request('POST', path, { headers: this.headers(headers), form: fields, files }));
  }

  /** What htmx sends: the CSRF header, `HX-Request`, a partial request. */
  async htmxPost(path: string, form: FormFields = {}): Promise<TestResponse> {
    const headers = this.headers({ 'hx-request': 'true', 'hx-request-type': 'partial', 'x-csrf-token': this.csrf });
    return this.keep(await this.t.request('POST', path, { headers, form }));
  }

  /** A cross-site form post (an IdP's auto-submitted form): browsers send no SameSite=Lax cookie with it. */
  async postCrossSite(path: string, form: FormFields): Promise<TestResponse> {
    return this.keep(await this.t.request('POST', path, { headers: { 'accept-language': this.lang }, form }));
  }
}

/** A file a test uploads. */
export interface TestFile {
  filename: string;
  data: Buffer | string;
  mimeType?: string;
}

function multipartBody(boundary: string, fields: [string, string][], files: Record<string, TestFile>): Buffer {
  const parts: Buffer[] = [];
  const quote = (s: string) => s.replace(/["\r\n]/g, '_');
  for (const [k, v] of fields) parts.push(Buffer.from(`--${boundary}\r\nContent-Disposition: form-data; name="${quote(k)}"\r\n\r\n${v}\r\n`));
  for (const [k, f] of Object.entries(files)) {
    parts.push(Buffer.from(`--${boundary}\r\nContent-Disposition: form-data; name="${quote(k)}"; filename="${quote(f.filename)}"\r\nContent-Type: ${f.mimeType ?? 'application/octet-stream'}\r\n\r\n`));
    parts.push(typeof f.data === 'string' ? Buffer.from(f.data) : f.data, Buffer.from('\r\n'));
  }
  parts.push(Buffer.from(`--${boundary}--\r\n`));
  return Buffer.concat(parts);
}

const formEntries = (form: FormFields): [string, string][] =>
  Array.isArray(form) ? form : Object.entries(form).flatMap(([k, v]) => (Array.isArray(v) ? v.map((x): [string, string] => [k, x]) : [[k, v] as [string, string]]));

/** Remove the BullMQ keys (queues, schedules) a test platform left under its own prefix. */
async function dropRedisKeys(url: string, pattern: string): Promise<void> {
  const { Redis } = await import('ioredis');
  const redis = new Redis(url, { maxRetriesPerRequest: 1, lazyConnect: true });
  try {
    await redis.connect();
    let cursor = '0';
    do {
      const [next, keys] = await redis.scan(cursor, 'MATCH', pattern, 'COUNT', 500);
      cursor = next;
      if (keys.length) await redis.del(...keys);
    } while (cursor !== '0');
  } catch {
    // best effort: a test must not fail because Redis cleanup did
  } finally {
    redis.disconnect();
  }
}

/**
 * Boot a platform for a test. With `DATABASE_URL` set, a new database is created on that server
 * and dropped at `stop()`; with `REDIS_URL`, jobs run on BullMQ under a unique prefix.
 */
export async function startTestPlatform(opts: TestPlatformOptions = {}): Promise<TestPlatform> {
  const core: any = await import('@smile/core');
  const db = process.env.DATABASE_URL ? await freshDatabase(process.env.DATABASE_URL) : null;
  const env: NodeJS.ProcessEnv = { NODE_ENV: opts.production ? 'production' : 'test', SMILE_CONFIG: '' };
  const config = core.loadConfig({
    env,
    overrides: {
      port: 0,
      host: '127.0.0.1',
      demo: opts.demo ?? false,
      databaseUrl: db?.url,
      redisUrl: process.env.REDIS_URL,
      plugins: { paths: opts.pluginPaths ?? [], disabled: [], settings: opts.settings ?? {} },
      smtp: opts.smtp ? { host: opts.smtp.host, port: opts.smtp.port, secure: false, from: opts.smtp.from ?? 'SMILE <smile@test.invalid>' } : undefined,
      logLevel: (opts.logLevel ?? process.env.SMILE_TEST_LOG ?? 'silent') as any,
      ...opts.config,
    },
  });
  let platform: any;
  const jobsPrefix = `smile-test-${randomBytes(4).toString('hex')}`;
  try {
    platform = await core.Platform.boot({ config, only: opts.plugins, memory: !db, jobsPrefix });
  } catch (e) {
    await db?.drop();
    throw e;
  }
  const { port } = await platform.listen({ port: 0, host: '127.0.0.1' });
  const url = `http://127.0.0.1:${port}`;
  const institution: Institution = (await platform.institutions.all())[0];

  const request: TestPlatform['request'] = async (method, path, o = {}) => {
    const headers: Record<string, string> = { ...o.headers };
    let body: string | Buffer | undefined;
    if (o.files) {
      const boundary = `----smile${randomUUID().replace(/-/g, '')}`;
      body = multipartBody(boundary, o.form ? formEntries(o.form) : [], o.files);
      headers['content-type'] = `multipart/form-data; boundary=${boundary}`;
    } else if (o.form) {
      body = new URLSearchParams(formEntries(o.form)).toString();
      headers['content-type'] = 'application/x-www-form-urlencoded';
    } else if (o.body !== undefined) {
      body = JSON.stringify(o.body);
      headers['content-type'] = 'application/json';
    }
    // node:http rather than fetch: tests need to set Host (tenant resolution), which fetch forbids
    const { request: httpRequest } = await import('node:http');
    return new Promise<TestResponse>((resolve, reject) => {
      const req = httpRequest(url + path, { method, headers }, (res) => {
        const chunks: Buffer[] = [];
        res.on('data', (c: Buffer) => chunks.push(c));
        res.on('end', () => {
          const text = Buffer.concat(chunks).toString('utf8');
          const h = new Headers();
          for (const [k, v] of Object.entries(res.headers)) {
            if (Array.isArray(v)) v.forEach((x) => h.append(k, x));
            else if (v !== undefined) h.set(k, String(v));
          }
          resolve({ status: res.statusCode ?? 0, headers: h, text, json: () => JSON.parse(text) });
        });
        res.on('error', reject);
      });
      req.on('error', reject);
      req.end(body);
    });
  };

  const self: TestPlatform = {
    url,
    platform,
    knex: platform.db.knex,
    institution,
    request,
    get: (path, headers) => request('GET', path, { headers }),
    client: (o) => new TestClient(self, o),
    async submitForm(pagePath, action, fields, method = 'POST') {
      const page = await request('GET', pagePath);
      const cookie = (page.headers.getSetCookie?.() ?? []).map((c) => c.split(';')[0]).join('; ');
      const token = /name="csrf-token" content="([^"]+)"/.exec(page.text)?.[1] ?? '';
      return request(method, action, { headers: { cookie }, form: { ...fields, _csrf: token } });
    },
    createInstitution: (n) => platform.institutions.create({ nameFr: n.code, nameEn: n.code, ...n }),
    async token(permissions, inst = institution) {
      const { token } = await core.createToken(platform.db.knex, { institutionId: inst.id, name: 'test', permissions, known: new Set(platform.registry.permissions.keys()) });
      return `Bearer ${token}`;
    },
    resolve: (ref) => platform.resolve(ref),
    signIn: (roles, o = {}) => platform.testSignIn({ institution: o.institution ?? institution, roles, displayName: o.displayName, email: o.email }),
    async drainJobs() {
      await platform.drainJobs();
    },
    async stop() {
      await platform.stop();
      await db?.drop();
      if (process.env.REDIS_URL) await dropRedisKeys(process.env.REDIS_URL, `${jobsPrefix}:*`);
    },
  };
  return self;
}
