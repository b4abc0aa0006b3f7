// `smile import catalogue` as an operator runs it: the kernel's CLI entry point in this process, on a
// data dir (or a database of the PostgreSQL server) of its own; a server in a child process holds the
// embedded data dir for the lock test.
import { spawn, type ChildProcess } from 'node:child_process';
import path from 'node:path';
import { expect } from 'chai';
import { startTestCli, type TestCli } from '@smile/sdk/testing';
import { COMPONENTS, FORMATIONS, courses } from './fixtures.js';

const REPO = path.resolve(path.dirname(new URL(import.meta.url).pathname), '..', '..', '..');
const SERVER_DB = process.env.DATABASE_URL || undefined;

describe('sis-csv: smile import catalogue', function () {
  this.timeout(180_000);
  let c: TestCli;
  const smile = (...args: string[]) => c.run(...args);
  const file = (name: string, text: string) => c.file(name, text);
  const query = (sql: string) => c.query(sql);
  const runs = () => query('select connector, trigger, state, created from catalogue_sync_runs order by id');

  before(async () => {
    c = await startTestCli('sis-csv-cli');
  });
  after(async () => {
    await c?.stop();
  });

  it('a file with errors: the errors as file:line, exit code 1, nothing written', async () => {
    const r = await smile('import', 'catalogue', file('composantes.csv', COMPONENTS), file('formations.csv', FORMATIONS), file('cours.csv', courses('abc')), '--year', '2026');
    expect(r.err).to.equal('');
    expect(r.out).to.include('cours.csv: courses (seed system); utf-8, semicolon-separated; 4 rows');
    expect(r.out).to.include('cours.csv:4: ECO302 ects: “abc” is not a number.');
    expect(r.out.at(-1)).to.equal('1 error: nothing was imported into default 2026–2027');
    expect(r.code).to.equal(1);
  });

  it('--dry-run on clean files: what would change, exit code 0, nothing written', async () => {
    const r = await smile('import', 'catalogue', path.join(c.dir, 'composantes.csv'), path.join(c.dir, 'formations.csv'), file('cours.csv', courses()), '--dry-run', '--year', '2026');
    expect(r.code).to.equal(0);
    expect(r.out).to.include('elements: 4 new, 0 changed, 0 unchanged');
    expect(r.out.at(-1)).to.equal('dry run: nothing was written (default 2026–2027)');
    const again = await smile('import', 'catalogue', path.join(c.dir, 'cours.csv'), '--dry-run', '--year', '2026');
    // still nothing there: the courses' formations are unknown
    expect(again.code).to.equal(1);
    expect(again.out).to.include('cours.csv:2: ECO301 code_formation: unknown formation "L3ECO"');
  });

  it('imports for real, recorded as a run; a second import changes nothing', async () => {
    const files = ['composantes.csv', 'formations.csv', 'cours.csv'].map((f) => path.join(c.dir, f));
    const r = await smile('import', 'catalogue', ...files, '--institution', 'default', '--year', '2026');
    expect(r.err).to.equal('');
    expect(r.code).to.equal(0);
    expect(r.out.at(-1)).to.match(/^imported into default 2026–2027 \(run \d+\): 8 created, 0 updated$/);
    expect(await runs()).to.deep.equal([{ connector: 'sis-csv', trigger: 'cli', state: 'succeeded', created: 8 }]);
    const again = await smile('import', 'catalogue', ...files, '--dry-run', '--year', '2026');
    expect(again.out).to.include('elements: 0 new, 0 changed, 4 unchanged');
  });

  it('bad usage exits with 2 and says why', async () => {
    expect((await smile('import', 'catalogue')).out[0]).to.match(/^usage: smile import catalogue/);
    const missing = await smile('import', 'catalogue', path.join(c.dir, 'nope.csv'));
    expect([missing.code, missing.out[0]]).to.deep.equal([2, `cannot read ${path.join(c.dir, 'nope.csv')}: no such file`]);
    const inst = await smile('import', 'catalogue', path.join(c.dir, 'cours.csv'), '--institution', 'nowhere');
    expect(inst.code).to.equal(2);
    expect(inst.err).to.contain('no institution with the code "nowhere"');
    const year = await smile('import', 'catalogue', path.join(c.dir, 'cours.csv'), '--year', '26');
    expect(year.code).to.equal(2);
  });

  it('with several institutions, --institution says which', async () => {
    await query(`insert into institutions (code, name_fr, name_en) values ('other', 'Autre université', 'Other university')`);
    const r = await smile('import', 'catalogue', path.join(c.dir, 'composantes.csv'), '--dry-run');
    expect(r.code).to.equal(2);
    expect(r.err).to.contain('2 institutions (default, other): name one with --institution CODE');
    const other = await smile('import', 'catalogue', path.join(c.dir, 'composantes.csv'), '--dry-run', '--institution', 'other', '--year', '2026');
    expect(other.code).to.equal(0);
    expect(other.out).to.include('components: 2 new, 0 changed, 0 unchanged').and.include('dry run: nothing was written (other 2026–2027)');
  });

  it('refuses clearly while a server holds the embedded data dir, and changes nothing', async function () {
    if (SERVER_DB) this.skip();
    const server = await startServer(c.dataDir);
    try {
      const r = await smile('import', 'catalogue', path.join(c.dir, 'cours.csv'), '--year', '2026');
      expect(r.code).to.equal(2);
      expect(r.err).to.contain('SMILE_ERR_DATA_DIR_LOCKED').and.contain(`pid ${server.pid}`);
      expect(r.out).to.deep.equal([]);
    } finally {
      await stop(server);
    }
  });

  /** `smile start` in a child process on `data`, resolved once it says it is ready. */
  function startServer(data: string): Promise<ChildProcess> {
    const child = spawn(process.execPath, [path.join(REPO, 'core', 'bin', 'smile.js'), 'start', '--port', '0'], {
      cwd: c.dir,
      env: { ...process.env, ...c.env, NODE_ENV: 'test', SMILE_DATA_DIR: data, SMILE_LOG_LEVEL: 'info', HOST: '127.0.0.1' },
      stdio: ['ignore', 'pipe', 'pipe'],
    });
    let out = '';
    return new Promise((resolve, reject) => {
      child.stdout!.on('data', (d: Buffer) => {
        out += d;
        if (out.includes('"SMILE is ready"')) resolve(child);
      });
      child.stderr!.on('data', (d: Buffer) => (out += d));
      child.on('exit', (code) => reject(new Error(`smile start exited (${code}):\n${out}`)));
    });
  }

  async function stop(child: ChildProcess): Promise<void> {
    if (child.exitCode !== null) return;
    const exited = new Promise((r) => child.once('exit', r));
    child.kill('SIGTERM');
    const timer = setTimeout(() => child.kill('SIGKILL'), 20_000);
    await exited;
    clearTimeout(timer);
  }
});
