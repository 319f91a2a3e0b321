// The embodied wasm kernel: numerics only, on flat float64 arrays in linear memory. This entry is
// the module of the Kernel API alone (src/kernel/embodied-kernel.wasm, the embodied-kernel
// package's embodied.wasm); model.ts adds the model's own routines.
// ABI: numbers and byte pointers only. Memory comes from heap.alloc / heap.free (TLSF, via
// --runtime minimal); the host frees every block it allocates.
import { luFactor, luSolve, luSolveTransposed, luInverse } from './lu';
import { identityMinus, norm1, residual, transpose } from './matrix';
import { firstNonFinite } from './vector';
import { iterDense, iterCsr, iterTransposedPart, csrDiag, csrTranspose, jacobiBoundDense, jacobiBoundCsr, lastResidual, lastWorst } from './iterative';
import { mixedBerr, mixedPath, mixedSolve, mixedSteps } from './mixed';

export { luFactor, luSolve, luSolveTransposed, luInverse, residual, firstNonFinite, identityMinus, norm1, transpose };
export { iterDense, iterCsr, iterTransposedPart, csrDiag, csrTranspose, jacobiBoundDense, jacobiBoundCsr };
export { mixedSolve };

export function alloc(bytes: usize): usize {
  return heap.alloc(bytes);
}

export function free(ptr: usize): void {
  heap.free(ptr);
}

export function iterResidual(): f64 {
  return lastResidual;
}

/** How the last mixedSolve ran (mixed.ts): 0 refined f32, 1 f64 after a failed f32 factorisation, 2 f64 after refinement failed. */
export function mixedPathOf(): i32 {
  return mixedPath;
}

/** Refinement steps of the last mixedSolve. */
export function mixedStepsOf(): i32 {
  return mixedSteps;
}

/** Backward error of the last mixedSolve's refined solution (−1 after the f64 fallback: not computed). */
export function mixedBerrOf(): f64 {
  return mixedBerr;
}

/** Right-hand side with the worst residual of the last failed iterative solve. */
export function iterWorst(): i32 {
  return lastWorst;
}

/**
 * Factors `count` n×n matrices stored one after another (optionally replacing each by I − A
 * first). Returns −1, or c·n + k for the first singular matrix c with failing pivot k.
 */
export function luFactorBatch(a: usize, n: i32, count: i32, piv: usize, leontief: i32): i32 {
  const mBytes = (<usize>n * <usize>n) << 3;
  for (let c = 0; c < count; c++) {
    const m = a + <usize>c * mBytes;
    if (leontief) identityMinus(m, m, n);
    const r = luFactor(m, n, piv + ((<usize>c * <usize>n) << 2));
    if (r >= 0) return c * n + r;
  }
  return -1;
}

/** Solves each factored matrix c against its own block of nrhs vectors (x overwritten). */
export function luSolveBatch(a: usize, n: i32, count: i32, piv: usize, x: usize, nrhs: i32, trans: i32, work: usize): void {
  const mBytes = (<usize>n * <usize>n) << 3;
  const xBytes = (<usize>n * <usize>nrhs) << 3;
  for (let c = 0; c < count; c++) {
    const m = a + <usize>c * mBytes;
    const p = piv + ((<usize>c * <usize>n) << 2);
    const xc = x + <usize>c * xBytes;
    if (trans) luSolveTransposed(m, n, p, xc, nrhs);
    else luSolve(m, n, p, xc, nrhs, work);
  }
}

/**
 * A whole small one-shot solve in one call (a: n×n, x: nrhs vectors, both already copied in;
 * a is overwritten by its factors, piv takes n i32). mode bit 1: M = I − a; bit 2: solve Mᵀ.
 * Returns −1 on success, k ≥ 0 for a singular pivot k, −2 − i for a non-finite a[i], and
 * −2 − n·n − i for a non-finite x[i].
 */
export function solveDense(a: usize, n: i32, piv: usize, x: usize, nrhs: i32, mode: i32, work: usize): i32 {
  let bad = firstNonFinite(a, n * n);
  if (bad >= 0) return -2 - bad;
  bad = firstNonFinite(x, n * nrhs);
  if (bad >= 0) return -2 - n * n - bad;
  if (mode & 1) identityMinus(a, a, n);
  const r = luFactor(a, n, piv);
  if (r >= 0) return r;
  if (mode & 2) luSolveTransposed(a, n, piv, x, nrhs);
  else luSolve(a, n, piv, x, nrhs, work);
  return -1;
}
