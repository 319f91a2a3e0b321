/**
 * The dense wasm host: LU factorisations, solves and inverses (one-shot, prepared and batched), the
 * residual, and the sweep's batch of small row systems (RowsBatch), over the module's dense
 * exports (assembly/lu.ts, assembly/index.ts, assembly/small.ts).
 */
import type { BatchFactorization, Factorization, MixedOptions, MixedResult, SolveOptions } from './api.js';
import { backwardError, estimateInverseNorm1 } from './condition.js';
import { SingularMatrixError } from './errors.js';
import { checkBatch, checkOut, checkRhs, checkRowsBatch, checkSquare, nonFiniteError, resolveMixedOptions } from './validate.js';
import { type ModelExports, OwnedBlock, type WasmMemory } from './wasm-memory.js';

export class WasmDense {
  constructor(readonly m: WasmMemory) {}

  /** Copies a (n×n, validated) to a fresh owned block, forms I − A if asked, factors it. */
  private factorOwned(a: Float64Array, n: number, leontief: boolean, what: string): WasmFactorization {
    checkSquare(a, n, what, false);
    const nn = n * n;
    const block = this.m.alloc(nn * 8 + n * 4 + 8);
    try {
      this.m.put(block, a, what, n);
      if (leontief) this.m.ex.identityMinus(block, block, n);
      const anorm = this.m.ex.norm1(block, n, this.m.work.get(n * 8));
      const piv = block + nn * 8;
      const r = this.m.ex.luFactor(block, n, piv);
      if (r >= 0) throw singular(r, n);
      return new WasmFactorization(this, block, piv, n, anorm);
    } catch (e) {
      this.m.ex.free(block);
      throw e;
    }
  }

  factor(a: Float64Array, n: number): Factorization {
    return this.factorOwned(a, n, false, 'matrix');
  }

  factorLeontief(A: Float64Array, n: number): Factorization {
    return this.factorOwned(A, n, true, 'A');
  }

  leontief(A: Float64Array, n: number, out?: Float64Array): Float64Array {
    return this.inverse(A, n, { leontief: true, out });
  }

  /** Copies and factors into the one-shot scratch; returns the LU and pivot pointers. */
  private factorScratch(a: Float64Array, n: number, leontief: boolean): { lu: number; piv: number } {
    const what = leontief ? 'A' : 'matrix';
    checkSquare(a, n, what, false);
    const nn = n * n;
    const lu = this.m.mat.get(nn * 8 + n * 4 + 8);
    this.m.put(lu, a, what, n);
    if (leontief) this.m.ex.identityMinus(lu, lu, n);
    const piv = lu + nn * 8;
    const r = this.m.ex.luFactor(lu, n, piv);
    if (r >= 0) throw singular(r, n);
    return { lu, piv };
  }

  solve(a: Float64Array, n: number, b: Float64Array, opts?: SolveOptions): Float64Array {
    const what = opts?.leontief ? 'A' : 'matrix';
    checkSquare(a, n, what, false);
    const k = checkRhs(b, n, opts?.nrhs, 1, 'right-hand side', false);
    const transposed = opts?.transposed ?? false;
    // One wasm call: scan for NaN/±Infinity, form I − A, factor, solve.
    const lu = this.m.mat.get(n * n * 8 + n * 4 + 8);
    const x = this.m.io.get(b.length * 8);
    const work = k >= 4 && !transposed ? this.m.work.get(b.length * 8) : 0;
    const F = this.m.F;
    F.set(a, lu >>> 3);
    F.set(b, x >>> 3);
    const mode = (opts?.leontief ? 1 : 0) | (transposed ? 2 : 0);
    const r = this.m.ex.solveDense(lu, n, lu + n * n * 8, x, k, mode, work);
    if (r !== -1) {
      if (r >= 0) throw singular(r, n);
      const i = -2 - r;
      throw i < n * n ? nonFiniteError(what, a, i, n) : nonFiniteError('right-hand side', b, i - n * n, n);
    }
    return this.m.take(x, b.length);
  }

  /** Kernel.solveMixed: one wasm call (assembly/mixed.ts) checks, factors in f32, refines, falls back. */
  solveMixed(a: Float64Array, n: number, b: Float64Array, opts?: MixedOptions): MixedResult {
    const leontief = opts?.leontief ?? false;
    const what = leontief ? 'A' : 'matrix';
    checkSquare(a, n, what, false);
    const k = checkRhs(b, n, opts?.nrhs, 1, 'right-hand side', false);
    const { tol, maxSteps } = resolveMixedOptions(opts);
    const nn = n * n;
    // M (f64) | its f32 copy | pivots | the f32 correction.
    const pa = this.m.mat.get(nn * 12 + n * 8 + 16);
    const a32 = pa + nn * 8;
    const piv = a32 + nn * 4;
    const d32 = piv + n * 4;
    const pb = this.m.io.get(b.length * 8);
    const px = this.m.io2.get(b.length * 8);
    const pr = this.m.mat2.get(n * 8);
    const work = k >= 4 ? this.m.work.get(b.length * 8) : 0;
    const F = this.m.F;
    F.set(a, pa >>> 3);
    F.set(b, pb >>> 3);
    const r = this.m.ex.mixedSolve(pa, n, a32, piv, pb, px, k, leontief ? 1 : 0, pr, d32, work, maxSteps, tol);
    if (r !== -1) {
      if (r >= 0) throw singular(r, n);
      const i = -2 - r;
      throw i < nn ? nonFiniteError(what, a, i, n) : nonFiniteError('right-hand side', b, i - nn, n);
    }
    const x = this.m.take(px, b.length);
    const path = this.m.ex.mixedPathOf();
    const steps = this.m.ex.mixedStepsOf();
    if (path === 0) return { x, path: 'mixed', steps, backwardError: this.m.ex.mixedBerrOf() };
    const fallback = path === 1 ? 'f32-factorization' : 'refinement';
    return { x, path: 'f64', fallback, steps, backwardError: backwardError(a, n, x, b, k, leontief) };
  }

  /** Solves against factors at lu/piv for the already validated right-hand sides b. */
  solveWith(lu: number, piv: number, n: number, b: Float64Array, k: number, transposed: boolean): Float64Array {
    const x = this.m.io.get(b.length * 8);
    const work = k >= 4 && !transposed ? this.m.work.get(b.length * 8) : 0;
    this.m.put(x, b, 'right-hand side', n);
    if (transposed) this.m.ex.luSolveTransposed(lu, n, piv, x, k);
    else this.m.ex.luSolve(lu, n, piv, x, k, work);
    return this.m.take(x, b.length);
  }

  inverse(a: Float64Array, n: number, opts?: { leontief?: boolean; out?: Float64Array }): Float64Array {
    checkOut(opts?.out, n * n, 'n·n');
    const { lu, piv } = this.factorScratch(a, n, opts?.leontief ?? false);
    return this.inverseWith(lu, piv, n, opts?.out);
  }

  inverseWith(lu: number, piv: number, n: number, out?: Float64Array): Float64Array {
    const inv = this.m.mat2.get(n * n * 8);
    this.m.ex.luInverse(lu, n, piv, inv);
    return this.m.take(inv, n * n, out);
  }

  factorBatch(a: Float64Array, n: number, count: number, opts?: { leontief?: boolean }): BatchFactorization {
    checkBatch(a, n, count, 'batch', false);
    const total = count * n * n;
    const block = this.m.alloc(total * 8 + count * n * 4 + 8);
    try {
      this.m.put(block, a, 'batch', n);
      const piv = block + total * 8;
      const r = this.m.ex.luFactorBatch(block, n, count, piv, opts?.leontief ? 1 : 0);
      if (r >= 0) {
        const c = Math.floor(r / n);
        throw new SingularMatrixError(r - c * n, n, `matrix ${c} of the batch; relative pivot threshold ε·n·max|m_ij|`);
      }
      return new WasmBatch(this, block, piv, n, count);
    } catch (e) {
      this.m.ex.free(block);
      throw e;
    }
  }

  /** RowsBatch.leontiefRowsBatch over the model's build (ex: this memory's exports, which have it). */
  leontiefRowsBatch(
    ex: ModelExports,
    A: Float64Array,
    colScale: Float64Array,
    d: Float64Array,
    n: number,
    count: number,
    out?: Float64Array,
  ): Float64Array {
    const m = checkRowsBatch(A, colScale, d, n, count, out, false);
    const len = count * n;
    const pa = this.m.mat.get(A.length * 8);
    const ps = this.m.io.get(len * 8);
    const px = this.m.io2.get(len * 8);
    const pw = this.m.work.get(ex.rowsBatchWork(n, m));
    this.m.put(pa, A, 'A', n);
    this.m.put(ps, colScale, 'colScale', n);
    this.m.put(px, d, 'd', n);
    const r = ex.leontiefRowsBatch(pa, m, ps, px, n, count, pw);
    if (r >= 0) {
      const c = Math.floor(r / n);
      throw new SingularMatrixError(r - c * n, n, `system ${c} of the batch; relative pivot threshold ε·n·max|m_ij|`, c);
    }
    const t = out ?? new Float64Array(len);
    t.set(this.m.F.subarray(px >>> 3, (px >>> 3) + len));
    return t;
  }

  residual(a: Float64Array, n: number, x: Float64Array, b: Float64Array, opts?: SolveOptions): number {
    checkSquare(a, n, 'matrix', false);
    const k = checkRhs(b, n, opts?.nrhs, 1, 'right-hand side', false);
    checkRhs(x, n, k, 1, 'solution', false);
    const pa = this.m.mat.get(n * n * 8);
    const px = this.m.io.get(x.length * 8);
    const pb = this.m.io2.get(b.length * 8);
    const pw = this.m.work.get(n * 8);
    this.m.put(pa, a, 'matrix', n);
    this.m.put(px, x, 'solution', n);
    this.m.put(pb, b, 'right-hand side', n);
    const mode = (opts?.leontief ? 1 : 0) | (opts?.transposed ? 2 : 0);
    return this.m.ex.residual(pa, n, px, pb, k, mode, pw);
  }
}

function singular(k: number, n: number): SingularMatrixError {
  return new SingularMatrixError(k, n, 'below the relative pivot threshold ε·n·max|m_ij|');
}

class WasmFactorization extends OwnedBlock implements Factorization {
  constructor(
    private readonly k: WasmDense,
    block: number,
    private readonly piv: number,
    readonly n: number,
    private readonly anorm: number,
  ) {
    super(k.m, block, 'factorization');
  }

  solve(b: Float64Array, nrhs?: number): Float64Array {
    this.check();
    const k = checkRhs(b, this.n, nrhs, 1, 'right-hand side', false);
    return this.k.solveWith(this.block, this.piv, this.n, b, k, false);
  }

  solveTransposed(b: Float64Array, nrhs?: number): Float64Array {
    this.check();
    const k = checkRhs(b, this.n, nrhs, 1, 'right-hand side', false);
    return this.k.solveWith(this.block, this.piv, this.n, b, k, true);
  }

  inverse(): Float64Array {
    this.check();
    return this.k.inverseWith(this.block, this.piv, this.n);
  }

  rcond(): number {
    this.check();
    const { k, n } = this;
    if (this.anorm === 0) return 0;
    const px = k.m.io.get(n * 8);
    const run = (x: Float64Array, t: boolean): void => {
      k.m.F.set(x, px >>> 3);
      if (t) k.m.ex.luSolveTransposed(this.block, n, this.piv, px, 1);
      else k.m.ex.luSolve(this.block, n, this.piv, px, 1, 0);
      x.set(k.m.F.subarray(px >>> 3, (px >>> 3) + n));
    };
    const ainv = estimateInverseNorm1(
      n,
      (x) => run(x, false),
      (x) => run(x, true),
    );
    return ainv > 0 && Number.isFinite(ainv) ? 1 / (this.anorm * ainv) : 0;
  }
}

class WasmBatch extends OwnedBlock implements BatchFactorization {
  constructor(
    private readonly k: WasmDense,
    block: number,
    private readonly piv: number,
    readonly n: number,
    readonly count: number,
  ) {
    super(k.m, block, 'batch factorization');
  }

  private run(b: Float64Array, nrhs: number | undefined, t: boolean): Float64Array {
    this.check();
    const { k, n, count } = this;
    const m = checkRhs(b, n, nrhs, count, 'right-hand side', false);
    const x = k.m.io.get(b.length * 8);
    const work = m >= 4 && !t ? k.m.work.get(n * m * 8) : 0;
    k.m.put(x, b, 'right-hand side', n);
    k.m.ex.luSolveBatch(this.block, n, count, this.piv, x, m, t ? 1 : 0, work);
    return k.m.take(x, b.length);
  }

  solve(b: Float64Array, nrhs?: number): Float64Array {
    return this.run(b, nrhs, false);
  }

  solveTransposed(b: Float64Array, nrhs?: number): Float64Array {
    return this.run(b, nrhs, true);
  }
}
