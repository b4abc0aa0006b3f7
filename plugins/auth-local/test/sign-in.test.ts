/**
 * Sign-in with email and password: the answer for an unknown address is the wrong-password answer,
 * five failures lock the account (even against the right password), lockouts and failures are
 * audited, a reset by email unlocks and ends every session, and one network cannot try forever.
 */
import { createHash } from 'node:crypto';
import { expect } from 'chai';
import { coreServices } from '@smile/sdk';
import type { TestPlatform } from '@smile/sdk/testing';
import { hashPassword } from '../src/passwords.js';
import { auditRows, boot, Browser, createGuest, flashOf, GOOD_PASSWORD, linkIn, mainText, SmtpSink } from './support.js';

const WRONG = 'The email address or the password is not right. Check them and try again.';

describe('auth-local: sign-in, lockout and reset', function () {
  this.timeout(60_000);
  const sink = new SmtpSink();
  let t: TestPlatform;
  let manager: Browser;

  before(async () => {
    await sink.start();
    t = await boot(sink, { ipMaxFailures: 10_000 });
    manager = await Browser.of(t, await t.signIn(['manager']));
  });
  after(async () => {
    await t?.stop();
    await sink.stop();
  });

  const errorOf = (html: string) => mainText(/<div class="card error-summary"[\s\S]*?<\/div>/.exec(html)?.[0] ?? '');

  it('signs in with the right password, and out', async () => {
    await createGuest(t, sink, manager, 'marco@partner.example', { name: 'Marco Bianchi' });
    const b = new Browser(t);
    const res = await b.signIn('Marco@Partner.example', GOOD_PASSWORD);
    expect(res.status).to.equal(200);
    expect(flashOf(res.text)).to.equal('You are signed in.');
    expect(res.text).to.contain('Signed in: Marco Bianchi');
    const ok = await auditRows(t, 'core.sign-in.succeeded');
    expect(ok.at(-1).detail).to.include({ provider: 'auth-local', issuer: `local:${t.institution.code}` });
    await b.post('/sign-out', {});
    expect((await b.get('/')).text).not.to.contain('Signed in: Marco Bianchi');
  });

  it('re-hashes a password stored with weaker parameters at the next sign-in', async () => {
    await createGuest(t, sink, manager, 'old-hash@partner.example');
    const weaker = await hashPassword(GOOD_PASSWORD, { N: 512, r: 8, p: 1 });
    await t.knex('auth_local_accounts').where({ email: 'old-hash@partner.example' }).update({ password_hash: weaker });
    const changedAt = (await t.knex('auth_local_accounts').where({ email: 'old-hash@partner.example' }).first()).password_changed_at;
    expect(flashOf((await new Browser(t).signIn('old-hash@partner.example', GOOD_PASSWORD)).text)).to.equal('You are signed in.');
    const row = await t.knex('auth_local_accounts').where({ email: 'old-hash@partner.example' }).first();
    expect(row.password_hash).to.match(/^scrypt\$N=1024,r=8,p=1\$/);
    expect(row.password_changed_at, 'not a password change').to.deep.equal(changedAt);
    expect(flashOf((await new Browser(t).signIn('old-hash@partner.example', GOOD_PASSWORD)).text)).to.equal('You are signed in.');
  });

  it('gives an unknown address the same answer as a wrong password', async () => {
    await createGuest(t, sink, manager, 'same@partner.example');
    const b = new Browser(t);
    await b.get('/local/sign-in');
    const wrong = await b.post('/local/sign-in', { email: 'same@partner.example', password: 'not the password at all' });
    const unknown = await b.post('/local/sign-in', { email: 'nobody@partner.example', password: 'not the password at all' });
    expect(wrong.status).to.equal(401);
    expect(unknown.status).to.equal(wrong.status);
    expect(errorOf(wrong.text)).to.equal(`There is a problem ${WRONG}`);
    expect(errorOf(unknown.text)).to.equal(errorOf(wrong.text));
    const normalise = (html: string) => mainText(html).replace(/(same|nobody)@partner\.example/g, 'X');
    expect(normalise(unknown.text), 'the whole page reads the same').to.equal(normalise(wrong.text));
    const failed = (await auditRows(t, 'core.sign-in.failed')).slice(-2).map((r) => r.detail.reason);
    expect(failed).to.deep.equal(['bad-password', 'unknown-account']);
  });

  it('locks an account after 5 failures, refuses even the right password then, and audits it', async () => {
    await createGuest(t, sink, manager, 'locked@partner.example');
    const b = new Browser(t);
    await b.get('/local/sign-in');
    for (let i = 1; i <= 4; i++) {
      const res = await b.post('/local/sign-in', { email: 'locked@partner.example', password: `wrong guess number ${i}` });
      expect(res.status, `attempt ${i}`).to.equal(401);
      expect(errorOf(res.text)).to.contain(WRONG);
    }
    const fifth = await b.post('/local/sign-in', { email: 'locked@partner.example', password: 'wrong guess number 5' });
    expect(fifth.status).to.equal(429);
    expect(errorOf(fifth.text)).to.match(/Too many failed attempts: sign-in to this account is blocked until .+ \(Paris time\), in about 15 min\./);
    expect(Number(fifth.headers.get('retry-after'))).to.be.within(14 * 60, 15 * 60);

    const right = await b.post('/local/sign-in', { email: 'locked@partner.example', password: GOOD_PASSWORD });
    expect(right.status).to.equal(429);
    expect(errorOf(right.text)).to.contain('Too many failed attempts');
    expect(right.text).not.to.contain('Signed in:');

    const account = await t.knex('auth_local_accounts').where({ email: 'locked@partner.example' }).first();
    const failed = (await auditRows(t, 'core.sign-in.failed')).filter((r) => r.target_id === String(account.id)).map((r) => r.detail.reason);
    expect(failed).to.deep.equal(['bad-password', 'bad-password', 'bad-password', 'bad-password', 'bad-password', 'locked']);
    const [lockout] = await auditRows(t, 'auth-local.account.locked');
    expect(lockout).to.include({ outcome: 'failure', target_id: String(account.id) });
    expect(lockout.detail).to.include({ email: 'locked@partner.example', minutes: 15 });
    for (const r of await auditRows(t)) expect(JSON.stringify(r)).not.to.contain('wrong guess').and.not.contain(GOOD_PASSWORD);

    // the manager sees the lock and lifts it
    const list = await manager.get('/local/invitations');
    expect(mainText(list.text)).to.match(/locked@partner\.example .*locked until/);
    const unlocked = await manager.post(`/local/accounts/${account.id}/unlock`, {});
    expect(flashOf(unlocked.text)).to.equal('The account of locked@partner.example is unlocked.');
    const again = await b.post('/local/sign-in', { email: 'locked@partner.example', password: GOOD_PASSWORD });
    expect(flashOf(again.text)).to.equal('You are signed in.');
  });

  it('locks an unknown address the same way, so a lockout tells nothing', async () => {
    const b = new Browser(t);
    await b.get('/local/sign-in');
    let last;
    for (let i = 1; i <= 5; i++) last = await b.post('/local/sign-in', { email: 'ghost@partner.example', password: `guess ${i} for a ghost` });
    expect(last!.status).to.equal(429);
    expect(errorOf(last!.text)).to.contain('Too many failed attempts');
    const rows = (await auditRows(t, 'auth-local.account.locked')).filter((r) => r.detail.email === 'ghost@partner.example');
    expect(rows).to.have.length(1);
  });

  it('makes each further lockout longer', async () => {
    await createGuest(t, sink, manager, 'twice-locked@partner.example');
    const b = new Browser(t);
    await b.get('/local/sign-in');
    const fail5 = async () => {
      let res;
      for (let i = 0; i < 5; i++) res = await b.post('/local/sign-in', { email: 'twice-locked@partner.example', password: `nope nope nope ${i}` });
      return res!;
    };
    await fail5();
    // the first lockout is over (its key expires)
    const hash = createHash('sha256').update('twice-locked@partner.example').digest('hex').slice(0, 32);
    await t.resolve(coreServices.kv).delete(`auth-local:${t.institution.id}:lock:${hash}`);
    const second = await fail5();
    expect(second.status).to.equal(429);
    const minutes = (await auditRows(t, 'auth-local.account.locked')).filter((r) => r.detail.email === 'twice-locked@partner.example').map((r) => r.detail.minutes);
    expect(minutes).to.deep.equal([15, 30]);
  });

  it('resets a forgotten password by email: same answer for any address, single-use link, sessions ended', async () => {
    const { guest } = await createGuest(t, sink, manager, 'forgot@partner.example', { name: 'Forgetful' });
    const other = new Browser(t);
    await other.signIn('forgot@partner.example', GOOD_PASSWORD);
    expect((await other.get('/')).text).to.contain('Signed in: Forgetful');

    const b = new Browser(t);
    await b.get('/local/forgot');
    const known = await b.post('/local/forgot', { email: 'forgot@partner.example' });
    const unknown = await b.post('/local/forgot', { email: 'nobody-here@partner.example' });
    expect(known.status).to.equal(unknown.status);
    expect(flashOf(known.text).replace('forgot@', 'X@')).to.equal(flashOf(unknown.text).replace('nobody-here@', 'X@'));
    expect(flashOf(known.text)).to.contain('If a guest account exists for forgot@partner.example');
    await t.drainJobs();
    expect(sink.to('nobody-here@partner.example')).to.have.length(0);
    const mail = sink.last('forgot@partner.example');
    expect(mail.subject).to.equal(`A new password for your guest account at ${t.institution.nameEn}`);
    const link = linkIn(mail, 'reset');

    const page = await b.get(link);
    expect(page.status).to.equal(200);
    expect(page.headers.get('referrer-policy')).to.equal('no-referrer');
    const token = /name="token" value="([^"]+)"/.exec(page.text)![1]!;
    const weak = await b.post('/local/reset', { token, password: 'password1234', confirm: 'password1234' });
    expect(weak.status).to.equal(422);
    expect(mainText(weak.text)).to.contain('This password is too common');
    const done = await b.post('/local/reset', { token, password: 'a brand new passphrase', confirm: 'a brand new passphrase' });
    expect(flashOf(done.text)).to.equal('Your password is changed, and your account is signed out everywhere. Sign in with your new password.');

    expect((await other.get('/')).text, 'the other session was ended').not.to.contain('Signed in: Forgetful');
    expect((await guest.get('/')).text).not.to.contain('Signed in: Forgetful');
    const reused = await new Browser(t).get(link);
    expect(reused.status).to.equal(410);
    expect(mainText(reused.text)).to.contain('This link is not valid any more');

    expect(errorOf((await b.signIn('forgot@partner.example', GOOD_PASSWORD)).text)).to.contain(WRONG);
    expect(flashOf((await b.signIn('forgot@partner.example', 'a brand new passphrase')).text)).to.equal('You are signed in.');
    const reset = await auditRows(t, 'auth-local.password.reset');
    expect(reset.at(-1).detail).to.include({ email: 'forgot@partner.example' });
    expect(reset.at(-1).detail.sessionsEnded).to.be.at.least(2);
    expect((await auditRows(t, 'auth-local.password.reset-requested')).map((r) => r.detail.known)).to.include.members([true, false]);
  });

  it('lets a signed-in guest change the password, ending the other sessions', async () => {
    const { guest } = await createGuest(t, sink, manager, 'changer@partner.example', { name: 'Changer' });
    const other = new Browser(t);
    await other.signIn('changer@partner.example', GOOD_PASSWORD);
    const page = await guest.get('/local/account');
    expect(mainText(page.text)).to.contain('Change your password').and.contain('Two-step sign-in');
    const bad = await guest.post('/local/account/password', { current: 'not my password', password: 'another fine passphrase', confirm: 'another fine passphrase' });
    expect(bad.status).to.equal(422);
    expect(mainText(bad.text)).to.contain('Your current password is not right.');
    const ok = await guest.post('/local/account/password', { current: GOOD_PASSWORD, password: 'another fine passphrase', confirm: 'another fine passphrase' });
    expect(flashOf(ok.text)).to.equal('Your password is changed. Your other devices are signed out.');
    expect(ok.text, 'this device stays signed in').to.contain('Signed in: Changer');
    expect((await other.get('/')).text).not.to.contain('Signed in: Changer');
    expect(await auditRows(t, 'auth-local.password.changed')).to.have.length(1);
  });

  it('sends people signed in another way, and anonymous visitors, away from the account page', async () => {
    const anon = await new Browser(t).get('/local/account');
    expect(flashOf(anon.text)).to.equal('Sign in with your guest account to see this page.');
    const saml = await Browser.of(t, await t.signIn(['student']));
    const res = await saml.get('/local/account');
    expect(res.status).to.equal(404);
    expect(mainText(res.text)).to.contain('You signed in another way');
  });

  it('builds mail links on the configured base URL when the request host is not one of the institution’s', async () => {
    await new Browser(t).post('/local/forgot', { email: 'marco@partner.example' });
    await t.drainJobs();
    const text = sink.last('marco@partner.example').text;
    expect(text).to.match(/http:\/\/localhost:\d+\/local\/reset\?token=/);
  });
});

describe('auth-local: per-IP limit', function () {
  this.timeout(60_000);
  const sink = new SmtpSink();
  let t: TestPlatform;
  before(async () => {
    await sink.start();
    t = await boot(sink, { ipMaxFailures: 6 });
  });
  after(async () => {
    await t?.stop();
    await sink.stop();
  });

  it('refuses a network that keeps failing, whatever the address, and audits it once', async () => {
    const b = new Browser(t);
    await b.get('/local/sign-in');
    for (let i = 0; i < 6; i++) {
      const res = await b.post('/local/sign-in', { email: `user${i}@partner.example`, password: 'some wrong password' });
      expect(res.status).to.equal(401);
    }
    const blocked = await b.post('/local/sign-in', { email: 'user9@partner.example', password: 'some wrong password' });
    expect(blocked.status).to.equal(429);
    expect(mainText(blocked.text)).to.contain('Too many failed sign-ins from your network. Try again in 15 minutes.');
    expect(await auditRows(t, 'auth-local.ip.limited')).to.have.length(1);
  });
});
