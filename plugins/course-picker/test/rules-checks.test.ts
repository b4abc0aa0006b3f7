import { expect } from 'chai';
import { evaluateChoice, slotsClash, type ChoiceInput, type ChoiceLine, type RuleElement, type StudentContext, type Violation } from '../src/rules.js';

/** A teaching element of 6 ECTS in semester 1, taught in French by the SCI component, open to everyone. */
function el(code: string, over: Partial<RuleElement> = {}): RuleElement {
  return {
    code, kind: 'EC', titleFr: `Cours ${code}`, titleEn: `Course ${code}`, ects: 6, mobilityEcts: null, semester: 'S1', level: 3,
    languages: ['fr'], componentCode: 'SCI', seats: null, exchangeTypes: null, openToMobility: true, prerequisitesFr: null,
    prerequisitesEn: null, timetable: [], parentCodes: [], ...over,
  };
}
const student = (over: Partial<StudentContext> = {}): StudentContext => ({
  exchangeType: 'erasmus-studies', terms: ['S1'], mainComponent: 'SCI', languages: { fr: 'B2', en: 'C1' }, ...over,
});
const lines = (...els: RuleElement[]): ChoiceLine[] => els.map((e) => ({ code: e.code, element: e }));
/** Four more elements make 30 ECTS with the one under test: only its own problems show. */
const filler = [1, 2, 3, 4].map((i) => el(`F${i}`));
const run = (e: RuleElement | RuleElement[], over: Partial<ChoiceInput> = {}) =>
  evaluateChoice({ lines: lines(...[e].flat(), ...filler), student: student(), mode: 'submit', ...over });
const only = (vs: Violation[]) => vs.map((v) => `${v.rule}:${v.severity}:${v.elements.join('+')}`);

describe('course-picker rules: what the catalogue no longer offers', () => {
  it('names an element removed from the catalogue after it was chosen, blocks, and leaves it out of the totals', () => {
    const r = evaluateChoice({
      lines: [{ code: 'OLD1', element: null, savedTitle: { fr: 'Ancien cours', en: 'Old course' } }, ...lines(...filler)],
      student: student(), mode: 'draft',
    });
    expect(only(r.violations)).to.deep.equal(['element-removed:block:OLD1', 'ects-term-min:warning:']);
    expect(r.violations[0]!.titles).to.deep.equal([{ fr: 'Ancien cours', en: 'Old course' }]);
    expect(r.violations[0]!.params.reason).to.equal('missing');
    expect(r.terms.S1!.chosenEcts).to.equal(24);
    expect(r.canSubmit).to.equal(false);
  });

  it('treats an element closed to mobility the same way', () => {
    const r = run(el('CLO', { openToMobility: false }), { mode: 'draft' });
    expect(only(r.violations)[0]).to.equal('element-removed:block:CLO');
    expect(r.violations[0]!.params.reason).to.equal('closed');
  });

  it('blocks an element not open to the exchange type', () => {
    const r = run(el('BIL', { exchangeTypes: ['bilateral'] }));
    expect(only(r.violations)).to.deep.equal(['not-open-exchange-type:block:BIL']);
    expect(run(el('BIL', { exchangeTypes: ['bilateral'] }), { student: student({ exchangeType: 'bilateral' }) }).violations).to.deep.equal([]);
  });

  it('blocks an element of a term outside the mobility, and an annual element for one semester', () => {
    expect(only(run(el('S2C', { semester: 'S2' })).violations)).to.deep.equal(['not-open-term:block:S2C']);
    expect(only(run(el('ANN', { semester: 'annual' })).violations)).to.deep.equal(['not-open-term:block:ANN']);
  });

  it('blocks an element with no seats left, not one with seats or with no limit', () => {
    expect(only(run(el('FULL', { seats: 10, seatsLeft: 0 })).violations)).to.deep.equal(['no-seats:block:FULL']);
    expect(run(el('ONE', { seats: 10, seatsLeft: 1 })).violations).to.deep.equal([]);
    expect(run(el('NOLIM', { seats: null, seatsLeft: null })).violations).to.deep.equal([]);
  });

  it('counts an element chosen twice once, and says so', () => {
    const r = evaluateChoice({ lines: lines(el('A'), el('A'), ...filler), student: student(), mode: 'submit' });
    expect(only(r.violations)).to.deep.equal(['duplicate:warning:A']);
    expect(r.terms.S1!.chosenEcts).to.equal(30);
  });

  it('warns about an element with no ECTS', () => {
    const r = run(el('Z', { ects: null, mobilityEcts: null }), { mode: 'draft' });
    expect(only(r.violations)).to.deep.equal(['ects-term-min:warning:', 'no-ects:warning:Z']);
  });
});

describe('course-picker rules: language of instruction', () => {
  const de = el('DE1', { languages: ['de'] });

  it('warns by default when the declared level is under B1, and not at B1', () => {
    const low = run(de, { student: student({ languages: { de: 'A2', fr: 'C2' } }) });
    expect(only(low.violations)).to.deep.equal(['language:warning:DE1']);
    expect(low.violations[0]!.params).to.deep.equal({ languages: ['de'], required: ['B1'], declared: ['A2'] });
    expect(low.canSubmit).to.equal(true);
    expect(run(de, { student: student({ languages: { de: 'B1', fr: 'B1' } }) }).violations).to.deep.equal([]);
  });

  it('blocks in block mode, with the level set for that language', () => {
    const config = { defaults: { language: { mode: 'block' as const, levels: { de: 'B2' as const } } } };
    const r = run(de, { config, student: student({ languages: { de: 'B1', fr: 'C2' } }) });
    expect(only(r.violations)).to.deep.equal(['language:block:DE1']);
    expect(r.violations[0]!.params.required).to.deep.equal(['B2']);
    expect(r.canSubmit).to.equal(false);
    expect(run(de, { config, student: student({ languages: { de: 'C1', fr: 'B1' } }) }).canSubmit).to.equal(true);
  });

  it('counts a language with no declared level as not met', () => {
    const r = run(de, { student: student({ languages: { fr: 'C2' } }) });
    expect(r.violations[0]!.params.declared).to.deep.equal(['']);
  });

  it('accepts an element taught in several languages when one of them is met', () => {
    expect(run(el('BI', { languages: ['de', 'en'] }), { student: student({ languages: { en: 'B2', fr: 'B1' } }) }).violations).to.deep.equal([]);
  });
});

describe('course-picker rules: prerequisites', () => {
  const adv = el('ADV', { semester: 'S2', prerequisiteCodes: ['BAS'] });
  const year = student({ terms: ['S1', 'S2'] });
  const s2filler = [1, 2, 3, 4].map((i) => el(`G${i}`, { semester: 'S2' }));

  it('warns by default when a required element is neither acquired nor chosen in an earlier term', () => {
    const r = evaluateChoice({ lines: lines(adv, ...filler, ...s2filler), related: [el('BAS', { titleFr: 'Bases', titleEn: 'Basics' })], student: year, mode: 'draft' });
    const v = r.violations.find((x) => x.rule === 'prerequisites')!;
    expect(v).to.deep.include({ severity: 'warning', elements: ['ADV', 'BAS'], params: { kind: 'codes', missing: ['BAS'] } });
    expect(v.titles[1]).to.deep.equal({ fr: 'Bases', en: 'Basics' });
  });

  it('is met by the element chosen in an earlier term, or acquired before', () => {
    const earlier = evaluateChoice({ lines: lines(adv, el('BAS'), ...filler, ...s2filler), student: year, mode: 'draft' });
    expect(earlier.violations.filter((x) => x.rule === 'prerequisites')).to.deep.equal([]);
    const acquired = evaluateChoice({ lines: lines(adv, ...filler, ...s2filler), student: { ...year, acquired: ['BAS'] }, mode: 'draft' });
    expect(acquired.violations.filter((x) => x.rule === 'prerequisites')).to.deep.equal([]);
  });

  it('is not met by the element chosen in the same term', () => {
    const same = run([el('ADV1', { prerequisiteCodes: ['BAS'] }), el('BAS')], { mode: 'draft' });
    expect(only(same.violations)).to.include('prerequisites:warning:ADV1+BAS');
  });

  it('blocks in block mode', () => {
    const r = run(el('ADV1', { prerequisiteCodes: ['BAS'] }), { config: { defaults: { prerequisites: { mode: 'block' } } } });
    expect(only(r.violations)).to.deep.equal(['prerequisites:block:ADV1+BAS']);
    expect(r.canSubmit).to.equal(false);
  });

  it('asks the student to confirm prerequisites the catalogue only describes in words', () => {
    const worded = el('TXT', { prerequisitesFr: 'Bases de Python', prerequisitesEn: 'Python basics' });
    expect(only(run(worded).violations)).to.deep.equal(['prerequisites:warning:TXT']);
    expect(run(worded).violations[0]!.params.kind).to.equal('statement');
    expect(run(worded, { student: student({ confirmedPrerequisites: ['TXT'] }) }).violations).to.deep.equal([]);
  });
});

describe('course-picker rules: timetable clashes', () => {
  const at = (day: number, start: string, end: string, weeks?: number[]) => ({ day, start, end, ...(weeks ? { weeks } : {}) });

  it('warns about two elements at overlapping times on the same day, naming both and the slots', () => {
    const a = el('A', { timetable: [at(1, '10:00', '12:00')] });
    const b = el('B', { timetable: [at(3, '08:00', '09:00'), at(1, '11:00', '13:00')] });
    const r = evaluateChoice({ lines: lines(a, b, ...filler.slice(1)), student: student(), mode: 'submit' });
    expect(only(r.violations)).to.deep.equal(['timetable-clash:warning:A+B']);
    expect(r.violations[0]!.params).to.deep.equal({ day: 1, startA: '10:00', endA: '12:00', startB: '11:00', endB: '13:00' });
    expect(r.violations[0]!.term).to.equal('S1');
    expect(r.canSubmit).to.equal(true);
  });

  it('does not count back-to-back slots, other days or weeks in common as clashes', () => {
    expect(slotsClash(at(1, '08:00', '10:00'), at(1, '10:00', '12:00'))).to.equal(false);
    expect(slotsClash(at(1, '08:00', '10:00'), at(2, '08:00', '10:00'))).to.equal(false);
    expect(slotsClash(at(1, '08:00', '10:00', [1, 3, 5]), at(1, '09:00', '10:00', [2, 4, 6]))).to.equal(false);
    expect(slotsClash(at(1, '08:00', '10:00', [1, 3, 5]), at(1, '09:00', '10:00', [5, 6]))).to.equal(true);
    expect(slotsClash(at(1, '08:00', '10:00'), at(1, '09:59', '11:00', [7]))).to.equal(true);
    expect(slotsClash(at(1, '9:00', '10:30'), at(1, '10:00', '11:00'))).to.equal(true);
  });

  it('does not compare elements of different terms, but an annual element meets both', () => {
    const year = student({ terms: ['S1', 'S2'] });
    const slot = [at(2, '14:00', '16:00')];
    const s1s2 = evaluateChoice({ lines: lines(el('A', { timetable: slot }), el('B', { semester: 'S2', timetable: slot })), student: year, mode: 'draft' });
    expect(s1s2.violations.filter((v) => v.rule === 'timetable-clash')).to.deep.equal([]);
    const annual = evaluateChoice({ lines: lines(el('Y', { semester: 'annual', timetable: slot }), el('B', { semester: 'S2', timetable: slot })), student: year, mode: 'draft' });
    expect(annual.violations.filter((v) => v.rule === 'timetable-clash').map((v) => v.term)).to.deep.equal(['S2']);
  });

  it('never flags a UE against its own EC, and can be turned off', () => {
    const slot = [at(4, '10:00', '12:00')];
    const r = run([el('UE1', { kind: 'UE', timetable: slot }), el('EC1', { parentCodes: ['UE1'], timetable: slot })], { mode: 'draft' });
    expect(r.violations.filter((v) => v.rule === 'timetable-clash')).to.deep.equal([]);
    const off = run([el('A', { timetable: slot }), el('B', { timetable: slot })], { config: { defaults: { timetable: 'off' } }, mode: 'draft' });
    expect(off.violations.filter((v) => v.rule === 'timetable-clash')).to.deep.equal([]);
  });
});

describe('course-picker rules: order of violations', () => {
  it('lists blocking violations first, in a stable order', () => {
    const r = evaluateChoice({
      lines: [{ code: 'GONE', element: null }, ...lines(el('DE1', { languages: ['de'] }), el('S2C', { semester: 'S2', languages: [] }))],
      student: student({ languages: {} }), mode: 'submit',
    });
    expect(r.violations.map((v) => v.rule)).to.deep.equal(['element-removed', 'not-open-term', 'ects-term-min', 'language']);
  });
});
