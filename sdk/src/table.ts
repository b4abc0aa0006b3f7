/**
 * Server-side tables: one spec per list (columns, filters, search, sort, paging), its state read from
 * the URL, and links that change one thing and keep the rest. The SQL side is in `table-query.ts`,
 * the markup in the core partial `core/table` (see {@link renderTable}).
 * @packageDocumentation
 */
import { z } from 'zod';
import type { Bilingual, RequestContext } from './plugin.js';
import type { TableResult } from './table-query.js';

/** How a column's values are shown (default formatting, alignment) and sorted. */
export type TableColumnType = 'text' | 'number' | 'date' | 'datetime' | 'boolean';

/** One column of a table. `Row` is the shape of the rows the base query selects. */
export interface TableColumn<Row = Record<string, any>> {
  /** Output column name in the base query's rows (also the sort parameter value). */
  key: string;
  label: Bilingual;
  /** Default `text`: text columns sort and search accent- and case-insensitively. */
  type?: TableColumnType;
  sortable?: boolean;
  /** First direction when a person sorts on this column (default `asc`; `desc` suits dates). */
  firstDir?: 'asc' | 'desc';
  /**
   * SQL for sorting, searching and filtering on this column, written by the plugin author (never
   * user input). It is evaluated over the base query's output columns; a plain name (`visitor_name`)
   * is quoted as an identifier, anything else is used as an expression. Default: `key`.
   */
  sql?: string;
  /** Text of a cell (escaped when rendered). Default: numbers and dates formatted for `lang`. */
  format?: (value: unknown, row: Row, lang: 'fr' | 'en') => string;
  /** Make the cell a link to this URL (escaped when rendered); `null` for no link. */
  href?: (row: Row, lang: 'fr' | 'en') => string | null;
}

/** An option of a `select` filter. */
export interface TableFilterOption {
  value: string;
  label: Bilingual;
}

/** A filter control above the table. */
export interface TableFilter {
  /** URL parameter (after the table's `prefix`); for `range`, `<key>_min` and `<key>_max`. */
  key: string;
  label: Bilingual;
  /** `select`: one of `options`; `text`: contains; `boolean`: yes/no/any; `range`: min and/or max. */
  type: 'select' | 'text' | 'boolean' | 'range';
  options?: TableFilterOption[];
  /** For `range`: compare numbers (default) or dates (`YYYY-MM-DD`, max inclusive). */
  valueType?: 'number' | 'date';
  /** SQL the filter applies to (same rules as {@link TableColumn.sql}). Default: `key`. */
  sql?: string;
}

/** What {@link defineTable} takes. */
export interface TableSpecInput<Row = Record<string, any>> {
  /** HTML id of the table region (`[a-z][a-z0-9-]*`), unique on the page; also the htmx target. */
  id: string;
  /** Accessible name of the table (its `<caption>`). */
  caption: Bilingual;
  columns: TableColumn<Row>[];
  filters?: TableFilter[];
  /** Free-text search: every word must match one of these SQL columns (same rules as `sql`). */
  search?: { columns: string[] };
  defaultSort: { key: string; dir?: 'asc' | 'desc' };
  /** Allowed page sizes (default `[10, 25, 50, 100]`). */
  pageSizes?: number[];
  /** Default page size (default 25 if allowed, else the first size). */
  pageSize?: number;
  /** SQL of a unique output column (e.g. `id`), added to every sort so pages never overlap. */
  uniqueKey?: string;
  /** Prefix of every URL parameter, for two tables on one page (e.g. `g_`). Default none. */
  prefix?: string;
}

/** A validated table spec, made by {@link defineTable}. */
export interface TableSpec<Row = Record<string, any>> extends Readonly<Omit<TableSpecInput<Row>, 'filters' | 'pageSizes' | 'pageSize' | 'prefix'>> {
  readonly filters: readonly TableFilter[];
  readonly pageSizes: readonly number[];
  readonly pageSize: number;
  readonly prefix: string;
}

/** The state of a table, as read from the URL by {@link parseTableState}. */
export interface TableState {
  /** Search text (trimmed, at most 200 characters; '' for none). */
  q: string;
  /** Filter values by parameter name (without prefix): `key`, or `key_min` / `key_max` for ranges. */
  filters: Readonly<Record<string, string>>;
  sort: string;
  dir: 'asc' | 'desc';
  /** 1-based page. */
  page: number;
  size: number;
  /** Other URL parameters of the page, kept in links and forms (at most 20). */
  extra: Readonly<Record<string, string>>;
  /** The spec's parameter prefix. */
  prefix: string;
}

/** Changes for {@link tableUrl}. `filters` are merged; a filter set to '' or `undefined` is removed. */
export interface TableChanges {
  q?: string;
  filters?: Record<string, string | undefined>;
  sort?: string;
  dir?: 'asc' | 'desc';
  page?: number;
  size?: number;
}

const ID = /^[a-z][a-z0-9-]{0,62}$/;
const PARAM = /^[a-z][a-z0-9_]{0,40}$/;
/** Names the core uses on every page (`lang`) or that the table itself uses. */
const RESERVED = ['lang', '_csrf'];
const MAX_TEXT = 200;
const MAX_EXTRA = 20;

/** The URL parameter names of a spec. */
export function tableParams(spec: { prefix: string }): { q: string; sort: string; dir: string; page: string; size: string } {
  const p = spec.prefix;
  return { q: `${p}q`, sort: `${p}sort`, dir: `${p}dir`, page: `${p}page`, size: `${p}size` };
}

/** Parameter names (without prefix) of a filter: one, or `_min`/`_max` for ranges. */
export function filterParamNames(f: TableFilter): string[] {
  return f.type === 'range' ? [`${f.key}_min`, `${f.key}_max`] : [f.key];
}

/**
 * Define a table. Checks the spec once, at definition time: ids and keys must be simple names,
 * the default sort must be a sortable column, filter parameters must not clash with the table's
 * own (`q`, `sort`, `dir`, `page`, `size`) nor with the core's `lang`.
 * @example
 * const greetings = defineTable({
 *   id: 'hello-greetings', caption: { fr: 'Bonjours', en: 'Greetings' },
 *   columns: [{ key: 'visitor_name', label: { fr: 'Nom', en: 'Name' }, sortable: true }],
 *   filters: [{ key: 'language', label: { fr: 'Langue', en: 'Language' }, type: 'select', options: [...] }],
 *   search: { columns: ['visitor_name'] }, defaultSort: { key: 'visitor_name' }, uniqueKey: 'id',
 * });
 * @throws TypeError when the spec is inconsistent.
 */
export function defineTable<Row = Record<string, any>>(input: TableSpecInput<Row>): TableSpec<Row> {
  const fail = (msg: string): never => {
    throw new TypeError(`defineTable(${input.id}): ${msg}`);
  };
  if (!ID.test(input.id ?? '')) fail('id must match [a-z][a-z0-9-]*');
  const prefix = input.prefix ?? '';
  if (prefix && !/^[a-z][a-z0-9]{0,9}_$/.test(prefix)) fail('prefix must be letters/digits followed by "_"');
  if (!input.columns?.length) fail('at least one column is needed');
  const keys = new Set<string>();
  for (const c of input.columns) {
    if (!PARAM.test(c.key)) fail(`column key "${c.key}" must match [a-z][a-z0-9_]*`);
    if (keys.has(c.key)) fail(`duplicate column "${c.key}"`);
    keys.add(c.key);
  }
  const sort = input.columns.find((c) => c.key === input.defaultSort?.key);
  if (!sort?.sortable) fail(`defaultSort "${input.defaultSort?.key}" must be a sortable column`);
  const names = new Set([...Object.values(tableParams({ prefix })), ...RESERVED]);
  for (const f of input.filters ?? []) {
    if (!PARAM.test(f.key)) fail(`filter key "${f.key}" must match [a-z][a-z0-9_]*`);
    if (!['select', 'text', 'boolean', 'range'].includes(f.type)) fail(`filter "${f.key}" has an unknown type`);
    if (f.type === 'select' && !f.options?.length) fail(`select filter "${f.key}" needs options`);
    for (const n of filterParamNames(f)) {
      if (names.has(prefix + n)) fail(`filter parameter "${prefix + n}" clashes with another parameter`);
      names.add(prefix + n);
    }
  }
  if (input.search && !input.search.columns.length) fail('search needs at least one column');
  const pageSizes = input.pageSizes ?? [10, 25, 50, 100];
  if (!pageSizes.length || pageSizes.some((n) => !Number.isInteger(n) || n < 1 || n > 1000)) fail('pageSizes must be integers from 1 to 1000');
  const pageSize = input.pageSize ?? (pageSizes.includes(25) ? 25 : pageSizes[0]!);
  if (!pageSizes.includes(pageSize)) fail('pageSize must be one of pageSizes');
  return Object.freeze({ ...input, filters: Object.freeze([...(input.filters ?? [])]), pageSizes: Object.freeze([...pageSizes]), pageSize, prefix });
}

/** First value of a query parameter, without control characters (PostgreSQL refuses NUL bytes). */
const one = z.preprocess((v) => {
  const s = Array.isArray(v) ? v[0] : v;
  if (typeof s !== 'string' && typeof s !== 'number') return undefined;
  const clean = String(s).replace(/[\u0000-\u001f\u007f]/g, ' ').trim();
  return clean === '' ? undefined : clean;
}, z.string().optional());

const text = one.transform((s) => (s ?? '').slice(0, MAX_TEXT));
const dateSchema = z.string().regex(/^\d{4}-\d{2}-\d{2}$/).refine((s) => {
  const d = new Date(`${s}T00:00:00Z`);
  return !Number.isNaN(d.getTime()) && d.toISOString().startsWith(s);
});

function filterSchema(f: TableFilter): z.ZodType<string | undefined> {
  switch (f.type) {
    case 'select': {
      const values = new Set(f.options!.map((o) => o.value));
      return one.refine((v) => v === undefined || values.has(v)).catch(undefined);
    }
    case 'boolean':
      return one
        .transform((v) => (v === undefined ? undefined : ['true', '1', 'yes', 'on'].includes(v) ? 'true' : ['false', '0', 'no', 'off'].includes(v) ? 'false' : null))
        .refine((v) => v !== null)
        .catch(undefined) as z.ZodType<string | undefined>;
    case 'text':
      return text.transform((v) => v || undefined).catch(undefined);
    case 'range':
      return f.valueType === 'date'
        ? one.pipe(dateSchema.optional()).catch(undefined)
        : one.pipe(z.coerce.number<string>().finite().min(-1e15).max(1e15).optional()).transform((n) => (n === undefined ? undefined : String(n))).catch(undefined);
  }
}

/**
 * Read a table's state from a request's query (`ctx.query`). Never throws: a bad or unknown value
 * falls back to its default (page 1, default size, default sort; an invalid filter is ignored),
 * so any URL a person edits or bookmarks renders a page. Parameters that are not the table's are
 * kept in `extra`, so that links and the search form keep them.
 */
export function parseTableState(spec: TableSpec<any>, query: Record<string, unknown>): TableState {
  const p = tableParams(spec);
  const sortable = new Map(spec.columns.filter((c) => c.sortable).map((c) => [c.key, c]));
  const sortRaw = one.catch(undefined).parse(query[p.sort]);
  const sortCol = sortRaw !== undefined ? sortable.get(sortRaw) : undefined;
  const sort = sortCol ? sortCol.key : spec.defaultSort.key;
  const fallbackDir = sortCol && sortCol.key !== spec.defaultSort.key ? (sortCol.firstDir ?? 'asc') : (spec.defaultSort.dir ?? 'asc');
  const filters: Record<string, string> = {};
  const own = new Set<string>(Object.values(p));
  for (const f of spec.filters) {
    for (const n of filterParamNames(f)) {
      own.add(spec.prefix + n);
      const v = filterSchema(f).parse(query[spec.prefix + n]);
      if (v !== undefined) filters[n] = v;
    }
  }
  const extra: Record<string, string> = {};
  for (const [k, v] of Object.entries(query)) {
    if (own.has(k) || RESERVED.includes(k) || !/^[A-Za-z0-9_.-]{1,64}$/.test(k) || Object.keys(extra).length >= MAX_EXTRA) continue;
    const s = text.catch('').parse(v);
    if (s) extra[k] = s;
  }
  return {
    q: text.catch('').parse(query[p.q]),
    filters,
    sort,
    dir: one.pipe(z.enum(['asc', 'desc']).optional()).catch(undefined).parse(query[p.dir]) ?? fallbackDir,
    page: one.pipe(z.coerce.number<string>().int().min(1).max(1_000_000).optional()).catch(undefined).parse(query[p.page]) ?? 1,
    size: one.pipe(z.coerce.number<string>().int().refine((n) => spec.pageSizes.includes(n)).optional()).catch(undefined).parse(query[p.size]) ?? spec.pageSize,
    extra,
    prefix: spec.prefix,
  };
}

/** `true` when any search text or filter is active. */
export function isFiltered(state: TableState): boolean {
  return state.q !== '' || Object.keys(state.filters).length > 0;
}

/**
 * A link to the table with `changes` applied and everything else kept (search, filters, sort, page
 * size and the page's other parameters). Changing anything but `page` goes back to page 1.
 * Returns `baseUrl?query`; with no `baseUrl`, a relative `?query` link to the current page.
 * @example tableUrl(state, { sort: 'visitor_name', dir: 'desc' }, '/hello/all')
 */
export function tableUrl(state: TableState, changes: TableChanges = {}, baseUrl = ''): string {
  const p = tableParams(state);
  const filters: Record<string, string | undefined> = { ...state.filters, ...changes.filters };
  const resetPage = Object.keys(changes).some((k) => k !== 'page' && (changes as Record<string, unknown>)[k] !== undefined);
  const page = changes.page ?? (resetPage ? 1 : state.page);
  const qs = new URLSearchParams();
  for (const [k, v] of Object.entries(state.extra)) qs.append(k, v);
  const q = changes.q ?? state.q;
  if (q) qs.append(p.q, q);
  for (const [k, v] of Object.entries(filters)) if (v !== undefined && v !== '') qs.append(state.prefix + k, v);
  qs.append(p.sort, changes.sort ?? state.sort);
  qs.append(p.dir, changes.dir ?? state.dir);
  qs.append(p.size, String(changes.size ?? state.size));
  if (page > 1) qs.append(p.page, String(page));
  return `${baseUrl}?${qs.toString()}`;
}

/**
 * Does this request ask for the table region only? That is an htmx request (`HX-Request: true`)
 * whose `HX-Target` names the region: htmx 4 sends `div#<id>`, htmx 2 sends `<id>`.
 */
export function isTableRegionRequest(ctx: Pick<RequestContext, 'koa'>, spec: Pick<TableSpec<any>, 'id'>): boolean {
  if (ctx.koa.get('HX-Request') !== 'true') return false;
  const target = ctx.koa.get('HX-Target');
  const id = target.includes('#') ? target.slice(target.indexOf('#') + 1) : target;
  try {
    return decodeURI(id) === spec.id;
  } catch {
    return false;
  }
}

/** Options of {@link renderTable}. */
export interface RenderTableOptions {
  /** The page view (`<plugin-id>/<view>`) that includes `core/table`. */
  view: string;
  /** What {@link applyTable} returned. */
  table: TableResult<any>;
  /** Path of the page, used by the search form and links. Default: the request path. */
  baseUrl?: string;
  /** More locals for the page view (e.g. `title`). */
  locals?: Record<string, unknown>;
}

/**
 * Render a page holding a table. A full request (or an htmx request aimed elsewhere) renders
 * `view` with `table`, `spec` and `baseUrl` in its locals; the view includes the partial with
 * `<%- await include('core/table', { table, spec, baseUrl }) %>`. An htmx request whose
 * `HX-Target` is the table region ({@link isTableRegionRequest}) gets the region alone, plus the
 * result count as an out-of-band swap. The response varies on `HX-Target` as well as `HX-Request`.
 */
export async function renderTable(ctx: RequestContext<any, any, any>, opts: RenderTableOptions): Promise<void> {
  const baseUrl = opts.baseUrl ?? ctx.koa.path;
  const locals = { table: opts.table, spec: opts.table.spec, baseUrl };
  ctx.koa.vary('HX-Target');
  if (isTableRegionRequest(ctx, opts.table.spec)) await ctx.render('core/table', { ...locals, fragment: true });
  else await ctx.render(opts.view, { ...opts.locals, ...locals });
}
