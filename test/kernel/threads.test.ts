/** The threaded kernel (src/kernel/threads.ts) against the single-thread wasm kernel. */
import { spawnSync } from 'node:child_process';
import { fileURLToPath } from 'node:url';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { KernelInputError, SingularMatrixError, type Kernel } from '../../src/kernel/index.js';
import { loadThreadedKernel, type ThreadedKernel } from '../../src/kernel/threads.js';
import { randomVectors, relDiff, substochastic, wasmKernel, wellConditioned } from './helpers.js';

let w: Kernel;
let t: ThreadedKernel;
beforeAll(async () => {
  w = await wasmKernel();
  t = await loadThreadedKernel({ threads: 2 });
});
afterAll(async () => {
  await t?.close();
});

const SIZES = [1, 7, 64, 257, 600];

describe('threaded kernel = single-thread kernel', () => {
  it('is the threaded build with 2 threads', () => {
    expect(t.name).toBe('wasm-threads');
    expect(t.threads).toBe(2);
  });

  for (const n of SIZES) {
    it(`n = ${n}: factors (solves, inverse) and one-shot inverse, well-conditioned and column-substochastic`, () => {
      // 40 vectors: enough columns (rows, transposed) for the solves to be split across threads.
      const b = randomVectors(n, 40, n);
      for (const [a, leontief] of [
        [wellConditioned(n, n), false],
        [substochastic(n, n + 1), true],
      ] as const) {
        const fw = leontief ? w.factorLeontief(a, n) : w.factor(a, n);
        const ft = leontief ? t.factorLeontief(a, n) : t.factor(a, n);
        try {
          // The factors decide every solve: 40 vectors both ways (bit-identical: the factors and the
          // split solves do the same operations in the same order) and the inverse from them.
          expect(ft.solve(b, 40)).toEqual(fw.solve(b, 40));
          expect(ft.solveTransposed(b, 40)).toEqual(fw.solveTransposed(b, 40));
          expect(relDiff(ft.inverse(), fw.inverse())).toBeLessThan(1e-12);
        } finally {
          fw.free();
          ft.free();
        }
        expect(relDiff(t.inverse(a, n, { leontief }), w.inverse(a, n, { leontief }))).toBeLessThan(1e-12);
      }
    });
  }

  it('reports the same singular pivot and the same input errors', () => {
    const n = 600;
    const a = wellConditioned(n, 3);
    for (let i = 0; i < n; i++) a[i * n + 400] = 0; // column 400 stays exactly zero
    const pivot = (k: Kernel): number => {
      try {
        k.factor(a, n);
      } catch (e) {
        expect(e).toBeInstanceOf(SingularMatrixError);
        return (e as SingularMatrixError).pivot;
      }
      throw new Error('no SingularMatrixError');
    };
    expect(pivot(t)).toBe(400);
    expect(pivot(w)).toBe(400);
    const bad = wellConditioned(n, 4);
    bad[123 * n + 45] = NaN;
    const message = (k: Kernel): string => {
      try {
        k.inverse(bad, n);
      } catch (e) {
        expect(e).toBeInstanceOf(KernelInputError);
        return (e as Error).message;
      }
      throw new Error('no KernelInputError');
    };
    expect(message(t)).toBe(message(w));
  });

  it('keeps wasm memory flat over repeated calls', () => {
    const n = 600;
    const a = substochastic(n, 9);
    const run = (): void => {
      t.inverse(a, n, { leontief: true });
      const f = t.factorLeontief(a, n);
      f.solve(randomVectors(n, 40, 1), 40);
      f.free();
    };
    run();
    const before = t.memoryBytes();
    for (let i = 0; i < 10; i++) run();
    expect(t.memoryBytes()).toBe(before);
  });
});

describe('threaded kernel workers', () => {
  it('stop on close(), and a forgotten close() does not keep the process alive', () => {
    const src = fileURLToPath(new URL('../../src/kernel/threads.ts', import.meta.url));
    const script = `
      const { loadThreadedKernel } = await import(${JSON.stringify(src)});
      const a = await loadThreadedKernel({ threads: 2 });
      const b = await loadThreadedKernel({ threads: 3 });
      const m = new Float64Array(400 * 400).map((_, i) => (i % 401 === 0 ? 400 : Math.sin(i)));
      a.inverse(m, 400);
      b.inverse(m, 400);
      await a.close();
      console.log('closed', a.threads, a.inverse(m, 400).length);
    `;
    const r = spawnSync(process.execPath, ['--import', 'tsx', '--input-type=module', '-e', script], { encoding: 'utf8', timeout: 30_000 });
    expect(r.stderr).toBe('');
    expect(r.stdout.trim()).toBe('closed 1 160000');
    expect(r.status).toBe(0);
  });
});
