// The student space in a real browser, on a 375×800 phone and with the keyboard only: the file
// page with its progress bar, the profile filled in (an error first: the summary takes the focus),
// the step sent; screenshots and an axe-core audit of each page.
import { expect } from 'chai';
import type { Page } from 'playwright-core';
import { startTestPlatform, type TestPlatform } from '@smile/sdk/testing';
import * as h from '@smile/sdk/testing/browser';
import { defaultSteps, mobilityService, type MobilityStore } from '../src/index.js';

const PHONE = { width: 375, height: 800 };

/** Press Tab until the focused element matches `selector` (the way a keyboard user gets there). */
async function tabTo(page: Page, selector: string, max = 120): Promise<void> {
  for (let i = 0; i < max; i++) {
    await page.keyboard.press('Tab');
    if (await page.evaluate((sel) => document.activeElement?.matches(sel) ?? false, selector)) return;
  }
  throw new Error(`${selector} is not reachable with the Tab key`);
}
const focusedId = (page: Page) => page.evaluate(() => document.activeElement?.id ?? '');
const noSideways = (page: Page) => page.evaluate(() => document.documentElement.scrollWidth <= window.innerWidth);

describe('mobility: student space in a browser (phone, keyboard only)', function () {
  this.timeout(90_000);
  const b = h.useBrowser();
  let t: TestPlatform;
  let store: MobilityStore;
  let fileId: number;
  let cookie: string;
  let personId: number;

  before(async function () {
    if (h.skipBrowser()) return this.skip();
    t = await startTestPlatform({ plugins: ['mobility', 'base'] });
    store = t.resolve(mobilityService);
    const office = { institutionId: t.institution.id, label: 'Office' };
    // the profile condition alone: the documents other parts require are not this suite's subject
    await store.publishProcess(office, 'full-year', defaultSteps().map((s) => ({ ...s, requiredDocuments: [] })));
    const s = await t.signIn(['student'], { displayName: 'Maria Giovanna Rossi-Bianchi' });
    cookie = s.cookie;
    personId = s.personId;
    fileId = (await store.createFile(office, {
      firstName: 'Maria Giovanna', lastName: 'Rossi-Bianchi', email: 'maria.giovanna.rossi-bianchi@studenti.unipi.example', exchangeType: 'full-year',
      academicYear: 2026, personId: s.personId, home: { name: 'Università degli Studi di Pisa', country: 'IT' },
    })).id;
  });
  after(async () => {
    await t?.stop();
  });

  async function phonePage(locale = 'en-GB'): Promise<Page> {
    const page = await b.newPage({ ...PHONE, locale });
    await page.context().addCookies(cookie.split('; ').map((pair) => {
      const i = pair.indexOf('=');
      return { name: pair.slice(0, i), value: pair.slice(i + 1), url: t.url };
    }));
    return page;
  }

  it('shows the file with its progress bar, fills the profile and sends the step, by keyboard', async () => {
    const page = await phonePage();
    try {
      await page.goto(`${t.url}/mobility/me`);
      await page.waitForURL(`**/mobility/me/${fileId}`);
      expect(await page.getByRole('heading', { level: 1, name: 'My mobility 2026–2027' }).isVisible()).to.equal(true);
      expect(await page.locator('progress.student-bar').isVisible()).to.equal(true);
      expect(await page.locator('[aria-current="step"]').innerText()).to.contain('Pre-registration');
      expect(await noSideways(page)).to.equal(true);
      await h.screenshot(page, 'mobility-student-file--phone');
      await h.expectNoSeriousA11yViolations(page, 'student file (phone)');

      await tabTo(page, 'a[href$="/profile"]');
      await page.keyboard.press('Enter');
      await page.waitForURL(`**/mobility/me/${fileId}/profile`);
      expect(await noSideways(page)).to.equal(true);
      await h.expectNoSeriousA11yViolations(page, 'student profile (phone)');

      // a mistake first: the error summary takes the focus, the field says what is wrong
      await tabTo(page, '#p-email');
      await page.keyboard.press('Control+A');
      await page.keyboard.type('maria-at-unipi');
      await tabTo(page, 'form.student-form button[type="submit"]');
      await page.keyboard.press('Enter');
      await page.waitForLoadState('load');
      // autofocus is applied once the page is rendered, just after its load event
      await page.waitForFunction(() => document.activeElement?.id === 'error-summary').catch(() => undefined);
      expect(await focusedId(page)).to.equal('error-summary');
      expect(await page.locator('#p-email-error').innerText()).to.contain('Enter an e-mail address like');
      expect(await page.locator('#p-email').inputValue(), 'nothing typed is lost').to.equal('maria-at-unipi');
      await h.screenshot(page, 'mobility-student-profile-error--phone');
      await h.expectNoSeriousA11yViolations(page, 'student profile with errors (phone)');

      await tabTo(page, '#p-birthDate');
      // the same digits either way round: the order of a date field follows the browser's own locale
      await page.keyboard.type('04042003');
      await tabTo(page, '#p-nationality');
      await page.keyboard.type('Italy');
      await tabTo(page, '#p-gender');
      await page.keyboard.type('Female');
      await tabTo(page, '#p-email');
      await page.keyboard.press('Control+A');
      await page.keyboard.type('maria@unipi.example');
      await tabTo(page, '#p-street');
      await page.keyboard.type('Via Roma');
      await tabTo(page, '#p-city');
      await page.keyboard.type('Pisa');
      await tabTo(page, '#p-country');
      await page.keyboard.type('Italy');
      expect(await page.locator('#p-birthDate').inputValue()).to.equal('2003-04-04');
      expect(await page.locator('#p-nationality').inputValue()).to.equal('IT');
      expect(await page.locator('#p-gender').inputValue()).to.equal('female');
      await h.screenshot(page, 'mobility-student-profile-filled--phone');
      await tabTo(page, 'form.student-form button[type="submit"]');
      await page.keyboard.press('Enter');
      await page.waitForURL(`**/mobility/me/${fileId}`);
      expect(await page.locator('.flash').innerText()).to.contain('Your profile was saved.');
      expect(await page.locator('main').innerText()).to.contain('5 of 5 required fields filled in.');

      await tabTo(page, 'form[action$="/submit"] button');
      // the answer comes back to the same address: wait for the new page's load, not for the URL
      await Promise.all([page.waitForEvent('load'), page.keyboard.press('Enter')]);
      expect(await page.locator('.flash').innerText()).to.contain('Sent. Your file is now at step “Registered, waiting for office validation”.');
      expect(await page.locator('[aria-current="step"]').innerText()).to.contain('Registered, waiting for office validation');
      expect(await page.locator('progress.student-bar').getAttribute('value')).to.equal('14');
      expect(await noSideways(page)).to.equal(true);
      await h.screenshot(page, 'mobility-student-sent--phone');
      await h.expectNoSeriousA11yViolations(page, 'student file after sending (phone)');
    } finally {
      await page.context().close();
    }
  });

  it('reads in French', async () => {
    const page = await phonePage('fr-FR');
    try {
      await page.goto(`${t.url}/mobility/me/${fileId}?lang=fr`);
      expect(await page.getByRole('heading', { level: 1, name: 'Ma mobilité 2026–2027' }).isVisible()).to.equal(true);
      expect(await page.locator('main').innerText()).to.contain('Le bureau des relations internationales traite votre dossier');
      await h.screenshot(page, 'mobility-student-file-fr--phone');
      await h.expectNoSeriousA11yViolations(page, 'student file in French (phone)');
    } finally {
      await page.context().close();
    }
  });

  it('shows a referent’s refusal as theirs, one refused course per line', async () => {
    const system = { institutionId: t.institution.id, label: 'system' };
    const { id } = await store.createFile(system, {
      firstName: 'Maria Giovanna', lastName: 'Rossi-Bianchi', exchangeType: 'full-year', academicYear: 2026, personId, home: { name: 'Università degli Studi di Pisa', country: 'IT' },
    });
    for (const step of ['pre-registration', 'office-validation', 'course-selection']) await store.transition(system, id, { stepKey: step, action: 'validate' }, undefined, { system: true });
    const referent = await t.signIn(['referent'], { displayName: 'Jean Dupont' });
    const lines = ['Some courses were refused:', '- LAW101 – Civil law: no seat left for exchange students this autumn', '- ECO201 – Microeconomics: prerequisite missing'];
    await store.transition({ institutionId: t.institution.id, personId: referent.personId, label: 'Jean Dupont' }, id, { stepKey: 'referent-approval', action: 'refuse', comment: lines.join('\n') });
    const page = await phonePage();
    try {
      await page.goto(`${t.url}/mobility/me/${id}`);
      const comment = page.locator('.student-timeline .student-comment').first();
      expect(await comment.locator('.student-comment-by').innerText()).to.equal('Comment from the educational referent:');
      // what the reader sees: each refused course on a line of its own
      const shown = (await comment.locator('.student-comment-text').innerText()).split('\n').map((l) => l.trim()).filter(Boolean);
      expect(shown).to.deep.equal(lines);
      expect(await page.locator('main').innerText()).not.to.contain('Jean Dupont');
      expect(await noSideways(page)).to.equal(true);
      await comment.scrollIntoViewIfNeeded();
      await h.screenshot(page, 'mobility-student-refused--phone');
      await h.expectNoSeriousA11yViolations(page, 'student file with a refusal (phone)');
    } finally {
      await page.context().close();
    }
  });
});
