// Fork-join for the threaded build (assembly/threads.ts): the layer between the level-3 blocks
// (gemm.ts, trsm.ts) and the factorisations (lu.ts), which call the wrappers below. One instance
// of the module per thread, all over one shared memory. The main instance cuts a large GEMM or
// triangular solve into chunks of whole rows (or whole 8-column panels) and every thread takes
// chunks from a shared counter, so a thread that the OS deschedules on a busy machine simply takes
// fewer. Each element is then computed by the same operations in the same order as in one call, so
// the LU factors are bit-identical to the single-thread ones (the inverse's triangular GEMM skips
// zero slices per chunk and may differ in the last bits).
//
// The triangular solves take their GEMM as an argument: gemmSubP from the wrappers, so a large
// update inside an unsplit solve still splits by rows; gemmSubT inside a chunk, where nothing may
// fork again.
//
// In the single-thread build ASC_FEATURE_THREADS is false and every wrapper is the plain call.
//
// Only the main instance allocates (each instance has its own allocator state over the shared
// heap): it lends the workers their GEMM pack buffers, grown here before a job is posted.
import { gemmSubT, lendScratch, packBytesB, PACK_A_BYTES } from './gemm';
import { permuteBackward } from './matrix';
import { trsmLL, trsmLU, trsmRL, trsmRU } from './trsm';

// Control block (i32 words), allocated and zeroed by the host.
const JOB = 0; // seq << 8 | CLOSED | number of workers that joined
const DONE = 4; // workers that finished the job
const NEXT = 8; // next chunk to take
const KIND = 12;
const TOTAL = 16; // rows or columns to split
const CHUNK = 20;
const ERR = 24; // set by a worker whose job failed (the host reports it)
const PM = 28; // job parameters: M N K a lda b ldb c ldc (9 words)
const SCR = 64; // per thread t: lent pack buffers B ptr, B bytes, A ptr, A bytes at SCR + 16 t
const CLOSED = 0x80;
export const MAX_THREADS = 16;
export const CTL_BYTES: usize = SCR + 16 * MAX_THREADS;

const GEMM = 1;
const GEMM_UPPER = 2;
const TRSM_LL = 3;
const TRSM_LU = 4;
const TRSM_RU = 5;
const TRSM_RL = 6;
const ZERO = 7;
const PERM = 8;
const LU_UPDATE = 9;
const QUIT = 10;

/** Work (flops) below which a call stays on the calling thread: a fork costs ~10–50 µs. */
const FORK_FLOPS: f64 = 1e6;
/** Chunks per thread: enough to even out a slow thread, few enough to keep packing cheap. */
const CHUNKS_PER_THREAD = 4;
/** Polls of the control block before sleeping in atomic.wait (~20 µs in optimised code). */
const SPIN = 1 << 14;

let nthreads = 1;
let ctl: usize = 0;
let seq = 0;
/** The main instance is running its share of a job: calls inside it must not fork again. */
let inPar = false;

/** Main instance: use `threads` threads (workers 1..threads−1 call workerStep) over control block c. */
export function parSetup(c: usize, threads: i32): void {
  ctl = c;
  nthreads = max(1, min(threads, MAX_THREADS));
}

@inline function p(i: i32): i32 {
  return load<i32>(ctl + PM + (<usize>i << 2));
}

/** Runs chunk rows (or columns) [i0, i1) of the posted job. */
function runChunk(kind: i32, i0: i32, i1: i32): void {
  const M = p(0), N = p(1), K = p(2), lda = p(4), ldb = p(6), ldc = p(8);
  const a = <usize>p(3), b = <usize>p(5), c = <usize>p(7);
  const lda8 = <usize>lda << 3, ldb8 = <usize>ldb << 3, ldc8 = <usize>ldc << 3;
  const r = i1 - i0;
  if (kind == GEMM) gemmSubT(r, N, K, a + <usize>i0 * lda8, lda, b, ldb, c + <usize>i0 * ldc8, ldc, false);
  else if (kind == GEMM_UPPER) {
    // Rows from i0 of an upper triangular A are zero before column i0.
    const k0 = min(i0, K);
    gemmSubT(r, N, K - k0, a + <usize>i0 * lda8 + (<usize>k0 << 3), lda, b + <usize>k0 * ldb8, ldb, c + <usize>i0 * ldc8, ldc, true);
  } else if (kind == TRSM_LL) trsmLL<f64>(M, r, a, lda, b + (<usize>i0 << 3), ldb, gemmSubT);
  else if (kind == TRSM_LU) trsmLU(M, r, a, lda, b + (<usize>i0 << 3), ldb, gemmSubT);
  else if (kind == TRSM_RU) trsmRU(r, N, a, lda, b + <usize>i0 * ldb8, ldb, gemmSubT);
  else if (kind == TRSM_RL) trsmRL(r, N, a, lda, b + <usize>i0 * ldb8, ldb, gemmSubT);
  else if (kind == ZERO) memory.fill(c + <usize>i0 * ldc8, 0, <usize>r * ldc8);
  else if (kind == PERM) permuteBackward(c + <usize>i0 * ldc8, ldc, r, b);
  else if (kind == LU_UPDATE) {
    // Columns [i0, i1) of the right half of a recursive LU step: U12 ← L11⁻¹ A12, A22 −= A21 U12.
    const bj = b + (<usize>i0 << 3);
    trsmLL<f64>(K, r, a, lda, bj, ldb, gemmSubT);
    gemmSubT(M, r, K, a + <usize>K * lda8, lda, bj, ldb, c + (<usize>i0 << 3), ldc, false);
  }
}

/** Takes chunks until none is left. */
function work(): void {
  const kind = load<i32>(ctl + KIND), total = load<i32>(ctl + TOTAL), chunk = load<i32>(ctl + CHUNK);
  while (true) {
    const i0 = atomic.add<i32>(ctl + NEXT, 1) * chunk;
    if (i0 >= total) return;
    runChunk(kind, i0, min(total, i0 + chunk));
  }
}

/** Grows the workers' lent pack buffers to hold B slices of N columns (main instance only). */
function ensureScratch(N: i32): void {
  const need = (packBytesB(N) + 65535) & ~<usize>65535;
  for (let t = 1; t < nthreads; t++) {
    const s = ctl + SCR + (<usize>t << 4);
    if (<usize>load<i32>(s + 4) < need) {
      const old = <usize>load<i32>(s);
      if (old) heap.free(old);
      store<i32>(s, <i32>heap.alloc(need));
      store<i32>(s, <i32>need, 4);
    }
    if (!load<i32>(s, 8)) {
      store<i32>(s, <i32>heap.alloc(PACK_A_BYTES), 8);
      store<i32>(s, <i32>PACK_A_BYTES, 12);
    }
  }
}

/** Frees the workers' lent buffers (main instance, for memory accounting). */
export function parReleaseScratch(): void {
  if (ctl == 0) return;
  for (let t = 1; t < MAX_THREADS; t++) {
    const s = ctl + SCR + (<usize>t << 4);
    if (load<i32>(s)) heap.free(<usize>load<i32>(s));
    if (load<i32>(s, 8)) heap.free(<usize>load<i32>(s, 8));
    memory.fill(s, 0, 16);
  }
}

function setParams(M: i32, N: i32, K: i32, a: usize, lda: i32, b: usize, ldb: i32, c: usize, ldc: i32): void {
  const q = ctl + PM;
  store<i32>(q, M);
  store<i32>(q, N, 4);
  store<i32>(q, K, 8);
  store<i32>(q, <i32>a, 12);
  store<i32>(q, lda, 16);
  store<i32>(q, <i32>b, 20);
  store<i32>(q, ldb, 24);
  store<i32>(q, <i32>c, 28);
  store<i32>(q, ldc, 32);
}

/** Posts the job (parameters already set) to the workers. */
function post(kind: i32, total: i32, chunk: i32): void {
  store<i32>(ctl + KIND, kind);
  store<i32>(ctl + TOTAL, total);
  store<i32>(ctl + CHUNK, chunk);
  atomic.store<i32>(ctl + DONE, 0);
  atomic.store<i32>(ctl + NEXT, 0);
  seq = (seq + 1) & 0xffffff;
  if (seq == 0) seq = 1;
  atomic.store<i32>(ctl + JOB, seq << 8);
  atomic.notify(ctl + JOB, nthreads - 1);
}

/** Main instance: runs the job on all threads and returns when every chunk is done. */
function fork(kind: i32, total: i32, chunk: i32, packCols: i32): void {
  if (packCols > 0) ensureScratch(packCols);
  post(kind, total, chunk);
  inPar = true;
  work();
  inPar = false;
  // Close the job: a worker that wakes up later stays out; wait for those that joined.
  let s = atomic.load<i32>(ctl + JOB);
  while (true) {
    const r = atomic.cmpxchg<i32>(ctl + JOB, s, s | CLOSED);
    if (r == s) break;
    s = r;
  }
  const joined = s & 0x7f;
  for (let spin = 0; ; spin++) {
    const d = atomic.load<i32>(ctl + DONE);
    if (d >= joined) break;
    if (spin >= SPIN) atomic.wait<i32>(ctl + DONE, d, -1);
  }
  if (load<i32>(ctl + ERR)) unreachable();
}

/**
 * Worker instance `tid` (1 ≤ tid < threads): waits for the next job after seq `seen`, serves it
 * and returns its seq, or −1 on QUIT. The worker's JavaScript calls it in a loop: one call per
 * job rather than one endless call, because V8 (Node 20) cannot move a running function to
 * optimised code, and the spin below costs ~30× more in baseline code.
 */
export function workerStep(c: usize, tid: i32, seen: i32): i32 {
  ctl = c;
  let s = atomic.load<i32>(c + JOB);
  while (true) {
    if (s >>> 8 == seen || (s & CLOSED) != 0) {
      // Nothing to join: spin a little (jobs often come back to back), then sleep until it changes.
      let v = s;
      for (let i = 0; i < SPIN && v == s; i++) v = atomic.load<i32>(c + JOB);
      if (v == s) atomic.wait<i32>(c + JOB, s, -1);
      s = atomic.load<i32>(c + JOB);
      continue;
    }
    const r = atomic.cmpxchg<i32>(c + JOB, s, s + 1);
    if (r == s) break;
    s = r;
  }
  if (load<i32>(c + KIND) == QUIT) return -1;
  const scr = c + SCR + (<usize>tid << 4);
  lendScratch(<usize>load<i32>(scr), <usize>load<i32>(scr, 4), <usize>load<i32>(scr, 8), <usize>load<i32>(scr, 12));
  work();
  atomic.add<i32>(c + DONE, 1);
  atomic.notify(c + DONE, 1);
  return s >>> 8;
}

/** Main instance: tells the workers to stop (workerStep returns −1); back to one thread. */
export function parQuit(): void {
  if (nthreads > 1) post(QUIT, 0, 1);
  nthreads = 1;
}

@inline function canFork(flops: f64, parts: i32): bool {
  return nthreads > 1 && !inPar && parts >= 2 && flops >= FORK_FLOPS;
}

/** Chunk size: about CHUNKS_PER_THREAD per thread, a multiple of `unit`, at least `least`. */
@inline function chunkOf(total: i32, unit: i32, least: i32): i32 {
  const c = (total + nthreads * CHUNKS_PER_THREAD - 1) / (nthreads * CHUNKS_PER_THREAD);
  return max(least, (c + unit - 1) / unit * unit);
}

/** gemmSubT, split by rows of C. */
export function gemmSubP(M: i32, N: i32, K: i32, a: usize, lda: i32, b: usize, ldb: i32, c: usize, ldc: i32, upperA: bool): void {
  if (ASC_FEATURE_THREADS) {
    const flops = 2.0 * <f64>M * <f64>N * <f64>K * (upperA ? 0.5 : 1.0);
    if (canFork(flops, M >> 5)) {
      setParams(M, N, K, a, lda, b, ldb, c, ldc);
      fork(upperA ? GEMM_UPPER : GEMM, M, chunkOf(M, 2, 32), N);
      return;
    }
  }
  gemmSubT(M, N, K, a, lda, b, ldb, c, ldc, upperA);
}

/**
 * One step of the recursive LU on the right half (w1 = pivots done, N columns, M rows below):
 * U12 ← L11⁻¹ A12 and A22 −= A21 U12, with l11 = A11 (ld), its A21 below, u12 = A12 and a22 = A22.
 * Split by 8-column panels: a column's triangular solve and update need no other column, so one
 * fork does both.
 */
export function luUpdateP(w1: i32, N: i32, M: i32, l11: usize, u12: usize, a22: usize, ld: i32): void {
  if (ASC_FEATURE_THREADS) {
    if (canFork(<f64>N * <f64>w1 * (<f64>w1 + 2.0 * <f64>M), N >> 4)) {
      setParams(M, N, w1, l11, ld, u12, ld, a22, ld);
      const chunk = chunkOf(N, 8, 16);
      fork(LU_UPDATE, N, chunk, chunk);
      return;
    }
  }
  trsmLLP(w1, N, l11, ld, u12, ld);
  gemmSubP(M, N, w1, l11 + <usize>w1 * (<usize>ld << 3), ld, u12, ld, a22, ld, false);
}

/** trsmLL (B ← L⁻¹ B, B m×N), split by 8-column panels of B. */
export function trsmLLP(m: i32, N: i32, l: usize, ldl: i32, b: usize, ldb: i32): void {
  if (ASC_FEATURE_THREADS) {
    if (canFork(<f64>m * <f64>m * <f64>N, N >> 4)) {
      setParams(m, N, 0, l, ldl, b, ldb, 0, 0);
      const chunk = chunkOf(N, 8, 16);
      fork(TRSM_LL, N, chunk, chunk);
      return;
    }
  }
  trsmLL<f64>(m, N, l, ldl, b, ldb, gemmSubP);
}

/** trsmLU (B ← U⁻¹ B), split by 8-column panels of B. */
export function trsmLUP(m: i32, N: i32, u: usize, ldu: i32, b: usize, ldb: i32): void {
  if (ASC_FEATURE_THREADS) {
    if (canFork(<f64>m * <f64>m * <f64>N, N >> 4)) {
      setParams(m, N, 0, u, ldu, b, ldb, 0, 0);
      const chunk = chunkOf(N, 8, 16);
      fork(TRSM_LU, N, chunk, chunk);
      return;
    }
  }
  trsmLU(m, N, u, ldu, b, ldb, gemmSubP);
}

/** trsmRU (X U = R, R M×w), split by rows of R. */
export function trsmRUP(M: i32, w: i32, u: usize, ldu: i32, r: usize, ldr: i32): void {
  if (ASC_FEATURE_THREADS) {
    if (canFork(<f64>M * <f64>w * <f64>w, M >> 4)) {
      setParams(M, w, 0, u, ldu, r, ldr, 0, 0);
      fork(TRSM_RU, M, chunkOf(M, 2, 16), w);
      return;
    }
  }
  trsmRU(M, w, u, ldu, r, ldr, gemmSubP);
}

/** trsmRL (X L = R), split by rows of R. */
export function trsmRLP(M: i32, w: i32, l: usize, ldl: i32, r: usize, ldr: i32): void {
  if (ASC_FEATURE_THREADS) {
    if (canFork(<f64>M * <f64>w * <f64>w, M >> 4)) {
      setParams(M, w, 0, l, ldl, r, ldr, 0, 0);
      fork(TRSM_RL, M, chunkOf(M, 2, 16), w);
      return;
    }
  }
  trsmRL(M, w, l, ldl, r, ldr, gemmSubP);
}

/** memory.fill of rows×n doubles at x with 0, split by rows. */
export function zeroRowsP(x: usize, rows: i32, n: i32): void {
  if (ASC_FEATURE_THREADS) {
    if (canFork(<f64>rows * <f64>n * 8, rows >> 6)) {
      setParams(0, 0, 0, 0, 0, 0, 0, x, n);
      fork(ZERO, rows, chunkOf(rows, 1, 64), 0);
      return;
    }
  }
  memory.fill(x, 0, (<usize>rows * <usize>n) << 3);
}

/** permuteBackward over rows×n at x, split by rows. */
export function permuteBackwardP(x: usize, n: i32, rows: i32, piv: usize): void {
  if (ASC_FEATURE_THREADS) {
    if (canFork(<f64>rows * <f64>n * 8, rows >> 6)) {
      setParams(0, 0, 0, 0, 0, piv, 0, x, n);
      fork(PERM, rows, chunkOf(rows, 1, 64), 0);
      return;
    }
  }
  permuteBackward(x, n, rows, piv);
}
