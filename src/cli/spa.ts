/**
 * `embodied spa`: structural path analysis of a province's consumption footprint in the
 * interprovincial MRIO (src/analysis/spa.ts, traversal in the kernel: src/kernel/spa.ts), and with
 * `--hem` hypothetical extraction of every province-sector in the per-province model
 * (src/analysis/hem.ts). Writes paths.csv, paths.svg, report.md, run.json (and hem.csv).
 */
import { InvalidArgumentError, type Command } from 'commander';
import { hemCsv, hemMarkdown, linkHemCsv, linkHemMarkdown, pathsCsv, spaMarkdown, spaTreeSvg } from '../analysis/report.js';
import { EXTRACTIONS, mrioLinkHem, provincialHem } from '../analysis/hem.js';
import { inputsSpa } from '../analysis/spa.js';
import { bundledData } from '../data/index.js';
import { sectorLevels } from '../model/levels.js';
import { referenceDataOf } from '../model/reference.js';
import { MRIO_OPTIONS } from '../mrio/options.js';
import { checkOutput, writeOutputFiles, type OutputKind } from '../output/folder.js';
import { dataPathsOf, loadInputs, provenance, UsageError } from '../inputs/node.js';
import { addDataFlags, type DataFlags } from './data-flags.js';
import { addKernelFlags, commandKernel, type KernelFlags } from './kernel.js';
import { VERSION } from '../version.js';
import { positiveInt, splitOptions } from './mrio.js';

export interface SpaFlags extends Partial<DataFlags>, KernelFlags {
  demo?: boolean;
  province: string;
  threshold?: number;
  maxPaths?: number;
  hem?: boolean;
  out?: string;
  quiet?: boolean;
}

export const SPA_OUTPUT: OutputKind = {
  commands: ['spa'],
  files: /^(?:run\.json|paths\.csv|paths\.svg|hem(?:-links)?\.csv|report\.md)$/,
};

function share(v: string): number {
  const x = Number(v);
  if (!(x >= 0 && x < 1)) throw new InvalidArgumentError(`expected a share of the total in [0, 1), got "${v}"`);
  return x;
}

/** The action of `embodied spa`, callable without commander (tests, scripts). */
export async function spaAction(flags: SpaFlags): Promise<Record<string, unknown>> {
  const t0 = performance.now();
  if (!flags.out) throw new Error('--out DIR is required');
  if (!flags.demo && !flags.provincial)
    throw new Error('give the MRIO data flags (--provincial DIR --national FILE --emissions FILE) or --demo');
  const { model: options, balance } = splitOptions(flags.option ?? []);
  const paths = flags.demo ? {} : dataPathsOf(flags);
  const place = { out: flags.out, kind: SPA_OUTPUT, inputs: Object.values(paths) };
  checkOutput(place);
  const loaded = loadInputs(paths);
  const ref = referenceDataOf(bundledData());
  // The traversal and the batched HEM solves run on one thread: the threaded kernel has neither.
  if (flags.kernel === 'threads' || (flags.threads ?? 1) > 1)
    throw new UsageError('embodied spa runs on one thread: drop --kernel threads / --threads');
  const k = await commandKernel(flags);
  const { kernel, record: kernelRecord } = k;
  const t1 = performance.now();
  const {
    spa,
    systems,
    mrio: m,
    accounts,
  } = inputsSpa(loaded.inputs, ref, options, balance, flags.province, kernel, {
    ...(flags.threshold !== undefined ? { threshold: flags.threshold } : {}),
    ...(flags.maxPaths !== undefined ? { maxPaths: flags.maxPaths } : {}),
  });
  const names = sectorLevels(options, ref).modelNames;
  const hem = flags.hem ? provincialHem(systems.tables, systems.intensities.d, kernel) : undefined;
  const links = flags.hem ? mrioLinkHem(m, accounts.d, kernel) : undefined;
  const t2 = performance.now();
  const synthetic = loaded.data === 'demo';
  const report = [
    `# Where ${spa.province}'s consumption CO2 comes from`,
    '',
    `embodied ${VERSION}${synthetic ? ' — **SYNTHETIC demo data**, not real results' : ''}; ${loaded.dataNote}`,
    `Options: ${Object.entries({ ...options, balance })
      .map(([k, v]) => `${k}=${v}`)
      .join(', ')}; ${kernel.name} kernel.`,
    '',
    spaMarkdown(spa),
    ...(hem ? [hemMarkdown(hem, names)] : []),
    ...(links ? [linkHemMarkdown(links)] : []),
  ].join('\n');
  const run = {
    ...provenance('spa', loaded),
    options: { ...options, balance },
    kernel: kernel.name,
    ...kernelRecord,
    province: spa.province,
    n: m.n,
    threshold: spa.threshold,
    max_paths: spa.maxPaths,
    paths: spa.paths.length,
    total: spa.total,
    covered: spa.covered,
    remainder: spa.remainder,
    remainder_parts: { unlisted: spa.unlisted, pruned: spa.pruned, leftover: spa.leftover },
    closure: spa.closure,
    paths_examined: spa.expanded,
    nodes: spa.nodes,
    truncated: spa.truncated,
    ...(hem && links
      ? { hem: { province_sectors: hem.provinces.length * hem.sectors.length, province_links: links.provinces.length, kinds: EXTRACTIONS } }
      : {}),
    timings_ms: { read: t1 - t0, compute: t2 - t1, spa: spa.ms, ...(hem && links ? { hem: hem.ms, hem_links: links.ms } : {}) },
  };
  const files = new Map([
    ['paths.csv', pathsCsv(spa)],
    ['paths.svg', spaTreeSvg(spa, 40, synthetic)],
    ['report.md', report],
    ...(hem && links
      ? [['hem.csv', hemCsv(hem, names)] as [string, string], ['hem-links.csv', linkHemCsv(links)] as [string, string]]
      : []),
    ['run.json', `${JSON.stringify(run, null, 2)}\n`],
  ]);
  await writeOutputFiles(place, files);
  if (!flags.quiet) {
    process.stderr.write(
      `embodied spa: ${spa.province}, ${spa.paths.length} paths cover ${spa.covered.toFixed(3)} of ${spa.total.toFixed(3)} Mt ` +
        `(${((100 * spa.covered) / spa.total).toFixed(1)} %), remainder ${spa.remainder.toFixed(3)} Mt; ${spa.expanded} paths examined in ${spa.ms.toFixed(0)} ms; written to ${flags.out}\n`,
    );
  }
  if (spa.closure > 1e-8)
    throw new Error(`covered + remainder differs from the total by ${spa.closure} of it; results written to ${flags.out} for inspection`);
  return run;
}

export function register(program: Command): void {
  const cmd = program
    .command('spa')
    .description(
      "structural path analysis of a province's consumption CO2 in the interprovincial MRIO, and (--hem) hypothetical extraction of every province-sector",
    )
    .option('--demo', 'the embedded synthetic demo dataset (no data files)')
    .requiredOption('--province <name>', 'the province whose consumption footprint is unfolded, e.g. Guangdong');
  addKernelFlags(addDataFlags(cmd, { title: 'MRIO options', options: MRIO_OPTIONS }))
    .option('--threshold <x>', 'share of the total below which a path is not expanded (default 1e-6)', share)
    .option('--max-paths <k>', 'most paths listed (default 1000)', positiveInt)
    .option(
      '--hem',
      "also hypothetical extraction (total, backward, forward): every sector of every province (hem.csv), every province's interprovincial links in the MRIO (hem-links.csv)",
    )
    .requiredOption('--out <dir>', 'output folder (written atomically; replaced only if empty or holding an earlier spa output)')
    .option('--quiet', 'no summary on stderr')
    .action(async (flags: SpaFlags) => {
      await spaAction(flags);
    });
}
