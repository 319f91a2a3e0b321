/**
 * Input validation shared by the reference (TypeScript) kernel and the wasm kernel, so both
 * reject the same inputs with the same KernelInputError messages before any numerics run.
 */
import { KernelInputError } from './errors.js';
import type { CSR, IterativeOptions } from './api.js';

/** Machine epsilon of float64 (2^-52). */
const EPS = 2 ** -52;

/**
 * Relative pivot threshold: pivot k of an LU factorisation is "negligible" (the matrix is
 * numerically singular) when |u_kk| ≤ PIVOT_REL_TOL · n · max_ij |m_ij|. Both kernels use it.
 */
export const PIVOT_REL_TOL = EPS;

/** The absolute pivot threshold for a matrix of order n whose largest entry is maxAbs. */
export function pivotThreshold(n: number, maxAbs: number): number {
  return PIVOT_REL_TOL * n * maxAbs;
}

function checkOrder(n: number, what = 'n'): void {
  if (!Number.isInteger(n) || n < 1) throw new KernelInputError(`${what} must be a positive integer, got ${n}`);
}

function checkFloat64(a: unknown, what: string): asserts a is Float64Array {
  if (!(a instanceof Float64Array)) throw new KernelInputError(`${what} must be a Float64Array`);
}

/** The error for a NaN or ±Infinity at index i of a block laid out `width` values per row. */
export function nonFiniteError(what: string, a: Float64Array, i: number, width: number): KernelInputError {
  const k = Math.floor(i / width);
  return new KernelInputError(`${what} has a non-finite entry ${a[i]} at index ${i} (row ${k}, column ${i - k * width})`);
}

/** Throws on the first NaN or ±Infinity, naming the entry (row, column of a row-major n-wide block). */
function checkFinite(a: Float64Array, what: string, width: number): void {
  for (let i = 0; i < a.length; i++) {
    const v = a[i]!;
    if (v - v !== 0) throw nonFiniteError(what, a, i, width);
  }
}

/**
 * a must be a finite n×n matrix (row-major Float64Array of length n*n). With finite = false only
 * the shape is checked (the wasm kernel scans for NaN/±Infinity itself, after copying).
 */
export function checkSquare(a: Float64Array, n: number, what = 'matrix', finite = true): void {
  checkOrder(n);
  checkFloat64(a, what);
  if (a.length !== n * n) {
    throw new KernelInputError(`${what} must be square n×n = ${n}×${n} (${n * n} values), got ${a.length} values`);
  }
  if (finite) checkFinite(a, what, n);
}

/** `count` finite n×n matrices one after another. */
export function checkBatch(a: Float64Array, n: number, count: number, what = 'batch', finite = true): void {
  checkOrder(n);
  checkOrder(count, 'count');
  checkFloat64(a, what);
  if (a.length !== count * n * n) {
    throw new KernelInputError(`${what} must hold count·n·n = ${count}·${n}·${n} = ${count * n * n} values, got ${a.length}`);
  }
  if (finite) checkFinite(a, what, n);
}

/** An optional output array given by the caller: a Float64Array of exactly len values. */
export function checkOut(out: Float64Array | undefined, len: number, what: string): void {
  if (out === undefined) return;
  checkFloat64(out, 'out');
  if (out.length !== len) throw new KernelInputError(`out must hold ${what} = ${len} values, got ${out.length}`);
}

/**
 * Inputs of leontiefRowsBatch: m base matrices (A.length = m·n·n, m dividing count), count·n
 * column multipliers and right-hand sides, and an optional count·n output. Returns m. With
 * finite = false only the shapes are checked (the wasm kernel scans after copying).
 */
export function checkRowsBatch(
  A: Float64Array,
  colScale: Float64Array,
  d: Float64Array,
  n: number,
  count: number,
  out: Float64Array | undefined,
  finite = true,
): number {
  checkOrder(n);
  checkOrder(count, 'count');
  checkFloat64(A, 'A');
  const m = A.length / (n * n);
  if (!Number.isInteger(m) || m < 1 || count % m !== 0) {
    throw new KernelInputError(
      `A must hold m base matrices of n·n = ${n * n} values with m dividing count = ${count}, got ${A.length} values`,
    );
  }
  const len = count * n;
  for (const [v, what] of [
    [colScale, 'colScale'],
    [d, 'd'],
  ] as [Float64Array, string][]) {
    checkFloat64(v, what);
    if (v.length !== len) throw new KernelInputError(`${what} must hold count·n = ${count}·${n} = ${len} values, got ${v.length}`);
  }
  checkOut(out, len, `count·n = ${count}·${n}`);
  if (finite) {
    checkFinite(A, 'A', n);
    checkFinite(colScale, 'colScale', n);
    checkFinite(d, 'd', n);
  }
  return m;
}

/**
 * Right-hand sides for order n: `blocks` blocks (1 for a single system, `count` for a batch)
 * of nrhs vectors each. nrhs defaults to what the length implies. Returns nrhs.
 */
export function checkRhs(b: Float64Array, n: number, nrhs?: number, blocks = 1, what = 'right-hand side', finite = true): number {
  checkFloat64(b, what);
  const per = n * blocks;
  const k = nrhs ?? b.length / per;
  if (!Number.isInteger(k) || k < 1) {
    throw new KernelInputError(
      nrhs === undefined
        ? `${what} length ${b.length} is not a positive multiple of ${blocks > 1 ? `count·n = ${per}` : `n = ${n}`}`
        : `nrhs must be a positive integer, got ${nrhs}`,
    );
  }
  if (b.length !== k * per) {
    throw new KernelInputError(
      `${what} must hold ${blocks > 1 ? `count·nrhs·n = ${blocks}·${k}·${n}` : `nrhs·n = ${k}·${n}`} = ${k * per} values, got ${b.length}`,
    );
  }
  if (finite) checkFinite(b, what, n);
  return k;
}

/** Structure and finiteness of a CSR matrix. */
function checkCSR(m: CSR, what = 'CSR matrix'): void {
  checkOrder(m.n, `${what}.n`);
  const { n, rowPtr, colIdx, values } = m;
  if (!(rowPtr instanceof Int32Array) || !(colIdx instanceof Int32Array)) {
    throw new KernelInputError(`${what}.rowPtr and .colIdx must be Int32Array`);
  }
  checkFloat64(values, `${what}.values`);
  if (rowPtr.length !== n + 1) throw new KernelInputError(`${what}.rowPtr must have n+1 = ${n + 1} entries, got ${rowPtr.length}`);
  if (rowPtr[0] !== 0) throw new KernelInputError(`${what}.rowPtr[0] must be 0`);
  const nnz = rowPtr[n]!;
  if (colIdx.length !== nnz || values.length !== nnz) {
    throw new KernelInputError(`${what}: rowPtr[n] = ${nnz} but colIdx has ${colIdx.length} and values ${values.length} entries`);
  }
  for (let i = 0; i < n; i++) {
    if (rowPtr[i + 1]! < rowPtr[i]!) throw new KernelInputError(`${what}.rowPtr decreases at row ${i}`);
  }
  for (let k = 0; k < nnz; k++) {
    const c = colIdx[k]!;
    if (c < 0 || c >= n) throw new KernelInputError(`${what}.colIdx[${k}] = ${c} is outside 0..${n - 1}`);
    const v = values[k]!;
    if (v - v !== 0) throw new KernelInputError(`${what}.values[${k}] is non-finite (${v})`);
  }
}

export interface ResolvedIterativeOptions {
  tol: number;
  maxIter: number;
  omega: number | 'auto';
  method: 'gauss-seidel' | 'jacobi';
  transposed: boolean;
}

const ITERATIVE_DEFAULTS = { tol: 1e-12, maxIter: 10_000, method: 'gauss-seidel' } as const;

export function resolveIterativeOptions(opts: (IterativeOptions & { transposed?: boolean }) | undefined): ResolvedIterativeOptions {
  const tol = opts?.tol ?? ITERATIVE_DEFAULTS.tol;
  const maxIter = opts?.maxIter ?? ITERATIVE_DEFAULTS.maxIter;
  const method = opts?.method ?? ITERATIVE_DEFAULTS.method;
  if (!(tol > 0) || !Number.isFinite(tol)) throw new KernelInputError(`tol must be a positive finite number, got ${tol}`);
  if (!Number.isInteger(maxIter) || maxIter < 1) throw new KernelInputError(`maxIter must be a positive integer, got ${maxIter}`);
  if (method !== 'gauss-seidel' && method !== 'jacobi') throw new KernelInputError(`unknown iterative method ${String(method)}`);
  const omega = opts?.omega ?? 'auto';
  if (omega !== 'auto' && !(omega > 0 && omega < 2)) throw new KernelInputError(`omega must be 'auto' or lie in (0, 2), got ${omega}`);
  return { tol, maxIter, method, omega, transposed: opts?.transposed ?? false };
}

/**
 * The 'auto' SOR factor from an upper bound ρ̂ on the spectral radius of the Jacobi matrix
 * (negative: the bound does not apply). SOR converges for ω < 2 / (1 + ρ(J)) when A ≥ 0; the
 * optimum 2 / (1 + √(1 − ρ²)) is exact for consistently ordered matrices and a good guess
 * otherwise (measured: best of 1–1.167 on dense test matrices).
 */
export function sorOmega(bound: number): number {
  if (!(bound >= 0 && bound < 1)) return 1;
  return Math.min(2 / (1 + Math.sqrt(1 - bound * bound)), 2 / (1 + bound) - 0.01);
}

/** Validates a dense (square, row-major) or CSR matrix for an iterative solve; returns n. */
export function checkIterativeMatrix(A: Float64Array | CSR, finite = true): number {
  let n: number;
  if (A instanceof Float64Array) {
    n = Math.round(Math.sqrt(A.length));
    if (n * n !== A.length || n < 1) throw new KernelInputError(`dense A must be square, got ${A.length} values`);
    if (finite) checkFinite(A, 'A', n);
  } else if (A && typeof A === 'object' && 'rowPtr' in A) {
    checkCSR(A, 'A');
    n = A.n;
  } else {
    throw new KernelInputError('A must be a Float64Array (dense, row-major) or a CSR matrix');
  }
  return n;
}

/** b must hold nrhs (default b.length / n) finite vectors of length n; returns nrhs. */
export function checkIterativeRhs(b: Float64Array, n: number, nrhs?: number): number {
  checkFloat64(b, 'b');
  const k = nrhs ?? b.length / n;
  if (!Number.isInteger(k) || k < 1 || b.length !== k * n) {
    throw new KernelInputError(
      nrhs === undefined
        ? `b must have n = ${n} entries (or a multiple of n: one vector after another), got ${b.length}`
        : `b must have nrhs · n = ${nrhs} · ${n} entries, got ${b.length}`,
    );
  }
  checkFinite(b, 'b', n);
  return k;
}

/** Largest |entry|, and whether the matrix is all zero. */
export function maxAbs(a: Float64Array | Float32Array, off = 0, len = a.length): number {
  let m = 0;
  for (let i = off; i < off + len; i++) {
    const v = Math.abs(a[i]!);
    if (v > m) m = v;
  }
  return m;
}

/** Unit roundoff of f32 (2⁻²³): the f32 factorisation's relative pivot threshold is this · n. */
export const F32_EPS = 1.1920928955078125e-7;
/** Largest finite f32: a matrix with a larger entry is not factored in f32. */
export const F32_MAX = 3.4028234663852886e38;

/** solveMixed's tolerance and step limit, defaults filled in (1e-15, 10), checked. */
export function resolveMixedOptions(opts?: { tol?: number; maxSteps?: number }): { tol: number; maxSteps: number } {
  const tol = opts?.tol ?? 1e-15;
  const maxSteps = opts?.maxSteps ?? 10;
  if (!(tol > 0) || !Number.isFinite(tol)) throw new KernelInputError(`tol must be a positive number, got ${tol}`);
  if (!Number.isInteger(maxSteps) || maxSteps < 1) throw new KernelInputError(`maxSteps must be a positive integer, got ${maxSteps}`);
  return { tol, maxSteps };
}
