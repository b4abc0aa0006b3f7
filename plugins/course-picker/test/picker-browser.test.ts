// The picker in a real browser, on a 375 × 800 phone screen, with the keyboard only: search, add
// courses, read the ECTS bar and a rule explained, a refused submission (error summary focused),
// then a submission that goes through. Screenshots in test-results/screenshots.
import { expect } from 'chai';
import type { Page } from 'playwright-core';
import type { TestPlatform } from '@smile/sdk/testing';
import * as h from '@smile/sdk/testing/browser';
import { mobilityService } from '@smile/plugin-mobility';
import { boot, seedCatalogue, studentAtChoice } from './support.js';

describe('course-picker: the picker in a browser, by keyboard on a phone', function () {
  this.timeout(120_000);
  const browser = h.useBrowser();
  let t: TestPlatform;
  let page: Page;
  let fileId: number;

  before(async function () {
    if (h.skipBrowser()) return this.skip();
    t = await boot();
    await seedCatalogue(t);
    const { session, file } = await studentAtChoice(t, 'Zofia Wiśniewska');
    fileId = file.id;
    page = await browser.newPage({ width: 375, height: 800, locale: 'en-GB' });
    await page.context().addCookies(session.cookie.split('; ').map((pair) => {
      const [name, value] = pair.split('=') as [string, string];
      return { name, value, url: t.url };
    }));
  });
  after(async () => {
    await page?.context().close();
    await t?.stop();
  });

  const active = () => page.evaluate(() => document.activeElement?.id ?? '');
  const noSideways = () => page.evaluate(() => document.documentElement.scrollWidth <= window.innerWidth);

  /** Type a search, then Tab to the course's Add button and press Enter; wait for the change to be announced. */
  async function addByKeyboard(code: string, words: string): Promise<void> {
    await page.keyboard.press('Control+Home');
    await page.getByLabel('Search for a course').focus();
    await page.keyboard.press('Control+A');
    await page.keyboard.type(words);
    await page.locator('#picker-results .cp-code', { hasText: code }).first().waitFor();
    await page.waitForFunction((c) => Array.from(document.querySelectorAll('#picker-results .cp-code')).every((e) => e.textContent === c), code);
    // htmx takes over the new results' forms once they have settled (before that, Enter would post the plain form)
    await page.locator(`form:has(#toggle-${code})[data-htmx-powered]`).waitFor();
    for (let i = 0; i < 12 && (await active()) !== `toggle-${code}`; i++) await page.keyboard.press('Tab');
    expect(await active()).to.equal(`toggle-${code}`);
    await page.keyboard.press('Enter');
    await page.locator('#picker-status', { hasText: `${code} – ` }).waitFor();
    // the focus stays on the same button, now "Remove"
    expect(await active()).to.equal(`toggle-${code}`);
  }

  it('searches, adds, shows the ECTS bar and the rule explained, refuses then accepts the submission', async () => {
    const res = await page.goto(`${t.url}/mobility/me/${fileId}/courses`);
    expect(res?.status()).to.equal(200);
    await h.screenshot(page, 'course-picker--empty--phone');
    await h.expectNoSeriousA11yViolations(page, 'picker (empty)');

    await addByKeyboard('LAW102', 'contract');
    const choice = page.locator('#picker-choice');
    expect(await choice.innerText()).to.contain('6 / 30 ECTS').and.to.contain('You have 6 ECTS in semester 1; the minimum is 30: add 24 ECTS or more.');
    expect(await noSideways()).to.equal(true);
    await h.screenshot(page, 'course-picker--one-course--phone');
    await h.expectNoSeriousA11yViolations(page, 'picker (one course)');

    // the submit button is just before the search: Shift+Tab from the search field, then Enter
    await page.getByLabel('Search for a course').focus();
    await page.keyboard.press('Shift+Tab');
    expect(await active()).to.equal('picker-submit');
    await page.keyboard.press('Enter');
    await page.waitForLoadState('load');
    await page.locator('#picker-errors').waitFor();
    expect(await active()).to.equal('picker-errors');
    expect(await page.locator('#picker-errors').innerText()).to.contain('You have 6 ECTS in semester 1; the minimum is 30: add 24 ECTS or more.');
    await h.screenshot(page, 'course-picker--refused--phone');

    await addByKeyboard('LAW101', 'constitutional');
    await addByKeyboard('LAW103', 'criminal');
    await addByKeyboard('LAW104', 'administrative');
    await addByKeyboard('LAW105', 'european');
    expect(await choice.innerText()).to.contain('30 / 30 ECTS').and.to.contain('This meets the rules.');
    await h.screenshot(page, 'course-picker--complete--phone');

    await page.getByLabel('Search for a course').focus();
    await page.keyboard.press('Shift+Tab');
    expect(await active()).to.equal('picker-submit');
    await page.keyboard.press('Enter');
    await page.waitForLoadState('load');
    await page.getByText('Your choice was submitted to the referents.').waitFor();
    expect(await page.locator('#picker-choice').innerText()).to.contain('Submitted: your choice is with the referents');
    expect(await noSideways()).to.equal(true);
    await h.screenshot(page, 'course-picker--submitted--phone');
    expect((await t.resolve(mobilityService).file(t.institution.id, fileId))!.currentStep).to.equal('referent-approval');
  });

  it('shows the referent the submitted choice with a decision form per course of their component', async () => {
    const referent = await t.signIn([{ role: 'referent', components: ['LAW'] }], { displayName: 'Prof. Law' });
    const other = await browser.newPage({ width: 375, height: 800, locale: 'en-GB' });
    try {
      await other.context().addCookies(referent.cookie.split('; ').map((pair) => {
        const [name, value] = pair.split('=') as [string, string];
        return { name, value, url: t.url };
      }));
      expect((await other.goto(`${t.url}/mobility/files/${fileId}/courses`))?.status()).to.equal(200);
      expect(await other.getByRole('group', { name: 'Decision on LAW101' }).isVisible()).to.equal(true);
      expect(await other.evaluate(() => document.documentElement.scrollWidth <= window.innerWidth)).to.equal(true);
      await h.screenshot(other, 'course-picker--referent--phone');
      await h.expectNoSeriousA11yViolations(other, 'referent page');
    } finally {
      await other.context().close();
    }
  });
});
