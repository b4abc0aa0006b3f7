// The whole path of an incoming student's file, in a real browser, against real services: the office
// imports three nominations (one a duplicate, shown as such); the nominee signs in at their home
// institution (a SAML IdP), completes the profile and uploads the documents; the office refuses one
// with a comment; the student replaces it and sends the step; the office, the student and the
// referent validate their steps. The timeline shows every step, and every mail reached its intended
// recipient through SMTP (a sink server) and is listed on the file.
import { expect } from 'chai';
import type { Page } from 'playwright-core';
import { startTestPlatform, type TestPlatform } from '@smile/sdk/testing';
import { expectNoSeriousA11yViolations, screenshot, skipBrowser, useBrowser } from '@smile/sdk/testing/browser';
import { student, TestIdp } from '../../plugins/auth-saml/test/idp.js';
import { introduce } from '../../plugins/auth-saml/test/support.js';
import { SmtpSink } from '../../plugins/auth-local/test/support.js';

const PHONE = { width: 375, height: 800 };
const DESKTOP = { width: 1280, height: 900 };
const ESI = 'urn:schac:personalUniqueCode:int:esi:unibo.it:0000123456';
const STUDENT_MAIL = 'giulia.bianchi@studio.unibo.it';
const MANAGER_MAIL = 'claire.martin@univ.example';
const REFERENT_MAIL = 'jean.dupont@univ.example';

const NOMINATIONS = [
  'firstname;lastname;email;year;birthdate;esi;city;postalcode;street;numstreet;referent email;institution code',
  `Giulia;Bianchi;${STUDENT_MAIL};2026;15/04/2003;${ESI};Bologna;40126;Via Zamboni;33;${REFERENT_MAIL};I  BOLOGNA01`,
  'Jakub;Wiśniewski;jakub.wisniewski@uni.lodz.example;2026;02/07/2003;urn:schac:personalUniqueCode:int:esi:uni.lodz.pl:77;Łódź;90-001;ul. Piotrkowska;12;;PL LODZ01',
  // Giulia again, as another partner typed her: the same ESI
  `GIULIA;BIANCHI;g.bianchi@other.example;2026;15/04/2003;${ESI.toUpperCase()};;;;;;`,
].join('\n');

const pdf = (text: string) => Buffer.from(`%PDF-1.4\n% ${text}\n%%EOF\n`);

describe('browser: a nomination from import to the referent’s approval (mobility)', function () {
  this.timeout(240_000);
  const b = useBrowser();
  let t: TestPlatform;
  let idp: TestIdp;
  const sink = new SmtpSink();
  const staff: Record<string, string> = {};

  before(async function () {
    if (skipBrowser()) return this.skip();
    await sink.start();
    idp = await TestIdp.start({ http: true });
    t = await startTestPlatform({
      plugins: ['auth-saml', 'mobility', 'base'],
      settings: { 'auth-saml': { idps: [idp.setting()] } },
      smtp: { host: '127.0.0.1', port: sink.port, from: 'SMILE <smile@univ.example>' },
    });
    await introduce(t, idp);
    staff.manager = (await t.signIn(['manager'], { displayName: 'Claire Martin', email: MANAGER_MAIL })).cookie;
    staff.referent = (await t.signIn(['referent'], { displayName: 'Jean Dupont', email: REFERENT_MAIL })).cookie;
  });
  after(async () => {
    await t?.stop();
    await idp?.stop();
    await sink.stop();
  });

  /** A page signed in as a staff member (their session cookie), English. */
  async function staffPage(who: 'manager' | 'referent'): Promise<Page> {
    const page = await b.newPage({ ...DESKTOP, locale: 'en-GB' });
    await page.context().addCookies(staff[who]!.split('; ').map((pair) => {
      const i = pair.indexOf('=');
      return { name: pair.slice(0, i), value: pair.slice(i + 1), url: t.url };
    }));
    return page;
  }
  const mainText = (page: Page) => page.locator('main').innerText();
  const fileOf = async () => (await t.knex('mobility_files').where({ esi: ESI }).first()) as { id: number };
  /** Post a form of the page and wait for the page it leads to. */
  async function send(page: Page, button: ReturnType<Page['locator']>): Promise<void> {
    await Promise.all([page.waitForEvent('load'), button.click()]);
  }

  it('takes the file from the import to the referent’s approval, with the timeline and the mail', async () => {
    // 1. the office imports three nominations: the third is the first one again
    const office = await staffPage('manager');
    await office.goto(`${t.url}/mobility/import`);
    await office.getByLabel('Nomination file (CSV)').setInputFiles({ name: 'nominations.csv', mimeType: 'text/csv', buffer: Buffer.from(NOMINATIONS) });
    await office.getByRole('button', { name: 'Preview' }).click();
    await office.getByRole('heading', { level: 1, name: 'Nominations: preview' }).waitFor();
    const preview = await mainText(office);
    expect(preview).to.contain('2 files will be created, 1 duplicates will be skipped');
    expect(preview).to.contain('Duplicate of line 2 (Giulia Bianchi)');
    await screenshot(office, 'mobility-path-1-preview');
    await office.getByRole('button', { name: 'Import these nominations' }).click();
    await office.getByRole('heading', { level: 1, name: 'Nominations imported' }).waitFor();
    expect(await mainText(office)).to.contain('2 files created, 1 duplicates skipped.');
    const { id } = await fileOf();
    await t.drainJobs();
    const invitation = sink.last(STUDENT_MAIL);
    expect(invitation.text).to.contain('/mobility/join/');

    // 2. the nominee signs in with their home institution's account and lands on their file
    idp.user = student();
    const me = await b.newPage({ ...PHONE, locale: 'en-GB' });
    await me.goto(`${t.url}/saml/login?idp=${encodeURIComponent(idp.entityId)}&return=${encodeURIComponent('/mobility/me')}`);
    await me.waitForURL(`**/mobility/me/${id}`);
    expect(await me.locator('[aria-current="step"]').innerText()).to.contain('Pre-registration');
    expect(await mainText(me)).to.contain('It is your turn');

    // 3. completes the profile (the import brought the birth date, e-mail and address)
    await me.getByRole('link', { name: 'Complete my profile' }).click();
    await me.waitForURL(`**/mobility/me/${id}/profile`);
    await me.selectOption('#p-nationality', 'IT');
    await me.selectOption('#p-gender', 'female');
    await me.selectOption('#p-country', 'IT');
    await send(me, me.locator('form.student-form button[type="submit"]'));
    expect(await me.locator('.flash').innerText()).to.contain('Your profile was saved.');

    // 4. uploads the three documents the step requires
    for (const type of ['passport', 'transcript', 'language-certificate']) {
      await me.locator(`#doc-type-${type}-file`).setInputFiles({ name: `${type}.pdf`, mimeType: 'application/pdf', buffer: pdf(type) });
      await send(me, me.locator(`#doc-${type} form button[type="submit"]`));
      expect(await me.locator(`#doc-${type}`).innerText()).to.contain('Waiting for review');
    }
    await screenshot(me, 'mobility-path-4-documents--phone');

    // 5. the office refuses the transcript with a comment
    const transcript = await t.knex('mobility_documents').where({ file_id: id, type_code: 'transcript' }).first();
    await office.goto(`${t.url}/mobility/files/${id}`);
    await office.locator(`#doc-decision-${transcript.id}-comment`).fill('The second page of the transcript is missing.');
    await send(office, office.locator(`#doc-transcript button[value="refuse"]`));
    expect(await office.locator('#doc-transcript').innerText()).to.contain('The second page of the transcript is missing.');

    // 6. the student sees why, replaces it, and sends the step
    await me.goto(`${t.url}/mobility/me/${id}`);
    expect(await me.locator('#doc-transcript').innerText()).to.contain('The second page of the transcript is missing.');
    await send(me, me.locator('form[action$="/submit"] button'));
    expect(await me.locator('main').innerText(), 'a refused document holds the step back').to.contain('Transcript of records');
    await me.locator('#doc-type-transcript-file').setInputFiles({ name: 'transcript-complete.pdf', mimeType: 'application/pdf', buffer: pdf('both pages') });
    await send(me, me.locator('#doc-transcript form[enctype] button[type="submit"]'));
    expect(await me.locator('#doc-transcript').innerText()).to.contain('Waiting for review');
    await send(me, me.locator('form[action$="/submit"] button'));
    expect(await me.locator('.flash').innerText()).to.contain('Registered, waiting for office validation');
    await screenshot(me, 'mobility-path-6-sent--phone');
    await expectNoSeriousA11yViolations(me, 'student file after sending (phone)');

    // 7. the office validates its step; 8. the student sends the course selection (no course
    // choice plugin here); 9. the referent gives their approval
    await office.goto(`${t.url}/mobility/files/${id}`);
    await send(office, office.locator('#file-actions form:has(input[name="action"][value="validate"]) button'));
    expect(await office.locator('.flash').innerText()).to.contain('Course selection');
    await me.goto(`${t.url}/mobility/me/${id}`);
    await send(me, me.locator('form[action$="/submit"] button'));
    expect(await me.locator('[aria-current="step"]').innerText()).to.contain('Approval by the educational referent');
    const referent = await staffPage('referent');
    await referent.goto(`${t.url}/mobility/files/${id}`);
    await send(referent, referent.locator('#file-actions form:has(input[name="action"][value="validate"]) button'));
    expect(await referent.locator('.flash').innerText()).to.contain('Approval by the host institution');

    // the timeline: every step, who moved it, oldest last
    await office.goto(`${t.url}/mobility/files/${id}`);
    const rows = await office.locator('table.mobility-timeline tbody tr').allInnerTexts();
    expect(rows).to.have.length(5);
    const [approved, selection, officeCheck, preRegistration, created] = rows;
    expect(created).to.match(/Claire Martin\s+Created/);
    expect(preRegistration).to.contain('Giulia Bianchi').and.contain('Pre-registration').and.contain('Registered, waiting for office validation');
    expect(officeCheck).to.contain('Claire Martin').and.contain('Course selection');
    expect(selection).to.contain('Giulia Bianchi').and.contain('Approval by the educational referent');
    expect(approved).to.contain('Jean Dupont').and.contain('Approval by the host institution');
    await screenshot(office, 'mobility-path-9-timeline');
    await expectNoSeriousA11yViolations(office, 'manager file page at the end');

    // every mail went out through SMTP, each to its intended recipient only
    await t.drainJobs();
    const subjects = (to: string) => sink.to(to).map((m) => m.subject);
    const all = sink.received.flatMap((m) => m.to);
    expect(all.filter((a) => ![STUDENT_MAIL, MANAGER_MAIL, REFERENT_MAIL, 'jakub.wisniewski@uni.lodz.example'].includes(a)), 'nobody else').to.deep.equal([]);
    expect(subjects('jakub.wisniewski@uni.lodz.example'), 'the other nominee: the invitation only').to.have.length(1);
    // the student, in English (an Italian home institution): invitation, refused document, next step, courses received, courses approved
    expect(subjects(STUDENT_MAIL)).to.deep.equal([
      'Your mobility at My institution: create your file', 'A document of your file was refused', 'Your file: new step “Course selection”',
      'We have received your choice of courses', 'Your choice of courses is approved',
    ]);
    expect(subjects(REFERENT_MAIL), 'the referent: the file waiting for them').to.have.length(1);
    expect(subjects(REFERENT_MAIL)[0]).to.contain('Giulia Bianchi');
    // the office, in the institution's language: the two steps that wait for it
    expect(subjects(MANAGER_MAIL)).to.deep.equal([
      'Dossier de Giulia Bianchi : étape « Inscrit, en attente de validation par le bureau »',
      'Dossier de Giulia Bianchi : étape « Validation par l’établissement d’accueil »',
    ]);
    // and the file lists them, sent
    const sent = await office.locator('#sent-mail-title').locator('..').innerText();
    for (const to of [STUDENT_MAIL, MANAGER_MAIL, REFERENT_MAIL]) expect(sent).to.contain(to);
    const outbox = await t.knex('mail_outbox').where({ tag: `mobility.file:${id}` });
    expect(outbox.every((r: any) => r.status === 'sent'), JSON.stringify(outbox.map((r: any) => [r.recipient, r.status, r.last_error]))).to.equal(true);
    // staff links lead to the office's page of the file, the student's to their own space
    for (const r of outbox) expect(r.body_text, r.subject).to.contain(r.recipient === STUDENT_MAIL ? '/mobility/' : `/mobility/files/${id}`);
    for (const r of outbox.filter((x: any) => x.recipient === STUDENT_MAIL && !x.subject.includes('create your file'))) expect(r.body_text, r.subject).to.contain(`/mobility/me/${id}`);
    expect(outbox.length).to.equal(sink.to(STUDENT_MAIL).length + sink.to(MANAGER_MAIL).length + sink.to(REFERENT_MAIL).length);
  });
});
