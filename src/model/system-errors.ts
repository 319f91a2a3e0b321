/**
 * The kernel's errors with the place they come from: the kernel names an index of the arrays it was
 * given; the model knows which province, sector and file each index belongs to. Its messages stay as
 * they are, after this context.
 */
import { ConvergenceError, KernelInputError, SingularMatrixError } from '../kernel/errors.js';
import type { IOTable } from '../data/types.js';

/** An array passed to the kernel for the systems of `tables`: R blocks of n×n (matrix) or n (vector) values. */
export interface SystemArray {
  what: string;
  data: Float64Array;
  kind: 'matrix' | 'vector';
}

/** Runs `solve` (kernel calls on the systems of `tables`, in order); a kernel error gets the province, sector and file in front. */
export function inSystems<T>(tables: readonly IOTable[], n: number, arrays: readonly SystemArray[], solve: () => T): T {
  try {
    return solve();
  } catch (err) {
    if (err instanceof KernelInputError || err instanceof SingularMatrixError || err instanceof ConvergenceError) {
      const where = locate(tables, n, arrays, err);
      if (where) err.message = `${where}: ${err.message}`;
    }
    throw err;
  }
}

function locate(tables: readonly IOTable[], n: number, arrays: readonly SystemArray[], err: Error): string | undefined {
  const name = (t: IOTable) => `${t.region} (${t.source})`;
  for (const a of arrays) {
    const i = a.data.findIndex((v) => !Number.isFinite(v));
    if (i < 0) continue;
    const size = a.kind === 'matrix' ? n * n : n;
    const t = tables[Math.floor(i / size)];
    if (!t) continue;
    const k = i % size;
    if (a.kind === 'vector') return `${name(t)}, sector ${t.sectors[k]}: ${a.what} is ${a.data[i]}${zeroOutput(t, k)}`;
    const [row, col] = [Math.floor(k / n), k % n];
    return `${name(t)}, row ${t.sectors[row]} × column ${t.sectors[col]}: ${a.what} is ${a.data[i]}${zeroOutput(t, col)}`;
  }
  if (err instanceof SingularMatrixError) {
    const t = tables[err.system ?? 0];
    if (t) return `${name(t)}: I − A is singular at sector ${t.sectors[err.pivot] ?? err.pivot}`;
  }
  return tables.length === 1 ? name(tables[0]) : undefined;
}

function zeroOutput(t: IOTable, j: number): string {
  return t.x.length === t.sectors.length && t.x[j] === 0 ? ` (output x of sector ${t.sectors[j]} is zero)` : '';
}
