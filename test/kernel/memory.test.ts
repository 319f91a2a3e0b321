/** Deterministic freeing: 100,000 factor/solve cycles must not grow wasm memory. */
import { beforeAll, describe, expect, it } from 'vitest';
import type { Kernel } from '../../src/kernel/index.js';
import { randomVectors, substochastic, wasmKernel } from './helpers.js';

let w: Kernel;
beforeAll(async () => {
  w = await wasmKernel();
});

describe('wasm memory', () => {
  it('100,000 factor/solve/free cycles (n = 30) keep memory flat', () => {
    const n = 30;
    const A = substochastic(n, 1);
    const b = randomVectors(n, 2, 2);
    const cycle = (): void => {
      const f = w.factorLeontief(A, n);
      f.solve(b, 2);
      f.solveTransposed(b.subarray(0, n));
      f.free();
    };
    for (let i = 0; i < 1000; i++) cycle();
    const before = w.memoryBytes();
    for (let i = 0; i < 100_000; i++) cycle();
    expect(w.memoryBytes()).toBe(before);
  });

  it('one-shot solves, inverses, batches and iterative solves of varying sizes keep memory flat', () => {
    const sizes = [5, 42, 130, 64, 300, 17];
    const run = (): void => {
      for (const n of sizes) {
        const A = substochastic(n, n);
        const b = randomVectors(n, 3, n);
        w.solve(A, n, b, { leontief: true });
        w.inverse(A, n, { leontief: true });
        const bf = w.factorBatch(new Float64Array(4 * n * n).fill(0.001), n, 4, { leontief: true });
        bf.solve(randomVectors(n, 4, 1));
        bf.free();
        w.solveLeontiefIterative(A, b.subarray(0, n));
        const op = w.prepareLeontiefIterative(A, { transposed: n % 2 === 0 });
        op.solve(b.subarray(0, n));
        op.free();
      }
    };
    run();
    const before = w.memoryBytes();
    for (let i = 0; i < 50; i++) run();
    expect(w.memoryBytes()).toBe(before);
  });

  it('singular inputs release their memory too', () => {
    const sing = new Float64Array([1, 2, 2, 4]);
    const tryOnce = (): void => {
      try {
        w.factor(sing, 2);
      } catch {
        /* expected */
      }
      try {
        w.factorBatch(new Float64Array(8), 2, 2);
      } catch {
        /* expected */
      }
    };
    for (let i = 0; i < 100; i++) tryOnce();
    const before = w.memoryBytes();
    for (let i = 0; i < 20_000; i++) tryOnce();
    expect(w.memoryBytes()).toBe(before);
  });
});
