/** Gauss–Seidel and Jacobi on (I − A), dense and CSR, against the dense LU solution (1e-10). */
import { beforeAll, describe, expect, it } from 'vitest';
import { ConvergenceError, KernelInputError, referenceKernel, type Kernel } from '../../src/kernel/index.js';
import { randomVectors, relDiff, substochastic, toCSR, wasmKernel } from './helpers.js';

let kernels: Kernel[];
beforeAll(async () => {
  kernels = [referenceKernel, await wasmKernel()];
});

describe.each(['reference', 'wasm'])('%s kernel', (name) => {
  const k = (): Kernel => kernels.find((x) => x.name === name)!;

  describe.each([
    { n: 60, density: 1, colSum: 0.7 },
    { n: 150, density: 0.1, colSum: 0.6 },
    { n: 301, density: 0.03, colSum: 0.9 },
  ])('n=$n density=$density colSum=$colSum', ({ n, density, colSum }) => {
    const A = substochastic(n, n, colSum, density);
    const csr = toCSR(A, n);
    const b = randomVectors(n, 1, 3);
    for (const method of ['gauss-seidel', 'jacobi'] as const) {
      for (const transposed of [false, true]) {
        it(`${method}${transposed ? ' transposed' : ''}: dense and CSR agree with LU`, () => {
          const exact = k().solve(A, n, b, { leontief: true, transposed });
          for (const M of [A, csr]) {
            const r = k().solveLeontiefIterative(M, b, { method, transposed, tol: 1e-13 });
            expect(relDiff(r.x, exact)).toBeLessThan(1e-10);
            expect(r.residual).toBeLessThanOrEqual(1e-13);
            expect(r.iterations).toBeGreaterThan(0);
            // The reported residual is the true one.
            const res = k().residual(A, n, r.x, b, { leontief: true, transposed });
            let bn = 0;
            for (const v of b) bn = Math.max(bn, Math.abs(v));
            expect(res / bn).toBeLessThanOrEqual(1e-13 * 1.0001);
          }
        });
      }
    }
  });

  it('a prepared operator (dense and CSR, plain and transposed) gives the one-shot results', () => {
    const n = 90;
    const A = substochastic(n, 11, 0.8, 0.2);
    for (const M of [A, toCSR(A, n)]) {
      for (const transposed of [false, true]) {
        const op = k().prepareLeontiefIterative(M, { transposed });
        expect(op.n).toBe(n);
        for (const seed of [1, 2, 3]) {
          const b = randomVectors(n, 1, seed);
          for (const method of ['gauss-seidel', 'jacobi'] as const) {
            const r = op.solve(b, { method, tol: 1e-13 });
            const one = k().solveLeontiefIterative(M, b, { method, tol: 1e-13, transposed });
            expect(r.iterations).toBe(one.iterations);
            expect(relDiff(r.x, one.x)).toBeLessThan(1e-15);
          }
        }
        op.free();
        expect(() => op.solve(randomVectors(n, 1, 1))).toThrow(/used after free/);
        op.free();
      }
    }
  });

  it('Gauss–Seidel needs fewer iterations than Jacobi on a nonnegative A', () => {
    const n = 80;
    const A = substochastic(n, 2, 0.7);
    const b = randomVectors(n, 1, 4);
    const gs = k().solveLeontiefIterative(A, b, { method: 'gauss-seidel' });
    const j = k().solveLeontiefIterative(A, b, { method: 'jacobi' });
    expect(gs.iterations).toBeLessThan(j.iterations);
  });

  it("SOR: a given omega > 1 and the default 'auto' agree with LU in fewer sweeps; a signed A gets plain Gauss–Seidel", () => {
    const n = 200;
    const A = substochastic(n, 8, 0.7);
    const b = randomVectors(n, 1, 8);
    const exact = k().solve(A, n, b, { leontief: true });
    const gs = k().solveLeontiefIterative(A, b, { tol: 1e-12, omega: 1 });
    for (const M of [A, toCSR(A, n)]) {
      const sor = k().solveLeontiefIterative(M, b, { tol: 1e-12, omega: 1.15 });
      expect(relDiff(sor.x, exact)).toBeLessThan(1e-10);
      expect(sor.iterations).toBeLessThan(gs.iterations);
      // 'auto' (the default): ω from the Jacobi bound, the same for a prepared operator.
      const auto = k().solveLeontiefIterative(M, b, { tol: 1e-12 });
      expect(relDiff(auto.x, exact)).toBeLessThan(1e-10);
      expect(auto.iterations).toBeLessThan(0.8 * gs.iterations);
      const op = k().prepareLeontiefIterative(M);
      expect(op.solve(b, { tol: 1e-12 }).iterations).toBe(auto.iterations);
      op.free();
    }
    // One negative entry: the SOR theorem for A ≥ 0 does not apply, so 'auto' is plain Gauss–Seidel.
    const S = A.slice();
    S[1] = -0.01;
    expect(k().solveLeontiefIterative(S, b, { tol: 1e-12 }).iterations).toBe(
      k().solveLeontiefIterative(S, b, { tol: 1e-12, omega: 1 }).iterations,
    );
    expect(() => k().solveLeontiefIterative(A, b, { omega: 2 })).toThrow(/omega must be 'auto' or lie in \(0, 2\)/);
    expect(() => k().solveLeontiefIterative(A, b, { omega: 0 })).toThrow(KernelInputError);
  });

  it('a zero right-hand side returns zero without iterating', () => {
    const r = k().solveLeontiefIterative(substochastic(5, 1), new Float64Array(5));
    expect(r.iterations).toBe(0);
    expect(Array.from(r.x)).toEqual([0, 0, 0, 0, 0]);
  });

  it('a non-productive A (spectral radius > 1) raises ConvergenceError', () => {
    const n = 10;
    const A = substochastic(n, 5, 1);
    for (let i = 0; i < n * n; i++) A[i]! *= 1.5;
    for (const method of ['gauss-seidel', 'jacobi'] as const) {
      expect(() => k().solveLeontiefIterative(A, randomVectors(n, 1, 1), { method, maxIter: 5000 })).toThrow(ConvergenceError);
    }
  });

  it('too few iterations raise ConvergenceError with the residual reached', () => {
    const n = 40;
    const A = substochastic(n, 6, 0.95);
    try {
      k().solveLeontiefIterative(A, randomVectors(n, 1, 2), { maxIter: 3, tol: 1e-14 });
      expect.unreachable();
    } catch (e) {
      expect(e).toBeInstanceOf(ConvergenceError);
      const c = e as ConvergenceError;
      expect(c.iterations).toBe(3);
      expect(c.residual).toBeGreaterThan(1e-14);
      expect(c.tol).toBe(1e-14);
    }
  });

  it('a unit diagonal in A (zero diagonal in I − A) is rejected', () => {
    const A = new Float64Array([1, 0.1, 0.1, 0.2]);
    expect(() => k().solveLeontiefIterative(A, new Float64Array([1, 1]))).toThrow(KernelInputError);
    expect(() => k().solveLeontiefIterative(toCSR(A, 2), new Float64Array([1, 1]))).toThrow(KernelInputError);
  });

  it('CSR with duplicate entries sums them', () => {
    const csr = {
      n: 2,
      rowPtr: new Int32Array([0, 3, 4]),
      colIdx: new Int32Array([0, 1, 0, 1]),
      values: new Float64Array([0.1, 0.25, 0.05, 0.05]),
    };
    const A = new Float64Array([0.15, 0.25, 0, 0.05]);
    const b = new Float64Array([1, 2]);
    const r = k().solveLeontiefIterative(csr, b, { tol: 1e-14 });
    expect(relDiff(r.x, k().solve(A, 2, b, { leontief: true }))).toBeLessThan(1e-12);
  });
});
