// `smile import nominations` as an operator runs it: the kernel's CLI entry point in this process, on
// a data dir (or a database of the PostgreSQL server) of its own.
import path from 'node:path';
import { expect } from 'chai';
import { startTestCli, type TestCli } from '@smile/sdk/testing';
import { SEED_HEADER, THREE } from './intake-fixtures.js';


describe('mobility intake: smile import nominations', function () {
  this.timeout(180_000);
  let c: TestCli;
  const smile = (...args: string[]) => c.run(...args);
  const file = (name: string, text: string) => c.file(name, text);
  const query = (sql: string) => c.query(sql);
  const files = () => query('select first_name, status from mobility_files order by id');

  before(async () => {
    c = await startTestCli('mobility-cli');
  });
  after(async () => {
    await c?.stop();
  });

  it('a file with errors: file:line: column: message, exit code 1, nothing written', async () => {
    const r = await smile('import', 'nominations', file('bad.csv', `${SEED_HEADER}\nA;B;a@b.org;2026;31/02/2001;;;;;;;\n;C;c@d.org;2026;;;;;;;;`));
    expect(r.err).to.equal('');
    expect(r.out).to.include('bad.csv:2: birthdate: birthdate “31/02/2001” is not a date (day/month/year).');
    expect(r.out).to.include('bad.csv:3: firstname: firstname is required.');
    expect(r.out.at(-1)).to.equal('2 errors: nothing was imported into default');
    expect(r.code).to.equal(1);
  });

  it('--dry-run: what would be created, the duplicate shown as such, nothing written', async () => {
    const r = await smile('import', 'nominations', file('three.csv', THREE), '--dry-run');
    expect(r.code).to.equal(0);
    expect(r.out).to.include('three.csv:4: ANNA MULLER: skipped — certain duplicate of line 2 (Anna Müller): same ESI');
    expect(r.out.at(-1)).to.equal('dry run: nothing was written; 2 to create, 1 duplicates skipped, 0 possible duplicates (default)');
    expect(await files()).to.deep.equal([]);
  });

  it('imports for real; the same file again creates nothing', async () => {
    const r = await smile('import', 'nominations', path.join(c.dir, 'three.csv'), '--institution', 'default', '--exchange-type', 'full-year');
    expect(r.code).to.equal(0);
    expect(r.out.at(-1)).to.equal('2 created, 1 duplicates skipped, 0 possible duplicates (default)');
    expect(await files()).to.deep.equal([{ first_name: 'Anna', status: 'nominated' }, { first_name: 'João', status: 'nominated' }]);
    const again = await smile('import', 'nominations', path.join(c.dir, 'three.csv'));
    expect(again.out.at(-1)).to.equal('0 created, 3 duplicates skipped, 0 possible duplicates (default)');
    expect((await files()).length).to.equal(2);
  });

  it('bad usage exits with 2 and says why', async () => {
    expect((await smile('import', 'nominations')).out[0]).to.match(/^usage: smile import nominations/);
    const missing = await smile('import', 'nominations', path.join(c.dir, 'nope.csv'));
    expect([missing.code, missing.out[0]]).to.deep.equal([2, `cannot read ${path.join(c.dir, 'nope.csv')}: no such file`]);
    const inst = await smile('import', 'nominations', path.join(c.dir, 'three.csv'), '--institution', 'nowhere');
    expect(inst.code).to.equal(2);
    expect(inst.err).to.contain('no institution with the code "nowhere"');
  });
});
