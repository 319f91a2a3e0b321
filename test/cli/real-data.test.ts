/**
 * The paper pipeline on the real 2017 tables in ../shared/data (read as published).
 * Reference values: the study's published check (src/model/README.md, "Checks and tolerances") of Zhejiang's and Guizhou's 6-group shares.
 */
import { beforeAll, describe, expect, it } from 'vitest';
import { bundledData } from '../../src/data/index.js';
import { referenceKernel } from '../../src/kernel/index.js';
import { loadInputs, type LoadedInputs } from '../../src/inputs/node.js';
import { parseOptionArgs } from '../../src/model/options.js';
import { runModel, type ModelResult } from '../../src/model/pipeline.js';
import { referenceDataOf } from '../../src/model/reference.js';
import { profilesTable } from '../../src/report/tables.js';
import { sum } from '../../src/model/coefficients.js';
import { hasShared, SHARED_DATA } from '../shared-data.js';

const shared = SHARED_DATA;
export const REAL = {
  provincial: `${shared}cn-io-2017/provinces`,
  national: `${shared}cn-io-2017/national/china_2017_42.csv`,
  emissions: `${shared}ceads-2017/Emission_Inventories_for_30_Provinces_2017.xlsx`,
  energy: `${shared}ceads-2017/省级能源清单_2017.xlsx`,
  nationalInventory: `${shared}ceads-2017/China_CO2_Inventory_1997-2019_(IPCC_Sectoral_Emissions).xlsx`,
};

describe.skipIf(!hasShared())('the paper pipeline on the real 2017 data', () => {
  let loaded: LoadedInputs;
  const ref = referenceDataOf(bundledData());
  const run = (...opts: string[]): ModelResult => runModel(loaded.inputs, ref, parseOptionArgs(opts), referenceKernel);
  let base: ModelResult;
  const get = (r: ModelResult, p: string) => r.provinces.find((a) => a.province === p)!;

  beforeAll(() => {
    loaded = loadInputs(REAL);
    base = run();
  });

  it('reads all 31 provinces and passes the identity checks', () => {
    expect(base.provinces).toHaveLength(31);
    const byName = new Map(base.checks.map((c) => [c.name, c]));
    expect(byName.get('Leontief identity')!.worst).toBeLessThan(1e-6);
    expect(byName.get('sector sums equal totals')!.ok).toBe(true);
    expect(byName.get('Leontief inverse nonnegative')!.ok).toBe(true);
    expect(byName.get('row balance')!.ok).toBe(true);
  });

  it("reproduces Zhejiang's and Guizhou's 6-group shares (the study's) to 0.01 percentage points", () => {
    const rows = profilesTable(base).rows;
    const shares = (p: string, col: number) => rows.filter((r) => r[0] === p).map((r) => r[col] as number);
    const close = (got: number[], want: number[]) => got.forEach((g, i) => expect(Math.abs(g - want[i])).toBeLessThan(0.01 + 1e-9));
    const cols = profilesTable(base).columns;
    close(shares('Zhejiang', cols.indexOf('output_share')), [2.26, 0.18, 51.31, 3.76, 8.96, 33.54]);
    close(shares('Zhejiang', cols.indexOf('export_share')), [0.24, 0.13, 89.52, 0, 0, 10.11]);
    close(shares('Guizhou', cols.indexOf('output_share')), [10.47, 7.52, 26.73, 6.66, 15.72, 32.9]);
  });

  it('gives Tibet, which has no inventory, the national intensity', () => {
    expect(base.intensities.nationalFallback).toEqual(['Tibet']);
    expect([...base.intensities.d.get('Tibet')!]).toEqual([...base.intensities.dNational]);
  });

  it('aggregation: before and after both report 30 sectors and differ; none reports 42', () => {
    const after = run('aggregation=after');
    const none = run('aggregation=none');
    expect(get(after, 'Zhejiang').sectors.sectors).toHaveLength(30);
    expect(get(none, 'Zhejiang').sectors.sectors).toHaveLength(42);
    expect(get(after, 'Zhejiang').CE).not.toBe(get(base, 'Zhejiang').CE);
    // after and none are the same 42-sector model, reported at two levels.
    expect(get(after, 'Zhejiang').CE).toBeCloseTo(get(none, 'Zhejiang').CE, 9);
    // Trade flows are data: aggregation never changes them.
    expect(sum(get(after, 'Zhejiang').sectors.E)).toBeCloseTo(sum(get(base, 'Zhejiang').sectors.E), 3);
  });

  it('electricity=consumer moves CO2 between sectors but keeps the national total', () => {
    const r = run('electricity=consumer');
    expect(sum(r.intensities.C)).toBeCloseTo(sum(base.intensities.C), 6);
    expect(r.intensities.C[23]).toBeLessThan(base.intensities.C[23]);
    expect(get(r, 'Zhejiang').CE).not.toBeCloseTo(get(base, 'Zhejiang').CE, 3);
    expect([...r.intensities.cProvince.values()]).toEqual([...base.intensities.cProvince.values()]);
  });

  it('scope=production+households raises every inventoried c^r and leaves the national d', () => {
    const r = run('scope=production+households');
    for (const [p, c] of base.intensities.cProvince) expect(r.intensities.cProvince.get(p)!).toBeGreaterThan(c);
    expect([...r.intensities.dNational]).toEqual([...base.intensities.dNational]);
  });

  it('inflow- and import-intensity change only CMP and CM', () => {
    for (const [opt, changed] of [
      ['inflow-intensity=own', 'CMP'],
      ['inflow-intensity=other-provinces', 'CMP'],
      ['import-intensity=national', 'CM'],
    ] as const) {
      const r = get(run(opt), 'Guizhou');
      const b = get(base, 'Guizhou');
      for (const k of ['CE', 'CM', 'CEP', 'CMP'] as const) {
        if (k === changed) expect(r[k], `${opt} ${k}`).not.toBeCloseTo(b[k], 3);
        else expect(r[k], `${opt} ${k}`).toBe(b[k]);
      }
    }
  });

  it('emission-source=energy derives CO2 from the energy inventory and IPCC factors: same order of magnitude, not the same', () => {
    const r = run('emission-source=energy');
    // IPCC default coal factors sit well above China's measured ones (Liu et al. 2015, Nature 524:335),
    // which CEADs uses, so the energy path comes out higher (1.26× here), but not by a different order.
    const ratio = sum(r.intensities.C) / sum(base.intensities.C);
    expect(ratio).toBeGreaterThan(1);
    expect(ratio).toBeLessThan(1.5);
    expect(ratio).not.toBeCloseTo(1, 3);
    // Fuel burnt in power plants is booked to power and heat (IO 24, 30-sector index 23), not to
    // electrical equipment (IO 19), whose CEADs label also says "Electric".
    expect(r.intensities.C[23] / base.intensities.C[23]).toBeGreaterThan(1);
    expect(r.intensities.C[23] / base.intensities.C[23]).toBeLessThan(1.5);
    expect(r.intensities.C[18] / base.intensities.C[18]).toBeLessThan(1.5);
    // Trade flows are data: the source of CO2 changes only what they embody.
    expect(get(r, 'Zhejiang').sectors.E).toEqual(get(base, 'Zhejiang').sectors.E);
  });

  it('national-emissions=national-inventory changes the national d but no provincial c^r', () => {
    const r = run('national-emissions=national-inventory');
    expect([...r.intensities.cProvince.entries()]).toEqual([...base.intensities.cProvince.entries()]);
    expect(r.intensities.cNational).not.toBeCloseTo(base.intensities.cNational, 9);
  });
});
