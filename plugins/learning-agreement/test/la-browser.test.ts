// The student's Learning Agreement page in a real browser, on a phone: an axe-core audit, no
// sideways scrolling, a refused form that focuses its error summary, then completion and signature
// with the keyboard only; the signing link page on a phone.
import { expect } from 'chai';
import type { Page } from 'playwright-core';
import { startTestPlatform, type TestPlatform } from '@smile/sdk/testing';
import * as h from '@smile/sdk/testing/browser';
import { generatedFile, lastLink, SETTINGS } from './la-support.js';

const PHONE = { width: 375, height: 740 };

describe('learning agreement: pages in a browser', function () {
  this.timeout(120_000);
  const b = h.useBrowser();
  let t: TestPlatform;
  let fileId: number;
  let session: { cookie: string };

  before(async function () {
    if (h.skipBrowser()) return this.skip();
    t = await startTestPlatform({ plugins: ['learning-agreement', 'base'], settings: SETTINGS });
    const s = await t.signIn(['student'], { displayName: 'Łucja Kowalska' });
    session = s;
    fileId = (await generatedFile(t, s.personId, 'Kowalska')).id;
  });
  after(async () => t?.stop());

  async function phonePage(lang: 'en' | 'fr', cookie?: string): Promise<Page> {
    const page = await b.newPage({ ...PHONE, locale: lang === 'en' ? 'en-GB' : 'fr-FR' });
    if (cookie) {
      await page.context().addCookies(cookie.split('; ').map((pair) => {
        const [name, value] = pair.split('=') as [string, string];
        return { name, value, url: t.url };
      }));
    }
    return page;
  }
  const noSideways = (page: Page) => page.evaluate(() => document.documentElement.scrollWidth <= window.innerWidth);

  it('lets the student complete and sign on a phone, with the keyboard', async () => {
    const page = await phonePage('en', session.cookie);
    expect((await page.goto(`${t.url}/mobility/me/${fileId}/learning-agreement`))?.status()).to.equal(200);
    expect(await noSideways(page)).to.equal(true);
    await h.screenshot(page, 'la-student--phone');
    await h.expectNoSeriousA11yViolations(page, 'learning agreement (student, phone)');

    // a form sent incomplete comes back with the typed values and the focus on the summary
    await page.getByLabel('Your faculty or department at your home institution').fill('Wydział Ekonomiczno-Socjologiczny');
    await page.getByRole('button', { name: 'Save as a new version' }).press('Enter');
    await page.waitForSelector('#la-error');
    expect(await page.evaluate(() => document.activeElement?.id)).to.equal('la-error');
    expect(await page.getByLabel('Your faculty or department at your home institution').inputValue()).to.equal('Wydział Ekonomiczno-Socjologiczny');
    await h.screenshot(page, 'la-student-errors--phone');

    await page.getByLabel('First name(s)').fill('Zbigniew');
    await page.getByLabel('Last name').fill('Świątek');
    await page.getByLabel('E-mail', { exact: true }).fill('coordinator@uni.lodz.pl');
    await page.getByLabel('Your level in the language of instruction (French)').selectOption('B2');
    const row = page.getByRole('group', { name: 'Component 1' });
    await row.getByLabel('Title').fill('Mikroekonomia');
    await row.getByLabel('Term').selectOption('S1');
    await row.getByLabel('ECTS credits').fill('6');
    await row.getByLabel('ECTS credits').press('Enter');
    await page.getByRole('button', { name: 'Sign version 2' }).waitFor();
    await page.getByRole('button', { name: 'Sign version 2' }).focus();
    await page.keyboard.press('Enter');
    await page.getByText('Your signature is recorded.').waitFor();
    expect(await noSideways(page)).to.equal(true);
    await h.screenshot(page, 'la-student-signed--phone');
    await h.expectNoSeriousA11yViolations(page, 'learning agreement (student signed, phone)');
  });

  it('shows the signing link page to the coordinator on a phone, in French', async () => {
    const page = await phonePage('fr');
    expect((await page.goto(`${t.url}${await lastLink(t, 'coordinator@uni.lodz.pl')}`))?.status()).to.equal(200);
    expect(await page.getByRole('button', { name: 'Signer la version 2' }).isVisible()).to.equal(true);
    expect(await noSideways(page)).to.equal(true);
    await h.screenshot(page, 'la-link--phone');
    await h.expectNoSeriousA11yViolations(page, 'learning agreement (signing link, phone)');
  });
});
