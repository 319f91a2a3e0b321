/**
 * The kernel's typed surface. Everything is a flat Float64Array.
 *
 * Layout conventions (the one place they are defined):
 * - A square matrix of order n is stored row-major: a[i*n + j] is row i, column j.
 * - A block of right-hand sides holds `nrhs` vectors of length n one after another:
 *   b[k*n + i] is entry i of vector k (results use the same layout).
 * - A batch of `count` matrices of order n holds them one after another (count*n*n values);
 *   its right-hand sides are `count` blocks of `nrhs` vectors (count*nrhs*n values).
 */

/** An LU factorisation with partial pivoting held in kernel memory until free(). */
export interface Factorization {
  readonly n: number;
  /** Solves M X = B for the factored matrix M. */
  solve(b: Float64Array, nrhs?: number): Float64Array;
  /** Solves Mᵀ X = B: with M = I − A this gives row vectors t = d (I − A)⁻¹. */
  solveTransposed(b: Float64Array, nrhs?: number): Float64Array;
  /** M⁻¹, row-major. */
  inverse(): Float64Array;
  /** Reciprocal 1-norm condition estimate (Hager/Higham), 0 for singular. */
  rcond(): number;
  /** Releases kernel memory; the object is unusable afterwards. */
  free(): void;
}

/** `count` factorisations of order n made in one call. */
export interface BatchFactorization {
  readonly n: number;
  readonly count: number;
  solve(b: Float64Array, nrhs?: number): Float64Array;
  solveTransposed(b: Float64Array, nrhs?: number): Float64Array;
  free(): void;
}

export interface IterativeOptions {
  /** Relative residual ‖(I−A)x − b‖∞ / ‖b‖∞ at which to stop. */
  tol?: number;
  maxIter?: number;
  method?: 'gauss-seidel' | 'jacobi';
  /**
   * Over-relaxation factor for Gauss–Seidel (SOR). For A ≥ 0 with ρ(A) < 1, SOR converges for
   * 0 < ω < 2 / (1 + ρ(J)), J the Jacobi matrix (Varga, Matrix Iterative Analysis, ch. 3).
   * Default 'auto': ω from a bound ρ̂ ≥ ρ(J) (the smaller of ‖J‖₁ and ‖J‖∞, one pass over A),
   * ω = min(2 / (1 + √(1 − ρ̂²)), 2 / (1 + ρ̂) − 0.01), so convergence is guaranteed; 1 (plain
   * Gauss–Seidel) when A has a negative entry or ρ̂ ≥ 1. It cut the sweeps from 32 to 19 on the
   * n = 1302 benchmark system (column sums 0.5–0.7). Ignored by Jacobi.
   */
  omega?: number | 'auto';
  /**
   * Number of right-hand sides in b (vectors one after another); defaults to b.length / n. All
   * are swept together: each sweep reads the matrix once for all of them, and each vector stops
   * (is frozen) when its own residual reaches tol, so the results equal separate solves.
   */
  nrhs?: number;
}

/** Result of an iterative solve: the solution, sweeps used, relative residual reached. */
export interface IterativeResult {
  /** The solutions, in the layout of b (nrhs vectors one after another). */
  x: Float64Array;
  /** Sweeps made: the largest over the right-hand sides. */
  iterations: number;
  /** ‖(I − A) x − b‖∞ / ‖b‖∞ of the returned x: the largest over the right-hand sides. */
  residual: number;
  /** Per right-hand side: sweeps each needed (0 for b = 0). */
  vectorIterations?: Int32Array;
  /** Per right-hand side: its relative residual. */
  vectorResiduals?: Float64Array;
}

/**
 * A matrix copied into kernel memory once for repeated iterative solves (the copy of a dense
 * n = 1302 matrix costs about as much as a few sweeps). Release with free().
 */
export interface IterativeOperator {
  readonly n: number;
  /** Solves for one or several right-hand sides (b.length = nrhs·n) in one block iteration. */
  solve(b: Float64Array, opts?: IterativeOptions): IterativeResult;
  /**
   * Gauss–Seidel on M X = B and Mᵀ T = C together (M = I − A for the stored A): each sweep reads
   * the stored matrix once for both blocks (the transposed vectors are updated in scatter form,
   * which is Gauss–Seidel on Mᵀ in the same row order), so no transposed copy is needed. B or C
   * may be empty. For footprints: T = d L and X = L Y with one prepared copy of A. Only
   * 'gauss-seidel' (KernelInputError for 'jacobi'). A ConvergenceError's `vector` counts the
   * vectors of B first, then those of C.
   */
  solveWithTransposed(b: Float64Array, c: Float64Array, opts?: Omit<IterativeOptions, 'nrhs'>): { x: IterativeResult; t: IterativeResult };
  free(): void;
}

/** A sparse matrix in compressed sparse row form. */
export interface CSR {
  n: number;
  rowPtr: Int32Array;
  colIdx: Int32Array;
  values: Float64Array;
}

/** Options of the one-shot helpers. */
export interface SolveOptions {
  /** Use M = I − a instead of M = a. */
  leontief?: boolean;
  /** Solve Mᵀ X = B instead of M X = B. */
  transposed?: boolean;
  /** Number of right-hand sides; defaults to b.length / n. */
  nrhs?: number;
}

/** Options of the mixed-precision solve (Kernel.solveMixed). */
export interface MixedOptions {
  /** Use M = I − a instead of M = a. */
  leontief?: boolean;
  /** Number of right-hand sides; defaults to b.length / n. */
  nrhs?: number;
  /**
   * Normwise backward error ‖b − M x‖∞ / (‖M‖∞ ‖x‖∞ + ‖b‖∞) at which refinement stops (default
   * 1e-15). A step that no longer halves it also ends the refinement, successfully when it is at
   * most √n·ε (the rounding floor of an f64 residual, LAPACK dsgesv's test).
   */
  tol?: number;
  /** Refinement steps (corrections with the f32 factors) before falling back to the f64 LU; default 10. */
  maxSteps?: number;
}

/** What a mixed-precision solve returned and how it got there. */
export interface MixedResult {
  /** The solutions, in the layout of b. */
  x: Float64Array;
  /** 'mixed': f32 LU refined with f64 residuals; 'f64': the f64 LU (see fallback). */
  path: 'mixed' | 'f64';
  /** Why the f64 LU ran: the f32 factorisation failed (overflow, a tiny pivot) or the refinement did not converge. */
  fallback?: 'f32-factorization' | 'refinement';
  /** Refinement steps made (largest over the right-hand sides; those of the abandoned refinement on fallback). */
  steps: number;
  /** Normwise backward error of x (largest over the right-hand sides). */
  backwardError: number;
}

/**
 * The general kernel: what every host provides (the wasm host, its threaded build, the reference
 * kernel). Application-specific batch calls stay outside (RowsBatch, rows-batch.ts).
 */
export interface Kernel {
  /** 'reference' (plain TypeScript), 'wasm' or 'wasm-threads'. */
  readonly name: string;
  /** Factors the n×n matrix `a` (copied; `a` is not modified). Throws SingularMatrixError. */
  factor(a: Float64Array, n: number): Factorization;
  /** Factors I − A for a technical-coefficient matrix A. */
  factorLeontief(A: Float64Array, n: number): Factorization;
  /**
   * L = (I − A)⁻¹, written into `out` (n·n) when given: reusing one output array saves the first
   * touch of a fresh one (at n = 1302 about 40 ms of page faults on the development machine).
   */
  leontief(A: Float64Array, n: number, out?: Float64Array): Float64Array;
  /** Factors `count` matrices (or I − A of each, with leontief) in one kernel call. */
  factorBatch(a: Float64Array, n: number, count: number, opts?: { leontief?: boolean }): BatchFactorization;
  /**
   * Solves (I − A) X = B (or its transpose) iteratively for nrhs = b.length / n right-hand sides
   * at once; throws ConvergenceError (naming the worst vector) unless every one converges.
   */
  solveLeontiefIterative(A: Float64Array | CSR, b: Float64Array, opts?: IterativeOptions & { transposed?: boolean }): IterativeResult;
  /** Keeps A (or Aᵀ with transposed) in kernel memory for repeated iterative solves of (I − A) x = b. */
  prepareLeontiefIterative(A: Float64Array | CSR, opts?: { transposed?: boolean }): IterativeOperator;
  /** One shot: factor M (a, or I − a), solve, release. Throws SingularMatrixError. */
  solve(a: Float64Array, n: number, b: Float64Array, opts?: SolveOptions): Float64Array;
  /**
   * One shot in mixed precision (LAPACK's dsgesv idea): factor M (a, or I − a) in f32, refine the
   * solution with f64 residuals to f64 accuracy; the f64 LU when that fails (said in the result).
   * Throws SingularMatrixError when M is singular in f64 too.
   */
  solveMixed(a: Float64Array, n: number, b: Float64Array, opts?: MixedOptions): MixedResult;
  /** M⁻¹ for M = a (or I − a with leontief), row-major; into opts.out (n·n) when given. */
  inverse(a: Float64Array, n: number, opts?: { leontief?: boolean; out?: Float64Array }): Float64Array;
  /**
   * max over vectors k of ‖M x_k − b_k‖∞ for M = a (or I − a with leontief, or Mᵀ with transposed):
   * the absolute residual of a solution block x in the right-hand-side layout.
   */
  residual(a: Float64Array, n: number, x: Float64Array, b: Float64Array, opts?: SolveOptions): number;
  /** Bytes of wasm linear memory now reserved (for leak tests). */
  memoryBytes(): number;
}
