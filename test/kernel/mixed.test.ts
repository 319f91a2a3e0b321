/**
 * Kernel.solveMixed (f32 LU refined with f64 residuals, the f64 LU as fallback), wasm and reference
 * held to one contract: on Leontief systems the refined solution has an f64-level backward error
 * (computed over the returned x in plain TypeScript, not taken from the kernel's report) and agrees
 * with the f64 solve; a badly conditioned system falls back and says why; a singular one is
 * reported as singular.
 */
import { beforeAll, describe, expect, it } from 'vitest';
import { backwardError } from '../../src/kernel/condition.js';
import { KernelInputError, referenceKernel, SingularMatrixError, type Kernel } from '../../src/kernel/index.js';
import { randomVectors, relDiff, rng, substochastic, wasmKernel, wellConditioned } from './helpers.js';

let kernels: Kernel[];
beforeAll(async () => {
  kernels = [referenceKernel, await wasmKernel()];
});

/** max over vectors of ‖b − M x‖∞ / (‖M‖∞ ‖x‖∞ + ‖b‖∞), M = I − A when leontief, in plain f64 (condition.ts). */
function berr(a: Float64Array, n: number, x: Float64Array, b: Float64Array, leontief: boolean): number {
  return backwardError(a, n, x, b, b.length / n, leontief);
}

/**
 * G U with U upper triangular, unit diagonal, entries −(1 + 0.1 u) above it (‖U⁻¹‖ grows like 2ⁿ),
 * and G = wellConditioned: partial pivoting finds pivots of order n (nothing for the f32
 * factorisation to trip on), but at n = 30 κ∞ ≈ 1e11 (rcond 2.8e-11 by the kernel's estimate), far
 * beyond 1 / ε₃₂ ≈ 1e7, so the f32 factors cannot drive refinement to convergence.
 */
function badlyConditioned(n: number, seed: number): Float64Array {
  const r = rng(seed);
  const U = new Float64Array(n * n);
  for (let i = 0; i < n; i++) {
    U[i * n + i] = 1;
    for (let j = i + 1; j < n; j++) U[i * n + j] = -(1 + 0.1 * r());
  }
  const G = wellConditioned(n, seed + 1);
  const M = new Float64Array(n * n);
  for (let i = 0; i < n; i++) for (let k = 0; k < n; k++) for (let j = 0; j < n; j++) M[i * n + j]! += G[i * n + k]! * U[k * n + j]!;
  return M;
}

describe.each(['reference', 'wasm'])('%s kernel: solveMixed', (name) => {
  const k = (): Kernel => kernels.find((x) => x.name === name)!;

  // Orders around the f32 vector width (4), the unblocked/recursive switch (160) and odd ones.
  it.each([
    [1, 0.5],
    [7, 0.9],
    [42, 0.7],
    [161, 0.95],
    [333, 0.8],
  ])('Leontief n = %i (column sums ≤ %f): the refined f32 path, backward error ≤ 1e-14, equal to the f64 solve', (n, colSum) => {
    const A = substochastic(n, 100 + n, colSum);
    const b = randomVectors(n, 1, 200 + n);
    const r = k().solveMixed(A, n, b, { leontief: true });
    expect(r.path).toBe('mixed');
    expect(r.fallback).toBeUndefined();
    expect(r.steps).toBeGreaterThanOrEqual(2);
    expect(r.steps).toBeLessThanOrEqual(4);
    const e = berr(A, n, r.x, b, true);
    expect(e).toBeLessThanOrEqual(1e-14);
    // The reported backward error is the one of the returned x (to rounding of the residual).
    expect(Math.abs(r.backwardError - e)).toBeLessThanOrEqual(1e-15);
    // M = I − A with column sums < 1 has ‖M⁻¹‖₁ ≤ 1 / (1 − colSum): forward error ≤ κ·(berr of both).
    const x64 = k().solve(A, n, b, { leontief: true });
    expect(relDiff(r.x, x64)).toBeLessThanOrEqual(((1 + colSum) / (1 - colSum)) * 4e-14);
  });

  it('four right-hand sides at once: each converges', () => {
    const n = 50;
    const A = substochastic(n, 7, 0.8);
    const b = randomVectors(n, 4, 8);
    const r = k().solveMixed(A, n, b, { leontief: true, nrhs: 4 });
    expect(r.path).toBe('mixed');
    expect(berr(A, n, r.x, b, true)).toBeLessThanOrEqual(1e-14);
    expect(relDiff(r.x, k().solve(A, n, b, { leontief: true, nrhs: 4 }))).toBeLessThanOrEqual(1e-13);
  });

  it('b = 0 gives x = 0 with no refinement step', () => {
    const r = k().solveMixed(substochastic(9, 1), 9, new Float64Array(9), { leontief: true });
    expect(r).toMatchObject({ path: 'mixed', steps: 0, backwardError: 0 });
    expect([...r.x]).toEqual(new Array(9).fill(0));
  });

  it('a badly conditioned system (κ ≈ 1e11) falls back to the f64 LU after refinement fails, and says so', () => {
    const n = 30;
    const a = badlyConditioned(n, 3);
    const b = randomVectors(n, 1, 4);
    const r = k().solveMixed(a, n, b);
    expect(r.path).toBe('f64');
    expect(r.fallback).toBe('refinement');
    expect(r.steps).toBeGreaterThanOrEqual(1);
    expect(k().factor(a, n).rcond()).toBeLessThan(1e-10);
    expect(berr(a, n, r.x, b, false)).toBeLessThanOrEqual(1e-14);
    expect(r.backwardError).toBeLessThanOrEqual(1e-14);
    expect(relDiff(r.x, k().solve(a, n, b))).toBe(0);
  });

  it('maxSteps: 1 cannot reach f64 accuracy from an f32 solve: the f64 fallback runs', () => {
    const n = 30;
    const A = substochastic(n, 5, 0.7);
    const b = randomVectors(n, 1, 6);
    const r = k().solveMixed(A, n, b, { leontief: true, maxSteps: 1 });
    expect(r).toMatchObject({ path: 'f64', fallback: 'refinement', steps: 1 });
    expect(relDiff(r.x, k().solve(A, n, b, { leontief: true }))).toBe(0);
  });

  it('nearly singular in f32 but not in f64 (column sums 1 − 1e-9): the f32 factorisation fails, the f64 LU solves', () => {
    // Every entry 0.5·(1 − 1e-9): I − A rounds in f32 to the singular [[0.5, −0.5], [−0.5, 0.5]].
    const v = 0.5 * (1 - 1e-9);
    const A = new Float64Array([v, v, v, v]);
    const b = new Float64Array([1, 2]);
    const r = k().solveMixed(A, 2, b, { leontief: true });
    expect(r).toMatchObject({ path: 'f64', fallback: 'f32-factorization' });
    expect(relDiff(r.x, k().solve(A, 2, b, { leontief: true }))).toBe(0);
  });

  it('a singular system (a closed economy: column sums 1) is reported as singular, not solved', () => {
    const A = new Float64Array([0.5, 0.5, 0.5, 0.5]);
    expect(() => k().solveMixed(A, 2, new Float64Array([1, 1]), { leontief: true })).toThrow(SingularMatrixError);
  });

  it('an entry beyond the f32 range goes straight to the f64 LU', () => {
    const a = new Float64Array([1e39, 0, 0, 1e39]);
    const r = k().solveMixed(a, 2, new Float64Array([1, 1]));
    expect(relDiff(r.x, new Float64Array([1e-39, 1e-39]))).toBeLessThanOrEqual(1e-15);
    expect(r).toMatchObject({ path: 'f64', fallback: 'f32-factorization', steps: 0 });
  });

  it('names the first non-finite entry of A (before any of b), also in the odd last column', () => {
    // n odd: column 36 is the one the wasm f32 rounding pass handles after its pairs.
    const n = 37;
    for (const [row, col] of [
      [20, 36],
      [0, 5],
    ] as const) {
      const A = substochastic(n, 11, 0.6);
      A[row * n + col] = Number.NEGATIVE_INFINITY;
      A[30 * n + 2] = Number.NaN;
      const b = randomVectors(n, 1, 12);
      b[3] = Number.NaN;
      expect(() => k().solveMixed(A, n, b, { leontief: true })).toThrow(
        `A has a non-finite entry -Infinity at index ${row * n + col} (row ${row}, column ${col})`,
      );
    }
    const b = randomVectors(n, 2, 13);
    b[n + 4] = Number.POSITIVE_INFINITY;
    expect(() => k().solveMixed(substochastic(n, 11, 0.6), n, b, { leontief: true })).toThrow(
      `right-hand side has a non-finite entry Infinity at index ${n + 4} (row 1, column 4)`,
    );
  });

  it('rejects NaN in the matrix and a bad maxSteps', () => {
    expect(() => k().solveMixed(new Float64Array([1, Number.NaN, 0, 1]), 2, new Float64Array(2))).toThrow(KernelInputError);
    expect(() => k().solveMixed(new Float64Array([1, 0, 0, 1]), 2, new Float64Array(2), { maxSteps: 0 })).toThrow(KernelInputError);
  });
});
