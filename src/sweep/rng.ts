/**
 * Reproducible random streams: one xoroshiro128+ stream (pure-rand) per (seed, draw), so a draw's
 * numbers never depend on which worker, shard or chunk computed it, and the same draw number gives
 * the same numbers in every cell of the method grid (common random numbers).
 */
import { uniformFloat64 } from 'pure-rand/distribution/uniformFloat64';
import { xoroshiro128plusFromState } from 'pure-rand/generator/xoroshiro128plus';
import normalQuantile from '@stdlib/stats-base-dists-normal-quantile';
import type { Distribution } from './spec.js';

/** murmur3's 32-bit finaliser: spreads (seed, draw, lane) over the 128-bit state. */
export function fmix32(h: number): number {
  h ^= h >>> 16;
  h = Math.imul(h, 0x85ebca6b);
  h ^= h >>> 13;
  h = Math.imul(h, 0xc2b2ae35);
  h ^= h >>> 16;
  return h | 0;
}

export class DrawStream {
  private readonly rng;
  private spare = NaN;

  constructor(seed: number, draw: number) {
    const lo = draw >>> 0;
    const hi = Math.floor(draw / 0x100000000) >>> 0;
    const mix = (lane: number) => fmix32(fmix32(fmix32(seed ^ Math.imul(lane, 0x9e3779b9)) ^ lo) ^ Math.imul(hi + 1, 0x7feb352d));
    const s = [mix(1), mix(2), mix(3), mix(4)];
    if ((s[0] | s[1] | s[2] | s[3]) === 0) s[0] = 1;
    this.rng = xoroshiro128plusFromState(s);
  }

  /** Uniform on [0, 1). */
  uniform(): number {
    return uniformFloat64(this.rng);
  }

  /** Standard normal (Marsaglia's polar method; the second value is kept for the next call). */
  normal(): number {
    if (!Number.isNaN(this.spare)) {
      const z = this.spare;
      this.spare = NaN;
      return z;
    }
    let u: number;
    let v: number;
    let s: number;
    do {
      u = 2 * this.uniform() - 1;
      v = 2 * this.uniform() - 1;
      s = u * u + v * v;
    } while (s >= 1 || s === 0);
    const f = Math.sqrt((-2 * Math.log(s)) / s);
    this.spare = v * f;
    return u * f;
  }

  /** One draw of a multiplier from `d`. */
  sample(d: Distribution): number {
    switch (d.type) {
      case 'normal':
        return d.mean + d.sd * this.normal();
      case 'lognormal':
        return Math.exp(d.meanlog + d.sdlog * this.normal());
      case 'uniform':
      case 'triangular':
        return inverseCdf(d, this.uniform());
    }
  }

  fill(d: Distribution, out: Float64Array): void {
    for (let i = 0; i < out.length; i++) out[i] = this.sample(d);
  }
}

/** The multiplier at probability u ∈ (0, 1) of `d` (its inverse distribution function). */
export function inverseCdf(d: Distribution, u: number): number {
  switch (d.type) {
    case 'normal':
      return d.mean + d.sd * normalQuantile(u, 0, 1);
    case 'lognormal':
      return Math.exp(d.meanlog + d.sdlog * normalQuantile(u, 0, 1));
    case 'uniform':
      return d.min + (d.max - d.min) * u;
    case 'triangular': {
      const { min: a, mode: c, max: b } = d;
      const f = (c - a) / (b - a);
      return u < f ? a + Math.sqrt(u * (b - a) * (c - a)) : b - Math.sqrt((1 - u) * (b - a) * (b - c));
    }
  }
}
