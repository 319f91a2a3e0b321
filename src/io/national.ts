/**
 * China's national IO table 2017 (42 sectors) in non-competitive import form, as distributed
 * (cn-io-2017/national/china_2017_42.csv, from the R package ionet), turned into the
 * competitive-import form of the method.
 *
 * The file's columns: "" (row number), Code, Description, DescriptionInChinese, Origin,
 * 01..42 (intermediate use), TIU (total intermediate use), TC (total final consumption,
 * households + government, not split), FU201 (fixed capital formation), FU202 (inventory change),
 * EX (exports), TFU (total final use), GO. Rows: Code 01..42 with Origin "Domestic", the same
 * 42 with Origin "Imports", then TII, VA001..VA004, TVA, TI (Origin "TOT"). There is no IM column:
 * on an Imports row, GO (= TIU + TFU) is the total import of that product.
 *
 * Mapping (i, j = 01..42; d = Domestic row, m = Imports row):
 *   Z_ij = Zd_ij + Zm_ij
 *   y_i  = (TC + FU201 + FU202)_d + (TC + FU201 + FU202)_m
 *   E_i  = EX_d + EX_m            (exports including re-exports of imported goods)
 *   M_i  = GO_m                   (total imports of product i)
 *   x_i  = GO_d
 *   EP = MP = err = 0             (no interprovincial trade, no discrepancy column)
 *   yHouseholds: not in the file (TC is not split) → zeros, listed in table.unavailable.
 * Then Z1 + y + E − M = Zd1 + yd + EXd = x row by row (checked, BalanceIssue[] returned), and
 * the TI row (total inputs of column j) is checked against x_j as well.
 */
import type { BalanceIssue, IOTable } from '../data/types.js';
import { checkRowBalance, checkTotalInputs, DEFAULT_BALANCE_TOLERANCE } from './balance.js';
import { readCsvGrid } from './csv.js';
import { cellText, codeOf, fail, numberAt, type Grid } from './grid.js';

/** Columns the reader needs (TIU and TFU, subtotals, may be present and are not used). */
const NATIONAL_COLUMNS = ['Code', 'Origin', 'TC', 'FU201', 'FU202', 'EX', 'GO'] as const;

export interface NationalReadOptions {
  balanceTolerance?: number;
  maxBytes?: number;
  /** Region label of the table; default "China". */
  region?: string;
}

export interface NationalTableResult {
  table: IOTable;
  /** Row-balance violations of the competitive form, plus column (TI vs x) mismatches as sector "TI:<j>". */
  issues: BalanceIssue[];
}

export function readNationalTable(bytes: Uint8Array | string, file: string, opts: NationalReadOptions = {}): NationalTableResult {
  const g = readCsvGrid(bytes, file, opts.maxBytes !== undefined ? { maxBytes: opts.maxBytes } : {});
  return parseNationalGrid(g, opts);
}

export function parseNationalGrid(g: Grid, opts: NationalReadOptions = {}): NationalTableResult {
  // Header: the first row that has Code, Origin and GO.
  const headerRow = g.rows.findIndex((r) => {
    const t = r.map((v) => cellText(v));
    return t.includes('Code') && t.includes('Origin') && t.includes('GO');
  });
  if (headerRow < 0) fail(g, 'no header row found (expected columns Code, Origin, 01..42, TC, FU201, FU202, EX, GO)');
  const header = g.rows[headerRow]!;
  const col = new Map<string, number>();
  header.forEach((v, c) => {
    const t = cellText(v);
    const k = /^\d+$/.test(t) ? codeOf(t) : t;
    if (k !== '' && !col.has(k)) col.set(k, c);
  });
  const numeric = [...col.keys()].filter((k) => /^\d{2,3}$/.test(k)).sort();
  const sectors = numeric.map((_, i) => String(i + 1).padStart(2, '0'));
  if (numeric.length === 0 || numeric.some((k, i) => k !== sectors[i])) {
    fail(g, `header: sector columns must run 01..n without gaps (found ${numeric.join(', ') || 'none'})`, headerRow);
  }
  const missing = NATIONAL_COLUMNS.filter((k) => !col.has(k));
  if (missing.length > 0) fail(g, `header lacks column(s) ${missing.join(', ')}`, headerRow);
  const cCode = col.get('Code')!;
  const cOrigin = col.get('Origin')!;

  const domestic = new Map<string, number>();
  const imports = new Map<string, number>();
  let tiRow = -1;
  for (let r = headerRow + 1; r < g.rows.length; r++) {
    const row = g.rows[r]!;
    if (row.every((v) => v === null)) continue;
    const code = codeOf(row[cCode] ?? null);
    const origin = cellText(row[cOrigin] ?? null).toLowerCase();
    if (code === 'TI') tiRow = r;
    if (!sectors.includes(code)) continue;
    const target = origin === 'domestic' ? domestic : origin === 'imports' || origin === 'import' ? imports : undefined;
    if (target === undefined)
      fail(
        g,
        `Origin must be Domestic or Imports for product ${code}, found ${JSON.stringify(cellText(row[cOrigin] ?? null))}`,
        r,
        cOrigin,
      );
    if (target.has(code)) fail(g, `product ${code} (${origin}) appears twice (rows ${target.get(code)! + 1} and ${r + 1})`, r, cCode);
    target.set(code, r);
  }
  for (const [name, m] of [
    ['Domestic', domestic],
    ['Imports', imports],
  ] as const) {
    const lack = sectors.filter((k) => !m.has(k));
    if (lack.length > 0) fail(g, `no ${name} row for product(s) ${lack.join(', ')}`, undefined, cCode);
  }

  const n = sectors.length;
  const num = (r: number, k: string, label: string): number => numberAt(g, r, col.get(k)!, label);
  const Z = new Float64Array(n * n);
  const y = new Float64Array(n);
  const E = new Float64Array(n);
  const M = new Float64Array(n);
  const x = new Float64Array(n);
  for (let i = 0; i < n; i++) {
    const ci = sectors[i]!;
    const rd = domestic.get(ci)!;
    const rm = imports.get(ci)!;
    for (let j = 0; j < n; j++) {
      const cj = sectors[j]!;
      Z[i * n + j] = num(rd, cj, `${ci} × ${cj}`) + num(rm, cj, `${ci} × ${cj}`);
    }
    for (const r of [rd, rm]) {
      y[i]! += num(r, 'TC', `${ci} TC`) + num(r, 'FU201', `${ci} FU201`) + num(r, 'FU202', `${ci} FU202`);
      E[i]! += num(r, 'EX', `${ci} EX`);
    }
    M[i] = num(rm, 'GO', `${ci} imports GO`);
    x[i] = num(rd, 'GO', `${ci} GO`);
    if (x[i]! < 0) fail(g, `negative total output GO = ${x[i]} for product ${ci}`, rd, col.get('GO'));
    if (M[i]! < 0) fail(g, `negative total imports (GO of the Imports row) = ${M[i]} for product ${ci}`, rm, col.get('GO'));
  }
  const table: IOTable = {
    region: opts.region ?? 'China',
    sectors: [...sectors],
    Z,
    y,
    yHouseholds: new Float64Array(n),
    E,
    EP: new Float64Array(n),
    M,
    MP: new Float64Array(n),
    err: new Float64Array(n),
    x,
    source: g.file,
    unavailable: ['yHouseholds'],
  };
  const tol = opts.balanceTolerance ?? DEFAULT_BALANCE_TOLERANCE;
  const issues = checkRowBalance(table, tol);
  // Column check: total inputs (TI row) of column j equal output x_j.
  if (tiRow >= 0) {
    const ti = new Float64Array(n);
    for (let j = 0; j < n; j++) ti[j] = num(tiRow, sectors[j]!, `TI × ${sectors[j]}`);
    issues.push(...checkTotalInputs(table, ti, tol));
  }
  return { table, issues };
}
