/** Input validation: both kernels reject the same bad inputs with the same KernelInputError. */
import { beforeAll, describe, expect, it } from 'vitest';
import { KernelInputError, referenceKernel, type Kernel } from '../../src/kernel/index.js';
import { wasmKernel } from './helpers.js';

let kernels: Kernel[];
beforeAll(async () => {
  kernels = [referenceKernel, await wasmKernel()];
});

describe.each(['reference', 'wasm'])('%s kernel', (name) => {
  const k = (): Kernel => kernels.find((x) => x.name === name)!;
  const A = new Float64Array([0.15, 0.25, 0.2, 0.05]);

  it('rejects a matrix of the wrong size', () => {
    expect(() => k().factor(new Float64Array(5), 2)).toThrow(/must be square n×n = 2×2 \(4 values\), got 5 values/);
    expect(() => k().leontief(new Float64Array(3), 2)).toThrow(KernelInputError);
  });

  it('rejects a non-integer or non-positive order', () => {
    expect(() => k().factor(new Float64Array(4), 0)).toThrow(/n must be a positive integer, got 0/);
    expect(() => k().factor(new Float64Array(4), 2.5)).toThrow(KernelInputError);
    expect(() => k().factor(new Float64Array(4), Number.NaN)).toThrow(KernelInputError);
  });

  it('rejects non-Float64Array input', () => {
    expect(() => k().factor([1, 0, 0, 1] as unknown as Float64Array, 2)).toThrow(/must be a Float64Array/);
  });

  it('rejects NaN and ±Infinity in matrices, naming the entry', () => {
    expect(() => k().factor(new Float64Array([1, 0, Number.NaN, 1]), 2)).toThrow(
      /matrix has a non-finite entry NaN at index 2 \(row 1, column 0\)/,
    );
    expect(() => k().leontief(new Float64Array([0, Infinity, 0, 0]), 2)).toThrow(/A has a non-finite entry Infinity at index 1/);
    expect(() => k().solve(new Float64Array([1, 0, 0, -Infinity]), 2, new Float64Array(2))).toThrow(KernelInputError);
    const big = new Float64Array(100 * 100).fill(0.001);
    big[100 * 73 + 41] = Number.NaN;
    expect(() => k().factorLeontief(big, 100)).toThrow(/index 7341 \(row 73, column 41\)/);
    expect(() => k().factorBatch(new Float64Array([1, 0, 0, 1, 1, 0, 0, Number.NaN]), 2, 2)).toThrow(/batch has a non-finite entry/);
  });

  it('rejects NaN and ±Infinity in right-hand sides', () => {
    const f = k().factorLeontief(A, 2);
    expect(() => f.solve(new Float64Array([1, Number.NaN]))).toThrow(/right-hand side has a non-finite entry NaN at index 1/);
    expect(() => f.solveTransposed(new Float64Array([Infinity, 1]))).toThrow(KernelInputError);
    expect(() => k().solveLeontiefIterative(A, new Float64Array([1, Number.NaN]))).toThrow(KernelInputError);
    expect(() => k().solveLeontiefIterative(new Float64Array([0, Number.NaN, 0, 0]), new Float64Array([1, 1]))).toThrow(
      /A has a non-finite entry NaN at index 1 \(row 0, column 1\)/,
    );
    expect(() => k().prepareLeontiefIterative(new Float64Array([0, 0, Infinity, 0]))).toThrow(/index 2 \(row 1, column 0\)/);
    f.free();
  });

  it('rejects right-hand sides of the wrong length or count', () => {
    const f = k().factorLeontief(A, 2);
    expect(() => f.solve(new Float64Array(3))).toThrow(/not a positive multiple of n = 2/);
    expect(() => f.solve(new Float64Array(4), 3)).toThrow(/must hold nrhs·n = 3·2 = 6 values, got 4/);
    expect(() => f.solve(new Float64Array(4), 0)).toThrow(/nrhs must be a positive integer/);
    expect(() => f.solve(new Float64Array(0))).toThrow(KernelInputError);
    f.free();
    const bf = k().factorBatch(new Float64Array([0.1, 0, 0, 0.1, 0.2, 0, 0, 0.2]), 2, 2, { leontief: true });
    expect(() => bf.solve(new Float64Array(2))).toThrow(/count·n = 4/);
    bf.free();
  });

  it('rejects a batch whose length is not count·n·n', () => {
    expect(() => k().factorBatch(new Float64Array(7), 2, 2)).toThrow(/count·n·n = 2·2·2 = 8 values, got 7/);
    expect(() => k().factorBatch(new Float64Array(8), 2, 0)).toThrow(/count must be a positive integer/);
  });

  it('rejects use after free()', () => {
    const f = k().factorLeontief(A, 2);
    f.free();
    expect(() => f.solve(new Float64Array(2))).toThrow(/used after free/);
    f.free(); // idempotent
  });

  it('rejects malformed CSR matrices and iterative options', () => {
    const good = { n: 2, rowPtr: new Int32Array([0, 1, 2]), colIdx: new Int32Array([0, 1]), values: new Float64Array([0.1, 0.2]) };
    const b = new Float64Array([1, 1]);
    expect(k().solveLeontiefIterative(good, b).x.length).toBe(2);
    expect(() => k().solveLeontiefIterative({ ...good, rowPtr: new Int32Array([0, 1]) }, b)).toThrow(/rowPtr must have n\+1 = 3 entries/);
    expect(() => k().solveLeontiefIterative({ ...good, rowPtr: new Int32Array([0, 2, 1]) }, b)).toThrow(KernelInputError);
    expect(() => k().solveLeontiefIterative({ ...good, colIdx: new Int32Array([0, 2]) }, b)).toThrow(/colIdx\[1\] = 2 is outside 0..1/);
    expect(() => k().solveLeontiefIterative({ ...good, values: new Float64Array([0.1, Number.NaN]) }, b)).toThrow(/non-finite/);
    expect(() => k().solveLeontiefIterative(good, new Float64Array(3))).toThrow(/b must have n = 2 entries/);
    expect(() => k().solveLeontiefIterative(new Float64Array(3), new Float64Array(3))).toThrow(/dense A must be square/);
    expect(() => k().solveLeontiefIterative(A, b, { tol: 0 })).toThrow(/tol must be a positive finite number/);
    expect(() => k().solveLeontiefIterative(A, b, { maxIter: 0 })).toThrow(/maxIter must be a positive integer/);
    expect(() => k().solveLeontiefIterative(A, b, { method: 'sor' as 'jacobi' })).toThrow(/unknown iterative method/);
  });

  it('rejects residual inputs of mismatched sizes', () => {
    expect(() => k().residual(A, 2, new Float64Array(4), new Float64Array(2))).toThrow(KernelInputError);
  });
});
