// What the referents approved, counted as the picker's ECTS bar counts it (what the Learning
// Agreement's Table A lists): a UE once for its approved ECs, every element in independent mode,
// approved courses gone from the catalogue kept, pending and refused ones left out.
import { expect } from 'chai';
import type { TestPlatform } from '@smile/sdk/testing';
import { catalogueService, type ElementRecord } from '@smile/plugin-catalogue';
import { mobilityService, type MobilityFile } from '@smile/plugin-mobility';
import { settingsSchema, type PickerSettings } from '../src/common.js';
import { approvedUnitsOf } from '../src/store-approved.js';
import { evaluateStored } from '../src/store-evaluate.js';
import { coursePickerService } from '../src/store.js';
import type { Decision } from '../src/store-types.js';
import { boot, YEAR } from './support.js';
import { ELEMENTS, importHierarchy } from './hierarchy-fixture.js';


describe('course-picker: approved courses as the picker counts them', function () {
  this.timeout(120_000);
  let t: TestPlatform;
  let n = 0;
  const defaults: PickerSettings = settingsSchema.parse({});
  const independent: PickerSettings = settingsSchema.parse({ rules: { defaults: { hierarchy: { mode: 'independent' } } } });

  before(async () => {
    t = await boot();
    await importHierarchy(t, YEAR);
  });
  after(async () => t?.stop());

  /** A file of the public law faculty, for one semester or the full year. */
  async function fileOf(exchangeType: 'first-semester' | 'full-year'): Promise<MobilityFile> {
    n += 1;
    const component = (await t.knex('components').where({ institution_id: t.institution.id, code: 'PUB' }).first()).id;
    return t.resolve(mobilityService).createFile({ institutionId: t.institution.id, label: 'system' }, {
      firstName: 'Student', lastName: `Number${n}`, exchangeType, academicYear: YEAR, componentId: component, approvalComponents: ['PUB'], language: 'en',
    });
  }

  /** Store a choice with these decisions; the item keeps the catalogue's title and ECTS as they were when chosen, unless `saved` says otherwise. */
  async function choose(file: MobilityFile, decisions: Record<string, Decision>, saved: Record<string, { titleFr: string; titleEn: string; ects: number }> = {}) {
    const [row] = await t.knex('course_picker_choices').insert({ institution_id: t.institution.id, file_id: file.id, language_levels: JSON.stringify({ fr: 'B2' }) }).returning('id');
    const choiceId = typeof row === 'object' ? row.id : row;
    for (const [code, decision] of Object.entries(decisions)) {
      const e = ELEMENTS.find((x) => x.code === code)!;
      const s = saved[code];
      await t.knex('course_picker_items').insert({
        institution_id: t.institution.id, choice_id: choiceId, code, year: YEAR, title_fr: s?.titleFr ?? e.titleFr, title_en: s?.titleEn ?? e.titleEn,
        ects: s?.ects ?? e.ects, semester: e.semester, component_code: 'PUB', decision,
      });
    }
  }

  const approvedUnits = (settings: PickerSettings, file: MobilityFile) =>
    t.knex.transaction((trx) => t.resolve(coursePickerService).approvedUnits(trx, file, settings));

  /** The picker's own ECTS bar for a choice of the approved courses only. */
  async function barOfApproved(settings: PickerSettings, file: MobilityFile): Promise<number> {
    const choice = await t.resolve(coursePickerService).choice(t.institution.id, file.id);
    const approved = { ...choice, items: choice.items.filter((i) => i.decision === 'approved') };
    return (await evaluateStored(t.knex, settings, file, approved, 'submit')).evaluation.year.chosenEcts;
  }

  it('implied-parent: two approved ECs of a UE give one row, the UE with its own ECTS, naming the ECs; pending and refused courses are left out', async () => {
    const file = await fileOf('first-semester');
    await choose(file, { EC1A: 'approved', EC1B: 'approved', EC1C: 'pending', PUB101: 'approved', PUB102: 'refused', PUB103: 'pending' });
    const result = await approvedUnits(defaults, file);
    expect(result.available).to.equal(true);
    expect(result.languageLevels).to.deep.equal({ fr: 'B2' });
    expect(result.units.map((u) => u.code)).to.deep.equal(['PUB101', 'UE1']);
    const ue = result.units.find((u) => u.code === 'UE1')!;
    expect(ue).to.deep.include({ ects: 12, terms: ['S1'], year: YEAR, componentCode: 'PUB', removed: false, impliedBy: ['EC1A', 'EC1B'] });
    expect(ue.title).to.deep.equal({ fr: 'Droit public général', en: 'General public law' });
    expect(ue.includes).to.deep.equal([
      { code: 'EC1A', title: { fr: 'Libertés fondamentales', en: 'Fundamental freedoms' } },
      { code: 'EC1B', title: { fr: 'Contentieux administratif', en: 'Administrative litigation' } },
    ]);
    expect(result.units.find((u) => u.code === 'PUB101')).to.deep.include({ ects: 6, includes: [], impliedBy: [] });
    // the same credits as the picker's bar over the approved courses: 12 + 6, not 4 + 4 + 6
    const total = result.units.reduce((s, u) => s + u.ects, 0);
    expect(total).to.equal(18).and.to.equal(await barOfApproved(defaults, file));
  });

  it('independent: every approved element is its own row with its own ECTS', async () => {
    const file = await fileOf('first-semester');
    await choose(file, { EC1A: 'approved', EC1B: 'approved', EC1C: 'refused', PUB101: 'approved' });
    const result = await approvedUnits(independent, file);
    expect(result.units.map((u) => [u.code, u.ects, u.includes.length])).to.deep.equal([['EC1A', 4, 0], ['EC1B', 4, 0], ['PUB101', 6, 0]]);
    expect(result.units.reduce((s, u) => s + u.ects, 0)).to.equal(await barOfApproved(independent, file));
  });

  it('keeps an approved course removed or closed meanwhile, with the title and ECTS saved when it was chosen', async () => {
    const file = await fileOf('first-semester');
    await choose(file, { GONE1: 'approved', SHUT1: 'approved', EC2A: 'approved', EC2B: 'approved', PUB101: 'approved' }, {
      GONE1: { titleFr: 'Droit colonial (ancien intitulé)', titleEn: 'Colonial law (former title)', ects: 5 },
      SHUT1: { titleFr: 'Droit rural (ancien intitulé)', titleEn: 'Rural law (former title)', ects: 3 },
    });
    await t.knex('catalogue_elements').where({ institution_id: t.institution.id, year: YEAR, code: 'GONE1' }).del();
    await t.knex('catalogue_elements').where({ institution_id: t.institution.id, year: YEAR }).whereIn('code', ['SHUT1', 'EC2A']).update({ open_to_mobility: false });
    // what the picker's bar leaves out (a course that cannot be taken any more), the agreement keeps
    const result = await approvedUnits(defaults, file);
    expect(result.units.map((u) => u.code)).to.deep.equal(['GONE1', 'PUB101', 'SHUT1', 'UE2']);
    expect(result.units.find((u) => u.code === 'GONE1')).to.deep.include({ ects: 5, removed: true, terms: ['S1'] });
    expect(result.units.find((u) => u.code === 'GONE1')!.title).to.deep.equal({ fr: 'Droit colonial (ancien intitulé)', en: 'Colonial law (former title)' });
    expect(result.units.find((u) => u.code === 'SHUT1')).to.deep.include({ ects: 3, removed: true });
    expect(result.units.find((u) => u.code === 'SHUT1')!.title.en).to.equal('Rural law (former title)');
    // an EC closed after approval still makes its UE count, once
    const ue = result.units.find((u) => u.code === 'UE2')!;
    expect(ue).to.deep.include({ ects: 10, removed: false });
    expect(ue.includes.map((p) => p.code)).to.deep.equal(['EC2A', 'EC2B']);
  });

  it('an annual course of a full-year mobility is one unit over both terms; a second-term one is in that term', async () => {
    const file = await fileOf('full-year');
    await choose(file, { YEAR1: 'approved', SPR1: 'approved', PUB101: 'approved' });
    const result = await approvedUnits(defaults, file);
    expect(result.units.map((u) => [u.code, u.terms])).to.deep.equal([['PUB101', ['S1']], ['SPR1', ['S2']], ['YEAR1', ['S1', 'S2']]]);
    expect(result.units.find((u) => u.code === 'YEAR1')).to.deep.include({ ects: 8, split: { S1: 4, S2: 4 } });
    expect(result.units.reduce((s, u) => s + u.ects, 0)).to.equal(await barOfApproved(defaults, file));
  });

  it('says there is nothing approved: no choice at all, or only pending and refused courses', async () => {
    const none = await fileOf('first-semester');
    expect(await approvedUnits(defaults, none)).to.deep.equal({ available: false, units: [], languageLevels: {} });
    const undecided = await fileOf('first-semester');
    await choose(undecided, { PUB101: 'pending', PUB102: 'refused' });
    const choice = await t.resolve(coursePickerService).choice(t.institution.id, undecided.id);
    const result = await approvedUnitsOf(t.knex, defaults, undecided, choice);
    expect(result.available).to.equal(false);
    expect(result.units).to.deep.equal([]);
  });
});
