/**
 * Deterministic test systems for the benchmarks: the same seeded, well-conditioned Leontief-like
 * matrix M = I − A for every solver at a given order n.
 *
 * Construction (mirrored in src/benchmark/numpy_bench.py with numpy's generator, so the Python side has
 * the same structure though not the same numbers):
 * - a_ij = u², u uniform on [0, 1) (skewed like real input coefficients: few large, many small);
 * - when n is a multi-regional order (31 × 30 = 930, 31 × 42 = 1302, any multiple of 30 or 42
 *   above it), entries outside the diagonal region blocks are scaled by 0.1 (trade is a small
 *   share of inputs);
 * - each column j is rescaled to sum to c_j, c_j uniform on [0.5, 0.7]: A is column-substochastic
 *   with spectral radius between 0.5 and 0.7 (about 0.6), so M is an M-matrix, diagonally
 *   dominant by columns, with a small condition number; partial pivoting makes no row swaps.
 * - right-hand sides (final demand) are uniform on [0.5, 1.5).
 */

import { uniformFloat64 } from 'pure-rand/distribution/uniformFloat64';
import { xoroshiro128plus } from 'pure-rand/generator/xoroshiro128plus';

/** The default seed of every benchmark system. */
export const BENCH_SEED = 20240601;

/** A seeded stream of uniform numbers on [0, 1) (pure-rand's xoroshiro128+). */
function uniformStream(seed: number): () => number {
  const g = xoroshiro128plus(seed);
  return () => uniformFloat64(g);
}

/**
 * @deprecated The former hand-written generator's name, kept only for bench/scaleup.ts and
 * test/bench (owned elsewhere); it is `uniformStream` (xoroshiro128+), no longer mulberry32.
 */
export const mulberry32 = uniformStream;

/** Sectors per region for an order n: 42 or 30 when n is a multi-regional order, else n. */
function regionBlock(n: number): number {
  if (n > 42 && n % 42 === 0) return 42;
  if (n > 30 && n % 30 === 0) return 30;
  return n;
}

export interface BenchSystem {
  readonly n: number;
  /** Technical coefficients A, row-major. */
  readonly A: Float64Array;
  /** M = I − A, row-major: the matrix every direct solver factors. */
  readonly M: Float64Array;
  /** Four right-hand sides, one after another (b[k*n + i]); the first is the single rhs. */
  readonly B: Float64Array;
  /** Sectors per region used in the construction. */
  readonly block: number;
}

/** The benchmark system of order n (deterministic for a given seed). */
export function leontiefSystem(n: number, seed = BENCH_SEED, nrhs = 4): BenchSystem {
  if (!Number.isInteger(n) || n < 1) throw new RangeError(`matrix order must be a positive integer, got ${n}`);
  const rand = uniformStream((seed ^ Math.imul(n, 0x9e3779b1)) >>> 0);
  const block = regionBlock(n);
  const A = new Float64Array(n * n);
  for (let i = 0; i < n; i++) {
    const ri = Math.floor(i / block);
    for (let j = 0; j < n; j++) {
      const u = rand();
      A[i * n + j] = ri === Math.floor(j / block) ? u * u : 0.1 * u * u;
    }
  }
  const colSum = new Float64Array(n);
  for (let i = 0; i < n; i++) for (let j = 0; j < n; j++) colSum[j]! += A[i * n + j]!;
  const scale = new Float64Array(n);
  for (let j = 0; j < n; j++) scale[j] = (0.5 + 0.2 * rand()) / colSum[j]!;
  for (let i = 0; i < n; i++) for (let j = 0; j < n; j++) A[i * n + j]! *= scale[j]!;
  const M = new Float64Array(n * n);
  for (let k = 0; k < n * n; k++) M[k] = -A[k]!;
  for (let i = 0; i < n; i++) M[i * n + i]! += 1;
  const B = new Float64Array(nrhs * n);
  for (let k = 0; k < B.length; k++) B[k] = 0.5 + rand();
  return { n, A, M, B, block };
}
