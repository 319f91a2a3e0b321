/**
 * Saltelli's design for Sobol' indices over the Monte Carlo groups (each group one factor, however many
 * multipliers it draws). Base sample i of a grid cell is k + 2 consecutive evaluations: A_i, B_i and
 * A_B^(f)_i (A_i with factor f's multipliers taken from B_i), f = 0 … k−1. A and B take their uniforms
 * from a scrambled Sobol' sequence (or from the draw streams with sequence: random), mapped to each
 * group's distribution by its inverse distribution function.
 */
import { DrawStream, fmix32, inverseCdf } from './rng.js';
import { owenScramble, SOBOL_DIMENSIONS, sobolInteger, unitOf } from './sobol-sequence.js';
import type { Distribution, SweepSpec } from './spec.js';

/** Evaluations of one base sample: A, B and one A_B per factor. */
export function evaluationsPerSample(spec: SweepSpec): number {
  return spec.montecarlo.length + 2;
}

/** Evaluations ("draws") per grid cell: the Monte Carlo draws, or (k + 2)·n with a sobol section. */
export function drawsPerCell(spec: SweepSpec): number {
  return spec.sobol ? evaluationsPerSample(spec) * spec.sobol.n : spec.draws;
}

/** Draws per chunk: with a sobol section, chunkSize rounded down to whole base samples (at least one). */
export function chunkDraws(spec: SweepSpec): number {
  if (!spec.sobol) return spec.chunkSize;
  const e = evaluationsPerSample(spec);
  return Math.max(1, Math.floor(spec.chunkSize / e)) * e;
}

interface DesignGroup {
  nSamples: number;
  distribution?: Distribution;
}

export class SaltelliDesign {
  /** Factors (groups) and multipliers over all groups. */
  readonly k: number;
  readonly K: number;
  /** Multipliers (positions in a row) with a Sobol' dimension in A and in B; the rest take stream uniforms. */
  readonly sobolMultipliers: number;
  private readonly offsets: number[];
  private readonly distributions: Distribution[];
  private readonly scramble: Uint32Array;
  private readonly a: Float64Array;
  private readonly b: Float64Array;
  /** Each group's part of the rows of A and B. */
  private readonly aParts: Float64Array[];
  private readonly bParts: Float64Array[];
  private row = -1;

  constructor(
    private readonly seed: number,
    sequence: 'sobol' | 'random',
    groups: readonly DesignGroup[],
  ) {
    this.k = groups.length;
    this.offsets = [];
    this.distributions = [];
    let K = 0;
    for (const g of groups) {
      this.offsets.push(K);
      for (let j = 0; j < g.nSamples; j++) this.distributions.push(g.distribution!);
      K += g.nSamples;
    }
    this.offsets.push(K);
    this.K = K;
    this.sobolMultipliers = sequence === 'sobol' ? Math.min(K, Math.floor(SOBOL_DIMENSIONS / 2)) : 0;
    // A's multiplier q is Sobol' dimension q, B's is dimension S + q; each dimension its own scramble.
    this.scramble = Uint32Array.from({ length: 2 * this.sobolMultipliers }, (_, d) => fmix32(seed ^ Math.imul(d + 1, 0x9e3779b9)));
    this.a = new Float64Array(K);
    this.b = new Float64Array(K);
    this.aParts = groups.map((_, g) => this.a.subarray(this.offsets[g], this.offsets[g + 1]));
    this.bParts = groups.map((_, g) => this.b.subarray(this.offsets[g], this.offsets[g + 1]));
  }

  /** Base sample i's rows of A and B (multipliers), computed once for its k + 2 evaluations. */
  private sample(i: number): void {
    if (i === this.row) return;
    this.row = i;
    const S = this.sobolMultipliers;
    const K = this.K;
    const d = this.distributions;
    for (let q = 0; q < S; q++) {
      this.a[q] = inverseCdf(d[q], unitOf(owenScramble(sobolInteger(i, q), this.scramble[q])));
      this.b[q] = inverseCdf(d[q], unitOf(owenScramble(sobolInteger(i, S + q), this.scramble[S + q])));
    }
    if (S === K) return;
    // Beyond the Sobol' dimensions (or with sequence: random): uniforms of base sample i's own stream.
    const rng = new DrawStream(this.seed, i);
    const open = () => (Math.floor(rng.uniform() * 2 ** 52) + 0.5) / 2 ** 52;
    for (let q = S; q < K; q++) this.a[q] = inverseCdf(d[q], open());
    for (let q = S; q < K; q++) this.b[q] = inverseCdf(d[q], open());
  }

  /** Fills each group's multipliers for evaluation `draw` of a cell (draw = i·(k + 2) + role). */
  fill(draw: number, out: Float64Array[]): void {
    const e = this.k + 2;
    const i = Math.floor(draw / e);
    const role = draw - i * e;
    this.sample(i);
    for (let g = 0; g < this.k; g++) {
      out[g].set(role === 1 || role === g + 2 ? this.bParts[g] : this.aParts[g]);
    }
  }
}
