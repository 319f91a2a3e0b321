/**
 * Sweep throughput (bench/sweep.md): intensity-only and A-perturbed draws of the 31-province,
 * 30-sector demo model, in one thread (the evaluator alone) and end to end (`runSweep` on every core,
 * Parquet and statistics written), against the batched numpy baseline bench/sweep_numpy.py.
 *
 *   node --import tsx bench/sweep.ts [--quick] [--a-only] [--json FILE]      (or node dist/bench/sweep.js after npm run build)
 *
 * --a-only skips the intensity-only scenario (repeat the A comparison when the machine is quieter).
 */
import { spawnSync } from 'node:child_process';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { availableParallelism, loadavg, tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { SweepContext } from '../src/sweep/context.js';
import type { Variant } from '../src/sweep/draws.js';
import { runSweep } from '../src/sweep/run.js';
import { parseSpec } from '../src/sweep/spec.js';

const args = process.argv.slice(2);
const quick = args.includes('--quick');
const aOnly = args.includes('--a-only');
const jsonOut = args.includes('--json') ? args[args.indexOf('--json') + 1] : undefined;
const workers = availableParallelism();

const SCENARIOS = {
  intensity: {
    label: 'intensity-only (18 fuel factors lognormal σ=0.1 + 31 province intensity factors normal sd 5 %)',
    montecarlo: [
      { target: 'fuel', distribution: { type: 'lognormal', sdlog: 0.1 } },
      { target: 'intensity', per: 'province', distribution: { type: 'normal', mean: 1, sd: 0.05 } },
    ],
    engineDraws: quick ? 50_000 : 300_000,
    e2eDraws: quick ? 200_000 : 2_000_000,
    chunkSize: 16_384,
  },
  A: {
    label: 'A-perturbed (31 × 30 column multipliers lognormal σ=0.1, column sums capped at 0.99)',
    montecarlo: [{ target: 'A', per: 'column', distribution: { type: 'lognormal', sdlog: 0.1 } }],
    engineDraws: quick ? 2_000 : 10_000,
    e2eDraws: quick ? 8_000 : 60_000,
    // Fewer, larger chunks: 256-draw chunks cost ~25 % more CPU per draw end to end than 2048
    // (per-chunk Parquet, hashes, checkpoint and statistics; the spec's default is 4096).
    chunkSize: 2048,
  },
} as const;

function cpuSeconds(c: NodeJS.CpuUsage): number {
  return (c.user + c.system) / 1e6;
}

async function engine(name: keyof typeof SCENARIOS) {
  const s = SCENARIOS[name];
  const spec = parseSpec({ seed: 1, draws: s.engineDraws, chunkSize: s.chunkSize, montecarlo: s.montecarlo });
  const ctx = await SweepContext.create({ spec, specDir: process.cwd() });
  const ev = ctx.evaluator(0);
  const variants: Variant[] = Array.from({ length: s.engineDraws }, (_, d) => ({ kind: 'mc', draw: d }));
  let sink = 0;
  ev.evaluate(variants.slice(0, Math.min(2000, variants.length)), (_k, o) => (sink += o.N[0])); // warm-up
  const c0 = process.cpuUsage();
  const t0 = performance.now();
  ev.evaluate(variants, (_k, o) => (sink += o.N[0]));
  const wall = (performance.now() - t0) / 1000;
  const cpu = cpuSeconds(process.cpuUsage(c0));
  return {
    scenario: name,
    path: ev.path,
    kernel: ctx.kernel.name,
    draws: s.engineDraws,
    seconds: wall,
    draws_per_s: s.engineDraws / wall,
    draws_per_cpu_s: s.engineDraws / cpu,
    load1: loadavg()[0],
    sink,
    ctx,
  };
}

async function endToEnd(name: keyof typeof SCENARIOS, threads = workers) {
  const s = SCENARIOS[name];
  const dir = mkdtempSync(join(tmpdir(), `sweep-bench-${name}-`));
  try {
    const specPath = join(dir, 'spec.json');
    writeFileSync(specPath, JSON.stringify({ seed: 1, draws: s.e2eDraws, chunkSize: s.chunkSize, montecarlo: s.montecarlo }));
    const c0 = process.cpuUsage();
    const r = await runSweep({ specPath, out: join(dir, 'out'), workers: threads, quiet: true, progress: false, log: () => {} });
    const cpu = cpuSeconds(process.cpuUsage(c0));
    // runSweep's seconds include loading the data and preparing the model in the main thread and in
    // every worker; the rate below is over the whole command.
    return {
      scenario: name,
      workers: threads,
      draws: r.drawsComputed,
      seconds: r.seconds,
      draws_per_s: r.drawsComputed / r.seconds,
      cpu_seconds: cpu,
      draws_per_cpu_s: r.drawsComputed / cpu,
      load1: loadavg()[0],
    };
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
}

interface NumpyResult {
  draws_per_s: number;
  draws_per_cpu_s: number;
  base_check_max_rel_error: number;
  threads: string | null;
  load1: number;
}

function numpyBaseline(ctx: SweepContext, threads: string | undefined): NumpyResult | { skipped: string } {
  const python = ['python3', 'python'].find((p) => spawnSync(p, ['-c', 'import numpy'], { stdio: 'ignore' }).status === 0);
  if (!python) return { skipped: 'no python3 with numpy' };
  const m = ctx.evaluator(0).model;
  const dir = mkdtempSync(join(tmpdir(), 'sweep-numpy-'));
  try {
    const tN = new Float64Array(m.n);
    for (let k = 0; k < m.n; k++) for (let j = 0; j < m.n; j++) tN[j] += m.dN[k] * m.LN[k * m.n + j];
    const model = join(dir, 'model.json');
    const arr = (a: Float64Array) => Array.from(a);
    writeFileSync(
      model,
      JSON.stringify({
        R: m.R,
        n: m.n,
        A: arr(m.A),
        d: arr(m.d),
        tN: arr(tN),
        E: arr(m.E),
        EP: arr(m.EP),
        M: arr(m.M),
        MP: arr(m.MP),
        colSum: arr(m.colSum),
        maxColumnSum: ctx.spec.maxColumnSum,
        baseN: arr(m.base.N),
        baseNP: arr(m.base.NP),
      }),
    );
    const env = { ...process.env };
    for (const k of ['OPENBLAS_NUM_THREADS', 'OMP_NUM_THREADS', 'MKL_NUM_THREADS']) {
      if (threads) env[k] = threads;
      else delete env[k];
    }
    const script = fileURLToPath(new URL('./sweep_numpy.py', import.meta.url).href.replace('/dist/bench/', '/bench/'));
    const r = spawnSync(python, [script, model, '--draws', quick ? '1000' : '4000', '--batch', '100'], { env, encoding: 'utf8' });
    if (r.status !== 0) return { skipped: `numpy baseline failed: ${r.stderr}` };
    return { ...(JSON.parse(r.stdout) as NumpyResult), load1: loadavg()[0] };
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
}

const log = (s: string) => process.stderr.write(`${s}\n`);
const load0 = loadavg();
log(`sweep benchmark: ${workers} cores, load average ${load0.map((l) => l.toFixed(2)).join(' ')}${quick ? ' (quick)' : ''}`);
const results: Record<string, unknown> = {
  meta: { workers, quick, aOnly, node: process.version, loadavg_start: load0, date: new Date().toISOString() },
};
const eI = aOnly ? undefined : await engine('intensity');
if (eI)
  log(
    `engine, 1 thread, ${SCENARIOS.intensity.label}: ${eI.draws_per_s.toFixed(0)} draws/s (${eI.draws_per_cpu_s.toFixed(0)} per CPU-second), path ${eI.path}`,
  );
const eA = await engine('A');
log(
  `engine, 1 thread, ${SCENARIOS.A.label}: ${eA.draws_per_s.toFixed(0)} draws/s (${eA.draws_per_cpu_s.toFixed(0)} per CPU-second), ${eA.kernel} kernel`,
);
const xI = aOnly ? undefined : await endToEnd('intensity');
if (xI)
  log(
    `end to end, ${workers} workers, intensity-only: ${xI.draws} draws in ${xI.seconds.toFixed(2)} s = ${xI.draws_per_s.toFixed(0)} draws/s (${xI.draws_per_cpu_s.toFixed(0)} per CPU-second of the whole process)`,
  );
// numpy right before and after the A end-to-end run, so that both see about the same load.
const np1 = numpyBaseline(eA.ctx, '1');
const xA = await endToEnd('A');
log(
  `end to end, ${workers} workers, A-perturbed: ${xA.draws} draws in ${xA.seconds.toFixed(2)} s = ${xA.draws_per_s.toFixed(0)} draws/s (${xA.draws_per_cpu_s.toFixed(0)} per CPU-second of the whole process), load ${xA.load1.toFixed(2)}`,
);
const npN = numpyBaseline(eA.ctx, undefined);
const xA0 = await endToEnd('A', 0);
log(
  `end to end, main thread only, A-perturbed: ${xA0.draws} draws in ${xA0.seconds.toFixed(2)} s = ${xA0.draws_per_s.toFixed(0)} draws/s (${xA0.draws_per_cpu_s.toFixed(0)} per CPU-second)`,
);
const best = [np1, npN].filter((r): r is NumpyResult => 'draws_per_s' in r);
const numpyRate = best.length ? Math.max(...best.map((r) => r.draws_per_s)) : NaN;
const numpyPerCpu = best.length ? Math.max(...best.map((r) => r.draws_per_cpu_s)) : NaN;
if (best.length) {
  for (const r of best)
    log(
      `numpy batched, OPENBLAS_NUM_THREADS=${r.threads ?? 'default'}: ${r.draws_per_s.toFixed(0)} draws/s (${r.draws_per_cpu_s.toFixed(0)} per CPU-second), base check ${r.base_check_max_rel_error.toExponential(1)}, load ${r.load1.toFixed(2)}`,
    );
  log(`A-perturbed ratio, end to end on ${workers} cores vs the faster numpy run: ${(xA.draws_per_s / numpyRate).toFixed(2)}×`);
  log(
    `A-perturbed per CPU-second vs numpy: evaluator ${(eA.draws_per_cpu_s / numpyPerCpu).toFixed(2)}×, end to end ${(xA.draws_per_cpu_s / numpyPerCpu).toFixed(2)}× (× ${workers} cores if the machine were idle: ${((workers * xA.draws_per_cpu_s) / numpyPerCpu).toFixed(2)}×)`,
  );
} else log(`numpy baseline skipped: ${(np1 as { skipped: string }).skipped}`);
const load1 = loadavg();
log(`load average at the end ${load1.map((l) => l.toFixed(2)).join(' ')}`);
Object.assign(results, {
  engine: [eI, eA].flatMap((e) => (e ? [(({ ctx: _c, sink: _s, ...r }) => r)(e)] : [])),
  endToEnd: [xI, xA, xA0].filter((x) => x !== undefined),
  numpy: [np1, npN],
  ratioA: xA.draws_per_s / numpyRate,
  ratioAPerCpuSecond: xA.draws_per_cpu_s / numpyPerCpu,
  targets: { intensityDrawsPerS: 100_000, ratioA: 3 },
});
(results.meta as Record<string, unknown>).loadavg_end = load1;
if (jsonOut) writeFileSync(jsonOut, `${JSON.stringify(results, null, 2)}\n`);
process.stdout.write(`${JSON.stringify(results, null, 2)}\n`);
