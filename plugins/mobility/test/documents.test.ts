// Documents on mobility files through HTTP, on a real database and the local disk storage: uploads
// refused with nothing stored, the review round trip (refuse with a comment, replace, accept),
// access, downloads, the step condition on required documents, and the document types page.
import { mkdtempSync, readdirSync, rmSync, statSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { expect } from 'chai';
import { coreServices } from '@smile/sdk';
import { startTestPlatform, type TestClient, type TestPlatform } from '@smile/sdk/testing';
import { mobilityService, type MobilityActor, type MobilityStore } from '../src/index.js';
import { isPlainFileName } from '../src/documents-content.js';

const visible = (html: string) =>
  html.replace(/<(script|style)\b[\s\S]*?<\/\1>/gi, ' ').replace(/<[^>]+>/g, ' ')
    .replace(/&#39;/g, '’').replace(/&amp;/g, '&').replace(/&#34;|&quot;/g, '"').replace(/&lt;/g, '<').replace(/&gt;/g, '>').replace(/\s+/g, ' ');
const pdf = (text = 'a scan') => Buffer.from(`%PDF-1.4\n% ${text}\n%%EOF\n`);
const png = () => Buffer.concat([Buffer.from([0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a]), Buffer.alloc(30_000, 1)]);

/** Every file under `dir`, relative, sorted. */
function listing(dir: string): string[] {
  let out: string[] = [];
  let names: string[];
  try {
    names = readdirSync(dir);
  } catch {
    return [];
  }
  for (const n of names) {
    const full = path.join(dir, n);
    out = statSync(full).isDirectory() ? [...out, ...listing(full).map((x) => `${n}/${x}`)] : [...out, n];
  }
  return out.sort();
}

async function rejection(p: Promise<unknown>): Promise<Error & { status?: number; code?: string }> {
  try {
    await p;
  } catch (e) {
    return e as Error;
  }
  throw new Error('expected a rejection');
}

describe('mobility: documents', function () {
  this.timeout(60_000);
  let t: TestPlatform;
  let store: MobilityStore;
  let dataDir: string;
  let inst: number;
  let ada: number;
  let closed: number;
  const who: Record<string, { actor: MobilityActor; client: TestClient }> = {};
  const emitted: Array<{ name: string; payload: Record<string, unknown> }> = [];
  const docsDir = () => path.join(dataDir, 'mobility-documents');
  const rows = async () => Number((await t.knex('mobility_documents').count({ n: '*' }).first())!.n);
  const c = (name: string) => who[name]!.client;

  before(async () => {
    dataDir = mkdtempSync(path.join(tmpdir(), 'smile-documents-'));
    t = await startTestPlatform({ plugins: ['mobility'], config: { dataDir } });
    store = t.resolve(mobilityService);
    inst = t.institution.id;
    // a spy on the real event bus: the events still go through
    const events = t.resolve(coreServices.events);
    const emit = events.emit.bind(events);
    (events as any).emit = async (name: string, payload: Record<string, unknown>, opts?: any) => {
      emitted.push({ name, payload });
      return emit(name, payload, opts);
    };
    const person = async (name: string, roles: Array<string | { role: string; components: string[] }>) => {
      const s = await t.signIn(roles, { displayName: name });
      who[name] = { actor: { institutionId: inst, personId: s.personId, label: name, language: 'en' }, client: t.client({ session: s }) };
    };
    await person('Ada', ['student']);
    await person('Other', ['student']);
    await person('Manager', ['manager']);
    await person('Referent LAW', [{ role: 'referent', components: ['LAW'] }]);
    await person('Referent SCI', [{ role: 'referent', components: ['SCI'] }]);
    const law = (await t.knex('components').where({ institution_id: inst, code: 'LAW' }).first()).id;
    const m = who.Manager!.actor;
    const base = { firstName: 'Ada', lastName: 'Lovelace', exchangeType: 'first-semester', academicYear: 2026, personId: who.Ada!.actor.personId, componentId: law };
    ada = (await store.createFile(m, base)).id;
    closed = (await store.createFile(m, { ...base, lastName: 'Closed' })).id;
    await store.transition(m, closed, { stepKey: 'pre-registration', action: 'abandon' });
  });
  after(async () => {
    await t?.stop();
    if (dataDir) rmSync(dataDir, { recursive: true, force: true });
  });

  const upload = (client: TestClient, fileId: number, form: Record<string, string>, file?: { filename: string; data: Buffer }, base = 'me') =>
    client.upload(`/mobility/${base === 'me' ? 'me' : 'files'}/${fileId}/documents`, { current: '', version: '', ...form }, file ? { file: { ...file, mimeType: 'application/pdf' } } : {});

  it('refuses bad uploads in the reader’s language, and stores nothing', async () => {
    const student = c('Ada');
    const cases: Array<[string, Record<string, string>, { filename: string; data: Buffer } | undefined, number, string]> = [
      ['no file', { type: 'passport' }, undefined, 422, 'Choose a file to send.'],
      ['a ".." name', { type: 'passport' }, { filename: '..', data: pdf() }, 422, 'The file name cannot be used'],
      ['a path in the name', { type: 'passport' }, { filename: '../../etc/passport.pdf', data: pdf() }, 422, 'The file name cannot be used'],
      ['a Windows path in the name', { type: 'passport' }, { filename: 'C:\\Users\\ada\\passport.pdf', data: pdf() }, 422, 'The file name cannot be used'],
      ['a control character', { type: 'passport' }, { filename: 'scan\u0085.pdf', data: pdf() }, 422, 'The file name cannot be used'],
      ['a line separator', { type: 'passport' }, { filename: 'scan\u2028.pdf', data: pdf() }, 422, 'The file name cannot be used'],
      ['an empty file', { type: 'passport' }, { filename: 'empty.pdf', data: Buffer.alloc(0) }, 422, 'This file is empty'],
      ['over the limit', { type: 'passport' }, { filename: 'big.pdf', data: Buffer.concat([pdf(), Buffer.alloc(10 * 1024 * 1024)]) }, 413, 'the limit for this document is 10 MB'],
      ['text named .pdf', { type: 'passport' }, { filename: 'notes.pdf', data: Buffer.from('just some text') }, 415, 'Accepted for this document: PDF, JPEG, PNG.'],
      ['a PDF as the photo', { type: 'photo' }, { filename: 'photo.pdf', data: pdf() }, 415, 'Accepted for this document: JPEG, PNG.'],
      ['an unknown type', { type: 'visa' }, { filename: 'visa.pdf', data: pdf() }, 422, 'Choose a document type from the list.'],
    ];
    for (const [label, form, file, status, message] of cases) {
      const res = await upload(student, ada, form, file);
      expect(res.status, label).to.equal(status);
      expect(visible(res.text), label).to.contain(message);
      // the error is next to its field and in the summary, which takes the focus
      expect(res.text, label).to.contain('id="documents-errors"').and.contain('autofocus');
    }
    const onClosed = await upload(student, closed, { type: 'passport' }, { filename: 'passport.pdf', data: pdf() });
    expect(onClosed.status).to.equal(409);
    expect(visible(onClosed.text)).to.contain('This mobility file is closed: it takes no more documents.');
    const fr = await t.client({ session: { cookie: student.cookie, csrf: student.csrf }, lang: 'fr' }).upload(`/mobility/me/${ada}/documents?lang=fr`, { type: 'photo', current: '', version: '' }, { file: { filename: 'photo.pdf', data: pdf() } });
    expect(visible(fr.text)).to.contain('Formats acceptés pour ce document : JPEG, PNG.');
    expect(await rows()).to.equal(0);
    expect(listing(docsDir())).to.deep.equal([]);
  });

  it('takes only plain file names', () => {
    for (const bad of ['', '   ', 'a/b.pdf', 'a\\b.pdf', '..', 'x..pdf', 'tab\there.pdf', 'nul\u0000.pdf', 'x'.repeat(256)]) expect(isPlainFileName(bad), JSON.stringify(bad)).to.equal(false);
    for (const good of ['passport.pdf', 'Relevé de notes (v2).pdf', 'パスポート.jpg']) expect(isPlainFileName(good), good).to.equal(true);
  });

  it('student uploads, manager refuses with a comment, student replaces, manager accepts', async () => {
    const student = c('Ada');
    const manager = c('Manager');
    const sent = await upload(student, ada, { type: 'passport' }, { filename: 'passeport élève.pdf', data: pdf('first') });
    expect(sent.status).to.equal(303);
    let page = visible((await student.get(`/mobility/me/${ada}/documents`)).text);
    expect(page).to.contain('Passport or ID card').and.contain('Waiting for review').and.contain('Download passeport élève.pdf');
    const first = await t.knex('mobility_documents').where({ file_id: ada }).first();
    expect(first).to.include({ type_code: 'passport', original_name: 'passeport élève.pdf', status: 'pending', media_type: 'application/pdf', size_bytes: pdf('first').length, uploaded_by: who.Ada!.actor.personId });
    expect(first.sha256).to.match(/^[0-9a-f]{64}$/);
    // the stored key is random and under <institution>/<file>/
    expect(first.storage_key).to.match(new RegExp(`^${inst}/${ada}/[A-Za-z0-9_-]{24}$`)).and.not.contain('passeport');
    expect(listing(docsDir())).to.deep.equal([first.storage_key]);

    // the manager's page shows it, with the forms
    const mpage = await manager.get(`/mobility/files/${ada}/documents`);
    expect(mpage.status).to.equal(200);
    expect(visible(mpage.text)).to.contain('Documents of Ada Lovelace').and.contain('passeport élève.pdf').and.contain('Waiting for review');
    const decide = (form: Record<string, string>) => manager.post(`/mobility/files/${ada}/documents/${first.id}/decision`, form);
    const noComment = await decide({ decision: 'refuse', version: String(first.version), comment: '  ' });
    expect(noComment.status).to.equal(422);
    expect(visible(noComment.text)).to.contain('Write a comment: the student needs to know what to fix.');
    expect(noComment.text).to.contain(`aria-describedby="doc-decision-${first.id}-comment-error"`);
    const refused = await decide({ decision: 'refuse', version: String(first.version), comment: 'The scan is blurred <b>' });
    expect(refused.status).to.equal(303);
    // a decision on the page as it was before: conflict, nothing changes
    const stale = await decide({ decision: 'accept', version: String(first.version), comment: 'typed text kept' });
    expect(stale.status).to.equal(409);
    expect(visible(stale.text)).to.contain('This document was refused meanwhile').and.contain('typed text kept');
    expect((await t.knex('mobility_documents').where({ id: first.id }).first()).status).to.equal('refused');

    // the student sees the refusal and its comment (escaped), and replaces the document
    const spage = await student.get(`/mobility/me/${ada}/documents`);
    expect(visible(spage.text)).to.contain('Refused: send a new one').and.contain('The scan is blurred <b>');
    expect(spage.text).not.to.contain('blurred <b>');
    const refusedRow = await t.knex('mobility_documents').where({ id: first.id }).first();
    const replaced = await upload(student, ada, { type: 'passport', current: String(first.id), version: String(refusedRow.version) }, { filename: 'passport-v2.pdf', data: pdf('second') });
    expect(replaced.status).to.equal(303);
    const all = await t.knex('mobility_documents').where({ file_id: ada }).orderBy('id');
    expect(all).to.have.length(2);
    expect(all[0].superseded_at).to.not.equal(null);
    expect(all[1]).to.include({ replaces_id: first.id, status: 'pending', superseded_at: null, original_name: 'passport-v2.pdf' });
    page = visible((await student.get(`/mobility/me/${ada}/documents`)).text);
    expect(page).to.contain('Earlier versions (1)').and.contain('Download passport-v2.pdf');

    // the manager accepts; the student can no longer replace it
    const accepted = await decide({ decision: 'accept', version: '1', comment: '' });
    expect(accepted.status).to.equal(409);
    expect((await manager.post(`/mobility/files/${ada}/documents/${all[1].id}/decision`, { decision: 'accept', version: String(all[1].version), comment: '' })).status).to.equal(303);
    expect(visible((await student.get(`/mobility/me/${ada}/documents`)).text)).to.contain('Accepted');
    const again = await upload(student, ada, { type: 'passport', current: String(all[1].id), version: String(all[1].version + 1) }, { filename: 'passport-v3.pdf', data: pdf('third') });
    expect(again.status).to.equal(409);
    expect(visible(again.text)).to.contain('This document was accepted: it can no longer be replaced.');
    expect(await rows()).to.equal(2);
    expect(listing(docsDir())).to.have.length(2);

    const audit = await t.knex('audit_log').where('action', 'like', 'mobility.document.%').orderBy('id').pluck('action');
    expect(audit).to.deep.equal(['mobility.document.upload', 'mobility.document.refuse', 'mobility.document.upload', 'mobility.document.accept']);
    const docEvents = emitted.filter((e) => e.name.startsWith('mobility.document.'));
    expect(docEvents.map((e) => e.name)).to.deep.equal(['mobility.document.uploaded', 'mobility.document.refused', 'mobility.document.uploaded', 'mobility.document.accepted']);
    expect(docEvents[1]!.payload).to.deep.equal({ fileId: ada, documentId: first.id, type: 'passport', comment: 'The scan is blurred <b>' });
  });

  it('lets only the file’s person and staff in scope see documents; downloads with safe headers', async () => {
    const doc = await t.knex('mobility_documents').where({ file_id: ada, superseded_at: null }).first();
    const res = await c('Ada').get(`/mobility/me/${ada}/documents/${doc.id}`);
    expect(res.status).to.equal(200);
    expect(res.headers.get('content-type')).to.equal('application/pdf');
    expect(res.headers.get('content-disposition')).to.equal(`attachment; filename="passport-v2.pdf"; filename*=UTF-8''passport-v2.pdf`);
    expect(res.headers.get('x-content-type-options')).to.equal('nosniff');
    expect(res.text).to.equal(pdf('second').toString());
    const old = await t.knex('mobility_documents').where({ file_id: ada, replaces_id: null }).first();
    const oldRes = await c('Manager').get(`/mobility/files/${ada}/documents/${old.id}`);
    expect(oldRes.status).to.equal(200);
    expect(oldRes.headers.get('content-disposition')).to.equal(`attachment; filename="passeport eleve.pdf"; filename*=UTF-8''passeport%20%C3%A9l%C3%A8ve.pdf`);
    expect(oldRes.text).to.equal(pdf('first').toString());
    expect((await c('Referent LAW').get(`/mobility/files/${ada}/documents/${doc.id}`)).status).to.equal(200);

    // another student: the file does not exist for them
    expect((await c('Other').get(`/mobility/me/${ada}/documents`)).status).to.equal(404);
    expect((await c('Other').get(`/mobility/me/${ada}/documents/${doc.id}`)).status).to.equal(404);
    expect((await upload(c('Other'), ada, { type: 'transcript' }, { filename: 't.pdf', data: pdf() })).status).to.equal(404);
    // staff out of scope, and a referent (read only) who may not upload or decide
    expect((await c('Referent SCI').get(`/mobility/files/${ada}/documents`)).status).to.equal(404);
    expect((await c('Referent SCI').get(`/mobility/files/${ada}/documents/${doc.id}`)).status).to.equal(404);
    expect((await upload(c('Referent LAW'), ada, { type: 'transcript' }, { filename: 't.pdf', data: pdf() }, 'files')).status).to.equal(403);
    expect((await c('Referent LAW').post(`/mobility/files/${ada}/documents/${doc.id}/decision`, { decision: 'refuse', version: '1', comment: 'no' })).status).to.equal(403);
    // a student has no staff route
    expect((await c('Ada').get(`/mobility/files/${ada}/documents`)).status).to.equal(403);
    // a document of another file through this file's address
    expect((await c('Ada').get(`/mobility/me/${closed}/documents/${doc.id}`)).status).to.equal(404);
    // the manager may upload for the student
    expect((await upload(c('Manager'), ada, { type: 'transcript' }, { filename: 'transcript.pdf', data: pdf() }, 'files')).status).to.equal(303);
    expect(await rows()).to.equal(3);
  });

  it('holds back the student’s validation while required documents are missing or refused, not the staff’s', async () => {
    const student = who.Ada!.actor;
    const manager = who.Manager!.actor;
    const f = await store.createFile(manager, {
      firstName: 'Bea', lastName: 'Step', exchangeType: 'full-year', academicYear: 2026, personId: student.personId,
      birthDate: '2004-01-01', nationality: 'IT', gender: 'female', email: 'bea@example.org', homeAddress: { street: 'Via Roma 1', city: 'Pisa', country: 'IT' },
    });
    // the student sends the step from their space: refused, with the list, and the file stays where it was
    const space = await c('Ada').get(`/mobility/me/${f.id}`);
    const version = /name="version" value="(\d+)"/.exec(space.text)?.[1];
    expect(version, 'the student space offers to send the step').to.be.a('string');
    const submit = await c('Ada').post(`/mobility/me/${f.id}/submit`, { step: 'pre-registration', version: version! });
    expect(submit.status).to.equal(422);
    expect(visible(submit.text)).to.contain('Before validating this step, send these documents: Passport or ID card; Transcript of records; Language certificate.');
    const e = await rejection(store.transition(student, f.id, { stepKey: 'pre-registration', action: 'validate' }));
    expect(e.status).to.equal(422);
    const fr = await rejection(store.transition({ ...student, language: 'fr' }, f.id, { stepKey: 'pre-registration', action: 'validate' }));
    expect(fr.message).to.contain('Avant de valider cette étape, envoyez ces documents : Passeport ou carte d’identité ; Relevé de notes ; Certificat de langue.');
    // a pending document counts; a refused one must be replaced
    const student2 = c('Ada');
    for (const type of ['passport', 'transcript']) expect((await upload(student2, f.id, { type }, { filename: `${type}.pdf`, data: pdf() })).status).to.equal(303);
    const transcript = await t.knex('mobility_documents').where({ file_id: f.id, type_code: 'transcript' }).first();
    expect((await c('Manager').post(`/mobility/files/${f.id}/documents/${transcript.id}/decision`, { decision: 'refuse', version: String(transcript.version), comment: 'Unsigned' })).status).to.equal(303);
    const later = await rejection(store.transition(student, f.id, { stepKey: 'pre-registration', action: 'validate' }));
    expect(later.message).to.contain('send these documents: “Transcript of records” (refused: replace it); Language certificate.');
    expect((await store.file(inst, f.id))!.currentStep).to.equal('pre-registration');
    expect((await upload(student2, f.id, { type: 'language-certificate' }, { filename: 'b2.png', data: png() })).status).to.equal(303);
    const fresh = await t.knex('mobility_documents').where({ id: transcript.id }).first();
    expect((await upload(student2, f.id, { type: 'transcript', current: String(fresh.id), version: String(fresh.version) }, { filename: 'signed.pdf', data: pdf() })).status).to.equal(303);
    expect((await store.transition(student, f.id, { stepKey: 'pre-registration', action: 'validate' })).file.currentStep).to.equal('office-validation');

    // a step owned by the office, requiring a document nobody sent: the manager is not held back
    await store.publishProcess(manager, 'double-degree', [
      { key: 'office-check', label: { fr: 'Contrôle', en: 'Check' }, owner: 'manager', requiredDocuments: ['health-insurance'], transitions: [{ action: 'validate', to: 'done' }] },
      { key: 'done', label: { fr: 'Fini', en: 'Done' }, owner: 'manager', transitions: [], terminalStatus: 'validated' },
    ]);
    const dd = await store.createFile(manager, { firstName: 'Cy', lastName: 'Staff', exchangeType: 'double-degree', academicYear: 2026, personId: student.personId });
    expect((await store.transition(manager, dd.id, { stepKey: 'office-check', action: 'validate' })).file.status).to.equal('validated');
  });

  it('shows the documents block on the manager’s file page', async () => {
    const res = await c('Manager').get(`/mobility/files/${ada}`);
    expect(res.status).to.equal(200);
    expect(res.text).to.contain('<div id="documents">');
    expect(visible(res.text)).to.contain('Documents').and.contain('Download passport-v2.pdf');
    expect(res.text).to.contain(`name="return" value="/mobility/files/${ada}"`);
    // and on the student's own space, with the forms coming back there
    const mine = await c('Ada').get(`/mobility/me/${ada}`);
    expect(mine.status).to.equal(200);
    expect(visible(mine.text)).to.contain('Download passport-v2.pdf').and.contain('Accepted');
    expect(mine.text).to.contain(`name="return" value="/mobility/me/${ada}"`);
    expect(mine.text).not.to.contain('name="decision"');
  });

  it('manages document types: list, errors in place, create, edit with a version check, deactivate', async () => {
    const m = c('Manager');
    expect((await c('Ada').get('/mobility/config/document-types')).status).to.equal(403);
    const list = await m.get('/mobility/config/document-types');
    expect(list.status).to.equal(200);
    expect(visible(list.text)).to.contain('Passport or ID card').and.contain('Transcript of records').and.contain('Language certificate')
      .and.contain('Health insurance certificate').and.contain('ID photo 10 MB JPEG, PNG');
    const bad = await m.post('/mobility/config/document-types', [['code', 'Visa!'], ['labelFr', ''], ['labelEn', 'Visa'], ['maxMb', '80'], ['active', 'on']]);
    expect(bad.status).to.equal(422);
    const text = visible(bad.text);
    expect(text).to.contain('The value has the wrong form.').and.contain('This field is required.').and.contain('Give a size between 0.01 and 50 MB.');
    expect(bad.text).to.contain('value="Visa!"').and.contain('aria-describedby="type-labelFr-error"');
    const created = await m.post('/mobility/config/document-types', [['code', 'visa'], ['labelFr', 'Visa'], ['labelEn', 'Visa'], ['maxMb', '2,5'], ['mediaTypes', 'application/pdf'], ['active', 'on']]);
    expect(created.status).to.equal(303);
    const visa = await t.knex('mobility_document_types').where({ institution_id: inst, code: 'visa' }).first();
    expect(visa).to.include({ max_bytes: Math.round(2.5 * 1024 * 1024), active: true, version: 1 });
    expect(visa.media_types).to.deep.equal(['application/pdf']);
    expect((await m.post('/mobility/config/document-types', [['code', 'visa'], ['labelFr', 'V'], ['labelEn', 'V'], ['maxMb', '1'], ['mediaTypes', 'image/png']])).status).to.equal(422);

    // two managers edit the same type: the second is told, and keeps what they typed
    const edit = await m.get('/mobility/config/document-types/photo');
    const version = /name="version" value="(\d+)"/.exec(edit.text)![1]!;
    const form = (labelEn: string, maxMb: string): [string, string][] => [['version', version], ['labelFr', 'Photo'], ['labelEn', labelEn], ['maxMb', maxMb], ['mediaTypes', 'image/png'], ['mediaTypes', 'image/jpeg'], ['active', 'on']];
    expect((await m.post('/mobility/config/document-types/photo', form('Photo', '0.01'))).status).to.equal(303);
    const conflict = await m.post('/mobility/config/document-types/photo', form('Portrait photo', '3'));
    expect(conflict.status).to.equal(409);
    expect(visible(conflict.text)).to.contain('Someone changed this document type meanwhile');
    expect(conflict.text).to.contain('value="Portrait photo"');
    // the new limit applies to uploads, said in MB
    const big = await upload(c('Ada'), ada, { form: 'add', type: 'photo' }, { filename: 'me.png', data: png() });
    expect(big.status).to.equal(413);
    expect(visible(big.text)).to.contain('the limit for this document is 0.01 MB.');
    // deactivated: no longer offered, uploads refused
    expect((await m.post('/mobility/config/document-types/visa', [['version', '1'], ['labelFr', 'Visa'], ['labelEn', 'Visa'], ['maxMb', '2.5'], ['mediaTypes', 'application/pdf']])).status).to.equal(303);
    expect((await t.knex('mobility_document_types').where({ institution_id: inst, code: 'visa' }).first()).active).to.equal(false);
    const refused = await upload(c('Ada'), ada, { form: 'add', type: 'visa' }, { filename: 'visa.pdf', data: pdf() });
    expect(refused.status).to.equal(422);
    expect(refused.text).to.contain('id="doc-add-type-error"');
    expect(await t.knex('audit_log').where('action', 'like', 'mobility.document-type.%').count({ n: '*' }).first().then((r: any) => Number(r.n))).to.equal(3);
  });
});
