import path from 'node:path';
import { expect } from 'chai';
import { coreServices } from '@smile/sdk';
import { startTestPlatform, type TestPlatform, type TestResponse } from '@smile/sdk/testing';

const REPO = path.resolve(path.dirname(new URL(import.meta.url).pathname), '..');
const SAFE = new Set(['GET', 'HEAD']);

interface RouteCase {
  plugin: string;
  method: string;
  /** As the client requests it (`/api/v1` prefix, parameters filled in). */
  url: string;
  permission: string | null;
  api: boolean;
}

/** Was the request stopped by the route guard (rather than by the handler, for its own reasons)? */
function deniedByGuard(res: TestResponse, permission: string): boolean {
  return res.status === 403 && res.text.includes(`you need the permission ${permission}`);
}

/**
 * Every registered route, requested by every seeded role and by an anonymous visitor. What each
 * should get is computed from the roles' privileges in the database (defaults and inheritance), so
 * the matrix follows the plugins: a new route or privilege is covered without editing this file.
 */
describe('route × role matrix: every route, every seeded role', function () {
  this.timeout(300_000);
  let t: TestPlatform;
  let routes: RouteCase[];
  let roleKeys: string[];
  const effective = new Map<string, Set<string>>();

  before(async () => {
    t = await startTestPlatform({ pluginPaths: [path.join(REPO, 'examples')] });
    // every plugin on for this institution, so that no route hides behind a 404
    const all = Object.fromEntries(t.platform.plugins.map((p: { id: string }) => [p.id, true]));
    await t.knex('institutions').where({ id: t.institution.id }).update({ plugins: JSON.stringify(all) });
    t.platform.institutions.invalidate();
    const roles = t.resolve(coreServices.roles);
    roleKeys = (await roles.list(t.institution.id)).map((r) => r.key);
    for (const k of roleKeys) effective.set(k, await roles.effectivePrivileges(t.institution.id, k));
    const fill = (p: string) => p.replace(/:[A-Za-z_]+(\([^)]*\))?/g, '1');
    routes = [
      ...t.platform.registry.pageRoutes.map((r: any) => ({ plugin: r.plugin, method: r.def.method, url: fill(r.def.path), permission: r.def.permission ?? null, api: false })),
      ...t.platform.registry.apiRoutes.map((r: any) => ({ plugin: r.plugin, method: r.def.method, url: `/api/v1${fill(r.def.path)}`, permission: r.def.permission ?? null, api: true })),
    ];
  });
  after(() => t?.stop());

  it('covers the routes of every plugin and the ten seeded roles', () => {
    expect(roleKeys).to.have.length(10);
    const plugins = new Set(routes.map((r) => r.plugin));
    for (const p of ['core', 'admin', 'demo']) expect(plugins, p).to.include(p);
    expect(routes.filter((r) => r.permission).length).to.be.greaterThan(10);
  });

  it('allows exactly the roles holding the route’s privilege (and everyone on public routes)', async () => {
    const problems: string[] = [];
    const sessions = new Map<string, { cookie: string; csrf: string }>();
    for (const role of [...roleKeys, 'anonymous']) {
      const privileges = effective.get(role) ?? new Set<string>();
      if (role !== 'anonymous') sessions.set(role, await t.signIn([role]));
      for (const r of routes) {
        let headers: Record<string, string> = { 'accept-language': 'en' };
        let form: Record<string, string> | undefined;
        if (role === 'anonymous' && !SAFE.has(r.method) && !r.api) {
          // a visitor's browser holds a CSRF cookie and sends its token: the request reaches the guard
          headers = { ...headers, cookie: 'smile_csrf=visitor0123456789', 'x-csrf-token': 'visitor0123456789' };
          form = { _csrf: 'visitor0123456789' };
        } else if (role !== 'anonymous') {
          if (r.api && !SAFE.has(r.method)) {
            // state-changing API calls authenticate with a token: one holding exactly the role's privileges
            headers.authorization = await t.token([...privileges]);
          } else {
            // a state change may end the session (sign-out): each gets a session of its own
            const s = SAFE.has(r.method) ? sessions.get(role)! : await t.signIn([role]);
            headers = { ...headers, cookie: s.cookie, 'x-csrf-token': s.csrf };
            form = SAFE.has(r.method) ? undefined : { _csrf: s.csrf };
          }
        }
        const res = await t.request(r.method, r.url, { headers, form });
        const label = `${role} ${r.method} ${r.url} (${r.permission ?? 'public'}) → ${res.status}`;
        if (!r.permission) {
          // public routes: open to every role (the account pages only ask anonymous visitors to sign in)
          if (role !== 'anonymous' && res.status === 401) problems.push(`${label}: a public route refused a signed-in person`);
          continue;
        }
        const allowed = role !== 'anonymous' && privileges.has(r.permission);
        if (role === 'anonymous' && !r.api && res.status !== 401) problems.push(`${label}: expected 401`);
        else if (role === 'anonymous' && r.api && ![401, 403].includes(res.status)) problems.push(`${label}: expected 401/403`);
        else if (role !== 'anonymous' && allowed && (res.status === 401 || deniedByGuard(res, r.permission))) problems.push(`${label}: expected allowed`);
        else if (role !== 'anonymous' && !allowed && !deniedByGuard(res, r.permission)) problems.push(`${label}: expected 403 from the guard`);
      }
    }
    expect(problems, problems.join('\n')).to.deep.equal([]);
  });
});
