// The workflow engine on a real database: files, the seeded process, refusals, parallel approvals,
// role scopes, concurrent validations, process versions and history.
import { expect } from 'chai';
import { ErrorCodes, coreServices, type SmileError } from '@smile/sdk';
import { startTestPlatform, type TestPlatform } from '@smile/sdk/testing';
import { defaultSteps, mobilityService, type MobilityActor, type MobilityStore, type StepSpec } from '../src/index.js';
import { withoutStepConditions } from './support.js';

async function rejection(p: Promise<unknown>): Promise<SmileError> {
  try {
    await p;
  } catch (e) {
    // the error class may come from another copy of the SDK module: check its code
    if (typeof (e as SmileError)?.code === 'string' && (e as SmileError).code.startsWith('SMILE_ERR_')) return e as SmileError;
    throw e;
  }
  throw new Error('expected a rejection');
}

describe('mobility: workflow engine', function () {
  this.timeout(60_000);
  let t: TestPlatform;
  let store: MobilityStore;
  let inst: number;
  const comp: Record<string, number> = {};
  const who: Record<string, MobilityActor> = {};
  const system = (): MobilityActor => ({ institutionId: inst, label: 'test' });

  before(async () => {
    t = await startTestPlatform({ plugins: ['mobility'] });
    await withoutStepConditions(t);
    store = t.resolve(mobilityService);
    inst = t.institution.id;
    const roles = t.resolve(coreServices.roles);
    for (const code of ['LAW', 'SCI', 'ART']) {
      await roles.saveComponent(system(), { code, name: { fr: code, en: code } });
      comp[code] = (await t.knex('components').where({ institution_id: inst, code }).first()).id;
    }
    const person = async (name: string, r: Array<string | { role: string; components: string[] }>) => {
      const s = await t.signIn(r, { displayName: name });
      who[name] = { institutionId: inst, personId: s.personId, label: name };
    };
    await person('student', ['student']);
    await person('other-student', ['student']);
    await person('manager', ['manager']);
    await person('manager2', ['manager']);
    await person('senior', ['supermanager']);
    await person('referent-law', [{ role: 'referent', components: ['LAW'] }]);
    await person('referent-sci', [{ role: 'referent', components: ['SCI'] }]);
  });
  after(async () => {
    await t?.stop();
  });

  const newFile = (extra: Partial<Parameters<MobilityStore['createFile']>[1]> = {}) =>
    store.createFile(who.manager!, { firstName: 'Ada', lastName: 'Lovelace', exchangeType: 'first-semester', academicYear: 2026, personId: who.student!.personId, componentId: comp.LAW, ...extra });
  const go = (actor: string, id: number, stepKey: string, action: 'validate' | 'refuse' | 'abandon', comment?: string) =>
    store.transition(who[actor]!, id, { stepKey, action, comment });

  it('reads a file with values computed from its row in the same query (fileWith)', async () => {
    const f = await newFile({ lastName: 'Byron' });
    const read = await store.fileWith(inst, f.id, {
      history: `select count(*) from mobility_transitions h where h.file_id = f.id`,
      // a `?` is SQL here (the jsonb "has key" operator), not a value to bind
      has_key: `select '{"a": 1}'::jsonb ? 'a'`,
      same_person: `select f.person_id = ${Number(who.student!.personId)}`,
    });
    expect(read!.file.id).to.equal(f.id);
    expect(read!.file.lastName).to.equal('Byron');
    expect(read!.file.componentCode).to.equal('LAW');
    expect(Number(read!.extra.history)).to.equal(Number((await t.knex('mobility_transitions').where({ file_id: f.id }).count({ n: '*' }))[0]!.n));
    expect(read!.extra.has_key).to.equal(true);
    expect(read!.extra.same_person).to.equal(true);
    expect(await store.fileWith(inst + 1000, f.id, {})).to.equal(null);
    const refused = await store.fileWith(inst, f.id, { 'x; drop table mobility_files': 'select 1' }).then(() => null, (e: Error) => e);
    expect(refused?.message).to.match(/not a column name/);
  });

  it('seeds the exchange types and the seed system’s process at bootstrap', async () => {
    const types = await store.exchangeTypes(inst);
    expect(types.map((x) => x.code)).to.include.members(['first-semester', 'second-semester', 'full-year', 'erasmus-mundus', 'double-degree']);
    const p = await store.activeProcess(inst, 'first-semester');
    expect(p?.key).to.equal('default');
    expect(p?.version).to.equal(1);
    expect(p?.steps.map((s) => s.key)).to.deep.equal(['pre-registration', 'office-validation', 'course-selection', 'referent-approval', 'host-approval', 'student-approval', 'la-generated']);
  });

  it('creates a file at the first step, nominated, with the creation in the history', async () => {
    const f = await newFile();
    expect(f.status).to.equal('nominated');
    expect(f.currentStep).to.equal('pre-registration');
    expect(f.componentCode).to.equal('LAW');
    expect(f.approvalComponents).to.deep.equal(['LAW']);
    const h = await store.history(inst, f.id);
    expect(h.transitions.map((x) => [x.action, x.toStep])).to.deep.equal([['create', 'pre-registration']]);
    expect(h.visits[0]!.deadlineAt).to.be.an.instanceOf(Date);
    const audit = await t.knex('audit_log').where({ action: 'mobility.file.create', target_id: String(f.id) });
    expect(audit).to.have.length(1);
  });

  it('refuses bad input with a clear message and creates nothing', async () => {
    const before = (await t.knex('mobility_files').count({ n: '*' }).first())!.n;
    const e = await rejection(newFile({ exchangeType: 'space-travel' }));
    expect(e.code).to.equal(ErrorCodes.VALIDATION);
    expect(e.message).to.contain('unknown exchange type "space-travel"');
    expect((await rejection(newFile({ lastName: ' ' }))).message).to.contain('last name is required');
    expect((await t.knex('mobility_files').count({ n: '*' }).first())!.n).to.equal(before);
  });

  it('walks a file through the whole seeded process to the Learning Agreement', async () => {
    const f = await newFile();
    expect((await store.allowedActions(who.manager!, f)).map((a) => a.action)).to.deep.equal(['abandon']);
    expect((await store.allowedActions(who.student!, f)).map((a) => a.action)).to.deep.equal(['validate', 'abandon']);
    expect(await store.allowedActions(who['other-student']!, f)).to.deep.equal([]);

    let r = await go('student', f.id, 'pre-registration', 'validate');
    expect(r.file.currentStep).to.equal('office-validation');
    expect(r.file.status).to.equal('in_progress');
    r = await go('senior', f.id, 'office-validation', 'validate'); // a senior manager is a manager
    r = await go('student', f.id, 'course-selection', 'validate');
    expect(r.file.currentStep).to.equal('referent-approval');
    r = await go('referent-law', f.id, 'referent-approval', 'validate');
    expect(r.partial).to.equal(false);
    r = await go('manager', f.id, 'host-approval', 'validate');
    r = await go('student', f.id, 'student-approval', 'validate');
    expect(r.file.currentStep).to.equal('la-generated');
    expect(r.file.status).to.equal('validated');
    expect(await store.allowedActions(who.manager!, r.file)).to.deep.equal([]);
    const h = await store.history(inst, f.id);
    expect(h.transitions.map((x) => x.toStep)).to.deep.equal(['pre-registration', 'office-validation', 'course-selection', 'referent-approval', 'host-approval', 'student-approval', 'la-generated']);
    expect(h.visits.every((v) => v.state === 'done' && v.leftAt !== null)).to.equal(true);
  });

  it('a refusal needs a comment and goes back to the step named by key', async () => {
    const f = await newFile();
    await go('student', f.id, 'pre-registration', 'validate');
    await go('manager', f.id, 'office-validation', 'validate');
    await go('student', f.id, 'course-selection', 'validate');
    const e = await rejection(go('referent-law', f.id, 'referent-approval', 'refuse', '  '));
    expect(e.code).to.equal(ErrorCodes.VALIDATION);
    expect(e.message).to.contain('a comment is required to refuse this step');
    expect((await store.file(inst, f.id))!.currentStep).to.equal('referent-approval');
    const r = await go('referent-law', f.id, 'referent-approval', 'refuse', 'Too many credits in semester 1');
    expect(r.file.currentStep).to.equal('course-selection');
    const h = await store.history(inst, f.id);
    const last = h.transitions.at(-1)!;
    expect([last.action, last.fromStep, last.toStep, last.comment, last.label]).to.deep.equal(['refuse', 'referent-approval', 'course-selection', 'Too many credits in semester 1', 'referent-law']);
    expect(h.visits.find((v) => v.stepKey === 'referent-approval')!.state).to.equal('refused');
    // course selection was visited twice: its time adds up
    expect(h.visits.filter((v) => v.stepKey === 'course-selection')).to.have.length(2);
  });

  it('parallel approvals: two component referents, the step completes only when both approved', async () => {
    const f = await newFile({ approvalComponents: ['LAW', 'SCI'] });
    await go('student', f.id, 'pre-registration', 'validate');
    await go('manager', f.id, 'office-validation', 'validate');
    await go('student', f.id, 'course-selection', 'validate');
    const sci = await store.allowedActions(who['referent-sci']!, (await store.file(inst, f.id))!);
    expect(sci.find((a) => a.action === 'validate')?.approvals).to.deep.equal(['referent:SCI']);
    let r = await go('referent-law', f.id, 'referent-approval', 'validate');
    expect(r.partial).to.equal(true);
    expect(r.file.currentStep).to.equal('referent-approval');
    // the law referent has given theirs: nothing more to validate for them
    expect((await store.allowedActions(who['referent-law']!, r.file)).map((a) => a.action)).to.not.include('validate');
    const e = await rejection(go('referent-law', f.id, 'referent-approval', 'validate'));
    expect(e.code).to.equal(ErrorCodes.FORBIDDEN);
    r = await go('referent-sci', f.id, 'referent-approval', 'validate');
    expect(r.partial).to.equal(false);
    expect(r.file.currentStep).to.equal('host-approval');
    const h = await store.history(inst, f.id);
    expect(h.transitions.slice(-2).map((x) => [x.action, x.label])).to.deep.equal([['approve', 'referent-law'], ['validate', 'referent-sci']]);
    expect(h.visits.find((v) => v.stepKey === 'referent-approval')!.approvalsDone.map((a) => a.key)).to.deep.equal(['referent:LAW', 'referent:SCI']);
  });

  it('role scopes: a referent of another component may not act, nor a student on someone else’s file', async () => {
    const f = await newFile({ componentId: comp.ART });
    expect((await rejection(go('other-student', f.id, 'pre-registration', 'validate'))).message).to.contain('you may not validate the step "Pre-registration"');
    await go('student', f.id, 'pre-registration', 'validate');
    expect((await rejection(go('student', f.id, 'office-validation', 'validate'))).code).to.equal(ErrorCodes.FORBIDDEN);
    await go('manager', f.id, 'office-validation', 'validate');
    await go('student', f.id, 'course-selection', 'validate');
    const file = (await store.file(inst, f.id))!;
    expect(await store.allowedActions(who['referent-law']!, file)).to.deep.equal([]);
    const e = await rejection(go('referent-law', f.id, 'referent-approval', 'validate'));
    expect(e.code).to.equal(ErrorCodes.FORBIDDEN);
    expect(e.status).to.equal(403);
    expect((await store.file(inst, f.id))!.currentStep).to.equal('referent-approval');
  });

  it('two simultaneous validations of the same step make ONE transition; the other is told the file moved', async () => {
    const f = await newFile();
    await go('student', f.id, 'pre-registration', 'validate');
    const at = (await store.file(inst, f.id))!;
    const results = await Promise.allSettled([
      store.transition(who.manager!, f.id, { stepKey: 'office-validation', action: 'validate' }, at.version),
      store.transition(who.manager2!, f.id, { stepKey: 'office-validation', action: 'validate' }, at.version),
    ]);
    const ok = results.filter((x) => x.status === 'fulfilled');
    const failed = results.filter((x): x is PromiseRejectedResult => x.status === 'rejected');
    expect(ok).to.have.length(1);
    expect(failed).to.have.length(1);
    expect(failed[0]!.reason.code).to.equal(ErrorCodes.CONFLICT);
    expect(failed[0]!.reason.status).to.equal(409);
    expect(failed[0]!.reason.message).to.contain('this file moved meanwhile: it is now at step "Course selection"');
    const rows = await t.knex('mobility_transitions').where({ file_id: f.id, from_step: 'office-validation' });
    expect(rows).to.have.length(1);
    expect(await t.knex('mobility_file_steps').where({ file_id: f.id, step_key: 'course-selection' })).to.have.length(1);
    // a stale version alone is a conflict too
    const stale = await rejection(store.transition(who.student!, f.id, { stepKey: 'course-selection', action: 'validate' }, at.version));
    expect(stale.code).to.equal(ErrorCodes.CONFLICT);
  });

  it('abandon ends the file; nothing more can happen to it', async () => {
    const f = await newFile();
    const r = await go('student', f.id, 'pre-registration', 'abandon');
    expect(r.file.status).to.equal('abandoned');
    expect(r.file.currentStep).to.equal(null);
    expect((await rejection(go('manager', f.id, 'pre-registration', 'validate'))).code).to.equal(ErrorCodes.CONFLICT);
  });

  it('publishing checks the process and makes a new version; files in progress keep theirs', async () => {
    // the student's document conditions are tested with the documents
    const steps = defaultSteps().map((s) => ({ ...s, requiredDocuments: [] }));
    const broken: StepSpec[] = steps.map((s) => (s.key === 'host-approval' ? { ...s, transitions: [{ action: 'validate', to: 'nowhere' }] } : s));
    const e = await rejection(store.publishProcess(who.manager!, null, broken));
    expect(e.message).to.contain('"validate" goes to "nowhere", which is not a step of this process');
    expect((await rejection(store.publishProcess(who.manager!, null, []))).message).to.contain('at least one step');
    const dup = await rejection(store.publishProcess(who.manager!, null, [...steps, steps[1]!]));
    expect(dup.message).to.contain('step key "office-validation" is used twice');
    const island: StepSpec = { key: 'island', label: { fr: 'Île', en: 'Island' }, owner: 'manager', transitions: [], terminalStatus: 'completed' };
    expect((await rejection(store.publishProcess(who.manager!, null, [...steps, island]))).message).to.contain('step "island" cannot be reached');
    expect((await store.activeProcess(inst, 'first-semester'))!.version).to.equal(1);

    const old = await newFile();
    // version 2: the office step is skipped, the student goes straight to course selection
    const v2 = steps.filter((s) => s.key !== 'office-validation').map((s) => ({
      ...s, transitions: s.transitions.map((x) => ({ ...x, to: x.to === 'office-validation' ? 'course-selection' : x.to })),
    }));
    const p2 = await store.publishProcess(who.manager!, null, v2);
    expect(p2.version).to.equal(2);
    const fresh = await newFile();
    expect(fresh.processId).to.equal(p2.id);
    expect(old.processId).to.not.equal(p2.id);
    expect((await go('student', old.id, 'pre-registration', 'validate')).file.currentStep).to.equal('office-validation');
    expect((await go('student', fresh.id, 'pre-registration', 'validate')).file.currentStep).to.equal('course-selection');

    // a process of its own for one exchange type
    const p3 = await store.publishProcess(who.manager!, 'erasmus-mundus', steps.slice(0, 1).map((s) => ({ ...s, transitions: [{ action: 'validate', to: null }] })));
    expect(p3.version).to.equal(1);
    const em = await newFile({ exchangeType: 'erasmus-mundus' });
    expect(em.processId).to.equal(p3.id);
    expect((await go('student', em.id, 'pre-registration', 'validate')).file.status).to.equal('completed');
    expect((await newFile()).processId).to.equal(p2.id);
  });

  it('history gives the time spent in each step', async () => {
    const f = await newFile();
    await t.knex('mobility_file_steps').where({ file_id: f.id }).update({ entered_at: t.knex.raw(`now() - interval '3 days'`) });
    await go('student', f.id, 'pre-registration', 'validate');
    const h = await store.history(inst, f.id);
    const first = h.visits.find((v) => v.stepKey === 'pre-registration')!;
    expect(first.durationMs).to.be.greaterThan(3 * 86_400_000 - 60_000);
    expect(h.timePerStep['pre-registration']).to.equal(first.durationMs);
    // the default process is at version 2 now: no office step
    expect(h.visits.find((v) => v.stepKey === 'course-selection')!.leftAt).to.equal(null);
  });
});
