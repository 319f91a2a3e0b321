/**
 * Pure helpers over the parsed bundled data: province lookup (by name, or in a text), the
 * CEADs -> IO weight matrix and fuel factors. No I/O. (Sector aggregation: src/model.)
 */
import type { FuelFactor } from './types.js';
import { cnNcvTjPerUnit, type CeadsSector, type ConcordanceEntry, type IpccFuel, type NcvBasis, type Province } from './parse.js';

/** Chinese administrative suffixes, longest first, stripped before matching a Chinese name. */
const ZH_SUFFIXES = ['维吾尔自治区', '壮族自治区', '回族自治区', '特别行政区', '自治区', '省', '市'];

/** Other spellings seen in data sets (compared after lower-casing and removing non-letters). */
const LATIN_ALIASES: Record<string, string[]> = {
  'Inner Mongolia': ['neimenggu', 'neimongol', 'nmg'],
  Tibet: ['xizang'],
};

/** English and pinyin administrative suffixes ("Guangxi Zhuang Autonomous Region", "Hebei Province", "Beijing Shi"). */
const LATIN_SUFFIX = /(province|municipality|city|sheng|shi|(zhuang|hui|uygur|uyghur|uighur)?autonomousregion|zizhiqu)$/;

function latinKey(s: string): string {
  return s.toLowerCase().replace(/[^a-z]/g, '');
}

/** A province's English name and aliases, lower case, letters only. */
function latinKeys(p: Province): string[] {
  return [latinKey(p.province), ...(LATIN_ALIASES[p.province] ?? [])];
}

/** Strip one administrative suffix ("内蒙古自治区" -> "内蒙古", "北京市" -> "北京"). */
export function stripZhSuffix(name: string): string {
  const s = name.trim();
  for (const suf of ZH_SUFFIXES) if (s.length > suf.length && s.endsWith(suf)) return s.slice(0, -suf.length);
  return s;
}

/**
 * Find a province by code ("05" or "5"), English name (any case and spacing: "Inner Mongolia",
 * "innermongolia", also "Xizang", "Nei Mongol", with or without "Province", "Autonomous Region",
 * "Municipality"), CEADs sheet name ("InnerMongolia2017"), or Chinese
 * name with or without suffix ("内蒙古", "内蒙古自治区", "广西壮族自治区", "北京市", "河北省").
 * Never guesses: "Shanxi" and "Shaanxi" are different provinces.
 */
export function findProvinceIn(provinces: readonly Province[], query: string): Province | undefined {
  const q = query.trim();
  if (q === '') return undefined;
  if (/^\d{1,2}$/.test(q)) return provinces.find((p) => p.code === q.padStart(2, '0'));
  if (/[\u4e00-\u9fff]/.test(q)) {
    const zh = stripZhSuffix(q);
    return provinces.find((p) => p.zh === zh);
  }
  const exactSheet = provinces.find((p) => p.ceadsSheet !== '' && p.ceadsSheet === q);
  if (exactSheet) return exactSheet;
  const key = latinKey(q.replace(/\d+$/, '')).replace(LATIN_SUFFIX, '');
  return provinces.find((p) => latinKeys(p).includes(key));
}

/**
 * The provinces whose name occurs in a text (a sheet title, a file name): Chinese short names as
 * substrings; English names and aliases as whole letter runs or two neighbouring runs ("Inner
 * Mongolia", "InnerMongolia2017"), so "Shanxi" never matches "Shaanxi". In the given order.
 */
export function provincesInText(provinces: readonly Province[], text: string): Province[] {
  const runs = text
    .split(/[^A-Za-z]+/)
    .filter((s) => s.length > 0)
    .map((s) => s.toLowerCase());
  const words = new Set<string>();
  for (let i = 0; i < runs.length; i++) {
    words.add(runs[i]!);
    if (i + 1 < runs.length) words.add(runs[i]! + runs[i + 1]!);
  }
  const zh = provinces.filter((p) => text.includes(p.zh));
  const latin = provinces.filter((p) => latinKeys(p).some((k) => words.has(k)));
  return [...new Set([...zh, ...latin])];
}

/**
 * The CEADs -> IO weight matrix W (45 × n, row-major; rows in CEADs sheet order, columns in
 * `ioSectors` order): IO sector emissions = Wᵀ · CEADs sector emissions. Each row sums to 1.
 * Rows with weight 'output' are shared pro rata to `output` (x of the region, in `ioSectors`
 * order); without `output`, or when those sectors' outputs are all zero or negative, equally.
 */
export function concordanceMatrixOf(
  ceadsSectors: readonly CeadsSector[],
  concordance: readonly ConcordanceEntry[],
  ioSectors: readonly string[],
  output?: ArrayLike<number>,
): Float64Array {
  const n = ioSectors.length;
  if (output !== undefined && output.length !== n) throw new Error(`concordance: output has ${output.length} entries, expected ${n}`);
  const col = new Map(ioSectors.map((c, j) => [c, j]));
  const W = new Float64Array(ceadsSectors.length * n);
  ceadsSectors.forEach((cs, r) => {
    const entries = concordance.filter((e) => e.ceadsSector === cs.name);
    if (entries.length === 0) throw new Error(`concordance: CEADs sector "${cs.name}" has no row`);
    const cols = entries.map((e) => {
      const j = col.get(e.ioSector);
      if (j === undefined) throw new Error(`concordance: IO sector ${e.ioSector} is not among the table's sectors`);
      return j;
    });
    const proRata = entries.filter((e) => e.weight === 'output');
    const fixed = entries.filter((e): e is ConcordanceEntry & { weight: number } => e.weight !== 'output');
    const fixedSum = fixed.reduce((s, e) => s + e.weight, 0);
    entries.forEach((e, k) => {
      if (e.weight !== 'output') W[r * n + cols[k]!]! += e.weight;
    });
    if (proRata.length > 0) {
      const rest = 1 - fixedSum;
      const pj = entries.flatMap((e, k) => (e.weight === 'output' ? [cols[k]!] : []));
      const xs = pj.map((j) => (output ? Math.max(0, output[j]!) : 0));
      const total = xs.reduce((s, v) => s + v, 0);
      pj.forEach((j, k) => {
        W[r * n + j]! += rest * (total > 0 ? xs[k]! / total : 1 / pj.length);
      });
    }
  });
  return W;
}

/**
 * Fuel factors for the energy option. `ncv: 'default'` uses each row's own basis (IPCC NCV for
 * fuels measured by mass, Chinese volumetric NCV for gases); `'china'` uses China's national NCV
 * wherever the file gives one (IPCC otherwise). EF and oxidation factor are IPCC 2006 defaults.
 */
export function fuelFactorsOf(fuels: readonly IpccFuel[], ncv: 'default' | NcvBasis = 'default'): (IpccFuel & FuelFactor)[] {
  return fuels.map((f) => {
    let basis: NcvBasis = f.ncvBasis;
    if (ncv === 'china' && f.cnNcv !== undefined) basis = 'china';
    if (ncv === 'ipcc' && f.unit === '10^4 t') basis = 'ipcc';
    const tj = basis === 'china' ? cnNcvTjPerUnit(f.cnNcv!, f.cnNcvUnit) : f.ipccNcvTjPerGg * 10; // 10^4 t = 10 Gg
    const mt = tj * f.efKgCo2PerTj * f.oxidation * 1e-9;
    const source =
      `IPCC 2006 Vol.2 Ch.1 Table 1.4 EF (${f.ipccFuel}), oxidation ${f.oxidation}; NCV ` +
      (basis === 'china' ? `China Energy Statistical Yearbook ${f.cnNcv} ${f.cnNcvUnit}` : `IPCC 2006 Table 1.2 ${f.ipccNcvTjPerGg} TJ/Gg`);
    return { ...f, ncvBasis: basis, ncvTjPerUnit: tj, mtPerUnit: mt, source };
  });
}
