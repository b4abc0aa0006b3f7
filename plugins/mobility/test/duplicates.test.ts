// Suspected duplicates through HTTP: the pairs page (reasons, certainty, scope), keep both, merge
// (only empty fields copied, documents and messages moved, the other file closed), refusals that
// change nothing, a stale form from another manager (409), and a referent kept out (403).
import { expect } from 'chai';
import { coreServices } from '@smile/sdk';
import { startTestPlatform, type TestClient, type TestPlatform } from '@smile/sdk/testing';
import { mobilityService, type MobilityActor, type MobilityStore } from '../src/index.js';
import { withoutStepConditions } from './support.js';

describe('mobility: suspected duplicates', function () {
  this.timeout(60_000);
  let t: TestPlatform;
  let store: MobilityStore;
  let inst: number;
  let manager: TestClient;
  let other: TestClient;
  let referent: TestClient;
  let studentA: number;
  let studentB: number;
  const id: Record<string, number> = {};
  const office: () => MobilityActor = () => ({ institutionId: inst, label: 'Office' });

  /** Everything about a file that a refused decision must leave as it was. */
  const snapshot = async (fileId: number) => ({
    file: await t.knex('mobility_files').where({ id: fileId }).first(),
    transitions: await t.knex('mobility_transitions').where({ file_id: fileId }).count({ n: '*' }).first(),
    messages: await t.knex('mobility_messages').where({ file_id: fileId }).count({ n: '*' }).first(),
    documents: await t.knex('mobility_documents').where({ file_id: fileId }).count({ n: '*' }).first(),
  });
  const decisions = async () => Number((await t.knex('mobility_duplicate_decisions').count({ n: '*' }).first())!.n);
  const versionOf = async (fileId: number) => (await t.knex('mobility_files').where({ id: fileId }).first()).version as number;
  const pairForm = async (a: number, b: number) => ({ a: String(a), b: String(b), versionA: String(await versionOf(a)), versionB: String(await versionOf(b)) });

  before(async () => {
    t = await startTestPlatform({ plugins: ['mobility'] });
    await withoutStepConditions(t);
    store = t.resolve(mobilityService);
    inst = t.institution.id;
    await t.resolve(coreServices.roles).saveComponent({ institutionId: inst, label: 'test' }, { code: 'LAW', name: { fr: 'Droit', en: 'Law' } });
    const law = (await t.knex('components').where({ institution_id: inst, code: 'LAW' }).first()).id;
    manager = t.client({ session: await t.signIn(['manager'], { displayName: 'Marie Office' }) });
    other = t.client({ session: await t.signIn(['manager'], { displayName: 'Paul Office' }) });
    referent = t.client({ session: await t.signIn([{ role: 'referent', components: ['LAW'] }], { displayName: 'Rita Referent' }) });
    studentA = (await t.signIn(['student'], { displayName: 'Jean-Marc Dupré' })).personId!;
    studentB = (await t.signIn(['student'], { displayName: 'Someone Else' })).personId!;
    const base = { exchangeType: 'first-semester', academicYear: 2026 };
    const make = async (k: string, data: Record<string, unknown>) => {
      id[k] = (await store.createFile(office(), { ...base, ...data } as any)).id;
    };
    // same ESI (spaces and case differ)
    await make('esi1', { firstName: 'Ada', lastName: 'Lovelace', esi: 'urn:esi:it:ADA1', componentId: law });
    await make('esi2', { firstName: 'Augusta', lastName: 'King', esi: 'URN:ESI:IT:ada1 ', componentId: law });
    // same normalised name and birth date; the kept one lacks an e-mail, an ESI and a nationality
    await make('keep', { firstName: 'Jean-Marc', lastName: 'Dupré', birthDate: '2000-05-05', personId: studentA, home: { name: 'Université Laval' }, componentId: law });
    await make('drop', { firstName: 'Jean Marc', lastName: 'DUPRE', birthDate: '2000-05-05', email: 'jm.dupre@partner.example', esi: 'urn:esi:ca:JMD', nationality: 'CA', home: { name: 'Laval University', country: 'CA' }, componentId: law });
    // the same e-mail only
    await make('mail1', { firstName: 'Zoé', lastName: 'Arnaud', email: 'shared@partner.example', componentId: law });
    await make('mail2', { firstName: 'Zack', lastName: 'Brun', email: 'Shared@Partner.example', componentId: law });
    // the same ESI on two different people's accounts
    await make('p1', { firstName: 'Ivo', lastName: 'Ivić', esi: 'urn:esi:hr:IVO', personId: studentA, componentId: law });
    await make('p2', { firstName: 'Ivo', lastName: 'Ivic', esi: 'urn:esi:hr:IVO', personId: studentB, componentId: law });
    // a file with no duplicate
    await make('alone', { firstName: 'Nobody', lastName: 'Twice', componentId: law });
    // what the merge moves
    await t.knex('mobility_messages').insert({ institution_id: inst, file_id: id.drop, person_id: null, author_label: 'Office', author_side: 'office', body: 'Welcome!' });
    await t.knex('mobility_documents').insert({
      institution_id: inst, file_id: id.drop, type_code: 'passport', storage_key: `test/${id.drop}/passport`, original_name: 'passport.pdf',
      size_bytes: 10, media_type: 'application/pdf', sha256: 'a'.repeat(64), uploaded_by_label: 'Jean Marc',
    });
    // a transcript on both: the kept file's stays current, the moved one becomes a former version
    for (const [f, name] of [[id.keep, 'kept-transcript.pdf'], [id.drop, 'moved-transcript.pdf']] as const) {
      await t.knex('mobility_documents').insert({
        institution_id: inst, file_id: f, type_code: 'transcript', storage_key: `test/${f}/transcript`, original_name: name,
        size_bytes: 10, media_type: 'application/pdf', sha256: 'b'.repeat(64), uploaded_by_label: 'Jean Marc',
      });
    }
  });
  after(async () => {
    await t?.stop();
  });

  it('lists each suspected pair with its reason, and the e-mail alone only as possible', async () => {
    const res = await manager.get('/mobility/duplicates');
    expect(res.status).to.equal(200);
    expect(res.text).to.contain('<h1>Suspected duplicates</h1>').and.contain('Pairs to decide on: 4.');
    const pair = (a: string, b: string) => {
      const start = res.text.indexOf(`id="pair-${id[a]}-${id[b]}"`);
      expect(start, `pair ${a}/${b}`).to.be.greaterThan(-1);
      return res.text.slice(start, res.text.indexOf('Keep both: these are different people', start));
    };
    expect(pair('esi1', 'esi2')).to.contain('Same ESI').and.contain('certainly the same person').and.contain('Lovelace Ada').and.contain('King Augusta');
    expect(pair('keep', 'drop')).to.contain('Same name and birth date').and.contain('certainly the same person').and.contain('jm.dupre@partner.example').and.contain('Université Laval');
    expect(pair('mail1', 'mail2')).to.contain('Same e-mail address').and.contain('possibly the same person');
    expect(pair('p1', 'p2')).to.contain('Same ESI');
    expect(res.text).not.to.contain('Twice Nobody');
    // the files list points there
    expect((await manager.get('/mobility/files')).text).to.contain('<a href="/mobility/duplicates">Suspected duplicates to decide on: 4</a>');
    expect((await referent.get('/mobility/files')).text).not.to.contain('/mobility/duplicates');
    // the block on a file's page links to its pairs
    const file = await manager.get(`/mobility/files/${id.mail1}`);
    expect(file.text).to.contain('Suspected duplicates').and.contain(`href="/mobility/duplicates?file=${id.mail1}"`).and.contain(`File #${id.mail2}: Brun Zack`);
    expect((await manager.get(`/mobility/files/${id.alone}`)).text).not.to.contain('Suspected duplicates');
    const only = await manager.get(`/mobility/duplicates?file=${id.mail1}`);
    expect(only.text).to.contain('Pairs to decide on: 1.').and.contain(`pair-${id.mail1}-${id.mail2}`);
  });

  it('keeps a referent out (403) and hides the block from them', async () => {
    expect((await referent.get('/mobility/duplicates')).status).to.equal(403);
    expect((await referent.post('/mobility/duplicates/keep', await pairForm(id.mail1!, id.mail2!))).status).to.equal(403);
    const page = await referent.get(`/mobility/files/${id.mail1}`);
    expect(page.status).to.equal(200);
    expect(page.text).not.to.contain('Suspected duplicates');
    expect(await decisions()).to.equal(0);
  });

  it('keep both: records the decision, audited, and the pair is not shown again', async () => {
    const res = await manager.post('/mobility/duplicates/keep', await pairForm(id.mail1!, id.mail2!));
    expect(res.status).to.equal(303);
    const page = await manager.get(res.headers.get('location')!);
    expect(page.text).to.contain(`Files #${id.mail1} and #${id.mail2} are kept as two different people.`).and.contain('Pairs to decide on: 3.');
    expect(page.text).not.to.contain(`pair-${id.mail1}-${id.mail2}`);
    const row = await t.knex('mobility_duplicate_decisions').where({ file_a: id.mail1, file_b: id.mail2 }).first();
    expect(row).to.include({ decision: 'keep', label: 'Marie Office' });
    expect(await t.knex('audit_log').where({ action: 'mobility.duplicates.keep' })).to.have.length(1);
    // the same form sent again: already decided, nothing more recorded
    const again = await other.post('/mobility/duplicates/keep', { a: String(id.mail1), b: String(id.mail2), versionA: '1', versionB: '1' });
    expect(again.status).to.equal(409);
    expect(again.text).to.contain('Marie Office already decided on this pair');
    expect(await decisions()).to.equal(1);
  });

  it('refuses a merge into itself, without a choice, across persons or institutions, changing nothing', async () => {
    const before = await Promise.all([snapshot(id.p1!), snapshot(id.p2!)]);
    const self = await manager.post('/mobility/duplicates/merge', { ...(await pairForm(id.p1!, id.p1!)), keep: String(id.p1) });
    expect(self.status).to.equal(400);
    expect(self.text).to.contain('A file cannot be merged into itself.');
    const none = await manager.post('/mobility/duplicates/merge', await pairForm(id.p1!, id.p2!));
    expect(none.status).to.equal(400);
    expect(none.text).to.contain('Choose the file that stays.').and.contain(`aria-describedby="pair-${id.p1}-${id.p2}-error"`);
    const persons = await manager.post('/mobility/duplicates/merge', { ...(await pairForm(id.p1!, id.p2!)), keep: String(id.p1) });
    expect(persons.status).to.equal(422);
    expect(persons.text).to.contain('belong to two different people').and.contain('id="duplicates-error"');
    const elsewhere = await t.createInstitution({ code: 'other-u', hostNames: ['other.example'] });
    await store.ensureSeeded(elsewhere.id);
    const foreign = (await store.createFile({ institutionId: elsewhere.id, label: 'Office' }, { firstName: 'Ivo', lastName: 'Ivić', esi: 'urn:esi:hr:IVO', exchangeType: 'first-semester', academicYear: 2026 })).id;
    const cross = await manager.post('/mobility/duplicates/merge', { a: String(id.p1), b: String(foreign), versionA: String(await versionOf(id.p1!)), versionB: '1', keep: String(id.p1) });
    expect(cross.status).to.equal(404);
    expect(cross.text).to.contain(`File #${foreign} does not exist or is not one you manage.`);
    expect(await Promise.all([snapshot(id.p1!), snapshot(id.p2!)])).to.deep.equal(before);
    expect((await t.knex('mobility_files').where({ id: foreign }).first()).status).to.equal('nominated');
    expect(await decisions()).to.equal(1);
  });

  it('a stale form of another manager gets 409 and changes nothing', async () => {
    const stale = { ...(await pairForm(id.esi1!, id.esi2!)), keep: String(id.esi1) };
    // someone moves file esi2 on meanwhile
    await store.transition(office(), id.esi2!, { stepKey: 'pre-registration', action: 'validate' }, undefined, { system: true });
    const before = await Promise.all([snapshot(id.esi1!), snapshot(id.esi2!)]);
    const res = await other.post('/mobility/duplicates/merge', stale);
    expect(res.status).to.equal(409);
    expect(res.text).to.contain(`File #${id.esi2} (Augusta King) was changed by someone else since this page was shown: nothing was done.`);
    // the page shows the pair as it is now, with the new version
    expect(res.text).to.contain(`name="versionB" value="${await versionOf(id.esi2!)}"`);
    expect(await Promise.all([snapshot(id.esi1!), snapshot(id.esi2!)])).to.deep.equal(before);
    expect(await decisions()).to.equal(1);
  });

  it('merge copies only the empty fields, moves documents, messages and the person, and closes the other file', async () => {
    const keepBefore = await t.knex('mobility_files').where({ id: id.keep }).first();
    const res = await manager.post('/mobility/duplicates/merge', { ...(await pairForm(id.keep!, id.drop!)), keep: String(id.keep) });
    expect(res.status).to.equal(303);
    const page = await manager.get(res.headers.get('location')!);
    expect(page.text).to.contain(`File #${id.drop} was merged into file #${id.keep}. Copied: nationality, e-mail, ESI, home country. Moved: 2 documents, 1 messages.`);
    expect(page.text).not.to.contain(`pair-${id.keep}-${id.drop}`);
    const kept = await store.file(inst, id.keep!);
    const dropped = await store.file(inst, id.drop!);
    // filled where empty, never overwritten
    expect(kept).to.include({ email: 'jm.dupre@partner.example', esi: 'urn:esi:ca:JMD', nationality: 'CA', firstName: 'Jean-Marc', lastName: 'Dupré', personId: studentA, version: keepBefore.version + 1 });
    expect(kept!.home).to.include({ name: 'Université Laval', country: 'CA' });
    expect(dropped).to.include({ status: 'abandoned', currentStep: null });
    const history = await store.history(inst, id.drop!);
    expect(history.transitions.at(-1)).to.include({ action: 'abandon', comment: `merged into file #${id.keep}` });
    expect(await t.knex('mobility_messages').where({ file_id: id.keep }).pluck('body')).to.deep.equal(['Welcome!']);
    const docs = await t.knex('mobility_documents').where({ file_id: id.keep }).orderBy('original_name');
    expect(docs.map((d: any) => [d.original_name, d.superseded_at === null])).to.deep.equal([
      ['kept-transcript.pdf', true], ['moved-transcript.pdf', false], ['passport.pdf', true],
    ]);
    expect(await t.knex('audit_log').where({ action: 'mobility.file.merge', target_id: String(id.keep) })).to.have.length(1);
    expect(await t.knex('audit_log').where({ action: 'mobility.file.merged-into', target_id: String(id.drop) })).to.have.length(1);
    // the kept file's page tells where it came from
    const keptPage = (await manager.get(`/mobility/files/${id.keep}`)).text;
    expect(keptPage).to.contain(`File #${id.drop} was merged into this file by Marie Office.`);
    // and its timeline has the merge, the step unchanged
    expect((await store.history(inst, id.keep!)).transitions.at(-1)).to.include({ action: 'merge', fromStep: kept!.currentStep, toStep: kept!.currentStep });
    expect(keptPage).to.match(/<td>Marie Office<\/td><td>Merged<\/td>/);
    expect(keptPage).to.contain(`File #${id.drop} (a duplicate) was merged into this file.`);
    // the dropped file is closed: a second merge of it is refused
    const again = await other.post('/mobility/duplicates/merge', { a: String(id.keep), b: String(id.drop), versionA: String(await versionOf(id.keep!)), versionB: String(await versionOf(id.drop!)), keep: String(id.keep) });
    expect(again.status).to.equal(409);
    expect(again.text).to.contain(`File #${id.drop} is closed (abandoned)`);
  });

  it('speaks French', async () => {
    const s = await t.signIn(['manager'], { displayName: 'Claire Bureau' });
    const fr = t.client({ session: s, lang: 'fr' });
    const res = await fr.get('/mobility/duplicates');
    expect(res.text).to.contain('<h1>Doublons suspectés</h1>').and.contain('Même ESI').and.contain('Fusionner : quel dossier garder ?');
    const self = await fr.post('/mobility/duplicates/merge', { ...(await pairForm(id.p1!, id.p1!)), keep: String(id.p1) });
    expect(self.text).to.contain('Un dossier ne peut pas être fusionné avec lui-même.');
  });
});
