/** `embodied run`: the paper pipeline on the real tables, or on the embedded demo dataset. */
import { readFileSync } from 'node:fs';
import type { Command } from 'commander';
import { z } from 'zod';
import { issueLines } from '../sweep/spec-error.js';
import { bundledData } from '../data/index.js';
import { CheckFailedError } from '../model/checks.js';
import { DEFAULT_OPTIONS, optionsFromRecord, parseOptionArgs } from '../model/options.js';
import { runModel } from '../model/pipeline.js';
import { referenceDataOf } from '../model/reference.js';
import { sectorLevels } from '../model/levels.js';
import { terminalSummary } from '../report/summary.js';
import { checkOutput, writeOutputFiles } from '../output/folder.js';
import { RUN_OUTPUT, runReportFiles } from '../report/run-files.js';
import { VERSION } from '../version.js';
import { addDataFlags, type DataFlags } from './data-flags.js';
import { addKernelFlags, commandKernel, type KernelFlags } from './kernel.js';
import { DATA_PATH_KEYS, dataPathsOf, dataWarnings, loadInputs, provenance, UsageError, type DataPaths } from '../inputs/node.js';

interface RunFlags extends DataFlags, KernelFlags {
  config?: string;
  strict?: boolean;
  out: string;
  quiet?: boolean;
}

export function register(program: Command): void {
  const cmd = program
    .command('run')
    .description("carbon embodied in each province's foreign and interprovincial trade (the paper pipeline)")
    .addHelpText('after', '\nWithout data flags the run uses the embedded synthetic demo dataset.');
  addKernelFlags(addDataFlags(cmd))
    .option('--config <file>', 'JSON file with data paths and an "options" object; flags override it')
    .option('--strict', 'fail (exit 1, nothing written) when a check fails or a provincial table is missing')
    .option('-o, --out <dir>', 'output directory (replaced if it holds an earlier run)', 'results')
    .option('-q, --quiet', 'print nothing but errors')
    .action(async (flags: RunFlags) => runCommand(flags));
}

const CONFIG_SCHEMA = z.strictObject({
  ...Object.fromEntries(DATA_PATH_KEYS.map((k) => [k, z.string().min(1).optional()])),
  options: z.record(z.string(), z.string()).optional(),
});

/** The config file, validated as the sweep spec is (zod; every issue named by its field). */
function readConfig(path: string): { paths: DataPaths; options?: Record<string, string> } {
  let json: unknown;
  try {
    json = JSON.parse(readFileSync(path, 'utf8'));
  } catch (e) {
    throw new UsageError(`--config ${path}: ${(e as Error).message}`);
  }
  const r = CONFIG_SCHEMA.safeParse(json);
  if (!r.success) {
    throw new UsageError(
      `--config ${path}: invalid config (fields: ${[...DATA_PATH_KEYS, 'options'].join(', ')}; data paths and option values are strings)\n  ${issueLines(r.error.issues).join('\n  ')}`,
    );
  }
  const { options, ...paths } = r.data as DataPaths & { options?: Record<string, string> };
  return { paths, options };
}

export async function runCommand(flags: RunFlags): Promise<void> {
  const t0 = performance.now();
  const config = flags.config ? readConfig(flags.config) : { paths: {} as DataPaths, options: undefined };
  const base = config.options === undefined ? DEFAULT_OPTIONS : optionsFromRecord(config.options, `--config ${flags.config}`);
  const options = parseOptionArgs(flags.option, base);
  const paths = dataPathsOf(flags, config.paths);
  const place = { out: flags.out, kind: RUN_OUTPUT, inputs: [...Object.values(paths), flags.config] };
  checkOutput(place);

  const loaded = loadInputs(paths, { strict: flags.strict });
  const data = bundledData();
  const ref = referenceDataOf(data);
  // The largest system: one province's, of the model's sectors.
  const k = await commandKernel(flags, sectorLevels(options, ref).modelNames.size);
  const { kernel, record: kernelRecord } = k;
  const t1 = performance.now();
  let result: ReturnType<typeof runModel>;
  try {
    result = runModel(loaded.inputs, ref, options, kernel);
  } finally {
    await k.close();
  }
  const t2 = performance.now();

  const failed = result.checks.filter((c) => !c.ok);
  if (failed.length && flags.strict) throw new CheckFailedError(failed);

  const files = runReportFiles(result, data, { dataNote: loaded.dataNote, synthetic: loaded.data === 'demo', version: VERSION });
  const t3 = performance.now();
  const warnings = [...dataWarnings(loaded), ...failed.map((c) => `${c.name}: ${c.detail}`), ...result.intensities.warnings];
  const runJson = {
    ...provenance('run', loaded),
    options,
    kernel: kernel.name,
    ...kernelRecord,
    provinces: result.provinces.length,
    sectors: result.provinces[0]?.sectors.sectors.length ?? 0,
    checks: result.checks,
    warnings,
    // parse: reading the inputs and loading the kernel; report: rendering every output file.
    timings_ms: { parse: t1 - t0, model: t2 - t1, report: t3 - t2, total: t3 - t0 },
  };
  files.set('run.json', `${JSON.stringify(runJson, null, 2)}\n`);
  await writeOutputFiles(place, files);

  for (const c of failed) process.stderr.write(`warning: check failed: ${c.name}: ${c.detail}\n`);
  for (const w of result.intensities.warnings) process.stderr.write(`warning: ${w}\n`);
  if (!flags.quiet) {
    process.stdout.write(terminalSummary(result, loaded.dataNote, flags.out, runJson.timings_ms));
  }
}
