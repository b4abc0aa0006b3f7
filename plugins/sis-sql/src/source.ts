/**
 * The connection to the source database: one knex per run with a single connection, read-only
 * where the driver can say so, a consistent snapshot on PostgreSQL and MySQL, and error messages
 * that never carry the connection string or its password.
 * @packageDocumentation
 */
import knexPkg, { type Knex } from 'knex';
import type { Logger } from '@smile/sdk';
import type { SisSqlSettings } from './settings.js';

const PG = new Set(['pg', 'postgres', 'postgresql', 'pgnative', 'cockroachdb', 'redshift']);
const MYSQL = new Set(['mysql', 'mysql2', 'mariadb']);
const SQLITE = new Set(['sqlite3', 'better-sqlite3']);

/** Thrown when the source cannot be read: the run fails and nothing changes. */
export class SourceError extends Error {
  override readonly name = 'SourceError';
}

/** Secrets of a connection setting: the whole string and the password in it. */
function secretsOf(connection: string): string[] {
  const out = [connection];
  try {
    const u = new URL(connection);
    if (u.password) out.push(u.password, decodeURIComponent(u.password));
  } catch {
    // not a URL (a JSON object, a file path)
  }
  const pw = /"password"\s*:\s*"((?:[^"\\]|\\.)*)"/.exec(connection)?.[1];
  if (pw) out.push(pw);
  return out.filter((s) => s.length >= 3).sort((a, b) => b.length - a.length);
}

/** `message` with the connection string and any password in it replaced by `[redacted]`. */
export function redact(message: string, connection: string | null): string {
  if (!connection) return message;
  let m = message;
  for (const s of secretsOf(connection)) m = m.split(s).join('[redacted]');
  return m;
}

function connectionConfig(settings: SisSqlSettings & { connection: string }): Knex.StaticConnectionConfig | string {
  const raw = settings.connection.trim();
  if (raw.startsWith('{')) {
    try {
      return JSON.parse(raw);
    } catch {
      throw new SourceError('the connection setting starts with "{" but is not valid JSON');
    }
  }
  if (PG.has(settings.client)) {
    return {
      connectionString: raw,
      // the server cancels a query that runs too long, rather than leave it behind us
      statement_timeout: settings.timeoutMs,
      connectionTimeoutMillis: settings.timeoutMs,
      application_name: 'smile-sis-sql',
    } as Knex.PgConnectionConfig;
  }
  if (SQLITE.has(settings.client)) return { filename: raw };
  return raw;
}

/** Open the source (lazily: the first query connects). Destroy it when done. */
export function openSource(settings: SisSqlSettings & { connection: string }, log?: Logger): Knex {
  // knex prints pool errors to the console; they reach the run as thrown errors anyway
  const say = (level: 'debug' | 'warn') => (m: unknown) => log?.[level]({ detail: redact(String(m instanceof Error ? m.message : m), settings.connection) }, 'sis-sql: source driver');
  return knexPkg({
    log: { debug: say('debug'), warn: say('debug'), error: say('debug'), deprecate: say('warn') },
    client: settings.client,
    connection: connectionConfig(settings),
    pool: { min: 0, max: 1 },
    acquireConnectionTimeout: settings.timeoutMs,
    useNullAsDefault: SQLITE.has(settings.client),
  });
}

/**
 * Run `fn` in one read-only transaction: on PostgreSQL and MySQL a REPEATABLE READ snapshot, so
 * the views are read as they were at one instant even when the SIS changes meanwhile.
 */
export async function inSnapshot<T>(db: Knex, client: string, fn: (trx: Knex.Transaction) => Promise<T>): Promise<T> {
  const config: Knex.TransactionConfig = PG.has(client) && client !== 'redshift'
    ? { isolationLevel: 'repeatable read', readOnly: true }
    : MYSQL.has(client) ? { isolationLevel: 'repeatable read', readOnly: true } : {};
  const trx = await db.transaction(config);
  try {
    return await fn(trx);
  } finally {
    // read only: nothing to commit, and a rollback never hides the error that brought us here
    await trx.rollback().catch(() => undefined);
  }
}

/** Can the connection's user change data? (PostgreSQL only: a superuser; `null` when unknown.) */
export async function canWrite(trx: Knex.Transaction, client: string): Promise<boolean | null> {
  if (!PG.has(client) || client === 'redshift') return null;
  const row = (await trx.raw(`select rolsuper from pg_roles where rolname = current_user`)).rows?.[0];
  return row ? !!row.rolsuper : null;
}
