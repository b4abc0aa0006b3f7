import type { CatalogueBatch, ElementRecord } from '../src/types.js';

/**
 * A catalogue for the public pages: three components (one with contacts), three formations with a
 * tree, economics courses in French and English, a closed course, a course without an English title,
 * and 24 seminars of another component (for paging and sorts).
 */
export function publicBatch(): CatalogueBatch {
  const el = (code: string, titleFr: string, titleEn: string | null, more: Partial<ElementRecord> = {}): ElementRecord => ({
    code, titleFr, titleEn, ects: 6, semester: 'S1', languages: ['fr'], level: 3, ...more,
  });
  const seminars: ElementRecord[] = Array.from({ length: 24 }, (_, i) =>
    el(`SEM${String(i + 1).padStart(2, '0')}`, `Séminaire de relations internationales ${i + 1}`, `International relations seminar ${i + 1}`, {
      componentCode: 'INT', ects: 2 + (i % 7), semester: i % 2 ? 'S2' : 'S1', languages: i % 3 ? ['en'] : ['fr'], level: 4,
    }),
  );
  return {
    components: [
      {
        code: 'ECO', nameFr: 'Faculté d’économie', nameEn: 'Faculty of Economics', nameLongFr: 'Faculté des sciences économiques et de gestion',
        nameLongEn: 'Faculty of Economics and Management', campus: 'Campus Centre',
        contacts: [{ role: 'Relations internationales', name: 'Claire Dupont', email: 'ri-eco@univ.example', phone: '+33 1 23 45 67 89' }],
      },
      { code: 'LET', nameFr: 'Faculté des lettres', nameEn: 'Faculty of Arts' },
      { code: 'INT', nameFr: 'Institut d’études internationales', nameEn: 'Institute of International Studies' },
    ],
    formations: [
      { code: 'L3ECO', nameFr: 'Licence 3 Économie', nameEn: 'Bachelor 3 Economics', componentCode: 'ECO', level: 3, diplomaType: 'LIC', diplomaTypeName: { fr: 'Licence', en: 'Bachelor' }, isced: '0311', eqf: 6, languages: ['fr'] },
      { code: 'L3LET', nameFr: 'Licence 3 Lettres modernes', nameEn: 'Bachelor 3 Modern Literature', componentCode: 'LET', level: 3, diplomaType: 'LIC' },
      { code: 'M1RI', nameFr: 'Master 1 Relations internationales', nameEn: 'Master 1 International Relations', componentCode: 'INT', level: 4, diplomaType: 'MAS', diplomaTypeName: { fr: 'Master', en: 'Master' } },
    ],
    elements: [
      el('UE1', 'Fondamentaux d’économie', 'Economics fundamentals', { kind: 'UE', ects: 12 }),
      el('MICRO', 'Microéconomie', 'Microeconomics'),
      el('MACRO', 'Macroéconomie', 'Macroeconomics', { semester: 'S2', languages: ['fr', 'en'] }),
      el('HIST', 'Histoire économique de l’Europe', 'Economic history of Europe', { semester: 'annual', ects: 3 }),
      el('ECOENV', 'Économie de l’environnement', 'Environmental economics', {
        semester: 'S2', ects: 5, mobilityEcts: 4, languages: ['en'], campus: 'Campus Sud', isced: '0311', seats: 10, hours: 36,
        exchangeTypes: ['first-semester'], competences: ['Analyse coûts-bénéfices', 'Modélisation'],
        descriptionFr: 'Les instruments économiques des politiques climatiques.', descriptionEn: 'The economic instruments of climate policy.',
        outcomesFr: 'Évaluer une taxe carbone.', outcomesEn: 'Assess a carbon tax.', prerequisitesFr: 'Microéconomie.', prerequisitesEn: 'Microeconomics.',
        timetable: [{ day: 2, start: '10:15', end: '12:15', room: 'B204', kind: 'CM' }],
      }),
      el('TRAVAIL', 'Économie du travail', 'Labour economics', { openToMobility: false, semester: 'S2' }),
      el('URBAN', 'Sociologie urbaine', null, { componentCode: 'LET', semester: 'S1' }),
      el('ROMAN', 'Le roman français au XIXe siècle', 'The nineteenth-century French novel'),
      ...seminars,
    ],
    links: [
      { formationCode: 'L3ECO', childCode: 'UE1' },
      { formationCode: 'L3ECO', parentCode: 'UE1', childCode: 'MICRO' },
      { formationCode: 'L3ECO', parentCode: 'UE1', childCode: 'MACRO' },
      { formationCode: 'L3ECO', parentCode: 'UE1', childCode: 'TRAVAIL' },
      { formationCode: 'L3ECO', childCode: 'HIST' },
      { formationCode: 'L3ECO', childCode: 'ECOENV' },
      { formationCode: 'L3LET', childCode: 'HIST' },
      { formationCode: 'L3LET', childCode: 'ROMAN' },
      { formationCode: 'L3LET', childCode: 'URBAN' },
      ...seminars.map((s) => ({ formationCode: 'M1RI', childCode: s.code })),
    ],
  };
}
