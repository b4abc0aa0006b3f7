/**
 * The picker's search: the catalogue's full-text search (French and English stems, word prefixes,
 * small typos when nothing matches exactly; the same columns and GIN indexes, see the catalogue's
 * `search.ts`), restricted to what the student may take: the file's academic year, open to mobility
 * and still in the source, open to the file's exchange type, taught in the mobility's terms.
 * @packageDocumentation
 */
import { cacheOf } from './caches.js';
import type { Knex } from 'knex';
import { applyElementFilters, matchWords, queryWords } from '@smile/plugin-catalogue';
import type { Term } from './rules-types.js';

/** What the student searches (absent filters do not filter). */
export interface PickerQuery {
  q: string;
  component: string;
  level: number | undefined;
  semester: 'S1' | 'S2' | 'annual' | undefined;
  language: string;
  ectsMin: number | undefined;
  ectsMax: number | undefined;
  campus: string;
  sort: 'relevance' | 'title' | 'code' | 'ects';
  page: number;
}

/** The period of a file: where the search looks. */
export interface PickerScope {
  institutionId: number;
  year: number;
  exchangeType: string;
  terms: Term[];
  lang: 'fr' | 'en';
}

/** One result. */
export interface PickerHit {
  code: string;
  titleFr: string;
  titleEn: string | null;
  ects: number | null;
  semester: string | null;
  level: number | null;
  languages: string[];
  campus: string | null;
  componentCode: string | null;
  componentNameFr: string | null;
  componentNameEn: string | null;
}

export interface PickerResult {
  hits: PickerHit[];
  total: number;
  page: number;
  pageCount: number;
  fuzzy: boolean;
}

export const PAGE_SIZE = 20;

/** The semesters a mobility of `terms` can take: its terms, annual elements for a full year, and elements without a semester. */
export function semestersOf(terms: Term[]): string[] {
  return terms.length > 1 ? [...terms, 'annual'] : [...terms];
}

/** The elements open to the file matching `query`, with the rank of each word (no columns, no order). */
function filtered(knex: Knex | Knex.Transaction, scope: PickerScope, query: PickerQuery, words: string[], fuzzy: boolean): { q: Knex.QueryBuilder; rank: string[]; bindings: unknown[] } {
  const q = knex('catalogue_elements as e')
    .leftJoin('components as c', 'c.id', 'e.component_id')
    .where({ 'e.institution_id': scope.institutionId, 'e.year': scope.year, 'e.open_to_mobility': true, 'e.in_source': true })
    .whereRaw('(e.exchange_types is null or ? = any(e.exchange_types))', [scope.exchangeType])
    .where((w) => w.whereIn('e.semester', semestersOf(scope.terms)).orWhereNull('e.semester'));
  const { rank, bindings } = matchWords(q, words, fuzzy);
  applyElementFilters(q, query);
  return { q, rank, bindings };
}

/**
 * One page of results. `withTotal` counts every match in the same statement (a window over the
 * matches: cheap when words narrow them down through the GIN index, not when browsing everything).
 */
function build(knex: Knex | Knex.Transaction, scope: PickerScope, query: PickerQuery, words: string[], fuzzy: boolean, withTotal: boolean): Knex.QueryBuilder {
  const { q, rank, bindings } = filtered(knex, scope, query, words, fuzzy);
  const title = scope.lang === 'en' ? 'e.sort_en' : 'e.sort_fr';
  const sort = query.sort === 'relevance' && !rank.length ? 'title' : query.sort;
  const order =
    sort === 'relevance' ? { sql: `(${rank.join(' + ')}) desc, ${title}, e.id`, bindings }
      : sort === 'code' ? { sql: 'e.code, e.id', bindings: [] }
        : sort === 'ects' ? { sql: `coalesce(e.mobility_ects, e.ects) desc nulls last, ${title}, e.id`, bindings: [] }
          : { sql: `${title}, e.id`, bindings: [] };
  return q
    .select(
      'e.code', 'e.title_fr', 'e.title_en', 'e.ects', 'e.mobility_ects', 'e.semester', 'e.level', 'e.languages', 'e.campus',
      'c.code as component_code', 'c.name_fr as component_name_fr', 'c.name_en as component_name_en',
      ...(withTotal ? [knex.raw('count(*) over () as total')] : []),
    )
    .orderByRaw(order.sql, order.bindings as any)
    .limit(PAGE_SIZE)
    .offset((query.page - 1) * PAGE_SIZE);
}

function result(rows: Record<string, any>[], total: number, query: PickerQuery, fuzzy: boolean): PickerResult {
  return {
    hits: rows.map((r) => ({
      code: r.code, titleFr: r.title_fr, titleEn: r.title_en ?? null, ects: r.mobility_ects !== null ? Number(r.mobility_ects) : r.ects !== null ? Number(r.ects) : null,
      semester: r.semester ?? null, level: r.level ?? null, languages: r.languages ?? [], campus: r.campus ?? null, componentCode: r.component_code ?? null,
      componentNameFr: r.component_name_fr ?? null, componentNameEn: r.component_name_en ?? null,
    })),
    total, page: query.page, pageCount: Math.max(1, Math.ceil(total / PAGE_SIZE)), fuzzy,
  };
}

async function run(db: Knex | Knex.Transaction, scope: PickerScope, query: PickerQuery, words: string[], fuzzy: boolean): Promise<PickerResult> {
  const rows = (await build(db, scope, query, words, fuzzy, true)) as Record<string, any>[];
  return result(rows, rows.length ? Number(rows[0]!.total) : 0, query, fuzzy);
}

/**
 * Browsing without words: the page through the title (or code) index stops after a few rows, but a
 * window count would read and sort every open element (200 ms on 50,000), so the total is counted
 * apart, once per filter set and catalogue generation (paging and sorting reuse it).
 */
async function browse(knex: Knex, scope: PickerScope, query: PickerQuery, generation: number): Promise<PickerResult> {
  const rows = (await build(knex, scope, query, [], false, false)) as Record<string, any>[];
  if (query.page === 1 && rows.length < PAGE_SIZE) return result(rows, rows.length, query, false);
  const filters = { ...query, q: '', sort: 'title', page: 1 };
  const key = `${scope.institutionId}:${generation}:${JSON.stringify([scope.year, scope.exchangeType, [...scope.terms].sort(), filters])}`;
  let total = recall(counts(knex), key);
  if (total === undefined) {
    const [row] = (await filtered(knex, scope, query, [], false).q.count({ n: '*' })) as Array<{ n: string | number }>;
    remember(counts(knex), key, (total = Number(row!.n)));
  }
  return result(rows, total, query, false);
}

/*
 * Results and counts kept in memory per database, institution and catalogue generation (least recently used
 * out first), as the catalogue's own search does: the generation moves on with every change to the
 * catalogue, in any process, so nothing cached is served after a change. What the student chose is
 * not part of a result (the page marks it), so one entry serves every file of the same scope.
 */
const CACHE_MAX = 500;
const results = (db: Knex) => cacheOf<PickerResult>(db, 'results');
const counts = (db: Knex) => cacheOf<number>(db, 'counts');

function recall<T>(cache: Map<string, T>, key: string): T | undefined {
  const v = cache.get(key);
  if (v !== undefined) {
    cache.delete(key);
    cache.set(key, v);
  }
  return v;
}

function remember<T>(cache: Map<string, T>, key: string, value: T): void {
  cache.set(key, value);
  while (cache.size > CACHE_MAX) cache.delete(cache.keys().next().value!);
}

/** Counter moved on by every change to the institution's catalogue (caches key on it). */
export async function catalogueGeneration(knex: Knex, institutionId: number): Promise<number> {
  const row = await knex('catalogue_generations').where({ institution_id: institutionId }).first('generation');
  return row ? Number(row.generation) : 0;
}

/**
 * Search what the student may take. As in the catalogue, the planner is kept off sequential scans
 * (a text match is priced as cheap, so for a common word it would read the whole table). The result
 * is shared between callers: read it, do not change it.
 */
export async function searchPicker(knex: Knex, scope: PickerScope, query: PickerQuery, generation?: number): Promise<PickerResult> {
  // read before searching: a change meanwhile files the result under a generation nobody asks for again
  const gen = generation ?? (await catalogueGeneration(knex, scope.institutionId));
  const key = `${scope.institutionId}:${gen}:${JSON.stringify([scope.year, scope.exchangeType, [...scope.terms].sort(), scope.lang, query])}`;
  const known = recall(results(knex), key);
  if (known) return known;
  const words = queryWords(query.q);
  const found = words.length
    ? await knex.transaction(async (trx) => {
      await trx.raw('set local enable_seqscan = off');
      const exact = await run(trx, scope, query, words, false);
      if (exact.total === 0 && words.some((w) => w.length >= 4)) return run(trx, scope, query, words, true);
      return exact;
    })
    : await browse(knex, scope, query, gen);
  remember(results(knex), key, found);
  return found;
}

/** Filter choices for the file's year: components, levels, languages and campuses of open elements. */
export interface FilterOptions {
  components: Array<{ code: string; nameFr: string; nameEn: string | null }>;
  levels: number[];
  languages: string[];
  campuses: string[];
}


/** The filter options, kept per institution, year and catalogue generation (any catalogue change moves it). */
export async function filterOptions(knex: Knex, institutionId: number, year: number, generation?: number): Promise<FilterOptions> {
  const gen = generation ?? (await catalogueGeneration(knex, institutionId));
  const key = `${institutionId}:${year}:${gen}`;
  const optionsCache = cacheOf<FilterOptions>(knex, 'filter-options');
  const known = optionsCache.get(key);
  if (known) return known;
  const open = () => knex('catalogue_elements as e').where({ 'e.institution_id': institutionId, 'e.year': year, 'e.open_to_mobility': true, 'e.in_source': true });
  const components = (await knex('components as c')
    .where('c.institution_id', institutionId)
    .whereExists(open().whereRaw('e.component_id = c.id').select(knex.raw('1')))
    .orderBy('c.name_fr')
    .select('c.code', 'c.name_fr', 'c.name_en')) as Record<string, any>[];
  const levels = (await open().whereNotNull('e.level').distinct('e.level').orderBy('e.level').pluck('e.level')) as number[];
  const languages = ((await knex.raw(
    `select distinct l from catalogue_elements e, unnest(e.languages) as l where e.institution_id = ? and e.year = ? and e.open_to_mobility and e.in_source order by l`,
    [institutionId, year],
  )).rows as Array<{ l: string }>).map((r) => r.l).filter((l) => /^[a-z]{2,3}$/.test(l));
  const campuses = ((await open().whereNotNull('e.campus').distinct('e.campus').orderBy('e.campus').pluck('e.campus')) as string[]).filter((c) => c.trim() !== '');
  const out: FilterOptions = { components: components.map((c) => ({ code: c.code, nameFr: c.name_fr, nameEn: c.name_en ?? null })), levels: levels.map(Number), languages, campuses };
  if (optionsCache.size > 200) optionsCache.clear();
  optionsCache.set(key, out);
  return out;
}

/** The names of an institution's components by code, in both languages (English may be missing). */
export type ComponentNames = Map<string, { fr: string; en: string | null }>;

/**
 * Every component of the institution by code, for sentences that name one ("your main component,
 * Faculty of Arts"): the rules engine speaks in codes. With `generation`, kept per institution and
 * catalogue generation, as the filter options are (their names come from the same table); without
 * it, read now.
 */
export async function componentNames(knex: Knex | Knex.Transaction, institutionId: number, generation?: number): Promise<ComponentNames> {
  const key = `${institutionId}:${generation}`;
  const namesCache = cacheOf<ComponentNames>(knex, 'component-names');
  const known = generation === undefined ? undefined : recall(namesCache, key);
  if (known) return known;
  const rows = (await knex('components').where({ institution_id: institutionId }).select('code', 'name_fr', 'name_en')) as Array<{ code: string; name_fr: string; name_en: string | null }>;
  const out: ComponentNames = new Map(rows.map((r) => [r.code, { fr: r.name_fr, en: r.name_en ?? null }]));
  if (generation !== undefined) remember(namesCache, key, out);
  return out;
}

/** A component's name in `lang` (the French one when there is no English one), or `undefined` for an unknown code. */
export const componentNameIn = (names: ComponentNames, lang: 'fr' | 'en') => (code: string): string | undefined => {
  const n = names.get(code);
  return n ? (lang === 'en' ? n.en || n.fr : n.fr) || undefined : undefined;
};
