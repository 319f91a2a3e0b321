/** Markdown tables, as every report writes them. Browser-safe. */
import type { Cell, Rows } from './table.js';

/**
 * A number to `digits` decimals for report text, the one formatter of report numbers: a value that
 * rounds to zero prints as 0, never -0.000 (CSV files keep full precision and do not use this).
 */
export function formatDecimal(v: number, digits: number): string {
  const s = v.toFixed(digits);
  return /^-0(\.0*)?$/.test(s) ? s.slice(1) : s;
}

/** A number to 3 decimals (2 in a share column), null as –, text as it is. */
function formatCell(v: Cell, column: string): string {
  if (v === null) return '–';
  if (typeof v === 'string') return v;
  return formatDecimal(v, /share/.test(column) ? 2 : 3);
}

export interface MarkdownTableOptions {
  /** Right-aligned columns; default: those holding a number. */
  right?: readonly boolean[];
  /** The rule under the header without spaces (`|---|---:|`), as the sweep and MRIO reports have always had it. */
  tight?: boolean;
}

export function markdownTable(t: Rows, o: MarkdownTableOptions = {}): string {
  const line = (cells: string[]) => `| ${cells.join(' | ')} |`;
  const right = o.right ?? t.columns.map((_, j) => t.rows.some((r) => typeof r[j] === 'number'));
  const rule = right.map((r) => (r ? '---:' : '---'));
  return [
    line(t.columns),
    o.tight ? `|${rule.join('|')}|` : line(rule),
    ...t.rows.map((r) => line(r.map((v, j) => formatCell(v, t.columns[j])))),
  ].join('\n');
}
