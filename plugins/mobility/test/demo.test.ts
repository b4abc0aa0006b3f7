// Demo data: files at every step of the seeded process, made through the engine (system
// transitions in the demo seed's transaction), so their timelines are real.
import { expect } from 'chai';
import { startTestPlatform, type TestPlatform } from '@smile/sdk/testing';
import { mobilityService, type MobilityStore } from '../src/index.js';
import { DEMO_STUDENT_ESI } from '../src/demo.js';

describe('mobility: demo data and system transitions', function () {
  this.timeout(120_000);
  let t: TestPlatform;
  let store: MobilityStore;

  before(async () => {
    t = await startTestPlatform({ plugins: ['mobility'], demo: true });
    store = t.resolve(mobilityService);
  });
  after(async () => {
    await t?.stop();
  });

  it('seeds files up to the course selection, with refusal and abandonment in their history', async () => {
    const files = await t.knex('mobility_files').where({ institution_id: t.institution.id }).orderBy('id');
    expect(files.length).to.equal(12);
    const steps = new Set(files.map((f: any) => f.current_step));
    // later steps need a course choice: the course-picker's and learning-agreement's demos take files on
    expect([...steps].filter(Boolean).sort()).to.deep.equal(['course-selection', 'office-validation', 'pre-registration']);
    const byName = (last: string) => files.find((f: any) => f.last_name === last);
    expect(byName('Silva').status).to.equal('abandoned');
    expect(byName('Rossi').esi).to.equal(DEMO_STUDENT_ESI);
    expect(byName('Wiśniewski').home_name).to.equal('Uniwersytet Łódzki');
    const garcia = await store.history(t.institution.id, byName('García López').id);
    const refusal = garcia.transitions.find((x) => x.action === 'refuse')!;
    expect(refusal.fromStep).to.equal('office-validation');
    expect(refusal.toStep).to.equal('pre-registration');
    expect(refusal.comment).to.contain('transcript of records');
    const szoke = await store.history(t.institution.id, byName('Szőke').id);
    expect(szoke.transitions.map((x) => x.toStep)).to.deep.equal(['pre-registration', 'office-validation', 'course-selection']);
  });

  it('a system transition still follows the process: an action the step lacks is refused', async () => {
    const file = await t.knex('mobility_files').where({ last_name: 'Rossi' }).first();
    const actor = { institutionId: t.institution.id, label: 'system' };
    let error: any;
    try {
      await store.transition(actor, file.id, { stepKey: 'pre-registration', action: 'refuse', comment: 'x' }, undefined, { system: true });
    } catch (e) {
      error = e;
    }
    expect(error?.status).to.equal(403);
    expect((await t.knex('mobility_files').where({ id: file.id }).first()).current_step).to.equal('pre-registration');
    // a person's transition cannot run in a caller's transaction (their roles are read outside it)
    await t.knex.transaction(async (trx) => {
      let e2: any;
      try {
        await store.transition({ ...actor, personId: 1 }, file.id, { stepKey: 'pre-registration', action: 'validate' }, undefined, { trx });
      } catch (e) {
        e2 = e;
      }
      expect(String(e2?.message)).to.contain('system actions only');
    });
  });
});
