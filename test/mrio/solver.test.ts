/** The two Leontief solvers behind the MRIO accounts give the same answers. */
import { describe, expect, it } from 'vitest';
import { loadKernel, referenceKernel } from '../../src/kernel/index.js';
import { conditionVerdict, denseSolver, iterativeSolver, toCSR, transposeCSR } from '../../src/mrio/solver.js';

function system(n: number): Float64Array {
  // A small column-substochastic A with some zeros: a_ij = ((i·7 + j·13) mod 10) / (10·n), 0 when that is 0.
  const A = new Float64Array(n * n);
  for (let i = 0; i < n; i++) for (let j = 0; j < n; j++) A[i * n + j] = ((i * 7 + j * 13) % 10) / (10 * n);
  return A;
}

describe('Leontief solvers', () => {
  it('CSR conversion and transposition', () => {
    const n = 7;
    const A = system(n);
    const c = toCSR(A, n);
    expect(c.rowPtr[n]).toBe(A.filter((v) => v !== 0).length);
    const t = transposeCSR(c);
    for (let i = 0; i < n; i++) {
      for (let p = t.rowPtr[i]!; p < t.rowPtr[i + 1]!; p++) expect(t.values[p]).toBe(A[t.colIdx[p]! * n + i]);
    }
    expect(transposeCSR(t)).toEqual(c);
  });

  it('dense and iterative agree, for X = (I − A)⁻¹B and (I − A)⁻ᵀB with several right-hand sides', () => {
    const n = 12;
    const A = system(n);
    const B = Float64Array.from({ length: 3 * n }, (_, k) => (k % 5) + 1);
    B.fill(0, n, 2 * n); // an all-zero right-hand side gives x = 0
    const d = denseSolver(referenceKernel, A, n);
    const it = iterativeSolver(referenceKernel, A, n, { tol: 1e-14 });
    for (const f of ['solve', 'solveTransposed'] as const) {
      const x1 = d[f](B, 3);
      const x2 = it[f](B, 3);
      for (let k = 0; k < 3 * n; k++) expect(Math.abs(x1[k]! - x2[k]!)).toBeLessThan(1e-12 * Math.max(1, Math.abs(x1[k]!)));
      for (let k = n; k < 2 * n; k++) expect(x2[k]).toBe(0);
    }
    expect(it.iterations()).toBeGreaterThan(0);
    d.free();
  });

  it('the iterative solver sends all right-hand sides of a call to one multi-vector kernel solve (wasm)', async () => {
    const kernel = await loadKernel();
    const n = 40;
    const A = system(n);
    const B = Float64Array.from({ length: 4 * n }, (_, k) => ((k * 7) % 11) + 1);
    B.fill(0, 2 * n, 3 * n);
    let calls = 0;
    const counting = {
      ...kernel,
      name: kernel.name,
      prepareLeontiefIterative: (M: Parameters<typeof kernel.prepareLeontiefIterative>[0], o?: { transposed?: boolean }) => {
        const op = kernel.prepareLeontiefIterative(M, o);
        return {
          n: op.n,
          solve: (b: Float64Array, so?: object) => {
            calls++;
            return op.solve(b, so);
          },
          solveWithTransposed: op.solveWithTransposed,
          free: () => op.free(),
        };
      },
    };
    const d = denseSolver(kernel, A, n);
    const it = iterativeSolver(counting, A, n, { tol: 1e-14 });
    for (const f of ['solve', 'solveTransposed'] as const) {
      const x1 = d[f](B, 4);
      const x2 = it[f](B, 4);
      for (let k = 0; k < 4 * n; k++) expect(Math.abs(x1[k]! - x2[k]!)).toBeLessThan(1e-12 * Math.max(1, Math.abs(x1[k]!)));
      for (let k = 2 * n; k < 3 * n; k++) expect(x2[k]).toBe(0);
    }
    expect(calls).toBe(2);
    expect(it.iterations()).toBeGreaterThan(0);
    it.free();
    d.free();
  });
});

describe('conditionVerdict', () => {
  it('warns above 1e8, treats 1/ε and beyond (and Infinity, a zero rcond) as singular', () => {
    expect(conditionVerdict(1e8)).toEqual({ singular: false });
    expect(conditionVerdict(2e8).warning).toMatch(/about 2\.0e\+8, so the accounts may have lost up to 9 of their 16/);
    expect(conditionVerdict(4e15).singular).toBe(false);
    expect(conditionVerdict(1 / Number.EPSILON).singular).toBe(true);
    expect(conditionVerdict(Infinity)).toMatchObject({
      singular: true,
      warning: expect.stringMatching(/numerically singular: .* about Infinity/),
    });
    expect(conditionVerdict(Number.NaN).singular).toBe(true);
  });
});
