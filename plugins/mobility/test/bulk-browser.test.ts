// Bulk validation in a real browser, keyboard only: two files selected with the space bar, the
// action sent with Enter, the result page read; "select all" works with JavaScript; axe-core audit.
import { expect } from 'chai';
import type { Browser, Page } from 'playwright-core';
import { startTestPlatform, type TestPlatform } from '@smile/sdk/testing';
import * as h from '@smile/sdk/testing/browser';
import { defaultSteps, mobilityService } from '../src/index.js';

const PHONE = { width: 375, height: 800 };

describe('mobility: bulk actions in a browser', function () {
  this.timeout(90_000);
  let browser: Browser | undefined;
  let t: TestPlatform;
  const ids: Record<string, number> = {};

  before(async function () {
    if (h.skipBrowser()) return this.skip();
    browser = await h.launchBrowser();
    t = await startTestPlatform({ plugins: ['mobility', 'base'] });
    const store = t.resolve(mobilityService);
    const inst = t.institution.id;
    const office = { institutionId: inst, label: 'Office' };
    await store.ensureSeeded(inst);
    await store.publishProcess(office, null, defaultSteps().map((s) => ({ ...s, requiredDocuments: [] })));
    for (const [first, last] of [['Ada', 'Lovelace'], ['Bruno', 'Bianchi'], ['Chloé', 'Zed']] as const) {
      const f = await store.createFile(office, { firstName: first, lastName: last, email: `${first.toLowerCase()}@student.example`, exchangeType: 'first-semester', academicYear: 2026, home: { name: 'Università di Pisa', country: 'IT' } });
      ids[first] = f.id;
      await t.knex('mobility_file_steps').where({ file_id: f.id, state: 'active' }).update({ step_key: 'office-validation' });
      await t.knex('mobility_files').where({ id: f.id }).update({ current_step: 'office-validation' });
    }
  });
  after(async () => {
    await browser?.close();
    await t?.stop();
  });

  async function pageAs(roles: string[]): Promise<Page> {
    const s = await t.signIn(roles, { displayName: 'Office Manager', email: 'office@host.example' });
    const ctx = await browser!.newContext({ viewport: PHONE, locale: 'en-GB', reducedMotion: 'reduce' });
    ctx.setDefaultTimeout(10_000);
    await ctx.addCookies(s.cookie.split('; ').map((pair) => {
      const [name, value] = pair.split('=') as [string, string];
      return { name, value, url: t.url };
    }));
    return ctx.newPage();
  }

  it('selects two files with the keyboard and validates their step', async () => {
    const page = await pageAs(['manager']);
    try {
      await page.goto(`${t.url}/mobility/files`);
      await h.expectNoSeriousA11yViolations(page, 'files list with selection');
      // Bianchi Bruno comes first (sorted by name), then Lovelace Ada: Tab goes checkbox → name link → next checkbox
      await page.getByRole('checkbox', { name: 'Select Bianchi Bruno' }).focus();
      await page.keyboard.press('Space');
      await page.keyboard.press('Tab');
      await page.keyboard.press('Tab');
      expect(await page.evaluate(() => document.activeElement?.getAttribute('value'))).to.match(new RegExp(`^${ids.Ada}:`));
      await page.keyboard.press('Space');
      expect(await page.getByRole('checkbox', { name: 'Select Zed Chloé' }).isChecked()).to.equal(false);
      await h.screenshot(page, 'mobility-bulk-selected--phone');
      await page.getByRole('button', { name: 'Validate their current step' }).focus();
      await page.keyboard.press('Enter');
      await page.waitForURL('**/mobility/files/bulk');
      expect(await page.getByRole('heading', { level: 1 }).innerText()).to.equal('Validation of the selected files');
      const result = await page.locator('table').innerText();
      expect(result).to.contain('Bianchi Bruno').and.contain('Lovelace Ada').and.not.contain('Zed Chloé');
      expect(result.match(/Validated: the file is now at the step “Course selection”/g)).to.have.length(2);
      expect(await page.evaluate(() => document.documentElement.scrollWidth <= window.innerWidth)).to.equal(true);
      await h.expectNoSeriousA11yViolations(page, 'bulk result');
      await h.screenshot(page, 'mobility-bulk-result--phone');
    } finally {
      await page.context().close();
    }
  });

  it('selects every file of the page with "select all"', async () => {
    const page = await pageAs(['manager']);
    try {
      await page.goto(`${t.url}/mobility/files`);
      await page.getByRole('checkbox', { name: 'Select all files on this page' }).focus();
      await page.keyboard.press('Space');
      const boxes = page.locator('input[form="mobility-bulk"][name="file"]');
      expect(await boxes.count()).to.equal(3);
      for (let i = 0; i < 3; i++) expect(await boxes.nth(i).isChecked()).to.equal(true);
    } finally {
      await page.context().close();
    }
  });

  it('shows the mass mail form and a file’s messages and sent mail, accessible on a phone', async () => {
    const page = await pageAs(['manager']);
    try {
      await page.goto(`${t.url}/mobility/files`);
      await page.getByRole('link', { name: 'Write to the students of these files' }).click();
      await page.getByLabel('Subject').fill('Welcome {{student.firstName}}');
      await page.getByLabel('Text of the mail').fill('Dear {{student.firstName}},\n\nSee you in {{file.academicYear}}.');
      await page.getByRole('button', { name: 'Preview' }).click();
      await page.getByText('Preview with the first file').waitFor();
      expect(await page.locator('#mass-preview').innerText()).to.contain('Welcome Bruno').and.contain('See you in 2026-2027.');
      await h.expectNoSeriousA11yViolations(page, 'mass mail');
      await h.screenshot(page, 'mobility-mass-mail--phone');
      await page.goto(`${t.url}/mobility/files/${ids.Chloé}`);
      await page.getByLabel('Your message to the student').fill('Hello Chloé,\nplease send your transcript.');
      await page.getByRole('button', { name: 'Send the message' }).click();
      await page.getByText('please send your transcript.').waitFor();
      expect(await page.locator('#messages').innerText()).to.contain('Hello Chloé,\nplease send your transcript.');
      await h.expectNoSeriousA11yViolations(page, 'file with messages and sent mail');
      const shot = await h.screenshot(page, 'mobility-file-messages--phone');
      // the blocks themselves, readable at full size
      await page.locator('#messages').screenshot({ path: shot.replace('--phone', '-thread--phone') });
      await page.locator('#sent-mail').screenshot({ path: shot.replace('messages--phone', 'sent-mail--phone') });
    } finally {
      await page.context().close();
    }
  });
});
