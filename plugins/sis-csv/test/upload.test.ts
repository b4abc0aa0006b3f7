import { expect } from 'chai';
import type { TestPlatform } from '@smile/sdk/testing';
import { preview } from '../src/read.js';
import { cp1252 } from './fixtures.js';
import { COMPONENTS, FORMATIONS, YEAR, boot, client, courses, store, system, upload, visible } from './support.js';

const bytes = (s: string) => new TextEncoder().encode(s);
const elementCount = (t: TestPlatform) => t.knex('catalogue_elements').where({ institution_id: t.institution.id }).count({ n: '*' }).first().then((r) => Number(r!.n));

describe('sis-csv: upload, preview and import', function () {
  this.timeout(120_000);
  let t: TestPlatform;
  before(async () => {
    t = await boot();
  });
  after(async () => t?.stop());

  it('shows the upload form to a manager, the current year chosen', async () => {
    const c = await client(t);
    const page = await c.get('/catalogue/admin/import/csv');
    expect(page.status).to.equal(200);
    expect(page.text).to.contain('enctype="multipart/form-data"').and.contain('name="files"').and.contain('multiple');
    const current = store(t).currentYear();
    expect(page.text).to.match(new RegExp(`<option value="${current}" selected>${current}–${current + 1}</option>`));
    expect(visible(page.text)).to.contain('No CSV import yet.');
  });

  it('is listed among the catalogue’s connectors, linked to its upload page', async () => {
    const page = await (await client(t)).get('/catalogue/admin/sync');
    expect(page.status).to.equal(200);
    expect(page.text).to.contain('href="/catalogue/admin/import/csv"');
    expect(visible(page.text)).to.contain('CSV files');
  });

  it('refuses students: the pages and the upload need catalogue:import.run', async () => {
    const c = await client(t, ['student']);
    for (const res of [await c.get('/catalogue/admin/import/csv'), await upload(c, { 'c.csv': courses() }), await c.post('/catalogue/admin/import/csv/1/commit')]) {
      expect(res.status).to.equal(403);
      expect(res.text).to.contain('you need the permission catalogue:import.run');
    }
  });

  it('refuses managers whose role covers some components only: an import changes the whole catalogue', async () => {
    const { TestClient } = await import('@smile/sdk/testing');
    const c = new TestClient(t, { lang: 'en', session: await t.signIn([{ role: 'manager', components: ['UFR-SCOPED'] }]) });
    const res = await upload(c, { 'cours.csv': courses() });
    expect(res.status).to.equal(403);
    expect(visible(res.text)).to.contain('Importing changes the whole institution’s catalogue: your role covers only some components.');
  });

  it('previews the seed files with one bad row: the error at its file line, no import button, nothing written', async () => {
    const c = await client(t);
    const res = await upload(c, { 'composantes.csv': COMPONENTS, 'formations.csv': FORMATIONS, 'cours.csv': courses('abc') });
    expect(res.status).to.equal(422);
    const text = visible(res.text);
    expect(text).to.contain('1 error: nothing will be imported.');
    // the second course is on line 4 of cours.csv (the first one spans lines 2 and 3)
    expect(text).to.match(/cours\.csv 4 ECO302 ects “abc” is not a number\./);
    expect(text).to.contain('courses (seed system)').and.contain('components (seed system)').and.contain('semicolon');
    expect(res.text).not.to.contain('/commit');
    expect(await elementCount(t)).to.equal(0);
  });

  it('previews the fixed files, then imports them: the elements exist and the result page lists them', async () => {
    const c = await client(t, ['manager'], 'fr');
    const res = await upload(c, { 'composantes.csv': COMPONENTS, 'formations.csv': FORMATIONS, 'cours.csv': courses() });
    expect(res.status).to.equal(200);
    const text = visible(res.text);
    expect(text).to.contain('Les fichiers sont corrects.');
    expect(text).to.match(/Composantes 2 0 0/).and.match(/Formations 2 0 0/).and.match(/Éléments pédagogiques 4 0 0/).and.match(/Places dans les arborescences 4/);
    expect(await elementCount(t)).to.equal(0);
    const action = /action="(\/catalogue\/admin\/import\/csv\/\d+\/commit)"/.exec(res.text)![1]!;

    const done = await c.post(action);
    expect(done.status).to.equal(303);
    const result = await c.get(done.headers.get('location')!);
    const shown = visible(result.text);
    expect(shown).to.contain('Import terminé : 8 créés, 0 modifiés.');
    expect(shown).to.contain('Économie internationale').and.contain('Le roman européen');
    expect(result.text).to.contain(`href="/catalogue/${YEAR}/elements/ECO301"`);

    const eco301 = (await store(t).element(t.institution.id, YEAR, 'ECO301'))!;
    expect(eco301).to.deep.include({ titleFr: 'Économie internationale', ects: 6, semester: 'S1', languages: ['fr'], source: 'sis-csv', componentCode: 'UFR-ECO' });
    const f = (await store(t).formation(t.institution.id, YEAR, 'L3ECO'))!;
    expect((await store(t).tree(t.institution.id, f.id)).map((n) => n.element.code)).to.deep.equal(['ECO301', 'ECO302', 'ECO303']);
    const [run] = await store(t).runs(t.institution.id, { connector: 'sis-csv' });
    expect(run).to.deep.include({ trigger: 'upload', state: 'succeeded', created: 8, label: 'composantes.csv, formations.csv, cours.csv', year: YEAR });

    // a second click finds the import done: no second run
    const again = await c.post(action);
    expect(again.status).to.equal(303);
    expect(await store(t).runs(t.institution.id, { connector: 'sis-csv' })).to.have.length(1);
    // the history shows the run, linked to its result
    expect(visible((await c.get('/catalogue/admin/import/csv')).text)).to.contain('composantes.csv, formations.csv, cours.csv').and.contain('Importé');
  });

  it('imports the same files again as an idempotent upsert: nothing new, nothing changed', async () => {
    const c = await client(t);
    const res = await upload(c, { 'composantes.csv': COMPONENTS, 'formations.csv': FORMATIONS, 'cours.csv': courses() });
    expect(visible(res.text)).to.match(/Teaching elements 0 0 4/);
    // the same courses saved by a French Windows spreadsheet: Windows-1252, same titles, nothing changes
    const windows = await upload(c, { 'cours.csv': cp1252(courses()) });
    expect(visible(windows.text)).to.contain('Windows-1252 (Latin-1)').and.match(/Teaching elements 0 0 4/);
    const changed = await upload(c, { 'cours.csv': courses('5') });
    expect(visible(changed.text)).to.match(/Teaching elements 0 1 3/);
  });

  it('an upload belongs to its institution', async () => {
    const c = await client(t);
    const res = await upload(c, { 'cours.csv': courses('5') });
    const action = /action="(\/catalogue\/admin\/import\/csv\/\d+\/commit)"/.exec(res.text)![1]!;
    const other = await t.createInstitution({ code: 'other', hostNames: ['other.test'] });
    const { TestClient } = await import('@smile/sdk/testing');
    const stranger = new TestClient(t, { lang: 'en', headers: { host: 'other.test' }, session: await t.signIn(['manager'], { institution: other }) });
    expect((await stranger.post(action)).status).to.equal(404);
    expect((await stranger.get(action.replace('/commit', ''))).status).to.equal(404);
    expect((await store(t).element(t.institution.id, YEAR, 'ECO302'))!.ects).to.equal(4.5);
  });

  it('lists what the catalogue refuses: negative ECTS, duplicate codes, unknown parents and formations, by file line and column', async () => {
    const rich = [
      'type;code;title_fr;ects;formation;parent',
      'element;N1;Analyse numérique;-3;L3ECO;',
      'element;N2;Probabilités;4;L3ECO;NOPE',
      'element;N2;Probabilités bis;4;;',
      'link;N1;;;L9XXX;',
      'element;;Sans code;2;;',
    ].join('\n');
    const c = await client(t);
    const res = await upload(c, { 'riche.csv': rich });
    expect(res.status).to.equal(422);
    const text = visible(res.text);
    expect(text).to.contain('5 errors: nothing will be imported.');
    expect(text).to.contain('riche.csv 2 N1 ects ects must be between 0 and 120 (read: -3)');
    expect(text).to.contain('riche.csv 3 N2 parent the parent element "NOPE" does not exist');
    expect(text).to.contain('riche.csv 4 N2 code Duplicate code “N2” (already on line 3).');
    expect(text).to.contain('riche.csv 5 N1 formation unknown formation "L9XXX"');
    expect(text).to.contain('riche.csv 6 — code the code is required');
  });

  it('a form without files or year says so in place', async () => {
    const c = await client(t);
    const res = await c.upload('/catalogue/admin/import/csv', { year: 'soon' }, {});
    expect(res.status).to.equal(422);
    expect(res.text).to.contain('id="sis-csv-files-error"').and.contain('Choose at least one CSV file.').and.contain('Choose an academic year.');
    expect(res.text).to.contain('aria-invalid="true"');
  });

  it('previews a 100,000-row file in one pass: counts, the first 200 errors and how many more', async () => {
    const head = 'code;libelle;langue;s1;s2;ects;vol_elp;ouvert_mobilite;code_formation;objectif;description';
    const rows = [head];
    for (let i = 1; i <= 100_000; i++) rows.push(`BIG${i};Cours numéro ${i} de statistique appliquée;Français;${i % 2};${(i + 1) % 2};${i % 400 === 0 ? 'n/a' : '3'};24;true;L3ECO;;`);
    const big = rows.join('\r\n');
    const c = await client(t);
    const res = await upload(c, { 'gros.csv': big });
    expect(res.status).to.equal(422);
    const text = visible(res.text);
    expect(text).to.contain('250 errors: nothing will be imported.').and.contain('… and 50 more errors, not listed.');
    expect(text).to.contain('gros.csv 401 BIG400 ects “n/a” is not a number.');
    expect((res.text.match(/<td data-label="File">/g) ?? []).length).to.equal(200);

    // fixed, and outside any formation (the trees are checked above)
    const clean = await preview(store(t), system(t), YEAR, [{ name: 'gros.csv', data: bytes(big.replace(/;n\/a;/g, ';3;').replace(/;L3ECO;/g, ';;')) }]);
    expect(clean.errors).to.deep.equal([]);
    expect(clean.files[0]!.rows).to.equal(100_000);
    expect(clean.report!.counts.elements).to.deep.include({ created: 100_000, updated: 0 });
    expect(await t.knex('catalogue_elements').where('code', 'like', 'BIG%').count({ n: '*' }).first()).to.deep.equal({ n: 0 });
  });
});
