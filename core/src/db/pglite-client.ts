import { PGlite } from '@electric-sql/pglite';
import knexPkg from 'knex';
import type { Knex } from 'knex';
import { createRequire } from 'node:module';

// knex's PostgreSQL client class is not in its public typings; reuse its SQL compiler and response handling.
const ClientPG = createRequire(import.meta.url)('knex/lib/dialects/postgres/index.js') as new (config: Knex.Config) => any;

/** Type OIDs whose text form we parse the same way as the pg driver is configured (see database.ts). */
const INT8 = 20;
const NUMERIC = 1700;
export const PARSERS = {
  [INT8]: (v: string) => Number(v),
  [NUMERIC]: (v: string) => v,
};

/**
 * A knex client that runs the PostgreSQL dialect on PGlite (PostgreSQL compiled to WASM) in this
 * process. PGlite holds one session, so the pool has exactly one connection; a transaction holds it
 * until it ends.
 */
export class PGliteClient extends (ClientPG as any) {
  constructor(config: Knex.Config & { connection: { pglite: PGlite } }) {
    super({ ...config, pool: { min: 1, max: 1 }, version: '17' });
    (this as any).dialect = 'postgresql';
    (this as any).driverName = 'pglite';
  }

  _driver() {
    return null;
  }

  async acquireRawConnection() {
    const db: PGlite = (this as any).config.connection.pglite;
    await db.waitReady;
    return {
      // the shape knex's postgres client calls: query(config, callback)
      query(cfg: { text: string; values: unknown[] }, cb: (err: unknown, res?: unknown) => void) {
        db.query(cfg.text, cfg.values as any[], { parsers: PARSERS as any }).then(
          (r: any) => cb(null, { rows: r.rows, rowCount: r.rowCount ?? r.affectedRows ?? r.rows.length, command: r.command ?? 'SELECT', fields: r.fields }),
          (e) => cb(e),
        );
      },
      end() {},
      __pglite: true,
    };
  }

  async destroyRawConnection() {}

  validateConnection() {
    return true;
  }

  async checkVersion() {
    return '17';
  }

  _stream(): never {
    throw new Error('streaming queries are not supported on the embedded database');
  }
}

export function pgliteKnex(pglite: PGlite, extra: Partial<Knex.Config> = {}): Knex {
  return knexPkg({ client: PGliteClient as any, connection: { pglite } as any, ...extra });
}
