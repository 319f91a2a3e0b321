/**
 * Which kernel a caller gets: the one place where the choice is made and where 'auto' falls back
 * to the reference kernel, for the CLI, the sweep, the page's worker and the benchmarks.
 */
import type { Kernel } from './api.js';
import { fetchKernel, loadKernel, WASM_URL, type WarmUp } from './load.js';
import { referenceKernel } from './reference.js';
import type { ThreadedKernel } from './threads.js';

/**
 * 'wasm': the wasm kernel (fails if it does not load); 'threads': the threaded wasm kernel (Node
 * only, threads.ts); 'reference': the TypeScript kernel; 'auto': the wasm kernel, else the
 * reference kernel with the reason.
 */
export const KERNEL_CHOICES = ['auto', 'wasm', 'threads', 'reference'] as const;

/**
 * The order from which the threaded kernel pays: below it par.ts keeps every call on the calling
 * thread anyway (a fork costs ~10–50 µs), so the commands and the benchmark use one thread there.
 */
export const THREADS_FROM = 500;
export type KernelChoice = (typeof KERNEL_CHOICES)[number];

export interface SelectOptions {
  /** Where the module is (embodied.wasm, or embodied-threads.wasm for 'threads'); default: beside the loader. */
  url?: URL | string;
  /**
   * 'off': a fresh instance without the loader's warm-up (about 0.1 CPU-second), for a process that
   * only solves small systems; otherwise the wasm kernel is the one loadKernel() caches, warmed up
   * as the first load said ('eager' by default, 'idle': in idle time; see load.ts).
   */
  warmUp?: WarmUp;
  /** 'threads': threads including this one (default 2). */
  threads?: number;
}

export interface KernelSelection<K extends Kernel = Kernel> {
  kernel: K;
  /** Set only when 'auto' fell back to the reference kernel: why, as a sentence for a warning or a record. */
  fallback?: string;
}

// A specifier in a variable: bundlers leave the import alone, so the Node-only threaded kernel and
// its module stay out of browser bundles.
const THREADS_MODULE = './threads.js';

export async function selectKernel(choice: 'threads', opts?: SelectOptions): Promise<KernelSelection<ThreadedKernel>>;
export async function selectKernel(choice?: KernelChoice, opts?: SelectOptions): Promise<KernelSelection>;
export async function selectKernel(choice: KernelChoice = 'auto', opts: SelectOptions = {}): Promise<KernelSelection> {
  switch (choice) {
    case 'reference':
      return { kernel: referenceKernel };
    case 'wasm':
      return { kernel: await wasmKernel(opts) };
    case 'threads': {
      const { loadThreadedKernel } = (await import(/* @vite-ignore */ THREADS_MODULE)) as typeof import('./threads.js');
      return { kernel: await loadThreadedKernel({ threads: opts.threads, url: opts.url }) };
    }
    case 'auto':
      try {
        return { kernel: await wasmKernel(opts) };
      } catch (e) {
        const why = e instanceof Error ? e.message : String(e);
        return { kernel: referenceKernel, fallback: `the wasm kernel did not load (${why}); using the reference TypeScript kernel` };
      }
    default:
      throw new RangeError(`unknown kernel '${choice as string}': choose from ${KERNEL_CHOICES.join(', ')}`);
  }
}

function wasmKernel(opts: SelectOptions): Promise<Kernel> {
  if (opts.warmUp === 'off') return fetchKernel(new URL(opts.url ?? WASM_URL, import.meta.url), { warmUp: 'off' });
  return loadKernel(opts.url, { warmUp: opts.warmUp });
}
