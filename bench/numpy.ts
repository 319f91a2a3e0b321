/**
 * The numpy reference: finds a python3 that imports numpy and runs bench/numpy_bench.py in a child
 * process, once per BLAS thread count, with OPENBLAS_NUM_THREADS (and OMP/MKL) set to that count
 * and OPENBLAS_CORETYPE / OPENBLAS_L2_SIZE removed from its environment.
 */
import { spawn, spawnSync } from 'node:child_process';
import { existsSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import type { Op } from './types.js';

export interface PythonInfo {
  /** The interpreter command or path that was found. */
  readonly python: string;
  /** Its sys.executable (the real binary behind a pyenv shim), used to run the benchmark. */
  readonly executable: string;
  readonly numpy: string;
  /** scipy version, or null when scipy is not importable. */
  readonly scipy: string | null;
}

export interface NumpyResult {
  readonly n: number;
  readonly op: Op;
  readonly median_ms: number;
  readonly min_ms: number;
  readonly samples: number;
  /** ‖M x − b‖∞ / (‖M‖∞ ‖x‖∞ + ‖b‖∞) of the operation's answer. */
  readonly residual: number;
}

export interface NumpyRun {
  readonly python: string;
  readonly executable: string;
  readonly numpy: string;
  readonly scipy: string | null;
  /** How `lu` was timed: scipy.linalg.lu_factor, or the np.linalg.solve proxy. */
  readonly lu_method: string;
  readonly blas: unknown;
  readonly threads: number | null;
  readonly results: NumpyResult[];
}

export interface NumpyOptions {
  readonly sizes: readonly number[];
  readonly ops: readonly Op[];
  readonly threads: number;
  readonly timeMs: number;
  readonly minIter: number;
  readonly warmupMs: number;
  readonly seed: number;
  /** Receives the child's progress lines (its stderr). */
  readonly progress?: (line: string) => void;
}

/** Environment variables removed from the child: they pin OpenBLAS to a core type and cache size. */
export const OPENBLAS_REMOVED = ['OPENBLAS_CORETYPE', 'OPENBLAS_L2_SIZE'] as const;

/** Candidate interpreters, in order: $EMBODIED_PYTHON, python3 on PATH, Debian's /usr/bin/python3. */
function candidates(): string[] {
  const list = [process.env.EMBODIED_PYTHON, 'python3', '/usr/bin/python3'].filter((p): p is string => !!p);
  return [...new Set(list)];
}

/** The first python3 that imports numpy, or null with the reasons the others failed. */
export function findPython(): { info: PythonInfo | null; tried: string[] } {
  const tried: string[] = [];
  const probe = 'import json, sys, numpy\ntry:\n import scipy; s = scipy.__version__\nexcept Exception:\n s = None\nprint(json.dumps([numpy.__version__, s, sys.executable]))';
  for (const python of candidates()) {
    const r = spawnSync(python, ['-c', probe], { encoding: 'utf8', timeout: 30_000 });
    if (r.status === 0) {
      try {
        const [numpy, scipy, exe] = JSON.parse(r.stdout.trim()) as [string, string | null, string];
        return { info: { python, executable: exe || python, numpy, scipy }, tried };
      } catch {
        tried.push(`${python}: unreadable probe output`);
        continue;
      }
    }
    tried.push(`${python}: ${r.error ? r.error.message : (r.stderr.trim().split('\n').pop() ?? `exit ${r.status}`)}`);
  }
  return { info: null, tried };
}

/** bench/numpy_bench.py, from bench/ (tsx) or dist/bench/ (built). */
export function numpyScriptPath(): string {
  for (const rel of ['./numpy_bench.py', '../../bench/numpy_bench.py']) {
    const p = fileURLToPath(new URL(rel, import.meta.url));
    if (existsSync(p)) return p;
  }
  throw new Error('bench/numpy_bench.py not found next to the benchmark modules');
}

/** The child's environment: BLAS threads fixed, OpenBLAS core-type and L2-size overrides removed. */
export function numpyEnv(threads: number, base: NodeJS.ProcessEnv = process.env): NodeJS.ProcessEnv {
  const env: NodeJS.ProcessEnv = { ...base };
  for (const k of OPENBLAS_REMOVED) delete env[k];
  const t = String(threads);
  env.OPENBLAS_NUM_THREADS = t;
  env.OMP_NUM_THREADS = t;
  env.MKL_NUM_THREADS = t;
  return env;
}

/** Runs the numpy benchmark in a child process and returns its parsed report. */
export function runNumpy(python: string, o: NumpyOptions): Promise<NumpyRun> {
  const args = [
    numpyScriptPath(),
    '--sizes', o.sizes.join(','),
    '--ops', o.ops.join(','),
    '--time-ms', String(o.timeMs),
    '--min-iter', String(o.minIter),
    '--warmup-ms', String(o.warmupMs),
    '--seed', String(o.seed),
  ];
  return new Promise((resolve, reject) => {
    const child = spawn(python, args, { env: numpyEnv(o.threads), stdio: ['ignore', 'pipe', 'pipe'] });
    let out = '';
    let err = '';
    let pending = '';
    child.stdout.setEncoding('utf8').on('data', (d: string) => (out += d));
    child.stderr.setEncoding('utf8').on('data', (d: string) => {
      err += d;
      pending += d;
      const lines = pending.split('\n');
      pending = lines.pop() ?? '';
      for (const line of lines) if (line.trim()) o.progress?.(line);
    });
    child.on('error', reject);
    child.on('close', (code) => {
      if (code !== 0) {
        reject(new Error(`numpy benchmark (${python}) exited with ${code}: ${err.trim().split('\n').slice(-3).join(' | ')}`));
        return;
      }
      try {
        resolve(JSON.parse(out) as NumpyRun);
      } catch (e) {
        reject(new Error(`numpy benchmark printed unreadable JSON: ${(e as Error).message}`));
      }
    });
  });
}
