/**
 * CSV text (csv-stringify): fields with a comma, quote or line break quoted (RFC 4180), numbers
 * that read back exactly (formatNumber, number.ts), empty cells for null, lines ended by \n. Browser-safe: the page's
 * downloads are these bytes, the same as the files `embodied run` writes. Through csv-stringify's
 * self-contained browser build (its Node build uses the global Buffer), the same in Node.
 */
import { stringify } from 'csv-stringify/browser/esm/sync';
import { formatNumber } from './number.js';
import type { Cell, Rows } from './table.js';

/** CSV text of rows of cells, the first row being the header when there is one. */
export function csvText(rows: readonly (readonly Cell[])[]): string {
  return stringify(rows as Cell[][], { cast: { number: formatNumber } });
}

/** CSV text of a table: a header row, then its rows. */
export function tableCsv(t: Rows): string {
  return csvText([t.columns, ...t.rows]);
}
