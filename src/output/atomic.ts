/** One file written atomically (Node). */
import { renameSync, writeFileSync } from 'node:fs';

/** A temporary file `<path>.tmp-<pid>-<random>` beside the target, so that a reader never sees half a file. */
export const TEMPORARY_FILE = /\.tmp-\d+-[a-z0-9]+$/;

/** Writes a temporary file then renames it over `path`, so a kill leaves old or new, never half. */
export function writeAtomic(path: string, data: Uint8Array | string): void {
  const tmp = `${path}.tmp-${process.pid}-${Math.random().toString(36).slice(2)}`;
  writeFileSync(tmp, data);
  renameSync(tmp, path);
}
