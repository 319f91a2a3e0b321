import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { CEADS_ENERGY_UNITS, ipccFuelFactors, readIpccFactorTable, readUserFactorTable } from '../../src/io/factors.js';
import { readCeadsInventoryFile, readIpccFactorTableFile, readUserFactorTableFile } from '../../src/io/node.js';
import { parseUnit } from '../../src/io/units.js';
import { DATA, FIXTURES, hasData } from './helpers.js';

const IPCC = join(DATA, 'ipcc-2006', 'ipcc2006_table1_2_1_3_1_4_by_fuel.csv');

describe('units', () => {
  it('parses inventory and factor units', () => {
    expect(parseUnit('10^4 ton')).toEqual({ dimension: 'mass', size: 1e4 });
    expect(parseUnit('10^8 cu.m')).toEqual({ dimension: 'volume', size: 1e8 });
    expect(parseUnit('10^10 kj')).toEqual({ dimension: 'energy', size: 1e10 });
    expect(parseUnit('10^8 kwh')).toEqual({ dimension: 'energy', size: 3.6e11 });
    expect(parseUnit('10^4 tce')!.size).toBeCloseTo(2.93076e11, 0);
    expect(parseUnit('MWh')).toEqual({ dimension: 'energy', size: 3.6e6 });
    expect(parseUnit('furlongs')).toBeUndefined();
  });
});

describe('user factor table', () => {
  it('converts factors to Mt CO2 per inventory unit', () => {
    const f = readUserFactorTableFile(join(FIXTURES, 'user-factors.csv'));
    const by = Object.fromEntries(f.map((x) => [x.fuel, x]));
    expect(Object.keys(by)).toEqual(['Raw Coal', 'Natural Gas', 'Electricity', 'Coke Oven Gas']);
    expect(by['Raw Coal']!.mtPerUnit).toBeCloseTo(0.019, 15); // 1.9 t/t × 10^4 t
    expect(by['Natural Gas']!.mtPerUnit).toBeCloseTo(0.216, 15); // 2.16 kg/m3 × 10^8 m3
    expect(by['Electricity']!.mtPerUnit).toBeCloseTo(0.058, 15); // 0.58 t/MWh × 10^5 MWh
    expect(by['Coke Oven Gas']!.mtPerUnit).toBeCloseTo(0.07, 15);
    expect(by['Raw Coal']!.unit).toBe('10^4 ton');
    expect(by['Raw Coal']!.source).toBe('user-factors.csv: example');
    expect(by['Coke Oven Gas']!.source).toBe('user-factors.csv');
  });

  it('names file, row and column of bad entries', () => {
    const t = (body: string): string => {
      try {
        readUserFactorTable('fuel,factor,unit\n' + body, 'f.csv');
      } catch (e) {
        return (e as Error).message;
      }
      return 'no error';
    };
    expect(t('Coal dust,1,t CO2/t\n')).toMatch(/^f\.csv, row 2, column 1: unknown fuel "Coal dust"/);
    expect(t('Raw Coal,abc,t CO2/t\n')).toBe('f.csv, row 2, column 2: Raw Coal factor: expected a number, found text "abc"');
    expect(t('Raw Coal,-1,t CO2/t\n')).toBe('f.csv, row 2, column 2: negative factor -1 for Raw Coal');
    expect(t('Raw Coal,94600,kg CO2/TJ\n')).toMatch(/^f\.csv, row 2, column 3: unit "kg CO2\/TJ" is per energy, but the inventory measures Raw Coal in 10\^4 ton \(mass\)$/);
    expect(t('Raw Coal,1,t/t\n')).toMatch(/^f\.csv, row 2, column 3: unit "t\/t" not understood/);
    expect(t('Raw Coal,1,t CO2/t\nraw_coal,2,t CO2/t\n')).toBe('f.csv, row 3, column 1: fuel Raw Coal appears twice (also row 2)');
    expect(() => readUserFactorTable('fuel,value\n', 'f.csv')).toThrow(/^f\.csv, row 1: header must have the columns fuel, factor, unit/);
  });
});

describe.skipIf(!hasData)('IPCC 2006 table', () => {
  it('reads all fuels and gives factors for every CEADs energy column', () => {
    const ipcc = readIpccFactorTableFile(IPCC);
    expect(ipcc.length).toBe(54);
    expect(ipcc.find((f) => f.fuel === 'Natural Gas')).toEqual({ fuel: 'Natural Gas', ncvTJperGg: 48, carbonKgCperGJ: 15.3, efKgCO2perTJ: 56100, oxidation: 1 });
    expect(ipcc.find((f) => f.fuel === 'Industrial Wastes')!.ncvTJperGg).toBeNull();
    const f = ipccFuelFactors(ipcc, 'ipcc.csv');
    expect(f.map((x) => x.fuel)).toEqual(Object.keys(CEADS_ENERGY_UNITS));
    const by = Object.fromEntries(f.map((x) => [x.fuel, x.mtPerUnit]));
    // 10^4 t of other bituminous coal: 10 Gg × 25.8 TJ/Gg × 94 600 kg/TJ = 0.0244 Mt
    expect(by['Raw Coal']).toBeCloseTo(10 * 25.8 * 94600 * 1e-9, 15);
    // 10^8 m3 of natural gas at 38 931 kJ/m3: 3893.1 TJ × 56 100 kg/TJ = 0.218 Mt
    expect(by['Natural Gas']).toBeCloseTo(0.1 * 38931 * 56100 * 1e-9, 15);
    expect(by['Electricity']).toBe(0);
    // the energy inventory's units are the ones the factors assume
    const energy = readCeadsInventoryFile(join(DATA, 'ceads-2017', '省级能源清单_2017.xlsx'));
    for (const inv of energy.inventory.provinces.values()) {
      inv.columns.forEach((c, j) => expect(inv.units[j]).toBe(CEADS_ENERGY_UNITS[c]));
    }
  });

  it('rejects a table without its columns', () => {
    expect(() => readIpccFactorTable('fuel,NCV\nx,1\n', 'i.csv')).toThrow(/^i\.csv, row 1: header lacks column\(s\) fuel_2006/);
  });
});
