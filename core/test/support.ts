/**
 * Shared helpers of the kernel test suite: fixtures, temporary stores (an embedded data dir or a
 * fresh database on the PostgreSQL server named by DATABASE_URL), HTTP requests, and the `smile`
 * command run as a child process.
 */
import { spawn, type ChildProcess } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import { cpSync, existsSync, mkdtempSync, rmSync } from 'node:fs';
import { request as httpRequest } from 'node:http';
import os from 'node:os';
import path from 'node:path';
import { expect } from 'chai';
import knexFactory, { type Knex } from 'knex';
import { SmileError } from '@smile/sdk';
import { loadConfig, Platform, type SmileConfig } from '@smile/core';
import { openDatabase } from '../src/db/database.js';

export const REPO = path.resolve(path.dirname(new URL(import.meta.url).pathname), '..', '..');
export const SMILE_BIN = path.join(REPO, 'core', 'bin', 'smile.js');
export const fixture = (name: string) => path.join(REPO, 'core', 'test', 'fixtures', name);
/** The PostgreSQL server of this run, if any (each test gets its own database on it). */
export const SERVER_DB = process.env.DATABASE_URL || undefined;
export const LOG_LEVEL = process.env.SMILE_TEST_LOG ?? 'silent';

const temps: string[] = [];
/** A temporary directory, removed when the test process exits. */
export function tempDir(prefix = 'smile-test-'): string {
  const d = mkdtempSync(path.join(os.tmpdir(), prefix));
  temps.push(d);
  return d;
}
process.on('exit', () => {
  for (const d of temps) rmSync(d, { recursive: true, force: true });
});

/** A new database on the server, dropped by `drop()`. */
export async function freshDatabase(): Promise<{ url: string; name: string; drop(force?: boolean): Promise<void> }> {
  const name = `smile_coretest_${randomBytes(5).toString('hex')}`;
  const admin = () => knexFactory({ client: 'pg', connection: SERVER_DB, pool: { min: 0, max: 1 } });
  const a = admin();
  await a.raw(`create database ${name}`);
  await a.destroy();
  const u = new URL(SERVER_DB!);
  u.pathname = `/${name}`;
  return {
    url: u.toString(),
    name,
    async drop(force = true) {
      const k = admin();
      try {
        await k.raw(`drop database if exists ${name}${force ? ' with (force)' : ''}`);
      } finally {
        await k.destroy();
      }
    },
  };
}

// Creating an embedded database (initdb in WASM) takes seconds; do it once and copy it.
let pristine: Promise<string> | undefined;
function pristinePgdata(): Promise<string> {
  pristine ??= (async () => {
    const dir = path.join(tempDir('smile-pgdata-'), 'pgdata');
    const { PGlite } = await import('@electric-sql/pglite');
    const db = await PGlite.create(dir);
    await db.close();
    return dir;
  })();
  return pristine;
}

/** A data dir holding an empty embedded database (never opened by a SMILE process yet). */
export async function embeddedDataDir(): Promise<string> {
  const dir = tempDir('smile-data-');
  cpSync(await pristinePgdata(), path.join(dir, 'pgdata'), { recursive: true });
  return dir;
}

/** Where a test keeps its data: an embedded data dir, or a database of its own on the server. */
export interface Store {
  dataDir: string;
  databaseUrl?: string;
  /** Environment for a `smile` child process using this store. */
  env: Record<string, string>;
  /** Run `fn` with a connection to the store (the embedded data dir must not be in use). */
  query<T>(fn: (knex: Knex) => Promise<T>): Promise<T>;
  /** Assert that no process of this test holds the store any more (lock file, connections). */
  expectReleased(): Promise<void>;
  dispose(): Promise<void>;
}

export async function createStore(): Promise<Store> {
  if (SERVER_DB) {
    const db = await freshDatabase();
    const dataDir = tempDir('smile-data-');
    return {
      dataDir,
      databaseUrl: db.url,
      env: { DATABASE_URL: db.url, SMILE_DATA_DIR: dataDir },
      async query(fn) {
        const k = knexFactory({ client: 'pg', connection: db.url, pool: { min: 0, max: 1 } });
        try {
          return await fn(k);
        } finally {
          await k.destroy();
        }
      },
      async expectReleased() {
        const k = knexFactory({ client: 'pg', connection: SERVER_DB, pool: { min: 0, max: 1 } });
        try {
          const { rows } = await k.raw('select count(*)::int as n from pg_stat_activity where datname = ?', [db.name]);
          expect(rows[0].n, `connections left open to ${db.name}`).to.equal(0);
        } finally {
          await k.destroy();
        }
      },
      dispose: () => db.drop(),
    };
  }
  const dataDir = await embeddedDataDir();
  return {
    dataDir,
    env: { DATABASE_URL: '', SMILE_DATA_DIR: dataDir },
    async query(fn) {
      const h = await openDatabase({ dataDir });
      try {
        return await fn(h.knex);
      } finally {
        await h.close();
      }
    },
    async expectReleased() {
      expect(existsSync(path.join(dataDir, 'smile.lock')), 'the data dir lock was left behind').to.equal(false);
    },
    async dispose() {
      rmSync(dataDir, { recursive: true, force: true });
    },
  };
}

/** A configuration as an operator would write it, pointed at `store`. */
export function configFor(
  store: { dataDir: string; databaseUrl?: string },
  o: { pluginPaths?: string[]; settings?: Record<string, Record<string, unknown>>; env?: NodeJS.ProcessEnv; extra?: Record<string, unknown> } = {},
): SmileConfig {
  return loadConfig({
    env: { NODE_ENV: 'test', SMILE_CONFIG: '', ...o.env },
    overrides: {
      port: 0,
      host: '127.0.0.1',
      logLevel: LOG_LEVEL as SmileConfig['logLevel'],
      dataDir: store.dataDir,
      databaseUrl: store.databaseUrl,
      plugins: { paths: o.pluginPaths ?? [], disabled: [], settings: o.settings ?? {} },
      ...o.extra,
    },
  });
}

/** Await a promise that must reject with a SmileError, and return it. */
export async function expectSmileError(p: Promise<unknown>, want: { code: string; plugin?: string; key?: string; message?: RegExp | string }): Promise<SmileError> {
  let err: unknown;
  try {
    await p;
  } catch (e) {
    err = e;
  }
  expect(err, 'expected a rejection').to.be.instanceOf(SmileError);
  const e = err as SmileError;
  expect(e.code, e.message).to.equal(want.code);
  if ('plugin' in want) expect(e.plugin, e.message).to.equal(want.plugin);
  if ('key' in want) expect(e.key, e.message).to.equal(want.key);
  if (want.message) {
    if (typeof want.message === 'string') expect(e.message).to.contain(want.message);
    else expect(e.message).to.match(want.message);
  }
  return e;
}

export interface Res {
  status: number;
  headers: Record<string, string | string[] | undefined>;
  text: string;
  json<T = any>(): T;
}

/** One HTTP request (node:http, so that tests can set Host). */
export function http(base: string, method: string, urlPath: string, headers: Record<string, string> = {}, body?: unknown): Promise<Res> {
  const data = body === undefined ? undefined : JSON.stringify(body);
  if (data) headers = { 'content-type': 'application/json', ...headers };
  return new Promise((resolve, reject) => {
    const req = httpRequest(base + urlPath, { method, headers }, (res) => {
      const chunks: Buffer[] = [];
      res.on('data', (c: Buffer) => chunks.push(c));
      res.on('end', () => {
        const text = Buffer.concat(chunks).toString('utf8');
        resolve({ status: res.statusCode ?? 0, headers: res.headers, text, json: () => JSON.parse(text) });
      });
      res.on('error', reject);
    });
    req.on('error', reject);
    req.end(data);
  });
}

/** Boot a platform on `store` and listen on a free port. */
export async function listening(p: Platform): Promise<string> {
  const { port } = await p.listen({ port: 0, host: '127.0.0.1' });
  return `http://127.0.0.1:${port}`;
}

export { Platform };

/** A promise resolved from the outside (fixtures call `resolve` from job or subscriber handlers). */
export function deferred<T = void>(): { promise: Promise<T>; resolve: (v: T) => void } {
  let resolve!: (v: T) => void;
  const promise = new Promise<T>((r) => (resolve = r));
  return { promise, resolve };
}

/** Environment of a `smile` child process: quiet, no Redis, no config file, plus `env`. */
function childEnv(env: Record<string, string>): NodeJS.ProcessEnv {
  return { ...process.env, NODE_ENV: 'test', SMILE_CONFIG: '', REDIS_URL: '', SMILE_LOG_LEVEL: 'silent', SMILE_PLUGIN_PATHS: '', ...env };
}

/** Run `smile <args>` to completion. */
export function runSmile(args: string[], env: Record<string, string>, cwd = os.tmpdir()): Promise<{ code: number | null; stdout: string; stderr: string }> {
  return new Promise((resolve, reject) => {
    const child = spawn(process.execPath, [SMILE_BIN, ...args], { cwd, env: childEnv(env), stdio: ['ignore', 'pipe', 'pipe'] });
    let stdout = '';
    let stderr = '';
    child.stdout.on('data', (d) => (stdout += d));
    child.stderr.on('data', (d) => (stderr += d));
    child.on('error', reject);
    child.on('close', (code) => resolve({ code, stdout, stderr }));
  });
}

export interface SmileServer {
  child: ChildProcess;
  port: number;
  url: string;
  /** Output so far. */
  output(): string;
  /** SIGTERM (then SIGKILL if it hangs) this process only; resolves with its exit code. */
  stop(): Promise<number | null>;
}

/** Spawn `smile start --port 0` and resolve once it logs "SMILE is ready" with its port. */
export function startSmile(env: Record<string, string>, cwd = os.tmpdir()): Promise<SmileServer> {
  const child = spawn(process.execPath, [SMILE_BIN, 'start', '--port', '0'], {
    cwd, env: { ...childEnv(env), SMILE_LOG_LEVEL: 'info', HOST: '127.0.0.1' }, stdio: ['ignore', 'pipe', 'pipe'],
  });
  let out = '';
  let buf = '';
  const exited = new Promise<number | null>((r) => child.on('exit', (code) => r(code)));
  const stop = async () => {
    if (child.exitCode === null && child.signalCode === null) {
      child.kill('SIGTERM');
      const t = setTimeout(() => child.kill('SIGKILL'), 20_000);
      const code = await exited;
      clearTimeout(t);
      return code;
    }
    return child.exitCode;
  };
  return new Promise((resolve, reject) => {
    child.stderr!.on('data', (d) => (out += d));
    child.stdout!.on('data', (d: Buffer) => {
      out += d;
      buf += d;
      let i: number;
      while ((i = buf.indexOf('\n')) >= 0) {
        const line = buf.slice(0, i);
        buf = buf.slice(i + 1);
        try {
          const j = JSON.parse(line);
          if (j.msg === 'SMILE is ready') resolve({ child, port: j.port, url: `http://127.0.0.1:${j.port}`, output: () => out, stop });
        } catch {
          /* not a log line */
        }
      }
    });
    void exited.then((code) => reject(new Error(`smile start exited (${code}) before it was ready:\n${out}`)));
  });
}
