/** Messages between the page and the model worker (structured-cloneable). */
import type { ModelOptions } from '../model/options.js';
import type { ComputeResult } from './compute.js';
import type { Scalings } from './scenario.js';

export interface NamedFile {
  name: string;
  bytes: Uint8Array;
}

/** The user's own data, read from disk by the page (nothing leaves the browser). */
export interface UserFiles {
  provincial: NamedFile[];
  national?: NamedFile;
  emissions?: NamedFile;
  energy?: NamedFile;
  nationalInventory?: NamedFile;
}

export type Request =
  /** Bundled data/*.csv texts keyed by their path (DATA_FILES values). */
  | { type: 'init'; id: number; dataTexts: Record<string, string> }
  | { type: 'compute'; id: number; options: ModelOptions; scalings: Scalings }
  | { type: 'load'; id: number; files: UserFiles }
  | { type: 'demo'; id: number };

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

export type Response =
  | { type: 'ready'; id: number; kernel: string; kernelNote: string; dataset: DatasetInfo }
  | { type: 'result'; id: number; result: ComputeResult }
  | { type: 'dataset'; id: number; dataset: DatasetInfo }
  | { type: 'error'; id: number; message: string };
