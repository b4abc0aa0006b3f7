// Nomination intake on a real database: the CSV reader (seed and richer formats, row errors with
// their lines), duplicate detection, the all-or-nothing import, and the upload pages.
import { expect } from 'chai';
import { startTestPlatform, TestClient, type TestPlatform } from '@smile/sdk/testing';
import { compare, findDuplicates, importFile, normaliseName, parseNominations } from '../src/intake.js';
import type { MobilityActor } from '../src/index.js';
import { RICH, SEED_HEADER, THREE } from './intake-fixtures.js';

const bytes = (s: string) => new TextEncoder().encode(s);
const TYPES = { exchangeTypes: ['first-semester', 'second-semester', 'full-year'], defaultExchangeType: 'full-year' };
const visible = (html: string) =>
  html.replace(/<(script|style)\b[\s\S]*?<\/\1>/gi, ' ').replace(/<[^>]+>/g, ' ').replace(/&#39;/g, '’').replace(/&amp;/g, '&').replace(/&#34;|&quot;/g, '"').replace(/\s+/g, ' ');

describe('mobility intake: reading nomination files', () => {
  it('reads the seed system’s export: names, d/m/Y birth date, year range, address, ESI, home code', () => {
    const p = parseNominations(bytes(THREE), TYPES);
    expect(p.errors).to.deep.equal([]);
    expect(p.format).to.equal('seed');
    expect(p.rows.map((r) => r.line)).to.deep.equal([2, 3, 4]);
    const [anna, joao] = p.rows;
    expect(anna!.input).to.include({ firstName: 'Anna', lastName: 'Müller', birthDate: '2004-03-14', academicYear: 2026, exchangeType: 'full-year', public: 'student' });
    expect(anna!.input.homeAddress).to.deep.equal({ street: 'Hauptstraße', number: '12', postalCode: '69117', city: 'Heidelberg' });
    expect(anna!.input.home).to.include({ erasmusCode: 'D  HEIDELB01', schac: null });
    expect(anna!.referentEmail).to.equal('referent@example.org');
    expect(joao!.input.home).to.include({ schac: 'uni-lisboa.pt', erasmusCode: null });
  });

  it('reads the richer format, headers in any case with spaces or underscores', () => {
    const p = parseNominations(bytes(RICH), TYPES);
    expect(p.errors).to.deep.equal([]);
    expect(p.format).to.equal('rich');
    expect(p.rows[0]!.input).to.deep.include({
      firstName: 'Marie-Claire', birthDate: '2004-05-06', exchangeType: 'second-semester', public: 'trainee', nationality: 'BE', gender: 'F',
      plannedStart: '2027-02-01', plannedEnd: '2027-06-30', eqfLevel: 7, isced: '0311',
      home: { name: 'Université de Liège', country: 'BE', schac: 'uliege.be', erasmusCode: 'B  LIEGE01', pic: null },
    });
  });

  it('reports bad rows with their file lines and keeps the good ones apart', () => {
    const text = [
      SEED_HEADER,
      'Ok;Person;ok@example.org;2026;01/01/2000;;;;;;;',
      ';Nameless;x@example.org;2026;01/01/2000;;;;;;;',
      'Bad;Date;bd@example.org;2026;31/02/2000;;;;;;;',
      'Bad;Mail;not-an-email;2026;01/01/2000;;;;;;;',
      'Bad;Year;y@example.org;next;01/01/2000;;;;;;;',
      'Bad;Referent;r@example.org;2026;01/01/2000;;;;;;nobody-at-all;',
    ].join('\n');
    const p = parseNominations(bytes(text), TYPES);
    expect(p.rows.map((r) => r.line)).to.deep.equal([2]);
    expect(p.errors.map((e) => [e.line, e.field, e.message.en])).to.deep.equal([
      [3, 'firstname', 'firstname is required.'],
      [4, 'birthdate', 'birthdate “31/02/2000” is not a date (day/month/year).'],
      [5, 'email', '“not-an-email” is not an email address.'],
      [6, 'year', '“next” is not an academic year (e.g. 2026 or 2026-2027).'],
      [7, 'referent email', '“nobody-at-all” is not an email address.'],
    ]);
    const unknown = parseNominations(bytes('firstname,lastname,year,exchange type\nA,B,2026,summer-school'), TYPES);
    expect(unknown.errors[0]!.line).to.equal(2);
    expect(unknown.errors[0]!.message.en).to.contain('Unknown exchange type “summer-school”');
    const missing = parseNominations(bytes('firstname,email\nA,a@b.org'), TYPES);
    expect(missing.errors.map((e) => e.message.fr)).to.deep.equal(['Colonnes manquantes : lastname, year.']);
  });
});

describe('mobility intake: duplicate detection', () => {
  const a = { firstName: 'Zoé', lastName: 'Lefèvre-Martin', birthDate: '2003-01-02', email: 'zoe@example.org', esi: 'urn:schac:personalUniqueCode:int:esi:fr:42', academicYear: 2026 };
  it('ESI first, case and spaces folded: a certain duplicate', () => {
    expect(compare(a, { firstName: 'X', lastName: 'Y', esi: ' URN:SCHAC:personalUniqueCode:INT:esi:fr:42', academicYear: 2026 })).to.deep.equal({ reason: 'esi', certainty: 'certain' });
  });
  it('then the name, accents, case, hyphens and order folded, with the birth date', () => {
    expect(normaliseName('Zoé', 'Lefèvre-Martin')).to.equal(normaliseName('LEFEVRE MARTIN', 'zoe'));
    expect(compare(a, { firstName: 'LEFEVRE MARTIN', lastName: 'zoe', birthDate: '2003-01-02', academicYear: 2026 })).to.deep.equal({ reason: 'name-birthdate', certainty: 'certain' });
    expect(compare(a, { firstName: 'Zoé', lastName: 'Lefèvre-Martin', birthDate: '2003-01-03', academicYear: 2026 })).to.equal(null);
  });
  it('an email alone is only a possible duplicate; so is another academic year', () => {
    expect(compare(a, { firstName: 'Someone', lastName: 'Else', email: 'ZOE@example.org', academicYear: 2026 })).to.deep.equal({ reason: 'email', certainty: 'possible' });
    expect(compare(a, { ...a, academicYear: 2025 })).to.deep.equal({ reason: 'esi', certainty: 'possible' });
  });
  it('different ESIs make a name + birth date match only possible', () => {
    expect(compare(a, { ...a, esi: 'urn:schac:personalUniqueCode:int:esi:fr:43' })).to.deep.equal({ reason: 'name-birthdate', certainty: 'possible' });
  });
  it('finds matches among files and earlier rows of the batch, certain ones first', () => {
    const found = findDuplicates(a, [{ id: 7, firstName: 'Other', lastName: 'Name', email: 'zoe@example.org', academicYear: 2026 }], [{ ...a, line: 3 }]);
    expect(found.map((d) => [d.fileId, d.line, d.reason, d.certainty])).to.deep.equal([[null, 3, 'esi', 'certain'], [7, null, 'email', 'possible']]);
  });
});

describe('mobility intake: import and pages', function () {
  this.timeout(120_000);
  let t: TestPlatform;
  let actor: MobilityActor;
  const count = async () => Number((await t.knex('mobility_files').where({ institution_id: t.institution.id }).count({ n: '*' }).first())!.n);
  const manager = async (lang: 'fr' | 'en' = 'en') => {
    const c = new TestClient(t, { lang, session: await t.signIn(['manager']) });
    await c.get('/mobility/import');
    return c;
  };
  const upload = (c: TestClient, text: string | Buffer, filename = 'nominations.csv', exchangeType = 'first-semester') =>
    c.upload('/mobility/import', { exchangeType }, { file: { filename, data: text, mimeType: 'text/csv' } });

  before(async () => {
    t = await startTestPlatform({ plugins: ['mobility'] });
    actor = { institutionId: t.institution.id, label: 'test' };
    await t.signIn(['referent'], { email: 'referent@example.org', displayName: 'Referent' });
  });
  after(async () => t?.stop());

  it('all or nothing: one bad row and no file is created', async () => {
    const res = await importFile(t, actor, bytes(`${THREE}\nBad;Row;x@example.org;2026;99/99/2000;;;;;;;`));
    expect(res.committed).to.equal(false);
    expect(res.errors.map((e) => e.line)).to.deep.equal([5]);
    expect(await count()).to.equal(0);
  });

  it('a dry run reports what would happen and writes nothing', async () => {
    const res = await importFile(t, actor, bytes(THREE), { dryRun: true });
    expect(res.counts).to.deep.equal({ created: 2, skipped: 1, possible: 0 });
    expect(await count()).to.equal(0);
  });

  it('three nominations, one a duplicate of another: two files, the duplicate shown with its reason; referent resolved', async () => {
    const res = await importFile(t, actor, bytes(THREE), { defaultExchangeType: 'first-semester' });
    expect(res.committed).to.equal(true);
    expect(res.rows.map((r) => [r.line, r.action])).to.deep.equal([[2, 'create'], [3, 'create'], [4, 'skip']]);
    expect(res.rows[2]!.duplicates.map((d) => [d.line, d.reason, d.certainty])).to.deep.equal([[2, 'esi', 'certain']]);
    expect(await count()).to.equal(2);
    const anna = await t.knex('mobility_files').where({ id: res.rows[0]!.fileId }).first();
    expect(anna).to.include({ first_name: 'Anna', exchange_type: 'first-semester', status: 'nominated', current_step: 'pre-registration' });
    expect(anna.referent_person_id).to.be.a('number');
    const history = await t.knex('mobility_transitions').where({ file_id: anna.id });
    expect(history.map((h: any) => h.action)).to.deep.equal(['create']);
    // imported again: both are now certain duplicates of the files
    const again = await importFile(t, actor, bytes(THREE), { dryRun: true });
    expect(again.rows.map((r) => [r.action, r.duplicates[0]?.fileId])).to.deep.equal([['skip', anna.id], ['skip', res.rows[1]!.fileId], ['skip', anna.id]]);
  });

  it('an email match alone is created and listed as a possible duplicate', async () => {
    const res = await importFile(t, actor, bytes(`${SEED_HEADER}\nJoana;Sousa;JOAO.SILVA@ulisboa.pt;2026;05/05/2001;;;;;;;`));
    expect(res.committed).to.equal(true);
    expect(res.rows[0]!.action).to.equal('create');
    expect(res.rows[0]!.duplicates.map((d) => [d.reason, d.certainty])).to.deep.equal([['email', 'possible']]);
    expect(res.counts).to.deep.equal({ created: 1, skipped: 0, possible: 1 });
  });

  it('an unknown referent email is a warning, not an error', async () => {
    const res = await importFile(t, actor, bytes(`${SEED_HEADER}\nNew;Person;np@example.org;2026;05/05/2001;;;;;;nobody@example.org;`), { dryRun: true });
    expect(res.errors).to.deep.equal([]);
    expect(res.warnings.map((w) => [w.line, w.message.en])).to.deep.equal([[2, 'Nobody has the email nobody@example.org: the referent is left empty.']]);
  });

  it('the pages: upload, preview with the duplicate shown as such, import, result', async () => {
    const c = await manager();
    const form = await c.get('/mobility/import');
    expect(form.status).to.equal(200);
    expect(form.text).to.contain('enctype="multipart/form-data"').and.contain('name="file"');
    const text = `${SEED_HEADER}\nLi;Wei;li.wei@example.cn;2026;07/07/2002;;;;;;;\nLI;WEI;;2026;07/07/2002;;;;;;;`;
    const preview = await upload(c, text);
    expect(preview.status).to.equal(200);
    const seen = visible(preview.text);
    expect(seen).to.contain('The file is correct: 1 files will be created, 1 duplicates will be skipped.');
    expect(seen).to.contain('Will be skipped: already has a file').and.contain('Duplicate of line 2 (Li Wei): same name and birth date');
    const before = await count();
    expect(before).to.equal(3);
    const token = /name="token" value="([^"]+)"/.exec(preview.text)![1]!;
    const done = await c.post('/mobility/import/commit', { token });
    expect(done.status).to.equal(200);
    expect(visible(done.text)).to.contain('1 files created, 1 duplicates skipped.');
    expect(await count()).to.equal(4);
    // the same preview cannot be imported twice
    const twice = await c.post('/mobility/import/commit', { token });
    expect(twice.status).to.equal(404);
    expect(await count()).to.equal(4);
  });

  it('the preview lists row errors with their lines, in French too, and offers no import', async () => {
    const c = await manager('fr');
    const res = await upload(c, `${SEED_HEADER}\nA;B;a@b.org;2026;31/02/2001;;;;;;;`);
    expect(res.status).to.equal(422);
    const seen = visible(res.text);
    expect(seen).to.contain('1 erreurs : rien ne sera importé.').and.contain('2 birthdate birthdate « 31/02/2001 » n’est pas une date');
    expect(res.text).not.to.contain('/mobility/import/commit');
  });

  it('refuses a forbidden type, an oversized file, an empty upload and a path in the name, changing nothing', async () => {
    const c = await manager();
    const exe = await upload(c, 'MZ', 'tool.exe');
    expect(exe.status).to.equal(422);
    expect(visible(exe.text)).to.contain('Only CSV files (.csv, .txt, .tsv) are accepted.');
    // a path in the name is refused, not stripped
    const pathName = await upload(c, THREE, '../../etc/nominations.csv');
    expect(pathName.status).to.equal(422);
    expect(visible(pathName.text)).to.contain('The file name must not contain a path.');
    const empty = await upload(c, '');
    expect(empty.status).to.equal(422);
    expect(visible(empty.text)).to.contain('Choose a CSV file.');
    const big = await upload(c, Buffer.alloc(2 * 1024 * 1024 + 1, 97));
    expect(visible(big.text)).to.contain('This file is larger than 2 MB.');
    expect(await count()).to.equal(4);
  });

  it('refuses students: the pages need mobility:files.manage', async () => {
    const c = new TestClient(t, { lang: 'en', session: await t.signIn(['student']) });
    for (const res of [await c.get('/mobility/import'), await upload(c, THREE), await c.post('/mobility/import/commit', { token: 'x'.repeat(20) })]) {
      expect(res.status).to.equal(403);
      expect(res.text).to.contain('you need the permission mobility:files.manage');
    }
  });
});
