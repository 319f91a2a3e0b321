/**
 * The real published data in ../shared/data beside the checkout. CI always has it; a clone
 * without it runs every other test and skips those that read it.
 */
import { existsSync } from 'node:fs';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';

export const SHARED_DATA = fileURLToPath(new URL('../../shared/data/', import.meta.url));

/** Whether ../shared/data/<parts…> exists. */
export function hasShared(...parts: string[]): boolean {
  return existsSync(join(SHARED_DATA, ...parts));
}
