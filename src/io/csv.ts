/** CSV bytes → Grid, through csv-parse's sync API (browser-safe through a bundler). */
import { parse } from 'csv-parse/browser/esm/sync';
import { DataError } from './errors.js';
import type { Cell, Grid } from './grid.js';
import { checkSize, DEFAULT_MAX_BYTES } from './spreadsheet.js';

export interface CsvOptions {
  maxBytes?: number;
  /** Field delimiter; default ','. */
  delimiter?: string;
}

/** CSV input as text: bytes decoded as UTF-8 (size-checked first), a BOM dropped. */
export function csvText(input: Uint8Array | string, file: string, maxBytes = DEFAULT_MAX_BYTES): string {
  let text: string;
  if (typeof input === 'string') {
    text = input;
  } else {
    checkSize(input, file, maxBytes);
    try {
      text = new TextDecoder('utf-8', { fatal: true }).decode(input);
    } catch (e) {
      throw new DataError({ file }, 'not valid UTF-8 text (save the CSV as UTF-8)', { cause: e });
    }
  }
  return text.charCodeAt(0) === 0xfeff ? text.slice(1) : text;
}

/**
 * Parse CSV text or UTF-8 bytes (a BOM is dropped) into rows of text cells; empty fields → null.
 * Numbers stay text here: numberAt() converts them and names the cell when it cannot.
 */
export function readCsvGrid(input: Uint8Array | string, file: string, opts: CsvOptions = {}): Grid {
  const text = csvText(input, file, opts.maxBytes);
  let records: string[][];
  try {
    records = parse(text, {
      delimiter: opts.delimiter ?? ',',
      relax_column_count: true,
      skip_empty_lines: false,
      bom: true,
    }) as string[][];
  } catch (e) {
    const err = e as { message?: string; lines?: number };
    const loc = typeof err.lines === 'number' ? { file, row: err.lines } : { file };
    throw new DataError(loc, `CSV syntax error: ${err.message ?? String(e)}`, { cause: e });
  }
  const rows: Cell[][] = records.map((rec) => rec.map((s) => (s.trim() === '' ? null : s)));
  return { file, rows, columnStyle: 'number' };
}
