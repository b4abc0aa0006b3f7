// Messages on a file, both ways: the office writes (the student is mailed), the student answers
// from their space (the managers who see the file are mailed); the thread keeps line breaks and
// escapes the text; a message too long comes back with its error and the text kept; nobody posts on
// a file they may not see. And the sent-mail block of the file's page.
import { expect } from 'chai';
import { coreServices } from '@smile/sdk';
import { startTestPlatform, type TestClient, type TestPlatform } from '@smile/sdk/testing';
import { mobilityService, type MobilityStore } from '../src/index.js';

describe('mobility: messages and sent mail', function () {
  this.timeout(120_000);
  let t: TestPlatform;
  let store: MobilityStore;
  let inst: number;
  let fileId: number;
  let otherId: number;
  let manager: TestClient;
  let student: TestClient;
  let stranger: TestClient;
  let referentSci: TestClient;

  const mails = async (after: number) =>
    (await t.knex('mail_outbox').where({ institution_id: inst, tag: `mobility.file:${fileId}` }).andWhere('id', '>', after).orderBy('id')) as any[];
  const lastId = async () => Number((await t.knex('mail_outbox').max({ m: 'id' }).first())?.m ?? 0);

  before(async () => {
    t = await startTestPlatform({ plugins: ['mobility'] });
    store = t.resolve(mobilityService);
    inst = t.institution.id;
    const roles = t.resolve(coreServices.roles);
    for (const code of ['LAW', 'SCI']) await roles.saveComponent({ institutionId: inst, label: 'test' }, { code, name: { fr: code, en: code } });
    const law = (await t.knex('components').where({ institution_id: inst, code: 'LAW' }).first()).id;
    const m = await t.signIn(['manager'], { displayName: 'Marie Office', email: 'office@host.example' });
    await t.signIn([{ role: 'manager', components: ['SCI'] }], { displayName: 'Sam Sci', email: 'sci@host.example' });
    manager = t.client({ session: m });
    referentSci = t.client({ session: await t.signIn([{ role: 'referent', components: ['SCI'] }]) });
    const s = await t.signIn(['student'], { displayName: 'Ana Silva', email: 'ana.account@student.example' });
    student = t.client({ session: s, lang: 'en' });
    stranger = t.client({ session: await t.signIn(['student'], { displayName: 'Other Student' }) });
    const actor = { institutionId: inst, personId: m.personId, label: 'Marie Office' };
    fileId = (await store.createFile(actor, {
      firstName: 'Ana', lastName: 'Silva', email: 'ana@student.example', exchangeType: 'first-semester', academicYear: 2026, personId: s.personId,
      componentId: law, home: { name: 'Universidade de Lisboa', country: 'PT' },
    })).id;
    otherId = (await store.createFile(actor, { firstName: 'Bo', lastName: 'Other', exchangeType: 'first-semester', academicYear: 2026, componentId: law })).id;
    await t.drainJobs();
  });
  after(async () => t?.stop());

  it('lets the office write to the student, who is mailed, and shows the thread with line breaks, escaped', async () => {
    const before = await lastId();
    const res = await manager.post(`/mobility/files/${fileId}/messages`, { body: 'Hello Ana,\nyour <b>transcript</b> is missing.' });
    expect(res.status).to.equal(303);
    expect(res.headers.get('location')).to.equal(`/mobility/files/${fileId}#messages`);
    await t.drainJobs();
    const sent = await mails(before);
    expect(sent.map((x) => [x.recipient, x.subject])).to.deep.equal([['ana@student.example', 'New message on your mobility file']]);
    expect(sent[0].body_text).to.contain(`/mobility/me/${fileId}`).and.not.contain('transcript');
    const page = await manager.get(`/mobility/files/${fileId}`);
    expect(page.text).to.contain('<h2 id="messages-title">Messages</h2>');
    expect(page.text).to.contain('Hello Ana,<br>your &lt;b&gt;transcript&lt;/b&gt; is missing.').and.contain('Marie Office');
    const audit = await t.knex('audit_log').where({ action: 'mobility.message.create' }).first();
    expect(audit.detail).to.include({ side: 'office' });
    expect(JSON.stringify(audit)).not.to.contain('transcript');
  });

  it('lets the student answer from their space; the managers who see the file are mailed', async () => {
    const before = await lastId();
    const res = await student.post(`/mobility/me/${fileId}/messages`, { body: 'Here it is.\n\nThanks!' });
    expect(res.status).to.equal(303);
    expect(res.headers.get('location')).to.equal(`/mobility/me/${fileId}#messages`);
    await t.drainJobs();
    const sent = await mails(before);
    // the SCI-only manager does not see this LAW file: not told
    expect(sent.map((x) => [x.recipient, x.subject])).to.deep.equal([['office@host.example', 'Message de Ana Silva sur son dossier']]);
    expect(sent[0].body_text).to.contain(`/mobility/files/${fileId}`);
    const office = await manager.get(`/mobility/files/${fileId}`);
    expect(office.text).to.contain('Here it is.<br><br>Thanks!').and.contain('Ana Silva');
    const space = await student.get(`/mobility/me/${fileId}`);
    expect(space.status).to.equal(200);
    expect(space.text).to.contain('Here it is.<br><br>Thanks!').and.contain(`action="/mobility/me/${fileId}/messages"`);
  });

  it('sends back a message that is too long or empty with its error, the text kept, and records nothing', async () => {
    const count = async () => Number((await t.knex('mobility_messages').where({ file_id: fileId }).count({ n: '*' }).first())!.n);
    const n = await count();
    const long = `Start of a long message ${'x'.repeat(4100)}`;
    const res = await student.post(`/mobility/me/${fileId}/messages`, { body: long });
    expect(res.status).to.equal(303);
    const again = await student.get(`/mobility/me/${fileId}`);
    expect(again.text).to.contain('The message is too long: 4124 characters, at most 4000.').and.contain(long);
    expect(again.text).to.contain('aria-describedby="message-hint message-error"').and.contain('aria-invalid="true"');
    // shown once: the next visit has an empty form
    expect((await student.get(`/mobility/me/${fileId}`)).text).not.to.contain('Start of a long message');
    await manager.post(`/mobility/files/${fileId}/messages`, { body: '   ' });
    expect((await manager.get(`/mobility/files/${fileId}`)).text).to.contain('Write a message before sending it.');
    expect(await count()).to.equal(n);
  });

  it('refuses posts on files the person may not see', async () => {
    expect((await stranger.post(`/mobility/me/${fileId}/messages`, { body: 'Hi' })).status).to.equal(404);
    expect((await student.post(`/mobility/me/${otherId}/messages`, { body: 'Hi' })).status).to.equal(404);
    expect((await referentSci.post(`/mobility/files/${fileId}/messages`, { body: 'Hi' })).status).to.equal(404);
    expect((await student.post(`/mobility/files/${fileId}/messages`, { body: 'Hi' })).status).to.equal(403);
    const noCsrf = await t.request('POST', `/mobility/files/${fileId}/messages`, { headers: { cookie: manager.cookie }, form: { body: 'Hi' } });
    expect(noCsrf.status).to.equal(403);
  });

  it('lists the mail sent about the file with its status, and the error of a failed one', async () => {
    const rows = await t.knex('mail_outbox').where({ tag: `mobility.file:${fileId}` }).orderBy('id');
    await t.knex('mail_outbox').where({ id: rows[0].id }).update({ status: 'failed', attempts: 8, last_error: '550 mailbox <unknown>' });
    await t.knex('mail_outbox').where({ id: rows[1].id }).update({ status: 'sent', sent_at: new Date() });
    const page = await manager.get(`/mobility/files/${fileId}`);
    expect(page.text).to.contain('Mail sent about this file').and.contain('New message on your mobility file').and.contain('office@host.example');
    expect(page.text).to.contain('Failed').and.contain('Error: 550 mailbox &lt;unknown&gt; (after 8 attempts)').and.contain('Sent (');
    // not on the student's own space
    expect((await student.get(`/mobility/me/${fileId}`)).text).not.to.contain('Mail sent about this file');
  });
});
