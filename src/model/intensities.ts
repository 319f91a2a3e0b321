/**
 * Direct CO2 intensities d (Mt per 10^4 CNY) as src/model/README.md, "Direct intensities", sets out:
 * national sector intensities from the summed (or national) inventory, rescaled per province
 * by the ratio of its aggregate intensity to the national one (direct-intensity=rescaled-national),
 * or each province's own inventory over its own output (provincial-inventory).
 */
import type { CeadsSector, ConcordanceEntry } from '../data/parse.js';
import { concordanceMatrixOf } from '../data/lookup.js';
import type { SectorMap } from './aggregation.js';
import { aggregateVector } from './aggregation.js';
import { sum } from './coefficients.js';
import type { ModelOptions } from './options.js';
import type { FuelFactor, IOTable, Inventory, ProvinceInventory } from '../data/types.js';

export interface EmissionSources {
  /** CEADs emission inventory (Mt CO2), the default source. */
  emissions?: Inventory;
  /** CEADs energy inventory and factors per fuel, for emission-source=energy. */
  energy?: Inventory;
  factors?: FuelFactor[];
  /** National inventory for national-emissions=national-inventory. */
  nationalInventory?: ProvinceInventory;
}

export interface IntensityResult {
  /** d^r per province id, at the model's sector level. */
  d: Map<string, Float64Array>;
  /** The national d (= d^N), at the model's sector level. */
  dNational: Float64Array;
  /** National sector CO2 C_i at the model's sector level (Mt). */
  C: Float64Array;
  /** Aggregate intensities c^r and c (Mt per 10^4 CNY). */
  cProvince: Map<string, number>;
  cNational: number;
  /** Provincial total CO2 behind c^r (Mt), after the scope option. */
  provinceTotal: Map<string, number>;
  /** Provinces given the national intensity because they have no inventory (Tibet). */
  nationalFallback: string[];
  /**
   * Each inventoried province's production-sector CO2 C^r_i at the model's sector level (Mt), mapped
   * with its own outputs (and, under electricity=consumer, its power CO2 moved with its own row 24):
   * what d^r_i x^r_i gives back under provincial-inventory.
   */
  provinceCO2: Map<string, Float64Array>;
  /** What the reports must say: provinces left with d^N, sectors with CO2 but no output (provincial-inventory). */
  warnings: string[];
}

/** The code of the power and heat sector, whose CO2 moves under electricity=consumer. */
const POWER_SECTOR = '24';

const NOT_SCOPE1 = /^(scope|other.?energy|heat$|electricity$)|total/i;

/** Scope-1 CO2 of each inventory row from the emission inventory: fuels + process, without scope-2 and total columns. */
function scope1Rows(inv: ProvinceInventory, row: (k: number) => Float64Array | ArrayLike<number>, nRows: number): Float64Array {
  const keep = inv.columns.map((c) => !NOT_SCOPE1.test(c.trim()));
  const out = new Float64Array(nRows);
  for (let k = 0; k < nRows; k++) {
    const r = row(k);
    for (let c = 0; c < keep.length; c++) if (keep[c]) out[k] += r[c];
  }
  return out;
}

function inventoryRow(inv: ProvinceInventory, k: number): Float64Array {
  const m = inv.columns.length;
  return inv.data.subarray(k * m, (k + 1) * m);
}

/** CO2 by CEADs sector, and households, for one province under the chosen emission source. */
function sectorCO2(
  province: string,
  sources: EmissionSources,
  source: ModelOptions['emission-source'],
): { sectors: string[]; co2: Float64Array; households: number; source: string } | undefined {
  if (source === 'ceads') {
    const inv = sources.emissions?.provinces.get(province);
    if (!inv) return undefined;
    const co2 = scope1Rows(inv, (k) => inventoryRow(inv, k), inv.sectors.length);
    const hh = scope1Rows(inv, (k) => (k === 0 ? inv.households.urban : inv.households.rural), 2);
    return { sectors: inv.sectors, co2, households: hh[0] + hh[1], source: inv.source };
  }
  const inv = sources.energy?.provinces.get(province);
  if (!inv) return undefined;
  if (!sources.factors) throw new Error('emission-source=energy needs emission factors (--factors, or the bundled IPCC 2006 defaults)');
  const factor = new Float64Array(inv.columns.length);
  const byFuel = new Map(sources.factors.map((f) => [normaliseFuel(f.fuel), f.mtPerUnit]));
  inv.columns.forEach((c, i) => (factor[i] = byFuel.get(normaliseFuel(c)) ?? 0));
  const burn = (r: ArrayLike<number>) => {
    let s = 0;
    for (let c = 0; c < factor.length; c++) s += Math.max(0, r[c]) * factor[c];
    return s;
  };
  // Fuel used as feedstock ("Non-Energy Use", one row per fuel) is not burnt: it is taken out of
  // every sector's final use of that fuel pro rata, as the inventory does not say which sector used it.
  const m = inv.columns.length;
  const burnt = new Float64Array(m).fill(1);
  const nonEnergy = inv.otherRows?.find((r) => NON_ENERGY_ROW.test(r.label.trim()));
  if (nonEnergy) {
    for (let c = 0; c < m; c++) {
      let use = 0;
      for (let k = 0; k < inv.sectors.length; k++) use += Math.max(0, inv.data[k * m + c]);
      if (use > 0) burnt[c] = Math.min(1, Math.max(0, 1 - nonEnergy.values[c] / use));
    }
  }
  const co2 = new Float64Array(inv.sectors.length);
  for (let k = 0; k < co2.length; k++) co2[k] = burn(inventoryRow(inv, k).map((v, c) => v * burnt[c]));
  // Fuel burnt in thermal power and heating plants is booked to the power sector, as CEADs does.
  const power = inv.sectors.findIndex((s) => POWER_SECTOR_ROW.test(s));
  if (power < 0) throw new Error(`${inv.source}: no electric power sector row to book power-plant fuel to`);
  for (const row of inv.otherRows ?? []) if (POWER_PLANT_ROWS.test(row.label.trim())) co2[power] += burn(row.values);
  return { sectors: inv.sectors, co2, households: burn(inv.households.urban) + burn(inv.households.rural), source: inv.source };
}

/** Transformation rows of the energy inventory whose fuel inputs (positive entries) are burnt for power and heat. */
const POWER_PLANT_ROWS = /^(thermal power|heating supply)$/i;
const NON_ENERGY_ROW = /^non.?energy use$/i;
/** The CEADs power sector ("Production and Supply of Electric Power, Steam and Hot Water"), not electric equipment. */
const POWER_SECTOR_ROW = /electric power/i;

export function normaliseFuel(name: string): string {
  return name
    .toLowerCase()
    .replace(/[^a-z0-9]+/g, ' ')
    .trim();
}

/** The CEADs sectors and their concordance onto IO sectors (data/ceads-sectors.csv, data/ceads-to-io.csv). */
export interface Concordance {
  ceadsSectors: readonly CeadsSector[];
  entries: readonly ConcordanceEntry[];
}

/**
 * Maps CO2 by CEADs sector (in sheet order) onto the IO sectors of `table`; shares marked 'output'
 * follow the table's own outputs. The inventory's row labels must be the concordance's sectors.
 */
function toIOSectors(
  inventorySectors: readonly string[],
  co2: Float64Array,
  table: IOTable,
  concordance: Concordance,
  inventorySource: string,
): Float64Array {
  const cs = concordance.ceadsSectors;
  if (inventorySectors.length !== cs.length) {
    throw new Error(`${inventorySource}: ${inventorySectors.length} sector rows, the CEADs concordance has ${cs.length}`);
  }
  inventorySectors.forEach((name, k) => {
    const key = normaliseSector(name);
    if (key !== normaliseSector(cs[k].name) && key !== normaliseSector(cs[k].nameEnergy)) {
      throw new Error(`${inventorySource}: sector row ${k + 1} is "${name.trim()}", expected "${cs[k].name}"`);
    }
  });
  const n = table.sectors.length;
  const W = concordanceMatrixOf(cs, concordance.entries, table.sectors, table.x);
  const out = new Float64Array(n);
  for (let k = 0; k < cs.length; k++) {
    if (co2[k] === 0) continue;
    for (let i = 0; i < n; i++) out[i] += W[k * n + i] * co2[k];
  }
  return out;
}

function normaliseSector(name: string): string {
  return name
    .toLowerCase()
    .replace(/[^a-z0-9]+/g, ' ')
    .trim();
}

/**
 * d^r_i = C^r_i / x^r_i, a province's own intensities. A sector with CO2 but no output gets 0 and a
 * warning naming it (its CO2 is then in no account), never a division by zero.
 */
export function ownIntensities(
  C: ArrayLike<number>,
  x: ArrayLike<number>,
  province: string,
  sectors: readonly string[],
  warnings: string[],
): Float64Array {
  const d = new Float64Array(C.length);
  for (let i = 0; i < C.length; i++) {
    if (x[i] > 0) d[i] = C[i] / x[i];
    else if (C[i] !== 0)
      warnings.push(
        `${province}, sector ${sectors[i]}: ${C[i]} Mt CO2 in the inventory but output ${x[i]}; its direct intensity is set to 0, so this CO2 is in no account`,
      );
  }
  return d;
}

/** What the reports say of a province without inventory under direct-intensity=provincial-inventory. */
export function noInventoryWarning(province: string): string {
  return `${province}: no inventory; direct-intensity=provincial-inventory keeps the national intensities d for it, as the study does`;
}

/** Moves the power sector's CO2 to the sectors that use power, pro rata to their intermediate use of it (row 24 of Z). */
function reassignPower(C: Float64Array, table: IOTable): Float64Array {
  const n = table.sectors.length;
  const p = table.sectors.indexOf(POWER_SECTOR);
  if (p < 0) throw new Error(`${table.source}: no power sector ${POWER_SECTOR} to reassign`);
  const use = table.Z.subarray(p * n, (p + 1) * n);
  const total = sum(use);
  if (total <= 0) return C;
  const out = C.slice();
  out[p] = 0;
  for (let j = 0; j < n; j++) out[j] += (C[p] * use[j]) / total;
  return out;
}

/**
 * d^r for every province and d for the nation.
 * @param provinces the provincial tables at 42 sectors (the concordance's level)
 * @param national the national table at 42 sectors
 * @param map the model's aggregation (42 → 30) or undefined to stay at 42
 * @param hasInventory whether a province is expected in the inventory (false: Tibet, which gets d)
 */
export function directIntensities(
  provinces: readonly IOTable[],
  national: IOTable,
  sources: EmissionSources,
  concordance: Concordance,
  options: ModelOptions,
  map: SectorMap | undefined,
  hasInventory: (province: string) => boolean,
): IntensityResult {
  const n42 = national.sectors.length;
  let C42: Float64Array = new Float64Array(n42);
  const provinceTotal = new Map<string, number>();
  const nationalFallback: string[] = [];
  const provinceCO2 = new Map<string, Float64Array>();
  const warnings: string[] = [];
  const inventoryName = options['emission-source'] === 'ceads' ? 'emission inventory' : 'energy inventory';

  // An option that needs an inventory the user did not give: say which flag, not which sheet is absent.
  const energy = options['emission-source'] === 'energy';
  if (energy ? !sources.energy : !sources.emissions) {
    throw new Error(
      energy
        ? 'emission-source=energy needs the energy inventory (--energy FILE); only a CO2 emission inventory (--emissions) was given'
        : 'emission-source=ceads needs the CO2 emission inventory (--emissions FILE); only an energy inventory (--energy) was given: add -O emission-source=energy to use it',
    );
  }
  for (const t of provinces) {
    const s = sectorCO2(t.region, sources, options['emission-source']);
    if (!s) {
      if (hasInventory(t.region)) {
        throw new Error(`the ${inventoryName} has no sheet for ${t.region} (needed for ${t.source})`);
      }
      nationalFallback.push(t.region);
      continue;
    }
    const io = toIOSectors(s.sectors, s.co2, t, concordance, s.source);
    for (let i = 0; i < n42; i++) C42[i] += io[i];
    const own = options.electricity === 'consumer' ? reassignPower(io, t) : io;
    provinceCO2.set(t.region, map ? aggregateVector(own, map) : own);
    provinceTotal.set(t.region, sum(s.co2) + (options.scope === 'production+households' ? s.households : 0));
  }
  if (options['national-emissions'] === 'national-inventory') {
    const inv = sources.nationalInventory;
    if (!inv) throw new Error('national-emissions=national-inventory needs the national inventory (--national-inventory FILE)');
    const co2 = scope1Rows(inv, (k) => inventoryRow(inv, k), inv.sectors.length);
    C42 = toIOSectors(inv.sectors, co2, national, concordance, inv.source);
  }
  if (options.electricity === 'consumer') C42 = reassignPower(C42, national);

  const C = map ? aggregateVector(C42, map) : C42;
  const xN = map ? aggregateVector(national.x, map) : national.x;
  const dNational = new Float64Array(C.length);
  for (let i = 0; i < C.length; i++) dNational[i] = xN[i] > 0 ? C[i] / xN[i] : 0;
  const cNational = sum(C) / sum(national.x);

  const d = new Map<string, Float64Array>();
  const cProvince = new Map<string, number>();
  const provincial = options['direct-intensity'] === 'provincial-inventory';
  const sectors = map ? map.to : national.sectors;
  for (const t of provinces) {
    const total = provinceTotal.get(t.region);
    if (total === undefined) {
      if (provincial) warnings.push(noInventoryWarning(t.region));
      d.set(t.region, dNational);
      continue;
    }
    const c = total / sum(t.x);
    cProvince.set(t.region, c);
    if (provincial) {
      d.set(t.region, ownIntensities(provinceCO2.get(t.region)!, map ? aggregateVector(t.x, map) : t.x, t.region, sectors, warnings));
      continue;
    }
    d.set(
      t.region,
      dNational.map((v) => (v * c) / cNational),
    );
  }
  return { d, dNational, C, cProvince, cNational, provinceTotal, nationalFallback, provinceCO2, warnings };
}
