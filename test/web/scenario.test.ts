/** The page's recompute path in Node: scalings of the inputs, compute(), the browser CSV writer. */
import { describe, expect, it } from 'vitest';
import { compute } from '../../src/report/compute.js';
import { tableCsv } from '../../src/output/csv.js';
import { loadData } from '../../src/inputs/index.js';
import { NO_SCALING, applyScalings } from '../../src/model/scenario.js';
import { bundledData } from '../../src/data/index.js';
import { referenceKernel } from '../../src/kernel/index.js';
import { DEFAULT_OPTIONS } from '../../src/model/options.js';
import { runModel } from '../../src/model/pipeline.js';
import { referenceDataOf } from '../../src/model/reference.js';

const data = bundledData();
const { inputs } = loadData(undefined);
const base = compute(inputs, data, DEFAULT_OPTIONS, NO_SCALING, referenceKernel);
const rel = (a: number, b: number) => Math.abs(a - b) / Math.max(1e-12, Math.abs(b));

describe('page recompute', () => {
  it('without scalings equals runModel, and every check passes', () => {
    const direct = runModel(inputs, referenceDataOf(data), DEFAULT_OPTIONS, referenceKernel);
    expect(base.provinces.map((p) => [p.province, p.N, p.NP, p.T, p.class])).toEqual(
      direct.provinces.map((p) => [p.province, p.N, p.NP, p.T, p.class]),
    );
    expect(base.checks.filter((c) => !c.ok)).toEqual([]);
    expect(base.groups).toHaveLength(6);
    expect(base.tables.map((t) => t.name)).toEqual(['provinces', 'np_by_group', 'n_by_group', 'n_by_region_group', 'sectors', 'profiles']);
  });

  it('emissions ×k scales every embodied flow by k (the model is linear in d)', () => {
    for (const source of ['ceads', 'energy'] as const) {
      const options = { ...DEFAULT_OPTIONS, 'emission-source': source };
      const b = compute(inputs, data, options, NO_SCALING, referenceKernel);
      const r = compute(inputs, data, options, { ...NO_SCALING, emissions: 1.3 }, referenceKernel);
      r.provinces.forEach((p, i) => {
        for (const k of ['CE', 'CM', 'CEP', 'CMP', 'N', 'NP', 'T'] as const) expect(rel(p[k], 1.3 * b.provinces[i]![k])).toBeLessThan(1e-9);
        expect(p.class).toBe(b.provinces[i]!.class);
      });
    }
  });

  it('exports ×k with output fixed: CE ×k, everything else unchanged, identities hold', () => {
    const r = compute(inputs, data, DEFAULT_OPTIONS, { ...NO_SCALING, exports: 1.2 }, referenceKernel);
    r.provinces.forEach((p, i) => {
      const b = base.provinces[i]!;
      expect(rel(p.CE, 1.2 * b.CE)).toBeLessThan(1e-9);
      for (const k of ['CM', 'CEP', 'CMP', 'NP'] as const) expect(rel(p[k], b[k])).toBeLessThan(1e-9);
    });
    expect(r.checks.filter((c) => !c.ok)).toEqual([]);
  });

  it("one province's emissions ×k moves that province most, and leaves the inputs untouched", () => {
    const before = inputs.sources.emissions!.provinces.get('Zhejiang')!.data.slice();
    const r = compute(inputs, data, DEFAULT_OPTIONS, { ...NO_SCALING, province: 'Zhejiang', provinceEmissions: 2 }, referenceKernel);
    expect(inputs.sources.emissions!.provinces.get('Zhejiang')!.data).toEqual(before);
    const change = (name: string) => {
      const i = r.provinces.findIndex((p) => p.province === name);
      return rel(r.provinces[i]!.CE, base.provinces[i]!.CE);
    };
    expect(change('Zhejiang')).toBeGreaterThan(0.3);
    for (const other of ['Guizhou', 'Beijing', 'Xinjiang']) expect(change(other)).toBeLessThan(change('Zhejiang'));
    // Identity scalings return the very same inputs.
    expect(applyScalings(inputs, NO_SCALING)).toBe(inputs);
  });

  it('CSV: header, full-precision numbers, empty cells for null, quoted fields', () => {
    expect(tableCsv({ columns: ['a', 'b,c', 'd'], rows: [[0.1 + 0.2, null, 'say "hi"']] })).toBe(
      'a,"b,c",d\n0.30000000000000004,,"say ""hi"""\n',
    );
    const lines = tableCsv(base.tables[0]!).trim().split('\n');
    expect(lines[0]).toBe('province,province_zh,region,CE,CM,CEP,CMP,N,NP,T,CTT,CTTp,class');
    expect(lines).toHaveLength(32);
  });
});
