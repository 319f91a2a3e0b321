/**
 * The condition estimate both kernels run over their own solves (Factorization.rcond), and the
 * backward error of a solution (Kernel.solveMixed). In a module of its own rather than in
 * reference.ts: the wasm host is tested against the reference kernel, so it takes nothing from it.
 */

/**
 * Largest over the k vectors of the normwise backward error ‖b − M x‖∞ / (‖M‖∞ ‖x‖∞ + ‖b‖∞), M = a
 * or I − a (leontief), in f64; NaN when x or b holds a NaN.
 */
export function backwardError(a: Float64Array, n: number, x: Float64Array, b: Float64Array, k: number, leontief: boolean): number {
  const m = (i: number, j: number): number => (leontief ? (i === j ? 1 : 0) - a[i * n + j]! : a[i * n + j]!);
  let anorm = 0;
  for (let i = 0; i < n; i++) {
    let s = 0;
    for (let j = 0; j < n; j++) s += Math.abs(m(i, j));
    anorm = Math.max(anorm, s);
  }
  let worst = 0;
  for (let v = 0; v < k; v++) {
    const o = v * n;
    let r = 0;
    let xn = 0;
    let bn = 0;
    for (let i = 0; i < n; i++) {
      let s = b[o + i]!;
      for (let j = 0; j < n; j++) s -= m(i, j) * x[o + j]!;
      r = Math.max(r, Math.abs(s));
      xn = Math.max(xn, Math.abs(x[o + i]!));
      bn = Math.max(bn, Math.abs(b[o + i]!));
    }
    // r = 0 when x = b = 0; a NaN anywhere stays NaN (and fails any check against it).
    worst = Math.max(worst, r === 0 ? 0 : r / (anorm * xn + bn));
  }
  return worst;
}

/**
 * Estimate of ‖M⁻¹‖₁ (Hager 1984, Higham 1988 = LAPACK dlacn2), given solvers for M and Mᵀ.
 */
export function estimateInverseNorm1(n: number, solve: (x: Float64Array) => void, solveT: (x: Float64Array) => void): number {
  const x = new Float64Array(n).fill(1 / n);
  solve(x);
  if (n === 1) return Math.abs(x[0]!);
  let est = 0;
  for (let i = 0; i < n; i++) est += Math.abs(x[i]!);
  const xi = new Float64Array(n);
  for (let i = 0; i < n; i++) xi[i] = x[i]! >= 0 ? 1 : -1;
  x.set(xi);
  solveT(x);
  let j = argmaxAbs(x);
  for (let iter = 2; iter <= 5; iter++) {
    x.fill(0);
    x[j] = 1;
    solve(x);
    const estOld = est;
    est = 0;
    for (let i = 0; i < n; i++) est += Math.abs(x[i]!);
    let same = true;
    for (let i = 0; i < n; i++) {
      const s = x[i]! >= 0 ? 1 : -1;
      if (s !== xi[i]) same = false;
      xi[i] = s;
    }
    if (same || est <= estOld) {
      est = Math.max(est, estOld);
      break;
    }
    x.set(xi);
    solveT(x);
    const jLast = j;
    j = argmaxAbs(x);
    if (Math.abs(x[jLast]!) === Math.abs(x[j]!)) break;
  }
  // Higham's alternating-sign test vector guards against the estimator's known bad cases.
  for (let i = 0; i < n; i++) x[i] = (i % 2 === 0 ? 1 : -1) * (1 + i / (n - 1));
  solve(x);
  let alt = 0;
  for (let i = 0; i < n; i++) alt += Math.abs(x[i]!);
  alt = (2 * alt) / (3 * n);
  return Math.max(est, alt);
}

function argmaxAbs(x: Float64Array): number {
  let j = 0;
  let m = -1;
  for (let i = 0; i < x.length; i++) {
    const v = Math.abs(x[i]!);
    if (v > m) {
      m = v;
      j = i;
    }
  }
  return j;
}
