/**
 * One recompute as the page shows it: scalings applied to the inputs, runModel, and the result
 * tables of `embodied run` (report/tables.ts), as plain structured-cloneable rows. Browser-safe
 * (the worker runs it) and usable from Node (the end-to-end test compares against it).
 */
import type { BundledData } from '../data/parse.js';
import { REGIONS } from '../data/parse.js';
import type { Kernel } from '../kernel/api.js';
import type { ProvinceAccounts } from '../model/accounts.js';
import type { Check } from '../model/checks.js';
import type { ModelOptions } from '../model/options.js';
import { runModel } from '../model/pipeline.js';
import type { ModelInputs } from '../model/types.js';
import { referenceDataOf } from '../model/reference.js';
import { resultTables, type Table } from './tables.js';
import { applyScalings, type Scalings } from '../model/scenario.js';

/** One province's row of provinces.csv, typed: its accounts without the sector detail. CO2 in Mt. */
export type ProvinceRow = Omit<ProvinceAccounts, 'sectors'> & { zh: string; region: string };

export interface ComputeResult {
  options: ModelOptions;
  scalings: Scalings;
  kernel: string;
  provinces: ProvinceRow[];
  /** The 6 group names, and NP (Mt CO2) by province × group in the same order. */
  groups: string[];
  npByGroup: Record<string, number[]>;
  /** Every table `embodied run` writes as CSV (provinces, np_by_group, n_by_group, n_by_region_group, sectors, profiles). */
  tables: Table[];
  checks: Check[];
  /** Wall time of applyScalings + runModel + tables, ms. */
  ms: number;
}

function provinceRows(provincesTable: Table): ProvinceRow[] {
  const col = (name: string) => provincesTable.columns.indexOf(name);
  const keys = ['province', 'zh', 'region', 'CE', 'CM', 'CEP', 'CMP', 'N', 'NP', 'T', 'CTT', 'CTTp', 'class'] as const;
  const names = ['province', 'province_zh', 'region', 'CE', 'CM', 'CEP', 'CMP', 'N', 'NP', 'T', 'CTT', 'CTTp', 'class'];
  const idx = names.map(col);
  return provincesTable.rows.map((r) => Object.fromEntries(keys.map((k, i) => [k, r[idx[i]!]])) as unknown as ProvinceRow);
}

const refCache = new WeakMap<BundledData, ReturnType<typeof referenceDataOf>>();

function refOf(data: BundledData) {
  let ref = refCache.get(data);
  if (!ref) refCache.set(data, (ref = referenceDataOf(data)));
  return ref;
}

export function compute(inputs: ModelInputs, data: BundledData, options: ModelOptions, scalings: Scalings, kernel: Kernel): ComputeResult {
  const t0 = performance.now();
  const result = runModel(applyScalings(inputs, scalings), refOf(data), options, kernel);
  const tables = resultTables(result, { provinces: data.provinces, regions: REGIONS, sectorNames: result.levels.reportNames });
  const np = tables.find((t) => t.name === 'np_by_group')!;
  const npByGroup: Record<string, number[]> = {};
  for (const row of np.rows) npByGroup[row[0] as string] = row.slice(1) as number[];
  const ms = performance.now() - t0;
  return {
    options,
    scalings,
    kernel: kernel.name,
    provinces: provinceRows(tables[0]!),
    groups: np.columns.slice(1),
    npByGroup,
    tables,
    checks: result.checks,
    ms,
  };
}
