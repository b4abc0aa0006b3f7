/**
 * Learning Agreement PDF benchmark: `renderLaPdf` against bare pdfmake documents carrying the same text
 * (same table rows, same pages, same DejaVu faces and sizes) rendered in the same run, interleaved so that
 * a busy machine slows both alike.
 *
 * The bare document is the LA's own definition stripped down to what any pdfmake user writes: text runs
 * (with their bold / italics / size), tables with their widths, header rows and spans, stacks, columns and
 * margins — no styles dictionary, colours, fills, custom grid layout, links, logo, unbreakable blocks or
 * page-number footer function beyond the same footer text. It is rendered twice over:
 * - through the plugin's engine (`renderWithDejaVu`: same pdfmake instance, the DejaVu faces decoded once
 *   per process): the target compares with this one, so the ratio is the LA's own cost;
 * - through a fresh pdfmake instance with the same TTF files under another family name, as pdfmake does out
 *   of the box (every document decodes its fonts again): for information.
 */
import { readFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import path from 'node:path';
import { performance } from 'node:perf_hooks';
import pdfmake from 'pdfmake';
import type { Content, TDocumentDefinitions, TFontDictionary } from 'pdfmake/interfaces.js';
import { renderWithDejaVu, LA_FONT } from '../plugins/learning-agreement/src/fonts.js';
import { laDocDefinition, renderLaPdf } from '../plugins/learning-agreement/src/pdf.js';
import type { LaDocument } from '../plugins/learning-agreement/src/model.js';
import { laWithChanges, sign } from '../plugins/learning-agreement/test/fixtures/la-fixture.js';

/** Milliseconds per document. */
export interface MsStats {
  mean: number;
  median: number;
  p90: number;
}

/** What the PDF part reports. */
export interface PdfReport {
  documents: number;
  warmup: number;
  /** Pages of the LA and of the bare document (they should be equal: same size). */
  pages: { la: number; bare: number };
  bytes: { la: number; bare: number };
  /** Table rows (header and total rows included) of each. */
  tableRows: { la: number; bare: number };
  la: MsStats;
  /** Same engine and font handling as the LA (the target's reference). */
  bare: MsStats;
  /** A fresh pdfmake instance, fonts decoded per document (information). */
  bareOutOfTheBox: MsStats;
  /** Of the LA's time, the part spent building the definition (hash, strings, tables). */
  definitionMs: number;
}

/**
 * The LA of a student with 20 courses, a change proposal and every signature: the fixture's version 2
 * (Polish, Danish, Turkish… names), Table A grown to 20 components, signed again on its new hash.
 */
export function benchLa(): LaDocument {
  const doc = laWithChanges();
  const base = doc.tables.studied;
  doc.tables.studied = Array.from({ length: 20 }, (_, i) => {
    const c = base[i % base.length]!;
    return { ...c, code: `${c.code}-${String(i + 1).padStart(2, '0')}`, ...(c.learningOutcomesUrl ? { learningOutcomesUrl: `${c.learningOutcomesUrl}-${i + 1}` } : {}) };
  });
  const stamps = doc.signatures.map((s) => s.timestamp);
  doc.signatures = doc.signatures.map((s, i) => sign(doc, s.party, stamps[i]!));
  return doc;
}

type Node = Record<string, any>;
type Styles = Record<string, Node>;
const TEXT_PROPS = ['fontSize', 'bold', 'italics'] as const;

/** The font properties a node sets, through its named style(s) then its own. */
function fontOf(node: Node, styles: Styles, inherited: Node): Node {
  const out: Node = { ...inherited };
  for (const name of [node.style ?? []].flat() as string[]) for (const k of TEXT_PROPS) if (styles[name]?.[k] !== undefined) out[k] = styles[name]![k];
  for (const k of TEXT_PROPS) if (node[k] !== undefined) out[k] = node[k];
  return out;
}

function marginOf(node: Node, styles: Styles): unknown {
  if (node.margin !== undefined) return node.margin;
  for (const name of [node.style ?? []].flat() as string[]) if (styles[name]?.margin !== undefined) return styles[name]!.margin;
  return undefined;
}

/** Inline text as plain runs carrying only their font. */
function runs(text: unknown, styles: Styles, font: Node): Node[] {
  if (typeof text === 'string' || typeof text === 'number') return [{ text: String(text), ...font }];
  if (Array.isArray(text)) return text.flatMap((t) => runs(t, styles, font));
  if (text && typeof text === 'object') {
    const n = text as Node;
    return runs(n.text ?? '', styles, fontOf(n, styles, font));
  }
  return [];
}

/** One block of the LA's definition as a bare pdfmake block with the same text. */
function bareBlock(content: unknown, styles: Styles, font: Node): Content {
  if (typeof content === 'string') return { text: content, ...font };
  if (Array.isArray(content)) return content.map((c) => bareBlock(c, styles, font)) as Content;
  const n = (content ?? {}) as Node;
  const f = fontOf(n, styles, font);
  const keep: Node = {};
  const margin = marginOf(n, styles);
  if (margin !== undefined) keep.margin = margin;
  if (n.pageBreak) keep.pageBreak = n.pageBreak;
  if (n.width !== undefined) keep.width = n.width;
  if (n.table) {
    const t = n.table as Node;
    const body = (t.body as unknown[][]).map((row) => row.map((cell) => {
      const c = (typeof cell === 'object' && cell ? cell : { text: cell }) as Node;
      const out: Node = c.text === undefined && c.stack === undefined ? {} : { text: runs(c.text ?? '', styles, fontOf(c, styles, f)) };
      if (c.colSpan) out.colSpan = c.colSpan;
      return out;
    }));
    return { ...keep, table: { widths: t.widths, headerRows: t.headerRows ?? 0, body } } as Content;
  }
  if (n.stack) return { ...keep, stack: (n.stack as unknown[]).map((c) => bareBlock(c, styles, f)) } as Content;
  if (n.columns) return { ...keep, columns: (n.columns as unknown[]).map((c) => bareBlock(c, styles, f)), columnGap: n.columnGap } as Content;
  if (n.image) return { ...keep, text: '' } as Content;
  return { ...keep, text: runs(n.text ?? '', styles, f) } as Content;
}

/** The bare document of an LA definition: same text, same fonts and sizes, plain pdfmake. */
export function bareDefinition(la: TDocumentDefinitions, family: string): TDocumentDefinitions {
  const styles = (la.styles ?? {}) as Styles;
  const footer = la.footer as unknown as (page: number, pages: number) => Node;
  // the LA's footer text, page numbers in it, without its layout
  const footerText = (page: number, pages: number) => runs(footer(page, pages).columns, styles, {}).map((r) => r.text).join('   ');
  return {
    pageSize: la.pageSize,
    pageMargins: la.pageMargins,
    defaultStyle: { ...(la.defaultStyle as Node), font: family },
    content: bareBlock(la.content, styles, {}),
    footer: (page: number, pages: number) => ({ text: footerText(page, pages), fontSize: 6.5, margin: [36, 14, 36, 0] }),
  };
}

interface Engine {
  virtualfs: { writeFileSync(name: string, content: Buffer): void };
  setFonts(fonts: TFontDictionary): void;
  setUrlAccessPolicy(cb: (url: string) => boolean): void;
  setLocalAccessPolicy(cb: (p: string) => boolean): void;
  createPdf(def: TDocumentDefinitions): { getBuffer(): Promise<Buffer> };
}

const OUT_OF_THE_BOX = 'DejaVuSansBare';

/** pdfmake as its README sets it up, with the same four DejaVu TTF files (another family name: no shared decoding). */
function plainPdfmake(): Engine {
  const require = createRequire(import.meta.url);
  const ttf = path.join(path.dirname(require.resolve('dejavu-fonts-ttf/package.json')), 'ttf');
  const Engine = (pdfmake as unknown as { constructor: new () => Engine }).constructor;
  const engine = new Engine();
  const faces = { normal: 'DejaVuSans.ttf', bold: 'DejaVuSans-Bold.ttf', italics: 'DejaVuSans-Oblique.ttf', bolditalics: 'DejaVuSans-BoldOblique.ttf' };
  for (const f of Object.values(faces)) engine.virtualfs.writeFileSync(`bench-bare/${f}`, readFileSync(path.join(ttf, f)));
  engine.setUrlAccessPolicy(() => false);
  engine.setLocalAccessPolicy(() => false);
  engine.setFonts({ [OUT_OF_THE_BOX]: Object.fromEntries(Object.entries(faces).map(([k, f]) => [k, `bench-bare/${f}`])) as TFontDictionary[string] });
  return engine;
}

/** Pages of a PDF produced by pdfkit (page objects are written uncompressed). */
export function pageCount(pdf: Buffer): number {
  return (pdf.toString('latin1').match(/\/Type \/Page\b(?!s)/g) ?? []).length;
}

function tableRows(content: unknown): number {
  if (Array.isArray(content)) return content.reduce((n: number, c) => n + tableRows(c), 0);
  if (!content || typeof content !== 'object') return 0;
  const n = content as Node;
  if (n.table) return (n.table.body as unknown[]).length;
  return tableRows(n.stack ?? n.columns ?? []);
}

function stats(xs: number[]): MsStats {
  const s = [...xs].sort((a, b) => a - b);
  const at = (q: number) => s[Math.min(s.length - 1, Math.floor(q * s.length))]!;
  const r = (x: number) => Math.round(x * 10) / 10;
  return { mean: r(xs.reduce((a, b) => a + b, 0) / xs.length), median: r(at(0.5)), p90: r(at(0.9)) };
}

async function timedMs(fn: () => Promise<unknown>): Promise<number> {
  const t0 = performance.now();
  await fn();
  return performance.now() - t0;
}

/**
 * Render `n` LAs and `n` bare documents of each kind (after `warmup` of each), interleaved, one at a time.
 * Throws if the bare document does not have as many pages as the LA (the comparison would be unfair).
 */
export async function pdfBench(n = 50, warmup = 5, log: (m: string) => void = () => undefined): Promise<PdfReport> {
  const doc = benchLa();
  const laDef = laDocDefinition(doc, 'en');
  const bare = bareDefinition(laDef, LA_FONT);
  const plainEngine = plainPdfmake();
  const plain = bareDefinition(laDef, OUT_OF_THE_BOX);
  const renderLa = () => renderLaPdf(doc, 'en');
  const renderBare = () => renderWithDejaVu(bare);
  const renderPlain = () => plainEngine.createPdf(plain).getBuffer();
  const [laPdf, barePdf, plainPdf] = [await renderLa(), await renderBare(), await renderPlain()];
  const pages = { la: pageCount(laPdf), bare: pageCount(barePdf) };
  if (pages.la !== pages.bare || pageCount(plainPdf) !== pages.la) {
    throw new Error(`bench: the bare document has ${pages.bare} pages (out of the box: ${pageCount(plainPdf)}), the LA ${pages.la}: not the same size`);
  }
  for (let i = 0; i < warmup; i++) {
    await renderLa();
    await renderBare();
    await renderPlain();
  }
  const t = { la: [] as number[], bare: [] as number[], plain: [] as number[], def: [] as number[] };
  for (let i = 0; i < n; i++) {
    // rotate the order so that none always runs right after a garbage collection left by another
    const order = [['la', renderLa], ['bare', renderBare], ['plain', renderPlain]] as const;
    for (let k = 0; k < 3; k++) {
      const [key, fn] = order[(i + k) % 3]!;
      t[key].push(await timedMs(fn));
    }
    const d0 = performance.now();
    laDocDefinition(doc, 'en');
    t.def.push(performance.now() - d0);
  }
  const out: PdfReport = {
    documents: n, warmup, pages, bytes: { la: laPdf.length, bare: barePdf.length },
    tableRows: { la: tableRows(laDef.content), bare: tableRows(bare.content) },
    la: stats(t.la), bare: stats(t.bare), bareOutOfTheBox: stats(t.plain), definitionMs: stats(t.def).median,
  };
  log(`pdf: LA ${out.la.median} ms (median), bare ${out.bare.median} ms, bare out of the box ${out.bareOutOfTheBox.median} ms; ${pages.la} pages each`);
  return out;
}
