import { expect } from 'chai';
import { coreServices } from '@smile/sdk';
import type { TestPlatform } from '@smile/sdk/testing';
import { Client, boot, fixtures, freshInstitution } from './support.js';

describe('admin: plugins', () => {
  let t: TestPlatform;
  let c: Client;
  const enabled = async (id: string) => t.resolve(coreServices.platformAdmin).plugins(await freshInstitution(t)).find((p) => p.id === id)?.enabled;
  before(async () => {
    t = await boot({ plugins: ['greeting-tapper'], pluginPaths: [fixtures] });
    c = await Client.signIn(t);
  });
  after(async () => t?.stop());

  it('lists installed plugins (not themes) with version, kind, maturity and state', async () => {
    const res = await c.get('/admin/plugins');
    expect(res.status).to.equal(200);
    expect(res.text).to.contain('<tr id="plugin-hello">').and.contain('Example: hello').and.contain('<td>1.0.0</td>').and.contain('<td>Stable</td>');
    expect(res.text).not.to.contain('id="plugin-base"');
    expect(res.text).to.match(/id="toggle-hello" class="small secondary" aria-label="Disable Example: hello">Disable<\/button>/);
    expect(res.text).to.contain('data-confirm="Disable “Example: hello” for this institution?');
    expect(res.text).to.contain('Always on (this page belongs to it)').and.not.contain('id="toggle-admin"');
  });

  it('an htmx toggle returns only the row, and the plugin’s routes are then 404 for this institution', async () => {
    expect((await t.get('/hello')).status).to.equal(200);
    await c.get('/admin/plugins');
    const res = await c.htmxPost('/admin/plugins/hello/toggle', { enabled: '0' });
    expect(res.status).to.equal(200);
    expect(res.text.trim()).to.match(/^<tr id="plugin-hello">[\s\S]*<\/tr>$/);
    expect(res.text).not.to.contain('<html').and.not.contain('<main');
    expect(res.text).to.contain('>Enable</button>').and.contain('“Example: hello” is disabled.');
    expect(await enabled('hello')).to.equal(false);
    expect((await t.get('/hello')).status).to.equal(404);
    // other institutions keep it
    await t.createInstitution({ code: 'other-u', hostNames: ['other.example'] });
    expect((await t.get('/hello', { host: 'other.example' })).status).to.equal(200);
  });

  it('works without JavaScript: a plain form post, a redirect and a flash message', async () => {
    const res = await c.post('/admin/plugins/hello/toggle', { enabled: '1' });
    expect(res.status).to.equal(303);
    expect(res.headers.get('location')).to.equal('/admin/plugins#plugin-hello');
    expect(await enabled('hello')).to.equal(true);
    expect((await c.get('/admin/plugins')).text).to.contain('“Example: hello” is enabled.');
    expect((await t.get('/hello')).status).to.equal(200);
  });

  it('refuses to disable a plugin another enabled plugin needs: 409 with the row and the reason', async () => {
    const res = await c.htmxPost('/admin/plugins/greeting-owner/toggle', { enabled: '0' });
    expect(res.status).to.equal(409);
    expect(res.text.trim()).to.match(/^<tr id="plugin-greeting-owner">/);
    expect(res.text).to.contain('role="alert">Not disabled: it is needed by greeting-tapper. Disable those first.</p>');
    expect(res.text).to.contain('>Disable</button>');
    expect(await enabled('greeting-owner')).to.equal(true);
  });

  it('refuses to enable a plugin whose dependency is off, and to disable itself', async () => {
    expect((await c.htmxPost('/admin/plugins/greeting-tapper/toggle', { enabled: '0' })).status).to.equal(200);
    expect((await c.htmxPost('/admin/plugins/greeting-owner/toggle', { enabled: '0' })).status).to.equal(200);
    const res = await c.htmxPost('/admin/plugins/greeting-tapper/toggle', { enabled: '1' });
    expect(res.status).to.equal(409);
    expect(res.text).to.contain('Not enabled: this plugin needs greeting-owner.');
    const self = await c.htmxPost('/admin/plugins/admin/toggle', { enabled: '0' });
    expect(self.status).to.equal(409);
    expect(self.text).to.contain('cannot be disabled from its own page');
    expect(await enabled('admin')).to.equal(true);
    const noJs = await c.post('/admin/plugins/admin/toggle', { enabled: '0' });
    expect(noJs.status).to.equal(303);
    expect((await c.get('/admin/plugins')).text).to.contain('class="flash flash-error">The administration plugin cannot be disabled');
  });

  it('404 for unknown plugins and themes; 403 without the permission', async () => {
    expect((await c.htmxPost('/admin/plugins/nope/toggle', { enabled: '0' })).status).to.equal(404);
    expect((await c.htmxPost('/admin/plugins/base/toggle', { enabled: '0' })).status).to.equal(404);
    const other = await Client.signIn(t, ['admin:area.view']);
    expect((await other.htmxPost('/admin/plugins/hello/toggle', { enabled: '0' })).status).to.equal(403);
    expect(await enabled('hello')).to.equal(true);
  });
});
