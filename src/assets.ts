import { existsSync } from 'node:fs';
import { fileURLToPath } from 'node:url';

/**
 * Absolute path of a file shipped with the package (e.g. "data/sectors.csv", "package.json").
 * Modules run from src/ (tests, tsx) and from dist/src/ (the built CLI), so the package root is
 * one or two levels above this file.
 */
export function packagePath(rel: string): string {
  for (const up of ['../', '../../']) {
    const path = fileURLToPath(new URL(up + rel, import.meta.url));
    if (existsSync(path)) return path;
  }
  throw new Error(`embodied: packaged file ${rel} not found (is the package installed completely?)`);
}
