import * as XLSX from '@e965/xlsx';
import { readdirSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { checkRowBalance } from '../../src/io/balance.js';
import { readCsvGrid } from '../../src/io/csv.js';
import { DataError } from '../../src/io/errors.js';
import { readProvincialDir, readProvincialTableFile } from '../../src/io/node.js';
import { readProvincialFiles } from '../../src/io/provincial-set.js';
import { readProvincialTable } from '../../src/io/provincial.js';
import { bytesOf, DATA, FIXTURES, hasData, sharesBy6 } from './helpers.js';

const FIXTURE = join(FIXTURES, 'provincial-3-zhejiang.csv');
const PROV_DIR = join(DATA, 'cn-io-2017', 'provinces');

/** The fixture's cells as an array of arrays (numbers as numbers), to write .xls/.xlsx at runtime. */
function fixtureAoa(): (string | number | null)[][] {
  const g = readCsvGrid(bytesOf(FIXTURE), 'fixture.csv');
  return g.rows.map((r) =>
    r.map((v) => (typeof v === 'string' && /^-?\d+(\.\d+)?$/.test(v) && !/^0\d$/.test(v) ? Number(v) : (v as string | null))),
  );
}

function workbookBytes(aoa: (string | number | null)[][], bookType: 'xlsx' | 'biff8', sheet = 'Sheet1'): Uint8Array {
  const wb = XLSX.utils.book_new();
  XLSX.utils.book_append_sheet(wb, XLSX.utils.aoa_to_sheet(aoa), sheet);
  return new Uint8Array(XLSX.write(wb, { type: 'array', bookType }) as ArrayBuffer);
}

function csvBytes(aoa: (string | number | null)[][]): Uint8Array {
  return new TextEncoder().encode(aoa.map((r) => r.map((v) => (v === null ? '' : String(v))).join(',')).join('\n'));
}

function expectDataError(fn: () => unknown, ...parts: (string | RegExp)[]): DataError {
  let caught: unknown;
  try {
    fn();
  } catch (e) {
    caught = e;
  }
  expect(caught).toBeInstanceOf(DataError);
  const e = caught as DataError;
  for (const p of parts) expect(e.message).toMatch(p);
  return e;
}

describe('provincial reader, hand-made fixture', () => {
  it('reads the 3-sector CSV by codes, not positions', () => {
    const r = readProvincialTableFile(FIXTURE);
    const t = r.table;
    expect(r.province.province).toBe('Zhejiang');
    expect(t.region).toBe('Zhejiang');
    expect(t.sectors).toEqual(['01', '02', '03']);
    expect([...t.Z]).toEqual([10, 5, 0, 2, 20, 3, 1, 4, 6]);
    expect([...t.y]).toEqual([15, 14, 24]);
    expect([...t.yHouseholds]).toEqual([10, 3, 0]);
    expect([...t.E]).toEqual([10, 0, 2]);
    expect([...t.EP]).toEqual([20, 5, 0]);
    expect([...t.M]).toEqual([4, 2, 0]);
    expect([...t.MP]).toEqual([6, 3, 7]);
    expect([...t.err]).toEqual([1, 0, -0.5]);
    expect([...t.x]).toEqual([51, 39, 29.5]);
    expect(r.issues).toEqual([]);
    expect(t.source).toBe('provincial-3-zhejiang.csv');
  });

  it.each(['xlsx', 'biff8'] as const)('reads the same layout from %s, shifted by a row and a column', (bookType) => {
    const aoa = fixtureAoa().map((row) => [null, ...row]);
    aoa.unshift([]);
    const bytes = workbookBytes(aoa, bookType, 'IO2017');
    const r = readProvincialTable(bytes, bookType === 'xlsx' ? 'table.xlsx' : 'table.xls');
    expect(r.province.province).toBe('Zhejiang');
    expect([...r.table.x]).toEqual([51, 39, 29.5]);
    expect([...r.table.Z]).toEqual([10, 5, 0, 2, 20, 3, 1, 4, 6]);
    expect(r.table.source).toMatch(/sheet IO2017$/);
    expect(r.issues).toEqual([]);
  });

  it('returns balance violations instead of throwing', () => {
    const aoa = fixtureAoa();
    const row02 = aoa.findIndex((r) => r[1] === '02');
    const goCol = aoa[3]!.indexOf('GO');
    aoa[row02]![goCol] = 40; // should be 39
    const r = readProvincialTable(csvBytes(aoa), 'zj.csv');
    // the row balance of 02 fails, and so does the column check TI_02 = x_02
    expect(r.issues.map((i) => i.sector)).toEqual(['02', 'TI:02']);
    expect(r.issues[0]).toMatchObject({ region: 'Zhejiang', sector: '02', x: 40, rhs: 39 });
    expect(r.issues[0]!.relError).toBeCloseTo(1 / 40, 12);
    expect(r.issues[1]).toMatchObject({ sector: 'TI:02', x: 40, rhs: 39 });
    // a table without a TI row is checked by rows only
    const noTi = aoa.filter((row) => row[1] !== 'TI');
    expect(readProvincialTable(csvBytes(noTi), 'zj.csv').issues.map((i) => i.sector)).toEqual(['02']);
  });

  it('identifies the province from an English file name when the title has none', () => {
    const aoa = fixtureAoa();
    aoa[0] = ['input-output table 2017'];
    expect(readProvincialTable(csvBytes(aoa), 'Inner Mongolia 2017.csv').province.province).toBe('Inner Mongolia');
    expect(readProvincialTable(csvBytes(aoa), 'shaanxi.csv').province.province).toBe('Shaanxi');
    expect(readProvincialTable(csvBytes(aoa), '04-山西.csv').province.province).toBe('Shanxi');
    expectDataError(() => readProvincialTable(csvBytes(aoa), 'table.csv'), /^table\.csv: cannot tell which province/);
    expect(readProvincialTable(csvBytes(aoa), 'table.csv', { province: '贵州' }).province.province).toBe('Guizhou');
  });

  it('refuses a title and a file name that disagree', () => {
    expectDataError(() => readProvincialTable(bytesOf(FIXTURE), '24-贵州.csv'), /province is ambiguous/, /Zhejiang/, /Guizhou/);
  });

  it('names file, row and column of a non-numeric cell', () => {
    const aoa = fixtureAoa();
    aoa[5]![4] = 'n/a'; // row 6 (sector 02), column 5 (sector 02 column)
    const e = expectDataError(
      () => readProvincialTable(csvBytes(aoa), 'zj.csv'),
      /^zj\.csv, row 6, column 5: 02 × 02: expected a number, found text "n\/a"$/,
    );
    expect(e).toMatchObject({ file: 'zj.csv', row: 6, column: '5' });
    const xlsx = workbookBytes(aoa, 'xlsx');
    expectDataError(() => readProvincialTable(xlsx, 'zj.xlsx'), /^zj\.xlsx, sheet Sheet1, row 6, column E: 02 × 02: expected a number/);
  });

  it('treats empty cells as 0', () => {
    const aoa = fixtureAoa();
    aoa[4]![5] = null; // 01 × 03 was 0
    expect(readProvincialTable(csvBytes(aoa), 'zj.csv').table.Z[2]).toBe(0);
  });

  it('names the cell of a negative total output', () => {
    const aoa = fixtureAoa();
    const goCol = aoa[3]!.indexOf('GO');
    aoa[6]![goCol] = -29.5;
    expectDataError(
      () => readProvincialTable(workbookBytes(aoa, 'biff8'), '11-浙江.xls'),
      /^11-浙江\.xls, sheet Sheet1, row 7, column V: negative total output GO = -29\.5 for sector 03$/,
    );
  });

  it('reports a table without its code row', () => {
    const aoa = fixtureAoa();
    aoa.splice(3, 1);
    expectDataError(
      () => readProvincialTable(workbookBytes(aoa, 'biff8'), '11-浙江.xls'),
      /^11-浙江\.xls, sheet Sheet1: no code row found in rows 1\.\.13 \(expected cells 01\.\.42/,
    );
  });

  it('reports missing required columns and gaps in the sector codes', () => {
    const aoa = fixtureAoa();
    aoa[3]![aoa[3]!.indexOf('IF')] = 'XX';
    expectDataError(() => readProvincialTable(csvBytes(aoa), 'zj.csv'), /^zj\.csv, row 4: code row lacks column code\(s\) IF$/);
    const gap = fixtureAoa();
    gap[3]![4] = '05';
    expectDataError(
      () => readProvincialTable(csvBytes(gap), 'zj.csv'),
      /sector codes must run 01\.\.3 without gaps \(missing 02; unexpected 05\)/,
    );
  });

  it('rejects files that are not workbooks, empty or too big', () => {
    const html = new TextEncoder().encode('<html><table><tr><td>01</td></tr></table></html>');
    expectDataError(() => readProvincialTable(html, 'x.xls'), /^x\.xls: not an Excel workbook/);
    expectDataError(() => readProvincialTable(new Uint8Array(0), 'x.xlsx'), /^x\.xlsx: file is empty/);
    expectDataError(() => readProvincialTable(bytesOf(FIXTURE), 'zj.csv', { maxBytes: 100 }), /^zj\.csv: file is .* larger than the limit/);
  });

  it('finds duplicated and missing provinces in a set', () => {
    const b = bytesOf(FIXTURE);
    expectDataError(
      () =>
        readProvincialFiles([
          { name: 'a-浙江.csv', bytes: b },
          { name: 'b-zhejiang.csv', bytes: b },
        ]),
      /^b-zhejiang\.csv: province Zhejiang \(浙江\) is duplicated: also in a-浙江\.csv$/,
    );
    const set = readProvincialFiles([{ name: 'zj.csv', bytes: b }]);
    expect([...set.tables.keys()]).toEqual(['Zhejiang']);
    expect(set.missing).toHaveLength(30);
    expect(set.missing.map((p) => p.province)).not.toContain('Zhejiang');
  });
});

describe.skipIf(!hasData)('provincial reader, real NBS tables', () => {
  const files = hasData
    ? readdirSync(PROV_DIR)
        .filter((f) => f.endsWith('.xls'))
        .sort()
    : [];

  it('reads all 31 tables in a folder, 42 sectors each, no province missing', () => {
    const t0 = performance.now();
    const set = readProvincialDir(PROV_DIR);
    const ms = performance.now() - t0;
    console.log(`readProvincialDir: 31 tables in ${ms.toFixed(0)} ms`);
    expect(files).toHaveLength(31);
    expect(set.tables.size).toBe(31);
    expect(set.missing).toEqual([]);
    let total = 0;
    const lines: string[] = [];
    for (const [id, r] of set.tables) {
      const t = r.table;
      expect(t.sectors).toHaveLength(42);
      expect(t.Z).toHaveLength(42 * 42);
      const sx = t.x.reduce((a, b) => a + b, 0);
      total += sx;
      // Plausible: every province between 0.1 and 40 trillion CNY of output (10^4 CNY units).
      expect(sx).toBeGreaterThan(1e7);
      expect(sx).toBeLessThan(4e9);
      for (const v of [t.Z, t.y, t.E, t.EP, t.M, t.MP, t.err, t.x]) for (const a of v) expect(Number.isFinite(a)).toBe(true);
      // Balances: worst relative residual at any tolerance (0 → every row with a residual).
      // Rows where both sides are (near) zero have relative residuals up to 1 from rounding dust, so
      // report the worst relative residual among rows with x or rhs ≥ 1 (10^4 CNY) and the worst absolute one.
      const all = checkRowBalance(t, 0, 0);
      const big = all.filter((i) => Math.max(Math.abs(i.x), Math.abs(i.rhs)) >= 1);
      const worstRel = big.reduce((m, i) => Math.max(m, i.relError), 0);
      const worstAbs = all.reduce((m, i) => Math.max(m, Math.abs(i.x - i.rhs)), 0);
      const ti = r.issues.filter((i) => i.sector.startsWith('TI:')).length;
      lines.push(
        `${id}: ${r.issues.length - ti} row violations and ${ti} TI≠x at 1e-6; worst relative row residual (rows ≥ 1) ${worstRel.toExponential(2)}, worst absolute ${worstAbs.toExponential(2)} (10^4 CNY)`,
      );
      expect(r.issues).toEqual([]);
    }
    console.log(lines.join('\n'));
    // All provinces together: about 246 trillion CNY (national table: 226; the 9% excess is a known fact).
    expect(total).toBeGreaterThan(2.3e10);
    expect(total).toBeLessThan(2.6e10);
  });

  it("Zhejiang's output and export shares by the 6 groups", () => {
    const t = readProvincialTableFile(join(PROV_DIR, '11-浙江.xls')).table;
    const out = sharesBy6(t.x);
    const ex = sharesBy6(t.E);
    [2.26, 0.18, 51.31, 3.76, 8.96, 33.54].forEach((v, i) => expect(Math.abs(out[i]! - v)).toBeLessThanOrEqual(0.005 + 1e-9));
    [0.24, 0.13, 89.52, 0, 0, 10.11].forEach((v, i) => expect(Math.abs(ex[i]! - v)).toBeLessThanOrEqual(0.005 + 1e-9));
  });

  it("Guizhou's output shares by the 6 groups", () => {
    const t = readProvincialTableFile(join(PROV_DIR, '24-贵州.xls')).table;
    const out = sharesBy6(t.x);
    [10.47, 7.52, 26.73, 6.66, 15.72, 32.9].forEach((v, i) => expect(Math.abs(out[i]! - v)).toBeLessThanOrEqual(0.005 + 1e-9));
  });

  it('a truncated .xls gives a DataError naming the file', () => {
    const b = bytesOf(join(PROV_DIR, '01-北京.xls'));
    for (const frac of [0.5, 0.1]) {
      const cut = b.slice(0, Math.floor(b.length * frac));
      expectDataError(() => readProvincialTable(cut, '01-北京.xls'), /^01-北京\.xls[,:]/);
    }
    expectDataError(() => readProvincialTable(b.slice(0, 4), '01-北京.xls'), /^01-北京\.xls: not an Excel workbook/);
  });

  it('bad versions of a real table: no code row, negative output, text in a number cell', () => {
    const wb = XLSX.read(bytesOf(join(PROV_DIR, '01-北京.xls')), { type: 'array', dense: true });
    const aoa = (): (string | number | null)[][] =>
      XLSX.utils.sheet_to_json<(string | number | null)[]>(wb.Sheets[wb.SheetNames[0]!]!, { header: 1, raw: true, defval: null });
    const codeRow = aoa().findIndex((r) => r.includes('GO'));
    expect(codeRow).toBe(7);
    const noCodes = aoa();
    noCodes.splice(codeRow, 1);
    expectDataError(
      () => readProvincialTable(workbookBytes(noCodes, 'biff8'), '01-北京.xls'),
      /^01-北京\.xls, sheet Sheet1: no code row found/,
    );
    const neg = aoa();
    const goCol = neg[codeRow]!.indexOf('GO');
    const r05 = neg.findIndex((r) => r[2] === '05');
    neg[r05]![goCol] = -1;
    const e = expectDataError(
      () => readProvincialTable(workbookBytes(neg, 'biff8'), '01-北京.xls'),
      /negative total output GO = -1 for sector 05$/,
    );
    expect(e).toMatchObject({ file: '01-北京.xls', sheet: 'Sheet1', row: r05 + 1, column: XLSX.utils.encode_col(goCol) });
    const text = aoa();
    text[r05]![10] = '12,5';
    expectDataError(
      () => readProvincialTable(workbookBytes(text, 'biff8'), '01-北京.xls'),
      new RegExp(`^01-北京\\.xls, sheet Sheet1, row ${r05 + 1}, column K: 05 × 08: expected a number, found text "12,5"$`),
    );
  });

  it('the same table re-saved as .xlsx and CSV reads identically', () => {
    const path = join(PROV_DIR, '06-辽宁.xls');
    const ref = readProvincialTableFile(path).table;
    const wb = XLSX.read(bytesOf(path), { type: 'array', dense: true });
    const aoa = XLSX.utils.sheet_to_json<(string | number | null)[]>(wb.Sheets[wb.SheetNames[0]!]!, { header: 1, raw: true, defval: null });
    const fromXlsx = readProvincialTable(workbookBytes(aoa, 'xlsx'), 'liaoning.xlsx').table;
    const csv = XLSX.utils.sheet_to_csv(wb.Sheets[wb.SheetNames[0]!]!, { rawNumbers: true });
    const fromCsv = readProvincialTable(new TextEncoder().encode(csv), '辽宁.csv').table;
    for (const t of [fromXlsx, fromCsv]) {
      expect(t.region).toBe('Liaoning');
      for (const k of ['Z', 'y', 'E', 'EP', 'M', 'MP', 'err', 'x'] as const) {
        t[k].forEach((v, i) => expect(v).toBeCloseTo(ref[k][i]!, 6));
      }
    }
  });
});
