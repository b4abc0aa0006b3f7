// The Learning Agreement's life over HTTP: built at la-generated, completed by the student, signed by
// the student, the sending coordinator (mailed link) and the host, refused, signed on paper, changed.
import { expect } from 'chai';
import { startTestPlatform, type TestClient, type TestPlatform } from '@smile/sdk/testing';
import { laDocumentHash, type LaDocument } from '../src/model.js';
import { agreementId, completeForm, generatedFile, lastLink, mailTo, OFFICE, SETTINGS } from './la-support.js';

const COORDINATOR = 'coordinator@uni.lodz.pl';

describe('learning agreement: versions and the signature circuit', function () {
  this.timeout(120_000);
  let t: TestPlatform;
  let student: TestClient;
  let manager: TestClient;
  let anonymous: TestClient;
  let fileId: number;
  let id: number;
  const page = () => `/mobility/me/${fileId}/learning-agreement`;
  const versions = (agreement: number) => t.knex('la_versions').where({ agreement_id: agreement }).orderBy('number');

  before(async () => {
    t = await startTestPlatform({ plugins: ['learning-agreement', 'base'], settings: SETTINGS });
    await t.knex('institutions').where({ id: t.institution.id }).update({ schac_code: 'univ-demo.fr', country: 'FR' });
    const s = await t.signIn(['student'], { displayName: 'Łucja Kowalska' });
    student = t.client({ session: s, lang: 'en' });
    manager = t.client({ session: await t.signIn(['manager'], { displayName: 'Marie Manager' }), lang: 'en' });
    anonymous = t.client({ lang: 'en' });
    fileId = (await generatedFile(t, s.personId, 'Kowalska')).id;
    id = await agreementId(t, fileId);
  });
  after(async () => t?.stop());

  it('builds the first version from the file and the approved courses when the file reaches la-generated', async () => {
    const [v1, ...more] = await versions(id);
    expect(more).to.have.length(0);
    expect(v1.kind).to.equal('first');
    const doc = v1.document as LaDocument;
    expect(doc.tables.studied.map((c) => c.code)).to.deep.equal(['ECO101', 'HIS202']);
    expect(v1.hash).to.equal(laDocumentHash(doc));
    const res = await student.get(page());
    expect(res.status).to.equal(200);
    expect(res.text).to.contain('Microéconomie').and.contain('/catalogue/2026/elements/ECO101').and.contain('to be completed and signed')
      .and.contain('Uniwersytet Łódzki');
    const mails = await mailTo(t, 'kowalska@student.test');
    expect(mails.map((m) => m.subject)).to.include('Learning Agreement of Łucja Kowalska: your signature is awaited');
    expect(mails.find((m) => m.subject.startsWith('Learning Agreement'))!.tag).to.equal(`mobility.file:${fileId}`);
    const staff = await manager.get(`/mobility/files/${fileId}`);
    expect(staff.text).to.contain(`href="/learning-agreements/${id}"`);
  });

  it('refuses to sign an incomplete agreement; completing it makes a new version and keeps the first', async () => {
    const early = await student.post(`${page()}/sign`, { version: '1', name: 'Łucja Kowalska', email: 'kowalska@student.test' });
    expect(early.status).to.equal(422);
    expect(early.text).to.contain('The agreement cannot be signed yet').and.contain('the components recognised at home');
    const bad = await student.post(`${page()}/edit`, { ...completeForm(1), email: 'not-an-address', bEcts: ['600', ''] });
    expect(bad.status).to.equal(422);
    expect(bad.text).to.contain('aria-describedby="coord-email-hint coord-email-error"').and.contain('value="Mikroekonomia"').and.contain('between 0.5 and 60');
    const before = (await versions(id))[0];
    const ok = await student.post(`${page()}/edit`, completeForm(1));
    expect(ok.status).to.equal(303);
    const [v1, v2] = await versions(id);
    expect(v1.hash).to.equal(before.hash);
    expect(v1.document).to.deep.equal(before.document);
    expect(v2.number).to.equal(2);
    expect((v2.document as LaDocument).tables.recognised[0]).to.include({ title: 'Mikroekonomia', ects: 6 });
    expect((v2.document as LaDocument).sending.responsiblePerson).to.include({ familyName: 'Świątek', email: COORDINATOR });
    // what was agreed is never rewritten, not even by hand
    const err = await t.knex('la_versions').where({ id: v1.id }).update({ hash: 'x' }).then(() => null, (e: Error) => e);
    expect(err?.message).to.contain('never changed');
  });

  it('refuses a version that was replaced meanwhile, in the user’s language, keeping what was typed', async () => {
    const en = await student.post(`${page()}/sign`, { version: '1', name: 'Łucja Kowalska', email: 'kowalska@student.test' });
    expect(en.status).to.equal(409);
    expect(en.text).to.contain('This version was replaced; review the new one.');
    const fr = t.client({ session: { cookie: student.cookie, csrf: student.csrf }, lang: 'fr' });
    const frRes = await fr.post(`${page()}/sign`, { version: '1', name: 'Łucja Kowalska', email: 'kowalska@student.test' });
    expect(frRes.text).to.contain('Cette version a été remplacée ; consultez la nouvelle.');
    const edit = await student.post(`${page()}/edit`, { ...completeForm(1), bTitle: ['Makroekonomia', ''] });
    expect(edit.status).to.equal(409);
    expect(edit.text).to.contain('This version was replaced').and.contain('value="Makroekonomia"');
    expect(await versions(id)).to.have.length(2);
  });

  it('records the student’s signature bound to the version’s hash, and refuses a second one', async () => {
    const [, v2] = await versions(id);
    const res = await student.post(`${page()}/sign`, { version: '2', hash: v2.hash, name: 'Łucja Kowalska', email: 'kowalska@student.test' });
    expect(res.status).to.equal(303);
    const sig = await t.knex('la_signatures').where({ version_id: v2.id, party: 'student' }).first();
    expect(sig).to.include({ signer_name: 'Łucja Kowalska', hash_signed: v2.hash, on_paper: false });
    expect(sig.ip).to.be.a('string');
    const again = await student.post(`${page()}/sign`, { version: '2', hash: v2.hash, name: 'Łucja Kowalska', email: 'kowalska@student.test' });
    expect(again.status).to.equal(409);
    expect(again.text).to.contain('already signed this version');
    expect(await t.knex('la_signatures').where({ version_id: v2.id })).to.have.length(1);
    expect(await t.knex('audit_log').where({ action: 'learning-agreement.signature.create', target_id: String(id) })).to.have.length(1);
  });

  it('lets the sending coordinator sign through the mailed single-use link, without an account', async () => {
    const mails = await mailTo(t, COORDINATOR);
    expect(mails.at(-1)!.subject).to.equal('Learning Agreement of Łucja Kowalska to sign for Uniwersytet Łódzki');
    const link = await lastLink(t, COORDINATOR);
    const view = await anonymous.get(link);
    expect(view.status).to.equal(200);
    expect(view.headers.get('referrer-policy')).to.equal('no-referrer');
    expect(view.text).to.contain('Sign version 2').and.contain('Mikroekonomia').and.contain('value="Zbigniew Świątek"');
    const signed = await anonymous.post(link, { version: '2', name: 'Zbigniew Świątek', position: 'Erasmus coordinator', email: COORDINATOR });
    expect(signed.status).to.equal(303);
    const again = await anonymous.post(link, { version: '2', name: 'Zbigniew Świątek', position: 'Erasmus coordinator', email: COORDINATOR });
    expect(again.status).to.equal(410);
    expect(again.text).to.contain('This signing link has already been used');
    expect((await anonymous.get(link)).status).to.equal(410);
    const audit = await t.knex('audit_log').where({ action: 'learning-agreement.signature.create', target_id: String(id) }).orderBy('id');
    expect(audit.at(-1).actor_label).to.contain('Zbigniew Świątek').and.contain('signing link');
    expect((await mailTo(t, OFFICE.email)).at(-1)!.subject).to.equal('Contrat d’études de Łucja Kowalska : signature attendue');
  });

  it('lets any holder of the sign privilege sign for the host; the agreement shows who signed', async () => {
    const [, v2] = await versions(id);
    const pageRes = await manager.get(`/learning-agreements/${id}`);
    expect(pageRes.text).to.contain('Sign version 2 for the institution');
    const res = await manager.post(`/learning-agreements/${id}/sign`, { version: '2', hash: v2.hash, name: 'Marie Manager', position: 'International office', email: 'marie@host.test' });
    expect(res.status).to.equal(303);
    const after = await manager.get(`/learning-agreements/${id}`);
    expect(after.text).to.contain('signed by every party').and.contain('signed by Marie Manager').and.contain('signed by Zbigniew Świątek');
    expect((await t.knex('learning_agreements').where({ id }).first()).state).to.equal('signed');
    expect((await mailTo(t, 'kowalska@student.test')).at(-1)!.subject).to.equal('Learning Agreement of Łucja Kowalska: signed by every party');
  });

  describe('links, refusals and paper', () => {
    let file2: number;
    let id2: number;
    let student2: TestClient;
    const page2 = () => `/mobility/me/${file2}/learning-agreement`;

    before(async () => {
      const s = await t.signIn(['student']);
      student2 = t.client({ session: s, lang: 'en' });
      file2 = (await generatedFile(t, s.personId, 'Nowak')).id;
      id2 = await agreementId(t, file2);
      expect((await student2.post(`${page2()}/edit`, completeForm(1))).status).to.equal(303);
      expect((await student2.post(`${page2()}/sign`, { version: '2', name: 'Łucja Nowak', email: 'nowak@student.test' })).status).to.equal(303);
    });

    it('refuses an expired link clearly; a new link can be sent and the old one stops working', async () => {
      const link = await lastLink(t, COORDINATOR);
      await t.knex('la_signing_links').where({ token_hash: (await import('../src/links.js')).tokenHash(link.split('/').at(-1)!) }).update({ expires_at: new Date(Date.now() - 60_000) });
      const res = await anonymous.get(link);
      expect(res.status).to.equal(410);
      expect(res.text).to.contain('This signing link has expired');
      const post = await anonymous.post(link, { version: '2', name: 'Zbigniew Świątek', email: COORDINATOR });
      expect(post.status).to.equal(410);
      expect(await t.knex('la_signatures').where({ party: 'sending' }).whereIn('version_id', t.knex('la_versions').where({ agreement_id: id2 }).select('id'))).to.have.length(0);
      expect((await manager.post(`/learning-agreements/${id2}/resend-link`, { version: '2' })).status).to.equal(303);
      const fresh = await lastLink(t, COORDINATOR);
      expect(fresh).to.not.equal(link);
      expect((await anonymous.get(fresh)).status).to.equal(200);
    });

    it('a refusal needs a comment, and returns the agreement to the student with it', async () => {
      const link = await lastLink(t, COORDINATOR);
      const noComment = await anonymous.post(`${link}/refuse`, { version: '2', name: 'Zbigniew Świątek', comment: '  ' });
      expect(noComment.status).to.equal(422);
      expect(noComment.text).to.contain('Say why you refuse');
      const res = await anonymous.post(`${link}/refuse`, { version: '2', name: 'Zbigniew Świątek', comment: 'Mikroekonomia is worth 5 ECTS here.' });
      expect(res.status).to.equal(303);
      const mine = await student2.get(page2());
      expect(mine.text).to.contain('refused, back to the student').and.contain('Mikroekonomia is worth 5 ECTS here.').and.contain('Save as a new version');
      expect((await mailTo(t, 'nowak@student.test')).at(-1)!.body).to.contain('Mikroekonomia is worth 5 ECTS here.');
      expect((await anonymous.get(link)).status).to.equal(410);
      // the student corrects it: a new version, to be signed again from the start
      expect((await student2.post(`${page2()}/edit`, { ...completeForm(2), bEcts: ['5', ''] })).status).to.equal(303);
      expect((await t.knex('learning_agreements').where({ id: id2 }).first())).to.include({ state: 'draft', latest_version: 3 });
    });

    it('records a signature given on paper with the scanned document', async () => {
      expect((await student2.post(`${page2()}/sign`, { version: '3', name: 'Łucja Nowak', email: 'nowak@student.test' })).status).to.equal(303);
      const form = { version: '3', party: 'sending', name: 'Zbigniew Świątek', position: 'Erasmus coordinator', email: COORDINATOR, date: '2026-05-04' };
      const wrong = await manager.upload(`/learning-agreements/${id2}/paper`, form, { scan: { filename: 'scan.txt', data: 'not a scan', mimeType: 'application/pdf' } });
      expect(wrong.status).to.equal(422);
      expect(wrong.text).to.contain('must be a PDF, JPEG or PNG').and.contain('value="Zbigniew Świątek"');
      const pdf = Buffer.from('%PDF-1.4\n% signed on paper\n');
      const res = await manager.upload(`/learning-agreements/${id2}/paper`, form, { scan: { filename: 'signed.pdf', data: pdf, mimeType: 'application/pdf' } });
      expect(res.status).to.equal(303);
      const v3 = (await versions(id2))[2];
      const sig = await t.knex('la_signatures').where({ version_id: v3.id, party: 'sending' }).first();
      expect(sig).to.include({ on_paper: true, hash_signed: v3.hash });
      const scan = await manager.get(`/learning-agreements/${id2}/scans/${sig.scan_id}`);
      expect(scan.status).to.equal(200);
      expect(scan.text).to.equal(pdf.toString());
      const staff = await manager.get(`/learning-agreements/${id2}`);
      expect(staff.text).to.contain('signed on paper by Zbigniew Świątek');
    });
  });

  it('a change proposal goes through the same circuit; approved changes accumulate', async () => {
    const propose = await student.post(`${page()}/change`, {
      version: '2', 'del-studied-0': 'not-available',
      addTable: ['studied', 'studied', 'studied'], addCode: ['ECO150', '', ''], addTitle: ['Économie publique', '', ''], addTerm: ['S1', '', ''],
      addEcts: ['6', '', ''], addReason: ['substituting-deleted', '', ''], addText: ['', '', ''],
    });
    expect(propose.status).to.equal(303);
    const signAll = async (n: number) => {
      expect((await student.post(`${page()}/sign`, { version: String(n), name: 'Łucja Kowalska', email: 'kowalska@student.test' })).status).to.equal(303);
      expect((await anonymous.post(await lastLink(t, COORDINATOR), { version: String(n), name: 'Zbigniew Świątek', email: COORDINATOR })).status).to.equal(303);
      expect((await manager.post(`/learning-agreements/${id}/sign`, { version: String(n), name: 'Marie Manager', email: 'marie@host.test' })).status).to.equal(303);
    };
    expect((await mailTo(t, OFFICE.email)).map((m) => m.subject)).to.include('Contrat d’études de Łucja Kowalska : modification proposée');
    await signAll(3);
    const second = await student.post(`${page()}/change`, {
      version: '3', addTable: ['recognised', '', ''], addCode: ['', '', ''], addTitle: ['Prawo europejskie', '', ''], addTerm: ['S2', '', ''],
      addEcts: ['4', '', ''], addReason: ['extending-mobility', '', ''], addText: ['', '', ''],
    });
    expect(second.status).to.equal(303);
    await signAll(4);
    const [, , v3, v4] = await versions(id);
    expect(v3.kind).to.equal('change');
    const changes = (v4.document as LaDocument).changes!;
    expect(changes.studied.map((c) => `${c.change}:${c.code}:${c.reason}`)).to.deep.equal(['deleted:ECO101:not-available', 'added:ECO150:substituting-deleted']);
    expect(changes.recognised.map((c) => `${c.change}:${c.title}:${c.reason}`)).to.deep.equal(['added:Prawo europejskie:extending-mobility']);
    // the first version's tables stay as agreed
    expect((v4.document as LaDocument).tables.studied.map((c) => c.code)).to.deep.equal(['ECO101', 'HIS202']);
    const mine = await student.get(page());
    expect(mine.text).to.contain('Économie publique').and.contain('the course is not available').and.contain('signed by every party');
    expect((await t.knex('la_change_proposals').where({ agreement_id: id })).length).to.equal(2);
  });

  describe('JSON API', () => {
    it('lists, details and serves the PDF and the EWP XML with an API token', async () => {
      const auth = await t.token(['learning-agreement:agreements.read']);
      expect((await t.get('/api/v1/learning-agreements')).status).to.equal(401);
      const list = await t.get('/api/v1/learning-agreements?state=signed&year=2026', { authorization: auth });
      expect(list.status).to.equal(200);
      expect(list.json().map((x: { id: number }) => x.id)).to.deep.equal([id]);
      expect((await t.get('/api/v1/learning-agreements?state=draft', { authorization: auth })).json().map((x: { id: number }) => x.id)).to.not.include(id);
      const detail = await t.get(`/api/v1/learning-agreements/${id}`, { authorization: auth });
      expect(detail.status).to.equal(200);
      const d = detail.json();
      expect(d.versions.map((v: { number: number; status: string }) => `${v.number}:${v.status}`)).to.deep.equal(['1:superseded', '2:signed', '3:signed', '4:signed']);
      const v4 = d.versions[3];
      expect(v4.signatures.map((s: { party: string }) => s.party)).to.deep.equal(['student', 'sending', 'receiving']);
      expect(v4.signatures.every((s: { hashSigned: string }) => s.hashSigned === v4.hash)).to.equal(true);
      const pdf = await t.get(`/api/v1/learning-agreements/${id}.pdf?lang=fr`, { authorization: auth });
      expect(pdf.status).to.equal(200);
      expect(pdf.headers.get('content-type')).to.equal('application/pdf');
      expect(pdf.text.startsWith('%PDF-')).to.equal(true);
      const xml = await t.get(`/api/v1/learning-agreements/${id}.xml`, { authorization: auth });
      expect(xml.status, xml.text).to.equal(200);
      expect(xml.headers.get('content-type')).to.contain('application/xml');
      expect(xml.text).to.contain('<omobility-las-get-response').and.contain('Prawo europejskie');
      const openapi = (await t.get('/api/v1/openapi.json')).json();
      expect(openapi.paths).to.have.property('/learning-agreements/{id}.pdf');
      expect(openapi.paths).to.have.property('/learning-agreements/{id}');
    });

    it('a second institution’s token sees nothing of the first', async () => {
      const other = await t.createInstitution({ code: 'other-la', hostNames: ['other-la.test'] });
      const auth = await t.token(['learning-agreement:agreements.read'], other);
      const host = { authorization: auth, host: 'other-la.test' };
      const list = await t.get('/api/v1/learning-agreements', host);
      expect(list.status).to.equal(200);
      expect(list.json()).to.deep.equal([]);
      expect((await t.get(`/api/v1/learning-agreements/${id}`, host)).status).to.equal(404);
      expect((await t.get(`/api/v1/learning-agreements/${id}.pdf`, host)).status).to.equal(404);
      expect((await t.get(`/api/v1/learning-agreements/${id}.xml`, host)).status).to.equal(404);
      // and the token is refused on the first institution's host
      expect((await t.get('/api/v1/learning-agreements', { authorization: auth })).status).to.equal(401);
    });
  });
});
