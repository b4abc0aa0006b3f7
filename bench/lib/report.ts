/** The final markdown tables and the JSON written to bench/results/latest.json. */
import type { LoadResult, LoadSettings } from './load.js';
import type { PdfReport } from '../learning-agreement.js';
import type { PickerReport } from '../picker.js';

export type { PdfReport, PickerReport };

export const TARGETS = {
  homeRatioMin: 0.35,
  /** Catalogue search fragment on 50,000 elements (PostgreSQL): share of the ceiling, p99. */
  searchRatioMin: 0.03,
  searchP99MaxMs: 100,
  /** CSV import (upsert) of 50,000 rows: at most this many times a raw knex batch insert. */
  importRatioMax: 3,
  /** Learning Agreement PDF: at most this many times a bare pdfmake document of the same size. */
  pdfRatioMax: 1.5,
  /** Course picker page of a student with 20 chosen elements, 50,000 elements (PostgreSQL): share of the ceiling, p99. */
  pickerRatioMin: 0.05,
  pickerP99MaxMs: 100,
  coldStartMaxS: 5,
  rssMaxMb: 700,
} as const;

export interface Throughput {
  id: string;
  label: string;
  /** Which process served it. */
  process: string;
  result: LoadResult;
  /** Compared to the home-page target (≥ 35 % of the ceiling). */
  homePage: boolean;
}

export interface Report {
  date: string;
  node: string;
  /** 1, 5 and 15 min load averages when the run started. */
  loadAverageAtStart: number[];
  cpus: number;
  cpuModel: string;
  settings: LoadSettings;
  ceiling: LoadResult;
  throughput: Throughput[];
  coldStart: { firstBootEmptyDirS: number; secondBootExistingDirS: number; firstBootPeakRssMb: number | null; helloFirstBootEmptyDirS: number | null };
  memory: { process: string; rssMb: number | null; peakMb: number | null; afterBootRssMb: number | null }[];
  logLinesDuringLoad: Record<string, number>;
  notes: string[];
  catalogue?: CatalogueReport | null;
  /** Learning Agreement PDF against a bare pdfmake document (in the benchmark process). */
  pdf?: PdfReport | null;
  /** The course picker on the catalogue part's PostgreSQL database. */
  picker?: PickerReport | null;
}

/** The catalogue measures (PostgreSQL server). */
export interface CatalogueReport {
  elements: number;
  queries: number;
  search: LoadResult;
  /** Each query once, before the load (nothing cached yet), one at a time. */
  uncachedMs: { mean: number; max: number };
  /** Queries whose plan scans `catalogue_elements` sequentially. */
  seqScans: string[];
  import: { rows: number; rawInsertS: number; importCreateS: number; importUpsertS: number; upsertUpdated: number };
}

const pct = (x: number) => `${(x * 100).toFixed(1)} %`;
const pf = (ok: boolean) => (ok ? 'PASS' : 'FAIL');
const num = (n: number) => n.toLocaleString('en-US');

export function ratio(r: LoadResult, ceiling: LoadResult) {
  return ceiling.rps > 0 ? r.rps / ceiling.rps : 0;
}

/** Markdown tables of the report. */
export function toMarkdown(rep: Report): string {
  const L: string[] = [];
  const c = rep.ceiling;
  const s = rep.settings;
  L.push(`## SMILE benchmark — ${rep.date}`);
  L.push('');
  L.push(`node ${rep.node}, ${rep.cpus} CPU (${rep.cpuModel}); autocannon ${s.connections} connections, ${s.warmupS} s warm-up + ${s.durationS} s per endpoint; load generator on the same machine; load average at start ${rep.loadAverageAtStart.join(' ')}.`);
  L.push('');
  L.push('| Scenario | Process | req/s | p50 ms | p99 ms | % of ceiling | Target | Result | server CPU µs/req | ceiling ÷ CPU/req | non-2xx / errors | others\' CPU |');
  L.push('|---|---|---:|---:|---:|---:|---|---|---:|---:|---:|---:|');
  const us = (r: LoadResult) => (r.serverCpuUsPerReq == null ? 'n/a' : String(r.serverCpuUsPerReq));
  const cpuRatio = (r: LoadResult) => (r.serverCpuUsPerReq && c.serverCpuUsPerReq ? pct(c.serverCpuUsPerReq / r.serverCpuUsPerReq) : 'n/a');
  const oc = (r: LoadResult) => (r.othersCpu == null ? 'n/a' : `${Math.round(r.othersCpu * 100)} %`);
  L.push(`| Ceiling: bare Koa "hello" | ceiling | ${num(c.rps)} | ${c.p50} | ${c.p99} | 100 % | — | — | ${us(c)} | 100 % | ${c.non2xx} / ${c.errors + c.timeouts} | ${oc(c)} |`);
  for (const t of rep.throughput) {
    const r = t.result;
    const q = ratio(r, c);
    const bad = r.non2xx + r.errors + r.timeouts > 0;
    const target = t.homePage ? `≥ ${pct(TARGETS.homeRatioMin).replace('.0', '')}` : '—';
    const result = t.homePage ? pf(q >= TARGETS.homeRatioMin && !bad) : bad ? 'ERRORS' : '—';
    L.push(`| ${t.label} | ${t.process} | ${num(r.rps)} | ${r.p50} | ${r.p99} | ${pct(q)} | ${target} | ${result} | ${us(r)} | ${cpuRatio(r)} | ${r.non2xx} / ${r.errors + r.timeouts} | ${oc(r)} |`);
  }
  L.push('');
  L.push('| Measure | Value | Target | Result |');
  L.push('|---|---:|---|---|');
  const cs = rep.coldStart;
  L.push(`| Cold start: spawn → first 200 on GET / (existing data dir) | ${cs.secondBootExistingDirS.toFixed(2)} s | < ${TARGETS.coldStartMaxS} s | ${pf(cs.secondBootExistingDirS < TARGETS.coldStartMaxS)} |`);
  const peak = cs.firstBootPeakRssMb !== null ? ` (peak RSS ${cs.firstBootPeakRssMb} MB)` : '';
  L.push(`| First boot on an empty dir (creates + seeds demo) | ${cs.firstBootEmptyDirS.toFixed(2)} s${peak} | info | — |`);
  if (cs.helloFirstBootEmptyDirS !== null) {
    L.push(`| First boot on an empty dir, with hello-plugin | ${cs.helloFirstBootEmptyDirS.toFixed(2)} s | info | — |`);
  }
  for (const m of rep.memory) {
    const v = m.rssMb === null ? 'n/a' : `${m.rssMb} MB`;
    const extra = [m.afterBootRssMb !== null ? `after boot ${m.afterBootRssMb} MB` : '', m.peakMb !== null ? `peak ${m.peakMb} MB` : ''].filter(Boolean).join(', ');
    L.push(`| RSS after load, ${m.process}${extra ? ` (${extra})` : ''} | ${v} | < ${TARGETS.rssMaxMb} MB | ${m.rssMb === null ? 'n/a' : pf(m.rssMb < TARGETS.rssMaxMb)} |`);
  }
  const cat = rep.catalogue;
  if (cat) {
    const q = ratio(cat.search, c);
    const bad = cat.search.non2xx + cat.search.errors + cat.search.timeouts > 0;
    L.push(`| Catalogue search fragment, ${num(cat.elements)} elements, ${cat.queries} queries in rotation (PostgreSQL) | ${num(cat.search.rps)} req/s (${pct(q)} of ceiling) | ≥ ${pct(TARGETS.searchRatioMin)} | ${pf(q >= TARGETS.searchRatioMin && !bad)} |`);
    L.push(`| Catalogue search p99 at ${rep.settings.connections} connections | ${cat.search.p99} ms | < ${TARGETS.searchP99MaxMs} ms | ${pf(cat.search.p99 < TARGETS.searchP99MaxMs && !bad)} |`);
    L.push(`| Catalogue search, each query once before the load (not cached), one at a time | mean ${cat.uncachedMs.mean} ms, max ${cat.uncachedMs.max} ms | info | — |`);
    L.push(`| Search plans with a sequential scan of catalogue_elements | ${cat.seqScans.length} of ${cat.queries} | 0 | ${pf(cat.seqScans.length === 0)} |`);
    const i = cat.import;
    L.push(`| Raw knex batch inserts of the same rows (${num(i.rows)} elements with their formations and placements) | ${i.rawInsertS.toFixed(2)} s | reference | — |`);
    L.push(`| CSV import of ${num(i.rows)} rows, all new (parse + validate + upsert) | ${i.importCreateS.toFixed(2)} s (${(i.importCreateS / i.rawInsertS).toFixed(2)}×) | ≤ ${TARGETS.importRatioMax}× | ${pf(i.importCreateS / i.rawInsertS <= TARGETS.importRatioMax)} |`);
    L.push(`| CSV re-import of ${num(i.rows)} rows, ${num(i.upsertUpdated)} changed (upsert) | ${i.importUpsertS.toFixed(2)} s (${(i.importUpsertS / i.rawInsertS).toFixed(2)}×) | ≤ ${TARGETS.importRatioMax}× | ${pf(i.importUpsertS / i.rawInsertS <= TARGETS.importRatioMax)} |`);
  }
  L.push(...pdfSection(rep.pdf));
  L.push(...pickerSection(rep, c));
  L.push('');
  L.push('"ceiling ÷ CPU/req": the ceiling\'s server CPU per request divided by this one\'s — the ratio the server alone would reach if CPU-bound, less sensitive to other load on the machine than req/s. PASS/FAIL uses req/s.');
  if (rep.notes.length) {
    L.push('');
    for (const n of rep.notes) L.push(`- ${n}`);
  }
  return L.join('\n');
}

/** LA PDF ÷ bare pdfmake document (medians: robust to a pause of the machine). */
export const pdfRatio = (p: PdfReport) => (p.bare.median > 0 ? p.la.median / p.bare.median : 0);

const pickerPass = (r: LoadResult, c: LoadResult) => ratio(r, c) >= TARGETS.pickerRatioMin && r.p99 < TARGETS.pickerP99MaxMs && r.non2xx + r.errors + r.timeouts === 0;

function pdfSection(p: PdfReport | null | undefined): string[] {
  if (!p) return [];
  const ms = (x: { mean: number; median: number; p90: number }) => `${x.median} ms (mean ${x.mean}, p90 ${x.p90})`;
  const q = pdfRatio(p);
  return [
    '',
    `### Learning Agreement PDF (${p.documents} documents of each kind after ${p.warmup} of warm-up, interleaved, in the benchmark process)`,
    '',
    '| Document | ms per document: median (mean, p90) | Pages | Table rows | Size | ÷ bare | Target | Result |',
    '|---|---:|---:|---:|---:|---:|---|---|',
    `| \`renderLaPdf\`: LA with 20 components, a change proposal and 6 signatures | ${ms(p.la)} | ${p.pages.la} | ${p.tableRows.la} | ${Math.round(p.bytes.la / 1024)} KB | ${q.toFixed(2)}× | ≤ ${TARGETS.pdfRatioMax}× | ${pf(q <= TARGETS.pdfRatioMax)} |`,
    `| Bare pdfmake document, same text, same engine and fonts (\`renderWithDejaVu\`) | ${ms(p.bare)} | ${p.pages.bare} | ${p.tableRows.bare} | ${Math.round(p.bytes.bare / 1024)} KB | 1× | reference | — |`,
    `| Same bare document, pdfmake out of the box (fonts decoded for every document) | ${ms(p.bareOutOfTheBox)} | ${p.pages.bare} | ${p.tableRows.bare} | — | ${(p.la.median / p.bareOutOfTheBox.median).toFixed(2)}× (LA ÷ this) | info | — |`,
    `| of which the LA's definition (hash, strings, tables), median | ${p.definitionMs} ms | | | | | info | — |`,
  ];
}

function pickerSection(rep: Report, c: LoadResult): string[] {
  const p = rep.picker;
  if (!p) return [];
  const row = (label: string, r: LoadResult) => {
    const bad = r.non2xx + r.errors + r.timeouts;
    return `| ${label} | ${num(r.rps)} | ${r.p50} | ${r.p99} | ${pct(ratio(r, c))} | ≥ ${pct(TARGETS.pickerRatioMin).replace('.0', '')}, p99 < ${TARGETS.pickerP99MaxMs} ms | ${pf(pickerPass(r, c))} | ${r.serverCpuUsPerReq ?? 'n/a'} | ${Math.round(r.bytesPerReq / 1024)} KB | ${r.non2xx} / ${r.errors + r.timeouts} | ${r.othersCpu == null ? 'n/a' : `${Math.round(r.othersCpu * 100)} %`} |`;
  };
  const info = (label: string, r: LoadResult) =>
    `| ${label} | ${num(r.rps)} | ${r.p50} | ${r.p99} | ${pct(ratio(r, c))} | info | — | ${r.serverCpuUsPerReq ?? 'n/a'} | ${Math.round(r.bytesPerReq / 1024)} KB | ${r.non2xx} / ${r.errors + r.timeouts} | ${r.othersCpu == null ? 'n/a' : `${Math.round(r.othersCpu * 100)} %`} |`;
  return [
    '',
    `### Course picker, student with ${p.chosen} chosen elements, ${num(p.elements)} elements in the year (PostgreSQL, ${rep.settings.connections} connections)`,
    '',
    '| Request | req/s | p50 ms | p99 ms | % of ceiling | Target | Result | server CPU µs/req | size | non-2xx / errors | others\' CPU |',
    '|---|---:|---:|---:|---:|---|---|---:|---:|---:|---:|',
    row(`GET /mobility/me/${p.fileId}/courses (whole page, signed-in student)`, p.page),
    row(`htmx search fragment, ${p.queries} searches in rotation`, p.fragment),
    ...(p.floor ? [info("For comparison: GET / signed-in, same process (the platform's floor for a signed-in page)", p.floor)] : []),
    ...(p.staticPage ? [info('For comparison: the same page\'s bytes answered by a bare Koa process (the most a page of this size reaches here)', p.staticPage)] : []),
    '',
    `One request at a time before the load: the page ${p.singleMs.page} ms; the searches mean ${p.singleMs.fragmentMean} ms, max ${p.singleMs.fragmentMax} ms.`,
  ];
}

/** The report as JSON, with ratios and pass/fail computed. */
export function toJson(rep: Report) {
  const c = rep.ceiling;
  return {
    ...rep,
    targets: TARGETS,
    throughput: rep.throughput.map((t) => ({
      ...t,
      ratioToCeiling: Math.round(ratio(t.result, c) * 1000) / 1000,
      cpuRatioToCeiling: t.result.serverCpuUsPerReq && c.serverCpuUsPerReq ? Math.round((c.serverCpuUsPerReq / t.result.serverCpuUsPerReq) * 1000) / 1000 : null,
      pass: t.homePage ? ratio(t.result, c) >= TARGETS.homeRatioMin && t.result.non2xx + t.result.errors + t.result.timeouts === 0 : null,
    })),
    coldStart: { ...rep.coldStart, pass: rep.coldStart.secondBootExistingDirS < TARGETS.coldStartMaxS },
    memory: rep.memory.map((m) => ({ ...m, pass: m.rssMb === null ? null : m.rssMb < TARGETS.rssMaxMb })),
    pdf: rep.pdf ? { ...rep.pdf, ratio: Math.round(pdfRatio(rep.pdf) * 100) / 100, pass: pdfRatio(rep.pdf) <= TARGETS.pdfRatioMax } : null,
    picker: rep.picker
      ? {
        ...rep.picker,
        pageRatioToCeiling: Math.round(ratio(rep.picker.page, c) * 1000) / 1000,
        fragmentRatioToCeiling: Math.round(ratio(rep.picker.fragment, c) * 1000) / 1000,
        pagePass: pickerPass(rep.picker.page, c),
        fragmentPass: pickerPass(rep.picker.fragment, c),
      }
      : null,
  };
}
