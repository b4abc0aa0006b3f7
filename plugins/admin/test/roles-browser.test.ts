// The access-control pages in a real browser: the roles × privileges matrix operated with the
// keyboard only (Tab to a checkbox, Space, focus kept and visible, the change saved and still there
// after a reload), at desktop size and on a 360 px phone; every new page audited with axe-core
// (no serious or critical WCAG 2.1 A/AA violation) and screenshot at both sizes.
import { expect } from 'chai';
import type { Page } from 'playwright-core';
import { coreServices } from '@smile/sdk';
import type { TestPlatform } from '@smile/sdk/testing';
import { boot } from './support.js';

import { expectNoSeriousA11yViolations, screenshot, skipBrowser, useBrowser } from '@smile/sdk/testing/browser';

const DESKTOP = { width: 1280, height: 800 };
const PHONE = { width: 360, height: 740 };

describe('browser: roles and privileges matrix with the keyboard', function () {
  this.timeout(60_000);
  const b = useBrowser();
  let t: TestPlatform;
  let personId = 0;

  before(async function () {
    if (skipBrowser()) return this.skip();
    t = await boot();
    const roles = t.resolve(coreServices.roles);
    const actor = { institutionId: t.institution.id, label: 'fixture' };
    await roles.saveComponent(actor, { code: 'UFR-SCI', name: { fr: 'UFR Sciences', en: 'Faculty of Science' } });
    await roles.saveRule(actor, { name: 'Students', conditions: [{ attribute: 'eduPersonAffiliation', op: 'contains', value: 'student' }], role: 'student', scope: { kind: 'institution' }, enabled: true });
    personId = (await t.signIn(['manager', { role: 'referent', components: ['UFR-SCI'] }], { displayName: 'Ada Lovelace', email: 'ada@example.org' })).personId;
  });
  after(async () => {
    await t?.stop();
  });

  /** A page signed in as a functional administrator (the session cookie of `t.signIn`). */
  const adminPage = async (size = DESKTOP, locale = 'en-GB') => {
    const page = await b.newPage({ ...size, locale });
    const { cookie } = await t.signIn(['admin'], { displayName: 'Nadia Admin' });
    await page.context().addCookies(cookie.split('; ').map((pair) => {
      const i = pair.indexOf('=');
      return { name: pair.slice(0, i), value: pair.slice(i + 1), url: t.url };
    }));
    return page;
  };
  const focused = (page: Page) =>
    page.evaluate(() => {
      const e = document.activeElement as HTMLElement | null;
      if (!e || e === document.body) return null;
      const cs = getComputedStyle(e);
      return { id: e.id, checked: (e as HTMLInputElement).checked, visible: e.matches(':focus-visible') && cs.outlineStyle !== 'none' && parseFloat(cs.outlineWidth) >= 2 };
    });
  const tabTo = async (page: Page, id: string, max = 120) => {
    for (let i = 0; i < max; i++) {
      await page.keyboard.press('Tab');
      const f = await focused(page);
      if (f?.id === id) return f;
    }
    throw new Error(`${max} presses of Tab never reached #${id}`);
  };
  const settle = (page: Page) => page.evaluate(() => new Promise((r) => requestAnimationFrame(() => requestAnimationFrame(r))));

  it('ticks and unticks a privilege with Tab and Space; the focus stays on the box; the change persists', async () => {
    const page = await adminPage();
    await page.goto(t.url + '/admin/roles/matrix');
    await screenshot(page, 'admin-matrix--desktop');
    await expectNoSeriousA11yViolations(page, 'matrix');

    const id = 'cb:student:core:jobs.read';
    const box = page.locator(`[id="${id}"]`);
    expect(await box.isChecked()).to.equal(false);
    expect(await page.getByRole('checkbox', { name: 'Student: See job status', exact: true }).count(), 'the box is named by role and privilege').to.equal(1);
    const reached = await tabTo(page, id);
    expect(reached.visible, 'the focused checkbox shows a focus ring').to.equal(true);

    const answer = page.waitForResponse((r) => r.url().endsWith('/admin/roles/matrix/cell') && r.request().method() === 'POST');
    await page.keyboard.press('Space');
    expect((await answer).status()).to.equal(200);
    await page.getByRole('status').filter({ hasText: 'Granted: Student — See job status.' }).waitFor();
    await settle(page);
    const after = await focused(page);
    expect(after, 'focus after the swap').to.deep.equal({ id, checked: true, visible: true });
    expect(await t.resolve(coreServices.roles).effectivePrivileges(t.institution.id, 'student')).to.include('core:jobs.read');
    // doctoral students inherit it now: their box is ticked and disabled, without a reload
    expect(await page.locator('[id="cb:doctoral:core:jobs.read"]').isDisabled()).to.equal(true);
    expect(await page.locator('[id="cb:doctoral:core:jobs.read-note"]').textContent()).to.equal('inherited from Student');
    await screenshot(page, 'admin-matrix-after-toggle--desktop');

    await page.reload();
    expect(await page.locator(`[id="${id}"]`).isChecked(), 'still ticked after a reload').to.equal(true);
    expect(await page.locator('[id="cb:doctoral:core:jobs.read"]').isDisabled()).to.equal(true);

    await tabTo(page, id);
    const off = page.waitForResponse((r) => r.url().endsWith('/admin/roles/matrix/cell'));
    await page.keyboard.press('Space');
    expect((await off).status()).to.equal(200);
    await page.getByRole('status').filter({ hasText: 'Removed: Student — See job status.' }).waitFor();
    await page.reload();
    expect(await page.locator(`[id="${id}"]`).isChecked(), 'unticked after a reload').to.equal(false);
    await page.context().close();
  });

  it('keeps the header row and the privilege column in view, and scrolls inside the table on a 360 px phone', async () => {
    const page = await adminPage(PHONE);
    await page.goto(t.url + '/admin/roles/matrix');
    await settle(page);
    expect(await page.evaluate(() => document.documentElement.scrollWidth), 'the page does not scroll sideways').to.be.at.most(PHONE.width);
    await screenshot(page, 'admin-matrix--phone');
    await expectNoSeriousA11yViolations(page, 'matrix (phone)');
    // scroll the table region both ways: the header row sticks to its top, the privilege column to its left
    const region = page.locator('.matrix-scroll');
    await region.evaluate((el) => el.scrollBy(400, 300));
    await settle(page);
    const offsets = await region.evaluate((el) => {
      const box = el.getBoundingClientRect();
      const head = el.querySelector('thead th.role-col')!.getBoundingClientRect();
      const row = Array.from(el.querySelectorAll('th.privilege'), (e) => e.getBoundingClientRect()).find((r) => r.top > head.bottom)!;
      return { scrolled: [el.scrollLeft, el.scrollTop], head: Math.round(head.top - box.top), first: Math.round(row.left - box.left) };
    });
    expect(offsets.scrolled[0]).to.be.greaterThan(0);
    expect(offsets.scrolled[1]).to.be.greaterThan(0);
    expect(offsets.head, 'header row at the top of the region').to.be.within(0, 2);
    expect(offsets.first, 'privilege column at the left of the region').to.be.within(0, 2);
    await screenshot(page, 'admin-matrix-scrolled--phone');
    await page.context().close();
  });

  for (const [name, path] of [
    ['roles', '/admin/roles'], ['role-form', '/admin/roles/new'], ['components', '/admin/components'], ['rules', '/admin/rules'],
    ['rule-form', '/admin/rules/new'], ['people', '/admin/people'], ['person', '/admin/people/:person'], ['audit', '/admin/audit'],
  ] as const) {
    it(`${path}: no serious accessibility violation, no sideways scrolling at 360 px`, async () => {
      const page = await adminPage(DESKTOP, name === 'rules' ? 'fr-FR' : 'en-GB');
      await page.goto(t.url + path.replace(':person', String(personId)));
      expect(await page.locator('h1').count()).to.equal(1);
      if (name === 'audit') await page.locator('.audit-details summary').first().click();
      await screenshot(page, `admin-${name}--desktop`);
      await expectNoSeriousA11yViolations(page, name);
      await page.setViewportSize(PHONE);
      await settle(page);
      expect(await page.evaluate(() => document.documentElement.scrollWidth), `${name}: page width at 360 px`).to.be.at.most(PHONE.width);
      await screenshot(page, `admin-${name}--phone`);
      await expectNoSeriousA11yViolations(page, `${name} (phone)`);
      await page.context().close();
    });
  }
});
