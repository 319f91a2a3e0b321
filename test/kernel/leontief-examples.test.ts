/**
 * Hand-worked Leontief systems, checked on both kernels.
 */
import { beforeAll, describe, expect, it } from 'vitest';
import { referenceKernel, type Kernel } from '../../src/kernel/index.js';
import { relDiff, wasmKernel } from './helpers.js';

let kernels: Kernel[];
beforeAll(async () => {
  kernels = [referenceKernel, await wasmKernel()];
});

describe.each(['reference', 'wasm'])('%s kernel', (name) => {
  const k = (): Kernel => kernels.find((x) => x.name === name)!;

  // Miller & Blair, Input-Output Analysis (2nd ed., 2009), ch. 2, the two-sector example:
  // Z = [[150, 500], [200, 100]], x = (1000, 2000), f = (350, 1700), so
  // A = Z diag(x)⁻¹ = [[.15, .25], [.20, .05]], det(I − A) = .85·.95 − .25·.20 = .7575,
  // L = (I − A)⁻¹ = 1/.7575 · [[.95, .25], [.20, .85]], and L f = x.
  const A2 = new Float64Array([0.15, 0.25, 0.2, 0.05]);
  const L2 = new Float64Array([0.95, 0.25, 0.2, 0.85].map((v) => v / 0.7575));

  it('Miller & Blair two-sector L', () => {
    expect(relDiff(k().leontief(A2, 2), L2)).toBeLessThan(1e-15);
  });

  it('Miller & Blair two-sector L into a caller-owned array, reused', () => {
    const out = new Float64Array(4).fill(NaN);
    expect(k().leontief(A2, 2, out)).toBe(out);
    expect(relDiff(out, L2)).toBeLessThan(1e-15);
    // The same array for the matrix itself: M⁻¹ of M = L⁻¹ = I − A.
    expect(k().inverse(L2, 2, { out })).toBe(out);
    expect(relDiff(out, new Float64Array([0.85, -0.25, -0.2, 0.95]))).toBeLessThan(1e-14);
    expect(() => k().leontief(A2, 2, new Float64Array(3))).toThrow(/out must hold n·n = 4 values, got 3/);
  });

  it('Miller & Blair two-sector: L f = x and x = (I − A)⁻¹ f by solve', () => {
    const f = new Float64Array([350, 1700]);
    const x = new Float64Array([1000, 2000]);
    expect(relDiff(k().solve(A2, 2, f, { leontief: true }), x)).toBeLessThan(1e-15);
    const fac = k().factorLeontief(A2, 2);
    expect(relDiff(fac.solve(f), x)).toBeLessThan(1e-15);
    // Row form: t = d (I − A)⁻¹ with d = e_1 is the first row of L.
    expect(relDiff(fac.solveTransposed(new Float64Array([1, 0])), L2.slice(0, 2))).toBeLessThan(1e-15);
    // rcond by hand: ‖I − A‖₁ = max(.85 + .20, .25 + .95) = 1.2, ‖L‖₁ = (.95 + .20)/.7575,
    // so rcond = .7575 / (1.2 · 1.15). The estimator is exact for n = 2.
    expect(fac.rcond()).toBeCloseTo(0.7575 / (1.2 * 1.15), 14);
    fac.free();
  });

  // A three-sector cyclic economy, worked by hand (cofactors):
  // A = [[.2, .1, 0], [0, .2, .1], [.1, 0, .2]], so I − A = [[.8, −.1, 0], [0, .8, −.1], [−.1, 0, .8]].
  // det(I − A) = .8·.64 − (−.1)·(0·.8 − (−.1)(−.1)) = .512 − .001 = .511; the adjugate gives
  // L = 1/.511 · [[.64, .08, .01], [.01, .64, .08], [.08, .01, .64]].
  const A3 = new Float64Array([0.2, 0.1, 0, 0, 0.2, 0.1, 0.1, 0, 0.2]);
  const L3 = new Float64Array([0.64, 0.08, 0.01, 0.01, 0.64, 0.08, 0.08, 0.01, 0.64].map((v) => v / 0.511));

  it('three-sector cyclic L', () => {
    expect(relDiff(k().leontief(A3, 3), L3)).toBeLessThan(1e-15);
  });

  it('three-sector: output for unit final demand in sector 2 is column 2 of L', () => {
    const x = k().solve(A3, 3, new Float64Array([0, 1, 0]), { leontief: true });
    expect(relDiff(x, new Float64Array([L3[1]!, L3[4]!, L3[7]!]))).toBeLessThan(1e-15);
  });

  it('iterative solve reproduces the two-sector output', () => {
    const r = k().solveLeontiefIterative(A2, new Float64Array([350, 1700]), { tol: 1e-14 });
    expect(relDiff(r.x, new Float64Array([1000, 2000]))).toBeLessThan(1e-13);
  });
});
