/**
 * The wasm module's exports and the host's hold on its linear memory, shared by the dense host
 * (wasm-dense.ts) and the iterative host (wasm-iterative.ts).
 *
 * Memory: every factorisation or prepared operator owns one block from the module's TLSF
 * allocator, released by free(). Transient data (right-hand sides, one-shot matrices, work
 * arrays) go to a few scratch blocks that the host keeps and only grows, so repeated calls
 * allocate nothing and wasm memory stays flat.
 */
import { KernelInputError } from './errors.js';
import { nonFiniteError } from './validate.js';

/** The exports of the Kernel API's module (assembly/index.ts); pointers are byte offsets. */
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
  firstNonFinite(a: number, len: number): number;
  identityMinus(src: number, dst: number, n: number): void;
  norm1(a: number, n: number, work: number): number;
  transpose(src: number, rows: number, cols: number, dst: number): void;
  iterDense(
    a: number,
    n: number,
    k: number,
    b: number,
    x: number,
    work: number,
    state: number,
    tol: number,
    maxIter: number,
    jacobi: number,
    omega: number,
  ): number;
  iterCsr(
    n: number,
    rp: number,
    ci: number,
    v: number,
    diag: number,
    k: number,
    b: number,
    x: number,
    work: number,
    state: number,
    tol: number,
    maxIter: number,
    jacobi: number,
    omega: number,
  ): number;
  csrDiag(n: number, rp: number, ci: number, v: number, diag: number): void;
  jacobiBoundDense(a: number, n: number, work: number): number;
  jacobiBoundCsr(n: number, rp: number, ci: number, v: number, diag: number, work: number): number;
  csrTranspose(n: number, rp: number, ci: number, v: number, rpT: number, ciT: number, vT: number): void;
  iterResidual(): number;
  iterTransposedPart(kt: number, c: number, t: number, r: number, s: number): void;
  iterWorst(): number;
  solveDense(a: number, n: number, piv: number, x: number, nrhs: number, mode: number, work: number): number;
  mixedSolve(
    a: number,
    n: number,
    a32: number,
    piv: number,
    b: number,
    x: number,
    nrhs: number,
    mode: number,
    r: number,
    d32: number,
    work: number,
    maxSteps: number,
    tol: number,
  ): number;
  mixedPathOf(): number;
  mixedStepsOf(): number;
  mixedBerrOf(): number;
}

/** The model's build (assembly/model.ts) adds the sweep's row batch and the structural path search. */
export interface ModelExports extends KernelExports {
  leontiefRowsBatch(a: number, m: number, scale: number, x: number, n: number, count: number, work: number): number;
  rowsBatchWork(n: number, m: number): number;
  spaRun(a: number, d: number, t: number, f: number, n: number, thr: number, maxPaths: number, maxNodes: number, stats: number): number;
  spaResult(k: number): number;
  spaFree(): void;
}

/** A growable block of wasm memory reused across calls. */
export class Scratch {
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

/** The module's memory: typed views (renewed after growth), allocation, and the scratch blocks. */
export class WasmMemory {
  private f64view: Float64Array;
  private i32view: Int32Array;
  readonly mat: Scratch;
  readonly mat2: Scratch;
  readonly io: Scratch;
  readonly io2: Scratch;
  readonly work: Scratch;

  constructor(readonly ex: KernelExports) {
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
}

/**
 * Safety net only: a factorisation dropped without free() has its block released when the
 * object is garbage-collected. free() stays the deterministic way (and unregisters).
 */
export const leaked =
  typeof FinalizationRegistry === 'function'
    ? new FinalizationRegistry<{ ex: KernelExports; block: number }>(({ ex, block }) => ex.free(block))
    : null;

/** A result that owns one block of wasm memory until free(): a factorisation or a batch of them. */
export abstract class OwnedBlock {
  private live = true;

  constructor(
    protected readonly memory: WasmMemory,
    protected readonly block: number,
    /** What the error of a use after free() calls it. */
    private readonly what: string,
  ) {
    leaked?.register(this, { ex: memory.ex, block }, this);
  }

  protected check(): void {
    if (!this.live) throw new KernelInputError(`${this.what} used after free()`);
  }

  free(): void {
    if (this.live) {
      this.live = false;
      leaked?.unregister(this);
      this.memory.ex.free(this.block);
    }
  }
}
