/** Terminal table with same-run ratios, and atomic JSON output. */
import { mkdirSync } from 'node:fs';
import { dirname } from 'node:path';
import { writeAtomic } from '../output/atomic.js';
import type { BenchRecord, SolverName } from './types.js';

/** Median time of `solver` (at `threads`, or its fewest threads) for the same n and op. */
function reference(records: BenchRecord[], r: BenchRecord, solver: SolverName, threads?: number): BenchRecord | undefined {
  const same = records.filter(
    (x) => x.n === r.n && x.op === r.op && x.solver === solver && (threads === undefined || x.threads === threads),
  );
  return same.sort((a, b) => a.threads - b.threads)[0];
}

/**
 * Speed relative to a reference: reference median / this median. Above 1 this solver is faster
 * (2.00× = twice as fast), below 1 slower (0.25× = four times as slow).
 */
function ratio(r: BenchRecord, ref: BenchRecord | undefined): string {
  if (!ref || !(r.median_ms > 0)) return '—';
  const q = ref.median_ms / r.median_ms;
  return `${q >= 10 ? q.toFixed(1) : q >= 0.01 ? q.toFixed(2) : q.toExponential(1)}×`;
}

function fmtMs(ms: number): string {
  if (ms >= 1000) return ms.toFixed(0);
  if (ms >= 1) return ms.toFixed(2);
  return ms.toPrecision(3);
}

function fmtGflops(g: number): string {
  return g >= 10 ? g.toFixed(1) : g >= 0.01 ? g.toFixed(2) : g.toExponential(1);
}

const HEADER = [
  'n',
  'op',
  'solver',
  'thr',
  'median ms',
  'min ms',
  'GFLOP/s',
  'vs numpy×1',
  'vs numpy×2',
  'vs ml-matrix',
  'vs js-baseline',
] as const;

/** The rows of the table: one per record, with its speed ratios against the references. */
function tableRows(records: BenchRecord[]): string[][] {
  return records.map((r) => [
    String(r.n),
    r.op,
    r.solver,
    String(r.threads),
    fmtMs(r.median_ms),
    fmtMs(r.min_ms),
    fmtGflops(r.gflops),
    ratio(r, reference(records, r, 'numpy', 1)),
    ratio(r, reference(records, r, 'numpy', 2)),
    ratio(r, reference(records, r, 'ml-matrix')),
    ratio(r, reference(records, r, 'js-baseline')),
  ]);
}

/** The table as aligned text (or GitHub markdown with `markdown`), a blank line between orders. */
export function formatTable(records: BenchRecord[], markdown = false): string {
  const rows = tableRows(records);
  if (markdown) {
    const line = (cells: readonly string[]) => `| ${cells.join(' | ')} |`;
    const align = HEADER.map((_, i) => (i >= 3 ? '---:' : '---'));
    return [line(HEADER), line(align), ...rows.map(line)].join('\n');
  }
  const width = HEADER.map((h, i) => Math.max(h.length, ...rows.map((r) => r[i]!.length)));
  const pad = (cells: readonly string[]) =>
    cells
      .map((c, i) => (i >= 3 ? c.padStart(width[i]!) : c.padEnd(width[i]!)))
      .join('  ')
      .trimEnd();
  const out = [pad(HEADER)];
  let prev: string | undefined;
  for (const [i, r] of rows.entries()) {
    const key = `${records[i]!.n} ${records[i]!.op}`;
    if (prev !== undefined && key.split(' ')[0] !== prev.split(' ')[0]) out.push('');
    prev = key;
    out.push(pad(r));
  }
  return out.join('\n');
}

/** What the ratio columns mean, printed under the table. */
export const TABLE_LEGEND =
  'Ratios are speed relative to the column solver in this same run: its median time / this median time ' +
  '(>1× faster, <1× slower). GFLOP/s = nominal flops / median: lu 2/3·n³, inverse 2·n³, solveK 2/3·n³ + 2K·n².';

/** Writes `data` as JSON to `path` atomically, creating its folder. */
export function writeJsonAtomic(path: string, data: unknown): void {
  mkdirSync(dirname(path), { recursive: true });
  writeAtomic(path, `${JSON.stringify(data, null, 2)}\n`);
}

/** The metadata file next to a results file: solvers.json → solvers.meta.json. */
export function metaPath(path: string): string {
  return path.endsWith('.json') ? `${path.slice(0, -5)}.meta.json` : `${path}.meta.json`;
}
