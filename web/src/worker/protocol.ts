/**
 * The model worker's messages (structured-cloneable), documented in web/README.md ("The model
 * worker"). Every request carries an `id`; the worker answers it with one response of the same id.
 * `createModelWorker()` (./client.ts) numbers them and hides the ids. A new kind of request adds a
 * member to ModelWorkerRequest, its answer a member to ModelWorkerResponse, and a case to the
 * worker's switch.
 */
import type { DataFiles } from '../../../src/inputs/index.js';
import type { ModelOptions } from '../../../src/model/options.js';
import type { Scalings } from '../../../src/model/scenario.js';
import type { ComputeResult } from '../../../src/report/compute.js';
import type { SpaResult } from '../../../src/analysis/spa.js';

export type { DataFiles } from '../../../src/inputs/index.js';
export type { NamedBytes } from '../../../src/io/provincial-set.js';

/**
 * Which kernel the worker computes with: 'wasm' (the default) fails when the module does not
 * load; 'auto' falls back to the TypeScript kernel and says why; 'reference' is the TypeScript kernel.
 */
export type WorkerKernelChoice = 'wasm' | 'auto' | 'reference';

/** The kernel a response was computed with: in every answer, so a fallback is never silent. */
export interface KernelInfo {
  /** 'wasm' or 'reference'. */
  name: string;
  /** Set only when 'auto' fell back to the TypeScript kernel: why. */
  fallback?: string;
}

/** What the page is told about the dataset the worker computes on. */
export interface DatasetInfo {
  data: 'demo' | 'files';
  /** One sentence describing the data. */
  note: string;
  provinces: string[];
  /** Which optional sources are present (the option selector disables the rest). */
  has: { emissions: boolean; energy: boolean; nationalInventory: boolean };
  /** Warnings from the readers (balance or inventory sum checks, missing provinces). */
  warnings: string[];
}

/**
 * How the worker starts. Optional: the first request of any other type starts it with the
 * defaults (the wasm kernel beside the worker's script, the demo dataset).
 */
export interface InitRequest {
  type: 'init';
  id: number;
  kernel?: WorkerKernelChoice;
  /** Where embodied.wasm is, when not beside the worker's script (e.g. the URL your bundler gave it). */
  wasmUrl?: string;
}

export type ModelWorkerRequest =
  | InitRequest
  /** Recompute on the current dataset. */
  | { type: 'compute'; id: number; options: ModelOptions; scalings: Scalings }
  /** Read the user's files (bytes; transfer their buffers) and make them the current dataset. */
  | { type: 'load'; id: number; files: DataFiles }
  /** Back to the bundled demo dataset. */
  | { type: 'demo'; id: number }
  /** Structural paths of `province`'s consumption footprint in the MRIO, under the same options and scalings. */
  | { type: 'paths'; id: number; province: string; options: ModelOptions; scalings: Scalings; maxPaths: number; threshold: number };

export type ModelWorkerResponse =
  | { type: 'ready'; id: number; kernel: KernelInfo; dataset: DatasetInfo }
  | { type: 'result'; id: number; kernel: KernelInfo; result: ComputeResult }
  | { type: 'dataset'; id: number; kernel: KernelInfo; dataset: DatasetInfo }
  | { type: 'paths'; id: number; kernel: KernelInfo; paths: SpaResult }
  | { type: 'error'; id: number; message: string };
