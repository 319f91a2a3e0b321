/** `embodied run`: the paper pipeline on the real tables, or on the embedded demo dataset. */
import { readFileSync } from 'node:fs';
import type { Command } from 'commander';
import { bundledData } from '../data/index.js';
import { loadKernel } from '../kernel/index.js';
import { CheckFailedError } from '../model/checks.js';
import { DEFAULT_OPTIONS, optionsFromRecord, parseOptionArgs } from '../model/options.js';
import { runModel } from '../model/pipeline.js';
import { referenceDataOf } from '../model/reference.js';
import { terminalSummary } from '../report/summary.js';
import { checkOutput, writeOutputFiles } from '../output/folder.js';
import { RUN_OUTPUT, runReportFiles } from '../report/run-files.js';
import { VERSION } from '../version.js';
import { DATA_PATH_KEYS, dataPathsOf, loadInputs, provenance, UsageError, type DataPaths } from './inputs.js';

interface RunFlags extends DataPaths {
  option: string[];
  config?: string;
  strict?: boolean;
  out: string;
  quiet?: boolean;
}

const collect = (v: string, acc: string[]) => [...acc, v];

export function register(program: Command): void {
  program
    .command('run')
    .description("carbon embodied in each province's foreign and interprovincial trade (the paper pipeline)")
    .option('--provincial <dir>', 'folder of the 31 provincial IO tables (.xls, .xlsx or .csv)')
    .option('--national <file>', 'national IO table, non-competitive CSV (china_2017_42.csv)')
    .option('--emissions <file>', 'CEADs provincial CO2 emission inventories (.xlsx)')
    .option('--energy <file>', 'CEADs provincial energy inventories (.xlsx), for emission-source=energy')
    .option('--factors <file>', 'emission factors per fuel (CSV); default: bundled IPCC 2006 defaults')
    .option('--national-inventory <file>', 'CEADs national CO2 inventory (.xlsx), for national-emissions=national-inventory')
    .option('-O, --option <name=value>', 'a method option (repeatable), e.g. aggregation=after', collect, [])
    .option('--config <file>', 'JSON file with data paths and an "options" object; flags override it')
    .option('--strict', 'fail (exit 1, nothing written) when a check fails')
    .option('-o, --out <dir>', 'output directory (replaced if it holds an earlier run)', 'results')
    .option('-q, --quiet', 'print nothing but errors')
    .addHelpText(
      'after',
      '\nWithout data flags the run uses the embedded synthetic demo dataset.\n' +
        'Options (default first): aggregation before|after|none, emission-source ceads|energy,\n' +
        '  scope production|production+households, electricity producer|consumer,\n' +
        '  inflow-intensity national|own|other-provinces, import-intensity own|national,\n' +
        '  national-emissions sum-of-provinces|national-inventory',
    )
    .action(async (flags: RunFlags) => runCommand(flags));
}

function readConfig(path: string): { paths: DataPaths; options?: unknown } {
  let json: Record<string, unknown>;
  try {
    json = JSON.parse(readFileSync(path, 'utf8')) as Record<string, unknown>;
  } catch (e) {
    throw new UsageError(`--config ${path}: ${(e as Error).message}`);
  }
  const known: string[] = [...DATA_PATH_KEYS, 'options'];
  const unknown = Object.keys(json).filter((k) => !known.includes(k));
  if (unknown.length) throw new UsageError(`--config ${path}: unknown field(s) ${unknown.join(', ')}; fields are ${known.join(', ')}`);
  const { options, ...paths } = json;
  return { paths: paths as DataPaths, options };
}

export async function runCommand(flags: RunFlags): Promise<void> {
  const t0 = performance.now();
  const config = flags.config ? readConfig(flags.config) : { paths: {} as DataPaths, options: undefined };
  const base = config.options === undefined ? DEFAULT_OPTIONS : optionsFromRecord(config.options, `--config ${flags.config}`);
  const options = parseOptionArgs(flags.option, base);
  const paths = dataPathsOf(flags, config.paths);
  const place = { out: flags.out, kind: RUN_OUTPUT, inputs: [...Object.values(paths), flags.config] };
  checkOutput(place);

  const loaded = loadInputs(paths);
  const data = bundledData();
  const kernel = await loadKernel();
  const t1 = performance.now();
  const result = runModel(loaded.inputs, referenceDataOf(data), options, kernel);
  const t2 = performance.now();

  const failed = result.checks.filter((c) => !c.ok);
  if (failed.length && flags.strict) throw new CheckFailedError(failed);

  const files = runReportFiles(result, data, { dataNote: loaded.dataNote, synthetic: loaded.data === 'demo', version: VERSION });
  const t3 = performance.now();
  const runJson = {
    ...provenance('run', loaded),
    options,
    kernel: kernel.name,
    provinces: result.provinces.length,
    sectors: result.provinces[0]?.sectors.sectors.length ?? 0,
    checks: result.checks,
    warnings: failed.map((c) => `${c.name}: ${c.detail}`),
    // parse: reading the inputs and loading the kernel; report: rendering every output file.
    timings_ms: { parse: t1 - t0, model: t2 - t1, report: t3 - t2, total: t3 - t0 },
  };
  files.set('run.json', JSON.stringify(runJson, null, 2) + '\n');
  await writeOutputFiles(place, files);

  for (const c of failed) process.stderr.write(`warning: check failed: ${c.name}: ${c.detail}\n`);
  if (!flags.quiet) {
    process.stdout.write(terminalSummary(result, loaded.dataNote, flags.out, runJson.timings_ms));
  }
}

