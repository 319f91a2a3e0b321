/**
 * SPA of a province's consumption footprint in the MRIO: `embodied spa --demo` end to end, and on
 * the real 2017 MRIO (n = 930; skipped without ../shared/data) Guangdong's top 1,000 paths at a
 * threshold of 1e-6 of the total, the same list from the TypeScript reference as from the wasm kernel.
 */
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { Command } from 'commander';
import { parse } from 'csv-parse/sync';
import { afterAll, describe, expect, it } from 'vitest';
import { mrioSpa } from '../../src/analysis/spa.js';
import { register } from '../../src/cli/spa.js';
import { bundledData } from '../../src/data/index.js';
import { loadInputs } from '../../src/inputs/node.js';
import { loadKernel, referenceKernel } from '../../src/kernel/index.js';
import { DEFAULT_OPTIONS } from '../../src/model/options.js';
import { referenceDataOf } from '../../src/model/reference.js';
import { modelSystems } from '../../src/model/systems.js';
import { buildProvincialMrio, mrioA, mrioAccounts } from '../../src/mrio/provincial.js';
import { hasShared, SHARED_DATA } from '../shared-data.js';

const tmp = mkdtempSync(join(tmpdir(), 'embodied-spa-'));
afterAll(() => rmSync(tmp, { recursive: true, force: true }));

async function cli(...args: string[]): Promise<void> {
  const p = new Command('embodied').exitOverride();
  register(p);
  await p.parseAsync(['node', 'embodied', ...args]);
}

describe('embodied spa --demo', () => {
  it('writes paths.csv, paths.svg, hem.csv, report.md and run.json; covered + remainder = total = the consumption footprint', async () => {
    const out = join(tmp, 'demo');
    await cli('spa', '--demo', '--province', 'Hebei', '--max-paths', '200', '--threshold', '1e-5', '--hem', '--out', out, '--quiet');
    const run = JSON.parse(readFileSync(join(out, 'run.json'), 'utf8'));
    // The total is the MRIO's consumption of Hebei, as `embodied mrio` computes it.
    const mout = join(tmp, 'mrio');
    const p = new Command('embodied').exitOverride();
    (await import('../../src/cli/mrio.js')).register(p);
    await p.parseAsync(['node', 'embodied', 'mrio', '--demo', '--out', mout, '--quiet']);
    const fp = parse(readFileSync(join(mout, 'footprints.csv'), 'utf8')) as string[][];
    expect(run.total).toBe(Number(fp.find((r) => r[0] === 'Hebei')![2]));
    expect(Math.abs(run.covered + run.remainder - run.total) / run.total).toBeLessThan(1e-12);
    expect(run.remainder).toBeCloseTo(run.remainder_parts.unlisted + run.remainder_parts.pruned + run.remainder_parts.leftover, 9);
    expect(run.paths).toBe(200);
    const rows = parse(readFileSync(join(out, 'paths.csv'), 'utf8')) as string[][];
    expect(rows[0]).toEqual(['rank', 'value', 'share', 'order', 'chain']);
    expect(rows.length).toBe(201);
    const values = rows.slice(1).map((r) => Number(r[1]));
    expect(values.reduce((a, b) => a + b, 0)).toBeCloseTo(run.covered, 9);
    for (let k = 1; k < values.length; k++) expect(values[k]).toBeLessThanOrEqual(values[k - 1]!);
    for (const r of rows.slice(1)) {
      expect(r[4]).toMatch(/ ← Hebei final demand$/);
      expect(r[4]!.split(' ← ').length).toBe(Number(r[3]) + 2);
      expect(Number(r[2])).toBeCloseTo(Number(r[1]) / run.total, 12);
    }
    expect(readFileSync(join(out, 'paths.svg'), 'utf8')).toMatch(/^<svg [^>]*xmlns="http:\/\/www.w3.org\/2000\/svg"/);
    const report = readFileSync(join(out, 'report.md'), 'utf8');
    expect(report).toMatch(/SYNTHETIC/);
    expect(report).toMatch(/Structural paths of Hebei's consumption footprint/);
    expect(report).toMatch(/Hypothetical extraction/);
    const hem = parse(readFileSync(join(out, 'hem.csv'), 'utf8')) as string[][];
    expect(hem[0]).toEqual(['province', 'sector', 'sector_name', 'base', 'total', 'backward', 'forward']);
    expect(hem.length).toBe(1 + 31 * 30);
    const links = parse(readFileSync(join(out, 'hem-links.csv'), 'utf8')) as string[][];
    expect(links[0]).toEqual(['province', 'base', 'total', 'backward', 'forward']);
    expect(links.length).toBe(32);
    expect(report).toMatch(/interprovincial links/);
  });

  it('an unknown province is an error naming the provinces, and nothing is written', async () => {
    const out = join(tmp, 'bad');
    await expect(cli('spa', '--demo', '--province', 'Atlantis', '--out', out, '--quiet')).rejects.toThrow(
      /Atlantis: not among the MRIO's provinces \(Beijing, /,
    );
    expect(() => readFileSync(join(out, 'run.json'))).toThrow();
  });

  it('--threshold outside [0, 1) is refused', async () => {
    await expect(cli('spa', '--demo', '--province', 'Hebei', '--threshold', '2', '--out', join(tmp, 'x'), '--quiet')).rejects.toThrow(
      /\[0, 1\)/,
    );
  });
});

const real = hasShared('cn-io-2017', 'provinces') && hasShared('ceads-2017');
describe.runIf(real)('the real 2017 MRIO (n = 930): Guangdong', () => {
  it('top 1,000 paths at threshold 1e-6: wasm = reference, coverage, bookkeeping', { timeout: 180_000 }, async () => {
    const loaded = loadInputs({
      provincial: join(SHARED_DATA, 'cn-io-2017/provinces'),
      national: join(SHARED_DATA, 'cn-io-2017/national/china_2017_42.csv'),
      emissions: join(SHARED_DATA, 'ceads-2017/Emission_Inventories_for_30_Provinces_2017.xlsx'),
    });
    const kernel = await loadKernel();
    const sys = modelSystems(loaded.inputs, referenceDataOf(bundledData()), DEFAULT_OPTIONS, kernel);
    const m = buildProvincialMrio(sys.tables);
    expect(m.n).toBe(930);
    const acc = mrioAccounts(m, sys.intensities.d, kernel);
    // The bound |S| ≥ |every value below| needs A ≥ 0 and d ≥ 0: so the list is exactly the top 1,000.
    expect(mrioA(m).every((v) => v >= 0)).toBe(true);
    expect(acc.d.every((v) => v >= 0)).toBe(true);
    const a = mrioSpa(m, acc, 'Guangdong', kernel, { threshold: 1e-6, maxPaths: 1000 });
    const b = mrioSpa(m, acc, 'Guangdong', referenceKernel, { threshold: 1e-6, maxPaths: 1000 });
    expect(a.paths.length).toBe(1000);
    expect(b.paths.map((p) => [p.chain, p.value])).toEqual(a.paths.map((p) => [p.chain, p.value]));
    expect([b.remainder, b.expanded, b.nodes]).toEqual([a.remainder, a.expanded, a.nodes]);
    expect(a.total).toBe(acc.consumption[m.provinces.indexOf('Guangdong')]);
    expect(a.closure).toBeLessThan(1e-12);
    expect(a.truncated).toBe(false);
    // Coverage and the largest path (recorded 2026-12-03 on the default options): 52.1 % of 600.49 Mt;
    // the first is Guangdong's own power sector for its final demand, 42.92 Mt.
    expect(a.total).toBeCloseTo(600.487, 2);
    expect(a.covered / a.total).toBeCloseTo(0.521, 3);
    expect(a.paths[0]!.chain).toBe('Guangdong·24 ← Guangdong final demand'); // sector 24: power and heat (no names given)
    expect(a.paths[0]!.value).toBeCloseTo(42.92, 2);
    // Order-0 paths are d_j f_j: the first equals d·f of Guangdong's power sector, computed here.
    const s = m.provinces.indexOf('Guangdong');
    const j = s * m.sectors.length + m.sectors.indexOf(a.paths[0]!.nodes[0]![1]);
    expect(a.paths[0]!.value).toBe(acc.d[j]! * m.F[j * 31 + s]!);
  });
});
