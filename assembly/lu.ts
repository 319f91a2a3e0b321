// Dense LU with partial pivoting (recursive, Toledo 1997 / LAPACK dgetrf2 order), its solves and
// the inverse: LAPACK's level, on the level-3 blocks (gemm.ts, trsm.ts) through par.ts, which
// splits large calls across threads in the threaded build and is the plain call otherwise.
// Row-major n×n, byte pointers, leading dimension n.
// Pivots are LAPACK-style: piv[k] = the row swapped with row k at step k (i32 array).
// Row swaps exchange whole rows (contiguous in row-major), so L, U and the not yet
// factored part are permuted together, as LAPACK does.
import { permuteBackward, permuteForward, swapRows, transpose } from './matrix';
import { gemmOf } from './gemm';
import { gemmSubP, luUpdateP, permuteBackwardP, trsmLLP, trsmLUP, trsmRLP, trsmRUP, zeroRowsP } from './par';
import { split, splitOf, TRI_LEAF, trsmLL } from './trsm';
import { axpySub, dot, maxAbs } from './vector';

export const EPS: f64 = 2.220446049250313e-16;
const LEAF: i32 = 16;
/** Fewer right-hand sides than this are solved vector by vector (substitution, no GEMM). */
const FEW: i32 = 4;

/**
 * Recursive LU of columns [c0, c0+w) over rows [c0, n), elements of type T. The f64 update goes
 * through par.ts (split across threads in the threaded build); the f32 one (the factors of the
 * mixed-precision solve, mixed.ts) stays on this thread.
 */
function luRec<T>(a: usize, n: i32, c0: i32, w: i32, piv: usize, tol: f64): i32 {
  if (w <= LEAF) return luPanel<T>(a, n, c0, w, piv, tol);
  const w1 = splitOf<T>(w);
  const r = luRec<T>(a, n, c0, w1, piv, tol);
  if (r >= 0) return r;
  const sh = alignof<T>();
  const n8 = <usize>n << sh;
  const c1 = c0 + w1;
  const a11 = a + <usize>c0 * n8 + (<usize>c0 << sh);
  const a12 = a11 + (<usize>w1 << sh);
  const a22 = a + <usize>c1 * n8 + (<usize>c1 << sh);
  // A12 ← L11⁻¹ A12, then A22 −= A21 A12.
  if (sizeof<T>() == 8) luUpdateP(w1, w - w1, n - c1, a11, a12, a22, n);
  else {
    trsmLL<T>(w1, w - w1, a11, n, a12, n, gemm32);
    gemmOf<T>(n - c1, w - w1, w1, a11 + <usize>w1 * n8, n, a12, n, a22, n, false);
  }
  return luRec<T>(a, n, c1, w - w1, piv, tol);
}

function gemm32(M: i32, N: i32, K: i32, a: usize, lda: i32, b: usize, ldb: i32, c: usize, ldc: i32, upperA: bool): void {
  gemmOf<f32>(M, N, K, a, lda, b, ldb, c, ldc, upperA);
}

/**
 * In-place LU with partial pivoting of the n×n matrix at a; pivots to piv (n i32).
 * Returns −1, or the zero-based index of the first pivot with |u_kk| ≤ EPS·n·max|a_ij|
 * (the matrix is then numerically singular and the factors are incomplete).
 */
export function luFactor(a: usize, n: i32, piv: usize): i32 {
  return luFactorOf<f64>(a, n, piv, EPS * <f64>n * maxAbs(a, n * n));
}

/** luFactor in the precision T with an absolute pivot threshold tol. */
export function luFactorOf<T>(a: usize, n: i32, piv: usize, tol: f64): i32 {
  return n <= SMALL ? luPanel<T>(a, n, 0, n, piv, tol) : luRec<T>(a, n, 0, n, piv, tol);
}

/** Below this order the unblocked right-looking LU beats the recursive one. */
const SMALL: i32 = 160;

/** Pivot search in column k over rows k..n−1: returns the row, or −1 − k when negligible. */
@inline function pivotRow<T>(a: usize, n: i32, k: i32, tol: f64): i32 {
  return pivotIn<T>(a, n, <usize>n << alignof<T>(), k, tol);
}

/** pivotRow for a matrix of `rows` rows of ld8 bytes each. */
@inline export function pivotIn<T>(a: usize, rows: i32, ld8: usize, k: i32, tol: f64): i32 {
  let q = a + <usize>k * ld8 + (<usize>k << alignof<T>());
  let p = k;
  let big = abs(load<T>(q));
  for (let i = k + 1; i < rows; i++) {
    q += ld8;
    const v = abs(load<T>(q));
    if (v > big) {
      big = v;
      p = i;
    }
  }
  return <f64>big > tol ? p : -1 - k;
}

/** |pivot| found by the last scaleNextPivot. */
export let nextPivotAbs: f64 = 0;

/**
 * The first half of a rank-2 step, in one pass over rows k+1..rows−1 below pivot row u0 (row
 * stride ld8 bytes): scale column k by 1 / u_kk, give column k+1 its pivot-k update, and find
 * the pivot of column k+1 (returned; its magnitude in nextPivotAbs).
 */
@inline export function scaleNextPivot<T>(u0: usize, ld8: usize, k: i32, rows: i32): i32 {
  const k8 = <usize>k << alignof<T>();
  const k9 = k8 + sizeof<T>();
  const d0 = <T>1.0 / load<T>(u0 + k8);
  const u0k1 = load<T>(u0 + k9);
  let p1 = k + 1;
  let big: T = -1;
  let r = u0;
  for (let i = k + 1; i < rows; i++) {
    r += ld8;
    const l = load<T>(r + k8) * d0;
    store<T>(r + k8, l);
    const v = load<T>(r + k9) - l * u0k1;
    store<T>(r + k9, v);
    const av = abs(v);
    if (av > big) {
      big = av;
      p1 = i;
    }
  }
  nextPivotAbs = <f64>big;
  return p1;
}

/**
 * Unblocked LU of columns [c0, c0+w) over rows [c0, n), two pivots per sweep (rank-2 updates): pivot k, then column k+1
 * alone, pivot k+1, then one pass over the trailing rows applies both, two rows at a time,
 * SIMD along rows. Same pivot choices as the textbook rank-1 order. Elements of type T.
 */
function luPanel<T>(a: usize, n: i32, c0: i32, w: i32, piv: usize, tol: f64): i32 {
  const sh = alignof<T>();
  const sz = sizeof<T>();
  const lanes = <i32>(16 / sizeof<T>());
  const n8 = <usize>n << sh;
  const cEnd = c0 + w;
  const e8 = <usize>cEnd << sh;
  let k = c0;
  for (; k + 1 < cEnd; k += 2) {
    const k8 = <usize>k << sh;
    const k9 = k8 + sz;
    const p = pivotRow<T>(a, n, k, tol);
    if (p < 0) return k;
    store<i32>(piv + (<usize>k << 2), p);
    const u0 = a + <usize>k * n8;
    if (p != k) swapRows<T>(u0, a + <usize>p * n8, n);
    const p1 = scaleNextPivot<T>(u0, n8, k, n);
    if (!(nextPivotAbs > tol)) return k + 1;
    store<i32>(piv + (<usize>(k + 1) << 2), p1);
    const u1 = u0 + n8;
    if (p1 != k + 1) swapRows<T>(u1, a + <usize>p1 * n8, n);
    const d1 = <T>1.0 / load<T>(u1 + k9);
    // Row k+1 beyond column k+1 takes its pivot-k update now.
    const l10 = load<T>(u1 + k8);
    const j0 = k9 + sz;
    const len = cEnd - k - 2;
    const jVec = j0 + (<usize>(len & ~(lanes - 1)) << sh);
    if (len > 0) axpySub<T>(len, l10, u0 + j0, u1 + j0);
    let i = k + 2;
    for (; i + 4 <= n; i += 4) {
      const r0 = a + <usize>i * n8;
      const r1 = r0 + n8;
      const r2 = r1 + n8;
      const r3 = r2 + n8;
      const a0 = load<T>(r0 + k8), a1 = load<T>(r1 + k8), a2 = load<T>(r2 + k8), a3 = load<T>(r3 + k8);
      const b0 = load<T>(r0 + k9) * d1, b1 = load<T>(r1 + k9) * d1;
      const b2 = load<T>(r2 + k9) * d1, b3 = load<T>(r3 + k9) * d1;
      store<T>(r0 + k9, b0);
      store<T>(r1 + k9, b1);
      store<T>(r2 + k9, b2);
      store<T>(r3 + k9, b3);
      const va0 = v128.splat<T>(a0), vb0 = v128.splat<T>(b0), va1 = v128.splat<T>(a1), vb1 = v128.splat<T>(b1);
      const va2 = v128.splat<T>(a2), vb2 = v128.splat<T>(b2), va3 = v128.splat<T>(a3), vb3 = v128.splat<T>(b3);
      let j = j0;
      for (; j < jVec; j += 16) {
        const x0 = v128.load(u0 + j), x1 = v128.load(u1 + j);
        v128.store(r0 + j, v128.sub<T>(v128.load(r0 + j), v128.add<T>(v128.mul<T>(va0, x0), v128.mul<T>(vb0, x1))));
        v128.store(r1 + j, v128.sub<T>(v128.load(r1 + j), v128.add<T>(v128.mul<T>(va1, x0), v128.mul<T>(vb1, x1))));
        v128.store(r2 + j, v128.sub<T>(v128.load(r2 + j), v128.add<T>(v128.mul<T>(va2, x0), v128.mul<T>(vb2, x1))));
        v128.store(r3 + j, v128.sub<T>(v128.load(r3 + j), v128.add<T>(v128.mul<T>(va3, x0), v128.mul<T>(vb3, x1))));
      }
      for (; j < e8; j += sz) {
        const x0 = load<T>(u0 + j), x1 = load<T>(u1 + j);
        store<T>(r0 + j, load<T>(r0 + j) - (a0 * x0 + b0 * x1));
        store<T>(r1 + j, load<T>(r1 + j) - (a1 * x0 + b1 * x1));
        store<T>(r2 + j, load<T>(r2 + j) - (a2 * x0 + b2 * x1));
        store<T>(r3 + j, load<T>(r3 + j) - (a3 * x0 + b3 * x1));
      }
    }
    for (; i + 2 <= n; i += 2) {
      const r0 = a + <usize>i * n8;
      const r1 = r0 + n8;
      const a0 = load<T>(r0 + k8), a1 = load<T>(r1 + k8);
      const b0 = load<T>(r0 + k9) * d1, b1 = load<T>(r1 + k9) * d1;
      store<T>(r0 + k9, b0);
      store<T>(r1 + k9, b1);
      const va0 = v128.splat<T>(a0), vb0 = v128.splat<T>(b0), va1 = v128.splat<T>(a1), vb1 = v128.splat<T>(b1);
      let j = j0;
      for (; j < jVec; j += 16) {
        const x0 = v128.load(u0 + j), x1 = v128.load(u1 + j);
        v128.store(r0 + j, v128.sub<T>(v128.load(r0 + j), v128.add<T>(v128.mul<T>(va0, x0), v128.mul<T>(vb0, x1))));
        v128.store(r1 + j, v128.sub<T>(v128.load(r1 + j), v128.add<T>(v128.mul<T>(va1, x0), v128.mul<T>(vb1, x1))));
      }
      for (; j < e8; j += sz) {
        const x0 = load<T>(u0 + j), x1 = load<T>(u1 + j);
        store<T>(r0 + j, load<T>(r0 + j) - (a0 * x0 + b0 * x1));
        store<T>(r1 + j, load<T>(r1 + j) - (a1 * x0 + b1 * x1));
      }
    }
    if (i < n) {
      const r0 = a + <usize>i * n8;
      const a0 = load<T>(r0 + k8);
      const b0 = load<T>(r0 + k9) * d1;
      store<T>(r0 + k9, b0);
      const va0 = v128.splat<T>(a0), vb0 = v128.splat<T>(b0);
      let j = j0;
      for (; j < jVec; j += 16) {
        v128.store(r0 + j, v128.sub<T>(v128.load(r0 + j), v128.add<T>(v128.mul<T>(va0, v128.load(u0 + j)), v128.mul<T>(vb0, v128.load(u1 + j)))));
      }
      for (; j < e8; j += sz) store<T>(r0 + j, load<T>(r0 + j) - (a0 * load<T>(u0 + j) + b0 * load<T>(u1 + j)));
    }
  }
  if (k < cEnd) {
    // A last single column: pivot, swap, scale (no trailing columns inside the panel).
    const p = pivotRow<T>(a, n, k, tol);
    if (p < 0) return k;
    store<i32>(piv + (<usize>k << 2), p);
    const u0 = a + <usize>k * n8;
    if (p != k) swapRows<T>(u0, a + <usize>p * n8, n);
    const d0 = <T>1.0 / load<T>(u0 + (<usize>k << sh));
    let r = u0 + (<usize>k << sh);
    for (let i = k + 1; i < n; i++) {
      r += n8;
      store<T>(r, load<T>(r) * d0);
    }
  }
  return -1;
}

/** One vector: L U x = P b by substitution with SIMD dot products along rows, in the precision T. */
export function solveVec<T>(lu: usize, n: i32, x: usize): void {
  const sh = alignof<T>();
  const n8 = <usize>n << sh;
  for (let i = 1; i < n; i++) {
    const p = x + (<usize>i << sh);
    store<T>(p, load<T>(p) - dot<T>(i, lu + <usize>i * n8, x));
  }
  for (let i = n - 1; i >= 0; i--) {
    const row = lu + <usize>i * n8;
    const p = x + (<usize>i << sh);
    const m = n - i - 1;
    store<T>(p, (load<T>(p) - dot<T>(m, row + (<usize>(i + 1) << sh), p + sizeof<T>())) / load<T>(row + (<usize>i << sh)));
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
    if (z != 0) axpySub<f64>(n - j - 1, z, row + (<usize>(j + 1) << 3), p + 8);
  }
  for (let j = n - 1; j > 0; j--) {
    const w = load<f64>(x + (<usize>j << 3));
    if (w != 0) axpySub<f64>(j, w, lu + <usize>j * n8, x);
  }
}

/**
 * Solves M X = B for nrhs vectors stored one after another at x (overwritten by X),
 * M = Pᵀ L U from luFactor. work: n·nrhs doubles of scratch (unused when nrhs = 1).
 */
export function luSolve(lu: usize, n: i32, piv: usize, x: usize, nrhs: i32, work: usize): void {
  permuteForward(x, n, nrhs, piv);
  if (nrhs < FEW) {
    for (let v = 0; v < nrhs; v++) solveVec<f64>(lu, n, x + ((<usize>v * <usize>n) << 3));
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
