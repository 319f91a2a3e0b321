import { describe, expect, it } from 'vitest';
import { bundledData } from '../../src/data/index.js';
import { demoDataset } from '../../src/demo/index.js';
import { referenceKernel } from '../../src/kernel/index.js';
import { DEFAULT_OPTIONS, parseOptionArgs, type ModelOptions } from '../../src/model/options.js';
import { runModel, type ModelInputs, type ReferenceData } from '../../src/model/pipeline.js';
import { referenceDataOf } from '../../src/model/reference.js';
import { Evaluator, type Variant } from '../../src/sweep/draws.js';
import { CLASSES, prepareModel, type DrawResult } from '../../src/sweep/prepared.js';
import { parseSpec } from '../../src/sweep/spec.js';
import { EMISSIONS, NATION, P1, P2, REFERENCE } from '../model/hand-system.js';

const hand: ModelInputs = { provinces: [P1, P2], national: NATION, sources: { emissions: EMISSIONS } };
const demo = demoDataset();
const demoInputs: ModelInputs = { provinces: demo.provinces, national: demo.national, sources: { emissions: demo.emissions } };
const demoRef = referenceDataOf(bundledData());

function close(a: number, b: number, tol = 1e-11) {
  if (Number.isNaN(a) || b === null) return expect([a, b]).toEqual([NaN, null]);
  expect(Math.abs(a - b)).toBeLessThanOrEqual(tol * Math.max(1, Math.abs(b)));
}

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
  check(m.base);
  // every evaluation path, at a zero perturbation (an OAT group scaled by exactly 1)
  for (const g of perturbing) {
    const spec = parseSpec({ seed: 1, oat: { step: 0.1, groups: [g] } });
    const ev = new Evaluator(m, spec, referenceKernel);
    const variants: Variant[] = [{ kind: 'base' }, { kind: 'oat', group: 0, factor: 1 }];
    ev.evaluate(variants, (_k, out) => check(out));
  }
}

const groups = [
  { target: 'intensity' },
  { target: 'fuel' },
  { target: 'trade', vectors: ['E'] },
  { target: 'A', national: true },
];

describe('prepared model reproduces runModel at a zero perturbation', () => {
  for (const opts of [[], ['inflow-intensity=own', 'import-intensity=national'], ['inflow-intensity=other-provinces'], ['scope=production+households']]) {
    it(`hand system, aggregation=none ${opts.join(' ')}`, () => {
      compare(hand, REFERENCE, parseOptionArgs(['aggregation=none', ...opts]), groups);
    });
  }
  for (const opts of [[], ['aggregation=after', 'inflow-intensity=other-provinces'], ['import-intensity=national', 'inflow-intensity=own'], ['electricity=consumer', 'scope=production+households']]) {
    it(`demo dataset ${opts.join(' ') || 'default options'}`, () => {
      compare(demoInputs, demoRef, parseOptionArgs(opts, DEFAULT_OPTIONS), groups);
    });
  }
});
