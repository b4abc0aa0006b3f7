// The mail of the workflow, read from the outbox: each transition kind sends its template to its
// recipient only (right address, language, tag), a refused document tells the student, reminders
// come once per deadline (and again when it moves), and mass mail refuses unknown macros then sends
// one mail per file.
import { expect } from 'chai';
import { coreServices } from '@smile/sdk';
import { startTestPlatform, type TestClient, type TestPlatform } from '@smile/sdk/testing';
import { SEED_TEMPLATES, mailingService } from '@smile/plugin-mailing';
import { defaultSteps, mobilityService, type FileInput, type MobilityActor, type MobilityStore } from '../src/index.js';
import { MAIL_RULES, sendDueReminders } from '../src/mail.js';
import type { ReminderDeps } from '../src/mail-reminders.js';

const DAY = 86_400_000;

describe('mobility: mail', function () {
  this.timeout(120_000);
  let t: TestPlatform;
  let store: MobilityStore;
  let inst: number;
  let deps: ReminderDeps;
  const who: Record<string, MobilityActor & { email: string }> = {};
  let manager: TestClient;
  let law: number;

  const profile = (first: string, country: string, extra: Partial<FileInput> = {}): FileInput => ({
    firstName: first, lastName: 'Tester', email: `${first.toLowerCase()}@student.example`, exchangeType: 'first-semester', academicYear: 2026,
    birthDate: '2003-04-05', nationality: country, gender: 'female', homeAddress: { street: 'Via Roma 1', city: 'Pisa', country },
    home: { name: `Uni ${country}`, country }, componentId: law, ...extra,
  });

  /** The outbox rows of a file newer than `after`. */
  const mailsOf = async (fileId: number, after = 0) =>
    (await t.knex('mail_outbox').where({ institution_id: inst, tag: `mobility.file:${fileId}` }).andWhere('id', '>', after).orderBy('id')) as Array<{ id: number; recipient: string; subject: string; body_text: string }>;
  const lastId = async () => Number((await t.knex('mail_outbox').max({ m: 'id' }).first())?.m ?? 0);
  /** Run a transition and return the mails it queued about the file. */
  async function step(actor: MobilityActor, fileId: number, stepKey: string, action: 'validate' | 'refuse' | 'abandon', comment?: string) {
    await t.drainJobs();
    const before = await lastId();
    await store.transition(actor, fileId, { stepKey, action, comment });
    await t.drainJobs();
    return (await mailsOf(fileId, before)).map((m) => ({ to: m.recipient, subject: m.subject, body: m.body_text }));
  }
  /** A student: a person signed in, the file created for them (its invitation drained away). */
  async function studentFile(first: string, country: string, extra: Partial<FileInput> = {}) {
    const s = await t.signIn(['student'], { displayName: `${first} Tester`, email: `${first.toLowerCase()}@student.example` });
    const actor = { institutionId: inst, personId: s.personId, label: `${first} Tester`, language: 'en' as const };
    const file = await store.createFile(who.manager!, { ...profile(first, country, extra), personId: s.personId });
    await t.drainJobs();
    return { actor, id: file.id, session: s };
  }

  before(async () => {
    t = await startTestPlatform({ plugins: ['mobility'] });
    store = t.resolve(mobilityService);
    inst = t.institution.id;
    const roles = t.resolve(coreServices.roles);
    for (const code of ['LAW', 'SCI']) await roles.saveComponent({ institutionId: inst, label: 'test' }, { code, name: { fr: code, en: code } });
    law = (await t.knex('components').where({ institution_id: inst, code: 'LAW' }).first()).id;
    const person = async (key: string, r: Array<string | { role: string; components: string[] }>) => {
      const email = `${key}@host.example`;
      const s = await t.signIn(r, { displayName: key, email });
      who[key] = { institutionId: inst, personId: s.personId, label: key, email, language: 'en' };
      return s;
    };
    manager = t.client({ session: await person('manager', ['manager']) });
    await person('managerSci', [{ role: 'manager', components: ['SCI'] }]);
    await person('boss', ['supermanager']);
    await person('refLaw', [{ role: 'referent', components: ['LAW'] }]);
    await person('refSci', [{ role: 'referent', components: ['SCI'] }]);
    // the seeded process as the seed system had it, without the documents other parts may require
    await store.ensureSeeded(inst);
    await store.publishProcess(who.manager!, null, defaultSteps().map((s) => ({ ...s, requiredDocuments: [] })));
    deps = {
      mailing: () => t.resolve(mailingService), store: () => store, baseUrl: () => t.resolve(coreServices.config).baseUrl, log: () => t.resolve(coreServices.logger),
      db: () => t.resolve(coreServices.database), institutions: () => t.resolve(coreServices.institutions),
    };
  });
  after(async () => t?.stop());

  it('declares each template for the recipient the mailing seeds name', () => {
    for (const [key, rule] of Object.entries(MAIL_RULES)) expect(SEED_TEMPLATES.find((s) => s.key === key)?.recipient, key).to.equal(rule.audience);
  });

  it('sends each transition kind to its recipient only, in their language, tagged with the file', async () => {
    const { actor: ada, id } = await studentFile('Ada', 'IT', { approvalComponents: ['LAW', 'SCI'] });
    // pre-registration (student) → office validation (manager, institution-wide): the managers who see LAW files, in the institution's language
    let mails = await step(ada, id, 'pre-registration', 'validate');
    expect(mails.map((m) => m.to)).to.deep.equal(['manager@host.example']);
    expect(mails[0]!.subject).to.equal('Dossier de Ada Tester : étape « Inscrit, en attente de validation par le bureau »');
    expect(mails[0]!.body).to.contain(`/mobility/files/${id}`);
    // office validation → course selection (student): the student, in English (home country IT), with the link to their space
    mails = await step(who.manager!, id, 'office-validation', 'validate');
    expect(mails.map((m) => m.to)).to.deep.equal(['ada@student.example']);
    expect(mails[0]!.subject).to.equal('Your file: new step “Course selection”');
    expect(mails[0]!.body).to.match(new RegExp(`http://[^\\s]+/mobility/me/${id}`)).and.match(/by \d{4}-\d{2}-\d{2}:/);
    // leaving course selection: "courses received" to the student, "waiting" to the referents of both components
    mails = await step(ada, id, 'course-selection', 'validate');
    expect(mails.map((m) => m.to).sort()).to.deep.equal(['ada@student.example', 'refLaw@host.example', 'refSci@host.example']);
    expect(mails.find((m) => m.to === 'ada@student.example')!.subject).to.equal('We have received your choice of courses');
    expect(mails.find((m) => m.to === 'refSci@host.example')!.subject).to.equal('Dossier à valider : Ada Tester');
    // a partial approval sends nothing, to anyone
    expect(await step(who.refLaw!, id, 'referent-approval', 'validate')).to.deep.equal([]);
    // the last approval: "courses validated" to the student (naming the next step), the office told
    mails = await step(who.refSci!, id, 'referent-approval', 'validate');
    expect(mails.map((m) => m.to).sort()).to.deep.equal(['ada@student.example', 'manager@host.example']);
    expect(mails.find((m) => m.to === 'ada@student.example')!.body).to.contain('Your choice of courses has been approved').and.contain('“Approval by the host institution”');
    // refusal: the student only, with the comment (no "next step" mail on top)
    mails = await step(who.manager!, id, 'host-approval', 'refuse', 'The course ECO101 is full.');
    expect(mails.map((m) => m.to)).to.deep.equal(['ada@student.example']);
    expect(mails[0]!.subject).to.equal('Your file: “Approval by the host institution” to be redone');
    expect(mails[0]!.body).to.contain('The course ECO101 is full.');
    // abandonment: the student
    mails = await step(ada, id, 'course-selection', 'abandon');
    expect(mails.map((m) => m.to)).to.deep.equal(['ada@student.example']);
    expect(mails[0]!.subject).to.equal('Your mobility file is closed');
  });

  it('writes to students in French from French-speaking countries or when their file says so, and skips files without address', async () => {
    const { actor: be, id: beId } = await studentFile('Brigitte', 'BE');
    await step(be, beId, 'pre-registration', 'validate');
    expect((await step(who.manager!, beId, 'office-validation', 'validate'))[0]!.subject).to.equal('Votre dossier : nouvelle étape « Choix des cours »');
    const { actor: it, id: itId } = await studentFile('Chiara', 'IT');
    await t.knex('mobility_files').where({ id: itId }).update({ language: 'fr' });
    await step(it, itId, 'pre-registration', 'validate');
    expect((await step(who.manager!, itId, 'office-validation', 'validate'))[0]!.subject).to.equal('Votre dossier : nouvelle étape « Choix des cours »');
    // nobody to write to: the transition goes through all the same
    const noMail = await store.createFile(who.manager!, { ...profile('Dora', 'DE'), email: null, personId: null });
    await t.knex('mobility_file_steps').where({ file_id: noMail.id, state: 'active' }).update({ step_key: 'office-validation' });
    await t.knex('mobility_files').where({ id: noMail.id }).update({ current_step: 'office-validation' });
    expect(await step(who.manager!, noMail.id, 'office-validation', 'validate')).to.deep.equal([]);
    expect((await store.file(inst, noMail.id))!.currentStep).to.equal('course-selection');
  });

  it('tells the student when a document is refused', async () => {
    const { id } = await studentFile('Emma', 'FR');
    const before = await lastId();
    await t.resolve(coreServices.events).emit('mobility.document.refused', { fileId: id, documentId: 7, type: 'transcript', comment: 'The scan is blurred.' }, { institutionId: inst });
    await t.drainJobs();
    const mails = await mailsOf(id, before);
    expect(mails.map((m) => m.recipient)).to.deep.equal(['emma@student.example']);
    expect(mails[0]!.subject).to.equal('Un document de votre dossier est refusé');
    expect(mails[0]!.body_text).to.contain('The scan is blurred.').and.contain(`/mobility/me/${id}`);
  });

  it('sends a reminder once per deadline, even when runs overlap, and again when the deadline moves', async () => {
    const { id } = await studentFile('Fanny', 'FR');
    const now = Date.now();
    // pre-registration has reminders 7 and 1 days before its deadline; the step started 10 days ago
    await t.knex('mobility_file_steps').where({ file_id: id, state: 'active' }).update({ entered_at: new Date(now - 10 * DAY), deadline_at: new Date(now + DAY / 2) });
    const before = await lastId();
    await Promise.all([sendDueReminders(deps, { institutionId: inst }), sendDueReminders(deps, { institutionId: inst })]);
    await sendDueReminders(deps, { institutionId: inst });
    let mails = await mailsOf(id, before);
    // both reminders were due: one mail, not two, and never again
    expect(mails.map((m) => m.recipient)).to.deep.equal(['fanny@student.example']);
    expect(mails[0]!.subject).to.match(/^Rappel : « Pré-inscription » avant le \d{2}\/\d{2}\/\d{4}$/);
    // the deadline moves two days later: the 7-day reminder is due again for the new date, the 1-day one not yet
    const moved = new Date(now + 2 * DAY);
    await t.knex('mobility_file_steps').where({ file_id: id, state: 'active' }).update({ deadline_at: moved });
    await sendDueReminders(deps, { institutionId: inst });
    await sendDueReminders(deps, { institutionId: inst });
    mails = await mailsOf(id, before);
    expect(mails).to.have.length(2);
    const [y, m, d] = moved.toISOString().slice(0, 10).split('-');
    expect(mails[1]!.subject).to.equal(`Rappel : « Pré-inscription » avant le ${d}/${m}/${y}`);
    const recorded = await t.knex('mobility_reminders').where({ file_id: id }).orderBy('id');
    expect(recorded.map((r: any) => [r.days_before, r.mailed])).to.deep.equal([[7, true], [1, true], [7, true]]);
  });

  it('reminds only the referents whose approval is missing', async () => {
    const { actor, id } = await studentFile('Gina', 'IT', { approvalComponents: ['LAW', 'SCI'] });
    await store.transition(actor, id, { stepKey: 'pre-registration', action: 'validate' });
    await store.transition(who.manager!, id, { stepKey: 'office-validation', action: 'validate' });
    await store.transition(actor, id, { stepKey: 'course-selection', action: 'validate' });
    await store.transition(who.refLaw!, id, { stepKey: 'referent-approval', action: 'validate' });
    await t.drainJobs();
    await t.knex('mobility_file_steps').where({ file_id: id, state: 'active' }).update({ entered_at: new Date(Date.now() - 5 * DAY), deadline_at: new Date(Date.now() + DAY) });
    const before = await lastId();
    await sendDueReminders(deps, { institutionId: inst });
    const mails = await mailsOf(id, before);
    expect(mails.map((m) => m.recipient)).to.deep.equal(['refSci@host.example']);
    expect(mails[0]!.subject).to.match(/^Rappel : dossier de Gina Tester à valider avant le /);
  });

  it('refuses a mass mail with an unknown macro, keeping the text, then sends one mail per file of the filtered list', async () => {
    const ids: number[] = [];
    for (const [first, country] of [['Hugo', 'FR'], ['Ines', 'ES'], ['Jan', 'PL']] as const) {
      ids.push((await store.createFile(who.manager!, { ...profile(first, country), academicYear: 2031 })).id);
    }
    const noAddress = await store.createFile(who.manager!, { ...profile('Kurt', 'DE'), academicYear: 2031, email: null });
    await t.drainJobs();
    const page = await manager.get('/mobility/files/mail?year=2031');
    expect(page.status).to.equal(200);
    expect(page.text).to.contain('4 file(s) match').and.contain('3 student(s) will receive').and.contain('{{student.firstName}}');
    const body = 'Hello {{student.firstName}},\n\nYour file {{file.id}} for {{file.academicYear}}: {{student.nickname}}.';
    const refused = await manager.post('/mobility/files/mail?year=2031', { subject: 'News for {{student.firstName}}', body, intent: 'send', expected: '3' });
    expect(refused.status).to.equal(422);
    expect(refused.text).to.contain('Unknown macro(s): {{student.nickname}}').and.contain('Available macros:').and.contain('{{file.academicYear}}');
    expect(refused.text).to.contain('Your file {{file.id}} for {{file.academicYear}}: {{student.nickname}}.');
    const fixed = body.replace(': {{student.nickname}}', '');
    const preview = await manager.post('/mobility/files/mail?year=2031', { subject: 'News for {{student.firstName}}', body: fixed, intent: 'preview', expected: '3' });
    expect(preview.status).to.equal(200);
    expect(preview.text).to.match(/Preview with the first file: \w+ Tester/).and.contain('2031-2032');
    const before = await lastId();
    const sent = await manager.post('/mobility/files/mail?year=2031', { subject: 'News for {{student.firstName}}', body: fixed, intent: 'send', expected: '3' });
    expect(sent.status).to.equal(303);
    const mails = (await t.knex('mail_outbox').where({ institution_id: inst }).andWhere('id', '>', before).orderBy('recipient')) as any[];
    expect(mails.map((m) => [m.recipient, m.subject, m.tag])).to.deep.equal([
      ['hugo@student.example', 'News for Hugo', `mobility.file:${ids[0]}`],
      ['ines@student.example', 'News for Ines', `mobility.file:${ids[1]}`],
      ['jan@student.example', 'News for Jan', `mobility.file:${ids[2]}`],
    ]);
    expect(mails[0].body_text).to.equal(`Hello Hugo,\n\nYour file ${ids[0]} for 2031-2032.`);
    expect(await mailsOf(noAddress.id)).to.deep.equal([]);
    const audit = await t.knex('audit_log').where({ action: 'mobility.mail.mass-sent' }).first();
    expect(audit.detail).to.include({ files: 4, mails: 3, withoutAddress: 1 });
    // a referent may read files but not write to all students
    const referent = t.client({ session: await t.signIn([{ role: 'referent', components: ['LAW'] }]) });
    expect((await referent.get('/mobility/files/mail?year=2031')).status).to.equal(403);
  });
});
