/**
 * Reading reconciliation files as a stream of rows (CSV through csv-parse, Excel through exceljs'
 * streaming WorkbookReader: never the whole file in memory), and turning raw cell text into
 * normalized values (amounts with any separators, dates in a declared format).
 */
import type { Readable } from 'node:stream';
import { StringDecoder } from 'node:string_decoder';
import { parse as parseSync } from 'csv-parse/sync';
import ExcelJS from 'exceljs';
import { ReconFileFormat } from '../../entities/recon/enums';

export interface RawRow {
  /** Line of the row in the file: the header is row 1. */
  rowNumber: number;
  cells: string[];
}

function excelCell(value: unknown): string {
  if (value === null || value === undefined) return '';
  if (value instanceof Date) return value.toISOString().slice(0, 10);
  if (typeof value === 'number') return String(value);
  if (typeof value === 'string') return value;
  if (typeof value === 'boolean') return value ? 'true' : 'false';
  if (typeof value === 'object') {
    const v = value as { result?: unknown; richText?: { text: string }[]; text?: unknown; error?: string };
    if (v.richText) return v.richText.map((t) => t.text).join('');
    if ('result' in v) return excelCell(v.result);
    if (v.text !== undefined) return excelCell(v.text);
    if (v.error) return v.error;
  }
  return String(value);
}

/** The content is not CSV or not a workbook (the message says where). */
export class UnreadableFile extends Error {}

/**
 * The rows of a file, header included (row 1), as trimmed text cells, in batches: one promise per
 * batch rather than per row (a million rows through async iteration otherwise cost seconds of
 * promise bookkeeping). A malformed file throws UnreadableFile.
 */
export async function* readRowBatches(body: Readable, format: ReconFileFormat): AsyncGenerator<RawRow[]> {
  try {
    yield* format === ReconFileFormat.XLSX ? readXlsx(body) : readCsv(body);
  } catch (err) {
    if (err instanceof UnreadableFile) throw err;
    const what = format === ReconFileFormat.XLSX ? 'an Excel workbook' : 'CSV';
    throw new UnreadableFile(`The file is not readable as ${what}: ${(err as Error).message}`);
  }
}

const XLSX_BATCH = 1000;

async function* readXlsx(body: Readable): AsyncGenerator<RawRow[]> {
  const reader = new ExcelJS.stream.xlsx.WorkbookReader(body, {
    worksheets: 'emit',
    sharedStrings: 'cache',
    hyperlinks: 'ignore',
    styles: 'cache',
    entries: 'ignore',
  });
  // The first worksheet only.
  for await (const sheet of reader) {
    let batch: RawRow[] = [];
    // Blank rows are skipped by the reader; row.number keeps the sheet's numbering.
    for await (const row of sheet) {
      const values = row.values as unknown[];
      const cells: string[] = [];
      for (let i = 1; i < values.length; i++) cells.push(excelCell(values[i]).trim());
      batch.push({ rowNumber: row.number, cells });
      if (batch.length >= XLSX_BATCH) {
        yield batch;
        batch = [];
      }
    }
    if (batch.length) yield batch;
    break;
  }
}

const quotes = (s: string) => {
  let n = 0;
  for (let i = s.indexOf('"'); i !== -1; i = s.indexOf('"', i + 1)) n++;
  return n;
};

/**
 * CSV rows: lines without a quote are split on commas directly (the common case, several times
 * faster than a general parser); quoted records, multi-line ones included, go through csv-parse.
 * Blank lines are skipped; a leading byte order mark is dropped.
 */
async function* readCsv(body: Readable): AsyncGenerator<RawRow[]> {
  const decoder = new StringDecoder('utf8');
  let rest = '';
  let pending: string | null = null;
  let first = true;
  let n = 0;
  const out: string[][] = [];
  /** The records taken since the last batch, numbered. */
  const numbered = () => {
    const batch = out.map((cells) => ({ rowNumber: ++n, cells }));
    out.length = 0;
    return batch;
  };
  const take = (raw: string) => {
    const line = raw.endsWith('\r') ? raw.slice(0, -1) : raw;
    if (pending !== null) {
      pending += `\n${line}`;
      if (quotes(pending) % 2 === 0) {
        out.push(parseQuoted(pending));
        pending = null;
      }
      return;
    }
    if (line.indexOf('"') === -1) {
      if (!line.trim()) return;
      const cells = line.split(',');
      for (let i = 0; i < cells.length; i++) cells[i] = cells[i].trim();
      out.push(cells);
    } else if (quotes(line) % 2 === 0) {
      out.push(parseQuoted(line));
    } else {
      pending = line;
    }
  };
  const parseQuoted = (record: string): string[] => {
    try {
      return (parseSync(record, { relax_column_count: true, trim: true, relax_quotes: false }) as string[][])[0] ?? [];
    } catch (err) {
      throw new UnreadableFile(`The file is not readable as CSV: row ${n + out.length + 1}: ${(err as Error).message}`);
    }
  };
  for await (const chunk of body as AsyncIterable<Buffer>) {
    let text = rest + decoder.write(chunk);
    if (first && text.length) {
      if (text.charCodeAt(0) === 0xfeff) text = text.slice(1);
      first = false;
    }
    let start = 0;
    for (let idx = text.indexOf('\n'); idx !== -1; idx = text.indexOf('\n', start)) {
      take(text.slice(start, idx));
      start = idx + 1;
    }
    rest = text.slice(start);
    if (out.length) yield numbered();
  }
  rest += decoder.end();
  if (rest) take(rest);
  if (pending !== null) throw new UnreadableFile(`The file is not readable as CSV: row ${n + 1} opens a quote that never closes`);
  if (out.length) yield numbered();
}

// ---- values ----

export interface NumberFormat {
  decimalSeparator: string;
  thousandsSeparator: string;
}

/** `1.234,56` -> `1234.56`; `(12.00)` and `12.00-` are negative; currency symbols and spaces go. Null when not a number. */
/** Plain amounts (`1234.56`, `-12.5`, `7`): the common case, taken without the general rules below. */
const PLAIN_AMOUNT = /^(-?)(\d{1,16})(?:\.(\d+))?$/;

export function parseAmount(raw: string, fmt: NumberFormat): string | null {
  let s = raw.trim();
  if (!s) return null;
  if (fmt.decimalSeparator === '.') {
    const p = PLAIN_AMOUNT.exec(s);
    if (p) {
      const frac = p[3] === undefined ? '00' : p[3].length >= 2 ? p[3] : `${p[3]}0`;
      return `${p[1]}${p[2]}.${frac}`;
    }
  }
  let negative = false;
  if (s.startsWith('(') && s.endsWith(')')) {
    negative = true;
    s = s.slice(1, -1);
  }
  if (s.endsWith('-')) {
    negative = true;
    s = s.slice(0, -1);
  }
  s = s.replace(/[\s\u00a0$€£₦¥]|[A-Z]{3}$|^[A-Z]{3}/g, '');
  if (fmt.thousandsSeparator) s = s.split(fmt.thousandsSeparator).join('');
  if (fmt.decimalSeparator !== '.') s = s.replace(fmt.decimalSeparator, '.');
  if (!/^[+-]?(\d+(\.\d*)?|\.\d+)$/.test(s)) return null;
  if (s.startsWith('+')) s = s.slice(1);
  if (s.startsWith('-')) {
    negative = !negative;
    s = s.slice(1);
  }
  const [int, frac = ''] = s.split('.');
  if (int.replace(/^0+/, '').length > 16) return null;
  return `${negative ? '-' : ''}${int || '0'}.${(frac + '00').slice(0, Math.max(2, frac.length))}`;
}

const MONTHS: Record<string, number> = { jan: 1, feb: 2, mar: 3, apr: 4, may: 5, jun: 6, jul: 7, aug: 8, sep: 9, oct: 10, nov: 11, dec: 12 };

export const DATE_FORMATS = ['YYYY-MM-DD', 'DD/MM/YYYY', 'MM/DD/YYYY', 'DD-MM-YYYY', 'DD.MM.YYYY', 'YYYY/MM/DD', 'YYYYMMDD', 'DD-MMM-YYYY'] as const;

function ymd(y: number, m: number, d: number): string | null {
  if (!(y >= 1900 && y <= 2200 && m >= 1 && m <= 12 && d >= 1)) return null;
  const days = new Date(Date.UTC(y, m, 0)).getUTCDate();
  if (d > days) return null;
  return `${y}-${String(m).padStart(2, '0')}-${String(d).padStart(2, '0')}`;
}

const ISO = /^(\d{4})-(\d{1,2})-(\d{1,2})(?:[T ].*)?$/;

/** The date `raw` in `format` as YYYY-MM-DD, or null. ISO dates (what Excel date cells become) are always accepted. */
const DAYS = [0, 31, 29, 31, 30, 31, 30, 31, 31, 30, 31, 30, 31];

/** `YYYY-MM-DD` exactly and valid (the common case), without regular expressions or Date objects. */
function plainIsoDate(s: string): string | null {
  if (s.length !== 10 || s.charCodeAt(4) !== 45 || s.charCodeAt(7) !== 45) return null;
  let y = 0;
  for (let i = 0; i < 4; i++) {
    const c = s.charCodeAt(i) - 48;
    if (c < 0 || c > 9) return null;
    y = y * 10 + c;
  }
  const m1 = s.charCodeAt(5) - 48;
  const m2 = s.charCodeAt(6) - 48;
  const d1 = s.charCodeAt(8) - 48;
  const d2 = s.charCodeAt(9) - 48;
  if (m1 < 0 || m1 > 9 || m2 < 0 || m2 > 9 || d1 < 0 || d1 > 9 || d2 < 0 || d2 > 9) return null;
  const m = m1 * 10 + m2;
  const d = d1 * 10 + d2;
  if (y < 1900 || y > 2200 || m < 1 || m > 12 || d < 1 || d > DAYS[m]) return null;
  if (m === 2 && d === 29 && !(y % 4 === 0 && (y % 100 !== 0 || y % 400 === 0))) return null;
  return s;
}

export function parseDate(raw: string, format: string): string | null {
  const s = raw.trim();
  if (!s) return null;
  const plain = plainIsoDate(s);
  if (plain) return plain;
  let m = ISO.exec(s);
  if (m) return ymd(+m[1], +m[2], +m[3]);
  switch (format) {
    case 'DD/MM/YYYY':
    case 'DD-MM-YYYY':
    case 'DD.MM.YYYY':
      m = /^(\d{1,2})[/.-](\d{1,2})[/.-](\d{4})$/.exec(s);
      return m ? ymd(+m[3], +m[2], +m[1]) : null;
    case 'MM/DD/YYYY':
      m = /^(\d{1,2})[/.-](\d{1,2})[/.-](\d{4})$/.exec(s);
      return m ? ymd(+m[3], +m[1], +m[2]) : null;
    case 'YYYY/MM/DD':
      m = /^(\d{4})[/.](\d{1,2})[/.](\d{1,2})$/.exec(s);
      return m ? ymd(+m[1], +m[2], +m[3]) : null;
    case 'YYYYMMDD':
      m = /^(\d{4})(\d{2})(\d{2})$/.exec(s);
      return m ? ymd(+m[1], +m[2], +m[3]) : null;
    case 'DD-MMM-YYYY':
      m = /^(\d{1,2})[- ]([A-Za-z]{3})[- ](\d{4})$/.exec(s);
      return m && MONTHS[m[2].toLowerCase()] ? ymd(+m[3], MONTHS[m[2].toLowerCase()], +m[1]) : null;
    default:
      return null;
  }
}

/** Whether a header cell looks like data (a number or a date) rather than a column name. */
export function looksLikeData(cell: string): boolean {
  const s = cell.trim();
  if (!s) return false;
  if (/^[+-]?[\d.,\s]+$/.test(s) && /\d/.test(s)) return true;
  return DATE_FORMATS.some((f) => parseDate(s, f) !== null);
}
