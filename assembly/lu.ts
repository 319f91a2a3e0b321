// Dense LU with partial pivoting (recursive, Toledo 1997 / LAPACK dgetrf2 order) and the
// triangular solves built on gemmSub (through par.ts, which splits large calls across threads
// in the threaded build). Row-major n×n, byte pointers, leading dimension n.
// Pivots are LAPACK-style: piv[k] = the row swapped with row k at step k (i32 array).
// Row swaps exchange whole rows (contiguous in row-major), so L, U and the not yet
// factored part are permuted together, as LAPACK does.
import { axpySub, dot, scaleDiv } from './gemm';
import { gemmSubP, luUpdateP, permuteBackwardP, trsmLLP, trsmLUP, trsmRLP, trsmRUP, zeroRowsP } from './par';

export const EPS: f64 = 2.220446049250313e-16;
const LEAF: i32 = 16;
const TRI_LEAF: i32 = 8;
/** Fewer right-hand sides than this are solved vector by vector (substitution, no GEMM). */
const FEW: i32 = 4;

/** y[0..len) −= s · x[0..len) for the short rows of triangular-solve leaves (pairs, then one). */
@inline function axpyShort(len: i32, s: f64, x: usize, y: usize): void {
  const sv = f64x2.splat(s);
  let k = 0;
  for (; k + 2 <= len; k += 2) {
    const o = <usize>k << 3;
    v128.store(y + o, f64x2.sub(v128.load(y + o), f64x2.mul(sv, v128.load(x + o))));
  }
  if (k < len) {
    const o = <usize>k << 3;
    store<f64>(y + o, load<f64>(y + o) - s * load<f64>(x + o));
  }
}

@inline function split(w: i32): i32 {
  // Halve, keeping the left part a multiple of 8 so full 8-column GEMM panels dominate.
  return w >= 16 ? (w >> 1) & ~7 : w >> 1;
}

/**
 * Largest |a_i| over len entries (finite input: callers scan for NaN/±Infinity first).
 * pmax (a single maxpd) instead of max: V8's NaN-propagating f64x2.max is several times slower.
 */
export function maxAbs(a: usize, len: i32): f64 {
  let m0 = f64x2.splat(0), m1 = f64x2.splat(0);
  let k = 0;
  for (; k + 4 <= len; k += 4) {
    const o = <usize>k << 3;
    m0 = f64x2.pmax(m0, f64x2.abs(v128.load(a + o)));
    m1 = f64x2.pmax(m1, f64x2.abs(v128.load(a + o, 16)));
  }
  m0 = f64x2.pmax(m0, m1);
  let m = max(f64x2.extract_lane(m0, 0), f64x2.extract_lane(m0, 1));
  for (; k < len; k++) m = max(m, abs(load<f64>(a + (<usize>k << 3))));
  return m;
}

/** Index of the first NaN or ±Infinity among len entries, or −1. */
export function firstNonFinite(a: usize, len: i32): i32 {
  // x − x is 0 for finite x and NaN otherwise; scan in chunks, locate inside a bad chunk.
  const CH = 64;
  for (let k0 = 0; k0 < len; k0 += CH) {
    const k1 = min(len, k0 + CH);
    let acc = f64x2.splat(0);
    let k = k0;
    for (; k + 2 <= k1; k += 2) {
      const v = v128.load(a + (<usize>k << 3));
      acc = f64x2.add(acc, f64x2.sub(v, v));
    }
    let s = f64x2.extract_lane(acc, 0) + f64x2.extract_lane(acc, 1);
    for (; k < k1; k++) {
      const v = load<f64>(a + (<usize>k << 3));
      s += v - v;
    }
    if (s != 0 || s != s) {
      for (k = k0; k < k1; k++) {
        const v = load<f64>(a + (<usize>k << 3));
        if (v - v != 0) return k;
      }
    }
  }
  return -1;
}

/** dst = I − src (n×n), dst may equal src. */
export function identityMinus(src: usize, dst: usize, n: i32): void {
  const len = n * n;
  let k = 0;
  const z = f64x2.splat(0);
  for (; k + 2 <= len; k += 2) {
    const o = <usize>k << 3;
    v128.store(dst + o, f64x2.sub(z, v128.load(src + o)));
  }
  for (; k < len; k++) store<f64>(dst + (<usize>k << 3), -load<f64>(src + (<usize>k << 3)));
  for (let i = 0; i < n; i++) {
    const p = dst + ((<usize>i * <usize>(n + 1)) << 3);
    store<f64>(p, load<f64>(p) + 1.0);
  }
}

/** ‖M‖₁ = max column sum of |m_ij|. */
export function norm1(a: usize, n: i32, work: usize): f64 {
  memory.fill(work, 0, <usize>n << 3);
  for (let i = 0; i < n; i++) {
    const row = a + ((<usize>i * <usize>n) << 3);
    let j = 0;
    for (; j + 2 <= n; j += 2) {
      const o = <usize>j << 3;
      v128.store(work + o, f64x2.add(v128.load(work + o), f64x2.abs(v128.load(row + o))));
    }
    for (; j < n; j++) {
      const o = <usize>j << 3;
      store<f64>(work + o, load<f64>(work + o) + abs(load<f64>(row + o)));
    }
  }
  return maxAbs(work, n);
}

function swapRows(p: usize, q: usize, len: i32): void {
  let k = 0;
  for (; k + 2 <= len; k += 2) {
    const o = <usize>k << 3;
    const t = v128.load(p + o);
    v128.store(p + o, v128.load(q + o));
    v128.store(q + o, t);
  }
  if (k < len) {
    const o = <usize>k << 3;
    const t = load<f64>(p + o);
    store<f64>(p + o, load<f64>(q + o));
    store<f64>(q + o, t);
  }
}

/** B ← L⁻¹ B with L (m×m) unit lower at l (ld ldl), B m×N at b (ld ldb). */
export function trsmLL(m: i32, N: i32, l: usize, ldl: i32, b: usize, ldb: i32): void {
  const ldb8 = <usize>ldb << 3;
  const ldl8 = <usize>ldl << 3;
  if (m <= TRI_LEAF) {
    for (let i = 1; i < m; i++) {
      const bi = b + <usize>i * ldb8;
      for (let k = 0; k < i; k++) {
        const lik = load<f64>(l + <usize>i * ldl8 + (<usize>k << 3));
        if (lik != 0) axpySub(N, lik, b + <usize>k * ldb8, bi);
      }
    }
    return;
  }
  const m1 = split(m);
  trsmLL(m1, N, l, ldl, b, ldb);
  gemmSubP(m - m1, N, m1, l + <usize>m1 * ldl8, ldl, b, ldb, b + <usize>m1 * ldb8, ldb, false);
  trsmLL(m - m1, N, l + <usize>m1 * ldl8 + (<usize>m1 << 3), ldl, b + <usize>m1 * ldb8, ldb);
}

/** B ← U⁻¹ B with U (m×m) upper, non-unit, at u (ld ldu), B m×N. */
export function trsmLU(m: i32, N: i32, u: usize, ldu: i32, b: usize, ldb: i32): void {
  const ldb8 = <usize>ldb << 3;
  const ldu8 = <usize>ldu << 3;
  if (m <= TRI_LEAF) {
    for (let i = m - 1; i >= 0; i--) {
      const bi = b + <usize>i * ldb8;
      const ui = u + <usize>i * ldu8;
      for (let k = i + 1; k < m; k++) {
        const uik = load<f64>(ui + (<usize>k << 3));
        if (uik != 0) axpySub(N, uik, b + <usize>k * ldb8, bi);
      }
      scaleDiv(N, load<f64>(ui + (<usize>i << 3)), bi);
    }
    return;
  }
  const m1 = split(m);
  const m2 = m - m1;
  trsmLU(m2, N, u + <usize>m1 * ldu8 + (<usize>m1 << 3), ldu, b + <usize>m1 * ldb8, ldb);
  gemmSubP(m1, N, m2, u + (<usize>m1 << 3), ldu, b + <usize>m1 * ldb8, ldb, b, ldb, false);
  trsmLU(m1, N, u, ldu, b, ldb);
}

/** X U = R in place (R: M×w at r, ld ldr), U w×w upper non-unit. */
export function trsmRU(M: i32, w: i32, u: usize, ldu: i32, r: usize, ldr: i32): void {
  const ldu8 = <usize>ldu << 3;
  const ldr8 = <usize>ldr << 3;
  if (w <= TRI_LEAF) {
    // Row by row, axpy form: x_k = r_k / u_kk, then r[k+1..w) −= x_k U[k, k+1..w) (rows of U contiguous).
    for (let i = 0; i < M; i++) {
      const ri = r + <usize>i * ldr8;
      for (let k = 0; k < w; k++) {
        const uk = u + <usize>k * ldu8 + (<usize>k << 3);
        const p = ri + (<usize>k << 3);
        const xk = load<f64>(p) / load<f64>(uk);
        store<f64>(p, xk);
        axpyShort(w - k - 1, xk, uk + 8, p + 8);
      }
    }
    return;
  }
  const w1 = split(w);
  trsmRU(M, w1, u, ldu, r, ldr);
  gemmSubP(M, w - w1, w1, r, ldr, u + (<usize>w1 << 3), ldu, r + (<usize>w1 << 3), ldr, false);
  trsmRU(M, w - w1, u + <usize>w1 * ldu8 + (<usize>w1 << 3), ldu, r + (<usize>w1 << 3), ldr);
}

/** X L = R in place (R: M×w), L w×w unit lower. */
export function trsmRL(M: i32, w: i32, l: usize, ldl: i32, r: usize, ldr: i32): void {
  const ldl8 = <usize>ldl << 3;
  const ldr8 = <usize>ldr << 3;
  if (w <= TRI_LEAF) {
    // Row by row, axpy form from the right: x_k = r_k, then r[0..k) −= x_k L[k, 0..k).
    for (let i = 0; i < M; i++) {
      const ri = r + <usize>i * ldr8;
      for (let k = w - 1; k > 0; k--) axpyShort(k, load<f64>(ri + (<usize>k << 3)), l + <usize>k * ldl8, ri);
    }
    return;
  }
  const w1 = split(w);
  const w2 = w - w1;
  trsmRL(M, w2, l + <usize>w1 * ldl8 + (<usize>w1 << 3), ldl, r + (<usize>w1 << 3), ldr);
  gemmSubP(M, w1, w2, r + (<usize>w1 << 3), ldr, l + <usize>w1 * ldl8, ldl, r, ldr, false);
  trsmRL(M, w1, l, ldl, r, ldr);
}

/** Recursive LU of columns [c0, c0+w) over rows [c0, n). */
function luRec(a: usize, n: i32, c0: i32, w: i32, piv: usize, tol: f64): i32 {
  if (w <= LEAF) return luPanel(a, n, c0, w, piv, tol);
  const w1 = split(w);
  const r = luRec(a, n, c0, w1, piv, tol);
  if (r >= 0) return r;
  const n8 = <usize>n << 3;
  const c1 = c0 + w1;
  const a11 = a + <usize>c0 * n8 + (<usize>c0 << 3);
  // A12 ← L11⁻¹ A12, then A22 −= A21 A12.
  luUpdateP(w1, w - w1, n - c1, a11, a11 + (<usize>w1 << 3), a + <usize>c1 * n8 + (<usize>c1 << 3), n);
  return luRec(a, n, c1, w - w1, piv, tol);
}

/**
 * In-place LU with partial pivoting of the n×n matrix at a; pivots to piv (n i32).
 * Returns −1, or the zero-based index of the first pivot with |u_kk| ≤ EPS·n·max|a_ij|
 * (the matrix is then numerically singular and the factors are incomplete).
 */
export function luFactor(a: usize, n: i32, piv: usize): i32 {
  const tol = EPS * <f64>n * maxAbs(a, n * n);
  return n <= SMALL ? luPanel(a, n, 0, n, piv, tol) : luRec(a, n, 0, n, piv, tol);
}

/** Below this order the unblocked right-looking LU beats the recursive one. */
const SMALL: i32 = 160;

/** Pivot search in column k over rows k..n−1: returns the row, or −1 − k when negligible. */
@inline function pivotRow(a: usize, n: i32, k: i32, tol: f64): i32 {
  return pivotIn(a, n, <usize>n << 3, k, tol);
}

/** pivotRow for a matrix of `rows` rows of ld8 bytes each. */
@inline export function pivotIn(a: usize, rows: i32, ld8: usize, k: i32, tol: f64): i32 {
  let q = a + <usize>k * ld8 + (<usize>k << 3);
  let p = k;
  let big = abs(load<f64>(q));
  for (let i = k + 1; i < rows; i++) {
    q += ld8;
    const v = abs(load<f64>(q));
    if (v > big) {
      big = v;
      p = i;
    }
  }
  return big > tol ? p : -1 - k;
}

/** |pivot| found by the last scaleNextPivot. */
export let nextPivotAbs: f64 = 0;

/**
 * The first half of a rank-2 step, in one pass over rows k+1..rows−1 below pivot row u0 (row
 * stride ld8 bytes): scale column k by 1 / u_kk, give column k+1 its pivot-k update, and find
 * the pivot of column k+1 (returned; its magnitude in nextPivotAbs).
 */
@inline export function scaleNextPivot(u0: usize, ld8: usize, k: i32, rows: i32): i32 {
  const k8 = <usize>k << 3;
  const d0 = 1.0 / load<f64>(u0 + k8);
  const u0k1 = load<f64>(u0 + k8 + 8);
  let p1 = k + 1;
  let big: f64 = -1;
  let r = u0;
  for (let i = k + 1; i < rows; i++) {
    r += ld8;
    const l = load<f64>(r + k8) * d0;
    store<f64>(r + k8, l);
    const v = load<f64>(r + k8 + 8) - l * u0k1;
    store<f64>(r + k8 + 8, v);
    const av = abs(v);
    if (av > big) {
      big = av;
      p1 = i;
    }
  }
  nextPivotAbs = big;
  return p1;
}

/**
 * Unblocked LU of columns [c0, c0+w) over rows [c0, n), two pivots per sweep (rank-2 updates): pivot k, then column k+1
 * alone, pivot k+1, then one pass over the trailing rows applies both, two rows at a time,
 * SIMD along rows. Same pivot choices as the textbook rank-1 order.
 */
function luPanel(a: usize, n: i32, c0: i32, w: i32, piv: usize, tol: f64): i32 {
  const n8 = <usize>n << 3;
  const cEnd = c0 + w;
  const e8 = <usize>cEnd << 3;
  let k = c0;
  for (; k + 1 < cEnd; k += 2) {
    const k8 = <usize>k << 3;
    const p = pivotRow(a, n, k, tol);
    if (p < 0) return k;
    store<i32>(piv + (<usize>k << 2), p);
    const u0 = a + <usize>k * n8;
    if (p != k) swapRows(u0, a + <usize>p * n8, n);
    const p1 = scaleNextPivot(u0, n8, k, n);
    if (!(nextPivotAbs > tol)) return k + 1;
    store<i32>(piv + (<usize>(k + 1) << 2), p1);
    const u1 = u0 + n8;
    if (p1 != k + 1) swapRows(u1, a + <usize>p1 * n8, n);
    const d1 = 1.0 / load<f64>(u1 + k8 + 8);
    // Row k+1 beyond column k+1 takes its pivot-k update now.
    const l10 = load<f64>(u1 + k8);
    const j0 = k8 + 16;
    const len = cEnd - k - 2;
    const jVec = j0 + (<usize>(len & ~1) << 3);
    if (len > 0) axpySub(len, l10, u0 + j0, u1 + j0);
    let i = k + 2;
    for (; i + 4 <= n; i += 4) {
      const r0 = a + <usize>i * n8;
      const r1 = r0 + n8;
      const r2 = r1 + n8;
      const r3 = r2 + n8;
      const a0 = load<f64>(r0 + k8), a1 = load<f64>(r1 + k8), a2 = load<f64>(r2 + k8), a3 = load<f64>(r3 + k8);
      const b0 = load<f64>(r0 + k8 + 8) * d1, b1 = load<f64>(r1 + k8 + 8) * d1;
      const b2 = load<f64>(r2 + k8 + 8) * d1, b3 = load<f64>(r3 + k8 + 8) * d1;
      store<f64>(r0 + k8 + 8, b0);
      store<f64>(r1 + k8 + 8, b1);
      store<f64>(r2 + k8 + 8, b2);
      store<f64>(r3 + k8 + 8, b3);
      const va0 = f64x2.splat(a0), vb0 = f64x2.splat(b0), va1 = f64x2.splat(a1), vb1 = f64x2.splat(b1);
      const va2 = f64x2.splat(a2), vb2 = f64x2.splat(b2), va3 = f64x2.splat(a3), vb3 = f64x2.splat(b3);
      let j = j0;
      for (; j < jVec; j += 16) {
        const x0 = v128.load(u0 + j), x1 = v128.load(u1 + j);
        v128.store(r0 + j, f64x2.sub(v128.load(r0 + j), f64x2.add(f64x2.mul(va0, x0), f64x2.mul(vb0, x1))));
        v128.store(r1 + j, f64x2.sub(v128.load(r1 + j), f64x2.add(f64x2.mul(va1, x0), f64x2.mul(vb1, x1))));
        v128.store(r2 + j, f64x2.sub(v128.load(r2 + j), f64x2.add(f64x2.mul(va2, x0), f64x2.mul(vb2, x1))));
        v128.store(r3 + j, f64x2.sub(v128.load(r3 + j), f64x2.add(f64x2.mul(va3, x0), f64x2.mul(vb3, x1))));
      }
      if (j < e8) {
        const x0 = load<f64>(u0 + j), x1 = load<f64>(u1 + j);
        store<f64>(r0 + j, load<f64>(r0 + j) - (a0 * x0 + b0 * x1));
        store<f64>(r1 + j, load<f64>(r1 + j) - (a1 * x0 + b1 * x1));
        store<f64>(r2 + j, load<f64>(r2 + j) - (a2 * x0 + b2 * x1));
        store<f64>(r3 + j, load<f64>(r3 + j) - (a3 * x0 + b3 * x1));
      }
    }
    for (; i + 2 <= n; i += 2) {
      const r0 = a + <usize>i * n8;
      const r1 = r0 + n8;
      const a0 = load<f64>(r0 + k8), a1 = load<f64>(r1 + k8);
      const b0 = load<f64>(r0 + k8 + 8) * d1, b1 = load<f64>(r1 + k8 + 8) * d1;
      store<f64>(r0 + k8 + 8, b0);
      store<f64>(r1 + k8 + 8, b1);
      const va0 = f64x2.splat(a0), vb0 = f64x2.splat(b0), va1 = f64x2.splat(a1), vb1 = f64x2.splat(b1);
      let j = j0;
      for (; j < jVec; j += 16) {
        const x0 = v128.load(u0 + j), x1 = v128.load(u1 + j);
        v128.store(r0 + j, f64x2.sub(v128.load(r0 + j), f64x2.add(f64x2.mul(va0, x0), f64x2.mul(vb0, x1))));
        v128.store(r1 + j, f64x2.sub(v128.load(r1 + j), f64x2.add(f64x2.mul(va1, x0), f64x2.mul(vb1, x1))));
      }
      if (j < e8) {
        const x0 = load<f64>(u0 + j), x1 = load<f64>(u1 + j);
        store<f64>(r0 + j, load<f64>(r0 + j) - (a0 * x0 + b0 * x1));
        store<f64>(r1 + j, load<f64>(r1 + j) - (a1 * x0 + b1 * x1));
      }
    }
    if (i < n) {
      const r0 = a + <usize>i * n8;
      const a0 = load<f64>(r0 + k8);
      const b0 = load<f64>(r0 + k8 + 8) * d1;
      store<f64>(r0 + k8 + 8, b0);
      const va0 = f64x2.splat(a0), vb0 = f64x2.splat(b0);
      let j = j0;
      for (; j < jVec; j += 16) {
        v128.store(r0 + j, f64x2.sub(v128.load(r0 + j), f64x2.add(f64x2.mul(va0, v128.load(u0 + j)), f64x2.mul(vb0, v128.load(u1 + j)))));
      }
      if (j < e8) store<f64>(r0 + j, load<f64>(r0 + j) - (a0 * load<f64>(u0 + j) + b0 * load<f64>(u1 + j)));
    }
  }
  if (k < cEnd) {
    // A last single column: pivot, swap, scale (no trailing columns inside the panel).
    const p = pivotRow(a, n, k, tol);
    if (p < 0) return k;
    store<i32>(piv + (<usize>k << 2), p);
    const u0 = a + <usize>k * n8;
    if (p != k) swapRows(u0, a + <usize>p * n8, n);
    const d0 = 1.0 / load<f64>(u0 + (<usize>k << 3));
    let r = u0 + (<usize>k << 3);
    for (let i = k + 1; i < n; i++) {
      r += n8;
      store<f64>(r, load<f64>(r) * d0);
    }
  }
  return -1;
}

/** One vector: L U x = P b by substitution with SIMD dot products along rows. */
function solveVec(lu: usize, n: i32, x: usize): void {
  const n8 = <usize>n << 3;
  for (let i = 1; i < n; i++) {
    const p = x + (<usize>i << 3);
    store<f64>(p, load<f64>(p) - dot(i, lu + <usize>i * n8, x));
  }
  for (let i = n - 1; i >= 0; i--) {
    const row = lu + <usize>i * n8;
    const p = x + (<usize>i << 3);
    const m = n - i - 1;
    store<f64>(p, (load<f64>(p) - dot(m, row + (<usize>(i + 1) << 3), p + 8)) / load<f64>(row + (<usize>i << 3)));
  }
}

/** One vector: Uᵀ Lᵀ z = b by column-oriented substitution (SIMD axpy along rows). */
function solveTVec(lu: usize, n: i32, x: usize): void {
  const n8 = <usize>n << 3;
  for (let j = 0; j < n; j++) {
    const row = lu + <usize>j * n8;
    const p = x + (<usize>j << 3);
    const z = load<f64>(p) / load<f64>(row + (<usize>j << 3));
    store<f64>(p, z);
    if (z != 0) axpySub(n - j - 1, z, row + (<usize>(j + 1) << 3), p + 8);
  }
  for (let j = n - 1; j > 0; j--) {
    const w = load<f64>(x + (<usize>j << 3));
    if (w != 0) axpySub(j, w, lu + <usize>j * n8, x);
  }
}

/** Applies the row interchanges of piv to each of the nrhs rows of length n of x (forward order). */
function permuteForward(x: usize, n: i32, nrhs: i32, piv: usize): void {
  for (let v = 0; v < nrhs; v++) {
    const row = x + ((<usize>v * <usize>n) << 3);
    for (let k = 0; k < n; k++) {
      const p = load<i32>(piv + (<usize>k << 2));
      if (p != k) {
        const a = row + (<usize>k << 3), b = row + (<usize>p << 3);
        const t = load<f64>(a);
        store<f64>(a, load<f64>(b));
        store<f64>(b, t);
      }
    }
  }
}

/** Reverse order: x ← x P for row vectors x. */
export function permuteBackward(x: usize, n: i32, rows: i32, piv: usize): void {
  for (let v = 0; v < rows; v++) {
    const row = x + ((<usize>v * <usize>n) << 3);
    for (let k = n - 1; k >= 0; k--) {
      const p = load<i32>(piv + (<usize>k << 2));
      if (p != k) {
        const a = row + (<usize>k << 3), b = row + (<usize>p << 3);
        const t = load<f64>(a);
        store<f64>(a, load<f64>(b));
        store<f64>(b, t);
      }
    }
  }
}

/** dst (cols×rows) = srcᵀ for src rows×cols. */
export function transpose(src: usize, rows: i32, cols: i32, dst: usize): void {
  const B = 32;
  for (let i0 = 0; i0 < rows; i0 += B) {
    const i1 = min(rows, i0 + B);
    for (let j0 = 0; j0 < cols; j0 += B) {
      const j1 = min(cols, j0 + B);
      for (let i = i0; i < i1; i++) {
        for (let j = j0; j < j1; j++) {
          store<f64>(dst + ((<usize>j * <usize>rows + <usize>i) << 3), load<f64>(src + ((<usize>i * <usize>cols + <usize>j) << 3)));
        }
      }
    }
  }
}

/**
 * Solves M X = B for nrhs vectors stored one after another at x (overwritten by X),
 * M = Pᵀ L U from luFactor. work: n·nrhs doubles of scratch (unused when nrhs = 1).
 */
export function luSolve(lu: usize, n: i32, piv: usize, x: usize, nrhs: i32, work: usize): void {
  permuteForward(x, n, nrhs, piv);
  if (nrhs < FEW) {
    for (let v = 0; v < nrhs; v++) solveVec(lu, n, x + ((<usize>v * <usize>n) << 3));
    return;
  }
  // Column layout (n × nrhs) so the solves are left-sided on row-major blocks.
  transpose(x, nrhs, n, work);
  trsmLLP(n, nrhs, lu, n, work, nrhs);
  trsmLUP(n, nrhs, lu, n, work, nrhs);
  transpose(work, n, nrhs, x);
}

/** Solves Mᵀ X = B in place: row vectors satisfy xᵀ Pᵀ L U = bᵀ. */
export function luSolveTransposed(lu: usize, n: i32, piv: usize, x: usize, nrhs: i32): void {
  if (nrhs < FEW) {
    for (let v = 0; v < nrhs; v++) solveTVec(lu, n, x + ((<usize>v * <usize>n) << 3));
    permuteBackward(x, n, nrhs, piv);
    return;
  }
  trsmRUP(nrhs, n, lu, n, x, n);
  trsmRLP(nrhs, n, lu, n, x, n);
  permuteBackward(x, n, nrhs, piv);
}

/** X ← U⁻¹ for the w×w upper triangle at u; X (ld ldx) must be all zero on entry. */
function invUpper(w: i32, u: usize, ldu: i32, x: usize, ldx: i32): void {
  const ldu8 = <usize>ldu << 3;
  const ldx8 = <usize>ldx << 3;
  if (w <= TRI_LEAF) {
    // Row i of X solves x U = e_i, with x_k = 0 for k < i.
    for (let i = 0; i < w; i++) {
      const xi = x + <usize>i * ldx8;
      for (let j = i; j < w; j++) {
        let s: f64 = i == j ? 1.0 : 0.0;
        for (let k = i; k < j; k++) s -= load<f64>(xi + (<usize>k << 3)) * load<f64>(u + <usize>k * ldu8 + (<usize>j << 3));
        store<f64>(xi + (<usize>j << 3), s / load<f64>(u + <usize>j * ldu8 + (<usize>j << 3)));
      }
    }
    return;
  }
  const w1 = split(w);
  const w2 = w - w1;
  invUpper(w1, u, ldu, x, ldx);
  invUpper(w2, u + <usize>w1 * ldu8 + (<usize>w1 << 3), ldu, x + <usize>w1 * ldx8 + (<usize>w1 << 3), ldx);
  // X12 = −X11 U12 U22⁻¹; X12 is still zero (luInverse clears the whole output first).
  const x12 = x + (<usize>w1 << 3);
  gemmSubP(w1, w2, w1, x, ldx, u + (<usize>w1 << 3), ldu, x12, ldx, true);
  trsmRUP(w1, w2, u + <usize>w1 * ldu8 + (<usize>w1 << 3), ldu, x12, ldx);
}

/** out ← M⁻¹ = U⁻¹ L⁻¹ P (row-major n×n) from the factors. */
export function luInverse(lu: usize, n: i32, piv: usize, out: usize): void {
  zeroRowsP(out, n, n);
  invUpper(n, lu, n, out, n);
  trsmRLP(n, n, lu, n, out, n);
  permuteBackwardP(out, n, n, piv);
}

/** max_k ‖M x_k − b_k‖∞ for M = a (mode bit 1: I − a; bit 2: transposed). */
export function residual(a: usize, n: i32, x: usize, b: usize, nrhs: i32, mode: i32, work: usize): f64 {
  const lt = (mode & 1) != 0;
  const tr = (mode & 2) != 0;
  let r: f64 = 0;
  const n8 = <usize>n << 3;
  for (let v = 0; v < nrhs; v++) {
    const xv = x + <usize>v * n8;
    const bv = b + <usize>v * n8;
    if (!tr) {
      for (let i = 0; i < n; i++) {
        let s = dot(n, a + <usize>i * n8, xv);
        if (lt) s = load<f64>(xv + (<usize>i << 3)) - s;
        r = max(r, abs(s - load<f64>(bv + (<usize>i << 3))));
      }
    } else {
      // (Mᵀ x)_j = Σ_i m_ij x_i: accumulate rows scaled by x_i.
      memory.fill(work, 0, n8);
      for (let i = 0; i < n; i++) axpySub(n, -load<f64>(xv + (<usize>i << 3)), a + <usize>i * n8, work);
      for (let j = 0; j < n; j++) {
        let s = load<f64>(work + (<usize>j << 3));
        if (lt) s = load<f64>(xv + (<usize>j << 3)) - s;
        r = max(r, abs(s - load<f64>(bv + (<usize>j << 3))));
      }
    }
  }
  return r;
}
