import { readFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { hasShared, SHARED_DATA } from '../shared-data.js';

const here = dirname(fileURLToPath(import.meta.url));
export const DATA = SHARED_DATA;
export const FIXTURES = join(here, 'fixtures');
export const hasData = hasShared('cn-io-2017', 'provinces');

export function bytesOf(path: string): Uint8Array {
  const b = readFileSync(path);
  return new Uint8Array(b.buffer, b.byteOffset, b.byteLength);
}

/** 6 groups of the 42 IO sectors: 1; 2–5; 6–23; 24–26; 27; 28–42 (src/model/README.md). */
function group6(sectorIndex: number): number {
  const s = sectorIndex + 1;
  if (s === 1) return 0;
  if (s <= 5) return 1;
  if (s <= 23) return 2;
  if (s <= 26) return 3;
  if (s === 27) return 4;
  return 5;
}

export function sharesBy6(v: Float64Array): number[] {
  const g = [0, 0, 0, 0, 0, 0];
  let total = 0;
  v.forEach((x, i) => {
    g[group6(i)]! += x;
    total += x;
  });
  return g.map((x) => (100 * x) / total);
}
