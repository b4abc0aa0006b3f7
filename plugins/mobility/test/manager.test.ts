// The manager space through HTTP: the files list (search, filters, counts, component scoping), the
// create form (errors in place), the file page (data, timeline, allowed actions per person) and
// transitions from it (done, stale, refusal without a comment).
import { expect } from 'chai';
import { coreServices } from '@smile/sdk';
import { startTestPlatform, type TestClient, type TestPlatform } from '@smile/sdk/testing';
import { mobilityService, type MobilityActor, type MobilityStore } from '../src/index.js';
import { withoutStepConditions } from './support.js';

describe('mobility: manager space', function () {
  this.timeout(60_000);
  let t: TestPlatform;
  let store: MobilityStore;
  let inst: number;
  const comp: Record<string, number> = {};
  const who: Record<string, { actor: MobilityActor; client: TestClient }> = {};
  let ada: number;
  let bob: number;

  before(async () => {
    t = await startTestPlatform({ plugins: ['mobility'] });
    await withoutStepConditions(t);
    store = t.resolve(mobilityService);
    inst = t.institution.id;
    const roles = t.resolve(coreServices.roles);
    for (const code of ['LAW', 'SCI']) {
      await roles.saveComponent({ institutionId: inst, label: 'test' }, { code, name: { fr: `Droit ${code}`, en: `Law ${code}` } });
      comp[code] = (await t.knex('components').where({ institution_id: inst, code }).first()).id;
    }
    const person = async (name: string, r: Array<string | { role: string; components: string[] }>) => {
      const s = await t.signIn(r, { displayName: name });
      who[name] = { actor: { institutionId: inst, personId: s.personId, label: name }, client: t.client({ session: s }) };
    };
    await person('Student', ['student']);
    await person('Manager', ['manager']);
    await person('Referent', [{ role: 'referent', components: ['LAW'] }]);
    const m = who.Manager!.actor;
    ada = (await store.createFile(m, {
      firstName: 'Ada', lastName: 'Lovelace', email: 'ada@uni.example', esi: 'urn:schac:personalUniqueCode:int:esi:it:ADA1', exchangeType: 'first-semester',
      academicYear: 2026, personId: who.Student!.actor.personId, componentId: comp.LAW, home: { name: 'Università di Pisa', country: 'IT' }, specialNeeds: 'Wheelchair <access>',
    })).id;
    bob = (await store.createFile(m, { firstName: 'Bob', lastName: 'Martin', email: 'bob@uni.example', exchangeType: 'full-year', academicYear: 2025, componentId: comp.SCI, home: { name: 'TU Delft', country: 'NL' } })).id;
    await store.createFile(m, { firstName: 'Chloé', lastName: 'Zed', exchangeType: 'first-semester', academicYear: 2026, home: { name: 'KU Leuven', country: 'BE' } });
  });
  after(async () => {
    await t?.stop();
  });

  const client = (name: string) => who[name]!.client;

  it('lists files with search, filters, counts per step and component scoping; 403 for a student', async () => {
    const c = client('Manager');
    const all = await c.get('/mobility/files');
    expect(all.status).to.equal(200);
    expect(all.text).to.contain('<h1>Mobility files</h1>').and.contain('Lovelace Ada').and.contain('Martin Bob').and.contain('Zed Chloé');
    expect(all.text).to.contain(`href="/mobility/files/${ada}"`).and.contain('Università di Pisa').and.contain('First semester').and.contain('2026-2027');
    expect(all.text).to.contain('Files per current step').and.match(/Pre-registration<\/a> <strong>3<\/strong>/i);
    const search = await c.get('/mobility/files?q=ada%40uni');
    expect(search.text).to.contain('Lovelace Ada').and.not.contain('Martin Bob');
    expect((await c.get('/mobility/files?q=ESI%3Ait%3AADA1')).text).to.contain('Lovelace Ada');
    const home = await c.get(`/mobility/files?home=${encodeURIComponent('KU Leuven')}`);
    expect(home.text).to.contain('Zed Chloé').and.not.contain('Lovelace Ada');
    expect(home.text).to.contain('Home institution');
    const year = await c.get('/mobility/files?year=2025');
    expect(year.text).to.contain('Martin Bob').and.not.contain('Lovelace Ada');
    const country = await c.get('/mobility/files?country=BE');
    expect(country.text).to.contain('Zed Chloé').and.not.contain('Martin Bob');
    const exchange = await c.get('/mobility/files?exchange=full-year');
    expect(exchange.text).to.contain('Martin Bob').and.not.contain('Zed Chloé');
    const comp = await c.get('/mobility/files?component=SCI');
    expect(comp.text).to.contain('Martin Bob').and.not.contain('Lovelace Ada');
    expect((await c.get('/mobility/files?status=abandoned')).text).not.to.contain('Martin Bob');
    // the referent of LAW sees LAW files only
    const ref = await client('Referent').get('/mobility/files');
    expect(ref.status).to.equal(200);
    expect(ref.text).to.contain('Lovelace Ada').and.not.contain('Martin Bob').and.not.contain('Zed Chloé');
    expect(ref.text).not.to.contain('/mobility/files/new');
    expect((await client('Referent').get(`/mobility/files/${bob}`)).status).to.equal(404);
    // the student has no access
    const student = await client('Student').get('/mobility/files');
    expect(student.status).to.equal(403);
    expect(student.text).to.contain('mobility:files.read');
    expect((await client('Student').get(`/mobility/files/${ada}`)).status).to.equal(403);
    expect((await client('Manager').get('/mobility')).status).to.equal(303);
  });

  it('filters the files waiting on me', async () => {
    // at pre-registration every file waits on its student, none on the office
    expect((await client('Manager').get('/mobility/files?mine=yes')).text).not.to.contain('Lovelace Ada');
    await store.transition(who.Student!.actor, ada, { stepKey: 'pre-registration', action: 'validate' });
    const mine = await client('Manager').get('/mobility/files?mine=yes');
    expect(mine.text).to.contain('Lovelace Ada').and.not.contain('Martin Bob');
  });

  it('creates a file with errors in place, then redirects to its page', async () => {
    const c = client('Manager');
    const form = await c.get('/mobility/files/new');
    expect(form.status).to.equal(200);
    expect(form.text).to.contain('name="lastName"').and.contain('value="first-semester"').and.contain(`value="${comp.LAW}"`);
    const bad = await c.post('/mobility/files/new', { lastName: '', firstName: 'Eve', email: 'not-an-email', birthDate: '2001-02-31', homeCountry: 'Italy', exchangeType: 'nope', public: 'student', academicYear: '26' });
    expect(bad.status).to.equal(422);
    expect(bad.text).to.contain('There are 6 problems');
    expect(bad.text).to.contain('id="f-lastName-error"').and.contain('This field is required.');
    expect(bad.text).to.contain('Enter an email address like name@example.org.').and.contain('Enter a date as YYYY-MM-DD.');
    expect(bad.text).to.contain('Enter a two-letter country code.').and.contain('Choose one of the options.').and.contain('Enter a year between 2000 and 2100.');
    expect(bad.text).to.contain('value="Eve"').and.contain('value="not-an-email"');
    expect(await t.knex('mobility_files').where({ first_name: 'Eve' })).to.have.length(0);
    const ok = await c.post('/mobility/files/new', { lastName: 'Noether', firstName: 'Emmy', email: 'emmy@uni.example', birthDate: '2001-03-23', esi: '', homeName: 'Göttingen', homeCountry: 'de', exchangeType: 'second-semester', public: 'doctoral', academicYear: '2026', componentId: String(comp.SCI) });
    expect(ok.status).to.equal(303);
    const row = await t.knex('mobility_files').where({ first_name: 'Emmy' }).first();
    expect(ok.headers.get('location')).to.equal(`/mobility/files/${row.id}`);
    expect(row.home_country).to.equal('DE');
    expect(row.public).to.equal('doctoral');
    const page = await c.get(`/mobility/files/${row.id}`);
    expect(page.text).to.contain('The file of Emmy Noether was created.').and.contain('File of Emmy Noether').and.contain('Doctoral student');
    expect((await client('Referent').post('/mobility/files/new', { lastName: 'X', firstName: 'Y' })).status).to.equal(403);
  });

  it('shows the data, the timeline and only the actions each person may take', async () => {
    const m = await client('Manager').get(`/mobility/files/${ada}`);
    expect(m.status).to.equal(200);
    expect(m.text).to.contain('File of Ada Lovelace').and.contain('Università di Pisa').and.contain('Wheelchair &lt;access&gt;');
    expect(m.text).to.contain('Timeline').and.contain('Created').and.contain('Validated').and.contain('>Student<');
    // at the office's step: validate, refuse and abandon
    expect(m.text).to.contain('name="action" value="validate"').and.contain('name="action" value="refuse"').and.contain('name="action" value="abandon"');
    expect(m.text).to.contain(`name="version" value="2"`);
    const r = await client('Referent').get(`/mobility/files/${ada}`);
    expect(r.status).to.equal(200);
    expect(r.text).to.contain('Nothing is waiting on you on this file.').and.not.contain('name="action"');
    expect(r.text).not.to.contain('Wheelchair').and.not.contain('Special needs');
  });

  it('refuses a refusal without a comment, in place, and changes nothing', async () => {
    const res = await client('Manager').post(`/mobility/files/${ada}/transition`, { action: 'refuse', step: 'office-validation', version: '2', comment: '  ' });
    expect(res.status).to.equal(422);
    expect(res.text).to.contain('id="refuse-comment-error"').and.contain('Write a comment: it is required to refuse this step.');
    expect((await store.file(inst, ada))!.version).to.equal(2);
  });

  it('moves the file on through the page, and a stale form shows the conflict with the fresh page', async () => {
    const c = client('Manager');
    const done = await c.post(`/mobility/files/${ada}/transition`, { action: 'validate', step: 'office-validation', version: '2' });
    expect(done.status).to.equal(303);
    expect(done.headers.get('location')).to.equal(`/mobility/files/${ada}`);
    expect((await store.file(inst, ada))!.currentStep).to.equal('course-selection');
    const page = await c.get(`/mobility/files/${ada}`);
    expect(page.text).to.contain('Done: the file is now at');
    // the same form sent again (another tab, another manager)
    const stale = await c.post(`/mobility/files/${ada}/transition`, { action: 'validate', step: 'office-validation', version: '2' });
    expect(stale.status).to.equal(409);
    expect(stale.text).to.contain('This file moved meanwhile: it is now at step').and.contain('name="version" value="3"');
    expect(await t.knex('mobility_transitions').where({ file_id: ada, action: 'validate', from_step: 'office-validation' })).to.have.length(1);
  });

  it('lets the referent of the component approve their step from the page', async () => {
    await store.transition(who.Student!.actor, ada, { stepKey: 'course-selection', action: 'validate' });
    const r = client('Referent');
    const page = await r.get(`/mobility/files/${ada}`);
    expect(page.text).to.contain('Give my approval (referent:LAW)');
    const m = await client('Manager').get(`/mobility/files/${ada}`);
    expect(m.text).not.to.contain('name="action" value="validate"');
    const res = await r.post(`/mobility/files/${ada}/transition`, { action: 'validate', step: 'referent-approval', version: '4' });
    expect(res.status).to.equal(303);
    const after = await store.file(inst, ada);
    expect(after!.currentStep).to.equal('host-approval');
    const timeline = await r.get(`/mobility/files/${ada}`);
    expect(timeline.text).to.contain('>Referent<');
  });

  it('shows a file to the referent of a component that approves it, not only of its main component', async () => {
    const m = who.Manager!.actor;
    const shared = (await store.createFile(m, { firstName: 'Elif', lastName: 'Şahin', exchangeType: 'first-semester', academicYear: 2026, componentId: comp.LAW, approvalComponents: ['LAW', 'SCI'] })).id;
    const s = await t.signIn([{ role: 'referent', components: ['SCI'] }], { displayName: 'Sci Referent' });
    const sci = t.client({ session: s });
    expect((await sci.get('/mobility/files')).text).to.contain('Şahin Elif').and.not.contain('Lovelace Ada');
    expect((await sci.get(`/mobility/files/${shared}`)).status).to.equal(200);
    expect((await sci.get(`/mobility/files/${ada}`)).status).to.equal(404);
  });
});
