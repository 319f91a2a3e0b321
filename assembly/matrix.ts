// Whole-matrix and row operations on level 1, below the level-3 blocks: I − A, the 1-norm, the
// residual, transposes, row swaps and the pivot permutations. Row-major, byte pointers.
import { axpySub, dot, maxAbs } from './vector';

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
        let s = dot<f64>(n, a + <usize>i * n8, xv);
        if (lt) s = load<f64>(xv + (<usize>i << 3)) - s;
        r = max(r, abs(s - load<f64>(bv + (<usize>i << 3))));
      }
    } else {
      // (Mᵀ x)_j = Σ_i m_ij x_i: accumulate rows scaled by x_i.
      memory.fill(work, 0, n8);
      for (let i = 0; i < n; i++) axpySub<f64>(n, -load<f64>(xv + (<usize>i << 3)), a + <usize>i * n8, work);
      for (let j = 0; j < n; j++) {
        let s = load<f64>(work + (<usize>j << 3));
        if (lt) s = load<f64>(xv + (<usize>j << 3)) - s;
        r = max(r, abs(s - load<f64>(bv + (<usize>j << 3))));
      }
    }
  }
  return r;
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

/** Exchanges len elements of type T at p and q. */
export function swapRows<T>(p: usize, q: usize, len: i32): void {
  const sh = alignof<T>();
  const lanes = <i32>(16 / sizeof<T>());
  let k = 0;
  for (; k + lanes <= len; k += lanes) {
    const o = <usize>k << sh;
    const t = v128.load(p + o);
    v128.store(p + o, v128.load(q + o));
    v128.store(q + o, t);
  }
  for (; k < len; k++) {
    const o = <usize>k << sh;
    const t = load<T>(p + o);
    store<T>(p + o, load<T>(q + o));
    store<T>(q + o, t);
  }
}

/** Interchange k of piv on one row vector: its entries k and piv[k]. */
@inline function swapPivot(row: usize, k: i32, piv: usize): void {
  const p = load<i32>(piv + (<usize>k << 2));
  if (p != k) {
    const a = row + (<usize>k << 3), b = row + (<usize>p << 3);
    const t = load<f64>(a);
    store<f64>(a, load<f64>(b));
    store<f64>(b, t);
  }
}

/** Applies the row interchanges of piv to each of the nrhs rows of length n of x (forward order). */
export function permuteForward(x: usize, n: i32, nrhs: i32, piv: usize): void {
  for (let v = 0; v < nrhs; v++) {
    const row = x + ((<usize>v * <usize>n) << 3);
    for (let k = 0; k < n; k++) {
      swapPivot(row, k, piv);
    }
  }
}

/** Reverse order: x ← x P for row vectors x. */
export function permuteBackward(x: usize, n: i32, rows: i32, piv: usize): void {
  for (let v = 0; v < rows; v++) {
    const row = x + ((<usize>v * <usize>n) << 3);
    for (let k = n - 1; k >= 0; k--) {
      swapPivot(row, k, piv);
    }
  }
}
