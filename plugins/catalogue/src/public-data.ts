/**
 * What the public catalogue reads: searches (cached), the values the filters offer, components
 * and formations with their counts, an element with its component and formations. Only what is
 * open to mobility and still in the source is shown to visitors. Everything computed from the
 * catalogue is keyed on its generation, which every change moves on: nothing stale is served.
 * @packageDocumentation
 */
import type { Knex } from 'knex';
import { searchElements, SearchCache, type SearchQuery, type SearchResult } from './search.js';
import type { CatalogueStore, TreeNode } from './store.js';
import type { ComponentContact, Element, Formation } from './types.js';

/** A component as visitors see it. */
export interface PublicComponent {
  id: number;
  code: string;
  nameFr: string;
  nameEn: string | null;
  nameLongFr: string | null;
  nameLongEn: string | null;
  acronym: string | null;
  campus: string | null;
  contacts: ComponentContact[];
}

/** A component in the list, with what it offers in a year. */
export interface ComponentSummary extends PublicComponent {
  formations: number;
  elements: number;
}

/** A formation in a list, with its diploma type and how many of its elements are open. */
export interface FormationSummary {
  id: number;
  code: string;
  nameFr: string;
  nameEn: string | null;
  acronym: string | null;
  level: number | null;
  eqf: number | null;
  isced: string | null;
  domain: string | null;
  languages: string[];
  componentCode: string | null;
  componentNameFr: string | null;
  componentNameEn: string | null;
  diplomaTypeCode: string | null;
  diplomaTypeFr: string | null;
  diplomaTypeEn: string | null;
  elements: number;
}

/** The values the filters offer for a year (those that some open element has). */
export interface FilterOptions {
  components: { code: string; nameFr: string; nameEn: string | null }[];
  levels: number[];
  languages: string[];
  campuses: string[];
}

/** A tree node as visitors see it: `open` false for a closed element kept because open ones sit under it. */
export interface PublicNode {
  element: Element;
  open: boolean;
  children: PublicNode[];
}

const isOpen = (e: Pick<Element, 'openToMobility' | 'inSource'>) => e.openToMobility && e.inSource;

/** Keep the open elements of a tree, and the closed ones that have open elements under them. */
export function openTree(nodes: TreeNode[]): PublicNode[] {
  const out: PublicNode[] = [];
  for (const n of nodes) {
    const children = openTree(n.children);
    if (isOpen(n.element) || children.length) out.push({ element: n.element, open: isOpen(n.element), children });
  }
  return out;
}

const toComponent = (r: Record<string, any>): PublicComponent => ({
  id: r.id, code: r.code, nameFr: r.name_fr, // the import stores the French name when there is no English one: show it as French
  nameEn: r.name_en && r.name_en !== r.name_fr ? r.name_en : null,
  nameLongFr: r.name_long_fr ?? null, nameLongEn: r.name_long_en ?? null, acronym: r.acronym ?? null, campus: r.campus ?? null,
  contacts: Array.isArray(r.contacts) ? r.contacts : [],
});

/**
 * Reads of the public pages and API. One instance per process; caches are per institution and
 * catalogue generation (least recently used out first).
 */
export class PublicCatalogue {
  private readonly cache: SearchCache | null;
  private readonly memo = new Map<string, Promise<unknown>>();

  constructor(private readonly knex: () => Knex, private readonly store: () => CatalogueStore, cacheSize: number) {
    this.cache = cacheSize > 0 ? new SearchCache(cacheSize) : null;
  }

  /** The catalogue's generation: read before any cached value is looked up, so a change is never missed. */
  generation(institutionId: number): Promise<number> {
    return this.store().generation(institutionId);
  }

  /** A search, served from the cache while the catalogue has not changed. */
  async search(institutionId: number, query: SearchQuery, generation?: number): Promise<SearchResult> {
    if (!this.cache) return searchElements(this.knex(), institutionId, query);
    const gen = generation ?? (await this.generation(institutionId));
    const key = this.cache.key(institutionId, gen, query);
    const hit = this.cache.get(key);
    if (hit) return hit;
    // the same search asked by several visitors at once runs once
    const running = this.inFlight.get(key);
    if (running) return running;
    const p = searchElements(this.knex(), institutionId, query).then((result) => {
      this.cache!.set(key, result);
      return result;
    });
    this.inFlight.set(key, p);
    try {
      return await p;
    } finally {
      this.inFlight.delete(key);
    }
  }

  private readonly inFlight = new Map<string, Promise<SearchResult>>();

  /** Years that have a catalogue, newest first (the current one always). */
  years(institutionId: number, currentYear: number, generation: number): Promise<number[]> {
    return this.remember(`years:${institutionId}:${currentYear}:${generation}`, () => this.store().years(institutionId));
  }

  /** Compute once per institution, year and generation (concurrent requests share the computation). */
  private remember<T>(key: string, compute: () => Promise<T>): Promise<T> {
    const had = this.memo.get(key);
    if (had) {
      this.memo.delete(key);
      this.memo.set(key, had);
      return had as Promise<T>;
    }
    const p = compute();
    this.memo.set(key, p);
    p.catch(() => this.memo.delete(key));
    while (this.memo.size > 200) this.memo.delete(this.memo.keys().next().value!);
    return p;
  }

  private openElements(institutionId: number, year: number) {
    return this.knex()('catalogue_elements as e').where({ 'e.institution_id': institutionId, 'e.year': year, 'e.open_to_mobility': true, 'e.in_source': true });
  }

  /** What the filters offer in `year`. */
  filterOptions(institutionId: number, year: number, generation: number): Promise<FilterOptions> {
    return this.remember(`options:${institutionId}:${year}:${generation}`, async () => {
      const knex = this.knex();
      const components = (await knex('components as c')
        .where('c.institution_id', institutionId)
        .whereExists(this.openElements(institutionId, year).whereRaw('e.component_id = c.id').select(knex.raw('1')))
        .orderBy('c.name_fr')
        .select('c.code', 'c.name_fr', 'c.name_en')) as Record<string, any>[];
      const levels = (await this.openElements(institutionId, year).whereNotNull('e.level').distinct('e.level').orderBy('e.level').pluck('e.level')) as number[];
      const languages = ((await knex.raw(
        `select distinct l from catalogue_elements e, unnest(e.languages) as l
          where e.institution_id = ? and e.year = ? and e.open_to_mobility and e.in_source order by l`,
        [institutionId, year],
      )).rows as { l: string }[]).map((r) => r.l);
      const campuses = (await this.openElements(institutionId, year).whereNotNull('e.campus').distinct('e.campus').orderBy('e.campus').pluck('e.campus')) as string[];
      return {
        components: components.map((c) => ({ code: c.code, nameFr: c.name_fr, nameEn: c.name_en })),
        levels: levels.map(Number),
        languages: languages.filter((l) => /^[a-z]{2,3}$/.test(l)),
        campuses: campuses.filter((c) => c.trim() !== ''),
      };
    });
  }

  /** Components that offer something in `year`, with how many open formations and elements. */
  components(institutionId: number, year: number, generation: number): Promise<ComponentSummary[]> {
    return this.remember(`components:${institutionId}:${year}:${generation}`, async () => {
      const knex = this.knex();
      const rows = (await knex('components as c')
        .leftJoin('catalogue_component_details as d', 'd.component_id', 'c.id')
        .where('c.institution_id', institutionId)
        .select(
          'c.id', 'c.code', 'c.name_fr', 'c.name_en', 'd.name_long_fr', 'd.name_long_en', 'd.acronym', 'd.campus', 'd.contacts',
          knex.raw(`(select count(*) from catalogue_formations f where f.component_id = c.id and f.institution_id = ? and f.year = ? and f.open_to_mobility and f.in_source)::int as formations`, [institutionId, year]),
          knex.raw(`(select count(*) from catalogue_elements e where e.component_id = c.id and e.institution_id = ? and e.year = ? and e.open_to_mobility and e.in_source)::int as elements`, [institutionId, year]),
        )) as Record<string, any>[];
      return rows
        .filter((r) => r.formations > 0 || r.elements > 0)
        .map((r) => ({ ...toComponent(r), formations: r.formations, elements: r.elements }));
    });
  }

  /** A component by code (whatever it offers). */
  async component(institutionId: number, code: string): Promise<PublicComponent | undefined> {
    const row = await this.componentQuery(institutionId).where('c.code', code).first();
    return row ? toComponent(row) : undefined;
  }

  async componentById(institutionId: number, id: number): Promise<PublicComponent | undefined> {
    const row = await this.componentQuery(institutionId).where('c.id', id).first();
    return row ? toComponent(row) : undefined;
  }

  private componentQuery(institutionId: number) {
    return this.knex()('components as c')
      .leftJoin('catalogue_component_details as d', 'd.component_id', 'c.id')
      .where('c.institution_id', institutionId)
      .select('c.id', 'c.code', 'c.name_fr', 'c.name_en', 'd.name_long_fr', 'd.name_long_en', 'd.acronym', 'd.campus', 'd.contacts');
  }

  /** Open formations of `year` (of one component when given), with their diploma type and open element count. */
  formations(institutionId: number, year: number, generation: number, componentId?: number): Promise<FormationSummary[]> {
    return this.remember(`formations:${institutionId}:${year}:${generation}:${componentId ?? '*'}`, async () => {
      const knex = this.knex();
      const q = knex('catalogue_formations as f')
        .leftJoin('components as c', 'c.id', 'f.component_id')
        .leftJoin('catalogue_diploma_types as d', 'd.id', 'f.diploma_type_id')
        .where({ 'f.institution_id': institutionId, 'f.year': year, 'f.open_to_mobility': true, 'f.in_source': true })
        .select(
          'f.id', 'f.code', 'f.name_fr', 'f.name_en', 'f.acronym', 'f.level', 'f.eqf', 'f.isced', 'f.domain', 'f.languages',
          'c.code as component_code', 'c.name_fr as component_name_fr', 'c.name_en as component_name_en',
          'd.code as diploma_code', 'd.name_fr as diploma_fr', 'd.name_en as diploma_en',
          knex.raw(
            `(select count(distinct l.child_id) from catalogue_links l join catalogue_elements e on e.id = l.child_id
               where l.formation_id = f.id and e.open_to_mobility and e.in_source)::int as elements`,
          ),
        )
        .orderBy([{ column: 'f.level', order: 'asc', nulls: 'last' } as any, { column: 'f.name_fr' }, { column: 'f.code' }]);
      if (componentId !== undefined) q.where('f.component_id', componentId);
      return ((await q) as Record<string, any>[]).map((r) => ({
        id: r.id, code: r.code, nameFr: r.name_fr, nameEn: r.name_en, acronym: r.acronym, level: r.level, eqf: r.eqf, isced: r.isced, domain: r.domain,
        languages: r.languages ?? [], componentCode: r.component_code, componentNameFr: r.component_name_fr, componentNameEn: r.component_name_en,
        diplomaTypeCode: r.diploma_code, diplomaTypeFr: r.diploma_fr, diplomaTypeEn: r.diploma_en, elements: r.elements,
      }));
    });
  }

  /** The names of a formation's diploma and formation types. */
  async formationTypes(institutionId: number, f: Formation) {
    const knex = this.knex();
    const one = (table: string, id: number | null) =>
      id === null ? Promise.resolve(undefined) : knex(table).where({ institution_id: institutionId, id }).first('code', 'name_fr', 'name_en');
    const [diploma, kind] = await Promise.all([one('catalogue_diploma_types', f.diplomaTypeId), one('catalogue_formation_types', f.formationTypeId)]);
    const name = (r: Record<string, any> | undefined) => (r ? { code: r.code as string, fr: r.name_fr as string, en: (r.name_en as string | null) ?? null } : null);
    return { diplomaType: name(diploma), formationType: name(kind) };
  }

  /** The open formations an element sits in. */
  async formationsOf(institutionId: number, elementId: number): Promise<Formation[]> {
    return (await this.store().formationsOf(institutionId, elementId)).filter(isOpen);
  }

  /** The most recent year (the current one first) in which an element with `code` exists. */
  async yearOf(institutionId: number, code: string, currentYear: number): Promise<number | undefined> {
    const years = (await this.knex()('catalogue_elements').where({ institution_id: institutionId, code }).pluck('year')) as number[];
    if (years.includes(currentYear)) return currentYear;
    return years.sort((a, b) => b - a)[0];
  }
}
