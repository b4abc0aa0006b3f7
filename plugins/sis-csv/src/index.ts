import { readFileSync } from 'node:fs';
import { definePlugin } from '@smile/sdk';
import type { RegisterApi } from '@smile/sdk';
import { catalogueHooks, type SisConnector } from '@smile/plugin-catalogue';
import { registerCommand } from './cli.js';
import { BASE, registerRoutes } from './routes.js';
import { bilingual } from './strings.js';

export { readCsv, decodeCsv as decode, detectDelimiter, splitRecords } from '@smile/sdk';
export type { CsvTable, CsvRecord, CsvProblem, CsvEncoding, CsvDelimiter } from '@smile/sdk';
export { detectFormat, FORMATS, formatName } from './formats.js';
export type { FormatId, Format } from './formats.js';
export { readFiles, preview, locateErrors } from './read.js';
export type { CsvInput, FileSummary, FileError, ReadResult, Preview } from './read.js';

const VERSION: string = JSON.parse(readFileSync(new URL('../package.json', import.meta.url), 'utf8')).version;
const STYLESHEET = `<link rel="stylesheet" href="/assets/sis-csv@${VERSION}/sis-csv.css">`;

/** Add this connector to the catalogue's list (its uploads are the catalogue's `file` mode). */
function tapConnectors(r: RegisterApi): void {
  const connector: SisConnector = { id: 'sis-csv', label: bilingual('connector'), mode: 'file', configured: () => true, href: BASE };
  r.hooksOf(catalogueHooks).transformConnectors.tap((connectors) => [...connectors, connector]);
}

/**
 * The CSV connector of the catalogue: the seed system's three exports (components, formations,
 * courses) and a richer format covering the whole model, uploaded by managers with a preview of
 * every error before anything is written, or imported with `smile import catalogue`.
 */
export default definePlugin({
  register(r) {
    tapConnectors(r);
    r.hooks.transformLayout.tap((parts, page) => (page.view.startsWith('sis-csv/') ? { ...parts, head: [...parts.head, STYLESHEET] } : parts));
    registerRoutes(r);
    registerCommand(r);
  },
});
