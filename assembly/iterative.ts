// Gauss–Seidel and Jacobi on (I − A) x = b, A dense row-major or CSR.
// Row i reads s = Σ_j a_ij x_j (diagonal included) and sets x_i ← (b_i + s − a_ii x_i) / (1 − a_ii).
// Stopping rule: relative residual ‖(I − A) x − b‖∞ ≤ tol · ‖b‖∞, always verified on the
// returned x (for Gauss–Seidel the in-sweep row residuals only trigger the verification).
// Return value: iterations ≥ 1 on success, −iterations on failure (maxIter reached or divergence);
// the last relative residual is in `lastResidual`.
import { dot } from './vector';

export let lastResidual: f64 = 0;
/** Right-hand side with the worst residual of the last failed solve (−1 after a success). */
export let lastWorst: i32 = -1;

const DIVERGED: f64 = 1e100;

@inline function ld(p: usize, i: i32): f64 {
  return load<f64>(p + (<usize>i << 3));
}
@inline function st(p: usize, i: i32, v: f64): void {
  store<f64>(p + (<usize>i << 3), v);
}

// ---------------------------------------------------------------------------------------------
// Several right-hand sides at once. The k vectors are interleaved, x[i·k + v], so that one pass
// over row i of the matrix serves all of them (the matrix is streamed once per sweep, whatever
// k). Row products are formed in chunks of 4, 2 and 1 vectors (f64x2 lanes = vectors); in every
// lane the summation order is that of the one-vector code (csrRowDot: even/odd accumulators;
// dense: gemm's dot, four partial sums j mod 4), so a block solve returns bit for bit the
// results of k separate solves. A converged vector is frozen (its update weight set to 0), so it
// stops changing while the others go on.
//
// Per-vector state, k f64 each, at st + s·k·8:
const S_W: i32 = 0; //   update weight: omega (Jacobi 1) while active, 0 once frozen
const S_BN: i32 = 1; //  ‖b_v‖∞
const S_EST: i32 = 2; // Gauss–Seidel in-sweep residual estimate / Jacobi residual of the input
const S_RES: i32 = 3; // absolute residual of the last verification pass
const S_ITS: i32 = 4; // iterations used (result)
const S_ACC: i32 = 5; // row products of the current row
const S_CHK: i32 = 6; // 1 when the vector's residual is to be verified
const S_REL: i32 = 7; // relative residual of the returned x_v (result)
// 8 fields in all: the host (src/kernel/wasm-iterative.ts) sizes the state block with that number.

@inline function sp(s: usize, k: i32, f: i32): usize {
  return s + (<usize>(f * k) << 3);
}

/** acc[0..1] = row · x_v, x_v+1 (CSR; per lane the order of csrRowDot). */
@inline function csrDots2(p0: i32, p1: i32, ci: usize, v: usize, xv: usize, k8: usize, acc: usize): void {
  let e = f64x2.splat(0), o = f64x2.splat(0);
  let p = p0;
  for (; p + 2 <= p1; p += 2) {
    const q = ci + (<usize>p << 2);
    e = f64x2.add(e, f64x2.mul(f64x2.splat(ld(v, p)), v128.load(xv + <usize>load<i32>(q) * k8)));
    o = f64x2.add(o, f64x2.mul(f64x2.splat(ld(v, p + 1)), v128.load(xv + <usize>load<i32>(q, 4) * k8)));
  }
  if (p < p1) e = f64x2.add(e, f64x2.mul(f64x2.splat(ld(v, p)), v128.load(xv + <usize>load<i32>(ci + (<usize>p << 2)) * k8)));
  v128.store(acc, f64x2.add(e, o));
}

/** acc[0..3] = row · x_v … x_v+3 (CSR). */
@inline function csrDots4(p0: i32, p1: i32, ci: usize, v: usize, xv: usize, k8: usize, acc: usize): void {
  let e0 = f64x2.splat(0), e1 = f64x2.splat(0), o0 = f64x2.splat(0), o1 = f64x2.splat(0);
  let p = p0;
  for (; p + 2 <= p1; p += 2) {
    const q = ci + (<usize>p << 2);
    const a = f64x2.splat(ld(v, p));
    const xa = xv + <usize>load<i32>(q) * k8;
    e0 = f64x2.add(e0, f64x2.mul(a, v128.load(xa)));
    e1 = f64x2.add(e1, f64x2.mul(a, v128.load(xa, 16)));
    const c = f64x2.splat(ld(v, p + 1));
    const xb = xv + <usize>load<i32>(q, 4) * k8;
    o0 = f64x2.add(o0, f64x2.mul(c, v128.load(xb)));
    o1 = f64x2.add(o1, f64x2.mul(c, v128.load(xb, 16)));
  }
  if (p < p1) {
    const a = f64x2.splat(ld(v, p));
    const xa = xv + <usize>load<i32>(ci + (<usize>p << 2)) * k8;
    e0 = f64x2.add(e0, f64x2.mul(a, v128.load(xa)));
    e1 = f64x2.add(e1, f64x2.mul(a, v128.load(xa, 16)));
  }
  v128.store(acc, f64x2.add(e0, o0));
  v128.store(acc, f64x2.add(e1, o1), 16);
}

/** acc[0..2] = row · x_v … x_v+2 (CSR): one f64x2 pair and one scalar lane. */
@inline function csrDots3(p0: i32, p1: i32, ci: usize, v: usize, xv: usize, k8: usize, acc: usize): void {
  let e = f64x2.splat(0), o = f64x2.splat(0);
  let s0: f64 = 0, s1: f64 = 0;
  let p = p0;
  for (; p + 2 <= p1; p += 2) {
    const q = ci + (<usize>p << 2);
    const a = ld(v, p);
    const xa = xv + <usize>load<i32>(q) * k8;
    e = f64x2.add(e, f64x2.mul(f64x2.splat(a), v128.load(xa)));
    s0 += a * load<f64>(xa, 16);
    const c = ld(v, p + 1);
    const xb = xv + <usize>load<i32>(q, 4) * k8;
    o = f64x2.add(o, f64x2.mul(f64x2.splat(c), v128.load(xb)));
    s1 += c * load<f64>(xb, 16);
  }
  if (p < p1) {
    const a = ld(v, p);
    const xa = xv + <usize>load<i32>(ci + (<usize>p << 2)) * k8;
    e = f64x2.add(e, f64x2.mul(f64x2.splat(a), v128.load(xa)));
    s0 += a * load<f64>(xa, 16);
  }
  v128.store(acc, f64x2.add(e, o));
  store<f64>(acc, s0 + s1, 16);
}

/** acc[0..4] = row · x_v … x_v+4 (CSR): two f64x2 pairs and one scalar lane. */
@inline function csrDots5(p0: i32, p1: i32, ci: usize, v: usize, xv: usize, k8: usize, acc: usize): void {
  let e0 = f64x2.splat(0), e1 = f64x2.splat(0), o0 = f64x2.splat(0), o1 = f64x2.splat(0);
  let s0: f64 = 0, s1: f64 = 0;
  let p = p0;
  for (; p + 2 <= p1; p += 2) {
    const q = ci + (<usize>p << 2);
    const a = ld(v, p);
    const sa = f64x2.splat(a);
    const xa = xv + <usize>load<i32>(q) * k8;
    e0 = f64x2.add(e0, f64x2.mul(sa, v128.load(xa)));
    e1 = f64x2.add(e1, f64x2.mul(sa, v128.load(xa, 16)));
    s0 += a * load<f64>(xa, 32);
    const c = ld(v, p + 1);
    const sc = f64x2.splat(c);
    const xb = xv + <usize>load<i32>(q, 4) * k8;
    o0 = f64x2.add(o0, f64x2.mul(sc, v128.load(xb)));
    o1 = f64x2.add(o1, f64x2.mul(sc, v128.load(xb, 16)));
    s1 += c * load<f64>(xb, 32);
  }
  if (p < p1) {
    const a = ld(v, p);
    const sa = f64x2.splat(a);
    const xa = xv + <usize>load<i32>(ci + (<usize>p << 2)) * k8;
    e0 = f64x2.add(e0, f64x2.mul(sa, v128.load(xa)));
    e1 = f64x2.add(e1, f64x2.mul(sa, v128.load(xa, 16)));
    s0 += a * load<f64>(xa, 32);
  }
  v128.store(acc, f64x2.add(e0, o0));
  v128.store(acc, f64x2.add(e1, o1), 16);
  store<f64>(acc, s0 + s1, 32);
}

// csrDots4/5 with the scatter of one transposed vector fused into the same pass over the row:
// r[c] += a_ic · sd for every entry (the row's indices and values are loaded once for both).
@inline function scat(sr: usize, c: usize, a: f64, sd: f64): void {
  const q = sr + (c << 3);
  store<f64>(q, load<f64>(q) + a * sd);
}

@inline function csrDots4S(p0: i32, p1: i32, ci: usize, v: usize, xv: usize, k8: usize, acc: usize, sr: usize, sd: f64): void {
  let e0 = f64x2.splat(0), e1 = f64x2.splat(0), o0 = f64x2.splat(0), o1 = f64x2.splat(0);
  let p = p0;
  for (; p + 2 <= p1; p += 2) {
    const q = ci + (<usize>p << 2);
    const av = ld(v, p);
    const ca = <usize>load<i32>(q);
    const a = f64x2.splat(av);
    const xa = xv + ca * k8;
    e0 = f64x2.add(e0, f64x2.mul(a, v128.load(xa)));
    e1 = f64x2.add(e1, f64x2.mul(a, v128.load(xa, 16)));
    scat(sr, ca, av, sd);
    const cv = ld(v, p + 1);
    const cb = <usize>load<i32>(q, 4);
    const c = f64x2.splat(cv);
    const xb = xv + cb * k8;
    o0 = f64x2.add(o0, f64x2.mul(c, v128.load(xb)));
    o1 = f64x2.add(o1, f64x2.mul(c, v128.load(xb, 16)));
    scat(sr, cb, cv, sd);
  }
  if (p < p1) {
    const av = ld(v, p);
    const ca = <usize>load<i32>(ci + (<usize>p << 2));
    const a = f64x2.splat(av);
    const xa = xv + ca * k8;
    e0 = f64x2.add(e0, f64x2.mul(a, v128.load(xa)));
    e1 = f64x2.add(e1, f64x2.mul(a, v128.load(xa, 16)));
    scat(sr, ca, av, sd);
  }
  v128.store(acc, f64x2.add(e0, o0));
  v128.store(acc, f64x2.add(e1, o1), 16);
}

@inline function csrDots5S(p0: i32, p1: i32, ci: usize, v: usize, xv: usize, k8: usize, acc: usize, sr: usize, sd: f64): void {
  let e0 = f64x2.splat(0), e1 = f64x2.splat(0), o0 = f64x2.splat(0), o1 = f64x2.splat(0);
  let s0: f64 = 0, s1: f64 = 0;
  let p = p0;
  for (; p + 2 <= p1; p += 2) {
    const q = ci + (<usize>p << 2);
    const a = ld(v, p);
    const ca = <usize>load<i32>(q);
    const sa = f64x2.splat(a);
    const xa = xv + ca * k8;
    e0 = f64x2.add(e0, f64x2.mul(sa, v128.load(xa)));
    e1 = f64x2.add(e1, f64x2.mul(sa, v128.load(xa, 16)));
    s0 += a * load<f64>(xa, 32);
    scat(sr, ca, a, sd);
    const c = ld(v, p + 1);
    const cb = <usize>load<i32>(q, 4);
    const sc = f64x2.splat(c);
    const xb = xv + cb * k8;
    o0 = f64x2.add(o0, f64x2.mul(sc, v128.load(xb)));
    o1 = f64x2.add(o1, f64x2.mul(sc, v128.load(xb, 16)));
    s1 += c * load<f64>(xb, 32);
    scat(sr, cb, c, sd);
  }
  if (p < p1) {
    const a = ld(v, p);
    const ca = <usize>load<i32>(ci + (<usize>p << 2));
    const sa = f64x2.splat(a);
    const xa = xv + ca * k8;
    e0 = f64x2.add(e0, f64x2.mul(sa, v128.load(xa)));
    e1 = f64x2.add(e1, f64x2.mul(sa, v128.load(xa, 16)));
    s0 += a * load<f64>(xa, 32);
    scat(sr, ca, a, sd);
  }
  v128.store(acc, f64x2.add(e0, o0));
  v128.store(acc, f64x2.add(e1, o1), 16);
  store<f64>(acc, s0 + s1, 32);
}

/**
 * CSR row products of all k vectors with one transposed vector's scatter (r, δ) fused into the
 * last chunk when that chunk has 4 or 5 vectors; returns false (nothing done) otherwise.
 */
function rowDotsFused(i: i32, x: usize, k: i32, acc: usize, sr: usize, sd: f64): bool {
  let c = 0;
  while (k - c > 5) c += 4;
  const rem = k - c;
  if (rem < 4) return false;
  const k8 = <usize>k << 3;
  const p0 = load<i32>(mRp + (<usize>i << 2));
  const p1 = load<i32>(mRp + (<usize>(i + 1) << 2));
  const ci = mCi, v = mV;
  for (let c2 = 0; c2 < c; c2 += 4) csrDots4(p0, p1, ci, v, x + (<usize>c2 << 3), k8, acc + (<usize>c2 << 3));
  const xc = x + (<usize>c << 3), ac = acc + (<usize>c << 3);
  if (rem == 5) csrDots5S(p0, p1, ci, v, xc, k8, ac, sr, sd);
  else csrDots4S(p0, p1, ci, v, xc, k8, ac, sr, sd);
  return true;
}

/** row · x_v for one vector of stride k8 bytes (CSR). */
@inline function csrDot1(p0: i32, p1: i32, ci: usize, v: usize, xv: usize, k8: usize): f64 {
  let s0: f64 = 0, s1: f64 = 0;
  let p = p0;
  for (; p + 2 <= p1; p += 2) {
    const q = ci + (<usize>p << 2);
    s0 += ld(v, p) * load<f64>(xv + <usize>load<i32>(q) * k8);
    s1 += ld(v, p + 1) * load<f64>(xv + <usize>load<i32>(q, 4) * k8);
  }
  if (p < p1) s0 += ld(v, p) * load<f64>(xv + <usize>load<i32>(ci + (<usize>p << 2)) * k8);
  return s0 + s1;
}

/** acc[0..1] = row · x_v, x_v+1 (dense row of n; per lane the order of gemm's dot). */
@inline function denseDots2(n: i32, row: usize, xv: usize, k8: usize, acc: usize): void {
  let a0 = f64x2.splat(0), a1 = f64x2.splat(0), a2 = f64x2.splat(0), a3 = f64x2.splat(0);
  let j = 0;
  let xa = xv;
  for (; j + 4 <= n; j += 4) {
    const r = row + (<usize>j << 3);
    a0 = f64x2.add(a0, f64x2.mul(f64x2.splat(load<f64>(r)), v128.load(xa)));
    a1 = f64x2.add(a1, f64x2.mul(f64x2.splat(load<f64>(r, 8)), v128.load(xa + k8)));
    a2 = f64x2.add(a2, f64x2.mul(f64x2.splat(load<f64>(r, 16)), v128.load(xa + 2 * k8)));
    a3 = f64x2.add(a3, f64x2.mul(f64x2.splat(load<f64>(r, 24)), v128.load(xa + 3 * k8)));
    xa += k8 << 2;
  }
  let t = f64x2.add(f64x2.add(a0, a2), f64x2.add(a1, a3));
  for (; j < n; j++) {
    t = f64x2.add(t, f64x2.mul(f64x2.splat(ld(row, j)), v128.load(xa)));
    xa += k8;
  }
  v128.store(acc, t);
}

/** acc[0..3] = row · x_v … x_v+3 (dense). */
@inline function denseDots4(n: i32, row: usize, xv: usize, k8: usize, acc: usize): void {
  let a0 = f64x2.splat(0), a1 = f64x2.splat(0), a2 = f64x2.splat(0), a3 = f64x2.splat(0);
  let b0 = f64x2.splat(0), b1 = f64x2.splat(0), b2 = f64x2.splat(0), b3 = f64x2.splat(0);
  let j = 0;
  let xa = xv;
  for (; j + 4 <= n; j += 4) {
    const r = row + (<usize>j << 3);
    let s = f64x2.splat(load<f64>(r));
    a0 = f64x2.add(a0, f64x2.mul(s, v128.load(xa)));
    b0 = f64x2.add(b0, f64x2.mul(s, v128.load(xa, 16)));
    xa += k8;
    s = f64x2.splat(load<f64>(r, 8));
    a1 = f64x2.add(a1, f64x2.mul(s, v128.load(xa)));
    b1 = f64x2.add(b1, f64x2.mul(s, v128.load(xa, 16)));
    xa += k8;
    s = f64x2.splat(load<f64>(r, 16));
    a2 = f64x2.add(a2, f64x2.mul(s, v128.load(xa)));
    b2 = f64x2.add(b2, f64x2.mul(s, v128.load(xa, 16)));
    xa += k8;
    s = f64x2.splat(load<f64>(r, 24));
    a3 = f64x2.add(a3, f64x2.mul(s, v128.load(xa)));
    b3 = f64x2.add(b3, f64x2.mul(s, v128.load(xa, 16)));
    xa += k8;
  }
  let t = f64x2.add(f64x2.add(a0, a2), f64x2.add(a1, a3));
  let u = f64x2.add(f64x2.add(b0, b2), f64x2.add(b1, b3));
  for (; j < n; j++) {
    const s = f64x2.splat(ld(row, j));
    t = f64x2.add(t, f64x2.mul(s, v128.load(xa)));
    u = f64x2.add(u, f64x2.mul(s, v128.load(xa, 16)));
    xa += k8;
  }
  v128.store(acc, t);
  v128.store(acc, u, 16);
}

/** row · x_v for one vector of stride k8 bytes (dense; gemm's dot when contiguous). */
@inline function denseDot1(n: i32, row: usize, xv: usize, k8: usize): f64 {
  if (k8 == 8) return dot<f64>(n, row, xv);
  let s0: f64 = 0, s1: f64 = 0, s2: f64 = 0, s3: f64 = 0;
  let j = 0;
  let xa = xv;
  for (; j + 4 <= n; j += 4) {
    const r = row + (<usize>j << 3);
    s0 += load<f64>(r) * load<f64>(xa);
    s1 += load<f64>(r, 8) * load<f64>(xa + k8);
    s2 += load<f64>(r, 16) * load<f64>(xa + 2 * k8);
    s3 += load<f64>(r, 24) * load<f64>(xa + 3 * k8);
    xa += k8 << 2;
  }
  let s = (s0 + s2) + (s1 + s3);
  for (; j < n; j++) {
    s += ld(row, j) * load<f64>(xa);
    xa += k8;
  }
  return s;
}

// The matrix of the running solve: dense (mA ≠ 0) or CSR (mRp, mCi, mV, mDiag). Globals, not an
// object: the minimal runtime never collects, so no managed allocation per call.
let mN: i32 = 0;
let mA: usize = 0;
let mRp: usize = 0;
let mCi: usize = 0;
let mV: usize = 0;
let mDiag: usize = 0;

/** acc[v] = (A x_v)_i for all k vectors (x interleaved); returns a_ii (summed duplicates for CSR). */
function rowDots(i: i32, x: usize, k: i32, acc: usize): f64 {
  const k8 = <usize>k << 3;
  let c = 0;
  if (mA) {
    const n = mN;
    const row = mA + <usize>i * (<usize>n << 3);
    for (; c + 4 <= k; c += 4) denseDots4(n, row, x + (<usize>c << 3), k8, acc + (<usize>c << 3));
    if (c + 2 <= k) {
      denseDots2(n, row, x + (<usize>c << 3), k8, acc + (<usize>c << 3));
      c += 2;
    }
    if (c < k) st(acc, c, denseDot1(n, row, x + (<usize>c << 3), k8));
    return ld(row, i);
  }
  const p0 = load<i32>(mRp + (<usize>i << 2));
  const p1 = load<i32>(mRp + (<usize>(i + 1) << 2));
  const ci = mCi, v = mV;
  // Chunks of 4 vectors, the last one of 1–5 (an odd lane costs one scalar accumulator, not a
  // second pass over the row).
  for (; k - c > 5; c += 4) csrDots4(p0, p1, ci, v, x + (<usize>c << 3), k8, acc + (<usize>c << 3));
  const xc = x + (<usize>c << 3), ac = acc + (<usize>c << 3);
  const rem = k - c;
  if (rem == 5) csrDots5(p0, p1, ci, v, xc, k8, ac);
  else if (rem == 4) csrDots4(p0, p1, ci, v, xc, k8, ac);
  else if (rem == 3) csrDots3(p0, p1, ci, v, xc, k8, ac);
  else if (rem == 2) csrDots2(p0, p1, ci, v, xc, k8, ac);
  else st(ac, 0, csrDot1(p0, p1, ci, v, xc, k8));
  return ld(mDiag, i);
}

// Optional transposed part of a Gauss–Seidel solve: kt vectors t (interleaved like x) of
// (I − Aᵀ) T = C, swept in the same pass over the rows of A. Row i of A is column i of Aᵀ, so
// the update is in scatter form on a kept residual r = C − (I − Aᵀ) T: δ = ω r_i / (1 − a_ii),
// t_i += δ, r_j += a_ij δ for the row's entries, r_i −= δ. That is exactly Gauss–Seidel on the
// transposed system in the same row order (only the rounding differs); r is recomputed from t
// at every verification, so it cannot drift. Set by iterTransposedPart, cleared after a solve.
let tK: i32 = 0;
let tC: usize = 0;
let tX: usize = 0;
let tR: usize = 0;
let tS: usize = 0;

export function iterTransposedPart(kt: i32, c: usize, t: usize, r: usize, s: usize): void {
  tK = kt;
  tC = c;
  tX = t;
  tR = r;
  tS = s;
}

@inline function diagOf(i: i32): f64 {
  return mA ? ld(mA + <usize>i * (<usize>mN << 3), i) : ld(mDiag, i);
}

/** r[j·kt + u] += a_ij · del[u] over the entries of row i. */
function rowScatter(i: i32, kt: i32, r: usize, del: usize): void {
  const kt8 = <usize>kt << 3;
  if (mA) {
    const n = mN;
    const row = mA + <usize>i * (<usize>n << 3);
    if (kt == 1) {
      const d0 = load<f64>(del);
      for (let j = 0; j < n; j++) st(r, j, ld(r, j) + ld(row, j) * d0);
      return;
    }
    for (let j = 0; j < n; j++) {
      const a = ld(row, j);
      const q = r + <usize>j * kt8;
      for (let u = 0; u < kt; u++) st(q, u, ld(q, u) + a * ld(del, u));
    }
    return;
  }
  const p0 = load<i32>(mRp + (<usize>i << 2));
  const p1 = load<i32>(mRp + (<usize>(i + 1) << 2));
  const ci = mCi, v = mV;
  if (kt == 1) {
    const d0 = load<f64>(del);
    for (let p = p0; p < p1; p++) {
      const q = r + (<usize>load<i32>(ci + (<usize>p << 2)) << 3);
      store<f64>(q, load<f64>(q) + ld(v, p) * d0);
    }
    return;
  }
  for (let p = p0; p < p1; p++) {
    const a = ld(v, p);
    const q = r + <usize>load<i32>(ci + (<usize>p << 2)) * kt8;
    for (let u = 0; u < kt; u++) st(q, u, ld(q, u) + a * ld(del, u));
  }
}

/** The transposed part's update of row i (d = a_ii). */
@inline function gsRowTransposed(i: i32, d: f64): void {
  const kt = tK;
  const kt8 = <usize>kt << 3;
  const w = sp(tS, kt, S_W), est = sp(tS, kt, S_EST), del = sp(tS, kt, S_ACC);
  const ri = tR + <usize>i * kt8, ti = tX + <usize>i * kt8;
  for (let u = 0; u < kt; u++) {
    const r = ld(ri, u);
    st(est, u, max(ld(est, u), abs(r)));
    const dl = ld(w, u) * r / (1 - d);
    st(del, u, dl);
    st(ti, u, ld(ti, u) + dl);
  }
  rowScatter(i, kt, tR, del);
  for (let u = 0; u < kt; u++) st(ri, u, ld(ri, u) - ld(del, u));
}

/** r = C − (I − Aᵀ) T recomputed from t; res[u] = ‖r_u‖∞ (absolute). */
function residualsTransposed(): void {
  const kt = tK, n = mN;
  const kt8 = <usize>kt << 3;
  const res = sp(tS, kt, S_RES);
  memory.fill(tR, 0, <usize>n * kt8);
  for (let i = 0; i < n; i++) rowScatter(i, kt, tR, tX + <usize>i * kt8); // r = Aᵀ t
  memory.fill(res, 0, kt8);
  for (let i = 0; i < n; i++) {
    const ri = tR + <usize>i * kt8, ti = tX + <usize>i * kt8, ci = tC + <usize>i * kt8;
    for (let u = 0; u < kt; u++) {
      const r = ld(ci, u) - ld(ti, u) + ld(ri, u);
      st(ri, u, r);
      st(res, u, max(ld(res, u), abs(r)));
    }
  }
}

/**
 * gsSweep for one vector and CSR without a transposed part, as a tight loop of its own (the
 * same operations in the same order; measured ~15 % faster than going through rowDots).
 */
function gsSweepCsr1(b: usize, x: usize, s: usize): void {
  const w = ld(sp(s, 1, S_W), 0);
  const rp = mRp, ci = mCi, v = mV, diag = mDiag;
  let est: f64 = 0;
  let p0 = load<i32>(rp);
  for (let i = 0; i < mN; i++) {
    const p1 = load<i32>(rp + (<usize>(i + 1) << 2));
    const xi = ld(x, i);
    const r = ld(b, i) + csrDot1(p0, p1, ci, v, x, 8) - xi;
    est = max(est, abs(r));
    st(x, i, xi + w * r / (1 - ld(diag, i)));
    p0 = p1;
  }
  st(sp(s, 1, S_EST), 0, est);
}

/** One Gauss–Seidel sweep over all k vectors; est[v] = max row residual before its update. */
function gsSweep(b: usize, x: usize, k: i32, s: usize): void {
  const w = sp(s, k, S_W), est = sp(s, k, S_EST), acc = sp(s, k, S_ACC);
  const k8 = <usize>k << 3;
  if (k == 1 && mA == 0 && !(tK && hasActive(tK, tS))) {
    gsSweepCsr1(b, x, s);
    return;
  }
  memory.fill(est, 0, k8);
  // The transposed part is skipped once all its vectors are frozen (δ would be 0).
  const kt = tK && hasActive(tK, tS) ? tK : 0;
  if (kt) memory.fill(sp(tS, kt, S_EST), 0, <usize>kt << 3);
  const fuse = kt == 1 && k > 0 && mA == 0;
  const estT = sp(tS, 1, S_EST), wT = sp(tS, 1, S_W), delT = sp(tS, 1, S_ACC);
  for (let i = 0; i < mN; i++) {
    let d: f64;
    if (fuse) {
      // One transposed vector, CSR: its update first (δ from r_i), its scatter inside the row
      // products, then r_i −= δ: the same operations as the unfused order below.
      d = ld(mDiag, i);
      const ri = tR + (<usize>i << 3);
      const r0 = load<f64>(ri);
      st(estT, 0, max(ld(estT, 0), abs(r0)));
      const dl = load<f64>(wT) * r0 / (1 - d);
      const ti = tX + (<usize>i << 3);
      store<f64>(ti, load<f64>(ti) + dl);
      if (!rowDotsFused(i, x, k, acc, tR, dl)) {
        rowDots(i, x, k, acc);
        store<f64>(delT, dl);
        rowScatter(i, 1, tR, delT);
      }
      store<f64>(ri, load<f64>(ri) - dl);
    } else d = k ? rowDots(i, x, k, acc) : diagOf(i);
    const xi = x + <usize>i * k8, bi = b + <usize>i * k8;
    for (let v = 0; v < k; v++) {
      const xv = ld(xi, v);
      const r = ld(bi, v) + ld(acc, v) - xv; // b_i − ((I − A) x)_i
      st(est, v, max(ld(est, v), abs(r)));
      st(xi, v, xv + ld(w, v) * r / (1 - d));
    }
    if (kt && !fuse) gsRowTransposed(i, d);
  }
}

/** One Jacobi step from x into y; est[v] = ‖(I − A) x_v − b_v‖∞ of the input. */
function jacobiStep(b: usize, x: usize, y: usize, k: i32, s: usize): void {
  const w = sp(s, k, S_W), est = sp(s, k, S_EST), acc = sp(s, k, S_ACC);
  const k8 = <usize>k << 3;
  memory.fill(est, 0, k8);
  for (let i = 0; i < mN; i++) {
    const d = rowDots(i, x, k, acc);
    const xi = x + <usize>i * k8, bi = b + <usize>i * k8, yi = y + <usize>i * k8;
    for (let v = 0; v < k; v++) {
      const xv = ld(xi, v);
      const r = ld(bi, v) + ld(acc, v) - xv;
      st(est, v, max(ld(est, v), abs(r)));
      st(yi, v, xv + ld(w, v) * r / (1 - d));
    }
  }
}

/** res[v] = ‖(I − A) x_v − b_v‖∞ (absolute) for the vectors marked in chk. */
function residuals(b: usize, x: usize, k: i32, s: usize): void {
  const res = sp(s, k, S_RES), acc = sp(s, k, S_ACC);
  const k8 = <usize>k << 3;
  memory.fill(res, 0, k8);
  for (let i = 0; i < mN; i++) {
    rowDots(i, x, k, acc);
    const xi = x + <usize>i * k8, bi = b + <usize>i * k8;
    for (let v = 0; v < k; v++) st(res, v, max(ld(res, v), abs(ld(xi, v) - ld(acc, v) - ld(bi, v))));
  }
}

/** Worst relative value of field f over the vectors still active; sets lastResidual, lastWorst. */
function failWorst(k: i32, s: usize, f: i32): void {
  const w = sp(s, k, S_W), bn = sp(s, k, S_BN), val = sp(s, k, f);
  let worst: f64 = -1;
  let wv = 0;
  for (let v = 0; v < k; v++) {
    if (ld(w, v) == 0) continue;
    const r = ld(val, v) / ld(bn, v);
    if (!(r <= worst)) { // NaN counts as worst
      worst = r;
      wv = v;
      if (isNaN(r)) break;
    }
  }
  lastResidual = worst;
  lastWorst = wv;
}

/**
 * Starts the state of k interleaved vectors b[i·k + v]: ‖b_v‖∞, no iterations yet, update weight
 * `weight` (0 for b_v = 0: x_v = 0, frozen from the start). Returns how many are active.
 */
function startVectors(k: i32, b: usize, s: usize, weight: f64): i32 {
  const n = mN;
  const k8 = <usize>k << 3;
  const w = sp(s, k, S_W), bn = sp(s, k, S_BN), its = sp(s, k, S_ITS), rel = sp(s, k, S_REL);
  let active = 0;
  for (let v = 0; v < k; v++) {
    let m0: f64 = 0;
    for (let i = 0; i < n; i++) m0 = max(m0, abs(load<f64>(b + <usize>i * k8 + (<usize>v << 3))));
    st(bn, v, m0);
    st(its, v, 0);
    st(rel, v, 0);
    st(w, v, m0 > 0 ? weight : 0);
    if (m0 > 0) active++;
  }
  return active;
}

/**
 * Marks for verification the active vectors whose in-sweep estimate reached tol (all of them at
 * the last sweep). Returns how many, or −1 if one diverged.
 */
function markToVerify(k: i32, s: usize, tol: f64, last: bool): i32 {
  const w = sp(s, k, S_W), bn = sp(s, k, S_BN), est = sp(s, k, S_EST), chk = sp(s, k, S_CHK);
  let count = 0;
  for (let v = 0; v < k; v++) {
    st(chk, v, 0);
    if (ld(w, v) == 0) continue;
    const e = ld(est, v), bv = ld(bn, v);
    if (!(e < DIVERGED * bv)) return -1;
    if (e <= tol * bv || last) {
      st(chk, v, 1);
      count++;
    }
  }
  return count;
}

/** Freezes the marked vectors whose verified residual reached tol at iteration it; returns how many. */
function acceptVerified(k: i32, s: usize, tol: f64, it: i32): i32 {
  const w = sp(s, k, S_W), bn = sp(s, k, S_BN), res = sp(s, k, S_RES);
  const its = sp(s, k, S_ITS), chk = sp(s, k, S_CHK), rel = sp(s, k, S_REL);
  let count = 0;
  for (let v = 0; v < k; v++) {
    if (ld(chk, v) == 0) continue;
    const r = ld(res, v), bv = ld(bn, v);
    if (r <= tol * bv) {
      st(w, v, 0);
      st(its, v, it);
      st(rel, v, r / bv);
      count++;
    }
  }
  return count;
}

/**
 * Gauss–Seidel (or Jacobi) on (I − A) X = B for k interleaved right-hand sides (b[i·k + v]);
 * x (same layout) must hold the start (zeros); work: n·k f64 (Jacobi only); s: ITER_STATE·k f64
 * of per-vector state (S_ITS and S_REL hold each vector's iterations and relative residual on
 * return). Returns the largest iteration count (≥ 0) on success, −iterations on failure with the
 * worst vector's relative residual in lastResidual and its index in lastWorst.
 */
function iterBlock(k: i32, b: usize, x: usize, work: usize, s: usize, tol: f64, maxIter: i32, jacobi: i32, omega: f64): i32 {
  lastWorst = -1;
  let active = startVectors(k, b, s, jacobi ? 1 : omega);
  if (jacobi) return jacobiBlock(k, b, x, work, s, tol, maxIter, active);
  // Gauss–Seidel, with the transposed part if one is set.
  const kt = tK;
  if (kt) {
    memory.copy(tR, tC, (<usize>mN * <usize>kt) << 3); // r = C − (I − Aᵀ)·0
    active += startVectors(kt, tC, tS, omega);
  }
  if (active == 0) return 0;
  let done = 0;
  for (let it = 1; it <= maxIter; it++) {
    gsSweep(b, x, k, s);
    const check = markToVerify(k, s, tol, it == maxIter);
    const checkT = kt ? markToVerify(kt, tS, tol, it == maxIter) : 0;
    if (check < 0 || checkT < 0) {
      failBoth(k, s, S_EST);
      return -it;
    }
    // Verify on the iterate itself: the in-sweep estimate only triggers the check.
    let accepted = 0;
    if (check) {
      residuals(b, x, k, s);
      accepted += acceptVerified(k, s, tol, it);
    }
    if (checkT) {
      residualsTransposed();
      accepted += acceptVerified(kt, tS, tol, it);
    }
    if (accepted) {
      active -= accepted;
      done = it;
    }
    if (active == 0) return done;
  }
  failBoth(k, s, S_RES);
  return -maxIter;
}

/** The Jacobi branch of iterBlock (`active` vectors started). */
function jacobiBlock(k: i32, b: usize, x: usize, work: usize, s: usize, tol: f64, maxIter: i32, active: i32): i32 {
  if (active == 0) return 0;
  const n = mN;
  const k8 = <usize>k << 3;
  const w = sp(s, k, S_W), bn = sp(s, k, S_BN), est = sp(s, k, S_EST), its = sp(s, k, S_ITS), rel = sp(s, k, S_REL);
  let done = 0;
  let cur = x, nxt = work;
  memory.copy(work, x, <usize>n * k8);
  for (let it = 0; it < maxIter; it++) {
    jacobiStep(b, cur, nxt, k, s);
    for (let v = 0; v < k; v++) {
      if (ld(w, v) == 0) continue;
      const r = ld(est, v), bv = ld(bn, v);
      if (r <= tol * bv) {
        // Converged at its input: keep x_v of cur in both buffers (frozen from now on).
        st(w, v, 0);
        st(its, v, <f64>max(it, 1));
        st(rel, v, r / bv);
        for (let i = 0; i < n; i++) {
          const o = <usize>i * k8 + (<usize>v << 3);
          store<f64>(nxt + o, load<f64>(cur + o));
        }
        active--;
        done = max(done, max(it, 1));
      } else if (!(r < DIVERGED * bv)) {
        failWorst(k, s, S_EST);
        if (cur != x) memory.copy(x, cur, <usize>n * k8);
        return -(it + 1);
      }
    }
    if (active == 0) {
      if (cur != x) memory.copy(x, cur, <usize>n * k8);
      return done;
    }
    const t = cur;
    cur = nxt;
    nxt = t;
  }
  if (cur != x) memory.copy(x, cur, <usize>n * k8);
  residuals(b, x, k, s);
  // The last iterate is accepted for the vectors whose true residual reached tol.
  memory.copy(sp(s, k, S_CHK), w, k8);
  active -= acceptVerified(k, s, tol, maxIter);
  if (active == 0) return maxIter;
  failWorst(k, s, S_RES);
  return -maxIter;
}

/** failWorst over the plain vectors and the transposed part (index k + u). */
function failBoth(k: i32, s: usize, f: i32): void {
  failWorst(k, s, f);
  const r0 = lastResidual, w0 = lastWorst;
  const any0 = hasActive(k, s);
  if (tK) {
    failWorst(tK, tS, f);
    if (hasActive(tK, tS) && (!any0 || !(lastResidual <= r0))) {
      lastWorst += k;
      return;
    }
  }
  lastResidual = r0;
  lastWorst = w0;
}

function hasActive(k: i32, s: usize): bool {
  const w = sp(s, k, S_W);
  for (let v = 0; v < k; v++) if (ld(w, v) != 0) return true;
  return false;
}

/** Dense A (row-major n×n): see iterBlock. */
export function iterDense(a: usize, n: i32, k: i32, b: usize, x: usize, work: usize, s: usize, tol: f64, maxIter: i32, jacobi: i32, omega: f64): i32 {
  mN = n;
  mA = a;
  const r = iterBlock(k, b, x, work, s, tol, maxIter, jacobi, omega);
  tK = 0;
  return r;
}

/** CSR A with its diagonal sums in diag: see iterBlock. */
export function iterCsr(
  n: i32, rp: usize, ci: usize, v: usize, diag: usize, k: i32, b: usize, x: usize, work: usize, s: usize,
  tol: f64, maxIter: i32, jacobi: i32, omega: f64,
): i32 {
  mN = n;
  mA = 0;
  mRp = rp;
  mCi = ci;
  mV = v;
  mDiag = diag;
  const r = iterBlock(k, b, x, work, s, tol, maxIter, jacobi, omega);
  tK = 0;
  return r;
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

/**
 * Upper bound on ρ(J) for J = D⁻¹(A − diag A), D = I − diag A, of the dense n×n A: the smaller
 * of ‖J‖∞ and ‖J‖₁ (work: n f64). −1 when the SOR convergence theorem for I − A with A ≥ 0
 * does not apply (a negative entry, or a_ii ≥ 1).
 */
export function jacobiBoundDense(a: usize, n: i32, work: usize): f64 {
  memory.fill(work, 0, <usize>n << 3);
  let rowMax: f64 = 0;
  let neg = f64x2.splat(0);
  for (let i = 0; i < n; i++) {
    const row = a + <usize>i * (<usize>n << 3);
    const aii = ld(row, i);
    if (!(aii < 1)) return -1;
    const inv = 1.0 / (1.0 - aii);
    const vi = f64x2.splat(inv);
    let s = f64x2.splat(0);
    let j = 0;
    for (; j + 2 <= n; j += 2) {
      const x = v128.load(row + (<usize>j << 3));
      neg = f64x2.pmin(neg, x);
      const y = f64x2.mul(x, vi);
      s = f64x2.add(s, y);
      const w = work + (<usize>j << 3);
      v128.store(w, f64x2.add(v128.load(w), y));
    }
    let t = f64x2.extract_lane(s, 0) + f64x2.extract_lane(s, 1);
    if (j < n) {
      const x = ld(row, j);
      if (x < 0) return -1;
      t += x * inv;
      st(work, j, ld(work, j) + x * inv);
    }
    st(work, i, ld(work, i) - aii * inv);
    rowMax = max(rowMax, t - aii * inv);
  }
  if (f64x2.extract_lane(neg, 0) < 0 || f64x2.extract_lane(neg, 1) < 0) return -1;
  let colMax: f64 = 0;
  for (let j = 0; j < n; j++) colMax = max(colMax, ld(work, j));
  return min(rowMax, colMax);
}

/** jacobiBoundDense for CSR A with its diagonal sums in diag (see csrDiag). */
export function jacobiBoundCsr(n: i32, rp: usize, ci: usize, v: usize, diag: usize, work: usize): f64 {
  memory.fill(work, 0, <usize>n << 3);
  let rowMax: f64 = 0;
  for (let i = 0; i < n; i++) {
    const aii = ld(diag, i);
    if (!(aii < 1)) return -1;
    const inv = 1.0 / (1.0 - aii);
    let s: f64 = 0;
    const p1 = load<i32>(rp + (<usize>(i + 1) << 2));
    for (let p = load<i32>(rp + (<usize>i << 2)); p < p1; p++) {
      const x = ld(v, p);
      if (x < 0) return -1;
      const c = load<i32>(ci + (<usize>p << 2));
      if (c == i) continue;
      s += x * inv;
      st(work, c, ld(work, c) + x * inv);
    }
    rowMax = max(rowMax, s);
  }
  let colMax: f64 = 0;
  for (let j = 0; j < n; j++) colMax = max(colMax, ld(work, j));
  return min(rowMax, colMax);
}
