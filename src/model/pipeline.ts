/**
 * The paper pipeline: one Leontief model per province, intensities, accounts, checks.
 * Pure: inputs are tables already read, the kernel is passed in, nothing touches files.
 */
import type { Kernel } from '../kernel/api.js';
import {
  aggregateAccounts,
  flowIntensities,
  provinceAccounts,
  sectorAccounts,
  type ProvinceAccounts,
  type SectorAccounts,
} from './accounts.js';
import type { Check } from './checks.js';
import { relErrorInf, worstOf } from './checks.js';
import { sum } from './coefficients.js';
import type { IntensityResult } from './intensities.js';
import { sectorLevels, type SectorLevels } from './levels.js';
import type { ModelOptions } from './options.js';
import { prepareModel, type PreparedModel } from './prepared.js';
import { modelSystems, type ModelSystems } from './systems.js';
import type { ModelInputs, ReferenceData } from './types.js';
import type { IOTable } from '../data/types.js';
import { balanceResiduals } from '../io/balance.js';

export interface ModelResult {
  options: ModelOptions;
  /** The sector levels `aggregation` chose. */
  levels: SectorLevels;
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

/**
 * The paper pipeline: the prepared model's evaluation with no perturbation (its `base`), with the
 * per-sector accounts the report shows and the checks. `systems` may be passed when the caller has
 * already built them for the same inputs and options.
 */
export function runModel(
  inputs: ModelInputs,
  ref: ReferenceData,
  options: ModelOptions,
  kernel: Kernel,
  systems: ModelSystems = modelSystems(inputs, ref, options, kernel),
): ModelResult {
  const m = prepareModel(inputs, ref, options, kernel, systems);
  const { n } = m;
  const levels = sectorLevels(options, ref);
  const t = new Map(m.provinces.map((p, r) => [p, m.t.subarray(r * n, (r + 1) * n)]));
  const provinces = systems.tables.map((tb, r) => {
    const flows = sectorAccounts(tb.sectors, tb, flowIntensities(m, r));
    return provinceAccounts(tb.region, levels.report ? aggregateAccounts(flows, levels.report) : flows, m.base, r);
  });
  const groups = new Map(provinces.map((p) => [p.province, aggregateAccounts(p.sectors, levels.groups)]));
  const checks = modelChecks(inputs, systems.tables, m, provinces);
  return { options, levels, provinces, groups, intensities: m.intensities, t, tNational: m.tN, checks };
}

function modelChecks(inputs: ModelInputs, tables: IOTable[], m: PreparedModel, provinces: ProvinceAccounts[]): Check[] {
  const { n, A, L, xHat } = m;
  // The reader's issues fail the check; every row's residual (dust below the reader's tolerances
  // included) makes the reported worst the actual one.
  const balanceIssues = inputs.balanceIssues ?? [];
  const balance = worstOf(
    'row balance',
    [
      ...balanceIssues.map((b) => ({ value: b.relError, where: `${b.region} sector ${b.sector}` })),
      ...[...inputs.provinces, inputs.national].flatMap((tb) =>
        Array.from(balanceResiduals(tb), (value, i) => ({ value, where: `${tb.region} sector ${tb.sectors[i]}` })),
      ),
    ],
    TOLERANCE.balance,
    (w, where) =>
      balanceIssues.length
        ? `${balanceIssues.length} rows off balance, worst ${w.toExponential(2)} at ${where}`
        : `every row balances: x = Z1 + y + E + EP − M − MP + err${w > 0 ? ` (worst relative residual ${w.toExponential(2)} at ${where})` : ''}`,
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
    tables.map((tb, r) => ({ value: relErrorInf(xHat.subarray(r * n, (r + 1) * n), tb.x), where: tb.region })),
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
  // The reported sectors add up to the province totals of the evaluation.
  const sums = worstOf(
    'sector sums equal totals',
    provinces.flatMap((p, r) => {
      const pairs: [string, number, Float64Array][] = [
        ['CE', m.base.CE[r], p.sectors.CE],
        ['CEP', m.base.CEP[r], p.sectors.CEP],
        ['CM', m.base.CM[r], p.sectors.CM],
      ];
      return pairs.map(([name, total, v]) => ({
        value: Math.abs(sum(v) - total) / Math.max(Math.abs(total), 1e-300),
        where: `${p.province} ${name}`,
      }));
    }),
    TOLERANCE.sums,
    (w, where) => `worst relative gap ${w.toExponential(2)}${where ? ` (${where})` : ''}`,
  );
  return [balance, inventory, identity, productive, sums];
}
