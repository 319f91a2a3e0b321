/**
 * leontiefRowsBatch: t_c = d_c (I − A_b diag(s_c))⁻¹ for batches of small systems formed from
 * shared base matrices (the sweep's A-perturbed draws), against the reference kernel and against
 * forming each perturbed matrix and going through factorBatch + solveTransposed. The batch is
 * outside the general Kernel: each kernel's is asked for with rowsBatchOf.
 */
import { beforeAll, describe, expect, it } from 'vitest';
import {
  KernelInputError,
  referenceKernel as ref,
  rowsBatchOf,
  SingularMatrixError,
  type Kernel,
  type RowsBatch,
} from '../../src/kernel/index.js';
import { general, randomVectors, relDiff, rng, substochastic, wasmKernel } from './helpers.js';

let w: Kernel & RowsBatch;
beforeAll(async () => {
  w = rowsBatchOf(await wasmKernel());
});

function bases(n: number, m: number, seed: number): Float64Array {
  const a = new Float64Array(m * n * n);
  for (let b = 0; b < m; b++) a.set(substochastic(n, seed + b, 0.9), b * n * n);
  return a;
}

/** Bases I − G for general random G: I − A′ is far from diagonally dominant, so rows are swapped. */
function pivoting(n: number, m: number, seed: number): Float64Array {
  const a = new Float64Array(m * n * n);
  for (let b = 0; b < m; b++) {
    const g = general(n, seed + b);
    for (let i = 0; i < n * n; i++) a[b * n * n + i] = (i % (n + 1) === 0 ? 1 : 0) - g[i]!;
  }
  return a;
}

/** Lognormal-like column multipliers in [e^−0.3, e^0.3]: column sums stay below 0.9·e^0.3 < 1.22, so some pass 1. */
function scales(len: number, seed: number, spread = 0.3): Float64Array {
  const r = rng(seed);
  return Float64Array.from({ length: len }, () => Math.exp(spread * (2 * r() - 1)));
}

/** The perturbed matrices written out: A'_c = A_{c mod m} diag(s_c). */
function perturbed(A: Float64Array, s: Float64Array, n: number, count: number): Float64Array {
  const m = A.length / (n * n);
  const out = new Float64Array(count * n * n);
  for (let c = 0; c < count; c++) {
    const b = (c % m) * n * n;
    for (let i = 0; i < n; i++) for (let j = 0; j < n; j++) out[c * n * n + i * n + j] = A[b + i * n + j]! * s[c * n + j]!;
  }
  return out;
}

function perSystemRelDiff(x: Float64Array, y: Float64Array, n: number): number {
  let worst = 0;
  for (let c = 0; c < x.length / n; c++) worst = Math.max(worst, relDiff(x.subarray(c * n, (c + 1) * n), y.subarray(c * n, (c + 1) * n)));
  return worst;
}

describe.each([
  [30, 31, 62, 'column-substochastic'],
  [42, 31, 31, 'column-substochastic'],
  [7, 1, 20, 'column-substochastic'],
  [64, 3, 9, 'column-substochastic'],
  [1, 1, 3, 'column-substochastic'],
  [30, 4, 8, 'general (pivoting)'],
  [13, 2, 6, 'general (pivoting)'],
])('order %i, %i base matrices, %i systems, %s', (n, m, count, kind) => {
  const A = kind === 'general (pivoting)' ? pivoting(n, m, n) : bases(n, m, 10 * n + m);
  const s = scales(count * n, n);
  const d = randomVectors(n, count, 3 * n);

  it('wasm equals the reference to 1e-12 per system', () => {
    expect(perSystemRelDiff(w.leontiefRowsBatch(A, s, d, n, count), ref.leontiefRowsBatch(A, s, d, n, count), n)).toBeLessThan(1e-12);
  });

  it('equals forming each A′ and factorBatch + solveTransposed, and solves (I − A′)ᵀ tᵀ = dᵀ', () => {
    const Ap = perturbed(A, s, n, count);
    const bf = w.factorBatch(Ap, n, count, { leontief: true });
    const want = bf.solveTransposed(d);
    bf.free();
    const t = w.leontiefRowsBatch(A, s, d, n, count);
    expect(perSystemRelDiff(t, want, n)).toBeLessThan(1e-12);
    for (let c = 0; c < count; c++) {
      const r = w.residual(Ap.subarray(c * n * n, (c + 1) * n * n), n, t.subarray(c * n, (c + 1) * n), d.subarray(c * n, (c + 1) * n), {
        leontief: true,
        transposed: true,
      });
      expect(r).toBeLessThan(1e-12 * Math.max(1, ...t.subarray(c * n, (c + 1) * n).map(Math.abs)) * n);
    }
  });

  it('writes into out and leaves the inputs unchanged', () => {
    const [A0, s0, d0] = [A.slice(), s.slice(), d.slice()];
    for (const k of [w, ref]) {
      const out = new Float64Array(count * n);
      expect(k.leontiefRowsBatch(A, s, d, n, count, out)).toBe(out);
      expect(perSystemRelDiff(out, k.leontiefRowsBatch(A, s, d, n, count), n)).toBe(0);
    }
    expect([A, s, d]).toEqual([A0, s0, d0]);
  });
});

describe('leontiefRowsBatch errors', () => {
  const n = 30;
  const m = 31;
  const count = 62;

  it('a singular system is reported with its index and pivot (wasm and reference)', () => {
    // Base 11's row 7 holds only a_77 = 0.5; system 42 (= 11 + 31) doubles column 7, so row 7 of
    // I − A′ (column 7 of the factored (I − A′)ᵀ) is zero and pivot 7 vanishes while every other
    // system is regular.
    const A = bases(n, m, 1);
    for (let j = 0; j < n; j++) A[11 * n * n + 7 * n + j] = j === 7 ? 0.5 : 0;
    const s = new Float64Array(count * n).fill(1);
    s[42 * n + 7] = 2;
    const d = randomVectors(n, count, 2);
    for (const k of [w, ref]) {
      let err: unknown;
      try {
        k.leontiefRowsBatch(A, s, d, n, count);
      } catch (e) {
        err = e;
      }
      expect(err).toBeInstanceOf(SingularMatrixError);
      expect(err).toMatchObject({ system: 42, pivot: 7, n });
      expect((err as Error).message).toMatch(/pivot 7 .*system 42 of the batch/);
    }
  });

  it.each([
    [
      'A not a whole number of bases',
      (A: Float64Array, s: Float64Array, d: Float64Array) => [A.subarray(1), s, d, 30, 62],
      /A must hold m base matrices/,
    ],
    [
      'm not dividing count',
      (A: Float64Array, s: Float64Array, d: Float64Array) => [A, s.subarray(0, 61 * 30), d.subarray(0, 61 * 30), 30, 61],
      /m dividing count = 61/,
    ],
    [
      'colScale of the wrong length',
      (A: Float64Array, s: Float64Array, d: Float64Array) => [A, s.subarray(1), d, 30, 62],
      /colScale must hold count·n = 62·30 = 1860 values, got 1859/,
    ],
    ['d of the wrong length', (A: Float64Array, s: Float64Array, d: Float64Array) => [A, s, d.subarray(30), 30, 62], /d must hold count·n/],
    [
      'a non-finite multiplier',
      (A: Float64Array, s: Float64Array, d: Float64Array) => [A, Object.assign(s.slice(), { 65: NaN }), d, 30, 62],
      /colScale has a non-finite entry NaN at index 65 \(row 2, column 5\)/,
    ],
    [
      'a non-finite A entry',
      (A: Float64Array, s: Float64Array, d: Float64Array) => [Object.assign(A.slice(), { 3: Infinity }), s, d, 30, 62],
      /A has a non-finite entry Infinity at index 3/,
    ],
    [
      'a non-finite d entry',
      (A: Float64Array, s: Float64Array, d: Float64Array) => [A, s, Object.assign(d.slice(), { 0: -Infinity }), 30, 62],
      /d has a non-finite entry -Infinity at index 0/,
    ],
  ])('%s is a KernelInputError', (_what, args, message) => {
    const A = bases(n, m, 1);
    const s = scales(count * n, 2);
    const d = randomVectors(n, count, 3);
    const [a, sc, dd, nn, c] = args(A, s, d) as [Float64Array, Float64Array, Float64Array, number, number];
    for (const k of [w, ref]) expect(() => k.leontiefRowsBatch(a, sc, dd, nn, c)).toThrow(KernelInputError);
    for (const k of [w, ref]) expect(() => k.leontiefRowsBatch(a, sc, dd, nn, c)).toThrow(message);
  });

  it('an out array of the wrong length is refused', () => {
    const A = bases(n, m, 1);
    expect(() => w.leontiefRowsBatch(A, scales(count * n, 2), randomVectors(n, count, 3), n, count, new Float64Array(5))).toThrow(
      /out must hold count·n/,
    );
  });

  it('repeated calls keep wasm memory flat', () => {
    const A = bases(n, m, 1);
    const s = scales(count * n, 2);
    const d = randomVectors(n, count, 3);
    const out = new Float64Array(count * n);
    w.leontiefRowsBatch(A, s, d, n, count, out);
    const before = w.memoryBytes();
    for (let r = 0; r < 2000; r++) w.leontiefRowsBatch(A, s, d, n, count, out);
    expect(w.memoryBytes()).toBe(before);
  });
});

describe('rowsBatchOf', () => {
  it('names a kernel without the batch', () => {
    const { leontiefRowsBatch: _, ...plain } = ref;
    expect(() => rowsBatchOf({ ...plain, name: 'plain' })).toThrow(new KernelInputError('the plain kernel has no leontiefRowsBatch'));
  });
});
