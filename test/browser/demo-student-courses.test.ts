// The demo as a newcomer meets it, in a real browser: on a phone, with the keyboard only, the visitor
// signs in as the demo student persona (Sofia Rossi), follows the site's links to her mobility file
// (the demo file linked to her ESI) and its course choice; she searches the demo catalogue, adds a
// course, reads the ECTS bar and the rules explained, is refused a submission, fixes her choice with
// courses of her main component and submits it. The demo referent persona (desktop, mouse) refuses
// one course with a comment and approves the others; she reads the comment, replaces the course and
// submits again; the referent approves the new one. Courses are read from what the page offers, never
// hard-coded: the demo catalogue may change.
import { expect } from 'chai';
import type { Page } from 'playwright-core';
import { startTestPlatform, type TestPlatform } from '@smile/sdk/testing';
import { expectNoSeriousA11yViolations, screenshot, skipBrowser, useBrowser } from '@smile/sdk/testing/browser';
import { mobilityService } from '@smile/plugin-mobility';
import { DEMO_STUDENT_ESI } from '../../plugins/mobility/src/demo.js';
import { bar, focused, type Hit, hits, plan, settle, tabTo } from './demo-student-courses.support.js';

const PHONE = { width: 375, height: 800 };
const DESKTOP = { width: 1280, height: 900 };
const STUDENT = 'Sofia Rossi';
const REFERENT = 'Jean Dupont';
const COMMENT = 'This course has no seat left for exchange students this autumn: please choose one of your own faculty instead.';

describe('browser: the demo student chooses her courses, by keyboard on a phone, and the demo referent decides', function () {
  this.timeout(120_000);
  const b = useBrowser();
  let t: TestPlatform;
  let fileId: number;
  /** Her main component: its English name (the search filter's) and its code. */
  let mainComponent: string;
  let mainCode: string;

  before(async function () {
    if (skipBrowser()) return this.skip();
    t = await startTestPlatform({ plugins: ['demo', 'catalogue', 'mobility', 'course-picker', 'learning-agreement', 'base'], demo: true });
    const file = await t.knex('mobility_files').where({ institution_id: t.institution.id, esi: DEMO_STUDENT_ESI }).first();
    fileId = file.id;
    ({ name_en: mainComponent, code: mainCode } = await t.knex('components').where({ id: file.component_id }).first());
    // the mobility demo leaves her file at an earlier step: the office's system transitions bring it to the choice
    const store = t.resolve(mobilityService);
    const system = { institutionId: t.institution.id, label: 'system' };
    for (let i = 0; i < 5; i++) {
      const step = (await t.knex('mobility_files').where({ id: fileId }).first()).current_step as string;
      if (step === 'course-selection') break;
      await store.transition(system, fileId, { stepKey: step, action: 'validate' }, undefined, { system: true });
    }
  });
  after(async () => {
    await t?.stop();
  });

  const text = async (page: Page, selector: string) => (await page.locator(selector).first().innerText()).replace(/\s+/g, ' ').trim();
  const noSideways = (page: Page) => page.evaluate(() => document.documentElement.scrollWidth <= window.innerWidth);
  /** What a student page must be on a phone: no sideways scrolling, no serious axe violation; and its screenshot. */
  async function look(page: Page, name: string): Promise<void> {
    expect(await noSideways(page), `${name}: no sideways scrolling at 375 px`).to.equal(true);
    await screenshot(page, `demo-student--${name}`);
    await expectNoSeriousA11yViolations(page, `${name} (phone)`);
  }
  /** Press Enter on the focused link or button and wait for the page it leads to. */
  async function follow(page: Page, url: string | RegExp | ((u: URL) => boolean)): Promise<void> {
    await Promise.all([page.waitForURL(url, { waitUntil: 'load' }), page.keyboard.press('Enter')]);
  }
  /** Wait for the live region to announce a change of `code` (“added to”, “removed from”) and return what it says. */
  async function announced(page: Page, code: string, op: 'added to' | 'removed from'): Promise<string> {
    const said = page.locator('#picker-status', { hasText: new RegExp(`^${code} – .+ ${op} your choice\\.$`) });
    await said.waitFor();
    return said.innerText();
  }

  /** From the search field: open the filters, choose her main component and the biggest courses first, with the keyboard. */
  async function filterMainComponent(page: Page): Promise<void> {
    await tabTo(page, (f) => f.id === 'picker-q', 'the search field');
    await page.keyboard.press('Control+A');
    await page.keyboard.press('Backspace');
    await settle(page, { q: '' });
    const summary = await tabTo(page, (f) => f.tag === 'summary', 'the filters');
    expect(summary.text).to.match(/^Filters \(\d+ active\)$/);
    if (!(await page.locator('details.cp-filters').evaluate((d) => (d as HTMLDetailsElement).open))) await page.keyboard.press('Enter');
    await choose(page, 'picker-component', mainComponent);
    const component = await page.locator('#picker-component').inputValue();
    await settle(page, { q: '', component });
    await choose(page, 'picker-sort', 'ECTS, most first');
    await settle(page, { q: '', component, sort: 'ects' });
  }
  /** Tab to a select and walk its options with the arrow keys until `label` is selected. */
  async function choose(page: Page, id: string, label: string): Promise<void> {
    await tabTo(page, (f) => f.id === id, `the select ${id}`);
    const select = page.locator(`#${id}`);
    const labels = await select.locator('option').allInnerTexts();
    const want = labels.findIndex((l) => l.trim() === label);
    expect(want, `${id} offers “${label}”`).to.be.greaterThan(-1);
    const now = () => select.evaluate((s) => (s as HTMLSelectElement).selectedIndex);
    for (let i = 0; i < labels.length && (await now()) !== want; i++) await page.keyboard.press((await now()) < want ? 'ArrowDown' : 'ArrowUp');
    expect(await now(), `${label} selected with the keyboard`).to.equal(want);
  }
  /** Tab to a result's Add (or Remove) button, press Enter and wait for the change to be announced; returns the bar. */
  async function toggle(page: Page, hit: Hit, op: 'added to' | 'removed from'): Promise<number> {
    await page.locator(`form:has(#${hit.button})[data-htmx-powered]`).waitFor();
    const f = await tabTo(page, (x) => x.id === hit.button, `the button of ${hit.code}`, { max: 150 });
    expect(f.text).to.match(op === 'added to' ? /^Add / : /^Remove /);
    expect(f.visible, `the button of ${hit.code} shows its focus`).to.equal(true);
    await page.keyboard.press('Enter');
    await announced(page, hit.code, op);
    expect((await focused(page))?.id, 'focus stays on the button').to.equal(hit.button);
    return bar(page);
  }
  /**
   * Add a result and keep it when no rule blocks it and the bar moves as `counts` wants (by default, by
   * the ECTS the result shows: a course of a teaching unit counts the whole unit's); else remove it again.
   */
  async function tryAdd(page: Page, hit: Hit, counts = (moved: number) => moved === hit.ects): Promise<boolean> {
    const was = await bar(page);
    const now = await toggle(page, hit, 'added to');
    const blocked = await page.locator('#picker-choice .cp-problem--block', { hasText: hit.code }).count();
    if (counts(now - was) && !blocked) return true;
    const back = (await hits(page)).find((h) => h.code === hit.code)!;
    expect(await toggle(page, back, 'removed from'), `${hit.code} removed: the bar is back`).to.equal(was);
    return false;
  }
  /** Add courses of the results until the bar reaches 30 ECTS, on a plan made from the ECTS the results show. */
  async function fill(page: Page, skip: Set<string>): Promise<string[]> {
    const added: string[] = [];
    for (let round = 0; round < 8 && (await bar(page)) < 30; round++) {
      const gap = 30 - (await bar(page));
      const picked = plan(await hits(page), gap, skip);
      expect(picked, `the results offer courses for ${gap} ECTS`).to.not.equal(null);
      for (const hit of picked!) {
        if (await tryAdd(page, hit)) {
          added.push(hit.code);
          continue;
        }
        skip.add(hit.code);
        break;
      }
    }
    expect(await bar(page), 'the choice reaches 30 ECTS').to.equal(30);
    return added;
  }
  /** Shift+Tab from where the focus is back to “Submit my choice”, Enter, and the page that answers. */
  async function submit(page: Page): Promise<void> {
    const f = await tabTo(page, (x) => x.id === 'picker-submit', 'Submit my choice', { max: 150, back: true });
    expect(f.text).to.equal('Submit my choice');
    await Promise.all([page.waitForEvent('load'), page.keyboard.press('Enter')]);
  }
  /** The referent's decision on a course, with the mouse. */
  async function decide(page: Page, code: string, decision: 'Approve' | 'Refuse', comment = ''): Promise<void> {
    const form = page.locator('form.cp-decide', { has: page.getByRole('group', { name: `Decision on ${code}` }) });
    await form.getByLabel(decision, { exact: true }).check();
    if (comment) await form.getByLabel(/^Comment/).fill(comment);
    await Promise.all([page.waitForEvent('load'), form.getByRole('button', { name: /^Save the decision/ }).click()]);
    expect(await text(page, '.flash-region')).to.equal(`${code} ${decision === 'Approve' ? 'approved' : 'refused'}.`);
  }

  it('takes the demo student from the home page to a course choice the referent approves', async () => {
    // 1. a newcomer on a phone: the home page, the site's sign-in link, her persona — keyboard only
    const me = await b.newPage({ ...PHONE, locale: 'en-GB' });
    await me.goto(t.url + '/');
    expect(await text(me, 'main h1')).to.equal('Demonstration University');
    await look(me, '1-home');
    const signIn = await tabTo(me, (f) => f.text === 'Sign in' && f.tag === 'a', 'the sign-in link', { max: 10 });
    expect(signIn.visible, 'the sign-in link shows its focus').to.equal(true);
    await follow(me, `${t.url}/demo/sign-in`);
    expect(await text(me, 'main h1')).to.equal('Demo sign-in');
    expect(await text(me, 'main')).to.contain(`${STUDENT} — a student from the Università di Bologna, autumn semester.`);
    await look(me, '2-sign-in');
    const button = await tabTo(me, (f) => f.text === `Sign in as ${STUDENT}`, 'her persona button', { max: 20 });
    expect(button.visible, 'the persona button shows its focus').to.equal(true);
    await follow(me, `${t.url}/`);
    expect(await text(me, '.flash-region')).to.equal(`Welcome, ${STUDENT}.`);
    expect(await text(me, 'header.top')).to.contain(`Signed in: ${STUDENT}`);
    await look(me, '3-home-signed-in');

    // 2. the site's links to her file: the demo file, linked to her ESI at sign-in
    await tabTo(me, (f) => f.text === 'My mobility' && f.href === '/mobility/me', 'My mobility', { max: 10 });
    await follow(me, `${t.url}/mobility/me/${fileId}`);
    const persona = await t.knex('person_identities').where({ provider: 'demo', subject: 'student' }).first();
    const file = await t.knex('mobility_files').where({ id: fileId }).first();
    expect(file.esi).to.equal(DEMO_STUDENT_ESI);
    expect(file.person_id, 'the demo file is linked to the persona who signed in').to.equal(persona.person_id);
    const filePage = await text(me, 'main');
    expect(filePage).to.contain('Alma Mater Studiorum – Università di Bologna');
    expect(await text(me, '[aria-current="step"]')).to.contain('Course selection');
    expect(filePage).to.contain('It is your turn: step “Course selection”.').and.contain('No course chosen yet.');
    await look(me, '4-file');
    await tabTo(me, (f) => f.text === 'Open my course choice', 'Open my course choice');
    await follow(me, `${t.url}/mobility/me/${fileId}/courses`);
    expect(await text(me, 'main h1')).to.equal('Choose your courses');
    expect(await text(me, 'main .lead')).to.match(/^Courses of the \d{4}–\d{4} academic year open to your exchange, for your mobility: Semester 1\.$/);
    expect(await bar(me)).to.equal(0);
    expect(await text(me, '#picker-choice .cp-total-head')).to.equal('Semester 1 0 / 30 ECTS');
    await look(me, '5-courses-empty');

    // 3. she searches the catalogue and adds a course of another component: the bar and the rules explained
    await tabTo(me, (f) => f.id === 'picker-q', 'the search field');
    await me.keyboard.type('law');
    await settle(me, { q: 'law' });
    // the first result of another component that leaves room for half of her credits from her own; the bar
    // counts a course of a teaching unit as the whole unit (at least the course's own ECTS)
    let first: Hit | undefined;
    for (const hit of (await hits(me)).filter((h) => !h.facts.includes(mainComponent) && h.ects > 0).slice(0, 6)) {
      if (await tryAdd(me, hit, (moved) => moved >= hit.ects && moved <= 15)) {
        first = hit;
        break;
      }
    }
    expect(first, 'a law course outside her main component').to.not.equal(undefined);
    const n = await bar(me);
    const choice = await text(me, '#picker-choice');
    expect(choice).to.contain(`Semester 1 ${n} / 30 ECTS`)
      .and.contain(`Semester 1: ${n} ECTS chosen (30 required).`)
      .and.contain(`You have ${n} ECTS in semester 1; the minimum is 30: add ${30 - n} ECTS or more.`);
    const share = new RegExp(`In semester 1, 0 of your ${n} ECTS \\(0%\\) come from your main component (${mainCode}|${mainComponent}); at least 50% must: add ${n} ECTS or more of its courses, or remove ${n} ECTS or more of courses from other components\\.`);
    expect(await me.locator('#picker-choice .cp-problems .cp-problem--block', { hasText: share }).count(), 'the main-component share explained').to.equal(1);
    expect(choice).to.contain(first!.code);
    await look(me, '6-courses-rule');

    // she tries to submit: refused, the summary of what blocks takes the focus
    await submit(me);
    await me.locator('#picker-errors').waitFor();
    expect((await focused(me))?.id, 'focus on the error summary').to.equal('picker-errors');
    const errors = await text(me, '#picker-errors');
    expect(errors).to.contain('Your course choice cannot be submitted yet:')
      .and.contain(`You have ${n} ECTS in semester 1; the minimum is 30: add ${30 - n} ECTS or more.`)
      .and.match(share);
    await look(me, '7-submit-refused');

    // 4. she fixes it with courses of her main component, chosen from the results, and submits
    await filterMainComponent(me);
    const mine = await hits(me);
    expect(mine.length, 'courses of her main component').to.be.greaterThan(0);
    expect(mine.every((h) => h.facts.includes(mainComponent)), 'the filter keeps her component only').to.equal(true);
    const ects = mine.map((h) => h.ects);
    expect(ects, 'biggest first').to.deep.equal([...ects].sort((x, y) => y - x));
    const added = await fill(me, new Set([first!.code]));
    expect(added.length).to.be.greaterThan(0);
    expect(await text(me, '#picker-choice .cp-total')).to.contain('Semester 1: 30 ECTS chosen (30 required).').and.match(new RegExp(`come from your main component (${mainCode}|${mainComponent})`));
    expect(await me.locator('#picker-choice .cp-problem--block').count(), 'nothing blocks any more').to.equal(0);
    expect(await text(me, '#picker-submit-hint')).to.equal('Your choice meets the rules: submit it to the referents.');
    await look(me, '8-courses-complete');
    await submit(me);
    expect(me.url()).to.equal(`${t.url}/mobility/me/${fileId}/courses`);
    expect(await text(me, '.flash-region')).to.equal('Your choice was submitted to the referents.');
    expect(await text(me, '#picker-choice .cp-note')).to.equal('Submitted: your choice is with the referents (step: Approval by the educational referent). You will be told when they have decided.');
    expect(await me.locator('#picker-submit').count(), 'nothing to submit any more').to.equal(0);
    await look(me, '9-submitted');

    // 5. the demo referent persona (desktop, mouse) refuses the law course with a comment, approves the others
    const referent = await b.newPage({ ...DESKTOP, locale: 'en-GB' });
    await referent.goto(`${t.url}/demo/sign-in`);
    await Promise.all([referent.waitForURL(`${t.url}/`), referent.getByRole('button', { name: `Sign in as ${REFERENT}` }).click()]);
    await referent.getByRole('navigation', { name: 'Main menu' }).getByRole('link', { name: 'Mobility files' }).click();
    await referent.getByRole('link', { name: /Rossi/ }).first().click();
    await referent.waitForURL(`${t.url}/mobility/files/${fileId}`);
    await referent.getByRole('link', { name: 'See and decide on the courses' }).click();
    await referent.waitForURL(`${t.url}/mobility/files/${fileId}/courses`);
    expect(await text(referent, 'main h1')).to.equal(`Courses chosen by ${STUDENT}`);
    await decide(referent, first!.code, 'Refuse', COMMENT);
    for (const code of added) await decide(referent, code, 'Approve');
    expect(await text(referent, '#referent-finish-hint')).to.equal('1 course(s) refused: the choice goes back to the student with your comments.');
    await screenshot(referent, 'demo-student--referent-1-refuses');
    await expectNoSeriousA11yViolations(referent, 'referent page');
    await Promise.all([referent.waitForEvent('load'), referent.getByRole('button', { name: 'Send back to the student' }).click()]);
    expect(await text(referent, '.flash-region')).to.equal('The choice went back to the student with the refused courses.');

    // 6. back on her phone: her file, then the refused course with the referent's comment
    await tabTo(me, (f) => f.text === 'My mobility' && f.href === '/mobility/me', 'My mobility', { max: 10 });
    await follow(me, `${t.url}/mobility/me/${fileId}`);
    expect(await text(me, '[aria-current="step"]')).to.contain('Course selection');
    expect(await text(me, 'main')).to.contain(`${added.length + 1} course(s): ${added.length} approved, 1 refused, 0 waiting.`).and.contain(COMMENT);
    await look(me, '10-file-refused');
    await tabTo(me, (f) => f.text === 'Open my course choice', 'Open my course choice');
    await follow(me, `${t.url}/mobility/me/${fileId}/courses`);
    const refused = me.locator('#picker-choice .cp-item--refused');
    expect(await refused.count()).to.equal(1);
    const refusedText = await refused.innerText();
    expect(refusedText).to.contain(first!.code).and.contain('Refused: replace it or remove it').and.contain(`Referent's comment: ${COMMENT}`);
    expect(await me.locator('#picker-choice .cp-item--approved').count()).to.equal(added.length);
    expect(await text(me, '#picker-choice .cp-item--approved')).to.contain('Approved: this course is locked in your choice.');
    await look(me, '11-courses-refused');

    // she removes it (the focus goes to her choice's heading), then replaces it from her component's courses
    const removeId = await refused.locator('button', { hasText: /^Remove/ }).getAttribute('id');
    await tabTo(me, (f) => f.id === removeId, 'the Remove button of the refused course');
    await me.keyboard.press('Enter');
    await announced(me, first!.code, 'removed from');
    await me.waitForFunction(() => document.activeElement?.id === 'picker-choice-title');
    expect(await bar(me)).to.equal(30 - n);
    await filterMainComponent(me);
    const replacing = await fill(me, new Set([first!.code, ...added]));
    expect(replacing.length).to.be.greaterThan(0);
    await look(me, '12-courses-replaced');
    await submit(me);
    expect(await text(me, '.flash-region')).to.equal('Your choice was submitted to the referents.');

    // 7. the referent approves the new course(s): the choice is approved
    await referent.reload();
    for (const code of replacing) await decide(referent, code, 'Approve');
    expect(await text(referent, '#referent-finish-hint')).to.equal('Every course is approved: your approval moves the file on.');
    await Promise.all([referent.waitForEvent('load'), referent.getByRole('button', { name: 'Approve the choice' }).click()]);
    expect(await text(referent, '.flash-region')).to.equal('The choice is approved.');
    await screenshot(referent, 'demo-student--referent-2-approved');
    await referent.context().close();

    // and she sees every course approved
    await me.reload();
    expect(await me.locator('#picker-choice .cp-item--approved').count()).to.equal(added.length + replacing.length);
    expect(await me.locator('#picker-choice .cp-item--refused, #picker-choice .cp-item--pending').count()).to.equal(0);
    expect(await bar(me)).to.equal(30);
    await look(me, '13-approved');
    expect((await t.knex('mobility_files').where({ id: fileId }).first()).current_step).to.equal('host-approval');
    await me.context().close();
  });
});
