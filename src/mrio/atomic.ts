/** Atomic output folders: write everything into a temporary sibling, then rename it into place. */
import { existsSync } from 'node:fs';
import { mkdir, rename, rm } from 'node:fs/promises';
import { basename, dirname, join, resolve } from 'node:path';

/**
 * Calls `fill(tmp)` with a fresh temporary folder next to `dir`, then renames it to `dir`. If `dir`
 * exists it is moved aside first and removed only after the rename succeeded, so a reader sees
 * either the old complete folder or the new complete one. On any error the temporary folder is
 * removed and `dir` is left as it was.
 */
export async function writeDirAtomic(dir: string, fill: (tmp: string) => Promise<void>): Promise<void> {
  const target = resolve(dir);
  const parent = dirname(target);
  await mkdir(parent, { recursive: true });
  const tag = `${process.pid}-${Date.now().toString(36)}-${Math.random().toString(36).slice(2, 8)}`;
  const tmp = join(parent, `.${basename(target)}.tmp-${tag}`);
  await mkdir(tmp);
  try {
    await fill(tmp);
  } catch (e) {
    await rm(tmp, { recursive: true, force: true });
    throw e;
  }
  if (existsSync(target)) {
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
  } else {
    await rename(tmp, target);
  }
}
