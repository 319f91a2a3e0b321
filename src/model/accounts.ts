/**
 * The accounts the report shows per sector and per province (src/model/README.md, "Accounts"): the province
 * totals, indices and class come from the one evaluation (evaluate.ts); here they travel with the
 * sector detail. Money in 10^4 CNY, CO2 in Mt.
 */
import type { SectorMap } from './aggregation.js';
import { aggregateVector } from './aggregation.js';
import { sum } from './coefficients.js';
import { CLASSES, otherProvincesMean, type DrawResult, type TradeClass } from './evaluate.js';
import type { PreparedModel } from './prepared.js';

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

/** Province r's accounts: its totals, balances, terms of trade and class from the evaluation `e`, with its sector accounts. */
export function provinceAccounts(province: string, sectors: SectorAccounts, e: DrawResult, r: number): ProvinceAccounts {
  const value = (v: number) => (Number.isNaN(v) ? null : v);
  return {
    province,
    CE: e.CE[r],
    CM: e.CM[r],
    CEP: e.CEP[r],
    CMP: e.CMP[r],
    N: e.N[r],
    NP: e.NP[r],
    T: e.T[r],
    CTT: value(e.CTT[r]),
    CTTp: value(e.CTTp[r]),
    class: CLASSES[e.cls[r]],
    sectors,
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

/** The intensities province r's flows are valued at, from the prepared model's base t^r and t^N. */
export function flowIntensities(m: PreparedModel, r: number): FlowIntensities {
  const { n, R, t, x } = m;
  const own = t.subarray(r * n, (r + 1) * n);
  return {
    own,
    imports: m.importNational ? m.tN : own,
    inflows: m.inflowOther ? Float64Array.from({ length: n }, (_, i) => otherProvincesMean(t, x, R, n, r, i)) : m.inflowOwn ? own : m.tN,
  };
}
