/**
 * Whole-process comparison with pymrio on the same pymrio folders: `embodied mrio --pymrio DIR`
 * (the built CLI, default flags) against pymrio's python start + load_all + calc_all
 * (bench/pymrio_run.py), interleaved round by round (the order alternates), wall time of each
 * process, both recorded; then the accounts of one run of each compared (pymrioDifference).
 *
 *   npm run build && npx tsx bench/vs-pymrio.ts [--sizes 48,1435,5000] [--rounds 3]
 *        [--out bench/results/vs-pymrio.json] [--keep DIR]
 *
 * Systems (bench/pymrio-systems.ts): n = 48 pymrio's test system (../shared/data/pymrio-test/native,
 * read in place), n = 1435 WIOD 2013, 2011 as published with two seeded extensions, n = 5000 the
 * seeded synthetic 50 × 100 system. They are written into a temporary folder (or --keep DIR, reused
 * when present); embodied's outputs go to a temporary folder too. Neither process is pinned: both may
 * use both cores (pymrio through OpenBLAS).
 */
import { spawnSync } from 'node:child_process';
import { existsSync, readFileSync } from 'node:fs';
import { mkdir, mkdtemp, rm } from 'node:fs/promises';
import { cpus, loadavg, tmpdir } from 'node:os';
import { dirname, join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { readPymrio } from '../src/mrio/pymrio-folder.js';
import { writeAtomic } from '../src/output/atomic.js';
import { pymrioCommand, pymrioDifference, pymrioPython, writeSyntheticPymrio, writeWiodPymrio } from './pymrio-systems.js';

const HERE = dirname(fileURLToPath(import.meta.url));
const SHARED = resolve(HERE, '../../shared/data');
const CLI = resolve(HERE, '../dist/src/cli/main.js');

function flag(name: string, dflt: string): string {
  const i = process.argv.indexOf(`--${name}`);
  return i >= 0 ? process.argv[i + 1]! : dflt;
}

function timed(cmd: string, args: string[], env?: NodeJS.ProcessEnv): { s: number; stdout: string } {
  const t = performance.now();
  const r = spawnSync(cmd, args, { encoding: 'utf8', maxBuffer: 1 << 26, ...(env ? { env } : {}) });
  const s = (performance.now() - t) / 1000;
  if (r.status !== 0) throw new Error(`${cmd} ${args.join(' ')} failed (${r.status}): ${r.stderr}`);
  return { s, stdout: r.stdout };
}

const median = (v: number[]): number => {
  const s = [...v].sort((a, b) => a - b);
  return s.length % 2 ? s[(s.length - 1) / 2]! : (s[s.length / 2 - 1]! + s[s.length / 2]!) / 2;
};

async function main(): Promise<void> {
  const started = new Date().toISOString();
  const sizes = flag('sizes', '48,1435,5000').split(',').map(Number);
  const rounds = Number(flag('rounds', '3'));
  const outFile = flag('out', join(HERE, 'results/vs-pymrio.json'));
  if (!existsSync(CLI)) throw new Error(`${CLI} not found: npm run build first`);
  const python = pymrioPython();
  if (!python) throw new Error('no python3 with pandas and requests, or ../shared/tools/pymrio missing: see its README');
  const keep = process.argv.includes('--keep') ? resolve(flag('keep', '')) : undefined;
  const work = keep ?? (await mkdtemp(join(tmpdir(), 'embodied-vs-pymrio-')));
  await mkdir(work, { recursive: true });
  const results: Record<string, unknown>[] = [];
  try {
    for (const n of sizes) {
      let folder: string;
      let system: string;
      if (n === 48) {
        folder = join(SHARED, 'pymrio-test/native');
        system = "pymrio's test system (6 × 8)";
      } else if (n === 1435) {
        folder = join(work, 'wiod-2011');
        system = 'WIOD 2013 release, 2011 (41 × 35), two seeded extensions';
        if (!existsSync(join(folder, 'file_parameters.json'))) await writeWiodPymrio(folder, join(SHARED, 'wiod-2013-2011'));
      } else if (n === 5000) {
        folder = join(work, 'synthetic-5000');
        system = 'synthetic 50 × 100, seeded (bench/pymrio-systems.ts)';
        if (!existsSync(join(folder, 'file_parameters.json'))) await writeSyntheticPymrio(folder);
      } else {
        throw new Error(`--sizes: no system of order ${n} (48, 1435, 5000)`);
      }
      const out = join(work, `out-${n}`);
      const py = pymrioCommand(python, folder);
      const embodied: number[] = [];
      const pymrio: number[] = [];
      const pymrioParts: unknown[] = [];
      const load: number[] = [loadavg()[0]!];
      for (let r = 0; r < rounds; r++) {
        const runEmbodied = () => embodied.push(timed(process.execPath, [CLI, 'mrio', '--pymrio', folder, '--out', out, '--quiet']).s);
        const runPymrio = () => {
          const t = timed(py.cmd, py.args, py.env);
          pymrio.push(t.s);
          pymrioParts.push(JSON.parse(t.stdout.trim().split('\n').at(-1)!));
        };
        if (r % 2 === 0) {
          runEmbodied();
          runPymrio();
        } else {
          runPymrio();
          runEmbodied();
        }
        load.push(loadavg()[0]!);
        process.stderr.write(
          `n = ${n}, round ${r + 1}: embodied ${embodied.at(-1)!.toFixed(2)} s, pymrio ${pymrio.at(-1)!.toFixed(2)} s, load ${load.at(-1)}\n`,
        );
      }
      // The accounts, from the last embodied run, against pymrio's (one more pymrio run, saving them).
      const save = join(work, `pymrio-${n}`);
      const pys = pymrioCommand(python, folder, save);
      timed(pys.cmd, pys.args, pys.env);
      const d = pymrioDifference(await readPymrio(out), save);
      const run = JSON.parse(readFileSync(join(out, 'run.json'), 'utf8')) as Record<string, unknown>;
      results.push({
        system,
        n,
        embodied_s: embodied,
        pymrio_s: pymrio,
        embodied_median_s: median(embodied),
        pymrio_median_s: median(pymrio),
        pymrio_over_embodied: median(pymrio) / median(embodied),
        pymrio_parts_s: pymrioParts,
        loadavg_1min: load,
        embodied_run: {
          kernel: run.kernel,
          threads: run.threads,
          solver: run.solver,
          multipliers: run.multipliers,
          timings_ms: run.timings_ms,
        },
        accounts: { compared: d.compared, worst_rel_error: d.worst, where: d.where, ok: d.worst <= 1e-12 },
      });
      process.stderr.write(
        `n = ${n}: pymrio / embodied = ${(median(pymrio) / median(embodied)).toFixed(2)}; accounts worst rel. error ${d.worst.toExponential(2)}\n`,
      );
      await rm(out, { recursive: true, force: true });
      await rm(save, { recursive: true, force: true });
    }
  } finally {
    if (!keep) await rm(work, { recursive: true, force: true });
  }
  const meta = {
    started,
    date: new Date().toISOString(),
    cpus: cpus().length,
    cpu: cpus()[0]?.model,
    loadavg_at_end: loadavg(),
    node: process.version,
    rounds,
    note: 'whole processes, wall time, interleaved; unpinned (both may use both cores); loadavg_1min of each system: at its start and after each round',
  };
  await mkdir(dirname(outFile), { recursive: true });
  writeAtomic(outFile, `${JSON.stringify({ meta, results }, null, 2)}\n`);
  process.stderr.write(`written to ${outFile}\n`);
}

main().catch((e: unknown) => {
  process.stderr.write(`${e instanceof Error ? e.message : String(e)}\n`);
  process.exit(1);
});
