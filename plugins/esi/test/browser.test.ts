// The manager pages in a real browser: a 360px phone, French and English, keyboard only, and an
// axe-core audit (WCAG 2.1 A/AA). Uses the SDK's browser harness (Debian's Chromium).
import { expect } from 'chai';
import type { Browser, Page } from 'playwright-core';
import type { TestPlatform } from '@smile/sdk/testing';
import * as h from '@smile/sdk/testing/browser';
import { esiService } from '../src/index.js';
import { ESI, boot, person, system } from './support.js';


const PHONE = { width: 360, height: 740 };

describe('esi: manager pages in a browser', function () {
  this.timeout(60_000);
  let browser: Browser | undefined;
  let t: TestPlatform;
  let conflictId: number;

  before(async function () {
    if (h.skipBrowser()) return this.skip();
    browser = await h.launchBrowser();
    t = await boot();
    const esi = t.resolve(esiService);
    const holder = await person(t, 'Maximilian Alexander Holder-Featherstonehaugh');
    const claimant = await person(t, 'Élodie Claimant');
    const long = ESI(`${'x'.repeat(60)}-${'y'.repeat(60)}`, 'very-long-faculty-name.univ-example.fr');
    await esi.assign(system(t), holder, long, 'sign-in');
    const r = await esi.assign(system(t), claimant, long, 'sign-in');
    if (r.ok) throw new Error('conflict expected');
    conflictId = r.conflict.id;
  });
  after(async () => {
    await browser?.close();
    await t?.stop();
  });

  async function pageAs(roles: string[], locale: string): Promise<Page> {
    const s = await t.signIn(roles);
    const ctx = await browser!.newContext({ viewport: PHONE, locale, reducedMotion: 'reduce' });
    ctx.setDefaultTimeout(10_000);
    await ctx.addCookies(s.cookie.split('; ').map((pair) => {
      const [name, value] = pair.split('=') as [string, string];
      return { name, value, url: t.url };
    }));
    return ctx.newPage();
  }
  const noSideways = (page: Page) => page.evaluate(() => document.documentElement.scrollWidth <= window.innerWidth);

  it('lists conflicts on a phone, in French, without sideways scrolling', async () => {
    const page = await pageAs(['manager'], 'fr-FR');
    try {
      expect((await page.goto(`${t.url}/esi/conflicts`))?.status()).to.equal(200);
      expect(await page.getByRole('heading', { level: 1, name: 'Conflits d’ESI' }).isVisible()).to.equal(true);
      expect(await noSideways(page)).to.equal(true);
      await h.screenshot(page, 'esi-conflicts-fr--phone');
      await h.expectNoSeriousA11yViolations(page, 'esi conflicts (fr, phone)');
      await page.getByRole('link', { name: /very-long-faculty-name/ }).click();
      await page.waitForURL(`**/esi/conflicts/${conflictId}`);
      expect(await noSideways(page)).to.equal(true);
      await h.screenshot(page, 'esi-conflict-fr--phone');
      await h.expectNoSeriousA11yViolations(page, 'esi conflict (fr, phone)');
    } finally {
      await page.context().close();
    }
  });

  it('resolves a conflict with the keyboard alone (English)', async () => {
    const page = await pageAs(['supermanager'], 'en-GB');
    try {
      await page.goto(`${t.url}/esi/conflicts/${conflictId}`);
      // submitting without a choice shows the reason and focuses it
      await page.getByRole('button', { name: 'Resolve the conflict' }).focus();
      await page.keyboard.press('Enter');
      await page.getByText('Choose the person who keeps the ESI.').waitFor();
      await h.screenshot(page, 'esi-conflict-error-en--phone');
      await h.expectNoSeriousA11yViolations(page, 'esi conflict with error (en, phone)');
      const claimant = page.getByRole('radio', { name: /Élodie Claimant gets it instead/ });
      await page.getByRole('radio', { name: /keeps it \(no change\)/ }).focus();
      await page.keyboard.press('ArrowDown');
      expect(await claimant.isChecked()).to.equal(true);
      await page.keyboard.press('Tab');
      expect(await page.evaluate(() => document.activeElement?.textContent?.trim())).to.equal('Resolve the conflict');
      await page.keyboard.press('Enter');
      await page.waitForURL('**/esi/conflicts');
      expect(await page.getByText('The conflict is resolved: Élodie Claimant keeps the ESI.').isVisible()).to.equal(true);
      await h.screenshot(page, 'esi-conflicts-resolved-en--phone');
    } finally {
      await page.context().close();
    }
  });

  it('checks an ESI on a phone; the long identifier wraps', async () => {
    const page = await pageAs(['manager'], 'en-GB');
    try {
      await page.goto(`${t.url}/esi`);
      await page.getByLabel('ESI or INE').fill(`urn:schac:PersonalUniqueCode:es:ESI:uma.es:${'a'.repeat(120)}`);
      await page.keyboard.press('Enter');
      await page.getByRole('heading', { name: 'Valid ESI' }).waitFor();
      await h.screenshot(page, 'esi-check-en--phone');
      expect(await noSideways(page)).to.equal(true);
      await h.expectNoSeriousA11yViolations(page, 'esi check (en, phone)');
    } finally {
      await page.context().close();
    }
  });
});
