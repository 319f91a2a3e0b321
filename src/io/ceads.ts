/**
 * CEADs inventories (sheets of 45 production sectors × fuels, plus Urban and Rural households):
 *  - provincial CO2 emission inventories (Emission_Inventories_for_30_Provinces_2017.xlsx, Mt CO2);
 *  - provincial energy inventories (省级能源清单_2017.xlsx, physical units per fuel in the unit row,
 *    plus transformation and loss rows after Rural);
 *  - the national CO2 inventory (China_CO2_Inventory_1997-2019_(IPCC_Sectoral_Emissions).xlsx,
 *    one sheet per year, same layout as a provincial emission sheet).
 *
 * Layout, found by labels rather than positions: a header row of fuel names (column A empty or a
 * caption such as "Emission_Inventory"), then a unit row; a total row whose label starts with
 * "Total" ("Total Consumption", "Total Emissions", "Total Final Consumption"); the 45 sector rows;
 * "Urban"; "Rural"; then (energy) further labelled rows. Column names are normalised (underscores →
 * spaces, whitespace collapsed: "Raw_Coal" → "Raw Coal"); a last column named "... Total"
 * ("Scope 1 Total") is not kept as a column but used to check row sums. Sector labels (which carry
 * trailing spaces, and are spelt differently in the energy file) are checked position by position
 * against data/ceads-sectors.csv (either spelling) and reported with its emission-inventory names.
 */
import type { Inventory, InventoryIssue, ProvinceInventory } from '../data/types.js';
import { DataError } from './errors.js';
import { cellAt, cellText, fail, numberAt, type Grid } from './grid.js';
import { ceadsSectors, provinces } from '../data/index.js';
import { provincesIn, type ProvinceInfo } from './provinces.js';
import { readWorkbook } from './spreadsheet.js';

const sectorKey = (s: string): string =>
  s
    .toLowerCase()
    .replace(/&/g, 'and')
    .replace(/[^a-z]/g, '');

/**
 * Index (0..44) of a CEADs sector label, as the emission or the energy inventory spells it
 * (data/ceads-sectors.csv; case, punctuation and "&" vs "and" do not matter), or -1.
 */
export function ceadsSectorIndex(label: string): number {
  const k = sectorKey(label);
  return ceadsSectors().findIndex((s) => sectorKey(s.name) === k || sectorKey(s.nameEnergy) === k);
}

/** "Raw_Coal  " → "Raw Coal". */
function normaliseName(s: string): string {
  return s.replace(/_/g, ' ').replace(/\s+/g, ' ').trim();
}

export interface CeadsReadOptions {
  /** 'emissions' or 'energy'; default: from the unit row (all "Mt CO2" → emissions). */
  kind?: 'emissions' | 'energy';
  /** Year of the sheets to read (sheet names end in the year); needed only if a file has several years. */
  year?: number;
  /** Relative tolerance of the sum checks; default 1e-6. */
  tolerance?: number;
  maxBytes?: number;
}

export interface CeadsInventoryResult {
  inventory: Inventory;
  /** Failed sum checks (never thrown). */
  issues: InventoryIssue[];
  /** Provinces without a sheet (Tibet, for the 2017 files). */
  missing: ProvinceInfo[];
}

/** A provincial CEADs workbook (emission or energy inventory): one sheet per province, named <Province><Year>. */
export function readCeadsInventory(bytes: Uint8Array, file: string, opts: CeadsReadOptions = {}): CeadsInventoryResult {
  const wb = readWorkbook(bytes, file, opts.maxBytes !== undefined ? { maxBytes: opts.maxBytes } : {});
  const picked = new Map<string, { sheet: string; year: number; province: ProvinceInfo }>();
  const years = new Set<number>();
  for (const sheet of wb.sheetNames) {
    const m = /^(.*?)[\s_-]*((?:19|20)\d\d)$/.exec(sheet.trim());
    if (!m) continue;
    const year = Number(m[2]);
    if (opts.year !== undefined && year !== opts.year) continue;
    const found = provinces().filter((p) => p.ceadsSheet === sheet.trim());
    const named = found.length > 0 ? found : provincesIn(m[1]!);
    if (named.length !== 1) continue;
    const p = named[0]!;
    years.add(year);
    const prev = picked.get(p.province);
    if (prev && prev.year === year) {
      throw new DataError({ file, sheet }, `province ${p.province} appears twice (also sheet ${prev.sheet})`);
    }
    if (!prev || year > prev.year) picked.set(p.province, { sheet, year, province: p });
  }
  if (picked.size === 0) {
    throw new DataError(
      { file },
      `no province sheets found (expected sheets named like Beijing2017${opts.year ? `, year ${opts.year}` : ''}; sheets: ${wb.sheetNames.join(', ')})`,
    );
  }
  if (years.size > 1 && opts.year === undefined) {
    throw new DataError({ file }, `sheets for several years (${[...years].sort().join(', ')}): choose one with the year option`);
  }
  const inventories = new Map<string, ProvinceInventory>();
  const issues: InventoryIssue[] = [];
  let kind: 'emissions' | 'energy' | undefined = opts.kind;
  for (const p of provinces()) {
    const pick = picked.get(p.province);
    if (!pick) continue;
    const r = parseCeadsSheet(wb.grid(pick.sheet), p.province, opts);
    if (kind === undefined) kind = r.kind;
    else if (r.kind !== kind) fail(wb.grid(pick.sheet), `looks like an ${r.kind} inventory, unlike the other sheets (${kind})`);
    inventories.set(p.province, r.inventory);
    issues.push(...r.issues);
  }
  return {
    inventory: { kind: kind!, provinces: inventories, source: file },
    issues,
    missing: provinces().filter((p) => !inventories.has(p.province)),
  };
}

export interface CeadsNationalOptions extends CeadsReadOptions {
  /** Year sheet to read; default 2017. */
  year?: number;
  /** Label of the result; default "China". */
  region?: string;
}

/** The national CEADs CO2 inventory: the sheet named after the year (default 2017). */
export function readCeadsNationalInventory(
  bytes: Uint8Array,
  file: string,
  opts: CeadsNationalOptions = {},
): { inventory: ProvinceInventory; issues: InventoryIssue[] } {
  const year = String(opts.year ?? 2017);
  const wbOpts: { maxBytes?: number; sheets?: string[] } = { sheets: [year] };
  if (opts.maxBytes !== undefined) wbOpts.maxBytes = opts.maxBytes;
  const wb = readWorkbook(bytes, file, wbOpts);
  if (!wb.sheetNames.includes(year)) {
    throw new DataError({ file }, `no sheet for year ${year} (sheets: ${wb.sheetNames.join(', ')})`);
  }
  const r = parseCeadsSheet(wb.grid(year), opts.region ?? 'China', { ...opts, kind: opts.kind ?? 'emissions' });
  return { inventory: r.inventory, issues: r.issues };
}

/** Parse one inventory sheet (exported for tests and other CEADs-style files). */
export function parseCeadsSheet(
  g: Grid,
  province: string,
  opts: CeadsReadOptions = {},
): { inventory: ProvinceInventory; issues: InventoryIssue[]; kind: 'emissions' | 'energy' } {
  const tol = opts.tolerance ?? 1e-6;
  const sectorNames = ceadsSectors().map((s) => s.name);
  // Header: the first row with at least 2 text cells from column B on.
  const headerRow = g.rows.findIndex((row) => row.slice(1).filter((v) => typeof v === 'string' && v.trim() !== '').length >= 2);
  if (headerRow < 0) fail(g, 'no header row of fuel names found');
  const header = g.rows[headerRow]!;
  let last = header.length - 1;
  while (last >= 1 && cellText(header[last] ?? null) === '') last--;
  const colIdx: number[] = [];
  const names: string[] = [];
  let totalCol = -1;
  for (let c = 1; c <= last; c++) {
    const name = normaliseName(cellText(header[c] ?? null));
    if (name === '') fail(g, 'empty column name in the header row', headerRow, c);
    if (c === last && /\btotal$/i.test(name)) {
      totalCol = c;
      continue;
    }
    if (names.includes(name)) fail(g, `column ${name} appears twice`, headerRow, c);
    colIdx.push(c);
    names.push(name);
  }
  // Units: the next row, if it is text.
  const unitRow = headerRow + 1;
  const units = colIdx.map((c) => {
    const v = cellAt(g, unitRow, c);
    return typeof v === 'string' ? v.trim() : '';
  });
  const hasUnits = units.some((u) => u !== '');
  const kind: 'emissions' | 'energy' = opts.kind ?? (hasUnits && units.every((u) => /co2/i.test(u)) ? 'emissions' : 'energy');
  const label = (r: number): string => normaliseName(cellText(cellAt(g, r, 0)));

  let totalRow = -1;
  for (let r = hasUnits ? unitRow + 1 : unitRow; r < g.rows.length; r++) {
    if (/^total/i.test(label(r))) {
      totalRow = r;
      break;
    }
    if (label(r) !== '')
      fail(g, `expected the total row ("Total Consumption") before sector rows, found ${JSON.stringify(label(r))}`, r, 0);
  }
  if (totalRow < 0) fail(g, 'no total row found (a row labelled "Total ..." after the header)');
  const sectorRows: number[] = [];
  let urbanRow = -1;
  for (let r = totalRow + 1; r < g.rows.length; r++) {
    const l = label(r);
    if (l === '') continue;
    if (/^urban$/i.test(l)) {
      urbanRow = r;
      break;
    }
    const k = sectorRows.length;
    if (k >= sectorNames.length) fail(g, `more than ${sectorNames.length} sector rows before "Urban" (found ${JSON.stringify(l)})`, r, 0);
    if (ceadsSectorIndex(l) !== k) {
      fail(g, `expected sector ${k + 1} "${sectorNames[k]}", found ${JSON.stringify(l)}`, r, 0);
    }
    sectorRows.push(r);
  }
  if (urbanRow < 0) fail(g, 'no "Urban" row found after the sector rows');
  if (sectorRows.length !== sectorNames.length) {
    fail(g, `expected ${sectorNames.length} sector rows, found ${sectorRows.length}`, urbanRow, 0);
  }
  let ruralRow = -1;
  for (let r = urbanRow + 1; r < g.rows.length; r++) {
    const l = label(r);
    if (l === '') continue;
    if (/^rural$/i.test(l)) ruralRow = r;
    break;
  }
  if (ruralRow < 0) fail(g, 'no "Rural" row right after "Urban"', urbanRow + 1, 0);

  const m = colIdx.length;
  const rowValues = (r: number, what: string): Float64Array => {
    const v = new Float64Array(m);
    for (let j = 0; j < m; j++) v[j] = numberAt(g, r, colIdx[j]!, `${what}, ${names[j]}`);
    return v;
  };
  const data = new Float64Array(sectorNames.length * m);
  sectorRows.forEach((r, i) => data.set(rowValues(r, sectorNames[i]!), i * m));
  const total = rowValues(totalRow, label(totalRow));
  const urban = rowValues(urbanRow, 'Urban');
  const rural = rowValues(ruralRow, 'Rural');
  const otherRows: { label: string; values: Float64Array }[] = [];
  for (let r = ruralRow + 1; r < g.rows.length; r++) {
    const l = label(r);
    if (l !== '') otherRows.push({ label: l, values: rowValues(r, l) });
  }

  const issues: InventoryIssue[] = [];
  const off = (a: number, b: number): number => {
    const d = Math.abs(a - b);
    const s = Math.max(Math.abs(a), Math.abs(b));
    return d > 1e-6 && d > tol * s ? d / s : 0;
  };
  for (let j = 0; j < m; j++) {
    let s = urban[j]! + rural[j]!;
    for (let i = 0; i < sectorNames.length; i++) s += data[i * m + j]!;
    const e = off(total[j]!, s);
    if (e > 0) issues.push({ province, check: 'column-sum', where: names[j]!, sheetValue: total[j]!, computed: s, relError: e });
  }
  if (totalCol >= 0) {
    const rowsToCheck: [string, number, Float64Array][] = [
      [label(totalRow), totalRow, total],
      ...sectorRows.map((r, i): [string, number, Float64Array] => [sectorNames[i]!, r, data.subarray(i * m, (i + 1) * m)]),
      ['Urban', urbanRow, urban],
      ['Rural', ruralRow, rural],
    ];
    for (const [name, r, v] of rowsToCheck) {
      const sheet = numberAt(g, r, totalCol, `${name}, total`);
      const s = v.reduce((a, b) => a + b, 0);
      const e = off(sheet, s);
      if (e > 0) issues.push({ province, check: 'row-total', where: name, sheetValue: sheet, computed: s, relError: e });
    }
  }
  const inventory: ProvinceInventory = {
    province,
    sectors: [...sectorNames],
    columns: names,
    units,
    data,
    households: { urban, rural },
    total,
    source: g.sheet !== undefined ? `${g.file}, sheet ${g.sheet}` : g.file,
  };
  if (otherRows.length > 0) inventory.otherRows = otherRows;
  return { inventory, issues, kind };
}
