/**
 * The SQL side of server-side tables: search, filters, sort and paging applied to a knex query,
 * with every user value bound as a parameter.
 * @packageDocumentation
 */
import type { Knex } from 'knex';
import type { TableColumn, TableSpec, TableState } from './table.js';
import { buildTableView, type TableView, type TableViewOptions } from './table-view.js';

/** What {@link applyTable} returns: one page of rows and what the partial needs to show it. */
export interface TableResult<Row = Record<string, any>> {
  /** The rows of the page, as the base query selects them. */
  rows: Row[];
  /** Number of rows matching the search and filters, all pages together. */
  total: number;
  /** The page shown (1-based, within `1..pageCount`). */
  page: number;
  /** Number of pages (at least 1). */
  pageCount: number;
  /** Position of the first and last row shown (1-based; both 0 when there are none). */
  from: number;
  to: number;
  /** The state actually applied (`page` brought within range). */
  state: TableState;
  spec: TableSpec<Row>;
  /** Everything the `core/table` partial shows, ready to print (texts, links, formatted cells). */
  view(opts: TableViewOptions): TableView;
}

/** Alias of the base query inside the table's queries: `sql` expressions see its output columns. */
export const TABLE_ALIAS = 'smile_t';
const IDENT = /^[A-Za-z_][A-Za-z0-9_]*$/;
const MAX_TERMS = 8;
/** Lower-case letters with diacritics and their base letters, for databases without `unaccent`. */
const ACCENTED = 'àáâãäåāăąçćĉčďđèéêëēĕėęěĝğġģĥìíîïĩīĭįıĵķĺļľŀłñńņňòóôõöøōŏőŕŗřśŝşšţťùúûüũūŭůűųŵýÿŷźżž';
const STROKED: Record<string, string> = { 'đ': 'd', 'ı': 'i', 'ŀ': 'l', 'ł': 'l', 'ø': 'o' };
const BASE = [...ACCENTED].map((c) => STROKED[c] ?? c.normalize('NFD')[0]).join('');

/** A piece of SQL with its `?` / `??` bindings, in order. */
export interface SqlPart {
  sql: string;
  bindings: unknown[];
}

/** How text is compared: through `unaccent` when installed, else `translate` on common accents. */
export type TextFold = { kind: 'unaccent'; schema: string } | { kind: 'translate' };

/** SQL for a column reference: a plain name is quoted as an identifier of the base query. */
export function columnSql(expr: string): SqlPart {
  return IDENT.test(expr) ? { sql: '??', bindings: [`${TABLE_ALIAS}.${expr}`] } : { sql: `(${expr})`, bindings: [] };
}

/** Lower-cased, accent-free form of `part` (a column or a bound value). */
export function foldSql(part: SqlPart, fold: TextFold): SqlPart {
  if (fold.kind === 'unaccent') {
    const dict = `"${fold.schema.replace(/"/g, '""')}".unaccent`;
    return { sql: `??.unaccent(?::regdictionary, lower((${part.sql})::text))`, bindings: [fold.schema, dict, ...part.bindings] };
  }
  return { sql: `translate(lower((${part.sql})::text), ?, ?)`, bindings: [...part.bindings, ACCENTED, BASE] };
}

/** Escape LIKE wildcards so that `%`, `_` and `\` match themselves. */
export function escapeLike(s: string): string {
  return s.replace(/[\\%_]/g, (c) => `\\${c}`);
}

const contains = (target: SqlPart, value: string, fold: TextFold): SqlPart => {
  const left = foldSql(target, fold);
  const right = foldSql({ sql: '?', bindings: [`%${escapeLike(value)}%`] }, fold);
  return { sql: `${left.sql} like ${right.sql}`, bindings: [...left.bindings, ...right.bindings] };
};

/** The WHERE conditions of a state (search words, then filters), each a separate AND term. */
export function tableConditions(spec: TableSpec<any>, state: TableState, fold: TextFold): SqlPart[] {
  const out: SqlPart[] = [];
  if (spec.search && state.q) {
    for (const word of state.q.split(/\s+/).filter(Boolean).slice(0, MAX_TERMS)) {
      const ors = spec.search.columns.map((c) => contains(columnSql(c), word, fold));
      out.push({ sql: `(${ors.map((o) => o.sql).join(' or ')})`, bindings: ors.flatMap((o) => o.bindings) });
    }
  }
  for (const f of spec.filters) {
    const col = columnSql(f.sql ?? f.key);
    const v = state.filters[f.key];
    if (f.type === 'select' && v !== undefined) out.push({ sql: `${col.sql} = ?`, bindings: [...col.bindings, v] });
    else if (f.type === 'boolean' && v !== undefined) out.push({ sql: `${col.sql} = ?`, bindings: [...col.bindings, v === 'true'] });
    else if (f.type === 'text' && v !== undefined) out.push(contains(col, v, fold));
    else if (f.type === 'range') {
      const min = state.filters[`${f.key}_min`];
      const max = state.filters[`${f.key}_max`];
      const date = f.valueType === 'date';
      if (min !== undefined) out.push({ sql: `${col.sql} >= ${date ? '?::date' : '?'}`, bindings: [...col.bindings, date ? min : Number(min)] });
      if (max !== undefined) out.push({ sql: date ? `${col.sql} < ?::date + 1` : `${col.sql} <= ?`, bindings: [...col.bindings, date ? max : Number(max)] });
    }
  }
  return out;
}

/** The ORDER BY of a state: text columns accent- and case-insensitively, then the unique key. */
export function tableOrder(spec: TableSpec<any>, state: TableState, fold: TextFold): SqlPart {
  const dir = state.dir === 'desc' ? 'desc' : 'asc';
  const column = spec.columns.find((c) => c.key === state.sort && c.sortable) ?? spec.columns.find((c) => c.key === spec.defaultSort.key)!;
  const col = columnSql(column.sql ?? column.key);
  const parts: SqlPart[] = [];
  if ((column.type ?? 'text') === 'text') parts.push(foldSql(col, fold));
  parts.push(col);
  if (spec.uniqueKey) parts.push(columnSql(spec.uniqueKey));
  return { sql: parts.map((p) => `${p.sql} ${dir} nulls last`).join(', '), bindings: parts.flatMap((p) => p.bindings) };
}

const usesText = (spec: TableSpec<any>, state: TableState): boolean => {
  const sorted: TableColumn | undefined = spec.columns.find((c) => c.key === state.sort);
  return (!!spec.search && state.q !== '') || spec.filters.some((f) => f.type === 'text' && state.filters[f.key] !== undefined) || (sorted?.type ?? 'text') === 'text';
};

/** Is the `unaccent` extension installed in this database? (Checked per call: a catalog lookup.) */
export async function detectTextFold(newQuery: () => Knex.QueryBuilder): Promise<TextFold> {
  const row = await newQuery()
    .select('n.nspname as schema')
    .from('pg_extension as e')
    .join('pg_namespace as n', 'n.oid', 'e.extnamespace')
    .where('e.extname', 'unaccent')
    .first();
  return row?.schema ? { kind: 'unaccent', schema: String(row.schema) } : { kind: 'translate' };
}

/**
 * Run a table's queries on `base`: a count of the matching rows, then one page of them. `base` is
 * any knex query (e.g. `ctx.db.table('x').select(...)`, already filtered on the institution); it is
 * wrapped as a subquery, so search, filters and sort work on its output columns (and on
 * aggregates) and can never loosen its own conditions. Its ORDER BY is replaced by the table's.
 * Search folds case and accents (with `unaccent` when the extension is installed, otherwise
 * `translate` of the common accented letters); user values are always bound parameters.
 * A page past the end shows the last page.
 */
export async function applyTable<Row = Record<string, any>>(base: Knex.QueryBuilder, spec: TableSpec<Row>, state: TableState): Promise<TableResult<Row>> {
  const client = (base as unknown as { client: { queryBuilder(): Knex.QueryBuilder } }).client;
  const newQuery = () => client.queryBuilder();
  const fold: TextFold = usesText(spec, state) ? await detectTextFold(newQuery) : { kind: 'translate' };
  const inner = base.clone().clearOrder();
  const filtered = () => {
    const q = newQuery().from(inner.clone().as(TABLE_ALIAS));
    for (const c of tableConditions(spec, state, fold)) q.whereRaw(c.sql, c.bindings as Knex.RawBinding[]);
    return q;
  };
  const [{ n } = { n: 0 }] = await filtered().count('* as n');
  const total = Number(n);
  const pageCount = Math.max(1, Math.ceil(total / state.size));
  const page = Math.min(state.page, pageCount);
  const order = tableOrder(spec, state, fold);
  const rows = total === 0 ? [] : ((await filtered()
    .select(`${TABLE_ALIAS}.*`)
    .orderByRaw(order.sql, order.bindings as Knex.RawBinding[])
    .limit(state.size)
    .offset((page - 1) * state.size)) as Row[]);
  const applied: TableState = { ...state, page };
  const result: TableResult<Row> = {
    rows,
    total,
    page,
    pageCount,
    from: total === 0 ? 0 : (page - 1) * state.size + 1,
    to: Math.min(total, page * state.size),
    state: applied,
    spec,
    view: (opts) => buildTableView(result, opts),
  };
  return result;
}
