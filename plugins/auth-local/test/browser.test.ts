// A guest in a real browser, on a 360 px phone, with the keyboard only: opens the invitation link,
// is told why a first password is refused, chooses a good one, lands signed in with the invited role,
// signs out, and signs in again. Every page is screenshot and audited with axe-core.
import { expect } from 'chai';
import type { Page } from 'playwright-core';
import type { TestPlatform } from '@smile/sdk/testing';
import * as harness from '@smile/sdk/testing/browser';
import { boot, Browser, GOOD_PASSWORD, linkIn, SmtpSink } from './support.js';

const PHONE = { width: 360, height: 740 };

describe('browser: a guest accepts an invitation and signs in, on a phone, with the keyboard', function () {
  this.timeout(60_000);
  const b = harness.useBrowser();
  const sink = new SmtpSink();
  let t: TestPlatform;
  let link = '';

  before(async function () {
    if (harness.skipBrowser()) return this.skip();
    await sink.start();
    t = await boot(sink);
    const manager = await Browser.of(t, await t.signIn(['manager'], { displayName: 'Claire Martin' }));
    await manager.post('/local/invitations', { email: 'ana.silva@partner.example', displayName: 'Ana Silva', roles: 'referent' });
    await t.drainJobs();
    link = linkIn(sink.last('ana.silva@partner.example'), 'accept');
  });
  after(async () => {
    await t?.stop();
    await sink.stop();
  });

  /** What has the focus: its id, name, and whether the focus ring shows. */
  const focused = (page: Page) =>
    page.evaluate(() => {
      const e = document.activeElement as HTMLElement | null;
      if (!e || e === document.body) return null;
      const cs = getComputedStyle(e);
      return { id: e.id, name: e.getAttribute('name'), tag: e.tagName.toLowerCase(), text: (e.textContent ?? '').trim(), visible: cs.outlineStyle !== 'none' && parseFloat(cs.outlineWidth) >= 2 };
    });
  /** Press Tab until `pred` holds for the focused element. */
  const tabTo = async (page: Page, pred: (f: NonNullable<Awaited<ReturnType<typeof focused>>>) => boolean, what: string, max = 40) => {
    for (let i = 0; i < max; i++) {
      await page.keyboard.press('Tab');
      const f = await focused(page);
      if (f && pred(f)) return f;
    }
    throw new Error(`${max} presses of Tab never reached ${what}`);
  };
  const field = (name: string) => (f: { name: string | null }) => f.name === name;
  /** Screenshot, check that nothing scrolls sideways at 360 px, and audit with axe. */
  const check = async (page: Page, name: string) => {
    await page.evaluate(() => new Promise((r) => requestAnimationFrame(() => requestAnimationFrame(r))));
    expect(await page.evaluate(() => document.documentElement.scrollWidth), `${name}: page width`).to.be.at.most(PHONE.width);
    await harness.screenshot(page, `auth-local-${name}`);
    await harness.expectNoSeriousA11yViolations(page, name);
  };
  const flash = async (page: Page) => ((await page.locator('.flash-region').textContent()) ?? '').replace(/\s+/g, ' ').trim();

  it('accepts the invitation, then signs out and in again', async () => {
    const page = await b.newPage({ ...PHONE, locale: 'en-GB' });
    try {
      await page.goto(t.url + link);
      expect(await page.locator('h1').textContent()).to.equal('Create your guest account');
      await check(page, 'accept');

      // a first password that is too short: the reasons are given, the focus goes to them
      const name = await tabTo(page, field('displayName'), 'the name field');
      expect(name.visible, 'the focus ring is visible').to.equal(true);
      expect(await page.locator('#f-displayName').inputValue()).to.equal('Ana Silva');
      await tabTo(page, field('password'), 'the password field');
      await page.keyboard.type('too short');
      await tabTo(page, field('confirm'), 'the confirmation field');
      await page.keyboard.type('too short');
      await page.keyboard.press('Enter');
      await page.waitForLoadState('load');
      await page.locator('#error-summary').waitFor();
      expect(await page.evaluate(() => document.activeElement?.id), 'the error summary has the focus').to.equal('error-summary');
      expect((await page.locator('#error-summary').textContent())!.replace(/\s+/g, ' ')).to.contain('The password must have at least 12 characters.');
      await check(page, 'accept-refused');

      // the summary's link leads to the field
      await page.keyboard.press('Tab');
      await page.keyboard.press('Enter');
      await tabTo(page, field('password'), 'the password field again');
      await page.keyboard.type(GOOD_PASSWORD);
      await tabTo(page, field('confirm'), 'the confirmation field again');
      await page.keyboard.type(GOOD_PASSWORD);
      await page.keyboard.press('Enter');
      await page.waitForURL(t.url + '/local/account');
      expect(await flash(page)).to.equal('Welcome, Ana Silva. Your account is ready and you are signed in.');
      expect(await page.locator('header.top').getByText('Signed in: Ana Silva').isVisible()).to.equal(true);
      expect((await page.locator('ul.roles').textContent())!.replace(/\s+/g, ' ')).to.contain('Educational referent');
      await check(page, 'account');

      // sign out with the keyboard
      await tabTo(page, (f) => f.tag === 'button' && f.text === 'Sign out', 'the sign-out button');
      await page.keyboard.press('Enter');
      await page.waitForURL(t.url + '/');
      expect(await flash(page)).to.equal('You are signed out.');

      // sign in again: the header link, then the form
      await tabTo(page, (f) => f.tag === 'a' && f.text === 'Sign in', 'the sign-in link');
      await page.keyboard.press('Enter');
      await page.waitForURL(t.url + '/local/sign-in');
      await check(page, 'sign-in');
      await tabTo(page, field('email'), 'the email field');
      await page.keyboard.type('ana.silva@partner.example');
      await tabTo(page, field('password'), 'the password field');
      await page.keyboard.type('not the right one');
      await page.keyboard.press('Enter');
      await page.waitForLoadState('load');
      await page.locator('#error-summary').waitFor();
      expect((await page.locator('#error-summary').textContent())!.replace(/\s+/g, ' ')).to.contain('The email address or the password is not right.');
      expect(await page.locator('#f-email').inputValue(), 'the address is kept').to.equal('ana.silva@partner.example');
      await check(page, 'sign-in-wrong');

      await tabTo(page, field('password'), 'the password field');
      await page.keyboard.type(GOOD_PASSWORD);
      await page.keyboard.press('Enter');
      await page.waitForURL(t.url + '/');
      expect(await flash(page)).to.equal('You are signed in.');
      expect(await page.locator('header.top').getByText('Signed in: Ana Silva').isVisible()).to.equal(true);
      await check(page, 'signed-in');
    } finally {
      await page.context().close();
    }
  });

  it('shows the two-step set-up page usably on a phone, in French', async () => {
    const page = await b.newPage({ ...PHONE, locale: 'fr-FR' });
    try {
      await page.goto(t.url + '/local/sign-in');
      await page.locator('#f-email').fill('ana.silva@partner.example');
      await page.locator('#f-password').fill(GOOD_PASSWORD);
      await page.locator('#f-password').press('Enter');
      await page.waitForURL(t.url + '/');
      await page.goto(t.url + '/local/totp/setup');
      expect(await page.locator('h1').textContent()).to.equal('Activer la double authentification');
      expect(await page.locator('.qr svg').getAttribute('aria-label')).to.equal('QR code à scanner avec votre application d’authentification');
      expect((await page.locator('code.secret').textContent())!.replace(/\s/g, '')).to.match(/^[A-Z2-7]{32}$/);
      await check(page, 'totp-setup-fr');
      const f = await tabTo(page, field('code'), 'the code field');
      expect(f.visible).to.equal(true);
    } finally {
      await page.context().close();
    }
  });

  it('shows the manager’s invitation page on a phone without sideways scrolling', async () => {
    const page = await b.newPage({ ...PHONE, locale: 'en-GB' });
    try {
      const session = await t.signIn(['manager'], { displayName: 'Claire Martin' });
      await page.context().addCookies(session.cookie.split('; ').map((c) => {
        const i = c.indexOf('=');
        return { name: c.slice(0, i), value: c.slice(i + 1), url: t.url };
      }));
      await page.goto(t.url + '/local/invitations');
      expect(await page.locator('h1').textContent()).to.equal('Guest accounts');
      await check(page, 'invitations');
      // the role checkboxes are reachable and usable with the keyboard
      const box = await tabTo(page, (f) => f.name === 'roles', 'a role checkbox');
      expect(box.visible).to.equal(true);
      await page.keyboard.press('Space');
      expect(await page.locator('input[name="roles"]:checked').count()).to.equal(1);
    } finally {
      await page.context().close();
    }
  });
});
