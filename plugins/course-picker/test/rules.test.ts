import { expect } from 'chai';
import type { Element } from '@smile/plugin-catalogue';
import {
  DEFAULT_RULES, evaluateChoice, resolveRules, ruleElement, rulesConfigSchema,
  type ChoiceInput, type ChoiceLine, type RuleElement, type RulesConfig, type StudentContext, type Violation,
} from '../src/rules.js';

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
const run = (els: RuleElement[], over: Partial<ChoiceInput> = {}) => evaluateChoice({ lines: lines(...els), student: student(), mode: 'submit', ...over });
const rulesOf = (vs: Violation[]) => vs.map((v) => `${v.rule}:${v.severity}${v.term ? ':' + v.term : ''}`);
/** `n` elements of `ects` each, codes `P1…` (prefix `p`). */
const many = (n: number, ects: number, over: Partial<RuleElement> = {}, p = 'P') => Array.from({ length: n }, (_x, i) => el(`${p}${i + 1}`, { ects, ...over }));

describe('course-picker rules: ECTS per term', () => {
  it('accepts exactly 30 ECTS in a one-semester mobility, and says so per term and for the year', () => {
    const r = run(many(5, 6));
    expect(r.violations).to.deep.equal([]);
    expect(r.canSubmit).to.equal(true);
    expect(r.terms.S1).to.include({ chosenEcts: 30, min: 30, max: 30, mainComponentEcts: 30, mainShare: 100, threshold: 50, status: 'ok' });
    expect(r.terms.S2).to.equal(undefined);
    expect(r.year).to.include({ chosenEcts: 30, status: 'ok' });
  });

  it('blocks 24 ECTS at submission but only warns on a draft', () => {
    const submit = run(many(4, 6));
    expect(rulesOf(submit.violations)).to.deep.equal(['ects-term-min:block:S1']);
    expect(submit.violations[0]!.params).to.include({ ects: 24, min: 30, missing: 6 });
    expect(submit.canSubmit).to.equal(false);
    expect(submit.terms.S1!.status).to.equal('block');

    const draft = run(many(4, 6), { mode: 'draft' });
    expect(rulesOf(draft.violations)).to.deep.equal(['ects-term-min:warning:S1']);
    expect(draft.canSubmit).to.equal(true);
    expect(draft.terms.S1!.status).to.equal('warning');
  });

  it('blocks one ECTS over the maximum, even on a draft', () => {
    const r = run([...many(5, 6), el('X', { ects: 1 })], { mode: 'draft' });
    expect(rulesOf(r.violations)).to.deep.equal(['ects-term-max:block:S1']);
    expect(r.violations[0]!.params).to.include({ ects: 31, max: 30, excess: 1 });
    expect(r.canSubmit).to.equal(false);
  });

  it('adds decimal ECTS exactly (29.9 + 0.1 is 30) and prefers the mobility ECTS', () => {
    const r = run([el('A', { ects: 24, mobilityEcts: 29.9 }), el('B', { ects: 0.1 })]);
    expect(r.terms.S1!.chosenEcts).to.equal(30);
    expect(r.violations).to.deep.equal([]);
  });

  it('follows the institution settings for the exchange type, over its defaults', () => {
    const config: RulesConfig = { defaults: { ects: { termMin: 20 } }, byExchangeType: { bilateral: { ects: { termMax: 40 } } } };
    const erasmus = run(many(4, 6), { config });
    expect(erasmus.terms.S1).to.include({ min: 20, max: 30 });
    expect(erasmus.canSubmit).to.equal(true);
    const bilateral = run(many(6, 6), { config, student: student({ exchangeType: 'bilateral' }) });
    expect(bilateral.terms.S1).to.include({ chosenEcts: 36, min: 20, max: 40 });
    expect(bilateral.canSubmit).to.equal(true);
  });
});

describe('course-picker rules: full-year mobilities', () => {
  const year = student({ terms: ['S1', 'S2'] });

  it('counts each semester against its own limits and the whole year against the year limits', () => {
    const r = run([...many(5, 6), ...many(4, 6, { semester: 'S2' }, 'Q')], { student: year });
    expect(r.terms.S1).to.include({ chosenEcts: 30, status: 'ok' });
    expect(r.terms.S2).to.include({ chosenEcts: 24, status: 'block' });
    expect(r.year).to.include({ chosenEcts: 54, min: 60, max: 60, status: 'block' });
    expect(rulesOf(r.violations)).to.deep.equal(['ects-term-min:block:S2', 'ects-year-min:block']);
  });

  it('spreads an annual element over both semesters', () => {
    const r = run([el('AN', { semester: 'annual', ects: 12 }), ...many(4, 6), ...many(4, 6, { semester: 'S2' }, 'Q')], { student: year });
    expect(r.terms.S1!.chosenEcts).to.equal(30);
    expect(r.terms.S2!.chosenEcts).to.equal(30);
    expect(r.year.chosenEcts).to.equal(60);
    expect(r.counted.find((u) => u.code === 'AN')!.split).to.deep.equal({ S1: 6, S2: 6 });
    expect(r.canSubmit).to.equal(true);
  });

  it('puts an element with no semester in the term the student chose for it', () => {
    const r = run([], { student: year, lines: [{ code: 'N', element: el('N', { semester: null, ects: 30 }), term: 'S2' }] });
    expect(r.terms.S1!.chosenEcts).to.equal(0);
    expect(r.terms.S2!.chosenEcts).to.equal(30);
  });

  it('reads the terms in calendar order and refuses a mobility with none', () => {
    const r = run([el('AN', { semester: 'annual', ects: 0.03 })], { student: student({ terms: ['S2', 'S1', 'S2'] }), mode: 'draft' });
    expect(Object.keys(r.terms)).to.deep.equal(['S1', 'S2']);
    expect(r.counted[0]!.split).to.deep.equal({ S1: 0.02, S2: 0.01 });
    expect(() => run([], { student: student({ terms: [] }) })).to.throw(TypeError, /no term/);
  });

  it('blocks a year over its maximum even when each term is fine', () => {
    const r = run([...many(5, 6), ...many(5, 6, { semester: 'S2' }, 'Q')], {
      student: year, config: { defaults: { ects: { termMax: 35, yearMax: 50, yearMin: 40 } } },
    });
    expect(rulesOf(r.violations)).to.deep.equal(['ects-year-max:block']);
    expect(r.violations[0]!.params).to.include({ ects: 60, max: 50, excess: 10 });
  });
});

describe('course-picker rules: main-component share', () => {
  it('accepts exactly 50 % from the main component', () => {
    const r = run([...many(3, 5), ...many(3, 5, { componentCode: 'LET' }, 'L')]);
    expect(r.terms.S1).to.include({ chosenEcts: 30, mainComponentEcts: 15, mainShare: 50, threshold: 50, status: 'ok' });
    expect(r.canSubmit).to.equal(true);
  });

  it('blocks just under 50 % and says how much to add or drop', () => {
    const r = run([el('A', { ects: 14.5 }), el('L', { ects: 15.5, componentCode: 'LET' })]);
    expect(rulesOf(r.violations)).to.deep.equal(['main-component-share:block:S1']);
    expect(r.violations[0]!.params).to.include({ ects: 30, mainEcts: 14.5, share: 48.3, threshold: 50, component: 'SCI', add: 1, drop: 1 });
    expect(r.terms.S1!.status).to.equal('block');
    expect(r.canSubmit).to.equal(false);
  });

  it('uses the configured threshold and gives the exact amounts to reach it', () => {
    const r = run([el('A', { ects: 12 }), el('L', { ects: 18, componentCode: 'LET' })], { config: { defaults: { mainComponentShare: 60 } } });
    // (12 + x) / (30 + x) ≥ 60 %  ⇔  x ≥ 15;   12 / (30 − y) ≥ 60 %  ⇔  y ≥ 10
    expect(r.violations[0]!.params).to.include({ threshold: 60, add: 15, drop: 10 });
  });

  it('is not checked with no main component or nothing chosen', () => {
    expect(run([el('L', { componentCode: 'LET', ects: 30 })], { student: student({ mainComponent: null }) }).violations).to.deep.equal([]);
    const empty = run([], { mode: 'draft' });
    expect(empty.terms.S1!.mainShare).to.equal(null);
    expect(rulesOf(empty.violations)).to.deep.equal(['ects-term-min:warning:S1']);
  });
});

describe('course-picker rules: UE and EC hierarchy', () => {
  const ue = el('UE1', { kind: 'UE', ects: 6 });
  const ec1 = el('EC1', { ects: 3, parentCodes: ['UE1'] });
  const ec2 = el('EC2', { ects: 3, parentCodes: ['UE1'] });
  const rest = many(4, 6);

  it('implied-parent: a UE chosen with its ECs counts once', () => {
    const r = run([ue, ec1, ec2, ...rest]);
    expect(r.terms.S1!.chosenEcts).to.equal(30);
    expect(r.counted.find((u) => u.code === 'UE1')).to.deep.include({ ects: 6, includes: ['EC1', 'EC2'] });
    expect(r.canSubmit).to.equal(true);
  });

  it('implied-parent: choosing ECs takes their UE, whose ECTS count once', () => {
    const r = run([ec1, ec2, ...rest], { related: [ue] });
    expect(r.terms.S1!.chosenEcts).to.equal(30);
    expect(r.counted.find((u) => u.code === 'UE1')).to.deep.include({ ects: 6, impliedBy: ['EC1', 'EC2'] });
    expect(r.counted.map((u) => u.code)).not.to.include('EC1');
  });

  it('implied-parent: a UE with no ECTS of its own counts its chosen ECs', () => {
    const r = run([ec1, ...rest], { related: [{ ...ue, ects: null }], mode: 'draft' });
    expect(r.counted.find((u) => u.code === 'UE1')!.ects).to.equal(3);
  });

  it('implied-parent: a parent that is not a UE is not implied', () => {
    const r = run([el('M1', { ects: 6, parentCodes: ['BLOC'] }), ...rest], { related: [el('BLOC', { kind: 'semestre', ects: 30 })] });
    expect(r.terms.S1!.chosenEcts).to.equal(30);
  });

  it('exclusive: a UE and one of its ECs cannot both be chosen (counted once meanwhile)', () => {
    const config: RulesConfig = { defaults: { hierarchy: { mode: 'exclusive' } } };
    const r = run([ue, ec1, ...rest], { config });
    expect(rulesOf(r.violations)).to.deep.equal(['hierarchy-exclusive:block']);
    expect(r.violations[0]!.elements).to.deep.equal(['UE1', 'EC1']);
    expect(r.terms.S1!.chosenEcts).to.equal(30);
    expect(r.canSubmit).to.equal(false);
    // on their own, ECs count for themselves in this mode
    const ecs = run([ec1, ec2, ...rest], { config, related: [ue], mode: 'draft' });
    expect(ecs.terms.S1!.chosenEcts).to.equal(30);
    expect(ecs.violations).to.deep.equal([]);
  });

  it('exclusive: also an element two levels under a chosen one', () => {
    const r = run([el('B', { kind: 'bloc', ects: 30 }), el('E', { ects: 3, parentCodes: ['U'] })], {
      config: { defaults: { hierarchy: { mode: 'exclusive' } } }, related: [el('U', { kind: 'UE', parentCodes: ['B'] })],
    });
    expect(r.violations.map((v) => v.elements)).to.deep.equal([['B', 'E']]);
  });

  it('independent: every chosen element counts for itself', () => {
    const r = run([ue, ec1, ec2, ...many(3, 6)], { config: { defaults: { hierarchy: { mode: 'independent' } } } });
    expect(r.terms.S1!.chosenEcts).to.equal(30);
    expect(r.violations).to.deep.equal([]);
  });
});

describe('course-picker rules: configuration', () => {
  it('defaults to 30–30 ECTS per term, 50 %, B1 and warnings', () => {
    const r = resolveRules(undefined, 'erasmus-studies');
    expect(r).to.deep.equal(DEFAULT_RULES);
    expect(r.ects).to.include({ termMin: 30, termMax: 30 });
    expect(r.language).to.include({ mode: 'warn', defaultLevel: 'B1' });
  });

  it('refuses unknown keys, wrong levels and a minimum above the maximum', () => {
    expect(rulesConfigSchema.safeParse({ defaults: { ects: { termMin: 20 } }, byExchangeType: { bilateral: { language: { levels: { de: 'B2' } } } } }).success).to.equal(true);
    expect(rulesConfigSchema.safeParse({ defaults: { language: { defaultLevel: 'B3' } } }).success).to.equal(false);
    expect(rulesConfigSchema.safeParse({ defaults: { ectsMin: 20 } }).success).to.equal(false);
    const bad = rulesConfigSchema.safeParse({ byExchangeType: { bilateral: { ects: { termMin: 40 } } } });
    expect(bad.success).to.equal(false);
    expect(bad.error!.issues[0]!.path).to.deep.equal(['byExchangeType', 'bilateral', 'ects', 'termMin']);
  });
});

describe('course-picker rules: catalogue elements', () => {
  const stored: Element = {
    id: 7, year: 2026, code: 'INF101', kind: 'UE', titleFr: 'Algorithmique', titleEn: 'Algorithms', descriptionFr: null, descriptionEn: null,
    objectivesFr: null, objectivesEn: null, outcomesFr: null, outcomesEn: null, ects: 6, mobilityEcts: 5, semester: 'S2', level: 1,
    languages: ['fr', 'en'], campus: 'Nord', isced: '0613', competences: [], prerequisitesFr: 'Bases', prerequisitesEn: 'Basics', seats: 12,
    exchangeTypes: ['erasmus-studies'], openToMobility: true, hours: 48, timetable: [{ day: 2, start: '08:00', end: '10:00', room: 'A1' }],
    componentId: 3, componentCode: 'SCI', source: 'sis-sql', localFields: [], imported: {}, inSource: true, version: 4, updatedAt: new Date(0),
  };

  it('reads the fields of a stored element as they are, with what the caller adds', () => {
    const e = ruleElement(stored, { parentCodes: ['L1-INFO'], seatsLeft: 3 });
    expect(e).to.deep.include({
      code: 'INF101', kind: 'UE', titleFr: 'Algorithmique', titleEn: 'Algorithms', ects: 6, mobilityEcts: 5, semester: 'S2', level: 1,
      languages: ['fr', 'en'], componentCode: 'SCI', seats: 12, seatsLeft: 3, exchangeTypes: ['erasmus-studies'], openToMobility: true,
      prerequisitesFr: 'Bases', prerequisitesEn: 'Basics', parentCodes: ['L1-INFO'], prerequisiteCodes: [],
    });
    expect(e.timetable).to.deep.equal(stored.timetable);
    const r = evaluateChoice({ lines: [{ code: 'INF101', element: e }], student: student({ terms: ['S2'], confirmedPrerequisites: ['INF101'] }), mode: 'draft' });
    expect(r.terms.S2!.chosenEcts).to.equal(5);
  });

  it('treats an element a full sync no longer finds as removed', () => {
    const gone = ruleElement({ ...stored, inSource: false });
    const r = evaluateChoice({ lines: [{ code: 'INF101', element: gone }], student: student({ terms: ['S2'] }), mode: 'draft' });
    expect(r.violations[0]).to.deep.include({ rule: 'element-removed', elements: ['INF101'] });
  });
});

describe('course-picker rules: property over random choices', () => {
  // a fixed seed: the same "random" choices on every run
  function prng(seed: number) {
    return () => {
      seed = (seed + 0x6d2b79f5) | 0;
      let t = Math.imul(seed ^ (seed >>> 15), 1 | seed);
      t = (t + Math.imul(t ^ (t >>> 7), 61 | t)) ^ t;
      return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
    };
  }

  it('canSubmit is false exactly when a violation blocks, and totals add up', () => {
    const rnd = prng(20260901);
    const pick = <T>(xs: readonly T[]): T => xs[Math.floor(rnd() * xs.length)]!;
    let blocked = 0;
    for (let i = 0; i < 400; i++) {
      // how often an element is faulty: 0 gives choices that can pass, 0.3 choices full of problems
      const p = pick([0, 0.05, 0.3]);
      const bad = () => rnd() < p;
      const pool: RuleElement[] = Array.from({ length: 1 + Math.floor(rnd() * 9) }, (_x, k) =>
        el(`R${k}`, {
          kind: pick(['UE', 'EC', 'EC']), ects: pick([null, 1.5, 3, 6, 6, 9]), semester: bad() ? pick(['S1', 'S2', 'annual'] as const) : null,
          componentCode: pick(['SCI', 'LET', null]), languages: bad() ? pick([['de'], ['en', 'de']]) : pick([[], ['fr']]),
          seatsLeft: bad() ? 0 : pick([null, 3]), exchangeTypes: bad() ? ['bilateral'] : null, openToMobility: !bad(),
          parentCodes: k > 0 && rnd() > 0.7 ? [`R${Math.floor(rnd() * k)}`] : [],
          prerequisiteCodes: bad() ? [`R${Math.floor(rnd() * 9)}`] : [], prerequisitesFr: bad() ? 'Bases' : null,
          timetable: rnd() > 0.5 ? [{ day: 1 + Math.floor(rnd() * 2), start: pick(['08:00', '10:00']), end: pick(['10:00', '12:00']) }] : [],
        }),
      );
      const chosen = pool.filter(() => rnd() > 0.3);
      const input: ChoiceInput = {
        lines: [...lines(...chosen), ...(bad() ? [{ code: 'GONE', element: null }] : [])],
        related: pool,
        student: student({ terms: pick([['S1'], ['S2'], ['S1', 'S2']] as const).slice(), mainComponent: pick(['SCI', null]), languages: { fr: bad() ? 'A2' : pick(['B1', 'C2'] as const) } }),
        config: { defaults: {
          language: { mode: pick(['warn', 'block'] as const) }, prerequisites: { mode: pick(['warn', 'block'] as const) },
          hierarchy: { mode: pick(['implied-parent', 'exclusive', 'independent'] as const) },
          ects: { termMin: pick([0, 6, 30]), termMax: pick([30, 60]), yearMin: 0, yearMax: 120 },
        } },
        mode: pick(['draft', 'submit'] as const),
      };
      const r = evaluateChoice(input);
      const blocking = r.violations.some((v) => v.severity === 'block');
      if (blocking) blocked++;
      expect(r.canSubmit, JSON.stringify(input)).to.equal(!blocking);
      // nothing chosen vanishes: every code is counted, inside a counted unit, or named by a violation
      const seen = new Set([...r.counted.flatMap((u) => [u.code, ...u.includes]), ...r.violations.flatMap((v) => v.elements)]);
      for (const l of input.lines) expect(seen.has(l.code), l.code).to.equal(true);
      const sum = input.student.terms.reduce((s, t) => s + Math.round(r.terms[t]!.chosenEcts * 100), 0);
      expect(Math.round(r.year.chosenEcts * 100)).to.equal(sum);
      if (input.mode === 'draft') expect(r.violations.filter((v) => v.rule.endsWith('-min')).every((v) => v.severity === 'warning')).to.equal(true);
    }
    // the generator must exercise both outcomes, or the property says nothing
    expect(blocked, `${blocked} of 400 blocked`).to.be.within(40, 360);
  });
});
