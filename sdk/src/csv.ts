/**
 * A CSV reader for the files institutions export from spreadsheets and student-information systems:
 * RFC 4180 quoting (delimiters, doubled quotes and line breaks inside quoted fields), the delimiter
 * and the encoding guessed from the file itself, and the file line of every record kept for error
 * messages.
 * @packageDocumentation
 */

/** How the bytes of a file were decoded. */
export type CsvEncoding = 'utf-8' | 'utf-8-bom' | 'windows-1252' | 'utf-16le' | 'utf-16be';
/** The field separator found in the header row. */
export type CsvDelimiter = ',' | ';' | '\t';

/** One record: its fields as read, and the file line it starts on (1 = the first line). */
export interface CsvRecord {
  line: number;
  fields: string[];
}

/** Something wrong with the file's structure. */
export interface CsvProblem {
  line: number;
  kind: 'unterminated-quote' | 'field-count';
  /** For `field-count`: fields expected (the header's) and found. */
  expected?: number;
  found?: number;
}

/** A file read as CSV: how it was decoded, its header, its records with their lines, and the problems found. */
export interface CsvTable {
  encoding: CsvEncoding;
  delimiter: CsvDelimiter;
  /** Header cells as written (trimmed), trailing empty ones dropped. */
  header: string[];
  /** Data records (blank lines and lines of empty fields left out), header excluded. */
  records: CsvRecord[];
  problems: CsvProblem[];
}

/**
 * Decode a file: a byte-order mark decides (UTF-8, UTF-16); otherwise valid UTF-8 is UTF-8, and
 * anything else is taken as Windows-1252 (what French spreadsheet exports use), where every byte is
 * a character.
 */
export function decode(bytes: Uint8Array): { text: string; encoding: CsvEncoding } {
  if (bytes[0] === 0xef && bytes[1] === 0xbb && bytes[2] === 0xbf) {
    return { text: new TextDecoder('utf-8').decode(bytes.subarray(3)), encoding: 'utf-8-bom' };
  }
  if (bytes[0] === 0xff && bytes[1] === 0xfe) return { text: new TextDecoder('utf-16le').decode(bytes.subarray(2)), encoding: 'utf-16le' };
  if (bytes[0] === 0xfe && bytes[1] === 0xff) return { text: new TextDecoder('utf-16be').decode(bytes.subarray(2)), encoding: 'utf-16be' };
  try {
    return { text: new TextDecoder('utf-8', { fatal: true }).decode(bytes), encoding: 'utf-8' };
  } catch {
    return { text: windows1252(bytes), encoding: 'windows-1252' };
  }
}

/** Windows-1252 bytes 0x80–0x9F (€ ‚ ƒ „ … † ‡ ˆ ‰ Š ‹ Œ Ž ‘ ’ “ ” • – — ˜ ™ š › œ ž Ÿ); undefined ones stay as they are. */
const CP1252 = [
  0x20ac, 0x81, 0x201a, 0x0192, 0x201e, 0x2026, 0x2020, 0x2021, 0x02c6, 0x2030, 0x0160, 0x2039, 0x0152, 0x8d, 0x017d, 0x8f,
  0x90, 0x2018, 0x2019, 0x201c, 0x201d, 0x2022, 0x2013, 0x2014, 0x02dc, 0x2122, 0x0161, 0x203a, 0x0153, 0x9d, 0x017e, 0x0178,
];

/**
 * Decode Windows-1252. Node's TextDecoder may treat the label as ISO-8859-1, which turns the
 * typographic apostrophe (0x92) of French texts into a control character: map 0x80–0x9F ourselves.
 */
function windows1252(bytes: Uint8Array): string {
  return new TextDecoder('latin1').decode(bytes).replace(/[\u0080-\u009f]/g, (c) => String.fromCharCode(CP1252[c.charCodeAt(0) - 0x80]!));
}

const QUOTE = 34;
const CR = 13;
const LF = 10;
const CANDIDATES: CsvDelimiter[] = [';', ',', '\t'];

/**
 * The delimiter of the header row: the most frequent of `;`, `,` and tab outside quotes (`;` wins a
 * tie, as in French exports where commas are decimal marks). A header of one column is read with `,`.
 */
export function detectDelimiter(text: string): CsvDelimiter {
  const counts = new Map<string, number>(CANDIDATES.map((d) => [d, 0]));
  let quoted = false;
  for (let i = 0; i < text.length; i++) {
    const c = text[i]!;
    if (c === '"') quoted = !quoted;
    else if (!quoted && (c === '\n' || c === '\r')) break;
    else if (!quoted && counts.has(c)) counts.set(c, counts.get(c)! + 1);
  }
  let best: CsvDelimiter = ',';
  let n = 0;
  for (const d of CANDIDATES) {
    if (counts.get(d)! > n) {
      best = d;
      n = counts.get(d)!;
    }
  }
  return best;
}

/**
 * Split decoded text into records, in one pass. A quoted field may hold the delimiter, line breaks
 * and doubled quotes; a quote that is never closed swallows the rest of the file and is reported on
 * the line it opened. Line ends may be CRLF, LF or CR.
 */
export function splitRecords(text: string, delimiter: string): { records: CsvRecord[]; unterminatedAt: number | null } {
  const records: CsvRecord[] = [];
  const d = delimiter.charCodeAt(0);
  const n = text.length;
  let i = 0;
  let line = 1;
  while (i < n) {
    const start = line;
    const fields: string[] = [];
    // one record
    for (;;) {
      if (text.charCodeAt(i) === QUOTE) {
        // quoted field: up to the closing quote, "" standing for one quote
        let value = '';
        let from = i + 1;
        for (;;) {
          const q = text.indexOf('"', from);
          if (q < 0) {
            fields.push(value + text.slice(from));
            records.push({ line: start, fields });
            return { records, unterminatedAt: start };
          }
          const chunk = text.slice(from, q);
          value += chunk;
          for (let k = chunk.indexOf('\n'); k >= 0; k = chunk.indexOf('\n', k + 1)) line++;
          // a lone CR inside quotes is a line end too
          for (let k = chunk.indexOf('\r'); k >= 0; k = chunk.indexOf('\r', k + 1)) if (chunk.charCodeAt(k + 1) !== LF) line++;
          if (text.charCodeAt(q + 1) === QUOTE) {
            value += '"';
            from = q + 2;
            continue;
          }
          i = q + 1;
          break;
        }
        // anything between the closing quote and the delimiter is kept, as spreadsheets do
        let j = i;
        while (j < n) {
          const c = text.charCodeAt(j);
          if (c === d || c === CR || c === LF) break;
          j++;
        }
        fields.push(j > i ? value + text.slice(i, j) : value);
        i = j;
      } else {
        let j = i;
        while (j < n) {
          const c = text.charCodeAt(j);
          if (c === d || c === CR || c === LF) break;
          j++;
        }
        fields.push(text.slice(i, j));
        i = j;
      }
      if (i < n && text.charCodeAt(i) === d) {
        i++;
        continue;
      }
      break;
    }
    // end of record: CRLF, LF, CR or end of text
    if (text.charCodeAt(i) === CR) i++;
    if (text.charCodeAt(i) === LF) i++;
    line++;
    records.push({ line: start, fields });
  }
  return { records, unterminatedAt: null };
}

const blank = (fields: string[]) => fields.every((f) => f.trim() === '');

/**
 * Read a CSV file: decode it, find its delimiter, split it, and check every record against the
 * header's width (trailing empty fields, which spreadsheets add, are tolerated).
 */
export function readCsv(bytes: Uint8Array): CsvTable {
  const { text, encoding } = decode(bytes);
  const delimiter = detectDelimiter(text);
  const { records, unterminatedAt } = splitRecords(text, delimiter);
  const problems: CsvProblem[] = [];
  const first = records.findIndex((r) => !blank(r.fields));
  if (first < 0) return { encoding, delimiter, header: [], records: [], problems };
  const header = records[first]!.fields.map((h) => h.trim());
  while (header.length > 1 && header[header.length - 1] === '') header.pop();
  const width = header.length;
  const data: CsvRecord[] = [];
  for (let k = first + 1; k < records.length; k++) {
    const r = records[k]!;
    if (blank(r.fields)) continue;
    if (r.fields.length > width && r.fields.slice(width).every((f) => f.trim() === '')) r.fields.length = width;
    if (r.fields.length !== width && !(unterminatedAt !== null && r.line === unterminatedAt)) {
      problems.push({ line: r.line, kind: 'field-count', expected: width, found: r.fields.length });
    }
    data.push(r);
  }
  if (unterminatedAt !== null) problems.push({ line: unterminatedAt, kind: 'unterminated-quote' });
  return { encoding, delimiter, header, records: data, problems };
}
