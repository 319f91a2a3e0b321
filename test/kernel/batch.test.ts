/** Batched factorisations equal one-by-one ones (31 provinces × 30 or 42 sectors). */
import { beforeAll, describe, expect, it } from 'vitest';
import { referenceKernel as ref, SingularMatrixError, type Kernel } from '../../src/kernel/index.js';
import { randomVectors, relDiff, substochastic, wasmKernel } from './helpers.js';

let w: Kernel;
beforeAll(async () => {
  w = await wasmKernel();
});

function stack(n: number, count: number, seed: number): Float64Array {
  const a = new Float64Array(count * n * n);
  for (let c = 0; c < count; c++) a.set(substochastic(n, seed + c), c * n * n);
  return a;
}

describe.each([30, 42])('batch of 31 systems of order %i', (n) => {
  const count = 31;
  const A = stack(n, count, n);

  it.each([1, 3])('solve and solveTransposed with %i rhs equal one-by-one (wasm and reference)', (k) => {
    const b = randomVectors(n, k * count, 77);
    for (const kern of [() => w, () => ref]) {
      const bf = kern().factorBatch(A, n, count, { leontief: true });
      const xs = bf.solve(b, k);
      const ts = bf.solveTransposed(b, k);
      for (let c = 0; c < count; c++) {
        const Ac = A.subarray(c * n * n, (c + 1) * n * n);
        const bc = b.subarray(c * k * n, (c + 1) * k * n);
        const f = kern().factorLeontief(Ac, n);
        expect(relDiff(xs.subarray(c * k * n, (c + 1) * k * n), f.solve(bc, k))).toBeLessThan(1e-15);
        expect(relDiff(ts.subarray(c * k * n, (c + 1) * k * n), f.solveTransposed(bc, k))).toBeLessThan(1e-15);
        f.free();
      }
      bf.free();
    }
  });

  it('wasm batch equals the reference batch to 1e-12', () => {
    const b = randomVectors(n, 2 * count, 5);
    const bw = w.factorBatch(A, n, count, { leontief: true });
    const br = ref.factorBatch(A, n, count, { leontief: true });
    expect(relDiff(bw.solve(b, 2), br.solve(b, 2))).toBeLessThan(1e-12);
    expect(relDiff(bw.solveTransposed(b, 2), br.solveTransposed(b, 2))).toBeLessThan(1e-12);
    bw.free();
  });

  it('a plain (non-Leontief) batch', () => {
    const M = A.slice();
    for (let c = 0; c < count; c++) for (let i = 0; i < n; i++) M[c * n * n + i * n + i]! += 1;
    const b = randomVectors(n, count, 9);
    const bw = w.factorBatch(M, n, count);
    expect(relDiff(bw.solve(b), ref.factorBatch(M, n, count).solve(b))).toBeLessThan(1e-12);
    bw.free();
  });

  it('a singular member is reported with its index and pivot', () => {
    const M = A.slice();
    // Matrix 4: make I − A singular by giving column 0 of A a unit column sum concentrated on
    // the diagonal (a_00 = 1): column 0 of I − A is zero, so pivot 0 vanishes.
    for (let i = 0; i < n; i++) M[4 * n * n + i * n] = i === 0 ? 1 : 0;
    for (const k of [w, ref]) {
      let err: unknown;
      try {
        k.factorBatch(M, n, count, { leontief: true });
      } catch (e) {
        err = e;
      }
      expect(err).toBeInstanceOf(SingularMatrixError);
      expect((err as SingularMatrixError).pivot).toBe(0);
      expect((err as SingularMatrixError).message).toMatch(/matrix 4 of the batch/);
    }
  });
});
