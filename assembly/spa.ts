// Structural path analysis: the best-first traversal of src/kernel/spa.ts (its module comment
// defines nodes, bounds and the bookkeeping), on the flat A (n×n row-major), d, t and f. The
// TypeScript reference there is the specification: every floating-point operation is made in the
// same order, so both list the same paths with the same values. Memory for the columns, the node
// arena and the queues is allocated here and kept until spaFree, so the host can read the chains.

// Results and state of the last spaRun (read by the host through spaResult, released by spaFree).
let colPtr: usize = 0;
let rows: usize = 0;
let vals: usize = 0;
let keys: usize = 0;
let cum: usize = 0;
let colSum: usize = 0;
let parent: usize = 0;
let sector: usize = 0;
let wOf: usize = 0;
let sOf: usize = 0;
let cap: i32 = 0;
let nodes: i32 = 0;
let queue: usize = 0;
let done: usize = 0;
let hcap: i32 = 0;
let hn: i32 = 0;
let listed: usize = 0;
let lval: usize = 0;
let ln: i32 = 0;

@inline function ld32(p: usize, k: i32): i32 {
  return load<i32>(p + (<usize>k << 2));
}
@inline function st32(p: usize, k: i32, v: i32): void {
  store<i32>(p + (<usize>k << 2), v);
}
@inline function ld64(p: usize, k: i32): f64 {
  return load<f64>(p + (<usize>k << 3));
}
@inline function st64(p: usize, k: i32, v: f64): void {
  store<f64>(p + (<usize>k << 3), v);
}

/** Sort order within a column: position x before y when |key_x| > |key_y|, ties by row. */
@inline function colBefore(x: i32, y: i32): bool {
  const kx = abs<f64>(ld64(keys, x));
  const ky = abs<f64>(ld64(keys, y));
  return kx > ky || (kx == ky && ld32(rows, x) < ld32(rows, y));
}

@inline function swap(x: i32, y: i32): void {
  const r = ld32(rows, x);
  st32(rows, x, ld32(rows, y));
  st32(rows, y, r);
  const v = ld64(vals, x);
  st64(vals, x, ld64(vals, y));
  st64(vals, y, v);
  const k = ld64(keys, x);
  st64(keys, x, ld64(keys, y));
  st64(keys, y, k);
}

// A column is ordered lazily: on first use its entries become a heap stored backwards (heap index k
// at position hi − 1 − k, the first in order at the root), and each time the traversal needs the
// next entry in order the root is swapped to the end of the ordered prefix [lo, lo + done_j).
// cum holds the prefix sums of key over that prefix; colSum the column's sum in row order.

/** Restores the backward heap of column [·, hi) from heap index k0 down, for `size` entries. */
function siftBack(hi: i32, k0: i32, size: i32): void {
  let k = k0;
  for (;;) {
    let c = 2 * k + 1;
    if (c >= size) break;
    if (c + 1 < size && colBefore(hi - 2 - c, hi - 1 - c)) c++;
    if (!colBefore(hi - 1 - c, hi - 1 - k)) break;
    swap(hi - 1 - k, hi - 1 - c);
    k = c;
  }
}

/** Makes position m of column j (lo ≤ m < hi) hold its entry in order, with cum up to m. */
function ensureOrdered(j: i32, m: i32): void {
  const lo = ld32(colPtr, j);
  const hi = ld32(colPtr, j + 1);
  let p = ld32(done, j);
  if (p < 0) {
    for (let k = ((hi - lo) >> 1) - 1; k >= 0; k--) siftBack(hi, k, hi - lo);
    p = 0;
  }
  while (lo + p <= m) {
    swap(hi - 1, lo + p);
    siftBack(hi, 0, hi - lo - p - 1);
    st64(cum, lo + p, p > 0 ? ld64(keys, lo + p) + ld64(cum, lo + p - 1) : ld64(keys, lo + p));
    p++;
  }
  st32(done, j, p);
}

@inline function qBefore(a: i32, b: i32): bool {
  const sa = abs<f64>(ld64(sOf, a));
  const sb = abs<f64>(ld64(sOf, b));
  return sa > sb || (sa == sb && a < b);
}

@inline function rBefore(va: f64, a: i32, vb: f64, b: i32): bool {
  const xa = abs<f64>(va);
  const xb = abs<f64>(vb);
  return xa > xb || (xa == xb && a < b);
}

function newNode(par: i32, j: i32, w: f64, s: f64): i32 {
  if (nodes == cap) {
    cap *= 2;
    parent = heap.realloc(parent, <usize>cap << 2);
    sector = heap.realloc(sector, <usize>cap << 2);
    wOf = heap.realloc(wOf, <usize>cap << 3);
    sOf = heap.realloc(sOf, <usize>cap << 3);
  }
  st32(parent, nodes, par);
  st32(sector, nodes, j);
  st64(wOf, nodes, w);
  st64(sOf, nodes, s);
  return nodes++;
}

function push(id: i32): void {
  if (hn == hcap) {
    hcap *= 2;
    queue = heap.realloc(queue, <usize>hcap << 2);
  }
  let k = hn++;
  while (k > 0) {
    const up = (k - 1) >> 1;
    if (!qBefore(id, ld32(queue, up))) break;
    st32(queue, k, ld32(queue, up));
    k = up;
  }
  st32(queue, k, id);
}

function pop(): i32 {
  const top = ld32(queue, 0);
  const last = ld32(queue, --hn);
  let k = 0;
  for (;;) {
    let c = 2 * k + 1;
    if (c >= hn) break;
    if (c + 1 < hn && qBefore(ld32(queue, c + 1), ld32(queue, c))) c++;
    if (!qBefore(ld32(queue, c), last)) break;
    st32(queue, k, ld32(queue, c));
    k = c;
  }
  if (hn > 0) st32(queue, k, last);
  return top;
}

function siftDownListed(id: i32, v: f64): void {
  let k = 0;
  for (;;) {
    let c = 2 * k + 1;
    if (c >= ln) break;
    if (c + 1 < ln && rBefore(ld64(lval, c), ld32(listed, c), ld64(lval, c + 1), ld32(listed, c + 1))) c++;
    if (!rBefore(v, id, ld64(lval, c), ld32(listed, c))) break;
    st32(listed, k, ld32(listed, c));
    st64(lval, k, ld64(lval, c));
    k = c;
  }
  st32(listed, k, id);
  st64(lval, k, v);
}

function insertListed(id: i32, v: f64): void {
  let k = ln++;
  while (k > 0) {
    const up = (k - 1) >> 1;
    if (!rBefore(ld64(lval, up), ld32(listed, up), v, id)) break;
    st32(listed, k, ld32(listed, up));
    st64(lval, k, ld64(lval, up));
    k = up;
  }
  st32(listed, k, id);
  st64(lval, k, v);
}

@inline function release(p: usize): void {
  if (p != 0) heap.free(p);
}

/** Releases the memory of the last spaRun. */
export function spaFree(): void {
  release(colPtr);
  release(rows);
  release(vals);
  release(keys);
  release(cum);
  release(colSum);
  release(parent);
  release(sector);
  release(wOf);
  release(sOf);
  release(queue);
  release(listed);
  release(lval);
  release(done);
  colPtr = rows = vals = keys = cum = colSum = parent = sector = wOf = sOf = queue = listed = lval = done = 0;
  nodes = hn = ln = 0;
}

/**
 * Runs the traversal. stats (6 f64) receives unlisted, pruned, leftover, expanded, nodes,
 * truncated; returns the number of listed paths (their ids and values: spaResult 0 and 1, in heap
 * order, ranked by the host).
 */
export function spaRun(a: usize, d: usize, t: usize, f: usize, n: i32, thr: f64, maxPaths: i32, maxNodes: i32, stats: usize): i32 {
  spaFree();
  // Columns, filled row by row (contiguous reads of A), then each sorted.
  colPtr = heap.alloc(<usize>(n + 1) << 2);
  memory.fill(colPtr, 0, <usize>(n + 1) << 2);
  let nnz: i32 = 0;
  for (let i = 0; i < n; i++) {
    const ti = ld64(t, i);
    for (let j = 0; j < n; j++)
      if (ld64(a, i * n + j) * ti != 0) {
        st32(colPtr, j + 1, ld32(colPtr, j + 1) + 1);
        nnz++;
      }
  }
  for (let j = 0; j < n; j++) st32(colPtr, j + 1, ld32(colPtr, j + 1) + ld32(colPtr, j));
  const sz = nnz > 0 ? nnz : 1;
  rows = heap.alloc(<usize>sz << 2);
  vals = heap.alloc(<usize>sz << 3);
  keys = heap.alloc(<usize>sz << 3);
  cum = heap.alloc(<usize>sz << 3);
  colSum = heap.alloc(<usize>n << 3);
  memory.fill(colSum, 0, <usize>n << 3);
  // The list (queue) block serves as the per-column fill cursor before the search.
  hcap = n > 1024 ? n : 1024;
  queue = heap.alloc(<usize>hcap << 2);
  memory.copy(queue, colPtr, <usize>n << 2);
  for (let i = 0; i < n; i++) {
    const ti = ld64(t, i);
    for (let j = 0; j < n; j++) {
      const aij = ld64(a, i * n + j);
      const key = aij * ti;
      if (key != 0) {
        const q = ld32(queue, j);
        st32(queue, j, q + 1);
        st32(rows, q, i);
        st64(vals, q, aij);
        st64(keys, q, key);
        st64(colSum, j, ld64(colSum, j) + key);
      }
    }
  }
  // done_j: entries of column j in order so far, −1 before its first use.
  done = heap.alloc(<usize>n << 2);
  memory.fill(done, 0xff, <usize>n << 2);

  cap = 1024;
  parent = heap.alloc(<usize>cap << 2);
  sector = heap.alloc(<usize>cap << 2);
  wOf = heap.alloc(<usize>cap << 3);
  sOf = heap.alloc(<usize>cap << 3);
  listed = heap.alloc(<usize>maxPaths << 2);
  lval = heap.alloc(<usize>maxPaths << 3);

  let unlisted: f64 = 0;
  let pruned: f64 = 0;
  let leftover: f64 = 0;
  let expanded: i32 = 0;
  let truncated: i32 = 0;
  for (let j = 0; j < n; j++) {
    const s = ld64(t, j) * ld64(f, j);
    if (s == 0) continue;
    if (abs<f64>(s) < thr || nodes == maxNodes) {
      if (abs<f64>(s) >= thr) truncated = 1;
      pruned += s;
    } else push(newNode(-1, j, ld64(f, j), s));
  }
  while (hn > 0) {
    const eff = ln == maxPaths ? max<f64>(thr, abs<f64>(ld64(lval, 0))) : thr;
    if (abs<f64>(ld64(sOf, ld32(queue, 0))) < eff) break;
    const id = pop();
    expanded++;
    const j = ld32(sector, id);
    const w = ld64(wOf, id);
    const v = ld64(d, j) * w;
    if (v != 0 && abs<f64>(v) >= thr) {
      if (ln < maxPaths) insertListed(id, v);
      else if (rBefore(v, id, ld64(lval, 0), ld32(listed, 0))) {
        unlisted += ld64(lval, 0);
        siftDownListed(id, v);
      } else unlisted += v;
    } else unlisted += v;
    const cut = ln == maxPaths ? max<f64>(thr, abs<f64>(ld64(lval, 0))) : thr;
    const start = ld32(colPtr, j);
    const end = ld32(colPtr, j + 1);
    for (let m = start; m < end; m++) {
      ensureOrdered(j, m);
      const i = ld32(rows, m);
      const wc = ld64(vals, m) * w;
      const sc = ld64(t, i) * wc;
      if (abs<f64>(sc) < cut || nodes == maxNodes) {
        if (abs<f64>(sc) >= cut) truncated = 1;
        pruned += w * (m > start ? ld64(colSum, j) - ld64(cum, m - 1) : ld64(colSum, j));
        break;
      }
      push(newNode(id, i, wc, sc));
    }
  }
  for (let k = 0; k < hn; k++) leftover += ld64(sOf, ld32(queue, k));
  st64(stats, 0, unlisted);
  st64(stats, 1, pruned);
  st64(stats, 2, leftover);
  st64(stats, 3, <f64>expanded);
  st64(stats, 4, <f64>nodes);
  st64(stats, 5, <f64>truncated);
  return ln;
}

/** Pointers into the last run: 0 listed ids (i32), 1 their values (f64), 2 parents (i32), 3 sectors (i32). */
export function spaResult(k: i32): usize {
  return k == 0 ? listed : k == 1 ? lval : k == 2 ? parent : sector;
}
