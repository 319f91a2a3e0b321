import { describe, expect, it } from 'vitest';
import {
  ALPHA,
  bucketKey,
  bucketValue,
  cellStats,
  METRICS,
  quantile,
  sd,
  seriesOf,
  SeriesSum,
  StatsFold,
  type ChunkStats,
} from '../../src/sweep/stats.js';

describe('chunk statistics', () => {
  it('sketch buckets are monotone and read back within ±0.05 % of the value', () => {
    const values = [-1e6, -3.3, -1, -0.002, -1e-9, 0, 1e-9, 0.002, 1, 1.0001, 3.3, 1e6];
    const keys = values.map(bucketKey);
    for (let i = 1; i < keys.length; i++) expect(keys[i]).toBeGreaterThanOrEqual(keys[i - 1]);
    for (const v of values) {
      if (v === 0) expect(bucketValue(bucketKey(v))).toBe(0);
      else expect(Math.abs(bucketValue(bucketKey(v)) / v - 1)).toBeLessThanOrEqual(ALPHA);
    }
  });

  it('counts every bucket as sorting the keys would: one sign, both signs, zeros, NaN, ranges too wide to count densely', () => {
    const cases = [
      Float64Array.from({ length: 3000 }, (_, i) => 5 + Math.sin(i)),
      Float64Array.from({ length: 3000 }, (_, i) => -5 - Math.sin(i)),
      Float64Array.from({ length: 3000 }, (_, i) => (i % 13 === 0 ? NaN : i % 17 === 0 ? 0 : Math.sin(i) * 3 + 0.5)),
      Float64Array.from({ length: 3000 }, (_, i) => (i % 2 ? 1e-200 : -1e200) * (1 + (i % 5))),
      Float64Array.from({ length: 3000 }, (_, i) => (i % 3 ? 1 : -1) * (1 + i * 1e-4)),
    ];
    for (const values of cases) {
      const keys = [...values]
        .filter((v) => !Number.isNaN(v))
        .map(bucketKey)
        .sort((a, b) => a - b);
      const expected = new Map<number, number>();
      keys.forEach((k) => expected.set(k, (expected.get(k) ?? 0) + 1));
      const s = seriesOf(values);
      expect(s.keys).toEqual([...expected.keys()]);
      expect(s.counts).toEqual([...expected.values()]);
    }
  });

  it('cell statistics of many provinces equal those of each province alone', () => {
    const R = 19;
    const draws = 40;
    const cols = Object.fromEntries(
      METRICS.map((m, i) => [m, Float64Array.from({ length: draws * R }, (_, q) => Math.sin(q * (i + 1)) * 10 + (q % R) - 5)]),
    ) as Record<(typeof METRICS)[number], Float64Array>;
    const cls = Uint8Array.from({ length: draws * R }, (_, q) => (q * 7) % 4);
    const base = Float64Array.from({ length: R }, (_, r) => r - 9);
    const all = cellStats(R, draws, cols, cls, base, base, 0);
    for (let r = 0; r < R; r++) {
      const one = (a: Float64Array) => Float64Array.from({ length: draws }, (_, k) => a[k * R + r]);
      const alone = cellStats(
        1,
        draws,
        Object.fromEntries(METRICS.map((m) => [m, one(cols[m])])) as typeof cols,
        Uint8Array.from({ length: draws }, (_, k) => cls[k * R + r]),
        base.subarray(r, r + 1),
        base.subarray(r, r + 1),
        0,
      );
      expect(all.provinces[r]).toEqual(alone.provinces[0]);
    }
  });

  it('merging chunks gives the moments and quantiles of the whole', () => {
    // Both signs, and tiny values far below the rest (keys too far apart for dense counting).
    const all = Float64Array.from({ length: 5000 }, (_, i) => (i % 11 === 0 ? 1e-200 * i : Math.sin(i) * 10 + (i % 7 === 0 ? NaN : 0)));
    const whole = seriesOf(all);
    const parts = [0, 1234, 2000, 4999, 5000].slice(1).map((end, k, ends) => seriesOf(all.subarray(k === 0 ? 0 : ends[k - 1], end)));
    const sum = new SeriesSum();
    parts.forEach((p) => sum.add(p));
    const merged = sum.series();
    expect(merged.n).toBe(whole.n);
    expect(merged.mean).toBeCloseTo(whole.mean, 12);
    expect(sd(merged)).toBeCloseTo(sd(whole), 12);
    expect(merged.keys).toEqual(whole.keys);
    expect(merged.counts).toEqual(whole.counts);
    const sorted = [...all].filter((v) => !Number.isNaN(v)).sort((a, b) => a - b);
    for (const q of [0.05, 0.5, 0.95]) {
      const exact = sorted[Math.round(q * (sorted.length - 1))];
      expect(Math.abs(quantile(merged, q) - exact)).toBeLessThanOrEqual(Math.abs(exact) * ALPHA + 1e-12);
    }
  });

  it('folds chunks arriving in any order (more than it holds, some only on disk) exactly as in chunk order', () => {
    const R = 3;
    const draws = 50;
    const chunks: ChunkStats[] = Array.from({ length: 30 }, (_, k) => {
      const cols = Object.fromEntries(
        METRICS.map((m, i) => [m, Float64Array.from({ length: draws * R }, (_, q) => Math.sin(k * 1000 + q * (i + 1)) * 10 + 20)]),
      ) as Record<(typeof METRICS)[number], Float64Array>;
      const cls = Uint8Array.from({ length: draws * R }, (_, q) => (q * 7 + k) % 4);
      return {
        chunk: k,
        start: k * draws,
        end: (k + 1) * draws,
        cells: { [String(k >> 4)]: cellStats(R, draws, cols, cls, new Float64Array(R).fill(1), new Float64Array(R).fill(-1), 0) },
      };
    });
    const read = (k: number) => JSON.parse(JSON.stringify(chunks[k])) as ChunkStats;
    const inOrder = new StatsFold(30, read, [...Array(30).keys()]).result();
    const fold = new StatsFold(30, read, [0, 1]);
    // The first chunk still missing arrives last: all others wait, most of them on disk.
    for (const k of [29, 28, ...Array.from({ length: 25 }, (_, i) => 27 - i), 2]) fold.add(chunks[k]);
    expect(JSON.stringify([...fold.result()])).toBe(JSON.stringify([...inOrder]));
  });
});
