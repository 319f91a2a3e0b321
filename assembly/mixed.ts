// Mixed-precision solve (the idea of LAPACK's dsgesv): factor M in f32 with the same LU as lu.ts
// (luFactorOf<f32>: f32x4 SIMD, twice the flops per instruction of f64x2), then refine the f64
// solution with f64 residuals r = b − M x, each correction solved with the f32 factors. Falls back
// to the f64 LU when the f32 factorisation fails (overflow, a tiny pivot) or the refinement does
// not reach the tolerance: M stays in f64 for the residuals and is factored in place then.
import { EPS, luFactor, luFactorOf, luSolve, solveVec } from './lu';
import { identityMinus, permuteForward } from './matrix';
import { dot, firstNonFinite, maxAbs } from './vector';

/** Unit roundoff of f32 (2⁻²³), for the f32 pivot threshold. */
const EPS32: f64 = 1.1920928955078125e-7;
/** Largest finite f32. */
const F32_MAX: f64 = 3.4028234663852886e38;

/** How the last mixedSolve ended: 0 refined f32 solution, 1 f64 LU after the f32 factorisation failed, 2 after the refinement did not converge. */
export let mixedPath: i32 = 0;
/** Refinement steps of the last mixedSolve (corrections solved with the f32 factors, largest over the right-hand sides). */
export let mixedSteps: i32 = 0;
/** Normwise backward error ‖b − M x‖∞ / (‖M‖∞ ‖x‖∞ + ‖b‖∞) of the returned x (largest over the right-hand sides). */
export let mixedBerr: f64 = 0;

/** max|m_ij| of the last toF32. */
let amax: f64 = 0;

/** Whether every entry of M was finite in the last toF32. */
let finite = true;

/**
 * One pass over M: rounds it to f32 into a32 (entries beyond the f32 range become ±Infinity: the
 * caller checks amax first), sets amax = max|m_ij| and `finite` (the NaN/±Infinity scan, in the
 * same pass: m − m is 0 only for finite m), and returns ‖M‖∞, the largest absolute row sum.
 */
function toF32(a: usize, n: i32, a32: usize): f64 {
  const n8 = <usize>n << 3;
  const n4 = <usize>n << 2;
  let norm: f64 = 0;
  let big = f64x2.splat(0);
  let fin = f64x2.splat(0);
  for (let i = 0; i < n; i++) {
    const row = a + <usize>i * n8;
    const dst = a32 + <usize>i * n4;
    let sv = f64x2.splat(0);
    let j = 0;
    for (; j + 2 <= n; j += 2) {
      const v = v128.load(row + (<usize>j << 3));
      const av = f64x2.abs(v);
      sv = f64x2.add(sv, av);
      big = f64x2.pmax(big, av);
      fin = f64x2.add(fin, f64x2.sub(v, v));
      v128.store64_lane(dst + (<usize>j << 2), f32x4.demote_f64x2_zero(v), 0);
    }
    let rs = f64x2.extract_lane(sv, 0) + f64x2.extract_lane(sv, 1);
    if (j < n) {
      const v = load<f64>(row + (<usize>j << 3));
      rs += abs(v);
      big = f64x2.pmax(big, f64x2.splat(abs(v)));
      fin = f64x2.add(fin, f64x2.splat(v - v));
      store<f32>(dst + (<usize>j << 2), <f32>v);
    }
    norm = max(norm, rs);
  }
  amax = max(f64x2.extract_lane(big, 0), f64x2.extract_lane(big, 1));
  finite = f64x2.extract_lane(fin, 0) + f64x2.extract_lane(fin, 1) == 0;
  return norm;
}

/** r ← b − M x (f64), returns ‖r‖∞. */
function residualInto(a: usize, n: i32, x: usize, b: usize, r: usize): f64 {
  const n8 = <usize>n << 3;
  let m: f64 = 0;
  for (let i = 0; i < n; i++) {
    const v = load<f64>(b + (<usize>i << 3)) - dot<f64>(n, a + <usize>i * n8, x);
    store<f64>(r + (<usize>i << 3), v);
    m = max(m, abs(v));
  }
  return m;
}

/**
 * Refines one right-hand side: x from 0, corrections d = M⁻¹ r by the f32 factors (r scaled to
 * ‖r‖∞ = 1 before rounding to f32, so small residuals keep their digits). Stops when the backward
 * error is at most tol, or, once a step no longer halves it, at most √n·ε (the rounding floor of
 * the f64 residual, LAPACK's dsgesv test). Returns the steps taken, negated when it did not
 * converge (the backward error reached is in mixedBerr either way).
 */
function refine(a: usize, a32: usize, n: i32, piv: usize, b: usize, x: usize, r: usize, d32: usize, anorm: f64, maxSteps: i32, tol: f64): i32 {
  const bnorm = maxAbs(b, n);
  memory.fill(x, 0, <usize>n << 3);
  memory.copy(r, b, <usize>n << 3);
  let rnorm = bnorm;
  let prev = Infinity;
  const floor = Math.sqrt(<f64>n) * EPS;
  for (let step = 1; step <= maxSteps; step++) {
    if (rnorm == 0) {
      mixedBerr = 0;
      return step - 1;
    }
    permuteForward(r, n, 1, piv);
    const s = 1.0 / rnorm;
    for (let i = 0; i < n; i++) store<f32>(d32 + (<usize>i << 2), <f32>(load<f64>(r + (<usize>i << 3)) * s));
    solveVec<f32>(a32, n, d32);
    let xnorm: f64 = 0;
    for (let i = 0; i < n; i++) {
      const p = x + (<usize>i << 3);
      const v = load<f64>(p) + <f64>load<f32>(d32 + (<usize>i << 2)) * rnorm;
      store<f64>(p, v);
      xnorm = max(xnorm, abs(v));
    }
    rnorm = residualInto(a, n, x, b, r);
    const berr = rnorm / (anorm * xnorm + bnorm);
    mixedBerr = berr;
    if (!(berr < prev)) return berr <= floor ? step : -step;
    if (berr <= tol || (berr > 0.5 * prev && berr <= floor)) return step;
    prev = berr;
  }
  return -maxSteps;
}

/**
 * Solves M X = B for nrhs vectors at b (f64, kept) into x, M the n×n f64 matrix at a (mode bit 1:
 * M = I − a, formed in place). Scratch: a32 n·n f32, piv n i32, r n f64, d32 n f32, work n·nrhs f64
 * (for the fallback's solve with four or more vectors). Returns −1 on success (mixedPath,
 * mixedSteps, mixedBerr say how), k ≥ 0 when the f64 fallback found M singular at pivot k, −2 − i
 * for a non-finite a[i], −2 − n·n − i for a non-finite b[i].
 */
export function mixedSolve(a: usize, n: i32, a32: usize, piv: usize, b: usize, x: usize, nrhs: i32, mode: i32, r: usize, d32: usize, work: usize, maxSteps: i32, tol: f64): i32 {
  // I − a keeps a non-finite entry where it was, so the scan can ride on the f32 rounding pass.
  if (mode & 1) identityMinus(a, a, n);
  const anorm = toF32(a, n, a32);
  if (!finite) return -2 - firstNonFinite(a, n * n);
  const bad = firstNonFinite(b, n * nrhs);
  if (bad >= 0) return -2 - n * n - bad;
  mixedSteps = 0;
  mixedBerr = 0;
  mixedPath = 1;
  if (amax <= F32_MAX) {
    // A tiny f32 pivot (relative to f32's roundoff) means the f32 factors are useless: fall back.
    if (luFactorOf<f32>(a32, n, piv, EPS32 * <f64>n * amax) < 0) {
      mixedPath = 0;
      let worst: f64 = 0;
      for (let v = 0; v < nrhs; v++) {
        const o = (<usize>v * <usize>n) << 3;
        const s = refine(a, a32, n, piv, b + o, x + o, r, d32, anorm, maxSteps, tol);
        worst = max(worst, mixedBerr);
        mixedSteps = max(mixedSteps, abs(s));
        if (s < 0) {
          mixedPath = 2;
          break;
        }
      }
      mixedBerr = worst;
      if (mixedPath == 0) return -1;
    }
  }
  // The f64 LU on M itself (a is overwritten by its factors).
  const k = luFactor(a, n, piv);
  if (k >= 0) return k;
  memory.copy(x, b, (<usize>n * <usize>nrhs) << 3);
  luSolve(a, n, piv, x, nrhs, work);
  mixedBerr = -1;
  return -1;
}
