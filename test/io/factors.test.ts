import { existsSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { bundledData, ipccFuelFactors, parseIpccFuels } from '../../src/data/index.js';
import { ceadsEnergyUnits, readIpccFactorTable, readUserFactorTable } from '../../src/io/factors.js';
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
    expect(by.Electricity!.mtPerUnit).toBeCloseTo(0.058, 15); // 0.58 t/MWh × 10^5 MWh
    expect(by['Coke Oven Gas']!.mtPerUnit).toBeCloseTo(0.07, 15);
    expect(by['Raw Coal']!.unit).toBe('10^4 t');
    expect(by['Raw Coal']!.source).toBe('user-factors.csv: example');
    expect(by['Coke Oven Gas']!.source).toBe('user-factors.csv');
  });

  it('names file, row and column of bad entries', () => {
    const t = (body: string): string => {
      try {
        readUserFactorTable(`fuel,factor,unit\n${body}`, 'f.csv');
      } catch (e) {
        return (e as Error).message;
      }
      return 'no error';
    };
    expect(t('Coal dust,1,t CO2/t\n')).toMatch(/^f\.csv, row 2, column 1: unknown fuel "Coal dust"/);
    expect(t('Raw Coal,abc,t CO2/t\n')).toBe('f.csv, row 2, column 2: Raw Coal factor: expected a number, found text "abc"');
    expect(t('Raw Coal,-1,t CO2/t\n')).toBe('f.csv, row 2, column 2: negative factor -1 for Raw Coal');
    expect(t('Raw Coal,94600,kg CO2/TJ\n')).toMatch(
      /^f\.csv, row 2, column 3: unit "kg CO2\/TJ" is per energy, but the inventory measures Raw Coal in 10\^4 t \(mass\)$/,
    );
    expect(t('Raw Coal,1,t/t\n')).toMatch(/^f\.csv, row 2, column 3: unit "t\/t" not understood/);
    expect(t('Raw Coal,1,t CO2/t\nraw_coal,2,t CO2/t\n')).toBe('f.csv, row 3, column 1: fuel Raw Coal appears twice (also row 2)');
    expect(() => readUserFactorTable('fuel,value\n', 'f.csv')).toThrow(/^f\.csv, row 1: header must have the columns fuel, factor, unit/);
  });
});

describe('a user copy of data/ipcc-fuels.csv', () => {
  const bundled = readFileSync('data/ipcc-fuels.csv', 'utf8');
  // Line 1 is a comment, line 2 the header, line 3 Raw Coal, line 4 Cleaned Coal.
  const edited = (from: string, to: string): string => {
    expect(bundled).toContain(from);
    return bundled.replace(from, to);
  };
  const refusal = (text: string): string => {
    try {
      readUserFactorTable(text, 'copy.csv');
    } catch (e) {
      return (e as Error).message;
    }
    return 'no error';
  };

  it('gives the default factors unchanged', () => {
    expect(readUserFactorTable(bundled, 'copy.csv')).toEqual(ipccFuelFactors());
  });

  it("is checked by the bundled file's own parser, which names line and column", () => {
    expect(refusal(edited('Raw Coal,10^4 t,Other Bituminous Coal,25.8,94600', 'Raw Coal,10^4 t,Other Bituminous Coal,25.8,-94600'))).toBe(
      'copy.csv, row 3, column 5: ipcc_ef_kgco2_per_tj of Raw Coal must be positive, found -94600',
    );
    expect(refusal(edited('Cleaned Coal,10^4 t,Coking Coal', 'Raw_Coal,10^4 t,Coking Coal'))).toBe(
      'copy.csv, row 4, column 1: fuel Raw Coal appears twice (also line 3)',
    );
    expect(refusal(edited('Cleaned Coal,10^4 t,Coking Coal', 'Coal dust,10^4 t,Coking Coal'))).toMatch(
      /^copy\.csv, row 4, column 1: unknown fuel "Coal dust" \(inventory fuels: Raw Coal, /,
    );
    expect(refusal(edited('Cleaned Coal,10^4 t,Coking Coal', 'Cleaned Coal,10^8 m3,Coking Coal'))).toBe(
      'copy.csv, row 4, column 2: unit of Cleaned Coal must be the inventory\'s, "10^4 t"',
    );
    expect(
      refusal(edited('Raw Coal,10^4 t,Other Bituminous Coal,25.8,94600,1,', 'Raw Coal,10^4 t,Other Bituminous Coal,25.8,94600,1.5,')),
    ).toBe('copy.csv, row 3, column 6: oxidation of Raw Coal must be in (0, 1]');
  });

  it('the bundled file itself is held to the same checks', () => {
    const bad = edited('Raw Coal,10^4 t,Other Bituminous Coal,25.8,94600,1,', 'Raw Coal,10^4 t,Other Bituminous Coal,25.8,94600,0,');
    expect(() => parseIpccFuels(bad)).toThrow('data/ipcc-fuels.csv, line 3, column 6: oxidation of Raw Coal must be in (0, 1]');
  });
});

describe.skipIf(!existsSync(IPCC))('IPCC 2006 table', () => {
  it('reads all fuels', () => {
    const ipcc = readIpccFactorTableFile(IPCC);
    expect(ipcc.length).toBe(54);
    expect(ipcc.find((f) => f.fuel === 'Natural Gas')).toEqual({
      fuel: 'Natural Gas',
      ncvTJperGg: 48,
      carbonKgCperGJ: 15.3,
      efKgCO2perTJ: 56100,
      oxidation: 1,
    });
    expect(ipcc.find((f) => f.fuel === 'Industrial Wastes')!.ncvTJperGg).toBeNull();
  });

  it('agrees with the facts typed into data/ipcc-fuels.csv (NCV, EF, oxidation of each mapped IPCC fuel)', () => {
    const ipcc = readIpccFactorTableFile(IPCC);
    for (const f of bundledData().ipccFuels) {
      const rows = ipcc.filter((r) => r.fuel === f.ipccFuel);
      expect(rows.length, `${f.fuel} -> ${f.ipccFuel}`).toBeGreaterThan(0);
      // The table repeats some fuels (e.g. Coking Coal, Crude Oil) under several headings, always with the same values.
      for (const r of rows) {
        expect({ fuel: f.fuel, ncv: r.ncvTJperGg, ef: r.efKgCO2perTJ, oxidation: r.oxidation }).toEqual({
          fuel: f.fuel,
          ncv: f.ipccNcvTjPerGg,
          ef: f.efKgCo2PerTj,
          oxidation: f.oxidation,
        });
      }
    }
  });

  it.skipIf(!hasData)('has the units data/ipcc-fuels.csv gives for the CEADs energy inventory columns', () => {
    const units = ceadsEnergyUnits();
    const energy = readCeadsInventoryFile(join(DATA, 'ceads-2017', '省级能源清单_2017.xlsx'));
    for (const inv of energy.inventory.provinces.values()) {
      expect(inv.columns).toEqual(Object.keys(units));
      inv.columns.forEach((c, j) => expect(parseUnit(inv.units[j]!), c).toEqual(parseUnit(units[c]!)));
    }
  });

  it('rejects a table without its columns', () => {
    expect(() => readIpccFactorTable('fuel,NCV\nx,1\n', 'i.csv')).toThrow(/^i\.csv, row 1: header lacks column\(s\) fuel_2006/);
  });
});
