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

/**
 * Packs mc rows × kc of A: row pairs interleaved (a0[k], a1[k]), an odd last row plain. T is the
 * element type (f64, or f32 for the mixed-precision factors of mixed.ts); lda8 is in bytes.
 */
function packA<T>(mc: i32, kc: i32, a: usize, lda8: usize, pa: usize): void {
  const sh = alignof<T>();
  const lanes = <i32>(16 / sizeof<T>());
  let dst = pa;
  let i = 0;
  for (; i + 2 <= mc; i += 2) {
    const r0 = a + <usize>i * lda8;
    const r1 = r0 + lda8;
    // One vector of k at a time from each row, interleaved: (a0[k], a1[k], a0[k+1], a1[k+1], …).
    let k = 0;
    for (; k + lanes <= kc; k += lanes) {
      const o = <usize>k << sh;
      const x = v128.load(r0 + o), y = v128.load(r1 + o);
      if (sizeof<T>() == 8) {
        v128.store(dst, v128.shuffle<f64>(x, y, 0, 2));
        v128.store(dst, v128.shuffle<f64>(x, y, 1, 3), 16);
      } else {
        v128.store(dst, v128.shuffle<f32>(x, y, 0, 4, 1, 5));
        v128.store(dst, v128.shuffle<f32>(x, y, 2, 6, 3, 7), 16);
      }
      dst += 32;
    }
    for (; k < kc; k++) {
      const o = <usize>k << sh;
      store<T>(dst, load<T>(r0 + o));
      store<T>(dst + sizeof<T>(), load<T>(r1 + o));
      dst += sizeof<T>() << 1;
    }
  }
  if (i < mc) memory.copy(dst, a + <usize>i * lda8, <usize>kc << sh);
}

/** Packs kc rows of B: panels of 64 bytes per row (8 f64 or 16 f32 columns), then the rem last columns one by one. */
function packB<T>(kc: i32, nP: i32, rem: i32, b: usize, ldb: i32, pk: usize): void {
  const sh = alignof<T>();
  const panelBytes = <usize>kc << 6;
  const ldb8 = <usize>ldb << sh;
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
  const pc = <i32>(64 / sizeof<T>());
  for (let r = 0; r < rem; r++) {
    const src = b + (<usize>(nP * pc + r) << sh);
    const dst = colBase + ((<usize>r * <usize>kc) << sh);
    for (let k = 0; k < kc; k++) store<T>(dst + (<usize>k << sh), load<T>(src + <usize>k * ldb8));
  }
}

/**
 * The micro-kernel: C[0..2, 0..P) −= A[0..2, 0..kc) · B, B a packed kc×P panel (P = 8 f64 or
 * 16 f32: four vectors). Element k of A's first row is at a + k·step, of its second row `second`
 * bytes further: a packed pair of rows (step 2·size, second = size, see packA) or two rows of A in
 * place (step = size, second = its row bytes).
 */
function kern2<T>(kc: i32, a: usize, second: usize, step: usize, pb: usize, c: usize, ldc8: usize): void {
  let c00 = v128.splat<T>(<T>0), c01 = v128.splat<T>(<T>0), c02 = v128.splat<T>(<T>0), c03 = v128.splat<T>(<T>0);
  let c10 = v128.splat<T>(<T>0), c11 = v128.splat<T>(<T>0), c12 = v128.splat<T>(<T>0), c13 = v128.splat<T>(<T>0);
  const end = a + <usize>kc * step;
  while (a < end) {
    const b0 = v128.load(pb), b1 = v128.load(pb, 16), b2 = v128.load(pb, 32), b3 = v128.load(pb, 48);
    const x = v128.load_splat<T>(a);
    const y = v128.load_splat<T>(a + second);
    c00 = v128.add<T>(c00, v128.mul<T>(x, b0));
    c01 = v128.add<T>(c01, v128.mul<T>(x, b1));
    c02 = v128.add<T>(c02, v128.mul<T>(x, b2));
    c03 = v128.add<T>(c03, v128.mul<T>(x, b3));
    c10 = v128.add<T>(c10, v128.mul<T>(y, b0));
    c11 = v128.add<T>(c11, v128.mul<T>(y, b1));
    c12 = v128.add<T>(c12, v128.mul<T>(y, b2));
    c13 = v128.add<T>(c13, v128.mul<T>(y, b3));
    a += step;
    pb += 64;
  }
  v128.store(c, v128.sub<T>(v128.load(c), c00));
  v128.store(c, v128.sub<T>(v128.load(c, 16), c01), 16);
  v128.store(c, v128.sub<T>(v128.load(c, 32), c02), 32);
  v128.store(c, v128.sub<T>(v128.load(c, 48), c03), 48);
  const d = c + ldc8;
  v128.store(d, v128.sub<T>(v128.load(d), c10));
  v128.store(d, v128.sub<T>(v128.load(d, 16), c11), 16);
  v128.store(d, v128.sub<T>(v128.load(d, 32), c12), 32);
  v128.store(d, v128.sub<T>(v128.load(d, 48), c13), 48);
}

/** One row: C[0, 0..P) −= A[0, 0..kc) · B. */
function kern1<T>(kc: i32, a0: usize, pb: usize, c: usize): void {
  let c00 = v128.splat<T>(<T>0), c01 = v128.splat<T>(<T>0), c02 = v128.splat<T>(<T>0), c03 = v128.splat<T>(<T>0);
  const end = a0 + (<usize>kc << alignof<T>());
  while (a0 < end) {
    const x = v128.load_splat<T>(a0);
    c00 = v128.add<T>(c00, v128.mul<T>(x, v128.load(pb)));
    c01 = v128.add<T>(c01, v128.mul<T>(x, v128.load(pb, 16)));
    c02 = v128.add<T>(c02, v128.mul<T>(x, v128.load(pb, 32)));
    c03 = v128.add<T>(c03, v128.mul<T>(x, v128.load(pb, 48)));
    a0 += sizeof<T>();
    pb += 64;
  }
  v128.store(c, v128.sub<T>(v128.load(c), c00));
  v128.store(c, v128.sub<T>(v128.load(c, 16), c01), 16);
  v128.store(c, v128.sub<T>(v128.load(c, 32), c02), 32);
  v128.store(c, v128.sub<T>(v128.load(c, 48), c03), 48);
}

/**
 * Rows of one M-block against all full panels (panelBytes apart): row pairs pairBytes apart, each
 * laid out as kern2's second and step say; an odd last row plain at the next pair's place.
 */
function blockPanels<T>(mc: i32, kc: i32, nP: i32, a: usize, pairBytes: usize, second: usize, step: usize, pk: usize, panelBytes: usize, c: usize, ldc8: usize): void {
  for (let p = 0; p < nP; p++) {
    const pb = pk + <usize>p * panelBytes;
    let ar = a;
    let cr = c + (<usize>p << 6);
    let i = 0;
    for (; i + 2 <= mc; i += 2) {
      kern2<T>(kc, ar, second, step, pb, cr, ldc8);
      ar += pairBytes;
      cr += ldc8 << 1;
    }
    if (i < mc) kern1<T>(kc, ar, pb, cr);
  }
}

/** Rows of one M-block against the remaining (fewer than a panel) packed columns (colBytes apart). */
function blockCols<T>(mc: i32, kc: i32, rem: i32, a: usize, lda8: usize, pcol: usize, colBytes: usize, c: usize, ldc8: usize): void {
  for (let i = 0; i < mc; i++) {
    const ar = a + <usize>i * lda8;
    const cr = c + <usize>i * ldc8;
    for (let r = 0; r < rem; r++) {
      const p = cr + (<usize>r << alignof<T>());
      store<T>(p, load<T>(p) - dot<T>(kc, ar, pcol + <usize>r * colBytes));
    }
  }
}

/**
 * C(M×N) −= A(M×K) · B(K×N), row-major with leading dimensions lda, ldb, ldc (elements). With
 * upperA, A is upper triangular (a_ik = 0 for k < i): row blocks that lie entirely below a K slice
 * are skipped, and a block that starts inside one starts its K there (its rows' terms before that
 * are exact zeros, so the sums are the same).
 */
export function gemmSubT(M: i32, N: i32, K: i32, a: usize, lda: i32, b: usize, ldb: i32, c: usize, ldc: i32, upperA: bool): void {
  gemmOf<f64>(M, N, K, a, lda, b, ldb, c, ldc, upperA);
}

/** gemmSubT in the precision T (f64, or f32 for mixed.ts): the same blocking, panels of 64 bytes. */
export function gemmOf<T>(M: i32, N: i32, K: i32, a: usize, lda: i32, b: usize, ldb: i32, c: usize, ldc: i32, upperA: bool): void {
  if (M <= 0 || N <= 0 || K <= 0) return;
  const sh = alignof<T>();
  const nP = N / <i32>(64 / sizeof<T>());
  const rem = N % <i32>(64 / sizeof<T>());
  const lda8 = <usize>lda << sh;
  const ldb8 = <usize>ldb << sh;
  const ldc8 = <usize>ldc << sh;
  for (let k0 = 0; k0 < K; k0 += KC) {
    const kc = min(KC, K - k0);
    const pk = packBuffer((<usize>kc * <usize>N) << sh);
    packB<T>(kc, nP, rem, b + <usize>k0 * ldb8, ldb, pk);
    const ak = a + (<usize>k0 << sh);
    const pcol = pk + ((<usize>nP * <usize>kc) << 6);
    const mEnd = upperA ? min(M, k0 + kc) : M;
    const panelBytes = <usize>kc << 6;
    const colBytes = <usize>kc << sh;
    for (let i0 = 0; i0 < mEnd; i0 += MC) {
      const mc = min(MC, mEnd - i0);
      const skip = upperA && i0 > k0 ? i0 - k0 : 0;
      const kb = kc - skip;
      const s8 = <usize>skip << sh;
      const ai = ak + <usize>i0 * lda8 + s8;
      const ci = c + <usize>i0 * ldc8;
      const sp = pk + (<usize>skip << 6);
      if (nP >= 8) {
        const pa = packABuffer((<usize>MC * <usize>KC) << sh);
        packA<T>(mc, kb, ai, lda8, pa);
        blockPanels<T>(mc, kb, nP, pa, <usize>kb << (sh + 1), sizeof<T>(), sizeof<T>() << 1, sp, panelBytes, ci, ldc8);
      } else if (nP > 0) blockPanels<T>(mc, kb, nP, ai, lda8 << 1, lda8, sizeof<T>(), sp, panelBytes, ci, ldc8);
      if (rem > 0) blockCols<T>(mc, kb, rem, ai, lda8, pcol + s8, colBytes, ci + (<usize>nP << 6), ldc8);
    }
  }
}
