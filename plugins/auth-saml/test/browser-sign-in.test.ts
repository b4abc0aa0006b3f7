// A student signs in with their home institution in Chromium: the discovery page (search with
// htmx, keyboard only), the test IdP's login page (a real HTTP server that auto-posts the signed
// response), then the home page, signed in, with the role the institution's rule gives.
import { expect } from 'chai';
import type { Page } from 'playwright-core';
import { coreServices } from '@smile/sdk';
import { startTestPlatform, type TestPlatform } from '@smile/sdk/testing';
import { student, TestIdp, TRANSIENT } from './idp.js';
import { introduce } from './support.js';

import { expectNoSeriousA11yViolations, screenshot, skipBrowser, useBrowser } from '@smile/sdk/testing/browser';

const DESKTOP = { width: 1280, height: 800 };
const PHONE = { width: 360, height: 740 };

describe('browser: a student signs in through their home institution (SAML)', function () {
  this.timeout(90_000);
  const b = useBrowser();
  let t: TestPlatform;
  let idp: TestIdp;

  before(async function () {
    if (skipBrowser()) return this.skip();
    idp = await TestIdp.start({ http: true });
    t = await startTestPlatform({ plugins: ['auth-saml', 'base'], settings: { 'auth-saml': { idps: [idp.setting()] } } });
    await t.knex('institutions').where({ id: t.institution.id }).update({ schac_code: 'univ-example.fr' });
    t.platform.institutions.invalidate();
    await introduce(t, idp);
    // incoming students: affiliated "student" at an institution other than this one
    await t.resolve(coreServices.roles).saveRule(
      { institutionId: t.institution.id, label: 'test' },
      {
        name: 'Incoming students',
        role: 'student',
        conditions: [
          { attribute: 'eduPersonAffiliation', op: 'contains', value: 'student' },
          { attribute: 'schacHomeOrganization', op: 'not-equals', value: '{institution.schacCode}' },
        ],
        scope: { kind: 'institution' },
        enabled: true,
      },
    );
  });
  after(async () => {
    await t?.stop();
    await idp?.stop();
  });

  /** The page must not scroll sideways at 360 px; screenshot and audit it there too. */
  const onPhone = async (page: Page, name: string) => {
    await page.setViewportSize(PHONE);
    await page.evaluate(() => new Promise((r) => requestAnimationFrame(() => requestAnimationFrame(r))));
    try {
      expect(await page.evaluate(() => document.documentElement.scrollWidth), `${name}: width at 360 px`).to.be.at.most(PHONE.width);
      await screenshot(page, `auth-saml-${name}--phone`);
      await expectNoSeriousA11yViolations(page, `${name} (phone)`);
    } finally {
      await page.setViewportSize(DESKTOP);
    }
  };

  it('finds the institution with the keyboard, signs in at the IdP, lands home signed in as a student', async () => {
    idp.user = student();
    const page = await b.newPage({ ...DESKTOP, locale: 'en-GB' });
    try {
      await page.goto(t.url + '/');
      await page.getByRole('link', { name: 'Sign in', exact: true }).click();
      await page.waitForURL(t.url + '/saml/discovery');
      expect(await page.locator('h1').textContent()).to.equal('Select your home institution');
      await screenshot(page, 'auth-saml-discovery--desktop');
      await expectNoSeriousA11yViolations(page, 'discovery');

      // keyboard only: Tab to the search field, type without accents, Tab to the first result, Enter
      for (let i = 0; i < 30 && !(await page.evaluate(() => document.activeElement?.id === 'saml-q')); i++) await page.keyboard.press('Tab');
      expect(await page.evaluate(() => document.activeElement?.id)).to.equal('saml-q');
      await page.keyboard.type('universita bologna');
      const result = page.locator('#saml-results-list a.saml-idp').first();
      await result.waitFor();
      expect(await result.textContent()).to.contain('University of Bologna');
      expect(await page.evaluate(() => location.pathname), 'htmx replaced the results, no page load').to.equal('/saml/discovery');
      expect(await page.locator('h1').count(), 'only the results were swapped in').to.equal(1);
      expect(await page.locator('#saml-q').count()).to.equal(1);
      await screenshot(page, 'auth-saml-discovery-results--desktop');
      await onPhone(page, 'discovery-results');

      await page.keyboard.press('Tab'); // the search button
      await page.keyboard.press('Tab'); // the first result
      expect(await page.evaluate(() => (document.activeElement as HTMLAnchorElement | null)?.className)).to.equal('saml-idp');
      await page.keyboard.press('Enter');
      await page.waitForURL(t.url + '/');
      await page.getByText('Signed in: Giulia Bianchi').waitFor();
      await screenshot(page, 'auth-saml-home-signed-in--desktop');

      const identity = await t.knex('person_identities').where({ provider: 'auth-saml', subject: 'giulia.bianchi@unibo.it' }).first();
      const roles = await t.knex('role_assignments as a').join('roles as r', 'r.id', 'a.role_id').where({ 'a.person_id': identity.person_id, 'a.institution_id': t.institution.id }).pluck('r.key');
      expect(roles, 'the rule gave the student role').to.include('student');

      // the discovery page now offers the institution first
      await page.goto(t.url + '/saml/discovery');
      expect(await page.locator('#saml-remembered-list a').first().textContent()).to.contain('University of Bologna');
    } finally {
      await page.context().close();
    }
  });

  it('shows the discovery page on a 360 px phone, in French', async () => {
    const page = await b.newPage({ ...PHONE, locale: 'fr-FR' });
    try {
      await page.goto(t.url + '/saml/discovery');
      expect(await page.locator('h1').textContent()).to.equal('Choisissez votre établissement');
      await page.getByLabel('Nom de votre établissement').fill('bologna');
      await page.locator('#saml-results-list a.saml-idp').first().waitFor();
      expect(await page.evaluate(() => document.documentElement.scrollWidth)).to.be.at.most(PHONE.width);
      await screenshot(page, 'auth-saml-discovery-fr--phone');
      await expectNoSeriousA11yViolations(page, 'discovery (fr, phone)');
    } finally {
      await page.context().close();
    }
  });

  it('explains which attribute the institution did not send', async () => {
    idp.user = { ...student({ eduPersonPrincipalName: [] }), nameIdFormat: TRANSIENT };
    const page = await b.newPage({ ...DESKTOP, locale: 'en-GB' });
    try {
      await page.goto(`${t.url}/saml/login?idp=${encodeURIComponent(idp.entityId)}`);
      await page.locator('h1').filter({ hasText: 'did not send' }).waitFor();
      expect(await page.locator('h1').textContent()).to.equal('Your institution did not send your institutional identifier (eppn)');
      expect(await page.getByText('Signed in:').count()).to.equal(0);
      await screenshot(page, 'auth-saml-error-missing-attribute--desktop');
      await expectNoSeriousA11yViolations(page, 'error page');
      await onPhone(page, 'error-missing-attribute');
    } finally {
      await page.context().close();
      idp.user = student();
    }
  });

  it('shows the administrator what to register with the federation', async () => {
    const admin = await t.signIn(['techadmin']);
    const page = await b.newPage({ ...DESKTOP, locale: 'en-GB' });
    try {
      const host = new URL(t.url);
      await page.context().addCookies(admin.cookie.split('; ').map((c) => {
        const i = c.indexOf('=');
        return { name: c.slice(0, i), value: c.slice(i + 1), domain: host.hostname, path: '/' };
      }));
      await page.goto(t.url + '/saml/admin');
      expect(await page.locator('h1').textContent()).to.equal('Federated sign-in (SAML)');
      expect(await page.getByText(`${t.url}/saml/metadata`).first().isVisible()).to.equal(true);
      await screenshot(page, 'auth-saml-admin--desktop');
      await expectNoSeriousA11yViolations(page, 'admin page');
      await onPhone(page, 'admin');
    } finally {
      await page.context().close();
    }
  });
});
