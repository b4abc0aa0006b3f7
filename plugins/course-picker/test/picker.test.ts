// The student's course picker over HTTP: what is offered, add/remove/draft, forged requests, the
// submission refused with the rules explained (English and French) then accepted, a course removed
// from the catalogue after it was chosen.
import { expect } from 'chai';
import type { TestPlatform } from '@smile/sdk/testing';
import { mobilityService } from '@smile/plugin-mobility';
import { boot, seedCatalogue, studentAtChoice, text, YEAR } from './support.js';

describe('course-picker: the student picks courses', function () {
  this.timeout(120_000);
  let t: TestPlatform;
  before(async () => {
    t = await boot();
    await seedCatalogue(t);
  });
  after(async () => t?.stop());

  const versionOf = (html: string) => Number(/name="version" value="(\d+)"/.exec(html)?.[1]);

  it('lists only the elements open to the exchange type and the mobility’s terms, with the search', async () => {
    const { session, file } = await studentAtChoice(t, 'Lea Schmidt');
    const c = t.client({ session });
    const page = await c.get(`/mobility/me/${file.id}/courses`);
    expect(page.status).to.equal(200);
    const seen = text(page.text);
    for (const code of ['LAW101', 'LAW105', 'SEAT1', 'ECO201']) expect(seen).to.contain(code);
    // closed to mobility, restricted to another exchange type, taught in the other semester
    for (const code of ['CLOSED1', 'ONLYBIL', 'SPRING1']) expect(seen).not.to.contain(code);
    expect(seen).to.contain('Semester 1: 0 ECTS chosen (30 required).');

    const search = await c.get(`/mobility/me/${file.id}/courses?q=contract`);
    expect(text(search.text)).to.contain('Contract law').and.not.to.contain('Criminal law');
    const filtered = await c.get(`/mobility/me/${file.id}/courses?component=ECO&sort=code`);
    const hits = [...filtered.text.matchAll(/<span class="cp-code">([A-Z0-9]+)<\/span>/g)].map((m) => m[1]);
    expect(hits).to.deep.equal(['ECO201', 'ECO202']);

    // the htmx search answers the results alone
    const fragment = await c.get(`/mobility/me/${file.id}/courses?q=macro`, { 'hx-request': 'true', 'hx-target': 'picker-results' });
    expect(fragment.text).not.to.contain('<html');
    expect(fragment.text).to.contain('Macroeconomics').and.not.to.contain('Microeconomics');
  });

  it('is the student’s own page only', async () => {
    const { file } = await studentAtChoice(t, 'Owen Price');
    const other = t.client({ session: await t.signIn(['student'], { displayName: 'Someone Else' }) });
    expect((await other.get(`/mobility/me/${file.id}/courses`)).status).to.equal(404);
    expect((await other.post(`/mobility/me/${file.id}/courses/add`, { code: 'LAW101', version: '1' })).status).to.equal(404);
    const manager = t.client({ session: await t.signIn(['manager']) });
    expect((await manager.get(`/mobility/me/${file.id}/courses`)).status).to.equal(403);
  });

  it('adds and removes courses (htmx and plain forms), saves the draft, and detects a stale form', async () => {
    const { session, file } = await studentAtChoice(t, 'Jan Novak');
    const c = t.client({ session });
    const page = await c.get(`/mobility/me/${file.id}/courses`);
    const v1 = versionOf(page.text);

    const added = await c.htmxPost(`/mobility/me/${file.id}/courses/add`, { code: 'LAW101', version: String(v1), back: 'q=law' });
    expect(added.status).to.equal(200);
    expect(added.text).not.to.contain('<html');
    expect(text(added.text)).to.contain('LAW101 – Constitutional law added to your choice.').and.to.contain('Semester 1: 6 ECTS chosen (30 required).');
    // the search the student was on is kept
    expect(added.text).to.contain('value="law"');

    // a plain form: redirected back to the page, which shows the course
    const plain = await c.post(`/mobility/me/${file.id}/courses/add`, { code: 'LAW102', version: String(v1 + 1) });
    expect(plain.status).to.equal(303);
    expect(text((await c.get(`/mobility/me/${file.id}/courses`)).text)).to.contain('Semester 1: 12 ECTS chosen (30 required).');

    // a form from before these changes
    const stale = await c.htmxPost(`/mobility/me/${file.id}/courses/add`, { code: 'LAW103', version: String(v1) });
    expect(stale.status).to.equal(409);
    expect(text(stale.text)).to.contain('Your choice changed meanwhile');

    const now = versionOf((await c.get(`/mobility/me/${file.id}/courses`)).text);
    const removed = await c.htmxPost(`/mobility/me/${file.id}/courses/remove`, { code: 'LAW101', version: String(now), from: 'choice' });
    expect(removed.status).to.equal(200);
    expect(text(removed.text)).to.contain('LAW101 – Constitutional law removed from your choice.').and.to.contain('Semester 1: 6 ECTS chosen (30 required).');

    const again = versionOf((await c.get(`/mobility/me/${file.id}/courses`)).text);
    const saved = await c.post(`/mobility/me/${file.id}/courses/save`, { version: String(again), 'level:fr': 'C1' });
    expect(saved.status).to.equal(303);
    const after = await c.get(`/mobility/me/${file.id}/courses`);
    expect(after.text).to.match(/<option value="C1" selected>C1<\/option>/);
    expect(after.text).to.contain('Draft saved.');
    const audit = await t.knex('audit_log').where({ target_type: 'mobility_file', target_id: String(file.id) }).pluck('action');
    expect(audit).to.include.members(['course-picker.item.add', 'course-picker.item.remove', 'course-picker.choice.save']);
  });

  it('refuses a forged add of a closed element, or one not open to the exchange type or the terms, with the reason', async () => {
    const { session, file } = await studentAtChoice(t, 'Mia Rossi');
    const c = t.client({ session });
    const v = versionOf((await c.get(`/mobility/me/${file.id}/courses`)).text);
    const closed = await c.post(`/mobility/me/${file.id}/courses/add`, { code: 'CLOSED1', version: String(v) });
    expect(closed.status).to.equal(422);
    expect(text(closed.text)).to.contain('CLOSED1 – Legal history was removed from the catalogue (closed to exchange students)');
    const other = await c.post(`/mobility/me/${file.id}/courses/add`, { code: 'ONLYBIL', version: String(v) });
    expect(other.status).to.equal(422);
    expect(text(other.text)).to.contain('ONLYBIL – Comparative law is not open to students of your exchange programme');
    const term = await c.htmxPost(`/mobility/me/${file.id}/courses/add`, { code: 'SPRING1', version: String(v) });
    expect(term.status).to.equal(422);
    expect(text(term.text)).to.contain('SPRING1 – Tax law is taught in semester 2, outside your mobility');
    const missing = await c.post(`/mobility/me/${file.id}/courses/add`, { code: 'NOPE', version: String(v) });
    expect(missing.status).to.equal(422);
    expect(await t.knex('course_picker_items').whereIn('code', ['CLOSED1', 'ONLYBIL', 'SPRING1', 'NOPE']).count({ n: '*' }).first()).to.deep.equal({ n: 0 });
  });

  it('refuses to submit with every blocking rule explained in the student’s language, then accepts', async () => {
    const { session, file } = await studentAtChoice(t, 'Luca Bianchi');
    const c = t.client({ session });
    let v = versionOf((await c.get(`/mobility/me/${file.id}/courses`)).text);
    for (const code of ['LAW101', 'ECO201', 'ECO202']) {
      expect((await c.post(`/mobility/me/${file.id}/courses/add`, { code, version: String(v) })).status).to.equal(303);
      v++;
    }
    const refused = await c.post(`/mobility/me/${file.id}/courses/submit`, { fileVersion: String(file.version) });
    expect(refused.status).to.equal(422);
    const en = text(refused.text);
    expect(en).to.contain('You have 18 ECTS in semester 1; the minimum is 30: add 12 ECTS or more.');
    // the component by its name, as the search filters name it
    expect(en).to.match(/6 of your 18 ECTS \(33[.,]3%\) come from your main component Law faculty; at least 50% must/);
    expect(en).not.to.contain('main component LAW');
    expect((await t.resolve(mobilityService).file(t.institution.id, file.id))!.currentStep).to.equal('course-selection');

    const fr = t.client({ session, lang: 'fr' });
    const refusedFr = await fr.post(`/mobility/me/${file.id}/courses/submit?lang=fr`, { fileVersion: String(file.version) });
    expect(refusedFr.status).to.equal(422);
    expect(text(refusedFr.text)).to.contain('Vous avez 18 ECTS au semestre 1 ; le minimum est de 30 : ajoutez au moins 12 ECTS.');
    expect(text(refusedFr.text)).to.match(/viennent de votre composante principale Faculté de droit ; il en faut au moins 50/);

    // the engine's refusal reaches any caller of the transition, in the actor's language
    let message = '';
    try {
      await t.resolve(mobilityService).transition({ institutionId: t.institution.id, personId: session.personId, label: 'Luca', language: 'fr' }, file.id, { stepKey: 'course-selection', action: 'validate' });
    } catch (e) {
      message = (e as Error).message;
    }
    expect(message).to.contain('Votre choix de cours ne peut pas encore être envoyé').and.to.contain('ajoutez au moins 12 ECTS');

    const draft = await c.get(`/mobility/me/${file.id}/courses`);
    // while she chooses, a warning says what to do on the page (the level is one of its fields)
    expect(text(draft.text)).to.contain('LAW101 – Constitutional law is recommended with French at level B1 (you declared no level): make sure you can follow it, update your declared level');
    v = versionOf(draft.text);
    expect((await c.post(`/mobility/me/${file.id}/courses/remove`, { code: 'ECO202', version: String(v) })).status).to.equal(303);
    for (const code of ['LAW102', 'LAW103', 'LAW104']) {
      v = versionOf((await c.get(`/mobility/me/${file.id}/courses`)).text);
      expect((await c.post(`/mobility/me/${file.id}/courses/add`, { code, version: String(v) })).status).to.equal(303);
    }
    const ok = await c.post(`/mobility/me/${file.id}/courses/submit`, { fileVersion: String(file.version) });
    expect(ok.status).to.equal(303);
    const moved = (await t.resolve(mobilityService).file(t.institution.id, file.id))!;
    expect(moved.currentStep).to.equal('referent-approval');
    const page = text((await c.get(`/mobility/me/${file.id}/courses`)).text);
    expect(page).to.contain('Submitted: your choice is with the referents');
    // the level field is gone: the warning says what is so, and asks nothing the page no longer offers
    expect(page).to.contain('Check: LAW101 – Constitutional law is recommended with French at level B1 (you declared no level).');
    expect(page).not.to.contain('update your declared level');
    expect(page).not.to.contain('Your level in the languages of instruction');
    // locked while the referents decide
    v = versionOf((await c.get(`/mobility/me/${file.id}/courses`)).text);
    const late = await c.post(`/mobility/me/${file.id}/courses/add`, { code: 'LAW105', version: String(v) });
    expect(late.status).to.equal(409);
    expect(text(late.text)).to.contain('Your choice has been submitted and is with the referents');
  });

  it('flags a course removed from the catalogue after it was chosen, to the student and the referent, without dropping it', async () => {
    const { session, file } = await studentAtChoice(t, 'Emma Dubois');
    const c = t.client({ session });
    const v = versionOf((await c.get(`/mobility/me/${file.id}/courses`)).text);
    expect((await c.post(`/mobility/me/${file.id}/courses/add`, { code: 'LAW105', version: String(v) })).status).to.equal(303);
    await t.knex('catalogue_elements').where({ institution_id: t.institution.id, year: YEAR, code: 'LAW105' }).update({ open_to_mobility: false });

    const student = text((await c.get(`/mobility/me/${file.id}/courses`)).text);
    expect(student).to.contain('LAW105').and.to.contain('This course was removed from the catalogue after you chose it: replace it.');
    expect(student).to.contain('LAW105 – European Union law was removed from the catalogue (closed to exchange students) after you chose it');

    const referent = t.client({ session: await t.signIn([{ role: 'referent', components: ['LAW'] }]) });
    const page = await referent.get(`/mobility/files/${file.id}/courses`);
    expect(page.status).to.equal(200);
    expect(text(page.text)).to.contain('Removed from the catalogue after the student chose it.').and.to.contain('LAW105 – European Union law was removed from the catalogue');
    expect(await t.knex('course_picker_items').where({ code: 'LAW105' }).count({ n: '*' }).first()).to.deep.equal({ n: 1 });
    await t.knex('catalogue_elements').where({ institution_id: t.institution.id, year: YEAR, code: 'LAW105' }).update({ open_to_mobility: true });
  });
});
