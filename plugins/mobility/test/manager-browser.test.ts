// The manager pages in a real browser: the files list and a file page on a phone and a desktop,
// an axe-core audit, and a refusal typed and sent with the keyboard.
import { expect } from 'chai';
import type { Browser, Page } from 'playwright-core';
import { coreServices } from '@smile/sdk';
import { startTestPlatform, type TestPlatform } from '@smile/sdk/testing';
import * as h from '@smile/sdk/testing/browser';
import { mobilityService } from '../src/index.js';
import { withoutStepConditions } from './support.js';

const PHONE = { width: 360, height: 740 };
const DESKTOP = { width: 1280, height: 900 };

describe('mobility: manager pages in a browser', function () {
  this.timeout(60_000);
  let browser: Browser | undefined;
  let t: TestPlatform;
  let fileId: number;

  before(async function () {
    if (h.skipBrowser()) return this.skip();
    browser = await h.launchBrowser();
    t = await startTestPlatform({ plugins: ['mobility', 'base'] });
    await withoutStepConditions(t);
    const store = t.resolve(mobilityService);
    const inst = t.institution.id;
    await t.resolve(coreServices.roles).saveComponent({ institutionId: inst, label: 'test' }, { code: 'LAW', name: { fr: 'Faculté de droit', en: 'Law faculty' } });
    const law = (await t.knex('components').where({ institution_id: inst, code: 'LAW' }).first()).id;
    const student = await t.signIn(['student'], { displayName: 'Maria Giovanna Rossi-Bianchi' });
    const m = { institutionId: inst, label: 'Office' };
    const f = await store.createFile(m, {
      firstName: 'Maria Giovanna', lastName: 'Rossi-Bianchi', email: 'maria.giovanna.rossi-bianchi@studenti.unipi.example', exchangeType: 'full-year',
      academicYear: 2026, personId: student.personId, componentId: law, home: { name: 'Università degli Studi di Pisa', country: 'IT', erasmusCode: 'I PISA01' },
    });
    fileId = f.id;
    await store.transition({ institutionId: inst, personId: student.personId, label: 'Maria Giovanna Rossi-Bianchi' }, fileId, { stepKey: 'pre-registration', action: 'validate' });
    for (const n of ['Jan Kowalski', 'Sofía Fernández']) {
      const [first, last] = n.split(' ') as [string, string];
      await store.createFile(m, { firstName: first, lastName: last, exchangeType: 'first-semester', academicYear: 2026, componentId: law, home: { name: 'Uniwersytet Warszawski', country: 'PL' } });
    }
  });
  after(async () => {
    await browser?.close();
    await t?.stop();
  });

  async function pageAs(roles: string[], viewport: { width: number; height: number }): Promise<Page> {
    const s = await t.signIn(roles, { displayName: 'Office Manager' });
    const ctx = await browser!.newContext({ viewport, locale: 'en-GB', reducedMotion: 'reduce' });
    ctx.setDefaultTimeout(10_000);
    await ctx.addCookies(s.cookie.split('; ').map((pair) => {
      const [name, value] = pair.split('=') as [string, string];
      return { name, value, url: t.url };
    }));
    return ctx.newPage();
  }
  const noSideways = (page: Page) => page.evaluate(() => document.documentElement.scrollWidth <= window.innerWidth);

  for (const [label, viewport] of [['phone', PHONE], ['desktop', DESKTOP]] as const) {
    it(`shows the list and the file page on a ${label}`, async () => {
      const page = await pageAs(['manager'], viewport);
      try {
        expect((await page.goto(`${t.url}/mobility/files`))?.status()).to.equal(200);
        expect(await page.getByRole('heading', { level: 1, name: 'Mobility files' }).isVisible()).to.equal(true);
        await h.screenshot(page, `mobility-files--${label}`);
        await h.expectNoSeriousA11yViolations(page, `mobility files (${label})`);
        await page.getByRole('link', { name: 'Rossi-Bianchi Maria Giovanna' }).click();
        await page.waitForURL(`**/mobility/files/${fileId}`);
        expect(await noSideways(page)).to.equal(true);
        await h.screenshot(page, `mobility-file--${label}`);
        await h.expectNoSeriousA11yViolations(page, `mobility file (${label})`);
      } finally {
        await page.context().close();
      }
    });
  }

  it('refuses the step with a comment typed and sent with the keyboard', async () => {
    const page = await pageAs(['manager'], PHONE);
    try {
      await page.goto(`${t.url}/mobility/files/${fileId}`);
      await page.getByLabel('Reason for the refusal (sent to the student)').focus();
      await page.keyboard.type('The transcript is missing.');
      await page.keyboard.press('Tab');
      await page.keyboard.press('Enter');
      await page.waitForLoadState('load');
      await page.getByText('The transcript is missing.').first().waitFor();
      expect(await page.locator('.mobility-timeline').innerText()).to.contain('Refused').and.contain('The transcript is missing.');
      await h.screenshot(page, 'mobility-file-refused--phone');
    } finally {
      await page.context().close();
    }
  });
});
