/**
 * Catalogue search: full-text in French and English (stemmed, accent- and case-insensitive, word
 * prefixes) with trigram similarity for small typos, filters, sorts, pages; every match through the
 * GIN indexes. Results are cached per institution and catalogue generation, so any change to the
 * catalogue makes the cached results unreachable.
 * @packageDocumentation
 */
import type { Knex } from 'knex';
import type { Element, Semester } from './types.js';

/** What a visitor asks. Absent filters do not filter. */
export interface SearchQuery {
  q?: string;
  year: number;
  lang: 'fr' | 'en';
  component?: string;
  formation?: number;
  level?: number;
  semester?: Semester;
  language?: string;
  ectsMin?: number;
  ectsMax?: number;
  campus?: string;
  exchangeType?: string;
  hasSeats?: boolean;
  /** `true` (public catalogue): only elements open to mobility and still in the source. */
  openOnly?: boolean;
  sort?: 'relevance' | 'title' | 'code' | 'ects';
  page?: number;
  pageSize?: number;
}

/** One result: the element's fields a result list shows, and its component's names. */
export type SearchHit = Pick<
  Element,
  'id' | 'code' | 'titleFr' | 'titleEn' | 'kind' | 'ects' | 'mobilityEcts' | 'semester' | 'level' | 'languages' | 'campus' | 'seats' | 'openToMobility' | 'componentCode'
> & { componentNameFr: string | null; componentNameEn: string | null };

export interface SearchResult {
  hits: SearchHit[];
  total: number;
  page: number;
  pageSize: number;
  pageCount: number;
  /** The words searched, as folded (for highlighting). */
  words: string[];
  /** Nothing matched exactly: these results allow small typos. */
  fuzzy?: boolean;
}

const MAX_WORDS = 6;
export const SEARCH_PAGE_SIZES = [10, 20, 50];

/** Lower case, no accents, ligatures spelled out: how the search columns are stored. */
export function fold(s: string): string {
  return s
    .toLowerCase()
    .replace(/œ/g, 'oe')
    .replace(/æ/g, 'ae')
    .replace(/ß/g, 'ss')
    .normalize('NFD')
    .replace(/[\u0300-\u036f]/g, '');
}

/** The words of a query: letters and digits only (anything else separates words), at most six. */
export function queryWords(q: string | undefined): string[] {
  if (!q) return [];
  return [...new Set(fold(q.slice(0, 200)).split(/[^a-z0-9]+/).filter((w) => w.length > 0))].slice(0, MAX_WORDS);
}

/**
 * Run a search. Every user value is a bound parameter; the words are letters and digits only, so
 * the text-search syntax (`&`, `|`, `:*`) is always ours.
 */
export async function searchElements(knex: Knex | Knex.Transaction, institutionId: number, query: SearchQuery): Promise<SearchResult> {
  const words = queryWords(query.q);
  return withIndexPlans(knex, async (db) => {
    const exact = await runSearch(db, institutionId, query, words, false);
    // nothing found: allow small typos (trigram similarity) on the longer words
    if (exact.total === 0 && words.some((w) => w.length >= 4)) return { ...(await runSearch(db, institutionId, query, words, true)), fuzzy: true };
    return exact;
  });
}

/**
 * Run `fn` in a transaction where the planner does not scan the elements table sequentially.
 * PostgreSQL prices a text-search match as a cheap operator, so for a common word it prefers reading
 * the whole table to the GIN index, which is several times faster in fact (a match on a
 * description-sized tsvector costs far more than the planner assumes). Inside a caller's
 * transaction, the caller's settings apply.
 */
async function withIndexPlans<T>(knex: Knex | Knex.Transaction, fn: (db: Knex | Knex.Transaction) => Promise<T>): Promise<T> {
  if ((knex as Knex.Transaction).isTransaction) return fn(knex);
  return (knex as Knex).transaction(async (trx) => {
    await trx.raw('set local enable_seqscan = off');
    return fn(trx);
  });
}

/** The plans PostgreSQL chooses for a search (exact, and with typos allowed), as JSON — for the benchmark's plan check. */
export async function explainSearch(knex: Knex, institutionId: number, query: SearchQuery): Promise<unknown[]> {
  const words = queryWords(query.q);
  const plans: unknown[] = [];
  await withIndexPlans(knex, async (db) => {
    for (const fuzzy of words.some((w) => w.length >= 4) ? [false, true] : [false]) {
      const { sql, bindings } = buildSearch(db, institutionId, query, words, fuzzy).toSQL();
      const res = await db.raw(`explain (format json) ${sql}`, bindings as any);
      plans.push(res.rows[0]['QUERY PLAN']);
    }
  });
  return plans;
}

async function runSearch(knex: Knex | Knex.Transaction, institutionId: number, query: SearchQuery, words: string[], fuzzy: boolean): Promise<SearchResult> {
  const pageSize = SEARCH_PAGE_SIZES.includes(query.pageSize ?? 0) ? query.pageSize! : 20;
  const page = Math.max(1, Math.min(Math.floor(query.page ?? 1) || 1, 1000));
  const q = buildSearch(knex, institutionId, query, words, fuzzy);
  const rows = (await q) as Record<string, any>[];
  let total = rows.length ? Number(rows[0]!.total) : 0;
  if (!rows.length && page > 1) {
    // past the last page: count to say how many there are
    const counted = (await q.clearSelect().clearOrder().clear('limit').clear('offset').count({ n: '*' })) as { n: string | number }[];
    total = Number(counted[0]?.n ?? 0);
  }
  return {
    hits: rows.map((r) => ({
      id: r.id, code: r.code, titleFr: r.title_fr, titleEn: r.title_en, kind: r.kind, ects: r.ects === null ? null : Number(r.ects),
      mobilityEcts: r.mobility_ects === null ? null : Number(r.mobility_ects), semester: r.semester, level: r.level, languages: r.languages ?? [],
      campus: r.campus, seats: r.seats, openToMobility: r.open_to_mobility, componentCode: r.component_code, componentNameFr: r.component_name_fr,
      componentNameEn: r.component_name_en,
    })),
    total, page, pageSize, pageCount: Math.max(1, Math.ceil(total / pageSize)), words,
  };
}

/**
 * Make `q` (elements as `e`) match every word — French and English stems at once, as a prefix; with
 * `fuzzy`, words of four letters or more also by trigram similarity — and return the ranking terms
 * (titles and code rank above the other texts) with their bindings, for an `order by`.
 */
export function matchWords(q: Knex.QueryBuilder, words: readonly string[], fuzzy: boolean): { rank: string[]; bindings: unknown[] } {
  const rank: string[] = [];
  const bindings: unknown[] = [];
  const TSQ = `(to_tsquery('french', ?) || to_tsquery('english', ?))`;
  for (const w of words) {
    const prefix = `${w}:*`;
    if (fuzzy && w.length >= 4) {
      q.whereRaw(`(e.search_all @@ ${TSQ} or ? <% e.search_text)`, [prefix, prefix, w]);
      rank.push(`(e.search_title @@ ${TSQ})::int + word_similarity(?, e.search_text)`);
      bindings.push(prefix, prefix, w);
    } else {
      q.whereRaw(`e.search_all @@ ${TSQ}`, [prefix, prefix]);
      rank.push(`(e.search_title @@ ${TSQ})::int`);
      bindings.push(prefix, prefix);
    }
  }
  return { rank, bindings };
}

/** The filters elements share wherever they are searched (elements as `e`, components as `c`); an annual element is taught in both semesters. */
export function applyElementFilters(
  q: Knex.QueryBuilder,
  f: { component?: string; level?: number; semester?: string; language?: string; ectsMin?: number; ectsMax?: number; campus?: string },
): void {
  if (f.component) q.where('c.code', f.component);
  if (f.level !== undefined) q.where('e.level', f.level);
  if (f.semester === 'annual') q.where('e.semester', 'annual');
  else if (f.semester) q.whereIn('e.semester', [f.semester, 'annual']);
  if (f.language) q.whereRaw('? = any(e.languages)', [f.language]);
  if (f.ectsMin !== undefined) q.whereRaw('coalesce(e.mobility_ects, e.ects) >= ?', [f.ectsMin]);
  if (f.ectsMax !== undefined) q.whereRaw('coalesce(e.mobility_ects, e.ects) <= ?', [f.ectsMax]);
  if (f.campus) q.where('e.campus', f.campus);
}

function buildSearch(knex: Knex | Knex.Transaction, institutionId: number, query: SearchQuery, words: string[], fuzzy: boolean): Knex.QueryBuilder {
  const pageSize = SEARCH_PAGE_SIZES.includes(query.pageSize ?? 0) ? query.pageSize! : 20;
  const page = Math.max(1, Math.min(Math.floor(query.page ?? 1) || 1, 1000));
  const q = knex('catalogue_elements as e')
    .leftJoin('components as c', 'c.id', 'e.component_id')
    .where({ 'e.institution_id': institutionId, 'e.year': query.year });
  const { rank, bindings: rankBindings } = matchWords(q, words, fuzzy);
  if (query.openOnly) q.where({ 'e.open_to_mobility': true, 'e.in_source': true });
  if (query.formation) q.whereIn('e.id', knex('catalogue_links').where({ institution_id: institutionId, formation_id: query.formation }).select('child_id'));
  applyElementFilters(q, query);
  if (query.exchangeType) q.whereRaw('(e.exchange_types is null or ? = any(e.exchange_types))', [query.exchangeType]);
  if (query.hasSeats === true) q.whereRaw('(e.seats is null or e.seats > 0)');
  if (query.hasSeats === false) q.where('e.seats', 0);

  // folded titles are stored (sort_fr, sort_en): sorting needs no function call per row
  const title = query.lang === 'en' ? 'e.sort_en' : 'e.sort_fr';
  const sort = query.sort ?? (words.length ? 'relevance' : 'title');
  const order: { sql: string; bindings: unknown[] } =
    sort === 'relevance' && rank.length
      ? { sql: `(${rank.join(' + ')}) desc, ${title}, e.id`, bindings: rankBindings }
      : sort === 'code'
        ? { sql: 'e.code, e.id', bindings: [] }
        : sort === 'ects'
          ? { sql: `coalesce(e.mobility_ects, e.ects) desc nulls last, ${title}, e.id`, bindings: [] }
          : { sql: `${title}, e.id`, bindings: [] };
  return q
    .select(
      'e.id', 'e.code', 'e.title_fr', 'e.title_en', 'e.kind', 'e.ects', 'e.mobility_ects', 'e.semester', 'e.level', 'e.languages', 'e.campus',
      'e.seats', 'e.open_to_mobility', 'c.code as component_code', 'c.name_fr as component_name_fr', 'c.name_en as component_name_en',
      knex.raw('count(*) over () as total'),
    )
    .orderByRaw(order.sql, order.bindings as any)
    .limit(pageSize)
    .offset((page - 1) * pageSize);
}

/**
 * Search results kept in memory per institution and catalogue generation (least recently used
 * out first). The generation moves on with every change to the catalogue, in any process, so a
 * cached result is never served after a change.
 */
export class SearchCache {
  private readonly entries = new Map<string, SearchResult>();
  constructor(private readonly max = 500) {}

  key(institutionId: number, generation: number, query: SearchQuery): string {
    return `${institutionId}:${generation}:${JSON.stringify(query, Object.keys(query).sort())}`;
  }

  get(key: string): SearchResult | undefined {
    const v = this.entries.get(key);
    if (v) {
      this.entries.delete(key);
      this.entries.set(key, v);
    }
    return v;
  }

  set(key: string, value: SearchResult): void {
    this.entries.set(key, value);
    while (this.entries.size > this.max) this.entries.delete(this.entries.keys().next().value!);
  }
}
