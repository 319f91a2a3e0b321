/**
 * Typed access to the data bundled under data/ (Node: the package's files, read once and cached).
 * The parsing lives in ./parse.ts and takes text, so a browser build supplies the text another way
 * (`setBundledData(parseBundledData(text))`). No static import of a `node:` module: safe to bundle.
 */
import { canReadPackageFiles, readPackageText } from '../assets.js';
import { concordanceMatrixOf, findProvinceIn, fuelFactorsOf } from './lookup.js';
import {
  GROUPS6,
  REGIONS,
  parseBundledData,
  type BundledData,
  type CeadsSector,
  type ConcordanceEntry,
  type Group6,
  type IpccFuel,
  type NcvBasis,
  type Province,
  type Region,
  type Sector30,
  type Sector42,
} from './parse.js';
import type { FuelFactor } from './types.js';

export * from './parse.js';
export * from './lookup.js';

let cache: BundledData | undefined;

/**
 * All bundled data: what `setBundledData` set, else (Node) read from the package's data/ folder on
 * first use. Outside Node, call `setBundledData(parseBundledData(text))` first.
 */
export function bundledData(): BundledData {
  if (!cache) {
    if (!canReadPackageFiles()) {
      throw new Error(
        'embodied: bundled data not loaded: outside Node, call setBundledData(parseBundledData(text)) first, ' +
          'with text(file) returning the CSV text of each data file (DATA_FILES)',
      );
    }
    cache = parseBundledData(readPackageText);
  }
  return cache;
}

/** Replace the bundled data (e.g. text fetched by a browser build, or a test fixture); undefined resets. */
export function setBundledData(data: BundledData | undefined): void {
  cache = data;
}

/** The 31 provinces in NBS order (code, province, zh, region, ceadsSheet). */
export function provinces(): readonly Province[] {
  return bundledData().provinces;
}

/** The 8 economic regions in report order. */
export function regions(): readonly Region[] {
  return REGIONS;
}

/** The 42 IO sectors in table order. */
export function sectors42(): readonly Sector42[] {
  return bundledData().sectors42;
}

/** The 30 aggregated sectors. */
export function sectors30(): readonly Sector30[] {
  return bundledData().sectors30;
}

/** The 6 groups in report order. */
export function groups6(): readonly Group6[] {
  return GROUPS6;
}

/** The 45 CEADs production sectors in sheet order, with their emission- and energy-inventory labels. */
export function ceadsSectors(): readonly CeadsSector[] {
  return bundledData().ceadsSectors;
}

/** The CEADs -> IO concordance as written in data/ceads-to-io.csv. */
export function ceadsConcordance(): readonly ConcordanceEntry[] {
  return bundledData().concordance;
}

/**
 * The CEADs -> IO weight matrix (45 × ioSectors.length, row-major, CEADs sheet order); 'output'
 * splits pro rata to `output` (the region's x in ioSectors order), equally without it.
 */
export function ceadsToIoMatrix(output?: ArrayLike<number>, ioSectors: readonly string[] = sectors42().map((s) => s.code)): Float64Array {
  const d = bundledData();
  return concordanceMatrixOf(d.ceadsSectors, d.concordance, ioSectors, output);
}

/** The 17 CEADs fuels with IPCC 2006 factors and Mt CO2 per inventory unit (see fuelFactorsOf). */
export function ipccFuelFactors(opts: { ncv?: 'default' | NcvBasis } = {}): (IpccFuel & FuelFactor)[] {
  return fuelFactorsOf(bundledData().ipccFuels, opts.ncv ?? 'default');
}

/** A province by code, English name, CEADs sheet name or Chinese name (with or without 省/市/自治区...). */
export function findProvince(query: string): Province | undefined {
  return findProvinceIn(provinces(), query);
}

/** Like findProvince, but throws a helpful error when nothing matches. */
export function province(query: string): Province {
  const p = findProvince(query);
  if (!p) throw new Error(`unknown province ${JSON.stringify(query)} (use a code 01..31, an English or Chinese name)`);
  return p;
}
