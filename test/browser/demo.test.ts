// The demo as a person uses it in a real browser: one-click persona sign-in and sign-out, a
// server-side table driven by htmx (search, sort, Back, bookmark), the language switch, the main
// menu and a plugin toggle with the keyboard only, and the administration pages. Every page
// visited is screenshot and audited with axe-core (no serious or critical WCAG 2.1 A/AA violation).
import path from 'node:path';
import { expect } from 'chai';
import type { Page } from 'playwright-core';
import { startTestPlatform, type TestPlatform } from '@smile/sdk/testing';
import { findRootForTests } from '../support/platform.js';
import { expectNoSeriousA11yViolations, screenshot, skipBrowser, useBrowser } from '@smile/sdk/testing/browser';

const examples = path.join(findRootForTests(), 'examples');
const DESKTOP = { width: 1280, height: 800 };
const PHONE = { width: 360, height: 740 };
const PERSONAS = [
  { key: 'student', name: 'Sofia Rossi', admin: false },
  { key: 'manager', name: 'Claire Martin', admin: false },
  { key: 'referent', name: 'Jean Dupont', admin: false },
  { key: 'admin', name: 'Nadia Benali', admin: true },
] as const;
// 30 greetings, one minute apart: six of them contain "mar", inserted in neither name order
const NAMES = ['Tamara', 'Chloé', 'Hugo', 'Omar', 'Inès', 'Léo', 'Marie', 'Zoé', 'Yusuf', 'Marc', 'Aiko', 'Noah', 'Marta', 'Léna', 'Élise',
  'Marek', 'Pablo', 'Sven', 'Ngozi', 'Ivan', 'Jules', 'Lina', 'Kofi', 'Emil', 'Sofia', 'Ravi', 'Oskar', 'Dana', 'Femi', 'Rosa'];
const MAR_BY_DATE = ['Marek', 'Marta', 'Marc', 'Marie', 'Omar', 'Tamara']; // newest first
const MAR_BY_NAME = ['Marc', 'Marek', 'Marie', 'Marta', 'Omar', 'Tamara'];

describe('browser: the demo personas, htmx navigation and the administration area', function () {
  this.timeout(40_000);
  const b = useBrowser();
  let t: TestPlatform;

  before(async function () {
    if (skipBrowser()) return this.skip();
    t = await startTestPlatform({ plugins: ['demo', 'admin', 'hello'], pluginPaths: [examples], demo: true });
    const start = Date.now() - 60 * 60_000;
    await t.knex('hello_greetings').insert(NAMES.map((visitor_name, i) => ({
      institution_id: t.institution.id, visitor_name, language: i % 2 ? 'fr' : 'en', created_at: new Date(start + i * 60_000),
    })));
  });
  after(async () => {
    await t?.stop();
  });

  const open = async (p: string, locale = 'en-GB') => {
    const page = await b.newPage({ ...DESKTOP, locale });
    await page.goto(t.url + p);
    return page;
  };
  /** Screenshot and audit the page as it is; with `phone`, again at 360 px (which must not scroll sideways). */
  const check = async (page: Page, name: string, phone = false) => {
    await screenshot(page, `demo-${name}--desktop`);
    await expectNoSeriousA11yViolations(page, name);
    if (!phone) return;
    await page.setViewportSize(PHONE);
    // let the resized page paint, or a scrolled page's full-page capture has blank tiles
    await page.evaluate(() => new Promise((r) => requestAnimationFrame(() => requestAnimationFrame(r))));
    try {
      expect(await page.evaluate(() => document.documentElement.scrollWidth), `${name}: page width at 360 px`).to.be.at.most(PHONE.width);
      await screenshot(page, `demo-${name}--phone`);
      await expectNoSeriousA11yViolations(page, `${name} (phone)`);
    } finally {
      await page.setViewportSize(DESKTOP);
    }
  };
  const text = async (page: Page, selector: string) => ((await page.locator(selector).first().textContent()) ?? '').replace(/\s+/g, ' ').trim();
  const header = (page: Page) => page.locator('header.top');
  const mainMenu = (page: Page) => page.getByRole('navigation', { name: 'Main menu' });
  /** Sign in through the demo page, as the persona's button does; ends on the home page. */
  const signIn = async (page: Page, name: string) => {
    await page.goto(t.url + '/demo/sign-in');
    await page.getByRole('button', { name: `Sign in as ${name}` }).click();
    await page.waitForURL(t.url + '/');
    await header(page).getByText(`Signed in: ${name}`).waitFor();
  };
  /** What the focused element is, and whether its focus is visible. */
  const focused = (page: Page) =>
    page.evaluate(() => {
      const e = document.activeElement as HTMLElement | null;
      if (!e || e === document.body) return null;
      const cs = getComputedStyle(e);
      return {
        id: e.id, text: (e.textContent ?? '').replace(/\s+/g, ' ').trim(), href: e.getAttribute('href'),
        inMenu: !!e.closest('nav.menu'), inDialog: !!e.closest('dialog'),
        visible: e.matches(':focus-visible') && cs.outlineStyle !== 'none' && parseFloat(cs.outlineWidth) >= 2,
      };
    });
  /** Press Tab until `pred` holds for the focused element (at most `max` presses). */
  const tabTo = async (page: Page, pred: (f: NonNullable<Awaited<ReturnType<typeof focused>>>) => boolean, what: string, max = 40) => {
    for (let i = 0; i < max; i++) {
      await page.keyboard.press('Tab');
      const f = await focused(page);
      if (f && pred(f)) return f;
    }
    throw new Error(`${max} presses of Tab never reached ${what}`);
  };
  /** A marker on <body>: it survives htmx swaps and disappears on a full page load. */
  const mark = (page: Page) => page.evaluate(() => ((document.body as any).smileMarker = 'still here'));
  const marked = (page: Page) => page.evaluate(() => (document.body as any).smileMarker === 'still here');
  const names = (page: Page) => page.$$eval('#hello-greetings tbody tr', (trs) => trs.map((tr) => (tr.querySelector('td')?.textContent ?? '').trim()));

  it('signs in as each demo persona from the header, greets them, and signs them out', async () => {
    for (const p of PERSONAS) {
      const page = await open('/');
      try {
        await check(page, `home-anonymous-${p.key}`);
        await header(page).getByRole('link', { name: 'Sign in', exact: true }).click();
        await page.waitForURL(t.url + '/demo/sign-in');
        expect(await text(page, 'h1')).to.equal('Demo sign-in');
        await check(page, 'sign-in', p.key === 'student');

        await page.getByRole('button', { name: `Sign in as ${p.name}` }).click();
        await page.waitForURL(t.url + '/');
        expect(await header(page).getByText(`Signed in: ${p.name}`).isVisible(), 'the header names the persona').to.equal(true);
        expect(await text(page, '.flash-region')).to.equal(`Welcome, ${p.name}.`);
        expect(await text(page, 'main .lead')).to.equal(`Hello ${p.name}.`);
        const adminEntry = mainMenu(page).getByRole('link', { name: 'Administration' });
        expect(await adminEntry.count(), `${p.name} ${p.admin ? 'sees' : 'does not see'} the Administration menu entry`).to.equal(p.admin ? 1 : 0);
        expect(await header(page).getByRole('link', { name: 'Sign in', exact: true }).count()).to.equal(0);
        await check(page, `home-signed-in-${p.key}`, p.key === 'admin');

        await header(page).getByRole('button', { name: 'Sign out' }).click();
        await page.waitForURL(t.url + '/');
        await page.locator('.flash-region .flash').waitFor();
        expect(await text(page, '.flash-region')).to.equal('You are signed out.');
        expect(await header(page).getByRole('link', { name: 'Sign in', exact: true }).isVisible(), 'the sign-in link is back').to.equal(true);
        expect(await header(page).getByText(/Signed in:/).count()).to.equal(0);
        expect(await mainMenu(page).getByRole('link', { name: 'Administration' }).count()).to.equal(0);
        await check(page, `home-signed-out-${p.key}`);
      } finally {
        await page.context().close();
      }
    }
  });

  it('searches and sorts the greetings with htmx, replacing only the table; Back and a bookmark restore the view', async () => {
    const page = await open('/hello/all');
    try {
      const count = page.locator('#hello-greetings-count');
      expect(await count.textContent()).to.equal('Results 1–25 of 32');
      await check(page, 'hello-all', true);
      await mark(page);

      // typing: after the pause, htmx fetches the region alone and pushes the URL
      const search = page.getByLabel('Search');
      const region = page.waitForResponse((r) => r.url().includes('q=mar') && r.request().headers()['hx-request'] === 'true');
      await search.click();
      await search.pressSequentially('mar', { delay: 30 });
      expect((await region).request().headers()['hx-target']).to.match(/hello-greetings$/);
      await page.waitForURL(/[?&]q=mar(&|$)/);
      await page.waitForFunction(() => document.querySelector('#hello-greetings-count')?.textContent === '6 results');
      expect(await names(page)).to.deep.equal(MAR_BY_DATE);
      expect(await marked(page), 'no full page load: the body marker survives').to.equal(true);
      expect(await page.evaluate(() => document.activeElement?.id), 'focus stays in the search box').to.equal('hello-greetings-q');
      expect(await search.inputValue()).to.equal('mar');
      const searchedUrl = page.url();
      await check(page, 'hello-all-searched');

      // a sortable header: name order, aria-sort on its column header
      const nameHeader = page.locator('#hello-greetings th', { has: page.locator('#hello-greetings-sort-visitor_name') });
      expect(await nameHeader.getAttribute('aria-sort')).to.equal(null);
      await page.locator('#hello-greetings-sort-visitor_name').click();
      await page.waitForURL(/[?&]sort=visitor_name/);
      await page.waitForFunction((want) => [...document.querySelectorAll('#hello-greetings tbody tr td:first-child')].map((td) => td.textContent!.trim()).join() === want, MAR_BY_NAME.join());
      expect(await nameHeader.getAttribute('aria-sort')).to.equal('ascending');
      expect(page.url()).to.contain('q=mar');
      expect(await count.textContent()).to.equal('6 results');
      expect(await marked(page), 'sorting swaps only the table').to.equal(true);
      const sortedUrl = page.url();
      await check(page, 'hello-all-sorted');

      // Back: the previous view (URL and rows)
      await page.goBack();
      await page.waitForURL(searchedUrl);
      await page.waitForFunction((want) => [...document.querySelectorAll('#hello-greetings tbody tr td:first-child')].map((td) => td.textContent!.trim()).join() === want, MAR_BY_DATE.join());
      expect(await page.locator('#hello-greetings th[aria-sort="ascending"]').count()).to.equal(0);
      expect(await page.getByLabel('Search').inputValue()).to.equal('mar');
      expect(await text(page, '#hello-greetings-count')).to.equal('6 results');
      await check(page, 'hello-all-back');

      // the bookmarked sorted URL, loaded afresh, shows the same view
      await page.goto(sortedUrl);
      expect(await marked(page), 'a real page load').to.equal(false);
      expect(await names(page)).to.deep.equal(MAR_BY_NAME);
      expect(await nameHeader.getAttribute('aria-sort')).to.equal('ascending');
      expect(await page.getByLabel('Search').inputValue()).to.equal('mar');
      expect(await text(page, '#hello-greetings-count')).to.equal('6 results');
      await check(page, 'hello-all-bookmark');
    } finally {
      await page.context().close();
    }
  });

  it('keeps the query when switching language, on a loaded page and after an htmx search', async () => {
    const page = await open('/hello/all?q=a', 'fr-FR');
    try {
      const langs = page.getByRole('navigation', { name: /Langues|Languages/ });
      await check(page, 'hello-all-q-fr');
      await langs.getByRole('link', { name: 'English' }).click();
      await page.waitForURL((u) => u.searchParams.get('lang') === 'en');
      expect(new URL(page.url()).searchParams.get('q')).to.equal('a');
      expect(await page.getAttribute('html', 'lang')).to.equal('en');
      expect(await page.getByLabel('Search').inputValue()).to.equal('a');
      await check(page, 'hello-all-q-en');
      await langs.getByRole('link', { name: 'Français' }).click();
      await page.waitForURL((u) => u.searchParams.get('lang') === 'fr');
      expect(new URL(page.url()).searchParams.get('q')).to.equal('a');
      expect(await page.getAttribute('html', 'lang')).to.equal('fr');
      await check(page, 'hello-all-q-fr-again');

      // a search typed in the page (htmx pushed the URL): the language links follow it
      const search = page.getByLabel('Rechercher');
      await search.fill('');
      await search.pressSequentially('mar');
      await page.waitForURL((u) => u.searchParams.get('q') === 'mar');
      await page.waitForFunction(() => document.querySelector('#hello-greetings-count')?.textContent === '6 résultats');
      await langs.getByRole('link', { name: 'English' }).click();
      await page.waitForURL((u) => u.searchParams.get('lang') === 'en');
      expect(new URL(page.url()).searchParams.get('q')).to.equal('mar');
      expect(await names(page)).to.deep.equal(MAR_BY_DATE);
      await check(page, 'hello-all-mar-en');
    } finally {
      await page.context().close();
    }
  });

  it('passes axe on every administration page, desktop and phone; an invalid country is reported at the field', async () => {
    const page = await b.newPage({ ...DESKTOP, locale: 'en-GB' });
    try {
      await signIn(page, 'Nadia Benali');
      for (const [p, h1] of [['/admin', 'Administration'], ['/admin/institution', 'Institution record'], ['/admin/theme', 'Theme'],
        ['/admin/plugins', 'Plugins'], ['/admin/outbox', 'Mail outbox'], ['/admin/jobs', 'Background jobs']] as const) {
        const res = await page.goto(t.url + p);
        expect(res?.status(), p).to.equal(200);
        expect(await text(page, 'main h1')).to.equal(h1);
        await check(page, `admin${p.slice(6).replace(/\//g, '-') || '-dashboard'}`, true);
      }

      await page.goto(t.url + '/admin/institution');
      const country = page.getByLabel('Country');
      await country.fill('XX');
      const posted = page.waitForResponse((r) => r.request().method() === 'POST' && r.url() === `${t.url}/admin/institution`);
      await page.getByRole('button', { name: 'Save' }).click();
      expect((await posted).status()).to.equal(422);
      await page.locator('#f-country-error').waitFor();
      expect(await country.inputValue(), 'what was typed is kept').to.equal('XX');
      expect(await country.getAttribute('aria-invalid')).to.equal('true');
      expect((await country.getAttribute('aria-describedby'))?.split(' ')).to.have.members(['f-country-hint', 'f-country-error']);
      expect(await text(page, '#f-country-error')).to.equal('A two-letter country code such as FR or DE.');
      const [ib, eb] = [await country.boundingBox(), await page.locator('#f-country-error').boundingBox()];
      expect(eb!.y - (ib!.y + ib!.height), 'the error is just below its field').to.be.within(0, 32);
      expect(Math.abs(eb!.x - ib!.x), 'and aligned with it').to.be.below(8);
      // the summary at the top has focus and names the field; its link takes focus to the field
      const summary = page.locator('#error-summary');
      expect(await summary.getAttribute('role')).to.equal('alert');
      expect(await page.evaluate(() => document.activeElement?.id), 'focus is on the error summary').to.equal('error-summary');
      expect(await text(page, '#error-summary li')).to.equal('Country: A two-letter country code such as FR or DE.');
      await page.keyboard.press('Tab');
      expect(await page.evaluate(() => document.activeElement?.getAttribute('href'))).to.equal('#f-country');
      await page.keyboard.press('Enter');
      await page.waitForFunction(() => document.activeElement?.id === 'f-country');
      await check(page, 'admin-institution-error', true);
      t.platform.institutions.invalidate();
      const stored = (await t.platform.institutions.all()).find((i: { id: number }) => i.id === t.institution.id);
      expect(stored.country, 'nothing saved').to.equal(t.institution.country);
    } finally {
      await page.context().close();
    }
  });

  it('works with the keyboard only: main menu to Administration, then a plugin toggled and back', async () => {
    const page = await b.newPage({ ...DESKTOP, locale: 'en-GB' });
    try {
      await signIn(page, 'Nadia Benali');
      await page.goto(t.url + '/');
      await check(page, 'home-admin-keyboard');
      const menu = await mainMenu(page).locator('a').evaluateAll((as) => as.map((a) => (a.textContent ?? '').trim()));
      expect(menu).to.include('Administration');

      // from the top: skip link, brand, then each menu link in order, each with a visible focus
      const first = await tabTo(page, (f) => f.inMenu, 'the main menu', 4);
      const seen = [first];
      while (seen.length < menu.length) {
        await page.keyboard.press('Tab');
        const f = await focused(page);
        if (!f?.inMenu) break;
        seen.push(f);
      }
      expect(seen.map((f) => f.text), 'Tab walks the main menu in order').to.deep.equal(menu);
      for (const f of seen) expect(f.visible, `"${f.text}" shows its focus`).to.equal(true);
      // back to "Administration" with Shift+Tab, then Enter
      for (let i = 0; i < menu.length && (await focused(page))?.text !== 'Administration'; i++) await page.keyboard.press('Shift+Tab');
      expect((await focused(page))?.text).to.equal('Administration');
      await page.keyboard.press('Enter');
      await page.waitForURL(t.url + '/admin');
      await check(page, 'admin-keyboard');

      // the Plugins section by keyboard
      await tabTo(page, (f) => f.href === '/admin/plugins' && !f.inMenu, 'the Plugins section link');
      await page.keyboard.press('Enter');
      await page.waitForURL(t.url + '/admin/plugins');
      await mark(page);
      // each row as it reads and what its form would send (htmx leaves empty style attributes behind)
      const rows = () => page.$$eval('tbody tr', (trs) => Object.fromEntries(trs.map((tr) => [tr.id,
        `${tr.textContent!.replace(/\s+/g, ' ')} ${[...tr.querySelectorAll('input, button')].map((e) => e.outerHTML.replace(/ style=""/g, '')).join('')}`])));
      const before = await rows();
      const state = () => text(page, '#plugin-hello .state');
      expect(await state()).to.equal('Enabled');

      // disable: Tab to its button, Enter, answer the confirmation dialog with the keyboard
      const toggle = await tabTo(page, (f) => f.id === 'toggle-hello', 'the toggle of hello', 60);
      expect(toggle.visible, 'the toggle shows its focus').to.equal(true);
      await page.keyboard.press('Enter');
      const dialog = page.locator('dialog#smile-confirm');
      await dialog.waitFor();
      expect(await text(page, '#smile-confirm-text')).to.contain('Disable “Example: hello” for this institution?');
      expect((await focused(page))?.inDialog, 'focus moves into the dialog').to.equal(true);
      await check(page, 'admin-plugins-confirm');
      await tabTo(page, (f) => f.inDialog && f.text === 'Confirm', 'the Confirm button', 3);
      const toggled = page.waitForResponse((r) => r.url().endsWith('/admin/plugins/hello/toggle'));
      await page.keyboard.press('Enter');
      expect((await toggled).status()).to.equal(200);
      await page.waitForFunction(() => document.querySelector('#plugin-hello .state')?.textContent === 'Disabled');
      expect(await dialog.isVisible()).to.equal(false);
      expect(await text(page, '#plugin-hello [role="status"]')).to.equal('“Example: hello” is disabled.');
      expect(await marked(page), 'only the row was swapped, not the page').to.equal(true);
      const after = await rows();
      for (const id of Object.keys(before)) if (id !== 'plugin-hello') expect(after[id], `row ${id} unchanged`).to.equal(before[id]);
      expect(await page.getByRole('button', { name: 'Enable Example: hello' }).isVisible()).to.equal(true);
      expect((await focused(page))?.id, 'focus stays on the toggle').to.equal('toggle-hello');
      expect((await t.get('/hello')).status, 'hello is off for this institution').to.equal(404);
      await check(page, 'admin-plugins-disabled');

      // enable again: Enter on the same button (no confirmation to enable)
      const back = page.waitForResponse((r) => r.url().endsWith('/admin/plugins/hello/toggle'));
      await page.keyboard.press('Enter');
      expect((await back).status()).to.equal(200);
      await page.waitForFunction(() => document.querySelector('#plugin-hello .state')?.textContent === 'Enabled');
      expect(await text(page, '#plugin-hello [role="status"]')).to.equal('“Example: hello” is enabled.');
      expect(await marked(page)).to.equal(true);
      expect((await focused(page))?.id).to.equal('toggle-hello');
      expect((await t.get('/hello')).status).to.equal(200);
      await check(page, 'admin-plugins-enabled-again');
    } finally {
      await page.context().close();
    }
  });
});
