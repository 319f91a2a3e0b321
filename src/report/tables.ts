/**
 * The result tables the study shows (src/model/README.md, "Reports"), as plain rows.
 * Shares are percentages; CO2 in Mt; an index or ratio with no value is null (written empty).
 */
import type { SectorAccounts } from '../model/accounts.js';
import { comparativeIndices } from '../model/accounts.js';
import { sum } from '../model/coefficients.js';
import type { ModelResult } from '../model/pipeline.js';
import type { Cell, Rows } from '../output/table.js';

export type { Cell } from '../output/table.js';

export interface Table extends Rows {
  /** File stem, e.g. "provinces" for provinces.csv. */
  name: string;
  title: string;
}

/** Labels the tables need besides the results. */
export interface ReportContext {
  provinces: readonly { province: string; zh: string; region: string }[];
  /** The 8 economic regions in report order. */
  regions: readonly string[];
  /** Sector code → English name, at the report's sector level. */
  sectorNames: ReadonlyMap<string, string>;
}

const share = (v: number, total: number): number | null => (total === 0 ? null : (100 * v) / total);

function meta(ctx: ReportContext, province: string) {
  const m = ctx.provinces.find((p) => p.province === province);
  if (!m) throw new Error(`no metadata for province ${province}`);
  return m;
}

export function provincesTable(r: ModelResult, ctx: ReportContext): Table {
  return {
    name: 'provinces',
    title: 'Carbon embodied in trade by province (Mt CO2)',
    columns: ['province', 'province_zh', 'region', 'CE', 'CM', 'CEP', 'CMP', 'N', 'NP', 'T', 'CTT', 'CTTp', 'class'],
    rows: r.provinces.map((p) => {
      const m = meta(ctx, p.province);
      return [p.province, m.zh, m.region, p.CE, p.CM, p.CEP, p.CMP, p.N, p.NP, p.T, p.CTT, p.CTTp, p.class];
    }),
  };
}

function groupNames(r: ModelResult): string[] {
  return r.groups.values().next().value?.sectors ?? [];
}

/** N (foreign) or NP (interprovincial) net balance by province × 6 groups. */
export function balanceByGroupTable(r: ModelResult, which: 'N' | 'NP'): Table {
  const net = (g: SectorAccounts, i: number) => (which === 'N' ? g.CE[i] - g.CM[i] : g.CEP[i] - g.CMP[i]);
  const groups = groupNames(r);
  return {
    name: which === 'N' ? 'n_by_group' : 'np_by_group',
    title: `${which === 'N' ? 'Foreign' : 'Interprovincial'} net embodied carbon ${which} by province and sector group (Mt CO2)`,
    columns: ['province', ...groups],
    rows: r.provinces.map((p) => {
      const g = r.groups.get(p.province)!;
      return [p.province, ...groups.map((_, i) => net(g, i))];
    }),
  };
}

/** N by the 8 regions × 6 groups, with a total column and a total row. */
export function nByRegionGroupTable(r: ModelResult, ctx: ReportContext): Table {
  const groups = groupNames(r);
  const cells = ctx.regions.map(() => new Float64Array(groups.length));
  for (const p of r.provinces) {
    const region = ctx.regions.indexOf(meta(ctx, p.province).region);
    const g = r.groups.get(p.province)!;
    groups.forEach((_, i) => (cells[region][i] += g.CE[i] - g.CM[i]));
  }
  const totalRow = groups.map((_, i) => sum(cells.map((c) => c[i])));
  return {
    name: 'n_by_region_group',
    title: 'Foreign net embodied carbon N by economic region and sector group (Mt CO2)',
    columns: ['region', ...groups, 'total'],
    rows: [...ctx.regions.map((region, k) => [region, ...cells[k], sum(cells[k])]), ['Total', ...totalRow, sum(totalRow)]],
  };
}

function sectorRows(province: string, s: SectorAccounts, label: (code: string) => Cell[]): Cell[][] {
  const { ECC, PECC } = comparativeIndices(s);
  const [x, E, EP] = [sum(s.x), sum(s.E), sum(s.EP)];
  return s.sectors.map((code, i) => [
    province,
    ...label(code),
    s.CE[i],
    s.CM[i],
    s.CEP[i],
    s.CMP[i],
    ECC[i],
    PECC[i],
    share(s.x[i], x),
    share(s.E[i], E),
    share(s.EP[i], EP),
  ]);
}

const SECTOR_COLUMNS = ['CE', 'CM', 'CEP', 'CMP', 'ECC', 'PECC', 'output_share', 'export_share', 'outflow_share'];

/** Province × sector accounts, indices and shares (%). */
export function sectorsTable(r: ModelResult, ctx: ReportContext): Table {
  return {
    name: 'sectors',
    title: 'Embodied carbon, comparative indices and trade shares by province and sector',
    columns: ['province', 'sector', 'sector_name', ...SECTOR_COLUMNS],
    rows: r.provinces.flatMap((p) => sectorRows(p.province, p.sectors, (c) => [c, ctx.sectorNames.get(c) ?? ''])),
  };
}

/** The province profile of the study (e.g. Zhejiang vs Guizhou): the 6 groups' shares, ECC, PECC, N and NP. */
export function profilesTable(r: ModelResult): Table {
  return {
    name: 'profiles',
    title: 'Province profiles by sector group: shares (%), comparative indices, net balances (Mt CO2)',
    columns: ['province', 'group', ...SECTOR_COLUMNS, 'N', 'NP'],
    rows: r.provinces.flatMap((p) => {
      const g = r.groups.get(p.province)!;
      return sectorRows(p.province, g, (c) => [c]).map((row, i) => [...row, g.CE[i] - g.CM[i], g.CEP[i] - g.CMP[i]]);
    }),
  };
}

export function resultTables(r: ModelResult, ctx: ReportContext): Table[] {
  return [
    provincesTable(r, ctx),
    balanceByGroupTable(r, 'NP'),
    balanceByGroupTable(r, 'N'),
    nByRegionGroupTable(r, ctx),
    sectorsTable(r, ctx),
    profilesTable(r),
  ];
}
