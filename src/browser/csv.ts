/**
 * CSV text of a result table without Node (the CLI's tableCsv uses csv-stringify and lives beside
 * the file writer): a header row, numbers at full precision (String(v)), empty cells for null,
 * fields with a comma, quote or line break quoted (RFC 4180), lines ended by \n.
 */
import type { Cell, Table } from '../report/tables.js';

function field(v: Cell): string {
  if (v === null) return '';
  const s = typeof v === 'number' ? String(v) : v;
  return /[",\r\n]/.test(s) ? `"${s.replace(/"/g, '""')}"` : s;
}

export function tableCsv(t: Pick<Table, 'columns' | 'rows'>): string {
  return [t.columns, ...t.rows].map((row) => row.map(field).join(',')).join('\n') + '\n';
}
