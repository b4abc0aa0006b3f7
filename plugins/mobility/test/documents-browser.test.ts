// The student's documents page in a real browser, on a 375 × 800 phone, with the keyboard only:
// a form sent without a file puts the focus on the error summary; a PDF chosen and sent shows as
// waiting for review. Screenshots in test-results/screenshots; an axe-core audit.
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { expect } from 'chai';
import type { Browser, Page } from 'playwright-core';
import { startTestPlatform, type TestPlatform } from '@smile/sdk/testing';
import * as h from '@smile/sdk/testing/browser';
import { mobilityService } from '../src/index.js';

const PHONE = { width: 375, height: 800 };

describe('mobility: documents in a browser', function () {
  this.timeout(60_000);
  let browser: Browser | undefined;
  let t: TestPlatform;
  let dataDir: string;
  let fileId: number;
  let session: { cookie: string; personId: number };

  before(async function () {
    if (h.skipBrowser()) return this.skip();
    browser = await h.launchBrowser();
    dataDir = mkdtempSync(path.join(tmpdir(), 'smile-documents-browser-'));
    t = await startTestPlatform({ plugins: ['mobility', 'base'], config: { dataDir } });
    session = await t.signIn(['student'], { displayName: 'Maria Giovanna Rossi-Bianchi' });
    const f = await t.resolve(mobilityService).createFile({ institutionId: t.institution.id, label: 'Office' }, {
      firstName: 'Maria Giovanna', lastName: 'Rossi-Bianchi', exchangeType: 'full-year', academicYear: 2026, personId: session.personId,
    });
    fileId = f.id;
  });
  after(async () => {
    await browser?.close();
    await t?.stop();
    if (dataDir) rmSync(dataDir, { recursive: true, force: true });
  });

  async function studentPage(locale: string): Promise<Page> {
    const ctx = await browser!.newContext({ viewport: PHONE, locale, reducedMotion: 'reduce' });
    ctx.setDefaultTimeout(10_000);
    await ctx.addCookies(session.cookie.split('; ').map((pair) => {
      const [name, value] = pair.split('=') as [string, string];
      return { name, value, url: t.url };
    }));
    return ctx.newPage();
  }

  /** Press Tab until the element matching `selector` has the focus (at most 60 times). */
  async function tabTo(page: Page, selector: string): Promise<void> {
    for (let i = 0; i < 60; i++) {
      await page.keyboard.press('Tab');
      if (await page.evaluate((s) => document.activeElement?.matches(s) ?? false, selector)) return;
    }
    throw new Error(`the keyboard never reached ${selector}`);
  }
  const noSideways = (page: Page) => page.evaluate(() => document.documentElement.scrollWidth <= window.innerWidth);

  it('sends a PDF with the keyboard on a phone and shows it waiting for review', async () => {
    const page = await studentPage('en-GB');
    try {
      expect((await page.goto(`${t.url}/mobility/me/${fileId}/documents`))?.status()).to.equal(200);
      expect(await page.getByRole('heading', { level: 1, name: 'My documents' }).isVisible()).to.equal(true);
      expect(await page.locator('#doc-passport').innerText()).to.contain('Not sent yet');
      expect(await noSideways(page)).to.equal(true);
      await h.screenshot(page, 'mobility-documents--phone');
      await h.expectNoSeriousA11yViolations(page, 'student documents (phone)');

      // sent without a file: the summary takes the focus and links to the field
      await tabTo(page, '#doc-type-passport-file ~ p button, form:has(#doc-type-passport-file) button[type=submit]');
      // the new document's load event, awaited from before the key press (the same URL comes back)
      const loaded = page.waitForEvent('load');
      await page.keyboard.press('Enter');
      await loaded;
      expect(await page.evaluate(() => document.activeElement?.id)).to.equal('documents-errors');
      expect(await page.locator('#doc-type-passport-file-error').innerText()).to.equal('Choose a file to send.');
      expect(await page.locator('#doc-type-passport-file').getAttribute('aria-describedby')).to.contain('doc-type-passport-file-error');
      await h.screenshot(page, 'mobility-documents-error--phone');

      // choose the file with the keyboard (Space opens the chooser), then send it
      await tabTo(page, '#doc-type-passport-file');
      const chooser = page.waitForEvent('filechooser');
      await page.keyboard.press('Space');
      await (await chooser).setFiles({ name: 'passaporto.pdf', mimeType: 'application/pdf', buffer: Buffer.from('%PDF-1.4\n% passport scan\n%%EOF\n') });
      await page.keyboard.press('Tab');
      expect(await page.evaluate(() => document.activeElement?.textContent?.trim())).to.equal('Send');
      await page.keyboard.press('Enter');
      await page.waitForURL(`**/mobility/me/${fileId}/documents#documents`);
      const card = await page.locator('#doc-passport').innerText();
      expect(card).to.contain('Waiting for review').and.contain('Download passaporto.pdf').and.contain('(PDF, 31 B)');
      expect(await page.getByText('“passaporto.pdf” was received: it waits for review.').isVisible()).to.equal(true);
      expect(await noSideways(page)).to.equal(true);
      await h.screenshot(page, 'mobility-documents-sent--phone');
      await h.expectNoSeriousA11yViolations(page, 'student documents after upload (phone)');
    } finally {
      await page.context().close();
    }
  });

  it('shows the manager the document with the accept and refuse forms', async () => {
    const m = await t.signIn(['manager'], { displayName: 'Office Manager' });
    const ctx = await browser!.newContext({ viewport: PHONE, locale: 'en-GB', reducedMotion: 'reduce' });
    ctx.setDefaultTimeout(10_000);
    await ctx.addCookies(m.cookie.split('; ').map((pair) => {
      const [name, value] = pair.split('=') as [string, string];
      return { name, value, url: t.url };
    }));
    const page = await ctx.newPage();
    try {
      expect((await page.goto(`${t.url}/mobility/files/${fileId}/documents`))?.status()).to.equal(200);
      expect(await page.getByRole('button', { name: 'Refuse' }).isVisible()).to.equal(true);
      expect(await noSideways(page)).to.equal(true);
      await h.screenshot(page, 'mobility-documents-manager--phone');
      await h.expectNoSeriousA11yViolations(page, 'manager documents (phone)');
    } finally {
      await ctx.close();
    }
  });

  it('reads in French', async () => {
    const page = await studentPage('fr-FR');
    try {
      await page.goto(`${t.url}/mobility/me/${fileId}/documents?lang=fr`);
      expect(await page.getByRole('heading', { level: 1, name: 'Mes documents' }).isVisible()).to.equal(true);
      expect(await page.locator('#doc-passport').innerText()).to.contain('En attente de vérification');
      expect(await page.locator('#doc-transcript').innerText()).to.contain('Pas encore envoyé');
      await h.screenshot(page, 'mobility-documents-fr--phone');
    } finally {
      await page.context().close();
    }
  });
});
