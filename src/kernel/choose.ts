/**
 * Which solver to use for (I − A) X = B: dense LU, or Gauss–Seidel on dense or CSR storage.
 *
 * The rule is a cost model fitted to the wasm kernel on the development machine (one thread,
 * see src/kernel/README.md for the measurements), taking the cheapest of:
 *
 *   LU             t = (2/3 n³) / R(n)  +  nrhs · 0.5 ns · n²,   R(n) = 20 GFLOP/s · n / (n + 100)
 *   GS dense       t = S · 0.19 ns · n² · w(nrhs)  +  0.6 ns · n²    (copy + checks once)
 *   GS CSR         t = S · nnz · c(nrhs)  +  9 ns · nnz                 (nnz = density · n²)
 *
 * S is the expected number of Gauss–Seidel sweeps: S = ln(tol) / ln(ρ_GS) with ρ_GS ≈ ρ(A)^1.6
 * (measured on dense random column-substochastic matrices: ρ = 0.5, 0.6, 0.7 took 21, 27, 37
 * sweeps to tol = 1e-10). Several right-hand sides are swept as one block. A sparse block reads
 * each row once per chunk of up to 5 vectors, so c(1) = 1.2 ns and c(k) = 1.6 ns per chunk; a
 * dense block costs about as much per vector as separate solves, w(1) = 1 and w(k) = k + 0.7
 * (CPU time, 2026-11-28, n = 4000 at 10 % density: 1.2, 1.56, 1.72, 3.2, 6.4 ns per entry and
 * sweep for 1, 2, 4, 8, 16 vectors; dense n = 1302: 1, 2.7, 4.5, 8.0, 16.5 times one vector).
 * Measured crossovers for one right-hand side at ρ = 0.6, tol = 1e-10: LU wins below n ≈ 150;
 * at n = 500 Gauss–Seidel wins up to about 4 right-hand sides, at n = 1302 up to about 9. The
 * model counts one copy of A for all iterative solves (as with prepareLeontiefIterative); plain
 * Gauss–Seidel (omega = 1) is assumed, so the default 'auto' SOR (~40 % fewer sweeps on the
 * benchmark systems) makes the model lean towards LU.
 * Iterative methods are only offered when ρ(A) < 0.95: they converge like ρ^k.
 */

export type SolverChoice = 'lu' | 'iterative-dense' | 'iterative-csr';

export interface ChooseOptions {
  /** Spectral radius of A (or an upper bound such as the largest column sum); default 0.6. */
  spectralRadius?: number;
  /** Relative residual wanted from the iterative solver; default 1e-10. */
  tol?: number;
}

/** Estimated milliseconds of each strategy (Infinity where it does not apply). */
export function estimateSolverCosts(n: number, density: number, nrhs: number, opts: ChooseOptions = {}): Record<SolverChoice, number> {
  const rho = opts.spectralRadius ?? 0.6;
  const tol = opts.tol ?? 1e-10;
  const d = Math.min(1, Math.max(0, density));
  const n2 = n * n;
  const rate = 20 * (n / (n + 100)); // GFLOP/s = flop per ns
  const lu = ((2 / 3) * n * n2) / rate + nrhs * 0.5 * n2;
  let dense = Infinity;
  let csr = Infinity;
  if (rho < 0.95 && rho >= 0) {
    const rhoGS = Math.max(rho, 1e-3) ** 1.6;
    const sweeps = Math.max(1, Math.ceil(Math.log(tol) / Math.log(rhoGS)));
    const k = Math.max(1, nrhs);
    dense = sweeps * 0.19 * n2 * (k === 1 ? 1 : k + 0.7) + 0.6 * n2;
    const nnz = Math.max(d * n2, n);
    const chunks = k <= 5 ? 1 : 1 + Math.ceil((k - 5) / 4);
    csr = sweeps * nnz * (k === 1 ? 1.2 : 1.6 * chunks) + 9 * nnz;
  }
  const ms = (ns: number): number => ns / 1e6;
  return { lu: ms(lu), 'iterative-dense': ms(dense), 'iterative-csr': ms(csr) };
}

/**
 * The cheapest strategy for n sectors, a coefficient matrix with the given fraction of
 * nonzeros (density in [0, 1]) and nrhs right-hand sides.
 */
export function chooseSolver(n: number, density: number, nrhs: number, opts: ChooseOptions = {}): SolverChoice {
  const c = estimateSolverCosts(n, density, nrhs, opts);
  let best: SolverChoice = 'lu';
  for (const k of ['iterative-dense', 'iterative-csr'] as const) if (c[k] < c[best]) best = k;
  return best;
}
