/**
 * The paper pipeline: one Leontief model per province, intensities, accounts, checks.
 * Pure: inputs are tables already read, the kernel is passed in, nothing touches files.
 */
import type { Kernel } from '../kernel/api.js';
import type { ProvinceAccounts, SectorAccounts } from './accounts.js';
import {
  aggregateAccounts,
  otherProvincesIntensity,
  provinceAccounts,
  sectorAccounts,
} from './accounts.js';
import type { SectorMap } from './aggregation.js';
import { aggregateTable } from './aggregation.js';
import type { Check } from './checks.js';
import { relErrorInf, worstOf } from './checks.js';
import { calcA, dot, netFinalDemand, sum } from './coefficients.js';
import type { Concordance, EmissionSources, IntensityResult } from './intensities.js';
import { directIntensities } from './intensities.js';
import type { ModelOptions } from './options.js';
import type { BalanceIssue, InventoryIssue, IOTable } from './types.js';

/** The bundled reference data the model needs (src/data supplies it). */
export interface ReferenceData {
  /** IO 42 → 30 sectors. */
  to30: SectorMap;
  /** 30 sectors → 6 groups, and 42 sectors → 6 groups. */
  groups30: SectorMap;
  groups42: SectorMap;
  concordance: Concordance;
  /** False for provinces without a CEADs inventory (Tibet), which get the national intensity. */
  hasInventory(province: string): boolean;
}

export interface ModelInputs {
  /** Provincial tables at 42 sectors. */
  provinces: IOTable[];
  /** National table at 42 sectors, competitive-import form. */
  national: IOTable;
  sources: EmissionSources;
  /** Row-balance violations found by the readers. */
  balanceIssues?: BalanceIssue[];
  /** Inventory sum-check failures found by the readers. */
  inventoryIssues?: InventoryIssue[];
}

export interface ModelResult {
  options: ModelOptions;
  /** Accounts per province at the report's sector level (30, or 42 with aggregation=none). */
  provinces: ProvinceAccounts[];
  /** The same accounts summed to the 6 groups. */
  groups: Map<string, SectorAccounts>;
  intensities: IntensityResult;
  /** Total intensities t^r at the model's sector level, and t^N. */
  t: Map<string, Float64Array>;
  tNational: Float64Array;
  checks: Check[];
}

export const TOLERANCE = {
  balance: 1e-6,
  identity: 1e-6,
  sums: 1e-9,
} as const;

/** The tables at the model's sector level and their direct intensities: what every model built on them shares. */
export interface ModelSystems {
  tables: IOTable[];
  national: IOTable;
  /** Sectors of the model. */
  n: number;
  intensities: IntensityResult;
  /** t^N = d^N (I − A^N)⁻¹. */
  tNational: Float64Array;
}

/** Aggregates the tables (aggregation=before), derives d^r and t^N. */
export function modelSystems(inputs: ModelInputs, ref: ReferenceData, options: ModelOptions, kernel: Kernel): ModelSystems {
  const before = options.aggregation === 'before';
  const tables = before ? inputs.provinces.map((t) => aggregateTable(t, ref.to30)) : inputs.provinces;
  const national = before ? aggregateTable(inputs.national, ref.to30) : inputs.national;
  const n = national.sectors.length;
  for (const t of tables) {
    if (t.sectors.join() !== national.sectors.join()) {
      throw new Error(`${t.source}: sectors differ from the national table's (${national.source})`);
    }
  }
  const intensities = directIntensities(
    inputs.provinces,
    inputs.national,
    inputs.sources,
    ref.concordance,
    options,
    before ? ref.to30 : undefined,
    ref.hasInventory,
  );
  const tNational = kernel.solve(calcA(national.Z, national.x), n, intensities.dNational, { leontief: true, transposed: true });
  return { tables, national, n, intensities, tNational };
}

/** `systems` may be passed when the caller has already built them for the same inputs and options. */
export function runModel(
  inputs: ModelInputs,
  ref: ReferenceData,
  options: ModelOptions,
  kernel: Kernel,
  systems: ModelSystems = modelSystems(inputs, ref, options, kernel),
): ModelResult {
  const { tables, n, intensities, tNational } = systems;

  // One batched factorisation of I − A^r for all provinces; t^r = d^r L^r and x̂^r = L^r f^r from it.
  const count = tables.length;
  const A = new Float64Array(count * n * n);
  const d = new Float64Array(count * n);
  const f = new Float64Array(count * n);
  tables.forEach((t, r) => {
    A.set(calcA(t.Z, t.x), r * n * n);
    d.set(intensities.d.get(t.region)!, r * n);
    f.set(netFinalDemand(t), r * n);
  });
  const lu = kernel.factorBatch(A, n, count, { leontief: true });
  let tAll: Float64Array;
  let xAll: Float64Array;
  let LAll: Float64Array;
  try {
    tAll = lu.solveTransposed(d, 1);
    xAll = lu.solve(f, 1);
    // The columns of every L^r (solves with the identity), for the productiveness check L ≥ 0.
    const I = new Float64Array(count * n * n);
    for (let r = 0; r < count; r++) for (let k = 0; k < n; k++) I[r * n * n + k * n + k] = 1;
    LAll = lu.solve(I, n);
  } finally {
    lu.free();
  }
  const t = new Map<string, Float64Array>();
  const x = new Map<string, Float64Array>();
  tables.forEach((tb, r) => {
    t.set(tb.region, tAll.subarray(r * n, (r + 1) * n));
    x.set(tb.region, tb.x);
  });

  const reportMap = options.aggregation === 'after' ? ref.to30 : undefined;
  const groupMap = options.aggregation === 'none' ? ref.groups42 : ref.groups30;
  const provinces = tables.map((tb) => {
    const own = t.get(tb.region)!;
    const flows = sectorAccounts(tb.sectors, tb, {
      own,
      imports: options['import-intensity'] === 'own' ? own : tNational,
      inflows:
        options['inflow-intensity'] === 'national'
          ? tNational
          : options['inflow-intensity'] === 'own'
            ? own
            : otherProvincesIntensity(tb.region, t, x),
    });
    return provinceAccounts(tb.region, reportMap ? aggregateAccounts(flows, reportMap) : flows);
  });
  const groups = new Map(provinces.map((p) => [p.province, aggregateAccounts(p.sectors, groupMap)]));

  const checks = modelChecks(inputs, tables, A, LAll, n, xAll, provinces, t, tNational, options);
  return { options, provinces, groups, intensities, t, tNational, checks };
}

function modelChecks(
  inputs: ModelInputs,
  tables: IOTable[],
  A: Float64Array,
  L: Float64Array,
  n: number,
  xAll: Float64Array,
  provinces: ProvinceAccounts[],
  t: Map<string, Float64Array>,
  tNational: Float64Array,
  options: ModelOptions,
): Check[] {
  const balance = worstOf(
    'row balance',
    (inputs.balanceIssues ?? []).map((b) => ({ value: b.relError, where: `${b.region} sector ${b.sector}` })),
    TOLERANCE.balance,
    (w, where) =>
      inputs.balanceIssues?.length
        ? `${inputs.balanceIssues.length} rows off balance, worst ${w.toExponential(2)} at ${where}`
        : 'every row balances: x = Z1 + y + E + EP − M − MP + err',
  );
  const inventory = worstOf(
    'inventory sums',
    (inputs.inventoryIssues ?? []).map((i) => ({ value: i.relError, where: `${i.province} ${i.check} ${i.where}` })),
    TOLERANCE.balance,
    (w, where) =>
      inputs.inventoryIssues?.length
        ? `${inputs.inventoryIssues.length} inventory sums differ from the sheet's totals, worst ${w.toExponential(2)} at ${where}`
        : "sector rows add up to each inventory sheet's totals",
  );
  const identity = worstOf(
    'Leontief identity',
    tables.map((tb, r) => ({ value: relErrorInf(xAll.subarray(r * n, (r + 1) * n), tb.x), where: tb.region })),
    TOLERANCE.identity,
    (w, where) => `x = L(y + E + EP − M − MP + err): worst relative error ${w.toExponential(2)} (${where})`,
  );
  // A productive economy has L = Σ A^k ≥ 0. Columns of A summing above 1 (negative value added)
  // occur in the real tables and are named here, but only a negative L fails the check.
  const overOne = tables.flatMap((tb, r) =>
    tb.sectors.flatMap((s, j) => {
      let colSum = 0;
      for (let i = 0; i < n; i++) colSum += A[r * n * n + i * n + j];
      return colSum > 1 ? [`${tb.region} ${s} (${colSum.toFixed(3)})`] : [];
    }),
  );
  const productive = worstOf(
    'Leontief inverse nonnegative',
    tables.map((tb, r) => {
      let min = 0;
      for (let k = r * n * n; k < (r + 1) * n * n; k++) min = Math.min(min, L[k]);
      return { value: -min, where: tb.region };
    }),
    1e-12,
    (w, where) =>
      (w > 1e-12 ? `L has a negative entry ${(-w).toExponential(2)} (${where})` : 'every L ≥ 0') +
      (overOne.length ? `; column sums of A above 1: ${overOne.join(', ')}` : ''),
  );
  // Totals computed independently at the model's level (t·E) against the sums of the reported sectors.
  const sums = worstOf(
    'sector sums equal totals',
    tables.flatMap((tb, r) => {
      const p = provinces[r];
      const own = t.get(tb.region)!;
      const imp = options['import-intensity'] === 'own' ? own : tNational;
      const pairs: [string, number, Float64Array][] = [
        ['CE', dot(own, tb.E), p.sectors.CE],
        ['CEP', dot(own, tb.EP), p.sectors.CEP],
        ['CM', dot(imp, tb.M), p.sectors.CM],
      ];
      return pairs.map(([name, total, v]) => ({
        value: Math.abs(sum(v) - total) / Math.max(Math.abs(total), 1e-300),
        where: `${tb.region} ${name}`,
      }));
    }),
    TOLERANCE.sums,
    (w, where) => `worst relative gap ${w.toExponential(2)}${where ? ` (${where})` : ''}`,
  );
  return [balance, inventory, identity, productive, sums];
}
