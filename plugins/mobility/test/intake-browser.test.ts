// The import pages in a real browser: a manager uploads three nominations (one a duplicate), sees
// the preview, imports them; keyboard-reachable, axe-core audit (WCAG 2.1 A/AA).
import { expect } from 'chai';
import type { Browser, Page } from 'playwright-core';
import { startTestPlatform, type TestPlatform } from '@smile/sdk/testing';
import * as h from '@smile/sdk/testing/browser';
import { THREE } from './intake-fixtures.js';

describe('mobility intake: import pages in a browser', function () {
  this.timeout(60_000);
  let browser: Browser | undefined;
  let t: TestPlatform;

  before(async function () {
    if (h.skipBrowser()) return this.skip();
    browser = await h.launchBrowser();
    t = await startTestPlatform({ plugins: ['mobility'] });
  });
  after(async () => {
    await browser?.close();
    await t?.stop();
  });

  async function pageAs(roles: string[], locale: string): Promise<Page> {
    const s = await t.signIn(roles);
    const ctx = await browser!.newContext({ viewport: { width: 1280, height: 800 }, locale, reducedMotion: 'reduce' });
    ctx.setDefaultTimeout(10_000);
    await ctx.addCookies(s.cookie.split('; ').map((pair) => {
      const [name, value] = pair.split('=') as [string, string];
      return { name, value, url: t.url };
    }));
    return ctx.newPage();
  }

  it('uploads three nominations, shows the duplicate as such, imports two files', async () => {
    const page = await pageAs(['manager'], 'en-GB');
    try {
      expect((await page.goto(`${t.url}/mobility/import`))?.status()).to.equal(200);
      await h.screenshot(page, 'mobility-intake-upload-en');
      await h.expectNoSeriousA11yViolations(page, 'mobility import form');
      await page.getByLabel('Nomination file (CSV)').setInputFiles({ name: 'nominations.csv', mimeType: 'text/csv', buffer: Buffer.from(THREE) });
      await page.getByRole('button', { name: 'Preview' }).click();
      await page.getByRole('heading', { level: 1, name: 'Nominations: preview' }).waitFor();
      const body = await page.locator('main').innerText();
      expect(body).to.contain('2 files will be created, 1 duplicates will be skipped');
      expect(body).to.contain('Duplicate of line 2 (Anna Müller)');
      await h.screenshot(page, 'mobility-intake-preview-en');
      await h.expectNoSeriousA11yViolations(page, 'mobility import preview');
      await page.getByRole('button', { name: 'Import these nominations' }).click();
      await page.getByRole('heading', { level: 1, name: 'Nominations imported' }).waitFor();
      expect(await page.locator('main').innerText()).to.contain('2 files created, 1 duplicates skipped.');
      await h.screenshot(page, 'mobility-intake-result-en');
      const n = await t.knex('mobility_files').where({ institution_id: t.institution.id }).count({ n: '*' }).first();
      expect(Number(n!.n)).to.equal(2);
    } finally {
      await page.context().close();
    }
  });
});
