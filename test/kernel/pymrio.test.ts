/**
 * pymrio's bundled test MRIO (6 regions × 8 sectors), read from ../shared/data as distributed:
 * x = Z1 + Y1, A = Z diag(x)⁻¹, L = (I − A)⁻¹ must match what pymrio 0.6 computed
 * (expected/core_L.csv, region-major) to 1e-10 relative. The small TSV parsing stays here;
 * the real pymrio reader lives in src/io.
 */
import { readFileSync } from 'node:fs';
import { beforeAll, describe, expect, it } from 'vitest';
import { referenceKernel, type Kernel } from '../../src/kernel/index.js';
import { hasShared, SHARED_DATA } from '../shared-data.js';
import { relDiff, wasmKernel } from './helpers.js';

const root = `${SHARED_DATA}pymrio-test/`;

/** pymrio's text format: header rows (region, sector/category, index names), then 2 label columns. */
function readPymrioTable(file: string): { rows: string[]; data: number[][] } {
  const lines = readFileSync(root + file, 'utf8')
    .split(/\r?\n/)
    .filter((l) => l.trim() !== '');
  const rows: string[] = [];
  const data: number[][] = [];
  for (const line of lines) {
    const cells = line.split('\t');
    const values = cells.slice(2).map(Number);
    if (cells[0] === 'region' || values.length === 0 || values.some((v) => Number.isNaN(v))) continue;
    rows.push(`${cells[0]}|${cells[1]}`);
    data.push(values);
  }
  return { rows, data };
}

/** A plain CSV of numbers, tolerating a header row and leading label columns. */
function readNumericCsv(file: string, width: number): number[][] {
  const out: number[][] = [];
  for (const line of readFileSync(root + file, 'utf8').split(/\r?\n/)) {
    if (!line.trim()) continue;
    const cells = line.split(',').slice(-width).map(Number);
    if (cells.length === width && cells.every((v) => Number.isFinite(v))) out.push(cells);
  }
  return out;
}

let kernels: Kernel[];
let n: number;
let A: Float64Array;
let Lexpected: Float64Array;
let xExpected: number[];
let x: number[];

beforeAll(async () => {
  kernels = [referenceKernel, await wasmKernel()];
  const Z = readPymrioTable('native/Z.txt');
  const Y = readPymrioTable('native/Y.txt');
  n = Z.rows.length;
  expect(Y.rows).toEqual(Z.rows);
  x = Z.data.map((row, i) => row.reduce((s, v) => s + v, 0) + Y.data[i]!.reduce((s, v) => s + v, 0));
  A = new Float64Array(n * n);
  for (let i = 0; i < n; i++) for (let j = 0; j < n; j++) A[i * n + j] = x[j] === 0 ? 0 : Z.data[i]![j]! / x[j]!;
  Lexpected = Float64Array.from(readNumericCsv('expected/core_L.csv', n).flat());
  xExpected = readNumericCsv('expected/core_x.csv', 1).flat();
});

describe.skipIf(!hasShared('pymrio-test'))('pymrio test system', () => {
  it('has 48 sectors and the expected output x', () => {
    expect(n).toBe(48);
    expect(Lexpected.length).toBe(n * n);
    expect(relDiff(Float64Array.from(x), Float64Array.from(xExpected))).toBeLessThan(1e-12);
  });

  it.each(['reference', 'wasm'])('%s kernel: L matches pymrio to 1e-10 relative', (name) => {
    const k = kernels.find((kk) => kk.name === name)!;
    const L = k.leontief(A, n);
    expect(relDiff(L, Lexpected)).toBeLessThan(1e-10);
    // Entry by entry as well, relative to each entry (L is positive here).
    let worst = 0;
    for (let i = 0; i < n * n; i++) worst = Math.max(worst, Math.abs(L[i]! - Lexpected[i]!) / Math.abs(Lexpected[i]!));
    expect(worst).toBeLessThan(1e-10);
  });

  it.each(['reference', 'wasm'])('%s kernel: x = L y for the total final demand', (name) => {
    const k = kernels.find((kk) => kk.name === name)!;
    const Y = readPymrioTable('native/Y.txt');
    const y = Float64Array.from(Y.data.map((r) => r.reduce((s, v) => s + v, 0)));
    expect(relDiff(k.solve(A, n, y, { leontief: true }), Float64Array.from(x))).toBeLessThan(1e-12);
  });
});
