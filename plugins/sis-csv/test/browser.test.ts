// A manager imports the seed system's files in a real browser: one bad row is reported with its
// line, the fixed file goes through, the new elements are listed. Desktop and phone, axe-core audit.
import { expect } from 'chai';
import type { Page } from 'playwright-core';
import type { TestPlatform } from '@smile/sdk/testing';
import * as h from '@smile/sdk/testing/browser';
import { yearLabel } from '@smile/plugin-catalogue';
import { COMPONENTS, FORMATIONS, boot, courses, store } from './support.js';

const csv = (name: string, text: string) => ({ name, mimeType: 'text/csv', buffer: Buffer.from(text) });

describe('sis-csv: a manager imports CSV files in a browser', function () {
  this.timeout(120_000);
  const b = h.useBrowser();
  let t: TestPlatform;

  before(async () => {
    t = await boot();
  });
  after(async () => t?.stop());

  async function pageAs(roles: string[], opts: { width: number; height: number; locale: string }): Promise<Page> {
    const page = await b.newPage(opts);
    const s = await t.signIn(roles);
    await page.context().addCookies(s.cookie.split('; ').map((pair) => {
      const [name, value] = pair.split('=') as [string, string];
      return { name, value, url: t.url };
    }));
    return page;
  }
  const noSideways = (page: Page) => page.evaluate(() => document.documentElement.scrollWidth <= window.innerWidth);

  it('sees the error of the bad row with its line, fixes the file, imports, and sees the new elements', async () => {
    const page = await pageAs(['manager'], { width: 1280, height: 900, locale: 'en-GB' });
    try {
      expect((await page.goto(`${t.url}/catalogue/admin/import/csv`))?.status()).to.equal(200);
      await h.screenshot(page, 'sis-csv-upload-en');
      await h.expectNoSeriousA11yViolations(page, 'sis-csv upload (en)');

      await page.getByLabel('CSV files').setInputFiles([csv('composantes.csv', COMPONENTS), csv('formations.csv', FORMATIONS), csv('cours.csv', courses('-2'))]);
      await page.getByRole('button', { name: 'Check the files' }).click();
      await page.getByRole('heading', { name: '1 error: nothing will be imported.' }).waitFor();
      const row = page.getByRole('row').filter({ hasText: 'ECO302' });
      expect((await row.innerText()).replace(/\s+/g, ' ')).to.contain('cours.csv 4 ECO302 ects ects must be between 0 and 120 (read: -2)');
      expect(await page.getByRole('button', { name: /^Import into/ }).count()).to.equal(0);
      await h.screenshot(page, 'sis-csv-preview-errors-en');
      await h.expectNoSeriousA11yViolations(page, 'sis-csv preview with errors (en)');

      // the preview offers the form again: upload the fixed files
      await page.getByLabel('CSV files').setInputFiles([csv('composantes.csv', COMPONENTS), csv('formations.csv', FORMATIONS), csv('cours.csv', courses())]);
      await page.getByRole('button', { name: 'Check the files' }).click();
      await page.getByText('The files are correct.').waitFor();
      expect(await page.getByRole('row', { name: /Teaching elements/ }).innerText()).to.match(/Teaching elements\s+4\s+0\s+0/);
      expect(await store(t).element(t.institution.id, store(t).currentYear(), 'ECO302')).to.equal(undefined);
      await h.screenshot(page, 'sis-csv-preview-clean-en');

      await page.getByRole('button', { name: `Import into ${yearLabel(store(t).currentYear())}` }).click();
      await page.getByText('Import finished: 8 created, 0 updated.').first().waitFor();
      for (const title of ['Économie internationale', 'Économie de l’environnement', 'Histoire de la pensée économique', 'Le roman européen']) {
        expect(await page.getByRole('link', { name: title }).isVisible(), title).to.equal(true);
      }
      await h.screenshot(page, 'sis-csv-result-en');
      await h.expectNoSeriousA11yViolations(page, 'sis-csv result (en)');
      expect((await store(t).element(t.institution.id, store(t).currentYear(), 'ECO302'))!.ects).to.equal(4.5);
      // each is a link to its page in the catalogue
      await page.getByRole('link', { name: 'Économie de l’environnement' }).click();
      await page.waitForURL(`**/catalogue/${store(t).currentYear()}/elements/ECO302`);
      expect(await page.getByRole('heading', { level: 1, name: /Économie de l’environnement/ }).isVisible()).to.equal(true);
    } finally {
      await page.context().close();
    }
  });

  it('works on a phone in French, with the keyboard, without sideways scrolling', async () => {
    const page = await pageAs(['manager'], { width: 360, height: 740, locale: 'fr-FR' });
    try {
      await page.goto(`${t.url}/catalogue/admin/import/csv`);
      expect(await noSideways(page)).to.equal(true);
      await page.getByLabel('Fichiers CSV').setInputFiles([csv('cours.csv', courses('abc').replace('ECO303;', 'ECO303-avec-un-code-vraiment-tres-long;'))]);
      await page.getByRole('button', { name: 'Vérifier les fichiers' }).focus();
      await page.keyboard.press('Enter');
      await page.getByRole('heading', { name: '1 erreur : rien ne sera importé.' }).waitFor();
      expect(await page.getByText('« abc » n’est pas un nombre.').isVisible()).to.equal(true);
      expect(await noSideways(page)).to.equal(true);
      await h.screenshot(page, 'sis-csv-preview-errors-fr--phone');
      await h.expectNoSeriousA11yViolations(page, 'sis-csv preview with errors (fr, phone)');
      await page.goto(`${t.url}/catalogue/admin/import/csv`);
      expect(await noSideways(page)).to.equal(true);
      await h.screenshot(page, 'sis-csv-upload-fr--phone');
    } finally {
      await page.context().close();
    }
  });
});
