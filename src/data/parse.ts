/**
 * The bundled data files (data/*.csv) parsed from their text. No file system here: Node code
 * reads the files in ./index.ts, a browser build can fetch or inline the same text and call
 * `parseBundledData`.
 */
import { parse } from 'csv-parse/browser/esm/sync';

/** The 8 economic regions of the study, in the fixed order of its reports (src/model/README.md, "Sectors, groups and regions"). */
export const REGIONS = [
  'Northeast',
  'North coast',
  'East coast',
  'South coast',
  'Middle Yellow River',
  'Middle Yangtze',
  'Southwest',
  'Northwest',
] as const;
export type Region = (typeof REGIONS)[number];

/** The 6 sector groups of the study, in report order (src/model/README.md: 30 -> 6). */
export const GROUPS6 = ['agriculture', 'mining', 'manufacturing', 'utilities', 'construction', 'services'] as const;
export type Group6 = (typeof GROUPS6)[number];

/** The file names under data/ that make up the bundled data. */
export const DATA_FILES = {
  provinces: 'data/provinces.csv',
  sectors42: 'data/sectors.csv',
  sectors30: 'data/sectors30.csv',
  ceadsSectors: 'data/ceads-sectors.csv',
  ceadsToIo: 'data/ceads-to-io.csv',
  ipccFuels: 'data/ipcc-fuels.csv',
} as const;

/** One of the 31 provinces. */
export interface Province {
  /** Two-digit NBS order, "01".."31". */
  code: string;
  /** English id used throughout the model, e.g. "Inner Mongolia". */
  province: string;
  /** Chinese short name, e.g. "内蒙古". */
  zh: string;
  region: Region;
  /** Sheet name in the CEADs inventories, e.g. "InnerMongolia2017"; '' for Tibet (no inventory). */
  ceadsSheet: string;
  /** Year-end 2017 population, 10^4 persons (NBS, China Statistical Yearbook 2018, table 2-7). */
  population2017: number;
}

/** One of the 42 sectors of the 2017 IO tables. */
export interface Sector42 {
  /** "01".."42". */
  code: string;
  zh: string;
  en: string;
  /** The 30-sector aggregate it belongs to, "01".."30". */
  sector30: string;
  group6: Group6;
}

/** One of the 30 aggregated sectors. */
export interface Sector30 {
  /** "01".."30". */
  code: string;
  en: string;
  zh: string;
  group6: Group6;
}

/** One of the 45 CEADs production sectors, in sheet order. */
export interface CeadsSector {
  /** 1..45. */
  index: number;
  /** Label in the emission inventories (trimmed), e.g. "Others". */
  name: string;
  /** Label in the energy inventories, which spells some sectors differently (e.g. "Other"). */
  nameEnergy: string;
}

/** One row of the CEADs -> IO concordance. */
export interface ConcordanceEntry {
  ceadsSector: string;
  ioSector: string;
  /** Fixed share of the CEADs sector, or 'output': pro rata to the IO output of the listed IO sectors. */
  weight: number | 'output';
}

export type NcvBasis = 'ipcc' | 'china';

/** A CEADs fuel with its IPCC 2006 factors and the resulting Mt CO2 per physical unit. */
export interface IpccFuel {
  /** CEADs fuel name as in the emission inventory header, e.g. "Raw Coal". */
  fuel: string;
  /** Unit of the CEADs energy inventory column: "10^4 t" or "10^8 m3". */
  unit: string;
  /** IPCC 2006 fuel name as in Vol. 2 Ch. 1 Tables 1.2 and 1.4. */
  ipccFuel: string;
  /** IPCC 2006 default NCV, TJ/Gg (Table 1.2). */
  ipccNcvTjPerGg: number;
  /** IPCC 2006 default effective CO2 emission factor, kg CO2/TJ (Table 1.4). */
  efKgCo2PerTj: number;
  /** Carbon oxidation factor (IPCC 2006 default 1). */
  oxidation: number;
  /** China's national reference NCV (China Energy Statistical Yearbook appendix), or undefined. */
  cnNcv: number | undefined;
  /** "kJ/kg" or "kJ/m3", '' when there is no Chinese value. */
  cnNcvUnit: string;
  /** Which NCV the file's default factor uses. */
  ncvBasis: NcvBasis;
  /** NCV per unit of the inventory actually used, TJ per 10^4 t or per 10^8 m3. */
  ncvTjPerUnit: number;
  /** Mt CO2 per unit of the inventory = ncvTjPerUnit × EF × oxidation × 1e-9. */
  mtPerUnit: number;
  note: string;
}

/** Everything under data/, parsed. */
export interface BundledData {
  provinces: readonly Province[];
  sectors42: readonly Sector42[];
  sectors30: readonly Sector30[];
  ceadsSectors: readonly CeadsSector[];
  concordance: readonly ConcordanceEntry[];
  ipccFuels: readonly IpccFuel[];
}

type Row = Record<string, string>;

/** Where a bundled-format table is wrong: the 1-based line of the record, the 1-based column. */
export interface TableSpot {
  line?: number;
  column?: number;
}

/**
 * How a parser refuses a table: by default an Error naming the file, line and column; a reader of
 * user files passes its own (src/io: DataError), so one parser serves both.
 */
export type Refuse = (detail: string, at?: TableSpot) => never;

const refuseIn =
  (file: string): Refuse =>
  (detail, at) => {
    throw new Error(`${file}${at?.line ? `, line ${at.line}` : ''}${at?.column ? `, column ${at.column}` : ''}: ${detail}`);
  };

/** A data record with the line it ends on and its column positions. */
interface Located {
  r: Row;
  line: number;
  at: (column: string) => TableSpot;
}

function rowsOf(text: string, file: string, required: readonly string[], refuse: Refuse = refuseIn(file)): Located[] {
  let records: { record: Row; info: { lines: number } }[];
  let header: string[] = [];
  try {
    records = parse(text, {
      columns: (h: string[]) => {
        header = h;
        return h;
      },
      comment: '#',
      comment_no_infix: true,
      skip_empty_lines: true,
      trim: true,
      bom: true,
      info: true,
    }) as { record: Row; info: { lines: number } }[];
  } catch (err) {
    refuse(`not valid CSV (${err instanceof Error ? err.message : String(err)})`);
  }
  const missing = required.filter((c) => !header.includes(c));
  if (missing.length > 0) refuse(`missing column(s) ${missing.join(', ')}`);
  if (records.length === 0) refuse('no data rows');
  return records.map(({ record, info }) => ({
    r: record,
    line: info.lines,
    at: (column: string) => ({ line: info.lines, column: header.indexOf(column) + 1 }),
  }));
}

function num(v: string | undefined, file: string, what: string, refuse: Refuse = refuseIn(file), at?: TableSpot): number {
  const x = v === undefined || v === '' ? NaN : Number(v);
  if (!Number.isFinite(x)) refuse(`${what} is not a number (${JSON.stringify(v)})`, at);
  return x;
}

function oneOf<T extends string>(
  v: string,
  allowed: readonly T[],
  file: string,
  what: string,
  refuse: Refuse = refuseIn(file),
  at?: TableSpot,
): T {
  if (!(allowed as readonly string[]).includes(v)) refuse(`${what} ${JSON.stringify(v)} is not one of ${allowed.join(', ')}`, at);
  return v as T;
}

function code2(v: string, file: string, what: string): string {
  if (!/^\d{1,2}$/.test(v)) refuseIn(file)(`${what} ${JSON.stringify(v)} is not a sector code`);
  return v.padStart(2, '0');
}

export function parseProvinces(text: string, file: string = DATA_FILES.provinces): Province[] {
  const out = rowsOf(text, file, ['code', 'province', 'province_zh', 'region', 'ceads_sheet', 'population_2017']).map(({ r }) =>
    Object.freeze({
      code: code2(r.code!, file, 'code'),
      province: r.province!,
      zh: r.province_zh!,
      region: oneOf(r.region!, REGIONS, file, 'region'),
      ceadsSheet: r.ceads_sheet!,
      population2017: num(r.population_2017, file, `population_2017 of ${r.province}`),
    }),
  );
  if (out.length !== 31) throw new Error(`${file}: expected 31 provinces, found ${out.length}`);
  return out;
}

function parseSectors42(text: string, file: string = DATA_FILES.sectors42): Sector42[] {
  const out = rowsOf(text, file, ['code', 'name_zh', 'name_en', 'sector30', 'group6']).map(({ r }) =>
    Object.freeze({
      code: code2(r.code!, file, 'code'),
      zh: r.name_zh!,
      en: r.name_en!,
      sector30: code2(r.sector30!, file, 'sector30'),
      group6: oneOf(r.group6!, GROUPS6, file, 'group6'),
    }),
  );
  if (out.length !== 42) throw new Error(`${file}: expected 42 sectors, found ${out.length}`);
  return out;
}

function parseSectors30(text: string, file: string = DATA_FILES.sectors30): Sector30[] {
  const out = rowsOf(text, file, ['code', 'name_en', 'name_zh', 'group6']).map(({ r }) =>
    Object.freeze({
      code: code2(r.code!, file, 'code'),
      en: r.name_en!,
      zh: r.name_zh!,
      group6: oneOf(r.group6!, GROUPS6, file, 'group6'),
    }),
  );
  if (out.length !== 30) throw new Error(`${file}: expected 30 sectors, found ${out.length}`);
  return out;
}

function parseCeadsSectors(text: string, file: string = DATA_FILES.ceadsSectors): CeadsSector[] {
  const out = rowsOf(text, file, ['index', 'name', 'name_energy']).map(({ r }) =>
    Object.freeze({ index: num(r.index, file, 'index'), name: r.name!, nameEnergy: r.name_energy! }),
  );
  if (out.length !== 45) throw new Error(`${file}: expected 45 CEADs sectors, found ${out.length}`);
  return out;
}

export function parseConcordance(text: string, file: string = DATA_FILES.ceadsToIo): ConcordanceEntry[] {
  return rowsOf(text, file, ['ceads_sector', 'io_sector', 'weight']).map(({ r }) =>
    Object.freeze({
      ceadsSector: r.ceads_sector!,
      ioSector: code2(r.io_sector!, file, 'io_sector'),
      weight: r.weight === 'output' ? ('output' as const) : num(r.weight, file, `weight of ${r.ceads_sector} -> ${r.io_sector}`),
    }),
  );
}

/** TJ per unit of the inventory for a Chinese NCV given in kJ/kg (per 10^4 t) or kJ/m3 (per 10^8 m3). */
export function cnNcvTjPerUnit(cnNcv: number, cnNcvUnit: string): number {
  // 10^4 t = 1e7 kg: kJ/kg × 1e7 kg = 1e7 kJ = 1e-2 TJ. 10^8 m3: kJ/m3 × 1e8 m3 = 1e8 kJ = 0.1 TJ.
  if (cnNcvUnit === 'kJ/kg') return cnNcv * 1e-2;
  if (cnNcvUnit === 'kJ/m3') return cnNcv * 1e-1;
  throw new Error(`unknown NCV unit ${JSON.stringify(cnNcvUnit)}`);
}

/** The columns of data/ipcc-fuels.csv, also the format of a user's `--factors` copy of it (src/io/factors.ts). */
const IPCC_FUEL_COLUMNS = [
  'ceads_fuel',
  'unit',
  'ipcc_fuel',
  'ipcc_ncv_tj_per_gg',
  'ipcc_ef_kgco2_per_tj',
  'oxidation',
  'cn_ncv',
  'cn_ncv_unit',
  'ncv_basis',
  'ncv_tj_per_unit',
  'mt_per_unit',
  'note',
] as const;

/** A fuel name as a key: case, spaces and underscores do not matter ("Raw_Coal" = "raw coal"). */
export const fuelKey = (s: string): string =>
  s
    .toLowerCase()
    .replace(/[_\s]+/g, ' ')
    .trim();

/**
 * data/ipcc-fuels.csv, or a user's copy of it given to `--factors` (src/io/factors.ts passes its own
 * `refuse` and the inventory's unit of each fuel, `inventoryUnits`, which every row must match):
 * one reader and one set of checks for the format.
 */
export function parseIpccFuels(
  text: string,
  file: string = DATA_FILES.ipccFuels,
  opts: { refuse?: Refuse; inventoryUnits?: Readonly<Record<string, string>> } = {},
): IpccFuel[] {
  const refuse: Refuse = opts.refuse ?? refuseIn(file);
  const units = opts.inventoryUnits;
  const known = units && new Map(Object.keys(units).map((k) => [fuelKey(k), k]));
  const seen = new Map<string, number>();
  return rowsOf(text, file, IPCC_FUEL_COLUMNS, refuse).map(({ r, line, at }) => {
    let fuel = r.ceads_fuel!;
    if (fuel === '') refuse('no ceads_fuel', at('ceads_fuel'));
    if (known) {
      const k = known.get(fuelKey(fuel));
      if (k === undefined)
        refuse(`unknown fuel ${JSON.stringify(fuel)} (inventory fuels: ${[...known.values()].join(', ')})`, at('ceads_fuel'));
      fuel = k;
      if (r.unit !== units[k]) refuse(`unit of ${k} must be the inventory's, ${JSON.stringify(units[k])}`, at('unit'));
    }
    if (seen.has(fuel)) refuse(`fuel ${fuel} appears twice (also line ${seen.get(fuel)})`, at('ceads_fuel'));
    seen.set(fuel, line);
    const what = (c: string) => `${c} of ${fuel}`;
    const value = (c: (typeof IPCC_FUEL_COLUMNS)[number]): number => num(r[c], file, what(c), refuse, at(c));
    const positive = (c: (typeof IPCC_FUEL_COLUMNS)[number]): number => {
      const x = value(c);
      if (!(x > 0)) refuse(`${what(c)} must be positive, found ${x}`, at(c));
      return x;
    };
    const cnNcvUnit = r.cn_ncv_unit!;
    const out: IpccFuel = {
      fuel,
      unit: oneOf(r.unit!, ['10^4 t', '10^8 m3'] as const, file, what('unit'), refuse, at('unit')),
      ipccFuel: r.ipcc_fuel!,
      ipccNcvTjPerGg: positive('ipcc_ncv_tj_per_gg'),
      efKgCo2PerTj: positive('ipcc_ef_kgco2_per_tj'),
      oxidation: value('oxidation'),
      cnNcv: r.cn_ncv === '' ? undefined : positive('cn_ncv'),
      cnNcvUnit,
      ncvBasis: oneOf(r.ncv_basis!, ['ipcc', 'china'] as const, file, what('ncv_basis'), refuse, at('ncv_basis')),
      ncvTjPerUnit: value('ncv_tj_per_unit'),
      mtPerUnit: value('mt_per_unit'),
      note: r.note ?? '',
    };
    if (!(out.oxidation > 0 && out.oxidation <= 1)) refuse(`oxidation of ${fuel} must be in (0, 1]`, at('oxidation'));
    if (out.cnNcv !== undefined && cnNcvUnit !== 'kJ/kg' && cnNcvUnit !== 'kJ/m3')
      refuse(`cn_ncv_unit of ${fuel} must be kJ/kg or kJ/m3, found ${JSON.stringify(cnNcvUnit)}`, at('cn_ncv_unit'));
    if (out.ncvBasis === 'china' && out.cnNcv === undefined) refuse(`${fuel} has ncv_basis china but no cn_ncv`, at('cn_ncv'));
    if (out.ncvBasis === 'ipcc' && out.unit !== '10^4 t') refuse(`${fuel} is measured by volume; IPCC NCVs are per mass`, at('ncv_basis'));
    return Object.freeze(out);
  });
}

/** Parse all bundled files, given a way to get each file's text (fs, fetch-then-cache, inlined strings). */
export function parseBundledData(text: (file: string) => string): BundledData {
  return {
    provinces: Object.freeze(parseProvinces(text(DATA_FILES.provinces))),
    sectors42: Object.freeze(parseSectors42(text(DATA_FILES.sectors42))),
    sectors30: Object.freeze(parseSectors30(text(DATA_FILES.sectors30))),
    ceadsSectors: Object.freeze(parseCeadsSectors(text(DATA_FILES.ceadsSectors))),
    concordance: Object.freeze(parseConcordance(text(DATA_FILES.ceadsToIo))),
    ipccFuels: Object.freeze(parseIpccFuels(text(DATA_FILES.ipccFuels))),
  };
}
