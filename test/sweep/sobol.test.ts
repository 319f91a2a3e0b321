import { describe, expect, it } from 'vitest';
import { SaltelliDesign } from '../../src/sweep/sobol-design.js';
import { accumulateSamples, sobolIndices } from '../../src/sweep/sobol-indices.js';
import { owenScramble, sobolInteger, unitOf } from '../../src/sweep/sobol-sequence.js';
import type { Distribution } from '../../src/sweep/spec.js';

/** Runs the design on f (one value per evaluation) and returns the indices of its k factors. */
function indicesOf(f: (x: number[]) => number, dists: Distribution[], n: number, sequence: 'sobol' | 'random' = 'sobol', seed = 7) {
  const k = dists.length;
  const design = new SaltelliDesign(
    seed,
    sequence,
    dists.map((distribution) => ({ nSamples: 1, distribution })),
  );
  const evals = (k + 2) * n;
  const col = new Float64Array(evals);
  const x = dists.map(() => new Float64Array(1));
  for (let j = 0; j < evals; j++) {
    design.fill(j, x);
    col[j] = f(x.map((v) => v[0]));
  }
  const blocks = new Map<number, Float64Array>();
  accumulateSamples(blocks, k, 1, n, 0, n, [col], 0, [new Float64Array(1)]);
  return sobolIndices(blocks, 1, k, 200, 0.95, seed);
}

function expectIndices(r: ReturnType<typeof indicesOf>, S1: number[], ST: number[]) {
  S1.forEach((s, f) => {
    expect(Math.abs(r.S1[f] - s), `S1[${f}] = ${r.S1[f]} vs ${s}`).toBeLessThan(0.02);
    expect(r.S1lo[f]).toBeLessThanOrEqual(s);
    expect(r.S1hi[f]).toBeGreaterThanOrEqual(s);
  });
  ST.forEach((s, f) => {
    expect(Math.abs(r.ST[f] - s), `ST[${f}] = ${r.ST[f]} vs ${s}`).toBeLessThan(0.02);
    expect(r.STlo[f]).toBeLessThanOrEqual(s);
    expect(r.SThi[f]).toBeGreaterThanOrEqual(s);
  });
}

describe("Sobol' sequence", () => {
  it('matches scipy.stats.qmc.Sobol(d=1024, scramble=False).random(2048) (Joe–Kuo numbers)', () => {
    const dims = [0, 1, 2, 9, 100, 500, 1023];
    const scipy: Record<number, number[]> = {
      5: [0.875, 0.875, 0.125, 0.125, 0.125, 0.875, 0.375],
      777: [0.6923828125, 0.9365234375, 0.1630859375, 0.3232421875, 0.8427734375, 0.8701171875, 0.4521484375],
      2047: [0.00048828125, 0.62744140625, 0.93115234375, 0.44580078125, 0.56298828125, 0.98779296875, 0.32080078125],
    };
    for (const [i, row] of Object.entries(scipy)) expect(dims.map((d) => sobolInteger(Number(i), d) / 2 ** 32)).toEqual(row);
  });

  it('keeps one point per interval of 1/2^m in the first 2^m points of each dimension when scrambled (a (0, m, 1)-net)', () => {
    for (const dim of [0, 3, 700]) {
      const seen = new Set<number>();
      for (let i = 0; i < 256; i++) seen.add(Math.floor(unitOf(owenScramble(sobolInteger(i, dim), 12345 + dim)) * 256));
      expect(seen.size).toBe(256);
    }
    // and the scramble changes the points
    expect(owenScramble(sobolInteger(5, 1), 1)).not.toBe(sobolInteger(5, 1));
  });
});

describe("Sobol' indices on functions with known indices", () => {
  it('Ishigami (a = 7, b = 0.1): S1 = 0.314, 0.442, 0; ST = 0.558, 0.442, 0.244 at n = 2^14', () => {
    const a = 7;
    const b = 0.1;
    const pi4 = Math.PI ** 4;
    // Analytic variances (Sobol' and Levitan 1999): V1, V2, V13 and V.
    const V1 = 0.5 * (1 + (b * pi4) / 5) ** 2;
    const V2 = (a * a) / 8;
    const V13 = b * b * pi4 * pi4 * (1 / 18 - 1 / 50);
    const V = V1 + V2 + V13;
    const S1 = [V1 / V, V2 / V, 0];
    const ST = [(V1 + V13) / V, V2 / V, V13 / V];
    expect(S1.map((s) => +s.toFixed(3))).toEqual([0.314, 0.442, 0]);
    expect(ST.map((s) => +s.toFixed(3))).toEqual([0.558, 0.442, 0.244]);
    const u = { type: 'uniform', min: -Math.PI, max: Math.PI } as const;
    const f = ([x1, x2, x3]: number[]) => Math.sin(x1) + a * Math.sin(x2) ** 2 + b * x3 ** 4 * Math.sin(x1);
    expectIndices(indicesOf(f, [u, u, u], 2 ** 14), S1, ST);
    expectIndices(indicesOf(f, [u, u, u], 2 ** 14, 'random'), S1, ST);
  });

  it("Sobol's G function (a = 0, 1, 4.5, 9, 99, 99, 99, 99) at n = 2^14", () => {
    const a = [0, 1, 4.5, 9, 99, 99, 99, 99];
    // V_i = 1 / (3 (1 + a_i)^2); V = Π(1 + V_i) − 1; S_i = V_i / V; ST_i = V_i Π_{j≠i}(1 + V_j) / V.
    const Vi = a.map((x) => 1 / (3 * (1 + x) ** 2));
    const prod = Vi.reduce((p, v) => p * (1 + v), 1);
    const V = prod - 1;
    const S1 = Vi.map((v) => v / V);
    const ST = Vi.map((v) => (v * prod) / (1 + v) / V);
    const u = { type: 'uniform', min: 0, max: 1 } as const;
    const g = (x: number[]) => x.reduce((p, xi, i) => p * ((Math.abs(4 * xi - 2) + a[i]) / (1 + a[i])), 1);
    expectIndices(
      indicesOf(
        g,
        a.map(() => u),
        2 ** 14,
      ),
      S1,
      ST,
    );
  });
});
