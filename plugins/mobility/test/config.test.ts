// The configuration pages through HTTP, as a browser without JavaScript uses them: the process
// editor (publishing a version, problems in place in both languages, a past deadline, a stale
// form, a step added without script), exchange types and application periods, and the 403 every
// config route gives someone without the configure permission.
import { expect } from 'chai';
import { startTestPlatform, type TestClient, type TestPlatform } from '@smile/sdk/testing';
import { mobilityService, type MobilityStore } from '../src/index.js';

const decode = (s: string) => s.replace(/&#39;/g, "'").replace(/&#34;|&quot;/g, '"').replace(/&lt;/g, '<').replace(/&gt;/g, '>').replace(/&amp;/g, '&');
const visible = (html: string) => decode(html.replace(/<(script|style)\b[\s\S]*?<\/\1>/gi, ' ').replace(/<[^>]+>/g, ' ')).replace(/\s+/g, ' ');

type Fields = Array<[string, string]>;

/** The fields a browser would send from the form posting to `action` (checked boxes only, selected options). */
function formFields(html: string, action: string): Fields {
  const start = html.indexOf(`action="${action}"`);
  expect(start, `a form posting to ${action}`).to.be.greaterThan(-1);
  const form = html.slice(start, html.indexOf('</form>', start));
  const attr = (tag: string, name: string) => {
    const m = new RegExp(`\\s${name}="([^"]*)"`).exec(tag);
    return m ? decode(m[1]!) : null;
  };
  const out: Fields = [];
  for (const m of form.matchAll(/<input\b[^>]*>|<select\b[^>]*>[\s\S]*?<\/select>|<textarea\b[^>]*>[\s\S]*?<\/textarea>/g)) {
    const tag = m[0];
    const name = attr(tag, 'name');
    if (!name || name === '_csrf') continue;
    if (tag.startsWith('<input')) {
      const type = attr(tag, 'type') ?? 'text';
      if ((type === 'checkbox' || type === 'radio') && !/\schecked\b/.test(tag)) continue;
      out.push([name, attr(tag, 'value') ?? 'on']);
    } else if (tag.startsWith('<select')) {
      const opt = /<option value="([^"]*)"[^>]*\sselected/.exec(tag) ?? /<option value="([^"]*)"/.exec(tag);
      out.push([name, opt ? decode(opt[1]!) : '']);
    } else out.push([name, decode(/>([\s\S]*?)<\/textarea>/.exec(tag)![1]!)]);
  }
  return out;
}

/** The fields with `name` set to `value` (added when absent; `null` removes it). */
function set(fields: Fields, changes: Record<string, string | null>): Fields {
  let out = fields.filter(([k]) => !(k in changes));
  for (const [k, v] of Object.entries(changes)) if (v !== null) out = [...out, [k, v]];
  return out;
}

describe('mobility: configuration pages', function () {
  this.timeout(120_000);
  let t: TestPlatform;
  let store: MobilityStore;
  let manager: TestClient;
  let managerFr: TestClient;
  const EDITOR = '/mobility/config/processes/default';
  const versions = async () => (await t.knex('mobility_processes').where({ institution_id: t.institution.id, key: 'default' }).orderBy('version')).map((p: any) => p.version);
  const actor = () => ({ institutionId: t.institution.id, label: 'test' });
  const newFile = (firstName: string) => store.createFile(actor(), { firstName, lastName: 'Test', exchangeType: 'first-semester', academicYear: 2026 });
  const versionOfFile = async (id: number) => (await t.knex('mobility_files as f').join('mobility_processes as p', 'p.id', 'f.process_id').where('f.id', id).first('p.version')).version;

  before(async () => {
    t = await startTestPlatform({ plugins: ['mobility'] });
    store = t.resolve(mobilityService);
    await store.ensureSeeded(t.institution.id);
    const s = await t.signIn(['manager'], { displayName: 'Olivia Office' });
    manager = t.client({ session: s, lang: 'en' });
    managerFr = t.client({ session: s, lang: 'fr' });
  });
  after(async () => t?.stop());

  it('links to every part of the configuration', async () => {
    const res = await manager.get('/mobility/config');
    expect(res.status).to.equal(200);
    for (const href of ['/mobility/config/processes', '/mobility/config/exchange-types', '/mobility/config/periods', '/mobility/config/document-types']) expect(res.text).to.contain(`href="${href}"`);
    expect(res.text).to.contain('href="/mobility/config" aria-current="page"');
  });

  it('publishing creates version N+1: a file created before keeps N, a new file gets N+1', async () => {
    const before = await newFile('Before');
    const page = await manager.get(EDITOR);
    expect(page.status).to.equal(200);
    expect(visible(page.text)).to.contain('Step 1: Pre-registration').and.contain('Version 1 — in use for new files');
    const fields = set(formFields(page.text, EDITOR), { 's0-labelEn': 'Pre-registration online', op: 'publish' });
    const res = await manager.post(EDITOR, fields);
    expect(res.status).to.equal(303);
    expect(await versions()).to.deep.equal([1, 2]);
    const after = await newFile('After');
    expect(await versionOfFile(before.id)).to.equal(1);
    expect(await versionOfFile(after.id)).to.equal(2);
    const again = await manager.get(EDITOR);
    const seen = visible(again.text);
    expect(seen).to.contain('Version 2 of the process “Default process” is published');
    expect(seen).to.contain('Step 1: Pre-registration online');
    // the versions with their date, author and the files on each
    expect(seen).to.match(/Version 2 — in use for new files \S+ \S+ \d{4} Olivia Office 1/);
    expect(seen).to.match(/Version 1 \S+ \S+ \d{4} SMILE \(initial set-up\) 1/);
    const audit = await t.knex('audit_log').where({ institution_id: t.institution.id, action: 'mobility.process.publish' }).orderBy('id', 'desc').first();
    expect(audit.actor_label).to.equal('Olivia Office');
  });

  it('shows problems next to their fields, in English and in French, and publishes nothing', async () => {
    const page = await manager.get(EDITOR);
    const broken = set(formFields(page.text, EDITOR), { 's1-labelFr': '', 's2-labelEn': 'Choosing courses', 's2-deadline': 'stepStart', 's2-deadlineDays': 'soon', op: 'publish' });
    const en = await manager.post(EDITOR, broken);
    expect(en.status).to.equal(422);
    expect(en.text).to.match(/<p id="s1-labelFr-error" class="field-error">Enter the step’s name in French.<\/p>/);
    expect(en.text).to.match(/id="s1-labelFr"[^>]*aria-invalid="true" aria-describedby="s1-labelFr-error"/);
    expect(en.text).to.contain('<p id="s2-deadlineDays-error" class="field-error">Enter a whole number of days (0 or more).</p>');
    expect(en.text).to.contain('id="error-summary"').and.contain('href="#s1-labelFr"');
    // what was typed is kept
    expect(en.text).to.contain('value="Choosing courses"').and.contain('value="soon"');
    const fr = await managerFr.post(EDITOR, broken);
    expect(fr.status).to.equal(422);
    expect(fr.text).to.contain('<p id="s1-labelFr-error" class="field-error">Saisissez le nom de l’étape en français.</p>');
    expect(fr.text).to.contain('Saisissez un nombre entier de jours (0 ou plus).');
    expect(await versions()).to.deep.equal([1, 2]);
  });

  it('refuses an absolute deadline in the past, with the date in the reader’s language', async () => {
    const page = await manager.get(EDITOR);
    const fields = set(formFields(page.text, EDITOR), { 's0-deadline': 'absolute', 's0-deadlineDate': '2020-01-15', op: 'publish' });
    const en = await manager.post(EDITOR, fields);
    expect(en.status).to.equal(422);
    expect(en.text).to.contain('<p id="s0-deadlineDate-error" class="field-error">The deadline 15 January 2020 is already past: choose a later date.</p>');
    const fr = await managerFr.post(EDITOR, fields);
    expect(fr.text).to.contain('L’échéance du 15 janvier 2020 est déjà passée');
    expect(await versions()).to.deep.equal([1, 2]);
  });

  it('refuses to publish from a page built on an older version, keeping what was typed', async () => {
    const stalePage = await manager.get(EDITOR);
    const fresh = await manager.get(EDITOR);
    expect((await manager.post(EDITOR, set(formFields(fresh.text, EDITOR), { op: 'publish' }))).status).to.equal(303);
    expect(await versions()).to.deep.equal([1, 2, 3]);
    const stale = await manager.post(EDITOR, set(formFields(stalePage.text, EDITOR), { 's3-labelEn': 'My late change', op: 'publish' }));
    expect(stale.status).to.equal(409);
    expect(visible(stale.text)).to.contain('Version 3 of this process was published meanwhile').and.contain('Nothing was published.');
    expect(stale.text).to.contain('value="My late change"');
    expect(await versions()).to.deep.equal([1, 2, 3]);
  });

  it('adds, moves and removes steps without JavaScript; a new step gets its key from its label', async () => {
    const page = await manager.get(EDITOR);
    const added = await manager.post(EDITOR, set(formFields(page.text, EDITOR), { op: 'add' }));
    expect(added.status).to.equal(200);
    expect(visible(added.text)).to.contain('Step 8: new step');
    expect(added.text).to.match(/id="s7-labelFr"[^>]*autofocus/);
    const filled = set(formFields(added.text, EDITOR), {
      's7-labelFr': 'Vérification du visa', 's7-labelEn': 'Visa check', 's7-owner': 'manager', 's7-validateTo': 'la-generated', 's7-refuseTo': 'course-selection',
      's5-validateTo': 'visa-check', op: 'up:7',
    });
    const moved = await manager.post(EDITOR, filled);
    expect(visible(moved.text)).to.contain('Step 7: Visa check').and.contain('Step 8: Learning Agreement generated');
    expect(moved.text).to.match(/name="s6-key"[^>]*value="visa-check"/);
    const published = await manager.post(EDITOR, set(formFields(moved.text, EDITOR), { op: 'publish' }));
    expect(published.status).to.equal(303);
    const active = (await store.activeProcess(t.institution.id, null))!;
    expect(active.version).to.equal(4);
    expect(active.steps.map((s) => s.key)).to.deep.equal(['pre-registration', 'office-validation', 'course-selection', 'referent-approval', 'host-approval', 'student-approval', 'visa-check', 'la-generated']);
    expect(active.steps[6]!.transitions).to.deep.equal([{ action: 'validate', to: 'la-generated', commentRequired: false }, { action: 'refuse', to: 'course-selection', commentRequired: true }, { action: 'abandon', to: null, commentRequired: false }]);
    // removing a step others lead to is caught before anything is published
    const again = await manager.get(EDITOR);
    const removed = await manager.post(EDITOR, set(formFields(again.text, EDITOR), { op: 'remove:6' }));
    const check = await manager.post(EDITOR, set(formFields(removed.text, EDITOR), { op: 'publish' }));
    expect(check.status).to.equal(422);
    expect(check.text).to.contain('<p id="s5-validateTo-error" class="field-error">Choose a step of this process.</p>');
    expect(await versions()).to.deep.equal([1, 2, 3, 4]);
  });

  it('creates an exchange type’s own process from a copy of the default one', async () => {
    const path = '/mobility/config/processes/full-year';
    const page = await manager.get(path);
    expect(visible(page.text)).to.contain('This exchange type uses the default process. Below is a copy of it');
    expect(page.text).to.contain('name="baseVersion" value="0"');
    expect((await manager.post(path, set(formFields(page.text, path), { 's0-labelEn': 'Full-year pre-registration', op: 'publish' }))).status).to.equal(303);
    const own = (await store.activeProcess(t.institution.id, 'full-year'))!;
    expect([own.key, own.version, own.steps[0]!.label.en]).to.deep.equal(['full-year', 1, 'Full-year pre-registration']);
    expect((await store.activeProcess(t.institution.id, 'first-semester'))!.key).to.equal('default');
  });

  it('exchange types: add with required fields, codes unique and fixed, edits audited, a stale edit refused', async () => {
    const list = '/mobility/config/exchange-types';
    const form = await manager.get(`${list}/new`);
    const base = formFields(form.text, `${list}/new`);
    const bad = await manager.post(`${list}/new`, set(base, { code: 'First Semester', labelFr: '', labelEn: 'Summer' }));
    expect(bad.status).to.equal(422);
    expect(bad.text).to.contain('id="et-code-error"').and.contain('id="et-labelFr-error" class="field-error">Enter a name.');
    const taken = await manager.post(`${list}/new`, set(base, { code: 'full-year', labelFr: 'Été', labelEn: 'Summer' }));
    expect(taken.text).to.contain('The code “full-year” is already used by another exchange type.');
    const ok = await manager.post(`${list}/new`, set(base, { code: 'summer-school', labelFr: 'École d’été', labelEn: 'Summer school', requiredFields: null }).concat([['requiredFields', 'email'], ['requiredFields', 'plannedDates']]));
    expect(ok.status).to.equal(303);
    const row = await t.knex('mobility_exchange_types').where({ institution_id: t.institution.id, code: 'summer-school' }).first();
    expect(row).to.include({ label_fr: 'École d’été', active: true, version: 1 });
    expect(row.required_fields).to.deep.equal(['email', 'plannedDates']);
    expect(visible((await manager.get(list)).text)).to.contain('Summer school summer-school').and.contain('E-mail address, Planned mobility dates');

    const editPath = `${list}/summer-school`;
    const edit = await manager.get(editPath);
    expect(edit.text).not.to.contain('name="code"');
    const mine = formFields(edit.text, editPath);
    expect((await manager.post(editPath, set(mine, { labelEn: 'Summer school (July)', code: 'hacked' }))).status).to.equal(303);
    const saved = await t.knex('mobility_exchange_types').where({ institution_id: t.institution.id, code: 'summer-school' }).first();
    expect(saved).to.include({ label_en: 'Summer school (July)', version: 2 });
    // the same page, saved again: someone else's change would be lost
    const stale = await manager.post(editPath, set(mine, { labelEn: 'Summer session' }));
    expect(stale.status).to.equal(409);
    expect(visible(stale.text)).to.contain('Someone changed this exchange type while you were editing it').and.contain('Summer school (July)');
    expect(stale.text).to.contain('value="Summer session"');
    expect((await t.knex('mobility_exchange_types').where({ institution_id: t.institution.id, code: 'summer-school' }).first()).label_en).to.equal('Summer school (July)');
    const audit = await t.knex('audit_log').where({ institution_id: t.institution.id, target_id: 'summer-school' }).orderBy('id').pluck('action');
    expect(audit).to.deep.equal(['mobility.exchange-type.create', 'mobility.exchange-type.update']);
  });

  it('application periods: opens before closes, one per type and year, edit and delete audited', async () => {
    const list = '/mobility/config/periods';
    const form = await manager.get(`${list}/new`);
    const base = formFields(form.text, `${list}/new`);
    const backwards = await manager.post(`${list}/new`, set(base, { exchangeType: 'first-semester', academicYear: '2027', opens: '2027-03-31', closes: '2027-03-01' }));
    expect(backwards.status).to.equal(422);
    expect(backwards.text).to.contain('<p id="pe-closes-error" class="field-error">The closing day must be on or after the opening day.</p>');
    expect(backwards.text).to.contain('value="2027-03-31"');
    expect((await managerFr.post(`${list}/new`, set(base, { exchangeType: '', academicYear: '2027', opens: '2027-03-01', closes: '2027-03-31' }))).text).to.contain('Choisissez un type d’échange.');
    const ok = await manager.post(`${list}/new`, set(base, { exchangeType: 'first-semester', academicYear: '2027', opens: '2027-03-01', closes: '2027-03-31' }));
    expect(ok.status).to.equal(303);
    const twice = await manager.post(`${list}/new`, set(base, { exchangeType: 'first-semester', academicYear: '2027', opens: '2027-04-01', closes: '2027-04-30' }));
    expect(twice.text).to.contain('This exchange type already has a period for this academic year');
    const page = visible((await manager.get(list)).text);
    expect(page).to.contain('First semester 2027-2028 1 March 2027 31 March 2027 Not open yet');
    const row = await t.knex('mobility_application_periods').where({ institution_id: t.institution.id }).first();
    // the days are the office's: the period runs from midnight to midnight in Paris
    expect(new Date(row.opens_at).toISOString()).to.equal('2027-02-28T23:00:00.000Z');
    expect(new Date(row.closes_at).toISOString()).to.equal('2027-03-31T21:59:59.999Z');

    const editPath = `${list}/${row.id}`;
    const edit = formFields((await manager.get(editPath)).text, editPath);
    expect((await manager.post(editPath, set(edit, { closes: '2027-04-15' }))).status).to.equal(303);
    expect((await manager.post(editPath, set(edit, { closes: '2027-04-20' }))).status).to.equal(409);
    const deleted = await manager.post(`${editPath}/delete`, [['version', '2']]);
    expect(deleted.status).to.equal(303);
    expect(await t.knex('mobility_application_periods').where({ institution_id: t.institution.id })).to.have.length(0);
    const audit = await t.knex('audit_log').where({ institution_id: t.institution.id, target_type: 'mobility_application_period' }).orderBy('id').pluck('action');
    expect(audit).to.deep.equal(['mobility.application-period.create', 'mobility.application-period.update', 'mobility.application-period.delete']);
  });

  it('a referent gets 403 on every configuration route', async () => {
    const referent = t.client({ session: await t.signIn(['referent']) });
    const gets = ['/mobility/config', '/mobility/config/processes', EDITOR, '/mobility/config/exchange-types', '/mobility/config/exchange-types/new', '/mobility/config/exchange-types/full-year', '/mobility/config/periods', '/mobility/config/periods/new', '/mobility/config/periods/1'];
    const posts = [EDITOR, '/mobility/config/exchange-types/new', '/mobility/config/exchange-types/full-year', '/mobility/config/periods/new', '/mobility/config/periods/1', '/mobility/config/periods/1/delete'];
    for (const p of gets) expect((await referent.get(p)).status, `GET ${p}`).to.equal(403);
    for (const p of posts) expect((await referent.post(p, { op: 'publish', labelFr: 'x' })).status, `POST ${p}`).to.equal(403);
    expect(await versions()).to.deep.equal([1, 2, 3, 4]);
  });
});
