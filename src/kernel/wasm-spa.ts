/** The wasm host of the structural path traversal (assembly/spa.ts, in the model's build; specification: spa.ts). */
import { checkSpaInput, type SpaInput, type SpaRaw } from './spa.js';
import type { ModelExports, WasmMemory } from './wasm-memory.js';

/** PathSearch.structuralPaths over the model's build (ex: m's exports, which have it). */
export function wasmStructuralPaths(m: WasmMemory, ex: ModelExports, p: SpaInput): SpaRaw {
  const maxNodes = checkSpaInput(p, false);
  const { n } = p;
  const pa = m.mat.get(n * n * 8);
  const pv = m.io.get(4 * n * 8 + 6 * 8);
  m.put(pa, p.A, 'A', n);
  const F = m.F;
  F.set(p.d, pv >>> 3);
  F.set(p.t, (pv >>> 3) + n);
  F.set(p.f, (pv >>> 3) + 2 * n);
  const stats = pv + 3 * n * 8;
  try {
    const ln = ex.spaRun(pa, pv, pv + n * 8, pv + 2 * n * 8, n, p.threshold, p.maxPaths, maxNodes, stats);
    const Fv = m.F;
    const I = m.I;
    const s = Fv.subarray(stats >>> 3, (stats >>> 3) + 6);
    const ids = I.subarray(ex.spaResult(0) >>> 2, (ex.spaResult(0) >>> 2) + ln);
    const vals = Fv.subarray(ex.spaResult(1) >>> 3, (ex.spaResult(1) >>> 3) + ln);
    const parent = ex.spaResult(2) >>> 2;
    const sector = ex.spaResult(3) >>> 2;
    // Rank as the reference does: |value| descending, ties by node id.
    const order = Array.from({ length: ln }, (_, k) => k).sort((a, b) => {
      const xa = Math.abs(vals[a]!);
      const xb = Math.abs(vals[b]!);
      return xa > xb ? -1 : xa < xb ? 1 : ids[a]! - ids[b]!;
    });
    const values = new Float64Array(ln);
    const offsets = new Int32Array(ln + 1);
    const chain: number[] = [];
    order.forEach((k, r) => {
      values[r] = vals[k]!;
      for (let id = ids[k]!; id >= 0; id = I[parent + id]!) chain.push(I[sector + id]!);
      offsets[r + 1] = chain.length;
    });
    return {
      values,
      chains: Int32Array.from(chain),
      offsets,
      unlisted: s[0]!,
      pruned: s[1]!,
      leftover: s[2]!,
      expanded: s[3]!,
      nodes: s[4]!,
      truncated: s[5] !== 0,
    };
  } finally {
    ex.spaFree();
  }
}
