/**
 * Exactly and numerically singular inputs raise SingularMatrixError with the failing pivot,
 * never a silent solution. Threshold: pivot k fails when |u_kk| ≤ ε · n · max|m_ij|.
 */
import { beforeAll, describe, expect, it } from 'vitest';
import { PIVOT_REL_TOL, referenceKernel, SingularMatrixError, type Kernel } from '../../src/kernel/index.js';
import { general, wasmKernel } from './helpers.js';

let kernels: Kernel[];
beforeAll(async () => {
  kernels = [referenceKernel, await wasmKernel()];
});

function pivotOf(f: () => unknown): number {
  try {
    f();
  } catch (e) {
    if (e instanceof SingularMatrixError) return e.pivot;
    throw e;
  }
  throw new Error('no SingularMatrixError');
}

describe.each(['reference', 'wasm'])('%s kernel', (name) => {
  const k = (): Kernel => kernels.find((x) => x.name === name)!;

  it('the zero matrix fails at pivot 0', () => {
    expect(pivotOf(() => k().factor(new Float64Array(9), 3))).toBe(0);
  });

  it('[[1, 2], [2, 4]] fails at pivot 1', () => {
    expect(pivotOf(() => k().factor(new Float64Array([1, 2, 2, 4]), 2))).toBe(1);
  });

  it('a zero column 2 of a diagonal matrix fails at pivot 2', () => {
    expect(pivotOf(() => k().factor(new Float64Array([1, 0, 0, 0, 0, 2, 0, 0, 0, 0, 0, 0, 0, 0, 0, 4]), 4))).toBe(2);
  });

  it('a closed economy (column sums of A equal 1) makes I − A singular at the last pivot', () => {
    const A = new Float64Array([0.5, 0.5, 0.5, 0.5]);
    expect(pivotOf(() => k().factorLeontief(A, 2))).toBe(1);
    expect(pivotOf(() => k().leontief(A, 2))).toBe(1);
    expect(pivotOf(() => k().solve(A, 2, new Float64Array([1, 1]), { leontief: true }))).toBe(1);
  });

  it('row 2 = row 0 + row 1 fails at pivot 2', () => {
    expect(pivotOf(() => k().factor(new Float64Array([2, 1, 1, 4, 3, 3, 6, 4, 4]), 3))).toBe(2);
  });

  it('near-singular below the threshold fails, just above it succeeds with a tiny rcond', () => {
    // Pivot 1 of [[1, 1], [1, 1 + δ]] is δ; the threshold is ε · 2 · (1 + δ).
    const tol = PIVOT_REL_TOL * 2;
    expect(pivotOf(() => k().factor(new Float64Array([1, 1, 1, 1 + 0.5 * tol]), 2))).toBe(1);
    const f = k().factor(new Float64Array([1, 1, 1, 1 + 1e-12]), 2);
    expect(f.rcond()).toBeGreaterThan(0);
    expect(f.rcond()).toBeLessThan(1e-11);
    f.free();
  });

  it('a large dependent system (n = 120, last row = sum of rows 3 and 77) fails at the last pivot', () => {
    const n = 120;
    const a = general(n, 4);
    for (let j = 0; j < n; j++) a[(n - 1) * n + j] = a[3 * n + j]! + a[77 * n + j]!;
    expect(pivotOf(() => k().factor(a, n))).toBe(n - 1);
  });

  it('a zero leading column with n = 200 fails at pivot 0 on the recursive path', () => {
    const n = 200;
    const a = general(n, 9);
    for (let i = 0; i < n; i++) a[i * n] = 0;
    expect(pivotOf(() => k().factor(a, n))).toBe(0);
  });

  it('a column duplicated deep inside (n = 150, column 100 = column 20) fails at pivot 100', () => {
    const n = 150;
    const a = general(n, 12);
    for (let i = 0; i < n; i++) a[i * n + 100] = a[i * n + 20]!;
    expect(pivotOf(() => k().factor(a, n))).toBe(100);
  });

  it('the error message names the pivot and the order', () => {
    expect(() => k().factor(new Float64Array([1, 2, 2, 4]), 2)).toThrow(/order 2 is singular: pivot 1/);
  });
});
