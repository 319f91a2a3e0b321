/**
 * The refactor path's two ways of handing A-perturbed draws to the kernel give the same draws:
 * base matrices + capped column multipliers (one A group constant down columns) and the perturbed
 * matrices written out (any other A groups), with the wasm and the reference kernel.
 */
import { beforeAll, describe, expect, it } from 'vitest';
import { bundledData, ipccFuelFactors } from '../../src/data/index.js';
import { demoDataset } from '../../src/demo/index.js';
import { loadKernel, referenceKernel, type Kernel } from '../../src/kernel/index.js';
import { DEFAULT_OPTIONS } from '../../src/model/options.js';
import { referenceDataOf } from '../../src/model/reference.js';
import { Evaluator, type Variant } from '../../src/sweep/draws.js';
import { prepareModel } from '../../src/model/prepared.js';
import { parseSpec } from '../../src/sweep/spec.js';

let wasm: Kernel;
beforeAll(async () => {
  wasm = await loadKernel();
});

describe('A-perturbed draws', () => {
  it('column multipliers in the kernel equal perturbed matrices written out (wasm and reference, 1e-12)', () => {
    const demo = demoDataset();
    const inputs = {
      provinces: demo.provinces,
      national: demo.national,
      sources: { emissions: demo.emissions, energy: demo.energy, factors: ipccFuelFactors() },
    };
    const m = prepareModel(inputs, referenceDataOf(bundledData()), DEFAULT_OPTIONS, referenceKernel);
    // sdlog 0.3 pushes many column sums (the demo's reach 0.85) past the 0.99 cap, so the folded cap is exercised.
    const mc = [{ target: 'A', per: 'column', national: true, distribution: { type: 'lognormal', sdlog: 0.3 } }];
    const draws = 40;
    const variants: Variant[] = Array.from({ length: draws }, (_, d) => ({ kind: 'mc', draw: d }));
    const run = (montecarlo: unknown[], kernel: Kernel) => {
      const rows: number[][] = [];
      new Evaluator(m, parseSpec({ seed: 5, draws, montecarlo }), kernel).evaluate(variants, (_k, o) =>
        rows.push([...o.N, ...o.NP, ...o.T]),
      );
      return rows;
    };
    // A second A group with sd 0 multiplies by exactly 1 but forces the written-out matrices (same random numbers before it).
    const general = [...mc, { target: 'A', rows: ['01'], distribution: { type: 'normal', sd: 0 } }];
    const want = run(general, referenceKernel);
    for (const got of [run(mc, wasm), run(mc, referenceKernel), run(general, wasm)]) {
      expect(got.length).toBe(draws);
      got.forEach((row, k) =>
        row.forEach((v, i) => expect(Math.abs(v - want[k][i])).toBeLessThanOrEqual(1e-12 * Math.max(1, Math.abs(want[k][i])))),
      );
    }
    // every draw differs from the base run (the perturbation reached the solves)
    const moved = want.filter((row) => row.slice(0, m.R).some((v, r) => Math.abs(v - m.base.N[r]) > 1e-6 * Math.abs(m.base.N[r])));
    expect(moved.length).toBe(draws);
  });
});
