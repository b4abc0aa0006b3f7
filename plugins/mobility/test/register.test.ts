// Self-registration through HTTP: closed (with the next opening date, in both languages), open (a
// file for the person and the student role), a second registration refused, a forged post outside
// any period refused, anonymous visitors sent to sign in.
import { expect } from 'chai';
import { startTestPlatform, type TestPlatform } from '@smile/sdk/testing';
import { mobilityService } from '../src/index.js';

const decode = (s: string) => s.replace(/&#39;/g, "'").replace(/&#34;|&quot;/g, '"').replace(/&lt;/g, '<').replace(/&gt;/g, '>').replace(/&amp;/g, '&');
const visible = (html: string) => decode(html.replace(/<(script|style)\b[\s\S]*?<\/\1>/gi, ' ').replace(/<[^>]+>/g, ' ')).replace(/\s+/g, ' ');
const DAY = 86_400_000;

describe('mobility: self-registration', function () {
  this.timeout(120_000);
  let t: TestPlatform;
  let inst: number;
  const period = (exchangeType: string, academicYear: number, opensAt: Date, closesAt: Date) =>
    t.knex('mobility_application_periods').insert({ institution_id: inst, exchange_type: exchangeType, academic_year: academicYear, opens_at: opensAt, closes_at: closesAt });
  const filesOf = (personId: number) => t.knex('mobility_files').where({ institution_id: inst, person_id: personId });
  const rolesOf = (personId: number) => t.knex('role_assignments as a').join('roles as r', 'r.id', 'a.role_id').where({ 'a.institution_id': inst, 'a.person_id': personId }).pluck('r.key');

  before(async () => {
    t = await startTestPlatform({ plugins: ['mobility'] });
    inst = t.institution.id;
    await t.resolve(mobilityService).ensureSeeded(inst);
  });
  after(async () => t?.stop());

  it('sends anonymous visitors to sign in, coming back here', async () => {
    const res = await t.client().get('/mobility/register');
    expect(res.status).to.equal(303);
    expect(res.headers.get('location')).to.equal('/sign-in?return=%2Fmobility%2Fregister');
  });

  it('outside any period: registration is closed, with the next opening date in the reader’s language', async () => {
    const s = await t.signIn([], { displayName: 'Nora Closed' });
    const none = await t.client({ session: s }).get('/mobility/register');
    expect(none.status).to.equal(200);
    expect(visible(none.text)).to.contain('Registration is closed.').and.contain('No opening date has been announced yet.');
    expect(none.text).not.to.contain('name="choice"');
    await period('second-semester', 2030, new Date('2030-03-01T00:00:00+01:00'), new Date('2030-03-31T23:59:59+02:00'));
    await period('second-semester', 2031, new Date('2031-03-01T00:00:00+01:00'), new Date('2031-03-31T23:59:59+02:00'));
    await period('full-year', 2029, new Date('2029-01-10T00:00:00+01:00'), new Date('2029-02-10T23:59:59+01:00'));
    const en = visible((await t.client({ session: s }).get('/mobility/register')).text);
    expect(en).to.contain('Registration is closed.');
    // per exchange type, its next opening only, soonest first
    expect(en).to.contain('Full year 2029-2030: registration opens on 10 January 2029. Second semester 2030-2031: registration opens on 1 March 2030.');
    expect(en).not.to.contain('2031-2032');
    const fr = visible((await t.client({ session: s, lang: 'fr' }).get('/mobility/register')).text);
    expect(fr).to.contain('Les inscriptions sont fermées.').and.contain('Second semestre 2030-2031 : les inscriptions ouvrent le 1 mars 2030.');
  });

  it('a forged registration outside its period is refused and creates nothing', async () => {
    const s = await t.signIn([], { displayName: 'Fiona Forged' });
    const c = t.client({ session: s });
    for (const choice of ['second-semester:2030', 'first-semester:2026', 'nonsense']) {
      const res = await c.post('/mobility/register', { choice });
      expect(res.status, choice).to.equal(422);
    }
    const res = await c.post('/mobility/register', { choice: 'second-semester:2030' });
    expect(visible(res.text)).to.contain('Registration for Second semester 2030-2031 is not open: nothing was created.');
    expect(await filesOf(s.personId)).to.have.length(0);
    expect(await rolesOf(s.personId)).to.deep.equal([]);
  });

  it('in a period: registering creates the file with the person’s names, gives the student role, and a second one is refused', async () => {
    const now = Date.now();
    await period('first-semester', 2026, new Date(now - DAY), new Date(now + 10 * DAY));
    const s = await t.signIn([], { displayName: 'Inès García López', email: 'ines.garcia@estudiantes.example' });
    const c = t.client({ session: s });
    const page = await c.get('/mobility/register');
    expect(page.status).to.equal(200);
    const seen = visible(page.text);
    expect(seen).to.contain('First semester 2026-2027').and.contain('Registration closes on');
    expect(seen).to.contain('Opening later').and.contain('Full year 2029-2030: registration opens on 10 January 2029.');
    expect(page.text).to.contain('name="choice" value="first-semester:2026"');

    const res = await c.post('/mobility/register', { choice: 'first-semester:2026' });
    expect(res.status).to.equal(303);
    expect(res.headers.get('location')).to.equal('/mobility/me');
    const files = await filesOf(s.personId);
    expect(files).to.have.length(1);
    expect(files[0]).to.include({ first_name: 'Inès', last_name: 'García López', email: 'ines.garcia@estudiantes.example', exchange_type: 'first-semester', academic_year: 2026, status: 'nominated', language: 'en' });
    expect(await rolesOf(s.personId)).to.deep.equal(['student']);
    const audit = await t.knex('audit_log').where({ institution_id: inst, action: 'mobility.file.create', target_id: String(files[0].id) }).first();
    expect(audit.detail).to.include({ source: 'self-registration' });

    const twice = await c.post('/mobility/register', { choice: 'first-semester:2026' });
    expect(twice.status).to.equal(409);
    expect(visible(twice.text)).to.contain('You already have a mobility file for First semester 2026-2027: nothing was created.');
    expect(await filesOf(s.personId)).to.have.length(1);
    expect(await rolesOf(s.personId)).to.deep.equal(['student']);
    // the page now says so instead of offering it again
    const after = await c.get('/mobility/register');
    expect(visible(after.text)).to.contain('You are already registered for First semester 2026-2027');
    expect(after.text).not.to.contain('value="first-semester:2026"');
  });

  it('a person who already holds a student role keeps it and gets no second one', async () => {
    const s = await t.signIn(['doctoral'], { displayName: 'Dana Doctoral' });
    const res = await t.client({ session: s, lang: 'fr' }).post('/mobility/register', { choice: 'first-semester:2026' });
    expect(res.status).to.equal(303);
    expect(await rolesOf(s.personId)).to.deep.equal(['doctoral']);
    expect((await filesOf(s.personId))[0]).to.include({ first_name: 'Dana', last_name: 'Doctoral', language: 'fr' });
  });
});
