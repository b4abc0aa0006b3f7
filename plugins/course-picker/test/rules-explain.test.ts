import { readFileSync } from 'node:fs';
import { expect } from 'chai';
import {
  RULE_IDS, evaluateChoice, explain, explainTerm,
  type ChoiceLine, type RuleElement, type RuleId, type StudentContext, type Violation,
} from '../src/rules.js';

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
const both = (v: Violation) => ({ fr: explain(v, 'fr'), en: explain(v, 'en') });
const one = (rule: RuleId, vs: Violation[]) => vs.find((v) => v.rule === rule)!;
// French punctuation is set with plain spaces in the strings; Intl puts a narrow no-break space in numbers and percents
const plain = (s: string) => s.replace(/[\u202f\u00a0]/g, ' ');

describe('course-picker rules: messages', () => {
  it('says how many ECTS are missing, in English and in French', () => {
    const r = evaluateChoice({ lines: lines(...[1, 2, 3, 4].map((i) => el(`A${i}`))), student: student(), mode: 'submit' });
    expect(both(r.violations[0]!)).to.deep.equal({
      en: 'You have 24 ECTS in semester 1; the minimum is 30: add 6 ECTS or more.',
      fr: 'Vous avez 24 ECTS au semestre 1 ; le minimum est de 30 : ajoutez au moins 6 ECTS.',
    });
  });

  it('says how many ECTS are too many over the year, with decimals in each language', () => {
    const r = evaluateChoice({
      lines: lines(el('A', { ects: 31.5 }), el('B', { semester: 'S2', ects: 30 })),
      student: student({ terms: ['S1', 'S2'] }), mode: 'draft', config: { defaults: { ects: { termMax: 32, yearMax: 60 } } },
    });
    expect(both(one('ects-year-max', r.violations))).to.deep.equal({
      en: 'You have 61.5 ECTS over the year; the maximum is 60: remove 1.5 ECTS or more.',
      fr: "Vous avez 61,5 ECTS sur l'année ; le maximum est de 60 : retirez au moins 1,5 ECTS.",
    });
  });

  it('names a removed element by the title saved with the choice', () => {
    const r = evaluateChoice({ lines: [{ code: 'OLD1', element: null, savedTitle: { fr: 'Ancien cours', en: 'Old course' } }], student: student(), mode: 'draft' });
    expect(both(one('element-removed', r.violations))).to.deep.equal({
      en: 'OLD1 – Old course was removed from the catalogue after you chose it: remove it from your choice and choose another course.',
      fr: 'OLD1 – Ancien cours a été retiré du catalogue après votre choix : retirez-le de votre choix et choisissez un autre cours.',
    });
  });

  it('falls back to the French title when the catalogue has no English one', () => {
    const r = evaluateChoice({ lines: lines(el('FULL', { titleEn: null, seatsLeft: 0 })), student: student(), mode: 'draft' });
    expect(explain(one('no-seats', r.violations), 'en')).to.equal('FULL – Cours FULL has no seats left for exchange students: choose another course.');
  });

  it('explains the main-component share with what to add or remove', () => {
    const r = evaluateChoice({ lines: lines(el('A', { ects: 12 }), el('L', { ects: 18, componentCode: 'LET' })), student: student(), mode: 'submit' });
    const m = both(one('main-component-share', r.violations));
    expect(plain(m.en)).to.equal(
      'In semester 1, 12 of your 30 ECTS (40%) come from your main component SCI; at least 50% must: add 6 ECTS or more of its courses, or remove 6 ECTS or more of courses from other components.',
    );
    expect(plain(m.fr)).to.equal(
      "Au semestre 1, 12 de vos 30 ECTS (40 %) viennent de votre composante principale SCI ; il en faut au moins 50 % : ajoutez au moins 6 ECTS de ses cours, ou retirez au moins 6 ECTS de cours d'autres composantes.",
    );
  });

  it('names the language, the level required and the level declared, for warnings and blocks', () => {
    const input = { lines: lines(el('DE1', { languages: ['de'] })), student: student({ languages: { de: 'A2' } }), mode: 'draft' as const };
    const warn = both(one('language', evaluateChoice(input).violations));
    expect(warn.en).to.equal('DE1 – Course DE1 is recommended with German at level B1 (you declared A2): make sure you can follow it, update your declared level if it is higher, or choose another course.');
    expect(warn.fr).to.equal("DE1 – Cours DE1 est conseillé avec le niveau B1 en allemand (vous avez déclaré A2) : assurez-vous de pouvoir le suivre, mettez à jour le niveau déclaré s'il est plus élevé, ou choisissez un autre cours.");
    const block = one('language', evaluateChoice({ ...input, config: { defaults: { language: { mode: 'block' } } } }).violations);
    expect(explain(block, 'en')).to.match(/^DE1 – Course DE1 requires German at level B1 \(you declared A2\): if your level is higher/);
    const two = one('language', evaluateChoice({ ...input, lines: lines(el('BI', { languages: ['de', 'it'] })), student: student({ languages: {} }) }).violations);
    expect(explain(two, 'en')).to.contain('German at level B1 (you declared no level) or Italian at level B1 (you declared no level)');
    expect(explain(two, 'fr')).to.contain('le niveau B1 en allemand (vous n\'avez déclaré aucun niveau) ou le niveau B1 en italien');
  });

  it('names the missing prerequisites and the clashing courses with their day and times', () => {
    const pre = evaluateChoice({ lines: lines(el('ADV', { prerequisiteCodes: ['BAS'] })), related: [el('BAS', { titleFr: 'Bases', titleEn: 'Basics' })], student: student(), mode: 'draft' });
    expect(explain(one('prerequisites', pre.violations), 'en')).to.equal(
      'ADV – Course ADV requires BAS – Basics, which you have neither acquired nor chosen in an earlier semester: choose it in an earlier semester, or choose another course.',
    );
    const slot = [{ day: 2, start: '10:00', end: '12:00' }];
    const clash = evaluateChoice({ lines: lines(el('A', { timetable: slot }), el('B', { timetable: [{ day: 2, start: '11:00', end: '13:00' }] })), student: student(), mode: 'draft' });
    expect(both(one('timetable-clash', clash.violations))).to.deep.equal({
      en: 'A – Course A and B – Course B take place at the same time on Tuesday (10:00–12:00 and 11:00–13:00) in semester 1: keep only one of them, or ask the departments whether another group exists.',
      fr: 'A – Cours A et B – Cours B ont lieu en même temps le mardi (10:00–12:00 et 11:00–13:00) au semestre 1 : n\'en gardez qu\'un, ou demandez aux départements s\'il existe un autre groupe.',
    });
  });

  it('has a sentence for every rule in both languages, naming the elements, with no placeholder left', () => {
    const samples: Violation[] = RULE_IDS.map((rule) => ({
      rule, severity: 'block', elements: ['X1', 'X2'], titles: [{ fr: 'Titre un', en: 'Title one' }, { fr: 'Titre deux', en: 'Title two' }], term: 'S1',
      params: { reason: 'closed', semester: 'S2', terms: ['S1'], ects: 24, min: 30, max: 30, missing: 6, excess: 0, mainEcts: 10, share: 41.7, threshold: 50,
        component: 'SCI', add: 4, drop: 4, languages: ['es'], required: ['B2'], declared: ['A1'], kind: 'codes', day: 5, startA: '08:00', endA: '10:00', startB: '09:00', endB: '11:00' },
    }));
    for (const v of samples) {
      for (const lang of ['fr', 'en'] as const) {
        const s = explain(v, lang);
        expect(s, `${v.rule} ${lang}`).not.to.match(/\{\{|undefined|NaN/);
        expect(s, `${v.rule} ${lang}`).to.match(/:/);
        if (!v.rule.startsWith('ects-') && v.rule !== 'main-component-share') expect(s, `${v.rule} ${lang}`).to.contain(lang === 'fr' ? 'X1 – Titre un' : 'X1 – Title one');
      }
      expect(explain(v, 'fr'), v.rule).not.to.equal(explain(v, 'en'));
    }
  });

  it('uses the translator it is given (a theme may reword the strings)', () => {
    const v: Violation = { rule: 'no-seats', severity: 'block', elements: ['A'], titles: [{ fr: 'Algèbre', en: 'Algebra' }], params: {} };
    const seen: string[] = [];
    const s = explain(v, 'en', (key, vars) => (seen.push(key), `[${key}] ${vars.element ?? vars.title}`));
    expect(s).to.equal('[rules.violation.no-seats] [rules.element] Algebra');
    expect(seen).to.deep.equal(['rules.element', 'rules.violation.no-seats']);
  });

  it('has the same keys in the French and English files', () => {
    const keys = (o: unknown, p = ''): string[] =>
      o && typeof o === 'object' ? Object.entries(o).flatMap(([k, v]) => keys(v, p ? `${p}.${k}` : k)) : [p];
    const read = (lang: string) => keys(JSON.parse(readFileSync(new URL(`../locales/${lang}/rules.json`, import.meta.url), 'utf8'))).sort();
    expect(read('fr')).to.deep.equal(read('en'));
  });
});

describe('course-picker rules: term summaries', () => {
  it('sums up a term that meets the rules', () => {
    const r = evaluateChoice({ lines: lines(...[1, 2, 3, 4, 5].map((i) => el(`A${i}`, { componentCode: i > 3 ? 'LET' : 'SCI' }))), student: student(), mode: 'submit' });
    expect(plain(explainTerm(r.terms.S1!, 'S1', 'en'))).to.equal('Semester 1: 30 ECTS chosen (30 required). 18 ECTS (60%) come from your main component SCI (at least 50%). This meets the rules.');
    expect(plain(explainTerm(r.terms.S1!, 'S1', 'fr'))).to.equal('Semestre 1 : 30 ECTS choisis (30 demandés). 18 ECTS (60 %) viennent de votre composante principale SCI (au moins 50 %). Ce choix respecte les règles.');
  });

  it('says what to fix in a term, even in a draft, and sums up the year', () => {
    const r = evaluateChoice({
      lines: lines(el('A', { ects: 12 }), el('L', { ects: 12, componentCode: 'LET' }), el('B', { semester: 'S2', ects: 30 })),
      student: student({ terms: ['S1', 'S2'] }), mode: 'draft', config: { defaults: { ects: { termMin: 20, termMax: 30, yearMin: 60, yearMax: 60 } } },
    });
    expect(plain(explainTerm(r.terms.S1!, 'S1', 'en'))).to.equal(
      'Semester 1: 24 ECTS chosen (between 20 and 30). 12 ECTS (50%) come from your main component SCI (at least 50%). This meets the rules.',
    );
    expect(explainTerm(r.year, 'year', 'en')).to.equal(
      'Over the year: 54 ECTS chosen (60 required). 42 ECTS (77.8%) come from your main component SCI (at least 50%). You have 54 ECTS over the year; the minimum is 60: add 6 ECTS or more.',
    );
    expect(explainTerm(r.year, 'year', 'fr')).to.contain("Sur l'année : 54 ECTS choisis (60 demandés).");
  });
});
