/**
 * The numpy reference: finds a python3 that imports numpy and runs src/benchmark/numpy_bench.py in a child
 * process, once per BLAS thread count, with OPENBLAS_NUM_THREADS (and OMP/MKL) set to that count
 * and OPENBLAS_CORETYPE / OPENBLAS_L2_SIZE removed from its environment.
 */
import { spawn, spawnSync, type ChildProcessWithoutNullStreams } from 'node:child_process';
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

/** Environment variables removed from the child: they pin OpenBLAS to a core type and cache size. */
const OPENBLAS_REMOVED = ['OPENBLAS_CORETYPE', 'OPENBLAS_L2_SIZE'] as const;

/** Candidate interpreters, in order: $EMBODIED_PYTHON, python3 on PATH, Debian's /usr/bin/python3. */
function candidates(): string[] {
  const list = [process.env.EMBODIED_PYTHON, 'python3', '/usr/bin/python3'].filter((p): p is string => !!p);
  return [...new Set(list)];
}

/** The first python3 that imports numpy, or null with the reasons the others failed. */
export function findPython(): { info: PythonInfo | null; tried: string[] } {
  const tried: string[] = [];
  const probe =
    'import json, sys, numpy\ntry:\n import scipy; s = scipy.__version__\nexcept Exception:\n s = None\nprint(json.dumps([numpy.__version__, s, sys.executable]))';
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

/** numpy_bench.py beside this module (tsx), or from dist/src/benchmark/ the one in src/benchmark/ (tsc copies no .py). */
function numpyScriptPath(): string {
  for (const rel of ['./numpy_bench.py', '../../../src/benchmark/numpy_bench.py']) {
    const p = fileURLToPath(new URL(rel, import.meta.url));
    if (existsSync(p)) return p;
  }
  throw new Error('src/benchmark/numpy_bench.py not found next to the benchmark modules');
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

/** The header line the child prints: what it runs with. */
export type NumpyHeader = Omit<NumpyRun, 'results'>;

export interface NumpyRequest {
  readonly n: number;
  readonly op: Op;
  readonly seed: number;
  readonly timeMs: number;
  readonly minIter: number;
  readonly warmupMs: number;
}

/**
 * A numpy_bench.py child in --serve mode with a fixed BLAS thread count: one request per
 * (n, op), answered in order, so numpy's timings interleave with the TypeScript solvers'.
 */
export class NumpyServer {
  private readonly waiting: { resolve: (line: string) => void; reject: (e: Error) => void }[] = [];
  private pending = '';
  private stderr = '';
  private exited: Error | null = null;

  private constructor(
    private readonly child: ChildProcessWithoutNullStreams,
    readonly threads: number,
  ) {
    child.stdout.setEncoding('utf8').on('data', (d: string) => {
      this.pending += d;
      const lines = this.pending.split('\n');
      this.pending = lines.pop() ?? '';
      for (const line of lines) if (line.trim()) this.waiting.shift()?.resolve(line);
    });
    child.stderr.setEncoding('utf8').on('data', (d: string) => {
      this.stderr = (this.stderr + d).slice(-2000);
    });
    const fail = (e: Error) => {
      this.exited = e;
      for (const w of this.waiting.splice(0)) w.reject(e);
    };
    child.on('error', fail);
    child.on('close', (code) =>
      fail(new Error(`numpy child exited with ${code}: ${this.stderr.trim().split('\n').slice(-3).join(' | ')}`)),
    );
  }

  /** The child's process id (to pin it to a CPU). */
  get pid(): number | undefined {
    return this.child.pid;
  }

  private next(): Promise<string> {
    if (this.exited) return Promise.reject(this.exited);
    return new Promise((resolve, reject) => this.waiting.push({ resolve, reject }));
  }

  /** Starts the child with numpyEnv(threads) and reads its header. */
  static async start(python: string, threads: number): Promise<{ server: NumpyServer; header: NumpyHeader }> {
    const child = spawn(python, [numpyScriptPath(), '--serve'], { env: numpyEnv(threads), stdio: ['pipe', 'pipe', 'pipe'] });
    const server = new NumpyServer(child, threads);
    const header = JSON.parse(await server.next()) as NumpyHeader;
    return { server, header };
  }

  /** Checks and times one op in the child; `times` are its sample times in ms. */
  async run(q: NumpyRequest): Promise<NumpyResult & { times: number[] }> {
    const line = this.next();
    const msg = { n: q.n, op: q.op, seed: q.seed, time_ms: q.timeMs, min_iter: q.minIter, warmup_ms: q.warmupMs };
    this.child.stdin.write(`${JSON.stringify(msg)}\n`);
    const r = JSON.parse(await line) as (NumpyResult & { times: number[] }) | { error: string };
    if ('error' in r) throw new Error(`numpy: ${r.error}`);
    return r;
  }

  /** Ends the child (closing its input ends its loop). */
  async close(): Promise<void> {
    if (this.exited) return;
    const done = new Promise<void>((resolve) => this.child.once('close', () => resolve()));
    this.child.stdin.end();
    await done;
  }
}
