/**
 * The data the model consumes, as the readers in src/io produce it: the types every layer above src/data shares.
 * Money in 10^4 CNY (cny10k), CO2 in Mt. Labels travel with the numbers.
 */

/** A single-region input-output table in competitive-import form (src/model/README.md, "Data and units"). */
export interface IOTable {
  /** Province id (English name as in data/provinces.csv, e.g. "Inner Mongolia") or "China". */
  region: string;
  /** IO sector codes in row/column order, e.g. "01".."42". */
  sectors: string[];
  /** Intermediate use, n×n row-major: Z[i*n+j] is sector i's product used by sector j. */
  Z: Float64Array;
  /** Domestic final use: FU101 + FU102 + FU103 + FU201 + FU202. */
  y: Float64Array;
  /** Household final use alone (FU101 + FU102), for the household scope option. */
  yHouseholds: Float64Array;
  /** Exports (EX). */
  E: Float64Array;
  /** Outflow to other provinces (OF); zeros for the national table. */
  EP: Float64Array;
  /** Imports (IM). */
  M: Float64Array;
  /** Inflow from other provinces (IF); zeros for the national table. */
  MP: Float64Array;
  /** Statistical discrepancy (ERR). */
  err: Float64Array;
  /** Total output (GO). */
  x: Float64Array;
  /** Where it was read from, for messages and run.json (file, and sheet where there is one). */
  source: string;
  /**
   * Fields the source does not provide and that the reader filled with zeros, e.g. ["yHouseholds"]
   * for the national table (its TC column does not split households from government).
   */
  unavailable?: string[];
}

/** One row-balance violation found on load: x ≠ Z1 + y + E + EP − M − MP + err. */
export interface BalanceIssue {
  region: string;
  sector: string;
  x: number;
  rhs: number;
  relError: number;
}

/**
 * A CEADs-style inventory for one province: rows are the 45 CEADs production sectors,
 * columns the fuels plus process emissions. The emission inventory is in Mt CO2; the energy
 * inventory uses the physical units given per fuel in `units`.
 */
export interface ProvinceInventory {
  /** Province id (English name as in data/provinces.csv). */
  province: string;
  /** CEADs production sector names, in sheet order (45). */
  sectors: string[];
  /** Column names: fuels, then "Process" where the sheet has it. */
  columns: string[];
  /** Unit per column, as printed in the sheet. */
  units: string[];
  /** sectors.length × columns.length, row-major. */
  data: Float64Array;
  /** Household rows (Urban, Rural), same columns. */
  households: { urban: Float64Array; rural: Float64Array };
  /** The sheet's own total row, for checks. */
  total: Float64Array;
  /**
   * Rows after Urban/Rural, in sheet order (energy inventories: "Inputs(+) outputs(-)",
   * "Thermal Power", "Heating Supply", "Coal Washing", "Coking", "Petroleum Refineries", "Gas Works",
   * "Coke Input (-)", "Briquettes", "Loss", "% Loss", "Total Consumption", "Non-Energy Use", refuelling
   * rows); same columns. Empty for the emission inventories.
   */
  otherRows?: { label: string; values: Float64Array }[];
  source: string;
}

/** A sum check of an inventory sheet that failed (returned by the readers, never thrown). */
export interface InventoryIssue {
  province: string;
  /** 'column-sum': 45 sectors + Urban + Rural ≠ the total row; 'row-total': fuels + process ≠ the sheet's total column. */
  check: 'column-sum' | 'row-total';
  /** Column (fuel) for 'column-sum', sector or row label for 'row-total'. */
  where: string;
  sheetValue: number;
  computed: number;
  relError: number;
}

export interface Inventory {
  kind: 'emissions' | 'energy';
  provinces: Map<string, ProvinceInventory>;
  source: string;
}

/** An emission factor per fuel: t CO2 per physical unit of the energy inventory. */
export interface FuelFactor {
  fuel: string;
  /** Mt CO2 per unit of the inventory's column (e.g. per 10^4 t). */
  mtPerUnit: number;
  unit: string;
  source: string;
}
