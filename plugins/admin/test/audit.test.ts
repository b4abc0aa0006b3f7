import { expect } from 'chai';
import type { TestPlatform } from '@smile/sdk/testing';
import { Client, boot } from './support.js';

describe('admin: audit log', () => {
  let t: TestPlatform;
  let admin: Client;
  before(async () => {
    t = await boot();
    admin = Client.fromSession(t, await t.signIn(['admin'], { displayName: 'Nadia Admin' }));
    await admin.get('/admin/roles/matrix');
    await admin.htmxPost('/admin/roles/matrix/cell', { role: 'student', privilege: 'admin:jobs.read', grant: 'student/admin:jobs.read' });
    await admin.get('/admin/roles/new');
    await admin.post('/admin/roles', { key: 'lab-head', nameFr: 'Chef <b>labo</b>', nameEn: 'Lab <b>head</b>', parent: 'referent' });
  });
  after(async () => t?.stop());

  it('shows the changes made through the pages, newest first, with before and after', async () => {
    const res = await admin.get('/admin/audit');
    expect(res.status).to.equal(200);
    const created = res.text.indexOf('<td>core.role.created</td>');
    const granted = res.text.indexOf('<td>core.role.privilege-granted</td>');
    expect(created).to.be.greaterThan(0);
    expect(granted).to.be.greaterThan(created);
    expect(res.text).to.contain('<td>Nadia Admin</td>').and.contain('<td>role:student</td>').and.contain('<td>Success</td>');
    // the details are escaped, indented JSON, inside an expandable entry
    expect(res.text).to.contain('<summary>Show<span class="sr-only"> entry');
    expect(res.text).to.contain('&#34;en&#34;: &#34;Lab &lt;b&gt;head&lt;/b&gt;&#34;').and.not.contain('<b>head</b>');
    // (jsonb orders keys by length)
    expect(res.text).to.match(/<dt>Before<\/dt>\s*<dd><pre class="json">\{\n {2}&#34;granted&#34;: false,\n {2}&#34;privilege&#34;: &#34;admin:jobs.read&#34;\n\}<\/pre><\/dd>/);
  });

  it('filters on action, outcome and dates, and searches actor and target', async () => {
    const byAction = await admin.get('/admin/audit?action=core.role.created');
    expect(byAction.text).to.contain('<td>core.role.created</td>').and.not.contain('<td>core.role.privilege-granted</td>');
    expect(byAction.text).to.contain('<option value="core.role.created" selected>');
    expect((await admin.get('/admin/audit?outcome=failure')).text).to.contain('No results match');
    expect((await admin.get('/admin/audit?q=lab-head')).text).to.contain('<td>role:lab-head</td>').and.not.contain('<td>role:student</td>');
    expect((await admin.get('/admin/audit?q=nadia')).text).to.contain('<td>core.role.created</td>');
    expect((await admin.get('/admin/audit?at_max=2000-01-01')).text).to.contain('No results match');
    const today = new Date().toISOString().slice(0, 10);
    expect((await admin.get(`/admin/audit?at_min=${today}`)).text).to.contain('<td>core.role.created</td>');
    const region = await admin.get('/admin/audit?action=core.role.created', { 'hx-request': 'true', 'hx-target': 'div#admin-audit' });
    expect(region.text).to.contain('id="admin-audit"').and.contain('<details>').and.not.contain('<h1>').and.not.contain('<html');
  });

  it('is read-only, and shows only this institution’s entries', async () => {
    expect((await admin.post('/admin/audit', {})).status).to.equal(405);
    const other = await t.createInstitution({ code: 'other-u', hostNames: ['other.example'] });
    const theirs = Client.fromSession(t, await t.signIn(['admin'], { institution: other, displayName: 'Elsewhere Admin' }));
    await theirs.get('/admin/roles/new', { host: 'other.example' });
    expect((await admin.get('/admin/audit')).text).not.to.contain('Elsewhere Admin');
    expect((await Client.fromSession(t, await t.signIn(['student'])).get('/admin/audit')).status).to.equal(403);
  });
});
