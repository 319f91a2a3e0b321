/**
 * First-order and total Sobol' indices from Saltelli's design: S_f by Saltelli et al. (2010),
 * S_Tf by Jansen (1999), each as a ratio of sums over the base samples, so that chunks add up their
 * sums and the fold of the chunks (in chunk order) gives the same bytes however the sweep was split.
 *
 * Sums are kept per block of consecutive base samples (BLOCKS per cell); the bootstrap resamples the
 * blocks, not single samples: a replicate costs BLOCKS additions per sum instead of n. With
 * independent samples the two agree for large n; with a scrambled Sobol' sequence a block's sums vary
 * more than the whole sequence's error, so the intervals are on the safe side.
 */
import { DrawStream } from './rng.js';

export const BLOCKS = 64;

/** Sums per output: count, Σy_A, Σy_A², Σy_B, Σy_B², then per factor Σy_B(y_AB − y_A), Σ(y_AB − y_A), Σ(y_A − y_AB)². */
function sumsPerOutput(k: number): number {
  return 5 + 3 * k;
}

/** The block of base sample i among n. */
function blockOf(i: number, n: number): number {
  return Math.floor((i * BLOCKS) / n);
}

/**
 * Adds base samples [i0, i1) of a cell (of n) to their blocks' sums. `cols` are row arrays, one per
 * metric (row = evaluation·R + r); evaluation (i − i0)·(k + 2) + role starts at row `off` / R. Values
 * are taken relative to `centers` (per metric and output; NaN counts as 0), which keeps the sums of
 * squares well conditioned. A base sample where an output has no value (NaN) in any of its k + 2
 * evaluations is left out of that output's sums.
 */
export function accumulateSamples(
  blocks: Map<number, Float64Array>,
  k: number,
  R: number,
  n: number,
  i0: number,
  i1: number,
  cols: readonly Float64Array[],
  off: number,
  centers: readonly Float64Array[],
): void {
  const M = cols.length;
  const S = sumsPerOutput(k);
  const e = k + 2;
  for (let i = i0; i < i1; i++) {
    const b = blockOf(i, n);
    let sums = blocks.get(b);
    if (!sums) {
      sums = new Float64Array(R * M * S);
      blocks.set(b, sums);
    }
    const rowA = off + (i - i0) * e * R;
    for (let m = 0; m < M; m++) {
      const col = cols[m];
      const center = centers[m];
      for (let r = 0; r < R; r++) {
        const c = Number.isNaN(center[r]) ? 0 : center[r];
        const yA = col[rowA + r] - c;
        const yB = col[rowA + R + r] - c;
        let ok = yA === yA && yB === yB;
        for (let f = 0; f < k && ok; f++) ok = col[rowA + (2 + f) * R + r] === col[rowA + (2 + f) * R + r];
        if (!ok) continue;
        const o = (r * M + m) * S;
        sums[o] += 1;
        sums[o + 1] += yA;
        sums[o + 2] += yA * yA;
        sums[o + 3] += yB;
        sums[o + 4] += yB * yB;
        for (let f = 0; f < k; f++) {
          const dAB = col[rowA + (2 + f) * R + r] - c - yA;
          const q = o + 5 + 3 * f;
          sums[q] += yB * dAB;
          sums[q + 1] += dAB;
          sums[q + 2] += dAB * dAB;
        }
      }
    }
  }
}

/** Block sums as JSON (−0 written as 0, so a chunk read back from its file folds to the same bytes). */
export function blocksJson(blocks: Map<number, Float64Array>): Record<string, number[]> {
  const out: Record<string, number[]> = {};
  for (const [b, sums] of [...blocks].sort((x, y) => x[0] - y[0])) out[String(b)] = Array.from(sums, (v) => v + 0);
  return out;
}

/** Adds a chunk's block sums (blocksJson) into `into`, per block. */
export function addBlocks(into: Map<number, Float64Array>, blocks: Record<string, number[]>): void {
  for (const [b, sums] of Object.entries(blocks)) {
    const key = Number(b);
    const acc = into.get(key);
    if (!acc) into.set(key, Float64Array.from(sums));
    else for (let j = 0; j < sums.length; j++) acc[j] += sums[j];
  }
}

/**
 * Indices of every output and factor (index o·k + f) from total sums: V the variance of y over A and
 * B; S1 = (Σy_B(y_AB − y_A) − ȳ Σ(y_AB − y_A)) / (count·V), i.e. Saltelli 2010 with y centred on its
 * mean; ST = Σ(y_A − y_AB)² / (2·count·V). NaN where V = 0 or there is no sample.
 */
function estimate(sums: Float64Array, outputs: number, k: number, S1: Float64Array, ST: Float64Array, V?: Float64Array): void {
  const S = sumsPerOutput(k);
  for (let o = 0; o < outputs; o++) {
    const p = o * S;
    const cnt = sums[p];
    const mean = (sums[p + 1] + sums[p + 3]) / (2 * cnt);
    const v = (sums[p + 2] + sums[p + 4]) / (2 * cnt) - mean * mean;
    if (V) V[o] = cnt > 0 ? v : NaN;
    for (let f = 0; f < k; f++) {
      const q = p + 5 + 3 * f;
      const ok = cnt > 0 && v > 0;
      S1[o * k + f] = ok ? (sums[q] - mean * sums[q + 1]) / cnt / v : NaN;
      ST[o * k + f] = ok ? sums[q + 2] / (2 * cnt) / v : NaN;
    }
  }
}

export interface SobolIndices {
  outputs: number;
  k: number;
  /** Per output: the variance of y; per output × factor (o·k + f): the estimates and their interval. */
  V: Float64Array;
  S1: Float64Array;
  S1lo: Float64Array;
  S1hi: Float64Array;
  ST: Float64Array;
  STlo: Float64Array;
  SThi: Float64Array;
}

/** Linear interpolation between order statistics (type 7) of sorted values. */
function percentile(sorted: Float64Array, p: number): number {
  const h = (sorted.length - 1) * p;
  const lo = Math.floor(h);
  const hi = Math.min(lo + 1, sorted.length - 1);
  return sorted[lo] + (h - lo) * (sorted[hi] - sorted[lo]);
}

/**
 * The indices and their bootstrap percentile intervals from a cell's block sums: `bootstrap`
 * replicates, each BLOCKS blocks drawn with replacement (streams seeded from `seed`).
 */
export function sobolIndices(
  blocks: Map<number, Float64Array>,
  outputs: number,
  k: number,
  bootstrap: number,
  confidence: number,
  seed: number,
): SobolIndices {
  const len = outputs * sumsPerOutput(k);
  const list = Array.from({ length: BLOCKS }, (_, b) => blocks.get(b) ?? new Float64Array(len));
  const total = new Float64Array(len);
  for (const s of list) for (let j = 0; j < len; j++) total[j] += s[j];
  const ok = outputs * k;
  const r: SobolIndices = {
    outputs,
    k,
    V: new Float64Array(outputs),
    S1: new Float64Array(ok),
    S1lo: new Float64Array(ok).fill(NaN),
    S1hi: new Float64Array(ok).fill(NaN),
    ST: new Float64Array(ok),
    STlo: new Float64Array(ok).fill(NaN),
    SThi: new Float64Array(ok).fill(NaN),
  };
  estimate(total, outputs, k, r.S1, r.ST, r.V);
  if (bootstrap === 0) return r;
  const repS1 = new Float64Array(bootstrap * ok);
  const repST = new Float64Array(bootstrap * ok);
  const weights = new Float64Array(BLOCKS);
  const sums = new Float64Array(len);
  for (let rep = 0; rep < bootstrap; rep++) {
    const rng = new DrawStream(seed ^ 0x50b01, rep);
    weights.fill(0);
    for (let j = 0; j < BLOCKS; j++) weights[Math.floor(rng.uniform() * BLOCKS)]++;
    sums.fill(0);
    for (let b = 0; b < BLOCKS; b++) {
      const w = weights[b];
      if (w === 0) continue;
      const s = list[b];
      for (let j = 0; j < len; j++) sums[j] += w * s[j];
    }
    estimate(sums, outputs, k, repS1.subarray(rep * ok, (rep + 1) * ok), repST.subarray(rep * ok, (rep + 1) * ok));
  }
  const tail = (1 - confidence) / 2;
  const values = new Float64Array(bootstrap);
  for (const [rep, lo, hi] of [
    [repS1, r.S1lo, r.S1hi],
    [repST, r.STlo, r.SThi],
  ] as const) {
    for (let j = 0; j < ok; j++) {
      let finite = true;
      for (let b = 0; b < bootstrap; b++) {
        values[b] = rep[b * ok + j];
        if (!Number.isFinite(values[b])) finite = false;
      }
      if (!finite) continue;
      values.sort();
      lo[j] = percentile(values, tail);
      hi[j] = percentile(values, 1 - tail);
    }
  }
  return r;
}
