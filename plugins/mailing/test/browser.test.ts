// The template editor in a real browser: a phone-sized screen, keyboard only, the htmx preview,
// and an axe-core audit (WCAG 2.1 A/AA). Uses the SDK's browser harness (Debian's Chromium).
import { expect } from 'chai';
import type { Browser, Page } from 'playwright-core';
import { startTestPlatform } from '@smile/sdk/testing';
import type { TestPlatform } from '@smile/sdk/testing';
import * as h from '@smile/sdk/testing/browser';

const PHONE = { width: 360, height: 740 };

describe('mailing: template editor in a browser', function () {
  this.timeout(60_000);
  let browser: Browser | undefined;
  let t: TestPlatform;

  before(async function () {
    if (h.skipBrowser()) return this.skip();
    browser = await h.launchBrowser();
    t = await startTestPlatform({ plugins: ['mailing', 'base'] });
  });
  after(async () => {
    await browser?.close();
    await t?.stop();
  });

  async function pageAs(roles: string[], locale: string, viewport = PHONE): Promise<Page> {
    const s = await t.signIn(roles);
    const ctx = await browser!.newContext({ viewport, locale, reducedMotion: 'reduce' });
    ctx.setDefaultTimeout(10_000);
    await ctx.addCookies(s.cookie.split('; ').map((pair) => {
      const [name, value] = pair.split('=') as [string, string];
      return { name, value, url: t.url };
    }));
    return ctx.newPage();
  }
  const noSideways = (page: Page) => page.evaluate(() => document.documentElement.scrollWidth <= window.innerWidth);

  it('lists the templates, previews an edit with the example values, refuses an unknown macro in place', async () => {
    const page = await pageAs(['manager'], 'en-GB', { width: 1100, height: 900 });
    try {
      expect((await page.goto(`${t.url}/mailing/templates`))?.status()).to.equal(200);
      await h.screenshot(page, 'mailing-templates-en');
      await h.expectNoSeriousA11yViolations(page, 'mailing templates (en)');
      await page.getByRole('link', { name: 'Your file: “{{step.label}}” to be redone' }).click();
      await page.waitForURL('**/mailing/templates/refusal/en');
      await page.getByLabel('Text of the mail').fill('Dear {{student.firstName}},\n\nYour file at {{host.name}}: {{comment}}');
      await page.getByRole('button', { name: 'Preview' }).click();
      await page.locator('#mailing-preview .mailing-preview-body').waitFor();
      expect(await page.locator('#mailing-preview').innerText()).to.contain('Dear Ana,').and.contain('Université Exemple');
      await h.screenshot(page, 'mailing-edit-preview-en');
      await h.expectNoSeriousA11yViolations(page, 'mailing edit with preview (en)');
      await page.getByLabel('Text of the mail').fill('Dear {{student.nickname}}');
      await page.getByRole('button', { name: 'Save' }).click();
      await page.locator('#mailing-body-error').waitFor();
      expect(await page.locator('#mailing-body-error').innerText()).to.contain('Unknown macro(s): {{student.nickname}}');
    } finally {
      await page.context().close();
    }
  });

  it('edits on a phone, in French, with the keyboard, without sideways scrolling', async () => {
    const page = await pageAs(['manager'], 'fr-FR');
    try {
      expect((await page.goto(`${t.url}/mailing/templates/invitation/fr`))?.status()).to.equal(200);
      expect(await noSideways(page)).to.equal(true);
      await page.getByLabel('Objet').focus();
      await page.keyboard.press('End');
      await page.keyboard.type(' !');
      await page.keyboard.press('Tab');
      expect(await page.evaluate(() => document.activeElement?.id)).to.equal('mailing-body');
      await page.keyboard.press('Tab');
      await page.keyboard.press('Enter');
      await page.waitForURL('**/mailing/templates');
      expect(await page.locator('.flash').first().innerText()).to.contain('enregistré');
      expect(await page.getByRole('link', { name: /créez votre dossier !/ }).isVisible()).to.equal(true);
      await h.screenshot(page, 'mailing-templates-fr--phone');
      expect(await noSideways(page)).to.equal(true);
    } finally {
      await page.context().close();
    }
  });
});
