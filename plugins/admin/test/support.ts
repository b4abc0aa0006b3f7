import path from 'node:path';
import { startTestPlatform, type TestPlatform, type TestPlatformOptions, type TestResponse } from '@smile/sdk/testing';

export const repo = path.resolve(path.dirname(new URL(import.meta.url).pathname), '..', '..', '..');
export const examples = path.join(repo, 'examples');
export const fixtures = path.join(repo, 'test', 'fixtures');

export const ALL = [
  'admin:area.view', 'admin:institution.edit', 'admin:theme.edit', 'admin:plugins.manage', 'admin:outbox.read', 'admin:jobs.read',
  'admin:roles.manage', 'admin:rules.manage', 'admin:people.manage', 'admin:audit.read',
];

/** What `TestPlatform.signIn` returns: a real session. */
export interface TestSession { cookie: string; csrf: string; personId: number }

/** A platform with the admin plugin, the base theme and the example hello plugin. */
export function boot(opts: TestPlatformOptions = {}): Promise<TestPlatform> {
  return startTestPlatform({ plugins: ['admin', 'base', 'hello', ...(opts.plugins ?? [])], pluginPaths: [examples, ...(opts.pluginPaths ?? [])] });
}

/** A client holding an API token, cookies (CSRF, flash) and the page's CSRF token, like a browser would. */
export class Client {
  private jar = new Map<string, string>();
  csrf = '';

  constructor(private t: TestPlatform, private auth: string | null, private lang: 'fr' | 'en' = 'en') {}

  static async signIn(t: TestPlatform, perms: string[] = ALL, lang: 'fr' | 'en' = 'en'): Promise<Client> {
    const c = new Client(t, await t.token(perms), lang);
    await c.get('/');
    return c;
  }

  /** A browser holding a real session made by `t.signIn(roles)` (session and CSRF cookies, no token). */
  static fromSession(t: TestPlatform, session: TestSession, lang: 'fr' | 'en' = 'en'): Client {
    const c = new Client(t, null, lang);
    for (const pair of session.cookie.split(/;\s*/)) {
      const i = pair.indexOf('=');
      if (i > 0) c.jar.set(pair.slice(0, i), pair.slice(i + 1));
    }
    c.csrf = session.csrf;
    return c;
  }

  /** Sign in with a persona of the demo plugin (a real session cookie, no token). */
  static async persona(t: TestPlatform, key: string, lang: 'fr' | 'en' = 'en'): Promise<Client> {
    const c = new Client(t, null, lang);
    await c.get('/demo/sign-in');
    const res = await c.post('/demo/sign-in', { persona: key });
    if (res.status !== 302 && res.status !== 303) throw new Error(`demo sign-in failed: ${res.status}`);
    await c.get('/');
    return c;
  }

  private headers(extra: Record<string, string> = {}): Record<string, string> {
    const h: Record<string, string> = { 'accept-language': this.lang, ...extra };
    if (this.auth) h.authorization = this.auth;
    if (this.jar.size) h.cookie = [...this.jar].map(([k, v]) => `${k}=${v}`).join('; ');
    return h;
  }

  private keep(res: TestResponse): TestResponse {
    for (const c of res.headers.getSetCookie?.() ?? []) {
      const [pair] = c.split(';');
      const i = pair!.indexOf('=');
      const name = pair!.slice(0, i);
      const value = pair!.slice(i + 1);
      if (value === '' || /expires=Thu, 01 Jan 1970/i.test(c)) this.jar.delete(name);
      else this.jar.set(name, value);
    }
    const token = /name="csrf-token" content="([^"]+)"/.exec(res.text)?.[1];
    if (token) this.csrf = token;
    return res;
  }

  async get(p: string, headers: Record<string, string> = {}): Promise<TestResponse> {
    return this.keep(await this.t.request('GET', p, { headers: this.headers(headers) }));
  }

  /** A plain form post (no JavaScript), with the `_csrf` field. */
  async post(p: string, form: Record<string, string>): Promise<TestResponse> {
    return this.keep(await this.t.request('POST', p, { headers: this.headers(), form: { _csrf: this.csrf, ...form } }));
  }

  /** A plain form post with repeated names (ticked checkboxes), in order, with the `_csrf` field. */
  async postFields(p: string, entries: [string, string][]): Promise<TestResponse> {
    const body = new URLSearchParams([['_csrf', this.csrf], ...entries]).toString();
    const headers = { ...this.headers(), 'content-type': 'application/x-www-form-urlencoded' };
    const { request } = await import('node:http');
    const res = await new Promise<TestResponse>((resolve, reject) => {
      const req = request(this.t.url + p, { method: 'POST', headers }, (r) => {
        const chunks: Buffer[] = [];
        r.on('data', (c: Buffer) => chunks.push(c));
        r.on('end', () => {
          const text = Buffer.concat(chunks).toString('utf8');
          const h = new Headers();
          for (const [k, v] of Object.entries(r.headers)) {
            if (Array.isArray(v)) v.forEach((x) => h.append(k, x));
            else if (v !== undefined) h.set(k, String(v));
          }
          resolve({ status: r.statusCode ?? 0, headers: h, text, json: () => JSON.parse(text) });
        });
        r.on('error', reject);
      });
      req.on('error', reject);
      req.end(body);
    });
    return this.keep(res);
  }

  /** What htmx sends: the CSRF header, `HX-Request`, a partial request. */
  async htmxPost(p: string, form: Record<string, string>): Promise<TestResponse> {
    const headers = this.headers({ 'hx-request': 'true', 'hx-request-type': 'partial', 'x-csrf-token': this.csrf });
    return this.keep(await this.t.request('POST', p, { headers, form }));
  }
}

/** The hidden `updatedAt` of a form page. */
export function versionOf(html: string): string {
  const v = /name="updatedAt" value="([^"]*)"/.exec(html)?.[1];
  if (v === undefined) throw new Error('no updatedAt field in the page');
  return v;
}

/** The fresh institution record (the platform caches institutions). */
export async function freshInstitution(t: TestPlatform) {
  t.platform.institutions.invalidate();
  return (await t.platform.institutions.all()).find((i: { id: number }) => i.id === t.institution.id);
}
