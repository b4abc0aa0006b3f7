// The process editor and self-registration in a real browser: a step's label and deadline changed
// and published with the keyboard only; the registration page on a 375 px phone, registered with the
// keyboard; axe-core audits and screenshots.
import path from 'node:path';
import { expect } from 'chai';
import type { Browser, Page } from 'playwright-core';
import { startTestPlatform, type TestPlatform } from '@smile/sdk/testing';
import * as h from '@smile/sdk/testing/browser';
import { mobilityService } from '../src/index.js';

const PHONE = { width: 375, height: 800 };
const DESKTOP = { width: 1280, height: 900 };
const DAY = 86_400_000;

describe('mobility: configuration and registration in a browser', function () {
  this.timeout(90_000);
  let browser: Browser | undefined;
  let t: TestPlatform;

  before(async function () {
    if (h.skipBrowser()) return this.skip();
    browser = await h.launchBrowser();
    t = await startTestPlatform({ plugins: ['mobility', 'base'] });
    await t.resolve(mobilityService).ensureSeeded(t.institution.id);
    const now = Date.now();
    await t.knex('mobility_application_periods').insert([
      { institution_id: t.institution.id, exchange_type: 'first-semester', academic_year: 2026, opens_at: new Date(now - DAY), closes_at: new Date(now + 20 * DAY) },
      { institution_id: t.institution.id, exchange_type: 'cross-border-alliance', academic_year: 2026, opens_at: new Date(now - DAY), closes_at: new Date(now + 30 * DAY) },
      { institution_id: t.institution.id, exchange_type: 'full-year', academic_year: 2027, opens_at: new Date(now + 200 * DAY), closes_at: new Date(now + 230 * DAY) },
    ]);
  });
  after(async () => {
    await browser?.close();
    await t?.stop();
  });

  async function pageAs(roles: string[], viewport: { width: number; height: number }, locale = 'en-GB', displayName = 'Office Manager'): Promise<Page> {
    const s = await t.signIn(roles, { displayName });
    const ctx = await browser!.newContext({ viewport, locale, reducedMotion: 'reduce' });
    ctx.setDefaultTimeout(10_000);
    await ctx.addCookies(s.cookie.split('; ').map((pair) => {
      const [name, value] = pair.split('=') as [string, string];
      return { name, value, url: t.url };
    }));
    return ctx.newPage();
  }
  const noSideways = (page: Page) => page.evaluate(() => document.documentElement.scrollWidth <= window.innerWidth);
  /** Tab until the focused element matches, as a keyboard user would (at most `max` presses). */
  async function tabTo(page: Page, selector: string, max = 400): Promise<void> {
    for (let i = 0; i < max; i++) {
      if (await page.evaluate((s) => document.activeElement?.matches(s) ?? false, selector)) return;
      await page.keyboard.press('Tab');
    }
    throw new Error(`never reached ${selector} with Tab`);
  }

  it('changes a step’s label and deadline with the keyboard and publishes a new version', async () => {
    const page = await pageAs(['manager'], DESKTOP);
    try {
      expect((await page.goto(`${t.url}/mobility/config/processes/default`))?.status()).to.equal(200);
      await h.expectNoSeriousA11yViolations(page, 'process editor');
      await page.getByRole('link', { name: 'Skip to content' }).focus().catch(() => undefined);
      await tabTo(page, '#s2-labelEn');
      await page.keyboard.press('Control+A');
      await page.keyboard.type('Choice of courses');
      // the deadline: from "days after the step starts" to a fixed date, chosen with the arrow keys
      await tabTo(page, '#s2-deadline');
      await page.keyboard.press('ArrowUp');
      expect(await page.locator('#s2-deadline').inputValue()).to.equal('absolute');
      await tabTo(page, '#s2-deadlineDate');
      // 5 May of next year: typed the same whether the browser orders day/month or month/day
      const year = new Date().getFullYear() + 1;
      await page.keyboard.type(`0505${year}`);
      expect(await page.locator('#s2-deadlineDate').inputValue()).to.equal(`${year}-05-05`);
      await h.screenshot(page, 'mobility-config-process-editing--desktop');
      await page.screenshot({ path: path.join(h.SCREENSHOT_DIR, 'mobility-config-process-editing--desktop-step.png') });
      await tabTo(page, 'button[value="publish"]');
      await page.keyboard.press('Enter');
      await page.waitForLoadState('load');
      await page.getByText('Version 2 of the process “Default process” is published').waitFor();
      expect(await page.locator('#s2-labelEn').inputValue()).to.equal('Choice of courses');
      expect(await page.locator('#s2-deadline').inputValue()).to.equal('absolute');
      expect(await page.locator('#s2-deadlineDate').inputValue()).to.equal(`${year}-05-05`);
      const active = (await t.resolve(mobilityService).activeProcess(t.institution.id, null))!;
      expect(active.version).to.equal(2);
      expect(active.steps[2]!.label.en).to.equal('Choice of courses');
      expect(active.steps[2]!.deadline).to.have.property('absolute');
      await h.screenshot(page, 'mobility-config-process-published--desktop');
    } finally {
      await page.context().close();
    }
  });

  it('shows the process editor’s errors on a phone, focused on their summary', async () => {
    const page = await pageAs(['manager'], PHONE, 'fr-FR');
    try {
      await page.goto(`${t.url}/mobility/config/processes/default`);
      await page.locator('#s0-labelFr').fill('');
      await page.locator('button[value="publish"]').click();
      await page.waitForLoadState('load');
      expect(await page.evaluate(() => document.activeElement?.id)).to.equal('error-summary');
      expect(await page.locator('#s0-labelFr-error').innerText()).to.equal('Saisissez le nom de l’étape en français.');
      expect(await noSideways(page)).to.equal(true);
      await h.screenshot(page, 'mobility-config-process-errors--phone');
      // the full page is very long: the first screen too, as the user sees it
      await page.screenshot({ path: path.join(h.SCREENSHOT_DIR, 'mobility-config-process-errors--phone-top.png') });
      await page.locator('#s0').scrollIntoViewIfNeeded();
      await page.screenshot({ path: path.join(h.SCREENSHOT_DIR, 'mobility-config-process-errors--phone-step.png') });
      await h.expectNoSeriousA11yViolations(page, 'process editor errors (phone)');
    } finally {
      await page.context().close();
    }
  });

  for (const [lang, locale] of [['en', 'en-GB'], ['fr', 'fr-FR']] as const) {
    it(`registers on a 375 px phone with the keyboard (${lang})`, async () => {
      const page = await pageAs([], PHONE, locale, lang === 'en' ? 'Maria Giovanna Rossi-Bianchi' : 'Jean-Baptiste Dupont-Aignan');
      try {
        expect((await page.goto(`${t.url}/mobility/register`))?.status()).to.equal(200);
        expect(await noSideways(page)).to.equal(true);
        await h.screenshot(page, `mobility-register--phone-${lang}`);
        await h.expectNoSeriousA11yViolations(page, `registration (${lang})`);
        await tabTo(page, 'input[name="choice"]');
        await page.keyboard.press('ArrowDown');
        expect(await page.locator('input[name="choice"]:checked').getAttribute('value')).to.equal('cross-border-alliance:2026');
        await tabTo(page, '.mobility-register button[type="submit"]');
        await page.keyboard.press('Enter');
        await page.waitForURL('**/mobility/me**');
        const files = await t.knex('mobility_files').where({ institution_id: t.institution.id, exchange_type: 'cross-border-alliance', language: lang });
        expect(files).to.have.length(1);
      } finally {
        await page.context().close();
      }
    });
  }
});
