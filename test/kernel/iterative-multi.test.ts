/**
 * Iterative solves with several right-hand sides in one call (block Gauss–Seidel / Jacobi: one
 * pass over the matrix per sweep for all vectors): equal to separate solves, to LU, per-vector
 * convergence, memory.
 */
import { beforeAll, describe, expect, it } from 'vitest';
import { ConvergenceError, KernelInputError, referenceKernel, type Kernel } from '../../src/kernel/index.js';
import { randomVectors, relDiff, substochastic, toCSR, wasmKernel } from './helpers.js';

let kernels: Kernel[];
beforeAll(async () => {
  kernels = [referenceKernel, await wasmKernel()];
});

/** Block-diagonal A: an easy block (column sums 0.05) and a hard one (0.95, or `hard` times that). */
function twoBlocks(h: number, hard = 1): Float64Array {
  const n = 2 * h;
  const A = new Float64Array(n * n);
  const easy = substochastic(h, 3, 0.05);
  const slow = substochastic(h, 4, 0.95);
  for (let i = 0; i < h; i++) {
    for (let j = 0; j < h; j++) {
      A[i * n + j] = easy[i * h + j]!;
      A[(h + i) * n + h + j] = slow[i * h + j]! * hard;
    }
  }
  return A;
}

describe.each(['reference', 'wasm'])('%s kernel', (name) => {
  const k = (): Kernel => kernels.find((x) => x.name === name)!;

  describe.each([
    { n: 70, density: 1, colSum: 0.7 },
    { n: 157, density: 0.08, colSum: 0.8 },
  ])('n=$n density=$density', ({ n, density, colSum }) => {
    const A = substochastic(n, n, colSum, density);
    const csr = toCSR(A, n);
    for (const method of ['gauss-seidel', 'jacobi'] as const) {
      for (const transposed of [false, true]) {
        it(`${method}${transposed ? ' transposed' : ''}: k vectors at once = k single solves, and = LU`, () => {
          for (const M of [A, csr]) {
            const op = k().prepareLeontiefIterative(M, { transposed });
            for (const nrhs of [2, 3, 4, 5, 6, 7, 9]) {
              const b = randomVectors(n, nrhs, nrhs);
              if (nrhs === 6) b.fill(0, 2 * n, 3 * n); // a zero vector among them
              const one = k().solveLeontiefIterative(M, b, { method, transposed, tol: 1e-13 });
              const prep = op.solve(b, { method, tol: 1e-13, nrhs });
              expect(one.x.length).toBe(n * nrhs);
              expect(relDiff(prep.x, one.x)).toBe(0);
              expect(one.vectorIterations!.length).toBe(nrhs);
              let maxIts = 0;
              for (let v = 0; v < nrhs; v++) {
                const bv = b.slice(v * n, (v + 1) * n);
                const single = k().solveLeontiefIterative(M, bv, { method, transposed, tol: 1e-13 });
                expect(relDiff(one.x.subarray(v * n, (v + 1) * n), single.x)).toBeLessThanOrEqual(1e-12);
                expect(one.vectorIterations![v]).toBe(single.iterations);
                expect(one.vectorResiduals![v]).toBe(single.residual);
                maxIts = Math.max(maxIts, single.iterations);
              }
              expect(one.iterations).toBe(maxIts);
              if (nrhs === 6) expect(one.vectorIterations![2]).toBe(0);
              const exact = k().solve(A, n, b, { leontief: true, transposed });
              expect(relDiff(one.x, exact)).toBeLessThan(1e-10);
            }
            op.free();
          }
        });
      }
    }
  });

  it('one vector that does not converge within maxIter raises ConvergenceError naming it', () => {
    const h = 40;
    const n = 2 * h;
    const A = twoBlocks(h);
    const b = new Float64Array(3 * n);
    for (let i = 0; i < h; i++) {
      b[i] = 1 + i; // vector 0: easy block only
      b[n + h + i] = 1; // vector 1: hard block only
      b[2 * n + i] = 2; // vector 2: easy block only
    }
    for (const M of [A, toCSR(A, n)]) {
      for (const method of ['gauss-seidel', 'jacobi'] as const) {
        // Alone, the easy vectors converge within the limit.
        k().solveLeontiefIterative(M, b.slice(0, n), { method, tol: 1e-12, maxIter: 30, omega: 1 });
        try {
          k().solveLeontiefIterative(M, b, { method, tol: 1e-12, maxIter: 30, omega: 1 });
          expect.unreachable();
        } catch (e) {
          expect(e).toBeInstanceOf(ConvergenceError);
          const c = e as ConvergenceError;
          expect(c.vector).toBe(1);
          expect(c.iterations).toBe(30);
          expect(c.residual).toBeGreaterThan(1e-12);
          expect(c.message).toMatch(/worst of 3 right-hand sides: vector 1/);
        }
      }
    }
  });

  it('one diverging vector (its block of A is not productive) raises ConvergenceError', () => {
    const h = 12;
    const n = 2 * h;
    const A = twoBlocks(h, 2.5);
    const b = new Float64Array(2 * n);
    for (let i = 0; i < h; i++) {
      b[i] = 1;
      b[n + h + i] = 1;
    }
    for (const M of [A, toCSR(A, n)]) {
      const op = k().prepareLeontiefIterative(M);
      expect(() => op.solve(b.slice(0, n), { maxIter: 5000 })).not.toThrow();
      expect(() => op.solve(b, { maxIter: 5000 })).toThrow(ConvergenceError);
      try {
        op.solve(b, { maxIter: 5000 });
      } catch (e) {
        expect((e as ConvergenceError).vector).toBe(1);
      }
      op.free();
    }
  });

  it('nrhs must match b', () => {
    const A = substochastic(4, 1);
    expect(() => k().solveLeontiefIterative(A, new Float64Array(8), { nrhs: 3 })).toThrow(KernelInputError);
    expect(() => k().solveLeontiefIterative(A, new Float64Array(10))).toThrow(/multiple of n/);
    expect(k().solveLeontiefIterative(A, new Float64Array(8).fill(1), { nrhs: 2 }).x.length).toBe(8);
  });
});

describe('wasm against the reference kernel', () => {
  it('multi-right-hand-side solves agree (dense and CSR, both orientations)', () => {
    const w = kernels[1]!;
    const n = 120;
    const A = substochastic(n, 7, 0.75, 0.3);
    const b = randomVectors(n, 5, 9);
    for (const M of [A, toCSR(A, n)]) {
      for (const transposed of [false, true]) {
        const r = referenceKernel.solveLeontiefIterative(M, b, { transposed, tol: 1e-13 });
        const x = w.solveLeontiefIterative(M, b, { transposed, tol: 1e-13 });
        expect(relDiff(x.x, r.x)).toBeLessThan(1e-11);
      }
    }
  });

  it('repeated prepared multi-right-hand-side solves keep wasm memory flat', () => {
    const w = kernels[1]!;
    const n = 200;
    const A = substochastic(n, 5, 0.7, 0.2);
    const ops = [w.prepareLeontiefIterative(toCSR(A, n)), w.prepareLeontiefIterative(A, { transposed: true })];
    const run = (): void => {
      for (const op of ops) {
        for (const nrhs of [1, 5, 3, 8]) {
          op.solve(randomVectors(n, nrhs, nrhs), { tol: 1e-10 });
          op.solve(randomVectors(n, nrhs, nrhs), { tol: 1e-10, method: 'jacobi' });
        }
      }
    };
    run();
    const before = w.memoryBytes();
    for (let i = 0; i < 30; i++) run();
    expect(w.memoryBytes()).toBe(before);
    for (const op of ops) op.free();
  });
});

describe.each(['reference', 'wasm'])('%s kernel: solveWithTransposed', (name) => {
  const k = (): Kernel => kernels.find((x) => x.name === name)!;
  const n = 130;
  const A = substochastic(n, 21, 0.8, 0.15);

  it('M X = B and Mᵀ T = C in one iteration agree with separate solves and with LU', () => {
    for (const M of [A, toCSR(A, n)]) {
      for (const transposed of [false, true]) {
        const op = k().prepareLeontiefIterative(M, { transposed });
        for (const [kb, kc] of [
          [4, 1],
          [5, 1],
          [9, 1],
          [2, 1],
          [0, 2],
          [0, 1],
          [3, 0],
          [1, 3],
        ] as const) {
          const b = randomVectors(n, kb, 5 + kb);
          const c = randomVectors(n, kc, 9 + kc);
          const both = op.solveWithTransposed(b, c, { tol: 1e-13 });
          expect(both.x.x.length).toBe(kb * n);
          expect(both.t.x.length).toBe(kc * n);
          if (kb) {
            const sep = op.solve(b, { tol: 1e-13 });
            expect(relDiff(both.x.x, sep.x)).toBeLessThanOrEqual(1e-12);
            expect(Array.from(both.x.vectorIterations!)).toEqual(Array.from(sep.vectorIterations!));
            expect(relDiff(both.x.x, k().solve(A, n, b, { leontief: true, transposed }))).toBeLessThan(1e-10);
          }
          if (kc) {
            const exact = k().solve(A, n, c, { leontief: true, transposed: !transposed });
            expect(relDiff(both.t.x, exact)).toBeLessThan(1e-10);
            expect(both.t.residual).toBeLessThanOrEqual(1e-13);
            const res = k().residual(A, n, both.t.x, c, { leontief: true, transposed: !transposed });
            let cn = 0;
            for (const v of c) cn = Math.max(cn, Math.abs(v));
            expect(res / (cn || 1)).toBeLessThanOrEqual(1e-13 * 1.0001 * kc);
          }
        }
        expect(() => op.solveWithTransposed(randomVectors(n, 1, 1), randomVectors(n, 1, 2), { method: 'jacobi' })).toThrow(
          KernelInputError,
        );
        op.free();
      }
    }
  });

  it('a transposed vector that does not converge raises ConvergenceError', () => {
    const op = k().prepareLeontiefIterative(toCSR(substochastic(n, 22, 0.97), n));
    expect(() => op.solveWithTransposed(randomVectors(n, 2, 1), randomVectors(n, 1, 2), { maxIter: 4, tol: 1e-14 })).toThrow(
      ConvergenceError,
    );
    try {
      op.solveWithTransposed(new Float64Array(0), randomVectors(n, 1, 2), { maxIter: 4, tol: 1e-14 });
      expect.unreachable();
    } catch (e) {
      expect((e as ConvergenceError).vector).toBe(0);
    }
    op.free();
  });
});
