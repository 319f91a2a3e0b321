/** Messages between the page and the model worker (structured-cloneable). */
import type { ComputeResult } from '../../../src/browser/compute.js';
import type { Scalings } from '../../../src/browser/scenario.js';
import type { DatasetInfo, UserFiles } from '../../../src/browser/user-files.js';
import type { ModelOptions } from '../../../src/model/options.js';

export type { DatasetInfo, NamedFile, UserFiles } from '../../../src/browser/user-files.js';

export type Request =
  /** Bundled data/*.csv texts keyed by their path (DATA_FILES values). */
  | { type: 'init'; id: number; dataTexts: Record<string, string> }
  | { type: 'compute'; id: number; options: ModelOptions; scalings: Scalings }
  | { type: 'load'; id: number; files: UserFiles }
  | { type: 'demo'; id: number };

export type Response =
  | { type: 'ready'; id: number; kernel: string; kernelNote: string; dataset: DatasetInfo }
  | { type: 'result'; id: number; result: ComputeResult }
  | { type: 'dataset'; id: number; dataset: DatasetInfo }
  | { type: 'error'; id: number; message: string };
