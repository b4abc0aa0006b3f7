// Table A lists what the course picker counts from the approved courses: a UE whose ECs were
// approved is one row with the UE's credits naming those ECs, an annual course of a full-year
// mobility one row for the year, and the total is the picker's approved ECTS. The chosen ECs show
// on the page and in the PDF; the EWP XML carries the UE alone and still validates.
import { spawnSync } from 'node:child_process';
import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { expect } from 'chai';
import { startTestPlatform, type TestClient, type TestPlatform } from '@smile/sdk/testing';
import { catalogueService, type ElementRecord } from '@smile/plugin-catalogue';
import { coursePickerService, settingsSchema, type PickerSettings } from '@smile/plugin-course-picker';
import { mobilityService, type MobilityActor, type MobilityFile } from '@smile/plugin-mobility';
import { laToEwpXml } from '../src/ewp-xml.js';
import { ectsTotal, type LaDocument } from '../src/model.js';
import { renderLaPdf } from '../src/pdf.js';
import { baseLa, sign } from './fixtures/la-fixture.js';
import { GET_RESPONSE_XSD, HAS_XMLLINT, xmllint } from './fixtures/xmllint.js';
import { SETTINGS } from './la-support.js';
// the course picker's catalogue with a UE and its ECs: Table A must count it as the picker does
import { ELEMENTS, importHierarchy } from '../../course-picker/test/hierarchy-fixture.js';

const YEAR = 2026;
const STEPS = ['pre-registration', 'office-validation', 'course-selection', 'referent-approval', 'host-approval', 'student-approval'];
const HAS_PDFTOTEXT = spawnSync('pdftotext', ['-v']).status === 0;

/** Two ECs of one UE approved (and one refused), an annual course, a second-semester one, one still pending. */
const DECISIONS = { EC1A: 'approved', EC1B: 'approved', EC1C: 'refused', YEAR1: 'approved', SPR1: 'approved', PUB101: 'pending' } as const;

describe('learning agreement: Table A is what the course picker counts', function () {
  this.timeout(120_000);
  let t: TestPlatform;
  let student: TestClient;
  let personId: number;
  let n = 0;

  before(async () => {
    t = await startTestPlatform({ plugins: ['learning-agreement', 'base'], settings: SETTINGS });
    await t.knex('institutions').where({ id: t.institution.id }).update({ schac_code: 'univ-demo.fr', country: 'FR' });
    await importHierarchy(t, YEAR);
    const s = await t.signIn(['student'], { displayName: 'Łucja Kowalska' });
    personId = s.personId;
    student = t.client({ session: s, lang: 'en' });
  });
  after(async () => t?.stop());

  /** A full-year file with these decisions on its courses, taken to `la-generated` by the platform. */
  async function generated(decisions: Record<string, string>): Promise<MobilityFile> {
    n += 1;
    const store = t.resolve(mobilityService);
    const system: MobilityActor = { institutionId: t.institution.id, label: 'test system' };
    const file = await store.createFile(system, {
      personId, firstName: 'Łucja', lastName: `Kowalska${n}`, email: `kowalska${n}@student.test`, birthDate: '2003-04-05', nationality: 'PL', gender: 'female',
      homeAddress: { street: 'ul. Piotrkowska', number: '12', city: 'Łódź', postalCode: '90-001', country: 'PL' },
      home: { name: 'Uniwersytet Łódzki', country: 'PL', schac: 'uni.lodz.pl', erasmusCode: 'PL LODZ01' },
      exchangeType: 'full-year', academicYear: YEAR, plannedStart: '2026-09-01', plannedEnd: '2027-06-30', eqfLevel: 7, isced: '0421', language: 'en',
    });
    const [choice] = await t.knex('course_picker_choices').insert({ institution_id: t.institution.id, file_id: file.id, language_levels: JSON.stringify({ fr: 'B2' }) }).returning('id');
    const choiceId = typeof choice === 'object' ? choice.id : choice;
    for (const [code, decision] of Object.entries(decisions)) {
      const e = ELEMENTS.find((x) => x.code === code)!;
      await t.knex('course_picker_items').insert({
        institution_id: t.institution.id, choice_id: choiceId, code, year: YEAR, title_fr: e.titleFr, title_en: e.titleEn, ects: e.ects, semester: e.semester,
        component_code: 'PUB', decision,
      });
    }
    for (const stepKey of STEPS) await store.transition(system, file.id, { stepKey, action: 'validate' }, undefined, { system: true });
    return (await store.file(t.institution.id, file.id))!;
  }

  const firstVersion = async (fileId: number): Promise<{ agreement: any; doc: LaDocument }> => {
    const agreement = await t.knex('learning_agreements').where({ file_id: fileId }).first();
    const v1 = await t.knex('la_versions').where({ agreement_id: agreement.id, number: 1 }).first();
    return { agreement, doc: v1.document as LaDocument };
  };

  /** The picker's approved ECTS for the file, as its store counts them with `settings`. */
  const pickerApprovedEcts = async (file: MobilityFile, settings: PickerSettings) =>
    (await t.resolve(coursePickerService).approvedUnits(t.knex, file, settings)).units.reduce((s, u) => s + u.ects, 0);

  it('totals the picker’s approved ECTS: one row for a UE whose ECs were approved, naming them; refused and pending courses left out', async () => {
    const file = await generated(DECISIONS);
    const { agreement, doc } = await firstVersion(file.id);
    expect(agreement.choice_missing).to.equal(false);
    const rows = doc.tables.studied;
    expect(rows.map((c) => c.code)).to.deep.equal(['UE1', 'SPR1', 'YEAR1']);
    const approvedEcts = await pickerApprovedEcts(file, settingsSchema.parse({}));
    expect(ectsTotal(rows)).to.equal(approvedEcts);
    // not the approved courses' own credits added up, which the picker's bar never shows
    const own = Object.entries(DECISIONS).filter(([, d]) => d === 'approved').reduce((s, [code]) => s + ELEMENTS.find((e) => e.code === code)!.ects!, 0);
    expect(ectsTotal(rows)).to.not.equal(own);

    const fr = t.institution.defaultLanguage === 'fr';
    const title = (code: string) => { const e = ELEMENTS.find((x) => x.code === code)!; return fr ? e.titleFr : e.titleEn; };
    const ue = rows[0]!;
    expect(ue).to.deep.include({ code: 'UE1', title: title('UE1'), ects: 12, term: { number: 1, total: 2 } });
    expect(ue.learningOutcomesUrl).to.match(/\/catalogue\/2026\/elements\/UE1$/);
    expect(ue.includes).to.deep.equal([{ code: 'EC1A', title: title('EC1A') }, { code: 'EC1B', title: title('EC1B') }]);
    expect(rows[1]).to.deep.include({ code: 'SPR1', term: { number: 2, total: 2 } });
    expect(rows[1]).to.not.have.property('includes');
    // an annual course of a full-year mobility: one row, for the whole academic year
    expect(rows[2]).to.deep.include({ code: 'YEAR1', ects: 8, term: { number: 1, total: 1 } });
  });

  it('names the ECs on the student’s page and in the PDF; the EWP XML carries the UE alone and validates', async () => {
    const file = await generated(DECISIONS);
    const { doc } = await firstVersion(file.id);
    const page = await student.get(`/mobility/me/${file.id}/learning-agreement`);
    expect(page.status).to.equal(200);
    expect(page.text).to.match(/Includes: EC1A [^<;]+; EC1B [^<]+<\/small>/);

    if (HAS_PDFTOTEXT) {
      const dir = mkdtempSync(path.join(tmpdir(), 'smile-la-table-a-'));
      for (const [lang, word] of [['en', 'Includes:'], ['fr', 'Comprend:']] as const) {
        const pdf = path.join(dir, `${lang}.pdf`);
        writeFileSync(pdf, await renderLaPdf({ ...doc, branding: { institutionName: 'Université' } }, lang));
        const text = spawnSync('pdftotext', ['-raw', '-enc', 'UTF-8', pdf, '-'], { encoding: 'utf8' }).stdout.replace(/\s+/g, '');
        expect(text, lang).to.contain(`${word}EC1A`).and.contain('EC1B').and.contain('UE1');
      }
    } else {
      console.log('    pdftotext is not installed (Debian package poppler-utils): PDF check skipped');
    }

    // the fixture's complete agreement with this Table A, signed by the three parties
    const la = baseLa();
    la.tables.studied = doc.tables.studied;
    la.signatures = [sign(la, 'student', '2026-06-02T09:15:00Z'), sign(la, 'sending', '2026-06-03T09:30:00Z'), sign(la, 'receiving', '2026-06-04T10:00:00Z')];
    const xml = laToEwpXml([la]);
    expect(xml).to.contain('<los-code>UE1</los-code>').and.not.contain('EC1A');
    if (HAS_XMLLINT) {
      const r = xmllint(xml, GET_RESPONSE_XSD);
      expect(r.messages).to.contain('validates');
      expect(r.status).to.equal(0);
    } else {
      console.log('    xmllint is not installed (Debian package libxml2-utils): schema validation skipped');
    }
  });

  it('without an approved course, Table A is empty and the agreement says the choice was missing', async () => {
    const file = await generated({ PUB101: 'pending', SPR1: 'refused' });
    const { agreement, doc } = await firstVersion(file.id);
    expect(agreement.choice_missing).to.equal(true);
    expect(doc.tables.studied).to.deep.equal([]);
    const page = await student.get(`/mobility/me/${file.id}/learning-agreement`);
    expect(page.text).to.contain('The approved course choice was not available when this agreement was built');
  });

  describe('with the institution’s own course-picker rules', () => {
    const independent = { rules: { defaults: { hierarchy: { mode: 'independent' } } } };
    let saved: unknown;
    before(async () => {
      saved = (await t.knex('institutions').where({ id: t.institution.id }).first('settings')).settings;
      await t.knex('institutions').where({ id: t.institution.id })
        .update({ settings: t.knex.raw('settings || ?::jsonb', [JSON.stringify({ 'course-picker': independent })]) });
    });
    after(async () => {
      await t.knex('institutions').where({ id: t.institution.id }).update({ settings: JSON.stringify(saved ?? {}) });
    });

    it('counts as the institution configured the picker: in independent mode each approved EC is its own row', async () => {
      const file = await generated(DECISIONS);
      const { doc } = await firstVersion(file.id);
      expect(doc.tables.studied.map((c) => [c.code, c.ects])).to.deep.equal([['EC1A', 4], ['EC1B', 4], ['SPR1', 6], ['YEAR1', 8]]);
      expect(ectsTotal(doc.tables.studied)).to.equal(await pickerApprovedEcts(file, settingsSchema.parse(independent)));
    });
  });
});
