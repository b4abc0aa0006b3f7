import path from 'node:path';
import { startTestPlatform, TestClient, type TestPlatform, type TestPlatformOptions, type TestResponse } from '@smile/sdk/testing';

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

/** A client holding an API token or a session, cookies (CSRF, flash) and the page's CSRF token, like a browser would. */
export class Client extends TestClient {
  static async signIn(t: TestPlatform, perms: string[] = ALL, lang: 'fr' | 'en' = 'en'): Promise<Client> {
    const c = new Client(t, { lang, headers: { authorization: await t.token(perms) } });
    await c.get('/');
    return c;
  }

  /** A browser holding a real session made by `t.signIn(roles)` (session and CSRF cookies, no token). */
  static fromSession(t: TestPlatform, session: TestSession, lang: 'fr' | 'en' = 'en'): Client {
    return new Client(t, { lang, session });
  }

  /** Sign in with a persona of the demo plugin (a real session cookie, no token). */
  static async persona(t: TestPlatform, key: string, lang: 'fr' | 'en' = 'en'): Promise<Client> {
    const c = new Client(t, { lang });
    await c.get('/demo/sign-in');
    const res = await c.post('/demo/sign-in', { persona: key });
    if (res.status !== 302 && res.status !== 303) throw new Error(`demo sign-in failed: ${res.status}`);
    await c.get('/');
    return c;
  }

  /** A plain form post with repeated names (ticked checkboxes), in order, with the `_csrf` field. */
  postFields(p: string, entries: [string, string][]): Promise<TestResponse> {
    return this.post(p, entries);
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
