// Gauss–Seidel and Jacobi on (I − A) x = b, A dense row-major or CSR.
// Row i reads s = Σ_j a_ij x_j (diagonal included) and sets x_i ← (b_i + s − a_ii x_i) / (1 − a_ii).
// Stopping rule: relative residual ‖(I − A) x − b‖∞ ≤ tol · ‖b‖∞, always verified on the
// returned x (for Gauss–Seidel the in-sweep row residuals only trigger the verification).
// Return value: iterations ≥ 1 on success, −iterations on failure (maxIter reached or divergence);
// the last relative residual is in `lastResidual`.
import { dot } from './gemm';

export let lastResidual: f64 = 0;

const DIVERGED: f64 = 1e100;

@inline function ld(p: usize, i: i32): f64 {
  return load<f64>(p + (<usize>i << 3));
}
@inline function st(p: usize, i: i32, v: f64): void {
  store<f64>(p + (<usize>i << 3), v);
}

function bNorm(b: usize, n: i32): f64 {
  let m: f64 = 0;
  for (let i = 0; i < n; i++) m = max(m, abs(ld(b, i)));
  return m;
}

/** ‖(I − A) x − b‖∞ for dense A. */
function denseResidual(a: usize, n: i32, b: usize, x: usize): f64 {
  let r: f64 = 0;
  const n8 = <usize>n << 3;
  for (let i = 0; i < n; i++) r = max(r, abs(ld(x, i) - dot(n, a + <usize>i * n8, x) - ld(b, i)));
  return r;
}

/** One Gauss–Seidel sweep; returns max over rows of the row residual just before its update. */
function gsSweepDense(a: usize, n: i32, b: usize, x: usize, omega: f64): f64 {
  let est: f64 = 0;
  const n8 = <usize>n << 3;
  for (let i = 0; i < n; i++) {
    const row = a + <usize>i * n8;
    const d = ld(row, i);
    const xi = ld(x, i);
    const r = ld(b, i) + dot(n, row, x) - xi; // b_i − ((I − A) x)_i
    est = max(est, abs(r));
    st(x, i, xi + omega * r / (1 - d));
  }
  return est;
}

/** One Jacobi step from x into y; returns ‖(I − A) x − b‖∞ of the input x. */
function jacobiStepDense(a: usize, n: i32, b: usize, x: usize, y: usize): f64 {
  let res: f64 = 0;
  const n8 = <usize>n << 3;
  for (let i = 0; i < n; i++) {
    const row = a + <usize>i * n8;
    const r = ld(b, i) + dot(n, row, x) - ld(x, i);
    res = max(res, abs(r));
    st(y, i, ld(x, i) + r / (1 - ld(row, i)));
  }
  return res;
}

export function iterDense(a: usize, n: i32, b: usize, x: usize, work: usize, tol: f64, maxIter: i32, jacobi: i32, omega: f64): i32 {
  const bn = bNorm(b, n);
  const lim = tol * bn;
  if (jacobi) {
    let cur = x, nxt = work;
    for (let it = 0; it < maxIter; it++) {
      const r = jacobiStepDense(a, n, b, cur, nxt);
      lastResidual = r / bn;
      if (r <= lim) {
        if (cur != x) memory.copy(x, cur, <usize>n << 3);
        return max(it, 1);
      }
      if (!(r < DIVERGED * bn)) return -(it + 1);
      const t = cur;
      cur = nxt;
      nxt = t;
    }
    if (cur != x) memory.copy(x, cur, <usize>n << 3);
    lastResidual = denseResidual(a, n, b, x) / bn;
    return lastResidual <= tol ? maxIter : -maxIter;
  }
  for (let it = 1; it <= maxIter; it++) {
    const est = gsSweepDense(a, n, b, x, omega);
    if (!(est < DIVERGED * bn)) {
      lastResidual = est / bn;
      return -it;
    }
    if (est <= lim || it == maxIter) {
      const r = denseResidual(a, n, b, x);
      lastResidual = r / bn;
      if (r <= lim) return it;
    }
  }
  return -maxIter;
}

/** diag[i] = Σ of the stored entries (i, i). */
export function csrDiag(n: i32, rp: usize, ci: usize, v: usize, diag: usize): void {
  for (let i = 0; i < n; i++) {
    let d: f64 = 0;
    const p1 = load<i32>(rp + (<usize>(i + 1) << 2));
    for (let p = load<i32>(rp + (<usize>i << 2)); p < p1; p++) {
      if (load<i32>(ci + (<usize>p << 2)) == i) d += ld(v, p);
    }
    st(diag, i, d);
  }
}

@inline function csrRowDot(p0: i32, p1: i32, ci: usize, v: usize, x: usize): f64 {
  let s0: f64 = 0, s1: f64 = 0;
  let p = p0;
  for (; p + 2 <= p1; p += 2) {
    s0 += ld(v, p) * ld(x, load<i32>(ci + (<usize>p << 2)));
    s1 += ld(v, p + 1) * ld(x, load<i32>(ci + (<usize>(p + 1) << 2)));
  }
  if (p < p1) s0 += ld(v, p) * ld(x, load<i32>(ci + (<usize>p << 2)));
  return s0 + s1;
}

function csrResidual(n: i32, rp: usize, ci: usize, v: usize, b: usize, x: usize): f64 {
  let r: f64 = 0;
  for (let i = 0; i < n; i++) {
    const s = csrRowDot(load<i32>(rp + (<usize>i << 2)), load<i32>(rp + (<usize>(i + 1) << 2)), ci, v, x);
    r = max(r, abs(ld(x, i) - s - ld(b, i)));
  }
  return r;
}

function gsSweepCsr(n: i32, rp: usize, ci: usize, v: usize, diag: usize, b: usize, x: usize, omega: f64): f64 {
  let est: f64 = 0;
  let p0 = load<i32>(rp);
  for (let i = 0; i < n; i++) {
    const p1 = load<i32>(rp + (<usize>(i + 1) << 2));
    const xi = ld(x, i);
    const r = ld(b, i) + csrRowDot(p0, p1, ci, v, x) - xi;
    est = max(est, abs(r));
    st(x, i, xi + omega * r / (1 - ld(diag, i)));
    p0 = p1;
  }
  return est;
}

function jacobiStepCsr(n: i32, rp: usize, ci: usize, v: usize, diag: usize, b: usize, x: usize, y: usize): f64 {
  let res: f64 = 0;
  let p0 = load<i32>(rp);
  for (let i = 0; i < n; i++) {
    const p1 = load<i32>(rp + (<usize>(i + 1) << 2));
    const r = ld(b, i) + csrRowDot(p0, p1, ci, v, x) - ld(x, i);
    res = max(res, abs(r));
    st(y, i, ld(x, i) + r / (1 - ld(diag, i)));
    p0 = p1;
  }
  return res;
}

export function iterCsr(
  n: i32, rp: usize, ci: usize, v: usize, diag: usize, b: usize, x: usize, work: usize,
  tol: f64, maxIter: i32, jacobi: i32, omega: f64,
): i32 {
  const bn = bNorm(b, n);
  const lim = tol * bn;
  if (jacobi) {
    let cur = x, nxt = work;
    for (let it = 0; it < maxIter; it++) {
      const r = jacobiStepCsr(n, rp, ci, v, diag, b, cur, nxt);
      lastResidual = r / bn;
      if (r <= lim) {
        if (cur != x) memory.copy(x, cur, <usize>n << 3);
        return max(it, 1);
      }
      if (!(r < DIVERGED * bn)) return -(it + 1);
      const t = cur;
      cur = nxt;
      nxt = t;
    }
    if (cur != x) memory.copy(x, cur, <usize>n << 3);
    lastResidual = csrResidual(n, rp, ci, v, b, x) / bn;
    return lastResidual <= tol ? maxIter : -maxIter;
  }
  for (let it = 1; it <= maxIter; it++) {
    const est = gsSweepCsr(n, rp, ci, v, diag, b, x, omega);
    if (!(est < DIVERGED * bn)) {
      lastResidual = est / bn;
      return -it;
    }
    if (est <= lim || it == maxIter) {
      const r = csrResidual(n, rp, ci, v, b, x);
      lastResidual = r / bn;
      if (r <= lim) return it;
    }
  }
  return -maxIter;
}

/** Transposes a CSR matrix (counting sort); rpT needs n+1 i32, ciT/vT nnz entries each. */
export function csrTranspose(n: i32, rp: usize, ci: usize, v: usize, rpT: usize, ciT: usize, vT: usize): void {
  const nnz = load<i32>(rp + (<usize>n << 2));
  memory.fill(rpT, 0, <usize>(n + 1) << 2);
  for (let p = 0; p < nnz; p++) {
    const c = load<i32>(ci + (<usize>p << 2));
    const q = rpT + (<usize>(c + 1) << 2);
    store<i32>(q, load<i32>(q) + 1);
  }
  for (let i = 0; i < n; i++) {
    const q = rpT + (<usize>(i + 1) << 2);
    store<i32>(q, load<i32>(q) + load<i32>(q - 4));
  }
  // rpT[c] is used as the insertion cursor of column c, then shifted back.
  for (let i = 0; i < n; i++) {
    const p1 = load<i32>(rp + (<usize>(i + 1) << 2));
    for (let p = load<i32>(rp + (<usize>i << 2)); p < p1; p++) {
      const c = load<i32>(ci + (<usize>p << 2));
      const cur = rpT + (<usize>c << 2);
      const k = load<i32>(cur);
      store<i32>(cur, k + 1);
      store<i32>(ciT + (<usize>k << 2), i);
      st(vT, k, ld(v, p));
    }
  }
  for (let c = n; c > 0; c--) store<i32>(rpT + (<usize>c << 2), load<i32>(rpT + (<usize>(c - 1) << 2)));
  store<i32>(rpT, 0);
}
