import { expect } from 'chai';
import { coreServices } from '@smile/sdk';
import { startTestPlatform, TestClient, type TestPlatform } from '@smile/sdk/testing';
import { fixture } from './support.js';

/** The SDK's test client, with the probe plugin's sign-in. */
class Browser extends TestClient {
  async signIn(subject: string, attributes: Record<string, string[]>, name = subject) {
    const lines = Object.entries(attributes).flatMap(([k, vs]) => vs.map((v) => `${k}=${v}`)).join('\n');
    const res = await this.post('/probe/sign-in', { subject, name, attributes: lines });
    expect(res.status, res.text).to.equal(200);
    return res.json<{ personId: number; roles: string[]; created: boolean }>();
  }
  async whoami() {
    return (await this.get('/probe/whoami')).json<{ kind: string; personId: number | null; roles: string[]; validate: 'all' | string[]; canUfr1: boolean; canUfr2: boolean }>();
  }
}

const STUDENT_RULE = {
  name: 'Incoming students', role: 'student', enabled: true, scope: { kind: 'institution' as const },
  conditions: [
    { attribute: 'eduPersonAffiliation', op: 'contains' as const, value: 'student' },
    { attribute: 'schacHomeOrganization', op: 'not-equals' as const, value: '{institution.schacCode}' },
  ],
};
const REFERENT_RULE = {
  name: 'Referents of their UFR', role: 'referent', enabled: true, scope: { kind: 'attribute' as const, attribute: 'supannEntiteAffectation' },
  conditions: [{ attribute: 'eduPersonAffiliation', op: 'contains' as const, value: 'faculty' }],
};

describe('people, roles and privileges', function () {
  this.timeout(60_000);
  let t: TestPlatform;
  const actor = () => ({ institutionId: t.institution.id, label: 'test admin' });
  const roles = () => t.resolve(coreServices.roles);

  before(async () => {
    t = await startTestPlatform({ plugins: ['signin-probe', 'base'], pluginPaths: [fixture('signin-probe')] });
    await t.knex('institutions').where({ id: t.institution.id }).update({ schac_code: 'univ-host.fr' });
    t.platform.institutions.invalidate();
    for (const code of ['UFR1', 'UFR2']) await roles().saveComponent(actor(), { code, name: { fr: code, en: code } });
    await roles().saveRule(actor(), STUDENT_RULE);
    await roles().saveRule(actor(), REFERENT_RULE);
  });
  after(() => t?.stop());

  it('seeds the ten roles with their hierarchy; privileges go to their default roles and are inherited', async () => {
    const list = await roles().list(t.institution.id);
    expect(list.map((r) => `${r.key}<${r.parent ?? '-'}`)).to.deep.equal([
      'guest<-', 'standard<guest', 'student<standard', 'doctoral<student', 'trainee<student', 'referent<standard',
      'manager<standard', 'supermanager<manager', 'admin<supermanager', 'techadmin<standard',
    ]);
    expect(list.find((r) => r.key === 'manager')!.name).to.deep.equal({ fr: 'Gestionnaire', en: 'Manager' });
    expect(list.find((r) => r.key === 'student')!.externalAccess).to.equal(true);
    expect(list.find((r) => r.key === 'manager')!.privileges).to.include('core:institution.read');
    // the functional admin inherits what managers hold, through the senior manager
    expect([...(await roles().effectivePrivileges(t.institution.id, 'admin'))]).to.include('core:institution.read');
    // a doctoral student inherits what is given to students
    await roles().setPrivilege(actor(), 'student', 'signin-probe:files.validate', true);
    expect([...(await roles().effectivePrivileges(t.institution.id, 'doctoral'))]).to.include('signin-probe:files.validate');
    expect([...(await roles().effectivePrivileges(t.institution.id, 'standard'))]).not.to.include('signin-probe:files.validate');
    await roles().setPrivilege(actor(), 'student', 'signin-probe:files.validate', false);
    expect([...(await roles().effectivePrivileges(t.institution.id, 'student'))]).not.to.include('core:institution.read');
  });

  it('keeps an admin’s revocation of a default privilege when the roles are synchronised again', async () => {
    await roles().setPrivilege(actor(), 'manager', 'core:institution.read', false);
    await t.platform.roles.sync(t.institution.id);
    expect((await roles().list(t.institution.id)).find((r) => r.key === 'manager')!.privileges).not.to.include('core:institution.read');
    await roles().setPrivilege(actor(), 'manager', 'core:institution.read', true);
  });

  it('refuses an unknown privilege and a parent that would make a cycle, changing nothing', async () => {
    let err: any;
    await roles().setPrivilege(actor(), 'manager', 'mobility:nothing.do', true).catch((e) => (err = e));
    expect(err?.message).to.match(/unknown privilege "mobility:nothing.do"/);
    err = undefined;
    await roles().updateRole(actor(), 'manager', { parent: 'admin' }).catch((e) => (err = e));
    expect(err?.message).to.match(/"admin" inherits from "manager"/);
    expect((await roles().list(t.institution.id)).find((r) => r.key === 'manager')!.parent).to.equal('standard');
  });

  it('gives roles by rules at sign-in: an incoming student gets Étudiant, a home student nothing', async () => {
    const b = new Browser(t);
    const r = await b.signIn('sofia@unibo.it', { eduPersonAffiliation: ['student', 'member'], schacHomeOrganization: ['unibo.it'] }, 'Sofia Rossi');
    expect(r.roles).to.deep.equal(['student']);
    expect(r.created).to.equal(true);
    const who = await b.whoami();
    expect(who).to.include({ kind: 'user', personId: r.personId });
    expect(who.roles).to.deep.equal(['student']);
    const account = await b.get('/account');
    expect(account.text).to.contain('Sofia Rossi').and.to.contain('Student').and.to.contain('given automatically at sign-in');

    const home = new Browser(t);
    const h = await home.signIn('paul@univ-host.fr', { eduPersonAffiliation: ['student'], schacHomeOrganization: ['UNIV-HOST.FR'] });
    expect(h.roles).to.deep.equal([]);
  });

  it('scopes a role to the components named by an attribute; permission checks honour the scope', async () => {
    const b = new Browser(t);
    const r = await b.signIn('jean@univ-host.fr', { eduPersonAffiliation: ['faculty'], supannEntiteAffectation: ['UFR1', 'LAB-UNKNOWN'] });
    expect(r.roles).to.deep.equal(['referent']);
    const who = await b.whoami();
    expect(who.validate).to.deep.equal(['UFR1']);
    expect(who.canUfr1).to.equal(true);
    expect(who.canUfr2).to.equal(false);
    const [a] = await roles().assignments(t.institution.id, r.personId);
    expect(a).to.include({ role: 'referent', source: 'rule' });
    expect(a!.components).to.deep.equal(['UFR1']);
  });

  it('recomputes rule roles at each sign-in and leaves manual ones alone', async () => {
    const b = new Browser(t);
    const first = await b.signIn('marc@unibo.it', { eduPersonAffiliation: ['student'], schacHomeOrganization: ['unibo.it'] });
    await roles().assign(actor(), first.personId, 'referent', ['UFR2']);
    const again = await new Browser(t).signIn('marc@unibo.it', { eduPersonAffiliation: ['staff'], schacHomeOrganization: ['unibo.it'] });
    expect(again.personId).to.equal(first.personId);
    expect(again.created).to.equal(false);
    expect(again.roles).to.deep.equal(['referent']);
    const audit = await t.knex('audit_log').where({ action: 'core.sign-in.succeeded', target_id: String(first.personId) }).orderBy('id');
    expect(audit.at(-1).detail.rolesRemoved).to.deep.equal(['student']);
  });

  it('a role given or taken back while the person is signed in counts from their next request', async () => {
    const b = new Browser(t);
    const { personId } = await b.signIn('ines@unibo.it', { eduPersonAffiliation: ['student'], schacHomeOrganization: ['unibo.it'] });
    expect((await b.whoami()).roles).to.deep.equal(['student']);
    expect((await b.whoami()).canUfr1, 'asked twice: the second answer may come from memory').to.equal(false);
    const given = await roles().assign(actor(), personId, 'referent', ['UFR1']);
    let who = await b.whoami();
    expect(who.roles).to.have.members(['student', 'referent']);
    expect(who.canUfr1).to.equal(true);
    await roles().unassign(actor(), given.id);
    who = await b.whoami();
    expect(who.roles).to.deep.equal(['student']);
    expect(who.canUfr1).to.equal(false);
    // given inside a caller's transaction (a request now would wait for it on the embedded database): seen once committed
    await t.knex.transaction(async (trx) => {
      await roles().assign(actor(), personId, 'referent', ['UFR1'], { trx });
    });
    expect((await b.whoami()).canUfr1).to.equal(true);
  });

  it('a wide role covers every component: institution-wide beats a scoped assignment of the same privilege', async () => {
    const s = await t.signIn([{ role: 'referent', components: ['UFR2'] }, 'referent']);
    const who = await new Browser(t, { session: s }).whoami();
    expect(who.validate).to.equal('all');
    expect(who.canUfr1).to.equal(true);
  });

  it('one person across institutions, with roles kept apart', async () => {
    const other = await t.createInstitution({ code: 'other', hostNames: ['other.test'] });
    await t.knex('institutions').where({ id: t.institution.id }).update({ host_names: ['host.test'] });
    t.platform.institutions.invalidate();
    try {
      const here = await new Browser(t, { headers: { host: 'host.test' } }).signIn('eva@uni-wien.at', { eduPersonAffiliation: ['student'], schacHomeOrganization: ['univie.ac.at'] });
      const there = new Browser(t, { headers: { host: 'other.test' } });
      const r = await there.signIn('eva@uni-wien.at', { eduPersonAffiliation: ['student'], schacHomeOrganization: ['univie.ac.at'] });
      expect(r.personId).to.equal(here.personId);
      // the other institution has no rules: same person, no role there
      expect(r.roles).to.deep.equal([]);
      expect((await roles().list(other.id)).map((x) => x.key)).to.include('student');
    } finally {
      await t.knex('institutions').where({ id: t.institution.id }).update({ host_names: [] });
      t.platform.institutions.invalidate();
    }
  });

  it('refuses invalid rules with the reason, saving nothing', async () => {
    const before = (await roles().rules(t.institution.id)).length;
    const attempts = [
      { ...STUDENT_RULE, role: 'wizard' },
      { ...STUDENT_RULE, conditions: [{ attribute: 'mail', op: 'matches' as const, value: '([' }] },
      { ...STUDENT_RULE, conditions: [] },
      { ...STUDENT_RULE, scope: { kind: 'components' as const, components: ['NOPE'] } },
    ];
    const messages: string[] = [];
    for (const a of attempts) await roles().saveRule(actor(), a).then(() => messages.push('saved'), (e) => messages.push(e.message));
    expect(messages[0]).to.match(/unknown role "wizard"/);
    expect(messages[1]).to.match(/bad-regex/);
    expect(messages[2]).to.match(/no-condition/);
    expect(messages[3]).to.match(/unknown component\(s\): NOPE/);
    expect((await roles().rules(t.institution.id)).length).to.equal(before);
  });

  it('previews what rules give without changing anything', async () => {
    const count = await t.knex('role_assignments').count({ n: '*' }).first();
    const preview = await roles().previewRules(t.institution.id, { eduPersonAffiliation: ['faculty', 'student'], supannEntiteAffectation: ['UFR2'], schacHomeOrganization: ['x.org'] });
    expect(preview.map((p) => `${p.role}:${p.components.join(',')}:${p.ruleName}`)).to.deep.equal(['student::Incoming students', 'referent:UFR2:Referents of their UFR']);
    expect(await t.knex('role_assignments').count({ n: '*' }).first()).to.deep.equal(count);
  });

  it('rotates the session id at sign-in and signs out everywhere', async () => {
    const a = new Browser(t);
    await a.get('/');
    await a.post('/probe/sign-in', { subject: 'lea@unibo.it', attributes: 'eduPersonAffiliation=student\nschacHomeOrganization=unibo.it' });
    const firstSid = a.jar.get('smile_sid');
    expect(firstSid).to.be.a('string');
    await a.signIn('lea@unibo.it', { eduPersonAffiliation: ['student'], schacHomeOrganization: ['unibo.it'] });
    expect(a.jar.get('smile_sid')).not.to.equal(firstSid);
    const b = new Browser(t);
    await b.signIn('lea@unibo.it', { eduPersonAffiliation: ['student'], schacHomeOrganization: ['unibo.it'] });
    expect((await b.whoami()).kind).to.equal('user');
    const res = await a.post('/account/sign-out-everywhere');
    expect(res.status).to.equal(302);
    expect((await b.whoami()).kind).to.equal('anonymous');
    expect((await a.whoami()).kind).to.equal('anonymous');
    const audit = await t.knex('audit_log').where({ action: 'core.sign-out.everywhere' }).first();
    expect(audit.detail.sessions).to.equal(2);
  });

  it('keeps the audit log append-only: the database refuses updates and deletes', async () => {
    const n = Number((await t.knex('audit_log').count({ n: '*' }).first())!.n);
    expect(n).to.be.greaterThan(5);
    let err: any;
    await t.knex('audit_log').update({ actor_label: 'someone else' }).catch((e) => (err = e));
    expect(String(err?.message)).to.match(/append-only/);
    err = undefined;
    await t.knex('audit_log').del().catch((e) => (err = e));
    expect(String(err?.message)).to.match(/append-only/);
    expect(Number((await t.knex('audit_log').count({ n: '*' }).first())!.n)).to.equal(n);
    const grant = await t.knex('audit_log').where({ action: 'core.role.privilege-granted', target_id: 'manager' }).first();
    expect(grant.before).to.deep.equal({ privilege: 'core:institution.read', granted: false });
    expect(grant.after).to.deep.equal({ privilege: 'core:institution.read', granted: true });
  });

  it('the account page asks anonymous visitors to sign in', async () => {
    const res = await t.get('/account', { 'accept-language': 'en' });
    expect(res.status).to.equal(401);
    expect(res.text).to.contain('Sign in to see your account.');
  });
});

describe('shared key-value store', () => {
  let t: TestPlatform;
  before(async () => {
    t = await startTestPlatform({ plugins: ['base'] });
  });
  after(() => t?.stop());

  it('lets one caller win setIfAbsent and take, counts with expiry', async () => {
    const kv = t.resolve(coreServices.kv);
    expect(await kv.setIfAbsent('replay:abc', '1', 60_000)).to.equal(true);
    expect(await kv.setIfAbsent('replay:abc', '2', 60_000)).to.equal(false);
    expect(await kv.get('replay:abc')).to.equal('1');
    expect(await kv.take('replay:abc')).to.equal('1');
    expect(await kv.take('replay:abc')).to.equal(null);
    expect(await kv.increment('fails:x', 60_000)).to.equal(1);
    expect(await kv.increment('fails:x', 60_000)).to.equal(2);
    await kv.set('short', 'v', 1);
    await new Promise((r) => setTimeout(r, 20));
    expect(await kv.get('short')).to.equal(null);
    expect(await kv.setIfAbsent('short', 'w', 60_000)).to.equal(true);
  });
});
