/**
 * pymrio interoperability: the test system bundled with pymrio (6 regions × 8 sectors, read from
 * ../shared/data/pymrio-test/native in pymrio's own folder format) against what pymrio 0.6's
 * calc_all() computes for it (../shared/data/pymrio-test/expected), to 1e-12 relative.
 */
import { describe, expect, it, beforeAll } from 'vitest';
import { readPymrio, type PymrioSystem } from '../../src/mrio/pymrio-folder.js';
import { referenceKernel } from '../../src/kernel/index.js';
import { selectKernel } from '../../src/kernel/select.js';
import { calcAll, type CalcAllResult } from '../../src/mrio/pymrio.js';
import { keyText, nCols, nRows, type LabelledMatrix } from '../../src/mrio/labels.js';
import { hasPymrio, PYMRIO_NATIVE, readExpected } from './helpers.js';

const REL = 1e-12;

/** Max over entries of |a − e| / |e| (entries that are exactly 0 in pymrio: |a| / largest |e|). */
function compare(m: LabelledMatrix, file: string, nLabels: number): number {
  const e = readExpected(file, nLabels);
  expect(e.rows.length).toBe(nRows(m));
  expect(e.data[0]!.length).toBe(nCols(m));
  // Labels travel with numbers: the expected file's labels must be ours, in the same order.
  e.rows.forEach((r, i) => expect(r.join('/')).toBe(keyText(m.rows.keys[i]!)));
  if (e.cols.length) e.cols.forEach((c, j) => expect(c.replace('|', '/')).toBe(keyText(m.cols.keys[j]!)));
  let scale = 0;
  for (const row of e.data) for (const v of row) scale = Math.max(scale, Math.abs(v));
  let worst = 0;
  for (let i = 0; i < e.data.length; i++) {
    for (let j = 0; j < e.data[i]!.length; j++) {
      const want = e.data[i]![j]!;
      const got = m.data[i * nCols(m) + j]!;
      const err = Math.abs(got - want) / (want === 0 ? scale : Math.abs(want));
      worst = Math.max(worst, err);
    }
  }
  return worst;
}

describe.skipIf(!hasPymrio)('pymrio test system', () => {
  let sys: PymrioSystem;
  let res: CalcAllResult;
  const worst: Record<string, number> = {};

  beforeAll(async () => {
    sys = await readPymrio(PYMRIO_NATIVE);
    res = calcAll(sys, referenceKernel, { tables: ['A', 'L'] });
  });

  it('reads the folder format with labels', () => {
    const Z = sys.tables.get('Z')!;
    expect(nRows(Z)).toBe(48);
    expect(Z.rows.names).toEqual(['region', 'sector']);
    expect(Z.cols.keys[2]).toEqual(['reg1', 'manufactoring']);
    expect(sys.tables.get('Y')!.cols.names).toEqual(['region', 'category']);
    expect(sys.extensions.map((e) => e.name)).toEqual(['Emissions', 'Factor Inputs']);
    const F = sys.extensions[0]!.tables.get('F')!;
    expect(F.rows.names).toEqual(['stressor', 'compartment']);
    expect(F.rows.keys).toEqual([
      ['emission_type1', 'air'],
      ['emission_type2', 'water'],
    ]);
    expect(sys.extensions[1]!.tables.get('F')!.rows.keys).toEqual([['Value Added']]);
    expect(sys.unit!.cells[0]).toBe('Mill USD');
    expect(res.regions).toEqual(['reg1', 'reg2', 'reg3', 'reg4', 'reg5', 'reg6']);
  });

  const cases: [string, string, (r: CalcAllResult) => LabelledMatrix, number][] = [
    ['x', 'core_x.csv', (r) => r.system.tables.get('x')!, 2],
    ['A', 'core_A.csv', (r) => r.system.tables.get('A')!, 2],
    ['L', 'core_L.csv', (r) => r.system.tables.get('L')!, 2],
    ...(['S', 'M', 'D_cba', 'D_pba', 'D_imp', 'D_exp', 'D_cba_reg', 'D_pba_reg', 'D_imp_reg', 'D_exp_reg'] as const).map(
      (k) =>
        [k, `emissions_${k}.csv`, (r: CalcAllResult) => r.system.extensions[0]!.tables.get(k)!, 2] as [
          string,
          string,
          (r: CalcAllResult) => LabelledMatrix,
          number,
        ],
    ),
  ];
  for (const [name, file, pick, nl] of cases) {
    it(`${name} matches pymrio to ${REL} relative`, () => {
      const w = compare(pick(res), file, nl);
      worst[name] = w;
      expect(w).toBeLessThan(REL);
    });
  }

  // pymrio divides D_*_reg by population.txt's row; the same division here gives its numbers to the last bits.
  for (const k of ['D_cba_cap', 'D_pba_cap', 'D_imp_cap', 'D_exp_cap'] as const) {
    it(`${k} (per capita, from population.txt) matches pymrio to 1e-12 relative`, () => {
      const w = compare(res.system.extensions[0]!.tables.get(k)!, `emissions_${k}.csv`, 2);
      worst[k] = w;
      expect(w).toBeLessThan(1e-12);
    });
  }

  it('a population without a region, or with a zero, is an error naming population.txt', () => {
    const pop = sys.tables.get('population')!;
    const withPop = (p: LabelledMatrix): PymrioSystem => ({ ...sys, tables: new Map([...sys.tables, ['population', p]]) });
    const short = { rows: pop.rows, cols: { names: pop.cols.names, keys: pop.cols.keys.slice(1) }, data: pop.data.slice(1) };
    expect(() => calcAll(withPop(short), referenceKernel)).toThrow(/population\.txt: has no column for region reg1/);
    const zero = { ...pop, data: Float64Array.from(pop.data, (v, j) => (j === 2 ? 0 : v)) };
    expect(() => calcAll(withPop(zero), referenceKernel)).toThrow(/population\.txt: the population of reg3 is 0/);
  });

  it('the identity D_cba = D_pba + D_imp − D_exp holds per region and in total', () => {
    expect(res.identityOk).toBe(true);
    expect(res.identityMaxRelError).toBeLessThan(1e-12);
    for (const e of res.system.extensions) {
      const t = (k: string): number[] => {
        const m = e.tables.get(k)!;
        const R = nCols(m);
        return Array.from({ length: nRows(m) }, (_, s) => m.data.slice(s * R, (s + 1) * R).reduce((a, b) => a + b, 0));
      };
      const [cba, pba, imp, exp] = ['D_cba_reg', 'D_pba_reg', 'D_imp_reg', 'D_exp_reg'].map(t);
      cba!.forEach((c, s) => expect(Math.abs(c - (pba![s]! + imp![s]! - exp![s]!))).toBeLessThan(1e-12 * Math.abs(c)));
    }
    expect(res.outputMaxRelError).toBeLessThan(1e-12);
    console.info('pymrio max relative error by matrix:', worst);
  });

  it('with L asked for, the multipliers come from its rows', () => {
    expect(res.multipliers).toBe('inverse');
  });

  it('by default (no L: one LU and transposed solves) the default kernel matches pymrio to 1e-12 as well', async () => {
    const { kernel } = await selectKernel();
    const r = calcAll(sys, kernel);
    expect(r.multipliers).toBe('solves');
    expect(r.system.tables.has('L')).toBe(false);
    expect(r.system.tables.has('A')).toBe(false);
    for (const [name, file, pick, nl] of cases) {
      if (name === 'A' || name === 'L') continue;
      expect(compare(pick(r), file, nl), `${name} with the ${kernel.name} kernel`).toBeLessThan(REL);
    }
    expect(r.outputMaxRelError).toBeLessThan(1e-12);
  });

  it('the iterative (CSR) path gives the same accounts', () => {
    const it2 = calcAll(sys, referenceKernel, { solver: 'iterative', iterative: { tol: 1e-14 } });
    expect(it2.system.tables.has('L')).toBe(false);
    const a = res.system.extensions[0]!.tables.get('D_cba')!;
    const b = it2.system.extensions[0]!.tables.get('D_cba')!;
    for (let q = 0; q < a.data.length; q++)
      expect(Math.abs(a.data[q]! - b.data[q]!)).toBeLessThanOrEqual(1e-9 * Math.abs(a.data[q]!) + 1e-6);
  });
});
