/**
 * Emission factor tables for the energy path (src/model/README.md, option "emission-source"):
 * energy inventory (physical units per fuel) × factor (Mt CO2 per unit) = Mt CO2.
 *
 * 1. The IPCC 2006 default table (ipcc2006_table1_2_1_3_1_4_by_fuel.csv; columns fuel_2006,
 *    NCV_TJ_per_Gg, CC_kgC_per_GJ, EF_kgCO2_per_TJ, oxidation_factor_default), read by
 *    readIpccFactorTable. The default factors of the CEADs fuels are not computed here: they are
 *    data/ipcc-fuels.csv (CEADs fuel -> IPCC fuel, NCV, EF), read by src/data `ipccFuelFactors()`;
 *    a test checks that file against this table.
 * 2. A user factor table (readUserFactorTable), CSV with a header row:
 *        fuel,factor,unit[,source]
 *        Raw Coal,1.9003,t CO2/t
 *        Natural Gas,2.1622,kg CO2/m3
 *        Electricity,0,t CO2/MWh
 *    fuel: an inventory column name (case, spaces and underscores do not matter: "Raw_Coal" = "raw coal");
 *    factor: a number ≥ 0; unit: "<mass> CO2/<quantity>", mass one of kg, t, kt, Gg, Mt, Tg; quantity
 *    a mass (kg, t, ton, 10^4 t, ...), a volume (m3, cu.m, 10^8 m3, ...) or an energy (kJ, GJ, TJ,
 *    kWh, MWh, tce, 10^10 kJ, ...) of the same kind as the inventory column's unit (a per-TJ factor
 *    cannot apply to a column in tonnes). Optional source: free text, kept in FuelFactor.source.
 *    Lines starting with # are comments. Each fuel at most once.
 *    A table in the format of the bundled data/ipcc-fuels.csv (header with ceads_fuel) is read as
 *    that file is (readBundledFormat), so a user can start from a copy of the defaults.
 * Both give FuelFactor[] in Mt CO2 per unit of the inventory column (FuelFactor.unit).
 */
import { bundledData, fuelFactorsOf, fuelKey, parseIpccFuels, type TableSpot } from '../data/index.js';
import type { FuelFactor } from '../data/types.js';
import { csvText, readCsvGrid } from './csv.js';
import { DataError } from './errors.js';
import { cellText, fail, numberAt, type Grid } from './grid.js';
import { co2ToMt, parseUnit } from './units.js';

/** Units of the secondary-energy columns of the CEADs energy inventory (row 2 of 省级能源清单_2017.xlsx). */
const SECONDARY_ENERGY_UNITS: Readonly<Record<string, string>> = {
  Heat: '10^10 kj',
  Electricity: '10^8 kwh',
  'Other Energy': '10^4 tce',
};

/**
 * Unit of each column of the CEADs energy inventory: the 17 fuels (data/ipcc-fuels.csv, `unit`),
 * then Heat, Electricity and Other Energy.
 */
export function ceadsEnergyUnits(): Readonly<Record<string, string>> {
  return { ...Object.fromEntries(bundledData().ipccFuels.map((f) => [f.fuel, f.unit])), ...SECONDARY_ENERGY_UNITS };
}

/** A row of the IPCC 2006 default factor table. */
export interface IpccFuel {
  fuel: string;
  /** Net calorific value, TJ/Gg; null where the table has none. */
  ncvTJperGg: number | null;
  carbonKgCperGJ: number;
  efKgCO2perTJ: number;
  oxidation: number;
}

const IPCC_COLUMNS = ['fuel_2006', 'NCV_TJ_per_Gg', 'CC_kgC_per_GJ', 'EF_kgCO2_per_TJ', 'oxidation_factor_default'] as const;

export function readIpccFactorTable(input: Uint8Array | string, file: string): IpccFuel[] {
  const g = readCsvGrid(input, file);
  const header = (g.rows[0] ?? []).map((v) => cellText(v));
  const col = Object.fromEntries(IPCC_COLUMNS.map((k) => [k, header.indexOf(k)])) as Record<(typeof IPCC_COLUMNS)[number], number>;
  const missing = IPCC_COLUMNS.filter((k) => col[k] < 0);
  if (missing.length > 0) fail(g, `header lacks column(s) ${missing.join(', ')}`, 0);
  const out: IpccFuel[] = [];
  for (let r = 1; r < g.rows.length; r++) {
    const fuel = cellText(g.rows[r]![col.fuel_2006] ?? null);
    if (fuel === '') continue;
    const ncvCell = cellText(g.rows[r]![col.NCV_TJ_per_Gg] ?? null);
    out.push({
      fuel,
      ncvTJperGg: ncvCell === '' ? null : numberAt(g, r, col.NCV_TJ_per_Gg, fuel),
      carbonKgCperGJ: numberAt(g, r, col.CC_kgC_per_GJ, fuel),
      efKgCO2perTJ: numberAt(g, r, col.EF_kgCO2_per_TJ, fuel),
      oxidation: numberAt(g, r, col.oxidation_factor_default, fuel),
    });
  }
  return out;
}

/**
 * A user factor table (format above) → Mt CO2 per unit of the inventory columns. `units` gives the
 * inventory unit per fuel (default: ceadsEnergyUnits()); fuels not in `units` are an error, fuels of
 * `units` not in the table are simply absent from the result (the caller decides).
 */
export function readUserFactorTable(
  input: Uint8Array | string,
  file: string,
  units: Readonly<Record<string, string>> = ceadsEnergyUnits(),
): FuelFactor[] {
  const text = csvText(input, file);
  const g: Grid = readCsvGrid(text, file);
  const isComment = (r: number): boolean => cellText(g.rows[r]![0] ?? null).startsWith('#');
  let h = 0;
  while (h < g.rows.length && (g.rows[h]!.every((v) => v === null) || isComment(h))) h++;
  const header = (g.rows[h] ?? []).map((v) => cellText(v).toLowerCase());
  if (header.includes('ceads_fuel')) return readBundledFormat(text, file, units);
  const cFuel = header.indexOf('fuel');
  const cFactor = header.indexOf('factor');
  const cUnit = header.indexOf('unit');
  const cSource = header.indexOf('source');
  if (cFuel < 0 || cFactor < 0 || cUnit < 0) {
    fail(g, 'header must have the columns fuel, factor, unit (and optionally source), or those of data/ipcc-fuels.csv', h);
  }
  const known = new Map(Object.keys(units).map((k) => [fuelKey(k), k]));
  const seen = new Map<string, number>();
  const out: FuelFactor[] = [];
  for (let r = h + 1; r < g.rows.length; r++) {
    if (g.rows[r]!.every((v) => v === null) || isComment(r)) continue;
    const name = cellText(g.rows[r]![cFuel] ?? null);
    const fuel = known.get(fuelKey(name));
    if (fuel === undefined) fail(g, `unknown fuel ${JSON.stringify(name)} (inventory fuels: ${Object.keys(units).join(', ')})`, r, cFuel);
    if (seen.has(fuel)) fail(g, `fuel ${fuel} appears twice (also row ${seen.get(fuel)! + 1})`, r, cFuel);
    seen.set(fuel, r);
    const factor = numberAt(g, r, cFactor, `${fuel} factor`);
    if (factor < 0) fail(g, `negative factor ${factor} for ${fuel}`, r, cFactor);
    const unitText = cellText(g.rows[r]![cUnit] ?? null);
    const slash = unitText.indexOf('/');
    const mt = slash > 0 ? co2ToMt(unitText.slice(0, slash)) : undefined;
    const per = slash > 0 ? parseUnit(unitText.slice(slash + 1)) : undefined;
    if (mt === undefined || per === undefined) {
      fail(g, `unit ${JSON.stringify(unitText)} not understood (expected e.g. "t CO2/t", "kg CO2/m3", "t CO2/MWh", "kg CO2/TJ")`, r, cUnit);
    }
    const inv = parseUnit(units[fuel]!);
    if (inv === undefined) fail(g, `inventory unit ${JSON.stringify(units[fuel])} of ${fuel} not understood`, r, cFuel);
    if (inv.dimension !== per.dimension) {
      fail(
        g,
        `unit ${JSON.stringify(unitText)} is per ${per.dimension}, but the inventory measures ${fuel} in ${units[fuel]} (${inv.dimension})`,
        r,
        cUnit,
      );
    }
    const src = cSource >= 0 ? cellText(g.rows[r]![cSource] ?? null) : '';
    out.push({ fuel, mtPerUnit: (factor * mt * inv.size) / per.size, unit: units[fuel]!, source: src ? `${file}: ${src}` : file });
  }
  if (out.length === 0) throw new DataError({ file }, 'no factors in the table');
  return out;
}

/**
 * A table in the bundled format, read and checked by the bundled file's own parser (src/data), its
 * factors computed exactly as the defaults are (fuelFactorsOf): a copy of data/ipcc-fuels.csv gives
 * the default factors.
 */
function readBundledFormat(text: string, file: string, units: Readonly<Record<string, string>>): FuelFactor[] {
  const refuse = (detail: string, at?: TableSpot): never => {
    throw new DataError({ file, ...(at?.line && { row: at.line }), ...(at?.column && { column: String(at.column) }) }, detail);
  };
  return fuelFactorsOf(parseIpccFuels(text, file, { refuse, inventoryUnits: units }));
}
