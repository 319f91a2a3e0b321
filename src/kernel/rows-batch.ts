/**
 * The sweep's batch of small row systems: application-specific, so outside the general `Kernel`.
 * The wasm host (wasm-dense.ts) and the reference kernel provide it; a caller asks a kernel for it
 * with rowsBatchOf.
 */
import type { Kernel } from './api.js';
import { KernelInputError } from './errors.js';

export interface RowsBatch {
  /**
   * Row vectors t_c = d_c (I − A_b diag(s_c))⁻¹ of `count` systems of order n in one call, for
   * c = 0 … count−1: `A` holds m base matrices (m·n·n values, m dividing count) and system c uses
   * A_b with b = c mod m; `colScale` (count·n) multiplies column j of that base by s_c[j]; `d`
   * (count·n) are the right-hand sides. Each column system Mᵀ tᵀ = dᵀ (M = I − A′) is solved by
   * Gaussian elimination with partial pivoting. Returns t (count·n), written into `out` when
   * given. Throws SingularMatrixError with `system` = c and `pivot` = k (a pivot of Mᵀ) for the
   * first singular system.
   */
  leontiefRowsBatch(A: Float64Array, colScale: Float64Array, d: Float64Array, n: number, count: number, out?: Float64Array): Float64Array;
}

/** The kernel, seen with its RowsBatch; KernelInputError for a kernel that has none. */
export function rowsBatchOf<K extends Kernel>(kernel: K): K & RowsBatch {
  if (typeof (kernel as Partial<RowsBatch>).leontiefRowsBatch !== 'function') {
    throw new KernelInputError(`the ${kernel.name} kernel has no leontiefRowsBatch`);
  }
  return kernel as K & RowsBatch;
}
