import type { IOTable } from '../data/types.js';

/** Direct requirements A = Z diag(x)⁻¹; a column whose output is zero gets zeros. */
export function calcA(Z: Float64Array, x: Float64Array): Float64Array {
  const n = x.length;
  const A = new Float64Array(n * n);
  for (let j = 0; j < n; j++) {
    if (x[j] === 0) continue;
    const inv = 1 / x[j];
    for (let i = 0; i < n; i++) A[i * n + j] = Z[i * n + j] * inv;
  }
  return A;
}

/** The final-demand vector that the balance identity needs: f = y + E + EP − M − MP + err, so that x = L f. */
export function netFinalDemand(t: IOTable): Float64Array {
  const f = new Float64Array(t.x.length);
  for (let i = 0; i < f.length; i++) f[i] = t.y[i] + t.E[i] + t.EP[i] - t.M[i] - t.MP[i] + t.err[i];
  return f;
}

export function sum(v: ArrayLike<number>): number {
  let s = 0;
  for (let i = 0; i < v.length; i++) s += v[i];
  return s;
}
