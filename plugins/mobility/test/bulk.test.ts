// Bulk actions of the files list through HTTP: the selection column (also in the htmx region),
// validating the selected files each with the version seen (a file moved meanwhile is reported,
// not moved again), a reminder now, and the CSV exports (BOM, header, rows, never special needs).
import { expect } from 'chai';
import { coreServices } from '@smile/sdk';
import { startTestPlatform, type TestClient, type TestPlatform } from '@smile/sdk/testing';
import { defaultSteps, mobilityService, type MobilityActor, type MobilityStore } from '../src/index.js';

describe('mobility: bulk actions', function () {
  this.timeout(120_000);
  let t: TestPlatform;
  let store: MobilityStore;
  let inst: number;
  let office: MobilityActor;
  let manager: TestClient;
  let referent: TestClient;
  const ids: Record<string, number> = {};

  /** The checkbox value the list page gives a file (id, version, step seen). */
  const valueOf = (page: string, id: number) => new RegExp(`name="file" value="(${id}:\\d+:[a-z-]*)"`).exec(page)?.[1];

  before(async () => {
    t = await startTestPlatform({ plugins: ['mobility'] });
    store = t.resolve(mobilityService);
    inst = t.institution.id;
    const roles = t.resolve(coreServices.roles);
    for (const code of ['LAW', 'SCI']) await roles.saveComponent({ institutionId: inst, label: 'test' }, { code, name: { fr: code, en: code } });
    const comp = async (code: string) => (await t.knex('components').where({ institution_id: inst, code }).first()).id as number;
    const m = await t.signIn(['manager'], { displayName: 'Marie Office', email: 'office@host.example' });
    office = { institutionId: inst, personId: m.personId, label: 'Marie Office', language: 'en' };
    manager = t.client({ session: m });
    referent = t.client({ session: await t.signIn([{ role: 'referent', components: ['LAW'] }]) });
    await store.ensureSeeded(inst);
    await store.publishProcess(office, null, defaultSteps().map((s) => ({ ...s, requiredDocuments: [] })));
    const make = async (first: string, last: string, componentCode: string, extra: Record<string, unknown> = {}) => {
      const f = await store.createFile(office, {
        firstName: first, lastName: last, email: `${first.toLowerCase()}@student.example`, exchangeType: 'full-year', academicYear: 2030,
        componentId: await comp(componentCode), home: { name: 'Università di Pisa', country: 'IT' }, specialNeeds: 'SECRET-NEEDS wheelchair', ...extra,
      });
      ids[first] = f.id;
      // the office's step, where a manager acts
      await t.knex('mobility_file_steps').where({ file_id: f.id, state: 'active' }).update({ step_key: 'office-validation' });
      await t.knex('mobility_files').where({ id: f.id }).update({ current_step: 'office-validation' });
    };
    await make('Ada', 'Lovelace', 'LAW', { birthDate: '2001-12-10', homeAddress: { street: 'Via Roma; 1', city: 'Pisa', country: 'IT' } });
    await make('Bob', 'Martin', 'LAW');
    await make('Cleo', 'Stale', 'SCI');
    await make('Dan', '=HYPERLINK("x")', 'LAW');
    await t.drainJobs();
  });
  after(async () => t?.stop());

  it('shows a checkbox per row and "select all", in the page and in the htmx region', async () => {
    const page = await manager.get('/mobility/files?year=2030');
    expect(page.text).to.contain('form="mobility-bulk" name="file"').and.contain('Select all files on this page').and.contain('Select Lovelace Ada');
    expect(page.text).to.contain('<form id="mobility-bulk"').and.contain('Validate their current step').and.contain('separated by semicolons (;)');
    expect(page.text).to.contain('href="/mobility/files/export?year=2030').and.contain('href="/mobility/files/mail?year=2030');
    const region = await manager.get('/mobility/files?year=2030&sort=name&dir=desc', { 'hx-request': 'true', 'hx-target': 'div#mobility-files' });
    expect(region.text).to.contain('form="mobility-bulk" name="file"').and.not.contain('<form id="mobility-bulk"');
    // a referent reads but does not manage: no mass mail, no reminders
    const ref = await referent.get('/mobility/files');
    expect(ref.text).to.contain('Validate their current step').and.not.contain('Send a reminder now').and.not.contain('/mobility/files/mail?');
  });

  it('validates each selected file with the version seen and reports the one that moved meanwhile', async () => {
    const page = (await manager.get('/mobility/files?year=2030')).text;
    const chosen = ['Ada', 'Bob', 'Cleo'].map((n) => valueOf(page, ids[n]!)!);
    expect(chosen.every(Boolean)).to.equal(true);
    // someone else moves Cleo on after the list was shown
    await store.transition(office, ids.Cleo!, { stepKey: 'office-validation', action: 'validate' });
    const res = await manager.post('/mobility/files/bulk', [['action', 'validate'], ['back', '/mobility/files?year=2030'], ...chosen.map((v): [string, string] => ['file', v])]);
    expect(res.status).to.equal(200);
    expect(res.text).to.contain('Validation of the selected files').and.contain('Done: 2. Not done: 1.');
    expect(res.text).to.match(/Lovelace Ada<\/a><\/td>\s*<td><strong>Done<\/strong> — Validated: the file is now at the step “Course selection”/);
    expect(res.text).to.match(/Stale Cleo<\/a><\/td>\s*<td><strong>Not done<\/strong> — Not validated: this file moved meanwhile. It is now at the step “Course selection”/);
    expect(res.text).to.contain('href="/mobility/files?year=2030"');
    for (const [n, step] of [['Ada', 'course-selection'], ['Bob', 'course-selection'], ['Cleo', 'course-selection']] as const) {
      expect((await store.file(inst, ids[n]!))!.currentStep, n).to.equal(step);
    }
    // once only: Cleo's transitions are the create, and the one made by the other person
    expect(await t.knex('mobility_transitions').where({ file_id: ids.Cleo, action: 'validate' }).count({ n: '*' }).first()).to.deep.equal({ n: 1 });
    // the referent of LAW may not validate the office's step, nor see the SCI file
    const refPage = (await referent.get('/mobility/files?year=2030')).text;
    const dan = valueOf(refPage, ids.Dan!)!;
    const refused = await referent.post('/mobility/files/bulk', [['action', 'validate'], ['file', dan], ['file', `${ids.Cleo}:1:office-validation`]]);
    expect(refused.text).to.contain('Not validated: you may not validate the current step of this file.').and.contain('is not among the files you may see');
    expect((await store.file(inst, ids.Dan!))!.currentStep).to.equal('office-validation');
    // nothing selected: back to the list with a message
    const none = await manager.post('/mobility/files/bulk', { action: 'validate', back: 'https://evil.example/' });
    expect(none.status).to.equal(303);
    expect(none.headers.get('location')).to.equal('/mobility/files');
  });

  it('sends a reminder now to whoever the current step waits on', async () => {
    const page = (await manager.get('/mobility/files?year=2030')).text;
    const before = Number((await t.knex('mail_outbox').max({ m: 'id' }).first())?.m ?? 0);
    const res = await manager.post('/mobility/files/bulk', [['action', 'remind'], ['file', valueOf(page, ids.Ada!)!], ['file', valueOf(page, ids.Dan!)!]]);
    expect(res.text).to.contain('Reminders to the selected files').and.contain('Done: 2. Not done: 0.');
    const mails = await t.knex('mail_outbox').where('id', '>', before).orderBy('recipient');
    // Ada is at her own step (course selection); Dan waits on the office
    expect(mails.map((m: any) => [m.recipient, m.tag])).to.deep.equal([['ada@student.example', `mobility.file:${ids.Ada}`], ['office@host.example', `mobility.file:${ids.Dan}`]]);
    expect(mails[0].subject).to.match(/^Reminder: “Course selection” by \d{4}-\d{2}-\d{2}$/);
    expect(await t.knex('audit_log').where({ action: 'mobility.file.reminded' }).count({ n: '*' }).first()).to.deep.equal({ n: 2 });
    expect((await referent.post('/mobility/files/bulk', [['action', 'remind'], ['file', valueOf(page, ids.Bob!)!]])).status).to.equal(303);
  });

  it('exports the selection and the whole filtered list as CSV: BOM, header, rows, no special needs', async () => {
    const page = (await manager.get('/mobility/files?year=2030')).text;
    const res = await t.request('POST', '/mobility/files/bulk', {
      headers: { cookie: manager.cookie, 'accept-language': 'en' },
      form: [['_csrf', manager.csrf], ['action', 'export'], ['file', valueOf(page, ids.Ada!)!], ['file', valueOf(page, ids.Dan!)!]],
    });
    expect(res.status).to.equal(200);
    expect(res.headers.get('content-type')).to.equal('text/csv; charset=utf-8');
    expect(res.headers.get('content-disposition')).to.match(/^attachment; filename="mobility-files-\d{4}-\d{2}-\d{2}\.csv"$/);
    const raw = Buffer.from(await (await fetch(`${t.url}/mobility/files/export?year=2030`, { headers: { cookie: manager.cookie, 'accept-language': 'en' } })).arrayBuffer());
    expect([...raw.subarray(0, 3)]).to.deep.equal([0xef, 0xbb, 0xbf]);
    const lines = raw.subarray(3).toString('utf8').split('\r\n');
    expect(lines[0]).to.match(/^File no\.;Last name;First name;Date of birth;Nationality;Gender;E-mail;European Student Identifier;Street;/);
    expect(lines[0]).not.to.match(/special/i);
    expect(lines.filter(Boolean)).to.have.length(5);
    const ada = lines.find((l) => l.startsWith(`${ids.Ada};`))!;
    expect(ada).to.contain(';Lovelace;Ada;2001-12-10;').and.contain(';"Via Roma; 1";').and.contain(';Full year;Student;2030-2031;').and.contain(';LAW;');
    // a name that a spreadsheet would run as a formula is written as text
    expect(lines.find((l) => l.startsWith(`${ids.Dan};`))).to.contain(`;"'=HYPERLINK(""x"")";Dan;`);
    expect(raw.toString('utf8')).not.to.contain('SECRET-NEEDS');
    expect(res.text).not.to.contain('SECRET-NEEDS');
    expect(res.text.split('\r\n').filter(Boolean)).to.have.length(3);
    // the referent of LAW exports the LAW files only
    const refCsv = await fetch(`${t.url}/mobility/files/export?year=2030`, { headers: { cookie: referent.cookie } });
    expect((await refCsv.text()).split('\r\n').filter(Boolean)).to.have.length(4);
    expect(await t.knex('audit_log').where({ action: 'mobility.files.exported' }).count({ n: '*' }).first()).to.deep.equal({ n: 3 });
  });
});
