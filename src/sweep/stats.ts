/**
 * Mergeable per-chunk statistics: moments (two-pass per chunk, merged with Chan's formula in chunk order), a
 * log-bucket quantile sketch (relative accuracy ALPHA, counts merged exactly), class counts, sign
 * changes against the base run and CTT > 1 counts. Summaries are folds of the chunks in chunk order,
 * so a sweep run in one piece, resumed, or merged from shards gives the same bytes.
 */
import { addBlocks } from './sobol-indices.js';

/**
 * The sketch's buckets split every binary octave into 1024 equal steps, read straight from the bits
 * of the double (exponent and the top 10 mantissa bits, no logarithm): a bucket is at most 1/1024 of
 * its lower bound wide, so a quantile read at the bucket's middle is within ±0.05 % of the value.
 */
export const ALPHA = 1 / 2048;
const TINY = 1e-300;
const f64 = new Float64Array(1);
const u32 = new Uint32Array(f64.buffer);
const HI = new Uint8Array(new Uint16Array([1]).buffer)[0] === 1 ? 1 : 0;

export const METRICS = ['N', 'NP', 'T', 'CTT', 'CTTp'] as const;
export type Metric = (typeof METRICS)[number];

export interface Series {
  /** Values counted (CTT and CTTp skip draws where they have no value). */
  n: number;
  mean: number;
  m2: number;
  /** Sketch bucket keys (ascending in value: negative, 0, positive) and their counts. */
  keys: number[];
  counts: number[];
}

interface ProvinceStats {
  series: Record<Metric, Series>;
  /** Draws in each class I..IV. */
  classes: [number, number, number, number];
  /** Draws where the sign of N (NP) differs from the base run's. */
  flipN: number;
  flipNP: number;
  /** Draws with CTT > 1 and CTTp > 1. */
  cttAbove1: number;
  cttpAbove1: number;
}

export interface CellStats {
  draws: number;
  provinces: ProvinceStats[];
}

/** The bucket of v, given the high 32 bits of its double (sign, exponent, top 20 mantissa bits). */
function keyOf(v: number, high: number): number {
  const a = v < 0 ? -v : v;
  if (a < TINY) return 0;
  const k = ((high & 0x7fffffff) >>> 10) + 1;
  return v > 0 ? k : -k;
}

export function bucketKey(v: number): number {
  f64[0] = v;
  return keyOf(v, u32[HI]);
}

export function bucketValue(key: number): number {
  if (key === 0) return 0;
  const idx = Math.abs(key) - 1;
  const exponent = idx >>> 10;
  const mantissa = idx & 1023;
  const v = 2 ** (exponent - 1023) * (1 + (mantissa + 0.5) / 1024);
  return key > 0 ? v : -v;
}

const DENSE = 1 << 16;
/** Provinces whose series cellStats gathers in one pass over the rows. */
const GATHER = 8;
let gather: Float64Array[] = METRICS.map(() => new Float64Array(0));
let gatherCls = new Uint8Array(0);
let scratchKeys = new Int32Array(0);
let scratchCounts = new Int32Array(0);

/** Series of `values` (NaN skipped), in order. */
export function seriesOf(values: Float64Array): Series {
  if (scratchKeys.length < values.length) scratchKeys = new Int32Array(values.length);
  const keys = scratchKeys;
  // The values' own bytes give each bucket: no copy through a scratch double per value.
  const words = new Uint32Array(values.buffer, values.byteOffset, 2 * values.length);
  let lo = Infinity;
  let hi = -Infinity;
  // Two passes (sum, then squared deviations): no division in the loop, and as exact as Welford.
  let n = 0;
  let sum = 0;
  for (let i = 0; i < values.length; i++) {
    const v = values[i];
    if (v !== v) continue;
    sum += v;
    const k = keyOf(v, words[2 * i + HI]);
    keys[n++] = k;
    if (k < lo) lo = k;
    if (k > hi) hi = k;
  }
  const mean = n > 0 ? sum / n : 0;
  // Values of both signs have keys near −2^20 and +2^20: the empty range between the largest
  // negative and the smallest non-negative key (gap) is left out of the counting array.
  let gap = 0;
  let negHi = hi;
  if (lo < 0 && hi >= 0) {
    let posLo = hi;
    negHi = lo;
    for (let i = 0; i < n; i++) {
      const k = keys[i];
      if (k < 0) {
        if (k > negHi) negHi = k;
      } else if (k < posLo) posLo = k;
    }
    gap = posLo - negHi - 1;
  }
  const width = hi - lo - gap;
  // Counting over the key range (one sign: a spread of a few hundred buckets; both: two such),
  // in the pass of the squared deviations.
  const dense = n > 0 && width < DENSE && width < Math.max(1024, 4 * n);
  const span = dense ? width + 1 : 0;
  if (scratchCounts.length < span) scratchCounts = new Int32Array(Math.max(span, 1024));
  const cnt = scratchCounts;
  cnt.fill(0, 0, span);
  let m2 = 0;
  for (let i = 0, j = 0; i < values.length; i++) {
    const v = values[i];
    if (v !== v) continue;
    const dv = v - mean;
    m2 += dv * dv;
    if (dense) {
      const k = keys[j++];
      cnt[k < 0 ? k - lo : k - lo - gap]++;
    }
  }
  const outKeys: number[] = [];
  const counts: number[] = [];
  if (dense) {
    const split = negHi - lo;
    for (let j = 0; j < span; j++) {
      if (cnt[j] !== 0) {
        outKeys.push(j > split ? j + lo + gap : j + lo);
        counts.push(cnt[j]);
      }
    }
    return { n, mean, m2, keys: outKeys, counts };
  }
  const sorted = keys.subarray(0, n).sort();
  for (let i = 0; i < n; ) {
    let j = i + 1;
    while (j < n && sorted[j] === sorted[i]) j++;
    outKeys.push(sorted[i]);
    counts.push(j - i);
    i = j;
  }
  return { n, mean, m2, keys: outKeys, counts };
}

/** Widest key range counted in a dense array (64 binary octaves); wider ranges use a map. */
const DENSE_SUM = 1 << 16;

/** Counts per bucket key: a dense array over the keys seen while they span at most DENSE_SUM, then a map. */
class KeyCounts {
  private lo = 0;
  private dense = new Float64Array(0);
  private sparse: Map<number, number> | undefined;

  /** Adds counts[i] to keys[i] for i in [from, to) (keys ascending). */
  add(keys: number[], counts: number[], from: number, to: number): void {
    if (from === to) return;
    if (!this.sparse) this.cover(keys[from], keys[to - 1]);
    const sparse = this.sparse;
    if (sparse) {
      for (let i = from; i < to; i++) sparse.set(keys[i], (sparse.get(keys[i]) ?? 0) + counts[i]);
      return;
    }
    const dense = this.dense;
    const lo = this.lo;
    for (let i = from; i < to; i++) dense[keys[i] - lo] += counts[i];
  }

  /** Appends the keys with a count, ascending, and their counts. */
  collect(keys: number[], counts: number[]): void {
    if (this.sparse) {
      for (const k of [...this.sparse.keys()].sort((a, b) => a - b)) {
        keys.push(k);
        counts.push(this.sparse.get(k)!);
      }
      return;
    }
    for (let j = 0; j < this.dense.length; j++) {
      if (this.dense[j] !== 0) {
        keys.push(this.lo + j);
        counts.push(this.dense[j]);
      }
    }
  }

  /** Widens the dense range to [a, b], or moves the counts to a map if that gets too wide. */
  private cover(a: number, b: number): void {
    const used = this.dense.length > 0;
    const top = this.lo + this.dense.length - 1;
    const lo = used ? Math.min(this.lo, a) : a;
    const hi = used ? Math.max(top, b) : b;
    if (used && lo === this.lo && hi === top) return;
    if (hi - lo >= DENSE_SUM) {
      this.sparse = new Map();
      for (let j = 0; j < this.dense.length; j++) if (this.dense[j] !== 0) this.sparse.set(this.lo + j, this.dense[j]);
      return;
    }
    const dense = new Float64Array(hi - lo + 1);
    if (used) dense.set(this.dense, this.lo - lo);
    this.dense = dense;
    this.lo = lo;
  }
}

/**
 * A running merge of series, in the order they are added: moments by Chan's formula, bucket counts
 * summed per key (negative and non-negative keys apart: a series whose values change sign has keys
 * near −2^20 and +2^20). Each addition costs the size of the series added, not of everything merged so far.
 */
export class SeriesSum {
  private n = 0;
  private mean = 0;
  private m2 = 0;
  private readonly negative = new KeyCounts();
  private readonly nonNegative = new KeyCounts();

  add(s: Series): void {
    if (s.n === 0) return;
    if (this.n === 0) {
      this.mean = s.mean;
      this.m2 = s.m2;
    } else {
      const n = this.n + s.n;
      const delta = s.mean - this.mean;
      this.mean = this.mean + (delta * s.n) / n;
      this.m2 = this.m2 + s.m2 + (delta * delta * this.n * s.n) / n;
    }
    this.n += s.n;
    const { keys, counts } = s;
    let split = 0;
    while (split < keys.length && keys[split] < 0) split++;
    this.negative.add(keys, counts, 0, split);
    this.nonNegative.add(keys, counts, split, keys.length);
  }

  series(): Series {
    const keys: number[] = [];
    const counts: number[] = [];
    this.negative.collect(keys, counts);
    this.nonNegative.collect(keys, counts);
    return { n: this.n, mean: this.mean, m2: this.m2, keys, counts };
  }
}

/** The q-quantile (nearest rank on the sketch), NaN for an empty series. */
export function quantile(s: Series, q: number): number {
  if (s.n === 0) return NaN;
  const rank = Math.min(s.n - 1, Math.max(0, Math.round(q * (s.n - 1))));
  let seen = 0;
  for (let i = 0; i < s.keys.length; i++) {
    seen += s.counts[i];
    if (seen > rank) return bucketValue(s.keys[i]);
  }
  return bucketValue(s.keys[s.keys.length - 1]);
}

export function sd(s: Series): number {
  return s.n > 1 ? Math.sqrt(s.m2 / (s.n - 1)) : s.n === 1 ? 0 : NaN;
}

/**
 * Statistics of `draws` draws of one cell from row arrays laid out draw-major (row = draw·R + r).
 * `baseN`/`baseNP` are the cell's base run, for sign changes.
 */
export function cellStats(
  R: number,
  draws: number,
  cols: Record<Metric, Float64Array>,
  cls: Uint8Array,
  baseN: Float64Array,
  baseNP: Float64Array,
  offset: number,
): CellStats {
  const provinces: ProvinceStats[] = [];
  if (gatherCls.length < GATHER * draws) {
    gather = METRICS.map(() => new Float64Array(GATHER * draws));
    gatherCls = new Uint8Array(GATHER * draws);
  }
  const [gN, gNP, gT, gCTT, gCTTp] = gather;
  const { N, NP, T, CTT, CTTp } = cols;
  for (let r0 = 0; r0 < R; r0 += GATHER) {
    const width = Math.min(GATHER, R - r0);
    // Rows are draw-major: GATHER provinces' values of a draw share a cache line or two, so they are
    // gathered together (one province per pass read a line per value of every column).
    for (let k = 0; k < draws; k++) {
      const row = offset + k * R + r0;
      for (let p = 0; p < width; p++) {
        const q = p * draws + k;
        gN[q] = N[row + p];
        gNP[q] = NP[row + p];
        gT[q] = T[row + p];
        gCTT[q] = CTT[row + p];
        gCTTp[q] = CTTp[row + p];
        gatherCls[q] = cls[row + p];
      }
    }
    for (let p = 0; p < width; p++) {
      const r = r0 + p;
      const from = p * draws;
      const to = from + draws;
      const classes: [number, number, number, number] = [0, 0, 0, 0];
      let flipN = 0;
      let flipNP = 0;
      let cttAbove1 = 0;
      let cttpAbove1 = 0;
      const sN = Math.sign(baseN[r]);
      const sNP = Math.sign(baseNP[r]);
      for (let q = from; q < to; q++) {
        classes[gatherCls[q]]++;
        if (Math.sign(gN[q]) !== sN) flipN++;
        if (Math.sign(gNP[q]) !== sNP) flipNP++;
        if (gCTT[q] > 1) cttAbove1++;
        if (gCTTp[q] > 1) cttpAbove1++;
      }
      const series = {} as Record<Metric, Series>;
      METRICS.forEach((m, i) => (series[m] = seriesOf(gather[i].subarray(from, to))));
      provinces.push({ series, classes, flipN, flipNP, cttAbove1, cttpAbove1 });
    }
  }
  return { draws, provinces };
}

/** Statistics of one chunk: per grid cell it touches. */
export interface ChunkStats {
  chunk: number;
  start: number;
  end: number;
  cells: Record<string, CellStats>;
  /** With a sobol section: per grid cell, the Sobol' sums of each block of base samples (sobol-indices.ts). */
  sobol?: Record<string, Record<string, number[]>>;
}

/** Chunks a fold keeps in memory while waiting for an earlier one; later arrivals are read back from their files. */
const HOLD = 8;

/**
 * Folds chunk statistics in chunk order, per grid cell, whatever order they arrive in: a chunk is
 * merged as soon as every chunk before it has been (Chan's merge is exact only up to rounding, so
 * the order is fixed). Chunks that are only on disk (computed earlier: resume, merge; or arrived
 * while HOLD others were waiting) are read with `read` when their turn comes.
 */
export class StatsFold {
  private readonly sums = new Map<number, { draws: number; provinces: ProvinceSum[] }>();
  /** Sobol' block sums per grid cell (sweeps with a sobol section), folded in chunk order too. */
  readonly sobol = new Map<number, Map<number, Float64Array>>();
  private next = 0;
  private readonly held = new Map<number, ChunkStats>();
  private readonly onDisk: Set<number>;

  constructor(
    private readonly chunks: number,
    private readonly read: (chunk: number) => ChunkStats,
    onDisk: Iterable<number>,
  ) {
    this.onDisk = new Set(onDisk);
  }

  /** A chunk just computed (its files written). */
  add(s: ChunkStats): void {
    if (s.chunk === this.next || this.held.size < HOLD) this.held.set(s.chunk, s);
    else this.onDisk.add(s.chunk);
    this.advance();
  }

  /** The folded statistics per grid cell; every chunk must be there. */
  result(): Map<number, CellStats> {
    this.advance();
    if (this.next < this.chunks) throw new Error(`sweep statistics: chunk ${this.next} is missing`);
    const cells = new Map<number, CellStats>();
    for (const [c, sum] of this.sums) {
      cells.set(c, {
        draws: sum.draws,
        provinces: sum.provinces.map((p) => {
          const series = {} as Record<Metric, Series>;
          METRICS.forEach((m, i) => (series[m] = p.series[i].series()));
          return { ...p.counts, series };
        }),
      });
    }
    return cells;
  }

  private advance(): void {
    while (this.next < this.chunks) {
      const k = this.next;
      const s = this.held.get(k) ?? (this.onDisk.has(k) ? this.read(k) : undefined);
      if (!s) return;
      this.held.delete(k);
      this.onDisk.delete(k);
      this.next++;
      for (const [c, blocks] of Object.entries(s.sobol ?? {})) {
        let into = this.sobol.get(Number(c));
        if (!into) {
          into = new Map();
          this.sobol.set(Number(c), into);
        }
        addBlocks(into, blocks);
      }
      for (const [c, st] of Object.entries(s.cells)) {
        let sum = this.sums.get(Number(c));
        if (!sum) {
          sum = {
            draws: 0,
            provinces: st.provinces.map(() => ({
              series: METRICS.map(() => new SeriesSum()),
              counts: { classes: [0, 0, 0, 0], flipN: 0, flipNP: 0, cttAbove1: 0, cttpAbove1: 0 },
            })),
          };
          this.sums.set(Number(c), sum);
        }
        sum.draws += st.draws;
        st.provinces.forEach((p, r) => {
          const acc = sum.provinces[r];
          METRICS.forEach((m, i) => acc.series[i].add(p.series[m]));
          const t = acc.counts;
          p.classes.forEach((x, i) => (t.classes[i] += x));
          t.flipN += p.flipN;
          t.flipNP += p.flipNP;
          t.cttAbove1 += p.cttAbove1;
          t.cttpAbove1 += p.cttpAbove1;
        });
      }
    }
  }
}

interface ProvinceSum {
  series: SeriesSum[];
  counts: Omit<ProvinceStats, 'series'>;
}
