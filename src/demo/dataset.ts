/**
 * A deterministic synthetic dataset with the shape, codes and rough magnitudes of the real data:
 * 31 provincial IO tables (42 sectors, 10^4 CNY), a national table ("China") and a CEADs-like
 * emission inventory for 30 provinces (no Tibet; 45 sectors x 17 fuels + process, Mt CO2).
 * Every number is invented (seeded PRNG); nothing comes from the real files. The labels (provinces,
 * sectors, fuels, units) and the fuel factors are the bundled data of src/data (in a browser, after
 * setBundledData). The files in the real layouts are written by ./files.ts (Node).
 *
 * Also a matching energy inventory (17 fuels + Heat, Electricity, Other_Energy, physical units).
 *
 * Every row balance x = Z1 + y + E + EP - M - MP + err holds by construction (y is the residual),
 * column sums of A are below 1 (0.28..0.9 by sector, spectral radius about 0.6).
 */
import { uniformFloat64 } from 'pure-rand/distribution/uniformFloat64';
import { xoroshiro128plus } from 'pure-rand/generator/xoroshiro128plus';
import { bundledData, type BundledData } from '../data/index.js';
import { ceadsEnergyUnits } from '../io/factors.js';
import type { Inventory, IOTable, ProvinceInventory } from '../data/types.js';

export const DEMO_SEED = 2017;

/** The draws the demo needs, from one seeded xoroshiro128+ stream (pure-rand). */
interface Rng {
  /** Uniform on [0, 1). */
  next(): number;
  /** Uniform on [a, b). */
  uniform(a: number, b: number): number;
  /** Standard normal (Box-Muller). */
  normal(): number;
  /** exp(sigma · N(0,1)): a positive factor with median 1. */
  lognormal(sigma: number): number;
  /** A cheaper lognormal-like factor: exp(sigma · Z) with Z the unit-variance sum of 3 uniforms. */
  noise(sigma: number): number;
}

function rng(seed: number): Rng {
  const g = xoroshiro128plus(seed);
  const u = () => uniformFloat64(g);
  const normal = () => Math.sqrt(-2 * Math.log(1 - u())) * Math.cos(2 * Math.PI * u()); // 1 - u in (0, 1]
  return {
    next: u,
    uniform: (a, b) => a + (b - a) * u(),
    normal,
    lognormal: (sigma) => Math.exp(sigma * normal()),
    noise: (sigma) => Math.exp(sigma * 2 * (u() + u() + u() - 1.5)),
  };
}

/** The final-use and value-added detail behind y, for writing the NBS layout. */
interface DemoTableDetail {
  /** Rural households, urban households, government, fixed capital formation, inventory change. */
  FU101: Float64Array;
  FU102: Float64Array;
  FU103: Float64Array;
  FU201: Float64Array;
  FU202: Float64Array;
  /** Value added rows VA001..VA004 (compensation, net production taxes, depreciation, surplus) by column. */
  VA: [Float64Array, Float64Array, Float64Array, Float64Array];
}

export interface DemoIOTable extends IOTable {
  detail: DemoTableDetail;
}

export interface DemoDataset {
  provinces: DemoIOTable[];
  national: DemoIOTable;
  emissions: Inventory;
  /**
   * A CEADs-like energy inventory (physical units) consistent with `emissions`: every fuel cell is
   * the emission divided by the default factor of data/ipcc-fuels.csv, and the power sector's fuel
   * sits mostly in the "Thermal Power" and "Heating Supply" transformation rows (otherRows). So
   * energy x default factors (+ power-plant inputs) = emissions without process CO2.
   */
  energy: Inventory;
}

const N = 42;

// Per-sector profiles, index 0..41 = IO 01..42. Invented round numbers of plausible size.
/** Weight of the sector in total output (%). */
const OUTPUT_SHARE = [
  5, 1.2, 0.5, 0.4, 0.5, 5, 2, 1.5, 1.2, 1.8, 2.3, 7, 3.6, 6, 2.5, 2.7, 2, 4, 3.5, 5, 0.5, 0.6, 0.3, 3, 0.4, 0.2, 9, 4.5, 4, 1.5, 2, 3.5, 3,
  3, 0.5, 1, 0.6, 1, 1.7, 1.4, 0.5, 1.7,
];
/** Intermediate input per unit of output (column sum of A). */
const INPUT_RATIO = [
  0.42, 0.52, 0.45, 0.6, 0.62, 0.74, 0.8, 0.76, 0.76, 0.76, 0.8, 0.8, 0.74, 0.82, 0.8, 0.78, 0.78, 0.8, 0.82, 0.83, 0.74, 0.78, 0.7, 0.72,
  0.8, 0.55, 0.76, 0.38, 0.55, 0.58, 0.45, 0.36, 0.28, 0.62, 0.6, 0.55, 0.5, 0.45, 0.35, 0.6, 0.5, 0.45,
];
/** How much the product is used as an intermediate input (relative). */
const INPUT_USE = [
  1, 1, 0.8, 0.6, 0.5, 0.8, 0.8, 0.3, 0.4, 0.8, 1.2, 2.5, 1.2, 2.2, 0.9, 0.9, 0.3, 0.6, 0.9, 1.2, 0.2, 0.3, 0.2, 1.5, 0.15, 0.1, 0.2, 1.3,
  1.4, 0.4, 0.5, 1, 0.3, 0.9, 0.05, 0.3, 0.05, 0.2, 0.05, 0.03, 0.1, 0.02,
];
/** Exports per unit of output (0: never exported, so ECC is undefined there). */
const EXPORT_SHARE = [
  0.01, 0.005, 0.01, 0.005, 0.02, 0.04, 0.15, 0.3, 0.18, 0.15, 0.03, 0.08, 0.06, 0.05, 0.12, 0.12, 0.1, 0.08, 0.2, 0.35, 0.15, 0.1, 0.01,
  0.002, 0, 0, 0.005, 0.06, 0.06, 0.03, 0.05, 0.01, 0, 0.08, 0, 0.02, 0, 0.01, 0.005, 0.003, 0.02, 0,
];
/** Outflow to other provinces per unit of output. */
const OUTFLOW_SHARE = [
  0.2, 0.35, 0.35, 0.35, 0.35, 0.35, 0.35, 0.35, 0.35, 0.35, 0.35, 0.35, 0.35, 0.35, 0.35, 0.35, 0.35, 0.35, 0.35, 0.35, 0.35, 0.35, 0.1,
  0.12, 0.05, 0.02, 0.15, 0.2, 0.2, 0.1, 0.2, 0.1, 0.02, 0.2, 0.05, 0.15, 0.01, 0.05, 0.02, 0.02, 0.08, 0,
];
/** Imports per unit of domestic use (intermediate + final). */
const IMPORT_SHARE = [
  0.04, 0.08, 0.5, 0.4, 0.05, 0.04, 0.04, 0.03, 0.04, 0.04, 0.05, 0.1, 0.02, 0.06, 0.03, 0.08, 0.1, 0.08, 0.05, 0.2, 0.15, 0.05, 0, 0, 0, 0,
  0, 0.01, 0.03, 0.01, 0.03, 0.01, 0, 0.04, 0, 0.01, 0, 0.005, 0.005, 0.005, 0.02, 0,
];
/** Inflow from other provinces per unit of domestic use. */
const INFLOW_SHARE = [
  0.2, 0.35, 0.35, 0.35, 0.35, 0.3, 0.3, 0.3, 0.3, 0.3, 0.35, 0.35, 0.3, 0.35, 0.3, 0.35, 0.35, 0.35, 0.35, 0.35, 0.35, 0.3, 0.1, 0.1, 0.05,
  0, 0.05, 0.15, 0.15, 0.05, 0.15, 0.08, 0, 0.15, 0.02, 0.1, 0, 0.03, 0.01, 0.01, 0.05, 0,
];
/** Domestic final use per unit of output (target before balancing). */
const FINAL_SHARE = [
  0.35, 0.02, 0.01, 0.01, 0.02, 0.55, 0.05, 0.4, 0.25, 0.15, 0.1, 0.06, 0.03, 0.03, 0.1, 0.35, 0.6, 0.45, 0.3, 0.25, 0.3, 0.1, 0.05, 0.1,
  0.35, 0.3, 0.95, 0.35, 0.15, 0.6, 0.35, 0.3, 0.75, 0.1, 0.95, 0.45, 0.9, 0.7, 0.95, 0.95, 0.6, 0.97,
];
/** Split of final use (without inventory change) into households, government, fixed capital formation. */
const FINAL_SPLIT: [number, number, number][] = [
  [0.9, 0, 0.1],
  [1, 0, 0],
  [1, 0, 0],
  [1, 0, 0],
  [1, 0, 0],
  [1, 0, 0],
  [1, 0, 0],
  [1, 0, 0],
  [0.6, 0, 0.4],
  [1, 0, 0],
  [1, 0, 0],
  [1, 0, 0],
  [1, 0, 0],
  [0.2, 0, 0.8],
  [0.4, 0, 0.6],
  [0.05, 0, 0.95],
  [0.02, 0, 0.98],
  [0.35, 0, 0.65],
  [0.5, 0, 0.5],
  [0.45, 0, 0.55],
  [0.2, 0, 0.8],
  [0.8, 0, 0.2],
  [1, 0, 0],
  [1, 0, 0],
  [1, 0, 0],
  [1, 0, 0],
  [0.03, 0, 0.97],
  [0.7, 0, 0.3],
  [0.7, 0.05, 0.25],
  [1, 0, 0],
  [0.5, 0, 0.5],
  [0.98, 0.02, 0],
  [0.75, 0.05, 0.2],
  [0.3, 0.2, 0.5],
  [0, 0.45, 0.55],
  [0, 0.6, 0.4],
  [0.05, 0.95, 0],
  [0.95, 0.05, 0],
  [0.4, 0.6, 0],
  [0.35, 0.65, 0],
  [0.5, 0.5, 0],
  [0, 1, 0],
];
/** 6-group of each IO sector (0 agriculture .. 5 services), for input affinities. */
const GROUP = Array.from({ length: N }, (_, i) => (i === 0 ? 0 : i <= 4 ? 1 : i <= 22 ? 2 : i <= 25 ? 3 : i === 26 ? 4 : 5));

/** Relative economic size (invented tiers). */
const SIZE_TIER: Record<string, number> = {
  Guangdong: 3.5,
  Jiangsu: 3.5,
  Shandong: 3.5,
  Zhejiang: 2.2,
  Henan: 2.2,
  Hebei: 1.3,
  Hubei: 1.3,
  Sichuan: 1.3,
  Fujian: 1.3,
  Shanghai: 1.3,
  Anhui: 1.3,
  Beijing: 1.1,
  Hunan: 1.1,
  Liaoning: 1.1,
  Gansu: 0.25,
  Xinjiang: 0.35,
  Guizhou: 0.45,
  Yunnan: 0.5,
  Hainan: 0.15,
  Qinghai: 0.08,
  Ningxia: 0.12,
  Tibet: 0.04,
};
const EXPORT_BY_REGION: Record<string, number> = {
  'East coast': 2,
  'South coast': 2,
  'North coast': 1.3,
  Northeast: 0.8,
};
/** CO2 per output relative to the average (invented: coal-based economies higher). */
const CARBON_TIER: Record<string, number> = {
  Shanxi: 3,
  'Inner Mongolia': 3,
  Ningxia: 4,
  Xinjiang: 2.5,
  Hebei: 2,
  Shaanxi: 1.6,
  Liaoning: 1.5,
  Heilongjiang: 1.4,
  Guizhou: 1.5,
  Gansu: 1.6,
  Qinghai: 1.5,
  Jilin: 1.3,
  Beijing: 0.4,
  Shanghai: 0.6,
  Guangdong: 0.6,
  Zhejiang: 0.7,
  Jiangsu: 0.8,
  Fujian: 0.9,
  Hainan: 0.9,
  Chongqing: 0.9,
};
const COAL_PROVINCES = new Set(['Shanxi', 'Inner Mongolia', 'Shaanxi', 'Ningxia', 'Xinjiang', 'Guizhou']);

/** Output of an average province, 10^4 CNY. */
const BASE_OUTPUT = 7.5e8;
/** Mt CO2 per 10^4 CNY of output, on average. */
const BASE_CARBON = 3.5e-7;

/** Round money to 0.01 (100 CNY) so written files stay short; y stays the exact residual. */
function round6(v: number): number {
  return Math.round(v * 100) / 100;
}

/** Round CO2 to 1e-6 Mt (1 t). */
function roundMt(v: number): number {
  return Math.round(v * 1e6) / 1e6;
}

function provinceTable(R: Rng, seed: number, sectors: readonly string[], name: string, region: string): DemoIOTable {
  const size = BASE_OUTPUT * (SIZE_TIER[name] ?? 0.7) * R.lognormal(0.15);
  const x = new Float64Array(N);
  for (let i = 0; i < N; i++) {
    let s = OUTPUT_SHARE[i]! * R.lognormal(0.45);
    if (i === 1) s *= COAL_PROVINCES.has(name) ? 8 : R.next() < 0.25 ? 0 : 1;
    if (i === 2 && R.next() < 0.35) s = 0;
    if (i === 3 && R.next() < 0.1) s = 0;
    x[i] = s;
  }
  const sx = x.reduce((a, b) => a + b, 0);
  for (let i = 0; i < N; i++) x[i] = round6((x[i]! / sx) * size);

  // Z = A diag(x): column j draws inputs by affinity (own sector, own group, intermediate products).
  const Z = new Float64Array(N * N);
  const w = new Float64Array(N);
  for (let j = 0; j < N; j++) {
    const a = Math.min(0.85, 0.88 * INPUT_RATIO[j]! * R.lognormal(0.06));
    let sw = 0;
    for (let i = 0; i < N; i++) {
      const r = R.next();
      const v = i !== j && r < 0.08 ? 0 : INPUT_USE[i]! * (i === j ? 5 : 1) * (GROUP[i] === GROUP[j] ? 1.8 : 1) * R.noise(0.6);
      w[i] = v;
      sw += v;
    }
    for (let i = 0; i < N; i++) Z[i * N + j] = round6((w[i]! / sw) * a * x[j]!);
  }

  const y = new Float64Array(N),
    E = new Float64Array(N),
    EP = new Float64Array(N);
  const M = new Float64Array(N),
    MP = new Float64Array(N),
    err = new Float64Array(N);
  const exportMult = EXPORT_BY_REGION[region] ?? 0.5;
  for (let i = 0; i < N; i++) {
    let u = 0;
    for (let j = 0; j < N; j++) u += Z[i * N + j]!;
    const xi = x[i]!;
    const c = FINAL_SHARE[i]! * R.lognormal(0.2) * xi;
    E[i] = round6(EXPORT_SHARE[i]! * exportMult * R.lognormal(0.3) * xi);
    EP[i] = round6(OUTFLOW_SHARE[i]! * R.lognormal(0.3) * xi);
    const use = u + c;
    M[i] = round6(IMPORT_SHARE[i]! * exportMult * R.lognormal(0.3) * use);
    MP[i] = round6(INFLOW_SHARE[i]! * R.lognormal(0.3) * use);
    err[i] = R.next() < 0.3 ? round6(0.01 * R.normal() * xi) : 0;
    const residual = () => xi - u - E[i]! - EP[i]! + M[i]! + MP[i]! - err[i]!;
    let yi = residual();
    const floor = 0.3 * c + 0.01 * u;
    if (yi < floor) {
      // Not enough own supply: the rest comes from other provinces (and abroad where imported at all).
      const deficit = floor - yi;
      const fromAbroad = IMPORT_SHARE[i]! > 0 ? 0.2 * deficit : 0;
      M[i] = round6(M[i]! + fromAbroad);
      MP[i] = round6(MP[i]! + deficit - fromAbroad);
      yi = residual();
    }
    const ceiling = 2.5 * c + 0.05 * xi;
    if (yi > ceiling) {
      // Surplus production goes to other provinces (and abroad where exported at all).
      const excess = yi - ceiling;
      const abroad = EXPORT_SHARE[i]! > 0 ? 0.2 * excess : 0;
      E[i] = round6(E[i]! + abroad);
      EP[i] = round6(EP[i]! + excess - abroad);
      yi = residual();
    }
    y[i] = yi;
  }

  const detail = splitFinalUse(R, y, R.uniform(0.18, 0.35));
  const VA = valueAdded(R, Z, x);
  const yHouseholds = new Float64Array(N);
  for (let i = 0; i < N; i++) yHouseholds[i] = detail.FU101[i]! + detail.FU102[i]!;
  return {
    region: name,
    sectors: [...sectors],
    Z,
    y,
    yHouseholds,
    E,
    EP,
    M,
    MP,
    err,
    x,
    source: `demo (synthetic, seed ${seed}): ${name}`,
    detail: { ...detail, VA },
  };
}

function splitFinalUse(R: Rng, y: Float64Array, ruralShare: number): Omit<DemoTableDetail, 'VA'> {
  const FU101 = new Float64Array(N),
    FU102 = new Float64Array(N),
    FU103 = new Float64Array(N);
  const FU201 = new Float64Array(N),
    FU202 = new Float64Array(N);
  for (let i = 0; i < N; i++) {
    const yi = y[i]!;
    FU202[i] = i < 22 && yi > 0 ? round6(R.uniform(-0.03, 0.1) * yi) : 0;
    const rest = yi - FU202[i]!;
    const [h, g] = FINAL_SPLIT[i]!;
    const hh = h * rest;
    FU101[i] = round6(ruralShare * hh);
    FU102[i] = round6(hh - FU101[i]!);
    FU103[i] = round6(g * rest);
    FU201[i] = rest - FU101[i]! - FU102[i]! - FU103[i]!; // residual: the five add up to y
  }
  return { FU101, FU102, FU103, FU201, FU202 };
}

function valueAdded(R: Rng, Z: Float64Array, x: Float64Array): DemoTableDetail['VA'] {
  const VA: DemoTableDetail['VA'] = [new Float64Array(N), new Float64Array(N), new Float64Array(N), new Float64Array(N)];
  for (let j = 0; j < N; j++) {
    let tii = 0;
    for (let i = 0; i < N; i++) tii += Z[i * N + j]!;
    const va = x[j]! - tii;
    VA[0][j] = round6(va * R.uniform(0.35, 0.6));
    VA[1][j] = round6(va * (j === 0 ? R.uniform(-0.05, 0.01) : R.uniform(0.05, 0.2)));
    VA[2][j] = round6(va * R.uniform(0.08, 0.2));
    VA[3][j] = va - VA[0][j]! - VA[1][j]! - VA[2][j]!;
  }
  return VA;
}

function nationalTable(R: Rng, seed: number, sectors: readonly string[], provinces: DemoIOTable[]): DemoIOTable {
  const sx = new Float64Array(N),
    sZ = new Float64Array(N * N),
    sE = new Float64Array(N),
    sM = new Float64Array(N);
  for (const t of provinces) {
    for (let i = 0; i < N; i++) {
      sx[i]! += t.x[i]!;
      sE[i]! += t.E[i]!;
      sM[i]! += t.M[i]!;
    }
    for (let k = 0; k < N * N; k++) sZ[k]! += t.Z[k]!;
  }
  // Provincial outputs add up to about 9% more than the national output (README of the data).
  const x = Float64Array.from(sx, (v) => round6((v / 1.09) * R.lognormal(0.03)));
  const Z = new Float64Array(N * N);
  for (let i = 0; i < N; i++) for (let j = 0; j < N; j++) Z[i * N + j] = sx[j]! > 0 ? round6((sZ[i * N + j]! / sx[j]!) * x[j]!) : 0;
  const y = new Float64Array(N),
    E = new Float64Array(N),
    M = new Float64Array(N);
  for (let i = 0; i < N; i++) {
    let u = 0;
    for (let j = 0; j < N; j++) u += Z[i * N + j]!;
    E[i] = round6(0.97 * sE[i]!);
    M[i] = round6(0.97 * sM[i]!);
    let yi = x[i]! - u - E[i]! + M[i]!;
    const floor = 0.3 * FINAL_SHARE[i]! * x[i]! + 0.01 * u;
    if (yi < floor) {
      M[i] = round6(M[i]! + floor - yi);
      yi = x[i]! - u - E[i]! + M[i]!;
    }
    y[i] = yi;
  }
  const detail = splitFinalUse(R, y, 0.25);
  const VA = valueAdded(R, Z, x);
  const zeros = () => new Float64Array(N);
  return {
    region: 'China',
    sectors: [...sectors],
    Z,
    y,
    // The national table does not split households from government (TC): as the reader does.
    yHouseholds: zeros(),
    E,
    EP: zeros(),
    M,
    MP: zeros(),
    err: zeros(),
    x,
    source: `demo (synthetic, seed ${seed}): China`,
    unavailable: ['yHouseholds'],
    detail: { ...detail, VA },
  };
}

// ---- emissions ---------------------------------------------------------------------------------

/** Share of a province's CO2 by CEADs sector (45) then Urban, Rural (%), invented but typical. */
const CO2_SHARE = [
  1.4, 2.5, 0.4, 0.12, 0.03, 0.06, 0.02, 0.005, 0.25, 0.12, 0.09, 0.01, 0.15, 0.03, 0.02, 0.05, 0.01, 0.24, 0.02, 0.01, 2, 1.45, 0.06, 0.04,
  0.02, 0.03, 9.4, 14, 1.2, 0.2, 0.3, 0.18, 0.17, 0.09, 0.05, 0.01, 0.03, 0.01, 49, 0.16, 0.01, 0.64, 6.9, 1.56, 1.53, 2.56, 1.82,
];
type Profile = [number, number][]; // [fuel index, share]
// Fuel indices: 0 Raw Coal, 1 Cleaned Coal, 2 Other Washed Coal, 3 Briquettes, 4 Coke, 5 Coke Oven Gas,
// 6 Other Gas, 7 Other Coking Products, 8 Crude Oil, 9 Gasoline, 10 Kerosene, 11 Diesel Oil,
// 12 Fuel Oil, 13 LPG, 14 Refinery Gas, 15 Other Petroleum Products, 16 Natural Gas.
const PROFILES: Record<string, Profile> = {
  power: [
    [0, 0.88],
    [1, 0.005],
    [2, 0.02],
    [5, 0.01],
    [6, 0.04],
    [16, 0.035],
    [12, 0.002],
    [11, 0.003],
    [14, 0.002],
    [15, 0.003],
  ],
  steel: [
    [0, 0.12],
    [1, 0.02],
    [3, 0.01],
    [4, 0.45],
    [5, 0.07],
    [6, 0.28],
    [7, 0.005],
    [11, 0.01],
    [12, 0.005],
    [13, 0.005],
    [16, 0.02],
  ],
  nonmetal: [
    [0, 0.6],
    [3, 0.02],
    [4, 0.05],
    [6, 0.02],
    [11, 0.05],
    [12, 0.04],
    [13, 0.02],
    [15, 0.08],
    [16, 0.12],
  ],
  nonferrous: [
    [0, 0.55],
    [4, 0.1],
    [5, 0.05],
    [6, 0.05],
    [11, 0.05],
    [12, 0.05],
    [16, 0.15],
  ],
  refining: [
    [0, 0.15],
    [1, 0.1],
    [5, 0.12],
    [8, 0.05],
    [12, 0.05],
    [13, 0.03],
    [14, 0.35],
    [15, 0.05],
    [16, 0.1],
  ],
  chem: [
    [0, 0.45],
    [1, 0.05],
    [4, 0.08],
    [5, 0.03],
    [6, 0.04],
    [7, 0.05],
    [11, 0.03],
    [12, 0.04],
    [13, 0.02],
    [14, 0.03],
    [16, 0.18],
  ],
  coalmining: [
    [0, 0.6],
    [2, 0.1],
    [9, 0.03],
    [11, 0.25],
    [16, 0.02],
  ],
  oilgas: [
    [0, 0.05],
    [8, 0.3],
    [11, 0.15],
    [12, 0.05],
    [16, 0.45],
  ],
  mining: [
    [0, 0.45],
    [9, 0.05],
    [11, 0.4],
    [12, 0.05],
    [16, 0.05],
  ],
  light: [
    [0, 0.45],
    [4, 0.03],
    [6, 0.02],
    [9, 0.08],
    [11, 0.12],
    [12, 0.05],
    [13, 0.05],
    [16, 0.2],
  ],
  gasworks: [
    [0, 0.2],
    [5, 0.3],
    [6, 0.2],
    [13, 0.1],
    [16, 0.2],
  ],
  agri: [
    [0, 0.25],
    [9, 0.12],
    [11, 0.55],
    [12, 0.03],
    [13, 0.03],
    [16, 0.02],
  ],
  construction: [
    [0, 0.15],
    [9, 0.2],
    [11, 0.45],
    [12, 0.08],
    [13, 0.05],
    [15, 0.03],
    [16, 0.04],
  ],
  transport: [
    [0, 0.02],
    [9, 0.18],
    [10, 0.16],
    [11, 0.45],
    [12, 0.12],
    [13, 0.02],
    [16, 0.05],
  ],
  commerce: [
    [0, 0.25],
    [9, 0.25],
    [11, 0.2],
    [12, 0.03],
    [13, 0.12],
    [16, 0.15],
  ],
  urban: [
    [0, 0.15],
    [9, 0.45],
    [11, 0.05],
    [13, 0.1],
    [16, 0.25],
  ],
  rural: [
    [0, 0.6],
    [9, 0.15],
    [11, 0.08],
    [13, 0.12],
    [16, 0.05],
  ],
};
/** Fuel profile of CEADs row k: the 45 sectors in sheet order, then Urban, Rural. */
function sectorProfile(k: number): string {
  if (k === 45) return 'urban';
  if (k === 46) return 'rural';
  if (k === 0 || k === 7) return 'agri';
  if (k === 1) return 'coalmining';
  if (k === 2) return 'oilgas';
  if (k <= 6) return 'mining';
  if (k === 20) return 'refining';
  if (k === 21) return 'chem';
  if (k === 26) return 'nonmetal';
  if (k === 27) return 'steel';
  if (k === 28) return 'nonferrous';
  if (k === 38) return 'power';
  if (k === 39) return 'gasworks';
  if (k === 41) return 'construction';
  if (k === 42) return 'transport';
  if (k === 43 || k === 44) return 'commerce';
  return 'light';
}
/** CEADs mining sectors and the IO sector whose absence makes them zero. */
const CEADS_NEEDS_IO: Record<number, number> = { 1: 1, 2: 2, 3: 3, 4: 3 };
const NONMETAL = 26;
const POWER = 38;

function provinceInventory(R: Rng, seed: number, data: BundledData, table: DemoIOTable): ProvinceInventory {
  const sectors = data.ceadsSectors.map((s) => s.name);
  const fuels = data.ipccFuels.map((f) => f.fuel);
  const nf = fuels.length;
  const nc = nf + 1; // + Process
  const nrow = sectors.length + 2;
  const totalX = table.x.reduce((a, b) => a + b, 0);
  const totalCO2 = BASE_CARBON * (CARBON_TIER[table.region] ?? 1) * R.lognormal(0.2) * totalX;
  const share = CO2_SHARE.map((s, k) => {
    const need = CEADS_NEEDS_IO[k];
    if (need !== undefined && table.x[need] === 0) return 0;
    return s * R.lognormal(k === POWER ? 0.25 : 0.5);
  });
  // The power sector is the largest emitter everywhere.
  const othersMax = Math.max(...share.filter((_, k) => k !== POWER));
  if (share[POWER]! < 1.3 * othersMax) share[POWER] = 1.3 * othersMax;
  const ss = share.reduce((a, b) => a + b, 0);
  const rows = Array.from({ length: nrow }, () => new Float64Array(nc));
  for (let k = 0; k < nrow; k++) {
    const S = (share[k]! / ss) * totalCO2;
    if (S === 0) continue;
    const processShare = k === NONMETAL ? Math.min(0.85, Math.max(0.2, 0.6 * R.lognormal(0.25))) : 0;
    const profile = PROFILES[sectorProfile(k)]!;
    const ws = profile.map(([, s]) => s * R.lognormal(0.35));
    const sw = ws.reduce((a, b) => a + b, 0);
    profile.forEach(([f], m) => {
      rows[k]![f] = roundMt((S * (1 - processShare) * ws[m]!) / sw);
    });
    rows[k]![nf] = roundMt(S * processShare);
  }
  const values = new Float64Array(sectors.length * nc);
  sectors.forEach((_, k) => values.set(rows[k]!, k * nc));
  const urban = rows[nrow - 2]!,
    rural = rows[nrow - 1]!;
  const total = new Float64Array(nc);
  for (const r of rows) for (let c = 0; c < nc; c++) total[c]! += r[c]!;
  return {
    province: table.region,
    sectors,
    columns: [...fuels, 'Process'],
    units: Array.from({ length: nc }, () => 'Mt CO2'),
    data: values,
    households: { urban, rural },
    total,
    source: `demo (synthetic, seed ${seed}): ${table.region}`,
  };
}

/** Energy-inventory labels of the transformation and balance rows after Urban/Rural, in sheet order. */
const ENERGY_OTHER_ROWS = [
  'Inputs(+) outputs(-)',
  'Thermal Power',
  'Heating Supply',
  'Coal Washing',
  'Coking',
  'Petroleum Refineries',
  'Gas Works',
  'Coke Input (-)',
  'Briquettes',
  'Loss',
  '% Loss',
  'Total Consumption',
  'Non-Energy Use',
  'China Airplanes&ships Refueling in Abroad',
  'Foreign Airplanes&ships Refueling in China',
] as const;
/** Energy-inventory columns after the 17 fuels. */
const ENERGY_EXTRA_COLUMNS = ['Heat', 'Electricity', 'Other_Energy'] as const;

function provinceEnergy(R: Rng, seed: number, data: BundledData, em: ProvinceInventory): ProvinceInventory {
  const fuels = data.ipccFuels;
  const nf = fuels.length;
  const ne = nf + ENERGY_EXTRA_COLUMNS.length;
  const ncE = em.columns.length; // fuels + Process
  const nsec = em.sectors.length;
  const nrow = nsec + 2;
  const emRow = (k: number) =>
    k < nsec ? em.data.subarray(k * ncE, (k + 1) * ncE) : k === nrow - 2 ? em.households.urban : em.households.rural;
  // Power-plant fuel: 2% own use in the sector row, the rest burnt in thermal power and heating plants.
  const ownUse = 0.02;
  const heatShare = R.uniform(0.05, 0.2);
  const rows = Array.from({ length: nrow }, () => new Float64Array(ne));
  const thermal = new Float64Array(ne),
    heating = new Float64Array(ne);
  for (let k = 0; k < nrow; k++) {
    const e = emRow(k);
    for (let f = 0; f < nf; f++) {
      const q = e[f]! / fuels[f]!.mtPerUnit;
      if (k === POWER) {
        rows[k]![f] = ownUse * q;
        thermal[f] = (1 - ownUse) * (1 - heatShare) * q;
        heating[f] = (1 - ownUse) * heatShare * q;
      } else rows[k]![f] = q;
    }
  }
  // Electricity (10^8 kWh) and heat (10^10 kJ) used by sector: roughly 0.08 Mt CO2 per 10^8 kWh and
  // 0.1 Mt per 10^10 kJ generated, shared out by sector with noise.
  let powerCO2 = 0;
  for (let f = 0; f < nf; f++) powerCO2 += emRow(POWER)[f]!;
  const elec = (powerCO2 * (1 - heatShare)) / 0.08;
  const heat = (powerCO2 * heatShare) / 0.1;
  const we = Array.from({ length: nrow }, (_, k) => (k === POWER ? 0.1 : 1) * (0.2 + CO2_SHARE[k]!) * R.lognormal(0.5));
  const wh = Array.from({ length: nrow }, (_, k) => (k >= nrow - 2 ? 6 : 1) * (0.2 + CO2_SHARE[k]!) * R.lognormal(0.5));
  const swe = we.reduce((a, b) => a + b, 0),
    swh = wh.reduce((a, b) => a + b, 0);
  for (let k = 0; k < nrow; k++) {
    rows[k]![nf] = (heat * wh[k]!) / swh;
    rows[k]![nf + 1] = (elec * we[k]!) / swe;
  }
  thermal[nf + 1] = -elec;
  heating[nf] = -heat;
  const values = new Float64Array(nsec * ne);
  for (let k = 0; k < nsec; k++) values.set(rows[k]!, k * ne);
  const total = new Float64Array(ne);
  for (const r of rows) for (let c = 0; c < ne; c++) total[c]! += r[c]!;
  const inputs = Float64Array.from(thermal, (v, c) => v + heating[c]!);
  const other = ENERGY_OTHER_ROWS.map((label) => {
    if (label === 'Inputs(+) outputs(-)') return { label, values: inputs };
    if (label === 'Thermal Power') return { label, values: thermal };
    if (label === 'Heating Supply') return { label, values: heating };
    if (label === 'Total Consumption') return { label, values: Float64Array.from(total, (v, c) => v + inputs[c]!) };
    return { label, values: new Float64Array(ne) };
  });
  // The energy inventory writes names with underscores ("Raw_Coal", "Other_Energy").
  const columns = [...fuels.map((f) => f.fuel.replace(/ /g, '_')), ...ENERGY_EXTRA_COLUMNS];
  const units = ceadsEnergyUnits();
  return {
    province: em.province,
    sectors: [...em.sectors],
    columns,
    units: columns.map((c) => units[c.replace(/_/g, ' ')]!),
    data: values,
    households: { urban: rows[nrow - 2]!, rural: rows[nrow - 1]! },
    total,
    otherRows: other,
    source: `demo (synthetic, seed ${seed}): ${em.province}`,
  };
}

/**
 * The synthetic dataset. Same seed, same numbers (bit for bit); each call builds fresh arrays.
 * Provinces in NBS order with region = English id; the inventory has the 30 provinces with a CEADs
 * sheet (no Tibet), keyed by English id.
 */
export function demoDataset(seed: number = DEMO_SEED): DemoDataset {
  const R = rng(seed);
  const data = bundledData();
  const sectors = data.sectors42.map((s) => s.code);
  const provinces = data.provinces.map((p) => provinceTable(R, seed, sectors, p.province, p.region));
  const national = nationalTable(R, seed, sectors, provinces);
  const inv = new Map<string, ProvinceInventory>();
  data.provinces.forEach((p, r) => {
    if (p.ceadsSheet !== '') inv.set(p.province, provinceInventory(R, seed, data, provinces[r]!));
  });
  const energy = new Map<string, ProvinceInventory>();
  for (const [name, em] of inv) energy.set(name, provinceEnergy(R, seed, data, em));
  return {
    provinces,
    national,
    emissions: { kind: 'emissions', provinces: inv, source: `demo (synthetic, seed ${seed})` },
    energy: { kind: 'energy', provinces: energy, source: `demo (synthetic, seed ${seed})` },
  };
}
