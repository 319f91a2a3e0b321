/**
 * The reference kernel: a plain TypeScript implementation of `Kernel`, written for clarity.
 * It is the "js-baseline" solver in benchmarks and the oracle the wasm kernel is tested against.
 *
 * - LU: unblocked right-looking Gaussian elimination with partial pivoting (LAPACK dgetf2 order),
 *   rows swapped in full, row-major. Pivot k is negligible when
 *   |u_kk| ≤ PIVOT_REL_TOL · n · max|m_ij| (see validate.ts); then SingularMatrixError(k).
 * - rcond: 1 / (‖M‖₁ · est ‖M⁻¹‖₁) with Hager's estimator as refined by Higham (LAPACK dlacn2).
 * - Iterative: Gauss–Seidel or Jacobi on (I − A) x = b, dense or CSR, stopping on the relative
 *   residual ‖(I − A) x − b‖∞ / ‖b‖∞ ≤ tol, ConvergenceError otherwise.
 */
import type {
  BatchFactorization,
  CSR,
  Factorization,
  IterativeOperator,
  IterativeOptions,
  IterativeResult,
  Kernel,
  MixedOptions,
  MixedResult,
  SolveOptions,
} from './api.js';
import { backwardError, estimateInverseNorm1 } from './condition.js';
import { ConvergenceError, KernelInputError, SingularMatrixError } from './errors.js';
import {
  checkBatch,
  checkIterativeMatrix,
  checkIterativeRhs,
  checkOut,
  checkRhs,
  checkRowsBatch,
  checkSquare,
  F32_EPS,
  F32_MAX,
  maxAbs,
  pivotThreshold,
  resolveIterativeOptions,
  resolveMixedOptions,
  sorOmega,
} from './validate.js';
import type { RowsBatch } from './rows-batch.js';
import { structuralPathsReference, type PathSearch } from './spa.js';

/** I − A as a new row-major array. */
function identityMinus(A: Float64Array, n: number, off = 0): Float64Array {
  const m = new Float64Array(n * n);
  for (let i = 0; i < n * n; i++) m[i] = -A[off + i]!;
  for (let i = 0; i < n; i++) m[i * n + i]! += 1;
  return m;
}

/** ‖M‖₁: largest absolute column sum. */
function norm1(m: Float64Array, n: number): number {
  const s = new Float64Array(n);
  for (let i = 0; i < n; i++) for (let j = 0; j < n; j++) s[j]! += Math.abs(m[i * n + j]!);
  return maxAbs(s);
}

/**
 * In-place LU of the row-major n×n matrix `lu` (f64, or f32 storage for solveMixed, every entry
 * rounded where it is stored); returns the LAPACK-style pivot rows. tol: the absolute pivot threshold.
 */
function luFactorInPlace(lu: Float64Array | Float32Array, n: number, tol = pivotThreshold(n, maxAbs(lu))): Int32Array {
  const piv = new Int32Array(n);
  for (let k = 0; k < n; k++) {
    let p = k;
    let big = Math.abs(lu[k * n + k]!);
    for (let i = k + 1; i < n; i++) {
      const v = Math.abs(lu[i * n + k]!);
      if (v > big) {
        big = v;
        p = i;
      }
    }
    if (!(big > tol)) {
      throw new SingularMatrixError(k, n, `|pivot| = ${big.toExponential(3)} ≤ threshold ${tol.toExponential(3)}`);
    }
    piv[k] = p;
    if (p !== k) {
      for (let j = 0; j < n; j++) {
        const t = lu[k * n + j]!;
        lu[k * n + j] = lu[p * n + j]!;
        lu[p * n + j] = t;
      }
    }
    const d = lu[k * n + k]!;
    for (let i = k + 1; i < n; i++) {
      const l = (lu[i * n + k]! /= d);
      if (l !== 0) for (let j = k + 1; j < n; j++) lu[i * n + j]! -= l * lu[k * n + j]!;
    }
  }
  return piv;
}

/** Solves M x = b in place for one vector at x[off..off+n). */
function luSolveVec(lu: Float64Array | Float32Array, piv: Int32Array, n: number, x: Float64Array, off: number): void {
  for (let k = 0; k < n; k++) {
    const p = piv[k]!;
    if (p !== k) {
      const t = x[off + k]!;
      x[off + k] = x[off + p]!;
      x[off + p] = t;
    }
  }
  for (let i = 1; i < n; i++) {
    let s = x[off + i]!;
    for (let j = 0; j < i; j++) s -= lu[i * n + j]! * x[off + j]!;
    x[off + i] = s;
  }
  for (let i = n - 1; i >= 0; i--) {
    let s = x[off + i]!;
    for (let j = i + 1; j < n; j++) s -= lu[i * n + j]! * x[off + j]!;
    x[off + i] = s / lu[i * n + i]!;
  }
}

/** Solves Mᵀ x = b in place (M = Pᵀ L U, so Mᵀ = Uᵀ Lᵀ P). */
function luSolveTVec(lu: Float64Array, piv: Int32Array, n: number, x: Float64Array, off: number): void {
  for (let i = 0; i < n; i++) {
    let s = x[off + i]!;
    for (let j = 0; j < i; j++) s -= lu[j * n + i]! * x[off + j]!;
    x[off + i] = s / lu[i * n + i]!;
  }
  for (let i = n - 2; i >= 0; i--) {
    let s = x[off + i]!;
    for (let j = i + 1; j < n; j++) s -= lu[j * n + i]! * x[off + j]!;
    x[off + i] = s;
  }
  for (let k = n - 1; k >= 0; k--) {
    const p = piv[k]!;
    if (p !== k) {
      const t = x[off + k]!;
      x[off + k] = x[off + p]!;
      x[off + p] = t;
    }
  }
}

class RefFactorization implements Factorization {
  private lu: Float64Array | null;
  private readonly piv: Int32Array;
  private readonly anorm: number;

  constructor(
    m: Float64Array,
    readonly n: number,
  ) {
    this.anorm = norm1(m, n);
    this.lu = m;
    this.piv = luFactorInPlace(m, n);
  }

  private get factors(): Float64Array {
    if (!this.lu) throw new KernelInputError('factorization used after free()');
    return this.lu;
  }

  solve(b: Float64Array, nrhs?: number): Float64Array {
    const k = checkRhs(b, this.n, nrhs);
    const x = b.slice();
    for (let v = 0; v < k; v++) luSolveVec(this.factors, this.piv, this.n, x, v * this.n);
    return x;
  }

  solveTransposed(b: Float64Array, nrhs?: number): Float64Array {
    const k = checkRhs(b, this.n, nrhs);
    const x = b.slice();
    for (let v = 0; v < k; v++) luSolveTVec(this.factors, this.piv, this.n, x, v * this.n);
    return x;
  }

  inverse(): Float64Array {
    // Block k of the solution of Mᵀ Y = I is row k of M⁻¹, so the result is M⁻¹ row-major.
    const n = this.n;
    const y = new Float64Array(n * n);
    for (let k = 0; k < n; k++) {
      y[k * n + k] = 1;
      luSolveTVec(this.factors, this.piv, n, y, k * n);
    }
    return y;
  }

  rcond(): number {
    const lu = this.factors;
    const n = this.n;
    if (this.anorm === 0) return 0;
    const ainv = estimateInverseNorm1(
      n,
      (x) => luSolveVec(lu, this.piv, n, x, 0),
      (x) => luSolveTVec(lu, this.piv, n, x, 0),
    );
    return ainv > 0 && Number.isFinite(ainv) ? 1 / (this.anorm * ainv) : 0;
  }

  free(): void {
    this.lu = null;
  }
}

class RefBatch implements BatchFactorization {
  constructor(
    readonly n: number,
    readonly count: number,
    private readonly parts: RefFactorization[],
  ) {}

  private run(b: Float64Array, nrhs: number | undefined, t: boolean): Float64Array {
    const n = this.n;
    const k = checkRhs(b, n, nrhs, this.count);
    const out = new Float64Array(b.length);
    const block = k * n;
    this.parts.forEach((f, c) => {
      const part = b.subarray(c * block, (c + 1) * block);
      out.set(t ? f.solveTransposed(part, k) : f.solve(part, k), c * block);
    });
    return out;
  }

  solve(b: Float64Array, nrhs?: number): Float64Array {
    return this.run(b, nrhs, false);
  }

  solveTransposed(b: Float64Array, nrhs?: number): Float64Array {
    return this.run(b, nrhs, true);
  }

  free(): void {
    for (const f of this.parts) f.free();
    this.parts.length = 0;
  }
}

/** Row-access view of the iteration matrix: off-diagonal entries of A (or Aᵀ) by row, and the diagonal. */
interface RowMatrix {
  n: number;
  rowPtr: Int32Array;
  colIdx: Int32Array;
  values: Float64Array;
  diag: Float64Array;
}

function toRowMatrix(A: Float64Array | CSR, n: number, transposed: boolean): RowMatrix {
  const diag = new Float64Array(n);
  const counts = new Int32Array(n + 1);
  const entries: Array<[number, number, number]> = [];
  const push = (i: number, j: number, v: number): void => {
    const [r, c] = transposed ? [j, i] : [i, j];
    if (r === c) diag[r]! += v;
    else if (v !== 0) {
      entries.push([r, c, v]);
      counts[r + 1]!++;
    }
  };
  if (A instanceof Float64Array) {
    for (let i = 0; i < n; i++) for (let j = 0; j < n; j++) push(i, j, A[i * n + j]!);
  } else {
    for (let i = 0; i < n; i++) for (let p = A.rowPtr[i]!; p < A.rowPtr[i + 1]!; p++) push(i, A.colIdx[p]!, A.values[p]!);
  }
  for (let i = 0; i < n; i++) counts[i + 1]! += counts[i]!;
  const rowPtr = counts.slice();
  const next = counts.slice(0, n);
  const colIdx = new Int32Array(entries.length);
  const values = new Float64Array(entries.length);
  for (const [r, c, v] of entries) {
    const p = next[r]!++;
    colIdx[p] = c;
    values[p] = v;
  }
  return { n, rowPtr, colIdx, values, diag };
}

/** The 'auto' SOR factor (see api.ts): sorOmega of min(‖J‖∞, ‖J‖₁), J = D⁻¹ (A − diag A). */
function autoOmega(m: RowMatrix): number {
  const col = new Float64Array(m.n);
  let rowMax = 0;
  for (let i = 0; i < m.n; i++) {
    if (!(m.diag[i]! < 1) || m.diag[i]! < 0) return 1;
    const inv = 1 / (1 - m.diag[i]!);
    let s = 0;
    for (let p = m.rowPtr[i]!; p < m.rowPtr[i + 1]!; p++) {
      if (m.values[p]! < 0) return 1;
      s += m.values[p]! * inv;
      col[m.colIdx[p]!]! += m.values[p]! * inv;
    }
    rowMax = Math.max(rowMax, s);
  }
  let colMax = 0;
  for (const c of col) colMax = Math.max(colMax, c);
  return sorOmega(Math.min(rowMax, colMax));
}

/**
 * Gauss–Seidel / Jacobi sweeps on a prepared row matrix, for nrhs = b.length / n right-hand sides
 * at once (vectors one after another): each sweep runs over the rows once and updates every
 * vector still active; a vector stops (keeps its x) as soon as its own residual reaches tol.
 */
function iterateRows(m: RowMatrix, b: Float64Array, opts: IterativeOptions | undefined): IterativeResult {
  const n = m.n;
  const o = resolveIterativeOptions(opts);
  const k = checkIterativeRhs(b, n, opts?.nrhs);
  const x = new Float64Array(n * k);
  const xOld = new Float64Array(n * k);
  const bnorm = new Float64Array(k);
  const active: boolean[] = [];
  const its = new Int32Array(k);
  const res = new Float64Array(k);
  for (let v = 0; v < k; v++) {
    bnorm[v] = maxAbs(b, v * n, n);
    active.push(bnorm[v]! > 0); // b_v = 0: x_v = 0 without iterating
  }
  const residual = (v: number): number => {
    let r = 0;
    const off = v * n;
    for (let i = 0; i < n; i++) {
      let s = (1 - m.diag[i]!) * x[off + i]! - b[off + i]!;
      for (let p = m.rowPtr[i]!; p < m.rowPtr[i + 1]!; p++) s -= m.values[p]! * x[off + m.colIdx[p]!]!;
      r = Math.max(r, Math.abs(s));
    }
    return r / bnorm[v]!;
  };
  const fail = (it: number): never => {
    let worst = -1;
    for (let v = 0; v < k; v++) if (active[v] && (worst < 0 || !(res[v]! <= res[worst]!))) worst = v; // NaN is worst
    throw new ConvergenceError(it, res[worst]!, o.tol, worst, k);
  };
  const jacobi = o.method === 'jacobi';
  const omega = jacobi ? 1 : o.omega === 'auto' ? autoOmega(m) : o.omega;
  for (let it = 1; it <= o.maxIter; it++) {
    if (!active.includes(true)) break;
    if (jacobi) xOld.set(x);
    const src = jacobi ? xOld : x;
    for (let i = 0; i < n; i++) {
      for (let v = 0; v < k; v++) {
        if (!active[v]) continue;
        const off = v * n;
        let s = b[off + i]!;
        for (let p = m.rowPtr[i]!; p < m.rowPtr[i + 1]!; p++) s += m.values[p]! * src[off + m.colIdx[p]!]!;
        const gs = s / (1 - m.diag[i]!);
        x[off + i] = omega === 1 ? gs : x[off + i]! + omega * (gs - x[off + i]!);
      }
    }
    let diverged = false;
    for (let v = 0; v < k; v++) {
      if (!active[v]) continue;
      res[v] = residual(v);
      if (res[v]! <= o.tol) {
        active[v] = false;
        its[v] = it;
      } else if (!(res[v]! < 1e100)) diverged = true;
    }
    if (diverged) fail(it);
  }
  if (active.includes(true)) fail(o.maxIter);
  let iterations = 0;
  let worst = 0;
  for (let v = 0; v < k; v++) {
    iterations = Math.max(iterations, its[v]!);
    worst = Math.max(worst, res[v]!);
  }
  return { x, iterations, residual: worst, vectorIterations: its, vectorResiduals: res };
}

function prepareRows(A: Float64Array | CSR, transposed: boolean): RowMatrix {
  const n = checkIterativeMatrix(A);
  const m = toRowMatrix(A, n, transposed);
  for (let i = 0; i < n; i++) {
    if (1 - m.diag[i]! === 0) throw new KernelInputError(`I − A has a zero diagonal entry at ${i}: cannot iterate`);
  }
  return m;
}

/** Reference Gauss–Seidel / Jacobi on (I − A) x = b (or its transpose). */
function iterativeReference(A: Float64Array | CSR, b: Float64Array, opts?: IterativeOptions & { transposed?: boolean }): IterativeResult {
  resolveIterativeOptions(opts);
  const m = prepareRows(A, opts?.transposed ?? false);
  return iterateRows(m, b, opts);
}

function prepareIterativeReference(A: Float64Array | CSR, opts?: { transposed?: boolean }): IterativeOperator {
  let m: RowMatrix | null = prepareRows(A, opts?.transposed ?? false);
  let mT: RowMatrix | null = null; // the other orientation, made on first use
  const live = (): RowMatrix => {
    if (!m) throw new KernelInputError('iterative operator used after free()');
    return m;
  };
  const empty = (): IterativeResult => ({
    x: new Float64Array(0),
    iterations: 0,
    residual: 0,
    vectorIterations: new Int32Array(0),
    vectorResiduals: new Float64Array(0),
  });
  return {
    n: m.n,
    solve(b, o) {
      return iterateRows(live(), b, o);
    },
    solveWithTransposed(b, c, o) {
      // The reference simply runs the two systems one after the other.
      const M = live();
      if ((o?.method ?? 'gauss-seidel') !== 'gauss-seidel') throw new KernelInputError('solveWithTransposed is Gauss–Seidel only');
      // One ω for both systems, from the stored orientation (as the wasm kernel does).
      const both = { ...o, omega: (o?.omega ?? 'auto') === 'auto' ? autoOmega(M) : o?.omega };
      const x = b.length === 0 ? empty() : iterateRows(M, b, both);
      let t: IterativeResult;
      try {
        t = c.length === 0 ? empty() : iterateRows((mT ??= prepareRows(A, !(opts?.transposed ?? false))), c, both);
      } catch (e) {
        // Vectors are numbered B first, then C (as in the wasm kernel).
        const k = b.length / M.n;
        if (e instanceof ConvergenceError)
          throw new ConvergenceError(e.iterations, e.residual, e.tol, (e.vector ?? 0) + k, k + c.length / M.n);
        throw e;
      }
      return { x, t };
    },
    free() {
      m = null;
      mT = null;
    },
  };
}

/** Absolute residual max_k ‖M x_k − b_k‖∞ for M = a, I − a, or their transposes. */
function residualReference(a: Float64Array, n: number, x: Float64Array, b: Float64Array, opts?: SolveOptions): number {
  checkSquare(a, n, 'matrix');
  const k = checkRhs(b, n, opts?.nrhs);
  checkRhs(x, n, k, 1, 'solution');
  const lt = opts?.leontief ?? false;
  const t = opts?.transposed ?? false;
  let r = 0;
  for (let v = 0; v < k; v++) {
    const o = v * n;
    for (let i = 0; i < n; i++) {
      let s = -b[o + i]!;
      for (let j = 0; j < n; j++) {
        const aij = t ? a[j * n + i]! : a[i * n + j]!;
        const mij = lt ? (i === j ? 1 : 0) - aij : aij;
        s += mij * x[o + j]!;
      }
      r = Math.max(r, Math.abs(s));
    }
  }
  return r;
}

/**
 * Refines one right-hand side b (at b[off..off+n)) with the f32 factors lu32: x from 0,
 * corrections by the factors, residuals in f64; the stopping rule of assembly/mixed.ts. Returns
 * the steps, negated when it did not converge; the backward error reached in `out.berr`.
 */
function refineReference(
  M: Float64Array,
  lu32: Float32Array,
  piv: Int32Array,
  n: number,
  b: Float64Array,
  off: number,
  x: Float64Array,
  anorm: number,
  o: { tol: number; maxSteps: number },
  out: { berr: number },
): number {
  const bnorm = maxAbs(b, off, n);
  const r = b.slice(off, off + n);
  const floor = Math.sqrt(n) * Number.EPSILON;
  let rnorm = bnorm;
  let prev = Infinity;
  for (let step = 1; step <= o.maxSteps; step++) {
    if (rnorm === 0) {
      out.berr = 0;
      return step - 1;
    }
    luSolveVec(lu32, piv, n, r, 0);
    let xnorm = 0;
    for (let i = 0; i < n; i++) {
      x[off + i]! += r[i]!;
      xnorm = Math.max(xnorm, Math.abs(x[off + i]!));
    }
    rnorm = 0;
    for (let i = 0; i < n; i++) {
      let s = b[off + i]!;
      for (let j = 0; j < n; j++) s -= M[i * n + j]! * x[off + j]!;
      r[i] = s;
      rnorm = Math.max(rnorm, Math.abs(s));
    }
    const berr = rnorm / (anorm * xnorm + bnorm);
    out.berr = berr;
    if (!(berr < prev)) return berr <= floor ? step : -step;
    if (berr <= o.tol || (berr > 0.5 * prev && berr <= floor)) return step;
    prev = berr;
  }
  return -o.maxSteps;
}

/** ‖M‖∞: the largest absolute row sum. */
function normInf(m: Float64Array, n: number): number {
  let r = 0;
  for (let i = 0; i < n; i++) {
    let s = 0;
    for (let j = 0; j < n; j++) s += Math.abs(m[i * n + j]!);
    r = Math.max(r, s);
  }
  return r;
}

/** Kernel.solveMixed in plain TypeScript: the algorithm of assembly/mixed.ts, f32 factors as a Float32Array. */
function solveMixedReference(a: Float64Array, n: number, b: Float64Array, opts?: MixedOptions): MixedResult {
  const leontief = opts?.leontief ?? false;
  checkSquare(a, n, leontief ? 'A' : 'matrix');
  const k = checkRhs(b, n, opts?.nrhs);
  const o = resolveMixedOptions(opts);
  const M = leontief ? identityMinus(a, n) : a.slice();
  const amax = maxAbs(M);
  let fallback: MixedResult['fallback'] = 'f32-factorization';
  let steps = 0;
  if (amax <= F32_MAX) {
    const lu32 = Float32Array.from(M);
    let piv: Int32Array | null = null;
    try {
      piv = luFactorInPlace(lu32, n, F32_EPS * n * amax);
    } catch (e) {
      if (!(e instanceof SingularMatrixError)) throw e;
    }
    if (piv) {
      const anorm = normInf(M, n);
      const x = new Float64Array(b.length);
      const out = { berr: 0 };
      let worst = 0;
      let ok = true;
      for (let v = 0; v < k && ok; v++) {
        const s = refineReference(M, lu32, piv, n, b, v * n, x, anorm, o, out);
        worst = Math.max(worst, out.berr);
        steps = Math.max(steps, Math.abs(s));
        ok = s >= 0;
      }
      if (ok) return { x, path: 'mixed', steps, backwardError: worst };
      fallback = 'refinement';
    }
  }
  const x = new RefFactorization(M.slice(), n).solve(b, k);
  return { x, path: 'f64', fallback, steps, backwardError: backwardError(M, n, x, b, k, false) };
}

/** The plain TypeScript kernel, with the sweep's RowsBatch. */
export const referenceKernel: Kernel & RowsBatch & PathSearch = {
  name: 'reference',

  factor(a, n) {
    checkSquare(a, n, 'matrix');
    return new RefFactorization(a.slice(), n);
  },

  factorLeontief(A, n) {
    checkSquare(A, n, 'A');
    return new RefFactorization(identityMinus(A, n), n);
  },

  leontief(A, n, out) {
    return this.inverse(A, n, { leontief: true, out });
  },

  factorBatch(a, n, count, opts) {
    checkBatch(a, n, count, 'batch');
    const parts: RefFactorization[] = [];
    for (let c = 0; c < count; c++) {
      const m = opts?.leontief ? identityMinus(a, n, c * n * n) : a.slice(c * n * n, (c + 1) * n * n);
      try {
        parts.push(new RefFactorization(m, n));
      } catch (e) {
        if (e instanceof SingularMatrixError) {
          throw new SingularMatrixError(e.pivot, n, `matrix ${c} of the batch`);
        }
        throw e;
      }
    }
    return new RefBatch(n, count, parts);
  },

  leontiefRowsBatch(A, colScale, d, n, count, out) {
    const m = checkRowsBatch(A, colScale, d, n, count, out);
    const t = out ?? new Float64Array(count * n);
    t.set(d);
    // The column system (I − A′)ᵀ tᵀ = dᵀ is factored, as in the wasm kernel (same pivots).
    const Mt = new Float64Array(n * n);
    for (let c = 0; c < count; c++) {
      const base = (c % m) * n * n;
      for (let j = 0; j < n; j++)
        for (let i = 0; i < n; i++) Mt[j * n + i] = (i === j ? 1 : 0) - colScale[c * n + j]! * A[base + i * n + j]!;
      let piv: Int32Array;
      try {
        piv = luFactorInPlace(Mt, n);
      } catch (e) {
        if (e instanceof SingularMatrixError) throw new SingularMatrixError(e.pivot, n, `system ${c} of the batch`, c);
        throw e;
      }
      luSolveVec(Mt, piv, n, t, c * n);
    }
    return t;
  },

  structuralPaths: structuralPathsReference,

  solveLeontiefIterative(A, b, opts) {
    return iterativeReference(A, b, opts);
  },

  prepareLeontiefIterative(A, opts) {
    return prepareIterativeReference(A, opts);
  },

  solve(a, n, b, opts) {
    checkSquare(a, n, opts?.leontief ? 'A' : 'matrix');
    const k = checkRhs(b, n, opts?.nrhs);
    const f = new RefFactorization(opts?.leontief ? identityMinus(a, n) : a.slice(), n);
    return opts?.transposed ? f.solveTransposed(b, k) : f.solve(b, k);
  },

  solveMixed(a, n, b, opts) {
    return solveMixedReference(a, n, b, opts);
  },

  inverse(a, n, opts) {
    checkSquare(a, n, opts?.leontief ? 'A' : 'matrix');
    checkOut(opts?.out, n * n, 'n·n');
    const inv = new RefFactorization(opts?.leontief ? identityMinus(a, n) : a.slice(), n).inverse();
    if (!opts?.out) return inv;
    opts.out.set(inv);
    return opts.out;
  },

  residual(a, n, x, b, opts) {
    return residualReference(a, n, x, b, opts);
  },

  memoryBytes() {
    return 0;
  },
};
