import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { expect } from 'chai';
import { startTestPlatform } from '@smile/sdk/testing';
import type { TestClient, TestPlatform } from '@smile/sdk/testing';
import { SEED_TEMPLATES, mailingService, renderTemplate, unknownMacros } from '../src/index.js';
import type { MailingError, MailingService } from '../src/index.js';

const fixtures = path.join(path.dirname(fileURLToPath(import.meta.url)), 'fixtures');

describe('mailing: rendering', () => {
  it('replaces macros from nested values, spaces allowed, escaping HTML in the HTML part only', () => {
    const r = renderTemplate('Dear {{ student.firstName }},\n\nWelcome to {{host.name}}.\n{{link}}', {
      student: { firstName: 'Zoë <b>&' },
      host: { name: 'Université "Exemple"' },
      link: 'https://x.example/a?b=1&c=2',
    });
    expect(r.text).to.equal('Dear Zoë <b>&,\n\nWelcome to Université "Exemple".\nhttps://x.example/a?b=1&c=2');
    expect(r.html).to.equal('<p>Dear Zoë &lt;b&gt;&amp;,</p>\n<p>Welcome to Université &quot;Exemple&quot;.<br>\nhttps://x.example/a?b=1&amp;c=2</p>');
    expect(r.missing).to.deep.equal([]);
  });

  it('renders a missing value as empty and reports it; template text is escaped too', () => {
    const r = renderTemplate('<i>{{student.firstName}}</i> {{deadline}} {{student}}', { student: { lastName: 'Silva' } });
    expect(r.text).to.equal('<i></i>  ');
    expect(r.html).to.equal('<p>&lt;i&gt;&lt;/i&gt;</p>');
    expect(r.missing).to.deep.equal(['student.firstName', 'deadline', 'student']);
  });

  it('lists the unknown macros of a text, each once', () => {
    const defs = [{ name: 'link', description: { fr: '', en: '' }, example: '' }];
    expect(unknownMacros('{{link}} {{ nope.a }} {{nope.a}} {{other}} {single}', defs)).to.deep.equal(['nope.a', 'other']);
  });
});

describe('mailing: service and pages', () => {
  let t: TestPlatform;
  let mailing: MailingService;
  let manager: TestClient;
  const actor = () => ({ institutionId: t.institution.id, label: 'test' });

  before(async () => {
    t = await startTestPlatform({ plugins: ['mailing', 'mailing-probe', 'base'], pluginPaths: [fixtures] });
    mailing = t.resolve(mailingService);
    manager = t.client({ session: await t.signIn(['manager']) });
  });
  after(async () => t?.stop());

  it('seeds every template in French and in English, with its intended recipient', async () => {
    const all = await mailing.templates(t.institution.id);
    expect(all).to.have.length(SEED_TEMPLATES.length * 2);
    for (const key of ['invitation', 'referent-waiting', 'courses-received', 'courses-validated', 'next-step-student', 'next-step-manager', 'abandonment', 'refusal', 'reminder']) {
      expect(all.filter((x) => x.key === key).map((x) => x.language).sort(), key).to.deep.equal(['en', 'fr']);
    }
    expect(all.find((x) => x.key === 'referent-waiting')!.recipient).to.equal('referent');
    expect(all.find((x) => x.key === 'next-step-manager')!.recipient).to.equal('manager');
    expect(all.find((x) => x.key === 'refusal')!.recipient).to.equal('student');
    expect((await mailing.template(t.institution.id, 'invitation', 'fr'))!.body).to.contain('{{link}}').and.contain('Bonjour');
    // every seeded template uses only macros that exist
    for (const x of all) expect(unknownMacros(x.subject + x.body, mailing.macros()), x.key).to.deep.equal([]);
    // an institution created later gets them too, when first asked
    const other = await t.createInstitution({ code: 'other-mailing' });
    expect(await mailing.template(other.id, 'reminder', 'en')).to.include({ key: 'reminder', language: 'en', version: 1 });
  });

  it('lists the macros of the plugin and those of plugins tapping transformMacros', () => {
    const byName = new Map(mailing.macros().map((m) => [m.name, m]));
    for (const name of ['host.name', 'link', 'deadline', 'probe.code']) expect(byName.has(name), name).to.equal(true);
    expect(byName.get('step.label')!.example).to.equal('Probe step');
  });

  it('saves a template, audited, and refuses a save built on an old version', async () => {
    const before = (await mailing.template(t.institution.id, 'reminder', 'en'))!;
    const saved = await mailing.save(actor(), 'reminder', 'en', { subject: 'Reminder {{probe.code}}', body: 'Hello {{student.firstName}}, {{probe.code}}.' }, before.version);
    expect(saved.version).to.equal(before.version + 1);
    expect((await mailing.template(t.institution.id, 'reminder', 'en'))!.subject).to.equal('Reminder {{probe.code}}');
    const audit = await t.knex('audit_log').where({ action: 'mailing.template.updated' }).orderBy('id', 'desc').first();
    expect(audit.after).to.include({ subject: 'Reminder {{probe.code}}' });
    try {
      await mailing.save(actor(), 'reminder', 'en', { subject: 'Other', body: 'Other' }, before.version);
      expect.fail('saved on an old version');
    } catch (e) {
      // the platform loads the plugin through its package name: compare the reason, not the class
      expect((e as MailingError).reason).to.equal('conflict');
    }
    expect((await mailing.template(t.institution.id, 'reminder', 'en'))!.subject).to.equal('Reminder {{probe.code}}');
  });

  it('refuses a template with an unknown macro, with the list of those available, and changes nothing', async () => {
    const before = (await mailing.template(t.institution.id, 'refusal', 'fr'))!;
    try {
      await mailing.save(actor(), 'refusal', 'fr', { subject: 'Refus', body: 'Bonjour {{student.surname}}' }, before.version);
      expect.fail('saved with an unknown macro');
    } catch (e) {
      const err = e as MailingError;
      expect(err.reason).to.equal('unknownMacros');
      expect(err.details.unknown).to.deep.equal(['student.surname']);
      expect(err.details.available).to.include.members(['student.firstName', 'link', 'probe.code']);
    }
    expect((await mailing.template(t.institution.id, 'refusal', 'fr'))!.version).to.equal(before.version);
  });

  it('sends through the outbox to the given recipient, rendered in the language, tracked by tag', async () => {
    const { outboxId, missing } = await mailing.send(actor(), {
      key: 'refusal',
      language: 'fr',
      to: 'ana.silva@example.org',
      values: { student: { firstName: 'Ana' }, step: { label: 'Pièces justificatives' }, comment: 'Le relevé <illisible>.', link: 'https://smile.example/f/7', deadline: new Date('2027-06-15T00:00:00Z') },
      tag: 'mobility.file:7',
    });
    expect(missing).to.deep.equal([]);
    const row = await t.knex('mail_outbox').where({ id: outboxId }).first();
    expect(row).to.include({ recipient: 'ana.silva@example.org', subject: 'Votre dossier : « Pièces justificatives » à reprendre', tag: 'mobility.file:7', status: 'queued' });
    expect(row.body_text).to.contain('Bonjour Ana,').and.contain('Le relevé <illisible>.').and.contain('avant le 15/06/2027').and.contain(t.institution.nameFr);
    expect(row.body_html).to.contain('Le relevé &lt;illisible&gt;.');
    const sent = await mailing.sent(t.institution.id, 'mobility.file:7');
    expect(sent.map((s) => [s.to, s.status])).to.deep.equal([['ana.silva@example.org', 'queued']]);
    // inside a transaction that rolls back, nothing is queued
    await t
      .knex.transaction(async (trx) => {
        await mailing.send(actor(), { key: 'invitation', language: 'en', to: 'x@example.org', values: {}, tag: 'mobility.file:8', trx });
        throw new Error('rollback');
      })
      .catch(() => undefined);
    expect(await mailing.sent(t.institution.id, 'mobility.file:8')).to.deep.equal([]);
  });

  it('shows the templates and the editor with the available macros to a manager', async () => {
    const list = await manager.get('/mailing/templates');
    expect(list.status).to.equal(200);
    expect(list.text).to.contain('<h1>Mail templates</h1>').and.contain('<h2>Waiting for referent validation</h2>').and.contain('href="/mailing/templates/invitation/fr"');
    const edit = await manager.get('/mailing/templates/invitation/en');
    expect(edit.status).to.equal(200);
    expect(edit.text).to.contain('Sent to: The student.').and.contain('<code>{{probe.code}}</code>').and.contain('name="version" value="1"');
    const fr = await t.client({ session: await t.signIn(['manager']), lang: 'fr' }).get('/mailing/templates/invitation/fr');
    expect(fr.text).to.contain('Macros disponibles');
  });

  it('previews a template with the example values, as an htmx fragment, escaped', async () => {
    const res = await manager.htmxPost('/mailing/templates/invitation/en/preview', { subject: 'Hi {{student.firstName}}', body: 'Code {{probe.code}} <script>x</script>\n\n{{nope}}' });
    expect(res.status).to.equal(200);
    expect(res.text).not.to.contain('<html');
    expect(res.text).to.contain('Hi Ana').and.contain('Code PRB-42 &lt;script&gt;x&lt;/script&gt;').and.contain('Unknown macro(s): {{nope}}');
  });

  it('saves from the form; an unknown macro and a stale version are shown in place and change nothing', async () => {
    const tpl = (await mailing.template(t.institution.id, 'courses-validated', 'en'))!;
    const bad = await manager.post('/mailing/templates/courses-validated/en', { subject: 'Approved', body: 'Hi {{student.nickname}}', version: String(tpl.version) });
    expect(bad.status).to.equal(422);
    expect(bad.text).to.contain('Unknown macro(s): {{student.nickname}}. Available macros:').and.contain('{{probe.code}}').and.contain('aria-invalid="true"').and.contain('Hi {{student.nickname}}</textarea>');
    const ok = await manager.post('/mailing/templates/courses-validated/en', { subject: 'Approved!', body: 'Hi {{student.firstName}}', version: String(tpl.version) });
    expect(ok.status, ok.text.slice(0, 300)).to.equal(303);
    expect((await mailing.template(t.institution.id, 'courses-validated', 'en'))!.subject).to.equal('Approved!');
    const stale = await manager.post('/mailing/templates/courses-validated/en', { subject: 'Late', body: 'Late', version: String(tpl.version) });
    expect(stale.status).to.equal(409);
    expect(stale.text).to.contain('Someone else saved this template').and.contain(`name="version" value="${tpl.version + 1}"`);
    expect((await mailing.template(t.institution.id, 'courses-validated', 'en'))!.subject).to.equal('Approved!');
  });

  it('refuses the pages to a student', async () => {
    const student = t.client({ session: await t.signIn(['student']) });
    const res = await student.get('/mailing/templates');
    expect(res.status).to.equal(403);
    expect(res.text).to.contain('mailing:templates.edit');
    expect((await student.post('/mailing/templates/invitation/en', { subject: 'x', body: 'x', version: '1' })).status).to.equal(403);
  });
});
