import path from 'node:path';
import { expect } from 'chai';
import { startTestPlatform, type TestPlatform } from '@smile/sdk/testing';
import { Strings } from '../src/http/i18n.js';

const repo = path.resolve(path.dirname(new URL(import.meta.url).pathname), '..', '..');

describe('web shell: languages and bad input', () => {
  let t: TestPlatform;
  before(async () => {
    t = await startTestPlatform({ plugins: ['hello', 'demo'], pluginPaths: [path.join(repo, 'examples')], demo: true });
  });
  after(async () => t?.stop());

  it('a key missing in one language falls back to the other, and is reported once', () => {
    const missing: string[] = [];
    const s = new Strings([{ id: 'core', dir: path.join(repo, 'core', 'test', 'fixtures', 'strings') }], [], (key, lang) => missing.push(`${lang}:${key}`));
    expect(s.t('en', 'core:onlyFrench')).to.equal('Seulement en français');
    expect(s.t('en', 'core:onlyFrench')).to.equal('Seulement en français');
    expect(s.t('fr', 'core:both')).to.equal('Les deux');
    expect(missing).to.deep.equal(['en:core:onlyFrench']);
  });

  it('an unknown language code falls back to the institution default', async () => {
    const res = await t.get('/?lang=xx', { 'accept-language': 'de-DE' });
    expect(res.text).to.contain('<html lang="fr">');
    await t.knex('institutions').where({ id: t.institution.id }).update({ default_language: 'en' });
    t.platform.institutions.invalidate();
    try {
      expect((await t.get('/?lang=xx', { 'accept-language': 'de-DE' })).text).to.contain('<html lang="en">');
    } finally {
      await t.knex('institutions').where({ id: t.institution.id }).update({ default_language: 'fr' });
      t.platform.institutions.invalidate();
    }
  });

  it('the language chosen with the switcher is remembered', async () => {
    const res = await t.get('/?lang=en', { 'accept-language': 'fr' });
    const cookie = res.headers.getSetCookie().find((c) => c.startsWith('smile_lang='))!.split(';')[0]!;
    expect((await t.get('/hello', { cookie, 'accept-language': 'fr' })).text).to.contain('<html lang="en">');
  });

  it('a request with a bad CSRF token gets 403 and, for htmx, a fragment saying to reload, in the user language', async () => {
    const res = await t.request('POST', '/hello', { headers: { 'hx-request': 'true', 'accept-language': 'fr', 'x-csrf-token': 'forged', cookie: 'smile_csrf=real' }, form: { name: 'x' } });
    expect(res.status).to.equal(403);
    expect(res.text).to.contain('Cette page a expiré. Rechargez-la, puis recommencez.');
    expect(res.text).not.to.contain('<html');
  });

  it('server errors come back as a fragment for htmx requests, with the request reference', async () => {
    const res = await t.get('/nowhere', { 'hx-request': 'true', 'accept-language': 'en' });
    expect(res.status).to.equal(404);
    expect(res.text).to.contain('This page does not exist.').and.contain(res.headers.get('x-request-id')!);
    expect(res.text).not.to.contain('<html');
  });

  it('a GET on a POST-only address gets the site’s error page saying what to do, not a bare text', async () => {
    const res = await t.get('/sign-out', { 'accept-language': 'en' });
    expect(res.status).to.equal(405);
    expect(res.headers.get('allow')).to.contain('POST');
    expect(res.text).to.contain('<html').and.contain('This address only takes a form sent from its page');
    const fr = await t.get('/sign-out', { 'accept-language': 'fr' });
    expect(fr.text).to.contain('Cette adresse ne reçoit qu’un formulaire envoyé depuis sa page');
  });

  it('a boosted navigation (HX-Request-Type: full) gets the whole page', async () => {
    const res = await t.get('/hello', { 'hx-request': 'true', 'hx-request-type': 'full' });
    expect(res.text).to.contain('<html');
  });

  it('serves htmx and Alpine from the platform with immutable caching, no CDN', async () => {
    const home = await t.get('/');
    const scripts = [...home.text.matchAll(/<script src="([^"]+)"/g)].map((m) => m[1]!);
    expect(scripts.every((s) => s.startsWith('/assets/'))).to.equal(true);
    for (const s of scripts) {
      const r = await t.get(s);
      expect(r.status, s).to.equal(200);
      expect(r.headers.get('cache-control')).to.contain('immutable');
    }
    expect(scripts.some((s) => s.includes('htmx'))).to.equal(true);
    expect(scripts.some((s) => s.includes('alpine'))).to.equal(true);
  });

  it('offers anonymous visitors the sign-in link, not an account', async () => {
    const anon = await t.get('/', { 'accept-language': 'en' });
    expect(anon.text).to.contain('href="/sign-in"');
    expect(anon.text).not.to.contain('Signed in:');
  });
});
