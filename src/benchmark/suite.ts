/**
 * The benchmark suite: for each order n, the same test system for every solver; each
 * (solver, op) is checked once (relative residual) and then timed with tinybench under a per-task
 * time budget; numpy runs afterwards in a child process per BLAS thread count.
 */
import { cpus, loadavg } from 'node:os';
import { Bench } from 'tinybench';
import { backwardError } from '../kernel/condition.js';
import { THREADS_FROM } from '../kernel/select.js';
import { cpuPinning, pinningMeta, type Pinning, type PinningMeta } from './affinity.js';
import { BENCH_SEED, leontiefSystem, type BenchSystem } from './matrices.js';
import { findPython, NumpyServer, type NumpyRun } from './numpy.js';
import {
  iterativeVariant,
  jsBaselineVariant,
  kernelVariant,
  loadThreadedKernel,
  loadWasmKernel,
  mixedVariant,
  mlMatrixVariant,
  wasmLuProbe,
  type PreparedOp,
  type SolverVariant,
} from './solvers.js';
import { gflops, OPS, SOLVERS, type BenchRecord, type Op, type SolverName } from './types.js';

/** Default orders: single-region 30 and 42 sectors, 210, the 31-province tables, 2048. */
const DEFAULT_SIZES = [30, 42, 210, 930, 1302, 2048] as const;
/** Added by --large. */
export const LARGE_SIZES = [4096] as const;
/** --quick: small orders and few iterations, a few seconds in all. */
const QUICK_SIZES = [30, 42, 210] as const;
/** From this order on, js-baseline and ml-matrix run only with --all. */
const HEAVY_FROM = 2048;
/** A first call slower than this is taken as the warm-up and only few samples follow. */
const SLOW_CALL_MS = 200;
/** Beyond this, 2 samples instead of 3 (ml-matrix's inverse at n = 1302 takes ~50 s a call). */
const VERY_SLOW_CALL_MS = 5000;
/** Relative residual above which a solver's answer is rejected and it is not timed. */
const MAX_RESIDUAL = 1e-8;

export interface SuiteOptions {
  sizes: number[];
  ops: Op[];
  solvers: SolverName[];
  /** Thread counts for numpy (OPENBLAS_NUM_THREADS) and the threaded kernel. */
  threads: number[];
  /** Time budget per (n, solver, op) in ms; tinybench samples until both it and minIter are reached. */
  timeMs: number;
  minIter: number;
  warmupMs: number;
  /**
   * Rounds per (n, op): the budget is split into this many turns, every solver taking one turn per
   * round (in reverse order every other round), so a slow spell of a shared machine falls on all of
   * them and their ratio stays fair. 1: each solver once, its whole budget at a time.
   */
  rounds: number;
  /** Run js-baseline and ml-matrix at n ≥ HEAVY_FROM too. */
  all: boolean;
  seed: number;
  /**
   * The CPU single-thread runs (ours and numpy's) are pinned to, so their ratios compare the same
   * core (src/benchmark/affinity.ts); undefined: the CPU where a short wasm LU probe runs fastest; false: no pinning.
   */
  cpu?: number | false;
  progress: (line: string) => void;
}

interface SuiteMeta {
  started: string;
  finished: string;
  node: string;
  cpu: string;
  cores: number;
  /** 1-minute load average at the start and the end (the machine is shared: timings are noisy). */
  load: { start: number; end: number };
  seed: number;
  options: Omit<SuiteOptions, 'progress'>;
  flop_counts: Record<Op, string>;
  solvers: Record<string, string>;
  numpy: Omit<NumpyRun, 'results'>[] | null;
  /** Where single-thread runs were pinned (null: not pinned, see note) and the CPUs multi-thread runs had. */
  pinning: PinningMeta;
  notes: string[];
}

export interface SuiteResult {
  records: BenchRecord[];
  meta: SuiteMeta;
}

const FLOP_COUNTS: Record<Op, string> = {
  lu: '2/3·n³',
  inverse: '2·n³',
  solve1: '2/3·n³ + 2·n²',
  solve4: '2/3·n³ + 8·n²',
};

export function defaultOptions(quick: boolean): SuiteOptions {
  return {
    sizes: [...(quick ? QUICK_SIZES : DEFAULT_SIZES)],
    ops: [...OPS],
    solvers: [...SOLVERS],
    threads: [1, 2],
    timeMs: quick ? 20 : 500,
    minIter: quick ? 3 : 5,
    warmupMs: quick ? 5 : 100,
    rounds: 1,
    all: false,
    seed: BENCH_SEED,
    progress: () => {},
  };
}

/** One turn's budget: what measure() spends on a solver at a time. */
type Budget = Pick<SuiteOptions, 'timeMs' | 'minIter' | 'warmupMs'>;

/** The sample times in ms of `fn`, measured with tinybench under the budget. */
async function measure(name: string, fn: () => unknown, firstMs: number, o: Budget): Promise<number[]> {
  let time = o.timeMs;
  let iterations = o.minIter;
  if (firstMs > SLOW_CALL_MS) {
    // The checked first call was the warm-up; a few samples of a slow op are enough.
    time = 0;
    iterations = Math.min(o.minIter, firstMs > VERY_SLOW_CALL_MS ? 2 : 3);
  } else {
    const end = performance.now() + o.warmupMs;
    do fn();
    while (performance.now() < end);
  }
  const bench = new Bench({ time, iterations, warmup: false, throws: true, retainSamples: true });
  bench.add(name, fn);
  await bench.run();
  const r = bench.tasks[0]!.result;
  if (r.state !== 'completed') throw new Error(`benchmark task ${name} ended in state ${r.state}`);
  return [...(r.latency.samples ?? [])];
}

/** Median (the mean of the middle two for an even count) and minimum of sample times. */
function stats(samples: readonly number[]): { median_ms: number; min_ms: number } {
  const s = [...samples].sort((a, b) => a - b);
  const h = s.length >> 1;
  return { median_ms: s.length % 2 ? s[h]! : (s[h - 1]! + s[h]!) / 2, min_ms: s[0]! };
}

async function loadVariants(o: SuiteOptions, notes: string[]): Promise<SolverVariant[]> {
  const want = new Set(o.solvers);
  const variants: SolverVariant[] = [];
  const needsWasm = want.has('embodied') || want.has('embodied-iterative') || want.has('embodied-threads') || want.has('embodied-mixed');
  const wasm = needsWasm ? await loadWasmKernel() : null;
  if (typeof wasm === 'string') notes.push(wasm);
  if (wasm && typeof wasm !== 'string') {
    if (want.has('embodied'))
      variants.push(
        kernelVariant(wasm, 'embodied', {
          label: `wasm kernel '${wasm.name}' from selectKernel('wasm') (src/kernel/load.ts, embodied.wasm built with SIMD)`,
        }),
      );
    if (want.has('embodied-mixed')) variants.push(mixedVariant(wasm));
    if (want.has('embodied-iterative')) variants.push(iterativeVariant(wasm));
  }
  if (want.has('embodied-threads') && o.sizes.some((n) => n >= THREADS_FROM)) {
    // One thread of the threaded build is the embodied row; from 2 threads on.
    for (const threads of [...new Set(o.threads)].filter((t) => t >= 2).sort((a, b) => a - b)) {
      const t = await loadThreadedKernel(threads);
      if (typeof t === 'string') {
        if (!notes.includes(t)) notes.push(t);
        continue;
      }
      variants.push(
        kernelVariant(t.kernel, 'embodied-threads', {
          threads,
          ops: ['lu', 'inverse'],
          minN: THREADS_FROM,
          label: `threaded wasm kernel '${t.kernel.name}' (src/kernel/threads.ts, embodied-threads.wasm): lu and inverse at n ≥ ${THREADS_FROM}`,
          dispose: t.dispose,
        }),
      );
    }
  }
  if (want.has('js-baseline')) variants.push(jsBaselineVariant());
  if (want.has('ml-matrix')) {
    const ml = await mlMatrixVariant();
    if (typeof ml === 'string') notes.push(ml);
    else variants.push(ml);
  }
  return variants;
}

function fmtMs(ms: number): string {
  return ms >= 100 ? ms.toFixed(0) : ms >= 1 ? ms.toFixed(2) : ms.toPrecision(3);
}

/** One solver at one thread count, as the suite drives it: check, then time, one op at a time. */
interface Runner {
  readonly solver: SolverName;
  readonly threads: number;
  readonly ops: readonly Op[];
  readonly heavy: boolean;
  readonly minN: number;
  /** Checks the answer (relative residual) and, when it is right, times one turn: its sample times in ms. */
  bench(sys: BenchSystem, op: Op, budget: Budget): Promise<{ samples: number[]; residual: number }>;
  close(): Promise<void>;
}

/** A TypeScript/wasm solver: prepared once per system, checked once per op, then timed with tinybench. */
function localRunner(v: SolverVariant): Runner {
  let cache: {
    sys: BenchSystem;
    ops: Partial<Record<Op, PreparedOp>>;
    checked: Partial<Record<Op, { first: number; residual: number }>>;
  } | null = null;
  return {
    solver: v.solver,
    threads: v.threads,
    ops: v.ops,
    heavy: v.heavy,
    minN: v.minN ?? 0,
    async bench(sys, op, budget) {
      if (cache?.sys !== sys) cache = { sys, ops: v.prepare(sys), checked: {} };
      const task = cache.ops[op];
      if (!task) throw new Error(`${v.solver} has no ${op}`);
      let check = cache.checked[op];
      if (!check) {
        const c0 = performance.now();
        const a = await task.answer();
        const first = performance.now() - c0;
        check = cache.checked[op] = { first, residual: backwardError(sys.M, sys.n, a.x, a.b, a.nrhs, false) };
      }
      if (!(check.residual <= MAX_RESIDUAL)) return { samples: [], residual: check.residual };
      return { samples: await measure(`${v.solver} ${op} ${sys.n}`, task.run, check.first, budget), residual: check.residual };
    },
    async close() {
      await v.dispose?.();
    },
  };
}

/** numpy in a child process with a fixed BLAS thread count, pinned like our runs of that many threads. */
function numpyRunner(server: NumpyServer, o: SuiteOptions, pin: Pinning): Runner {
  if (server.pid !== undefined) pin.child(server.pid, server.threads);
  return {
    solver: 'numpy',
    threads: server.threads,
    ops: OPS,
    heavy: false,
    minN: 0,
    async bench(sys, op, budget) {
      const r = await server.run({ n: sys.n, op, seed: o.seed, ...budget });
      return { samples: r.residual <= MAX_RESIDUAL ? r.times : [], residual: r.residual };
    },
    close: () => server.close(),
  };
}

/** Starts the numpy children (one per thread count), or notes why there are none. */
async function startNumpy(o: SuiteOptions, pin: Pinning, notes: string[]): Promise<{ runners: Runner[]; meta: SuiteMeta['numpy'] }> {
  if (!o.solvers.includes('numpy')) return { runners: [], meta: null };
  const { info, tried } = findPython();
  if (!info) {
    notes.push(`numpy: no python3 with numpy found (tried ${tried.join('; ')}): skipped`);
    return { runners: [], meta: null };
  }
  const runners: Runner[] = [];
  const meta: NonNullable<SuiteMeta['numpy']> = [];
  const counts = [...new Set(o.threads)].sort((a, b) => a - b);
  const started = await Promise.allSettled(counts.map((t) => NumpyServer.start(info.executable, t)));
  for (const [i, s] of started.entries()) {
    if (s.status === 'fulfilled') {
      runners.push(numpyRunner(s.value.server, o, pin));
      meta.push(s.value.header);
    } else {
      notes.push(`numpy (OPENBLAS_NUM_THREADS=${counts[i]}) did not start: ${(s.reason as Error).message}`);
    }
  }
  if (meta[0]) notes.push(`numpy ${meta[0].numpy} (${info.executable}): lu timed with ${meta[0].lu_method}`);
  return { runners, meta };
}

/** Runs the whole suite: for each n and op, every solver in turn (so they share the machine's load). */
export async function runSuite(o: SuiteOptions): Promise<SuiteResult> {
  const started = new Date();
  const tStart = performance.now();
  const loadStart = loadavg()[0]!;
  const notes: string[] = [];
  const records: BenchRecord[] = [];
  o.progress('loading the kernels and starting numpy …');
  const variants = await loadVariants(o, notes);
  const pin = cpuPinning(o.cpu, o.cpu === undefined ? await wasmLuProbe() : undefined);
  if (pin.note) notes.push(`single-thread runs ${pin.note}: a ratio may compare two different vCPUs`);
  const numpy = await startNumpy(o, pin, notes);
  if (pin.cpu !== null) {
    const probe = pin.probeMs
      ? ` (fastest in the probe: ${Object.entries(pin.probeMs)
          .map(([c, ms]) => `CPU ${c} ${ms.toFixed(2)} ms`)
          .join(', ')})`
      : '';
    o.progress(`single-thread runs pinned to CPU ${pin.cpu}${probe}, multi-thread runs on CPU ${pin.cpus.join(',')}`);
  }
  o.progress(`ready after ${((performance.now() - tStart) / 1000).toFixed(1)} s`);
  const runners = [...variants.map((v) => localRunner(v)), ...numpy.runners];
  const ops = OPS.filter((op) => o.ops.includes(op));
  const sizes = [...new Set(o.sizes)].sort((a, b) => a - b);

  const skippedHeavy = new Set<string>();
  const plan: { n: number; op: Op; r: Runner }[] = [];
  for (const n of sizes) {
    for (const op of ops) {
      for (const r of runners) {
        if (!r.ops.includes(op) || n < r.minN) continue;
        if (r.heavy && n >= HEAVY_FROM && !o.all) skippedHeavy.add(r.solver);
        else plan.push({ n, op, r });
      }
    }
  }
  for (const s of skippedHeavy) notes.push(`${s}: skipped at n ≥ ${HEAVY_FROM} (pass --all to run it; it takes many seconds per op)`);

  // The plan in groups of one (n, op): their solvers take turns, round after round.
  const groups: { n: number; op: Op; runners: Runner[] }[] = [];
  for (const { n, op, r } of plan) {
    const g = groups.at(-1);
    if (g?.n === n && g.op === op) g.runners.push(r);
    else groups.push({ n, op, runners: [r] });
  }
  const rounds = Math.max(1, o.rounds);
  const turn = (round: number): Budget => ({
    timeMs: o.timeMs / rounds,
    minIter: Math.ceil(o.minIter / rounds),
    // After the first round, one warm-up call per turn (measure always makes one).
    warmupMs: round === 0 ? o.warmupMs : 0,
  });
  const t0 = performance.now();
  let done = 0;
  let sys: BenchSystem | null = null;
  try {
    for (const { n, op, runners: group } of groups) {
      if (sys?.n !== n) sys = leontiefSystem(n, o.seed);
      const system = sys;
      const tag = (r: Runner) =>
        `n=${n} ${op} ${r.solver}${r.solver === 'numpy' || r.threads > 1 ? ` (${r.threads} thread${r.threads > 1 ? 's' : ''})` : ''}`;
      const samples = new Map<Runner, { times: number[]; residual: number }>();
      const out = new Set<Runner>();
      for (let round = 0; round < rounds; round++) {
        for (const r of round % 2 ? [...group].reverse() : group) {
          if (out.has(r)) continue;
          const at = rounds > 1 ? ` round ${round + 1}/${rounds}` : '';
          o.progress(`[${done + group.indexOf(r) + 1}/${plan.length}] ${tag(r)}${at} …`);
          try {
            pin.use(r.threads);
            const m = await r.bench(system, op, turn(round));
            if (m.samples.length === 0) {
              out.add(r);
              notes.push(
                `${r.solver} (threads ${r.threads}) n=${n} ${op}: relative residual ${m.residual.toExponential(2)} > ${MAX_RESIDUAL}: wrong answer, not timed`,
              );
              o.progress(`${tag(r)}: residual ${m.residual.toExponential(2)}: WRONG ANSWER, not timed`);
              continue;
            }
            // concat, not push(...): a fast op gives hundreds of thousands of samples, beyond the argument limit.
            const prev = samples.get(r);
            samples.set(r, { times: (prev?.times ?? []).concat(m.samples), residual: prev?.residual ?? m.residual });
          } catch (e) {
            out.add(r);
            samples.delete(r);
            notes.push(`${r.solver} (threads ${r.threads}) n=${n} ${op}: failed: ${(e as Error).message}`);
            o.progress(`${tag(r)}: FAILED: ${(e as Error).message}`);
          }
        }
      }
      for (const r of group) {
        const m = samples.get(r);
        if (!m) continue;
        const { median_ms, min_ms } = stats(m.times);
        records.push({
          n,
          solver: r.solver,
          op,
          threads: r.threads,
          median_ms,
          min_ms,
          gflops: gflops(op, n, median_ms),
          backward_error: m.residual,
        });
        const elapsed = ((performance.now() - t0) / 1000).toFixed(1);
        o.progress(
          `${tag(r)}: median ${fmtMs(median_ms)} ms, min ${fmtMs(min_ms)} ms, ${m.times.length} samples, residual ${m.residual.toExponential(1)} (${elapsed} s)`,
        );
      }
      done += group.length;
    }
  } finally {
    pin.release();
    for (const r of runners) await r.close();
  }

  const solverLabels: Record<string, string> = {};
  for (const v of variants) {
    solverLabels[v.solver] = v.label;
    notes.push(...(v.notes ?? []));
  }
  const np = numpy.meta?.[0];
  if (np) solverLabels.numpy = `numpy ${np.numpy} (${np.executable}), scipy ${np.scipy ?? 'absent'}, BLAS ${JSON.stringify(np.blas)}`;
  const { progress: _progress, ...options } = o;
  void _progress;
  return {
    records: sortRecords(records),
    meta: {
      started: started.toISOString(),
      finished: new Date().toISOString(),
      node: process.version,
      cpu: cpus()[0]?.model ?? 'unknown',
      cores: cpus().length,
      load: { start: loadStart, end: loadavg()[0]! },
      seed: o.seed,
      options,
      flop_counts: FLOP_COUNTS,
      solvers: solverLabels,
      numpy: numpy.meta,
      pinning: pinningMeta(pin),
      notes,
    },
  };
}

/** Records in table order: n, op, solver, threads. */
export function sortRecords(records: BenchRecord[]): BenchRecord[] {
  const oi = (op: Op) => OPS.indexOf(op);
  const si = (s: SolverName) => SOLVERS.indexOf(s);
  return [...records].sort((a, b) => a.n - b.n || oi(a.op) - oi(b.op) || si(a.solver) - si(b.solver) || a.threads - b.threads);
}
