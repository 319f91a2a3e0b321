/**
 * The iterative wasm host: Gauss–Seidel / Jacobi on (I − A) x = b over the module's iterative
 * exports (assembly/iterative.ts), one-shot or on an operator prepared in wasm memory.
 */
import type { CSR, IterativeOperator, IterativeOptions, IterativeResult } from './api.js';
import { ConvergenceError, KernelInputError } from './errors.js';
import { checkIterativeMatrix, checkIterativeRhs, resolveIterativeOptions, sorOmega } from './validate.js';
import { leaked, type WasmMemory } from './wasm-memory.js';

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

export class WasmIterative {
  constructor(readonly m: WasmMemory) {}

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
      const block = owned ? this.m.alloc(bytes) : 0;
      let pa = owned ? block : this.m.mat.get(bytes);
      try {
        this.m.put(pa, A, 'A', n);
      } catch (e) {
        if (block) this.m.ex.free(block);
        throw e;
      }
      if (transposed) {
        const pt = this.m.mat2.get(bytes);
        this.m.ex.transpose(pa, n, n, pt);
        if (owned) this.m.F.copyWithin(block >>> 3, pt >>> 3, (pt >>> 3) + n * n);
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
    const block = owned ? this.m.alloc(bytes) : 0;
    const src = layout(direct ? block : this.m.mat.get(bytes));
    const I = this.m.I;
    I.set(A.rowPtr, src.rp >>> 2);
    I.set(A.colIdx, src.ci >>> 2);
    this.m.F.set(A.values, src.v >>> 3);
    let d = src;
    if (transposed) {
      d = layout(owned ? block : this.m.mat2.get(bytes));
      this.m.ex.csrTranspose(n, src.rp, src.ci, src.v, d.rp, d.ci, d.v);
    }
    this.m.ex.csrDiag(n, d.rp, d.ci, d.v, d.diag);
    const F = this.m.F;
    for (let i = 0; i < n; i++) {
      if (1 - F[(d.diag >>> 3) + i]! === 0) {
        if (block) this.m.ex.free(block);
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
    const pb = this.m.io.get(len * 8);
    const px = this.m.io2.get(len * 8);
    // Jacobi's second iterate, then the per-vector state (8 fields of k f64, as assembly/iterative.ts lays them out).
    const stateOff = jacobi ? len * 8 : 0;
    const pw = this.m.work.get(stateOff + 8 * k * 8);
    const ps = pw + stateOff;
    const F = this.m.F;
    const fb = pb >>> 3;
    if (k === 1) F.set(b, fb);
    else for (let v = 0; v < k; v++) for (let i = 0, q = v * n; i < n; i++) F[fb + i * k + v] = b[q + i]!;
    F.fill(0, px >>> 3, (px >>> 3) + len);
    const it = m.dense
      ? this.m.ex.iterDense(m.a, n, k, pb, px, pw, ps, o.tol, o.maxIter, jacobi, omega)
      : this.m.ex.iterCsr(n, m.rp, m.ci, m.v, m.diag, k, pb, px, pw, ps, o.tol, o.maxIter, jacobi, omega);
    if (it < 0) throw new ConvergenceError(-it, this.m.ex.iterResidual(), o.tol, this.m.ex.iterWorst(), k);
    const G = this.m.F;
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
      const w = this.m.work.get(m.n * 8);
      m.autoOmega = sorOmega(m.dense ? this.m.ex.jacobiBoundDense(m.a, m.n, w) : this.m.ex.jacobiBoundCsr(m.n, m.rp, m.ci, m.v, m.diag, w));
    }
    return m.autoOmega;
  }

  /** M X = B and Mᵀ T = C in one Gauss–Seidel iteration over the stored matrix (see api.ts). */
  iterRunBoth(
    m: IterData,
    b: Float64Array,
    c: Float64Array,
    opts: IterativeOptions | undefined,
  ): { x: IterativeResult; t: IterativeResult } {
    const { n } = m;
    const o = resolveIterativeOptions(opts);
    if (o.method !== 'gauss-seidel') throw new KernelInputError('solveWithTransposed is Gauss–Seidel only');
    const omega = this.omegaFor(m, o.omega);
    const k = b.length === 0 ? 0 : checkIterativeRhs(b, n);
    const kt = c.length === 0 ? 0 : checkIterativeRhs(c, n);
    const len = n * k,
      lenT = n * kt;
    const pb = this.m.io.get(len * 8 + 16);
    const px = this.m.io2.get(len * 8 + 16);
    // work: C, T, R (kt vectors each, interleaved), then the state of the plain and transposed parts.
    const pw = this.m.work.get(3 * lenT * 8 + 8 * (k + kt) * 8 + 16);
    const pc = pw,
      pt = pc + lenT * 8,
      pr = pt + lenT * 8,
      ps = pr + lenT * 8,
      psT = ps + 8 * k * 8;
    const F = this.m.F;
    const inter = (src: Float64Array, dst: number, kk: number): void => {
      const f = dst >>> 3;
      for (let v = 0; v < kk; v++) for (let i = 0, q = v * n; i < n; i++) F[f + i * kk + v] = src[q + i]!;
    };
    inter(b, pb, k);
    inter(c, pc, kt);
    F.fill(0, px >>> 3, (px >>> 3) + len);
    F.fill(0, pt >>> 3, (pt >>> 3) + lenT);
    this.m.ex.iterTransposedPart(kt, pc, pt, pr, psT);
    const it = m.dense
      ? this.m.ex.iterDense(m.a, n, k, pb, px, pw, ps, o.tol, o.maxIter, 0, omega)
      : this.m.ex.iterCsr(n, m.rp, m.ci, m.v, m.diag, k, pb, px, pw, ps, o.tol, o.maxIter, 0, omega);
    if (it < 0) throw new ConvergenceError(-it, this.m.ex.iterResidual(), o.tol, this.m.ex.iterWorst(), k + kt);
    const G = this.m.F;
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

  solveLeontiefIterative(A: Float64Array | CSR, b: Float64Array, opts?: IterativeOptions & { transposed?: boolean }): IterativeResult {
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
          this.m.ex.free(m.block);
        }
      },
    };
    leaked?.register(op, { ex: this.m.ex, block: m.block }, op);
    return op;
  }
}
