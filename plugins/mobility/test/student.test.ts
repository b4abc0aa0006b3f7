// The student part through HTTP: invitations (outbox, language, link, tag), the join flow and its
// refusals, the ESI link at a real SAML sign-in (the auth-saml tests' in-process IdP), the student
// space (progress, next step, timeline, completion), the profile form and sending a student step.
import { createHash } from 'node:crypto';
import { expect } from 'chai';
import { coreServices } from '@smile/sdk';
import { startTestPlatform, type TestClient, type TestPlatform, type TestResponse } from '@smile/sdk/testing';
import { defaultSteps, mobilityService, type MobilityActor, type MobilityStore } from '../src/index.js';

/** The in-process SAML IdP of the auth-saml tests (samlify): what this suite uses of it. */
interface SamlKit {
  TestIdp: { start(): Promise<SamlIdp> };
  student(): unknown;
  Client: new (t: TestPlatform) => TestClient & { postFromIdp(path: string, form: Record<string, string>): Promise<TestResponse> };
  introduce(t: TestPlatform, idp: SamlIdp): Promise<string>;
  startSignIn(c: TestClient, idp: SamlIdp, returnTo?: string): Promise<{ id: string; relayState: string }>;
}
interface SamlIdp {
  setting(): unknown;
  response(requestId: string, user: unknown): Promise<string>;
  stop(): Promise<void>;
}
// another project's test helpers: loaded at run time, outside this project's compilation
const SAML_TESTS = '../../auth-saml/test/';
const samlKit = async (): Promise<SamlKit> => ({ ...(await import(`${SAML_TESTS}idp.js`)), ...(await import(`${SAML_TESTS}support.js`)) });

const text = (html: string) => html.replace(/<script[\s\S]*?<\/script>/g, ' ').replace(/<[^>]+>/g, ' ').replace(/&#39;/g, "'").replace(/&quot;/g, '"').replace(/&amp;/g, '&').replace(/\s+/g, ' ');
const GIULIA_ESI = 'urn:schac:personalUniqueCode:int:esi:unibo.it:0000123456';

describe('mobility: student space', function () {
  this.timeout(90_000);
  let t: TestPlatform;
  let saml: SamlKit;
  let idp: SamlIdp;
  let store: MobilityStore;
  let inst: number;
  let office: MobilityActor;
  let manager: TestClient;

  /** The invitation mail of a file, and the token its link carries. */
  async function invitationOf(fileId: number) {
    const mails = await t.knex('mail_outbox').where({ institution_id: inst, tag: `mobility.file:${fileId}` }).orderBy('id');
    const last = mails.at(-1);
    const token = last ? /\/mobility\/join\/([A-Za-z0-9_-]{43})/.exec(last.body_text)?.[1] ?? null : null;
    return { mails, last, token };
  }
  const nominate = async (first: string, extra: Record<string, unknown> = {}) =>
    (await store.createFile(office, { firstName: first, lastName: 'Test', exchangeType: 'first-semester', academicYear: 2026, home: { name: 'Università di Pisa', country: 'IT' }, ...extra })).id;
  const fileRow = (id: number) => t.knex('mobility_files').where({ id }).first();
  const rolesOf = async (personId: number) => (await t.resolve(coreServices.roles).assignments(inst, personId)).map((a) => a.role);
  const asStudent = async (name: string, roles: string[] = ['student']) => {
    const s = await t.signIn(roles, { displayName: name });
    return { personId: s.personId, c: t.client({ session: s }) };
  };

  before(async () => {
    saml = await samlKit();
    idp = await saml.TestIdp.start();
    t = await startTestPlatform({ plugins: ['mobility', 'auth-saml', 'base'], settings: { 'auth-saml': { idps: [idp.setting()] } } });
    await saml.introduce(t, idp);
    store = t.resolve(mobilityService);
    inst = t.institution.id;
    office = { institutionId: inst, label: 'Office' };
    // the seed system's process as it is, without what other parts add to it (documents): this
    // suite tests the profile condition alone
    await store.publishProcess(office, 'first-semester', defaultSteps().map((x) => ({ ...x, requiredDocuments: [] })));
    manager = t.client({ session: await t.signIn(['manager'], { displayName: 'Office Manager' }) });
  });
  after(async () => {
    await t?.stop();
    await idp?.stop();
  });

  it('mails an invitation when a file is created: right address, language, absolute link, tag; only the hash is stored', async () => {
    await t.knex('institutions').where({ id: inst }).update({ host_names: ['mobility.uni.example'] });
    t.platform.institutions.invalidate();
    const it = await nominate('Ada', { email: 'ada@unipi.example' });
    const be = await nominate('Brigitte', { email: 'brigitte@uclouvain.example', home: { name: 'UCLouvain', country: 'BE' } });
    const linked = await nominate('Carl', { email: 'carl@unipi.example', personId: (await t.signIn([])).personId });
    const noMail = await nominate('Dora');
    await t.drainJobs();

    const ada = await invitationOf(it);
    expect(ada.mails).to.have.length(1);
    expect(ada.last.recipient).to.equal('ada@unipi.example');
    expect(ada.last.subject).to.match(/^Your mobility at /);
    expect(ada.last.body_text).to.contain('Dear Ada').and.contain('Università di Pisa').and.contain(`https://mobility.uni.example/mobility/join/${ada.token}`);
    const deadline = (await t.knex('mobility_file_steps').where({ file_id: it, state: 'active' }).first()).deadline_at as Date;
    expect(ada.last.body_text, 'the deadline of the active step').to.contain(new Date(deadline).toISOString().slice(0, 10));
    const stored = await t.knex('mobility_invitations').where({ file_id: it });
    expect(stored).to.have.length(1);
    expect(stored[0].token_hash).to.equal(createHash('sha256').update(ada.token!).digest('hex'));
    expect(JSON.stringify(stored)).not.to.contain(ada.token!);

    const brigitte = await invitationOf(be);
    expect(brigitte.last.subject, 'Belgium reads French').to.match(/^Votre mobilité à /);
    expect(brigitte.last.body_text).to.contain('Bonjour Brigitte');
    expect((await invitationOf(linked)).mails, 'a file with a person needs no invitation').to.have.length(0);
    expect((await invitationOf(noMail)).mails).to.have.length(0);
  });

  it('asks a visitor to sign in and come back, then links the file and gives the role on confirmation', async () => {
    const fileId = await nominate('Elena', { email: 'elena@unipi.example' });
    await t.drainJobs();
    const { token } = await invitationOf(fileId);
    const visitor = t.client();
    const anon = await visitor.get(`/mobility/join/${token}`);
    expect(anon.status).to.equal(200);
    expect(text(anon.text)).to.contain('sign in with the account of your home institution');
    expect(anon.text).to.contain(`href="/sign-in?return=${encodeURIComponent(`/mobility/join/${token}`)}"`);
    expect(text(anon.text), 'no name to whoever holds the link before signing in').not.to.contain('Elena');

    const { personId, c } = await asStudent('Elena Test', []);
    expect((await c.get('/mobility/me')).status, 'no student role yet').to.equal(403);
    const confirm = await c.get(`/mobility/join/${token}`);
    expect(text(confirm.text)).to.contain('mobility file of Elena Test').and.contain('Link this file to my account');
    expect((await fileRow(fileId)).person_id, 'GET changes nothing').to.equal(null);

    const done = await c.post(`/mobility/join/${token}`);
    expect(done.status).to.equal(303);
    expect(done.headers.get('location')).to.equal(`/mobility/me/${fileId}`);
    expect((await fileRow(fileId)).person_id).to.equal(personId);
    expect(await rolesOf(personId)).to.include('student');
    expect(await t.knex('audit_log').where({ action: 'mobility.file.claim', target_id: String(fileId) })).to.have.length(1);
    const page = await c.get(`/mobility/me/${fileId}`);
    expect(page.status).to.equal(200);
    expect(text(page.text)).to.contain('Your file is now linked to your account.');
    // the office sees it on the file's page
    expect(text((await manager.get(`/mobility/files/${fileId}`)).text)).to.contain('The file is linked to the student’s account.');
  });

  it('refuses a used, expired, replaced or unknown link, or a file linked to someone else, and changes nothing', async () => {
    const fileId = await nominate('Farid', { email: 'farid@unipi.example' });
    await t.drainJobs();
    const first = (await invitationOf(fileId)).token!;
    const owner = await asStudent('Farid Test');
    expect((await owner.c.post(`/mobility/join/${first}`)).status).to.equal(303);

    const other = await asStudent('Mallory');
    const reused = await other.c.post(`/mobility/join/${first}`);
    expect(reused.status).to.equal(409);
    expect(text(reused.text)).to.contain('already linked to another account');
    expect((await fileRow(fileId)).person_id).to.equal(owner.personId);

    const unknown = await other.c.get(`/mobility/join/${'x'.repeat(43)}`);
    expect(unknown.status).to.equal(404);
    expect(text(unknown.text)).to.contain('This invitation link is not valid');
    expect((await other.c.post('/mobility/join/not-a-token')).status).to.equal(404);

    const late = await nominate('Gina', { email: 'gina@unipi.example' });
    await t.drainJobs();
    const lateToken = (await invitationOf(late)).token!;
    await t.knex('mobility_invitations').where({ file_id: late }).update({ expires_at: new Date(Date.now() - 1000) });
    const expired = await other.c.post(`/mobility/join/${lateToken}`);
    expect(expired.status).to.equal(410);
    expect(text(expired.text)).to.contain('This invitation has expired');
    expect((await fileRow(late)).person_id).to.equal(null);

    // the office re-sends: the old link is replaced, the new one works once
    const block = await manager.get(`/mobility/files/${late}`);
    const latest = /name="latest" value="(\d+)"/.exec(block.text)?.[1];
    expect(text(block.text)).to.contain('expired on');
    expect((await manager.post(`/mobility/files/${late}/invite`, { latest: latest! })).status).to.equal(303);
    const again = await manager.post(`/mobility/files/${late}/invite`, { latest: latest! });
    expect(text((await manager.get(again.headers.get('location')!)).text), 'a second click on the same page mails nothing').to.contain('Someone sent an invitation meanwhile');
    const { mails, token: fresh } = await invitationOf(late);
    expect(mails).to.have.length(2);
    expect(fresh).not.to.equal(lateToken);
    expect((await other.c.post(`/mobility/join/${lateToken}`)).status, 'the old link is dead').to.equal(410);
    const gina = await asStudent('Gina Test', []);
    expect((await gina.c.post(`/mobility/join/${fresh}`)).status).to.equal(303);
    const usedAgain = await other.c.post(`/mobility/join/${fresh}`);
    expect(usedAgain.status).to.equal(409);
    expect((await fileRow(late)).person_id).to.equal(gina.personId);
    expect((await t.knex('mobility_invitations').where({ file_id: late }).whereNotNull('used_at'))).to.have.length(1);
    // a student may not re-send
    expect((await gina.c.post(`/mobility/files/${late}/invite`, { latest: '' })).status).to.equal(403);
  });

  it('links files by ESI at a SAML sign-in, never on the e-mail alone, and brings the person back to the link', async () => {
    const byEsi = await nominate('Giulia', { esi: ` ${GIULIA_ESI.toUpperCase()} `, home: { name: 'Università di Bologna', country: 'IT' } });
    const byMail = await nominate('Giulia', { email: 'giulia.bianchi@studio.unibo.it', home: { name: 'Università di Bologna', country: 'IT' } });
    await t.drainJobs();
    const { token } = await invitationOf(byMail);
    const c = new saml.Client(t);
    // what the discovery page builds from the join page's return path
    const { id, relayState } = await saml.startSignIn(c, idp, `/mobility/join/${token}`);
    const res = await c.postFromIdp('/saml/acs', { SAMLResponse: await idp.response(id, saml.student()), RelayState: relayState });
    expect(res.status).to.equal(303);
    expect(res.headers.get('location')).to.equal(`/mobility/join/${token}`);
    const person = await t.knex('persons').where({ email: 'giulia.bianchi@studio.unibo.it' }).first();
    expect((await fileRow(byEsi)).person_id).to.equal(person.id);
    expect((await fileRow(byMail)).person_id, 'same e-mail, no ESI: not linked').to.equal(null);
    expect(await rolesOf(person.id)).to.include('student');
    expect(await t.knex('audit_log').where({ action: 'mobility.file.link-esi', target_id: String(byEsi) })).to.have.length(1);
    const me = await c.get('/mobility/me');
    expect(me.status, 'one file: straight to it').to.equal(303);
    expect(me.headers.get('location')).to.equal(`/mobility/me/${byEsi}`);
    expect(text((await c.get(`/mobility/join/${token}`)).text), 'back on the link, signed in').to.contain('Link this file to my account');
  });

  describe('a student’s own file', () => {
    let fileId: number;
    let ada: { personId: number; c: TestClient };
    before(async () => {
      ada = await asStudent('Ada Lovelace');
      fileId = await nominate('Ada', { lastName: 'Lovelace', personId: ada.personId, email: 'ada.l@unipi.example' });
    });

    it('shows progress, what to do and by when, completion, and is a 404 for anyone else', async () => {
      const page = await ada.c.get(`/mobility/me/${fileId}`);
      expect(page.status).to.equal(200);
      const p = text(page.text);
      expect(p).to.contain('Step 1 of 7').and.contain('0 % of the process done');
      expect(page.text).to.match(/<li class="student-step student-step--active" aria-current="step"><span class="student-step-label">Pre-registration<\/span>/);
      expect(page.text).to.contain('<progress class="student-bar" max="100" value="0"');
      expect(p).to.contain('It is your turn: step “Pre-registration”.').and.match(/To do by \d{1,2} \w+ 20\d\d\./);
      expect(p).to.contain('1 of 5 required fields filled in.').and.contain('Still missing: Date of birth, Nationality, Gender, Home address.');
      expect(p).to.contain('File created, at step “Pre-registration”.');
      const fr = t.client({ session: { cookie: ada.c.cookie, csrf: ada.c.csrf }, lang: 'fr' });
      expect(text((await fr.get(`/mobility/me/${fileId}`)).text)).to.contain('C’est à vous : étape « Pré-inscription ».').and.contain('Étape 1 sur 7');

      const bob = await asStudent('Bob');
      expect((await bob.c.get(`/mobility/me/${fileId}`)).status).to.equal(404);
      expect((await bob.c.get(`/mobility/me/${fileId}/profile`)).status).to.equal(404);
      expect((await bob.c.post(`/mobility/me/${fileId}/profile`, { version: '1', language: 'en' })).status).to.equal(404);
      expect((await bob.c.post(`/mobility/me/${fileId}/submit`, { step: 'pre-registration', version: '1' })).status).to.equal(404);
      expect(text((await bob.c.get('/mobility/me')).text)).to.contain('No mobility file is linked to your account yet.');
      expect((await manager.get('/mobility/me')).status, 'the office has no student space').to.equal(403);
    });

    it('keeps what was typed with errors in place, then saves; a stale form is a conflict that loses nothing', async () => {
      const form = await ada.c.get(`/mobility/me/${fileId}/profile`);
      expect(form.status).to.equal(200);
      const version = /name="version" value="(\d+)"/.exec(form.text)![1]!;
      const bad = await ada.c.post(`/mobility/me/${fileId}/profile`, {
        version, birthDate: '2003-02-30', nationality: 'IT', gender: 'female', email: 'ada-at-example', street: 'Via Roma', city: 'Pisa', country: 'IT', language: 'en', specialNeeds: 'Ground floor <please>',
      });
      expect(bad.status).to.equal(422);
      expect(text(bad.text)).to.contain('There are 2 problems').and.contain('Date of birth: Enter a valid date').and.contain('E-mail address: Enter an e-mail address like');
      expect(bad.text).to.contain('href="#p-birthDate"').and.contain('aria-describedby="p-email-error"').and.contain('value="ada-at-example"');
      expect(bad.text, 'escaped and kept').to.contain('Ground floor &lt;please&gt;');
      expect(bad.text).to.match(/<option value="IT" selected>Italy<\/option>/);
      expect((await fileRow(fileId)).version, 'nothing saved').to.equal(Number(version));

      const ok = await ada.c.post(`/mobility/me/${fileId}/profile`, {
        version, birthDate: '2003-02-28', nationality: 'IT', gender: 'female', email: 'ada.l@unipi.example', street: 'Via Roma', city: 'Pisa', country: 'IT', language: 'en',
      });
      expect(ok.status).to.equal(303);
      const row = await fileRow(fileId);
      expect(row.version).to.equal(Number(version) + 1);
      expect(row.nationality).to.equal('IT');
      expect(row.language).to.equal('en');
      expect(await t.knex('audit_log').where({ action: 'mobility.file.profile-update', target_id: String(fileId) })).to.have.length(1);
      expect(text((await ada.c.get(`/mobility/me/${fileId}`)).text)).to.contain('5 of 5 required fields filled in.');

      const stale = await ada.c.post(`/mobility/me/${fileId}/profile`, { version, birthDate: '2003-02-28', nationality: 'FR', gender: 'female', email: 'ada.l@unipi.example', street: 'Via Roma', city: 'Pisa', country: 'IT', language: 'en' });
      expect(stale.status).to.equal(409);
      expect(text(stale.text)).to.contain('Your file changed meanwhile').and.contain('Nationality France');
      expect(stale.text, 'the fresh value in the form').to.match(/<option value="IT" selected>Italy<\/option>/);
      expect((await fileRow(fileId)).nationality).to.equal('IT');
    });

    it('refuses to send the step while required fields are missing, listing them, then sends it', async () => {
      const fileId2 = await nominate('Ada', { lastName: 'Byron', personId: ada.personId });
      const page = await ada.c.get(`/mobility/me/${fileId2}`);
      const version = /name="version" value="(\d+)"/.exec(page.text)![1]!;
      const refused = await ada.c.post(`/mobility/me/${fileId2}/submit`, { step: 'pre-registration', version });
      expect(refused.status).to.equal(422);
      const r = text(refused.text);
      expect(r).to.contain('The step was not sent').and.contain('Your profile is incomplete. Fill in these fields first:');
      expect(r).to.contain('Date of birth').and.contain('Nationality').and.contain('E-mail address').and.contain('Home address');
      expect((await fileRow(fileId2)).current_step).to.equal('pre-registration');

      // two files now: the list, most recent first
      const list = await ada.c.get('/mobility/me');
      expect(list.status).to.equal(200);
      expect(list.text.indexOf(`/mobility/me/${fileId2}"`)).to.be.lessThan(list.text.indexOf(`/mobility/me/${fileId}"`));

      const sent = await ada.c.post(`/mobility/me/${fileId}/submit`, { step: 'pre-registration', version: String((await fileRow(fileId)).version) });
      expect(sent.status, text(sent.text).slice(0, 1500)).to.equal(303);
      expect((await fileRow(fileId)).current_step).to.equal('office-validation');
      const after = await ada.c.get(`/mobility/me/${fileId}`);
      const a = text(after.text);
      expect(a).to.contain('Sent. Your file is now at step “Registered, waiting for office validation”.');
      expect(a).to.match(/The international office is working on your file: step “Registered, waiting for office validation”, since \d{1,2} \w+ 20\d\d\./);
      expect(a).to.contain('Step “Pre-registration” completed; next: “Registered, waiting for office validation”.');
      expect(a).to.contain('Step 2 of 7').and.contain('14 % of the process done');
      expect(after.text).to.match(/student-step--done"><span class="student-step-label">Pre-registration/);
      expect(after.text, 'not the student’s turn: no send button').not.to.contain('/submit"');

      // sent again from the old page: a conflict, the fresh page shown
      const again = await ada.c.post(`/mobility/me/${fileId}/submit`, { step: 'pre-registration', version: '1' });
      expect(again.status).to.equal(409);
      expect(text(again.text)).to.contain('Your file moved meanwhile');

      // the office sends it back with a comment: the student reads it, the step is theirs again
      const office2 = await t.knex('mobility_files').where({ id: fileId }).first();
      const mgr = await t.signIn(['manager'], { displayName: 'Claire' });
      await store.transition({ institutionId: inst, personId: mgr.personId, label: 'Claire' }, fileId, { stepKey: 'office-validation', action: 'refuse', comment: 'Your transcript is missing.' }, office2.version);
      const back = text((await ada.c.get(`/mobility/me/${fileId}`)).text);
      expect(back).to.contain('Step “Registered, waiting for office validation” sent back to “Pre-registration”.').and.contain('Comment from the international office: Your transcript is missing.');
      expect(back, 'no staff names').not.to.contain('Claire');
    });

    it('names who refused by the role they acted in and keeps the lines of their comment, escaped', async () => {
      const id = await nominate('Ada', { lastName: 'King', personId: ada.personId });
      const system: MobilityActor = { institutionId: inst, label: 'system' };
      for (const step of ['pre-registration', 'office-validation', 'course-selection']) await store.transition(system, id, { stepKey: step, action: 'validate' }, undefined, { system: true });
      const referent = await t.signIn(['referent'], { displayName: 'Jean Dupont' });
      const comment = 'Some courses were refused:\n- LAW101 <Civil law>: no seat left\n- ECO201 – Microeconomics: prerequisite missing';
      await store.transition({ institutionId: inst, personId: referent.personId, label: 'Jean Dupont' }, id, { stepKey: 'referent-approval', action: 'refuse', comment });

      const page = await ada.c.get(`/mobility/me/${id}`);
      const p = text(page.text);
      expect(p).to.contain('Step “Approval by the educational referent” sent back to “Course selection”.').and.contain('Comment from the educational referent: Some courses were refused:');
      expect(p).not.to.contain('Message from the office').and.not.to.contain('Jean Dupont');
      // one line per refused course: the line breaks reach the page (shown by the stylesheet), the text escaped
      expect(page.text).to.contain('>Some courses were refused:\n- LAW101 &lt;Civil law&gt;: no seat left\n- ECO201 – Microeconomics: prerequisite missing</');
      const fr = t.client({ session: { cookie: ada.c.cookie, csrf: ada.c.csrf }, lang: 'fr' });
      expect(text((await fr.get(`/mobility/me/${id}`)).text)).to.contain('Commentaire (Référent pédagogique) : Some courses were refused:');

      // the student's own refusal (the last step is theirs) is theirs; the office's reads as the office's
      await store.transition(system, id, { stepKey: 'course-selection', action: 'validate' }, undefined, { system: true });
      await store.transition(system, id, { stepKey: 'referent-approval', action: 'validate' }, undefined, { system: true });
      const senior = await t.signIn(['supermanager'], { displayName: 'Paula Senior' });
      await store.transition({ institutionId: inst, personId: senior.personId, label: 'Paula Senior' }, id, { stepKey: 'host-approval', action: 'refuse', comment: 'Please add a second-semester course.' });
      await store.transition(system, id, { stepKey: 'course-selection', action: 'validate' }, undefined, { system: true });
      await store.transition(system, id, { stepKey: 'referent-approval', action: 'validate' }, undefined, { system: true });
      await store.transition(system, id, { stepKey: 'host-approval', action: 'validate' }, undefined, { system: true });
      await store.transition({ institutionId: inst, personId: ada.personId, label: 'Ada King' }, id, { stepKey: 'student-approval', action: 'refuse', comment: 'I want to change a course.' });
      const later = text((await ada.c.get(`/mobility/me/${id}`)).text);
      expect(later).to.contain('Your comment: I want to change a course.')
        .and.contain('Comment from the international office: Please add a second-semester course.')
        .and.contain('Comment from the educational referent: Some courses were refused:');
      expect(later).not.to.contain('Paula Senior');
    });

    it('leaves out the generic send form at a step whose action a block of the page carries, and points to that block', async () => {
      const marked = await nominate('Ada', { lastName: 'Marked', personId: ada.personId });
      const plain = await nominate('Ada', { lastName: 'Plain', personId: ada.personId });
      // what another part does for its own step (the course choice for course selection): its block carries the step
      store.hooks.fileSections.tap('test:carries-pre-registration', (sections, { file, audience }) =>
        audience === 'student' && file.id === marked ? sections.map((x) => (x.id === 'documents' ? { ...x, stepAction: 'pre-registration' } : x)) : sections);

      const page = await ada.c.get(`/mobility/me/${marked}`);
      expect(page.status).to.equal(200);
      const p = text(page.text);
      expect(p).to.contain('It is your turn: step “Pre-registration”.').and.contain('You do and send this step from its own block below.');
      expect(page.text).to.contain('<a href="#documents">Go to this step’s block</a>').and.contain('<div id="documents">');
      expect(page.text, 'no generic send form').not.to.contain(`action="/mobility/me/${marked}/submit"`);
      expect(p).not.to.contain('When your profile and documents are ready, send this step.');
      const fr = t.client({ session: { cookie: ada.c.cookie, csrf: ada.c.csrf }, lang: 'fr' });
      expect(text((await fr.get(`/mobility/me/${marked}`)).text)).to.contain('Cette étape se fait et s’envoie depuis son propre bloc, plus bas.');

      // a file whose blocks carry no step: the form as before
      const other = await ada.c.get(`/mobility/me/${plain}`);
      expect(other.text).to.contain(`action="/mobility/me/${plain}/submit"`);
      expect(text(other.text)).to.contain('When your profile and documents are ready, send this step.').and.not.contain('from its own block below');

      // once the file is at another student step, the generic form is back
      const system: MobilityActor = { institutionId: inst, label: 'system' };
      for (const step of ['pre-registration', 'office-validation']) await store.transition(system, marked, { stepKey: step, action: 'validate' }, undefined, { system: true });
      const moved = await ada.c.get(`/mobility/me/${marked}`);
      expect(text(moved.text)).to.contain('It is your turn: step “Course selection”.').and.not.contain('from its own block below');
      expect(moved.text).to.contain(`action="/mobility/me/${marked}/submit"`);
    });

    it('writes the academic year with an en dash on the file and in the list', async () => {
      const fr = t.client({ session: { cookie: ada.c.cookie, csrf: ada.c.csrf }, lang: 'fr' });
      const page = await ada.c.get(`/mobility/me/${fileId}`);
      expect(page.text).to.match(/<h1>My mobility 2026–2027<\/h1>/);
      expect((await fr.get(`/mobility/me/${fileId}`)).text).to.match(/<h1>Ma mobilité 2026–2027<\/h1>/);
      const list = text((await ada.c.get('/mobility/me')).text);
      expect(list).to.contain('Mobility 2026–2027').and.not.contain('2026-2027');
    });
  });
});

describe('mobility: student space with the course choice', function () {
  this.timeout(90_000);
  let t: TestPlatform;

  before(async () => {
    t = await startTestPlatform({ plugins: ['course-picker', 'base'] });
  });
  after(async () => {
    await t?.stop();
  });

  it('at course selection, sends the student to the course choice instead of showing a Send button', async () => {
    const store = t.resolve(mobilityService);
    const inst = t.institution.id;
    const system: MobilityActor = { institutionId: inst, label: 'system' };
    const s = await t.signIn(['student'], { displayName: 'Lena Berg' });
    const c = t.client({ session: s });
    const { id } = await store.createFile(system, { firstName: 'Lena', lastName: 'Berg', exchangeType: 'first-semester', academicYear: 2026, personId: s.personId, home: { name: 'Universitetet i Oslo', country: 'NO' } });
    const before = await c.get(`/mobility/me/${id}`);
    expect(before.text, 'pre-registration is sent from the file page').to.contain(`action="/mobility/me/${id}/submit"`);

    for (const step of ['pre-registration', 'office-validation']) await store.transition(system, id, { stepKey: step, action: 'validate' }, undefined, { system: true });
    const page = await c.get(`/mobility/me/${id}`);
    const p = text(page.text);
    expect(p).to.contain('It is your turn: step “Course selection”.').and.contain('Open my course choice');
    expect(p).to.contain('You do and send this step from its own block below.');
    expect(page.text).to.contain('<a href="#course-choice">Go to this step’s block</a>');
    expect(page.text, 'the course choice submits the step, not the file page').not.to.contain(`action="/mobility/me/${id}/submit"`);
  });
});
