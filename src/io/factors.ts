/**
 * Emission factor tables for the energy path (METHOD.md, option "emission source = energy"):
 * energy inventory (physical units per fuel) × factor (Mt CO2 per unit) = Mt CO2.
 *
 * 1. The IPCC 2006 default table (ipcc2006_table1_2_1_3_1_4_by_fuel.csv; columns fuel_2006,
 *    NCV_TJ_per_Gg, CC_kgC_per_GJ, EF_kgCO2_per_TJ, oxidation_factor_default), read by
 *    readIpccFactorTable, and turned into factors for the CEADs fuels by ipccFuelFactors with a
 *    documented concordance (DEFAULT_IPCC_CONCORDANCE) that the caller can replace.
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
 * Both give FuelFactor[] in Mt CO2 per unit of the inventory column (FuelFactor.unit).
 */
import type { FuelFactor } from '../model/types.js';
import { readCsvGrid } from './csv.js';
import { DataError } from './errors.js';
import { cellText, fail, numberAt, type Grid } from './grid.js';
import { co2ToMt, parseUnit } from './units.js';

/** Units of the CEADs energy inventory columns (row 2 of each sheet of 省级能源清单_2017.xlsx). */
export const CEADS_ENERGY_UNITS: Readonly<Record<string, string>> = {
  'Raw Coal': '10^4 ton',
  'Cleaned Coal': '10^4 ton',
  'Other Washed Coal': '10^4 ton',
  Briquettes: '10^4 ton',
  Coke: '10^4 ton',
  'Coke Oven Gas': '10^8 cu.m',
  'Other Gas': '10^8 cu.m',
  'Other Coking Products': '10^4 ton',
  'Crude Oil': '10^4 ton',
  Gasoline: '10^4 ton',
  Kerosene: '10^4 ton',
  'Diesel Oil': '10^4 ton',
  'Fuel Oil': '10^4 ton',
  LPG: '10^4 ton',
  'Refinery Gas': '10^4 ton',
  'Other Petroleum Products': '10^4 ton',
  'Natural Gas': '10^8 cu.m',
  Heat: '10^10 kj',
  Electricity: '10^8 kwh',
  'Other Energy': '10^4 tce',
};

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

/** How a CEADs fuel takes its IPCC default: the IPCC fuel, or 'none' (factor 0, e.g. electricity and heat). */
export interface IpccMapping {
  ipcc: string | 'none';
  /** For fuels measured by volume: net calorific value in kJ/m3 (the IPCC table is per mass). */
  ncvKJperM3?: number;
  note?: string;
}

/**
 * Default CEADs fuel → IPCC 2006 fuel. A modelling choice, documented here and overridable:
 * - coals: Raw Coal and Other Washed Coal → Other Bituminous Coal, Cleaned Coal → Coking Coal,
 *   Briquettes → Patent Fuel, Coke → Coke Oven Coke and Lignite Coke, Other Coking Products → Coal Tar;
 * - oil products by name (Gasoline → Motor Gasoline, Kerosene → Jet Kerosene, Fuel Oil → Residual
 *   Fuel Oil, LPG → Liquefied Petroleum Gases);
 * - gases measured in 10^8 m3 need a volumetric NCV, which the IPCC table does not give: the reference
 *   values of the China Energy Statistical Yearbook are used (natural gas 38 931 kJ/m3; coke oven gas
 *   16 726–17 981 kJ/m3, midpoint 17 354; other gas: producer gas 5 227 kJ/m3) — verify against the
 *   yearbook edition you cite, or pass your own;
 * - Heat, Electricity: 0 (secondary energy; the CO2 is counted where fuels are burnt, i.e. in the
 *   Thermal Power and Heating Supply input rows); Other Energy: 0 (CEADs books no CO2 for it).
 */
export const DEFAULT_IPCC_CONCORDANCE: Readonly<Record<string, IpccMapping>> = {
  'Raw Coal': { ipcc: 'Other Bituminous Coal' },
  'Cleaned Coal': { ipcc: 'Coking Coal' },
  'Other Washed Coal': { ipcc: 'Other Bituminous Coal' },
  Briquettes: { ipcc: 'Patent Fuel' },
  Coke: { ipcc: 'Coke Oven Coke and Lignite Coke' },
  'Coke Oven Gas': { ipcc: 'Coke Oven Gas', ncvKJperM3: 17354 },
  'Other Gas': { ipcc: 'Gas Works Gas', ncvKJperM3: 5227 },
  'Other Coking Products': { ipcc: 'Coal Tar' },
  'Crude Oil': { ipcc: 'Crude Oil' },
  Gasoline: { ipcc: 'Motor Gasoline' },
  Kerosene: { ipcc: 'Jet Kerosene' },
  'Diesel Oil': { ipcc: 'Diesel Oil' },
  'Fuel Oil': { ipcc: 'Residual Fuel Oil' },
  LPG: { ipcc: 'Liquefied Petroleum Gases' },
  'Refinery Gas': { ipcc: 'Refinery Gas' },
  'Other Petroleum Products': { ipcc: 'Other Petroleum Products' },
  'Natural Gas': { ipcc: 'Natural Gas', ncvKJperM3: 38931 },
  Heat: { ipcc: 'none', note: 'secondary energy' },
  Electricity: { ipcc: 'none', note: 'secondary energy' },
  'Other Energy': { ipcc: 'none', note: 'no CO2 in CEADs' },
};

/**
 * IPCC defaults → Mt CO2 per unit of each inventory column. Mass units: Mt = mass[Gg] × NCV[TJ/Gg] ×
 * EF[kg/TJ] × oxidation × 1e-9; volume units: energy[TJ] = volume[m3] × ncvKJperM3 × 1e-9.
 */
export function ipccFuelFactors(
  ipcc: IpccFuel[],
  source: string,
  units: Readonly<Record<string, string>> = CEADS_ENERGY_UNITS,
  concordance: Readonly<Record<string, IpccMapping>> = DEFAULT_IPCC_CONCORDANCE,
): FuelFactor[] {
  const byName = new Map(ipcc.map((f) => [f.fuel.toLowerCase(), f]));
  const out: FuelFactor[] = [];
  for (const [fuel, unitText] of Object.entries(units)) {
    const map = concordance[fuel];
    if (!map) throw new DataError({ file: source }, `no IPCC concordance entry for fuel ${JSON.stringify(fuel)}`);
    if (map.ipcc === 'none') {
      out.push({ fuel, mtPerUnit: 0, unit: unitText, source: `${source}: none (${map.note ?? 'no factor'})` });
      continue;
    }
    const f = byName.get(map.ipcc.toLowerCase());
    if (!f) throw new DataError({ file: source }, `IPCC fuel ${JSON.stringify(map.ipcc)} (for ${fuel}) is not in the table`);
    const u = parseUnit(unitText);
    if (!u) throw new DataError({ file: source }, `unit ${JSON.stringify(unitText)} of fuel ${fuel} is not understood`);
    let tjPerUnit: number;
    if (u.dimension === 'mass') {
      if (f.ncvTJperGg === null) throw new DataError({ file: source }, `IPCC fuel ${f.fuel} has no NCV, needed for ${fuel}`);
      tjPerUnit = (u.size / 1e3) * f.ncvTJperGg; // t → Gg
    } else if (u.dimension === 'volume') {
      if (map.ncvKJperM3 === undefined) throw new DataError({ file: source }, `fuel ${fuel} is measured by volume (${unitText}): the concordance needs ncvKJperM3`);
      tjPerUnit = u.size * map.ncvKJperM3 * 1e-9;
    } else {
      tjPerUnit = u.size * 1e-9; // kJ → TJ
    }
    out.push({
      fuel,
      mtPerUnit: tjPerUnit * f.efKgCO2perTJ * f.oxidation * 1e-9,
      unit: unitText,
      source: `${source}: IPCC ${f.fuel}${map.ncvKJperM3 !== undefined ? `, NCV ${map.ncvKJperM3} kJ/m3` : ''}`,
    });
  }
  return out;
}

const fuelKey = (s: string): string => s.toLowerCase().replace(/[_\s]+/g, ' ').trim();

/**
 * A user factor table (format above) → Mt CO2 per unit of the inventory columns. `units` gives the
 * inventory unit per fuel (default: CEADS_ENERGY_UNITS); fuels not in `units` are an error, fuels of
 * `units` not in the table are simply absent from the result (the caller decides).
 */
export function readUserFactorTable(
  input: Uint8Array | string,
  file: string,
  units: Readonly<Record<string, string>> = CEADS_ENERGY_UNITS,
): FuelFactor[] {
  const g: Grid = readCsvGrid(input, file);
  const isComment = (r: number): boolean => cellText(g.rows[r]![0] ?? null).startsWith('#');
  let h = 0;
  while (h < g.rows.length && (g.rows[h]!.every((v) => v === null) || isComment(h))) h++;
  const header = (g.rows[h] ?? []).map((v) => cellText(v).toLowerCase());
  const cFuel = header.indexOf('fuel');
  const cFactor = header.indexOf('factor');
  const cUnit = header.indexOf('unit');
  const cSource = header.indexOf('source');
  if (cFuel < 0 || cFactor < 0 || cUnit < 0) fail(g, 'header must have the columns fuel, factor, unit (and optionally source)', h);
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
      fail(g, `unit ${JSON.stringify(unitText)} is per ${per.dimension}, but the inventory measures ${fuel} in ${units[fuel]} (${inv.dimension})`, r, cUnit);
    }
    const src = cSource >= 0 ? cellText(g.rows[r]![cSource] ?? null) : '';
    out.push({ fuel, mtPerUnit: (factor * mt * inv.size) / per.size, unit: units[fuel]!, source: src ? `${file}: ${src}` : file });
  }
  if (out.length === 0) throw new DataError({ file }, 'no factors in the table');
  return out;
}
