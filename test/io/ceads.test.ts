import * as XLSX from '@e965/xlsx';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { ceadsSectors } from '../../src/data/index.js';
import { readCeadsInventory, readCeadsNationalInventory } from '../../src/io/ceads.js';
import { DataError } from '../../src/io/errors.js';
import { bytesOf, DATA, hasData } from './helpers.js';

type Aoa = (string | number | null)[][];

const CEADS_SECTORS = ceadsSectors().map((s) => s.name);

/** A CEADs-style emission sheet: 2 fuels + Process + Scope 1 Total; sector i has fuel values i+1 and 2(i+1), process 0.5 in sector 27. */
function emissionSheet(opts: { label?: string } = {}): Aoa {
  const aoa: Aoa = [[null, 'Raw Coal', 'Natural_Gas', 'Process', 'Scope 1 Total'], [null, 'Mt CO2', 'Mt CO2', 'Mt CO2', 'Mt CO2'], []];
  const sectors: Aoa = CEADS_SECTORS.map((s, i) => {
    const p = i === 26 ? 0.5 : 0;
    return [`${s}      `, i + 1, 2 * (i + 1), p, 3 * (i + 1) + p];
  });
  const urban = ['Urban', 1, 1, 0, 2];
  const rural = ['Rural', 2, 0, 0, 2];
  const n = CEADS_SECTORS.length;
  const tc = (n * (n + 1)) / 2 + 3;
  const tg = n * (n + 1) + 1;
  aoa.push([opts.label ?? 'Total Consumption', tc, tg, 0.5, tc + tg + 0.5], ...sectors, urban, rural);
  return aoa;
}

function workbook(sheets: Record<string, Aoa>): Uint8Array {
  const wb = XLSX.utils.book_new();
  for (const [name, aoa] of Object.entries(sheets)) XLSX.utils.book_append_sheet(wb, XLSX.utils.aoa_to_sheet(aoa), name);
  return new Uint8Array(XLSX.write(wb, { type: 'array', bookType: 'xlsx' }) as ArrayBuffer);
}

function thrown(fn: () => unknown): DataError {
  try {
    fn();
  } catch (e) {
    expect(e).toBeInstanceOf(DataError);
    return e as DataError;
  }
  throw new Error('expected a DataError');
}

describe('CEADs readers, generated fixtures', () => {
  it('reads an emission workbook: provinces from sheet names, 45 sectors, households, totals', () => {
    const bytes = workbook({
      NOTE: [['about', 'x']],
      Beijing2017: emissionSheet(),
      InnerMongolia2017: emissionSheet({ label: 'Total Emissions' }),
    });
    const r = readCeadsInventory(bytes, 'em.xlsx');
    expect(r.inventory.kind).toBe('emissions');
    expect([...r.inventory.provinces.keys()]).toEqual(['Beijing', 'Inner Mongolia']);
    expect(r.missing).toHaveLength(29);
    expect(r.issues).toEqual([]);
    const bj = r.inventory.provinces.get('Beijing')!;
    expect(bj.sectors).toEqual(CEADS_SECTORS);
    expect(bj.columns).toEqual(['Raw Coal', 'Natural Gas', 'Process']);
    expect(bj.units).toEqual(['Mt CO2', 'Mt CO2', 'Mt CO2']);
    expect(bj.data).toHaveLength(45 * 3);
    expect([...bj.data.subarray(26 * 3, 27 * 3)]).toEqual([27, 54, 0.5]);
    expect([...bj.households.urban]).toEqual([1, 1, 0]);
    expect([...bj.households.rural]).toEqual([2, 0, 0]);
    expect(bj.total[0]).toBe(1038);
    expect(bj.source).toBe('em.xlsx, sheet Beijing2017');
    expect(bj.otherRows).toBeUndefined();
  });

  it('returns failed sums as issues', () => {
    const s = emissionSheet();
    s[4 + 4]![1] = 100; // sector 5 Raw Coal: was 5
    const r = readCeadsInventory(workbook({ Hebei2017: s }), 'em.xlsx');
    expect(r.issues.map((i) => [i.check, i.where])).toEqual([
      ['column-sum', 'Raw Coal'],
      ['row-total', 'Nonferrous Metals Mining and Dressing'],
    ]);
  });

  it('reads an energy sheet with units and transformation rows', () => {
    const s: Aoa = emissionSheet().map((r) => r.slice(0, 3));
    s[0]![0] = 'Energy_inventory';
    s[1] = ['unit', '10^4 ton', '10^8 cu.m'];
    s.push([null, 0, 0], ['Inputs(+) outputs(-)', 5, -1], ['Thermal Power', 5, 1], ['Loss', 0.5, 0]);
    s[3]![0] = 'Total Final Consumption';
    const r = readCeadsInventory(workbook({ Zhejiang2017: s }), 'energy.xlsx');
    expect(r.inventory.kind).toBe('energy');
    const zj = r.inventory.provinces.get('Zhejiang')!;
    expect(zj.units).toEqual(['10^4 ton', '10^8 cu.m']);
    expect(zj.otherRows!.map((o) => o.label)).toEqual(['Inputs(+) outputs(-)', 'Thermal Power', 'Loss']);
    expect([...zj.otherRows![0]!.values]).toEqual([5, -1]);
  });

  it('names sheet, row and column of bad cells and labels', () => {
    const s = emissionSheet();
    s[10]![2] = 'n.a.';
    const e = thrown(() => readCeadsInventory(workbook({ Beijing2017: s }), 'em.xlsx'));
    expect(e.message).toBe(
      'em.xlsx, sheet Beijing2017, row 11, column C: Other Minerals Mining and Dressing, Natural Gas: expected a number, found text "n.a."',
    );
    const t = emissionSheet();
    t[8]![0] = 'Mining';
    expect(thrown(() => readCeadsInventory(workbook({ Beijing2017: t }), 'em.xlsx')).message).toBe(
      'em.xlsx, sheet Beijing2017, row 9, column A: expected sector 5 "Nonferrous Metals Mining and Dressing", found "Mining"',
    );
    expect(thrown(() => readCeadsInventory(workbook({ Sheet1: t }), 'em.xlsx')).message).toMatch(/^em\.xlsx: no province sheets found/);
    expect(
      thrown(() => readCeadsInventory(workbook({ Beijing2016: emissionSheet(), Beijing2017: emissionSheet() }), 'em.xlsx')).message,
    ).toMatch(/several years \(2016, 2017\)/);
    expect(
      readCeadsInventory(workbook({ Beijing2016: emissionSheet(), Beijing2017: emissionSheet() }), 'em.xlsx', {
        year: 2016,
      }).inventory.provinces.get('Beijing')!.source,
    ).toBe('em.xlsx, sheet Beijing2016');
  });

  it('reads the year sheet of a national inventory', () => {
    const r = readCeadsNationalInventory(workbook({ NOTE: [['x']], '2016': emissionSheet(), '2017': emissionSheet() }), 'nat.xlsx');
    expect(r.inventory.province).toBe('China');
    expect(r.inventory.source).toBe('nat.xlsx, sheet 2017');
    expect(r.issues).toEqual([]);
    expect(thrown(() => readCeadsNationalInventory(workbook({ '2016': emissionSheet() }), 'nat.xlsx')).message).toMatch(
      /^nat\.xlsx: no sheet for year 2017/,
    );
  });
});

describe.skipIf(!hasData)('CEADs readers, real files', () => {
  const dir = join(DATA, 'ceads-2017');

  it('emission inventories: 30 provinces, 45 sectors, sector + household rows sum to the total row', () => {
    const t0 = performance.now();
    const r = readCeadsInventory(
      bytesOf(join(dir, 'Emission_Inventories_for_30_Provinces_2017.xlsx')),
      'Emission_Inventories_for_30_Provinces_2017.xlsx',
    );
    console.log(`CEADs emission inventory: ${(performance.now() - t0).toFixed(0)} ms`);
    expect(r.inventory.kind).toBe('emissions');
    expect(r.inventory.provinces.size).toBe(30);
    expect(r.missing.map((p) => p.province)).toEqual(['Tibet']);
    expect(r.issues).toEqual([]);
    let sum = 0;
    for (const inv of r.inventory.provinces.values()) {
      expect(inv.sectors).toHaveLength(45);
      expect(inv.columns.slice(0, 17)).toEqual([
        'Raw Coal',
        'Cleaned Coal',
        'Other Washed Coal',
        'Briquettes',
        'Coke',
        'Coke Oven Gas',
        'Other Gas',
        'Other Coking Products',
        'Crude Oil',
        'Gasoline',
        'Kerosene',
        'Diesel Oil',
        'Fuel Oil',
        'LPG',
        'Refinery Gas',
        'Other Petroleum Products',
        'Natural Gas',
      ]);
      expect(inv.columns).toContain('Process');
      expect(inv.data).toHaveLength(45 * inv.columns.length);
      sum += inv.total.reduce((a, b) => a + b, 0);
    }
    // 30 provinces together: roughly 9.5–10.5 Gt CO2 in 2017.
    expect(sum).toBeGreaterThan(8500);
    expect(sum).toBeLessThan(11500);
    console.log(`CEADs 30 provinces, total ${sum.toFixed(0)} Mt CO2`);
  });

  it('energy inventories: 30 provinces, units per fuel, transformation and loss rows', () => {
    const r = readCeadsInventory(bytesOf(join(dir, '省级能源清单_2017.xlsx')), '省级能源清单_2017.xlsx');
    expect(r.inventory.kind).toBe('energy');
    expect(r.inventory.provinces.size).toBe(30);
    expect(r.issues).toEqual([]);
    const zj = r.inventory.provinces.get('Zhejiang')!;
    expect(zj.units[zj.columns.indexOf('Raw Coal')]).toBe('10^4 ton');
    expect(zj.units[zj.columns.indexOf('Natural Gas')]).toBe('10^8 cu.m');
    expect(zj.units[zj.columns.indexOf('Electricity')]).toBe('10^8 kwh');
    expect(zj.otherRows!.map((o) => o.label)).toEqual(
      expect.arrayContaining(['Thermal Power', 'Heating Supply', 'Loss', 'Non-Energy Use']),
    );
  });

  it('national inventory, sheet 2017', () => {
    const r = readCeadsNationalInventory(
      bytesOf(join(dir, 'China_CO2_Inventory_1997-2019_(IPCC_Sectoral_Emissions).xlsx')),
      'China_CO2_Inventory_1997-2019_(IPCC_Sectoral_Emissions).xlsx',
    );
    expect(r.issues).toEqual([]);
    expect(r.inventory.sectors).toHaveLength(45);
    const total = r.inventory.total.reduce((a, b) => a + b, 0);
    console.log(`CEADs national inventory 2017: ${total.toFixed(0)} Mt CO2`);
    expect(total).toBeGreaterThan(8500);
    expect(total).toBeLessThan(11000);
  });
});
