/** A diverging colour scale (ColorBrewer RdBu, reversed: blue for negative, red for positive). */
const STOPS = ['#2166ac', '#4393c3', '#92c5de', '#f7f7f7', '#f4a582', '#d6604d', '#b2182b'];

const rgb = (hex: string) => [1, 3, 5].map((i) => parseInt(hex.slice(i, i + 2), 16));

/** Colour of v on a symmetric scale −max..max (values beyond are clamped). */
export function divergingColour(v: number, max: number): string {
  const t = max > 0 ? Math.max(-1, Math.min(1, v / max)) : 0;
  const pos = ((t + 1) / 2) * (STOPS.length - 1);
  const i = Math.min(STOPS.length - 2, Math.floor(pos));
  const f = pos - i;
  const a = rgb(STOPS[i]!);
  const b = rgb(STOPS[i + 1]!);
  const c = a.map((x, k) => Math.round(x + (b[k]! - x) * f));
  return `rgb(${c[0]}, ${c[1]}, ${c[2]})`;
}

export const GRADIENT = STOPS;

/** A round number ≥ v: 1, 1.5, 2, 2.5, 3, 4, 5, 6 or 8 × 10^k. */
export function niceCeil(v: number): number {
  if (!(v > 0)) return 1;
  const p = 10 ** Math.floor(Math.log10(v));
  for (const m of [1, 1.5, 2, 2.5, 3, 4, 5, 6, 8, 10]) if (m * p >= v) return m * p;
  return 10 * p;
}
