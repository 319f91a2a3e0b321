// Batches of small Leontief systems solved for row vectors in one call (the sweep's A-perturbed
// draws): each system is formed in place from a shared base matrix and per-column multipliers,
// so the host copies the bases once per call instead of one perturbed n×n matrix per system.
import { luFactor, luSolveTransposed } from './lu';

/**
 * t_c = d_c (I − A_b diag(s_c))⁻¹ for c = 0 … count−1 with b = c mod m: m base matrices A_b
 * (n×n row-major at a), column multipliers s_c (count·n at scale), right-hand sides d_c (count·n
 * at x, overwritten by t_c). work: n·n f64 then n i32. For n ≤ 160 luFactor is the unblocked
 * right-looking elimination with partial pivoting (no recursion); nothing is allocated.
 * Returns −1, or c·n + k for the first system c whose pivot k is negligible.
 */
export function leontiefRowsBatch(a: usize, m: i32, scale: usize, x: usize, n: i32, count: i32, work: usize): i32 {
  const n8 = <usize>n << 3;
  const nn8 = <usize>n * n8;
  const piv = work + nn8;
  for (let c = 0; c < count; c++) {
    formSystem(a + <usize>(c % m) * nn8, scale + <usize>c * n8, n, work);
    const r = luFactor(work, n, piv);
    if (r >= 0) return c * n + r;
    luSolveTransposed(work, n, piv, x + <usize>c * n8, 1);
  }
  return -1;
}

/** out = I − a·diag(s): row i is −(a_i ∘ s), plus 1 on the diagonal. */
function formSystem(a: usize, s: usize, n: i32, out: usize): void {
  const n8 = <usize>n << 3;
  const nVec = <usize>(n & ~1) << 3;
  for (let i = 0; i < n; i++) {
    const src = a + <usize>i * n8;
    const dst = out + <usize>i * n8;
    let j: usize = 0;
    for (; j < nVec; j += 16) v128.store(dst + j, f64x2.neg(f64x2.mul(v128.load(src + j), v128.load(s + j))));
    if (j < n8) store<f64>(dst + j, -(load<f64>(src + j) * load<f64>(s + j)));
    const p = dst + (<usize>i << 3);
    store<f64>(p, load<f64>(p) + 1.0);
  }
}
