/**
 * Reading the documented views into a catalogue batch: inspect each view's columns once, count
 * its rows (for the progress bar), read it page by page in a stable order, and turn each value
 * the catalogue cannot use into a row error naming the view and the record.
 * @packageDocumentation
 */
import type { Knex } from 'knex';
import type { CatalogueBatch, ConnectorResult, RowError } from '@smile/plugin-catalogue';
import type { Logger } from '@smile/sdk';
import type { SisSqlSettings } from './settings.js';
import { SourceError, canWrite, inSnapshot, openSource, redact } from './source.js';
import { bilingual } from './strings.js';
import { readValue, shown } from './values.js';
import { VIEWS, YEAR_COLUMN, qualified, viewName, type ViewSpec } from './views.js';

/** A view as found in the source. */
export interface ViewInfo {
  spec: ViewSpec;
  name: string;
  /** Lower-case column name → the name the source uses (Oracle speaks in capitals). */
  columns: Map<string, string>;
  /** The academic-year column, when the view has one. */
  yearColumn: string | null;
  /** Required columns the view lacks. */
  missing: string[];
  /** Columns the view has that the shape does not know (ignored). */
  ignored: string[];
}

/** Settings with a connection (the connector is configured). */
export type ConfiguredSettings = SisSqlSettings & { connection: string };

/** Find a view and its columns; `null` when the source has no such view (or hides it from this user). */
async function inspect(trx: Knex.Transaction, settings: SisSqlSettings, spec: ViewSpec, name: string): Promise<ViewInfo | null> {
  const builder = settings.schema ? trx.withSchema(settings.schema).table(name) : trx.table(name);
  const info = await builder.columnInfo();
  const actual = Object.keys(info);
  if (actual.length === 0) return null;
  const columns = new Map(actual.map((col) => [col.toLowerCase(), col]));
  const known = new Set([...spec.columns.map((c) => c.column), YEAR_COLUMN]);
  return {
    spec, name, columns,
    yearColumn: columns.get(YEAR_COLUMN) ?? null,
    missing: spec.columns.filter((c) => c.required && !columns.has(c.column)).map((c) => c.column),
    ignored: actual.filter((col) => !known.has(col.toLowerCase())),
  };
}

/** Rows of a view (of `year` when it has an academic-year column). */
function rowsOf(trx: Knex.Transaction, settings: SisSqlSettings, view: ViewInfo, year: number | null): Knex.QueryBuilder {
  const q = settings.schema ? trx.withSchema(settings.schema).from(view.name) : trx.from(view.name);
  // as text: the column may be an integer (2026) or a code (`'2026'`, Apogée's COD_ANU)
  if (year !== null && view.yearColumn) q.where(view.yearColumn, String(year));
  return q;
}

async function count(trx: Knex.Transaction, settings: SisSqlSettings, view: ViewInfo, year: number | null): Promise<number> {
  const [row] = await rowsOf(trx, settings, view, year).count({ n: '*' }).timeout(settings.timeoutMs);
  return Number((row as { n?: unknown } | undefined)?.n ?? 0);
}

/** The views the settings name, inspected (a missing view or required column is a {@link SourceError}). */
async function views(trx: Knex.Transaction, settings: SisSqlSettings): Promise<ViewInfo[]> {
  const out: ViewInfo[] = [];
  for (const spec of VIEWS) {
    const name = viewName(settings, spec);
    if (!name) continue;
    const view = await inspect(trx, settings, spec, name);
    if (!view) throw new SourceError(`the view ${qualified(settings, name)} does not exist, or the connection's user cannot read it`);
    if (view.missing.length) {
      throw new SourceError(`the view ${qualified(settings, name)} lacks the required column${view.missing.length > 1 ? 's' : ''} ${view.missing.join(', ')} (it has ${[...view.columns.keys()].join(', ')})`);
    }
    out.push(view);
  }
  return out;
}

/** Put a value read into a record (`diplomaTypeName.fr` fills a nested object). */
function assign(record: Record<string, unknown>, field: string, value: unknown) {
  const dot = field.indexOf('.');
  if (dot < 0) {
    record[field] = value;
    return;
  }
  if (value === null) return;
  const key = field.slice(0, dot);
  record[key] = { ...(record[key] as object | undefined), [field.slice(dot + 1)]: value };
}

/** One row of a view as a catalogue record; unreadable values go to `errors`. */
function toRecord(view: ViewInfo, settings: SisSqlSettings, row: Record<string, unknown>, line: number, errors: RowError[]): Record<string, unknown> {
  const record: Record<string, unknown> = { line };
  const where = bilingual('record', { view: qualified(settings, view.name), line });
  for (const col of view.spec.columns) {
    const actual = view.columns.get(col.column);
    if (!actual) continue;
    const raw = row[actual];
    const read = readValue(col.type, raw);
    if (read.ok) {
      // a missing code is reported by the catalogue's checks, with the others
      assign(record, col.field, col.required && col.type === 'code' && read.value === null ? '' : read.value);
      continue;
    }
    const code = typeof record.code === 'string' ? record.code : typeof record.childCode === 'string' ? record.childCode : undefined;
    errors.push({
      entity: view.spec.entity, line, code, field: col.field.split('.')[0],
      message: bilingual(`errors.${read.reason}`, { where, column: col.column, value: shown(raw), slot: read.slot ?? '' }),
    });
  }
  return record;
}

/** What a run passes to {@link readCatalogue}. */
export interface ReadOptions {
  year: number;
  log: Logger;
  signal?: AbortSignal;
  progress?: (done: number, total?: number) => void;
}

/**
 * Read the whole catalogue of `year` from the source. Connection and SQL failures (and a view or
 * required column that is missing) throw a {@link SourceError} without the connection string;
 * values that cannot be read are returned as row errors.
 */
export async function readCatalogue(settings: ConfiguredSettings, opts: ReadOptions): Promise<ConnectorResult> {
  const db = openSource(settings, opts.log);
  const started = Date.now();
  try {
    return await inSnapshot(db, settings.client, async (trx) => {
      const found = await views(trx, settings);
      const totals: number[] = [];
      for (const view of found) totals.push(await count(trx, settings, view, opts.year));
      const total = totals.reduce((a, b) => a + b, 0);
      let done = 0;
      opts.progress?.(0, total);
      const batch: CatalogueBatch = { components: [], formations: [], elements: [], links: [] };
      const errors: RowError[] = [];
      for (const view of found) {
        const order = view.spec.order.map((col) => view.columns.get(col)).filter((col): col is string => !!col);
        const select = [...view.spec.columns.map((col) => view.columns.get(col.column)).filter((col): col is string => !!col)];
        const target = batch[view.spec.key] as unknown as Record<string, unknown>[];
        for (let offset = 0; ; offset += settings.batchSize) {
          if (opts.signal?.aborted) throw new SourceError('the sync was cancelled');
          const page = (await rowsOf(trx, settings, view, opts.year)
            .select(select)
            .orderBy(order.map((column) => ({ column, order: 'asc' as const })))
            .limit(settings.batchSize)
            .offset(offset)
            .timeout(settings.timeoutMs)) as Record<string, unknown>[];
          page.forEach((row, i) => target.push(toRecord(view, settings, row, offset + i + 1, errors)));
          done += page.length;
          opts.progress?.(done, Math.max(total, done));
          if (page.length < settings.batchSize) break;
        }
      }
      opts.log.info(
        { views: Object.fromEntries(found.map((v) => [v.spec.key, batch[v.spec.key].length])), errors: errors.length, ms: Date.now() - started },
        'sis-sql: source read',
      );
      return { batch, errors };
    });
  } catch (e) {
    const message = e instanceof Error ? e.message : String(e);
    throw new SourceError(redact(e instanceof SourceError ? message : `the SQL source could not be read: ${message}`, settings.connection));
  } finally {
    await db.destroy().catch(() => undefined);
  }
}

/** A view as `smile sis-sql check` reports it. */
export interface ViewReport {
  key: ViewSpec['key'];
  name: string;
  exists: boolean;
  rows?: number;
  /** Rows of the academic year (views with an `academic_year` column). */
  rowsOfYear?: number;
  recognised: string[];
  missing: string[];
  ignored: string[];
}

/** Connect, inspect every view and count its rows, for IT teams setting the views up. */
export async function describeSource(settings: ConfiguredSettings, year: number): Promise<{ views: ViewReport[]; canWrite: boolean | null }> {
  const db = openSource(settings);
  try {
    return await inSnapshot(db, settings.client, async (trx) => {
      const reports: ViewReport[] = [];
      for (const spec of VIEWS) {
        const name = viewName(settings, spec);
        if (!name) continue;
        const view = await inspect(trx, settings, spec, name);
        if (!view) {
          reports.push({ key: spec.key, name: qualified(settings, name), exists: false, recognised: [], missing: spec.columns.filter((c) => c.required).map((c) => c.column), ignored: [] });
          continue;
        }
        reports.push({
          key: spec.key, name: qualified(settings, name), exists: true,
          rows: await count(trx, settings, view, null),
          rowsOfYear: view.yearColumn ? await count(trx, settings, view, year) : undefined,
          recognised: [...spec.columns.map((c) => c.column), YEAR_COLUMN].filter((col) => view.columns.has(col)),
          missing: view.missing, ignored: view.ignored,
        });
      }
      return { views: reports, canWrite: await canWrite(trx, settings.client) };
    });
  } catch (e) {
    throw new SourceError(redact(`the SQL source could not be read: ${e instanceof Error ? e.message : String(e)}`, settings.connection));
  } finally {
    await db.destroy().catch(() => undefined);
  }
}
