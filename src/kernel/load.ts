/**
 * The wasm kernel's loader: reads (Node) or fetches (browsers) src/kernel/embodied.wasm, built by
 * `npm run build:wasm`, instantiates it, and makes the `Kernel` over the instance from the dense
 * host (wasm-dense.ts) and the iterative host (wasm-iterative.ts). Which kernel a caller gets, with
 * the fallback to the reference kernel, is decided in select.ts.
 */
import type {
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
import type { RowsBatch } from './rows-batch.js';
import { WasmDense } from './wasm-dense.js';
import type { PathSearch, SpaInput, SpaRaw } from './spa.js';
import { wasmStructuralPaths } from './wasm-spa.js';
import { WasmIterative } from './wasm-iterative.js';
import { WasmMemory, type KernelExports } from './wasm-memory.js';

const imports = {
  env: {
    abort(_msg: number, _file: number, line: number, col: number): never {
      throw new Error(`wasm kernel aborted at ${line}:${col} (out of memory?)`);
    },
  },
};

/** The `Kernel` over one instance: its dense and iterative hosts share the instance's memory. */
class WasmKernel implements Kernel, RowsBatch, PathSearch {
  private readonly memory: WasmMemory;
  private readonly dense: WasmDense;
  private readonly iterative: WasmIterative;

  constructor(
    ex: KernelExports,
    readonly name: string,
  ) {
    this.memory = new WasmMemory(ex);
    this.dense = new WasmDense(this.memory);
    this.iterative = new WasmIterative(this.memory);
  }

  factor(a: Float64Array, n: number): Factorization {
    return this.dense.factor(a, n);
  }

  factorLeontief(A: Float64Array, n: number): Factorization {
    return this.dense.factorLeontief(A, n);
  }

  leontief(A: Float64Array, n: number, out?: Float64Array): Float64Array {
    return this.dense.leontief(A, n, out);
  }

  factorBatch(a: Float64Array, n: number, count: number, opts?: { leontief?: boolean }) {
    return this.dense.factorBatch(a, n, count, opts);
  }

  leontiefRowsBatch(A: Float64Array, colScale: Float64Array, d: Float64Array, n: number, count: number, out?: Float64Array): Float64Array {
    return this.dense.leontiefRowsBatch(A, colScale, d, n, count, out);
  }

  structuralPaths(input: SpaInput): SpaRaw {
    return wasmStructuralPaths(this.memory, input);
  }

  solve(a: Float64Array, n: number, b: Float64Array, opts?: SolveOptions): Float64Array {
    return this.dense.solve(a, n, b, opts);
  }

  solveMixed(a: Float64Array, n: number, b: Float64Array, opts?: MixedOptions): MixedResult {
    return this.dense.solveMixed(a, n, b, opts);
  }

  inverse(a: Float64Array, n: number, opts?: { leontief?: boolean; out?: Float64Array }): Float64Array {
    return this.dense.inverse(a, n, opts);
  }

  residual(a: Float64Array, n: number, x: Float64Array, b: Float64Array, opts?: SolveOptions): number {
    return this.dense.residual(a, n, x, b, opts);
  }

  solveLeontiefIterative(A: Float64Array | CSR, b: Float64Array, opts?: IterativeOptions & { transposed?: boolean }): IterativeResult {
    return this.iterative.solveLeontiefIterative(A, b, opts);
  }

  prepareLeontiefIterative(A: Float64Array | CSR, opts?: { transposed?: boolean }): IterativeOperator {
    return this.iterative.prepareLeontiefIterative(A, opts);
  }

  memoryBytes(): number {
    return this.memory.ex.memory.buffer.byteLength;
  }
}

/** Where the compiled module sits: next to this file, in src/kernel/ and in dist/src/kernel/. */
export const WASM_URL = new URL('./embodied.wasm', import.meta.url);

/** Warm-up or not: see instantiateKernel. */
export interface LoadOptions {
  warmUp?: boolean;
}

/**
 * Instantiates the kernel from wasm bytes (or a compiled module). `warmUp: false` skips the
 * warm-up below (about 0.1 CPU-second): for a process that only solves small systems, whose short
 * calls tier up on their own.
 */
export async function instantiateKernel(source: BufferSource | WebAssembly.Module, opts?: LoadOptions): Promise<Kernel> {
  const instance =
    source instanceof WebAssembly.Module
      ? await WebAssembly.instantiate(source, imports)
      : (await WebAssembly.instantiate(source, imports)).instance;
  return kernelFromInstance(instance, 'wasm', opts);
}

/**
 * The kernel over an instance, warmed up unless opts say not; also for an instance the caller made
 * (the threaded kernel instantiates its module with a shared memory it owns: threads.ts), `name`
 * telling it apart.
 */
export function kernelFromInstance(instance: WebAssembly.Instance, name: string, opts?: LoadOptions): Kernel {
  const k = new WasmKernel(instance.exports as unknown as KernelExports, name);
  return opts?.warmUp === false ? k : warmUp(k);
}

/** Reads (Node, file: URLs) or fetches the module at url and instantiates it. */
export async function fetchKernel(url: URL, opts?: LoadOptions): Promise<Kernel> {
  const isNode = typeof process !== 'undefined' && typeof process.versions?.node === 'string' && url.protocol === 'file:';
  if (isNode) {
    const { readFile } = await import(/* @vite-ignore */ 'node:fs/promises');
    return instantiateKernel(await readFile(url), opts);
  }
  if (typeof WebAssembly.instantiateStreaming === 'function') {
    try {
      const { instance } = await WebAssembly.instantiateStreaming(fetch(url), imports);
      return kernelFromInstance(instance, 'wasm', opts);
    } catch {
      // Servers that do not send application/wasm: fall back to bytes.
    }
  }
  const res = await fetch(url);
  if (!res.ok) throw new Error(`cannot fetch the wasm kernel from ${url.href}: HTTP ${res.status}`);
  return instantiateKernel(await res.arrayBuffer(), opts);
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
