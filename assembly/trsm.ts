// Level 3: the four triangular solves with many right-hand sides (LAPACK's trsm), recursive: each
// halves the triangle, solves one half, updates the other with a GEMM and solves it; leaves of
// TRI_LEAF rows or columns are solved by substitution. The GEMM is passed in, so the threaded
// layer above (par.ts) can hand its row-split GEMM down without this module importing it.
// Row-major, byte pointers, leading dimensions in elements.
import { axpyShort, axpySub, scaleDiv } from './vector';

/** C(M×N) −= A(M×K) · B(K×N) with A upper triangular when upperA: gemmSubT or its threaded split. */
export type Gemm = (M: i32, N: i32, K: i32, a: usize, lda: i32, b: usize, ldb: i32, c: usize, ldc: i32, upperA: bool) => void;

export const TRI_LEAF: i32 = 8;

@inline export function split(w: i32): i32 {
  return splitOf<f64>(w);
}

/**
 * Halves w, keeping the left part a multiple of the GEMM panel width in elements of T (64 bytes:
 * 8 f64, 16 f32), so full panels dominate and only the rightmost part has leftover columns.
 */
@inline export function splitOf<T>(w: i32): i32 {
  const p = <i32>(64 / sizeof<T>());
  return w >= 2 * p ? (w >> 1) & ~(p - 1) : w >> 1;
}

/** B ← L⁻¹ B with L (m×m) unit lower at l (ld ldl), B m×N at b (ld ldb); elements of type T, gemm in T. */
export function trsmLL<T>(m: i32, N: i32, l: usize, ldl: i32, b: usize, ldb: i32, gemm: Gemm): void {
  const sh = alignof<T>();
  const ldb8 = <usize>ldb << sh;
  const ldl8 = <usize>ldl << sh;
  if (m <= TRI_LEAF) {
    for (let i = 1; i < m; i++) {
      const bi = b + <usize>i * ldb8;
      for (let k = 0; k < i; k++) {
        const lik = load<T>(l + <usize>i * ldl8 + (<usize>k << sh));
        if (lik != 0) axpySub<T>(N, lik, b + <usize>k * ldb8, bi);
      }
    }
    return;
  }
  const m1 = split(m);
  trsmLL<T>(m1, N, l, ldl, b, ldb, gemm);
  gemm(m - m1, N, m1, l + <usize>m1 * ldl8, ldl, b, ldb, b + <usize>m1 * ldb8, ldb, false);
  trsmLL<T>(m - m1, N, l + <usize>m1 * ldl8 + (<usize>m1 << sh), ldl, b + <usize>m1 * ldb8, ldb, gemm);
}

/** B ← U⁻¹ B with U (m×m) upper, non-unit, at u (ld ldu), B m×N. */
export function trsmLU(m: i32, N: i32, u: usize, ldu: i32, b: usize, ldb: i32, gemm: Gemm): void {
  const ldb8 = <usize>ldb << 3;
  const ldu8 = <usize>ldu << 3;
  if (m <= TRI_LEAF) {
    for (let i = m - 1; i >= 0; i--) {
      const bi = b + <usize>i * ldb8;
      const ui = u + <usize>i * ldu8;
      for (let k = i + 1; k < m; k++) {
        const uik = load<f64>(ui + (<usize>k << 3));
        if (uik != 0) axpySub<f64>(N, uik, b + <usize>k * ldb8, bi);
      }
      scaleDiv(N, load<f64>(ui + (<usize>i << 3)), bi);
    }
    return;
  }
  const m1 = split(m);
  const m2 = m - m1;
  trsmLU(m2, N, u + <usize>m1 * ldu8 + (<usize>m1 << 3), ldu, b + <usize>m1 * ldb8, ldb, gemm);
  gemm(m1, N, m2, u + (<usize>m1 << 3), ldu, b + <usize>m1 * ldb8, ldb, b, ldb, false);
  trsmLU(m1, N, u, ldu, b, ldb, gemm);
}

/** X U = R in place (R: M×w at r, ld ldr), U w×w upper non-unit. */
export function trsmRU(M: i32, w: i32, u: usize, ldu: i32, r: usize, ldr: i32, gemm: Gemm): void {
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
  trsmRU(M, w1, u, ldu, r, ldr, gemm);
  gemm(M, w - w1, w1, r, ldr, u + (<usize>w1 << 3), ldu, r + (<usize>w1 << 3), ldr, false);
  trsmRU(M, w - w1, u + <usize>w1 * ldu8 + (<usize>w1 << 3), ldu, r + (<usize>w1 << 3), ldr, gemm);
}

/** X L = R in place (R: M×w), L w×w unit lower. */
export function trsmRL(M: i32, w: i32, l: usize, ldl: i32, r: usize, ldr: i32, gemm: Gemm): void {
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
  trsmRL(M, w2, l + <usize>w1 * ldl8 + (<usize>w1 << 3), ldl, r + (<usize>w1 << 3), ldr, gemm);
  gemm(M, w1, w2, r + (<usize>w1 << 3), ldr, l + <usize>w1 * ldl8, ldl, r, ldr, false);
  trsmRL(M, w1, l, ldl, r, ldr, gemm);
}
