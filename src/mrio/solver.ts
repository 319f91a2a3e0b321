/**
 * Leontief solves behind one interface, so the accounts do not care how (I − A) is solved:
 * - 'dense': one LU factorisation of I − A in the kernel, reused for every right-hand side;
 * - 'iterative': the kernel's Gauss–Seidel/Jacobi on A in CSR (for large sparse systems where an
 *   n×n factorisation is impractical), prepared once per orientation; all right-hand sides of a
 *   call go to one multi-right-hand-side solve (each sweep reads the matrix once for all of them).
 * Right-hand sides use the kernel's block layout: b[k·n + i] is entry i of vector k.
 */
import type { CSR, IterativeOperator, Kernel } from '../kernel/api.js';

export type SolverKind = 'dense' | 'iterative';

export interface LeontiefSolver {
  readonly n: number;
  readonly kind: SolverKind;
  /** X = (I − A)⁻¹ B. */
  solve(b: Float64Array, nrhs: number): Float64Array;
  /** X = (I − A)⁻ᵀ B: row vectors t = s (I − A)⁻¹ stored as columns. */
  solveTransposed(b: Float64Array, nrhs: number): Float64Array;
  /** Iterations of the iterative solves so far (0 for dense). */
  iterations(): number;
  /** L = (I − A)⁻¹ row-major from the factorisation (dense only; undefined for the iterative solver). */
  inverse?(): Float64Array;
  /** Estimated 1-norm condition number of I − A from the factorisation (dense only; Infinity if singular). */
  condition?(): number;
  free(): void;
}

export interface IterativeSolverOptions {
  tol?: number;
  maxIter?: number;
  method?: 'gauss-seidel' | 'jacobi';
}

/** Dense row-major A → CSR, dropping exact zeros. */
export function toCSR(A: Float64Array, n: number): CSR {
  let nnz = 0;
  for (let k = 0; k < n * n; k++) if (A[k] !== 0) nnz++;
  const rowPtr = new Int32Array(n + 1);
  const colIdx = new Int32Array(nnz);
  const values = new Float64Array(nnz);
  let p = 0;
  for (let i = 0; i < n; i++) {
    for (let j = 0; j < n; j++) {
      const v = A[i * n + j]!;
      if (v !== 0) {
        colIdx[p] = j;
        values[p++] = v;
      }
    }
    rowPtr[i + 1] = p;
  }
  return { n, rowPtr, colIdx, values };
}

export function denseSolver(kernel: Kernel, A: Float64Array, n: number): LeontiefSolver {
  const f = kernel.factorLeontief(A, n);
  return {
    n,
    kind: 'dense',
    solve: (b, nrhs) => f.solve(b, nrhs),
    solveTransposed: (b, nrhs) => f.solveTransposed(b, nrhs),
    iterations: () => 0,
    inverse: () => f.inverse(),
    condition: () => 1 / f.rcond(),
    free: () => f.free(),
  };
}

/**
 * What an estimated condition number κ₁ of I − A means for the accounts: a solve may lose up to
 * log10 κ of its 16 significant digits. Above 1e8 (more than half) it is said in a warning; from
 * 1/ε (≈ 4.5e15) on no digit can be trusted and the system is treated as singular (`singular`).
 */
export function conditionVerdict(condition: number): { singular: boolean; warning?: string } {
  const kappa = condition.toPrecision(2);
  if (!(condition < 1 / Number.EPSILON)) {
    return {
      singular: true,
      warning: `I − A is numerically singular: its 1-norm condition number is about ${kappa}, beyond 1/ε, so no digit of a solve can be trusted`,
    };
  }
  if (condition <= 1e8) return { singular: false };
  const digits = Math.ceil(Math.log10(condition));
  return {
    singular: false,
    warning: `I − A is ill-conditioned: its 1-norm condition number is about ${kappa}, so the accounts may have lost up to ${digits} of their 16 significant digits (look for near-zero outputs and columns of A summing to nearly 1)`,
  };
}

/** The transpose of a CSR matrix (counting sort by column). */
export function transposeCSR(m: CSR): CSR {
  const { n, rowPtr, colIdx, values } = m;
  const nnz = rowPtr[n]!;
  const tPtr = new Int32Array(n + 1);
  for (let p = 0; p < nnz; p++) tPtr[colIdx[p]! + 1]!++;
  for (let i = 0; i < n; i++) tPtr[i + 1]! += tPtr[i]!;
  const next = tPtr.slice(0, n);
  const tIdx = new Int32Array(nnz);
  const tVal = new Float64Array(nnz);
  for (let i = 0; i < n; i++) {
    for (let p = rowPtr[i]!; p < rowPtr[i + 1]!; p++) {
      const q = next[colIdx[p]!]!++;
      tIdx[q] = i;
      tVal[q] = values[p]!;
    }
  }
  return { n, rowPtr: tPtr, colIdx: tIdx, values: tVal };
}

export function iterativeSolver(kernel: Kernel, A: Float64Array | CSR, n: number, opts: IterativeSolverOptions = {}): LeontiefSolver {
  const csr = A instanceof Float64Array ? toCSR(A, n) : A;
  // A (and Aᵀ, for the transposed solves) copied into the kernel once, on first use.
  let op: IterativeOperator | undefined;
  let opT: IterativeOperator | undefined;
  let its = 0;
  const run = (b: Float64Array, nrhs: number, transposed: boolean): Float64Array => {
    if (nrhs === 0) return new Float64Array(0);
    const M = transposed
      ? (opT ??= kernel.prepareLeontiefIterative(csr, { transposed: true }))
      : (op ??= kernel.prepareLeontiefIterative(csr));
    // Vectors with b = 0 come back as x = 0 without iterating.
    const r = M.solve(b, { ...opts, nrhs });
    if (r.vectorIterations) for (const k of r.vectorIterations) its += k;
    else its += r.iterations * nrhs;
    return r.x;
  };
  return {
    n,
    kind: 'iterative',
    solve: (b, nrhs) => run(b, nrhs, false),
    solveTransposed: (b, nrhs) => run(b, nrhs, true),
    iterations: () => its,
    free: () => {
      op?.free();
      opT?.free();
      op = opT = undefined;
    },
  };
}
