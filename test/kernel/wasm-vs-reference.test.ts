/** The wasm kernel against the plain TypeScript reference on random matrices (1e-12 relative). */
import { beforeAll, describe, expect, it } from 'vitest';
import { referenceKernel as ref, type Kernel } from '../../src/kernel/index.js';
import { general, randomVectors, relDiff, substochastic, wasmKernel, wellConditioned } from './helpers.js';

let w: Kernel;
beforeAll(async () => {
  w = await wasmKernel();
});

// Orders around every blocking boundary: small path (≤ 48), recursion splits (multiples of 8),
// GEMM panel remainders, and past one K block (256).
const sizes = [1, 2, 3, 5, 8, 9, 16, 17, 30, 31, 42, 47, 48, 49, 63, 64, 65, 100, 129, 257, 300];
const TOL = 1e-12;

describe('wasm vs reference', () => {
  it.each(sizes)('well-conditioned n=%i: solve, solveTransposed (1 and 5 rhs), inverse, rcond', (n) => {
    const a = wellConditioned(n, n);
    const fw = w.factor(a, n);
    const fr = ref.factor(a, n);
    for (const k of [1, 5]) {
      const b = randomVectors(n, k, 1000 + n);
      expect(relDiff(fw.solve(b, k), fr.solve(b, k))).toBeLessThan(TOL);
      expect(relDiff(fw.solveTransposed(b, k), fr.solveTransposed(b, k))).toBeLessThan(TOL);
    }
    expect(relDiff(fw.inverse(), fr.inverse())).toBeLessThan(TOL);
    expect(Math.abs(fw.rcond() - fr.rcond()) / fr.rcond()).toBeLessThan(1e-8);
    fw.free();
  });

  it.each(sizes)('column-substochastic A, n=%i: Leontief inverse, solves and residuals', (n) => {
    const A = substochastic(n, 7 * n);
    expect(relDiff(w.leontief(A, n), ref.leontief(A, n))).toBeLessThan(TOL);
    const b = randomVectors(n, 3, n);
    for (const transposed of [false, true]) {
      const xw = w.solve(A, n, b, { leontief: true, transposed });
      const xr = ref.solve(A, n, b, { leontief: true, transposed });
      expect(relDiff(xw, xr)).toBeLessThan(TOL);
      const rw = w.residual(A, n, xw, b, { leontief: true, transposed });
      const rr = ref.residual(A, n, xw, b, { leontief: true, transposed });
      expect(rw).toBeLessThan(1e-12 * 10 * n);
      expect(Math.abs(rw - rr)).toBeLessThan(1e-12);
    }
  });

  it.each([7, 40, 97, 200])('general (pivoting-heavy) n=%i', (n) => {
    const a = general(n, 31 * n);
    const b = randomVectors(n, 9, 5);
    const fw = w.factor(a, n);
    const fr = ref.factor(a, n);
    // Errors scale with the condition number here: compare against it.
    const tol = 1e-13 / fr.rcond();
    expect(relDiff(fw.solve(b, 9), fr.solve(b, 9))).toBeLessThan(tol);
    expect(relDiff(fw.solveTransposed(b, 9), fr.solveTransposed(b, 9))).toBeLessThan(tol);
    expect(relDiff(fw.inverse(), fr.inverse())).toBeLessThan(tol);
    fw.free();
  });

  it('the inverse times the matrix is the identity (n = 150)', () => {
    const n = 150;
    const A = substochastic(n, 3);
    const L = w.leontief(A, n);
    // residual of (I − A) L = I, column by column: L's column j is block j of Lᵀ.
    const Lt = new Float64Array(n * n);
    const I = new Float64Array(n * n);
    for (let i = 0; i < n; i++) {
      I[i * n + i] = 1;
      for (let j = 0; j < n; j++) Lt[j * n + i] = L[i * n + j]!;
    }
    expect(w.residual(A, n, Lt, I, { leontief: true })).toBeLessThan(1e-13);
  });

  it('inputs are not modified', () => {
    const n = 20;
    const A = substochastic(n, 1);
    const copy = A.slice();
    const b = randomVectors(n, 2, 2);
    const bc = b.slice();
    w.solve(A, n, b, { leontief: true });
    w.factorLeontief(A, n).free();
    w.leontief(A, n);
    expect(A).toEqual(copy);
    expect(b).toEqual(bc);
  });
});
