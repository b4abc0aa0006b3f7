import { readFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import path from 'node:path';
import pdfmake from 'pdfmake';
import type { TCreatedPdf, TDocumentDefinitions, TFontDictionary } from 'pdfmake/interfaces.js';

/** The font family name the PDF definitions use. */
export const LA_FONT = 'DejaVuSans';

const require = createRequire(import.meta.url);
const ttfDir = path.join(path.dirname(require.resolve('dejavu-fonts-ttf/package.json')), 'ttf');

/** Virtual file names, prefixed so that they cannot collide with another user of pdfmake's shared store. */
const files = {
  normal: 'smile-learning-agreement/DejaVuSans.ttf',
  bold: 'smile-learning-agreement/DejaVuSans-Bold.ttf',
  italics: 'smile-learning-agreement/DejaVuSans-Oblique.ttf',
  bolditalics: 'smile-learning-agreement/DejaVuSans-BoldOblique.ttf',
} as const;

interface VirtualFs {
  writeFileSync(name: string, content: Buffer): void;
}
interface PdfMakeEngine {
  virtualfs: VirtualFs;
  setFonts(fonts: TFontDictionary): void;
  setUrlAccessPolicy(cb: (url: string) => boolean): void;
  setLocalAccessPolicy(cb: (p: string) => boolean): void;
  createPdf(def: TDocumentDefinitions): TCreatedPdf;
}

/**
 * Our own pdfmake instance, so that our fonts and access policies do not change the shared default
 * instance another plugin may configure differently. pdfmake's Node entry exports an instance; its
 * class is the constructor.
 */
function createEngine(): PdfMakeEngine {
  const Engine = (pdfmake as unknown as { constructor: new () => PdfMakeEngine }).constructor;
  const engine = new Engine();
  // Read once per process: the TTF files weigh 2.7 MB and every PDF needs them.
  for (const name of Object.values(files)) engine.virtualfs.writeFileSync(name, readFileSync(path.join(ttfDir, path.basename(name))));
  engine.setFonts({ [LA_FONT]: { ...files } });
  // Everything a Learning Agreement shows is in the definition (logo as a data URL): a document
  // that names a URL or a local path is refused rather than fetched, so user data cannot make the
  // server read its own files or call out.
  engine.setUrlAccessPolicy(() => false);
  engine.setLocalAccessPolicy(() => false);
  return engine;
}

interface FontkitFont {
  postscriptName: string;
  createSubset(): unknown;
}
interface EmbeddedFont {
  font: FontkitFont;
  subset: unknown;
}
interface PdfMakeDocument {
  fontCache: Record<string, Record<string, unknown> | undefined>;
  fonts: Record<string, Record<string, unknown> | undefined>;
  getFontType(bold: boolean, italics: boolean): string;
  provideFont(family: string, bold: boolean, italics: boolean): EmbeddedFont;
}

// Each document decodes its fonts afresh (pdfkit's way). Sharing one decoded fontkit font between
// documents was tried for speed and dropped: glyphs laid out for one document leaked into the next
// one's subset, and text went missing from later PDFs (a test renders the circuit's PDFs first).
const engine = createEngine();

/**
 * Renders any pdfmake definition with the DejaVu fonts (family {@link LA_FONT}) to a PDF buffer.
 * Exported for benchmarks that compare a Learning Agreement with a bare document.
 */
export function renderWithDejaVu(def: TDocumentDefinitions): Promise<Buffer> {
  return engine.createPdf(def).getBuffer();
}
