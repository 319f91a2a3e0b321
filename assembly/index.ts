// The embodied wasm kernel: numerics only, on flat float64 arrays in linear memory.
// ABI: numbers and byte pointers only. Memory comes from heap.alloc / heap.free (TLSF, via
// --runtime minimal); the host frees every block it allocates.
import { luFactor, luSolve, luSolveTransposed, luInverse, residual, maxAbs, firstNonFinite, identityMinus, norm1, transpose } from './lu';
import { gemmSub, releaseScratch } from './gemm';
import { iterDense, iterCsr, csrDiag, csrTranspose, lastResidual } from './iterative';

export { luFactor, luSolve, luSolveTransposed, luInverse, residual, maxAbs, firstNonFinite, identityMinus, norm1, transpose };
export { gemmSub, releaseScratch };
export { iterDense, iterCsr, csrDiag, csrTranspose };

export function alloc(bytes: usize): usize {
  return heap.alloc(bytes);
}

export function free(ptr: usize): void {
  heap.free(ptr);
}

export function iterResidual(): f64 {
  return lastResidual;
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

export function copy(dst: usize, src: usize, bytes: usize): void {
  memory.copy(dst, src, bytes);
}
