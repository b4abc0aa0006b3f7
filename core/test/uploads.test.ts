/**
 * Files sent with multipart forms reach handlers (with the CSRF check and a size limit), and plugins
 * read their own settings per institution and the list of institutions.
 */
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { expect } from 'chai';
import { coreServices } from '@smile/sdk';
import { startTestPlatform, type TestPlatform } from '@smile/sdk/testing';

const here = path.dirname(fileURLToPath(import.meta.url));

describe('uploads and per-institution plugin settings', () => {
  let t: TestPlatform;
  before(async () => {
    t = await startTestPlatform({ plugins: ['upload-probe', 'base'], pluginPaths: [path.join(here, 'fixtures', 'upload-probe')] });
  });
  after(async () => t?.stop());

  it('a multipart form brings its fields and files, several per field, bytes intact', async () => {
    const c = t.client();
    const latin1 = Buffer.from([0xc9, 0x63, 0x6f]); // "Éco" in Windows-1252
    const res = await c.upload('/upload-probe', [['note', ' hello '], ['tags', 'a'], ['tags', 'b']], { file: { filename: 'cours.csv', data: 'code;libelle\nA;Économie\n' } });
    expect(res.status).to.equal(200);
    const body = res.json();
    expect(body.note).to.equal('hello');
    expect(body.tags).to.deep.equal(['a', 'b']);
    expect(body.files).to.deep.equal([{ name: 'file', filename: 'cours.csv', size: Buffer.byteLength('code;libelle\nA;Économie\n'), text: 'code;libelle\nA;Économie\n' }]);
    const raw = await c.upload('/upload-probe', {}, { file: { filename: 'latin1.csv', data: latin1 } });
    expect(raw.json().files[0].size).to.equal(3);
  });

  it('refuses a multipart form without the CSRF token', async () => {
    const res = await t.request('POST', '/upload-probe', { form: { note: 'x' }, files: { file: { filename: 'a.txt', data: 'a' } } });
    expect(res.status).to.equal(403);
  });

  it('refuses a file over the limit with 413 and says the limit', async () => {
    const c = t.client();
    const res = await c.upload('/upload-probe', {}, { file: { filename: 'big.csv', data: Buffer.alloc(51 * 1024 * 1024, 0x61) } });
    expect(res.status).to.equal(413);
    expect(res.text).to.contain('50 MB');
  });

  it('a plugin taps a synchronous core hook (transformOpenApi)', async () => {
    const res = await t.request('GET', '/api/v1/openapi.json');
    expect(res.json()['x-upload-probe']).to.equal(true);
  });

  it('settingsFor gives the institution overrides (secrets included, for the plugin only) and the institutions service lists tenants', async () => {
    const c = t.client();
    expect((await c.get('/upload-probe/settings')).json()).to.deep.equal({ greeting: 'hello', hasToken: false, institutions: [t.institution.code], byId: t.institution.code });
    const errors = await t.resolve(coreServices.platformAdmin).saveSettings(t.institution, 'upload-probe', { greeting: 'bonjour', token: 's3cret' });
    expect(errors).to.equal(null);
    expect((await c.get('/upload-probe/settings')).json()).to.include({ greeting: 'bonjour', hasToken: true });
    // the settings form never shows secrets, so it never sends them back: saving keeps the stored one
    const fresh = (await t.resolve(coreServices.institutions).byId(t.institution.id))!;
    expect(await t.resolve(coreServices.platformAdmin).saveSettings(fresh, 'upload-probe', { greeting: 'salut' })).to.equal(null);
    expect((await c.get('/upload-probe/settings')).json()).to.include({ greeting: 'salut', hasToken: true });
  });
});
