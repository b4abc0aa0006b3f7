import { coreServices } from '@smile/sdk';
import type { AuditActor, Institution } from '@smile/sdk';
import { startTestPlatform, type TestPlatform, type TestResponse } from '@smile/sdk/testing';

export const ESI = (code: string, qualifier = 'fr') => `urn:schac:personalUniqueCode:int:esi:${qualifier}:${code}`;

/** A platform with the esi plugin and the base theme. */
export function boot(): Promise<TestPlatform> {
  return startTestPlatform({ plugins: ['esi', 'base'] });
}

/** A new person, known to `institution` (as after a sign-in there). */
export async function person(t: TestPlatform, displayName: string, institution: Institution | null = t.institution): Promise<number> {
  const p = await t.resolve(coreServices.identity).createPerson({ displayName, email: `${displayName.normalize('NFD').replace(/[\u0300-\u036f]/g, '').toLowerCase().replace(/[^a-z]+/g, '.')}@example.org` });
  if (institution) await t.knex('institution_people').insert({ institution_id: institution.id, person_id: p.id });
  return p.id;
}

export const system = (t: TestPlatform): AuditActor => ({ institutionId: t.institution.id, label: 'test' });

/** The audit entries of an action, oldest first. */
export function audits(t: TestPlatform, action: string) {
  return t.knex('audit_log').where({ action }).orderBy('id');
}

/** A browser: the session and CSRF cookies of `t.signIn`, the language, and the flash cookie. */
export class Browser {
  private jar = new Map<string, string>();
  constructor(private t: TestPlatform, cookie: string, public csrf: string, private lang: 'fr' | 'en' = 'en') {
    for (const pair of cookie.split(';')) {
      const [k, ...v] = pair.trim().split('=');
      if (k) this.jar.set(k, v.join('='));
    }
  }

  static async as(t: TestPlatform, roles: string[], lang: 'fr' | 'en' = 'en', displayName?: string): Promise<Browser & { personId: number }> {
    const s = await t.signIn(roles, { displayName });
    return Object.assign(new Browser(t, s.cookie, s.csrf, lang), { personId: s.personId });
  }

  private headers(extra: Record<string, string> = {}) {
    return { 'accept-language': this.lang, cookie: [...this.jar].map(([k, v]) => `${k}=${v}`).join('; '), ...extra };
  }

  private keep(res: TestResponse): TestResponse {
    for (const c of res.headers.getSetCookie?.() ?? []) {
      const [pair] = c.split(';');
      const i = pair!.indexOf('=');
      const value = pair!.slice(i + 1);
      if (value === '' || /expires=Thu, 01 Jan 1970/i.test(c)) this.jar.delete(pair!.slice(0, i));
      else this.jar.set(pair!.slice(0, i), value);
    }
    return res;
  }

  async get(path: string, headers: Record<string, string> = {}) {
    return this.keep(await this.t.request('GET', path, { headers: this.headers(headers) }));
  }

  async post(path: string, form: Record<string, string>, withCsrf = true) {
    return this.keep(await this.t.request('POST', path, { headers: this.headers(), form: withCsrf ? { _csrf: this.csrf, ...form } : form }));
  }
}
