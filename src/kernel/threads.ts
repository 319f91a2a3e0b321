/**
 * The threaded wasm kernel (Node only): src/kernel/embodied-threads.wasm, built from the same
 * sources as embodied.wasm with wasm threads, instantiated once on this thread and once in each
 * worker_threads worker over one shared memory. Large GEMMs and triangular solves inside the LU,
 * the inverse and the multi-vector solves are split across the threads (assembly/par.ts); small
 * calls stay on this thread, so small matrices cost what they cost in the single-thread kernel.
 * The returned object is an ordinary `Kernel` (same validation, errors and memory handling as
 * `loadKernel()`, see load.ts) plus `close()`.
 *
 * Node built-ins are taken at run time (process.getBuiltinModule), so bundling this module for a
 * browser does not break the bundle; calling it there throws. Browsers without cross-origin
 * isolation have no shared memory anyway: use loadKernel() there.
 */
import type { Kernel } from './api.js';
import { kernelFromInstance } from './load.js';

/** The threaded module, next to this file (src/kernel/ and dist/src/kernel/). */
export const THREADS_WASM_URL = new URL('./embodied-threads.wasm', import.meta.url);

export interface ThreadedKernel extends Kernel {
  /** Threads in use (this one included); 1 after close(). */
  readonly threads: number;
  /** Stops the workers; the kernel keeps working on this thread alone. */
  close(): Promise<void>;
}

export interface ThreadedKernelOptions {
  /** Threads including this one (default 2, at most 16). */
  threads?: number;
  /** Where embodied-threads.wasm is (default THREADS_WASM_URL). */
  url?: URL | string;
}

/** Exports of assembly/threads.ts beyond those of index.ts. */
interface ThreadExports {
  alloc(bytes: number): number;
  free(ptr: number): void;
  parSetup(ctl: number, threads: number): void;
  parQuit(): void;
  parReleaseScratch(): void;
  CTL_BYTES: WebAssembly.Global;
  MAX_THREADS: WebAssembly.Global;
}

/** asconfig.json's initialMemory (pages) and the wasm32 maximum the threads target declares. */
const INITIAL_PAGES = 32;
const MAXIMUM_PAGES = 65536;

/**
 * A worker: instantiates the module over the shared memory and serves jobs until told to quit
 * (one workerStep call per job, see assembly/par.ts).
 * Evaluated from a string (valid as a script and as a module, no Node flags inherited), so it
 * runs the same from src/ (tsx, vitest) and from dist/.
 * If the worker's wasm traps inside a job it flags the control block (ERR, word 6) and counts
 * itself done (DONE, word 1) so that the main thread reports the failure instead of waiting.
 */
const WORKER_SOURCE = `
const { workerData, parentPort } = process.getBuiltinModule('node:worker_threads');
const { module, memory, ctl, tid } = workerData;
const abort = (_m, _f, line, col) => { throw new Error('wasm kernel worker ' + tid + ' aborted at ' + line + ':' + col); };
WebAssembly.instantiate(module, { env: { memory, abort } }).then((instance) => {
  parentPort.postMessage('ready');
  try {
    let seen = 0;
    while ((seen = instance.exports.workerStep(ctl, tid, seen)) >= 0);
  } catch (e) {
    const w = new Int32Array(memory.buffer, ctl, 8);
    Atomics.store(w, 6, 1);
    Atomics.add(w, 1, 1);
    Atomics.notify(w, 1);
    throw e;
  }
}, (e) => parentPort.postMessage('failed: ' + e.message));
`;

function nodeModules(): { wt: typeof import('node:worker_threads'); fs: typeof import('node:fs') } {
  const get = globalThis.process?.getBuiltinModule;
  if (typeof get !== 'function') throw new Error('loadThreadedKernel needs Node ≥ 20.16 (worker_threads); elsewhere use loadKernel()');
  return { wt: get('node:worker_threads'), fs: get('node:fs') };
}

/**
 * Loads the threaded kernel with `threads` threads (this one and threads − 1 workers). Not cached:
 * each call starts its own workers; call close() when done (the workers are unref'd, so a
 * forgotten close() does not keep the process alive).
 */
export async function loadThreadedKernel(opts: ThreadedKernelOptions = {}): Promise<ThreadedKernel> {
  const threads = opts.threads ?? 2;
  if (!Number.isInteger(threads) || threads < 1 || threads > 16)
    throw new RangeError(`threads must be an integer in 1..16, got ${threads}`);
  const { wt, fs } = nodeModules();
  const url = new URL(opts.url ?? THREADS_WASM_URL, import.meta.url);
  let bytes: BufferSource;
  try {
    bytes = await fs.promises.readFile(url);
  } catch (e) {
    throw new Error(`cannot read the threaded wasm kernel ${url.href} (run npm run build:wasm): ${(e as Error).message}`);
  }
  const module = await WebAssembly.compile(bytes);
  const memory = new WebAssembly.Memory({ initial: INITIAL_PAGES, maximum: MAXIMUM_PAGES, shared: true });
  const abort = (_m: number, _f: number, line: number, col: number): never => {
    throw new Error(`wasm kernel aborted at ${line}:${col} (out of memory?)`);
  };
  const instance = await WebAssembly.instantiate(module, { env: { memory, abort } });
  const ex = instance.exports as unknown as ThreadExports;
  const ctlBytes = ex.CTL_BYTES.value as number;
  const ctl = ex.alloc(ctlBytes);
  new Uint8Array(memory.buffer, ctl, ctlBytes).fill(0);

  // A worker error after start-up is a trap inside a job: the main thread's call already fails
  // (see WORKER_SOURCE); close() reports the worker's own error.
  let failure: unknown = null;
  const workers = Array.from({ length: threads - 1 }, (_, i) => {
    const w = new wt.Worker(WORKER_SOURCE, { eval: true, execArgv: [], workerData: { module, memory, ctl, tid: i + 1 } });
    w.unref();
    return w;
  });
  const exited = workers.map((w) => new Promise<void>((resolve) => w.once('exit', () => resolve())));
  try {
    await Promise.all(
      workers.map(
        (w) =>
          new Promise<void>((resolve, reject) => {
            w.once('message', (m: string) => (m === 'ready' ? resolve() : reject(new Error(`threaded kernel worker: ${m}`))));
            w.once('error', reject);
          }),
      ),
    );
  } catch (e) {
    await Promise.all(workers.map((w) => w.terminate()));
    throw e;
  }
  for (const w of workers) w.on('error', (e) => (failure ??= e));
  ex.parSetup(ctl, threads);
  const kernel = kernelFromInstance(instance, 'wasm-threads');
  let running = threads;
  let closing: Promise<void> | null = null;
  const close = (): Promise<void> => {
    closing ??= (async () => {
      ex.parQuit();
      running = 1;
      // Keep the event loop alive until they are gone (they are unref'd otherwise).
      for (const w of workers) w.ref();
      await Promise.all(exited);
      ex.parReleaseScratch();
      if (failure) throw new Error(`threaded kernel worker failed: ${(failure as Error).message ?? failure}`);
    })();
    return closing;
  };
  Object.defineProperties(kernel, { threads: { get: () => running, enumerable: true }, close: { value: close } });
  return kernel as ThreadedKernel;
}
