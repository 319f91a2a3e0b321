/**
 * The paper pipeline end to end on the real 2017 tables (or the demo dataset), with its breakdown:
 * - cold: `embodied run` as a user runs it, in fresh processes (Node start, wasm load, first parse);
 *   the stage times come from each run's run.json;
 * - warm: each stage repeated in this process with tinybench: parse (every reader), model
 *   (runModel on the wasm kernel), report (render all files), write (atomic output folder).
 * Writes bench/results/pipeline.json. Run: `npx tsx bench/pipeline.ts [--demo] [--cold N]`.
 */
import { spawnSync } from 'node:child_process';
import { existsSync, mkdtempSync, readFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { Bench } from 'tinybench';
import { loadInputs, type DataPaths } from '../src/inputs/node.js';
import { bundledData } from '../src/data/index.js';
import { selectKernel } from '../src/kernel/select.js';
import { DEFAULT_OPTIONS } from '../src/model/options.js';
import { runModel } from '../src/model/pipeline.js';
import { referenceDataOf } from '../src/model/reference.js';
import { writeOutputFiles } from '../src/output/folder.js';
import { RUN_OUTPUT, runReportFiles } from '../src/report/run-files.js';
import { writeJsonAtomic } from '../src/benchmark/report.js';

const root = fileURLToPath(new URL('../', import.meta.url));
const shared = join(root, '../shared/data');
const REAL: DataPaths = {
  provincial: join(shared, 'cn-io-2017/provinces'),
  national: join(shared, 'cn-io-2017/national/china_2017_42.csv'),
  emissions: join(shared, 'ceads-2017/Emission_Inventories_for_30_Provinces_2017.xlsx'),
};

const args = process.argv.slice(2);
const demo = args.includes('--demo') || !existsSync(shared);
const coldRuns = Number(args[args.indexOf('--cold') + 1]) || 5;
const paths: DataPaths = demo ? {} : REAL;
const cli = join(root, 'dist/src/cli/main.js');

function coldRun(): Record<string, number> {
  const out = join(mkdtempSync(join(tmpdir(), 'embodied-bench-')), 'results');
  const flags = Object.entries(paths).flatMap(([k, v]) => [`--${k}`, v as string]);
  const t0 = performance.now();
  const r = spawnSync(process.execPath, [cli, 'run', ...flags, '--out', out, '--quiet'], { encoding: 'utf8' });
  const wall = performance.now() - t0;
  if (r.status !== 0) throw new Error(`embodied run failed: ${r.stderr}`);
  const timings = JSON.parse(readFileSync(join(out, 'run.json'), 'utf8')).timings_ms as Record<string, number>;
  return { wall, ...timings };
}

const median = (v: number[]) => [...v].sort((a, b) => a - b)[Math.floor(v.length / 2)];

async function main() {
  if (!existsSync(cli)) throw new Error('build first: npm run build (the cold runs use dist/src/cli/main.js)');
  process.stderr.write(`pipeline benchmark on ${demo ? 'the demo dataset' : 'the real 2017 tables'}: ${coldRuns} cold runs…\n`);
  const cold = Array.from({ length: coldRuns }, coldRun);
  const coldSummary = Object.fromEntries(
    Object.keys(cold[0]).map((k) => [k, { median_ms: median(cold.map((c) => c[k])), min_ms: Math.min(...cold.map((c) => c[k])) }]),
  );

  process.stderr.write('warm stages…\n');
  const data = bundledData();
  const ref = referenceDataOf(data);
  const { kernel } = await selectKernel('wasm');
  const loaded = loadInputs(paths);
  const result = runModel(loaded.inputs, ref, DEFAULT_OPTIONS, kernel);
  const files = runReportFiles(result, data, { dataNote: loaded.dataNote, synthetic: demo, version: 'bench' });
  const outDir = join(mkdtempSync(join(tmpdir(), 'embodied-bench-')), 'results');
  const bench = new Bench({ time: 2000, iterations: 5 });
  bench
    .add('parse', () => void loadInputs(paths))
    .add('model', () => void runModel(loaded.inputs, ref, DEFAULT_OPTIONS, kernel))
    .add('report', () => void runReportFiles(result, data, { dataNote: loaded.dataNote, synthetic: demo, version: 'bench' }))
    .add('write', async () =>
      writeOutputFiles(
        { out: outDir, kind: RUN_OUTPUT },
        new Map([...files, ['run.json', JSON.stringify({ tool: 'embodied', command: 'run' })]]),
      ),
    );
  await bench.run();
  const warm = Object.fromEntries(
    bench.tasks.map((t) => {
      const r = t.result as unknown as { latency: { p50: number; min: number } };
      return [t.name, { median_ms: r.latency.p50, min_ms: r.latency.min }];
    }),
  );
  const record = {
    data: demo ? 'demo' : 'real-2017',
    kernel: kernel.name,
    cold_runs: coldRuns,
    cold: coldSummary,
    warm,
    loadavg: (await import('node:os')).loadavg(),
  };
  const file = join(root, 'bench/results/pipeline.json');
  writeJsonAtomic(file, record);
  const row = (name: string, s: { median_ms: number; min_ms: number }) =>
    `${name.padEnd(8)} ${s.median_ms.toFixed(1).padStart(9)} ${s.min_ms.toFixed(1).padStart(9)}`;
  process.stdout.write(
    [
      `cold \`embodied run\` (${coldRuns} processes)   median ms    min ms`,
      ...Object.entries(coldSummary).map(([k, s]) => row(k, s)),
      'warm stages (in process)            median ms    min ms',
      ...Object.entries(warm).map(([k, s]) => row(k, s)),
      `wrote ${file}`,
      '',
    ].join('\n'),
  );
}

await main();
