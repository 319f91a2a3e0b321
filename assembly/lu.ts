// Dense LU with partial pivoting (recursive, Toledo 1997 / LAPACK dgetrf2 order), its solves and
// the inverse: LAPACK's level, on the level-3 blocks (gemm.ts, trsm.ts) through par.ts, which
// splits large calls across threads in the threaded build and is the plain call otherwise.
// Row-major n×n, byte pointers, leading dimension n.
// Pivots are LAPACK-style: piv[k] = the row swapped with row k at step k (i32 array).
// Row swaps exchange whole rows (contiguous in row-major), so L, U and the not yet
// factored part are permuted together, as LAPACK does.
import { permuteBackward, permuteForward, swapRows, transpose } from './matrix';
import { gemmSubP, luUpdateP, permuteBackwardP, trsmLLP, trsmLUP, trsmRLP, trsmRUP, zeroRowsP } from './par';
import { split, TRI_LEAF } from './trsm';
import { axpySub, dot, maxAbs } from './vector';

export const EPS: f64 = 2.220446049250313e-16;
const LEAF: i32 = 16;
/** Fewer right-hand sides than this are solved vector by vector (substitution, no GEMM). */
const FEW: i32 = 4;

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
