import { describe, expect, it } from 'vitest';
import { bundledData, ipccFuelFactors } from '../../src/data/index.js';
import { demoDataset } from '../../src/demo/index.js';
import { referenceKernel } from '../../src/kernel/index.js';
import { DEFAULT_OPTIONS, parseOptionArgs, type ModelOptions } from '../../src/model/options.js';
import { runModel } from '../../src/model/pipeline.js';
import type { ModelInputs, ReferenceData } from '../../src/model/types.js';
import { referenceDataOf } from '../../src/model/reference.js';
import { Evaluator, type Variant } from '../../src/sweep/draws.js';
import { CLASSES, type DrawResult } from '../../src/model/evaluate.js';
import { prepareModel } from '../../src/model/prepared.js';
import { parseSpec } from '../../src/sweep/spec.js';
import { EMISSIONS, NATION, P1, P2, REFERENCE } from './hand-system.js';

const hand: ModelInputs = { provinces: [P1, P2], national: NATION, sources: { emissions: EMISSIONS } };
const demo = demoDataset();
const demoInputs: ModelInputs = {
  provinces: demo.provinces,
  national: demo.national,
  sources: { emissions: demo.emissions, energy: demo.energy, factors: ipccFuelFactors() },
};
const demoRef = referenceDataOf(bundledData());

function close(a: number, b: number, tol = 1e-11) {
  if (Number.isNaN(a) || b === null) return expect([a, b]).toEqual([NaN, null]);
  expect(Math.abs(a - b)).toBeLessThanOrEqual(tol * Math.max(1, Math.abs(b)));
}

const paths = { A: 'refactor', trade: 'explicit' };

function compare(inputs: ModelInputs, ref: ReferenceData, options: ModelOptions, perturbing: unknown[]) {
  const expected = runModel(inputs, ref, options, referenceKernel);
  const m = prepareModel(inputs, ref, options, referenceKernel);
  const check = (got: DrawResult) =>
    expected.provinces.forEach((p, r) => {
      expect(m.provinces[r]).toBe(p.province);
      close(got.N[r], p.N);
      close(got.NP[r], p.NP);
      close(got.T[r], p.T);
      close(got.CTT[r], p.CTT as number);
      close(got.CTTp[r], p.CTTp as number);
      expect(CLASSES[got.cls[r]]).toBe(p.class);
    });
  // The prepared model's base is the run's evaluation itself: equal to the last bit.
  const none = (v: number) => (Number.isNaN(v) ? null : v);
  expect(expected.provinces.map((p) => [p.CE, p.CM, p.CEP, p.CMP, p.N, p.NP, p.T, p.CTT, p.CTTp, p.class])).toEqual(
    m.provinces.map((_, r) => {
      const b = m.base;
      return [b.CE[r], b.CM[r], b.CEP[r], b.CMP[r], b.N[r], b.NP[r], b.T[r], none(b.CTT[r]), none(b.CTTp[r]), CLASSES[b.cls[r]]];
    }),
  );
  // every evaluation path, at a zero perturbation (an OAT group scaled by exactly 1)
  for (const g of perturbing) {
    const spec = parseSpec({ seed: 1, oat: { step: 0.1, groups: [g] } });
    const ev = new Evaluator(m, spec, referenceKernel);
    expect(ev.path).toBe(paths[g.target as keyof typeof paths] ?? (m.inflowOther ? 'explicit' : 'linear'));
    const variants: Variant[] = [{ kind: 'base' }, { kind: 'oat', group: 0, factor: 1 }];
    ev.evaluate(variants, (_k, out) => check(out));
  }
}

const groups = [
  { target: 'intensity' }, // linear path, factorised
  { target: 'intensity', sectors: ['01', '02'] }, // linear path, general

  { target: 'fuel' },
  { target: 'trade', vectors: ['E'] },
  { target: 'A', national: true },
];

describe('prepared model reproduces runModel at a zero perturbation', () => {
  for (const opts of [
    [],
    ['inflow-intensity=own', 'import-intensity=national'],
    ['inflow-intensity=other-provinces'],
    ['scope=production+households'],
    ['direct-intensity=provincial-inventory'],
  ]) {
    it(`hand system, aggregation=none ${opts.join(' ')}`, () => {
      compare(hand, REFERENCE, parseOptionArgs(['aggregation=none', ...opts]), groups);
    });
  }
  for (const opts of [
    [],
    ['aggregation=after', 'inflow-intensity=other-provinces'],
    ['import-intensity=national', 'inflow-intensity=own'],
    ['electricity=consumer', 'scope=production+households'],
    ['emission-source=energy', 'aggregation=none'],
    ['direct-intensity=provincial-inventory', 'electricity=consumer'],
    ['direct-intensity=provincial-inventory', 'emission-source=energy', 'inflow-intensity=other-provinces'],
  ]) {
    it(`demo dataset ${opts.join(' ') || 'default options'}`, () => {
      compare(demoInputs, demoRef, parseOptionArgs(opts, DEFAULT_OPTIONS), groups);
    });
  }
});

describe("the factorised linear path gives the general linear path's draws", () => {
  it('fuel and province-level intensity draws on the demo data', () => {
    const m = prepareModel(demoInputs, demoRef, parseOptionArgs(['import-intensity=national']), referenceKernel);
    const mc = [
      { target: 'fuel', distribution: { type: 'lognormal', sdlog: 0.2 } },
      { target: 'intensity', per: 'province', national: true, distribution: { type: 'normal', mean: 1, sd: 0.1 } },
    ];
    const fast = new Evaluator(m, parseSpec({ seed: 9, draws: 50, montecarlo: mc }), referenceKernel);
    // A last group with sd 0 multiplies by exactly 1 but forces the general path (same random numbers before it).
    const general = new Evaluator(
      m,
      parseSpec({
        seed: 9,
        draws: 50,
        montecarlo: [...mc, { target: 'intensity', sectors: ['01'], distribution: { type: 'normal', sd: 0 } }],
      }),
      referenceKernel,
    );
    const variants: Variant[] = Array.from({ length: 50 }, (_, d) => ({ kind: 'mc', draw: d }));
    const a: number[][] = [];
    fast.evaluate(variants, (_k, o) => a.push([...o.N, ...o.NP, ...o.CTT]));
    let k = 0;
    general.evaluate(variants, (_k, o) => {
      [...o.N, ...o.NP, ...o.CTT].forEach((v, i) => close(a[k][i], v));
      k++;
    });
    expect(k).toBe(50);
  });
});

describe('aggregation=after changes only the report level', () => {
  it("its province totals, indices and classes equal aggregation=none's to the last bit (one model at 42 sectors)", () => {
    const run = (value: string) => runModel(demoInputs, demoRef, parseOptionArgs([`aggregation=${value}`]), referenceKernel);
    const totals = (r: ReturnType<typeof run>) => r.provinces.map(({ sectors: _, ...p }) => p);
    const after = run('after');
    expect(totals(after)).toEqual(totals(run('none')));
    expect(after.provinces[0]!.sectors.sectors).toHaveLength(30);
  });
});
