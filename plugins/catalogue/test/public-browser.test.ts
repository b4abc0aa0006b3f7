// The public catalogue in a real browser (Debian's Chromium): results that follow the typing
// without a page load, filters that combine, the URL that follows the query, a phone-sized screen,
// the keyboard alone, and an axe-core audit (WCAG 2.1 A/AA).
import { expect } from 'chai';
import type { Page } from 'playwright-core';
import type { TestPlatform } from '@smile/sdk/testing';
import * as h from '@smile/sdk/testing/browser';
import { publicBatch } from './public-fixtures.js';
import { boot, store, system } from './support.js';

const PHONE = { width: 360, height: 740 };

describe('catalogue: the public catalogue in a browser', function () {
  this.timeout(90_000);
  const b = h.useBrowser();
  let t: TestPlatform;
  let year: number;

  before(async function () {
    if (h.skipBrowser()) return this.skip();
    t = await boot();
    year = store(t).currentYear();
    const report = await store(t).importBatch(system(t), year, publicBatch(), { source: 'test' });
    expect(report.errors).to.deep.equal([]);
  });
  after(async () => t?.stop());

  const codes = (page: Page) => page.locator('#catalogue-results .pub-code').allTextContents();
  const noSideways = (page: Page) => page.evaluate(() => document.documentElement.scrollWidth <= window.innerWidth);
  /** Results and count as they are once the request in flight (if any) has been answered. */
  const settled = async (page: Page, count: string | RegExp) => {
    await page.locator('#catalogue-count', { hasText: count }).waitFor();
    await page.waitForFunction(() => !document.querySelector('.htmx-request'));
  };

  it('updates the results as one types "economie", then narrows them with filters, the URL following', async () => {
    const page = await b.newPage({ locale: 'fr-FR' });
    try {
      await page.goto(`${t.url}/catalogue`);
      // on a wide screen the filters are unfolded (by public.js), on a phone they are not (below)
      await page.waitForFunction(() => (document.getElementById('catalogue-filters') as HTMLDetailsElement).open);
      // a marker that a page load would wipe out
      await page.evaluate(() => ((window as any).stillHere = true));
      await page.getByLabel('Chercher un cours').pressSequentially('economie', { delay: 20 });
      await page.getByRole('link', { name: 'Économie de l’environnement' }).waitFor();
      await settled(page, /^\d+ cours$/);
      expect(await codes(page)).to.include.members(['UE1', 'HIST', 'ECOENV']);
      expect(await page.evaluate(() => (window as any).stillHere)).to.equal(true);
      expect(new URL(page.url()).search).to.equal('?q=economie');
      const before = (await codes(page)).length;

      await page.getByLabel('Période').selectOption('S2');
      await page.waitForURL((u) => u.search === '?q=economie&semester=S2');
      await settled(page, /cours/);
      const s2 = await codes(page);
      expect(s2.length).to.be.lessThan(before);
      expect(s2).to.include('ECOENV').and.not.include('UE1');

      await page.getByLabel('Langue d’enseignement').selectOption('en');
      await page.waitForURL((u) => u.search === '?q=economie&semester=S2&language=en');
      await settled(page, '1 cours');
      expect(await codes(page)).to.deep.equal(['ECOENV']);
      expect(await page.locator('#catalogue-filter-count').textContent()).to.equal('(2 actifs)');
      expect(await page.evaluate(() => (window as any).stillHere)).to.equal(true);
      await h.screenshot(page, 'catalogue-public-search-fr--desktop');
      await h.expectNoSeriousA11yViolations(page, 'catalogue search (fr, desktop)');

      // the URL is the search: loading it gives the same page
      await page.reload();
      expect(await codes(page)).to.deep.equal(['ECOENV']);
      expect(await page.getByLabel('Chercher un cours').inputValue()).to.equal('economie');
    } finally {
      await page.context().close();
    }
  });

  it('fits a phone: the filters fold away, nothing scrolls sideways', async () => {
    const page = await b.newPage({ ...PHONE, locale: 'en-GB' });
    try {
      await page.goto(`${t.url}/catalogue?q=economics`);
      expect(await page.locator('#catalogue-filters').evaluate((d) => (d as HTMLDetailsElement).open)).to.equal(false);
      expect(await noSideways(page)).to.equal(true);
      await h.screenshot(page, 'catalogue-public-search-en--phone');
      await h.expectNoSeriousA11yViolations(page, 'catalogue search (en, phone)');
      await page.locator('#catalogue-filters summary').focus();
      await page.keyboard.press('Enter');
      await page.getByLabel('Faculty or school').waitFor();
      expect(await noSideways(page)).to.equal(true);
      await h.screenshot(page, 'catalogue-public-filters-en--phone');

      await page.goto(`${t.url}/catalogue/${year}/elements/ECOENV`);
      expect(await page.getByRole('heading', { level: 1, name: 'Environmental economics' }).isVisible()).to.equal(true);
      expect(await noSideways(page)).to.equal(true);
      await h.screenshot(page, 'catalogue-public-element-en--phone');
      await h.expectNoSeriousA11yViolations(page, 'catalogue element (en, phone)');

      await page.goto(`${t.url}/catalogue/${year}/elements/TRAVAIL`);
      expect(await page.getByText('This course is not open to incoming exchange students').isVisible()).to.equal(true);
      await h.screenshot(page, 'catalogue-public-element-closed-en--phone');

      await page.goto(`${t.url}/catalogue/${year}/formations/L3ECO`);
      expect(await noSideways(page)).to.equal(true);
      await h.screenshot(page, 'catalogue-public-formation-en--phone');
      await h.expectNoSeriousA11yViolations(page, 'catalogue formation (en, phone)');

      await page.goto(`${t.url}/catalogue/components`);
      expect(await noSideways(page)).to.equal(true);
      await h.screenshot(page, 'catalogue-public-components-en--phone');
      await h.expectNoSeriousA11yViolations(page, 'catalogue components (en, phone)');
    } finally {
      await page.context().close();
    }
  });

  it('works with the keyboard alone: search, open a result, page through', async () => {
    const page = await b.newPage({ ...PHONE, locale: 'fr-FR' });
    try {
      await page.goto(`${t.url}/catalogue`);
      const focused = () => page.evaluate(() => document.activeElement?.id || document.activeElement?.textContent?.trim() || '');
      const tabTo = async (want: (f: string) => boolean) => {
        for (let i = 0; i < 60; i++) {
          await page.keyboard.press('Tab');
          if (want(await focused())) return;
        }
        throw new Error('not reached with Tab');
      };
      await tabTo((f) => f === 'catalogue-q');
      await page.keyboard.type('macro');
      await page.getByRole('link', { name: 'Macroéconomie' }).waitFor();
      await tabTo((f) => f === 'Macroéconomie');
      await page.keyboard.press('Enter');
      await page.waitForURL(`**/catalogue/${year}/elements/MACRO`);
      expect(await page.getByRole('heading', { level: 1 }).textContent()).to.equal('Macroéconomie');

      // paging: the focus goes to the results, the page number goes into the URL
      await page.goto(`${t.url}/catalogue?q=seminaire&size=10`);
      await tabTo((f) => f === 'Page 2');
      await page.keyboard.press('Enter');
      await page.waitForURL((u) => u.search === '?q=seminaire&size=10&page=2');
      await page.locator('#catalogue-count', { hasText: 'Cours 11 à 20 sur 24' }).waitFor();
      expect(await focused()).to.equal('catalogue-results-title');
      await h.screenshot(page, 'catalogue-public-page2-fr--phone');
    } finally {
      await page.context().close();
    }
  });
});
