/**
 * `embodied sweep`: Monte Carlo, one-at-a-time and method-grid sweeps of the provincial model.
 * The sweep modules (worker pool, Parquet, schema) are imported when a sweep command runs, so the
 * other commands do not pay for loading them.
 */
import { Command } from 'commander';
import type { SweepRunOptions } from '../sweep/run.js';

interface RunFlags extends LimitFlags {
  out: string;
  workers?: string;
  shard?: string;
  resume?: boolean;
  force?: boolean;
  quiet?: boolean;
  progress?: boolean;
  maxDisk?: string;
  maxMemory?: string;
}

function parseWorkers(v: string | undefined): number | undefined {
  if (v === undefined) return undefined;
  const n = Number(v);
  if (!Number.isInteger(n) || n < 0) throw new Error(`--workers ${v}: expected a whole number ≥ 0 (0 = compute in the main thread)`);
  return n;
}

export async function sweepRunAction(spec: string, flags: RunFlags): Promise<void> {
  const [{ parseShard }, { resumeCommand, runSweep }, { parseGB }] = await Promise.all([
    import('../sweep/checkpoint.js'),
    import('../sweep/run.js'),
    import('../sweep/estimate.js'),
  ]);
  const ac = new AbortController();
  const onSigint = () => {
    process.stderr.write('\ninterrupt: stopping; finished chunks stay in the checkpoint (Ctrl-C again stops at once)\n');
    ac.abort();
  };
  process.once('SIGINT', onSigint);
  const options: SweepRunOptions = {
    specPath: spec,
    out: flags.out,
    workers: parseWorkers(flags.workers),
    shard: flags.shard ? parseShard(flags.shard) : undefined,
    resume: flags.resume,
    force: flags.force,
    quiet: flags.quiet,
    progress: flags.progress === false ? false : undefined,
    signal: ac.signal,
    limits: { diskGB: parseGB('--max-disk', flags.maxDisk), memoryGB: parseGB('--max-memory', flags.maxMemory) },
  };
  try {
    const r = await runSweep(options);
    const m = r.manifest;
    const span = m.shard ? m.shard.end - m.shard.first : m.chunks;
    if (r.status === 'interrupted') {
      process.stderr.write(
        `interrupted: ${m.completed.length} of ${span} chunks done and kept in ${flags.out}\nresume with: ${resumeCommand(options)}\n`,
      );
      process.exitCode = 130;
      return;
    }
    if (flags.quiet) return;
    const rate = r.seconds > 0 ? Math.round(r.drawsComputed / r.seconds) : 0;
    process.stdout.write(
      `${r.drawsComputed} draws in ${r.seconds.toFixed(1)} s (${rate.toLocaleString('en-US')} draws/s overall), results in ${flags.out}\n`,
    );
    if (r.status === 'shard-complete') {
      process.stdout.write(
        `shard ${m.shard!.index}/${m.shard!.count} complete (chunks ${m.shard!.first}..${m.shard!.end - 1}); combine all shards with: embodied sweep merge --out DIR SHARD_DIR...\n`,
      );
    } else if (r.terminal) process.stdout.write(r.terminal);
  } finally {
    process.removeListener('SIGINT', onSigint);
  }
}

export async function sweepMergeAction(shards: string[], flags: { out: string; spec?: string; quiet?: boolean }): Promise<void> {
  const { mergeShards } = await import('../sweep/merge.js');
  const r = await mergeShards({ shards, out: flags.out, specPath: flags.spec });
  if (!flags.quiet) process.stdout.write(`merged ${shards.length} shard(s): ${r.manifest.chunks} chunks into ${flags.out}\n${r.terminal}`);
}

export async function sweepCheckAction(spec: string, flags: LimitFlags = {}): Promise<void> {
  const [{ loadSpec }, { SweepContext }, { checkSize, describeSize, parseGB, sweepSize }] = await Promise.all([
    import('../sweep/spec.js'),
    import('../sweep/context.js'),
    import('../sweep/estimate.js'),
  ]);
  const limits = { diskGB: parseGB('--max-disk', flags.maxDisk), memoryGB: parseGB('--max-memory', flags.maxMemory) };
  const loaded = loadSpec(spec);
  const ctx = await SweepContext.create({ spec: loaded.spec, specDir: loaded.dir });
  ctx.cells.forEach((_, c) => ctx.evaluator(c));
  const e = ctx.evaluator(0);
  const size = sweepSize({ ...loaded.spec, cells: ctx.cells.length }, e.model.R);
  process.stdout.write(
    `${spec}: valid. ${ctx.cells.length} cell(s) × ${ctx.drawsPerCell} draws = ${ctx.totalDraws} draws in ${ctx.chunks} chunk(s); ` +
      (loaded.spec.sobol
        ? `Sobol' indices: ${e.mc.length} factors, n = ${loaded.spec.sobol.n} base samples × ${e.mc.length + 2} evaluations; `
        : '') +
      `evaluation path: ${e.path}; ${e.mc.reduce((a, g) => a + g.nSamples, 0)} random multipliers per draw; ` +
      `${e.oat.length} OAT group(s); kernel ${ctx.kernel.name}\n${describeSize(size)}\n`,
  );
  checkSize(size, limits);
}

interface LimitFlags {
  maxDisk?: string;
  maxMemory?: string;
}

const MAX_DISK_HELP = 'refuse a sweep whose results take more than this many GB on disk (default 100)';
const MAX_MEMORY_HELP = 'refuse a sweep whose chunk takes more than this many GB of memory per worker (default 4)';

export function register(program: Command): void {
  const sweep = program
    .command('sweep')
    .description('sweeps of the provincial model: Monte Carlo on uncertain inputs, one-at-a-time elasticities, the method grid');
  sweep
    .command('run')
    .argument('<spec>', 'sweep spec (.yaml, .yml or .json); see src/sweep/README.md')
    .description('run a sweep (or one shard of it), resumable')
    .option('-o, --out <dir>', 'output folder: new, empty, or an earlier sweep (any other folder is refused)', 'sweep-results')
    .option('-w, --workers <n>', 'worker threads (default: every core; 0 = main thread)')
    .option('--shard <k/N>', 'run only the k-th of N disjoint chunk ranges (k from 0), e.g. $SLURM_ARRAY_TASK_ID/8')
    .option('--resume', 'continue the sweep in --out from its checkpoint')
    .option(
      '--force',
      "discard an earlier sweep in --out and start over (only a sweep's own files; a folder that never held a sweep is still refused)",
    )
    .option('--max-disk <GB>', MAX_DISK_HELP)
    .option('--max-memory <GB>', MAX_MEMORY_HELP)
    .option('--no-progress', 'no progress bar')
    .option('-q, --quiet', 'print nothing but errors')
    .action((spec: string, flags: RunFlags) => sweepRunAction(spec, flags));
  sweep
    .command('merge')
    .argument('<shards...>', 'shard output directories')
    .description('combine shard outputs into what the unsharded run writes')
    .requiredOption('-o, --out <dir>', 'output folder: new, empty, or an earlier sweep, whose files it replaces (not a shard)')
    .option('--spec <file>', 'the spec, if its data paths do not resolve from the recorded spec folder')
    .option('-q, --quiet', 'print nothing but errors')
    .action((shards: string[], flags: { out: string; spec?: string; quiet?: boolean }) => sweepMergeAction(shards, flags));
  sweep
    .command('check')
    .argument('<spec>', 'sweep spec')
    .description('validate a spec against the data and print the plan, with its disk and memory estimate')
    .option('--max-disk <GB>', MAX_DISK_HELP)
    .option('--max-memory <GB>', MAX_MEMORY_HELP)
    .action((spec: string, flags: LimitFlags) => sweepCheckAction(spec, flags));
}

/** Runs `embodied sweep …` with these arguments (for tests and scripts until main.ts registers it). */
export async function sweepMain(argv: string[]): Promise<void> {
  const program = new Command('embodied').exitOverride();
  register(program);
  await program.parseAsync(['node', 'embodied', 'sweep', ...argv]);
}
