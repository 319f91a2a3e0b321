/** A small seeded PRNG (mulberry32, public domain) and the few distributions the demo needs. */

export interface Rng {
  /** Uniform on [0, 1). */
  next(): number;
  /** Uniform on [a, b). */
  uniform(a: number, b: number): number;
  /** Standard normal (Box-Muller, both values used). */
  normal(): number;
  /** exp(sigma · N(0,1)): a positive factor with median 1. */
  lognormal(sigma: number): number;
  /** A cheaper lognormal-like factor: exp(sigma · Z) with Z the unit-variance sum of 3 uniforms. */
  noise(sigma: number): number;
}

/** mulberry32: 32-bit state, period 2^32; state kept in a typed array so calls do not allocate. */
export function mulberry32(seed: number): () => number {
  const s = new Uint32Array([seed >>> 0]);
  return () => {
    const a = (s[0] = (s[0]! + 0x6d2b79f5) >>> 0);
    let t = Math.imul(a ^ (a >>> 15), a | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

export function rng(seed: number): Rng {
  const u = mulberry32(seed);
  const spare = new Float64Array(1);
  let hasSpare = false;
  const normal = () => {
    if (hasSpare) {
      hasSpare = false;
      return spare[0]!;
    }
    const r = Math.sqrt(-2 * Math.log(1 - u())); // 1 - u in (0, 1]
    const phi = 2 * Math.PI * u();
    spare[0] = r * Math.sin(phi);
    hasSpare = true;
    return r * Math.cos(phi);
  };
  return {
    next: u,
    uniform: (a, b) => a + (b - a) * u(),
    normal,
    lognormal: (sigma) => Math.exp(sigma * normal()),
    noise: (sigma) => Math.exp(sigma * 2 * (u() + u() + u() - 1.5)),
  };
}
