/**
 * The public search as a URL says it: read leniently from the query string (a value that makes no
 * sense is ignored, never an error), turned into a {@link SearchQuery}, and written back as the
 * shortest URL that gives the same results (the address bar and the paging links use it).
 * @packageDocumentation
 */
import { formField } from '@smile/sdk';
import { SEARCH_PAGE_SIZES, type SearchQuery } from './search.js';
import { SEMESTERS, type Semester } from './types.js';

export const SORTS = ['relevance', 'title', 'code', 'ects'] as const;
export type Sort = (typeof SORTS)[number];
export const DEFAULT_PAGE_SIZE = 20;

/** What a visitor searched: every field as the form shows it. */
export interface PublicSearch {
  q: string;
  year: number;
  component: string;
  level: number | undefined;
  semester: Semester | undefined;
  language: string;
  ectsMin: number | undefined;
  ectsMax: number | undefined;
  campus: string;
  exchangeType: string;
  sort: Sort;
  page: number;
  size: number;
}

const CODE = /^[^\u0000-\u001f\u007f]{1,64}$/;
const LANGUAGE = /^[a-z]{2,3}$/;
const EXCHANGE_TYPE = /^[a-z0-9-]{1,40}$/;

/** An academic year as written in a URL (`2026`), or `undefined`. */
export function parseYear(v: unknown): number | undefined {
  const s = typeof v === 'string' ? v : Array.isArray(v) ? String(v[0] ?? '') : '';
  if (!/^\d{4}$/.test(s)) return undefined;
  const y = Number(s);
  return y >= 1900 && y <= 2999 ? y : undefined;
}

/** A code as written in a URL: any printable text up to 64 characters (the length of the columns), else `undefined`. */
export function parseCode(v: unknown): string | undefined {
  return typeof v === 'string' && CODE.test(v) ? v : undefined;
}

const number = (raw: string, min: number, max: number): number | undefined => {
  if (raw === '' || !/^-?\d+([.,]\d+)?$/.test(raw)) return undefined;
  const n = Number(raw.replace(',', '.'));
  return Number.isFinite(n) && n >= min && n <= max ? n : undefined;
};

/** Read the search from a query string; `years` are the years that exist (others fall back to `defaultYear`). */
export function parseSearch(query: Record<string, unknown>, defaultYear: number, years: number[]): PublicSearch {
  const f = (name: string, max = 200) => formField(query, name).slice(0, max);
  const year = parseYear(query.year);
  const semester = f('semester');
  const sort = f('sort');
  const size = Number(f('size'));
  const component = f('component', 100);
  const language = f('language', 10);
  const exchangeType = f('exchangeType', 50);
  return {
    q: f('q'),
    year: year !== undefined && years.includes(year) ? year : defaultYear,
    component: CODE.test(component) ? component : '',
    level: number(f('level', 4), 0, 20),
    semester: (SEMESTERS as readonly string[]).includes(semester) ? (semester as Semester) : undefined,
    language: LANGUAGE.test(language) ? language : '',
    ectsMin: number(f('ectsMin', 10), 0, 999),
    ectsMax: number(f('ectsMax', 10), 0, 999),
    campus: f('campus'),
    exchangeType: EXCHANGE_TYPE.test(exchangeType) ? exchangeType : '',
    sort: (SORTS as readonly string[]).includes(sort) ? (sort as Sort) : 'relevance',
    page: Math.min(Math.floor(number(f('page', 9), 1, 1e9) ?? 1), 1000),
    size: SEARCH_PAGE_SIZES.includes(size) ? size : DEFAULT_PAGE_SIZE,
  };
}

/** The search engine's query: only elements open to mobility and still in the source. */
export function toSearchQuery(s: PublicSearch, lang: 'fr' | 'en'): SearchQuery {
  const q: SearchQuery = { year: s.year, lang, openOnly: true, page: s.page, pageSize: s.size };
  if (s.q) q.q = s.q;
  if (s.component) q.component = s.component;
  if (s.level !== undefined) q.level = s.level;
  if (s.semester) q.semester = s.semester;
  if (s.language) q.language = s.language;
  if (s.ectsMin !== undefined) q.ectsMin = s.ectsMin;
  if (s.ectsMax !== undefined) q.ectsMax = s.ectsMax;
  if (s.campus) q.campus = s.campus;
  if (s.exchangeType) q.exchangeType = s.exchangeType;
  // without words there is no relevance: the engine sorts by title, and so does the key of the cache
  if (s.sort !== 'relevance') q.sort = s.sort;
  return q;
}

/** How many filters are set (the search words and the sort are not filters). */
export function activeFilters(s: PublicSearch): number {
  return [s.component, s.level, s.semester, s.language, s.ectsMin, s.ectsMax, s.campus, s.exchangeType].filter((v) => v !== undefined && v !== '').length;
}

/** The shortest `/catalogue?…` URL for this search (defaults left out), at `page` when given. */
export function searchUrl(s: PublicSearch, currentYear: number, page = s.page, base = '/catalogue'): string {
  const p = new URLSearchParams();
  if (s.q) p.set('q', s.q);
  if (s.year !== currentYear) p.set('year', String(s.year));
  if (s.component) p.set('component', s.component);
  if (s.level !== undefined) p.set('level', String(s.level));
  if (s.semester) p.set('semester', s.semester);
  if (s.language) p.set('language', s.language);
  if (s.ectsMin !== undefined) p.set('ectsMin', String(s.ectsMin));
  if (s.ectsMax !== undefined) p.set('ectsMax', String(s.ectsMax));
  if (s.campus) p.set('campus', s.campus);
  if (s.exchangeType) p.set('exchangeType', s.exchangeType);
  if (s.sort !== 'relevance') p.set('sort', s.sort);
  if (s.size !== DEFAULT_PAGE_SIZE) p.set('size', String(s.size));
  if (page > 1) p.set('page', String(page));
  const qs = p.toString();
  return qs ? `${base}?${qs}` : base;
}

/** The stable address of an element's page: it never changes for a given year and code. */
export const elementPath = (year: number, code: string) => `/catalogue/${year}/elements/${encodeURIComponent(code)}`;
export const formationPath = (year: number, code: string) => `/catalogue/${year}/formations/${encodeURIComponent(code)}`;
export const componentPath = (year: number, code: string) => `/catalogue/${year}/components/${encodeURIComponent(code)}`;
