// The bulk entry grid through HTTP: pasted rows with an error (the row's error shown with its line,
// nothing created, the rows kept), clean rows with and without a header (preview, duplicates shown,
// all created on commit, once), and the permission.
import { expect } from 'chai';
import { startTestPlatform, type TestClient, type TestPlatform } from '@smile/sdk/testing';
import { gridToCsv } from '../src/intake-grid-text.js';

const decode = (s: string) => s.replace(/&#39;/g, "'").replace(/&#34;|&quot;/g, '"').replace(/&lt;/g, '<').replace(/&gt;/g, '>').replace(/&amp;/g, '&');
const visible = (html: string) => decode(html.replace(/<(script|style)\b[\s\S]*?<\/\1>/gi, ' ').replace(/<[^>]+>/g, ' ')).replace(/\s+/g, ' ');
const row = (...cells: string[]) => cells.join('\t');

describe('mobility: bulk entry grid', function () {
  this.timeout(120_000);
  let t: TestPlatform;
  let c: TestClient;
  const count = async () => Number((await t.knex('mobility_files').where({ institution_id: t.institution.id }).count({ n: '*' }).first())!.n);
  const paste = (rows: string, exchangeType = 'first-semester', client = c) => client.upload('/mobility/import/grid', { rows, exchangeType }, {});
  const tokenOf = (html: string) => /name="token" value="([^"]+)"/.exec(html)?.[1];

  before(async () => {
    t = await startTestPlatform({ plugins: ['mobility'] });
    c = t.client({ session: await t.signIn(['manager']) });
  });
  after(async () => t?.stop());

  it('reads pasted rows with or without their header', () => {
    const bare = new TextDecoder().decode(gridToCsv(row('Ana', 'Lima', '', '2026')).bytes);
    expect(bare.split('\n')[0]).to.equal('firstname\tlastname\temail\tyear\tbirthdate\tesi\tcity\tpostalcode\tstreet\tnumstreet\treferentemail\tinstitutioncode');
    // cells a spreadsheet leaves out at the end of a row are completed
    expect(bare.split('\n')[1]!.split('\t')).to.have.length(12);
    const headed = gridToCsv(`${row('First name', 'Last name', 'Year')}\n${row('Ana', 'Lima', '2026')}`);
    expect([headed.header, headed.offset]).to.deep.equal([true, 0]);
  });

  it('shows the page with the expected columns', async () => {
    const res = await c.get('/mobility/import/grid');
    expect(res.status).to.equal(200);
    expect(res.text).to.contain('<label for="grid-text">Rows (tab-separated)</label>').and.contain('<code>firstname</code>').and.contain('<code>institutioncode</code>');
  });

  it('a row with an error: the error with its pasted line, nothing created, the rows kept', async () => {
    const rows = [
      row('Marta', 'Kowalska', 'marta@uw.example', '2026', '12/05/2003'),
      row('Piotr', 'Nowak', 'piotr@uw.example', '2026', '31/02/2003'),
      row('Eva', 'Svoboda', 'not-an-email', '2026'),
    ].join('\n');
    const res = await paste(rows);
    expect(res.status).to.equal(422);
    const seen = visible(res.text);
    expect(seen).to.contain('2 errors in the rows: nothing will be created.');
    expect(seen).to.contain('2 birthdate birthdate “31/02/2003” is not a date (day/month/year).');
    expect(seen).to.contain('3 email “not-an-email” is not an email address.');
    expect(res.text).not.to.contain('/mobility/import/grid/commit');
    expect(res.text).to.contain('Marta\tKowalska\tmarta@uw.example');
    expect(await count()).to.equal(0);
    const fr = await paste(rows, 'first-semester', t.client({ session: await t.signIn(['manager']), lang: 'fr' }));
    expect(visible(fr.text)).to.contain('2 erreurs dans les lignes : rien ne sera créé.');
  });

  it('clean rows: a preview with the duplicate shown, then all created at once, and only once', async () => {
    const rows = [
      row('firstname', 'lastname', 'email', 'year', 'birthdate', 'esi'),
      row('Marta', 'Kowalska', 'marta@uw.example', '2026', '12/05/2003', 'urn:schac:personalUniqueCode:int:esi:pl:77'),
      row('Jonas', 'Berg', 'jonas@uio.example', '2026-2027', '01/09/2002', ''),
      row('MARTA', 'KOWALSKA', '', '2026', '12/05/2003', 'urn:schac:personalUniqueCode:int:esi:pl:77'),
    ].join('\n');
    const preview = await paste(rows, 'second-semester');
    expect(preview.status).to.equal(200);
    const seen = visible(preview.text);
    expect(seen).to.contain('The rows are correct: 2 files will be created, 1 duplicates will be skipped.');
    expect(seen).to.contain('Will be skipped: already has a file').and.contain('Duplicate of pasted line 2 (Marta Kowalska): same European Student Identifier');
    expect(await count()).to.equal(0);
    const token = tokenOf(preview.text)!;
    const done = await c.post('/mobility/import/grid/commit', { token });
    expect(done.status).to.equal(200);
    expect(visible(done.text)).to.contain('2 files created, 1 duplicates skipped.');
    const files = await t.knex('mobility_files').where({ institution_id: t.institution.id }).orderBy('id');
    expect(files.map((f: any) => [f.first_name, f.exchange_type, f.birth_date ? 'born' : 'no date'])).to.deep.equal([['Marta', 'second-semester', 'born'], ['Jonas', 'second-semester', 'born']]);
    expect(done.text).to.contain(`href="/mobility/files/${files[0].id}"`);
    expect((await c.post('/mobility/import/grid/commit', { token })).status).to.equal(404);
    expect(await count()).to.equal(2);
  });

  it('rows without a header are the seed system’s columns; a row already on file is shown and skipped', async () => {
    const rows = [
      row('Jonas', 'Berg', 'jonas@uio.example', '2026', '01/09/2002'),
      row('Lea', 'Maier', 'lea@tum.example', '2026', '', '', 'München', '80333', 'Arcisstraße', '21'),
    ].join('\n');
    const preview = await paste(rows);
    const seen = visible(preview.text);
    expect(seen).to.contain('The rows are correct: 1 files will be created, 1 duplicates will be skipped.');
    expect(seen).to.match(/Duplicate of file \d+ \(Jonas Berg, 2026\): same name and birth date/);
    const done = await c.post('/mobility/import/grid/commit', { token: tokenOf(preview.text)! });
    expect(done.status).to.equal(200);
    const lea = await t.knex('mobility_files').where({ institution_id: t.institution.id, first_name: 'Lea' }).first();
    expect(lea.exchange_type).to.equal('first-semester');
    expect(lea.home_address).to.deep.equal({ street: 'Arcisstraße', number: '21', postalCode: '80333', city: 'München' });
    expect(await count()).to.equal(3);
  });

  it('refuses an empty paste in place, and people without mobility:files.manage', async () => {
    const empty = await paste('  \n');
    expect(empty.status).to.equal(422);
    expect(empty.text).to.contain('<p id="grid-text-error" class="field-error">Paste at least one row.</p>');
    const referent = t.client({ session: await t.signIn(['referent']) });
    expect((await referent.get('/mobility/import/grid')).status).to.equal(403);
    expect((await paste(row('A', 'B', '', '2026'), 'first-semester', referent)).status).to.equal(403);
    expect(await count()).to.equal(3);
  });
});
