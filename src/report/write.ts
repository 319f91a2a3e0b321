/** Writing an output directory all at once: into a temporary sibling, then renamed into place. */
import { randomBytes } from 'node:crypto';
import { existsSync, mkdirSync, renameSync, rmSync, statSync, writeFileSync } from 'node:fs';
import { basename, dirname, join, resolve } from 'node:path';
import { stringify } from 'csv-stringify/sync';
import type { Table } from './tables.js';

export class OutputError extends Error {
  override name = 'OutputError';
}

/** CSV text of a table: a header row, numbers at full precision, empty cells for null. */
export function tableCsv(t: Table): string {
  return stringify([t.columns, ...t.rows], { cast: { number: (v) => String(v) } });
}

/**
 * Writes `files` (name → content) as the directory `dir`. A run that fails leaves no partial
 * directory behind; an existing directory is replaced only if it holds an earlier run (run.json).
 */
export function writeOutputDir(dir: string, files: ReadonlyMap<string, string | Uint8Array>): void {
  const target = resolve(dir);
  if (existsSync(target)) {
    if (!statSync(target).isDirectory()) throw new OutputError(`--out ${dir}: exists and is not a directory`);
    if (!existsSync(join(target, 'run.json'))) {
      throw new OutputError(`--out ${dir}: exists and is not an embodied output directory (no run.json); choose another or remove it`);
    }
  }
  const parent = dirname(target);
  const tmp = join(parent, `.${basename(target)}.tmp-${randomBytes(4).toString('hex')}`);
  try {
    mkdirSync(parent, { recursive: true });
    mkdirSync(tmp);
    for (const [name, content] of files) writeFileSync(join(tmp, name), content);
  } catch (e) {
    try {
      rmSync(tmp, { recursive: true, force: true });
    } catch {
      // Nothing was created where nothing can be written.
    }
    const why = e instanceof Error ? e.message : String(e);
    throw new OutputError(`--out ${dir}: cannot write there (${why})`);
  }
  const old = `${tmp}-old`;
  if (existsSync(target)) renameSync(target, old);
  renameSync(tmp, target);
  rmSync(old, { recursive: true, force: true });
}
