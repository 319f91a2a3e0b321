// Level 3: C −= A·B on row-major float64 blocks, the one compute-heavy primitive everything else
// calls (the triangular solves of trsm.ts, the LU of lu.ts, through par.ts).
//
// Blocking: K in slices of KC, B packed per slice into 8-column panels (kc×8, contiguous, 16 KiB
// at KC = 256: stays in L1), rows of C in blocks of MC so the A slice (MC×KC, 256 KiB) stays in
// L2. Register micro-kernel: 2 rows × 8 columns = 8 f64x2 accumulators + 4 B vectors + 2 A
// splats = 14 of x64's 16 xmm registers (a larger tile makes V8 spill). Columns beyond the last
// full panel are handled as dot products against packed columns, a last odd row by a 1×8 kernel.
// All pointers are byte addresses; leading dimensions are in elements.

import { dot } from './vector';

const KC: i32 = 256;
const MC: i32 = 96;

let packPtr: usize = 0;
let packBytes: usize = 0;
/**
 * Set in the worker instances of the threaded build (par.ts): their pack buffers are lent by the
 * main instance, and they must never allocate (each instance has its own allocator state over
 * the one shared heap).
 */
let lent = false;

/** Bytes of packed B that a GEMM with N columns needs. */
export function packBytesB(N: i32): usize {
  return (<usize>KC * <usize>N) << 3;
}

/** Bytes of packed A (one MC×KC block). */
export const PACK_A_BYTES: usize = (<usize>MC * <usize>KC) << 3;

/** Makes this instance pack into caller-owned buffers and never allocate. */
export function lendScratch(b: usize, bBytes: usize, a: usize, aBytes: usize): void {
  packPtr = b;
  packBytes = bBytes;
  packAPtr = a;
  packABytes = aBytes;
  lent = true;
}

/** Scratch for packed B, grown on demand and kept (bounded by the largest matrix seen). */
function packBuffer(bytes: usize): usize {
  if (bytes > packBytes) {
    if (lent) unreachable();
    if (packPtr) heap.free(packPtr);
    packBytes = (bytes + 65535) & ~<usize>65535;
    packPtr = heap.alloc(packBytes);
  }
  return packPtr;
}

let packAPtr: usize = 0;
let packABytes: usize = 0;

function packABuffer(bytes: usize): usize {
  if (bytes > packABytes) {
    if (lent) unreachable();
    if (packAPtr) heap.free(packAPtr);
    packABytes = (bytes + 65535) & ~<usize>65535;
    packAPtr = heap.alloc(packABytes);
  }
  return packAPtr;
}

/** Packs mc rows × kc of A: row pairs interleaved (a0[k], a1[k]), an odd last row plain. */
function packA(mc: i32, kc: i32, a: usize, lda8: usize, pa: usize): void {
  let dst = pa;
  let i = 0;
  for (; i + 2 <= mc; i += 2) {
    const r0 = a + <usize>i * lda8;
    const r1 = r0 + lda8;
    // Two k at a time: (a0[k], a0[k+1]) and (a1[k], a1[k+1]) → (a0[k], a1[k]), (a0[k+1], a1[k+1]).
    let k = 0;
    for (; k + 2 <= kc; k += 2) {
      const o = <usize>k << 3;
      const x = v128.load(r0 + o), y = v128.load(r1 + o);
      v128.store(dst, v128.shuffle<f64>(x, y, 0, 2));
      v128.store(dst, v128.shuffle<f64>(x, y, 1, 3), 16);
      dst += 32;
    }
    if (k < kc) {
      const o = <usize>k << 3;
      store<f64>(dst, load<f64>(r0 + o));
      store<f64>(dst, load<f64>(r1 + o), 8);
      dst += 16;
    }
  }
  if (i < mc) memory.copy(dst, a + <usize>i * lda8, <usize>kc << 3);
}

/** Releases the packing scratch (for memory accounting). */
export function releaseScratch(): void {
  if (packPtr) heap.free(packPtr);
  packPtr = 0;
  packBytes = 0;
  if (packAPtr) heap.free(packAPtr);
  packAPtr = 0;
  packABytes = 0;
}

function packB(kc: i32, nP: i32, rem: i32, b: usize, ldb: i32, pk: usize): void {
  const panelBytes = <usize>kc << 6;
  const ldb8 = <usize>ldb << 3;
  for (let k = 0; k < kc; k++) {
    const src = b + <usize>k * ldb8;
    let dst = pk + (<usize>k << 6);
    for (let p = 0; p < nP; p++) {
      const s = src + (<usize>p << 6);
      v128.store(dst, v128.load(s));
      v128.store(dst, v128.load(s, 16), 16);
      v128.store(dst, v128.load(s, 32), 32);
      v128.store(dst, v128.load(s, 48), 48);
      dst += panelBytes;
    }
  }
  const colBase = pk + <usize>nP * panelBytes;
  for (let r = 0; r < rem; r++) {
    const src = b + (<usize>(nP * 8 + r) << 3);
    const dst = colBase + ((<usize>r * <usize>kc) << 3);
    for (let k = 0; k < kc; k++) store<f64>(dst + (<usize>k << 3), load<f64>(src + <usize>k * ldb8));
  }
}

/**
 * The micro-kernel: C[0..2, 0..8) −= A[0..2, 0..kc) · P, P a packed kc×8 panel. Element k of A's
 * first row is at a + k·step, of its second row `second` bytes further: a packed pair of rows
 * (step 16, second 8, see packA) or two rows of A in place (step 8, second = its row bytes).
 */
function kern2x8(kc: i32, a: usize, second: usize, step: usize, pb: usize, c: usize, ldc8: usize): void {
  let c00 = f64x2.splat(0), c01 = f64x2.splat(0), c02 = f64x2.splat(0), c03 = f64x2.splat(0);
  let c10 = f64x2.splat(0), c11 = f64x2.splat(0), c12 = f64x2.splat(0), c13 = f64x2.splat(0);
  const end = a + <usize>kc * step;
  while (a < end) {
    const b0 = v128.load(pb), b1 = v128.load(pb, 16), b2 = v128.load(pb, 32), b3 = v128.load(pb, 48);
    const x = v128.load64_splat(a);
    const y = v128.load64_splat(a + second);
    c00 = f64x2.add(c00, f64x2.mul(x, b0));
    c01 = f64x2.add(c01, f64x2.mul(x, b1));
    c02 = f64x2.add(c02, f64x2.mul(x, b2));
    c03 = f64x2.add(c03, f64x2.mul(x, b3));
    c10 = f64x2.add(c10, f64x2.mul(y, b0));
    c11 = f64x2.add(c11, f64x2.mul(y, b1));
    c12 = f64x2.add(c12, f64x2.mul(y, b2));
    c13 = f64x2.add(c13, f64x2.mul(y, b3));
    a += step;
    pb += 64;
  }
  v128.store(c, f64x2.sub(v128.load(c), c00));
  v128.store(c, f64x2.sub(v128.load(c, 16), c01), 16);
  v128.store(c, f64x2.sub(v128.load(c, 32), c02), 32);
  v128.store(c, f64x2.sub(v128.load(c, 48), c03), 48);
  const d = c + ldc8;
  v128.store(d, f64x2.sub(v128.load(d), c10));
  v128.store(d, f64x2.sub(v128.load(d, 16), c11), 16);
  v128.store(d, f64x2.sub(v128.load(d, 32), c12), 32);
  v128.store(d, f64x2.sub(v128.load(d, 48), c13), 48);
}

/** One row: C[0, 0..8) −= A[0, 0..kc) · P. */
function kern1x8(kc: i32, a0: usize, pb: usize, c: usize): void {
  let c00 = f64x2.splat(0), c01 = f64x2.splat(0), c02 = f64x2.splat(0), c03 = f64x2.splat(0);
  const end = a0 + (<usize>kc << 3);
  while (a0 < end) {
    const x = v128.load64_splat(a0);
    c00 = f64x2.add(c00, f64x2.mul(x, v128.load(pb)));
    c01 = f64x2.add(c01, f64x2.mul(x, v128.load(pb, 16)));
    c02 = f64x2.add(c02, f64x2.mul(x, v128.load(pb, 32)));
    c03 = f64x2.add(c03, f64x2.mul(x, v128.load(pb, 48)));
    a0 += 8;
    pb += 64;
  }
  v128.store(c, f64x2.sub(v128.load(c), c00));
  v128.store(c, f64x2.sub(v128.load(c, 16), c01), 16);
  v128.store(c, f64x2.sub(v128.load(c, 32), c02), 32);
  v128.store(c, f64x2.sub(v128.load(c, 48), c03), 48);
}

/**
 * Rows of one M-block against all full panels (panelBytes apart): row pairs pairBytes apart, each
 * laid out as kern2x8's second and step say; an odd last row plain at the next pair's place.
 */
function blockPanels(mc: i32, kc: i32, nP: i32, a: usize, pairBytes: usize, second: usize, step: usize, pk: usize, panelBytes: usize, c: usize, ldc8: usize): void {
  for (let p = 0; p < nP; p++) {
    const pb = pk + <usize>p * panelBytes;
    let ar = a;
    let cr = c + (<usize>p << 6);
    let i = 0;
    for (; i + 2 <= mc; i += 2) {
      kern2x8(kc, ar, second, step, pb, cr, ldc8);
      ar += pairBytes;
      cr += ldc8 << 1;
    }
    if (i < mc) kern1x8(kc, ar, pb, cr);
  }
}

/** Rows of one M-block against the remaining (< 8) packed columns (colBytes apart). */
function blockCols(mc: i32, kc: i32, rem: i32, a: usize, lda8: usize, pcol: usize, colBytes: usize, c: usize, ldc8: usize): void {
  for (let i = 0; i < mc; i++) {
    const ar = a + <usize>i * lda8;
    const cr = c + <usize>i * ldc8;
    for (let r = 0; r < rem; r++) {
      const p = cr + (<usize>r << 3);
      store<f64>(p, load<f64>(p) - dot(kc, ar, pcol + <usize>r * colBytes));
    }
  }
}

/** C(M×N) −= A(M×K) · B(K×N), row-major with leading dimensions lda, ldb, ldc (elements). */
export function gemmSub(M: i32, N: i32, K: i32, a: usize, lda: i32, b: usize, ldb: i32, c: usize, ldc: i32): void {
  gemmSubT(M, N, K, a, lda, b, ldb, c, ldc, false);
}

/**
 * As gemmSub; with upperA, A is upper triangular (a_ik = 0 for k < i): row blocks that lie
 * entirely below a K slice are skipped, and a block that starts inside one starts its K there
 * (its rows' terms before that are exact zeros, so the sums are the same).
 */
export function gemmSubT(M: i32, N: i32, K: i32, a: usize, lda: i32, b: usize, ldb: i32, c: usize, ldc: i32, upperA: bool): void {
  if (M <= 0 || N <= 0 || K <= 0) return;
  const nP = N >> 3;
  const rem = N & 7;
  const lda8 = <usize>lda << 3;
  const ldb8 = <usize>ldb << 3;
  const ldc8 = <usize>ldc << 3;
  for (let k0 = 0; k0 < K; k0 += KC) {
    const kc = min(KC, K - k0);
    const pk = packBuffer((<usize>kc * <usize>N) << 3);
    packB(kc, nP, rem, b + <usize>k0 * ldb8, ldb, pk);
    const ak = a + (<usize>k0 << 3);
    const pcol = pk + ((<usize>nP * <usize>kc) << 6);
    const mEnd = upperA ? min(M, k0 + kc) : M;
    const panelBytes = <usize>kc << 6;
    const colBytes = <usize>kc << 3;
    for (let i0 = 0; i0 < mEnd; i0 += MC) {
      const mc = min(MC, mEnd - i0);
      const skip = upperA && i0 > k0 ? i0 - k0 : 0;
      const kb = kc - skip;
      const s8 = <usize>skip << 3;
      const ai = ak + <usize>i0 * lda8 + s8;
      const ci = c + <usize>i0 * ldc8;
      if (nP >= 8) {
        const pa = packABuffer((<usize>MC * <usize>KC) << 3);
        packA(mc, kb, ai, lda8, pa);
        blockPanels(mc, kb, nP, pa, <usize>kb << 4, 8, 16, pk + (s8 << 3), panelBytes, ci, ldc8);
      } else if (nP > 0) blockPanels(mc, kb, nP, ai, lda8 << 1, lda8, 8, pk + (s8 << 3), panelBytes, ci, ldc8);
      if (rem > 0) blockCols(mc, kb, rem, ai, lda8, pcol + s8, colBytes, ci + (<usize>(nP << 3) << 3), ldc8);
    }
  }
}
