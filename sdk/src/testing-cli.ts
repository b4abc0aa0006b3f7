/**
 * Testing helpers for commands: run `smile …` in this process, as an operator would, on a data
 * directory of its own (or a fresh database of the PostgreSQL server named by `DATABASE_URL`).
 * @packageDocumentation
 */
import { randomBytes } from 'node:crypto';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';

/** A fresh database on the PostgreSQL server at `serverUrl`, and how to drop it. */
export async function freshDatabase(serverUrl: string): Promise<{ url: string; drop: () => Promise<void> }> {
  const { default: knexFactory } = await import('knex');
  const name = `smile_test_${randomBytes(5).toString('hex')}`;
  const admin = knexFactory({ client: 'pg', connection: serverUrl, pool: { min: 0, max: 1 } });
  await admin.raw(`create database ${name}`);
  await admin.destroy();
  const u = new URL(serverUrl);
  u.pathname = `/${name}`;
  return {
    url: u.toString(),
    drop: async () => {
      const a = knexFactory({ client: 'pg', connection: serverUrl, pool: { min: 0, max: 1 } });
      await a.raw(`drop database if exists ${name} with (force)`).catch(() => undefined);
      await a.destroy();
    },
  };
}

/** What a command printed and returned. */
export interface TestCliRun {
  /** The exit code. */
  code: number;
  /** Lines printed on standard output. */
  out: string[];
  /** What went to standard error. */
  err: string;
}

/** A place to run commands in tests: see {@link startTestCli}. */
export interface TestCli {
  /** A temporary folder for input files. */
  readonly dir: string;
  /** The embedded data directory the commands use (`<dir>/data`). */
  readonly dataDir: string;
  /** The environment the commands run with (`SMILE_DATA_DIR`, `DATABASE_URL`, …); a child process may reuse it. */
  readonly env: Readonly<Record<string, string>>;
  /** Write `text` to `<dir>/<name>` and return its path. */
  file(name: string, text: string): string;
  /** Run `smile <args>` through the kernel's CLI entry point, with {@link TestCli.env} set meanwhile. */
  run(...args: string[]): Promise<TestCliRun>;
  /** Rows of `sql` on the store the commands used (once they have released it). */
  query(sql: string): Promise<any[]>;
  /** Remove the folder and the database. */
  stop(): Promise<void>;
}

/**
 * A temporary data directory — or, when `DATABASE_URL` is set, a fresh database on that server —
 * for running commands in this process as an operator would.
 */
export async function startTestCli(prefix = 'smile-cli'): Promise<TestCli> {
  const dir = mkdtempSync(path.join(os.tmpdir(), `${prefix}-`));
  const dataDir = path.join(dir, 'data');
  const db = process.env.DATABASE_URL ? await freshDatabase(process.env.DATABASE_URL) : null;
  const env: Record<string, string> = {
    SMILE_DATA_DIR: dataDir, SMILE_CONFIG: '', SMILE_LOG_LEVEL: 'silent', REDIS_URL: '', DATABASE_URL: db?.url ?? '', SMILE_PLUGIN_PATHS: '',
  };
  return {
    dir, dataDir, env,
    file(name, text) {
      writeFileSync(path.join(dir, name), text);
      return path.join(dir, name);
    },
    async run(...args) {
      const { cli } = (await import('@smile/core')) as { cli: (a: string[], out: (l: string) => void, err: (l: string) => void) => Promise<number> };
      const saved: Record<string, string | undefined> = {};
      for (const [k, v] of Object.entries(env)) {
        saved[k] = process.env[k];
        process.env[k] = v;
      }
      const out: string[] = [];
      let err = '';
      try {
        const code = await cli(args, (l) => out.push(l), (l) => (err += `${l}\n`));
        return { code, out, err };
      } finally {
        for (const [k, v] of Object.entries(saved)) {
          if (v === undefined) delete process.env[k];
          else process.env[k] = v;
        }
      }
    },
    async query(sql) {
      if (db) {
        const { default: knexFactory } = await import('knex');
        const k = knexFactory({ client: 'pg', connection: db.url, pool: { min: 0, max: 1 } });
        try {
          return (await k.raw(sql)).rows;
        } finally {
          await k.destroy();
        }
      }
      const { PGlite } = (await import('@electric-sql/pglite')) as any;
      const pg = await PGlite.create(path.join(dataDir, 'pgdata'));
      try {
        return (await pg.query(sql)).rows;
      } finally {
        await pg.close();
      }
    },
    async stop() {
      await db?.drop();
      rmSync(dir, { recursive: true, force: true });
    },
  };
}
