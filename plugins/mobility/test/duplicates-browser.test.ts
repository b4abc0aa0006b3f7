// The duplicates page in a real browser on a 375px-wide phone: the pair readable without sideways
// scrolling, the file that stays chosen and the merge sent with the keyboard only, an axe-core audit.
import { expect } from 'chai';
import type { Browser, Page } from 'playwright-core';
import { startTestPlatform, type TestPlatform } from '@smile/sdk/testing';
import * as h from '@smile/sdk/testing/browser';
import { mobilityService } from '../src/index.js';
import { withoutStepConditions } from './support.js';

const PHONE = { width: 375, height: 812 };

describe('mobility: suspected duplicates in a browser', function () {
  this.timeout(60_000);
  let browser: Browser | undefined;
  let t: TestPlatform;
  let kept: number;
  let merged: number;

  before(async function () {
    if (h.skipBrowser()) return this.skip();
    browser = await h.launchBrowser();
    t = await startTestPlatform({ plugins: ['mobility', 'base'] });
    await withoutStepConditions(t);
    const store = t.resolve(mobilityService);
    const office = { institutionId: t.institution.id, label: 'Office' };
    const base = { exchangeType: 'full-year', academicYear: 2026, birthDate: '2001-09-14' };
    kept = (await store.createFile(office, { ...base, firstName: 'Maria Giovanna', lastName: 'Rossi-Bianchi', home: { name: 'Università degli Studi di Pisa' } })).id;
    merged = (await store.createFile(office, {
      ...base, firstName: 'maria giovanna', lastName: 'ROSSI BIANCHI', email: 'maria.giovanna.rossi-bianchi@studenti.unipi.example',
      esi: 'urn:schac:personalUniqueCode:int:esi:unipi.it:123456', home: { name: 'University of Pisa', country: 'IT' },
    })).id;
  });
  after(async () => {
    await browser?.close();
    await t?.stop();
  });

  async function phonePage(): Promise<Page> {
    const s = await t.signIn(['manager'], { displayName: 'Office Manager' });
    const ctx = await browser!.newContext({ viewport: PHONE, locale: 'en-GB', reducedMotion: 'reduce' });
    ctx.setDefaultTimeout(10_000);
    await ctx.addCookies(s.cookie.split('; ').map((pair) => {
      const [name, value] = pair.split('=') as [string, string];
      return { name, value, url: t.url };
    }));
    return ctx.newPage();
  }

  it('shows the pair on a phone and merges it with the keyboard', async () => {
    const page = await phonePage();
    try {
      expect((await page.goto(`${t.url}/mobility/duplicates`))?.status()).to.equal(200);
      expect(await page.getByRole('heading', { level: 1, name: 'Suspected duplicates' }).isVisible()).to.equal(true);
      expect(await page.getByText('Same name and birth date', { exact: true }).isVisible()).to.equal(true);
      expect(await page.evaluate(() => document.documentElement.scrollWidth <= window.innerWidth)).to.equal(true);
      await h.screenshot(page, 'mobility-duplicates--phone');
      await h.expectNoSeriousA11yViolations(page, 'mobility duplicates (phone)');
      // keyboard only: focus the first choice, pick it with the space bar, then Tab to the merge button
      const choice = page.getByLabel(`Keep file #${kept} (Rossi-Bianchi Maria Giovanna) and merge file #${merged} into it`);
      await choice.focus();
      await page.keyboard.press('Space');
      expect(await choice.isChecked()).to.equal(true);
      for (let i = 0; i < 6 && !(await page.getByRole('button', { name: 'Merge', exact: true }).evaluate((b) => b === document.activeElement)); i++) await page.keyboard.press('Tab');
      await page.keyboard.press('Enter');
      await page.waitForURL('**/mobility/duplicates');
      // the next page's flash says what happened (waitFor: the page may still be loading after the redirect)
      await page.getByText(`File #${merged} was merged into file #${kept}.`).waitFor({ state: 'visible' });
      expect(await page.getByText('No suspected duplicates to decide on.').isVisible()).to.equal(true);
      await h.screenshot(page, 'mobility-duplicates-merged--phone');
    } finally {
      await page.context().close();
    }
  });
});
