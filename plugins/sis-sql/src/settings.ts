import { secret, z } from '@smile/sdk';

/** knex client names (the driver package must be installed; only `pg` ships with SMILE). */
export const CLIENTS = [
  'pg', 'postgres', 'postgresql', 'pgnative', 'cockroachdb', 'redshift',
  'mysql', 'mysql2', 'mariadb', 'mssql', 'oracledb', 'sqlite3', 'better-sqlite3',
] as const;

/** A table, view or schema name: letters, digits, `_` and `$` (never quoted SQL). */
const identifier = z.string().regex(/^[A-Za-z_][A-Za-z0-9_$]{0,127}$/, 'a name made of letters, digits and _');
/** Five or six cron fields; the catalogue ignores an expression croner cannot read. */
const cron = z.string().regex(/^\s*\S+(\s+\S+){4,5}\s*$/, 'a cron expression with 5 or 6 fields, e.g. "30 2 * * *"');

export const settingsSchema = z.object({
  /** knex client of the source database. */
  client: z.enum(CLIENTS).default('pg'),
  /**
   * Connection to the source: a URL (`postgres://reader:…@sis.example.org/apogee`), a file path
   * for SQLite, or a JSON object of driver options. `null`: the connector is not set up.
   */
  connection: secret(z.string().min(1).nullable().default(null)),
  /** Schema holding the views (default: the connection's search path). */
  schema: identifier.nullable().default(null),
  /** View names; `null` when the source does not expose that part (the elements view is required). */
  componentsView: identifier.nullable().default('smile_components'),
  formationsView: identifier.nullable().default('smile_formations'),
  elementsView: identifier.default('smile_elements'),
  linksView: identifier.nullable().default('smile_element_links'),
  /** Cron expression of the scheduled sync (server time), `null` for manual syncs only. */
  schedule: cron.nullable().default(null),
  /** Rows read per query. */
  batchSize: z.number().int().min(10).max(50_000).default(5000),
  /** Longest wait for the connection and for each query, in milliseconds. */
  timeoutMs: z.number().int().min(500).max(3_600_000).default(60_000),
});

export type SisSqlSettings = z.infer<typeof settingsSchema>;
