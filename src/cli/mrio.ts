/**
 * `embodied mrio`: the multi-regional model.
 *  - `--pymrio DIR --out DIR [--write A,L]`: pymrio's calc_all on a system in pymrio's folder format;
 *    writes the system with x (A and L when asked for) and every extension's S, M, D_cba, D_pba,
 *    D_imp, D_exp (per sector, `_reg` per region and `_cap` per capita with a population) in
 *    pymrio's format (pymrio.load_all reads it), plus run.json.
 *  - `--provincial DIR --national FILE --emissions FILE [--option k=v ...] --out DIR`: the
 *    interprovincial MRIO of China's 31 provinces (Chenery–Moses), see src/mrio/provincial.ts;
 *    writes bilateral.csv, footprints.csv, report.md, run.json; with `--format pymrio` the MRIO itself
 *    in pymrio's folder format instead (src/mrio/provincial-pymrio.ts), and run.json.
 * Outputs are written through the guarded output writer (src/output/folder.ts).
 */
import { writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { InvalidArgumentError, type Command } from 'commander';
import { bundledData } from '../data/index.js';
import { runModel } from '../model/pipeline.js';
import { sectorLevels } from '../model/levels.js';
import { modelSystems } from '../model/systems.js';
import { DEFAULT_OPTIONS, parseOptionArgs, type ModelOptions } from '../model/options.js';
import { referenceDataOf } from '../model/reference.js';
import { balanceOption, DEFAULT_BALANCE, MRIO_OPTIONS, type BalanceOption } from '../mrio/options.js';
import { inventoryBalance, inventoryCheck, inventorySection, mrioIntensities } from '../mrio/inventories.js';
import { buildProvincialMrio, mrioAccounts } from '../mrio/provincial.js';
import { provincialPymrioSystem } from '../mrio/provincial-pymrio.js';
import { calcAll, OPTIONAL_TABLES, type OptionalTable } from '../mrio/pymrio.js';
import { readPymrio, writePymrio } from '../mrio/pymrio-folder.js';
import {
  bilateralCsv,
  comparisonSection,
  comparisonSvg,
  comparisonTable,
  footprintsCsv,
  mrioChecks,
  reportMarkdown,
  sum,
  unallocated,
} from '../mrio/report.js';
import { tableCsv } from '../output/csv.js';
import { checkOutput, writeOutputFiles, writeOutputFolder, type OutputKind } from '../output/folder.js';
import { conditionVerdict, type SolverKind } from '../mrio/solver.js';
import { VERSION } from '../version.js';
import { addDataFlags, type DataFlags } from './data-flags.js';
import { dataPathsOf, dataWarnings, loadInputs, provenance } from '../inputs/node.js';
import { addKernelFlags, commandKernel, type KernelFlags } from './kernel.js';

export interface MrioFlags extends Partial<DataFlags>, KernelFlags {
  pymrio?: string;
  out?: string;
  solver?: SolverKind;
  tol?: number;
  maxIter?: number;
  quiet?: boolean;
  strict?: boolean;
  /** The provincial MRIO on the embedded synthetic demo dataset instead of data files. */
  demo?: boolean;
  /** What the provincial MRIO writes: its CSV files and report (csv), or the system in pymrio's folder format (pymrio). */
  format?: 'csv' | 'pymrio';
  /** Core tables of `--pymrio` written only when asked for (A, L). */
  write?: OptionalTable[];
}

export interface MrioRunSummary {
  mode: 'pymrio' | 'provincial';
  out: string;
  /** The run record written as run.json. */
  run: Record<string, unknown>;
}

/**
 * The folder either mode of `embodied mrio` writes: the provincial MRIO's files, or a pymrio system
 * (its tables, file_parameters.json and metadata.json, extensions one folder down), with run.json.
 */
export const MRIO_OUTPUT: OutputKind = {
  commands: ['mrio --provincial', 'mrio --pymrio'],
  files:
    /^(?:run\.json|bilateral\.csv|footprints\.csv|report\.md|comparison\.(?:csv|svg)|(?:[^/]+\/)?(?:file_parameters\.json|[^/]+\.txt)|metadata\.json)$/,
};

function oneOf<T extends string>(allowed: readonly T[], what: string) {
  return (v: string): T => {
    if (!allowed.includes(v as T)) throw new InvalidArgumentError(`unknown ${what} "${v}"; choose from ${allowed.join(', ')}`);
    return v as T;
  };
}

function tableList(v: string): OptionalTable[] {
  const names = v
    .split(',')
    .map((s) => s.trim())
    .filter((s) => s !== '');
  for (const t of names) {
    if (!(OPTIONAL_TABLES as readonly string[]).includes(t))
      throw new InvalidArgumentError(`unknown table "${t}"; choose from ${OPTIONAL_TABLES.join(', ')}`);
  }
  return [...new Set(names)] as OptionalTable[];
}

function positiveNumber(v: string): number {
  const n = Number(v);
  if (!(n > 0) || !Number.isFinite(n)) throw new InvalidArgumentError(`expected a positive number, got "${v}"`);
  return n;
}

export function positiveInt(v: string): number {
  const n = Number(v);
  if (!Number.isInteger(n) || n < 1) throw new InvalidArgumentError(`expected a positive integer, got "${v}"`);
  return n;
}

/** The action of `embodied mrio`, callable without commander (tests, scripts). */
export async function mrioAction(flags: MrioFlags): Promise<MrioRunSummary> {
  if (!flags.out) throw new Error('--out DIR is required');
  if (flags.pymrio && flags.provincial) throw new Error('give either --pymrio DIR or --provincial DIR, not both');
  if (flags.pymrio && flags.format === 'pymrio')
    throw new Error('--format pymrio is for --provincial (a --pymrio run always writes a pymrio folder)');
  if (flags.pymrio) return runPymrio(flags.pymrio, flags.out, flags);
  if (flags.write?.length) throw new Error('--write A,L applies to --pymrio only');
  if (flags.provincial || flags.demo) return runProvincial(flags);
  throw new Error('give --pymrio DIR (a pymrio folder), --provincial DIR (the provincial tables) or --demo');
}

export async function runPymrio(dir: string, out: string, flags: MrioFlags = {}): Promise<MrioRunSummary> {
  const t0 = performance.now();
  const place = { out, kind: MRIO_OUTPUT, inputs: [dir] };
  checkOutput(place);
  const sys = await readPymrio(dir);
  // The dense solver factors the whole system; the iterative one factors nothing.
  const solver = flags.solver ?? 'dense';
  const k = await commandKernel(flags, solver === 'dense' ? (sys.tables.get('Z')?.rows.keys.length ?? 0) : 0);
  const { kernel, record: kernelRecord } = k;
  const t1 = performance.now();
  let res: ReturnType<typeof calcAll>;
  try {
    res = calcAll(sys, kernel, {
      solver,
      tables: flags.write ?? [],
      iterative: {
        ...(flags.tol !== undefined ? { tol: flags.tol } : {}),
        ...(flags.maxIter !== undefined ? { maxIter: flags.maxIter } : {}),
      },
    });
  } finally {
    await k.close();
  }
  const t2 = performance.now();
  const timings_ms: Record<string, number> = { read: t1 - t0, compute: t2 - t1 };
  const run = {
    command: 'embodied mrio --pymrio',
    version: VERSION,
    input: dir,
    output: out,
    system: sys.name,
    regions: res.regions,
    sectors: res.sectors,
    n: res.regions.length * res.sectors.length,
    extensions: res.system.extensions.map((e) => ({
      name: e.name,
      folder: e.folder,
      stressors: e.tables.get('F')!.rows.keys.map((k) => k.join('/')),
    })),
    kernel: res.kernel,
    ...kernelRecord,
    solver: res.solver,
    iterations: res.iterations,
    multipliers: res.multipliers,
    written_optional: flags.write ?? [],
    warnings: res.warnings,
    checks: {
      identity: {
        what: 'D_cba_reg = D_pba_reg + D_imp_reg - D_exp_reg per region and stressor',
        maxRelError: res.identityMaxRelError,
        ok: res.identityOk,
      },
      output: { what: 'x = L (Y 1), relative to max |x|', maxRelError: res.outputMaxRelError },
      ...(res.condition !== undefined && {
        condition: {
          what: 'estimated 1-norm condition number of I - A (Hager/Higham); a solve may lose up to log10 of it in digits',
          value: res.condition,
        },
      }),
    },
    timings_ms,
    created: new Date().toISOString(),
  };
  await writeOutputFolder(place, async (tmp) => {
    const t3 = performance.now();
    await writePymrio(tmp, res.system);
    // run.json last, with the time the tables took.
    timings_ms.write = performance.now() - t3;
    await writeFile(join(tmp, 'run.json'), `${JSON.stringify(run, null, 2)}\n`);
  });
  if (!flags.quiet) {
    for (const w of res.warnings) process.stderr.write(`warning: ${w}\n`);
    process.stderr.write(
      `embodied mrio: ${res.regions.length} regions × ${res.sectors.length} sectors, ${res.system.extensions.length} extension(s), ` +
        `${res.kernel} kernel, ${res.solver} solver; identity max rel. error ${res.identityMaxRelError.toExponential(2)}; written to ${out}\n`,
    );
  }
  if (!res.identityOk)
    throw new Error(`the accounts identity fails (max rel. error ${res.identityMaxRelError}); results written to ${out} for inspection`);
  return { mode: 'pymrio', out, run };
}

/** The model's options and the MRIO's own (balance), from the same --option list. */
export function splitOptions(args: readonly string[]): { model: ModelOptions; balance: BalanceOption } {
  let balance = DEFAULT_BALANCE;
  const rest: string[] = [];
  for (const a of args) {
    const [k, v] = a.split('=', 2).map((s) => s.trim());
    if (k === 'balance') balance = balanceOption(v ?? '', `--option balance=${v}`);
    else rest.push(a);
  }
  // The MRIO's production account must give back the inventories: its own intensities by default.
  return { model: parseOptionArgs(rest, { ...DEFAULT_OPTIONS, 'direct-intensity': 'provincial-inventory' }), balance };
}

/**
 * `--provincial DIR --national FILE --emissions FILE` (or `--demo`): reads the data as `embodied run`
 * does, takes d^r from the model (src/model/intensities.ts, with the model's options), builds the
 * interprovincial MRIO (src/mrio/provincial.ts), solves it through the kernel, and writes
 * bilateral.csv, footprints.csv, report.md and run.json atomically.
 */
export async function runProvincial(flags: MrioFlags): Promise<MrioRunSummary> {
  const t0 = performance.now();
  const out = flags.out!;
  const { model: options, balance } = splitOptions(flags.option ?? []);
  const paths = flags.demo ? {} : dataPathsOf(flags);
  const place = { out, kind: MRIO_OUTPUT, inputs: Object.values(paths) };
  checkOutput(place);
  const loaded = loadInputs(paths, { strict: flags.strict });
  const warnings = dataWarnings(loaded);
  const data = bundledData();
  const ref = referenceDataOf(data);
  // The dense solver factors the whole MRIO: provinces × the model's sectors.
  const solver = flags.solver ?? 'dense';
  const order = solver === 'dense' ? loaded.inputs.provinces.length * sectorLevels(options, ref).modelNames.size : 0;
  const k = await commandKernel(flags, order);
  const { kernel, record: kernelRecord } = k;
  const t1 = performance.now();

  let systems: ReturnType<typeof modelSystems>;
  let m: ReturnType<typeof buildProvincialMrio>;
  let d: ReturnType<typeof mrioIntensities>['d'];
  let acc: ReturnType<typeof mrioAccounts>;
  let t2: number;
  let comparison: ReturnType<typeof comparisonTable>;
  try {
    systems = modelSystems(loaded.inputs, ref, options, kernel);
    const { tables, intensities: intens, tNational } = systems;
    m = buildProvincialMrio(tables, { balance });
    const own = mrioIntensities(m, intens, options['direct-intensity']);
    d = own.d;
    warnings.push(...own.warnings);
    for (const w of own.warnings) if (!flags.quiet) process.stderr.write(`warning: ${w}\n`);
    acc = mrioAccounts(m, d, kernel, {
      solver,
      tNational,
      importIntensity: options['import-intensity'],
      ...(flags.tol !== undefined ? { tol: flags.tol } : {}),
    });
    t2 = performance.now();
    const ill = acc.checks.condition === undefined ? undefined : conditionVerdict(acc.checks.condition).warning;
    if (ill) {
      warnings.push(ill);
      if (!flags.quiet) process.stderr.write(`warning: ${ill}\n`);
    }
    // The per-province (paper) model on the same data and options, for the comparison in report.md.
    comparison = comparisonTable(m, acc, runModel(loaded.inputs, ref, options, kernel, systems));
  } finally {
    await k.close();
  }
  const inventories = inventoryBalance(m, d, systems.intensities);
  const checks = [...mrioChecks(acc), inventoryCheck(inventories, options['direct-intensity'])];
  const R = m.provinces.length;
  const report =
    reportMarkdown(m, acc, {
      options,
      balance,
      dataNote: loaded.dataNote,
      kernel: kernel.name,
      checks,
      sectorNames: sectorLevels(options, ref).modelNames,
    }) +
    inventorySection(m, inventories, options) +
    comparisonSection(comparison);
  const t3 = performance.now();
  const run = {
    ...provenance('mrio --provincial', loaded),
    options: { ...options, balance },
    provinces: R,
    sectors: m.sectors.length,
    n: m.n,
    kernel: kernel.name,
    ...kernelRecord,
    solver: acc.solver,
    iterations: acc.iterations,
    checks,
    notes: m.notes,
    warnings,
    totals_Mt: {
      production: sum(acc.production),
      inventories: inventories.inventoryTotal,
      production_inventoried: inventories.productionInventoried,
      production_without_inventory: inventories.productionWithout,
      consumption: sum(acc.consumption),
      exports_embodied: sum(acc.exportsEmbodied),
      imports_embodied: sum(acc.importsEmbodied),
      unallocated: unallocated(acc),
      unattributed_inflow_embodied: sum(acc.unattributedInflowEmbodied),
    },
    timings_ms: { read: t1 - t0, model: t2 - t1, report: t3 - t2, total: t3 - t0 },
  };
  if (flags.format === 'pymrio') {
    const intens = systems.intensities;
    const households =
      options.scope === 'production+households'
        ? new Map([...intens.provinceCO2].map(([p, C]) => [p, intens.provinceTotal.get(p)! - sum(C)]))
        : undefined;
    const names = sectorLevels(options, ref).modelNames;
    const sys = provincialPymrioSystem(m, {
      sectorLabels: m.sectors.map((c) => names.get(c) ?? c),
      d,
      ...(households && { households }),
      description: `${loaded.dataNote} Built by embodied ${VERSION} (mrio --provincial, ${Object.entries(run.options)
        .map(([k, v]) => `${k}=${v}`)
        .join(', ')}); values in 10^4 CNY, CO2 in Mt.`,
    });
    await writeOutputFolder(place, async (tmp) => {
      await writeFile(join(tmp, 'run.json'), `${JSON.stringify({ ...run, format: 'pymrio' }, null, 2)}\n`);
      await writePymrio(tmp, sys);
    });
  } else {
    const files = new Map([
      ['bilateral.csv', bilateralCsv(m, acc)],
      ['footprints.csv', footprintsCsv(m, acc, new Map(data.provinces.map((p) => [p.province, p.population2017])))],
      ['report.md', report],
      ['comparison.csv', tableCsv(comparison)],
      ['comparison.svg', comparisonSvg(comparison, loaded.data === 'demo')],
      ['run.json', `${JSON.stringify(run, null, 2)}\n`],
    ]);
    await writeOutputFiles(place, files);
  }
  if (!flags.quiet) {
    process.stderr.write(
      `embodied mrio: ${R} provinces × ${m.sectors.length} sectors (n = ${m.n}), ${kernel.name} kernel, ${acc.solver} solver; ` +
        `production ${run.totals_Mt.production.toFixed(1)} Mt, unallocated ${run.totals_Mt.unallocated.toFixed(1)} Mt; checks ${checks.every((c) => c.ok || c.informational) ? 'ok' : 'FAILED'}; written to ${out}\n`,
    );
  }
  const failed = checks.filter((c) => !c.ok && !c.informational);
  if (failed.length)
    throw new Error(`check(s) failed: ${failed.map((c) => `${c.name} (${c.value})`).join(', ')}; results written to ${out} for inspection`);
  return { mode: 'provincial', out, run };
}

export function register(program: Command): void {
  const cmd = program
    .command('mrio')
    .description(
      'Multi-regional input-output: pymrio-compatible calc_all on a pymrio folder (--pymrio), or the ' +
        "interprovincial MRIO of China's provinces from the provincial tables (--provincial)",
    )
    .option('--pymrio <dir>', "a system in pymrio's folder format (file_parameters.json, Z.txt, Y.txt, extension sub-folders)")
    .option('--demo', 'the provincial MRIO on the embedded synthetic demo dataset (no data files)');
  addKernelFlags(addDataFlags(cmd, { title: 'MRIO options', options: MRIO_OPTIONS }))
    .requiredOption('--out <dir>', 'output folder (written atomically; replaced only if empty or holding an earlier mrio output)')
    .option(
      '--solver <kind>',
      'dense (one LU, reused for every solve) or iterative (sparse Gauss-Seidel)',
      oneOf(['dense', 'iterative'] as const, 'solver'),
      'dense',
    )
    .option(
      '--write <tables>',
      `with --pymrio: also write these core tables (${OPTIONAL_TABLES.join(',')}; n² numbers each, L also an inverse, dense solver only)`,
      tableList,
    )
    .option('--tol <x>', 'relative residual tolerance of the iterative solver (default 1e-12)', positiveNumber)
    .option('--max-iter <k>', 'iteration limit of the iterative solver (default 10000)', positiveInt)
    .option(
      '--format <kind>',
      "with --provincial: csv (bilateral.csv, footprints.csv, report.md, comparison, run.json) or pymrio (the MRIO in pymrio's folder format: Z, Y, x, unit, the CO2 extension, and run.json)",
      oneOf(['csv', 'pymrio'] as const, 'format'),
      'csv',
    )
    .option('--strict', 'with --provincial: refuse (exit 1, nothing written) when a provincial table is missing')
    .option('--quiet', 'no summary on stderr')
    .action(async (flags: MrioFlags) => {
      await mrioAction(flags);
    });
}
