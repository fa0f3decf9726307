import { parse } from 'csv-parse/sync';
import { stringify } from 'csv-stringify/sync';
import { fold } from '../fold';

/**
 * CSV in and out, for every import, export and report: one parser (csv-parse), one writer
 * (csv-stringify), one rule for cells a spreadsheet would run as formulas.
 */

export type CsvCell = string | number | boolean | null | undefined | Date;

export interface CsvTable {
  header: string[];
  /** `row` is the spreadsheet row number (the header is row 1); `cells` follow the header's order. */
  rows: Array<{ row: number; cells: string[] }>;
  /** `,`, `;` or tab: what the file used. */
  delimiter: string;
}

export type CsvParseResult =
  | { ok: true; table: CsvTable }
  | { ok: false; code: 'empty' | 'malformed' | 'no-header'; row?: number; detail?: string };

/** A cell starting with one of these is a formula to Excel, LibreOffice and Google Sheets. */
const FORMULA_START = /^[=+\-@\t\r]/;

/**
 * OWASP's advice: a text cell that would start a formula gets a leading `'`, which spreadsheets
 * show as text. Numbers are left alone (`-5` is a number, not a formula).
 */
export function neutraliseFormula(value: string): string {
  return FORMULA_START.test(value) ? `'${value}` : value;
}

/** The inverse on import, so a file we exported reads back as what was stored (`'+33 6...` -> `+33 6...`). */
export function restoreNeutralised(value: string): string {
  return /^'[=+\-@\t\r]/.test(value) ? value.slice(1) : value;
}

function cellText(value: CsvCell): string | number {
  if (value === null || value === undefined) return '';
  if (typeof value === 'number') return Number.isFinite(value) ? value : '';
  if (typeof value === 'boolean') return value ? 'yes' : 'no';
  if (value instanceof Date) return value.toISOString();
  return neutraliseFormula(value);
}

const WRITE_OPTIONS = { record_delimiter: 'windows' } as const;
const BOM = '\uFEFF';

/**
 * A CSV file: UTF-8 with a byte-order mark (Excel otherwise reads accents as Latin-1), CRLF line
 * ends (RFC 4180), every text cell formula-neutralised.
 */
export function toCsv(header: readonly string[], rows: ReadonlyArray<readonly CsvCell[]>): string {
  const body = stringify([header.map((h) => cellText(h)), ...rows.map((row) => row.map(cellText))], WRITE_OPTIONS);
  return `${BOM}${body}`;
}

/** Rows written per call of the writer: the text of one such slice is all that is held besides the file. */
const SLICE = 1000;

/**
 * The same file as {@link toCsv}, as UTF-8 bytes, written from rows as they come (an export's
 * database cursor): only the finished bytes are held, never the rows, their text or a copy of the
 * whole file as a string. Slack's upload and Discord's attachment both need the whole file and
 * its length, so this is where streaming ends.
 */
export async function csvFile(header: readonly string[], rows: AsyncIterable<readonly CsvCell[]> | Iterable<readonly CsvCell[]>): Promise<{ bytes: Uint8Array; rows: number }> {
  const chunks: Buffer[] = [Buffer.from(`${BOM}${stringify([header.map((h) => cellText(h))], WRITE_OPTIONS)}`, 'utf8')];
  let slice: Array<Array<string | number>> = [];
  let count = 0;
  for await (const row of rows) {
    slice.push(row.map(cellText));
    count += 1;
    if (slice.length === SLICE) {
      chunks.push(Buffer.from(stringify(slice, WRITE_OPTIONS), 'utf8'));
      slice = [];
    }
  }
  if (slice.length > 0) chunks.push(Buffer.from(stringify(slice, WRITE_OPTIONS), 'utf8'));
  return { bytes: Buffer.concat(chunks), rows: count };
}

/** The delimiter of the first line, outside quotes: `;` (Excel in much of Europe), tab, else `,`. */
function detectDelimiter(text: string): string {
  const counts: Record<string, number> = { ',': 0, ';': 0, '\t': 0 };
  let quoted = false;
  for (const char of text) {
    if (char === '"') quoted = !quoted;
    else if (!quoted && (char === '\n' || char === '\r')) break;
    else if (!quoted && char in counts) counts[char]! += 1;
  }
  const [best, count] = Object.entries(counts).sort((a, b) => b[1] - a[1])[0]!;
  return count > 0 ? best : ',';
}

/** Parses a whole file (bytes are read as UTF-8); a leading byte-order mark and blank lines are skipped. */
export function parseCsv(input: string | Uint8Array): CsvParseResult {
  const source = (typeof input === 'string' ? input : new TextDecoder('utf-8').decode(input)).replace(/^\uFEFF/, '');
  if (source.trim() === '') return { ok: false, code: 'empty' };
  const delimiter = detectDelimiter(source);
  let records: string[][];
  try {
    records = parse(source, { delimiter, relax_column_count: true, skip_empty_lines: true, trim: false }) as string[][];
  } catch (error) {
    const lines = (error as { lines?: number }).lines;
    return { ok: false, code: 'malformed', ...(lines !== undefined ? { row: lines } : {}), detail: (error as Error).message };
  }
  const [first, ...rest] = records;
  const header = (first ?? []).map((h) => h.trim());
  if (header.every((h) => h === '')) return { ok: false, code: 'no-header' };
  const rows = rest
    .map((cells, index) => ({ row: index + 2, cells: header.map((_, i) => restoreNeutralised((cells[i] ?? '').trim())) }))
    .filter((r) => r.cells.some((c) => c !== ''));
  return { ok: true, table: { header, rows, delimiter } };
}

/** How headers are compared: case, accents, spaces, dashes and underscores do not matter (`E-mail` = `email`). */
export function headerKey(header: string): string {
  return fold(header).replace(/[^a-z0-9]+/g, '');
}
