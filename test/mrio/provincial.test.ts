/**
 * The interprovincial MRIO builder (Chenery–Moses) on a hand-made 2-province, 2-sector system
 * worked by hand, its accounts, and the identity x = L·(final demand incl. exports) on the built
 * MRIO for the hand system and the synthetic demo dataset.
 */
import { describe, expect, it } from 'vitest';
import { referenceKernel } from '../../src/kernel/index.js';
import type { IOTable } from '../../src/data/types.js';
import { buildProvincialMrio, mrioA, mrioAccounts } from '../../src/mrio/provincial.js';
import { demoDataset } from '../../src/demo/index.js';
import { selectKernel } from '../../src/kernel/select.js';

const f64 = (...v: number[]): Float64Array => Float64Array.from(v);

function table(
  region: string,
  t: { Z: number[]; y: number[]; E: number[]; EP: number[]; M: number[]; MP: number[]; err?: number[] },
): IOTable {
  const n = t.y.length;
  const err = t.err ?? Array<number>(n).fill(0);
  // x from the row balance x = Z1 + y + E + EP − M − MP + err.
  const x = t.y.map((y, i) => {
    let z = 0;
    for (let j = 0; j < n; j++) z += t.Z[i * n + j]!;
    return z + y + t.E[i]! + t.EP[i]! - t.M[i]! - t.MP[i]! + err[i]!;
  });
  return {
    region,
    sectors: ['1', '2'].slice(0, n),
    Z: f64(...t.Z),
    y: f64(...t.y),
    yHouseholds: f64(...t.y),
    E: f64(...t.E),
    EP: f64(...t.EP),
    M: f64(...t.M),
    MP: f64(...t.MP),
    err: f64(...err),
    x: f64(...x),
    source: `hand:${region}`,
  };
}

/*
 * The hand system. Province P:
 *   Z^P = [[20, 30], [10, 10]], y^P = [50, 30], E^P = [30, 10], EP^P = [40, 20], M^P = [10, 5], MP^P = [20, 10]
 *   x^P = Z1 + y + E + EP − M − MP = [50+50+30+40−10−20, 20+30+10+20−5−10] = [140, 65]
 *   domestic use D^P = Z1 + y = [100, 50]: import share m = [0.1, 0.1], inflow share p = [0.2, 0.2],
 *   local share l = [0.7, 0.7].
 * Province Q:
 *   Z^Q = [[10, 20], [5, 15]], y^Q = [20, 60], E^Q = [5, 2], EP^Q = [15, 12], M^Q = [0, 8], MP^Q = [25, 16]
 *   x^Q = [30+20+5+15−0−25, 20+60+2+12−8−16] = [45, 70]
 *   D^Q = [50, 80]: m = [0, 0.1], p = [0.5, 0.2], l = [0.5, 0.7].
 * With two provinces every inflow comes from the other one: σ^{QP} = σ^{PQ} = 1.
 * MRIO (order P1, P2, Q1, Q2; rows = origin, columns = user):
 *   Z^{PP} = l^P ∘ Z^P = [[14, 21], [7, 7]]        Z^{PQ} = p^Q ∘ Z^Q = [[5, 10], [1, 3]]
 *   Z^{QP} = p^P ∘ Z^P = [[4, 6], [2, 2]]          Z^{QQ} = l^Q ∘ Z^Q = [[5, 10], [3.5, 10.5]]
 *   final use f^{PP} = l^P y^P = [35, 21], f^{QP} = p^P y^P = [10, 6] (destination P)
 *             f^{PQ} = p^Q y^Q = [10, 12], f^{QQ} = l^Q y^Q = [10, 42] (destination Q)
 *   exports e = [30, 10, 5, 2]
 *   row sums (flows + final use + exports): P1 = 14+21+5+10+35+10+30 = 125, P2 = 7+7+1+3+21+12+10 = 61,
 *                                          Q1 = 4+6+5+10+10+10+5 = 50,   Q2 = 2+2+3.5+10.5+6+42+2 = 68
 *   residual ρ = x − row sums = [15, 4, −5, 2], which is the outflow mismatch EP^r_i − MP^s_i:
 *   [40−25, 20−16, 15−20, 12−10].
 */
const P = table('P', { Z: [20, 30, 10, 10], y: [50, 30], E: [30, 10], EP: [40, 20], M: [10, 5], MP: [20, 10] });
const Q = table('Q', { Z: [10, 20, 5, 15], y: [20, 60], E: [5, 2], EP: [15, 12], M: [0, 8], MP: [25, 16] });

function close(a: ArrayLike<number>, b: ArrayLike<number>, tol = 1e-12): void {
  expect(a.length).toBe(b.length);
  for (let i = 0; i < a.length; i++) expect(Math.abs(a[i]! - b[i]!)).toBeLessThanOrEqual(tol * Math.max(1, Math.abs(b[i]!)));
}

describe('Chenery–Moses MRIO, by hand', () => {
  const m = buildProvincialMrio([P, Q], { balance: 'residual' });

  it('has the tables outputs and the hand-computed shares', () => {
    close(P.x, [140, 65]);
    close(Q.x, [45, 70]);
    close(m.shares.local, [0.7, 0.7, 0.5, 0.7]);
    close(m.shares.inflow, [0.2, 0.2, 0.5, 0.2]);
    close(m.shares.imports, [0.1, 0.1, 0, 0.1]);
  });

  it('splits intermediate and final use as worked out by hand', () => {
    // prettier-ignore
    close(m.Z, [14, 21, 5, 10, 7, 7, 1, 3, 4, 6, 5, 10, 2, 2, 3.5, 10.5]);
    // F: n × R (destinations P, Q)
    close(m.F, [35, 10, 21, 12, 10, 10, 6, 42]);
    close(m.E, [30, 10, 5, 2]);
    close(m.x, [140, 65, 45, 70]);
    close(m.rho, [15, 4, -5, 2]);
    close(m.outflowTotal, [55, 32]);
    close(m.inflowTotal, [45, 26]);
  });

  it('x = L·(final demand incl. exports and the residual) on the built MRIO', () => {
    const n = m.n;
    const L = referenceKernel.leontief(mrioA(m), n);
    for (let a = 0; a < n; a++) {
      let xa = 0;
      for (let b = 0; b < n; b++) xa += L[a * n + b]! * (m.F[b * 2]! + m.F[b * 2 + 1]! + m.E[b]! + m.u[b]! + m.rho[b]!);
      expect(Math.abs(xa - m.x[a]!)).toBeLessThan(1e-10 * m.x[a]!);
    }
  });

  it('balance = scale: the default; with outflows above inflows (κ = 1) it is the residual system', () => {
    const d = buildProvincialMrio([P, Q]);
    expect(d.balance).toBe('scale');
    close(d.kappa, [1, 1]);
    close(d.Z, m.Z);
    close(d.rho, m.rho);
  });

  it('balance = scale with less outflow than inflow: only κ·IF is attributed, the provinces ship Σ OF', () => {
    // P reports an outflow of product 1 of 10 instead of 40 (x^P_1 = 110): Σ OF_1 = 10 + 15 = 25 < Σ IF_1 = 45,
    // κ_1 = 25/45 = 5/9. Q's inflow of 1 (25) is attributed to P only for 5/9·25 = 13.889, P's (20) to Q for
    // 5/9·20 = 11.111; the rest (11.111 and 8.889) is unattributed inflow.
    // Residuals of product 1: ρ_P1 = EP − shipped = 10 − 13.889 = −3.889, ρ_Q1 = 15 − 11.111 = +3.889: they cancel.
    const P2 = table('P', { Z: [20, 30, 10, 10], y: [50, 30], E: [30, 10], EP: [10, 20], M: [10, 5], MP: [20, 10] });
    const s = buildProvincialMrio([P2, Q]);
    close(s.kappa, [25 / 45, 1]);
    close([s.unattributedInflow[0]!, s.unattributedInflow[2]!], [20 * (20 / 45), 25 * (20 / 45)]);
    close([s.rho[0]!, s.rho[2]!], [10 - (25 * 25) / 45, 15 - (20 * 25) / 45]);
    expect(Math.abs(s.rho[0]! + s.rho[2]!)).toBeLessThan(1e-12);
    // Q's use of P's product 1 in its industries: κ p^Q_1 Z^Q_1j = (5/9)·0.5·[10, 20]
    close([s.Z[0 * 4 + 2]!, s.Z[0 * 4 + 3]!], [(25 / 90) * 10, (25 / 90) * 20]);
    const acc = mrioAccounts(
      s,
      new Map([
        ['P', f64(0.01, 0.02)],
        ['Q', f64(0.03, 0.04)],
      ]),
      referenceKernel,
    );
    expect(acc.checks.output).toBeLessThan(1e-12);
    expect(acc.checks.total).toBeLessThan(1e-12);
    // Its CO2, estimated with the destination's own t: P: t_P1·8.889, Q: t_Q1·11.111.
    close(acc.unattributedInflowEmbodied, [acc.t[0]! * 20 * (20 / 45), acc.t[2]! * 25 * (20 / 45)]);
  });

  it('balance = rows: outputs are the MRIO row sums, no residual, and x = L·f still holds', () => {
    const r = buildProvincialMrio([P, Q], { balance: 'rows' });
    close(r.x, [125, 61, 50, 68]);
    close(r.rho, [0, 0, 0, 0]);
    const acc = mrioAccounts(
      r,
      new Map([
        ['P', f64(1, 1)],
        ['Q', f64(1, 1)],
      ]),
      referenceKernel,
    );
    expect(acc.checks.output).toBeLessThan(1e-12);
  });

  it('accounts: bilateral = diag(d) L f by destination, rows add up to production', () => {
    const d = new Map([
      ['P', f64(0.01, 0.02)],
      ['Q', f64(0.03, 0.04)],
    ]);
    const acc = mrioAccounts(m, d, referenceKernel);
    // production by hand: P = 0.01·140 + 0.02·65 = 2.7, Q = 0.03·45 + 0.04·70 = 4.15
    close(acc.production, [2.7, 4.15]);
    const n = m.n;
    const L = referenceKernel.leontief(mrioA(m), n);
    const dv = [0.01, 0.02, 0.03, 0.04];
    const col = (c: number, b: number): number => (c < 2 ? m.F[b * 2 + c]! : c === 2 ? m.E[b]! : m.u[b]! + m.rho[b]!);
    for (let r = 0; r < 2; r++) {
      for (let c = 0; c < 4; c++) {
        let v = 0;
        for (let i = 0; i < 2; i++) {
          const a = r * 2 + i;
          for (let b = 0; b < n; b++) v += dv[a]! * L[a * n + b]! * col(c, b);
        }
        expect(Math.abs(acc.bilateral[r * 4 + c]! - v)).toBeLessThan(1e-12);
      }
    }
    expect(acc.checks.output).toBeLessThan(1e-12);
    expect(acc.checks.bilateralRows).toBeLessThan(1e-12);
    expect(acc.checks.total).toBeLessThan(1e-12);
    // The iterative (CSR) path gives the same accounts.
    const it2 = mrioAccounts(m, d, referenceKernel, { solver: 'iterative', tol: 1e-14 });
    close(it2.bilateral, acc.bilateral, 1e-10);
    // exports embodied = t_r · E^r, imports embodied (own technology) = t_r · M^r.
    close([acc.exportsEmbodied[0]!], [acc.t[0]! * 30 + acc.t[1]! * 10]);
    close([acc.importsEmbodied[1]!], [acc.t[2]! * 0 + acc.t[3]! * 8]);
    // Gross shipments (header comment): P → Q: P1 5 + 10 + f 10 = 25, P2 1 + 3 + 12 = 16;
    // Q → P: Q1 4 + 6 + 10 = 20, Q2 2 + 2 + 6 = 10; each valued with the origin's t.
    const outP = acc.t[0]! * 25 + acc.t[1]! * 16;
    const outQ = acc.t[2]! * 20 + acc.t[3]! * 10;
    close(acc.outflowEmbodied, [outP, outQ]);
    close(acc.inflowEmbodied, [outQ, outP]);
  });

  it('without intermediate flows L = I and the bilateral matrix is d times final use, by hand', () => {
    const P0 = table('P', { Z: [0, 0, 0, 0], y: [50, 30], E: [30, 10], EP: [40, 20], M: [10, 5], MP: [20, 10] });
    const Q0 = table('Q', { Z: [0, 0, 0, 0], y: [20, 60], E: [5, 2], EP: [15, 12], M: [0, 8], MP: [25, 16] });
    // D^P = y^P = [50, 30]: m = [0.2, 1/6], p = [0.4, 1/3], l = [0.4, 0.5]
    // D^Q = [20, 60]: m = [0, 8/60], p = [25/20 → clipped], ...
    const m0 = buildProvincialMrio([P0, Q0], { balance: 'residual' });
    // Q1: imports + inflow (0 + 25) exceed use 20 → local share 0, inflow share 1 (a note says so).
    expect(m0.notes.some((s) => s.includes('Q, sector 1'))).toBe(true);
    close(m0.shares.local, [0.4, 0.5, 0, 1 - 8 / 60 - 16 / 60]);
    const acc = mrioAccounts(
      m0,
      new Map([
        ['P', f64(0.01, 0.02)],
        ['Q', f64(0.03, 0.04)],
      ]),
      referenceKernel,
    );
    // B[P, P] = d^P · l^P y^P = 0.01·0.4·50 + 0.02·0.5·30 = 0.2 + 0.3 = 0.5
    // B[P, Q] = d^P · p^Q y^Q = 0.01·1·20 + 0.02·(16/60)·60 = 0.2 + 0.32 = 0.52
    // B[Q, P] = d^Q · p^P y^P = 0.03·0.4·50 + 0.04·(1/3)·30 = 0.6 + 0.4 = 1.0
    // B[Q, Q] = d^Q · l^Q y^Q = 0.03·0·20 + 0.04·(36/60)·60 = 1.44
    // exports column: d·E = P: 0.01·30 + 0.02·10 = 0.5; Q: 0.03·5 + 0.04·2 = 0.23
    close(acc.bilateral.subarray(0, 3), [0.5, 0.52, 0.5]);
    close(acc.bilateral.subarray(4, 7), [1.0, 1.44, 0.23]);
    close(acc.consumption, [1.5, 1.96]);
    close(acc.exportsEmbodied, [0.5, 0.23]);
    // imports embodied with own technology (t = d when L = I): P: 0.01·10 + 0.02·5 = 0.2; Q: 0.04·8 = 0.32
    close(acc.importsEmbodied, [0.2, 0.32]);
    // Without intermediate flows the gross shipments are the final-use flows: gross = net transfers.
    close(acc.outflowEmbodied, [0.52, 1.0]);
    close(acc.inflowEmbodied, [1.0, 0.52]);
  });

  it('rejects tables that do not fit together', () => {
    const bad = { ...Q, sectors: ['1', '9'] };
    expect(() => buildProvincialMrio([P, bad])).toThrow(/hand:Q: sectors differ from hand:P's/);
    expect(() => buildProvincialMrio([P, P])).toThrow(/appears twice/);
    expect(() => mrioAccounts(m, new Map([['P', f64(1, 1)]]), referenceKernel)).toThrow(/no direct intensity d for province Q/);
  });
});

describe('MRIO of the synthetic demo dataset (31 provinces)', () => {
  it('x = L·(final demand incl. exports), accounts add up', async () => {
    const { kernel } = await selectKernel(); // the wasm kernel when built, else the reference one
    const demo = demoDataset();
    const m = buildProvincialMrio(demo.provinces);
    expect(m.provinces.length).toBe(demo.provinces.length);
    const ns = m.sectors.length;
    // Stand-in intensity until wired to the model's d^r: 1e-5·(1 + i/ns) Mt per 10^4 CNY.
    const d = new Map(m.provinces.map((p) => [p, Float64Array.from({ length: ns }, (_, i) => 1e-5 * (1 + i / ns))]));
    const acc = mrioAccounts(m, d, kernel);
    expect(acc.checks.output).toBeLessThan(1e-9);
    expect(acc.checks.bilateralRows).toBeLessThan(1e-9);
    expect(acc.checks.total).toBeLessThan(1e-9);
    let P = 0;
    for (const v of acc.production) P += v;
    expect(P).toBeGreaterThan(0);
    // Every gross shipment leaves one province and reaches another: Σ outflows = Σ inflows embodied.
    const total = (v: Float64Array): number => v.reduce((a, b) => a + b, 0);
    expect(Math.abs(total(acc.outflowEmbodied) - total(acc.inflowEmbodied))).toBeLessThan(1e-12 * total(acc.outflowEmbodied));
    expect(total(acc.outflowEmbodied)).toBeGreaterThan(0);
  });
});
