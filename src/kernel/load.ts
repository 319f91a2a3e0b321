/**
 * The wasm kernel's loader: reads (Node) or fetches (browsers) src/kernel/embodied.wasm, built by
 * `npm run build:wasm`, instantiates it, and makes the `Kernel` over the instance from the dense
 * host (wasm-dense.ts) and the iterative host (wasm-iterative.ts). Which kernel a caller gets, with
 * the fallback to the reference kernel, is decided in select.ts. Two builds of the module: the
 * model's (assembly/model.ts: embodied.wasm here and in embodied-model) adds the sweep's row batch
 * and the structural path search to the Kernel API's (assembly/index.ts: embodied-kernel.wasm here,
 * embodied.wasm in the embodied-kernel package); the kernel has those methods when its module does.
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
import { WasmMemory, type KernelExports, type ModelExports } from './wasm-memory.js';

const imports = {
  env: {
    abort(_msg: number, _file: number, line: number, col: number): never {
      throw new Error(`wasm kernel aborted at ${line}:${col} (out of memory?)`);
    },
  },
};

/** The `Kernel` over one instance: its dense and iterative hosts share the instance's memory. */
class WasmKernel implements Kernel {
  protected readonly memory: WasmMemory;
  protected readonly dense: WasmDense;
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

/** The kernel over the model's build, which also has the row batch and the path search. */
class WasmModelKernel extends WasmKernel implements RowsBatch, PathSearch {
  constructor(
    private readonly ex: ModelExports,
    name: string,
  ) {
    super(ex, name);
  }

  leontiefRowsBatch(A: Float64Array, colScale: Float64Array, d: Float64Array, n: number, count: number, out?: Float64Array): Float64Array {
    return this.dense.leontiefRowsBatch(this.ex, A, colScale, d, n, count, out);
  }

  structuralPaths(input: SpaInput): SpaRaw {
    return wasmStructuralPaths(this.memory, this.ex, input);
  }
}

/**
 * Where the compiled module sits: next to this file (src/kernel/, dist/src/kernel/, and beside each
 * browser bundle). Written as the literal `new URL('./embodied.wasm', import.meta.url)` so that the
 * bundler of an app that imports this module (Vite, Rollup, webpack 5) finds the file and emits it.
 */
export const WASM_URL = new URL('./embodied.wasm', import.meta.url);

/**
 * When the kernel runs its warm-up (its hot functions once on small inputs, 40–100 ms of CPU):
 * 'eager' before the kernel is returned (the default: the first big solve is fast); 'idle' one round
 * at a time in idle callbacks (requestIdleCallback, else a timer), so a page is not blocked; 'off'
 * never (short calls on small systems tier up on their own).
 */
export type WarmUp = 'eager' | 'idle' | 'off';
const WARM_UPS: readonly WarmUp[] = ['eager', 'idle', 'off'];

export interface LoadOptions {
  warmUp?: WarmUp;
}

/** Instantiates the kernel from wasm bytes (or a compiled module). */
export async function instantiateKernel(source: BufferSource | WebAssembly.Module, opts?: LoadOptions): Promise<Kernel> {
  const instance =
    source instanceof WebAssembly.Module
      ? await WebAssembly.instantiate(source, imports)
      : (await WebAssembly.instantiate(source, imports)).instance;
  return kernelFromInstance(instance, 'wasm', opts);
}

/**
 * The kernel over an instance, warmed up as opts say; also for an instance the caller made (the
 * threaded kernel instantiates its module with a shared memory it owns: threads.ts), `name`
 * telling it apart.
 */
export function kernelFromInstance(instance: WebAssembly.Instance, name: string, opts?: LoadOptions): Kernel {
  const ex = instance.exports as unknown as KernelExports;
  const k = 'spaRun' in ex ? new WasmModelKernel(ex as ModelExports, name) : new WasmKernel(ex, name);
  return warmUpAs(k, opts?.warmUp ?? 'eager');
}

const WASM_MAGIC = [0x00, 0x61, 0x73, 0x6d];

/**
 * Throws unless bytes start with the wasm magic word, naming the URL and what came back: a
 * bundler that did not emit the module, or a server's HTML fallback page, answers 200 with text.
 */
function checkWasm(bytes: Uint8Array, url: URL, contentType: string | null): void {
  if (WASM_MAGIC.every((b, i) => bytes[i] === b)) return;
  const start = String.fromCharCode(...bytes.subarray(0, 4)).replace(/[^\x20-\x7e]/g, '.');
  throw new Error(
    `the wasm kernel at ${url.href} is not a WebAssembly module: got ${contentType || 'no content type'}, ` +
      `${bytes.length} bytes starting \`${start}\` (did the bundler emit embodied.wasm? pass its URL to loadKernel(url))`,
  );
}

/** node:fs under Node (taken at run time, so bundles carry no Node import); undefined in a browser. */
function nodeFs(): typeof import('node:fs') | undefined {
  const get = globalThis.process?.getBuiltinModule;
  return typeof get === 'function' ? get('node:fs') : undefined;
}

/** Reads (Node, file: URLs) or fetches the module at url, checks it is wasm, and instantiates it. */
export async function fetchKernel(url: URL, opts?: LoadOptions): Promise<Kernel> {
  const fs = url.protocol === 'file:' ? nodeFs() : undefined;
  if (fs) {
    const bytes = await fs.promises.readFile(url);
    checkWasm(bytes, url, null);
    return instantiateKernel(bytes, opts);
  }
  const res = await fetch(url);
  if (!res.ok) throw new Error(`cannot fetch the wasm kernel from ${url.href}: HTTP ${res.status}`);
  const type = res.headers.get('content-type');
  // application/wasm: compiled while streaming (the magic word is checked by the compiler).
  if (type?.split(';')[0]?.trim() === 'application/wasm' && typeof WebAssembly.instantiateStreaming === 'function') {
    const { instance } = await WebAssembly.instantiateStreaming(res, imports);
    return kernelFromInstance(instance, 'wasm', opts);
  }
  const bytes = new Uint8Array(await res.arrayBuffer());
  checkWasm(bytes, url, type);
  return instantiateKernel(bytes, opts);
}

/** Runs the warm-up now, in idle time, or not at all. */
function warmUpAs(k: WasmKernel, when: WarmUp): WasmKernel {
  if (when === 'eager') {
    const t0 = Date.now();
    for (let r = 0; r < 8 && (r < 2 || Date.now() - t0 < 60); r++) warmUpRound(k);
  } else if (when === 'idle') {
    const idle =
      (globalThis as { requestIdleCallback?: (f: () => void) => void }).requestIdleCallback ?? ((f: () => void) => setTimeout(f, 0));
    let round = 0;
    const next = () => {
      warmUpRound(k);
      if (++round < 4) idle(next);
    };
    idle(next);
  } else if (when !== 'off') {
    throw new RangeError(`unknown warmUp '${when as string}': choose from ${WARM_UPS.join(', ')}`);
  }
  return k;
}

/**
 * One round of the warm-up: the hot functions once on small inputs so V8 compiles them before real
 * work (Node 20 cannot switch a running wasm function to optimised code, so a cold first big call
 * is slow). Sizes past the small-matrix path (n > 160) so the blocked GEMM, triangular solves and
 * inverse all run; eager warm-up repeats rounds for up to ~60 ms so background tier-up can land.
 */
function warmUpRound(k: WasmKernel): void {
  const n = 200;
  const a = new Float64Array(n * n);
  for (let i = 0; i < n * n; i++) a[i] = ((i * 7919) % 97) / (97 * n);
  const b = new Float64Array(n * 8).fill(1);
  const csr = { n, rowPtr: new Int32Array(n + 1), colIdx: new Int32Array(0), values: new Float64Array(0) };
  const f = k.factorLeontief(a, n);
  f.solve(b, 8);
  f.solveTransposed(b, 8);
  f.solve(b.subarray(0, n), 1);
  f.solveTransposed(b.subarray(0, n), 1);
  f.free();
  k.inverse(a, n, { leontief: true });
  k.solve(a.subarray(0, 36 * 36), 36, b.subarray(0, 36), { leontief: true });
  if (k instanceof WasmModelKernel) k.leontiefRowsBatch(a.subarray(0, 36 * 36), b.subarray(0, 4 * 36), b.subarray(0, 4 * 36), 36, 4);
  k.solveLeontiefIterative(a, b.subarray(0, n), { tol: 1e-8 });
  k.solveLeontiefIterative(csr, b.subarray(0, n), { tol: 1e-8 });
  k.solveLeontiefIterative(a, b.subarray(0, 3 * n), { tol: 1e-8 }); // block paths (chunks of 2 and 1)
  k.solveLeontiefIterative(csr, b.subarray(0, 5 * n), { tol: 1e-8 });
}

let cached: Promise<Kernel> | null = null;

/**
 * The wasm kernel. Without a url: the module beside this file, loaded once (later calls return the
 * same promise, warmed up as the first call said). In Node the module is read from disk; in
 * browsers it is fetched and compiled while streaming, and checked to be wasm. Pass `url` to load
 * it from somewhere else (e.g. the URL your bundler gave the file; not cached).
 */
export function loadKernel(url?: URL | string, opts?: LoadOptions): Promise<Kernel> {
  if (url !== undefined) return fetchKernel(new URL(url, globalThis.location?.href ?? import.meta.url), opts);
  cached ??= fetchKernel(WASM_URL, opts).catch((e: unknown) => {
    cached = null;
    throw e;
  });
  return cached;
}
