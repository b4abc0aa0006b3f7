import { expect } from 'chai';
import type { TestPlatform } from '@smile/sdk/testing';
import { Client, boot, freshInstitution, versionOf } from './support.js';

const emptyLinks = Object.fromEntries([0, 1, 2, 3, 4].flatMap((i) => ['labelFr', 'labelEn', 'url'].map((f) => [`link${i}_${f}`, ''])));

describe('admin: theme', () => {
  let t: TestPlatform;
  let c: Client;
  before(async () => {
    t = await boot();
    c = await Client.signIn(t);
  });
  after(async () => t?.stop());

  it('lists the installed themes and the settings of the current one', async () => {
    const res = await c.get('/admin/theme');
    expect(res.status).to.equal(200);
    expect(res.text).to.contain('<option value="base" selected>Base theme (current)</option>');
    expect(res.text).to.contain('id="f-primaryColor"').and.contain('id="f-link-4-url"');
    expect(res.text).not.to.contain('--primary:');
  });

  it('refuses an invalid colour with a message next to the field, keeping the input', async () => {
    const res = await c.post('/admin/theme/settings', { ...emptyLinks, primaryColor: 'red;}body{display:none', accentColor: '#00aa00', logoUrl: '' });
    expect(res.status).to.equal(422);
    expect(res.text).to.match(/id="f-primaryColor" name="primaryColor" type="text" value="red;}body{display:none" aria-invalid="true" aria-describedby="f-primaryColor-hint f-primaryColor-error"/);
    expect(res.text).to.contain('<p id="f-primaryColor-error" class="field-error">A colour such as #0b5cad (# and six hex digits).</p>');
    expect(res.text).to.contain('value="#00aa00"');
    expect(res.text).not.to.contain('--primary:red');
    expect((await freshInstitution(t)).settings.base).to.equal(undefined);
  });

  it('puts a link row error on the right row, even after blank rows', async () => {
    const res = await c.post('/admin/theme/settings', { ...emptyLinks, primaryColor: '', accentColor: '', logoUrl: '', link2_labelFr: 'Contact', link2_labelEn: 'Contact', link2_url: 'javascript:alert(1)' });
    expect(res.status).to.equal(422);
    expect(res.text).to.contain('<p id="f-link-2-url-error" class="field-error">A path starting with / or an https address.</p>');
    expect(res.text).to.contain('Link 3, Address: A path starting with / or an https address.');
  });

  it('saves valid settings: the layout writes the colours and the footer links', async () => {
    const res = await c.post('/admin/theme/settings', {
      ...emptyLinks, primaryColor: '#123456', accentColor: '', logoUrl: '/assets/custom/logo.svg',
      link1_labelFr: 'Mentions légales', link1_labelEn: 'Legal notice', link1_url: '/legal',
    });
    expect(res.status).to.equal(303);
    expect(res.headers.get('location')).to.equal('/admin/theme');
    const page = await c.get('/admin/theme');
    expect(page.text).to.contain('The theme settings are saved.');
    expect(page.text).to.contain('<style>:root{--primary:#123456;}</style>');
    expect(page.text).to.contain('<a href="/legal">Legal notice</a>').and.contain('src="/assets/custom/logo.svg"');
    expect(page.text).to.contain('value="Mentions légales"');
    const settings = (await freshInstitution(t)).settings.base;
    expect(settings).to.deep.equal({ primaryColor: '#123456', logoUrl: '/assets/custom/logo.svg', footerLinks: [{ labelFr: 'Mentions légales', labelEn: 'Legal notice', url: '/legal' }] });
  });

  it('clearing a field goes back to the theme default', async () => {
    const res = await c.post('/admin/theme/settings', { ...emptyLinks, primaryColor: '', accentColor: '', logoUrl: '' });
    expect(res.status).to.equal(303);
    const page = await c.get('/admin/theme');
    expect(page.text).not.to.contain('--primary:').and.not.contain('Legal notice');
  });

  it('chooses a theme with optimistic locking, and refuses unknown ones', async () => {
    const page = await c.get('/admin/theme');
    const unknown = await c.post('/admin/theme/choice', { theme: 'nope', updatedAt: versionOf(page.text) });
    expect(unknown.status).to.equal(422);
    expect(unknown.text).to.contain('Choose one of the installed themes.');
    const stale = await c.post('/admin/theme/choice', { theme: 'base', updatedAt: '2001-01-01T00:00:00.000Z' });
    expect(stale.status).to.equal(409);
    expect(stale.text).to.contain('the theme was not changed');
    const ok = await c.post('/admin/theme/choice', { theme: 'base', updatedAt: versionOf(stale.text) });
    expect(ok.status).to.equal(303);
  });

  it('shows theme render errors and a missing theme', async () => {
    await t.knex('institutions').where({ id: t.institution.id }).update({ theme: 'vanished' });
    t.platform.institutions.invalidate();
    try {
      const first = await c.get('/admin/theme');
      expect(first.status).to.equal(200);
      // the renderer records the failure while rendering that first page; the next one lists it
      const res = await c.get('/admin/theme');
      expect(res.text).to.contain('The theme “vanished” of this institution is not installed');
      expect(res.text).to.contain('Render errors').and.contain('theme &#34;vanished&#34; is not installed');
    } finally {
      await t.knex('institutions').where({ id: t.institution.id }).update({ theme: 'base' });
      t.platform.institutions.invalidate();
    }
  });
});
