import { readFileSync } from 'node:fs';
import { expect } from 'chai';
import {
  RULE_IDS, evaluateChoice, explain, explainCounted, explainTerm,
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

describe('course-picker rules: components named, staff, a locked choice', () => {
  const names: Record<string, Record<'fr' | 'en', string>> = { SCI: { fr: 'Faculté des sciences', en: 'Faculty of Science' } };
  const nameIn = (lang: 'fr' | 'en') => (code: string) => names[code]?.[lang];
  const shareCase = () => evaluateChoice({ lines: lines(el('A', { ects: 12 }), el('L', { ects: 18, componentCode: 'LET' })), student: student(), mode: 'submit' });
  /** One sample violation of every rule, every parameter set. */
  const samples = (): Violation[] => RULE_IDS.map((rule) => ({
    rule, severity: 'warning', elements: ['X1', 'X2'], titles: [{ fr: 'Titre un', en: 'Title one' }, { fr: 'Titre deux', en: 'Title two' }], term: 'S1',
    params: { reason: 'missing', semester: 'S2', terms: ['S1'], ects: 24, min: 30, max: 30, missing: 6, excess: 2, mainEcts: 10, share: 41.7, threshold: 50,
      component: 'SCI', add: 4, drop: 4, languages: ['es'], required: ['B2'], declared: [], kind: 'statement', day: 5, startA: '08:00', endA: '10:00', startB: '09:00', endB: '11:00' },
  }));

  it('names the main component by its name in the reader’s language when given one, by its code otherwise', () => {
    const v = one('main-component-share', shareCase().violations);
    expect(plain(explain(v, 'en', { componentName: nameIn('en') }))).to.contain('come from your main component Faculty of Science; at least 50% must');
    expect(plain(explain(v, 'fr', { componentName: nameIn('fr') }))).to.contain('viennent de votre composante principale Faculté des sciences ;');
    // an unknown code, or no names at all: the code
    expect(explain(v, 'en', { componentName: () => undefined })).to.contain('your main component SCI;');
    const r = evaluateChoice({ lines: lines(...[1, 2, 3, 4, 5].map((i) => el(`A${i}`))), student: student(), mode: 'submit' });
    expect(plain(explainTerm(r.terms.S1!, 'S1', 'en', { componentName: nameIn('en') }))).to.equal(
      'Semester 1: 30 ECTS chosen (30 required). 30 ECTS (100%) come from your main component Faculty of Science (at least 50%). This meets the rules.',
    );
  });

  it('speaks about the student to staff, in both languages, and keeps the student’s words for the student', () => {
    const v = one('main-component-share', shareCase().violations);
    expect(plain(explain(v, 'en', { audience: 'staff', componentName: nameIn('en') }))).to.equal(
      "In semester 1, 12 of the student's 30 ECTS (40%) come from the student's main component, Faculty of Science; at least 50% must: the student must add 6 ECTS or more of its courses, or remove 6 ECTS or more of courses from other components.",
    );
    expect(plain(explain(v, 'fr', { audience: 'staff', componentName: nameIn('fr') }))).to.contain("de l'étudiant (40 %) viennent de sa composante principale, Faculté des sciences ;");
    expect(plain(explain(v, 'en', { audience: 'student' }))).to.contain('come from your main component SCI');
    const lang = one('language', evaluateChoice({ lines: lines(el('DE1', { languages: ['de'] })), student: student({ languages: { de: 'A2' } }), mode: 'draft' }).violations);
    expect(explain(lang, 'en', { audience: 'staff' })).to.equal('DE1 – Course DE1 is recommended with German at level B1 (the student declared A2): check that the student can follow it.');
    expect(explain(lang, 'fr', { audience: 'staff' })).to.equal("DE1 – Cours DE1 est conseillé avec le niveau B1 en allemand (l'étudiant a déclaré A2) : vérifiez que l'étudiant peut le suivre.");
    const r = evaluateChoice({ lines: lines(el('A', { ects: 24 })), student: student(), mode: 'draft' });
    expect(plain(explainTerm(r.terms.S1!, 'S1', 'en', { audience: 'staff' }))).to.equal(
      "Semester 1: 24 ECTS chosen (30 required). 24 ECTS (100%) come from the student's main component, SCI (at least 50%). The student has 24 ECTS in semester 1; the minimum is 30: 6 ECTS or more are missing.",
    );
    // every rule: a sentence about the student, never to them
    for (const sample of samples()) {
      for (const severity of ['warning', 'block'] as const) {
        const v = { ...sample, severity };
        const en = explain(v, 'en', { audience: 'staff' });
        const fr = explain(v, 'fr', { audience: 'staff' });
        for (const s of [en, fr]) expect(s, `${v.rule} ${severity}`).not.to.match(/\{\{|undefined|NaN/);
        expect(en, `${v.rule} ${severity} en`).not.to.match(/\b(you|your)\b/i);
        expect(fr, `${v.rule} ${severity} fr`).not.to.match(/\b(vous|votre|vos)\b/i);
        expect(en, `${v.rule} ${severity}`).not.to.equal(explain(v, 'en'));
      }
    }
  });

  it('asks a student whose choice is locked for nothing the page no longer offers (a level, a confirmation)', () => {
    const lang = one('language', evaluateChoice({ lines: lines(el('DE1', { languages: ['de'] })), student: student({ languages: {} }), mode: 'draft' }).violations);
    expect(explain(lang, 'en', { locked: true })).to.equal('DE1 – Course DE1 is recommended with German at level B1 (you declared no level).');
    expect(explain(lang, 'fr', { locked: true })).to.equal("DE1 – Cours DE1 est conseillé avec le niveau B1 en allemand (vous n'avez déclaré aucun niveau).");
    const pre = one('prerequisites', evaluateChoice({ lines: lines(el('ADV', { prerequisitesEn: 'Basics', prerequisitesFr: 'Bases' })), student: student(), mode: 'draft' }).violations);
    expect(explain(pre, 'en', { locked: true })).to.equal('ADV – Course ADV has prerequisites that you did not confirm you meet.');
    expect(explain(pre, 'en')).to.contain('confirm that you meet them');
    // the problems a submitted choice may still show as warnings say what is so; the others (which block a
    // submission, so come back to the student) keep their fix
    const statements = ['hierarchy-exclusive', 'duplicate', 'language', 'prerequisites', 'timetable-clash'];
    for (const v of samples()) {
      for (const l of ['fr', 'en'] as const) {
        const s = explain(v, l, { locked: true });
        expect(s, `${v.rule} ${l}`).not.to.match(/\{\{|undefined|NaN/);
        if (!statements.includes(v.rule)) expect(s, `${v.rule} ${l}`).to.equal(explain(v, l));
        else expect(s, `${v.rule} ${l}`).not.to.match(l === 'en' ? /update your|confirm that|keep only one|remove|choose/ : /mettez à jour|confirmez|n'en gardez|retirez|choisissez/);
      }
    }
  });

  it('does not say the totals meet the rules when the caller knows of another problem', () => {
    const r = evaluateChoice({ lines: lines(...[1, 2, 3, 4, 5].map((i) => el(`A${i}`))), student: student(), mode: 'submit' });
    const s = explainTerm(r.terms.S1!, 'S1', 'en', { also: ['Replace the refused course A1.'] });
    expect(plain(s)).to.equal('Semester 1: 30 ECTS chosen (30 required). 30 ECTS (100%) come from your main component SCI (at least 50%). Replace the refused course A1.');
  });
});

describe('course-picker rules: how a course counts', () => {
  const ue = el('UE1', { kind: 'UE', ects: 8, titleEn: 'Methodology', titleFr: 'Méthodologie' });
  const ec = (code: string, title: string, over: Partial<RuleElement> = {}) => el(code, { ects: 4, parentCodes: ['UE1'], titleEn: title, titleFr: `${title} (fr)`, ...over });
  const titles = new Map([['EC1', { fr: 'Sources (fr)', en: 'Sources' }], ['EC2', { fr: 'Archives (fr)', en: 'Archives' }], ['EC3', { fr: 'Notes (fr)', en: 'Notes' }]]);
  const titleOf = (c: string) => titles.get(c);
  const sayAll = (r: ReturnType<typeof evaluateChoice>, codes: string[], lang: 'fr' | 'en' = 'en') =>
    Object.fromEntries(codes.map((c) => [c, explainCounted(r.counted.find((u) => u.code === c || u.includes.includes(c) || u.impliedBy?.includes(c))!, c, lang, { titleOf })]));

  it('says that an EC counts as its UE, alone or with the other chosen ECs, in both languages', () => {
    const alone = evaluateChoice({ lines: lines(ec('EC1', 'Sources')), related: [ue], student: student(), mode: 'draft' });
    expect(alone.terms.S1!.chosenEcts).to.equal(8);
    expect(sayAll(alone, ['EC1'])).to.deep.equal({ EC1: "Counts as its teaching unit UE1 – Methodology (8 ECTS): the totals count the unit's credits, once." });
    expect(sayAll(alone, ['EC1'], 'fr')).to.deep.equal({ EC1: "Compté dans son UE UE1 – Méthodologie (8 ECTS) : les totaux comptent les crédits de l'UE, une seule fois." });
    const three = evaluateChoice({ lines: lines(ec('EC1', 'Sources'), ec('EC2', 'Archives'), ec('EC3', 'Notes')), related: [ue], student: student(), mode: 'draft' });
    expect(three.terms.S1!.chosenEcts).to.equal(8);
    expect(sayAll(three, ['EC2']).EC2).to.equal("Counts as its teaching unit UE1 – Methodology (8 ECTS) with EC1 – Sources and EC3 – Notes: the totals count the unit's credits, once for all of them.");
  });

  it('says what a chosen UE includes, and that its chosen ECs add nothing', () => {
    const r = evaluateChoice({ lines: lines({ ...ue }, ec('EC1', 'Sources'), ec('EC2', 'Archives')), student: student(), mode: 'draft' });
    expect(r.terms.S1!.chosenEcts).to.equal(8);
    expect(sayAll(r, ['UE1', 'EC1'])).to.deep.equal({
      UE1: "Includes EC1 – Sources and EC2 – Archives, also in the choice: they count once, within this unit's 8 ECTS.",
      EC1: 'Already counted in UE1 – Methodology (8 ECTS): it adds nothing to the totals.',
    });
    const one1 = evaluateChoice({ lines: lines({ ...ue }, ec('EC1', 'Sources')), student: student(), mode: 'draft' });
    expect(sayAll(one1, ['UE1'], 'fr').UE1).to.equal("Comprend EC1 – Sources (fr), aussi dans le choix : il ne compte qu'une fois, dans les 8 ECTS de cette UE.");
  });

  it('says nothing of a course that counts for itself', () => {
    const r = evaluateChoice({ lines: lines(ec('EC1', 'Sources'), el('OWN')), related: [ue], student: student(), mode: 'draft', config: { defaults: { hierarchy: { mode: 'independent' } } } });
    expect(sayAll(r, ['EC1', 'OWN'])).to.deep.equal({ EC1: null, OWN: null });
    const plainUnit = evaluateChoice({ lines: lines(el('OWN')), student: student(), mode: 'draft' });
    expect(sayAll(plainUnit, ['OWN'])).to.deep.equal({ OWN: null });
  });
});
