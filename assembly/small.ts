// Batches of small Leontief systems solved for row vectors in one call (the sweep's A-perturbed
// draws). t (I − A′) = d is the column system (I − A′)ᵀ tᵀ = dᵀ: each system is written as the
// augmented matrix W = [(I − A′)ᵀ | d] straight from a transposed base matrix and the column
// multipliers, eliminated with partial pivoting and solved by back substitution. No L is kept
// and no separate solve or permutation pass runs; nothing is allocated.
import { EPS, nextPivotAbs, pivotIn, scaleNextPivot } from './lu';
import { transpose } from './matrix';

@inline function align16(p: usize): usize {
  return (p + 15) & ~(<usize>15);
}

/** Bytes of work memory leontiefRowsBatch needs for m base matrices of order n. */
export function rowsBatchWork(n: i32, m: i32): i32 {
  const ld = (n + 2) & ~1;
  return (m * n * n + 2 * n + 2 + n * ld) * 8 + 48;
}

/**
 * t_c = d_c (I − A_b diag(s_c))⁻¹ for c = 0 … count−1 with b = c mod m: m base matrices A_b
 * (n×n row-major at a), column multipliers s_c (count·n at scale), right-hand sides d_c (count·n
 * at x, overwritten by t_c). work: rowsBatchWork(n, m) bytes.
 * Returns −1, or c·n + k for the first system c whose pivot k is negligible
 * (|pivot| ≤ ε·n·max|m_ij|, the rule of luFactor).
 */
export function leontiefRowsBatch(a: usize, m: i32, scale: usize, x: usize, n: i32, count: i32, work: usize): i32 {
  const n8 = <usize>n << 3;
  const nn8 = <usize>n * n8;
  // Even row length with room for d: every update below covers whole f64x2 pairs.
  const ld = (n + 2) & ~1;
  const bt = align16(work);
  const eye = align16(bt + <usize>m * nn8);
  const w = align16(eye + ((<usize>(2 * n + 2)) << 3));
  for (let b = 0; b < m; b++) transpose(a + <usize>b * nn8, n, n, bt + <usize>b * nn8);
  // Row j of the identity is eye + (n − j)·8: zeros with a 1 at n.
  memory.fill(eye, 0, <usize>(2 * n + 2) << 3);
  store<f64>(eye + n8, 1.0);
  for (let c = 0; c < count; c++) {
    const xc = x + <usize>c * n8;
    const big = formAugmented(bt + <usize>(c % m) * nn8, scale + <usize>c * n8, xc, n, ld, eye, w);
    const r = eliminate(w, n, ld, EPS * <f64>n * big);
    if (r >= 0) return c * n + r;
    backSubstitute(w, n, ld, xc);
  }
  return -1;
}

/** W = [(I − A′)ᵀ | d]: row j is e_j − s_j·(row j of Aᵀ), then d_j; returns max|m_ij| of I − A′. */
function formAugmented(bt: usize, s: usize, d: usize, n: i32, ld: i32, eye: usize, w: usize): f64 {
  const n8 = <usize>n << 3;
  const ld8 = <usize>ld << 3;
  const nVec = <usize>(n & ~1) << 3;
  let big = f64x2.splat(0);
  for (let j = 0; j < n; j++) {
    const src = bt + <usize>j * n8;
    const dst = w + <usize>j * ld8;
    const e = eye + n8 - (<usize>j << 3);
    const sj = f64x2.splat(load<f64>(s + (<usize>j << 3)));
    let i: usize = 0;
    for (; i < nVec; i += 16) {
      const v = f64x2.sub(v128.load(e + i), f64x2.mul(sj, v128.load(src + i)));
      v128.store(dst + i, v);
      big = f64x2.pmax(big, f64x2.abs(v));
    }
    if (i < n8) {
      const v = load<f64>(e + i) - f64x2.extract_lane(sj, 0) * load<f64>(src + i);
      store<f64>(dst + i, v);
      big = f64x2.pmax(big, f64x2.splat(abs(v)));
    }
    store<f64>(dst + n8, load<f64>(d + (<usize>j << 3)));
    if (ld > n + 1) store<f64>(dst + n8 + 8, 0);
  }
  return max(f64x2.extract_lane(big, 0), f64x2.extract_lane(big, 1));
}

/** Swaps rows p and q of W from column k to the end of the row. */
function swapFrom(p: usize, q: usize, k: i32, ld: i32): void {
  for (let j = <usize>k << 3, e = <usize>ld << 3; j < e; j += 8) {
    const t = load<f64>(p + j);
    store<f64>(p + j, load<f64>(q + j));
    store<f64>(q + j, t);
  }
}

/**
 * Gaussian elimination with partial pivoting on the n × ld rows of W, two pivots per pass over
 * the trailing rows (rank-2 updates, as luFactor's unblocked LU). Columns left of the current
 * pivot are never read again, so swaps and updates start at the pivot column; the multipliers of
 * pivot k are kept in column k for the second pivot's update. Returns −1 or the failing pivot.
 */
function eliminate(w: usize, n: i32, ld: i32, tol: f64): i32 {
  const ld8 = <usize>ld << 3;
  const end = ld8;
  let k = 0;
  for (; k + 1 < n; k += 2) {
    const k8 = <usize>k << 3;
    const u0 = w + <usize>k * ld8;
    const p = pivotIn<f64>(w, n, ld8, k, tol);
    if (p < 0) return k;
    if (p != k) swapFrom(u0, w + <usize>p * ld8, k, ld);
    // Multipliers of pivot k into column k, column k+1 updated, pivot k+1 found, in one pass.
    const p1 = scaleNextPivot<f64>(u0, ld8, k, n);
    if (!(nextPivotAbs > tol)) return k + 1;
    const u1 = u0 + ld8;
    if (p1 != k + 1) swapFrom(u1, w + <usize>p1 * ld8, k, ld);
    const d1 = 1.0 / load<f64>(u1 + k8 + 8);
    const j0 = k8 + 16;
    // Row k+1 takes its pivot-k update, then every later row both at once, two rows per pass.
    const l10 = f64x2.splat(load<f64>(u1 + k8));
    for (let j = j0; j < end; j += 16) v128.store(u1 + j, f64x2.sub(v128.load(u1 + j), f64x2.mul(l10, v128.load(u0 + j))));
    let i = k + 2;
    for (; i + 4 <= n; i += 4) {
      const r0 = w + <usize>i * ld8;
      const r1 = r0 + ld8;
      const r2 = r1 + ld8;
      const r3 = r2 + ld8;
      const a0 = f64x2.splat(load<f64>(r0 + k8)), a1 = f64x2.splat(load<f64>(r1 + k8));
      const a2 = f64x2.splat(load<f64>(r2 + k8)), a3 = f64x2.splat(load<f64>(r3 + k8));
      const b0 = f64x2.splat(load<f64>(r0 + k8 + 8) * d1), b1 = f64x2.splat(load<f64>(r1 + k8 + 8) * d1);
      const b2 = f64x2.splat(load<f64>(r2 + k8 + 8) * d1), b3 = f64x2.splat(load<f64>(r3 + k8 + 8) * d1);
      for (let j = j0; j < end; j += 16) {
        const x0 = v128.load(u0 + j), x1 = v128.load(u1 + j);
        v128.store(r0 + j, f64x2.sub(v128.load(r0 + j), f64x2.add(f64x2.mul(a0, x0), f64x2.mul(b0, x1))));
        v128.store(r1 + j, f64x2.sub(v128.load(r1 + j), f64x2.add(f64x2.mul(a1, x0), f64x2.mul(b1, x1))));
        v128.store(r2 + j, f64x2.sub(v128.load(r2 + j), f64x2.add(f64x2.mul(a2, x0), f64x2.mul(b2, x1))));
        v128.store(r3 + j, f64x2.sub(v128.load(r3 + j), f64x2.add(f64x2.mul(a3, x0), f64x2.mul(b3, x1))));
      }
    }
    for (; i + 2 <= n; i += 2) {
      const r0 = w + <usize>i * ld8;
      const r1 = r0 + ld8;
      const a0 = f64x2.splat(load<f64>(r0 + k8)), a1 = f64x2.splat(load<f64>(r1 + k8));
      const s0 = load<f64>(r0 + k8 + 8) * d1, s1 = load<f64>(r1 + k8 + 8) * d1;
      const b0 = f64x2.splat(s0), b1 = f64x2.splat(s1);
      for (let j = j0; j < end; j += 16) {
        const x0 = v128.load(u0 + j), x1 = v128.load(u1 + j);
        v128.store(r0 + j, f64x2.sub(v128.load(r0 + j), f64x2.add(f64x2.mul(a0, x0), f64x2.mul(b0, x1))));
        v128.store(r1 + j, f64x2.sub(v128.load(r1 + j), f64x2.add(f64x2.mul(a1, x0), f64x2.mul(b1, x1))));
      }
    }
    if (i < n) {
      const r0 = w + <usize>i * ld8;
      const a0 = f64x2.splat(load<f64>(r0 + k8));
      const b0 = f64x2.splat(load<f64>(r0 + k8 + 8) * d1);
      for (let j = j0; j < end; j += 16) {
        v128.store(r0 + j, f64x2.sub(v128.load(r0 + j), f64x2.add(f64x2.mul(a0, v128.load(u0 + j)), f64x2.mul(b0, v128.load(u1 + j)))));
      }
    }
  }
  // n odd: the last pivot has no rows below it.
  if (k < n && !(abs(load<f64>(w + <usize>k * ld8 + (<usize>k << 3))) > tol)) return k;
  return -1;
}

/**
 * x_i = (w_in − Σ_{j>i} w_ij x_j) / w_ii, from the last row up, in column form: once x_i is known
 * it leaves the right-hand sides above it (x holds them), so there is no short dot product per row.
 */
function backSubstitute(w: usize, n: i32, ld: i32, x: usize): void {
  const ld8 = <usize>ld << 3;
  const n8 = <usize>n << 3;
  for (let r = 0; r < n; r++) store<f64>(x + (<usize>r << 3), load<f64>(w + <usize>r * ld8 + n8));
  for (let i = n - 1; i >= 0; i--) {
    const i8 = <usize>i << 3;
    const xi = load<f64>(x + i8) / load<f64>(w + <usize>i * ld8 + i8);
    store<f64>(x + i8, xi);
    let col = w + i8;
    for (let r: usize = 0, e = <usize>i << 3; r < e; r += 8, col += ld8) store<f64>(x + r, load<f64>(x + r) - load<f64>(col) * xi);
  }
}
