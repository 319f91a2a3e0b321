/**
 * Hypothetical extraction worked by hand on a 2-sector province, and on the demo dataset against
 * independent dense re-solves of the extracted systems.
 *
 * A = [[0.1, 0.2], [0.3, 0.1]], d = (1, 2), f = (10, 20). det(I − A) = 0.75, x = (13, 21)/0.75 =
 * (52/3, 28), E = d x = 52/3 + 56 = 220/3. Extracting sector 1 (index 0):
 *  - total (row, column and f_1 gone): x_2 = 20/0.9, Ē = 40/0.9 → E − Ē = 220/3 − 400/9 = 260/9;
 *  - backward (column 1 of A zero): x_2 = 20/0.9, x_1 = 10 + 0.2·20/0.9 → Ē = 130/9 + 400/9 = 530/9 → 130/9;
 *  - forward (row 1 of A zero): x_1 = 10, x_2 = (20 + 0.3·10)/0.9 = 230/9 → Ē = 10 + 460/9 = 550/9 → 110/9.
 */
import { describe, expect, it } from 'vitest';
import { mrioLinkHem, provincialHem } from '../../src/analysis/hem.js';
import type { IOTable } from '../../src/data/types.js';
import { demoDataset } from '../../src/demo/index.js';
import { loadKernel, referenceKernel } from '../../src/kernel/index.js';
import { calcA, netFinalDemand } from '../../src/model/coefficients.js';
import { buildProvincialMrio, mrioA } from '../../src/mrio/provincial.js';

const f64 = (...v: number[]) => Float64Array.from(v);
function table(region: string, Z: number[], y: number[], x: number[]): IOTable {
  const z = new Float64Array(2);
  return {
    region,
    sectors: ['01', '02'],
    Z: f64(...Z),
    y: f64(...y),
    yHouseholds: z,
    E: z,
    EP: z,
    M: z,
    MP: z,
    err: z,
    x: f64(...x),
    source: region,
  } as IOTable;
}

describe('hypothetical extraction', async () => {
  const wasm = await loadKernel();
  const x1 = 52 / 3;
  // Z = A diag(x); rows of Z + y = x.
  const P = table('P', [0.1 * x1, 0.2 * 28, 0.3 * x1, 0.1 * 28], [10, 20], [x1, 28]);
  const Q = table('Q', [0, 0, 0, 0], [1, 1], [1, 1]);
  const d = new Map([
    ['P', f64(1, 2)],
    ['Q', f64(1, 1)],
  ]);
  for (const k of [referenceKernel, wasm]) {
    it(`${k.name}: total, backward and forward extraction of sector 1, by hand`, () => {
      const h = provincialHem([P, Q], d, k);
      expect(h.base[0]).toBeCloseTo(220 / 3, 12);
      expect(h.attributable.total[0]).toBeCloseTo(260 / 9, 12);
      expect(h.attributable.backward[0]).toBeCloseTo(130 / 9, 12);
      expect(h.attributable.forward[0]).toBeCloseTo(110 / 9, 12);
      // Q has no intermediate use: extracting a sector removes exactly its own d_j x_j.
      expect(h.base[1]).toBeCloseTo(2, 14);
      expect(h.attributable.total[2]).toBeCloseTo(1, 14);
      expect(h.attributable.backward[2]).toBeCloseTo(0, 14);
      expect(h.attributable.forward[2]).toBeCloseTo(0, 14);
    });
  }

  it('the demo dataset: every extraction equals a dense re-solve of the extracted system', () => {
    const tables = demoDataset().provinces;
    const ns = tables[0]!.sectors.length;
    const d = new Map(tables.map((t) => [t.region, Float64Array.from({ length: ns }, (_, i) => 1e-5 * (1 + ((i * 7) % 11)))]));
    const h = provincialHem(tables, d, wasm);
    for (const [r, j] of [
      [0, 0],
      [5, 23],
      [30, ns - 1],
    ] as const) {
      const t = tables[r]!;
      const A = calcA(t.Z, t.x);
      const f = netFinalDemand(t);
      const dv = d.get(t.region)!;
      const E = (A2: Float64Array, f2: Float64Array, d2: Float64Array) => {
        const x = referenceKernel.solve(A2, ns, f2, { leontief: true });
        return x.reduce((s, v, i) => s + v * d2[i]!, 0);
      };
      const base = E(A, f, dv);
      const col = A.map((v, q) => (q % ns === j ? 0 : v));
      const row = A.map((v, q) => (Math.floor(q / ns) === j ? 0 : v));
      const both = col.map((v, q) => (Math.floor(q / ns) === j ? 0 : v));
      const fj = f.map((v, i) => (i === j ? 0 : v));
      const dj = dv.map((v, i) => (i === j ? 0 : v));
      const rel = (a: number, b: number) => Math.abs(a - b) / Math.abs(base);
      expect(rel(h.base[r]!, base)).toBeLessThan(1e-12);
      expect(rel(h.attributable.backward[r * ns + j]!, base - E(col, f, dv))).toBeLessThan(1e-12);
      expect(rel(h.attributable.forward[r * ns + j]!, base - E(row, f, dv))).toBeLessThan(1e-12);
      expect(rel(h.attributable.total[r * ns + j]!, base - E(both, fj, dj))).toBeLessThan(1e-12);
    }
  });
});

describe("hypothetical extraction of a province's interprovincial links in the MRIO", async () => {
  const wasm = await loadKernel();
  it('equals a dense re-solve of each extracted MRIO (demo dataset)', () => {
    const tables = demoDataset().provinces;
    const m = buildProvincialMrio(tables);
    const { n } = m;
    const R = m.provinces.length;
    const ns = m.sectors.length;
    const d = Float64Array.from({ length: n }, (_, a) => 1e-5 * (1 + ((a * 7) % 13)));
    const h = mrioLinkHem(m, d, wasm);
    const A = mrioA(m);
    const f = new Float64Array(n);
    for (let a = 0; a < n; a++) {
      f[a] = m.E[a]! + m.u[a]! + m.rho[a]!;
      for (let q = 0; q < R; q++) f[a]! += m.F[a * R + q]!;
    }
    const E = (A2: Float64Array) => wasm.solve(A2, n, f, { leontief: true }).reduce((s, v, a) => s + v * d[a]!, 0);
    expect(Math.abs(h.base - E(A)) / h.base).toBeLessThan(1e-12);
    for (const r of [0, 18]) {
      const inR = (a: number) => Math.floor(a / ns) === r;
      const cut = (keep: (i: number, j: number) => boolean) => A.map((v, q) => (keep(Math.floor(q / n), q % n) ? v : 0));
      const backward = cut((i, j) => !(inR(j) && !inR(i)));
      const forward = cut((i, j) => !(inR(i) && !inR(j)));
      const total = cut((i, j) => inR(i) === inR(j));
      for (const [kind, A2] of [
        ['backward', backward],
        ['forward', forward],
        ['total', total],
      ] as const) {
        const want = h.base - E(A2);
        expect(Math.abs(h.attributable[kind][r]! - want) / h.base, `${m.provinces[r]} ${kind}`).toBeLessThan(1e-11);
        expect(want).toBeGreaterThan(0);
      }
    }
  });
});
