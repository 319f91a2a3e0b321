/**
 * Hypothetical extraction (HEM) in the per-province model: the CO2 attributable to sector j of
 * province r is what the province's production emissions lose when the system is re-solved
 * without j (Miller & Blair 2009, §12.2; Dietzenbacher & Lahr 2013). With A = Z diag(x)⁻¹, the
 * net final demand f = x − Z1 (so x = (I − A)⁻¹ f) and d the direct intensities, the base is
 * E = d x = t f, t = d (I − A)⁻¹, and for each extraction Ē is re-solved:
 *  - total: j is removed (its row and column of A, its f_j and d_j): Ē = t̄ f with
 *    t̄ = d̄ (I − A diag(s))⁻¹, s_j = 0, d̄_j = 0, and f̄_j = 0 (t̄_j = 0, so f_j drops out);
 *  - backward: j buys no intermediate inputs (column j of A zero): Ē = d (I − A diag(s))⁻¹ f;
 *  - forward: nobody buys j's output as an input (row j of A zero): Ē = d x̄ with
 *    x̄ = (I − diag(s) A)⁻¹ f, solved as the row system x̄ᵀ = fᵀ (I − Aᵀ diag(s))⁻¹.
 * The attributable emissions are E − Ē (Mt). All R·ns extractions of one kind are one batched
 * kernel call (RowsBatch: R base matrices, one column multiplier vector per extraction).
 */
import type { IOTable } from '../data/types.js';
import type { Kernel } from '../kernel/api.js';
import { rowsBatchOf } from '../kernel/rows-batch.js';
import { calcA, netFinalDemand } from '../model/coefficients.js';
import { mrioA, type ProvincialMrio } from '../mrio/provincial.js';

export const EXTRACTIONS = ['total', 'backward', 'forward'] as const;
export type Extraction = (typeof EXTRACTIONS)[number];

export interface HemResult {
  provinces: string[];
  sectors: string[];
  /** Production CO2 of each province in the model, E = d x (Mt, R). */
  base: Float64Array;
  /** E − Ē per extraction kind, R × ns, row-major by province (Mt). */
  attributable: Record<Extraction, Float64Array>;
  ms: number;
}

/** Every sector of every province, extracted three ways (see the module comment); d keyed by province. */
export function provincialHem(tables: readonly IOTable[], d: ReadonlyMap<string, Float64Array>, kernel: Kernel): HemResult {
  const k = rowsBatchOf(kernel);
  const R = tables.length;
  const ns = tables[0]!.sectors.length;
  const provinces = tables.map((t) => t.region);
  const t0 = performance.now();
  const A = new Float64Array(R * ns * ns);
  const At = new Float64Array(R * ns * ns);
  const fd = tables.map((t) => netFinalDemand(t));
  const dv = tables.map((t) => {
    const v = d.get(t.region);
    if (!v || v.length !== ns) throw new Error(`no direct intensity d with ${ns} sectors for province ${t.region}`);
    return v;
  });
  tables.forEach((t, r) => {
    const a = calcA(t.Z, t.x);
    A.set(a, r * ns * ns);
    for (let i = 0; i < ns; i++) for (let j = 0; j < ns; j++) At[r * ns * ns + j * ns + i] = a[i * ns + j]!;
  });
  // Extraction c = j·R + r uses base r = c mod R: sector j of province r.
  const count = R * ns;
  const scale = new Float64Array(count * ns).fill(1);
  for (let j = 0; j < ns; j++) for (let r = 0; r < R; r++) scale[(j * R + r) * ns + j] = 0;
  const rhs = (kind: Extraction): Float64Array => {
    const b = new Float64Array(count * ns);
    for (let j = 0; j < ns; j++)
      for (let r = 0; r < R; r++) {
        const c = j * R + r;
        b.set(kind === 'forward' ? fd[r]! : dv[r]!, c * ns);
        if (kind === 'total') b[c * ns + j] = 0;
      }
    return b;
  };
  const base = new Float64Array(R);
  const baseT = k.leontiefRowsBatch(A, new Float64Array(R * ns).fill(1), Float64Array.from(dv.flatMap((v) => Array.from(v))), ns, R);
  for (let r = 0; r < R; r++) base[r] = dot(baseT, r * ns, fd[r]!, ns);
  const attributable = {} as Record<Extraction, Float64Array>;
  for (const kind of EXTRACTIONS) {
    const sol = k.leontiefRowsBatch(kind === 'forward' ? At : A, scale, rhs(kind), ns, count);
    const out = new Float64Array(R * ns);
    for (let j = 0; j < ns; j++)
      for (let r = 0; r < R; r++) {
        const c = j * R + r;
        // forward: sol is x̄, valued with d; otherwise sol is t̄, applied to f (f_j drops out of total as t̄_j = 0).
        const e = kind === 'forward' ? dot(sol, c * ns, dv[r]!, ns) : dot(sol, c * ns, fd[r]!, ns);
        out[r * ns + j] = base[r]! - e;
      }
    attributable[kind] = out;
  }
  return { provinces, sectors: [...tables[0]!.sectors], base, attributable, ms: performance.now() - t0 };
}

function dot(a: Float64Array, off: number, b: Float64Array, n: number): number {
  let s = 0;
  for (let i = 0; i < n; i++) s += a[off + i]! * b[i]!;
  return s;
}

export interface LinkHemResult {
  provinces: string[];
  /** Production CO2 of the whole MRIO, E = d x (Mt). */
  base: number;
  /** E − Ē per province and extraction kind (R each, Mt). */
  attributable: Record<Extraction, Float64Array>;
  ms: number;
}

/**
 * Hypothetical extraction of each province's interprovincial links in the MRIO: with A the MRIO's
 * coefficients and f its total final demand (domestic final use, exports, u + ρ: x = L f),
 *  - backward: r buys no intermediate inputs from other provinces (A^{sr} = 0, s ≠ r);
 *  - forward: no other province buys r's output as an input (A^{rs} = 0, s ≠ r);
 *  - total: both; r's own block A^{rr} stays.
 * Ē = d (I − A′)⁻¹ f, attributable E − Ē. Each A′ is a rank-ns change of I − A, so one LU of I − A
 * and the Woodbury identity give x̄ = x − U (I + Vᵀ U)⁻¹ Vᵀ x, U = (I − A)⁻¹ [C | E_r] (C: the
 * cut columns, E_r: the block's unit vectors), Vᵀ = [E_rᵀ; R] (R: the cut rows); the small system
 * of order ns or 2ns is solved by the kernel, so a singular one is reported, not solved.
 */
export function mrioLinkHem(m: ProvincialMrio, d: Float64Array, kernel: Kernel): LinkHemResult {
  const t0 = performance.now();
  const { n } = m;
  const R = m.provinces.length;
  const ns = m.sectors.length;
  const A = mrioA(m);
  const f = new Float64Array(n);
  for (let a = 0; a < n; a++) {
    let s = m.E[a]! + m.u[a]! + m.rho[a]!;
    for (let q = 0; q < R; q++) s += m.F[a * R + q]!;
    f[a] = s;
  }
  const lu = kernel.factorLeontief(A, n);
  const attributable = { total: new Float64Array(R), backward: new Float64Array(R), forward: new Float64Array(R) };
  let base = 0;
  try {
    const x = lu.solve(f);
    for (let a = 0; a < n; a++) base += d[a]! * x[a]!;
    // All provinces' U vectors in two multi-vector solves: vector lo + k is, for Y, column lo + k of
    // A outside the rows of its province (the cut column), and for Z the unit vector e_{lo+k}.
    const C = new Float64Array(n * n);
    const I = new Float64Array(n * n);
    for (let c = 0; c < n; c++) {
      const lo = c - (c % ns);
      for (let a = 0; a < n; a++) if (a < lo || a >= lo + ns) C[c * n + a] = A[a * n + c]!;
      I[c * n + c] = 1;
    }
    const Yall = lu.solve(C, n);
    const Zall = lu.solve(I, n);
    for (let r = 0; r < R; r++) {
      const lo = r * ns;
      const inR = (a: number) => a >= lo && a < lo + ns;
      const Y = Yall.subarray(lo * n, (lo + ns) * n);
      const Z = Zall.subarray(lo * n, (lo + ns) * n);
      // Vᵀ U blocks: E_rᵀ Y, E_rᵀ Z (rows of r), R Y, R Z (R: r's rows outside r's columns); Vᵀ x.
      const W = [Y, Z];
      const G = new Float64Array(2 * ns * 2 * ns); // rows: [E_rᵀ; R], columns: [Y | Z]
      const vx = new Float64Array(2 * ns);
      for (let i = 0; i < ns; i++) {
        const row = (lo + i) * n;
        vx[i] = x[lo + i]!;
        let rx = 0;
        for (let b = 0; b < n; b++) if (!inR(b)) rx += A[row + b]! * x[b]!;
        vx[ns + i] = rx;
        for (let w = 0; w < 2; w++)
          for (let k = 0; k < ns; k++) {
            const u = W[w]!;
            G[i * 2 * ns + w * ns + k] = u[k * n + lo + i]!;
            let s = 0;
            for (let b = 0; b < n; b++) if (!inR(b)) s += A[row + b]! * u[k * n + b]!;
            G[(ns + i) * 2 * ns + w * ns + k] = s;
          }
      }
      for (const kind of EXTRACTIONS) {
        // backward: U = Y, Vᵀ = E_rᵀ (block 0); forward: U = Z, Vᵀ = R (block 1); total: both.
        const blocks = kind === 'backward' ? [0] : kind === 'forward' ? [1] : [0, 1];
        const p = blocks.length * ns;
        const S = new Float64Array(p * p);
        const rhs = new Float64Array(p);
        blocks.forEach((bi, I) => {
          for (let i = 0; i < ns; i++) {
            rhs[I * ns + i] = vx[bi * ns + i]!;
            blocks.forEach((bj, J) => {
              for (let j = 0; j < ns; j++)
                S[(I * ns + i) * p + J * ns + j] = (I === J && i === j ? 1 : 0) + G[(bi * ns + i) * 2 * ns + bj * ns + j]!;
            });
          }
        });
        const c = kernel.solve(S, p, rhs);
        let e = 0;
        for (let a = 0; a < n; a++) {
          let xa = x[a]!;
          blocks.forEach((bj, J) => {
            const u = W[bj]!;
            for (let j = 0; j < ns; j++) xa -= u[j * n + a]! * c[J * ns + j]!;
          });
          e += d[a]! * xa;
        }
        attributable[kind][r] = base - e;
      }
    }
  } finally {
    lu.free();
  }
  return { provinces: [...m.provinces], base, attributable, ms: performance.now() - t0 };
}
