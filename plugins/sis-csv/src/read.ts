/**
 * Read one or several CSV files into one catalogue batch (components, formations and courses may
 * come in separate files and refer to each other), keeping for every record its file and line.
 * @packageDocumentation
 */
import type { Bilingual } from '@smile/sdk';
import type { CatalogueBatch, CatalogueStore, ImportReport, RowError } from '@smile/plugin-catalogue';
import { readCsv, type CsvDelimiter, type CsvEncoding } from '@smile/sdk';
import { detectFormat, FORMATS, Row, type FileBatch, type FormatId } from './formats.js';
import { bilingual } from './strings.js';

/** A file to read: its name (as uploaded or given on the command line) and its bytes. */
export interface CsvInput {
  name: string;
  data: Uint8Array;
}

/** What was found in one file. */
export interface FileSummary {
  name: string;
  size: number;
  encoding: CsvEncoding;
  delimiter: CsvDelimiter;
  /** `null` when the header matches no format. */
  format: FormatId | null;
  /** Data rows (blank lines left out). */
  rows: number;
  /** Header cells no column of the format reads. */
  ignored: string[];
}

/** A row error located in its file. */
export interface FileError extends RowError {
  file: string;
}

export interface ReadResult {
  files: FileSummary[];
  batch: CatalogueBatch;
  /** File errors (format, structure) and cells that could not be read, by file then line. */
  errors: FileError[];
  /** `true` when a whole file could not be read: checking the batch against the catalogue would only add noise. */
  fileErrors: boolean;
}

/**
 * Lines of the batch are `file index × LINE_BASE + file line`, so that the errors the catalogue
 * finds can be traced back to a file; for the first file they are the file's own lines.
 */
const LINE_BASE = 10_000_000;

const emptyBatch = (): CatalogueBatch => ({ components: [], formations: [], elements: [], links: [] });
const json = (r: object) => JSON.stringify({ ...r, line: undefined });

/** Read `inputs` into one batch. */
export function readFiles(inputs: CsvInput[]): ReadResult {
  const files: FileSummary[] = [];
  const errors: FileError[] = [];
  const batch = emptyBatch();
  let fileErrors = false;
  // first occurrence of each code (encoded line), to tell duplicates from a course placed in several formations
  type First = { line: number; record: object };
  const seen = { component: new Map<string, First>(), formation: new Map<string, First>(), element: new Map<string, First>() };
  // placements taken by element rows (to recognise a repeated course), and placements in the batch
  const placed = new Set<string>();
  const pushed = new Set<string>();

  inputs.forEach((input, index) => {
    const fileError = (message: Bilingual, line?: number) => {
      errors.push({ file: input.name, entity: 'file', line, message });
    };
    const table = readCsv(input.data);
    const summary: FileSummary = { name: input.name, size: input.data.length, encoding: table.encoding, delimiter: table.delimiter, format: null, rows: table.records.length, ignored: [] };
    files.push(summary);
    if (!table.header.length) {
      fileError(bilingual('errors.emptyFile'));
      fileErrors = true;
      return;
    }
    const detected = detectFormat(table.header);
    if (!detected.ok) {
      fileError(detected.error, 1);
      fileErrors = true;
      return;
    }
    summary.format = detected.format.id;
    summary.ignored = detected.ignored;
    const broken = new Set<number>();
    for (const p of table.problems) {
      broken.add(p.line);
      fileError(p.kind === 'unterminated-quote' ? bilingual('errors.unterminatedQuote') : bilingual('errors.fieldCount', { expected: p.expected!, found: p.found! }), p.line);
    }
    if (table.records.length && table.records[table.records.length - 1]!.line >= LINE_BASE) {
      fileError(bilingual('errors.tooLong', { max: LINE_BASE - 1 }));
      fileErrors = true;
      return;
    }
    const out: FileBatch = { ...emptyBatch(), errors: [] };
    for (const record of table.records) {
      if (broken.has(record.line)) continue;
      const cells = new Map<string, string>();
      detected.columns.forEach((c, i) => {
        if (c) cells.set(c, record.fields[i] ?? '');
      });
      detected.format.read(new Row(record.line, cells, out.errors), out);
    }
    const base = index * LINE_BASE;
    for (const e of out.errors) errors.push({ ...e, file: input.name });
    const where = (line: number) => ({ file: inputs[Math.floor(line / LINE_BASE)]!.name, line: line % LINE_BASE });
    const duplicate = (entity: 'component' | 'formation' | 'element', r: { code: string; line?: number }, first: number): FileError => {
      const at = where(first);
      const here = at.file === input.name;
      return {
        file: input.name, entity, line: r.line, code: r.code, field: 'code',
        message: here ? bilingual('errors.duplicate', { code: r.code, line: at.line }) : bilingual('errors.duplicateElsewhere', { code: r.code, file: at.file, line: at.line }),
      };
    };
    const rejected = new Set<number | undefined>();
    const keep = <T extends { code: string; line?: number }>(entity: 'component' | 'formation' | 'element', list: T[], into: T[], shared?: (r: T) => boolean) => {
      for (const r of list) {
        const line = base + (r.line ?? 0);
        const first = typeof r.code === 'string' && r.code ? seen[entity].get(r.code) : undefined;
        if (first) {
          // the same course repeated with the same values, to place it in another formation: not a duplicate
          if (shared && json(first.record) === json(r) && shared(r)) continue;
          errors.push(duplicate(entity, r, first.line));
          rejected.add(r.line);
          continue;
        }
        if (typeof r.code === 'string' && r.code) seen[entity].set(r.code, { line, record: r });
        shared?.(r);
        into.push({ ...r, line });
      }
    };
    keep('component', out.components, batch.components);
    keep('formation', out.formations, batch.formations);
    const linkKey = (l: { formationCode: string; parentCode?: string | null; childCode: string }) => `${l.formationCode}\u0000${l.parentCode ?? ''}\u0000${l.childCode}`;
    const linksOf = new Map<number | undefined, string[]>();
    for (const l of out.links) linksOf.set(l.line, [...(linksOf.get(l.line) ?? []), linkKey(l)]);
    // a repeated course is another placement when its placements are all new; each row's placements are then taken
    keep('element', out.elements, batch.elements, (r) => {
      const keys = linksOf.get(r.line) ?? [];
      if (!keys.length || keys.some((k) => placed.has(k))) return false;
      for (const k of keys) placed.add(k);
      return true;
    });
    for (const l of out.links) {
      const k = linkKey(l);
      if (pushed.has(k) || rejected.has(l.line)) continue;
      pushed.add(k);
      batch.links.push({ ...l, line: base + (l.line ?? 0) });
    }
  });
  return { files, batch, errors: sortErrors(errors, inputs), fileErrors };
}

function sortErrors(errors: FileError[], inputs: CsvInput[]): FileError[] {
  const order = new Map(inputs.map((f, i) => [f.name, i]));
  return errors.sort((a, b) => (order.get(a.file) ?? 0) - (order.get(b.file) ?? 0) || (a.line ?? 0) - (b.line ?? 0));
}

/** The file and file line of a batch line. */
export function locate(inputs: { name: string }[], line: number | undefined): { file: string; line: number | undefined } {
  if (line === undefined) return { file: inputs.length === 1 ? inputs[0]!.name : '', line: undefined };
  return { file: inputs[Math.floor(line / LINE_BASE)]?.name ?? '', line: line % LINE_BASE };
}

/** Errors the catalogue found in a batch, traced back to their file, line and column. */
export function locateErrors(inputs: { name: string }[], files: FileSummary[], errors: RowError[]): FileError[] {
  return errors.map((e) => {
    // errors of the reader already name their file
    if ('file' in e && typeof e.file === 'string') return e as FileError;
    const at = locate(inputs, e.line);
    const index = inputs.findIndex((f) => f.name === at.file);
    const format = index >= 0 ? files[index]?.format : null;
    if (!format || !e.field) return { ...e, ...at };
    const column = columnName(format, e.entity, e.field);
    if (column === e.field) return { ...e, ...at };
    // the catalogue names record fields (titleFr); the reader knows the file's columns (libelle)
    const swap = (s: string) => s.replace(new RegExp(`\\b${e.field}\\b`, 'g'), column);
    return { ...e, ...at, field: column, message: { fr: swap(e.message.fr), en: swap(e.message.en) } };
  });
}

const columnName = (format: FormatId, entity: RowError['entity'], field: string) => FORMATS.find((f) => f.id === format)!.columnOf(entity, field);

/** A preview: the files read, then checked against the catalogue of `year` without writing anything. */
export interface Preview extends ReadResult {
  report: ImportReport | null;
}

/**
 * Read the files and, when every file could be read, check the batch against the catalogue in a dry
 * run: the errors are those of the files and those of the catalogue, together.
 */
export async function preview(store: CatalogueStore, actor: Parameters<CatalogueStore['importBatch']>[0], year: number, inputs: CsvInput[]): Promise<Preview> {
  const read = readFiles(inputs);
  if (read.fileErrors) return { ...read, report: null };
  const report = await store.importBatch(actor, year, read.batch, { source: 'sis-csv', dryRun: true });
  const errors = sortErrors([...read.errors, ...locateErrors(inputs, read.files, report.errors)], inputs);
  return { ...read, errors, report };
}
