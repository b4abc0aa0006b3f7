/**
 * The public catalogue (no sign-in): the search page at `/catalogue`, whose results come as an htmx
 * fragment while one types and whose URL always reflects the query; browsing by component and
 * formation; a page per element at a stable address; and the same data as JSON under
 * `/api/v1/catalogue`. Visitors only see what is open to mobility and still in the source.
 * @packageDocumentation
 */
import { readFileSync } from 'node:fs';
import { coreServices } from '@smile/sdk';
import type { RegisterApi, RequestContext } from '@smile/sdk';
import type { PartContext } from './context.js';
import { registerPublicApi } from './public-api.js';
import { registerBrowse } from './public-browse.js';
import { PublicCatalogue } from './public-data.js';
import { activeFilters, parseSearch, searchUrl, toSearchQuery, SORTS, type PublicSearch } from './public-query.js';
import { formatCount, viewHelpers } from './public-view.js';
import type { SearchResult } from './search.js';
import type { CatalogueSettings } from './settings.js';
import { catalogueService, type CatalogueStore } from './store.js';

type Ctx = RequestContext<any, any, any>;

const VERSION: string = JSON.parse(readFileSync(new URL('../package.json', import.meta.url), 'utf8')).version;
/** The search page's small script (it unfolds the filters on wide screens). */
export const PUBLIC_SCRIPT = `/assets/catalogue@${VERSION}/public.js`;

/** Id of the results region: the htmx target of the search form and of the paging links. */
const RESULTS = 'catalogue-results';

/** Is this an htmx request for the results region alone (not a history restore, which wants the page)? */
const RESULTS_TARGET = new RegExp(`(^|#)${RESULTS}$`);
const wantsResults = (ctx: Ctx) => ctx.htmx && ctx.koa.get('HX-Request-Type') !== 'full' && RESULTS_TARGET.test(ctx.koa.get('HX-Target'));

/** "No course", "1 course", "12 courses", "Courses 21 to 40 of 132" — what the live region announces. */
export function countText(ctx: Ctx, result: SearchResult): string {
  const fmt = (n: number) => formatCount(n, ctx.language);
  const total = fmt(result.total);
  const key = result.total === 0 ? 'none' : result.pageCount > 1 ? 'range' : result.total === 1 ? 'one' : 'other';
  const from = (result.page - 1) * result.pageSize + 1;
  const to = Math.min(result.total, result.page * result.pageSize);
  const text = ctx.t(`catalogue:public.count.${key}`, { total, from: fmt(from), to: fmt(to) });
  return result.fuzzy && result.total > 0 ? `${text} ${ctx.t('catalogue:public.count.fuzzy')}` : text;
}

/** The locals of the results region (the page includes it; the fragment is it). */
function resultLocals(ctx: Ctx, s: PublicSearch, result: SearchResult, currentYear: number, helpers: ReturnType<typeof viewHelpers>) {
  const clear = s.year === currentYear ? '/catalogue' : `/catalogue?year=${s.year}`;
  return {
    s, result, count: countText(ctx, result), filters: activeFilters(s), clearUrl: clear, h: helpers,
    pageUrl: (n: number) => searchUrl(s, currentYear, n),
    hasCriteria: Boolean(s.q) || activeFilters(s) > 0,
  };
}

function registerSearch(r: RegisterApi<CatalogueSettings>, reads: PublicCatalogue, store: () => CatalogueStore): void {
  r.route({
    method: 'GET',
    path: '/catalogue',
    public: true,
    async handler(ctx) {
      const inst = ctx.institution.id;
      const currentYear = store().currentYear();
      // the generation first: whatever is cached under it is at least as new as it
      const generation = await reads.generation(inst);
      const years = await reads.years(inst, currentYear, generation);
      const s = parseSearch(ctx.query, currentYear, years);
      const result = await reads.search(inst, toSearchQuery(s, ctx.language), generation);
      const settings = r.settingsFor(ctx.institution);
      const h = viewHelpers(ctx.language, settings.exchangeTypes);
      const locals = resultLocals(ctx, s, result, currentYear, h);
      ctx.koa.vary('HX-Target');
      if (wantsResults(ctx)) {
        // the address bar shows the canonical URL of the search; a paging link adds a history entry
        const fromLink = /^a(#|$)/.test(ctx.koa.get('HX-Source'));
        ctx.koa.set(fromLink ? 'HX-Push-Url' : 'HX-Replace-Url', searchUrl(s, currentYear));
        await ctx.render('catalogue/public-results', { ...locals, fragment: true, focusResults: fromLink });
        return;
      }
      const options = await reads.filterOptions(inst, s.year, generation);
      await ctx.render('catalogue/public-search', {
        title: s.q ? ctx.t('catalogue:public.search.titleFor', { q: s.q }) : ctx.t('catalogue:public.search.title'),
        ...locals, options, years, currentYear, sorts: SORTS, exchangeTypes: settings.exchangeTypes, script: PUBLIC_SCRIPT,
        browseUrl: s.year === currentYear ? '/catalogue/components' : `/catalogue/components?year=${s.year}`,
      });
    },
  });
}

/** Register the public pages, their navigation entry and the JSON API. */
export function registerPublic(p: PartContext): void {
  const { r } = p;
  const store = r.deferred(catalogueService);
  const database = r.deferred(coreServices.database);
  const reads = new PublicCatalogue(() => database().knex, store, r.settings.searchCacheSize);
  r.nav({ href: '/catalogue', label: { fr: 'Catalogue des cours', en: 'Course catalogue' }, area: 'main', weight: 20 });
  registerSearch(r, reads, store);
  registerBrowse(r, reads, store);
  registerPublicApi(r, reads, store);
}
