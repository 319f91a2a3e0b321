/**
 * The only module that touches the spreadsheet library (@e965/xlsx, SheetJS 0.20.3). See README.md
 * ("Safety"). Byte-level: no node:fs here, so it bundles for a browser.
 */
import type * as SheetJS from '@e965/xlsx';
import { DataError } from './errors.js';
import type { Cell, Grid } from './grid.js';

// SheetJS (about 0.9 MB) is loaded only when a workbook is read: in Node on first use (require),
// elsewhere by `await loadSpreadsheetLibrary()`, which the model worker calls before reading files.
let library: typeof SheetJS | undefined;

/** Loads SheetJS (a separate chunk in browser bundles); readWorkbook needs it outside Node. */
export async function loadSpreadsheetLibrary(): Promise<void> {
  library ??= await import('@e965/xlsx');
}

function sheetJS(file: string): typeof SheetJS {
  if (library) return library;
  const get = globalThis.process?.getBuiltinModule;
  try {
    // Node, from the package's own modules (a browser bundle has no require, nor the library beside it).
    if (typeof get === 'function') return (library = get('node:module').createRequire(import.meta.url)('@e965/xlsx') as typeof SheetJS);
  } catch {}
  throw new DataError({ file }, 'the spreadsheet reader is not loaded: call `await loadSpreadsheetLibrary()` before reading workbooks');
}

/** Default largest file accepted: the real tables are 0.1–0.4 MB. */
export const DEFAULT_MAX_BYTES = 64 * 1024 * 1024;

/** Largest .xlsx content once inflated: the real workbooks inflate to about 1.4 MB; a zip bomb to gigabytes. */
const MAX_INFLATED_BYTES = 256 * 1024 * 1024;
/** The largest used range of a sheet the readers accept (the real sheets have under 100 rows and 60 columns). */
const MAX_ROWS = 10_000;
const MAX_COLUMNS = 1_000;

export interface SpreadsheetOptions {
  /** Refuse larger inputs (bytes); default DEFAULT_MAX_BYTES. */
  maxBytes?: number;
  /** Refuse an .xlsx whose entries inflate to more (bytes); default MAX_INFLATED_BYTES. */
  maxInflatedBytes?: number;
  /** Parse only these sheets (others are skipped by the parser, which is faster). */
  sheets?: string[];
}

export interface Workbook {
  file: string;
  /** All sheet names, in workbook order. */
  sheetNames: string[];
  /** The sheet as a grid of plain values; DataError if absent (or not parsed). */
  grid(sheet: string): Grid;
}

const CFB_MAGIC = [0xd0, 0xcf, 0x11, 0xe0, 0xa1, 0xb1, 0x1a, 0xe1];
const ZIP_MAGIC = [0x50, 0x4b, 0x03, 0x04];

function startsWith(bytes: Uint8Array, magic: number[]): boolean {
  if (bytes.length < magic.length) return false;
  return magic.every((b, i) => bytes[i] === b);
}

/** Which container the bytes are: 'cfb' (Excel 97-2003 .xls), 'zip' (.xlsx/.ods), or null. */
export function sniffSpreadsheet(bytes: Uint8Array): 'cfb' | 'zip' | null {
  if (startsWith(bytes, CFB_MAGIC)) return 'cfb';
  if (startsWith(bytes, ZIP_MAGIC)) return 'zip';
  return null;
}

/** Throws DataError naming the file if bytes exceed the limit. */
export function checkSize(bytes: Uint8Array, file: string, maxBytes = DEFAULT_MAX_BYTES): void {
  if (bytes.length > maxBytes) {
    throw new DataError(
      { file },
      `file is ${(bytes.length / 1048576).toFixed(1)} MB, larger than the limit of ${(maxBytes / 1048576).toFixed(1)} MB`,
    );
  }
}

/**
 * The inflated size of a zip's entries, from its central directory (read before anything is
 * inflated); Infinity for a ZIP64 size, undefined if there is no readable directory (the parser
 * then reports the damage).
 */
function zipInflatedSize(bytes: Uint8Array): number | undefined {
  const view = new DataView(bytes.buffer, bytes.byteOffset, bytes.byteLength);
  // The end-of-central-directory record: 22 bytes and a comment of at most 65 535 bytes, at the end.
  let eocd = -1;
  for (let i = bytes.length - 22; i >= Math.max(0, bytes.length - 22 - 65535); i--) {
    if (view.getUint32(i, true) === 0x06054b50) {
      eocd = i;
      break;
    }
  }
  if (eocd < 0) return undefined;
  const entries = view.getUint16(eocd + 10, true);
  let p = view.getUint32(eocd + 16, true);
  let total = 0;
  for (let k = 0; k < entries; k++) {
    if (p + 46 > bytes.length || view.getUint32(p, true) !== 0x02014b50) return undefined;
    const size = view.getUint32(p + 24, true);
    total += size === 0xffffffff ? Infinity : size;
    p += 46 + view.getUint16(p + 28, true) + view.getUint16(p + 30, true) + view.getUint16(p + 32, true);
  }
  return total;
}

const MB = (b: number) => `${(b / 1048576).toFixed(1)} MB`;

/**
 * Parse an .xls or .xlsx workbook from bytes. Only binary Excel containers are accepted (no HTML,
 * SYLK, DBF or text "spreadsheets" that the library would otherwise sniff); formulas are not kept
 * or evaluated (cached values are read), no HTML or formatted text is generated, sheets are dense.
 */
export function readWorkbook(bytes: Uint8Array, file: string, opts: SpreadsheetOptions = {}): Workbook {
  checkSize(bytes, file, opts.maxBytes);
  const kind = sniffSpreadsheet(bytes);
  if (kind === null) {
    throw new DataError(
      { file },
      bytes.length === 0 ? 'file is empty' : 'not an Excel workbook (expected an .xls compound file or an .xlsx zip container)',
    );
  }
  if (kind === 'zip') {
    const inflated = zipInflatedSize(bytes);
    const max = opts.maxInflatedBytes ?? MAX_INFLATED_BYTES;
    if (inflated !== undefined && inflated > max) {
      throw new DataError(
        { file },
        `its contents inflate to ${Number.isFinite(inflated) ? MB(inflated) : 'more than 4 GB'}, over the limit of ${MB(max)} for an .xlsx workbook (a zip bomb, or not a table)`,
      );
    }
  }
  let wb: SheetJS.WorkBook;
  try {
    // In Node, hand SheetJS a Buffer view of the same memory (no copy): with type 'array' it first
    // copies an .xls into a plain JS array, which makes parsing 2–4× slower. Browsers take 'array'.
    const NodeBuffer = (globalThis as { Buffer?: { from(b: ArrayBufferLike, off: number, len: number): Uint8Array } }).Buffer;
    const data: Uint8Array = NodeBuffer ? NodeBuffer.from(bytes.buffer, bytes.byteOffset, bytes.byteLength) : bytes;
    const parseOpts: SheetJS.ParsingOptions = {
      type: NodeBuffer ? 'buffer' : 'array',
      dense: true,
      cellFormula: false,
      cellHTML: false,
      cellText: false,
      cellNF: false,
      cellStyles: false,
      cellDates: false,
      bookVBA: false,
      bookFiles: false,
      bookDeps: false,
      WTF: false,
      // Rows past the limit are not parsed; a sheet that has any is refused below.
      sheetRows: MAX_ROWS + 1,
    };
    if (opts.sheets !== undefined) parseOpts.sheets = opts.sheets;
    wb = sheetJS(file).read(data, parseOpts);
  } catch (e) {
    const msg = e instanceof Error ? e.message : String(e);
    throw new DataError({ file }, `cannot be read as a ${kind === 'cfb' ? '.xls' : '.xlsx'} workbook (damaged or truncated?): ${msg}`, {
      cause: e,
    });
  }
  const cache = new Map<string, Grid>();
  return {
    file,
    sheetNames: [...wb.SheetNames],
    grid(sheet: string): Grid {
      const hit = cache.get(sheet);
      if (hit) return hit;
      const ws = Object.hasOwn(wb.Sheets, sheet) ? wb.Sheets[sheet] : undefined;
      if (ws === undefined) {
        throw new DataError({ file, sheet }, `sheet not found (sheets: ${wb.SheetNames.join(', ')})`);
      }
      checkRange(ws, file, sheet);
      const g: Grid = { file, sheet, rows: toRows(ws), columnStyle: 'letter' };
      cache.set(sheet, g);
      return g;
    },
  };
}

/** Refuses a sheet whose used range is beyond MAX_ROWS × MAX_COLUMNS (time and memory grow with it, not with the file size). */
function checkRange(ws: SheetJS.WorkSheet, file: string, sheet: string): void {
  const ref = ws['!fullref'] ?? ws['!ref'];
  if (ref === undefined) return;
  const { e } = sheetJS(file).utils.decode_range(ref);
  if (e.r >= MAX_ROWS || e.c >= MAX_COLUMNS) {
    throw new DataError(
      { file, sheet },
      `the sheet's used range ${ref} is beyond the limit of ${MAX_ROWS} rows × ${MAX_COLUMNS} columns (${sheetJS(file).utils.encode_cell({ r: MAX_ROWS - 1, c: MAX_COLUMNS - 1 })}): clear the cells beyond the table`,
    );
  }
}

function toRows(ws: SheetJS.WorkSheet): Cell[][] {
  const data = (ws as { '!data'?: SheetJS.CellObject[][] })['!data'];
  if (data === undefined) return [];
  const rows: Cell[][] = new Array<Cell[]>(data.length);
  for (let r = 0; r < data.length; r++) {
    const src = data[r];
    const out: Cell[] = [];
    if (src) {
      for (let c = 0; c < src.length; c++) out[c] = cellValue(src[c]);
      for (let c = 0; c < out.length; c++) if (out[c] === undefined) out[c] = null;
    }
    rows[r] = out;
  }
  for (let r = 0; r < rows.length; r++) if (rows[r] === undefined) rows[r] = [];
  return rows;
}

function cellValue(cell: SheetJS.CellObject | undefined): Cell {
  if (cell === undefined || cell === null) return null;
  switch (cell.t) {
    case 'n':
      return typeof cell.v === 'number' ? cell.v : null;
    case 's':
      return cell.v === undefined || cell.v === null ? null : String(cell.v);
    case 'b':
      return Boolean(cell.v);
    case 'e':
      return cell.w ?? '#ERROR';
    case 'd':
      return cell.v instanceof Date ? cell.v.toISOString() : String(cell.v);
    default:
      return null;
  }
}
