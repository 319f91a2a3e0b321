/** `embodied mrio --pymrio`: through commander, output readable again, run.json with the checks. */
import { existsSync, mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { readPymrio } from '../../src/mrio/pymrio-folder.js';
import { COMPARISON_COLUMNS, type ComparisonColumn } from '../../src/mrio/report.js';
import { hasPymrio, mrioCli, PYMRIO_NATIVE, readExpected, SHARED } from './helpers.js';
import { bundledData } from '../../src/data/index.js';
import { loadInputs } from '../../src/inputs/node.js';
import { referenceKernel } from '../../src/kernel/index.js';
import { DEFAULT_OPTIONS } from '../../src/model/options.js';
import { referenceDataOf } from '../../src/model/reference.js';
import { modelSystems } from '../../src/model/systems.js';

const tmp = mkdtempSync(join(tmpdir(), 'embodied-mrio-cli-'));
afterAll(() => rmSync(tmp, { recursive: true, force: true }));

const cli = mrioCli;

describe.skipIf(!hasPymrio)('embodied mrio --pymrio', () => {
  it('computes and writes the accounts in pymrio format', async () => {
    const out = join(tmp, 'out');
    await cli('mrio', '--pymrio', PYMRIO_NATIVE, '--out', out, '--kernel', 'reference', '--quiet');
    const run = JSON.parse(readFileSync(join(out, 'run.json'), 'utf8'));
    expect(run.checks.identity.ok).toBe(true);
    expect(run.n).toBe(48);
    const back = await readPymrio(out);
    const cbaReg = back.extensions.find((e) => e.name === 'Emissions')!.tables.get('D_cba_reg')!;
    const want = readExpected('emissions_D_cba_reg.csv', 2);
    for (let q = 0; q < cbaReg.data.length; q++) {
      const w = want.data[Math.floor(q / 6)]![q % 6]!;
      expect(Math.abs(cbaReg.data[q]! - w) / w).toBeLessThan(1e-10);
    }
  });

  it('writes A and L only with --write; L needs the dense solver; --write is for --pymrio', async () => {
    const plain = join(tmp, 'plain');
    await cli('mrio', '--pymrio', PYMRIO_NATIVE, '--out', plain, '--quiet');
    expect(existsSync(join(plain, 'A.txt')) || existsSync(join(plain, 'L.txt'))).toBe(false);
    expect(JSON.parse(readFileSync(join(plain, 'run.json'), 'utf8')).multipliers).toBe('solves');
    const both = join(tmp, 'both');
    await cli('mrio', '--pymrio', PYMRIO_NATIVE, '--out', both, '--write', 'L,A', '--quiet');
    const L = (await readPymrio(both)).tables.get('L')!;
    const want = readExpected('core_L.csv', 2);
    for (let q = 0; q < L.data.length; q++) expect(Math.abs(L.data[q]! - want.data[Math.floor(q / 48)]![q % 48]!)).toBeLessThan(1e-12);
    expect(existsSync(join(both, 'A.txt'))).toBe(true);
    expect(JSON.parse(readFileSync(join(both, 'run.json'), 'utf8')).multipliers).toBe('inverse');
    await expect(cli('mrio', '--pymrio', PYMRIO_NATIVE, '--out', join(tmp, 'x'), '--write', 'B', '--quiet')).rejects.toThrow(
      /unknown table "B"; choose from A, L/,
    );
    await expect(
      cli('mrio', '--pymrio', PYMRIO_NATIVE, '--out', join(tmp, 'it'), '--write', 'L', '--solver', 'iterative', '--quiet'),
    ).rejects.toThrow(/L is computed by the dense solver only/);
    await expect(cli('mrio', '--demo', '--out', join(tmp, 'demo-l'), '--write', 'L', '--quiet')).rejects.toThrow(
      /applies to --pymrio only/,
    );
    expect(existsSync(join(tmp, 'it')) || existsSync(join(tmp, 'demo-l'))).toBe(false);
  });

  it('fails with the file named, and leaves no output behind', async () => {
    const out = join(tmp, 'none');
    await expect(cli('mrio', '--pymrio', join(tmp, 'missing'), '--out', out, '--quiet')).rejects.toThrow(/missing: folder not found/);
    expect(existsSync(out)).toBe(false);
  });
});

function readCsv(path: string): string[][] {
  return readFileSync(path, 'utf8')
    .trim()
    .split('\n')
    .map((l) => l.split(','));
}

describe('embodied mrio --provincial', () => {
  it('--demo: writes bilateral.csv, footprints.csv, report.md, run.json that add up', async () => {
    const out = join(tmp, 'demo');
    await cli('mrio', '--demo', '--out', out, '--quiet');
    const fp = readCsv(join(out, 'footprints.csv'));
    expect(fp[0]).toEqual([
      'province',
      'production',
      'consumption',
      'exports_embodied',
      'imports_embodied',
      'production_t_per_capita',
      'consumption_t_per_capita',
    ]);
    expect(fp.length).toBe(32);
    // Per person: Mt × 10^6 / (10^4 persons × population_2017) in t, Beijing's 2171 from data/provinces.csv.
    expect(fp[1]![0]).toBe('Beijing');
    expect(Number(fp[1]![6])).toBeCloseTo((Number(fp[1]![2]) * 1e6) / (2171 * 1e4), 12);
    const bil = readCsv(join(out, 'bilateral.csv'));
    expect(bil[0]!.slice(-2)).toEqual(['foreign_exports', 'unallocated']);
    // Row sums of the bilateral matrix = production; column sums over provinces = consumption.
    for (let r = 1; r < bil.length; r++) {
      const row = bil[r]!.slice(1)
        .map(Number)
        .reduce((a, b) => a + b, 0);
      expect(Math.abs(row - Number(fp[r]![1])) / Number(fp[r]![1])).toBeLessThan(1e-9);
      const col = bil.slice(1).reduce((a, b) => a + Number(b[r]), 0);
      expect(Math.abs(col - Number(fp[r]![2])) / Number(fp[r]![2])).toBeLessThan(1e-9);
    }
    const run = JSON.parse(readFileSync(join(out, 'run.json'), 'utf8'));
    expect(run.synthetic).toBe(true);
    expect(run.options.balance).toBe('scale');
    expect(run.checks.every((c: { ok: boolean }) => c.ok)).toBe(true);
    expect(readFileSync(join(out, 'report.md'), 'utf8')).toMatch(/Chenery–Moses/);
    // The comparison with the per-province model: its MRIO exports column is footprints.csv's.
    const cmp = readCsv(join(out, 'comparison.csv'));
    expect(cmp[0]).toEqual([...COMPARISON_COLUMNS]);
    const at = (name: ComparisonColumn): number => COMPARISON_COLUMNS.indexOf(name);
    expect(cmp.slice(1).map((r) => r[at('exports_embodied_mrio')])).toEqual(fp.slice(1).map((r) => r[3]));
    // The MRIO's gross and net interprovincial balances cancel over all provinces; the gross one is outflows − inflows.
    for (const c of [at('NP_gross_mrio'), at('net_interprovincial_mrio')])
      expect(Math.abs(cmp.slice(1).reduce((a, r) => a + Number(r[c]), 0))).toBeLessThan(1e-6);
    for (const r of cmp.slice(1))
      expect(Number(r[at('NP_gross_mrio')])).toBeCloseTo(
        Number(r[at('outflows_embodied_mrio')]) - Number(r[at('inflows_embodied_mrio')]),
        9,
      );
    expect(readFileSync(join(out, 'report.md'), 'utf8')).toMatch(/MRIO against the per-province model/);
    // The chart: one bar per province and balance, each bar's value from comparison.csv.
    const svg = readFileSync(join(out, 'comparison.svg'), 'utf8');
    expect(svg).toMatch(/^<svg [^>]*xmlns="http:\/\/www.w3.org\/2000\/svg"/);
    expect(svg.match(/<rect [^>]*height="7"/g)).toHaveLength(3 * 31);
    expect(svg).toContain(`${cmp[1]![0]} net (MRIO): ${Number(cmp[1]![at('net_interprovincial_mrio')]).toFixed(3)} Mt CO2`);
  });

  // The inventories as the model sums them from the sheet rows (before the concordance): what production must give back.
  async function demoInventories(): Promise<Map<string, number>> {
    const options = { ...DEFAULT_OPTIONS, 'direct-intensity': 'provincial-inventory' as const };
    const s = modelSystems(loadInputs({}).inputs, referenceDataOf(bundledData()), options, referenceKernel);
    return s.intensities.provinceTotal;
  }

  for (const balance of ['scale', 'residual', 'rows']) {
    it(`--demo, balance=${balance}: production per province equals its inventory (provincial-inventory, the default)`, async () => {
      const out = join(tmp, `inv-${balance}`);
      await cli('mrio', '--demo', '--option', `balance=${balance}`, '--out', out, '--quiet');
      const run = JSON.parse(readFileSync(join(out, 'run.json'), 'utf8'));
      expect(run.options['direct-intensity']).toBe('provincial-inventory');
      const check = run.checks.find((c: { name: string }) => c.name === 'inventories');
      expect(check.ok).toBe(true);
      expect(check.value).toBeLessThan(1e-9);
      expect(run.warnings).toContain(
        'Tibet: no inventory; direct-intensity=provincial-inventory keeps the national intensities d for it, as the study does',
      );
      const inv = await demoInventories();
      let sum = 0;
      for (const r of readCsv(join(out, 'footprints.csv')).slice(1)) {
        if (r[0] === 'Tibet') continue;
        const want = inv.get(r[0]!)!;
        sum += want;
        expect(Math.abs(Number(r[1]) - want) / want, r[0]).toBeLessThan(1e-9);
      }
      expect(Math.abs(run.totals_Mt.production_inventoried - sum) / sum).toBeLessThan(1e-12);
      expect(run.totals_Mt.production).toBeCloseTo(run.totals_Mt.production_inventoried + run.totals_Mt.production_without_inventory, 9);
      expect(readFileSync(join(out, 'report.md'), 'utf8')).toMatch(/\| inventories \| .* \| yes \|/);
    });
  }

  it('--demo with rescaled-national: the inventories check is shown, not required, and report.md says why production differs', async () => {
    const out = join(tmp, 'inv-rn');
    await cli('mrio', '--demo', '--option', 'direct-intensity=rescaled-national', '--out', out, '--quiet');
    const run = JSON.parse(readFileSync(join(out, 'run.json'), 'utf8'));
    const check = run.checks.find((c: { name: string }) => c.name === 'inventories');
    expect(check.informational).toBe(true);
    expect(check.value).toBeGreaterThan(1e-3);
    const report = readFileSync(join(out, 'report.md'), 'utf8');
    expect(report).toMatch(/\| inventories \| .* \| no \(not required\) \|/);
    expect(report).toMatch(/does not give back the inventories: d\^r_i = d_i·c\^r\/c/);
  });

  it('--format pymrio writes the MRIO that `mrio --pymrio` reads back to the provincial footprints (1e-12)', async () => {
    for (const scope of ['production', 'production+households']) {
      const csv = join(tmp, `fmt-csv-${scope}`);
      const pym = join(tmp, `fmt-pymrio-${scope}`);
      const calc = join(tmp, `fmt-calc-${scope}`);
      await cli('mrio', '--demo', '--option', `scope=${scope}`, '--out', csv, '--quiet');
      await cli('mrio', '--demo', '--option', `scope=${scope}`, '--format', 'pymrio', '--out', pym, '--quiet');
      await cli('mrio', '--pymrio', pym, '--out', calc, '--quiet');
      const sys = await readPymrio(calc);
      expect(sys.tables.get('Z')!.rows.names).toEqual(['region', 'sector']);
      const co2 = sys.extensions.find((e) => e.name === 'CO2')!;
      expect(co2.tables.has('F_Y')).toBe(scope === 'production+households');
      const reg = (k: string, col: number): number => co2.tables.get(k)!.data[col]!;
      const M = co2.tables.get('M')!.data;
      const Y = sys.tables.get('Y')!;
      const fe = Y.cols.keys.findIndex((k) => k[0] === 'Foreign exports');
      const C = Y.cols.keys.length;
      const ns = 30;
      const households = scope === 'production+households' ? co2.tables.get('F_Y')!.data : undefined;
      readCsv(join(csv, 'footprints.csv'))
        .slice(1)
        .forEach((r, p) => {
          const close = (got: number, want: number, what: string) =>
            expect(Math.abs(got - want) / Math.abs(want), `${r[0]} ${what}`).toBeLessThan(1e-12);
          // pymrio adds F_Y (the households' own CO2) to both D_pba_reg and D_cba_reg.
          close(reg('D_pba_reg', p) - (households?.[p] ?? 0), Number(r[1]), 'production');
          close(reg('D_cba_reg', p) - (households?.[p] ?? 0), Number(r[2]), 'consumption');
          // Exports embodied: the multipliers M times the province's column of foreign exports.
          let exp = 0;
          for (let i = p * ns; i < (p + 1) * ns; i++) exp += M[i]! * Y.data[i * C + fe]!;
          close(exp, Number(r[3]), 'exports embodied');
        });
    }
  }, 180_000);

  it('rejects an unknown balance option', async () => {
    await expect(cli('mrio', '--demo', '--option', 'balance=magic', '--out', join(tmp, 'x'), '--quiet')).rejects.toThrow(
      /balance=magic: choose from scale, residual, rows/,
    );
  });

  const real = existsSync(`${SHARED}cn-io-2017/provinces`) && existsSync(`${SHARED}ceads-2017`);
  it.runIf(real)(
    'the real 2017 tables: 31 provinces, n = 930, identities hold',
    async () => {
      const out = join(tmp, 'real');
      await cli(
        'mrio',
        '--provincial',
        `${SHARED}cn-io-2017/provinces`,
        '--national',
        `${SHARED}cn-io-2017/national/china_2017_42.csv`,
        '--emissions',
        `${SHARED}ceads-2017/Emission_Inventories_for_30_Provinces_2017.xlsx`,
        '--out',
        out,
        '--quiet',
      );
      const run = JSON.parse(readFileSync(join(out, 'run.json'), 'utf8'));
      expect(run.provinces).toBe(31);
      expect(run.n).toBe(930);
      expect(run.synthetic).toBe(false);
      const [conditions, identities] = [
        run.checks.filter((c: { name: string }) => c.name === 'condition'),
        run.checks.filter((c: { name: string }) => c.name !== 'condition'),
      ];
      for (const c of identities) expect(c.value, c.name).toBeLessThan(1e-10);
      // κ₁ ≥ 1 for any matrix; a productive A (column sums below 1) keeps I − A far from singular.
      expect(conditions).toHaveLength(1);
      expect(conditions[0].value).toBeGreaterThanOrEqual(1);
      expect(conditions[0].ok).toBe(true);
      const t = run.totals_Mt;
      expect(Math.abs(t.production - (t.consumption + t.exports_embodied + t.unallocated)) / t.production).toBeLessThan(1e-10);
    },
    180_000,
  );
});
