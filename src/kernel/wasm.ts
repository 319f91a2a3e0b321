/**
 * The wasm kernel host: loads src/kernel/embodied.wasm (built by `npm run build:wasm`) in Node or
 * a browser and wraps its pointer-and-number ABI as a `Kernel`.
 *
 * Memory: every factorisation owns one block (LU factors, then pivots) from the module's TLSF
 * allocator, released by free(). Transient data (right-hand sides, one-shot matrices, work
 * arrays) go to a few scratch blocks that the host keeps and only grows, so repeated calls
 * allocate nothing and wasm memory stays flat.
 */
import type {
  BatchFactorization,
  CSR,
  Factorization,
  IterativeOperator,
  IterativeOptions,
  IterativeResult,
  Kernel,
  SolveOptions,
} from './api.js';
import { ConvergenceError, KernelInputError, SingularMatrixError } from './errors.js';
import { estimateInverseNorm1 } from './reference.js';
import {
  checkBatch,
  checkIterativeMatrix,
  checkOut,
  checkIterativeRhs,
  checkRhs,
  checkRowsBatch,
  checkSquare,
  nonFiniteError,
  resolveIterativeOptions,
  sorOmega,
} from './validate.js';

/** The module's exports (see assembly/index.ts); pointers are byte offsets. */
export interface KernelExports {
  memory: WebAssembly.Memory;
  alloc(bytes: number): number;
  free(ptr: number): void;
  luFactor(a: number, n: number, piv: number): number;
  luSolve(lu: number, n: number, piv: number, x: number, nrhs: number, work: number): void;
  luSolveTransposed(lu: number, n: number, piv: number, x: number, nrhs: number): void;
  luInverse(lu: number, n: number, piv: number, out: number): void;
  luFactorBatch(a: number, n: number, count: number, piv: number, leontief: number): number;
  luSolveBatch(a: number, n: number, count: number, piv: number, x: number, nrhs: number, trans: number, work: number): void;
  residual(a: number, n: number, x: number, b: number, nrhs: number, mode: number, work: number): number;
  maxAbs(a: number, len: number): number;
  firstNonFinite(a: number, len: number): number;
  identityMinus(src: number, dst: number, n: number): void;
  norm1(a: number, n: number, work: number): number;
  transpose(src: number, rows: number, cols: number, dst: number): void;
  gemmSub(M: number, N: number, K: number, a: number, lda: number, b: number, ldb: number, c: number, ldc: number): void;
  releaseScratch(): void;
  iterDense(a: number, n: number, k: number, b: number, x: number, work: number, state: number, tol: number, maxIter: number, jacobi: number, omega: number): number;
  iterCsr(
    n: number, rp: number, ci: number, v: number, diag: number, k: number, b: number, x: number, work: number, state: number,
    tol: number, maxIter: number, jacobi: number, omega: number,
  ): number;
  csrDiag(n: number, rp: number, ci: number, v: number, diag: number): void;
  jacobiBoundDense(a: number, n: number, work: number): number;
  jacobiBoundCsr(n: number, rp: number, ci: number, v: number, diag: number, work: number): number;
  csrTranspose(n: number, rp: number, ci: number, v: number, rpT: number, ciT: number, vT: number): void;
  iterResidual(): number;
  iterTransposedPart(kt: number, c: number, t: number, r: number, s: number): void;
  iterWorst(): number;
  copy(dst: number, src: number, bytes: number): void;
  solveDense(a: number, n: number, piv: number, x: number, nrhs: number, mode: number, work: number): number;
  leontiefRowsBatch(a: number, m: number, scale: number, x: number, n: number, count: number, work: number): number;
  rowsBatchWork(n: number, m: number): number;
}

/** A matrix placed in wasm memory for iterative sweeps. */
interface IterData {
  n: number;
  dense: boolean;
  a: number;
  rp: number;
  ci: number;
  v: number;
  diag: number;
  /** Owned block to free (0 when the data sit in scratch). */
  block: number;
  /** The 'auto' SOR factor, computed on first use. */
  autoOmega?: number;
}

const imports = {
  env: {
    abort(_msg: number, _file: number, line: number, col: number): never {
      throw new Error(`wasm kernel aborted at ${line}:${col} (out of memory?)`);
    },
  },
};

/** A growable block of wasm memory reused across calls. */
class Scratch {
  ptr = 0;
  bytes = 0;
  constructor(private readonly ex: KernelExports) {}
  get(bytes: number): number {
    if (bytes > this.bytes) {
      if (this.ptr) this.ex.free(this.ptr);
      this.bytes = Math.max(bytes, 1024, Math.ceil(this.bytes * 1.5));
      this.ptr = this.ex.alloc(this.bytes);
    }
    return this.ptr;
  }
}

class WasmKernel implements Kernel {
  private f64view: Float64Array;
  private i32view: Int32Array;
  readonly mat: Scratch;
  readonly mat2: Scratch;
  readonly io: Scratch;
  readonly io2: Scratch;
  readonly work: Scratch;

  constructor(
    readonly ex: KernelExports,
    readonly name = 'wasm',
  ) {
    this.f64view = new Float64Array(ex.memory.buffer);
    this.i32view = new Int32Array(ex.memory.buffer);
    this.mat = new Scratch(ex);
    this.mat2 = new Scratch(ex);
    this.io = new Scratch(ex);
    this.io2 = new Scratch(ex);
    this.work = new Scratch(ex);
  }

  /** Float64 view of wasm memory (renewed after growth detaches the old one). */
  get F(): Float64Array {
    if (this.f64view.buffer !== this.ex.memory.buffer) this.f64view = new Float64Array(this.ex.memory.buffer);
    return this.f64view;
  }

  get I(): Int32Array {
    if (this.i32view.buffer !== this.ex.memory.buffer) this.i32view = new Int32Array(this.ex.memory.buffer);
    return this.i32view;
  }

  alloc(bytes: number): number {
    const p = this.ex.alloc(bytes);
    if (!p) throw new Error(`wasm kernel could not allocate ${bytes} bytes`);
    return p;
  }

  /** Copies src into wasm memory at ptr and rejects NaN/±Infinity (scanned in wasm). */
  put(ptr: number, src: Float64Array, what: string, width: number): void {
    this.F.set(src, ptr >>> 3);
    const bad = this.ex.firstNonFinite(ptr, src.length);
    if (bad >= 0) throw nonFiniteError(what, src, bad, width);
  }

  /** len values from ptr, into `out` when given (then already checked to hold len values). */
  take(ptr: number, len: number, out?: Float64Array): Float64Array {
    const view = this.F.subarray(ptr >>> 3, (ptr >>> 3) + len);
    if (!out) return view.slice();
    out.set(view);
    return out;
  }

  /** Copies a (n×n, validated) to a fresh owned block, forms I − A if asked, factors it. */
  private factorOwned(a: Float64Array, n: number, leontief: boolean, what: string): WasmFactorization {
    checkSquare(a, n, what, false);
    const nn = n * n;
    const block = this.alloc(nn * 8 + n * 4 + 8);
    try {
      this.put(block, a, what, n);
      if (leontief) this.ex.identityMinus(block, block, n);
      const anorm = this.ex.norm1(block, n, this.work.get(n * 8));
      const piv = block + nn * 8;
      const r = this.ex.luFactor(block, n, piv);
      if (r >= 0) throw singular(r, n);
      return new WasmFactorization(this, block, piv, n, anorm);
    } catch (e) {
      this.ex.free(block);
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
    const lu = this.mat.get(nn * 8 + n * 4 + 8);
    this.put(lu, a, what, n);
    if (leontief) this.ex.identityMinus(lu, lu, n);
    const piv = lu + nn * 8;
    const r = this.ex.luFactor(lu, n, piv);
    if (r >= 0) throw singular(r, n);
    return { lu, piv };
  }

  solve(a: Float64Array, n: number, b: Float64Array, opts?: SolveOptions): Float64Array {
    const what = opts?.leontief ? 'A' : 'matrix';
    checkSquare(a, n, what, false);
    const k = checkRhs(b, n, opts?.nrhs, 1, 'right-hand side', false);
    const transposed = opts?.transposed ?? false;
    // One wasm call: scan for NaN/±Infinity, form I − A, factor, solve.
    const lu = this.mat.get(n * n * 8 + n * 4 + 8);
    const x = this.io.get(b.length * 8);
    const work = k >= 4 && !transposed ? this.work.get(b.length * 8) : 0;
    const F = this.F;
    F.set(a, lu >>> 3);
    F.set(b, x >>> 3);
    const mode = (opts?.leontief ? 1 : 0) | (transposed ? 2 : 0);
    const r = this.ex.solveDense(lu, n, lu + n * n * 8, x, k, mode, work);
    if (r !== -1) {
      if (r >= 0) throw singular(r, n);
      const i = -2 - r;
      throw i < n * n ? nonFiniteError(what, a, i, n) : nonFiniteError('right-hand side', b, i - n * n, n);
    }
    return this.take(x, b.length);
  }

  /** Solves against factors at lu/piv for the already validated right-hand sides b. */
  solveWith(lu: number, piv: number, n: number, b: Float64Array, k: number, transposed: boolean): Float64Array {
    const x = this.io.get(b.length * 8);
    const work = k >= 4 && !transposed ? this.work.get(b.length * 8) : 0;
    this.put(x, b, 'right-hand side', n);
    if (transposed) this.ex.luSolveTransposed(lu, n, piv, x, k);
    else this.ex.luSolve(lu, n, piv, x, k, work);
    return this.take(x, b.length);
  }

  inverse(a: Float64Array, n: number, opts?: { leontief?: boolean; out?: Float64Array }): Float64Array {
    checkOut(opts?.out, n * n, 'n·n');
    const { lu, piv } = this.factorScratch(a, n, opts?.leontief ?? false);
    return this.inverseWith(lu, piv, n, opts?.out);
  }

  inverseWith(lu: number, piv: number, n: number, out?: Float64Array): Float64Array {
    const inv = this.mat2.get(n * n * 8);
    this.ex.luInverse(lu, n, piv, inv);
    return this.take(inv, n * n, out);
  }

  factorBatch(a: Float64Array, n: number, count: number, opts?: { leontief?: boolean }): BatchFactorization {
    checkBatch(a, n, count, 'batch', false);
    const total = count * n * n;
    const block = this.alloc(total * 8 + count * n * 4 + 8);
    try {
      this.put(block, a, 'batch', n);
      const piv = block + total * 8;
      const r = this.ex.luFactorBatch(block, n, count, piv, opts?.leontief ? 1 : 0);
      if (r >= 0) {
        const c = Math.floor(r / n);
        throw new SingularMatrixError(r - c * n, n, `matrix ${c} of the batch; relative pivot threshold ε·n·max|m_ij|`);
      }
      return new WasmBatch(this, block, piv, n, count);
    } catch (e) {
      this.ex.free(block);
      throw e;
    }
  }

  leontiefRowsBatch(A: Float64Array, colScale: Float64Array, d: Float64Array, n: number, count: number, out?: Float64Array): Float64Array {
    const m = checkRowsBatch(A, colScale, d, n, count, out, false);
    const len = count * n;
    const pa = this.mat.get(A.length * 8);
    const ps = this.io.get(len * 8);
    const px = this.io2.get(len * 8);
    const pw = this.work.get(this.ex.rowsBatchWork(n, m));
    this.put(pa, A, 'A', n);
    this.put(ps, colScale, 'colScale', n);
    this.put(px, d, 'd', n);
    const r = this.ex.leontiefRowsBatch(pa, m, ps, px, n, count, pw);
    if (r >= 0) {
      const c = Math.floor(r / n);
      throw new SingularMatrixError(r - c * n, n, `system ${c} of the batch; relative pivot threshold ε·n·max|m_ij|`, c);
    }
    const t = out ?? new Float64Array(len);
    t.set(this.F.subarray(px >>> 3, (px >>> 3) + len));
    return t;
  }

  /**
   * Copies A (dense or CSR; transposed on the way in if asked) into wasm memory: into the
   * scratch blocks for a one-shot solve, or into one owned block for a prepared operator.
   */
  iterSetup(A: Float64Array | CSR, transposed: boolean, owned: boolean): IterData {
    // Dense finiteness is checked in wasm after the copy (faster than a JS pass).
    const n = checkIterativeMatrix(A, false);
    const a16 = (p: number): number => (p + 15) & ~15;
    if (A instanceof Float64Array) {
      for (let i = 0; i < n; i++) {
        if (1 - A[i * n + i]! === 0) throw new KernelInputError(`I − A has a zero diagonal entry at ${i}: cannot iterate`);
      }
      const bytes = n * n * 8;
      const block = owned ? this.alloc(bytes) : 0;
      let pa = owned ? block : this.mat.get(bytes);
      try {
        this.put(pa, A, 'A', n);
      } catch (e) {
        if (block) this.ex.free(block);
        throw e;
      }
      if (transposed) {
        const pt = this.mat2.get(bytes);
        this.ex.transpose(pa, n, n, pt);
        if (owned) this.F.copyWithin(block >>> 3, pt >>> 3, (pt >>> 3) + n * n);
        else pa = pt;
      }
      return { n, dense: true, a: pa, rp: 0, ci: 0, v: 0, diag: 0, block };
    }
    const nnz = A.rowPtr[n]!;
    // rowPtr, colIdx, values, diagonal, each 16-byte aligned.
    const layout = (base: number) => {
      const rp = base;
      const ci = a16(rp + (n + 1) * 4);
      const v = a16(ci + nnz * 4);
      const diag = a16(v + nnz * 8);
      return { rp, ci, v, diag, end: diag + n * 8 };
    };
    const bytes = layout(0).end + 16;
    // A prepared operator that is not transposed gets A written straight into its own block.
    const direct = owned && !transposed;
    const block = owned ? this.alloc(bytes) : 0;
    const src = layout(direct ? block : this.mat.get(bytes));
    const I = this.I;
    I.set(A.rowPtr, src.rp >>> 2);
    I.set(A.colIdx, src.ci >>> 2);
    this.F.set(A.values, src.v >>> 3);
    let d = src;
    if (transposed) {
      d = layout(owned ? block : this.mat2.get(bytes));
      this.ex.csrTranspose(n, src.rp, src.ci, src.v, d.rp, d.ci, d.v);
    }
    this.ex.csrDiag(n, d.rp, d.ci, d.v, d.diag);
    const F = this.F;
    for (let i = 0; i < n; i++) {
      if (1 - F[(d.diag >>> 3) + i]! === 0) {
        if (block) this.ex.free(block);
        throw new KernelInputError(`I − A has a zero diagonal entry at ${i}: cannot iterate`);
      }
    }
    return { n, dense: false, a: 0, rp: d.rp, ci: d.ci, v: d.v, diag: d.diag, block };
  }

  /**
   * The block iteration for nrhs = b.length / n right-hand sides: b goes in interleaved
   * (b[i·k + v], so one pass over a matrix row serves every vector), x comes back in the API's
   * layout. One code path for any k.
   */
  iterRun(m: IterData, b: Float64Array, opts: IterativeOptions | undefined): IterativeResult {
    const { n } = m;
    const o = resolveIterativeOptions(opts);
    const k = checkIterativeRhs(b, n, opts?.nrhs);
    const jacobi = o.method === 'jacobi' ? 1 : 0;
    const omega = jacobi ? 1 : this.omegaFor(m, o.omega);
    const len = n * k;
    const pb = this.io.get(len * 8);
    const px = this.io2.get(len * 8);
    // Jacobi's second iterate, then the per-vector state (ITER_STATE = 8 fields of k f64).
    const stateOff = jacobi ? len * 8 : 0;
    const pw = this.work.get(stateOff + 8 * k * 8);
    const ps = pw + stateOff;
    const F = this.F;
    const fb = pb >>> 3;
    if (k === 1) F.set(b, fb);
    else for (let v = 0; v < k; v++) for (let i = 0, q = v * n; i < n; i++) F[fb + i * k + v] = b[q + i]!;
    F.fill(0, px >>> 3, (px >>> 3) + len);
    const it = m.dense
      ? this.ex.iterDense(m.a, n, k, pb, px, pw, ps, o.tol, o.maxIter, jacobi, omega)
      : this.ex.iterCsr(n, m.rp, m.ci, m.v, m.diag, k, pb, px, pw, ps, o.tol, o.maxIter, jacobi, omega);
    if (it < 0) throw new ConvergenceError(-it, this.ex.iterResidual(), o.tol, this.ex.iterWorst(), k);
    const G = this.F;
    const fx = px >>> 3;
    let x: Float64Array;
    if (k === 1) x = G.slice(fx, fx + n);
    else {
      x = new Float64Array(len);
      for (let v = 0; v < k; v++) for (let i = 0, q = v * n; i < n; i++) x[q + i] = G[fx + i * k + v]!;
    }
    const fs = ps >>> 3;
    const vectorResiduals = G.slice(fs + 7 * k, fs + 8 * k);
    const vectorIterations = Int32Array.from(G.subarray(fs + 4 * k, fs + 5 * k));
    let residual = 0;
    for (const r of vectorResiduals) residual = Math.max(residual, r);
    return { x, iterations: it, residual, vectorIterations, vectorResiduals };
  }

  /** The SOR factor of a solve: the caller's, or 'auto' from the stored matrix (once per matrix). */
  private omegaFor(m: IterData, omega: number | 'auto'): number {
    if (omega !== 'auto') return omega;
    if (m.autoOmega === undefined) {
      const w = this.work.get(m.n * 8);
      m.autoOmega = sorOmega(m.dense ? this.ex.jacobiBoundDense(m.a, m.n, w) : this.ex.jacobiBoundCsr(m.n, m.rp, m.ci, m.v, m.diag, w));
    }
    return m.autoOmega;
  }

  /** M X = B and Mᵀ T = C in one Gauss–Seidel iteration over the stored matrix (see api.ts). */
  iterRunBoth(m: IterData, b: Float64Array, c: Float64Array, opts: IterativeOptions | undefined): { x: IterativeResult; t: IterativeResult } {
    const { n } = m;
    const o = resolveIterativeOptions(opts);
    if (o.method !== 'gauss-seidel') throw new KernelInputError('solveWithTransposed is Gauss–Seidel only');
    const omega = this.omegaFor(m, o.omega);
    const k = b.length === 0 ? 0 : checkIterativeRhs(b, n);
    const kt = c.length === 0 ? 0 : checkIterativeRhs(c, n);
    const len = n * k, lenT = n * kt;
    const pb = this.io.get(len * 8 + 16);
    const px = this.io2.get(len * 8 + 16);
    // work: C, T, R (kt vectors each, interleaved), then the state of the plain and transposed parts.
    const pw = this.work.get(3 * lenT * 8 + 8 * (k + kt) * 8 + 16);
    const pc = pw, pt = pc + lenT * 8, pr = pt + lenT * 8, ps = pr + lenT * 8, psT = ps + 8 * k * 8;
    const F = this.F;
    const inter = (src: Float64Array, dst: number, kk: number): void => {
      const f = dst >>> 3;
      for (let v = 0; v < kk; v++) for (let i = 0, q = v * n; i < n; i++) F[f + i * kk + v] = src[q + i]!;
    };
    inter(b, pb, k);
    inter(c, pc, kt);
    F.fill(0, px >>> 3, (px >>> 3) + len);
    F.fill(0, pt >>> 3, (pt >>> 3) + lenT);
    this.ex.iterTransposedPart(kt, pc, pt, pr, psT);
    const it = m.dense
      ? this.ex.iterDense(m.a, n, k, pb, px, pw, ps, o.tol, o.maxIter, 0, omega)
      : this.ex.iterCsr(n, m.rp, m.ci, m.v, m.diag, k, pb, px, pw, ps, o.tol, o.maxIter, 0, omega);
    if (it < 0) throw new ConvergenceError(-it, this.ex.iterResidual(), o.tol, this.ex.iterWorst(), k + kt);
    const G = this.F;
    const result = (p: number, sp: number, kk: number): IterativeResult => {
      const x = new Float64Array(n * kk);
      const f = p >>> 3;
      for (let v = 0; v < kk; v++) for (let i = 0, q = v * n; i < n; i++) x[q + i] = G[f + i * kk + v]!;
      const fs = sp >>> 3;
      const vectorResiduals = G.slice(fs + 7 * kk, fs + 8 * kk);
      const vectorIterations = Int32Array.from(G.subarray(fs + 4 * kk, fs + 5 * kk));
      let residual = 0;
      let iterations = 0;
      for (let v = 0; v < kk; v++) {
        residual = Math.max(residual, vectorResiduals[v]!);
        iterations = Math.max(iterations, vectorIterations[v]!);
      }
      return { x, iterations, residual, vectorIterations, vectorResiduals };
    };
    return { x: result(px, ps, k), t: result(pt, psT, kt) };
  }

  solveLeontiefIterative(
    A: Float64Array | CSR,
    b: Float64Array,
    opts?: IterativeOptions & { transposed?: boolean },
  ): IterativeResult {
    resolveIterativeOptions(opts);
    checkIterativeRhs(b, checkIterativeMatrix(A, false), opts?.nrhs);
    return this.iterRun(this.iterSetup(A, opts?.transposed ?? false, false), b, opts);
  }

  prepareLeontiefIterative(A: Float64Array | CSR, opts?: { transposed?: boolean }): IterativeOperator {
    const m = this.iterSetup(A, opts?.transposed ?? false, true);
    let live = true;
    const op: IterativeOperator = {
      n: m.n,
      solve: (b, o) => {
        if (!live) throw new KernelInputError('iterative operator used after free()');
        return this.iterRun(m, b, o);
      },
      solveWithTransposed: (b, c, o) => {
        if (!live) throw new KernelInputError('iterative operator used after free()');
        return this.iterRunBoth(m, b, c, o);
      },
      free: () => {
        if (live) {
          live = false;
          leaked?.unregister(op);
          this.ex.free(m.block);
        }
      },
    };
    leaked?.register(op, { ex: this.ex, block: m.block }, op);
    return op;
  }

  residual(a: Float64Array, n: number, x: Float64Array, b: Float64Array, opts?: SolveOptions): number {
    checkSquare(a, n, 'matrix', false);
    const k = checkRhs(b, n, opts?.nrhs, 1, 'right-hand side', false);
    checkRhs(x, n, k, 1, 'solution', false);
    const pa = this.mat.get(n * n * 8);
    const px = this.io.get(x.length * 8);
    const pb = this.io2.get(b.length * 8);
    const pw = this.work.get(n * 8);
    this.put(pa, a, 'matrix', n);
    this.put(px, x, 'solution', n);
    this.put(pb, b, 'right-hand side', n);
    const mode = (opts?.leontief ? 1 : 0) | (opts?.transposed ? 2 : 0);
    return this.ex.residual(pa, n, px, pb, k, mode, pw);
  }

  memoryBytes(): number {
    return this.ex.memory.buffer.byteLength;
  }
}

function singular(k: number, n: number): SingularMatrixError {
  return new SingularMatrixError(k, n, 'below the relative pivot threshold ε·n·max|m_ij|');
}

/**
 * Safety net only: a factorisation dropped without free() has its block released when the
 * object is garbage-collected. free() stays the deterministic way (and unregisters).
 */
const leaked =
  typeof FinalizationRegistry === 'function'
    ? new FinalizationRegistry<{ ex: KernelExports; block: number }>(({ ex, block }) => ex.free(block))
    : null;

class WasmFactorization implements Factorization {
  private live = true;

  constructor(
    private readonly k: WasmKernel,
    private readonly block: number,
    private readonly piv: number,
    readonly n: number,
    private readonly anorm: number,
  ) {
    leaked?.register(this, { ex: k.ex, block }, this);
  }

  private check(): void {
    if (!this.live) throw new KernelInputError('factorization used after free()');
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
    const px = k.io.get(n * 8);
    const run = (x: Float64Array, t: boolean): void => {
      k.F.set(x, px >>> 3);
      if (t) k.ex.luSolveTransposed(this.block, n, this.piv, px, 1);
      else k.ex.luSolve(this.block, n, this.piv, px, 1, 0);
      x.set(k.F.subarray(px >>> 3, (px >>> 3) + n));
    };
    const ainv = estimateInverseNorm1(n, (x) => run(x, false), (x) => run(x, true));
    return ainv > 0 && Number.isFinite(ainv) ? 1 / (this.anorm * ainv) : 0;
  }

  free(): void {
    if (this.live) {
      this.live = false;
      leaked?.unregister(this);
      this.k.ex.free(this.block);
    }
  }
}

class WasmBatch implements BatchFactorization {
  private live = true;

  constructor(
    private readonly k: WasmKernel,
    private readonly block: number,
    private readonly piv: number,
    readonly n: number,
    readonly count: number,
  ) {
    leaked?.register(this, { ex: k.ex, block }, this);
  }

  private run(b: Float64Array, nrhs: number | undefined, t: boolean): Float64Array {
    if (!this.live) throw new KernelInputError('batch factorization used after free()');
    const { k, n, count } = this;
    const m = checkRhs(b, n, nrhs, count, 'right-hand side', false);
    const x = k.io.get(b.length * 8);
    const work = m >= 4 && !t ? k.work.get(n * m * 8) : 0;
    k.put(x, b, 'right-hand side', n);
    k.ex.luSolveBatch(this.block, n, count, this.piv, x, m, t ? 1 : 0, work);
    return k.take(x, b.length);
  }

  solve(b: Float64Array, nrhs?: number): Float64Array {
    return this.run(b, nrhs, false);
  }

  solveTransposed(b: Float64Array, nrhs?: number): Float64Array {
    return this.run(b, nrhs, true);
  }

  free(): void {
    if (this.live) {
      this.live = false;
      leaked?.unregister(this);
      this.k.ex.free(this.block);
    }
  }
}

/** Where the compiled module sits: next to this file, in src/kernel/ and in dist/src/kernel/. */
export const WASM_URL = new URL('./embodied.wasm', import.meta.url);

/**
 * Instantiates the kernel from wasm bytes (or a compiled module). `warmUp: false` skips the
 * warm-up below (about 0.1 CPU-second): for a process that only solves small systems, whose short
 * calls tier up on their own.
 */
export async function instantiateKernel(source: BufferSource | WebAssembly.Module, opts?: { warmUp?: boolean }): Promise<Kernel> {
  const instance =
    source instanceof WebAssembly.Module
      ? await WebAssembly.instantiate(source, imports)
      : (await WebAssembly.instantiate(source, imports)).instance;
  const k = new WasmKernel(instance.exports as unknown as KernelExports);
  return opts?.warmUp === false ? k : warmUp(k);
}

/**
 * A kernel over an instance the caller made (the threaded kernel instantiates its module with a
 * shared memory it owns: threads.ts), warmed up like the others; `name` tells it apart.
 */
export function kernelFromInstance(instance: WebAssembly.Instance, name: string): Kernel {
  return warmUp(new WasmKernel(instance.exports as unknown as KernelExports, name));
}

async function fetchKernel(url: URL): Promise<Kernel> {
  const isNode = typeof process !== 'undefined' && typeof process.versions?.node === 'string' && url.protocol === 'file:';
  if (isNode) {
    const { readFile } = await import(/* @vite-ignore */ 'node:fs/promises');
    return instantiateKernel(await readFile(url));
  }
  if (typeof WebAssembly.instantiateStreaming === 'function') {
    try {
      const { instance } = await WebAssembly.instantiateStreaming(fetch(url), imports);
      return warmUp(new WasmKernel(instance.exports as unknown as KernelExports));
    } catch {
      // Servers that do not send application/wasm: fall back to bytes.
    }
  }
  const res = await fetch(url);
  if (!res.ok) throw new Error(`cannot fetch the wasm kernel from ${url.href}: HTTP ${res.status}`);
  return instantiateKernel(await res.arrayBuffer());
}

/**
 * Runs the hot functions once on small inputs so V8 compiles them before real work: Node 20
 * cannot switch a running wasm function to optimised code, so a cold first big call is slow.
 */
function warmUp(k: WasmKernel): WasmKernel {
  // Sizes past the small-matrix path (n > 160) so the blocked GEMM, triangular solves and
  // inverse all run; rounds repeat for up to ~60 ms so background tier-up can land.
  const n = 200;
  const a = new Float64Array(n * n);
  for (let i = 0; i < n * n; i++) a[i] = ((i * 7919) % 97) / (97 * n);
  const b = new Float64Array(n * 8).fill(1);
  const csr = { n, rowPtr: new Int32Array(n + 1), colIdx: new Int32Array(0), values: new Float64Array(0) };
  const t0 = Date.now();
  for (let r = 0; r < 8 && (r < 2 || Date.now() - t0 < 60); r++) {
    const f = k.factorLeontief(a, n);
    f.solve(b, 8);
    f.solveTransposed(b, 8);
    f.solve(b.subarray(0, n), 1);
    f.solveTransposed(b.subarray(0, n), 1);
    f.free();
    k.inverse(a, n, { leontief: true });
    k.solve(a.subarray(0, 36 * 36), 36, b.subarray(0, 36), { leontief: true });
    k.leontiefRowsBatch(a.subarray(0, 36 * 36), b.subarray(0, 4 * 36), b.subarray(0, 4 * 36), 36, 4);
    k.solveLeontiefIterative(a, b.subarray(0, n), { tol: 1e-8 });
    k.solveLeontiefIterative(csr, b.subarray(0, n), { tol: 1e-8 });
    k.solveLeontiefIterative(a, b.subarray(0, 3 * n), { tol: 1e-8 }); // block paths (chunks of 2 and 1)
    k.solveLeontiefIterative(csr, b.subarray(0, 5 * n), { tol: 1e-8 });
  }
  return k;
}

let cached: Promise<Kernel> | null = null;

/**
 * The wasm kernel, loaded once (later calls return the same promise). In Node the module is
 * read from disk next to this file; in browsers it is fetched and compiled while streaming.
 * Pass `url` to load it from somewhere else (not cached).
 */
export function loadKernel(url?: URL | string): Promise<Kernel> {
  if (url !== undefined) return fetchKernel(new URL(url, import.meta.url));
  cached ??= fetchKernel(WASM_URL).catch((e: unknown) => {
    cached = null;
    throw e;
  });
  return cached;
}
