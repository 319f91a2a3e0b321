/**
 * `embodied bench`: a thin adapter from the command line to the solver benchmark suite in src/benchmark/.
 * The suite (tinybench; ml-matrix, a devDependency, skipped when absent) is imported only when the command runs,
 * so `embodied --help` works in an install without them.
 */
import { InvalidArgumentError, type Command } from 'commander';

/** Parses "30,930,1302" into positive integers. */
function intList(value: string): number[] {
  const list = value
    .split(',')
    .map((s) => s.trim())
    .filter(Boolean)
    .map(Number);
  if (list.length === 0 || list.some((n) => !Number.isInteger(n) || n < 1)) {
    throw new InvalidArgumentError(`expected a comma-separated list of positive integers, got "${value}"`);
  }
  return list;
}

function positive(value: string): number {
  const n = Number(value);
  if (!(n >= 0) || !Number.isFinite(n)) throw new InvalidArgumentError(`expected a non-negative number, got "${value}"`);
  return n;
}

function names<T extends string>(allowed: readonly T[], what: string) {
  return (value: string): T[] => {
    const list = value
      .split(',')
      .map((s) => s.trim())
      .filter(Boolean);
    const bad = list.filter((s) => !allowed.includes(s as T));
    if (list.length === 0 || bad.length > 0) {
      throw new InvalidArgumentError(`unknown ${what} ${bad.join(', ') || '(none)'}; choose from ${allowed.join(', ')}`);
    }
    return list as T[];
  };
}

function cpuArg(value: string): number | false {
  if (value === 'none') return false;
  const n = Number(value);
  if (!Number.isInteger(n) || n < 0) throw new InvalidArgumentError(`expected a CPU number or "none", got "${value}"`);
  return n;
}

const OP_NAMES = ['lu', 'inverse', 'solve1', 'solve4'] as const;
const SOLVER_NAMES = ['embodied', 'embodied-threads', 'embodied-mixed', 'embodied-iterative', 'js-baseline', 'ml-matrix', 'numpy'] as const;

interface BenchFlags {
  quick?: boolean;
  sizes?: number[];
  large?: boolean;
  ops?: (typeof OP_NAMES)[number][];
  solvers?: (typeof SOLVER_NAMES)[number][];
  threads?: number[];
  all?: boolean;
  time?: number;
  minIter?: number;
  rounds?: number;
  seed?: number;
  cpu?: number | false;
  numpy: boolean;
  json?: string;
  markdown?: boolean;
  from?: string;
  progress: boolean;
}

export function register(program: Command): void {
  program
    .command('bench')
    .description(
      'Benchmark LU, inverse and 1- and 4-right-hand-side solves of a seeded Leontief-like system: ' +
        'the wasm kernel (plain, threads, mixed precision, iterative) against the plain TypeScript baseline, ml-matrix and numpy',
    )
    .option('--quick', 'small sizes (30, 42, 210) and few iterations: finishes in a few seconds')
    .option('--sizes <list>', 'matrix orders, comma-separated (default 30,42,210,930,1302,2048)', intList)
    .option('--large', 'also run n = 4096')
    .option('--ops <list>', `operations: ${OP_NAMES.join(',')} (default all)`, names(OP_NAMES, 'op'))
    .option('--solvers <list>', `solvers: ${SOLVER_NAMES.join(',')} (default all available)`, names(SOLVER_NAMES, 'solver'))
    .option('--threads <list>', 'thread counts for numpy (OPENBLAS_NUM_THREADS) and the threaded kernel (default 1,2)', intList)
    .option('--all', 'run js-baseline and ml-matrix at n >= 2048 too (many seconds per op)')
    .option('--time <ms>', 'time budget per (size, solver, op) in ms (default 500; 20 with --quick)', positive)
    .option('--min-iter <k>', 'minimum samples per (size, solver, op) (default 5; 3 with --quick)', positive)
    .option(
      '--rounds <k>',
      'split each time budget into k turns per solver, the solvers taking turns round after round, so a slow spell of a shared machine falls on all of them (default 1)',
      positive,
    )
    .option('--seed <n>', 'seed of the test matrices', positive)
    .option(
      '--cpu <n|none>',
      'CPU that single-thread runs (ours and numpy) are pinned to, so ratios compare one core; "none" to let the scheduler choose (default: the CPU where a short probe runs fastest)',
      cpuArg,
    )
    .option('--no-numpy', 'skip the numpy reference')
    .option(
      '--json <file>',
      'write the results (an array of {n, solver, op, threads, median_ms, min_ms, gflops}) to FILE, atomically, with FILE.meta.json beside it',
    )
    .option('--markdown', 'print the table as markdown')
    .option('--from <file>', 'print the table of an earlier --json FILE instead of running')
    .option('--no-progress', 'no progress lines on stderr')
    .action(async (flags: BenchFlags) => {
      const [{ defaultOptions, runSuite, LARGE_SIZES }, { formatTable, metaPath, TABLE_LEGEND, writeJsonAtomic }] = await Promise.all([
        import('../benchmark/suite.js'),
        import('../benchmark/report.js'),
      ]);
      if (flags.from) {
        const { readFileSync } = await import('node:fs');
        const { sortRecords } = await import('../benchmark/suite.js');
        const records = JSON.parse(readFileSync(flags.from, 'utf8')) as Parameters<typeof formatTable>[0];
        process.stdout.write(`${formatTable(sortRecords(records), flags.markdown ?? false)}\n\n${TABLE_LEGEND}\n`);
        return;
      }
      const o = defaultOptions(flags.quick ?? false);
      if (flags.sizes) o.sizes = flags.sizes;
      if (flags.large) o.sizes = [...o.sizes, ...LARGE_SIZES];
      if (flags.ops) o.ops = flags.ops;
      if (flags.solvers) o.solvers = flags.solvers;
      if (!flags.numpy) o.solvers = o.solvers.filter((s) => s !== 'numpy');
      if (flags.threads) o.threads = flags.threads;
      if (flags.all) o.all = true;
      if (flags.time !== undefined) o.timeMs = flags.time;
      if (flags.minIter !== undefined) o.minIter = Math.max(1, Math.round(flags.minIter));
      if (flags.rounds !== undefined) o.rounds = Math.max(1, Math.round(flags.rounds));
      if (flags.seed !== undefined) o.seed = Math.round(flags.seed);
      if (flags.cpu !== undefined) o.cpu = flags.cpu;
      if (flags.progress) o.progress = (line) => process.stderr.write(`bench: ${line}\n`);

      const { records, meta } = await runSuite(o);

      process.stdout.write(
        `embodied bench, ${meta.started} – ${meta.finished}, ${meta.cpu} (${meta.cores} cores), node ${meta.node}, load ${meta.load.start.toFixed(1)} → ${meta.load.end.toFixed(1)}\n\n`,
      );
      process.stdout.write(`${formatTable(records, flags.markdown ?? false)}\n\n`);
      process.stdout.write(`${TABLE_LEGEND}\n`);
      for (const note of meta.notes) process.stdout.write(`note: ${note}\n`);
      if (flags.json) {
        writeJsonAtomic(flags.json, records);
        writeJsonAtomic(metaPath(flags.json), meta);
        process.stdout.write(`wrote ${records.length} results to ${flags.json} (and ${metaPath(flags.json)})\n`);
      }
    });
}
