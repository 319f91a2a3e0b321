/** Shared fixtures for the kernel tests: seeded random matrices and comparisons. */
import { uniformFloat64 } from 'pure-rand/distribution/uniformFloat64';
import { xoroshiro128plus } from 'pure-rand/generator/xoroshiro128plus';
import { loadKernel } from '../../src/kernel/index.js';
import type { Kernel } from '../../src/kernel/index.js';

/** Deterministic uniform [0, 1) generator (pure-rand's xoroshiro128+). */
export function rng(seed: number): () => number {
  const g = xoroshiro128plus(seed);
  return () => uniformFloat64(g);
}

/** A dense well-conditioned matrix: uniform in [−1, 1] plus n on the diagonal. */
export function wellConditioned(n: number, seed: number): Float64Array {
  const r = rng(seed);
  const a = new Float64Array(n * n);
  for (let i = 0; i < n * n; i++) a[i] = 2 * r() - 1;
  for (let i = 0; i < n; i++) a[i * n + i]! += n;
  return a;
}

/** A general random matrix (no diagonal boost): exercises pivoting. */
export function general(n: number, seed: number): Float64Array {
  const r = rng(seed);
  const a = new Float64Array(n * n);
  for (let i = 0; i < n * n; i++) a[i] = 2 * r() - 1;
  return a;
}

/** A nonnegative technical-coefficient matrix whose column sums are ≤ colSum (< 1): productive. */
export function substochastic(n: number, seed: number, colSum = 0.7, density = 1): Float64Array {
  const r = rng(seed);
  const a = new Float64Array(n * n);
  for (let j = 0; j < n; j++) {
    let s = 0;
    for (let i = 0; i < n; i++) {
      const v = r() < density ? r() : 0;
      a[i * n + j] = v;
      s += v;
    }
    const target = colSum * (0.5 + 0.5 * r());
    if (s > 0) for (let i = 0; i < n; i++) a[i * n + j] = (a[i * n + j]! / s) * target;
  }
  return a;
}

export function randomVectors(n: number, k: number, seed: number): Float64Array {
  const r = rng(seed);
  const b = new Float64Array(n * k);
  for (let i = 0; i < b.length; i++) b[i] = r() * 10;
  return b;
}

/** Normwise relative difference ‖x − y‖∞ / ‖y‖∞. */
export function relDiff(x: Float64Array, y: Float64Array): number {
  if (x.length !== y.length) throw new Error(`length ${x.length} ≠ ${y.length}`);
  let d = 0;
  let m = 0;
  for (let i = 0; i < x.length; i++) {
    d = Math.max(d, Math.abs(x[i]! - y[i]!));
    m = Math.max(m, Math.abs(y[i]!));
  }
  return m === 0 ? d : d / m;
}

/** Dense → CSR (explicit zeros dropped). */
export function toCSR(a: Float64Array, n: number) {
  const rowPtr = new Int32Array(n + 1);
  const cols: number[] = [];
  const vals: number[] = [];
  for (let i = 0; i < n; i++) {
    for (let j = 0; j < n; j++) {
      const v = a[i * n + j]!;
      if (v !== 0) {
        cols.push(j);
        vals.push(v);
      }
    }
    rowPtr[i + 1] = cols.length;
  }
  return { n, rowPtr, colIdx: Int32Array.from(cols), values: Float64Array.from(vals) };
}

let wasm: Promise<Kernel> | null = null;
/** The wasm kernel (requires `npm run build:wasm` first). */
export function wasmKernel(): Promise<Kernel> {
  wasm ??= loadKernel();
  return wasm;
}
