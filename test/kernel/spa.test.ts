/**
 * The structural path traversal on a system worked by hand, and the wasm kernel held to the
 * TypeScript reference (same paths, same values, bit for bit).
 *
 * Two regions × three sectors (power a, steel b, machinery c), positions R1a R1b R1c R2a R2b R2c.
 * A: R1a→R1b 0.2, R1b→R1a 0.1 (a cycle), R1a→R2c 0.1, R1b→R2c 0.3, R2b→R2c 0.1, R2a→R2b 0.25
 * (A[i][j] = input of i per unit of j). d = 1, 0.5, 0.1, 0.8, 0.4, 0.05. Final demand of R2:
 * f(R2c) = 100, f(R1c) = 10. By hand, t_j = d_j + Σ_i t_i A_ij:
 *   t(R1a) = 1 + 0.1 t(R1b), t(R1b) = 0.5 + 0.2 t(R1a) → t(R1a) = 15/14, t(R1b) = 5/7;
 *   t(R2b) = 0.4 + 0.25·0.8 = 0.6; t(R2c) = 0.05 + 0.1·15/14 + 0.3·5/7 + 0.1·0.6 = 3.02/7;
 *   footprint t f = 100·3.02/7 + 10·0.1 = 309/7 = 44.142857…
 * Paths, value = d(first) × product of A along the chain × f (order = number of A factors):
 *   order 0: R2c 0.05·100 = 5; R1c 0.1·10 = 1
 *   order 1: R1b←R2c 0.5·30 = 15; R1a←R2c 1·10 = 10; R2b←R2c 0.4·10 = 4
 *   order 2: R1a←R1b←R2c 1·0.2·30 = 6; R2a←R2b←R2c 0.8·0.25·10 = 2; R1b←R1a←R2c 0.5·0.1·10 = 0.5
 *   order 3: R1b←R1a←R1b←R2c 0.5·0.1·6 = 0.3; R1a←R1b←R1a←R2c 1·0.2·1 = 0.2
 * Σ to order 3 = 44; the rest, 309/7 − 44 = 1/7, is the cycle's higher orders.
 */
import { describe, expect, it } from 'vitest';
import { loadKernel, pathSearchOf, referenceKernel, structuralPathsReference, type SpaInput } from '../../src/kernel/index.js';
import { randomVectors, rng, substochastic } from './helpers.js';

const n = 6;
const A = new Float64Array(n * n);
const set = (i: number, j: number, v: number) => {
  A[i * n + j] = v;
};
set(0, 1, 0.2);
set(1, 0, 0.1);
set(0, 5, 0.1);
set(1, 5, 0.3);
set(4, 5, 0.1);
set(3, 4, 0.25);
const d = Float64Array.from([1, 0.5, 0.1, 0.8, 0.4, 0.05]);
const t = Float64Array.from([15 / 14, 5 / 7, 0.1, 0.8, 0.6, 3.02 / 7]);
const f = Float64Array.from([0, 0, 10, 0, 0, 100]);
const total = 309 / 7;
const names = ['R1a', 'R1b', 'R1c', 'R2a', 'R2b', 'R2c'];
const chainsOf = (r: { chains: Int32Array; offsets: Int32Array; values: Float64Array }) =>
  Array.from(r.values, (_, k) => Array.from(r.chains.subarray(r.offsets[k], r.offsets[k + 1]), (a) => names[a]).join('←'));

const HAND: [string, number][] = [
  ['R1b←R2c', 15],
  ['R1a←R2c', 10],
  ['R1a←R1b←R2c', 6],
  ['R2c', 5],
  ['R2b←R2c', 4],
  ['R2a←R2b←R2c', 2],
  ['R1c', 1],
  ['R1b←R1a←R2c', 0.5],
  ['R1b←R1a←R1b←R2c', 0.3],
  ['R1a←R1b←R1a←R2c', 0.2],
];

describe('structural paths, worked by hand', async () => {
  const wasm = pathSearchOf(await loadKernel());
  for (const [name, run] of [
    ['reference', structuralPathsReference],
    ['wasm', (p: SpaInput) => wasm.structuralPaths(p)],
  ] as const) {
    it(`${name}: the paths up to order 3, their values and the remainder 1/7`, () => {
      // 0.15: every order-≤3 node has S ≥ 0.2143 (R1a←R1b←R1a←R2c: 0.2·15/14), the order-4 ones ≤ 0.1286.
      const r = run({ n, A, d, t, f, threshold: 0.15, maxPaths: 100 });
      expect(chainsOf(r)).toEqual(HAND.map(([c]) => c));
      HAND.forEach(([, v], k) => expect(r.values[k]).toBeCloseTo(v, 13));
      const covered = r.values.reduce((a, b) => a + b, 0);
      expect(covered).toBeCloseTo(44, 12);
      expect(r.unlisted + r.pruned + r.leftover).toBeCloseTo(1 / 7, 12);
      expect(r.unlisted).toBe(0);
      expect(r.leftover).toBe(0);
      expect(r.truncated).toBe(false);
    });

    it(`${name}: maxPaths = 3 lists the 3 largest; the rest is in the remainder, computed`, () => {
      const r = run({ n, A, d, t, f, threshold: 0.15, maxPaths: 3 });
      expect(chainsOf(r)).toEqual(['R1b←R2c', 'R1a←R2c', 'R1a←R1b←R2c']);
      const covered = r.values.reduce((a, b) => a + b, 0);
      expect(covered).toBeCloseTo(31, 12);
      expect(covered + r.unlisted + r.pruned + r.leftover).toBeCloseTo(total, 12);
      expect(r.unlisted).toBeGreaterThan(0);
    });

    it(`${name}: the sum over paths to high order converges to the footprint`, () => {
      const r = run({ n, A, d, t, f, threshold: 1e-13 * total, maxPaths: 100_000 });
      const covered = r.values.reduce((a, b) => a + b, 0);
      expect(Math.abs(covered - total) / total).toBeLessThan(1e-12);
      expect(Math.max(...Array.from(r.offsets.subarray(1), (o, k) => o - r.offsets[k]!))).toBeGreaterThan(10);
    });

    it(`${name}: a node limit stops the search and says so; the bookkeeping still closes`, () => {
      const r = run({ n, A, d, t, f, threshold: 0, maxPaths: 1000, maxNodes: 50 });
      expect(r.truncated).toBe(true);
      expect(r.nodes).toBe(50);
      expect(r.values.reduce((a, b) => a + b, 0) + r.unlisted + r.pruned + r.leftover).toBeCloseTo(total, 12);
    });
  }

  it('rejects bad input in both kernels alike', () => {
    const bad = { n, A, d, t, f: new Float64Array(5), threshold: 0, maxPaths: 1 };
    expect(() => structuralPathsReference(bad)).toThrow(/f must be a Float64Array of 6 values/);
    expect(() => wasm.structuralPaths(bad)).toThrow(/f must be a Float64Array of 6 values/);
    expect(() => wasm.structuralPaths({ ...bad, f, maxPaths: 0 })).toThrow(/maxPaths/);
  });

  it('the reference kernel has it, as the wasm one', () => {
    expect(pathSearchOf(referenceKernel).structuralPaths).toBe(structuralPathsReference);
  });
});

describe('structural paths: wasm = reference on random systems', async () => {
  const k = await loadKernel();
  const wasm = pathSearchOf(k);
  for (const [nn, density, K] of [
    [40, 1, 500],
    [120, 0.2, 2000],
    [60, 0.5, 50],
  ] as const) {
    it(`n = ${nn}, density ${density}, ${K} paths`, () => {
      const A = substochastic(nn, nn + K, 0.7, density);
      const r = rng(nn);
      const d = Float64Array.from({ length: nn }, () => (r() < 0.2 ? 0 : r()));
      const f = randomVectors(nn, 1, nn + 1);
      const t = k.solve(A, nn, d, { leontief: true, transposed: true });
      const tot = t.reduce((s, v, i) => s + v * f[i]!, 0);
      const input = { n: nn, A, d, t, f, threshold: 1e-6 * tot, maxPaths: K };
      const a = structuralPathsReference(input);
      const b = wasm.structuralPaths(input);
      expect(b.values).toEqual(a.values);
      expect(b.chains).toEqual(a.chains);
      expect(b.offsets).toEqual(a.offsets);
      expect([b.unlisted, b.pruned, b.leftover, b.expanded, b.nodes]).toEqual([a.unlisted, a.pruned, a.leftover, a.expanded, a.nodes]);
      expect(a.values.length).toBe(K);
      const covered = a.values.reduce((s, v) => s + v, 0);
      expect(Math.abs(covered + a.unlisted + a.pruned + a.leftover - tot) / tot).toBeLessThan(1e-12);
    });
  }

  it('frees its memory: wasm memory stays flat over repeated runs', () => {
    const input = { n, A, d, t, f, threshold: 0, maxPaths: 100, maxNodes: 20_000 };
    wasm.structuralPaths(input);
    const before = k.memoryBytes();
    for (let i = 0; i < 20; i++) wasm.structuralPaths(input);
    expect(k.memoryBytes()).toBe(before);
  });
});
