import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { checkRowBalance } from '../../src/io/balance.js';
import { DataError } from '../../src/io/errors.js';
import { readNationalTable } from '../../src/io/national.js';
import { readNationalTableFile, readProvincialDir } from '../../src/io/node.js';
import { bytesOf, DATA, FIXTURES, hasData } from './helpers.js';

const FIXTURE = join(FIXTURES, 'national-2.csv');
const NATIONAL = join(DATA, 'cn-io-2017', 'national', 'china_2017_42.csv');

describe('national reader, hand-made fixture', () => {
  it('turns the non-competitive table into the competitive form', () => {
    const { table: t, issues } = readNationalTableFile(FIXTURE);
    expect(t.region).toBe('China');
    expect(t.sectors).toEqual(['01', '02']);
    expect([...t.Z]).toEqual([13, 22, 6, 16]);
    expect([...t.y]).toEqual([49, 41]);
    expect([...t.E]).toEqual([5, 2]);
    expect([...t.M]).toEqual([9, 3]);
    expect([...t.x]).toEqual([80, 62]);
    expect([...t.EP, ...t.MP, ...t.err, ...t.yHouseholds]).toEqual(new Array(8).fill(0));
    expect(t.unavailable).toEqual(['yHouseholds']);
    expect(issues).toEqual([]);
  });

  it('reports balance and total-input mismatches, names bad cells', () => {
    const text = new TextDecoder().decode(bytesOf(FIXTURE));
    const off = readNationalTable(text.replace('"Domestic",10,20,30,40,5,1,4,50,80', '"Domestic",10,20,30,40,5,1,4,50,81'), 'n.csv');
    expect(off.issues.map((i) => i.sector)).toEqual(['01', 'TI:01']);
    let e: unknown;
    try {
      readNationalTable(text.replace('"Imports",1,1,2', '"Imports",1,x,2'), 'n.csv');
    } catch (err) {
      e = err;
    }
    expect(e).toBeInstanceOf(DataError);
    expect((e as DataError).message).toBe('n.csv, row 5, column 7: 02 × 02: expected a number, found text "x"');
    expect(() => readNationalTable(text.replace(/"Origin",/, '"From",'), 'n.csv')).toThrow(/^n\.csv: no header row found/);
    expect(() =>
      readNationalTable(text.replace('"Domestic",10,20,30,40,5,1,4,50,80', '"Domestic",10,20,30,40,5,1,4,50,-80'), 'n.csv'),
    ).toThrow(/^n\.csv, row 2, column 14: negative total output/);
  });
});

describe.skipIf(!hasData)('national reader, real table', () => {
  it('balances in competitive form, 42 sectors; provinces sum to ~9% more', () => {
    const { table: t, issues } = readNationalTableFile(NATIONAL);
    expect(t.sectors).toHaveLength(42);
    expect(issues).toEqual([]);
    const worst = checkRowBalance(t, 0, 0).reduce((m, i) => Math.max(m, i.relError), 0);
    console.log(`national competitive form: worst relative row residual ${worst.toExponential(2)}`);
    const sx = t.x.reduce((a, b) => a + b, 0);
    const sm = t.M.reduce((a, b) => a + b, 0);
    expect(sx / 1e8).toBeCloseTo(225.77, 1); // trillion CNY
    expect(sm / sx).toBeGreaterThan(0.05);
    expect(sm / sx).toBeLessThan(0.08);
    const prov = readProvincialDir(join(DATA, 'cn-io-2017', 'provinces'));
    let sp = 0;
    for (const r of prov.tables.values()) sp += r.table.x.reduce((a, b) => a + b, 0);
    expect(sp / sx).toBeGreaterThan(1.05);
    expect(sp / sx).toBeLessThan(1.13);
  });
});
