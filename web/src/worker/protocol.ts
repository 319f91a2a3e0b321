/** Messages between the page and the model worker (structured-cloneable). */
import type { DataFiles } from '../../../src/inputs/index.js';
import type { ModelOptions } from '../../../src/model/options.js';
import type { Scalings } from '../../../src/model/scenario.js';
import type { ComputeResult } from '../../../src/report/compute.js';
import type { SpaResult } from '../../../src/analysis/spa.js';

export type { DataFiles } from '../../../src/inputs/index.js';
export type { NamedBytes } from '../../../src/io/provincial-set.js';

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

export type Request =
  /** Bundled data/*.csv texts keyed by their path (DATA_FILES values). */
  | { type: 'init'; id: number; dataTexts: Record<string, string> }
  | { type: 'compute'; id: number; options: ModelOptions; scalings: Scalings }
  | { type: 'load'; id: number; files: DataFiles }
  | { type: 'demo'; id: number }
  /** Structural paths of `province`'s consumption footprint in the MRIO, under the same options and scalings. */
  | { type: 'paths'; id: number; province: string; options: ModelOptions; scalings: Scalings; maxPaths: number; threshold: number };

export type Response =
  | { type: 'ready'; id: number; kernel: string; kernelNote: string; dataset: DatasetInfo }
  | { type: 'result'; id: number; result: ComputeResult }
  | { type: 'dataset'; id: number; dataset: DatasetInfo }
  | { type: 'paths'; id: number; paths: SpaResult; kernel: string }
  | { type: 'error'; id: number; message: string };
