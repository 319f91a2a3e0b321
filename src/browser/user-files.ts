/**
 * The user's own data as the page reads it (named bytes: nothing leaves the browser), and what the
 * page is told about the dataset made from it. Structured-cloneable, so the worker's messages
 * (web/src/worker/protocol.ts) carry them as they are.
 */
export interface NamedFile {
  name: string;
  bytes: Uint8Array;
}

export interface UserFiles {
  provincial: NamedFile[];
  national?: NamedFile;
  emissions?: NamedFile;
  energy?: NamedFile;
  nationalInventory?: NamedFile;
}

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
