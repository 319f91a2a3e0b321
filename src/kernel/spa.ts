/**
 * Structural path analysis: the traversal, application-specific like RowsBatch, so outside the
 * general `Kernel`. The wasm host (wasm-spa.ts, assembly/spa.ts) and the reference kernel provide
 * it; `structuralPathsReference` below is the plain TypeScript version the tests hold the wasm one
 * to (same paths, same values, bit for bit).
 *
 * The footprint t f = d (I − A)⁻¹ f = Σ_k d A^k f unfolds into paths: a node is a chain of
 * sectors j_k ← … ← j_1 ← j_0 from a final-demand sector j_0 back to j_k with the output it
 * requires, w = A_{j_k j_{k−1}} ⋯ A_{j_1 j_0} f_{j_0}; its path value is d_{j_k} w (the CO2 emitted
 * in j_k along that chain) and its subtree total S = t_{j_k} w (everything upstream of it,
 * itself included). Best-first: the node with the largest |S| is expanded next; a node or child
 * with |S| below the threshold (or, once maxPaths paths are listed, not above the smallest listed
 * |value|) is not expanded and its S goes to the remainder. Ties are broken by creation order, so
 * every correct implementation expands and lists the same nodes.
 *
 * Bookkeeping, each part computed: Σ_j t_j f_j = listed + unlisted (expanded values not listed) +
 * pruned (subtrees cut by the threshold: the column sums of A_ij t_i less the part expanded) + leftover (nodes
 * still queued when the search stopped), up to the residual of t = d + t A. With A ≥ 0 and d ≥ 0,
 * |S| bounds every path value below a node, so the listed paths are exactly the maxPaths largest
 * with |value| ≥ threshold; with negative entries the bookkeeping still holds but not that bound.
 */
import type { Kernel } from './api.js';
import { KernelInputError } from './errors.js';
import { checkSquare } from './validate.js';

export interface SpaInput {
  n: number;
  /** Technical coefficients, n×n row-major. */
  A: Float64Array;
  /** Direct intensities (n). */
  d: Float64Array;
  /** Total intensities t = d (I − A)⁻¹ (n). */
  t: Float64Array;
  /** Final demand (n). */
  f: Float64Array;
  /** Absolute threshold (≥ 0, in the units of t f): nodes with |S| below it are not expanded. */
  threshold: number;
  /** Most paths listed (≥ 1). */
  maxPaths: number;
  /** Most nodes created (default 2^22); when reached, the rest is pruned and `truncated` is set. */
  maxNodes?: number;
}

export interface SpaRaw {
  /** Listed path values, largest |value| first. */
  values: Float64Array;
  /** Sectors of each listed path, emitting sector first, final-demand sector last: path k is chains[offsets[k] … offsets[k+1]). */
  chains: Int32Array;
  offsets: Int32Array;
  /** Values of expanded nodes that are not listed. */
  unlisted: number;
  /** Subtree totals cut by the threshold (or by the smallest listed value). */
  pruned: number;
  /** Subtree totals of the nodes still queued when the search stopped. */
  leftover: number;
  /** Nodes expanded (paths examined) and nodes created. */
  expanded: number;
  nodes: number;
  /** The node limit was reached: the threshold was not honoured everywhere. */
  truncated: boolean;
}

export interface PathSearch {
  structuralPaths(input: SpaInput): SpaRaw;
}

const DEFAULT_MAX_NODES = 2 ** 22;

/** The kernel, seen with its PathSearch; KernelInputError for a kernel that has none. */
export function pathSearchOf<K extends Kernel>(kernel: K): K & PathSearch {
  if (typeof (kernel as Partial<PathSearch>).structuralPaths !== 'function') {
    throw new KernelInputError(`the ${kernel.name} kernel has no structuralPaths`);
  }
  return kernel as K & PathSearch;
}

/** Validates the input (shared by both kernels; the wasm host scans A for NaN/±Infinity in wasm); returns maxNodes. */
export function checkSpaInput(p: SpaInput, finiteA = true): number {
  const { n } = p;
  checkSquare(p.A, n, 'A', finiteA);
  for (const [k, v] of [
    ['d', p.d],
    ['t', p.t],
    ['f', p.f],
  ] as const) {
    if (!(v instanceof Float64Array) || v.length !== n) throw new KernelInputError(`${k} must be a Float64Array of ${n} values`);
    const bad = v.findIndex((x) => !Number.isFinite(x));
    if (bad >= 0) throw new KernelInputError(`${k} has a non-finite entry ${v[bad]} at index ${bad}`);
  }
  if (!(p.threshold >= 0) || !Number.isFinite(p.threshold))
    throw new KernelInputError(`threshold must be finite and ≥ 0, got ${p.threshold}`);
  if (!Number.isInteger(p.maxPaths) || p.maxPaths < 1) throw new KernelInputError(`maxPaths must be a positive integer, got ${p.maxPaths}`);
  const maxNodes = p.maxNodes ?? DEFAULT_MAX_NODES;
  if (!Number.isInteger(maxNodes) || maxNodes < 1 || maxNodes > 2 ** 28)
    throw new KernelInputError(`maxNodes must be an integer in 1 … 2^28, got ${maxNodes}`);
  return maxNodes;
}

/** The plain TypeScript traversal (see the module comment); the wasm kernel's assembly/spa.ts mirrors it. */
export function structuralPathsReference(p: SpaInput): SpaRaw {
  const maxNodes = checkSpaInput(p);
  const { n, A, d, t, f, threshold: thr, maxPaths: K } = p;
  // Columns as lists of (i, A_ij, key = A_ij t_i), filled row by row, put in order (|key|
  // descending, ties by i) lazily: on first use a column becomes a heap stored backwards (heap index
  // k at position hi − 1 − k, the first in order at the root), and each time the next entry in order
  // is needed the root is swapped to the end of the ordered prefix. cum: prefix sums of key over the
  // ordered prefix; colSum: the column's sum in row order; the pruned rest is colSum − cum.
  const colPtr = new Int32Array(n + 1);
  for (let i = 0; i < n; i++) for (let j = 0; j < n; j++) if (A[i * n + j]! * t[i]! !== 0) colPtr[j + 1]!++;
  for (let j = 0; j < n; j++) colPtr[j + 1]! += colPtr[j]!;
  const nnz = colPtr[n]!;
  const rows = new Int32Array(nnz);
  const vals = new Float64Array(nnz);
  const keys = new Float64Array(nnz);
  const cum = new Float64Array(nnz);
  const colSum = new Float64Array(n);
  const next = colPtr.slice(0, n);
  for (let i = 0; i < n; i++)
    for (let j = 0; j < n; j++) {
      const key = A[i * n + j]! * t[i]!;
      if (key !== 0) {
        const q = next[j]!++;
        rows[q] = i;
        vals[q] = A[i * n + j]!;
        keys[q] = key;
        colSum[j]! += key;
      }
    }
  const colBefore = (x: number, y: number): boolean => {
    const kx = Math.abs(keys[x]!);
    const ky = Math.abs(keys[y]!);
    return kx > ky || (kx === ky && rows[x]! < rows[y]!);
  };
  const swap = (x: number, y: number): void => {
    const r = rows[x]!;
    rows[x] = rows[y]!;
    rows[y] = r;
    const v = vals[x]!;
    vals[x] = vals[y]!;
    vals[y] = v;
    const k = keys[x]!;
    keys[x] = keys[y]!;
    keys[y] = k;
  };
  const siftBack = (hi: number, k0: number, size: number): void => {
    let k = k0;
    for (;;) {
      let c = 2 * k + 1;
      if (c >= size) break;
      if (c + 1 < size && colBefore(hi - 2 - c, hi - 1 - c)) c++;
      if (!colBefore(hi - 1 - c, hi - 1 - k)) break;
      swap(hi - 1 - k, hi - 1 - c);
      k = c;
    }
  };
  /** Entries of column j in order so far, −1 before its first use. */
  const done = new Int32Array(n).fill(-1);
  const ensureOrdered = (j: number, m: number): void => {
    const lo = colPtr[j]!;
    const hi = colPtr[j + 1]!;
    let p = done[j]!;
    if (p < 0) {
      for (let k = ((hi - lo) >> 1) - 1; k >= 0; k--) siftBack(hi, k, hi - lo);
      p = 0;
    }
    while (lo + p <= m) {
      swap(hi - 1, lo + p);
      siftBack(hi, 0, hi - lo - p - 1);
      cum[lo + p] = p > 0 ? keys[lo + p]! + cum[lo + p - 1]! : keys[lo + p]!;
      p++;
    }
    done[j] = p;
  };

  // Node arena.
  let cap = 1024;
  let parent = new Int32Array(cap);
  let sector = new Int32Array(cap);
  let wOf = new Float64Array(cap);
  let sOf = new Float64Array(cap);
  let nodes = 0;
  const newNode = (par: number, j: number, w: number, s: number): number => {
    if (nodes === cap) {
      cap *= 2;
      const grow = <T extends Int32Array | Float64Array>(a: T, b: T): T => {
        b.set(a);
        return b;
      };
      parent = grow(parent, new Int32Array(cap));
      sector = grow(sector, new Int32Array(cap));
      wOf = grow(wOf, new Float64Array(cap));
      sOf = grow(sOf, new Float64Array(cap));
    }
    parent[nodes] = par;
    sector[nodes] = j;
    wOf[nodes] = w;
    sOf[nodes] = s;
    return nodes++;
  };

  // Queue: max-heap on (|S| desc, id asc).
  let heap = new Int32Array(1024);
  let hn = 0;
  const qBefore = (a: number, b: number): boolean => {
    const sa = Math.abs(sOf[a]!);
    const sb = Math.abs(sOf[b]!);
    return sa > sb || (sa === sb && a < b);
  };
  const push = (id: number): void => {
    if (hn === heap.length) {
      const h = new Int32Array(heap.length * 2);
      h.set(heap);
      heap = h;
    }
    let k = hn++;
    while (k > 0) {
      const up = (k - 1) >> 1;
      if (!qBefore(id, heap[up]!)) break;
      heap[k] = heap[up]!;
      k = up;
    }
    heap[k] = id;
  };
  const pop = (): number => {
    const top = heap[0]!;
    const last = heap[--hn]!;
    let k = 0;
    for (;;) {
      let c = 2 * k + 1;
      if (c >= hn) break;
      if (c + 1 < hn && qBefore(heap[c + 1]!, heap[c]!)) c++;
      if (!qBefore(heap[c]!, last)) break;
      heap[k] = heap[c]!;
      k = c;
    }
    if (hn > 0) heap[k] = last;
    return top;
  };

  // Listed: min-heap of at most K ids on rank (|value| desc, id asc); its root is the worst listed.
  const listed = new Int32Array(K);
  const lval = new Float64Array(K);
  let ln = 0;
  const rBefore = (va: number, a: number, vb: number, b: number): boolean => {
    const xa = Math.abs(va);
    const xb = Math.abs(vb);
    return xa > xb || (xa === xb && a < b);
  };
  const siftDown = (id: number, v: number): void => {
    let k = 0;
    for (;;) {
      let c = 2 * k + 1;
      if (c >= ln) break;
      if (c + 1 < ln && rBefore(lval[c]!, listed[c]!, lval[c + 1]!, listed[c + 1]!)) c++;
      if (!rBefore(v, id, lval[c]!, listed[c]!)) break;
      listed[k] = listed[c]!;
      lval[k] = lval[c]!;
      k = c;
    }
    listed[k] = id;
    lval[k] = v;
  };
  const insert = (id: number, v: number): void => {
    let k = ln++;
    while (k > 0) {
      const up = (k - 1) >> 1;
      if (!rBefore(lval[up]!, listed[up]!, v, id)) break;
      listed[k] = listed[up]!;
      lval[k] = lval[up]!;
      k = up;
    }
    listed[k] = id;
    lval[k] = v;
  };

  let unlisted = 0;
  let pruned = 0;
  let leftover = 0;
  let expanded = 0;
  let truncated = false;
  for (let j = 0; j < n; j++) {
    const s = t[j]! * f[j]!;
    if (s === 0) continue;
    if (Math.abs(s) < thr || nodes === maxNodes) {
      if (Math.abs(s) >= thr) truncated = true;
      pruned += s;
    } else push(newNode(-1, j, f[j]!, s));
  }
  while (hn > 0) {
    const eff = ln === K ? Math.max(thr, Math.abs(lval[0]!)) : thr;
    if (Math.abs(sOf[heap[0]!]!) < eff) break;
    const id = pop();
    expanded++;
    const j = sector[id]!;
    const w = wOf[id]!;
    const v = d[j]! * w;
    if (v !== 0 && Math.abs(v) >= thr) {
      if (ln < K) insert(id, v);
      else if (rBefore(v, id, lval[0]!, listed[0]!)) {
        unlisted += lval[0]!;
        siftDown(id, v);
      } else unlisted += v;
    } else unlisted += v;
    const cut = ln === K ? Math.max(thr, Math.abs(lval[0]!)) : thr;
    const start = colPtr[j]!;
    const end = colPtr[j + 1]!;
    for (let m = start; m < end; m++) {
      ensureOrdered(j, m);
      const i = rows[m]!;
      const wc = vals[m]! * w;
      const sc = t[i]! * wc;
      if (Math.abs(sc) < cut || nodes === maxNodes) {
        if (Math.abs(sc) >= cut) truncated = true;
        pruned += w * (m > start ? colSum[j]! - cum[m - 1]! : colSum[j]!);
        break;
      }
      push(newNode(id, i, wc, sc));
    }
  }
  for (let k = 0; k < hn; k++) leftover += sOf[heap[k]!]!;

  // Ranked list and chains.
  const order = Array.from({ length: ln }, (_, k) => k).sort((a, b) =>
    rBefore(lval[a]!, listed[a]!, lval[b]!, listed[b]!) ? -1 : rBefore(lval[b]!, listed[b]!, lval[a]!, listed[a]!) ? 1 : 0,
  );
  const values = new Float64Array(ln);
  const offsets = new Int32Array(ln + 1);
  const chain: number[] = [];
  order.forEach((k, r) => {
    values[r] = lval[k]!;
    for (let id = listed[k]!; id >= 0; id = parent[id]!) chain.push(sector[id]!);
    offsets[r + 1] = chain.length;
  });
  return { values, chains: Int32Array.from(chain), offsets, unlisted, pruned, leftover, expanded, nodes, truncated };
}
