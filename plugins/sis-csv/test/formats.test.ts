import { expect } from 'chai';
import { detectFormat } from '../src/formats.js';
import { readFiles } from '../src/read.js';
import { parseLanguages, parseLevel, parseNumber, parseTimetable } from '../src/values.js';
import { COMPONENTS, FORMATIONS, courses } from './fixtures.js';

const file = (name: string, text: string) => ({ name, data: new TextEncoder().encode(text) });
const messages = (r: ReturnType<typeof readFiles>) => r.errors.map((e) => `${e.file}:${e.line ?? '-'} ${e.field ?? ''} ${e.message.en}`);

describe('sis-csv: formats', () => {
  it('reads the seed components export', () => {
    const r = readFiles([file('composantes.csv', COMPONENTS)]);
    expect(r.errors).to.deep.equal([]);
    expect(r.files[0]).to.deep.include({ format: 'seed-components', delimiter: ';', encoding: 'utf-8', rows: 2 });
    expect(r.batch.components[0]).to.deep.equal({ code: 'UFR-ECO', nameFr: 'Économie et gestion', nameLongFr: 'UFR d’économie et de gestion', acronym: 'ECOGES', line: 2 });
  });

  it('reads the seed formations export (L3, M1 and plain years of study)', () => {
    const r = readFiles([file('formations.csv', FORMATIONS)]);
    expect(r.errors).to.deep.equal([]);
    expect(r.batch.formations.map((f) => [f.code, f.nameFr, f.acronym, f.diplomaType, f.level, f.componentCode])).to.deep.equal([
      ['L3ECO', 'Licence 3 Économie', 'L3 ECO', 'LIC', 3, 'UFR-ECO'],
      ['M1LET', 'Master 1 Lettres modernes', 'M1 LM', 'MAS', 4, 'UFR-LET'],
    ]);
    expect(parseLevel('BAC+5')).to.equal(5);
  });

  it('reads the seed courses export: languages by name, semesters from s1/s2, decimal commas, multi-line quoted text', () => {
    const r = readFiles([file('cours.csv', courses())]);
    expect(r.errors).to.deep.equal([]);
    const [eco301, eco302, eco303, let410] = r.batch.elements;
    expect(eco301).to.deep.equal({
      code: 'ECO301', titleFr: 'Économie internationale', line: 2, languages: ['fr'], semester: 'S1', ects: 6, hours: 36, openToMobility: true,
      objectivesFr: 'Comprendre le commerce; les échanges', descriptionFr: 'Théories du commerce international,\r\npuis politiques commerciales.',
    });
    expect(eco302).to.deep.include({ line: 4, languages: ['en'], semester: 'S2', ects: 4.5, objectivesFr: null, descriptionFr: null });
    expect(eco303).to.deep.include({ languages: ['fr', 'en'], semester: 'annual', openToMobility: false });
    expect(let410).to.deep.include({ languages: ['fr'], semester: 'S1', openToMobility: true });
    expect(r.batch.links).to.deep.equal([
      { formationCode: 'L3ECO', childCode: 'ECO301', line: 2 },
      { formationCode: 'L3ECO', childCode: 'ECO302', line: 4 },
      { formationCode: 'L3ECO', childCode: 'ECO303', line: 5 },
      { formationCode: 'M1LET', childCode: 'LET410', line: 6 },
    ]);
  });

  it('merges several files into one batch, lines of later files traced back to them', () => {
    const r = readFiles([file('a.csv', COMPONENTS), file('b.csv', FORMATIONS), file('c.csv', courses('abc'))]);
    expect(r.batch.components).to.have.length(2);
    expect(r.batch.formations).to.have.length(2);
    expect(r.batch.elements).to.have.length(4);
    expect(messages(r)).to.deep.equal(['c.csv:4 ects “abc” is not a number.']);
  });

  it('reads the richer format: every field, the tree with parents, a shared element placed by a link row', () => {
    const rich = [
      'type,code,name_fr,name_en,acronym,component,campus,diploma_type,level,eqf,isced,languages,kind,title_fr,title_en,description_fr,objectives_en,outcomes_fr,ects,mobility_ects,semester,competences,prerequisites_fr,seats,exchange_types,open_to_mobility,hours,timetable,formation,parent,position,contact_email',
      'component,SCI,Faculté des sciences,Faculty of Science,FDS,,Campus Nord,,,,,,,,,,,,,,,,,,,,,,,,,ri-sciences@example.org',
      'formation,M1INFO,Master 1 Informatique,Master 1 Computer Science,M1 INFO,SCI,,MAS,M1,7,0613,fr|en,,,,,,,,,,,,,,true,,,,,,',
      'element,UE1,,,,,,,,,,,UE,Fondements,Foundations,,,,12,,S1,,,,,,,,M1INFO,,1,',
      'element,ALGO,,,,,Campus Nord,,,,0613,en,EC,Algorithmique avancée,Advanced algorithms,"Graphes, flots",Design algorithms,Savoir prouver,6,5,S1,algorithmique|preuves,Bases de programmation,10,erasmus-studies|bilateral,oui,36,"1 08:30-10:30 A101 CM|jeudi 14h00-16h00",M1INFO,UE1,,',
      'link,ALGO,,,,,,,,,,,,,,,,,,,,,,,,,,,M2INFO,,,',
    ].join('\n');
    const r = readFiles([file('catalogue.csv', rich)]);
    expect(messages(r)).to.deep.equal([]);
    expect(r.files[0]!.format).to.equal('rich');
    expect(r.batch.components[0]).to.deep.include({ code: 'SCI', nameFr: 'Faculté des sciences', nameEn: 'Faculty of Science', acronym: 'FDS', campus: 'Campus Nord', contacts: [{ email: 'ri-sciences@example.org' }] });
    expect(r.batch.formations[0]).to.deep.include({ code: 'M1INFO', componentCode: 'SCI', diplomaType: 'MAS', level: 4, eqf: 7, isced: '0613', languages: ['fr', 'en'], openToMobility: true });
    const algo = r.batch.elements.find((e) => e.code === 'ALGO')!;
    expect(algo).to.deep.include({
      kind: 'EC', titleFr: 'Algorithmique avancée', titleEn: 'Advanced algorithms', descriptionFr: 'Graphes, flots', objectivesEn: 'Design algorithms', outcomesFr: 'Savoir prouver',
      ects: 6, mobilityEcts: 5, semester: 'S1', languages: ['en'], campus: 'Campus Nord', isced: '0613', competences: ['algorithmique', 'preuves'],
      prerequisitesFr: 'Bases de programmation', seats: 10, exchangeTypes: ['erasmus-studies', 'bilateral'], openToMobility: true, hours: 36,
      timetable: [{ day: 1, start: '08:30', end: '10:30', room: 'A101', kind: 'CM' }, { day: 4, start: '14:00', end: '16:00' }],
    });
    expect(r.batch.links.map((l) => [l.formationCode, l.parentCode, l.childCode, l.position ?? null])).to.deep.equal([
      ['M1INFO', null, 'UE1', 1],
      ['M1INFO', 'UE1', 'ALGO', null],
      ['M2INFO', null, 'ALGO', null],
    ]);
  });

  it('a course repeated with the same values in another formation is one element placed twice; different values are a duplicate', () => {
    const head = 'code;libelle;langue;s1;s2;ects;vol_elp;ouvert_mobilite;code_formation;objectif;description';
    const r = readFiles([file('c.csv', [head, 'X1;Statistique;fr;1;0;6;30;true;L3ECO;;', 'X1;Statistique;fr;1;0;6;30;true;L3MATH;;', 'X1;Statistique II;fr;1;0;6;30;true;L3INFO;;', 'X1;Statistique;fr;1;0;6;30;true;L3ECO;;'].join('\n'))]);
    expect(r.batch.elements).to.have.length(1);
    expect(r.batch.links.map((l) => l.formationCode)).to.deep.equal(['L3ECO', 'L3MATH']);
    expect(messages(r)).to.deep.equal(['c.csv:4 code Duplicate code “X1” (already on line 2).', 'c.csv:5 code Duplicate code “X1” (already on line 2).']);
    const across = readFiles([file('a.csv', COMPONENTS), file('b.csv', COMPONENTS.replace('Lettres;', 'Lettres modernes;'))]);
    expect(messages(across)).to.deep.equal(['b.csv:2 code Duplicate code “UFR-ECO” (already in a.csv, line 2).', 'b.csv:3 code Duplicate code “UFR-LET” (already in a.csv, line 3).']);
  });

  it('names the missing required columns, in both languages', () => {
    const r = readFiles([file('c.csv', 'code;libelle;langue;ects;code_formation\nX;Y;fr;3;F\n')]);
    expect(r.fileErrors).to.equal(true);
    expect(r.errors[0]!.message.en).to.equal('Missing required columns for the format “courses (seed system)”: s1, s2, vol_elp, ouvert_mobilite, objectif, description.');
    expect(r.errors[0]!.message.fr).to.equal('Colonnes obligatoires manquantes pour le format « enseignements (système source) » : s1, s2, vol_elp, ouvert_mobilite, objectif, description.');
  });

  it('a file separated by another character: its header is one column, and the error says why the columns are missing', () => {
    const r = readFiles([file('c.csv', 'code|libelle|libelle_long|acronyme\nA|B|C|D\n')]);
    expect(r.errors).to.have.length(1);
    expect(r.errors[0]).to.deep.include({ file: 'c.csv', line: 1, entity: 'file' });
    expect(r.errors[0]!.message.en).to.match(/^Missing required columns for the format “components \(seed system\)”: .*separated by “\|”/);
  });

  it('an unknown header lists the recognised formats', () => {
    const d = detectFormat(['nom', 'prenom', 'email']);
    expect(d.ok).to.equal(false);
    if (!d.ok) expect(d.error.en).to.contain('matches none of the recognised formats').and.contain('courses (seed system) (code, libelle, langue');
    expect(detectFormat(['CODE', ' Libellé ', 'Libellé long', 'ACRONYME'])).to.deep.include({ ok: true, columns: ['code', 'libelle', 'libelle_long', 'acronyme'] });
  });

  it('reports unreadable cells with their column: ECTS, yes/no, language, semester, timetable', () => {
    const head = 'code;libelle;langue;s1;s2;ects;vol_elp;ouvert_mobilite;code_formation;objectif;description';
    const r = readFiles([file('c.csv', [head, 'X1;A;klingon;1;0;abc;-;peut-être;F;;'].join('\n'))]);
    expect(messages(r)).to.deep.equal([
      'c.csv:2 langue Unknown language “klingon”: use ISO codes (fr, en, es…) or names (Français, Anglais…).',
      'c.csv:2 ects “abc” is not a number.',
      'c.csv:2 vol_elp “-” is not a number.',
      'c.csv:2 ouvert_mobilite “peut-être” is not a yes/no value (true/false, 1/0, oui/non, yes/no).',
    ]);
    expect(parseNumber('1 200,5')).to.equal(1200.5);
    expect(parseLanguages('Français et Anglais / es-ES')).to.deep.equal(['fr', 'en', 'es']);
    expect(parseTimetable('8 08:00-09:00')).to.deep.equal({ bad: 'badTimetable', vars: { value: '8 08:00-09:00' } });
  });

  it('reports structural problems on their lines and skips those rows', () => {
    const r = readFiles([file('c.csv', `${COMPONENTS}\r\nUFR-X;Trop;de;champs;ici\r\nUFR-Y;"Jamais fermé;x;y\r\n`)]);
    expect(messages(r)).to.deep.equal([
      'c.csv:4  5 fields instead of 4: a value holding the separator or a line break must be in double quotes.',
      'c.csv:5  A double quote opened on this line is never closed: the rest of the file was read as one field.',
    ]);
    expect(r.batch.components.map((c) => c.code)).to.deep.equal(['UFR-ECO', 'UFR-LET']);
  });
});
