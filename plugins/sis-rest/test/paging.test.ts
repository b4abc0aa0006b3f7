import { expect } from 'chai';
import type { Institution, Logger } from '@smile/sdk';
import type { ConnectorRun } from '@smile/plugin-catalogue';
import { nextFromLink, readCatalogue } from '../src/connector.js';
import { PEGASE_ENDPOINTS, settingsSchema, type RestSettings } from '../src/settings.js';
import { startPegaseStandIn, type PegaseStandIn } from './pegase-stand-in.js';

/** A logger that keeps every line, to check what reaches the logs. */
function keepingLogger(lines: string[]): Logger {
  const log = (level: string) => (obj: object | string, msg?: string) => void lines.push(`${level} ${JSON.stringify(obj)} ${msg ?? ''}`);
  const logger: Logger = { debug: log('debug'), info: log('info'), warn: log('warn'), error: log('error'), child: () => logger };
  return logger;
}

describe('sis-rest: reading every page', () => {
  let api: PegaseStandIn;
  const lines: string[] = [];
  const progress: [number, number | undefined][] = [];
  const run = (): ConnectorRun => ({
    institution: { id: 1, code: 'univ-test' } as Institution,
    year: 2026,
    log: keepingLogger(lines),
    signal: new AbortController().signal,
    progress: (done, total) => void progress.push([done, total]),
  });
  const settings = (over: Record<string, unknown> = {}): RestSettings =>
    settingsSchema.parse({ baseUrl: api.url, institutionCode: api.etablissement, authHeader: { name: 'Authorization', value: `Bearer ${api.token}` }, requestsPerSecond: 0, retryDelayMs: 1, ...over });
  /** The default endpoints with another paging (and page size) for all of them. */
  const paged = (paging: Record<string, unknown>) => ({
    endpoints: Object.fromEntries(Object.entries(PEGASE_ENDPOINTS).map(([k, ep]) => [k, { ...ep, paging }])),
  });

  before(async () => {
    api = await startPegaseStandIn();
  });
  after(async () => api?.close());
  beforeEach(() => {
    api.reset();
    lines.length = 0;
    progress.length = 0;
  });

  const summary = (r: Awaited<ReturnType<typeof readCatalogue>>) => ({
    components: r.batch.components.length,
    formations: r.batch.formations.length,
    elements: r.batch.elements.map((e) => e.code).sort(),
    links: r.batch.links.length,
    errors: r.errors,
  });

  it('reads the Pégase-like default: pages of `taille` items up to totalElements, the tree from the same pages', async () => {
    const r = await readCatalogue(settings(paged({ ...PEGASE_ENDPOINTS.elements.paging, size: 5 })), run());
    expect(r.errors).to.deep.equal([]);
    expect(r.batch.components.map((c) => c.nameEn)).to.include('Faculty of Economics');
    expect(r.batch.formations.find((f) => f.code === 'M1-INF')).to.deep.include({ eqf: 7, level: 4, languages: ['fr', 'en'], diplomaType: 'MAS', isced: '0613' });
    expect(r.batch.elements).to.have.length(22);
    expect(r.batch.links.filter((l) => l.childCode === 'ECO5-STA')).to.deep.equal([
      { line: 6, formationCode: 'L3-ECO', parentCode: 'ECO5-UE2', childCode: 'ECO5-STA', position: 2 },
      { line: 7, formationCode: 'M1-INF', parentCode: 'INF8-UE2', childCode: 'ECO5-STA', position: 3 },
    ]);
    // 1 page of structures, 1 of formations, 5 of elements; the links came with the elements
    const byResource = (res: string) => api.requests.filter((x) => x.resource === res).map((x) => x.page);
    expect(byResource('structures')).to.deep.equal([1]);
    expect(byResource('objets-maquette')).to.deep.equal([1, 2, 3, 4, 5]);
    expect(api.requests.every((x) => x.url.includes('/periodes/PER-2026/') || x.resource === 'structures')).to.equal(true);
    expect(progress.at(-1)).to.deep.equal([28, 28]);
  });

  it('reads the same catalogue with offset/limit, a next link in the body, a Link header, or without paging', async () => {
    const reference = summary(await readCatalogue(settings(), run()));
    const styles = [
      { style: 'offset', offsetParam: 'offset', limitParam: 'limit', limit: 4 },
      { style: 'next', nextPath: 'next', sizeParam: 'taille', size: 4 },
      { style: 'link', sizeParam: 'taille', size: 4 },
      { style: 'page', pageParam: 'page', sizeParam: 'taille', size: 4 },
    ];
    for (const paging of styles) {
      api.reset();
      expect(summary(await readCatalogue(settings(paged(paging)), run())), paging.style).to.deep.equal(reference);
      // 22 elements in pages of 4: 6 pages; without a total or a next link, one more (empty) page says it is the end
      const pages = api.requests.filter((x) => x.resource === 'objets-maquette').length;
      expect(pages, paging.style).to.equal(paging.style === 'page' || paging.style === 'offset' ? 7 : 6);
    }
    api.reset();
    expect(summary(await readCatalogue(settings(paged({ style: 'none' })), run()))).to.deep.equal(reference);
    expect(api.requests.filter((x) => x.resource === 'objets-maquette')).to.have.length(1);
  });

  it('stops when the paging parameters are ignored and the same page comes back', async () => {
    const e = await readCatalogue(settings(paged({ style: 'page', pageParam: 'numero', sizeParam: 'taille', size: 5 })), run()).then(() => null, (x: Error) => x);
    expect(e?.message).to.match(/^components, page 2: the API sent the same page twice/);
  });

  it('says which endpoint and page failed, and never logs the auth header', async () => {
    api.fail({ resource: 'objets-maquette', page: 3, status: 500, times: Infinity });
    const e = await readCatalogue(settings({ maxRetries: 1, ...paged({ ...PEGASE_ENDPOINTS.elements.paging, size: 5 }) }), run()).then(() => null, (x: Error) => x);
    expect(e?.message).to.match(/^elements, page 3: GET http:\/\/127\.0\.0\.1:\d+\/api\/odf\/v1\/etablissements\/ETAB01\/periodes\/PER-2026\/objets-maquette\?page=2&taille=5 answered 500/);
    expect(lines.some((l) => l.startsWith('warn') && l.includes('retrying'))).to.equal(true);
    expect(lines.join('\n')).not.to.contain(api.token);
  });

  it('refuses an empty list of elements rather than closing the whole offer', async () => {
    api.offer.objets = [];
    const e = await readCatalogue(settings(), run()).then(() => null, (x: Error) => x);
    expect(e?.message).to.match(/no teaching element/);
    const wrong = await readCatalogue(settings({ endpoints: { ...PEGASE_ENDPOINTS, elements: { ...PEGASE_ENDPOINTS.elements, items: '$.content[*]' } } }), run()).then(() => null, (x: Error) => x);
    expect(wrong?.message).to.match(/^elements, page 1: the answer has no list at "\$\.content\[\*\]"/);
  });

  it('reads a Link header', () => {
    expect(nextFromLink('</x?page=1>; rel="prev", </x?page=3>; rel="next", </x?page=9>; rel="last"')).to.equal('/x?page=3');
    expect(nextFromLink('<https://api.example/x?page=2>; rel=next')).to.equal('https://api.example/x?page=2');
    expect(nextFromLink('</x?page=9>; rel="last"')).to.equal(null);
    expect(nextFromLink(null)).to.equal(null);
  });
});
