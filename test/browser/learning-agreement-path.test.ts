// Issue 7 end to end, in a real browser: the student picks courses (ECTS bar, a rule explained),
// submits; the referent refuses one course; the student replaces it and resubmits; the referent
// approves; the office and the student take the file to `la-generated`; the student completes and
// signs the Learning Agreement; the sending coordinator signs through the mailed link (read from
// the SMTP sink); the host signs; a change is proposed and signed by all three. The PDF's text
// (pdftotext) shows every component and signature; the EWP XML validates against the XSD.
import { spawnSync } from 'node:child_process';
import { expect } from 'chai';
import type { Locator, Page } from 'playwright-core';
import { startTestPlatform, type TestPlatform } from '@smile/sdk/testing';
import { expectNoSeriousA11yViolations, screenshot, skipBrowser, useBrowser } from '@smile/sdk/testing/browser';
import { catalogueService, type ElementRecord } from '@smile/plugin-catalogue';
import { mobilityService } from '@smile/plugin-mobility';
import { SmtpSink } from '../../plugins/auth-local/test/support.js';
import { GET_RESPONSE_XSD, HAS_XMLLINT, xmllint } from '../../plugins/learning-agreement/test/fixtures/xmllint.js';

const PHONE = { width: 375, height: 800 };
const DESKTOP = { width: 1280, height: 900 };
const YEAR = 2026;
const STUDENT_MAIL = 'lucja.kowalska@student.uni.lodz.example';
const COORDINATOR = 'erasmus@uni.lodz.example';
const OFFICE = { givenNames: 'Claire', familyName: 'Martin', email: 'claire.martin@univ.example', position: 'Head of the international office' };
const HAS_PDFTOTEXT = spawnSync('pdftotext', ['-v']).status === 0;

const el = (code: string, titleFr: string, titleEn: string, more: Partial<ElementRecord> = {}): ElementRecord => ({
  code, titleFr, titleEn, ects: 6, semester: 'S1', languages: ['fr'], componentCode: 'LAW', ...more,
});
const ELEMENTS = [
  el('LAW101', 'Droit constitutionnel', 'Constitutional law'),
  el('LAW102', 'Droit des contrats', 'Contract law'),
  el('LAW103', 'Droit pénal', 'Criminal law'),
  el('LAW104', 'Droit administratif', 'Administrative law'),
  el('LAW105', 'Droit européen', 'European Union law'),
  el('LAW106', 'Droit de l’Øresund', 'Øresund region law'),
  el('LAW107', 'Droit international public', 'Public international law'),
];

describe('browser: course choice and the Learning Agreement signed by all three parties', function () {
  this.timeout(300_000);
  const b = useBrowser();
  let t: TestPlatform;
  const sink = new SmtpSink();
  let fileId: number;
  const cookies: Record<string, string> = {};

  before(async function () {
    if (skipBrowser()) return this.skip();
    await sink.start();
    t = await startTestPlatform({
      plugins: ['learning-agreement', 'base'],
      settings: { 'learning-agreement': { officeContact: OFFICE } },
      smtp: { host: '127.0.0.1', port: sink.port, from: 'SMILE <smile@univ.example>' },
    });
    await t.knex('institutions').where({ id: t.institution.id }).update({ schac_code: 'univ-demo.fr', country: 'FR' });
    const report = await t.resolve(catalogueService).importBatch({ institutionId: t.institution.id, label: 'test' }, YEAR, {
      components: [{ code: 'LAW', nameFr: 'Faculté de droit', nameEn: 'Law faculty' }],
      formations: [{ code: 'L3LAW', nameFr: 'Licence 3 Droit', nameEn: 'Bachelor 3 Law', componentCode: 'LAW', level: 3 }],
      elements: ELEMENTS,
      links: ELEMENTS.map((e) => ({ formationCode: 'L3LAW', childCode: e.code })),
    }, { source: 'test' });
    if (!report.ok) throw new Error(JSON.stringify(report.errors));
    const student = await t.signIn(['student'], { displayName: 'Łucja Kowalska', email: STUDENT_MAIL });
    cookies.student = student.cookie;
    cookies.referent = (await t.signIn([{ role: 'referent', components: ['LAW'] }], { displayName: 'Jean Dupont', email: 'jean.dupont@univ.example' })).cookie;
    cookies.manager = (await t.signIn(['manager'], { displayName: 'Claire Martin', email: OFFICE.email })).cookie;
    const law = (await t.knex('components').where({ institution_id: t.institution.id, code: 'LAW' }).first()).id;
    const store = t.resolve(mobilityService);
    const system = { institutionId: t.institution.id, label: 'system' };
    const file = await store.createFile(system, {
      personId: student.personId, firstName: 'Łucja', lastName: 'Kowalska', email: STUDENT_MAIL, birthDate: '2003-04-05', nationality: 'PL', gender: 'female',
      homeAddress: { street: 'ul. Piotrkowska', number: '12', city: 'Łódź', postalCode: '90-001', country: 'PL' },
      home: { name: 'Uniwersytet Łódzki', country: 'PL', schac: 'uni.lodz.pl', erasmusCode: 'PL LODZ01' },
      exchangeType: 'first-semester', academicYear: YEAR, plannedStart: '2026-09-01', plannedEnd: '2027-01-31', eqfLevel: 6, isced: '0421', language: 'en',
      componentId: law, approvalComponents: ['LAW'],
    });
    for (const stepKey of ['pre-registration', 'office-validation']) await store.transition(system, file.id, { stepKey, action: 'validate' }, undefined, { system: true });
    fileId = file.id;
  });
  after(async () => {
    await t?.stop();
    await sink.stop();
  });

  async function pageAs(who: string | null, size = DESKTOP): Promise<Page> {
    const page = await b.newPage({ ...size, locale: 'en-GB' });
    if (who) {
      await page.context().addCookies(cookies[who]!.split('; ').map((pair) => {
        const i = pair.indexOf('=');
        return { name: pair.slice(0, i), value: pair.slice(i + 1), url: t.url };
      }));
    }
    return page;
  }
  /** Post a form and wait for the page it leads to. */
  async function send(page: Page, button: Locator): Promise<void> {
    await Promise.all([page.waitForEvent('load'), button.click()]);
  }
  async function add(page: Page, code: string, words: string): Promise<void> {
    await page.getByLabel('Search for a course').fill(words);
    await page.waitForFunction((c) => Array.from(document.querySelectorAll('#picker-results .cp-code')).every((e) => e.textContent === c)
      && document.querySelectorAll('#picker-results .cp-code').length > 0, code);
    await page.locator(`form:has(#toggle-${code})[data-htmx-powered]`).waitFor();
    await page.locator(`#toggle-${code}`).click();
    await page.locator('#picker-status', { hasText: `${code} – ` }).waitFor();
  }
  const main = (page: Page) => page.locator('main').innerText();
  async function decide(page: Page, code: string, decision: 'approved' | 'refused', comment = ''): Promise<void> {
    await page.locator(`#decision-${code}-${decision}`).check();
    if (comment) await page.locator(`#comment-${code}`).fill(comment);
    await send(page, page.locator(`#item-${code} form.cp-decide button[type="submit"]`));
  }
  const lastLink = () => {
    const m = /\/la\/sign\/[A-Za-z0-9_-]{43}/.exec(sink.last(COORDINATOR).text);
    if (!m) throw new Error('no signing link mailed to the coordinator');
    return m[0];
  };
  async function signAs(page: Page, name: string, email: string, position?: string): Promise<void> {
    await page.locator('#sign-name').fill(name);
    if (position) await page.locator('#sign-position').fill(position);
    await page.locator('#sign-email').fill(email);
    await send(page, page.locator('form[action$="/sign"] button[type="submit"], form[action^="/la/sign/"]:not([action$="/refuse"]) button[type="submit"]').first());
  }

  it('takes the choice of courses to a Learning Agreement signed, changed and signed again', async () => {
    // 1. the student picks courses on a phone: the ECTS bar and the minimum rule explained
    const me = await pageAs('student', PHONE);
    expect((await me.goto(`${t.url}/mobility/me/${fileId}/courses`))?.status()).to.equal(200);
    await add(me, 'LAW101', 'constitutional');
    const choice = me.locator('#picker-choice');
    expect(await choice.innerText()).to.contain('6 / 30 ECTS').and.contain('You have 6 ECTS in semester 1; the minimum is 30: add 24 ECTS or more.');
    await screenshot(me, 'la-path-1-picker--phone');
    for (const [code, words] of [['LAW102', 'contract'], ['LAW103', 'criminal'], ['LAW104', 'administrative'], ['LAW105', 'european']] as const) await add(me, code, words);
    expect(await choice.innerText()).to.contain('30 / 30 ECTS').and.contain('This meets the rules.');
    await send(me, me.locator('#picker-submit'));
    await me.getByText('Your choice was submitted to the referents.').waitFor();
    await screenshot(me, 'la-path-2-submitted--phone');

    // 2. the referent refuses one course with a comment and sends the decisions back
    const referent = await pageAs('referent');
    await referent.goto(`${t.url}/mobility/files/${fileId}/courses`);
    await decide(referent, 'LAW103', 'refused', 'Criminal law is taught in the spring only for incoming students.');
    for (const code of ['LAW101', 'LAW102', 'LAW104', 'LAW105']) await decide(referent, code, 'approved');
    await screenshot(referent, 'la-path-3-referent');
    await send(referent, referent.locator('form[action$="/finish"] button'));

    // 3. the student sees the refusal, replaces the course and submits again
    await me.goto(`${t.url}/mobility/me/${fileId}/courses`);
    expect(await main(me)).to.contain('Criminal law is taught in the spring only for incoming students.');
    await me.locator('#toggle-LAW103').click();
    await me.locator('#picker-status', { hasText: 'LAW103 – ' }).waitFor();
    await add(me, 'LAW106', 'Øresund');
    await send(me, me.locator('#picker-submit'));
    await me.getByText('Your choice was submitted to the referents.').waitFor();

    // 4. the referent approves the new course
    await referent.goto(`${t.url}/mobility/files/${fileId}/courses`);
    await decide(referent, 'LAW106', 'approved');
    await send(referent, referent.locator('form[action$="/finish"] button'));
    const office = await pageAs('manager');

    // 5. the office, then the student, validate their steps: the LA is generated
    await office.goto(`${t.url}/mobility/files/${fileId}`);
    expect(await office.locator('[aria-current="step"]').innerText()).to.contain('Approval by the host institution');
    await send(office, office.locator('#file-actions form:has(input[name="action"][value="validate"]) button'));
    await me.goto(`${t.url}/mobility/me/${fileId}`);
    await send(me, me.locator('form[action$="/submit"] button'));
    expect((await t.knex('mobility_files').where({ id: fileId }).first()).current_step).to.equal('la-generated');
    const agreement = await t.knex('learning_agreements').where({ file_id: fileId }).first();
    expect(agreement).to.not.equal(undefined);

    // 6. the student completes what is missing and signs
    await me.goto(`${t.url}/mobility/me/${fileId}/learning-agreement`);
    expect(await main(me)).to.contain('LAW106').and.contain('Øresund').and.not.contain('LAW103');
    await me.getByLabel('Your faculty or department at your home institution').fill('Wydział Prawa i Administracji');
    await me.getByLabel('First name(s)').fill('Zbigniew');
    await me.getByLabel('Last name').fill('Świątek');
    await me.getByLabel('E-mail', { exact: true }).fill(COORDINATOR);
    await me.getByLabel('Your level in the language of instruction (French)').selectOption('B2');
    const row = me.getByRole('group', { name: 'Component 1' });
    await row.getByLabel('Title').fill('Prawo konstytucyjne');
    await row.getByLabel('Term').selectOption('S1');
    await row.getByLabel('ECTS credits').fill('30');
    await send(me, me.getByRole('button', { name: 'Save as a new version' }));
    await send(me, me.getByRole('button', { name: 'Sign version 2' }));
    await me.getByText('Your signature is recorded.').waitFor();
    await screenshot(me, 'la-path-4-student-signed--phone');

    // 7. the sending coordinator signs through the mailed link (SMTP sink)
    await t.drainJobs();
    const coordinator = await pageAs(null, PHONE);
    expect((await coordinator.goto(`${t.url}${lastLink()}`))?.status()).to.equal(200);
    await signAs(coordinator, 'Zbigniew Świątek', COORDINATOR, 'Erasmus+ coordinator');
    await screenshot(coordinator, 'la-path-5-coordinator--phone');

    // 8. the host signs
    await office.goto(`${t.url}/learning-agreements/${agreement.id}`);
    await signAs(office, 'Claire Martin', OFFICE.email, OFFICE.position);
    expect((await t.knex('learning_agreements').where({ id: agreement.id }).first()).state).to.equal('signed');
    await screenshot(office, 'la-path-6-signed');

    // 9. a change: LAW104 deleted (not available), LAW107 added in its place; signed by all three
    await me.goto(`${t.url}/mobility/me/${fileId}/learning-agreement`);
    const studied = me.locator('#change-form fieldset', { hasText: 'LAW104' });
    await studied.locator('select').selectOption('not-available');
    await me.locator('#add-code-0').fill('LAW107');
    await me.locator('#add-title-0').fill('Public international law');
    await me.locator('#add-term-0').selectOption('S1');
    await me.locator('#add-ects-0').fill('6');
    await me.locator('#add-reason-0').selectOption('substituting-deleted');
    await send(me, me.getByRole('button', { name: 'Propose this change' }));
    await send(me, me.getByRole('button', { name: 'Sign version 3' }));
    await t.drainJobs();
    await coordinator.goto(`${t.url}${lastLink()}`);
    await signAs(coordinator, 'Zbigniew Świątek', COORDINATOR, 'Erasmus+ coordinator');
    await office.goto(`${t.url}/learning-agreements/${agreement.id}`);
    await signAs(office, 'Claire Martin', OFFICE.email, OFFICE.position);
    expect((await t.knex('learning_agreements').where({ id: agreement.id }).first()).state).to.equal('signed');
    await screenshot(office, 'la-path-7-change-signed');
    await expectNoSeriousA11yViolations(office, 'staff LA page at the end');

    // 10. the documents: the PDF's text and the EWP XML
    const api = t.client({ session: { cookie: cookies.manager!, csrf: '' }, lang: 'en' });
    if (HAS_PDFTOTEXT) {
      // the bytes, as the browser downloads them (the test client decodes bodies as text)
      const pdf = await fetch(`${t.url}/api/v1/learning-agreements/${agreement.id}.pdf?lang=en`, { headers: { cookie: cookies.manager! } });
      expect(pdf.status).to.equal(200);
      const text = spawnSync('pdftotext', ['-layout', '-', '-'], { input: Buffer.from(await pdf.arrayBuffer()), encoding: 'utf8' }).stdout;
      for (const e of [...ELEMENTS.filter((x) => x.code !== 'LAW103')]) expect(text, e.code).to.contain(e.code);
      for (const name of ['Łucja Kowalska', 'Zbigniew Świątek', 'Claire Martin', 'Prawo konstytucyjne']) expect(text, name).to.contain(name);
    }
    if (HAS_XMLLINT) {
      const xml = await api.get(`/api/v1/learning-agreements/${agreement.id}.xml`);
      expect(xml.status).to.equal(200);
      const v = xmllint(xml.text, GET_RESPONSE_XSD);
      expect(v.status, v.messages).to.equal(0);
    }
  });
});
