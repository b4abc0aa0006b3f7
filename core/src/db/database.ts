import { mkdirSync, readFileSync, writeFileSync, unlinkSync, existsSync } from 'node:fs';
import path from 'node:path';
import knexPkg from 'knex';
import type { Knex } from 'knex';
import pg from 'pg';
import { SmileError, ErrorCodes } from '@smile/sdk';
import type { Database, TenantDb } from '@smile/sdk';
import { pgliteKnex } from './pglite-client.js';

// Same value types on both databases: bigint (counts, ids) as numbers, numeric as strings.
pg.types.setTypeParser(20, (v: string) => Number(v));

export interface DatabaseHandle extends Database {
  /** Close connections and release the data-dir lock. */
  close(): Promise<void>;
  /** Human description for logs, without credentials. */
  readonly description: string;
}

/**
 * Only one process may open an embedded data directory: PGlite is a single-process database and
 * two writers would corrupt it. The lock file holds the owner's pid; a stale lock (dead pid) is taken over.
 */
function acquireLock(dir: string): () => void {
  const lock = path.join(dir, 'smile.lock');
  if (existsSync(lock)) {
    const pid = Number(readFileSync(lock, 'utf8').trim());
    let alive = false;
    if (Number.isInteger(pid) && pid > 0 && pid !== process.pid) {
      try {
        process.kill(pid, 0);
        alive = true;
      } catch (e) {
        alive = (e as NodeJS.ErrnoException).code === 'EPERM';
      }
    }
    if (alive) {
      throw new SmileError(
        ErrorCodes.DATA_DIR_LOCKED,
        `the embedded database in ${dir} is in use by another SMILE process (pid ${pid}). Stop it first, or run this command against a PostgreSQL server (DATABASE_URL)`,
        { key: 'dataDir' },
      );
    }
  }
  writeFileSync(lock, String(process.pid));
  return () => {
    try {
      if (readFileSync(lock, 'utf8').trim() === String(process.pid)) unlinkSync(lock);
    } catch {
      /* already gone */
    }
  };
}

/**
 * Open the platform database: the PostgreSQL server at `databaseUrl`, or the embedded PGlite
 * database under `<dataDir>/pgdata` (`memory` keeps it in memory, for tests).
 */
export async function openDatabase(opts: { databaseUrl?: string; dataDir: string; memory?: boolean; pool?: number }): Promise<DatabaseHandle> {
  if (opts.databaseUrl) {
    const knex = knexPkg({
      client: 'pg',
      connection: opts.databaseUrl,
      pool: { min: 0, max: opts.pool ?? 10 },
    });
    try {
      await knex.raw('select 1');
    } catch (e) {
      await knex.destroy();
      throw new SmileError(ErrorCodes.DATABASE, `cannot reach PostgreSQL: ${(e as Error).message}`, { key: 'DATABASE_URL', cause: e });
    }
    const u = new URL(opts.databaseUrl);
    return makeHandle(knex, false, `PostgreSQL ${u.host}${u.pathname}`, async () => knex.destroy());
  }
  const { PGlite } = await import('@electric-sql/pglite');
  const { pg_trgm } = await import('@electric-sql/pglite/contrib/pg_trgm');
  const { unaccent } = await import('@electric-sql/pglite/contrib/unaccent');
  let release = () => {};
  let dataPath: string | undefined;
  if (!opts.memory) {
    mkdirSync(opts.dataDir, { recursive: true });
    release = acquireLock(opts.dataDir);
    dataPath = path.join(opts.dataDir, 'pgdata');
  }
  let pglite;
  try {
    pglite = await PGlite.create(dataPath, { extensions: { pg_trgm, unaccent } });
  } catch (e) {
    release();
    throw new SmileError(ErrorCodes.DATABASE, `cannot open the embedded database in ${dataPath ?? 'memory'}: ${(e as Error).message}`, { key: 'dataDir', cause: e });
  }
  const knex = pgliteKnex(pglite);
  return makeHandle(knex, true, `embedded PGlite (${dataPath ?? 'in memory'})`, async () => {
    await knex.destroy();
    await pglite.close();
    release();
  });
}

function makeHandle(knex: Knex, embedded: boolean, description: string, close: () => Promise<void>): DatabaseHandle {
  return {
    knex,
    embedded,
    description,
    forInstitution: (id, trx) => tenantDb(trx ?? knex, id),
    close,
  };
}

/** Build the tenant-bound data access used by every route. See {@link TenantDb}. */
export function tenantDb(knex: Knex | Knex.Transaction, institutionId: number): TenantDb {
  if (!Number.isInteger(institutionId)) throw new SmileError(ErrorCodes.INTERNAL, 'tenantDb needs an institution id');
  return {
    institutionId,
    knex,
    table(table: string) {
      const alias = table.split(/\s+as\s+/i)[1]?.trim() ?? table;
      return knex(table).where(`${alias}.institution_id`, institutionId);
    },
    async insert(table: string, rows: object | object[]) {
      const list = (Array.isArray(rows) ? rows : [rows]).map((r) => ({ ...r, institution_id: institutionId }));
      if (list.length === 0) return [];
      return knex(table).insert(list).returning('*');
    },
    async transaction(fn) {
      if ((knex as Knex.Transaction).isTransaction) return fn(this);
      return (knex as Knex).transaction((trx) => fn(tenantDb(trx, institutionId)));
    },
  };
}
