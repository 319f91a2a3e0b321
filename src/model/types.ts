/** What the model takes: the inputs as the readers produce them, and the bundled reference data. */
import type { SectorMap } from './aggregation.js';
import type { Concordance, EmissionSources } from './intensities.js';
import type { BalanceIssue, InventoryIssue, IOTable } from '../data/types.js';

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
  /** Code → name of the sectors at each level. */
  sectorNames: { 30: ReadonlyMap<string, string>; 42: ReadonlyMap<string, string> };
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
