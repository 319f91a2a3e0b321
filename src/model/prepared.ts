/**
 * The prepared model: everything in the method that does not change between evaluations (the tables
 * at the model's level, A^r, L^r, d^r, t^r, t^N, the flow vectors, and L^r·E^r-style vectors for the
 * linear path of sweeps), in the flat batched layout: province r's sector i at r·n + i, its matrices
 * at r·n·n. Built from one batched factorisation of I − A^r for all provinces. `base` is the
 * evaluation with no perturbation: what `embodied run` reports and what every sweep starts from.
 */
import type { Kernel } from '../kernel/api.js';
import { calcA, netFinalDemand } from './coefficients.js';
import { accountsFromT, newDrawResult, newFlowSums, sumFlows, type DrawResult, type FlatSystem, type FlowSums } from './evaluate.js';
import { buildFuelBasis, type FuelBasis } from './fuel-basis.js';
import type { IntensityResult } from './intensities.js';
import type { ModelOptions } from './options.js';
import { inSystems, type SystemArray } from './system-errors.js';
import { modelSystems, type ModelSystems } from './systems.js';
import type { ModelInputs, ReferenceData } from './types.js';

export interface PreparedModel extends FlatSystem {
  options: ModelOptions;
  provinces: string[];
  sectors: string[];
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
  /** Base total intensities t^r = d^r L^r (R·n) and t^N (n), from the factorisations. */
  t: Float64Array;
  tN: Float64Array;
  /** L^r f^r (R·n): the output the Leontief identity x = L f must give back. */
  xHat: Float64Array;
  /** Flow vectors (R·n each); x^r is FlatSystem's. */
  E: Float64Array;
  EP: Float64Array;
  M: Float64Array;
  MP: Float64Array;
  /** Linear path: CE^r = d^r·wE^r, CEP^r = d^r·wEP^r, CM^r = d^{own|N}·wM^r, CMP^r = d^{N|own}·wMP^r. */
  wE: Float64Array;
  wEP: Float64Array;
  wM: Float64Array;
  wMP: Float64Array;
  intensities: IntensityResult;
  /** The evaluation with no perturbation (R each). */
  base: DrawResult;
  /** Built on first use (fuel parameters of sweeps). */
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

/** Solves with the identity: L's columns, stored row-major. */
function rowMajor(cols: Float64Array, n: number, count: number): Float64Array {
  const L = new Float64Array(count * n * n);
  for (let r = 0; r < count; r++) {
    const o = r * n * n;
    for (let k = 0; k < n; k++) for (let i = 0; i < n; i++) L[o + i * n + k] = cols[o + k * n + i];
  }
  return L;
}

function identities(n: number, count: number): Float64Array {
  const I = new Float64Array(count * n * n);
  for (let r = 0; r < count; r++) for (let k = 0; k < n; k++) I[r * n * n + k * n + k] = 1;
  return I;
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

/** Per-province sums of the base flow vectors (the denominators of CTT and CTTp). */
export function flowSums(m: PreparedModel): FlowSums {
  return sumFlows(m.E, m.EP, m.M, m.MP, m.n, newFlowSums(m.R));
}

/** `systems` may be passed when the caller has already built them for the same inputs and options. */
export function prepareModel(
  inputs: ModelInputs,
  ref: ReferenceData,
  options: ModelOptions,
  kernel: Kernel,
  systems: ModelSystems = modelSystems(inputs, ref, options, kernel),
): PreparedModel {
  const { tables, national, n, intensities, tNational } = systems;
  const R = tables.length;
  const A = new Float64Array(R * n * n);
  const d = new Float64Array(R * n);
  const f = new Float64Array(R * n);
  const E = new Float64Array(R * n);
  const EP = new Float64Array(R * n);
  const M = new Float64Array(R * n);
  const MP = new Float64Array(R * n);
  const x = new Float64Array(R * n);
  tables.forEach((t, r) => {
    A.set(calcA(t.Z, t.x), r * n * n);
    d.set(intensities.d.get(t.region)!, r * n);
    f.set(netFinalDemand(t), r * n);
    E.set(t.E, r * n);
    EP.set(t.EP, r * n);
    M.set(t.M, r * n);
    MP.set(t.MP, r * n);
    x.set(t.x, r * n);
  });
  // One batched factorisation of I − A^r: t^r = d^r L^r, x̂^r = L^r f^r and L^r itself.
  const arrays: SystemArray[] = [
    { what: 'A = Z / x', data: A, kind: 'matrix' },
    { what: 'direct intensity d', data: d, kind: 'vector' },
    { what: 'net final demand f', data: f, kind: 'vector' },
  ];
  const { t, xHat, L } = inSystems(tables, n, arrays, () => {
    const lu = kernel.factorBatch(A, n, R, { leontief: true });
    try {
      return {
        t: lu.solveTransposed(d, 1),
        xHat: lu.solve(f, 1),
        L: rowMajor(lu.solve(identities(n, R), n), n, R),
      };
    } finally {
      lu.free();
    }
  });
  const AN = calcA(national.Z, national.x);
  const LN = inSystems([national], n, [{ what: 'A = Z / x', data: AN, kind: 'matrix' }], () => {
    const luN = kernel.factorBatch(AN, n, 1, { leontief: true });
    try {
      return rowMajor(luN.solve(identities(n, 1), n), n, 1);
    } finally {
      luN.free();
    }
  });

  const importNational = options['import-intensity'] === 'national';
  const inflowOwn = options['inflow-intensity'] === 'own';
  const inflowOther = options['inflow-intensity'] === 'other-provinces';
  let basis: FuelBasis | undefined;
  const model: PreparedModel = {
    options,
    provinces: tables.map((tb) => tb.region),
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
    dN: Float64Array.from(intensities.dNational),
    t,
    tN: tNational,
    xHat,
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
    fuelBasis: () => (basis ??= buildFuelBasis(inputs, ref, options, tables, national, intensities)),
  };
  accountsFromT(model, t, tNational, E, EP, M, MP, flowSums(model), model.base);
  return model;
}
