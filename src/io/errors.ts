/**
 * The one error class of the readers: bad or unreadable input data. It always names the file and,
 * where known, the sheet, the row (1-based, as a spreadsheet or text editor shows it) and the
 * column (a spreadsheet letter such as "D", or a CSV header name / 1-based number).
 */
export interface DataLocation {
  file: string;
  sheet?: string;
  row?: number;
  column?: string;
}

export class DataError extends Error {
  override name = 'DataError';
  readonly file: string;
  readonly sheet?: string;
  readonly row?: number;
  readonly column?: string;
  /** What is wrong, without the location prefix. */
  readonly detail: string;

  constructor(where: DataLocation, detail: string, options?: { cause?: unknown }) {
    super(`${formatLocation(where)}: ${detail}`, options);
    this.file = where.file;
    if (where.sheet !== undefined) this.sheet = where.sheet;
    if (where.row !== undefined) this.row = where.row;
    if (where.column !== undefined) this.column = where.column;
    this.detail = detail;
  }
}

/** A value as an error message echoes it: quoted, and cut to `max` characters (a value may be megabytes long). */
export function shown(value: string, max = 40): string {
  return JSON.stringify(value.length > max ? `${value.slice(0, max - 3)}...` : value);
}

/** `01-北京.xls, sheet Sheet1, row 7, column D` (parts that are unknown are left out). */
export function formatLocation(where: DataLocation): string {
  let s = where.file;
  if (where.sheet !== undefined) s += `, sheet ${where.sheet}`;
  if (where.row !== undefined) s += `, row ${where.row}`;
  if (where.column !== undefined) s += `, column ${where.column}`;
  return s;
}

/** Zero-based column index → spreadsheet letters: 0 → "A", 27 → "AB". */
export function columnLetter(index: number): string {
  let n = index + 1;
  let s = '';
  while (n > 0) {
    const r = (n - 1) % 26;
    s = String.fromCharCode(65 + r) + s;
    n = Math.floor((n - 1) / 26);
  }
  return s;
}
