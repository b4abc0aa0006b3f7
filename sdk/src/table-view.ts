/**
 * The view model of a table result: what the `core/table` partial prints, computed here so that the
 * template holds markup only. Texts that are not data go through `t('core:table.…')` in the partial.
 * @packageDocumentation
 */
import type { TableColumn, TableState } from './table.js';
import { filterParamNames, isFiltered, tableParams, tableUrl } from './table.js';
import type { TableResult } from './table-query.js';

type Lang = 'fr' | 'en';

/** Options of {@link buildTableView} (and of `TableResult.view`). */
export interface TableViewOptions {
  lang: Lang;
  /** Path of the page (the form's action and the base of every link). */
  baseUrl: string;
  /** The translation function of the view locals, for boolean cells. */
  t: (key: string, vars?: Record<string, string | number>) => string;
}

/** A column header. */
export interface TableViewHeader {
  key: string;
  label: string;
  numeric: boolean;
  /** Link that sorts on this column (toggles the direction when already sorted); absent if not sortable. */
  href?: string;
  /** `aria-sort` value on the sorted column only. */
  ariaSort?: 'ascending' | 'descending';
}

/** A cell, with its text (to escape) and optional link. */
export interface TableViewCell {
  text: string;
  href: string | null;
  numeric: boolean;
}

/** A filter control with its current value(s). */
export interface TableViewFilter {
  key: string;
  label: string;
  type: 'select' | 'text' | 'boolean' | 'range';
  /** Input name(s): one, or min and max for ranges. */
  names: string[];
  values: string[];
  /** `select` options (the partial adds "any" first; booleans get yes/no in the partial). */
  options: { value: string; label: string }[];
  /** For ranges: `number` or `date` inputs. */
  inputType: 'number' | 'date';
}

/** A pagination entry: a page link, or a gap between non-adjacent pages. */
export type TableViewPage = { kind: 'page'; n: number; label: string; href: string; current: boolean } | { kind: 'gap' };

/** Everything the partial prints. */
export interface TableView {
  id: string;
  caption: string;
  /** The search form's action (the base URL, without query). */
  action: string;
  params: ReturnType<typeof tableParams>;
  state: TableState;
  filtered: boolean;
  /** Key of the result-count text under `core:table.count.` (`none`, `one`, `other`, `range`). */
  countKey: 'none' | 'one' | 'other' | 'range';
  /** Numbers formatted for the language, for the count text. */
  numbers: { total: string; from: string; to: string; page: string; pageCount: string };
  /** Label and direction of the current sort, for the caption. */
  sortedBy: { label: string; dir: 'asc' | 'desc' };
  headers: TableViewHeader[];
  rows: TableViewCell[][];
  pages: TableViewPage[];
  prev: string | null;
  next: string | null;
  filters: TableViewFilter[];
  sizes: { value: number; label: string; selected: boolean }[];
  /** Parameters of the page that are not the table's, kept as hidden fields of the form. */
  hidden: { name: string; value: string }[];
  /** Sort and direction, as fields of the form that live in the region (they change with it). */
  stateFields: { name: string; value: string }[];
  /** Link to the table without search and filters. */
  clearHref: string;
}

const numberFormats = new Map<string, Intl.NumberFormat>();
const dateFormats = new Map<string, Intl.DateTimeFormat>();
/** The platform's locales: French of France, British English (day before month, 24-hour clock). */
const LOCALE: Record<Lang, string> = { fr: 'fr-FR', en: 'en-GB' };
const nf = (lang: Lang) => numberFormats.get(lang) ?? numberFormats.set(lang, new Intl.NumberFormat(LOCALE[lang])).get(lang)!;
const df = (lang: Lang, time: boolean) => {
  const k = `${lang}:${time}`;
  return dateFormats.get(k) ?? dateFormats.set(k, new Intl.DateTimeFormat(LOCALE[lang], time ? { dateStyle: 'medium', timeStyle: 'short' } : { dateStyle: 'medium' })).get(k)!;
};

/** The text of a cell: the column's `format`, else numbers and dates formatted for `lang`. */
export function formatCell(column: TableColumn<any>, row: Record<string, unknown>, opts: Pick<TableViewOptions, 'lang' | 't'>): string {
  const value = row[column.key];
  if (column.format) return column.format(value, row, opts.lang);
  if (value === null || value === undefined) return '';
  const type = column.type ?? 'text';
  if (type === 'boolean') return opts.t(value ? 'core:table.yes' : 'core:table.no');
  if (type === 'number' && (typeof value === 'number' || (typeof value === 'string' && value.trim() !== '' && Number.isFinite(Number(value))))) {
    return nf(opts.lang).format(Number(value));
  }
  if (type === 'date' || type === 'datetime' || value instanceof Date) {
    const d = value instanceof Date ? value : new Date(String(value));
    return Number.isNaN(d.getTime()) ? String(value) : df(opts.lang, type !== 'date').format(d);
  }
  return String(value);
}

/** Page numbers to offer: all when few, else first, last and a window around the current one. */
export function pageWindow(page: number, pageCount: number, around = 1): (number | null)[] {
  if (pageCount <= 5 + 2 * around) return Array.from({ length: pageCount }, (_, i) => i + 1);
  const out: (number | null)[] = [1];
  const start = Math.max(2, page - around);
  const end = Math.min(pageCount - 1, page + around);
  if (start > 2) out.push(start === 3 ? 2 : null);
  for (let i = start; i <= end; i++) out.push(i);
  if (end < pageCount - 1) out.push(end === pageCount - 2 ? pageCount - 1 : null);
  out.push(pageCount);
  return out;
}

/** Build the view model of `result` for one language and page URL. */
export function buildTableView(result: TableResult<any>, opts: TableViewOptions): TableView {
  const { spec, state } = result;
  const { lang, baseUrl } = opts;
  const url = (changes: Parameters<typeof tableUrl>[1]) => tableUrl(state, changes, baseUrl);
  const fmt = (n: number) => nf(lang).format(n);
  const sorted = spec.columns.find((c) => c.key === state.sort) ?? spec.columns[0]!;
  const numeric = (c: TableColumn<any>) => c.type === 'number';
  const headers: TableViewHeader[] = spec.columns.map((c) => {
    const h: TableViewHeader = { key: c.key, label: c.label[lang], numeric: numeric(c) };
    if (c.sortable) {
      const current = c.key === state.sort;
      h.href = url({ sort: c.key, dir: current ? (state.dir === 'asc' ? 'desc' : 'asc') : (c.firstDir ?? 'asc') });
      if (current) h.ariaSort = state.dir === 'asc' ? 'ascending' : 'descending';
    }
    return h;
  });
  const rows = result.rows.map((row) =>
    spec.columns.map((c) => ({ text: formatCell(c, row, opts), href: c.href?.(row, lang) ?? null, numeric: numeric(c) })),
  );
  const pages: TableViewPage[] = pageWindow(result.page, result.pageCount).map((n) =>
    n === null ? { kind: 'gap' } : { kind: 'page', n, label: fmt(n), href: url({ page: n }), current: n === result.page },
  );
  const filters: TableViewFilter[] = spec.filters.map((f) => {
    const names = filterParamNames(f);
    return {
      key: f.key,
      label: f.label[lang],
      type: f.type,
      names: names.map((n) => spec.prefix + n),
      values: names.map((n) => state.filters[n] ?? ''),
      options: (f.options ?? []).map((o) => ({ value: o.value, label: o.label[lang] })),
      inputType: f.valueType === 'date' ? 'date' : 'number',
    };
  });
  const params = tableParams(spec);
  const total = result.total;
  return {
    id: spec.id,
    caption: spec.caption[lang],
    action: baseUrl,
    params,
    state,
    filtered: isFiltered(state),
    countKey: total === 0 ? 'none' : result.pageCount > 1 ? 'range' : total === 1 ? 'one' : 'other',
    numbers: { total: fmt(total), from: fmt(result.from), to: fmt(result.to), page: fmt(result.page), pageCount: fmt(result.pageCount) },
    sortedBy: { label: sorted.label[lang], dir: state.dir },
    headers,
    rows,
    pages,
    prev: result.page > 1 ? url({ page: result.page - 1 }) : null,
    next: result.page < result.pageCount ? url({ page: result.page + 1 }) : null,
    filters,
    sizes: spec.pageSizes.map((n) => ({ value: n, label: fmt(n), selected: n === state.size })),
    hidden: Object.entries(state.extra).map(([name, value]) => ({ name, value })),
    stateFields: [
      { name: params.sort, value: state.sort },
      { name: params.dir, value: state.dir },
    ],
    clearHref: url({ q: '', filters: Object.fromEntries(Object.keys(state.filters).map((k) => [k, undefined])) }),
  };
}
