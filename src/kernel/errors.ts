/** A matrix that is exactly or numerically singular: never solved silently. */
export class SingularMatrixError extends Error {
  constructor(
    /** Zero-based index of the first pivot that vanished. */
    readonly pivot: number,
    readonly n: number,
    detail = '',
    /** In a batch: the zero-based index of the singular system. */
    readonly system?: number,
  ) {
    super(`matrix of order ${n} is singular: pivot ${pivot} is zero or negligible${detail ? ` (${detail})` : ''}`);
    this.name = 'SingularMatrixError';
  }
}

/** Input that cannot reach the kernel: wrong sizes, NaN or infinite entries. */
export class KernelInputError extends Error {
  override name = 'KernelInputError';
}

/** An iterative solve that did not reach its tolerance. */
export class ConvergenceError extends Error {
  constructor(
    readonly iterations: number,
    readonly residual: number,
    readonly tol: number,
    /** With several right-hand sides: the (zero-based) one with the worst residual. */
    readonly vector?: number,
    nrhs = 1,
  ) {
    super(
      `iterative solve did not converge: residual ${residual.toExponential(3)} > tol ${tol} after ${iterations} iterations` +
        (vector !== undefined && nrhs > 1 ? ` (worst of ${nrhs} right-hand sides: vector ${vector})` : ''),
    );
    this.name = 'ConvergenceError';
  }
}
