// `smile import nominations` as an operator runs it: the kernel's CLI entry point in this process, on
// a data dir (or a database of the PostgreSQL server) of its own.
import { randomBytes } from 'node:crypto';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { expect } from 'chai';
import knexFactory from 'knex';
import { cli } from '@smile/core';
import { SEED_HEADER, THREE } from './intake-fixtures.js';

const SERVER_DB = process.env.DATABASE_URL || undefined;

describe('mobility intake: smile import nominations', function () {
  this.timeout(180_000);
  const dir = mkdtempSync(path.join(os.tmpdir(), 'mobility-cli-'));
  const dataDir = path.join(dir, 'data');
  const file = (name: string, text: string) => {
    writeFileSync(path.join(dir, name), text);
    return path.join(dir, name);
  };
  let dbName: string | undefined;
  let env: Record<string, string>;

  async function smile(...args: string[]): Promise<{ code: number; out: string[]; err: string }> {
    const saved: Record<string, string | undefined> = {};
    for (const [k, v] of Object.entries(env)) {
      saved[k] = process.env[k];
      process.env[k] = v;
    }
    const out: string[] = [];
    let err = '';
    try {
      const code = await cli(args, (l: string) => out.push(l), (l: string) => (err += `${l}\n`));
      return { code, out, err };
    } finally {
      for (const [k, v] of Object.entries(saved)) {
        if (v === undefined) delete process.env[k];
        else process.env[k] = v;
      }
    }
  }

  async function files(): Promise<any[]> {
    const sql = 'select first_name, status from mobility_files order by id';
    if (env.DATABASE_URL) {
      const k = knexFactory({ client: 'pg', connection: env.DATABASE_URL, pool: { min: 0, max: 1 } });
      try {
        return (await k.raw(sql)).rows;
      } finally {
        await k.destroy();
      }
    }
    const { PGlite } = await import('@electric-sql/pglite');
    const db = await PGlite.create(path.join(dataDir, 'pgdata'));
    try {
      return (await db.query<any>(sql)).rows;
    } finally {
      await db.close();
    }
  }

  before(async () => {
    env = { SMILE_DATA_DIR: dataDir, SMILE_CONFIG: '', SMILE_LOG_LEVEL: 'silent', REDIS_URL: '', DATABASE_URL: '', SMILE_PLUGIN_PATHS: '' };
    if (SERVER_DB) {
      dbName = `smile_mobcli_${randomBytes(5).toString('hex')}`;
      const admin = knexFactory({ client: 'pg', connection: SERVER_DB, pool: { min: 0, max: 1 } });
      await admin.raw(`create database ${dbName}`);
      await admin.destroy();
      const u = new URL(SERVER_DB);
      u.pathname = `/${dbName}`;
      env.DATABASE_URL = u.toString();
    }
  });
  after(async () => {
    if (dbName) {
      const admin = knexFactory({ client: 'pg', connection: SERVER_DB, pool: { min: 0, max: 1 } });
      await admin.raw(`drop database if exists ${dbName} with (force)`);
      await admin.destroy();
    }
    rmSync(dir, { recursive: true, force: true });
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
    const r = await smile('import', 'nominations', path.join(dir, 'three.csv'), '--institution', 'default', '--exchange-type', 'full-year');
    expect(r.code).to.equal(0);
    expect(r.out.at(-1)).to.equal('2 created, 1 duplicates skipped, 0 possible duplicates (default)');
    expect(await files()).to.deep.equal([{ first_name: 'Anna', status: 'nominated' }, { first_name: 'João', status: 'nominated' }]);
    const again = await smile('import', 'nominations', path.join(dir, 'three.csv'));
    expect(again.out.at(-1)).to.equal('0 created, 3 duplicates skipped, 0 possible duplicates (default)');
    expect((await files()).length).to.equal(2);
  });

  it('bad usage exits with 2 and says why', async () => {
    expect((await smile('import', 'nominations')).out[0]).to.match(/^usage: smile import nominations/);
    const missing = await smile('import', 'nominations', path.join(dir, 'nope.csv'));
    expect([missing.code, missing.out[0]]).to.deep.equal([2, `cannot read ${path.join(dir, 'nope.csv')}: no such file`]);
    const inst = await smile('import', 'nominations', path.join(dir, 'three.csv'), '--institution', 'nowhere');
    expect(inst.code).to.equal(2);
    expect(inst.err).to.contain('no institution with the code "nowhere"');
  });
});
