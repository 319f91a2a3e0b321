/**
 * What Sobol' indices cost (bench/sweep.md, "Sobol' indices"): a sweep with a sobol section (10 factors
 * of the intensity-and-fuel kind, n base samples, (k + 2)·n evaluations, indices and bootstrap) against
 * the plain Monte Carlo sweep of the same groups and as many draws, end to end on the real 2017 data,
 * alternating the two (and their order) in one run; and the same sweep with no draws (loading, preparing, summaries), so
 * that the indices' cost can be set against the evaluations' alone.
 *
 *   node dist/bench/sobol.js [--n 16384] [--pairs 2] [--workers 2] [--json FILE]   (after npm run build)
 */
import { existsSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { loadavg, tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { runSweep } from '../src/sweep/run.js';

const args = process.argv.slice(2);
const opt = (name: string, dflt: number) => (args.includes(name) ? Number(args[args.indexOf(name) + 1]) : dflt);
const n = opt('--n', 2 ** 14);
const pairs = opt('--pairs', 2);
const workers = opt('--workers', 2);
const jsonOut = args.includes('--json') ? args[args.indexOf('--json') + 1] : undefined;

const root = fileURLToPath(new URL(import.meta.url.includes('/dist/') ? '../../' : '../', import.meta.url));
const shared = join(root, '../shared/data');
if (!existsSync(shared)) throw new Error(`${shared}: the real data is not there`);
const data = {
  provincial: join(shared, 'cn-io-2017/provinces'),
  national: join(shared, 'cn-io-2017/national/china_2017_42.csv'),
  emissions: join(shared, 'ceads-2017/Emission_Inventories_for_30_Provinces_2017.xlsx'),
};

const lognormal = { type: 'lognormal', sdlog: 0.1 };
const FUELS = ['Raw Coal', 'Cleaned Coal', 'Coke', 'Crude Oil', 'Gasoline', 'Diesel Oil', 'Fuel Oil', 'Natural Gas'];
/** 10 factors: 8 fuels and 2 intensity groups over every sector, so the evaluator takes its factorised linear path. */
const montecarlo = [
  ...FUELS.map((f) => ({ target: 'fuel', fuels: [f], per: 'all', name: f, distribution: lognormal })),
  {
    target: 'intensity',
    provinces: ['Beijing', 'Tianjin', 'Hebei', 'Shanxi', 'Shandong'],
    per: 'province',
    name: 'north d',
    distribution: { type: 'normal', mean: 1, sd: 0.05 },
  },
  { target: 'intensity', per: 'all', name: 'all d', distribution: { type: 'normal', mean: 1, sd: 0.03 } },
];
const evaluations = (montecarlo.length + 2) * n;

function cpuSeconds(c: NodeJS.CpuUsage): number {
  return (c.user + c.system) / 1e6;
}

async function run(kind: 'montecarlo' | 'sobol' | 'none') {
  const dir = mkdtempSync(join(tmpdir(), `sobol-bench-${kind}-`));
  try {
    const spec = {
      seed: 2017,
      chunkSize: 16_384,
      data,
      montecarlo,
      ...(kind === 'sobol' ? { sobol: { n, bootstrap: 200, confidence: 0.95 } } : { draws: kind === 'none' ? 0 : evaluations }),
    };
    const specPath = join(dir, 'spec.json');
    writeFileSync(specPath, JSON.stringify(spec));
    const c0 = process.cpuUsage();
    const r = await runSweep({ specPath, out: join(dir, 'out'), workers, quiet: true, progress: false, log: () => {} });
    const cpu = cpuSeconds(process.cpuUsage(c0));
    return {
      kind,
      draws: r.drawsComputed,
      seconds: r.seconds,
      draws_per_s: r.drawsComputed / r.seconds,
      cpu_seconds: cpu,
      load1: loadavg()[0],
    };
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
}

const log = (s: string) => process.stderr.write(`${s}\n`);
log(
  `sobol benchmark: ${montecarlo.length} factors, n = ${n}, ${evaluations} evaluations, ${workers} workers, load ${loadavg()[0].toFixed(2)}`,
);
type Run = Awaited<ReturnType<typeof run>>;
const rows: { none: Run; montecarlo: Run; sobol: Run; ratio: number; cpuRatio: number; indicesOverEvaluationsCpu: number }[] = [];
for (let p = 0; p < pairs; p++) {
  // The order alternates from pair to pair, so that neither sweep always runs last.
  const none = await run('none');
  const first = await run(p % 2 === 0 ? 'montecarlo' : 'sobol');
  const second = await run(p % 2 === 0 ? 'sobol' : 'montecarlo');
  const [mc, so] = p % 2 === 0 ? [first, second] : [second, first];
  const row = {
    none,
    montecarlo: mc,
    sobol: so,
    ratio: so.seconds / mc.seconds,
    cpuRatio: so.cpu_seconds / mc.cpu_seconds,
    // The indices' CPU time (Sobol' run minus Monte Carlo run) over the evaluations' (Monte Carlo run minus no draws).
    indicesOverEvaluationsCpu: (so.cpu_seconds - mc.cpu_seconds) / (mc.cpu_seconds - none.cpu_seconds),
  };
  rows.push(row);
  log(`pair ${p + 1}: no draws ${none.seconds.toFixed(2)} s (${none.cpu_seconds.toFixed(1)} CPU-s)`);
  log(
    `pair ${p + 1}: Monte Carlo ${mc.seconds.toFixed(2)} s (${mc.draws_per_s.toFixed(0)} draws/s, ${mc.cpu_seconds.toFixed(1)} CPU-s, load ${mc.load1.toFixed(2)}); ` +
      `Sobol' ${so.seconds.toFixed(2)} s (${so.draws_per_s.toFixed(0)} draws/s, ${so.cpu_seconds.toFixed(1)} CPU-s, load ${so.load1.toFixed(2)}); ` +
      `Sobol' ÷ Monte Carlo: ${row.ratio.toFixed(3)} wall, ${row.cpuRatio.toFixed(3)} CPU; indices' CPU ÷ evaluations' CPU ${row.indicesOverEvaluationsCpu.toFixed(3)}`,
  );
}
const result = {
  meta: { n, evaluations, factors: montecarlo.length, workers, node: process.version, date: new Date().toISOString() },
  rows,
};
if (jsonOut) writeFileSync(jsonOut, `${JSON.stringify(result, null, 2)}\n`);
process.stdout.write(`${JSON.stringify(result, null, 2)}\n`);
