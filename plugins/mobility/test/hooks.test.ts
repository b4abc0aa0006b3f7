// Other plugins plug into the workflow: step templates, step conditions, side effects in the transaction.
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { expect } from 'chai';
import { startTestPlatform, type TestPlatform } from '@smile/sdk/testing';
import { defaultSteps, mobilityService, type MobilityActor, type MobilityStore } from '../src/index.js';
import { withoutStepConditions } from './support.js';

const fixtures = path.join(path.dirname(fileURLToPath(import.meta.url)), 'fixtures');

describe('mobility: hooks for other plugins', function () {
  this.timeout(60_000);
  let t: TestPlatform;
  let store: MobilityStore;
  let student: MobilityActor;
  let manager: MobilityActor;
  const seen = () => (globalThis as any).__mobilityProbe as Array<{ from: string; to: string | null; action: string; partial: boolean; pendingRows: number }>;

  before(async () => {
    t = await startTestPlatform({ plugins: ['mobility', 'mobility-probe'], pluginPaths: [fixtures] });
    store = t.resolve(mobilityService);
    const s = await t.signIn(['student']);
    const m = await t.signIn(['manager']);
    student = { institutionId: t.institution.id, personId: s.personId, label: 'student' };
    manager = { institutionId: t.institution.id, personId: m.personId, label: 'manager' };
  });
  after(async () => {
    await t?.stop();
  });

  // the probe's conditions are under test here, not the student's own (profile, documents)
  const file = async (lastName: string) => (await withoutStepConditions(t), fileOf(lastName));
  const fileOf = (lastName: string) => store.createFile(manager, { firstName: 'Ada', lastName, exchangeType: 'full-year', academicYear: 2026, personId: student.personId });

  it('transformProcessSteps shapes the seeded process', async () => {
    const p = (await store.activeProcess(t.institution.id, 'full-year'))!;
    const seeded = defaultSteps().find((s) => s.key === 'pre-registration')!.requiredDocuments!;
    expect(p.steps.find((s) => s.key === 'pre-registration')!.requiredDocuments).to.deep.equal([...seeded, 'health-insurance']);
  });

  it('beforeTransition refuses a transition with its message; nothing changes', async () => {
    const f = await file('Blocked');
    await store.transition(student, f.id, { stepKey: 'pre-registration', action: 'validate' });
    await store.transition(manager, f.id, { stepKey: 'office-validation', action: 'validate' });
    const err = await store.transition(student, f.id, { stepKey: 'course-selection', action: 'validate' }).then(() => null, (e) => e);
    expect(err?.message).to.contain('choose at least one course first');
    expect(err?.status).to.equal(400);
    expect((await store.file(t.institution.id, f.id))!.currentStep).to.equal('course-selection');
    expect((await store.history(t.institution.id, f.id)).transitions).to.have.length(3);
  });

  it('afterTransition runs inside the transaction; a failing tap rolls the transition back', async () => {
    const f = await file('Normal');
    const before = seen().length;
    await store.transition(student, f.id, { stepKey: 'pre-registration', action: 'validate' });
    expect(seen().slice(before)).to.deep.equal([{ from: 'pre-registration', to: 'office-validation', action: 'validate', partial: false, pendingRows: 2 }]);
    const err = await store.transition(manager, f.id, { stepKey: 'office-validation', action: 'refuse', comment: 'explode' }).then(() => null, (e) => e);
    expect(err?.message).to.contain('the probe exploded');
    const after = (await store.file(t.institution.id, f.id))!;
    expect(after.currentStep).to.equal('office-validation');
    expect((await store.history(t.institution.id, f.id)).transitions).to.have.length(2);
  });
});
