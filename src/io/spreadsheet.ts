/**
 * The only module that touches the spreadsheet library (@e965/xlsx, SheetJS 0.20.3). See README.md
 * ("Safety"). Byte-level: no node:fs here, so it bundles for a browser.
 */
import type * as SheetJS from '@e965/xlsx';
import type { Inflate } from 'fflate';
import { DataError } from './errors.js';
import type { Cell, Grid } from './grid.js';

// SheetJS (about 0.9 MB) and fflate (the bounded inflater of the zip-bomb check) are loaded only
// when a workbook is read: in Node on first use (require), elsewhere by `await loadSpreadsheetLibrary()`,
// which the model worker calls before reading files.
interface Libraries {
  xlsx: typeof SheetJS;
  Inflate: typeof Inflate;
}
let library: Libraries | undefined;

/** Loads SheetJS and fflate (separate chunks in browser bundles); readWorkbook needs them outside Node. */
export async function loadSpreadsheetLibrary(): Promise<void> {
  library ??= { xlsx: await import('@e965/xlsx'), Inflate: (await import('fflate')).Inflate };
}

function libraries(file: string): Libraries {
  if (library) return library;
  const get = globalThis.process?.getBuiltinModule;
  try {
    // Node, from the package's own modules (a browser bundle has no require, nor the libraries beside it).
    if (typeof get === 'function') {
      const require = get('node:module').createRequire(import.meta.url);
      return (library = {
        xlsx: require('@e965/xlsx') as typeof SheetJS,
        Inflate: (require('fflate') as { Inflate: typeof Inflate }).Inflate,
      });
    }
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

/** A zip entry as its central directory describes it. */
interface ZipEntry {
  name: string;
  /** 0 stored, 8 deflated (others: the parser reports them). */
  method: number;
  /** Where its data starts, from its local header; -1 if that header is not there. */
  start: number;
  compressed: number;
  /** The inflated size it declares (Infinity for ZIP64). */
  declared: number;
}

/** A zip's entries from its central directory; undefined if there is none readable (the parser then reports the damage). */
function zipEntries(bytes: Uint8Array): ZipEntry[] | undefined {
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
  const count = view.getUint16(eocd + 10, true);
  let p = view.getUint32(eocd + 16, true);
  const entries: ZipEntry[] = [];
  for (let k = 0; k < count; k++) {
    if (p + 46 > bytes.length || view.getUint32(p, true) !== 0x02014b50) return undefined;
    const nameLength = view.getUint16(p + 28, true);
    const size = view.getUint32(p + 24, true);
    const local = view.getUint32(p + 42, true);
    const start =
      local + 30 <= bytes.length && view.getUint32(local, true) === 0x04034b50
        ? local + 30 + view.getUint16(local + 26, true) + view.getUint16(local + 28, true)
        : -1;
    entries.push({
      name: new TextDecoder().decode(bytes.subarray(p + 46, Math.min(p + 46 + nameLength, bytes.length))),
      method: view.getUint16(p + 10, true),
      start,
      compressed: view.getUint32(p + 20, true),
      declared: size === 0xffffffff ? Infinity : size,
    });
    p += 46 + nameLength + view.getUint16(p + 30, true) + view.getUint16(p + 32, true);
  }
  return entries;
}

/**
 * Refuses an .xlsx whose entries inflate to more than `max` bytes, before the parser inflates them:
 * first by the sizes the central directory declares, then (a zip bomb can declare small sizes) by
 * inflating each entry in small steps with a running count, stopping as soon as it passes `max`.
 * The real workbooks inflate to about 1.4 MB, which this counts in milliseconds.
 */
function checkInflation(bytes: Uint8Array, file: string, max: number, inflater: typeof Inflate): void {
  const entries = zipEntries(bytes);
  if (entries === undefined) return;
  const over = (what: string) =>
    new DataError(
      { file },
      `its contents inflate to ${what}, over the limit of ${MB(max)} for an .xlsx workbook (a zip bomb, or not a table)`,
    );
  const declared = entries.reduce((sum, e) => sum + e.declared, 0);
  if (declared > max) throw over(Number.isFinite(declared) ? MB(declared) : 'more than 4 GB');
  const STEP = 64 * 1024;
  let total = 0;
  for (const e of entries) {
    if (e.start < 0) return;
    const data = bytes.subarray(e.start, Math.min(e.start + e.compressed, bytes.length));
    if (e.method === 0) total += data.length;
    if (e.method !== 8) continue;
    let stopped = false;
    const inflate = new inflater((chunk) => {
      total += chunk.length;
      if (total > max) stopped = true;
    });
    try {
      for (let i = 0; i < data.length && !stopped; i += STEP) inflate.push(data.subarray(i, i + STEP), i + STEP >= data.length);
    } catch {
      return; // damaged data: the parser names it
    }
    if (stopped) throw over(`more than ${MB(max)} (${e.name} declares ${MB(e.declared)})`);
  }
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
    checkInflation(bytes, file, opts.maxInflatedBytes ?? MAX_INFLATED_BYTES, libraries(file).Inflate);
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
    wb = libraries(file).xlsx.read(data, parseOpts);
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
  const { e } = libraries(file).xlsx.utils.decode_range(ref);
  if (e.r >= MAX_ROWS || e.c >= MAX_COLUMNS) {
    throw new DataError(
      { file, sheet },
      `the sheet's used range ${ref} is beyond the limit of ${MAX_ROWS} rows × ${MAX_COLUMNS} columns (${libraries(file).xlsx.utils.encode_cell({ r: MAX_ROWS - 1, c: MAX_COLUMNS - 1 })}): clear the cells beyond the table`,
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
