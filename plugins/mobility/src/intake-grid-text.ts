/**
 * Rows pasted from a spreadsheet turned into the CSV the nomination import reads, so that the grid
 * and the file upload share one reader, one duplicate detection and one all-or-nothing import.
 * @packageDocumentation
 */
import { COLUMNS, foldHeader } from './intake-csv.js';
import type { FileImport } from './intake-import.js';

/** The columns of pasted rows without a header: the seed system's nomination export, in its order. */
export const GRID_COLUMNS: readonly string[] = COLUMNS.slice(0, 12);
const HEADER_NAMES = new Set<string>(COLUMNS);

/** Pasted text as CSV bytes, and how many lines were added in front (a header). */
export interface GridFile {
  bytes: Uint8Array;
  /** Lines added before the pasted ones: subtract it from a line of the import to get the pasted line. */
  offset: number;
  /** Whether the pasted text started with its own header row. */
  header: boolean;
}

/**
 * Tab-separated rows, with or without their header row. A first row whose cells name the
 * columns (first name and last name at least, in any spelling the import accepts) is the header;
 * otherwise the seed system's columns are put in front, and rows that stop before the last columns
 * (a spreadsheet drops trailing empty cells) are completed with empty ones.
 */
export function gridToCsv(text: string): GridFile {
  const lines = text.replace(/\r\n?/g, '\n').replace(/\n+$/, '').split('\n');
  const first = lines.find((l) => l.trim() !== '') ?? '';
  const cells = first.split('\t').map((c) => foldHeader(c.trim().replace(/^"|"$/g, '')));
  const header = cells.includes('firstname') && cells.includes('lastname') && cells.every((c) => c === '' || HEADER_NAMES.has(c));
  if (header) return { bytes: new TextEncoder().encode(lines.join('\n')), offset: 0, header };
  const padded = lines.map((l) => {
    // a quoted cell may hold tabs and line breaks: leave such rows to the reader
    if (l.trim() === '' || l.includes('"')) return l;
    const missing = GRID_COLUMNS.length - l.split('\t').length;
    return missing > 0 ? l + '\t'.repeat(missing) : l;
  });
  return { bytes: new TextEncoder().encode([GRID_COLUMNS.join('\t'), ...padded].join('\n')), offset: 1, header };
}

/** An import's lines given back as lines of the pasted text. */
export function toPastedLines<T extends FileImport>(res: T, offset: number): T {
  if (!offset) return res;
  const back = (line: number | null) => (line === null ? null : Math.max(1, line - offset));
  return {
    ...res,
    errors: res.errors.map((e) => ({ ...e, line: back(e.line) })),
    warnings: res.warnings.map((w) => ({ ...w, line: back(w.line) })),
    rows: res.rows.map((r) => ({ ...r, line: back(r.line)!, duplicates: r.duplicates.map((d) => ({ ...d, line: back(d.line) })) })),
  };
}
