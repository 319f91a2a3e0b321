/**
 * The prepared model of a sweep: everything in the paper pipeline that does not change between draws
 * (aggregated tables, A^r, L^r, t^N, the flow vectors, and L^r·E^r-style vectors for the linear path),
 * computed once per method-grid cell and per worker. A draw then costs a few dot products when it
 * changes only intensities, and a batched refactorisation only when it changes A.
 *
 * For a zero perturbation it reproduces runModel's N, NP, T, CTT, CTTp and class (test/sweep).
 */
import type { Kernel } from '../kernel/api.js';
import { calcA } from '../model/coefficients.js';
import type { EmissionSources, IntensityResult } from '../model/intensities.js';
import { directIntensities, normaliseFuel } from '../model/intensities.js';
import type { ModelOptions } from '../model/options.js';
import { modelSystems, type ModelInputs, type ReferenceData } from '../model/pipeline.js';
import type { Inventory, IOTable, ProvinceInventory } from '../model/types.js';

/** Classes I..IV as codes 0..3 (METHOD.md: I N>0,NP>0; II N<0,NP>0; III N<0,NP<0; IV N>0,NP<0). */
export const CLASSES = ['I', 'II', 'III', 'IV'] as const;
export function classCode(N: number, NP: number): number {
  if (N > 0) return NP > 0 ? 0 : 3;
  return NP > 0 ? 1 : 2;
}

/**
 * CO2 decomposed by fuel column: the intensities are linear in the emissions of each fuel, up to the
 * ratio c^r / c, so a draw that scales fuels recombines these instead of rereading inventories.
 */
export interface FuelBasis {
  /** Fuel labels (as in the inventory or factor table). */
  fuels: string[];
  /** National sector CO2 per fuel at the model's level: fuels × n. */
  C: Float64Array;
  /** Provincial totals behind c^r per fuel: R × fuels (zero rows for provinces without inventory). */
  totals: Float64Array;
  /** 1 where the province has no inventory and gets d^N. */
  fallback: Uint8Array;
  /** Σ x^r per province, Σ x^N, and x^N per sector at the model's level. */
  sumX: Float64Array;
  sumXN: number;
  xN: Float64Array;
}

export interface PreparedModel {
  options: ModelOptions;
  provinces: string[];
  sectors: string[];
  R: number;
  n: number;
  /** Provincial A^r (R·n·n) and national A^N (n·n), row-major; base column sums of each. */
  A: Float64Array;
  AN: Float64Array;
  colSum: Float64Array;
  colSumN: Float64Array;
  /** L^r row-major (R·n·n) and L^N (n·n). */
  L: Float64Array;
  LN: Float64Array;
  /** Base direct intensities d^r (R·n) and d^N (n). */
  d: Float64Array;
  dN: Float64Array;
  /** Flow vectors (R·n each) and x^r. */
  E: Float64Array;
  EP: Float64Array;
  M: Float64Array;
  MP: Float64Array;
  x: Float64Array;
  /** Linear path: CE^r = d^r·wE^r, CEP^r = d^r·wEP^r, CM^r = d^{own|N}·wM^r, CMP^r = d^{N|own}·wMP^r. */
  wE: Float64Array;
  wEP: Float64Array;
  wM: Float64Array;
  wMP: Float64Array;
  /** Whether CM uses d^N (import-intensity=national) and CMP uses d^r (inflow-intensity=own). */
  importNational: boolean;
  inflowOwn: boolean;
  inflowOther: boolean;
  intensities: IntensityResult;
  /** Base results (R each). */
  base: DrawResult;
  /** Built on first use (fuel parameters). */
  fuelBasis(): FuelBasis;
}

/**
 * A prepared model as plain data (structured-cloneable): what worker threads receive instead of
 * loading the inputs and preparing the model again. The fuel basis is included when asked for.
 */
export type PortableModel = Omit<PreparedModel, 'fuelBasis'> & { basis?: FuelBasis };

export function portableModel(m: PreparedModel, withBasis: boolean): PortableModel {
  const { fuelBasis, ...data } = m;
  return { ...data, basis: withBasis ? fuelBasis() : undefined };
}

export function modelFromPortable(p: PortableModel): PreparedModel {
  const { basis, ...data } = p;
  return {
    ...data,
    fuelBasis: () => {
      if (!basis) throw new Error('this prepared model was shipped without its fuel basis (no fuel parameter in the spec)');
      return basis;
    },
  };
}

/** One draw's results per province; CTT and CTTp are NaN where they have no value. */
export interface DrawResult {
  CE: Float64Array;
  CM: Float64Array;
  CEP: Float64Array;
  CMP: Float64Array;
  N: Float64Array;
  NP: Float64Array;
  T: Float64Array;
  CTT: Float64Array;
  CTTp: Float64Array;
  cls: Uint8Array;
}

export function newDrawResult(R: number): DrawResult {
  return {
    CE: new Float64Array(R),
    CM: new Float64Array(R),
    CEP: new Float64Array(R),
    CMP: new Float64Array(R),
    N: new Float64Array(R),
    NP: new Float64Array(R),
    T: new Float64Array(R),
    CTT: new Float64Array(R),
    CTTp: new Float64Array(R),
    cls: new Uint8Array(R),
  };
}

/**
 * NaN as a module constant: optimised code loads the global `NaN` as a tagged object, so a value
 * that is either NaN or a computed double got boxed (48 bytes per CTT).
 */
const NONE = NaN;

/** (a/b) with accounts.ts's rule: no value (NaN here) where b = 0 or the quotient is not finite. */
function ratio(a: number, b: number): number {
  if (b === 0) return NONE;
  const q = a / b;
  return Number.isFinite(q) ? q : NONE;
}

/**
 * out[r] = CTT-style index (c1/v1)/(c2/v2) of province r, NaN where any quotient has no value.
 * Arrays in, nothing returned: where V8 does not inline it, no double is boxed.
 */
function termsOfTrade(out: Float64Array, c1: Float64Array, v1: Float64Array, c2: Float64Array, v2: Float64Array, r: number): void {
  const a = ratio(c1[r], v1[r]);
  const b = ratio(c2[r], v2[r]);
  out[r] = Number.isNaN(a) || Number.isNaN(b) ? NONE : ratio(a, b);
}

/**
 * Fills N, NP, T, CTT, CTTp and class of every province from the four embodied-carbon totals the
 * caller wrote into out.CE, CM, CEP and CMP. Once per draw, with arrays: per province with the
 * totals as arguments, V8 boxed those doubles (3.8 kB of garbage per draw on the factorised path).
 */
export function finishProvinces(out: DrawResult, sums: FlowSums): void {
  const { CE, CM, CEP, CMP, N, NP, T, CTT, CTTp, cls } = out;
  for (let r = 0; r < CE.length; r++) {
    const n = CE[r] - CM[r];
    const np = CEP[r] - CMP[r];
    N[r] = n;
    NP[r] = np;
    T[r] = n + np;
    termsOfTrade(CTT, CE, sums.E, CM, sums.M, r);
    termsOfTrade(CTTp, CEP, sums.EP, CMP, sums.MP, r);
    cls[r] = classCode(n, np);
  }
}

function sumRange(v: Float64Array, off: number, n: number): number {
  let s = 0;
  for (let i = 0; i < n; i++) s += v[off + i];
  return s;
}

/** L row-major from a batch factorisation of I − A (solves with the identity give L's columns). */
function explicitL(kernel: Kernel, A: Float64Array, n: number, count: number): Float64Array {
  const lu = kernel.factorBatch(A, n, count, { leontief: true });
  try {
    const I = new Float64Array(count * n * n);
    for (let r = 0; r < count; r++) for (let k = 0; k < n; k++) I[r * n * n + k * n + k] = 1;
    const cols = lu.solve(I, n); // cols[r][k*n + i] = L[i][k]
    const L = new Float64Array(count * n * n);
    for (let r = 0; r < count; r++) {
      const o = r * n * n;
      for (let k = 0; k < n; k++) for (let i = 0; i < n; i++) L[o + i * n + k] = cols[o + k * n + i];
    }
    return L;
  } finally {
    lu.free();
  }
}

/** L·v for every province: out[r] = L^r v^r (or L^N v^r with `national`). */
function timesL(L: Float64Array, v: Float64Array, n: number, R: number, national: boolean): Float64Array {
  const out = new Float64Array(R * n);
  for (let r = 0; r < R; r++) {
    const lo = national ? 0 : r * n * n;
    for (let i = 0; i < n; i++) {
      let s = 0;
      for (let j = 0; j < n; j++) s += L[lo + i * n + j] * v[r * n + j];
      out[r * n + i] = s;
    }
  }
  return out;
}

function columnSums(A: Float64Array, n: number, count: number): Float64Array {
  const s = new Float64Array(count * n);
  for (let r = 0; r < count; r++) for (let i = 0; i < n; i++) for (let j = 0; j < n; j++) s[r * n + j] += A[r * n * n + i * n + j];
  return s;
}

export function prepareModel(inputs: ModelInputs, ref: ReferenceData, options: ModelOptions, kernel: Kernel): PreparedModel {
  const { tables, national, n, intensities } = modelSystems(inputs, ref, options, kernel);
  const R = tables.length;

  const A = new Float64Array(R * n * n);
  const d = new Float64Array(R * n);
  const E = new Float64Array(R * n);
  const EP = new Float64Array(R * n);
  const M = new Float64Array(R * n);
  const MP = new Float64Array(R * n);
  const x = new Float64Array(R * n);
  tables.forEach((t, r) => {
    A.set(calcA(t.Z, t.x), r * n * n);
    d.set(intensities.d.get(t.region)!, r * n);
    E.set(t.E, r * n);
    EP.set(t.EP, r * n);
    M.set(t.M, r * n);
    MP.set(t.MP, r * n);
    x.set(t.x, r * n);
  });
  const AN = calcA(national.Z, national.x);
  const L = explicitL(kernel, A, n, R);
  const LN = explicitL(kernel, AN, n, 1);
  const dN = Float64Array.from(intensities.dNational);

  const importNational = options['import-intensity'] === 'national';
  const inflowOwn = options['inflow-intensity'] === 'own';
  const inflowOther = options['inflow-intensity'] === 'other-provinces';
  const model: PreparedModel = {
    options,
    provinces: tables.map((t) => t.region),
    sectors: [...national.sectors],
    R,
    n,
    A,
    AN,
    colSum: columnSums(A, n, R),
    colSumN: columnSums(AN, n, 1),
    L,
    LN,
    d,
    dN,
    E,
    EP,
    M,
    MP,
    x,
    wE: timesL(L, E, n, R, false),
    wEP: timesL(L, EP, n, R, false),
    wM: timesL(importNational ? LN : L, M, n, R, importNational),
    wMP: timesL(inflowOwn ? L : LN, MP, n, R, !inflowOwn),
    importNational,
    inflowOwn,
    inflowOther,
    intensities,
    base: newDrawResult(R),
    fuelBasis: () => {
      basis ??= buildFuelBasis(inputs, ref, options, tables, national, intensities);
      return basis;
    },
  };
  let basis: FuelBasis | undefined;
  // The base run through the general path (t from the stored L), as runModel computes it.
  const t = new Float64Array(R * n);
  const tN = new Float64Array(n);
  totalIntensities(model, d, dN, t, tN);
  accountsFromT(model, t, tN, E, EP, M, MP, flowSums(model), model.base);
  return model;
}

/** t^r = d^r L^r for every province, and t^N = d^N L^N, from the stored inverses. */
export function totalIntensities(m: PreparedModel, d: Float64Array, dN: Float64Array, t: Float64Array, tN: Float64Array): void {
  const { n, R, L, LN } = m;
  rowTimes(dN, 0, LN, 0, n, tN, 0);
  for (let r = 0; r < R; r++) rowTimes(d, r * n, L, r * n * n, n, t, r * n);
}

/** out[o..o+n) = v[vo..vo+n) · M (row vector times row-major matrix). */
export function rowTimes(v: Float64Array, vo: number, Mx: Float64Array, mo: number, n: number, out: Float64Array, o: number): void {
  for (let j = 0; j < n; j++) out[o + j] = 0;
  for (let k = 0; k < n; k++) {
    const vk = v[vo + k];
    if (vk === 0) continue;
    const row = mo + k * n;
    for (let j = 0; j < n; j++) out[o + j] += vk * Mx[row + j];
  }
}

/** Accounts from explicit total intensities and (possibly perturbed) flow vectors, whose per-province sums are `sums`. */
export function accountsFromT(
  m: PreparedModel,
  t: Float64Array,
  tN: Float64Array,
  E: Float64Array,
  EP: Float64Array,
  M: Float64Array,
  MP: Float64Array,
  sums: FlowSums,
  out: DrawResult,
): void {
  const { n, R, x } = m;
  for (let r = 0; r < R; r++) {
    const o = r * n;
    // The intensities CM and CMP use: t^r (o) or t^N (offset 0 in tN).
    const tm = m.importNational ? tN : t;
    const om = m.importNational ? 0 : o;
    let CE = 0;
    let CEP = 0;
    let CM = 0;
    let CMP = 0;
    for (let i = 0; i < n; i++) {
      const ti = t[o + i];
      CE += ti * E[o + i];
      CEP += ti * EP[o + i];
      CM += tm[om + i] * M[o + i];
    }
    if (m.inflowOther) {
      for (let i = 0; i < n; i++) {
        let num = 0;
        let den = 0;
        for (let p = 0; p < R; p++) {
          if (p === r) continue;
          num += x[p * n + i] * t[p * n + i];
          den += x[p * n + i];
        }
        CMP += (den > 0 ? num / den : 0) * MP[o + i];
      }
    } else {
      const tp = m.inflowOwn ? t : tN;
      const op = m.inflowOwn ? o : 0;
      for (let i = 0; i < n; i++) CMP += tp[op + i] * MP[o + i];
    }
    out.CE[r] = CE;
    out.CM[r] = CM;
    out.CEP[r] = CEP;
    out.CMP[r] = CMP;
  }
  finishProvinces(out, sums);
}

export interface FlowSums {
  E: Float64Array;
  EP: Float64Array;
  M: Float64Array;
  MP: Float64Array;
}

export function newFlowSums(R: number): FlowSums {
  return { E: new Float64Array(R), EP: new Float64Array(R), M: new Float64Array(R), MP: new Float64Array(R) };
}

/** Per-province sums of four flow vectors (R·n each) into `out`. */
export function sumFlows(E: Float64Array, EP: Float64Array, M: Float64Array, MP: Float64Array, n: number, out: FlowSums): FlowSums {
  for (let r = 0; r < out.E.length; r++) {
    out.E[r] = sumRange(E, r * n, n);
    out.EP[r] = sumRange(EP, r * n, n);
    out.M[r] = sumRange(M, r * n, n);
    out.MP[r] = sumRange(MP, r * n, n);
  }
  return out;
}

/** Sums of the base flow vectors per province (for the linear path's CTT). */
export function flowSums(m: PreparedModel): FlowSums {
  return sumFlows(m.E, m.EP, m.M, m.MP, m.n, newFlowSums(m.R));
}

// ---------------------------------------------------------------------------------------------
// Fuel basis

function maskInventory(inv: ProvinceInventory, keep: boolean[]): ProvinceInventory {
  const m = inv.columns.length;
  const data = new Float64Array(inv.data.length);
  for (let k = 0; k < data.length; k++) if (keep[k % m]) data[k] = inv.data[k];
  const mask = (v: Float64Array) => v.map((x, c) => (keep[c] ? x : 0));
  return { ...inv, data, households: { urban: mask(inv.households.urban), rural: mask(inv.households.rural) } };
}

function maskedInventory(inv: Inventory | undefined, fuel: string): Inventory | undefined {
  if (!inv) return undefined;
  const provinces = new Map<string, ProvinceInventory>();
  for (const [k, p] of inv.provinces) provinces.set(k, maskInventory(p, p.columns.map((c) => normaliseFuel(c) === fuel)));
  return { ...inv, provinces };
}

function buildFuelBasis(
  inputs: ModelInputs,
  ref: ReferenceData,
  options: ModelOptions,
  tables: IOTable[],
  national: IOTable,
  base: IntensityResult,
): FuelBasis {
  const src = inputs.sources;
  const labels = new Map<string, string>();
  if (options['emission-source'] === 'ceads') {
    for (const p of src.emissions?.provinces.values() ?? []) for (const c of p.columns) if (!labels.has(normaliseFuel(c))) labels.set(normaliseFuel(c), c.trim());
    if (options['national-emissions'] === 'national-inventory') {
      for (const c of src.nationalInventory?.columns ?? []) if (!labels.has(normaliseFuel(c))) labels.set(normaliseFuel(c), c.trim());
    }
  } else {
    for (const f of src.factors ?? []) if (!labels.has(normaliseFuel(f.fuel))) labels.set(normaliseFuel(f.fuel), f.fuel.trim());
  }
  const before = options.aggregation === 'before';
  const R = tables.length;
  const n = national.sectors.length;
  const fuels: string[] = [];
  const Cs: Float64Array[] = [];
  const totals: Float64Array[] = [];
  for (const [key, label] of labels) {
    const masked: EmissionSources =
      options['emission-source'] === 'ceads'
        ? {
            ...src,
            emissions: maskedInventory(src.emissions, key),
            ...(src.nationalInventory && {
              nationalInventory: maskInventory(src.nationalInventory, src.nationalInventory.columns.map((c) => normaliseFuel(c) === key)),
            }),
          }
        : { ...src, factors: src.factors!.map((f) => (normaliseFuel(f.fuel) === key ? f : { ...f, mtPerUnit: 0 })) };
    const r = directIntensities(inputs.provinces, inputs.national, masked, ref.concordance, options, before ? ref.to30 : undefined, ref.hasInventory);
    const tot = Float64Array.from(tables, (t) => r.provinceTotal.get(t.region) ?? 0);
    if (r.C.every((v) => v === 0) && tot.every((v) => v === 0)) continue;
    fuels.push(label);
    Cs.push(r.C);
    totals.push(tot);
  }
  const C = new Float64Array(fuels.length * n);
  Cs.forEach((c, f) => C.set(c, f * n));
  const T = new Float64Array(R * fuels.length);
  totals.forEach((tot, f) => tot.forEach((v, r) => (T[r * fuels.length + f] = v)));
  const fallbackSet = new Set(base.nationalFallback);
  const sum = (v: Float64Array) => v.reduce((a, b) => a + b, 0);
  return {
    fuels,
    C,
    totals: T,
    fallback: Uint8Array.from(tables, (t) => (fallbackSet.has(t.region) ? 1 : 0)),
    sumX: Float64Array.from(inputs.provinces, (t) => sum(t.x)),
    sumXN: sum(inputs.national.x),
    xN: Float64Array.from(national.x),
  };
}

/** d^r and d^N from fuel scales (METHOD.md "Direct intensities" steps 2–4, recombined per fuel). */
export function intensitiesFromFuels(b: FuelBasis, scale: Float64Array, n: number, out: Float64Array, o: number): void {
  const F = b.fuels.length;
  const R = b.fallback.length;
  const dN = o + R * n;
  let sumC = 0;
  for (let i = 0; i < n; i++) {
    let c = 0;
    for (let f = 0; f < F; f++) c += scale[f] * b.C[f * n + i];
    sumC += c;
    out[dN + i] = b.xN[i] > 0 ? c / b.xN[i] : 0;
  }
  const cN = sumC / b.sumXN;
  for (let r = 0; r < R; r++) {
    let ratio = 1;
    if (!b.fallback[r]) {
      let tot = 0;
      for (let f = 0; f < F; f++) tot += scale[f] * b.totals[r * F + f];
      ratio = tot / b.sumX[r] / cN;
    }
    const dr = o + r * n;
    for (let i = 0; i < n; i++) out[dr + i] = out[dN + i] * ratio;
  }
}
