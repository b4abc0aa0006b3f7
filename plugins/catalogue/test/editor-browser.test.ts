// The offer editor in a real browser: the outline is operated with the keyboard alone (arrows move
// the focus, Right/Left open and close branches, Alt+Down moves an element, saved through htmx and
// still there after a reload), at desktop size and on a 360 px phone, in French and English; each
// state is audited with axe-core (no serious or critical WCAG 2.1 A/AA violation) and screenshot.
import { expect } from 'chai';
import type { Page } from 'playwright-core';
import type { TestPlatform } from '@smile/sdk/testing';
import { expectNoSeriousA11yViolations, screenshot, skipBrowser, useBrowser } from '@smile/sdk/testing/browser';
import { editorPath } from '../src/editor.js';
import { boot, smallBatch, store, system } from './support.js';

const DESKTOP = { width: 1280, height: 900 };
const PHONE = { width: 360, height: 740 };

describe('catalogue: offer editor in a browser', function () {
  this.timeout(90_000);
  const b = useBrowser();
  let t: TestPlatform;
  const year = 2026;
  let eco = 0;

  before(async function () {
    if (skipBrowser()) return this.skip();
    t = await boot();
    const batch = smallBatch();
    batch.elements.push({ code: 'ECONO', titleFr: 'Économétrie', titleEn: 'Econometrics', ects: 6, semester: 'S2', languages: ['fr'] });
    batch.links.push({ formationCode: 'L3ECO', parentCode: 'UE1', childCode: 'ECONO' });
    const r = await store(t).importBatch(system(t), year, batch, { source: 'sis-test' });
    expect(r.errors).to.deep.equal([]);
    eco = (await store(t).formation(t.institution.id, year, 'L3ECO'))!.id;
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
  /** Codes of the tree items, in order, with their level: `UE1 2:MICRO`. */
  const outline = (page: Page) =>
    page.$$eval('#editor-tree [role="treeitem"]', (items) => items.filter((li) => (li as HTMLElement).offsetParent !== null).map((li) => {
      const level = Number(li.getAttribute('aria-level'));
      return `${level > 1 ? `${level}:` : ''}${(li as HTMLElement).dataset.code}`;
    }).join(' '));
  const focused = (page: Page) => page.evaluate(() => (document.activeElement as HTMLElement | null)?.dataset?.code ?? document.activeElement?.id ?? null);
  const children = async (code: string) => {
    const tree = await store(t).tree(t.institution.id, eco);
    return tree.find((n) => n.element.code === code)!.children.map((n) => n.element.code);
  };
  /** After a move: the live region says `text` and the focus is back on `code`. */
  const moved = async (page: Page, text: string, code: string) => {
    await page.locator('#editor-status').filter({ hasText: text }).waitFor();
    // the script has taken the new outline in hand (selection, focus, closed branches)
    await page.locator('#editor-outline[data-synced]').waitFor({ state: 'attached' });
    await page.waitForFunction((c) => (document.activeElement as HTMLElement | null)?.dataset?.code === c, code);
  };
  const noSideways = (page: Page) => page.evaluate(() => document.documentElement.scrollWidth <= window.innerWidth);

  it('moves an element with the keyboard (Alt+Down); the new order is saved and survives a reload', async () => {
    const page = await pageAs(['manager']);
    try {
      await page.goto(t.url + editorPath(eco));
      expect(await outline(page)).to.equal('UE1 2:MICRO 2:MACRO 2:ECONO HIST');
      await screenshot(page, 'catalogue-editor-en--desktop');
      await expectNoSeriousA11yViolations(page, 'offer editor (en, desktop)');

      // Tab reaches the tree's single tab stop: the selected element
      await page.locator('#editor-tree [tabindex="0"]').focus();
      expect(await focused(page)).to.equal('UE1');
      await page.keyboard.press('ArrowDown');
      expect(await focused(page)).to.equal('MICRO');
      expect(await page.locator('#editor-node [data-fill="code"]').textContent(), 'the panel follows the selection').to.equal('MICRO');

      const answer = page.waitForResponse((r) => r.url().endsWith('/editor/move') && r.request().method() === 'POST');
      await page.keyboard.press('Alt+ArrowDown');
      expect((await answer).status()).to.equal(200);
      await moved(page, 'MICRO moved: 2 of 3 under UE1.', 'MICRO');
      expect(await outline(page)).to.equal('UE1 2:MACRO 2:MICRO 2:ECONO HIST');
      expect(await page.locator('#editor-tree [tabindex="0"]').count(), 'one tab stop after the swap').to.equal(1);
      expect(await children('UE1')).to.deep.equal(['MACRO', 'MICRO', 'ECONO']);
      await screenshot(page, 'catalogue-editor-moved-en--desktop');

      // again, and out of its parent with Alt+Left
      await page.keyboard.press('Alt+ArrowDown');
      await moved(page, 'MICRO moved: 3 of 3 under UE1.', 'MICRO');
      await page.keyboard.press('Alt+ArrowLeft');
      await moved(page, 'MICRO moved: 2 of 3 at the top level.', 'MICRO');
      expect(await outline(page)).to.equal('UE1 2:MACRO 2:ECONO MICRO HIST');
      expect(page.url(), 'Alt+Left did not go back in history').to.contain('/editor');
      await page.keyboard.press('Alt+ArrowUp');
      await moved(page, 'MICRO moved: 1 of 3 at the top level.', 'MICRO');
      await page.keyboard.press('ArrowDown');
      expect(await focused(page)).to.equal('UE1');
      await page.keyboard.press('Alt+ArrowUp');
      await moved(page, 'UE1 moved: 1 of 3 at the top level.', 'UE1');
      // put MICRO back in UE1 with Alt+Right from just below it
      await page.keyboard.press('ArrowDown');
      await page.keyboard.press('ArrowDown');
      await page.keyboard.press('ArrowDown');
      expect(await focused(page)).to.equal('MICRO');
      await page.keyboard.press('Alt+ArrowRight');
      await moved(page, 'MICRO moved: 3 of 3 under UE1.', 'MICRO');

      await page.reload();
      expect(await outline(page)).to.equal('UE1 2:MACRO 2:ECONO 2:MICRO HIST');
      expect(await children('UE1')).to.deep.equal(['MACRO', 'ECONO', 'MICRO']);
    } finally {
      await page.context().close();
    }
  });

  it('expands and collapses with the arrows; Home and End; refuses a move under its own child; drags and drops', async () => {
    const page = await pageAs(['manager']);
    try {
      await page.goto(t.url + editorPath(eco));
      const ue1 = page.locator('#editor-tree [role="treeitem"][data-code="UE1"]');
      await ue1.focus();
      await page.keyboard.press('ArrowLeft');
      expect(await ue1.getAttribute('aria-expanded')).to.equal('false');
      expect(await outline(page)).to.equal('UE1 HIST');
      await page.keyboard.press('ArrowDown');
      expect(await focused(page), 'Down skips the closed branch').to.equal('HIST');
      await page.keyboard.press('Home');
      expect(await focused(page)).to.equal('UE1');
      await page.keyboard.press('ArrowRight');
      expect(await ue1.getAttribute('aria-expanded')).to.equal('true');
      await page.keyboard.press('ArrowRight');
      expect(await focused(page), 'Right on an open branch goes to its first child').to.equal('MACRO');
      await page.keyboard.press('ArrowLeft');
      expect(await focused(page), 'Left on a leaf goes to the parent').to.equal('UE1');
      await page.keyboard.press('Enter');
      expect(await ue1.getAttribute('aria-expanded')).to.equal('false');
      await page.keyboard.press('End');
      expect(await focused(page)).to.equal('HIST');
      await screenshot(page, 'catalogue-editor-collapsed-en--desktop');
      await expectNoSeriousA11yViolations(page, 'offer editor with a closed branch');

      // a branch closed by the manager stays closed when the outline comes back from the server
      await page.keyboard.press('Alt+ArrowUp');
      await moved(page, 'HIST moved: 1 of 2 at the top level.', 'HIST');
      expect(await page.locator('#editor-tree [data-code="UE1"]').getAttribute('aria-expanded')).to.equal('false');

      // the Move… form refuses a place inside the element itself
      await page.locator('#editor-tree [data-code="UE1"] > .node-row').click();
      await page.getByText('Move…').click();
      const disabled = await page.$$eval('#editor-move-parent option:disabled', (os) => os.map((o) => o.textContent!.trim().split(' ')[0]));
      expect(disabled).to.deep.equal(['UE1', 'MACRO', 'ECONO', 'MICRO']);

      // with the mouse: drag MICRO onto the top edge of MACRO, then onto the middle of HIST
      await page.getByRole('button', { name: 'Expand all' }).click();
      const row = (code: string) => page.locator(`#editor-tree [data-code="${code}"] > .node-row`);
      await row('MICRO').dragTo(row('MACRO'), { targetPosition: { x: 40, y: 2 } });
      await moved(page, 'MICRO moved: 1 of 3 under UE1.', 'MICRO');
      await row('MICRO').dragTo(row('HIST'), { targetPosition: { x: 40, y: 20 } });
      await moved(page, 'MICRO moved: 1 of 1 under HIST.', 'MICRO');
      expect(await outline(page)).to.equal('HIST 2:MICRO UE1 2:MACRO 2:ECONO');
      expect(await children('HIST')).to.deep.equal(['MICRO']);
    } finally {
      await page.context().close();
    }
  });

  it('shows a referent the outline read-only: the keyboard moves the focus, not the elements', async () => {
    const page = await pageAs(['referent'], PHONE);
    try {
      await page.goto(t.url + editorPath(eco));
      const before = await outline(page);
      await page.locator('#editor-tree [tabindex="0"]').focus();
      await page.keyboard.press('ArrowDown');
      await page.keyboard.press('Alt+ArrowDown');
      expect(await outline(page)).to.equal(before);
      expect(await page.locator('#editor-node [data-fill="code"]').textContent()).to.equal(await focused(page));
      expect(await page.locator('#editor-rename, #editor-add, [draggable="true"]').count()).to.equal(0);
      expect(await noSideways(page)).to.equal(true);
      await screenshot(page, 'catalogue-editor-read-only-en--phone');
      await expectNoSeriousA11yViolations(page, 'offer editor read-only (en, phone)');
    } finally {
      await page.context().close();
    }
  });

  it('adds, renames and shares on a phone, in French, without sideways scrolling', async () => {
    const page = await pageAs(['manager'], PHONE, 'fr-FR');
    try {
      await page.goto(t.url + editorPath(eco));
      expect(await noSideways(page)).to.equal(true);
      await screenshot(page, 'catalogue-editor-fr--phone');
      await expectNoSeriousA11yViolations(page, 'offer editor (fr, phone)');
      await page.locator('#editor-tree [data-code="HIST"] > .node-row').click();
      expect(await page.locator('#editor-add-parent').inputValue()).to.equal(await page.locator('#editor-tree [data-code="HIST"]').getAttribute('data-link'));
      await page.getByText('Ajouter un élément…').click();
      await page.getByLabel('Un élément existant, par son code').check();
      expect(await page.getByLabel('Intitulé en français', { exact: true }).last().isVisible(), 'a shared element needs no title').to.equal(false);
      await page.locator('#editor-add-code').fill('ROMAN');
      await page.getByRole('button', { name: 'Ajouter' }).click();
      await page.locator('#editor-status').filter({ hasText: 'ROMAN est maintenant aussi placé sous HIST (partagé, sans copie).' }).waitFor();
      expect(await outline(page)).to.contain('HIST 2:MICRO 2:ROMAN');
      expect(await page.evaluate(() => document.activeElement?.id), 'the focus goes back to the add form').to.equal('editor-add-code');

      // a code already taken: the error shows in place
      await page.getByLabel('Un nouvel élément').check();
      await page.locator('#editor-add-code').fill('MICRO');
      await page.locator('#editor-add-title-fr').fill('Doublon');
      await page.getByRole('button', { name: 'Ajouter' }).click();
      await page.locator('#editor-add-code-error').waitFor();
      expect(await page.evaluate(() => document.activeElement?.id), 'the field in error takes the focus').to.equal('editor-add-code');
      await screenshot(page, 'catalogue-editor-add-error-fr--phone');
      await expectNoSeriousA11yViolations(page, 'offer editor add error (fr, phone)');

      // rename the selected element
      await page.locator('#editor-tree [data-code="MACRO"] > .node-row').click();
      await page.locator('#editor-title-fr').fill('Macroéconomie ouverte');
      await page.getByRole('button', { name: 'Enregistrer les intitulés' }).click();
      await page.locator('#editor-status').filter({ hasText: 'MACRO renommé.' }).waitFor();
      expect(await page.locator('#editor-tree [data-code="MACRO"] .node-title').first().textContent()).to.equal('Macroéconomie ouverte');
      await page.getByRole('button', { name: 'Ouvert à la mobilité' }).click();
      await page.locator('#editor-status').filter({ hasText: 'MACRO est fermé à la mobilité.' }).waitFor();
      expect(await page.getByRole('button', { name: 'Ouvert à la mobilité' }).getAttribute('aria-pressed')).to.equal('false');
      expect(await noSideways(page)).to.equal(true);
      await screenshot(page, 'catalogue-editor-edited-fr--phone');
      const macro = (await store(t).element(t.institution.id, year, 'MACRO'))!;
      expect(macro).to.deep.include({ titleFr: 'Macroéconomie ouverte', openToMobility: false });
    } finally {
      await page.context().close();
    }
  });
});
