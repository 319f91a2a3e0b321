/** Embodied-carbon accounts and indices per province (METHOD.md, "Model"). Money in 10^4 CNY, CO2 in Mt. */
import type { SectorMap } from './aggregation.js';
import { aggregateVector } from './aggregation.js';
import { sum } from './coefficients.js';

export type TradeClass = 'I' | 'II' | 'III' | 'IV';

/** Trade flows and the CO2 embodied in them, per sector, with their labels. */
export interface SectorAccounts {
  sectors: string[];
  x: Float64Array;
  E: Float64Array;
  EP: Float64Array;
  M: Float64Array;
  MP: Float64Array;
  CE: Float64Array;
  CM: Float64Array;
  CEP: Float64Array;
  CMP: Float64Array;
}

export interface ProvinceAccounts {
  province: string;
  CE: number;
  CM: number;
  CEP: number;
  CMP: number;
  /** Foreign net balance CE − CM. */
  N: number;
  /** Interprovincial net balance CEP − CMP. */
  NP: number;
  T: number;
  /** Carbon terms of trade, null where a denominator is zero. */
  CTT: number | null;
  CTTp: number | null;
  class: TradeClass;
  sectors: SectorAccounts;
}

/** The intensities each flow is valued at. */
export interface FlowIntensities {
  /** t^r, for exports and outflows. */
  own: Float64Array;
  /** For imports (own or national, by option). */
  imports: Float64Array;
  /** For inflows (national, own or other provinces, by option). */
  inflows: Float64Array;
}

export function tradeClass(N: number, NP: number): TradeClass {
  if (N > 0) return NP > 0 ? 'I' : 'IV';
  return NP > 0 ? 'II' : 'III';
}

function times(t: Float64Array, v: Float64Array): Float64Array {
  return t.map((ti, i) => ti * v[i]);
}

function ratio(a: number, b: number): number | null {
  return b === 0 || !Number.isFinite(a / b) ? null : a / b;
}

/** Per-sector accounts of one province at the model's sector level. */
export function sectorAccounts(
  sectors: string[],
  flows: { x: Float64Array; E: Float64Array; EP: Float64Array; M: Float64Array; MP: Float64Array },
  t: FlowIntensities,
): SectorAccounts {
  return {
    sectors,
    x: flows.x,
    E: flows.E,
    EP: flows.EP,
    M: flows.M,
    MP: flows.MP,
    CE: times(t.own, flows.E),
    CEP: times(t.own, flows.EP),
    CM: times(t.imports, flows.M),
    CMP: times(t.inflows, flows.MP),
  };
}

/** Sums every sector vector over a mapping (to 30 sectors, or to the 6 groups). */
export function aggregateAccounts(s: SectorAccounts, map: SectorMap): SectorAccounts {
  const v = (a: Float64Array) => aggregateVector(a, map);
  return {
    sectors: [...map.to],
    x: v(s.x),
    E: v(s.E),
    EP: v(s.EP),
    M: v(s.M),
    MP: v(s.MP),
    CE: v(s.CE),
    CM: v(s.CM),
    CEP: v(s.CEP),
    CMP: v(s.CMP),
  };
}

/** Province totals, balances, terms of trade and class from its sector accounts. */
export function provinceAccounts(province: string, s: SectorAccounts): ProvinceAccounts {
  const CE = sum(s.CE);
  const CM = sum(s.CM);
  const CEP = sum(s.CEP);
  const CMP = sum(s.CMP);
  const N = CE - CM;
  const NP = CEP - CMP;
  const intensityRatio = (c1: number, v1: number, c2: number, v2: number) => {
    const a = ratio(c1, v1);
    const b = ratio(c2, v2);
    return a === null || b === null ? null : ratio(a, b);
  };
  return {
    province,
    CE,
    CM,
    CEP,
    CMP,
    N,
    NP,
    T: N + NP,
    CTT: intensityRatio(CE, sum(s.E), CM, sum(s.M)),
    CTTp: intensityRatio(CEP, sum(s.EP), CMP, sum(s.MP)),
    class: tradeClass(N, NP),
    sectors: s,
  };
}

/**
 * Comparative carbon indices per sector: ECC_i = (CE_i/E_i)/(CE/E) and PECC_i = (CEP_i/EP_i)/(CEP/EP);
 * null where the sector has no exports (outflow) — there is no index, not a zero.
 */
export function comparativeIndices(s: SectorAccounts): { ECC: (number | null)[]; PECC: (number | null)[] } {
  const index = (C: Float64Array, V: Float64Array) => {
    const overall = ratio(sum(C), sum(V));
    return Array.from(C, (c, i) => {
      const own = V[i] === 0 ? null : ratio(c, V[i]);
      return own === null || overall === null ? null : ratio(own, overall);
    });
  };
  return { ECC: index(s.CE, s.E), PECC: index(s.CEP, s.EP) };
}

/** Output-weighted mean of the other provinces' t, per sector (inflow-intensity=other-provinces). */
export function otherProvincesIntensity(
  province: string,
  t: ReadonlyMap<string, Float64Array>,
  x: ReadonlyMap<string, Float64Array>,
): Float64Array {
  const n = t.get(province)!.length;
  const num = new Float64Array(n);
  const den = new Float64Array(n);
  for (const [p, tp] of t) {
    if (p === province) continue;
    const xp = x.get(p)!;
    for (let i = 0; i < n; i++) {
      num[i] += xp[i] * tp[i];
      den[i] += xp[i];
    }
  }
  return num.map((v, i) => (den[i] > 0 ? v / den[i] : 0));
}
