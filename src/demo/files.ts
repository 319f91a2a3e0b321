/**
 * Node only: write the synthetic dataset as files in the layouts of the real sources, so users can
 * see what the readers expect and the readers can be tested end to end:
 *
 *   <dir>/cn-io-2017/provinces/NN-<省名>.csv   NBS provincial layout (title rows, header block, code
 *                                              row 01..42 TIU FU101 FU102 THC FU103 TC FU201 FU202 GCF
 *                                              EX OF TFU IM IF ERR GO; rows 01..42 TII VA001..VA004 TVA TI)
 *   <dir>/cn-io-2017/national/china_2017_42.csv non-competitive national table (Domestic and Imports
 *                                              rows per product, as distributed by the R package ionet)
 *   <dir>/ceads-2017/Emission_Inventories_for_30_Provinces_2017.xlsx  CEADs layout, one sheet per province
 *   <dir>/ceads-2017/省级能源清单_2017.xlsx       CEADs energy inventory layout (physical units, transformation rows)
 *   <dir>/README.txt                           says the numbers are synthetic
 */
import { mkdirSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import * as XLSX from '@e965/xlsx';
import { bundledData, ceadsSectors, provinces as allProvinces, sectors42 } from '../data/index.js';
import { csvText } from '../output/csv.js';
import { formatNumber } from '../output/number.js';
import { demoDataset, DEMO_SEED, type DemoDataset, type DemoIOTable } from './dataset.js';

export interface DemoFiles {
  provinces: string[];
  national: string;
  emissions: string;
  energy: string;
  readme: string;
}

type Cell = string | number | null;

const FINAL_COLUMNS = ['TIU', 'FU101', 'FU102', 'THC', 'FU103', 'TC', 'FU201', 'FU202', 'GCF', 'EX', 'OF', 'TFU', 'IM', 'IF', 'ERR', 'GO'];

function num(v: number): number {
  return v === 0 ? 0 : v; // no "-0" in files
}

/** The provincial table as a grid in the NBS layout (61 columns). */
function provincialGrid(t: DemoIOTable, provinceZh: string, seed: number): Cell[][] {
  const n = t.sectors.length;
  const s42 = sectors42();
  const width = 3 + n + FINAL_COLUMNS.length;
  const blank = (): Cell[] => Array.from({ length: width }, () => null);
  const c0 = 3 + n; // column of TIU
  const at = (code: string) => c0 + FINAL_COLUMNS.indexOf(code);
  const rows: Cell[][] = [];
  const title = blank();
  title[0] = `${provinceZh}2017年投入产出表（示例：合成数据 seed ${seed}，非统计数据）`;
  rows.push(title);
  const r1 = blank();
  r1[0] = '（按当年生产者价格计算）';
  rows.push(r1);
  const r2 = blank();
  r2[0] = '单位：万元';
  rows.push(r2);
  const h3 = blank();
  h3[0] = '产出 / 投入';
  h3[2] = '代码';
  h3[3] = '中间使用';
  h3[at('FU101')] = '最终使用';
  h3[at('IM')] = '进口';
  h3[at('IF')] = '国内省外流入';
  h3[at('ERR')] = '其他';
  h3[at('GO')] = '总产出';
  rows.push(h3);
  const h4 = blank();
  t.sectors.forEach((c, j) => (h4[3 + j] = s42.find((s) => s.code === c)?.zh ?? c));
  h4[at('TIU')] = '中间使用合计';
  h4[at('FU101')] = '最终消费';
  h4[at('FU201')] = '资本形成总额';
  h4[at('EX')] = '出口';
  h4[at('OF')] = '国内省外流出';
  h4[at('TFU')] = '最终使用合计';
  rows.push(h4);
  const h5 = blank();
  h5[at('FU101')] = '居民消费';
  h5[at('FU103')] = '政府消费';
  h5[at('TC')] = '合计';
  h5[at('FU201')] = '固定资本形成总额';
  h5[at('FU202')] = '存货变动';
  h5[at('GCF')] = '合计';
  rows.push(h5);
  const h6 = blank();
  h6[at('FU101')] = '农村居民消费';
  h6[at('FU102')] = '城镇居民消费';
  h6[at('THC')] = '小计';
  rows.push(h6);
  const codes = blank();
  codes[0] = '代码';
  codes[2] = '-';
  t.sectors.forEach((c, j) => (codes[3 + j] = c));
  FINAL_COLUMNS.forEach((c, k) => (codes[c0 + k] = c));
  rows.push(codes);

  const d = t.detail;
  const colTotals = new Float64Array(width);
  for (let i = 0; i < n; i++) {
    const r = blank();
    r[0] = i === 0 ? '中间投入' : null;
    r[1] = s42.find((s) => s.code === t.sectors[i])?.zh ?? t.sectors[i]!;
    r[2] = t.sectors[i]!;
    let tiu = 0;
    for (let j = 0; j < n; j++) {
      const z = t.Z[i * n + j]!;
      r[3 + j] = num(z);
      tiu += z;
    }
    const thc = d.FU101[i]! + d.FU102[i]!;
    const tc = thc + d.FU103[i]!;
    const gcf = d.FU201[i]! + d.FU202[i]!;
    const tfu = tc + gcf + t.E[i]! + t.EP[i]!;
    const vals: Record<string, number> = {
      TIU: tiu,
      FU101: d.FU101[i]!,
      FU102: d.FU102[i]!,
      THC: thc,
      FU103: d.FU103[i]!,
      TC: tc,
      FU201: d.FU201[i]!,
      FU202: d.FU202[i]!,
      GCF: gcf,
      EX: t.E[i]!,
      OF: t.EP[i]!,
      TFU: tfu,
      IM: t.M[i]!,
      IF: t.MP[i]!,
      ERR: t.err[i]!,
      GO: t.x[i]!,
    };
    for (const c of FINAL_COLUMNS) r[at(c)] = num(vals[c]!);
    for (let k = 3; k < width; k++) colTotals[k]! += (r[k] as number) ?? 0;
    rows.push(r);
  }
  const tii = blank();
  tii[1] = '中间投入合计';
  tii[2] = 'TII';
  for (let k = 3; k < width; k++) tii[k] = num(colTotals[k]!);
  rows.push(tii);
  const vaNames = ['劳动者报酬', '生产税净额', '固定资产折旧', '营业盈余'];
  const tva = new Float64Array(n);
  d.VA.forEach((va, k) => {
    const r = blank();
    r[0] = k === 0 ? '增加值' : null;
    r[1] = vaNames[k]!;
    r[2] = `VA00${k + 1}`;
    let s = 0;
    for (let j = 0; j < n; j++) {
      r[3 + j] = num(va[j]!);
      s += va[j]!;
      tva[j]! += va[j]!;
    }
    r[c0] = num(s);
    rows.push(r);
  });
  const tvaRow = blank();
  tvaRow[1] = '增加值合计';
  tvaRow[2] = 'TVA';
  for (let j = 0; j < n; j++) tvaRow[3 + j] = num(tva[j]!);
  tvaRow[c0] = num(tva.reduce((a, b) => a + b, 0));
  rows.push(tvaRow);
  const ti = blank();
  ti[0] = '总投入';
  ti[2] = 'TI';
  for (let j = 0; j < n; j++) ti[3 + j] = num(t.x[j]!);
  ti[c0] = num(t.x.reduce((a, b) => a + b, 0));
  rows.push(ti);
  return rows;
}

function rQuote(v: Cell): string {
  if (v === null) return 'NA';
  if (typeof v === 'number') return formatNumber(v);
  return `"${v.replace(/"/g, '""')}"`;
}

/**
 * The national table in the non-competitive form of china_2017_42.csv. Imports of product i are
 * split over its uses in proportion (import share m_i = M_i / (Z_i1 + y_i + E_i)), so that the
 * Imports rows' GO is M_i and Domestic GO is x_i.
 */
function nationalCsv(t: DemoIOTable): string {
  const n = t.sectors.length;
  const s42 = sectors42();
  const header: Cell[] = [
    '',
    'Code',
    'Description',
    'DescriptionInChinese',
    'Origin',
    ...t.sectors,
    'TIU',
    'TC',
    'FU201',
    'FU202',
    'EX',
    'TFU',
    'GO',
  ];
  const lines = [header.map((h) => rQuote(h)).join(',')];
  const d = t.detail;
  const width = n + 7;
  const totals = new Float64Array(width);
  let rowNo = 0;
  const name = (c: string) => s42.find((s) => s.code === c);
  for (const origin of ['Domestic', 'Imports'] as const) {
    for (let i = 0; i < n; i++) {
      let u = 0;
      for (let j = 0; j < n; j++) u += t.Z[i * n + j]!;
      const use = u + t.y[i]! + t.E[i]!;
      const m = use > 0 ? t.M[i]! / use : 0;
      const f = origin === 'Domestic' ? 1 - m : m;
      const vals: number[] = [];
      let tiu = 0;
      for (let j = 0; j < n; j++) {
        const z = f * t.Z[i * n + j]!;
        vals.push(z);
        tiu += z;
      }
      const tc = f * (d.FU101[i]! + d.FU102[i]! + d.FU103[i]!);
      const fu201 = f * d.FU201[i]!;
      const fu202 = f * d.FU202[i]!;
      const ex = f * t.E[i]!;
      const tfu = tc + fu201 + fu202 + ex;
      vals.push(tiu, tc, fu201, fu202, ex, tfu, tiu + tfu);
      vals.forEach((v, k) => (totals[k]! += v));
      const s = name(t.sectors[i]!);
      lines.push([String(++rowNo), t.sectors[i]!, s?.en ?? '', s?.zh ?? '', origin].map(rQuote).concat(vals.map(formatNumber)).join(','));
    }
  }
  const tot = (code: string, en: string, zh: string, vals: (number | null)[]) =>
    lines.push(
      [String(++rowNo), code, en, zh, 'TOT']
        .map(rQuote)
        .concat(vals.map((v) => (v === null ? 'NA' : String(num(v)))))
        .join(','),
    );
  tot('TII', 'Total intermediate input', '中间投入合计', Array.from(totals));
  const vaLabels: [string, string][] = [
    ['Compensation of employees', '劳动者报酬'],
    ['Net taxes on production', '生产税净额'],
    ['Depreciation of fixed assets', '固定资产折旧'],
    ['Operating surplus', '营业盈余'],
  ];
  const na6 = [null, null, null, null, null, null];
  const tva = new Float64Array(n);
  d.VA.forEach((va, k) => {
    va.forEach((v, j) => (tva[j]! += v));
    tot(`VA00${k + 1}`, vaLabels[k]![0], vaLabels[k]![1], [...va, va.reduce((a, b) => a + b, 0), ...na6]);
  });
  tot('TVA', 'Total value-added', '增加值合计', [...tva, tva.reduce((a, b) => a + b, 0), ...na6]);
  tot('TI', 'Total inputs', '总投入', [...t.x, t.x.reduce((a, b) => a + b, 0), ...na6]);
  return `${lines.join('\n')}\n`;
}

/** The emission inventory as a CEADs-layout workbook: a NOTE sheet, then one sheet per province. */
function inventoryWorkbook(ds: DemoDataset, seed: number): XLSX.WorkBook {
  const wb = XLSX.utils.book_new();
  XLSX.utils.book_append_sheet(
    wb,
    XLSX.utils.aoa_to_sheet([
      [
        'Introduction/简介',
        `SYNTHETIC demo data (embodied, seed ${seed}) in the layout of the CEADs provincial CO2 emission inventories. Not real emissions.`,
      ],
      ['Content/内容', 'CO2 emission inventory by IPCC sectoral approach (layout only)'],
      ['Unit/单位', 'Mt'],
    ]),
    'NOTE',
  );
  const extra = ['Scope 2 Heat', 'Scope 2 Electricity', 'Other Energy'];
  const fuels = bundledData().ipccFuels.map((f) => f.fuel);
  const header: Cell[] = [null, ...fuels, ...extra, 'Process', 'Scope 1 Total'];
  const units: Cell[] = [null, ...header.slice(1).map(() => 'Mt CO2')];
  const nf = fuels.length;
  const line = (label: string, v: ArrayLike<number>): Cell[] => {
    const fuels = Array.from({ length: nf }, (_, f) => num(v[f]!));
    const process = v[nf]!;
    const scope1 = fuels.reduce((a, b) => a + b, 0) + process;
    return [label, ...fuels, 0, 0, 0, num(process), num(scope1)];
  };
  for (const { province, ceadsSheet } of allProvinces()) {
    const inv = ds.emissions.provinces.get(province);
    if (!inv || ceadsSheet === '') continue;
    const nc = inv.columns.length;
    const aoa: Cell[][] = [header, units, [], line('Total Consumption', inv.total)];
    // The real sheets pad most sector labels with trailing blanks; so do we (readers must trim).
    inv.sectors.forEach((s, k) => aoa.push(line(k % 3 === 0 ? s : s.padEnd(57), inv.data.subarray(k * nc, (k + 1) * nc))));
    aoa.push(line('Urban', inv.households.urban), line('Rural', inv.households.rural));
    XLSX.utils.book_append_sheet(wb, XLSX.utils.aoa_to_sheet(aoa), ceadsSheet);
  }
  return wb;
}

/** The energy inventory as a CEADs-layout workbook (energy labels, unit row, transformation rows). */
function energyWorkbook(ds: DemoDataset, seed: number): XLSX.WorkBook {
  const wb = XLSX.utils.book_new();
  XLSX.utils.book_append_sheet(
    wb,
    XLSX.utils.aoa_to_sheet([
      [
        'Introduction/简介',
        `SYNTHETIC demo data (embodied, seed ${seed}) in the layout of the CEADs provincial energy inventories. Not real energy use.`,
      ],
    ]),
    'NOTE',
  );
  const labels = ceadsSectors().map((s) => s.nameEnergy);
  for (const { province, ceadsSheet } of allProvinces()) {
    const inv = ds.energy.provinces.get(province);
    if (!inv || ceadsSheet === '') continue;
    const nc = inv.columns.length;
    const line = (label: string | null, v: ArrayLike<number>): Cell[] => [label, ...Array.from({ length: nc }, (_, c) => num(v[c]!))];
    const zero = new Float64Array(nc);
    const aoa: Cell[][] = [['Energy_inventory', ...inv.columns], ['unit', ...inv.units], line('Total Final Consumption', inv.total)];
    labels.forEach((l, k) => aoa.push(line(l, inv.data.subarray(k * nc, (k + 1) * nc))));
    aoa.push(line('Urban', inv.households.urban), line('Rural', inv.households.rural), line(null, zero), line(null, zero));
    for (const row of inv.otherRows ?? []) {
      if (row.label === 'Loss' || row.label === 'Non-Energy Use' || row.label.startsWith('China Airplanes')) aoa.push(line(null, zero));
      aoa.push(line(row.label, row.values));
    }
    XLSX.utils.book_append_sheet(wb, XLSX.utils.aoa_to_sheet(aoa), ceadsSheet);
  }
  return wb;
}

/** Write the dataset (default: demoDataset(seed)) under `dir` in the real layouts; returns the paths. */
export function writeDemoFiles(dir: string, opts: { seed?: number; dataset?: DemoDataset } = {}): DemoFiles {
  const seed = opts.seed ?? DEMO_SEED;
  const ds = opts.dataset ?? demoDataset(seed);
  const provDir = join(dir, 'cn-io-2017', 'provinces');
  const natDir = join(dir, 'cn-io-2017', 'national');
  const ceadsDir = join(dir, 'ceads-2017');
  for (const d of [provDir, natDir, ceadsDir]) mkdirSync(d, { recursive: true });

  const provinces = ds.provinces.map((t, r) => {
    const { code, zh } = allProvinces()[r]!;
    const path = join(provDir, `${code}-${zh}.csv`);
    writeFileSync(path, csvText(provincialGrid(t, zh, seed)));
    return path;
  });
  const national = join(natDir, 'china_2017_42.csv');
  writeFileSync(national, nationalCsv(ds.national));
  const emissions = join(ceadsDir, 'Emission_Inventories_for_30_Provinces_2017.xlsx');
  writeFileSync(emissions, XLSX.write(inventoryWorkbook(ds, seed), { type: 'buffer', bookType: 'xlsx' }) as Buffer);
  const energy = join(ceadsDir, '省级能源清单_2017.xlsx');
  writeFileSync(energy, XLSX.write(energyWorkbook(ds, seed), { type: 'buffer', bookType: 'xlsx' }) as Buffer);
  const readme = join(dir, 'README.txt');
  writeFileSync(
    readme,
    [
      `SYNTHETIC demo data written by embodied (seed ${seed}). Invented numbers, not statistics.`,
      'Same layouts as the real sources, for trying the tool and testing readers:',
      '  cn-io-2017/provinces/NN-<name>.csv   31 provincial IO tables, NBS layout, 10^4 CNY',
      '  cn-io-2017/national/china_2017_42.csv   national IO table, non-competitive import form, 10^4 CNY',
      '  ceads-2017/Emission_Inventories_for_30_Provinces_2017.xlsx   CO2 by province x 45 sectors x 17 fuels + process, Mt',
      '  ceads-2017/省级能源清单_2017.xlsx   energy use by province x 45 sectors x fuel (10^4 t, 10^8 m3, ...), with transformation rows',
      '',
    ].join('\n'),
  );
  return { provinces, national, emissions, energy, readme };
}
