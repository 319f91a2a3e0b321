/** A table as rows of cells: what the CSV and markdown writers take. */
export type Cell = string | number | null;

export interface Rows {
  columns: string[];
  rows: Cell[][];
}
