// The shell (layout, home, language switch, error page) and the example hello plugin, used in a
// real browser as a person would: French and English, a form with a validation error, keyboard
// only, a phone-sized screen, and an axe-core audit (WCAG 2.1 A/AA) of every page visited.
import path from 'node:path';
import { expect } from 'chai';
import type { Page } from 'playwright-core';
import { startTestPlatform, type TestPlatform } from '@smile/sdk/testing';
import { findRootForTests } from '../support/platform.js';
import { expectNoSeriousA11yViolations, screenshot, skipBrowser, useBrowser } from '@smile/sdk/testing/browser';

const examples = path.join(findRootForTests(), 'examples');
const DESKTOP = { width: 1280, height: 800 };
const PHONE = { width: 360, height: 740 };

describe('browser: the shell and the hello example', function () {
  this.timeout(30_000);
  const b = useBrowser();
  let t: TestPlatform;

  before(async function () {
    if (skipBrowser()) return this.skip();
    t = await startTestPlatform({ plugins: ['hello'], pluginPaths: [examples] });
  });
  after(async () => {
    await t?.stop();
  });

  /** Screenshot and audit the page as it is now. */
  const check = async (page: Page, name: string) => {
    await screenshot(page, name);
    await expectNoSeriousA11yViolations(page, name);
  };
  const open = async (path: string, opts: { locale: string; width?: number; height?: number }) => {
    const page = await b.newPage({ ...DESKTOP, ...opts });
    const res = await page.goto(t.url + path);
    return { page, status: res?.status() };
  };
  const text = async (page: Page, selector: string) => ((await page.locator(selector).first().textContent()) ?? '').replace(/\s+/g, ' ').trim();
  const greetings = async () => Number((await t.knex('hello_greetings').count<{ n: string }[]>('* as n'))[0]!.n);

  it('renders the home page in French (Accept-Language fr)', async () => {
    const { page, status } = await open('/', { locale: 'fr-FR' });
    try {
      expect(status).to.equal(200);
      expect(await page.getAttribute('html', 'lang')).to.equal('fr');
      expect(await text(page, 'h1')).to.equal('Mon établissement');
      expect(await page.getByText('Bienvenue sur la plateforme de mobilité internationale entrante.').isVisible()).to.equal(true);
      expect(await page.getByRole('heading', { level: 2, name: 'Dire bonjour' }).isVisible()).to.equal(true);
      expect(await page.getByRole('link', { name: 'Laisser un bonjour' }).isVisible()).to.equal(true);
      expect(await page.title()).to.contain('Mon établissement');
      await check(page, 'home-fr--desktop');
    } finally {
      await page.context().close();
    }
  });

  it('renders the home page in English (locale en-GB)', async () => {
    const { page, status } = await open('/', { locale: 'en-GB' });
    try {
      expect(status).to.equal(200);
      expect(await page.getAttribute('html', 'lang')).to.equal('en');
      expect(await text(page, 'h1')).to.equal('My institution');
      expect(await page.getByText('Welcome to the incoming international mobility platform.').isVisible()).to.equal(true);
      expect(await page.getByRole('link', { name: 'Leave a greeting' }).isVisible()).to.equal(true);
      expect(await page.getByRole('link', { name: 'Français' }).isVisible()).to.equal(true);
      await check(page, 'home-en--desktop');
    } finally {
      await page.context().close();
    }
  });

  it('switches to English from a French page and remembers the choice on the next page', async () => {
    const { page } = await open('/', { locale: 'fr-FR' });
    try {
      expect(await text(page, 'h1')).to.equal('Mon établissement');
      await page.getByRole('navigation', { name: 'Langues' }).getByRole('link', { name: 'English' }).click();
      await page.waitForURL(/\?lang=en$/);
      expect(await page.getAttribute('html', 'lang')).to.equal('en');
      expect(await text(page, 'h1')).to.equal('My institution');
      // the current language is marked, not linked
      expect(await text(page, '.langs [aria-current="true"]')).to.equal('English');
      await check(page, 'home-en-after-switch--desktop');

      // the next page, reached by a plain link (no ?lang=), is still in English
      await page.getByRole('link', { name: 'Leave a greeting' }).click();
      await page.waitForURL(`${t.url}/hello`);
      expect(new URL(page.url()).search).to.equal('');
      expect(await page.getAttribute('html', 'lang')).to.equal('en');
      expect(await text(page, 'h1')).to.equal('Say hello');
      expect(await page.getByLabel('Your first name').isVisible()).to.equal(true);
      await check(page, 'hello-en--desktop');
    } finally {
      await page.context().close();
    }
  });

  it('shows a validation error next to the field, stores nothing, then accepts a valid name', async () => {
    const { page, status } = await open('/hello', { locale: 'fr-FR' });
    try {
      expect(status).to.equal(200);
      expect(await text(page, 'h1')).to.equal('Dire bonjour');
      expect(await page.getByText('Personne n’a encore dit bonjour.').isVisible()).to.equal(true);
      await check(page, 'hello-fr--desktop');
      const before = await greetings();

      // empty name
      const posted = page.waitForResponse((r) => r.request().method() === 'POST' && r.url() === `${t.url}/hello`);
      await page.getByRole('button', { name: 'Envoyer' }).click();
      expect((await posted).status()).to.equal(422);
      const error = page.locator('#hello-name-error');
      await error.waitFor();
      const input = page.getByLabel('Votre prénom');
      expect(await input.getAttribute('aria-invalid')).to.equal('true');
      expect(await input.getAttribute('aria-describedby')).to.equal('hello-name-error');
      expect(await error.isVisible()).to.equal(true);
      expect(await text(page, '#hello-name-error')).to.equal('Indiquez votre prénom.');
      // "next to": just below the field, left-aligned with it
      const [ib, eb] = [await input.boundingBox(), await error.boundingBox()];
      expect(eb!.y - (ib!.y + ib!.height), 'gap between the field and its error').to.be.within(0, 32);
      expect(Math.abs(eb!.x - ib!.x)).to.be.below(8);
      expect(await greetings()).to.equal(before);
      expect(await page.getByText('Personne n’a encore dit bonjour.').isVisible()).to.equal(true);
      await check(page, 'hello-fr-error--desktop');

      // a valid name
      await input.fill('Zoé');
      await page.getByRole('button', { name: 'Envoyer' }).click();
      await page.getByRole('listitem').filter({ hasText: 'Zoé' }).waitFor();
      expect(new URL(page.url()).pathname).to.equal('/hello');
      expect(await page.locator('#hello-name-error').count()).to.equal(0);
      expect(await page.getByLabel('Votre prénom').getAttribute('aria-invalid')).to.equal(null);
      expect(await greetings()).to.equal(before + 1);
      await check(page, 'hello-fr-saved--desktop');
    } finally {
      await page.context().close();
    }
  });

  it('can be used with the keyboard only: skip link, header links in order with visible focus, no trap', async () => {
    const { page } = await open('/', { locale: 'fr-FR' });
    try {
      const focused = () =>
        page.evaluate(() => {
          const e = document.activeElement as HTMLElement | null;
          if (!e || e === document.body) return null;
          const cs = getComputedStyle(e);
          const r = e.getBoundingClientRect();
          return {
            tag: e.tagName.toLowerCase(),
            id: e.id,
            text: (e.textContent ?? '').trim(),
            href: e.getAttribute('href'),
            inHeader: !!e.closest('header'),
            focusVisible: e.matches(':focus-visible'),
            outline: cs.outlineStyle !== 'none' && parseFloat(cs.outlineWidth) >= 2,
            onScreen: r.width > 0 && r.height > 0 && r.left >= 0 && r.top >= 0 && r.right <= innerWidth && r.bottom <= innerHeight,
          };
        });
      const expectVisibleFocus = (f: Awaited<ReturnType<typeof focused>>, what: string) => {
        expect(f, `${what} has focus`).to.not.equal(null);
        expect(f!.focusVisible && f!.outline, `${what} shows a focus outline`).to.equal(true);
        expect(f!.onScreen, `${what} is on screen when focused`).to.equal(true);
      };

      // from the top: the skip link first, visible, and Enter moves focus to <main>
      await page.keyboard.press('Tab');
      const skip = await focused();
      expect(skip?.text).to.equal('Aller au contenu');
      expect(skip?.href).to.equal('#main');
      expectVisibleFocus(skip, 'the skip link');
      await screenshot(page, 'home-fr-skip-link-focused--desktop');
      await page.keyboard.press('Enter');
      await page.waitForFunction(() => document.activeElement?.id === 'main');
      // the next Tab goes to the first link of the content, not back to the header
      await page.keyboard.press('Tab');
      expect((await focused())?.text).to.equal('Laisser un bonjour');

      // again from the top: every header link in document order, each with visible focus
      await page.goto(t.url + '/');
      const headerLinks = await page.$$eval('header a[href]', (as) => as.map((a) => (a.textContent ?? '').trim()));
      expect(headerLinks).to.include.members(['Mon établissement', 'English']);
      await page.keyboard.press('Tab'); // skip link
      for (const name of headerLinks) {
        await page.keyboard.press('Tab');
        const f = await focused();
        expect(f?.inHeader, `Tab reaches the header link "${name}"`).to.equal(true);
        expect(f?.text).to.equal(name);
        expectVisibleFocus(f, `the header link "${name}"`);
      }

      // no keyboard trap: 30 more Tabs leave the page and come back round to the skip link
      const seen: string[] = [];
      for (let i = 0; i < 30; i++) {
        await page.keyboard.press('Tab');
        seen.push((await focused())?.text ?? '<outside the page>');
        if (seen.at(-1) === 'Aller au contenu') break;
      }
      expect(seen, `focus order after the header: ${seen.join(' → ')}`).to.include('Laisser un bonjour');
      expect(seen.at(-1), `focus order after the header: ${seen.join(' → ')}`).to.equal('Aller au contenu');
    } finally {
      await page.context().close();
    }
  });

  it('shows the 404 page, in French and in English', async () => {
    for (const [locale, title, back] of [['fr-FR', 'Erreur 404', 'Retour à l’accueil'], ['en-GB', 'Error 404', 'Back to the home page']] as const) {
      const { page, status } = await open('/no/such/page', { locale });
      try {
        expect(status).to.equal(404);
        expect(await text(page, 'h1')).to.equal(title);
        expect(await page.getByRole('link', { name: back }).isVisible()).to.equal(true);
        await check(page, `404-${locale.slice(0, 2)}--desktop`);
      } finally {
        await page.context().close();
      }
    }
  });

  it('fits a 360 px wide phone screen without horizontal scrolling', async () => {
    const pages: [string, string, string][] = [
      ['/', 'fr-FR', 'home-fr'],
      ['/', 'en-GB', 'home-en'],
      ['/hello', 'fr-FR', 'hello-fr'],
      ['/hello', 'en-GB', 'hello-en'],
      ['/no/such/page', 'fr-FR', '404-fr'],
    ];
    for (const [p, locale, name] of pages) {
      const { page } = await open(p, { locale, ...PHONE });
      try {
        const width = await page.evaluate(() => document.documentElement.scrollWidth);
        expect(width, `${name}: document width at 360 px`).to.be.at.most(PHONE.width);
        await check(page, `${name}--phone`);
        if (p === '/hello') {
          // the error state too, where the message must wrap inside the screen
          await page.getByRole('button').click();
          await page.locator('#hello-name-error').waitFor();
          expect(await page.evaluate(() => document.documentElement.scrollWidth)).to.be.at.most(PHONE.width);
          await check(page, `${name}-error--phone`);
        }
      } finally {
        await page.context().close();
      }
    }
  });
});
