/** The benchmark's vocabulary: solvers, operations, records and their flop counts. */

export const SOLVERS = [
  'embodied',
  'embodied-threads',
  'embodied-mixed',
  'embodied-iterative',
  'js-baseline',
  'ml-matrix',
  'numpy',
] as const;
export type SolverName = (typeof SOLVERS)[number];

export const OPS = ['lu', 'inverse', 'solve1', 'solve4'] as const;
export type Op = (typeof OPS)[number];

/** One line of the JSON output (`--json FILE` writes an array of these). */
export interface BenchRecord {
  n: number;
  solver: SolverName;
  op: Op;
  /** Threads the solver used: 1 except embodied-threads and numpy (OPENBLAS_NUM_THREADS). */
  threads: number;
  median_ms: number;
  min_ms: number;
  /** flops(op, n) / median time, in GFLOP/s (see `flops`). */
  gflops: number;
  /** Normwise backward error ‖M x − b‖∞ / (‖M‖∞ ‖x‖∞ + ‖b‖∞) of the checked answer (largest over the right-hand sides). */
  backward_error?: number;
}

/** Right-hand sides of an op (0 for lu and inverse). */
export function rhsCount(op: Op): number {
  return op === 'solve1' ? 1 : op === 'solve4' ? 4 : 0;
}

/**
 * The nominal flop count every solver is credited with for an op (LAPACK's leading terms):
 * - lu: 2/3·n³ (getrf);
 * - inverse: 2·n³ (getrf 2/3·n³ + getri 4/3·n³), whatever way the solver inverts;
 * - solveK: 2/3·n³ + 2·K·n² (one LU, then K forward and back substitutions), the work of
 *   np.linalg.solve with K right-hand sides.
 * For the iterative solver the same nominal count is used, so its GFLOP/s is an "effective" rate
 * (equivalent direct-solve work per second), comparable across solvers but not the work it did.
 */
export function flops(op: Op, n: number): number {
  const n3 = n * n * n;
  switch (op) {
    case 'lu':
      return (2 / 3) * n3;
    case 'inverse':
      return 2 * n3;
    case 'solve1':
    case 'solve4':
      return (2 / 3) * n3 + 2 * rhsCount(op) * n * n;
  }
}

/** GFLOP/s of an op of order n done in `ms` milliseconds. */
export function gflops(op: Op, n: number, ms: number): number {
  return ms > 0 ? flops(op, n) / (ms * 1e6) : 0;
}
