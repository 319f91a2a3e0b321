/**
 * The Sobol' low-discrepancy sequence (Joe–Kuo direction numbers, 32-bit, Gray-code order as in
 * scipy.stats.qmc.Sobol), with hash-based nested uniform (Owen) scrambling seeded per dimension. Point i
 * is computed directly from i, so any worker can start anywhere in the sequence.
 */
import { JOE_KUO } from './joe-kuo.js';

const BITS = 32;

/** Direction numbers v_1 … v_32 of each dimension (v_k = m_k · 2^(32−k)), dimension 0 the van der Corput sequence. */
function directionNumbers(): Uint32Array[] {
  const dims: Uint32Array[] = [Uint32Array.from({ length: BITS }, (_, k) => 2 ** (BITS - 1 - k))];
  for (const entry of JOE_KUO.split(' ')) {
    const [poly, ...m] = entry.split('.').map((h) => Number.parseInt(h, 16));
    const s = m.length;
    const v = new Uint32Array(BITS);
    for (let k = 0; k < s; k++) v[k] = m[k] * 2 ** (BITS - 1 - k);
    // v_k = v_{k−s} ⊕ (v_{k−s} >> s) ⊕ the polynomial's inner coefficients a_j times v_{k−j} (Bratley and Fox, 1988).
    for (let k = s; k < BITS; k++) {
      let x = v[k - s] ^ (v[k - s] >>> s);
      for (let j = 1; j < s; j++) if ((poly >>> (s - j)) & 1) x ^= v[k - j];
      v[k] = x;
    }
    dims.push(v);
  }
  return dims;
}

let table: Uint32Array[] | undefined;

/** Dimensions with Sobol' direction numbers. */
export const SOBOL_DIMENSIONS = JOE_KUO.split(' ').length + 1;

/** The unscrambled 32-bit Sobol' integer of point i (i < 2^32) in dimension `dim`. */
export function sobolInteger(i: number, dim: number): number {
  table ??= directionNumbers();
  const v = table[dim];
  let g = (i ^ (i >>> 1)) >>> 0;
  let x = 0;
  for (let k = 0; g !== 0; k++, g >>>= 1) if (g & 1) x ^= v[k];
  return x >>> 0;
}

function reverseBits(x: number): number {
  x = ((x >>> 1) & 0x55555555) | ((x & 0x55555555) << 1);
  x = ((x >>> 2) & 0x33333333) | ((x & 0x33333333) << 2);
  x = ((x >>> 4) & 0x0f0f0f0f) | ((x & 0x0f0f0f0f) << 4);
  x = ((x >>> 8) & 0x00ff00ff) | ((x & 0x00ff00ff) << 8);
  return ((x >>> 16) | (x << 16)) >>> 0;
}

/**
 * Nested uniform scrambling of a 32-bit digit string (B. Burley, "Practical hash-based Owen scrambling",
 * JCGT 9(4), 2020): on the reversed bits, each step of the Laine–Karras hash flips a bit depending only
 * on the bits below it, i.e. on the digits before it, as Owen's scrambling does.
 */
export function owenScramble(x: number, seed: number): number {
  let y = (reverseBits(x) + seed) >>> 0;
  y = (y ^ Math.imul(y, 0x6c50b47c)) >>> 0;
  y = (y ^ Math.imul(y, 0xb82f1e52)) >>> 0;
  y = (y ^ Math.imul(y, 0xc7afe638)) >>> 0;
  y = (y ^ Math.imul(y, 0x8d22f6e6)) >>> 0;
  return reverseBits(y);
}

/** A scrambled 32-bit integer as a point of (0, 1): the middle of its cell, never 0 or 1. */
export function unitOf(x: number): number {
  return (x + 0.5) / 2 ** BITS;
}
