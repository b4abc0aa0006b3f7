// Referents decide on the courses of their component: scoped decisions, a refusal back to the
// student who changes only the refused course, the step refused while courses are undecided, and
// the last seat approved twice at the same time.
import { expect } from 'chai';
import type { TestPlatform } from '@smile/sdk/testing';
import { mobilityService } from '@smile/plugin-mobility';
import { boot, seedCatalogue, studentAtChoice, submitted, text } from './support.js';

describe('course-picker: referents decide', function () {
  this.timeout(120_000);
  let t: TestPlatform;
  before(async () => {
    t = await boot();
    await seedCatalogue(t);
  });
  after(async () => t?.stop());

  const lawReferent = () => t.signIn([{ role: 'referent', components: ['LAW'] }], { displayName: 'Prof. Law' });
  const ecoReferent = () => t.signIn([{ role: 'referent', components: ['ECO'] }], { displayName: 'Prof. Eco' });
  const fileNow = async (id: number) => (await t.resolve(mobilityService).file(t.institution.id, id))!;
  const decisions = async (fileId: number) =>
    Object.fromEntries(
      (await t.knex('course_picker_items as i').join('course_picker_choices as c', 'c.id', 'i.choice_id').where('c.file_id', fileId).select('i.code', 'i.decision'))
        .map((r: { code: string; decision: string }) => [r.code, r.decision]),
    );

  it('lets each referent decide only their component’s courses; a refusal goes back to the student, who changes only that course', async () => {
    const { session, file } = await studentAtChoice(t, 'Sofia Lopez');
    await submitted(t, file, session.personId, ['LAW101', 'LAW102', 'LAW103', 'LAW104', 'ECO201']);
    const law = t.client({ session: await lawReferent() });
    const eco = t.client({ session: await ecoReferent() });

    const lawPage = await law.get(`/mobility/files/${file.id}/courses`);
    expect(lawPage.status).to.equal(200);
    // a decision form for the law courses, none for the economics one
    expect(lawPage.text).to.contain('name="code" value="LAW101"').and.not.to.contain('name="code" value="ECO201"');
    expect(text(lawPage.text)).to.contain('ECO201');

    const forged = await law.post(`/mobility/files/${file.id}/courses/decide`, { code: 'ECO201', decision: 'approved', was: 'pending' });
    expect(forged.status).to.equal(403);
    expect(text(forged.text)).to.contain('You do not decide on ECO201');

    // a refusal needs a comment; what was typed is kept
    const noComment = await eco.post(`/mobility/files/${file.id}/courses/decide`, { code: 'ECO201', decision: 'refused', was: 'pending', comment: ' ' });
    expect(noComment.status).to.equal(400);
    expect(text(noComment.text)).to.contain('Give the reason for refusing ECO201');

    // validating the step before deciding is refused, whichever page it comes from
    let refusal = '';
    try {
      await t.resolve(mobilityService).transition({ institutionId: t.institution.id, personId: (await t.knex('persons').where({ display_name: 'Prof. Law' }).first())?.id, label: 'Prof. Law', language: 'en' }, file.id, { stepKey: 'referent-approval', action: 'validate' });
    } catch (e) {
      refusal = (e as Error).message;
    }
    expect(refusal).to.contain('Decide on every course of your component').and.to.contain('LAW101');
    expect((await fileNow(file.id)).currentStep).to.equal('referent-approval');

    for (const code of ['LAW101', 'LAW102', 'LAW103', 'LAW104']) {
      expect((await law.post(`/mobility/files/${file.id}/courses/decide`, { code, decision: 'approved', was: 'pending' })).status).to.equal(303);
    }
    expect((await law.post(`/mobility/files/${file.id}/courses/finish`, { fileVersion: String((await fileNow(file.id)).version) })).status).to.equal(303);
    expect((await fileNow(file.id)).currentStep).to.equal('referent-approval');
    // the student is told how far the referents are
    const partial = text((await t.client({ session }).get(`/mobility/me/${file.id}/courses`)).text);
    expect(partial).to.match(/Submitted: 4 of your 5 courses are approved so far; the referents are still deciding on the others \(step: [^)]+\)\./);

    // the referent reads about the student, components by their names
    const lawSeen = text((await law.get(`/mobility/files/${file.id}/courses`)).text);
    expect(lawSeen).to.contain('Law faculty: courses its referents decide on').and.contain('Faculty of Economics: courses its referents decide on');
    expect(lawSeen).to.contain("come from the student's main component, Law faculty");
    expect(lawSeen).to.contain('LAW101 – Constitutional law is recommended with French at level B1 (the student declared no level): check that the student can follow it.');
    expect(lawSeen).not.to.match(/\byour\b|update your declared level|component LAW\b/);

    expect((await eco.post(`/mobility/files/${file.id}/courses/decide`, { code: 'ECO201', decision: 'refused', was: 'pending', comment: 'Full for exchange students this year.' })).status).to.equal(303);
    const ecoSeen = text((await eco.get(`/mobility/files/${file.id}/courses`)).text);
    expect(ecoSeen).to.contain('Refused: the student must replace it or remove it').and.not.to.contain('Refused: replace it or remove it');
    // while the referents still hold the choice, the student is not asked to act yet
    const waiting = text((await t.client({ session }).get(`/mobility/me/${file.id}/courses`)).text);
    expect(waiting).to.contain('Refused: you can replace it once the referents have finished with your choice').and.not.to.contain('Refused: replace it or remove it');
    const sent = await eco.post(`/mobility/files/${file.id}/courses/finish`, { fileVersion: String((await fileNow(file.id)).version) });
    expect(sent.status).to.equal(303);
    const back = await fileNow(file.id);
    expect(back.currentStep).to.equal('course-selection');
    const comment = await t.knex('mobility_transitions').where({ file_id: file.id, action: 'refuse' }).first('comment');
    expect(comment.comment).to.contain('ECO201 – Microeconomics: Full for exchange students this year.');

    const student = t.client({ session });
    const page = await student.get(`/mobility/me/${file.id}/courses`);
    const seen = text(page.text);
    expect(seen).to.contain('Refused: replace it or remove it').and.to.contain('Full for exchange students this year.').and.to.contain('Approved');
    // the refused course is in what to fix, with the comment; the totals do not say all is well
    expect(seen).to.contain('What to fix To fix: The referent refused ECO201 – Microeconomics: “Full for exchange students this year.” Replace it with another course, or remove it.');
    expect(seen).to.contain('Semester 1: 30 ECTS chosen (30 required).').and.to.contain('Replace or remove the courses the referent refused: ECO201 – Microeconomics.');
    expect(seen).not.to.contain('This meets the rules.');
    expect(page.text).to.contain('cp-total cp-total--block');
    expect(seen).to.contain('Fix what is listed above before submitting');
    // and in French
    const fr = text((await t.client({ session, lang: 'fr' }).get(`/mobility/me/${file.id}/courses?lang=fr`)).text);
    expect(fr).to.contain('Le référent a refusé ECO201 – Microéconomie : « Full for exchange students this year. » Remplacez-le par un autre cours, ou retirez-le.');
    expect(fr).not.to.contain('Ce choix respecte les règles.');
    // the block of her file says it too; the office's reads about the student
    const space = text((await student.get(`/mobility/me/${file.id}`)).text);
    expect(space).to.contain('The referent refused ECO201 – Microeconomics: “Full for exchange students this year.”').and.to.contain('1 problem(s) to fix before submission.');
    expect(space).not.to.contain('This meets the rules.');
    const office = text((await t.client({ session: await t.signIn(['manager']) }).get(`/mobility/files/${file.id}`)).text);
    expect(office).to.contain('ECO201 – Microeconomics was refused: “Full for exchange students this year.” The student must replace it with another course, or remove it.');
    expect(office).not.to.contain('This meets the rules.');
    const version = Number(/name="version" value="(\d+)"/.exec(page.text)?.[1]);
    const locked = await student.post(`/mobility/me/${file.id}/courses/remove`, { code: 'LAW101', version: String(version) });
    expect(locked.status).to.equal(409);
    expect(text(locked.text)).to.contain('LAW101 was approved by the referent: it stays in your choice.');
    // a refused course still there blocks the submission
    const blocked = await student.post(`/mobility/me/${file.id}/courses/submit`, { fileVersion: String(back.version) });
    expect(blocked.status).to.equal(422);
    expect(text(blocked.text)).to.contain('Replace or remove the courses the referent refused: ECO201');

    expect((await student.post(`/mobility/me/${file.id}/courses/remove`, { code: 'ECO201', version: String(version) })).status).to.equal(303);
    expect((await student.post(`/mobility/me/${file.id}/courses/add`, { code: 'ECO202', version: String(version + 1) })).status).to.equal(303);
    expect((await student.post(`/mobility/me/${file.id}/courses/submit`, { fileVersion: String(back.version) })).status).to.equal(303);
    expect(await decisions(file.id)).to.deep.equal({ LAW101: 'approved', LAW102: 'approved', LAW103: 'approved', LAW104: 'approved', ECO202: 'pending' });

    // second round: the law referent only confirms, the economics referent approves the new course
    expect((await law.post(`/mobility/files/${file.id}/courses/finish`, { fileVersion: String((await fileNow(file.id)).version) })).status).to.equal(303);
    expect((await eco.post(`/mobility/files/${file.id}/courses/decide`, { code: 'ECO202', decision: 'approved', was: 'pending' })).status).to.equal(303);
    expect((await eco.post(`/mobility/files/${file.id}/courses/finish`, { fileVersion: String((await fileNow(file.id)).version) })).status).to.equal(303);
    expect((await fileNow(file.id)).currentStep).to.equal('host-approval');
    // every course approved: the student is told so, and where the file went
    const approved = text((await student.get(`/mobility/me/${file.id}/courses`)).text);
    expect(approved).to.match(/Approved: the referents accepted every course of your choice\. Your file went on to the next step: [^.]+\./);
    expect(approved).not.to.contain('Submitted:').and.not.to.contain('You will be told when they have decided');

    // the file page of the office shows the block with the decisions
    const manager = t.client({ session: await t.signIn(['manager']) });
    const filePage = text((await manager.get(`/mobility/files/${file.id}`)).text);
    expect(filePage).to.contain('Course choice').and.to.contain('5 course(s): 5 approved, 0 refused, 0 waiting.');
  });

  it('gives the last seat to one of two referents approving at the same time; the other is told no seat is left', async () => {
    const a = await studentAtChoice(t, 'Amira Haddad');
    const b = await studentAtChoice(t, 'Bruno Costa');
    for (const s of [a, b]) await submitted(t, s.file, s.session.personId, ['LAW101', 'LAW102', 'LAW103', 'LAW104', 'SEAT1']);
    const r1 = t.client({ session: await lawReferent() });
    const r2 = t.client({ session: await lawReferent() });
    await Promise.all([r1.get('/'), r2.get('/')]);
    const [x, y] = await Promise.all([
      r1.post(`/mobility/files/${a.file.id}/courses/decide`, { code: 'SEAT1', decision: 'approved', was: 'pending' }),
      r2.post(`/mobility/files/${b.file.id}/courses/decide`, { code: 'SEAT1', decision: 'approved', was: 'pending' }),
    ]);
    const statuses = [x.status, y.status].sort();
    expect(statuses).to.deep.equal([303, 409]);
    const loser = x.status === 409 ? x : y;
    expect(text(loser.text)).to.contain('No seat left in SEAT1');
    const seat = await t.knex('course_picker_seats').where({ institution_id: t.institution.id, code: 'SEAT1' }).first();
    expect(seat.taken).to.equal(1);
    const approved = [await decisions(a.file.id), await decisions(b.file.id)].filter((d) => d.SEAT1 === 'approved');
    expect(approved).to.have.length(1);

    // the seats page shows it, and a capacity below what is taken is refused
    const manager = t.client({ session: await t.signIn(['manager']) });
    const seats = await manager.get('/course-picker/seats?year=2026&q=SEAT1');
    expect(text(seats.text)).to.contain('SEAT1').and.to.contain('1 taken');
    const low = await manager.post('/course-picker/seats', { year: '2026', code: 'SEAT1', capacity: '0', version: String(seat.version), q: '' });
    expect(low.status).to.equal(422);
    expect(text(low.text)).to.contain('1 seats are already taken');
    expect((await manager.post('/course-picker/seats', { year: '2026', code: 'SEAT1', capacity: '2', version: String(seat.version), q: '' })).status).to.equal(303);
    // the second student's referent can now approve
    expect((await r2.post(`/mobility/files/${(x.status === 409 ? a : b).file.id}/courses/decide`, { code: 'SEAT1', decision: 'approved', was: 'pending' })).status).to.equal(303);
  });
});
