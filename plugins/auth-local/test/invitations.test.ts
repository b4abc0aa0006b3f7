/**
 * Invitations, as a manager and a guest live them: the mail with its single-use link, the password
 * form and its rules, the account created with the invited role, and what is refused.
 */
import { expect } from 'chai';
import type { TestPlatform } from '@smile/sdk/testing';
import { auditRows, boot, Browser, createGuest, flashOf, GOOD_PASSWORD, linkIn, mainText, SmtpSink } from './support.js';

describe('auth-local: invitations', function () {
  this.timeout(60_000);
  const sink = new SmtpSink();
  let t: TestPlatform;
  let manager: Browser;

  before(async () => {
    await sink.start();
    t = await boot(sink, { ipMaxFailures: 10_000 });
    manager = await Browser.of(t, await t.signIn(['manager'], { displayName: 'Claire Martin' }));
  });
  after(async () => {
    await t?.stop();
    await sink.stop();
  });

  const tokenOf = (html: string) => /name="token" value="([^"]+)"/.exec(html)?.[1] ?? '';
  const accounts = () => t.knex('auth_local_accounts').where({ institution_id: t.institution.id });

  it('invites a guest: mail with a link, password chosen, signed in with the invited role', async () => {
    const form = await manager.get('/local/invitations');
    expect(form.status).to.equal(200);
    expect(mainText(form.text)).to.contain('Invite a guest');
    const sent = await manager.post('/local/invitations', { email: 'Ana.Silva@Partner.example ', displayName: 'Ana Silva', roles: 'referent' });
    expect(sent.status).to.equal(200);
    expect(flashOf(sent.text)).to.equal('Invitation sent to ana.silva@partner.example.');
    expect(mainText(sent.text)).to.contain('ana.silva@partner.example').and.contain('Pending until');

    await t.drainJobs();
    const mail = sink.last('ana.silva@partner.example');
    expect(mail.subject).to.contain('Votre compte invité').and.contain('Your guest account');
    expect(mail.text, 'written in French then English').to.match(/Bonjour Ana Silva[\s\S]*Hello Ana Silva/);
    expect(mail.text).to.contain('Claire Martin');
    const link = linkIn(mail, 'accept');
    const stored = await t.knex('auth_local_invitations').where({ email: 'ana.silva@partner.example' }).first();
    expect(stored.token_hash, 'only a hash of the token is stored').to.match(/^[0-9a-f]{64}$/);
    expect(JSON.stringify(stored)).not.to.contain(link.split('token=')[1]);

    const guest = new Browser(t, 'en');
    const page = await guest.get(link);
    expect(page.status).to.equal(200);
    expect(page.headers.get('referrer-policy')).to.equal('no-referrer');
    const text = mainText(page.text);
    expect(text).to.contain('Create your guest account').and.contain('at least 12 characters').and.contain('not be your email address');
    expect(page.text).to.contain('value="ana.silva@partner.example"');

    const done = await guest.post('/local/accept', { token: tokenOf(page.text), displayName: 'Ana Silva', password: GOOD_PASSWORD, confirm: GOOD_PASSWORD });
    expect(done.status).to.equal(200);
    expect(flashOf(done.text)).to.equal('Welcome, Ana Silva. Your account is ready and you are signed in.');
    expect(done.text).to.contain('Signed in: Ana Silva');
    expect(mainText(done.text)).to.contain('Your access').and.contain('Educational referent');

    const account = await accounts().where({ email: 'ana.silva@partner.example' }).first();
    expect(account.password_hash).to.match(/^scrypt\$N=1024,r=8,p=1\$/);
    expect(account.password_hash).not.to.contain(GOOD_PASSWORD);
    const identity = await t.knex('person_identities').where({ person_id: account.person_id }).first();
    expect(identity).to.include({ provider: 'auth-local', issuer: `local:${t.institution.code}`, subject: String(account.id) });
    const roles = await t.knex('role_assignments').join('roles', 'roles.id', 'role_assignments.role_id').where({ person_id: account.person_id }).pluck('roles.key');
    expect(roles).to.deep.equal(['referent']);

    const core = await guest.get('/account');
    expect(mainText(core.text), 'the core account page shows the role').to.contain('Educational referent');
    const list = await manager.get('/local/invitations');
    expect(mainText(list.text)).to.contain('Accepted on');
    const actions = (await auditRows(t)).map((r) => r.action);
    expect(actions).to.include.members(['auth-local.invitation.sent', 'auth-local.invitation.accepted', 'core.sign-in.succeeded']);
    for (const r of await auditRows(t)) expect(JSON.stringify(r), 'no secret in the audit log').not.to.contain(GOOD_PASSWORD).and.not.contain(link.split('token=')[1]);
  });

  it('refuses a link used twice', async () => {
    const { page } = await createGuest(t, sink, manager, 'twice@partner.example');
    expect(page.status).to.equal(200);
    const link = linkIn(sink.last('twice@partner.example'), 'accept');
    const again = await new Browser(t).get(link);
    expect(again.status).to.equal(410);
    expect(mainText(again.text)).to.contain('This invitation was already used');
    const other = new Browser(t);
    await other.get('/local/sign-in');
    const post = await other.post('/local/accept', { token: link.split('token=')[1]!, displayName: 'Someone', password: 'another long passphrase', confirm: 'another long passphrase' });
    expect(post.status).to.equal(410);
    expect(await accounts().where({ email: 'twice@partner.example' })).to.have.length(1);
  });

  it('refuses an expired link, and a made-up one', async () => {
    await manager.post('/local/invitations', { email: 'late@partner.example', roles: 'referent' });
    await t.drainJobs();
    await t.knex('auth_local_invitations').where({ email: 'late@partner.example' }).update({ expires_at: t.knex.raw("now() - interval '1 minute'") });
    const res = await new Browser(t).get(linkIn(sink.last('late@partner.example'), 'accept'));
    expect(res.status).to.equal(410);
    expect(mainText(res.text)).to.contain('This invitation has expired');
    expect(mainText((await manager.get('/local/invitations')).text)).to.contain('Expired on');
    const fake = await new Browser(t).get('/local/accept?token=' + 'A'.repeat(43));
    expect(fake.status).to.equal(404);
    expect(mainText(fake.text)).to.contain('This invitation link is not valid');
  });

  it('refuses a weak password with the reason, and creates nothing', async () => {
    await manager.post('/local/invitations', { email: 'weak@partner.example', roles: 'referent' });
    await t.drainJobs();
    const guest = new Browser(t);
    const page = await guest.get(linkIn(sink.last('weak@partner.example'), 'accept'));
    const persons = await t.knex('persons').count('* as n').first();
    const cases: Array<[string, string, string]> = [
      ['short pass', 'short pass', 'The password must have at least 12 characters.'],
      ['weak@partner.example', 'weak@partner.example', 'The password must not be your email address.'],
      ['Password2024!', 'Password2024!', 'This password is too common'],
      ['azertyuiop123', 'azertyuiop123', 'This password is too common'],
      [GOOD_PASSWORD, GOOD_PASSWORD + ' ', 'The two passwords are not the same.'],
    ];
    for (const [password, confirm, reason] of cases) {
      const res = await guest.post('/local/accept', { token: tokenOf(page.text), displayName: 'Weak', password, confirm });
      expect(res.status, password).to.equal(422);
      expect(mainText(res.text), password).to.contain(reason);
      expect(res.text, 'the password is never sent back').not.to.match(/name="(password|confirm)"[^>]*value=/);
    }
    const fr = new Browser(t, 'fr');
    const frPage = await fr.get(linkIn(sink.last('weak@partner.example'), 'accept'));
    const frRes = await fr.post('/local/accept', { token: tokenOf(frPage.text), displayName: 'Weak', password: 'court', confirm: 'court' });
    expect(mainText(frRes.text)).to.contain('Le mot de passe doit compter au moins 12 caractères.');
    expect(await accounts().where({ email: 'weak@partner.example' })).to.have.length(0);
    expect(await t.knex('persons').count('* as n').first()).to.deep.equal(persons);
    const inv = await t.knex('auth_local_invitations').where({ email: 'weak@partner.example' }).first();
    expect(inv.accepted_at).to.equal(null);
  });

  it('is for managers only: a student gets 403, an anonymous visitor 401', async () => {
    const student = await Browser.of(t, await t.signIn(['student']));
    expect((await student.get('/local/invitations')).status).to.equal(403);
    expect((await student.post('/local/invitations', { email: 'x@partner.example', roles: 'referent' })).status).to.equal(403);
    expect((await new Browser(t).get('/local/invitations')).status).to.equal(401);
    expect(mainText((await student.get('/')).text)).not.to.contain('Guest accounts');
    expect((await manager.get('/')).text).to.contain('href="/local/invitations"');
  });

  it('refuses a role that is not open to outsiders, and other bad input, sending nothing', async () => {
    const before = sink.received.length;
    const admin = await manager.post('/local/invitations', { email: 'boss@partner.example', roles: 'admin' });
    expect(admin.status, mainText(admin.text)).to.equal(422);
    expect(mainText(admin.text)).to.match(/These roles cannot be given to guests: (Functional )?[Aa]dmin/);
    const none = await manager.post('/local/invitations', { email: 'not-an-address', roles: [] as string[] });
    expect(none.status).to.equal(422);
    expect(mainText(none.text)).to.contain('Enter an email address in the right format').and.contain('Choose at least one access to give.');
    const taken = await manager.post('/local/invitations', { email: 'ana.silva@partner.example', roles: 'referent' });
    expect(mainText(taken.text)).to.contain('This address already has a guest account.');
    const form = await manager.get('/local/invitations');
    expect(form.text, 'only external roles are offered').to.contain('value="referent"').and.not.contain('value="admin"');
    await t.drainJobs();
    expect(sink.received.length).to.equal(before);
    expect(await t.knex('auth_local_invitations').where({ email: 'boss@partner.example' })).to.have.length(0);
  });

  it('gives several roles, limited to components', async () => {
    const roles = t.resolve((await import('@smile/sdk')).coreServices.roles);
    await roles.saveComponent({ institutionId: t.institution.id, label: 'test' }, { code: 'LAW', name: { fr: 'Droit', en: 'Law' } });
    const res = await manager.post('/local/invitations', { email: 'two@partner.example', roles: ['referent', 'guest'], components: ['LAW'] });
    expect(res.status).to.equal(200);
    const { page } = await createGuest(t, sink, manager, 'three@partner.example', { roles: ['referent', 'guest'] });
    expect(mainText(page.text)).to.contain('Educational referent').and.contain('Guest');
    await t.drainJobs();
    const guest = new Browser(t);
    const form = await guest.get(linkIn(sink.last('two@partner.example'), 'accept'));
    const done = await guest.post('/local/accept', { token: tokenOf(form.text), displayName: 'Two', password: GOOD_PASSWORD, confirm: GOOD_PASSWORD });
    expect(mainText(done.text)).to.contain('limited to: LAW');
  });

  it('resends with a new link (the old one stops working), and revokes', async () => {
    await manager.post('/local/invitations', { email: 'again@partner.example', roles: 'referent' });
    await t.drainJobs();
    const first = linkIn(sink.last('again@partner.example'), 'accept');
    const id = (await t.knex('auth_local_invitations').where({ email: 'again@partner.example' }).first()).id;
    const resent = await manager.post(`/local/invitations/${id}/resend`, {});
    expect(flashOf(resent.text)).to.contain('A new link was sent to again@partner.example');
    await t.drainJobs();
    const second = linkIn(sink.last('again@partner.example'), 'accept');
    expect(second).not.to.equal(first);
    expect((await new Browser(t).get(first)).status).to.equal(404);
    expect((await new Browser(t).get(second)).status).to.equal(200);

    const revoked = await manager.post(`/local/invitations/${id}/revoke`, {});
    expect(flashOf(revoked.text)).to.equal('The invitation of again@partner.example is revoked.');
    const res = await new Browser(t).get(second);
    expect(res.status).to.equal(410);
    expect(mainText(res.text)).to.contain('This invitation was cancelled');
    expect((await auditRows(t, 'auth-local.invitation.revoked')).map((r) => r.target_id)).to.include(String(id));
    expect((await manager.post('/local/invitations/999999/revoke', {})).status).to.equal(404);
  });

  it('keeps another institution’s invitations out of sight', async () => {
    const other = await t.createInstitution({ code: 'other', hostNames: ['other.test'] });
    const [row] = await t.knex('auth_local_invitations').insert({
      institution_id: other.id, email: 'elsewhere@partner.example', roles: ['referent'], token_hash: 'f'.repeat(64),
      expires_at: new Date(Date.now() + 86_400_000), invited_by_label: 'someone',
    }).returning('id');
    expect(mainText((await manager.get('/local/invitations')).text)).not.to.contain('elsewhere@partner.example');
    expect((await manager.post(`/local/invitations/${row.id}/revoke`, {})).status).to.equal(404);
  });
});
