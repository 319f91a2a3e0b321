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
