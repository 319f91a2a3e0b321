/**
 * A sheet as the readers see it: a rectangular-ish array of rows of plain cell values, whatever
 * the file format (xls, xlsx, csv). Built by spreadsheet.ts or csv.ts; the readers never touch a
 * parsing library. Row and column indices here are zero-based; messages show them 1-based.
 */
import { DataError, columnLetter, shown, type DataLocation } from './errors.js';

/** A cell value: number, text, boolean, or null for an empty cell. Spreadsheet error cells (#N/A) arrive as their text. */
export type Cell = string | number | boolean | null;

export interface Grid {
  /** File name as given by the caller (used in every message). */
  file: string;
  /** Sheet name; undefined for CSV. */
  sheet?: string;
  rows: Cell[][];
  /** How to name a column in messages: spreadsheet letters, or CSV column numbers. */
  columnStyle: 'letter' | 'number';
}

export function cellAt(g: Grid, r: number, c: number): Cell {
  const row = g.rows[r];
  if (row === undefined) return null;
  const v = row[c];
  return v === undefined ? null : v;
}

export function columnName(g: Grid, c: number): string {
  return g.columnStyle === 'letter' ? columnLetter(c) : String(c + 1);
}

function where(g: Grid, r?: number, c?: number): DataLocation {
  const loc: DataLocation = { file: g.file };
  if (g.sheet !== undefined) loc.sheet = g.sheet;
  if (r !== undefined) loc.row = r + 1;
  if (c !== undefined) loc.column = columnName(g, c);
  return loc;
}

export function fail(g: Grid, detail: string, r?: number, c?: number): never {
  throw new DataError(where(g, r, c), detail);
}

/** Text of a cell, trimmed; numbers as written; '' for empty. */
export function cellText(v: Cell): string {
  if (v === null) return '';
  return String(v).trim();
}

const NUMERIC = /^[+-]?(\d+\.?\d*|\.\d+)([eE][+-]?\d+)?$/;

/**
 * The largest magnitude a cell may hold: beyond what any table reaches in any currency or physical
 * unit, and small enough that sums, products and squares of such values (and a sweep's multipliers,
 * src/sweep/spec.ts) stay finite doubles.
 */
const MAX_MAGNITUDE = 1e25;

/**
 * A numeric cell: empty (or blank text) → 0; a number → itself; text that is a plain decimal
 * number → its value; anything else (words, "#N/A", booleans, NaN, infinities, magnitudes beyond
 * MAX_MAGNITUDE) → DataError naming the cell.
 */
export function numberAt(g: Grid, r: number, c: number, what?: string): number {
  const v = cellAt(g, r, c);
  if (v === null) return 0;
  if (typeof v === 'number') return inRange(g, v, String(v), r, c, what);
  if (typeof v === 'string') {
    const t = v.trim();
    if (t === '') return 0;
    if (NUMERIC.test(t)) return inRange(g, Number(t), t, r, c, what);
    fail(g, `${what ? `${what}: ` : ''}expected a number, found text ${shown(t)}`, r, c);
  }
  fail(g, `${what ? `${what}: ` : ''}expected a number, found ${JSON.stringify(v)}`, r, c);
}

function inRange(g: Grid, v: number, written: string, r: number, c: number, what?: string): number {
  const label = what ? `${what}: ` : '';
  if (!Number.isFinite(v)) fail(g, `${label}not a finite number (${shown(written)})`, r, c);
  if (Math.abs(v) > MAX_MAGNITUDE) fail(g, `${label}${shown(written)} is beyond ±${MAX_MAGNITUDE}: not a plausible table value`, r, c);
  return v;
}

/**
 * A code cell (sector or column code) normalised: text trimmed and upper-cased; whole numbers
 * 1..99 (a CSV or a re-saved sheet may have lost the leading zero) → two digits, "01".
 */
export function codeOf(v: Cell): string {
  if (v === null) return '';
  if (typeof v === 'number') {
    return Number.isInteger(v) && v >= 0 && v < 100 ? String(v).padStart(2, '0') : String(v);
  }
  const t = String(v).trim().toUpperCase();
  if (/^\d$/.test(t)) return `0${t}`;
  return t;
}
