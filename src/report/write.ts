/** Output folders written all at once: into a temporary sibling, then renamed into place. */
import { existsSync, statSync } from 'node:fs';
import { mkdir, rename, rm, writeFile } from 'node:fs/promises';
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
 * Calls `fill(tmp)` with a fresh temporary folder beside `dir`, then renames it to `dir`. An existing
 * `dir` is moved aside first and removed only after the rename succeeded, so a reader sees either the
 * old complete folder or the new complete one; on any error the temporary folder is removed and
 * `dir` is left as it was. Failures to create the folder name `dir` ("cannot write there").
 */
export async function writeDirAtomic(dir: string, fill: (tmp: string) => Promise<void>): Promise<void> {
  const target = resolve(dir);
  const parent = dirname(target);
  const tag = `${process.pid}-${Date.now().toString(36)}-${Math.random().toString(36).slice(2, 8)}`;
  const tmp = join(parent, `.${basename(target)}.tmp-${tag}`);
  try {
    await mkdir(parent, { recursive: true });
    await mkdir(tmp);
  } catch (e) {
    throw new OutputError(`--out ${dir}: cannot write there (${(e as Error).message})`);
  }
  try {
    await fill(tmp);
  } catch (e) {
    await rm(tmp, { recursive: true, force: true });
    throw e;
  }
  if (!existsSync(target)) {
    await rename(tmp, target);
    return;
  }
  const old = join(parent, `.${basename(target)}.old-${tag}`);
  await rename(target, old);
  try {
    await rename(tmp, target);
  } catch (e) {
    await rename(old, target);
    await rm(tmp, { recursive: true, force: true });
    throw e;
  }
  await rm(old, { recursive: true, force: true });
}

/**
 * Writes `files` (name → content) as the folder `dir`, atomically. An existing folder is replaced
 * only if it holds an earlier run (a run.json), so a mistyped --out never wipes unrelated files.
 */
export async function writeOutputDir(dir: string, files: ReadonlyMap<string, string | Uint8Array>): Promise<void> {
  const target = resolve(dir);
  if (existsSync(target)) {
    if (!statSync(target).isDirectory()) throw new OutputError(`--out ${dir}: exists and is not a directory`);
    if (!existsSync(join(target, 'run.json'))) {
      throw new OutputError(`--out ${dir}: exists and is not an embodied output directory (no run.json); choose another or remove it`);
    }
  }
  await writeDirAtomic(dir, async (tmp) => {
    for (const [name, content] of files) await writeFile(join(tmp, name), content);
  });
}
