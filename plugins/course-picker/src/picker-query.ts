/**
 * The picker's search as a URL says it: read leniently (a value that makes no sense is ignored,
 * never an error) and written back as the shortest query string giving the same results, which the
 * add and remove forms carry so that the student comes back to the same results.
 * @packageDocumentation
 */
import { formField } from '@smile/sdk';
import type { PickerQuery } from './store-search.js';

export const SORTS = ['relevance', 'title', 'code', 'ects'] as const;
const CODE = /^[^\u0000-\u001f\u007f]{1,64}$/;

const number = (raw: string, min: number, max: number): number | undefined => {
  if (raw === '' || !/^-?\d+([.,]\d+)?$/.test(raw)) return undefined;
  const n = Number(raw.replace(',', '.'));
  return Number.isFinite(n) && n >= min && n <= max ? n : undefined;
};

/** Read the search from a query string (or from the `back` field of a form). */
export function parsePickerQuery(query: Record<string, unknown>): PickerQuery {
  const f = (name: string, max = 200) => formField(query, name).slice(0, max);
  const component = f('component', 64);
  const semester = f('semester');
  const language = f('language', 10);
  const sort = f('sort');
  return {
    q: f('q'),
    component: CODE.test(component) ? component : '',
    level: number(f('level', 4), 0, 20),
    semester: semester === 'S1' || semester === 'S2' || semester === 'annual' ? semester : undefined,
    language: /^[a-z]{2,3}$/.test(language) ? language : '',
    ectsMin: number(f('ectsMin', 10), 0, 999),
    ectsMax: number(f('ectsMax', 10), 0, 999),
    campus: f('campus'),
    sort: (SORTS as readonly string[]).includes(sort) ? (sort as PickerQuery['sort']) : 'relevance',
    page: Math.min(Math.floor(number(f('page', 6), 1, 1e6) ?? 1), 1000),
  };
}

/** The query string of a search (without `?`), at `page` when given. */
export function queryString(s: PickerQuery, page = s.page): string {
  const p = new URLSearchParams();
  if (s.q) p.set('q', s.q);
  if (s.component) p.set('component', s.component);
  if (s.level !== undefined) p.set('level', String(s.level));
  if (s.semester) p.set('semester', s.semester);
  if (s.language) p.set('language', s.language);
  if (s.ectsMin !== undefined) p.set('ectsMin', String(s.ectsMin));
  if (s.ectsMax !== undefined) p.set('ectsMax', String(s.ectsMax));
  if (s.campus) p.set('campus', s.campus);
  if (s.sort !== 'relevance') p.set('sort', s.sort);
  if (page > 1) p.set('page', String(page));
  return p.toString();
}

/** How many filters are set (words and sort are not filters). */
export const activeFilters = (s: PickerQuery): number =>
  [s.component, s.level, s.semester, s.language, s.ectsMin, s.ectsMax, s.campus].filter((v) => v !== undefined && v !== '').length;

/** The search carried by a form's `back` field (a query string). */
export function backQuery(body: unknown): PickerQuery {
  const raw = formField(body, 'back').slice(0, 1000);
  return parsePickerQuery(Object.fromEntries(new URLSearchParams(raw)));
}
