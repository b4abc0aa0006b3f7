import { expect } from 'chai';
import { startTestPlatform, TestClient, type TestPlatform, type TestResponse } from '@smile/sdk/testing';
import type { TestIdp } from './idp.js';

/** A platform with the SAML plugin and the base theme; `idps` are configured in the settings. */
export function boot(idps: TestIdp[], settings: Record<string, unknown> = {}, plugins: string[] = []): Promise<TestPlatform> {
  return startTestPlatform({
    plugins: ['auth-saml', 'base', ...plugins],
    settings: { 'auth-saml': { idps: idps.map((i) => i.setting()), ...settings } },
  });
}

/** A browser without JavaScript (the SDK's test client); `postFromIdp` is the IdP's auto-submitted form. */
export class Client extends TestClient {
  constructor(t: TestPlatform, lang: 'fr' | 'en' = 'en') {
    super(t, { lang });
  }

  /** What the IdP's form sends: a cross-site POST, without our SameSite=Lax cookies. */
  postFromIdp(p: string, form: Record<string, string>): Promise<TestResponse> {
    return this.postCrossSite(p, form);
  }
}

/** Start a sign-in at `idp`: SMILE redirects to the IdP, which verifies the signed AuthnRequest. */
export async function startSignIn(c: Client, idp: TestIdp, returnTo?: string): Promise<{ id: string; relayState: string; location: string }> {
  const q = new URLSearchParams({ idp: idp.entityId });
  if (returnTo) q.set('return', returnTo);
  const res = await c.get(`/saml/login?${q}`);
  expect(res.status, res.text.slice(0, 300)).to.equal(302);
  const location = res.headers.get('location')!;
  expect(location.startsWith(`${idp.baseUrl}/sso?`)).to.equal(true);
  return { ...(await idp.readAuthnRequest(location)), location };
}

/** Teach the IdP our SP metadata, as a federation would. */
export async function introduce(t: TestPlatform, idp: TestIdp): Promise<string> {
  const res = await t.get('/saml/metadata');
  expect(res.status).to.equal(200);
  idp.useSp(res.text);
  return res.text;
}

/** Audit entries of refused SAML sign-ins, newest first. */
export async function failures(t: TestPlatform): Promise<Array<{ reason: string; detail: Record<string, unknown>; outcome: string; target_id: string | null }>> {
  const rows = await t.knex('audit_log').where({ action: 'core.sign-in.failed' }).orderBy('id', 'desc');
  return rows.map((r: any) => {
    const detail = typeof r.detail === 'string' ? JSON.parse(r.detail) : r.detail;
    return { reason: detail?.reason, detail, outcome: r.outcome, target_id: r.target_id };
  });
}

/** The visible text of a page (tags stripped, whitespace collapsed). */
export const textOf = (html: string) => html.replace(/<script[\s\S]*?<\/script>/g, ' ').replace(/<[^>]+>/g, ' ').replace(/&#39;|&apos;/g, "'").replace(/&quot;/g, '"').replace(/&amp;/g, '&').replace(/\s+/g, ' ');
