/**
 * The solvers the benchmark compares, each prepared on a test system as one closure per
 * operation. Every closure does the whole operation from the matrix M = I − A (the work the
 * caller would pay for), so the ops mean the same for every solver:
 * - lu: factor M (the kernel copies M into its memory, factors it, and the factorisation is freed);
 * - inverse: M⁻¹ from M;
 * - solve1 / solve4: X with M X = B for 1 or 4 right-hand sides, from M (LU + substitutions).
 * The iterative solver solves (I − A) x = b by Gauss–Seidel to a relative residual of 1e-10
 * (solve1), and four right-hand sides on one prepared operator for solve4; it has no lu or inverse.
 *
 * The numpy solver is not here: it runs in a child process (src/benchmark/numpy.ts).
 */
import type { Kernel } from '../kernel/api.js';
import { referenceKernel } from '../kernel/index.js';
import { selectKernel } from '../kernel/select.js';
import { leontiefSystem, type BenchSystem } from './matrices.js';
import { rhsCount, type Op, type SolverName } from './types.js';

/** An operation prepared on one system: `run` is timed, `answer` is checked once. */
export interface PreparedOp {
  run(): unknown;
  /** Runs the op once and returns the solution block it implies (for M⁻¹: M⁻¹ b₁; for lu: the LU solve of b₁). */
  answer(): Promise<{ x: Float64Array; b: Float64Array; nrhs: number }> | { x: Float64Array; b: Float64Array; nrhs: number };
}

export interface SolverVariant {
  readonly solver: SolverName;
  readonly threads: number;
  readonly ops: readonly Op[];
  /** Slow pure-JavaScript solvers: skipped at n ≥ 2048 unless --all. */
  readonly heavy: boolean;
  /** Smallest order the variant runs at (the threaded kernel only pays for large n). */
  readonly minN?: number;
  /** A short description for the notes (e.g. which kernel it is). */
  readonly label: string;
  prepare(sys: BenchSystem): Partial<Record<Op, PreparedOp>>;
  /** Releases what the variant holds (worker threads, kernel memory). */
  dispose?(): Promise<void> | void;
  /** Lines for the run's notes, filled while it runs (e.g. which path a mixed-precision solve took). */
  readonly notes?: string[];
}

/** Iterative tolerance: relative residual ‖(I − A)x − b‖∞ / ‖b‖∞. */
const ITERATIVE_TOL = 1e-10;

function firstRhs(sys: BenchSystem): Float64Array {
  return sys.B.subarray(0, sys.n);
}

function rhsBlock(sys: BenchSystem, op: Op): Float64Array {
  return sys.B.subarray(0, rhsCount(op) * sys.n);
}

/** y = X b for a row-major n×n X. */
function matVec(X: Float64Array, n: number, b: Float64Array): Float64Array {
  const y = new Float64Array(n);
  for (let i = 0; i < n; i++) {
    let s = 0;
    for (let j = 0; j < n; j++) s += X[i * n + j]! * b[j]!;
    y[i] = s;
  }
  return y;
}

/** The variant for any object implementing the Kernel interface (direct methods). */
export function kernelVariant(
  kernel: Kernel,
  solver: SolverName,
  opts: {
    threads?: number;
    heavy?: boolean;
    label?: string;
    ops?: readonly Op[];
    minN?: number;
    dispose?: () => Promise<void> | void;
  } = {},
): SolverVariant {
  return {
    solver,
    threads: opts.threads ?? 1,
    ops: opts.ops ?? ['lu', 'inverse', 'solve1', 'solve4'],
    heavy: opts.heavy ?? false,
    minN: opts.minN,
    label: opts.label ?? `kernel '${kernel.name}'`,
    prepare(sys) {
      const { n, M } = sys;
      const b1 = firstRhs(sys);
      const solveOp = (op: 'solve1' | 'solve4'): PreparedOp => {
        const b = rhsBlock(sys, op);
        const nrhs = rhsCount(op);
        return {
          run: () => kernel.solve(M, n, b, { nrhs }),
          answer: () => ({ x: kernel.solve(M, n, b, { nrhs }), b, nrhs }),
        };
      };
      const out = new Float64Array(n * n);
      return {
        lu: {
          run: () => kernel.factor(M, n).free(),
          answer: () => {
            const f = kernel.factor(M, n);
            try {
              return { x: f.solve(b1, 1), b: b1, nrhs: 1 };
            } finally {
              f.free();
            }
          },
        },
        // Into one reused array, as numpy's allocator reuses the pages of the result it freed:
        // a fresh 13.5 MB array per call (n = 1302) adds ~40 ms of first-touch page faults here.
        inverse: {
          run: () => kernel.inverse(M, n, { out }),
          answer: () => ({ x: matVec(kernel.inverse(M, n), n, b1), b: b1, nrhs: 1 }),
        },
        solve1: solveOp('solve1'),
        solve4: solveOp('solve4'),
      };
    },
    dispose: opts.dispose,
  };
}

/**
 * The iterative variant: Gauss–Seidel on (I − A) x = b from A. solve1 is one
 * solveLeontiefIterative call (A copied into the kernel each time); solve4 prepares the operator
 * once (prepareLeontiefIterative: one copy of A), solves the four right-hand sides and frees it.
 */
export function iterativeVariant(kernel: Kernel, opts: { label?: string } = {}): SolverVariant {
  const iterOpts = { tol: ITERATIVE_TOL, method: 'gauss-seidel', maxIter: 10_000 } as const;
  return {
    solver: 'embodied-iterative',
    threads: 1,
    ops: ['solve1', 'solve4'],
    heavy: false,
    label:
      opts.label ??
      `kernel '${kernel.name}' Gauss–Seidel, tol ${ITERATIVE_TOL}: solve1 = solveLeontiefIterative, solve4 = prepareLeontiefIterative + 4 solves`,
    prepare(sys) {
      const { n, A } = sys;
      const b1 = firstRhs(sys);
      const b4 = rhsBlock(sys, 'solve4');
      const one = () => kernel.solveLeontiefIterative(A, b1, iterOpts).x;
      const four = () => {
        const x = new Float64Array(4 * n);
        const op = kernel.prepareLeontiefIterative(A);
        try {
          for (let k = 0; k < 4; k++) x.set(op.solve(b4.subarray(k * n, (k + 1) * n), iterOpts).x, k * n);
        } finally {
          op.free();
        }
        return x;
      };
      return {
        solve1: { run: one, answer: () => ({ x: one(), b: b1, nrhs: 1 }) },
        solve4: { run: four, answer: () => ({ x: four(), b: b4, nrhs: 4 }) },
      };
    },
  };
}

/**
 * The mixed-precision solve (Kernel.solveMixed: f32 LU, f64 refinement, f64 LU as fallback) from M,
 * for 1 and 4 right-hand sides; the path and steps of each checked answer go to the notes.
 */
export function mixedVariant(kernel: Kernel): SolverVariant {
  const notes: string[] = [];
  return {
    solver: 'embodied-mixed',
    threads: 1,
    ops: ['solve1', 'solve4'],
    heavy: false,
    notes,
    label: `kernel '${kernel.name}' solveMixed: f32 LU (f32x4), refinement with f64 residuals to backward error 1e-15, f64 LU as fallback`,
    prepare(sys) {
      const { n, M } = sys;
      const solveOp = (op: 'solve1' | 'solve4'): PreparedOp => {
        const b = rhsBlock(sys, op);
        const nrhs = rhsCount(op);
        return {
          run: () => kernel.solveMixed(M, n, b, { nrhs }),
          answer: () => {
            const r = kernel.solveMixed(M, n, b, { nrhs });
            const how = r.path === 'mixed' ? `${r.steps} refinement steps` : `f64 fallback (${r.fallback}) after ${r.steps} steps`;
            notes.push(`embodied-mixed n=${n} ${op}: ${how}, backward error ${r.backwardError.toExponential(2)}`);
            return { x: r.x, b, nrhs };
          },
        };
      };
      return { solve1: solveOp('solve1'), solve4: solveOp('solve4') };
    },
  };
}

/** ml-matrix (devDependency): LuDecomposition, inverse, solve on its own Matrix type. */
export async function mlMatrixVariant(): Promise<SolverVariant | string> {
  let ml: typeof import('ml-matrix');
  try {
    // ml-matrix's types describe its CommonJS shape; the ESM namespace has the same named exports.
    ml = (await import('ml-matrix')) as unknown as typeof import('ml-matrix');
  } catch (e) {
    return `ml-matrix is not installed (${(e as Error).message.split('\n')[0]}): skipped`;
  }
  const { Matrix, LuDecomposition, inverse, solve } = ml;
  const toColumns = (b: Float64Array, n: number, nrhs: number) => {
    const m = new Matrix(n, nrhs);
    for (let k = 0; k < nrhs; k++) for (let i = 0; i < n; i++) m.set(i, k, b[k * n + i]!);
    return m;
  };
  const fromColumns = (m: InstanceType<typeof Matrix>, n: number, nrhs: number) => {
    const x = new Float64Array(n * nrhs);
    for (let k = 0; k < nrhs; k++) for (let i = 0; i < n; i++) x[k * n + i] = m.get(i, k);
    return x;
  };
  return {
    solver: 'ml-matrix',
    threads: 1,
    ops: ['lu', 'inverse', 'solve1', 'solve4'],
    heavy: true,
    label: 'ml-matrix LuDecomposition / inverse / solve',
    prepare(sys) {
      const { n } = sys;
      const M = Matrix.from1DArray(n, n, sys.M);
      const b1 = firstRhs(sys);
      const b1m = toColumns(b1, n, 1);
      const solveOp = (op: 'solve1' | 'solve4'): PreparedOp => {
        const nrhs = rhsCount(op);
        const b = rhsBlock(sys, op);
        const bm = toColumns(b, n, nrhs);
        return {
          run: () => solve(M, bm),
          answer: () => ({ x: fromColumns(solve(M, bm), n, nrhs), b, nrhs }),
        };
      };
      return {
        lu: {
          run: () => new LuDecomposition(M),
          answer: () => ({ x: fromColumns(new LuDecomposition(M).solve(b1m), n, 1), b: b1, nrhs: 1 }),
        },
        inverse: {
          run: () => inverse(M),
          answer: () => ({ x: fromColumns(inverse(M).mmul(b1m), n, 1), b: b1, nrhs: 1 }),
        },
        solve1: solveOp('solve1'),
        solve4: solveOp('solve4'),
      };
    },
  };
}

/** The plain TypeScript reference kernel (src/kernel/reference.ts): the js-baseline. */
export function jsBaselineVariant(): SolverVariant {
  return kernelVariant(referenceKernel, 'js-baseline', {
    heavy: true,
    label: 'src/kernel/reference.ts (unblocked right-looking LU with partial pivoting, plain TypeScript)',
  });
}

/** The wasm kernel (selectKernel('wasm')), or why it is unavailable. */
export async function loadWasmKernel(): Promise<Kernel | string> {
  try {
    return (await selectKernel('wasm')).kernel;
  } catch (e) {
    return `wasm kernel failed to load (${(e as Error).message}; run npm run build:wasm): embodied skipped`;
  }
}

/**
 * What chooses the CPU for single-thread runs (src/benchmark/affinity.ts): four wasm LUs of n = 240 (in
 * cache, GEMM-bound like the large runs), timed in ms; undefined without the wasm kernel.
 */
export async function wasmLuProbe(): Promise<(() => number) | undefined> {
  const k = await loadWasmKernel();
  if (typeof k === 'string') return undefined;
  const n = 240;
  const { M } = leontiefSystem(n);
  return () => {
    const t = performance.now();
    for (let r = 0; r < 4; r++) k.factor(M, n).free();
    return performance.now() - t;
  };
}

/** The threaded wasm kernel (src/kernel/threads.ts) at `threads` threads, or why it is unavailable. */
export async function loadThreadedKernel(threads: number): Promise<{ kernel: Kernel; dispose: () => Promise<void> } | string> {
  try {
    const { kernel } = await selectKernel('threads', { threads });
    return { kernel, dispose: () => kernel.close() };
  } catch (e) {
    return `embodied-threads (${threads} threads) failed to load (${(e as Error).message}): skipped`;
  }
}
