/**
 * The connector: reads every page of each configured endpoint, maps the items to catalogue records
 * and hands the batch to the catalogue, which imports it all or nothing. An API failure throws (the
 * run fails, nothing changes); items that cannot be mapped are row errors (nothing is imported).
 * @packageDocumentation
 */
import type { Institution } from '@smile/sdk';
import type { CatalogueBatch, ConnectorResult, ConnectorRun, RowError, SisConnector } from '@smile/plugin-catalogue';
import { RestClient, RestError, type Clock, type Fetched } from './client.js';
import { ENTITIES, ERROR_ENTITY, mapItem, recordKey, sameRecord, type Entity, type MappedRecord } from './mapping.js';
import { evaluate, itemsOf, type Match } from './path.js';
import type { Endpoint, Paging, RestSettings } from './settings.js';
import { bilingual } from './strings.js';

/** Pages one endpoint may have: beyond, the paging settings are surely wrong. */
const MAX_PAGES = 100_000;
/** Row errors kept (the run shows the first ones; more would only fill memory). */
const MAX_ERRORS = 1000;

/** A page read, with its list (the page's own array) and the items the endpoint's `items` path finds. */
interface Page extends Fetched {
  number: number;
  list: unknown[];
  total: number | null;
}

/** Values of `{year}`, `{nextYear}`, `{institution}` in paths and query parameters. */
type Vars = Record<'year' | 'nextYear' | 'institution', string>;

const fill = (s: string, vars: Vars, encode: boolean) =>
  s.replace(/\{(year|nextYear|institution)\}/g, (_, k: keyof Vars) => (encode ? encodeURIComponent(vars[k]) : vars[k]));

function firstNumber(matches: Match[]): number | null {
  for (const m of matches) {
    const n = typeof m.value === 'number' ? m.value : typeof m.value === 'string' && /^\d+$/.test(m.value.trim()) ? Number(m.value) : NaN;
    if (Number.isFinite(n)) return n;
  }
  return null;
}

/** The `rel="next"` target of a Link header. */
export function nextFromLink(header: string | null): string | null {
  if (!header) return null;
  for (const m of header.matchAll(/<([^>]*)>\s*((?:;\s*[^;,]*)*)/g)) {
    const rel = /;\s*rel\s*=\s*"?([^";]+)"?/i.exec(m[2] ?? '')?.[1];
    if (rel && rel.toLowerCase().split(/\s+/).includes('next')) return m[1]!;
  }
  return null;
}

function firstUrl(client: RestClient, ep: Endpoint, vars: Vars): URL {
  const url = client.url(fill(ep.path, vars, true));
  for (const [k, v] of Object.entries(ep.query)) url.searchParams.set(k, fill(v, vars, false));
  const p = ep.paging;
  if (p.style === 'page') {
    url.searchParams.set(p.pageParam, String(p.firstPage));
    url.searchParams.set(p.sizeParam, String(p.size));
  } else if (p.style === 'offset') {
    url.searchParams.set(p.offsetParam, '0');
    url.searchParams.set(p.limitParam, String(p.limit));
  } else if ((p.style === 'next' || p.style === 'link') && p.sizeParam) {
    url.searchParams.set(p.sizeParam, String(p.size));
  }
  return url;
}

/** Where the page after `page` is, or null after the last one. */
function nextUrl(paging: Paging, page: Page, seen: number): URL | null {
  if (paging.style === 'none' || page.list.length === 0) return null;
  if (page.total !== null && seen >= page.total) return null;
  if (paging.style === 'page' || paging.style === 'offset') {
    const url = new URL(page.url);
    if (paging.style === 'page') url.searchParams.set(paging.pageParam, String(paging.firstPage + page.number));
    else url.searchParams.set(paging.offsetParam, String(seen));
    return url;
  }
  const target = paging.style === 'next'
    ? evaluate(paging.nextPath, page.body).map((m) => m.value).find((v) => typeof v === 'string' && v.trim() !== '')
    : nextFromLink(page.headers.get('link'));
  return typeof target === 'string' ? new URL(target, page.url) : null;
}

/** Every page of an endpoint, in order. */
async function* readPages(client: RestClient, entity: Entity, ep: Endpoint, vars: Vars): AsyncGenerator<Page> {
  let url: URL | null = firstUrl(client, ep, vars);
  const visited = new Set<string>();
  let previous = '';
  let seen = 0;
  let total: number | null = null;
  for (let number = 1; url; number++) {
    if (number > MAX_PAGES) throw new Error(`${entity}: more than ${MAX_PAGES} pages: check the paging settings`);
    if (visited.has(url.href)) throw new Error(`${entity}, page ${number}: the API sends back to a page already read (${url.pathname}${url.search}): check the paging settings`);
    visited.add(url.href);
    let got: Fetched;
    try {
      got = await client.getJson(url);
    } catch (e) {
      if (e instanceof RestError) throw new Error(`${entity}, page ${number}: ${e.message}`);
      throw e;
    }
    const { list } = itemsOf(ep.items, got.body);
    if (list === null) throw new Error(`${entity}, page ${number}: the answer has no list at "${ep.items}": check the endpoint's items path`);
    const same = list.length > 0 ? JSON.stringify(list) : '';
    if (same && same === previous) throw new Error(`${entity}, page ${number}: the API sent the same page twice: check the paging parameters`);
    previous = same;
    if (number === 1 && ep.paging.style !== 'none' && ep.paging.totalPath) total = firstNumber(evaluate(ep.paging.totalPath, got.body));
    seen += list.length;
    const page: Page = { ...got, number, list, total };
    yield page;
    url = nextUrl(ep.paging, page, seen);
  }
}

/** Pages of two endpoints reading the same URLs are fetched once (the tree often comes with the elements). */
const pageKey = (ep: Endpoint) => JSON.stringify([ep.path, ep.query, ep.paging, itemsHead(ep.items)]);
const itemsHead = (items: string) => items.split(/\[\*\]|\[[^\]]*=|\.\.|\.\*/)[0];

/** Read the whole catalogue of `run.year` through the API described by `settings`. */
export async function readCatalogue(settings: RestSettings, run: ConnectorRun, opts: { clock?: Clock } = {}): Promise<ConnectorResult> {
  if (!settings.baseUrl) throw new Error('the REST connector has no baseUrl for this institution');
  const client = new RestClient({
    baseUrl: settings.baseUrl, authHeader: settings.authHeader, headers: settings.headers, timeoutMs: settings.timeoutMs,
    maxRetries: settings.maxRetries, retryDelayMs: settings.retryDelayMs, requestsPerSecond: settings.requestsPerSecond,
    signal: run.signal, log: run.log, clock: opts.clock,
  });
  const vars: Vars = { year: String(run.year), nextYear: String(run.year + 1), institution: settings.institutionCode || run.institution.code };
  const batch: CatalogueBatch = { components: [], formations: [], elements: [], links: [] };
  const errors: RowError[] = [];
  const endpoints = ENTITIES.flatMap((entity) => (settings.endpoints[entity] ? [{ entity, ep: settings.endpoints[entity] as Endpoint }] : []));
  const uses = new Map<string, number>();
  for (const { ep } of endpoints) uses.set(pageKey(ep), (uses.get(pageKey(ep)) ?? 0) + 1);
  const kept = new Map<string, Page[]>();
  const done = new Map<Entity, number>();
  const totals = new Map<Entity, number | null>();
  const report = () => {
    let d = 0;
    let t = 0;
    for (const { entity } of endpoints) {
      d += done.get(entity) ?? 0;
      t += totals.get(entity) ?? done.get(entity) ?? 0;
    }
    run.progress(d, Math.max(t, d));
  };

  for (const { entity, ep } of endpoints) {
    const key = pageKey(ep);
    const seen = new Map<string, MappedRecord>();
    const list = batch[entity] as MappedRecord[];
    let index = 0;
    const take = (page: Page) => {
      for (const item of itemsOf(ep.items, page.body).items) {
        index++;
        if (typeof item.value !== 'object' || item.value === null || Array.isArray(item.value)) {
          if (errors.length < MAX_ERRORS) errors.push({ entity: ERROR_ENTITY[entity], line: index, message: bilingual('errors.notObject', { endpoint: entity, record: index, page: page.number }) });
          continue;
        }
        const mapped = mapItem(item, ep.fields, { entity, index, page: page.number });
        for (const e of mapped.errors) if (errors.length < MAX_ERRORS) errors.push(e);
        if (!mapped.record) continue;
        const k = recordKey(entity, mapped.record);
        const before = seen.get(k);
        // offset paging over a list that moved can show a record twice: the same record is kept once
        if (before && sameRecord(before, mapped.record)) continue;
        if (!before) seen.set(k, mapped.record);
        list.push(mapped.record);
      }
    };
    const cached = kept.get(key);
    if (cached) {
      for (const page of cached) take(page);
    } else {
      const keep = (uses.get(key) ?? 0) > 1;
      const pages: Page[] = [];
      for await (const page of readPages(client, entity, ep, vars)) {
        if (keep) pages.push(page);
        take(page);
        done.set(entity, (done.get(entity) ?? 0) + page.list.length);
        if (page.number === 1) totals.set(entity, page.total);
        report();
      }
      if (keep) kept.set(key, pages);
    }
    uses.set(key, (uses.get(key) ?? 1) - 1);
    if (!uses.get(key)) kept.delete(key);
    run.log.info({ connector: 'sis-rest', endpoint: entity, records: list.length }, 'catalogue API endpoint read');
  }
  if (!batch.elements.length && !errors.length) {
    // a full sync closes what the source no longer has: an empty answer must not close the whole offer
    throw new Error('the API returned no teaching element: nothing was imported (check the elements endpoint and the year)');
  }
  return { batch, errors };
}

/** The connector for the catalogue's list, reading each institution's settings when it runs. */
export function restConnector(settingsOf: (institution: Institution) => RestSettings, opts: { clock?: Clock } = {}): SisConnector {
  return {
    id: 'sis-rest',
    mode: 'pull',
    href: '/admin/plugins/sis-rest/settings',
    label: bilingual('connector.label'),
    configured: (institution) => !!settingsOf(institution).baseUrl,
    schedule: (institution) => settingsOf(institution).schedule?.trim() || null,
    fetch: (run) => readCatalogue(settingsOf(run.institution), run, opts),
  };
}
