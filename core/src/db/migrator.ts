import { existsSync, readdirSync } from 'node:fs';
import path from 'node:path';
import { pathToFileURL } from 'node:url';
import type { Knex } from 'knex';
import { SmileError, ErrorCodes } from '@smile/sdk';

/** A migration module: `up` and `down`, each given the transaction. */
export interface MigrationModule {
  up(knex: Knex): Promise<void>;
  down(knex: Knex): Promise<void>;
}

/** Where one owner (core or a plugin) keeps its migrations. */
export interface MigrationSource {
  owner: string;
  dir: string;
}

export interface MigrationInfo {
  /** `<owner>/<file without extension>` */
  name: string;
  owner: string;
  file: string;
}

export interface MigrationStatus extends MigrationInfo {
  applied: boolean;
  batch: number | null;
  migratedAt: Date | null;
}

const TABLE = 'smile_migrations';
// arbitrary constant: serialises concurrent migrators (two servers booting at once)
const LOCK_KEY = 7_263_451;

function list(source: MigrationSource): MigrationInfo[] {
  if (!existsSync(source.dir)) return [];
  return readdirSync(source.dir)
    .filter((f) => /\.(ts|js|mjs)$/.test(f) && !f.endsWith('.d.ts') && !f.includes('.test.'))
    .sort()
    .map((f) => ({ name: `${source.owner}/${f.replace(/\.(ts|js|mjs)$/, '')}`, owner: source.owner, file: path.join(source.dir, f) }));
}

async function ensureTable(knex: Knex) {
  await knex.raw(`create table if not exists ${TABLE} (
    name text primary key,
    owner text not null,
    batch integer not null,
    migrated_at timestamptz not null default now()
  )`);
}

async function load(info: MigrationInfo): Promise<MigrationModule> {
  const mod = await import(pathToFileURL(info.file).href);
  if (typeof mod.up !== 'function' || typeof mod.down !== 'function') {
    throw new SmileError(ErrorCodes.MIGRATION_FAILED, `migration ${info.name} must export up() and down()`, { plugin: info.owner, key: info.name });
  }
  return mod;
}

/**
 * Migrations of all sources (in the given order, i.e. dependency order) with their state.
 * Read-only: on a database never migrated, everything is pending.
 */
export async function migrationStatus(knex: Knex, sources: MigrationSource[]): Promise<MigrationStatus[]> {
  const rows: { name: string; batch: number; migrated_at: Date }[] = (await knex.schema.hasTable(TABLE)) ? await knex(TABLE).select('*') : [];
  const done = new Map(rows.map((r) => [r.name, r]));
  return sources.flatMap(list).map((m) => {
    const d = done.get(m.name);
    return { ...m, applied: !!d, batch: d?.batch ?? null, migratedAt: d?.migrated_at ?? null };
  });
}

/**
 * Apply every pending migration, owner by owner in the given order, in ONE transaction:
 * if any migration fails, none of this run's changes remain.
 */
export async function migrateUp(knex: Knex, sources: MigrationSource[], log?: (msg: string) => void): Promise<string[]> {
  await ensureTable(knex);
  const pending = (await migrationStatus(knex, sources)).filter((m) => !m.applied);
  if (pending.length === 0) return [];
  const modules = new Map<string, MigrationModule>();
  for (const m of pending) modules.set(m.name, await load(m));
  await knex.transaction(async (trx) => {
    await trx.raw('select pg_advisory_xact_lock(?)', [LOCK_KEY]);
    const { rows } = await trx.raw(`select coalesce(max(batch), 0) + 1 as b from ${TABLE}`);
    const batch = Number(rows[0].b);
    const already = new Set((await trx(TABLE).pluck('name')) as string[]);
    for (const m of pending) {
      if (already.has(m.name)) continue; // another process applied it while we waited for the lock
      try {
        await modules.get(m.name)!.up(trx);
      } catch (e) {
        throw new SmileError(ErrorCodes.MIGRATION_FAILED, `migration ${m.name} failed, nothing was applied: ${(e as Error).message}`, {
          plugin: m.owner,
          key: m.name,
          cause: e,
        });
      }
      await trx(TABLE).insert({ name: m.name, owner: m.owner, batch });
      log?.(`migrated ${m.name}`);
    }
  });
  return pending.map((m) => m.name);
}

/**
 * Revert the last batch (or, with `owner`, that owner's migrations of its last batch), newest first,
 * in one transaction.
 */
export async function migrateDown(knex: Knex, sources: MigrationSource[], opts: { owner?: string; all?: boolean } = {}, log?: (msg: string) => void): Promise<string[]> {
  const status = await migrationStatus(knex, sources);
  let applied = status.filter((m) => m.applied && (!opts.owner || m.owner === opts.owner));
  if (!opts.all) {
    const last = Math.max(0, ...applied.map((m) => m.batch ?? 0));
    applied = applied.filter((m) => m.batch === last);
  }
  const todo = applied.reverse();
  if (todo.length === 0) return [];
  const modules = new Map<string, MigrationModule>();
  for (const m of todo) modules.set(m.name, await load(m));
  await knex.transaction(async (trx) => {
    await trx.raw('select pg_advisory_xact_lock(?)', [LOCK_KEY]);
    for (const m of todo) {
      try {
        await modules.get(m.name)!.down(trx);
      } catch (e) {
        throw new SmileError(ErrorCodes.MIGRATION_FAILED, `reverting ${m.name} failed, nothing was reverted: ${(e as Error).message}`, { plugin: m.owner, key: m.name, cause: e });
      }
      await trx(TABLE).where({ name: m.name }).del();
      log?.(`reverted ${m.name}`);
    }
  });
  return todo.map((m) => m.name);
}
