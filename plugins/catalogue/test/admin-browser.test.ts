// The catalogue back office in a real browser: the elements list (search as one types, select all
// on the page with the keyboard, close to mobility in bulk), the edit form with its errors in place,
// and the sync page with a run's progress bar refreshed by htmx until it finishes; on a desktop and
// on a 360 px phone, each state audited with axe-core (no serious or critical WCAG 2.1 A/AA
// violation) and screenshot.
import { expect } from 'chai';
import type { Page } from 'playwright-core';
import type { TestPlatform } from '@smile/sdk/testing';
import { expectNoSeriousA11yViolations, screenshot, skipBrowser, useBrowser } from '@smile/sdk/testing/browser';
import type { ElementRecord } from '../src/types.js';
import { boot, smallBatch, store, system } from './support.js';

const DESKTOP = { width: 1280, height: 900 };
const PHONE = { width: 360, height: 740 };

describe('catalogue: back office in a browser', function () {
  this.timeout(90_000);
  const b = useBrowser();
  let t: TestPlatform;
  let year: number;

  before(async function () {
    if (skipBrowser()) return this.skip();
    t = await boot(['sis-csv', 'sis-sql']);
    year = store(t).currentYear();
    const batch = smallBatch();
    batch.components.push({ code: 'SCI', nameFr: 'Faculté des sciences', nameEn: 'Faculty of Science' });
    const topics = ['Mécanique', 'Optique', 'Thermodynamique', 'Électromagnétisme', 'Physique quantique', 'Relativité'];
    batch.elements.push(...topics.map((fr, i): ElementRecord => ({ code: `PHY${i + 1}`, titleFr: fr, titleEn: `Physics ${i + 1}`, ects: 4.5, semester: 'S2', languages: ['fr', 'en'], componentCode: 'SCI', level: 2 })));
    const r = await store(t).importBatch(system(t), year, batch, { source: 'sis-test' });
    expect(r.errors).to.deep.equal([]);
  });
  after(async () => {
    await t?.stop();
  });

  const pageAs = async (roles: string[], size = DESKTOP, locale = 'en-GB') => {
    const page = await b.newPage({ ...size, locale });
    const { cookie } = await t.signIn(roles, { displayName: 'Marie Gestion' });
    await page.context().addCookies(cookie.split('; ').map((pair) => {
      const i = pair.indexOf('=');
      return { name: pair.slice(0, i), value: pair.slice(i + 1), url: t.url };
    }));
    return page;
  };
  const noSideways = (page: Page) => page.evaluate(() => document.documentElement.scrollWidth <= window.innerWidth);
  const rows = (page: Page) => page.$$eval('#catalogue-elements tbody tr td:nth-child(2) a', (links) => links.map((a) => a.textContent));

  it('filters the list as one types, selects a whole page with the keyboard and closes it in bulk', async () => {
    const page = await pageAs(['manager']);
    try {
      await page.goto(`${t.url}/catalogue/admin/elements`);
      expect(await rows(page)).to.have.length(11);
      await page.getByLabel('Search', { exact: true }).fill('physics');
      await page.waitForFunction(() => document.querySelectorAll('#catalogue-elements tbody tr').length === 6);
      expect(page.url()).to.contain('q=physics');
      await screenshot(page, 'catalogue-admin-elements-en--desktop');
      await expectNoSeriousA11yViolations(page, 'elements list (en, desktop)');
      // keyboard: Tab to "select all", Space ticks every row of the page
      await page.locator('[data-select-all]').focus();
      await page.keyboard.press('Space');
      await page.getByText('6 elements selected.').waitFor();
      await page.getByRole('button', { name: 'Close to mobility' }).focus();
      await page.keyboard.press('Enter');
      await page.getByText('6 element(s) closed to mobility.').waitFor();
      // back on the same filtered list
      expect(page.url()).to.contain('q=physics');
      expect(await rows(page)).to.deep.equal(['PHY1', 'PHY2', 'PHY3', 'PHY4', 'PHY5', 'PHY6']);
      expect((await store(t).element(t.institution.id, year, 'PHY3'))!.openToMobility).to.equal(false);
      await screenshot(page, 'catalogue-admin-elements-closed-en--desktop');
    } finally {
      await page.context().close();
    }
  });

  it('fits a phone screen in French', async () => {
    const page = await pageAs(['manager'], PHONE, 'fr-FR');
    try {
      await page.goto(`${t.url}/catalogue/admin/elements?semester=S1`);
      expect(await page.getByRole('heading', { level: 1, name: 'Éléments pédagogiques' }).isVisible()).to.equal(true);
      expect(await noSideways(page)).to.equal(true);
      await screenshot(page, 'catalogue-admin-elements-fr--phone');
      await expectNoSeriousA11yViolations(page, 'elements list (fr, phone)');
      const micro = (await store(t).element(t.institution.id, year, 'MICRO'))!;
      await page.goto(`${t.url}/catalogue/admin/elements/${micro.id}`);
      expect(await noSideways(page)).to.equal(true);
      await screenshot(page, 'catalogue-admin-element-fr--phone');
      await expectNoSeriousA11yViolations(page, 'element page (fr, phone)');
    } finally {
      await page.context().close();
    }
  });

  it('shows the errors of the edit form in place, focused on their summary, with the values kept', async () => {
    const page = await pageAs(['manager']);
    try {
      const micro = (await store(t).element(t.institution.id, year, 'MICRO'))!;
      await page.goto(`${t.url}/catalogue/admin/elements/${micro.id}/edit`);
      await page.getByLabel('Title in French').fill('');
      await page.getByLabel('ECTS credits', { exact: true }).fill('-2');
      await page.getByLabel('ECTS credits for incoming students').fill('4,5');
      await page.getByRole('button', { name: 'Save' }).click();
      await page.getByText('There are problems with 2 fields').waitFor();
      expect(await page.evaluate(() => document.activeElement?.id)).to.equal('error-summary');
      expect(await page.getByLabel('ECTS credits for incoming students').inputValue()).to.equal('4,5');
      expect(await page.locator('#f-ects-error').textContent()).to.equal('Type a number from 0 to 120.');
      await screenshot(page, 'catalogue-admin-element-form-errors-en--desktop');
      await expectNoSeriousA11yViolations(page, 'element form with errors (en, desktop)');
      // the summary links lead to the fields
      await page.getByRole('link', { name: /ECTS credits: Type a number/ }).click();
      expect(page.url()).to.contain('#f-ects');
      await page.setViewportSize(PHONE);
      await page.evaluate(() => window.scrollTo(0, 0));
      expect(await noSideways(page)).to.equal(true);
      await screenshot(page, 'catalogue-admin-element-form-errors-en--phone');
    } finally {
      await page.context().close();
    }
  });

  it('shows the progress bar of a running sync, refreshed until the run finishes', async () => {
    let release!: () => void;
    const gate = new Promise<void>((resolve) => (release = resolve));
    const run = await store(t).createRun(system(t), { year, connector: 'sis-test', trigger: 'manual' });
    const running = store(t).execute(system(t), run.id, async (progress) => {
      progress(120, 400);
      await gate;
      const batch = smallBatch();
      batch.elements[1]!.titleEn = 'Microeconomics I';
      return { batch, errors: [] };
    });
    const page = await pageAs(['manager']);
    try {
      await page.goto(`${t.url}/catalogue/admin/sync`);
      const bar = page.locator(`#run-bar-${run.id}`);
      expect(await bar.getAttribute('value')).to.equal('120');
      expect(await page.getByText('120 / 800 (15 %)').isVisible()).to.equal(true);
      await screenshot(page, 'catalogue-admin-sync-running-en--desktop');
      await expectNoSeriousA11yViolations(page, 'sync page while running (en, desktop)');
      release();
      await running;
      // the next poll swaps in the outcome and stops polling
      await page.getByText(`Run #${run.id} finished: 0 created, 1 updated, 0 closed.`).first().waitFor();
      expect(await page.locator(`#run-progress-${run.id}[hx-trigger]`).count()).to.equal(0);
      await page.reload();
      await screenshot(page, 'catalogue-admin-sync-en--desktop');
      await expectNoSeriousA11yViolations(page, 'sync page (en, desktop)');
      await page.setViewportSize(PHONE);
      expect(await noSideways(page)).to.equal(true);
      await screenshot(page, 'catalogue-admin-sync-en--phone');
    } finally {
      release();
      await page.context().close();
    }
  });
});
