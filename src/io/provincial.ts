/**
 * NBS provincial input-output tables (2017, 42 sectors), from .xls, .xlsx or CSV with the same
 * layout. The layout is found from the codes, never from fixed cell positions:
 *  - the code row: the row holding the column codes 01..42, FU101, FU102, FU103, FU201, FU202, EX,
 *    OF, IM, IF, ERR, GO (TIU, THC, TC, GCF, TFU may be there and are not needed);
 *  - the code column: the column (below the code row) holding the row codes 01..42 (TII, VA001..VA004,
 *    TVA, TI may be there and are not needed).
 * Sector codes are the numeric codes of the code row, 01..n without gaps (n = 42 here).
 * Mapping to IOTable (src/model/README.md, "Data and units"): Z = 01..42 × 01..42, y = FU101+FU102+FU103+FU201+FU202,
 * yHouseholds = FU101+FU102, E = EX, EP = OF, M = IM, MP = IF, err = ERR, x = GO.
 */
import type { BalanceIssue, IOTable } from '../data/types.js';
import { checkRowBalance, checkTotalInputs, DEFAULT_BALANCE_TOLERANCE } from './balance.js';
import { readCsvGrid } from './csv.js';
import { DataError } from './errors.js';
import { cellAt, codeOf, columnName, fail, numberAt, type Grid } from './grid.js';
import { findProvince } from '../data/index.js';
import { provincesIn, type ProvinceInfo } from './provinces.js';
import { readWorkbook } from './spreadsheet.js';

export const IO_SECTOR_CODES: readonly string[] = Array.from({ length: 42 }, (_, i) => String(i + 1).padStart(2, '0'));
/** Column codes the reader needs besides 01..42. */
const REQUIRED_COLUMN_CODES = ['FU101', 'FU102', 'FU103', 'FU201', 'FU202', 'EX', 'OF', 'IM', 'IF', 'ERR', 'GO'] as const;
/** Column codes that may be present (subtotals), recognised but not needed. */
const OPTIONAL_COLUMN_CODES = ['TIU', 'THC', 'TC', 'GCF', 'TFU'] as const;
/** Row codes that may be present below 01..42 (totals and value added), recognised but not needed. */
const OPTIONAL_ROW_CODES = ['TII', 'VA001', 'VA002', 'VA003', 'VA004', 'TVA', 'TI'] as const;

export interface ProvincialReadOptions {
  /** Province id (English, as in data/provinces.csv) or Chinese name; overrides identification. */
  province?: string;
  /** Sheet to read; default: the first sheet that has a code row. */
  sheet?: string;
  /** Relative tolerance of the row-balance check; default 1e-6. */
  balanceTolerance?: number;
  /** File size limit in bytes. */
  maxBytes?: number;
  /** Require exactly this many sectors (e.g. 42); default: any n with codes 01..n. */
  expectSectors?: number;
}

export interface ProvincialTableResult {
  table: IOTable;
  province: ProvinceInfo;
  /**
   * Row-balance violations (sector = row code), and, where the table has a TI row, total-input
   * mismatches TI_j ≠ x_j (sector = "TI:<code>"). Empty when the table balances; never thrown.
   */
  issues: BalanceIssue[];
  /** How the province was identified, e.g. 'title "北京2017年投入产出表"'. */
  identifiedBy: string;
}

/** Read one provincial table from bytes; the format follows the file name's extension (.csv, else a workbook). */
export function readProvincialTable(bytes: Uint8Array, file: string, opts: ProvincialReadOptions = {}): ProvincialTableResult {
  const sizeOpts = opts.maxBytes !== undefined ? { maxBytes: opts.maxBytes } : {};
  if (/\.(csv|txt)$/i.test(file)) return parseProvincialGrid(readCsvGrid(bytes, file, sizeOpts), opts);
  const wb = readWorkbook(bytes, file, opts.sheet !== undefined ? { ...sizeOpts, sheets: [opts.sheet] } : sizeOpts);
  if (opts.sheet !== undefined) return parseProvincialGrid(wb.grid(opts.sheet), opts);
  // Without a sheet name: the first sheet that has a code row.
  let firstError: DataError | undefined;
  for (const name of wb.sheetNames) {
    try {
      return parseProvincialGrid(wb.grid(name), opts);
    } catch (e) {
      if (e instanceof DataError && wb.sheetNames.length > 1 && e.detail.startsWith('no code row')) {
        firstError ??= e;
        continue;
      }
      throw e;
    }
  }
  if (firstError && wb.sheetNames.length > 1) {
    throw new DataError(
      { file },
      `no sheet has a code row (sheets: ${wb.sheetNames.join(', ')}; expected cells 01..42, FU101, ..., ERR, GO)`,
    );
  }
  throw firstError ?? new DataError({ file }, 'workbook has no sheets');
}

interface Layout {
  codeRow: number;
  /** Sector codes "01".."nn", in order (42 in the NBS tables). */
  sectors: string[];
  /** column code → column index */
  cols: Map<string, number>;
  codeCol: number;
  /** row code → row index */
  rows: Map<string, number>;
}

const NAMED_COLUMN_CODES = new Set<string>([...REQUIRED_COLUMN_CODES, ...OPTIONAL_COLUMN_CODES]);
const NAMED_ROW_CODES = new Set<string>(OPTIONAL_ROW_CODES);
const isSectorCode = (k: string): boolean => /^\d{2,3}$/.test(k) && k !== '00' && k !== '000';

/**
 * Find the code row and code column of a grid. The sector codes are the numeric codes of the code
 * row and must run 01..n without gaps (n = 42 in the NBS tables; any n is accepted, so that tiny
 * fixtures and other classifications work); the code column must hold the same codes.
 */
function findLayout(g: Grid): Layout {
  // Code row: the row with the most distinct codes, which must include 01 and GO.
  let best = -1;
  let bestCount = 0;
  for (let r = 0; r < g.rows.length; r++) {
    const seen = new Set<string>();
    for (const v of g.rows[r]!) {
      if (typeof v === 'number' && !Number.isInteger(v)) continue;
      const c = codeOf(v);
      if (isSectorCode(c) || NAMED_COLUMN_CODES.has(c)) seen.add(c);
    }
    if (seen.has('01') && seen.has('GO') && seen.size > bestCount) {
      best = r;
      bestCount = seen.size;
    }
  }
  if (best < 0) {
    fail(g, `no code row found in rows 1..${g.rows.length} (expected cells 01..42, FU101, ..., ERR, GO)`);
  }
  const codeRow = best;
  const cols = new Map<string, number>();
  const row = g.rows[codeRow]!;
  for (let c = 0; c < row.length; c++) {
    const code = codeOf(row[c] ?? null);
    if (!isSectorCode(code) && !NAMED_COLUMN_CODES.has(code)) continue;
    if (cols.has(code)) {
      fail(
        g,
        `code row: column code ${code} appears twice (columns ${columnName(g, cols.get(code)!)} and ${columnName(g, c)})`,
        codeRow,
        c,
      );
    }
    cols.set(code, c);
  }
  const numeric = [...cols.keys()].filter(isSectorCode).sort();
  const width = numeric[0]!.length;
  const sectors = numeric.map((_, i) => String(i + 1).padStart(width, '0'));
  const gaps = sectors.filter((k) => !cols.has(k));
  const extra = numeric.filter((k) => !sectors.includes(k));
  if (gaps.length > 0 || extra.length > 0) {
    fail(
      g,
      `code row: sector codes must run 01..${numeric.length} without gaps (missing ${gaps.join(', ') || '-'}; unexpected ${extra.join(', ') || '-'})`,
      codeRow,
    );
  }
  const missingCols = REQUIRED_COLUMN_CODES.filter((k) => !cols.has(k));
  if (missingCols.length > 0) {
    fail(g, `code row lacks column code(s) ${missingCols.join(', ')}`, codeRow);
  }

  // Code column: below the code row, the column with the most distinct row codes.
  const rowCodes = new Set<string>([...sectors, ...NAMED_ROW_CODES]);
  const nCols = g.rows.reduce((m, r) => Math.max(m, r.length), 0);
  let codeCol = -1;
  let colCount = 0;
  for (let c = 0; c < nCols; c++) {
    const seen = new Set<string>();
    for (let r = codeRow + 1; r < g.rows.length; r++) {
      const v = cellAt(g, r, c);
      if (typeof v === 'number' && !Number.isInteger(v)) continue;
      const k = codeOf(v);
      if (rowCodes.has(k)) seen.add(k);
    }
    if (seen.size > colCount) {
      codeCol = c;
      colCount = seen.size;
    }
  }
  if (codeCol < 0) {
    fail(g, `no code column found below the code row (expected cells 01..${sectors[sectors.length - 1]}, TII, TI)`, codeRow);
  }
  const rows = new Map<string, number>();
  for (let r = codeRow + 1; r < g.rows.length; r++) {
    const k = codeOf(cellAt(g, r, codeCol));
    if (!rowCodes.has(k)) continue;
    if (rows.has(k)) fail(g, `row code ${k} appears twice (rows ${rows.get(k)! + 1} and ${r + 1})`, r, codeCol);
    rows.set(k, r);
  }
  const missingRows = sectors.filter((k) => !rows.has(k));
  if (missingRows.length > 0) {
    fail(g, `code column lacks row code(s) ${missingRows.join(', ')}`, undefined, codeCol);
  }
  return { codeRow, sectors, cols, codeCol, rows };
}

/** Which province a grid holds: from the title rows above the code row, then the sheet name, then the file name. */
function identifyProvince(g: Grid, codeRow: number, explicit?: string): { province: ProvinceInfo; by: string } {
  if (explicit !== undefined) {
    const p = findProvince(explicit);
    if (!p)
      throw new DataError(
        { file: g.file },
        `unknown province ${JSON.stringify(explicit)} (use an English name as in data/provinces.csv, the Chinese name or the code)`,
      );
    return { province: p, by: 'option' };
  }
  const candidates: { province: ProvinceInfo; by: string }[] = [];
  const fromText = (text: string, by: string): void => {
    const found = provincesIn(text);
    if (found.length === 1) candidates.push({ province: found[0]!, by });
    else if (found.length > 1) {
      throw new DataError({ file: g.file }, `${by} names several provinces (${found.map((p) => p.province).join(', ')})`);
    }
  };
  // Title: text cells above the code row (first match wins).
  outer: for (let r = 0; r < codeRow; r++) {
    for (const v of g.rows[r]!) {
      if (typeof v !== 'string') continue;
      if (provincesIn(v).length > 0) {
        fromText(v, `title ${JSON.stringify(v.trim())}`);
        break outer;
      }
    }
  }
  if (g.sheet !== undefined) fromText(g.sheet, `sheet name ${JSON.stringify(g.sheet)}`);
  const base = g.file.replace(/^.*[\\/]/, '');
  fromText(base, `file name ${JSON.stringify(base)}`);
  if (candidates.length === 0) {
    throw new DataError(
      { file: g.file },
      'cannot tell which province this table is for: no province name (Chinese or English) in the title, sheet name or file name; pass the province explicitly',
    );
  }
  const first = candidates[0]!;
  for (const c of candidates) {
    if (c.province !== first.province) {
      throw new DataError(
        { file: g.file },
        `province is ambiguous: ${first.by} says ${first.province.province}, ${c.by} says ${c.province.province}`,
      );
    }
  }
  return first;
}

/** Parse a grid in the provincial layout. */
export function parseProvincialGrid(g: Grid, opts: ProvincialReadOptions = {}): ProvincialTableResult {
  const L = findLayout(g);
  const { province, by } = identifyProvince(g, L.codeRow, opts.province);
  const codes = L.sectors;
  if (opts.expectSectors !== undefined && codes.length !== opts.expectSectors) {
    fail(g, `expected ${opts.expectSectors} sectors (codes 01..${opts.expectSectors}), found ${codes.length}`, L.codeRow);
  }
  const n = codes.length;
  const rowIdx = codes.map((k) => L.rows.get(k)!);
  const col = (k: string): number => L.cols.get(k)!;
  const vec = (codes: readonly string[]): Float64Array => {
    const v = new Float64Array(n);
    for (let i = 0; i < n; i++) {
      let s = 0;
      for (const k of codes) s += numberAt(g, rowIdx[i]!, col(k), `${codes[i]} × ${k}`);
      v[i] = s;
    }
    return v;
  };
  const Z = new Float64Array(n * n);
  for (let i = 0; i < n; i++) {
    for (let j = 0; j < n; j++) {
      Z[i * n + j] = numberAt(g, rowIdx[i]!, col(codes[j]!), `${codes[i]} × ${codes[j]}`);
    }
  }
  const x = vec(['GO']);
  for (let i = 0; i < n; i++) {
    if (x[i]! < 0) fail(g, `negative total output GO = ${x[i]} for sector ${codes[i]}`, rowIdx[i], col('GO'));
  }
  const table: IOTable = {
    region: province.province,
    sectors: [...codes],
    Z,
    y: vec(['FU101', 'FU102', 'FU103', 'FU201', 'FU202']),
    yHouseholds: vec(['FU101', 'FU102']),
    E: vec(['EX']),
    EP: vec(['OF']),
    M: vec(['IM']),
    MP: vec(['IF']),
    err: vec(['ERR']),
    x,
    source: g.sheet !== undefined ? `${g.file}, sheet ${g.sheet}` : g.file,
  };
  const tol = opts.balanceTolerance ?? DEFAULT_BALANCE_TOLERANCE;
  const issues = checkRowBalance(table, tol);
  // Column check where the table has a TI (total input) row: TI_j = x_j.
  const tiRow = L.rows.get('TI');
  if (tiRow !== undefined) {
    const ti = new Float64Array(n);
    for (let j = 0; j < n; j++) ti[j] = numberAt(g, tiRow, col(codes[j]!), `TI × ${codes[j]}`);
    issues.push(...checkTotalInputs(table, ti, tol));
  }
  return { table, province, issues, identifiedBy: by };
}
