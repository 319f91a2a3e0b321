/**
 * Structural path analysis and hypothetical extraction on the real 2017 MRIO (or the demo dataset
 * without ../shared/data), single-threaded, pinned to one CPU (src/benchmark/affinity.ts):
 * - SPA of Guangdong's consumption footprint at a threshold of 1e-6 of the total, the top 1,000
 *   paths and every path above the threshold, on n = 930 (aggregation=before) and n = 1302
 *   (aggregation=none), wasm kernel and TypeScript reference; time per run (the kernel call with
 *   its copy of A, not building A), paths examined (nodes expanded) per second;
 * - HEM: total, backward and forward extraction of every sector of every province in the
 *   per-province model (3 × 31 × 30 re-solves in 3 batched kernel calls), and of every province's
 *   interprovincial links in the MRIO (3 × 31, one LU and the Woodbury identity).
 * Writes bench/results/spa.json. Run: `npx tsx bench/spa.ts [--demo] [--runs N]`.
 */
import { existsSync } from 'node:fs';
import { loadavg } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { mrioLinkHem, provincialHem } from '../src/analysis/hem.js';
import { cpuPinning, pinningMeta } from '../src/benchmark/affinity.js';
import { writeJsonAtomic } from '../src/benchmark/report.js';
import { wasmLuProbe } from '../src/benchmark/solvers.js';
import { bundledData } from '../src/data/index.js';
import { loadInputs, type DataPaths } from '../src/inputs/node.js';
import { loadKernel, pathSearchOf, referenceKernel, type SpaInput } from '../src/kernel/index.js';
import { DEFAULT_OPTIONS } from '../src/model/options.js';
import { referenceDataOf } from '../src/model/reference.js';
import { modelSystems } from '../src/model/systems.js';
import { buildProvincialMrio, mrioA, mrioAccounts } from '../src/mrio/provincial.js';

const root = fileURLToPath(new URL('../', import.meta.url));
const shared = join(root, '../shared/data');
const args = process.argv.slice(2);
const demo = args.includes('--demo') || !existsSync(shared);
const runs = Number(args[args.indexOf('--runs') + 1]) || 7;
const paths: DataPaths = demo
  ? {}
  : {
      provincial: join(shared, 'cn-io-2017/provinces'),
      national: join(shared, 'cn-io-2017/national/china_2017_42.csv'),
      emissions: join(shared, 'ceads-2017/Emission_Inventories_for_30_Provinces_2017.xlsx'),
    };

const median = (v: number[]) => [...v].sort((a, b) => a - b)[Math.floor(v.length / 2)]!;

function time<T>(f: () => T, n: number): { ms: number[]; last: T } {
  const ms: number[] = [];
  let last!: T;
  for (let i = 0; i < n; i++) {
    const t0 = performance.now();
    last = f();
    ms.push(performance.now() - t0);
  }
  return { ms, last };
}

async function main() {
  const pin = cpuPinning(undefined, await wasmLuProbe());
  pin.use(1);
  const load0 = loadavg()[0];
  const wasm = pathSearchOf(await loadKernel());
  const loaded = loadInputs(paths);
  const ref = referenceDataOf(bundledData());
  const results: Record<string, unknown>[] = [];
  for (const aggregation of ['before', 'none'] as const) {
    const options = { ...DEFAULT_OPTIONS, aggregation };
    const sys = modelSystems(loaded.inputs, ref, options, wasm);
    const m = buildProvincialMrio(sys.tables);
    const acc = mrioAccounts(m, sys.intensities.d, wasm);
    const s = m.provinces.indexOf('Guangdong');
    const f = new Float64Array(m.n);
    for (let a = 0; a < m.n; a++) f[a] = m.F[a * m.provinces.length + s]!;
    const total = acc.consumption[s]!;
    const base: SpaInput = { n: m.n, A: mrioA(m), d: acc.d, t: acc.t, f, threshold: 1e-6 * total, maxPaths: 1000 };
    for (const [what, input] of [
      ['top 1000', base],
      ['all above threshold', { ...base, maxPaths: 10_000_000, maxNodes: 2 ** 26 }],
    ] as const) {
      for (const [kname, run] of [
        ['wasm', (p: SpaInput) => wasm.structuralPaths(p)],
        ['reference', (p: SpaInput) => referenceKernel.structuralPaths(p)],
      ] as const) {
        const n = kname === 'reference' ? Math.min(runs, 3) : runs;
        const { ms, last } = time(() => run(input), n + 1);
        const med = median(ms.slice(1));
        const covered = last.values.reduce((a, b) => a + b, 0);
        results.push({
          case: `spa ${what}`,
          n: m.n,
          kernel: kname,
          runs: n,
          median_ms: med,
          min_ms: Math.min(...ms.slice(1)),
          first_ms: ms[0],
          paths_listed: last.values.length,
          paths_examined: last.expanded,
          nodes: last.nodes,
          paths_examined_per_s: last.expanded / (med / 1000),
          coverage: covered / total,
          truncated: last.truncated,
        });
        process.stderr.write(
          `n=${m.n} ${what} ${kname}: ${med.toFixed(1)} ms, ${last.expanded} examined, coverage ${(covered / total).toFixed(4)}\n`,
        );
      }
    }
    if (aggregation === 'before') {
      const { ms } = time(() => provincialHem(sys.tables, sys.intensities.d, wasm), runs + 1);
      const med = median(ms.slice(1));
      results.push({
        case: 'hem 3 × 31 × 30',
        n: sys.n,
        kernel: 'wasm',
        runs,
        median_ms: med,
        min_ms: Math.min(...ms.slice(1)),
        first_ms: ms[0],
      });
      process.stderr.write(`hem: ${med.toFixed(1)} ms\n`);
      const r = time(() => provincialHem(sys.tables, sys.intensities.d, referenceKernel), 2);
      results.push({ case: 'hem 3 × 31 × 30', n: sys.n, kernel: 'reference', runs: 1, median_ms: r.ms[1], first_ms: r.ms[0] });
      const l = time(() => mrioLinkHem(m, acc.d, wasm), 3);
      results.push({
        case: 'hem links 3 × 31 (MRIO)',
        n: m.n,
        kernel: 'wasm',
        runs: 2,
        median_ms: Math.min(...l.ms.slice(1)),
        first_ms: l.ms[0],
      });
      process.stderr.write(`hem links: ${Math.min(...l.ms.slice(1)).toFixed(1)} ms\n`);
    }
  }
  pin.release();
  writeJsonAtomic(join(root, 'bench/results/spa.json'), {
    created: new Date().toISOString(),
    data: demo ? 'demo' : 'real 2017',
    node: process.version,
    pinning: pinningMeta(pin),
    loadavg_1min: { start: load0, end: loadavg()[0] },
    results,
  });
}

await main();
