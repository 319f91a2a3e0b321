/**
 * The accounts, indices and classes of every province, computed in one place, in the flat batched
 * layout (province r's sector i at r·n + i) that the run and every sweep draw share: embodied
 * carbon CE, CM, CEP, CMP from total intensities and flows, then N, NP, T, CTT, CTTp and the class
 * (src/model/README.md, "Accounts"). `embodied run` is this evaluation with no perturbation.
 */

/** Classes I..IV as codes 0..3: I N>0,NP>0; II N<0,NP>0; III N<0,NP<0; IV N>0,NP<0. */
export const CLASSES = ['I', 'II', 'III', 'IV'] as const;
export type TradeClass = (typeof CLASSES)[number];

export function classCode(N: number, NP: number): number {
  if (N > 0) return NP > 0 ? 0 : 3;
  return NP > 0 ? 1 : 2;
}

/** The results of one evaluation per province; CTT and CTTp are NaN where they have no value. */
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

/** Which intensity values imports and inflows (the options import-intensity and inflow-intensity). */
interface FlowValuation {
  /** CM uses t^N (import-intensity=national) instead of t^r. */
  importNational: boolean;
  /** CMP uses t^r (inflow-intensity=own) … */
  inflowOwn: boolean;
  /** … or the other provinces' output-weighted t (other-provinces); otherwise t^N. */
  inflowOther: boolean;
}

/** The flat system an evaluation reads: R provinces of n sectors, their outputs x (R·n). */
export interface FlatSystem extends FlowValuation {
  R: number;
  n: number;
  x: Float64Array;
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

function sumRange(v: Float64Array, off: number, n: number): number {
  let s = 0;
  for (let i = 0; i < n; i++) s += v[off + i];
  return s;
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

/** Output-weighted mean of the other provinces' t in sector i, as seen from province r (inflow-intensity=other-provinces). */
export function otherProvincesMean(t: Float64Array, x: Float64Array, R: number, n: number, r: number, i: number): number {
  let num = 0;
  let den = 0;
  for (let p = 0; p < R; p++) {
    if (p === r) continue;
    num += x[p * n + i] * t[p * n + i];
    den += x[p * n + i];
  }
  return den > 0 ? num / den : 0;
}

/**
 * NaN as a module constant: optimised code loads the global `NaN` as a tagged object, so a value
 * that is either NaN or a computed double got boxed (48 bytes per CTT).
 */
const NONE = NaN;

/** a/b, with no value (NaN) where b = 0 or the quotient is not finite. */
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

/**
 * The accounts from total intensities t^r (R·n) and t^N (n) and flow vectors (R·n each) whose
 * per-province sums are `sums`: CE = t^r·E, CEP = t^r·EP, CM = t^{r|N}·M, CMP = t^{N|r|others}·MP.
 */
export function accountsFromT(
  m: FlatSystem,
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
      for (let i = 0; i < n; i++) CMP += otherProvincesMean(t, x, R, n, r, i) * MP[o + i];
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
