/**
 * The optional second factor: set up from the account page (QR code and the key as text), then
 * asked after the password; a code works once; some roles must set it up before anything else.
 */
import { expect } from 'chai';
import { coreServices } from '@smile/sdk';
import type { TestPlatform } from '@smile/sdk/testing';
import { currentCode } from '../src/totp.js';
import { auditRows, boot, Browser, createGuest, flashOf, GOOD_PASSWORD, mainText, SmtpSink } from './support.js';

/** The key shown on the set-up page, as a person would copy it into an app. */
const keyOf = (html: string) => (/<code class="secret"[^>]*>([^<]+)<\/code>/.exec(html)?.[1] ?? '').replace(/\s+/g, '');
/** A code of the step before or after: valid (clock drift), and not the current one. */
const codeAt = (secret: string, steps: number) => currentCode(secret, Date.now() + steps * 30_000);

describe('auth-local: two-step sign-in (TOTP)', function () {
  this.timeout(60_000);
  const sink = new SmtpSink();
  let t: TestPlatform;
  let manager: Browser;

  before(async () => {
    await sink.start();
    // "trainee" stands for a role that requires TOTP, in the last test
    t = await boot(sink, { ipMaxFailures: 10_000, totpRequiredRoles: ['admin', 'techadmin', 'trainee'] });
    manager = await Browser.of(t, await t.signIn(['manager']));
  });
  after(async () => {
    await t?.stop();
    await sink.stop();
  });

  let secret = '';

  it('enables TOTP from the account page after a confirming code', async () => {
    const { guest } = await createGuest(t, sink, manager, 'totp@partner.example', { name: 'Tess' });
    const account = await guest.get('/local/account');
    expect(mainText(account.text)).to.contain('Off. Turn it on');
    const setup = await guest.get('/local/totp/setup');
    expect(setup.status).to.equal(200);
    expect(setup.text).to.match(/<svg role="img" aria-label="QR code to scan with your authenticator app"/);
    secret = keyOf(setup.text);
    expect(secret).to.match(/^[A-Z2-7]{32}$/);
    expect(mainText(setup.text)).to.contain('Account: totp@partner.example');
    expect(keyOf((await guest.get('/local/totp/setup')).text), 'a reload shows the same key').to.equal(secret);

    const wrong = await guest.post('/local/totp/setup', { code: '000000' === currentCode(secret) ? '111111' : '000000' });
    expect(wrong.status).to.equal(422);
    expect(mainText(wrong.text)).to.contain('This code is not right');
    const ok = await guest.post('/local/totp/setup', { code: codeAt(secret, -1) });
    expect(flashOf(ok.text)).to.equal('Two-step sign-in is on. From now on, you will enter a code after your password.');
    expect(mainText(ok.text)).to.contain('On since');
    const row = await t.knex('auth_local_accounts').where({ email: 'totp@partner.example' }).first();
    expect(row.totp_secret).to.equal(secret);
    expect(await auditRows(t, 'auth-local.totp.enabled')).to.have.length(1);
    for (const r of await auditRows(t)) expect(JSON.stringify(r), 'the secret is never audited').not.to.contain(secret);
  });

  it('asks for the code after the password, and refuses a wrong one', async () => {
    const b = new Browser(t);
    const step = await b.signIn('totp@partner.example', GOOD_PASSWORD);
    expect(step.status).to.equal(200);
    expect(mainText(step.text)).to.contain('Enter your verification code');
    expect(step.text).not.to.contain('Signed in:');
    expect((await b.get('/local/account')).text, 'not signed in before the code').not.to.contain('Signed in:');

    await b.get('/local/sign-in/code');
    const wrong = await b.post('/local/sign-in/code', { code: '123456' === currentCode(secret) ? '654321' : '123456' });
    expect(wrong.status).to.equal(401);
    expect(mainText(wrong.text)).to.contain('This code is not right');
    const failed = (await auditRows(t, 'core.sign-in.failed')).at(-1);
    expect(failed.detail).to.include({ reason: 'bad-totp', provider: 'auth-local' });

    const ok = await b.post('/local/sign-in/code', { code: currentCode(secret) });
    expect(flashOf(ok.text)).to.equal('You are signed in.');
    expect(ok.text).to.contain('Signed in: Tess');
  });

  it('refuses a code used a second time', async () => {
    const code = codeAt(secret, 1);
    const first = new Browser(t);
    await first.signIn('totp@partner.example', GOOD_PASSWORD);
    expect(flashOf((await first.post('/local/sign-in/code', { code })).text)).to.equal('You are signed in.');

    const second = new Browser(t);
    await second.signIn('totp@partner.example', GOOD_PASSWORD);
    const replay = await second.post('/local/sign-in/code', { code });
    expect(replay.status).to.equal(401);
    expect(mainText(replay.text)).to.contain('This code was already used. Wait for the next code');
    expect((await auditRows(t, 'core.sign-in.failed')).at(-1).detail).to.include({ reason: 'bad-totp', replayed: true });
  });

  it('does not accept a code without the password step', async () => {
    const b = new Browser(t);
    await b.get('/local/sign-in');
    const res = await b.post('/local/sign-in/code', { code: currentCode(secret) });
    expect(res.text).not.to.contain('Signed in:');
    expect(flashOf(res.text)).to.contain('Your sign-in took too long');
  });

  it('disables TOTP with a code only', async () => {
    // another account: the first one has used every code of the current window
    const { guest } = await createGuest(t, sink, manager, 'totp2@partner.example', { name: 'Toni' });
    const key = keyOf((await guest.get('/local/totp/setup')).text);
    await guest.post('/local/totp/setup', { code: codeAt(key, -1) });
    const b = new Browser(t);
    await b.signIn('totp2@partner.example', GOOD_PASSWORD);
    expect(flashOf((await b.post('/local/sign-in/code', { code: currentCode(key) })).text)).to.equal('You are signed in.');
    const none = await b.post('/local/totp/disable', { code: '' });
    expect(none.status).to.equal(422);
    expect(mainText(none.text)).to.contain('Enter the 6-digit code.');
    const off = await b.post('/local/totp/disable', { code: codeAt(key, 1) });
    expect(flashOf(off.text)).to.equal('Two-step sign-in is off.');
    expect(await auditRows(t, 'auth-local.totp.disabled')).to.have.length(1);
    const direct = await new Browser(t).signIn('totp2@partner.example', GOOD_PASSWORD);
    expect(flashOf(direct.text)).to.equal('You are signed in.');
  });

  it('sends a holder of a role that requires TOTP to set it up before anything else', async () => {
    await t.resolve(coreServices.roles).updateRole({ institutionId: t.institution.id, label: 'test' }, 'trainee', { externalAccess: true });
    const { guest, page } = await createGuest(t, sink, manager, 'strict@partner.example', { name: 'Strict', roles: 'trainee' });
    expect(mainText(page.text)).to.contain('Set up two-step sign-in');
    expect(flashOf(page.text)).to.contain('Your access requires two-step sign-in');
    expect(page.text, 'no session yet').not.to.contain('Signed in:');
    expect((await guest.get('/')).text).not.to.contain('Signed in:');

    const setup = await guest.get('/local/totp/setup');
    const key = keyOf(setup.text);
    const done = await guest.post('/local/totp/setup', { code: currentCode(key) });
    expect(flashOf(done.text)).to.equal('Two-step sign-in is on, and you are signed in.');
    expect(done.text).to.contain('Signed in: Strict');
    const account = await guest.get('/local/account');
    expect(mainText(account.text)).to.contain('Your access requires two-step sign-in: it cannot be turned off.');
    expect(account.text).not.to.contain('action="/local/totp/disable"');

    // later sign-ins ask for the code
    const b = new Browser(t);
    expect(mainText((await b.signIn('strict@partner.example', GOOD_PASSWORD)).text)).to.contain('Enter your verification code');
  });
});
