import { expect } from 'chai';
import { coreServices } from '@smile/sdk';
import type { TestPlatform } from '@smile/sdk/testing';
import { Client, boot } from './support.js';

describe('admin: mail outbox', () => {
  let t: TestPlatform;
  let c: Client;
  let id: number;
  before(async () => {
    t = await boot();
    c = await Client.signIn(t);
    const mailer = t.resolve(coreServices.mailer);
    id = await mailer.queue({
      institutionId: t.institution.id, to: 'ada@example.org', cc: ['bob@example.org'], subject: 'Welcome <b>Ada</b>',
      text: 'Hello <script>alert("x")</script>\nSECRET-BODY-LINE', html: '<p>Hello</p>', tag: 'test:1',
    });
  });
  after(async () => t?.stop());

  it('lists the queued mail, escaped, without its body', async () => {
    const res = await c.get('/admin/outbox');
    expect(res.status).to.equal(200);
    expect(res.text).to.contain(`<a href="/admin/outbox/${id}">Welcome &lt;b&gt;Ada&lt;/b&gt;</a>`);
    expect(res.text).to.contain('<td>ada@example.org</td>').and.contain('<td>Queued</td>').and.contain('>1 result</p>');
    expect(res.text).to.contain('<caption id="admin-outbox-caption">Messages in the outbox<span class="smile-table__sr">, sorted by Queued on, descending</span>');
    expect(res.text).not.to.contain('SECRET-BODY-LINE').and.not.contain('<b>Ada</b>');
  });

  it('filters on the status', async () => {
    expect((await c.get('/admin/outbox?status=sent')).text).to.contain('No results match your search or filters.').and.not.contain('ada@example.org');
    const queued = await c.get('/admin/outbox?status=queued');
    expect(queued.text).to.contain('ada@example.org').and.contain('<option value="queued" selected>');
    expect((await c.get('/admin/outbox?q=ADA')).text).to.contain('ada@example.org');
    expect((await c.get('/admin/outbox?q=SECRET-BODY')).text).not.to.contain('ada@example.org');
    expect((await c.get('/admin/outbox?status=%3Cx%3E&page=-3&sort=body_text')).status).to.equal(200);
  });

  it('pages newest first', async () => {
    const mailer = t.resolve(coreServices.mailer);
    for (let i = 1; i <= 26; i++) await mailer.queue({ institutionId: t.institution.id, to: `p${i}@example.org`, subject: `Paged ${i}`, text: 'x' });
    const first = await c.get('/admin/outbox');
    expect(first.text).to.contain('Results 1–25 of 27').and.contain('Paged 26').and.not.contain('Welcome &lt;b&gt;');
    expect(first.text.indexOf('Paged 26')).to.be.lessThan(first.text.indexOf('Paged 25'));
    expect(first.text).to.contain('href="/admin/outbox?sort=created_at&amp;dir=desc&amp;size=25&amp;page=2"');
    const second = await c.get('/admin/outbox?page=2');
    expect(second.text).to.contain('Results 26–27 of 27').and.contain('Welcome &lt;b&gt;');
    expect((await c.get('/admin/outbox?page=99')).text).to.contain('Results 26–27 of 27');
    // htmx requests aimed at the table region get the region alone
    const region = await c.get('/admin/outbox?page=2', { 'hx-request': 'true', 'hx-target': 'div#admin-outbox' });
    expect(region.text).to.contain('id="admin-outbox"').and.not.contain('<h1>').and.not.contain('<html');
  });

  it('shows one message with its text body escaped', async () => {
    const res = await c.get(`/admin/outbox/${id}`);
    expect(res.status).to.equal(200);
    expect(res.text).to.contain('Hello &lt;script&gt;alert(&#34;x&#34;)&lt;/script&gt;\nSECRET-BODY-LINE</pre>');
    expect(res.text).not.to.contain('<script>alert');
    expect(res.text).to.contain('bob@example.org').and.contain('<code>test:1</code>').and.contain('also has an HTML version');
  });

  it('404 for another institution’s message and for malformed ids', async () => {
    const other = await t.createInstitution({ code: 'other-u', hostNames: ['other.example'] });
    const theirs = await t.resolve(coreServices.mailer).queue({ institutionId: other.id, to: 'x@example.org', subject: 'Theirs', text: 'private' });
    expect((await c.get(`/admin/outbox/${theirs}`)).status).to.equal(404);
    expect((await c.get('/admin/outbox')).text).not.to.contain('Theirs');
    expect((await c.get('/admin/outbox/abc')).status).to.equal(404);
    expect((await c.get('/admin/outbox/99999999999999999999999')).status).to.equal(404);
  });
});
