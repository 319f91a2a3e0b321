import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { expectSameFiles } from './same-files.js';
import { readManifest } from '../../src/sweep/checkpoint.js';
import { mergeShards } from '../../src/sweep/merge.js';
import { runSweep } from '../../src/sweep/run.js';
import { parseSpec } from '../../src/sweep/spec.js';

const root = mkdtempSync(join(tmpdir(), 'sobol-sweep-test-'));
afterAll(() => rmSync(root, { recursive: true, force: true }));

// Three factors (k = 3, 5 evaluations per base sample), two grid cells of 5 · 64 = 320 evaluations,
// chunks of 60 (chunkSize 64 rounded down to whole base samples): chunk 5 straddles the two cells.
const SPEC = `
seed: 5
chunkSize: 64
sobol: { n: 64, bootstrap: 50 }
grid:
  import-intensity: [own, national]
montecarlo:
  - { target: fuel, per: all, name: fuels, distribution: { type: lognormal, sdlog: 0.1 } }
  - { target: trade, provinces: [Beijing], per: all, name: Beijing trade, distribution: { type: uniform, min: 0.8, max: 1.2 } }
  - { target: trade, provinces: [Tianjin], per: all, name: Tianjin trade, distribution: { type: triangular, min: 0.8, mode: 1, max: 1.2 } }
`;
const quiet = { quiet: true, progress: false, log: () => {} };

describe('sweeps with a sobol section', () => {
  const spec = join(root, 'sobol.yaml');
  writeFileSync(spec, SPEC);
  const one = join(root, 'one');

  it("writes sobol.csv, the summary section and the chart; another province's trade has S_T = 0 exactly", async () => {
    const r = await runSweep({ specPath: spec, out: one, workers: 0, ...quiet });
    expect(r.status).toBe('complete');
    expect(r.manifest).toMatchObject({ draws: 320, chunkSize: 60, chunks: 11 });
    const csv = readFileSync(join(one, 'summary', 'sobol.csv'), 'utf8')
      .trim()
      .split('\n');
    expect(csv[0]).toBe('cell,province,metric,factor,S1,S1_lo,S1_hi,ST,ST_lo,ST_hi');
    expect(csv).toHaveLength(1 + 2 * 31 * 5 * 3);
    const row = (cell: number, p: string, metric: string, factor: string) => {
      const line = csv.find((l) => l.startsWith(`${cell},${p},${metric},${factor},`));
      return line!.split(',').slice(4).map(Number);
    };
    for (const cell of [0, 1]) {
      // Beijing's N and NP do not depend on Tianjin's trade vectors: every evaluation A_B^(Tianjin) repeats A's value.
      expect(row(cell, 'Beijing', 'N', 'Tianjin trade')).toEqual([0, 0, 0, 0, 0, 0]);
      expect(row(cell, 'Beijing', 'NP', 'Tianjin trade')).toEqual([0, 0, 0, 0, 0, 0]);
      expect(row(cell, 'Tianjin', 'N', 'Beijing trade')).toEqual([0, 0, 0, 0, 0, 0]);
      // and their own trade does.
      expect(row(cell, 'Beijing', 'N', 'Beijing trade')[3]).toBeGreaterThan(0.05);
    }
    // A province untouched by the trade factors: its N moves with the fuels alone (S1 = S_T = 1, estimated
    // from 64 samples), the trade factors' indices are exactly 0.
    const [s1, s1lo, s1hi, st, stlo, sthi] = row(0, 'Hebei', 'N', 'fuels');
    expect(Math.abs(s1 - 1)).toBeLessThan(0.1);
    expect(Math.abs(st - 1)).toBeLessThan(0.1);
    expect(s1lo <= 1 && 1 <= s1hi && stlo <= 1 && 1 <= sthi, `${[s1lo, s1hi, stlo, sthi]}`).toBe(true);
    expect(row(0, 'Hebei', 'N', 'Beijing trade')).toEqual([0, 0, 0, 0, 0, 0]);
    const md = readFileSync(join(one, 'summary', 'summary.md'), 'utf8');
    expect(md).toMatch(/## Which input drives the variance: Sobol' indices/);
    expect(md).toMatch(/\| Beijing \|/);
    expect(readFileSync(join(one, 'summary', 'sobol.svg'), 'utf8')).toMatch(/^<svg[\s\S]*Beijing trade[\s\S]*<\/svg>\n$/);
  });

  it('gives byte-identical results with 2 worker threads and from 3 shards merged', async () => {
    const two = join(root, 'two');
    await runSweep({ specPath: spec, out: two, workers: 2, ...quiet });
    expectSameFiles(one, two);
    const shards = [0, 1, 2].map((k) => join(root, `shard${k}`));
    for (const [k, dir] of shards.entries())
      await runSweep({ specPath: spec, out: dir, workers: 0, shard: { index: k, count: 3 }, ...quiet });
    const merged = join(root, 'merged');
    await mergeShards({ shards, out: merged });
    expectSameFiles(one, merged);
  });

  it('resumes an interrupted run to the same bytes', async () => {
    // Chunks of one base sample (5 evaluations): 128 of them, stopped after a few.
    const small = join(root, 'small.yaml');
    writeFileSync(small, SPEC.replace('chunkSize: 64', 'chunkSize: 5'));
    const full = join(root, 'small-full');
    await runSweep({ specPath: small, out: full, workers: 0, ...quiet });
    const stop = new AbortController();
    const out = join(root, 'small-stopped');
    const timer = setInterval(() => {
      if ((readManifest(out)?.completed.length ?? 0) >= 3) stop.abort();
    }, 1);
    const first = await runSweep({ specPath: small, out, workers: 0, signal: stop.signal, ...quiet }).finally(() => clearInterval(timer));
    expect(first.status).toBe('interrupted');
    const r = await runSweep({ specPath: small, out, workers: 2, resume: true, ...quiet });
    expect(r.status).toBe('complete');
    expect(r.computed).toBe(128 - first.computed);
    expectSameFiles(full, out);
  });

  it('depends on the seed', async () => {
    const other = join(root, 'other.yaml');
    writeFileSync(other, SPEC.replace('seed: 5', 'seed: 6'));
    await runSweep({ specPath: other, out: join(root, 'seed6'), workers: 0, ...quiet });
    expect(readFileSync(join(root, 'seed6', 'summary', 'sobol.csv')).equals(readFileSync(join(one, 'summary', 'sobol.csv')))).toBe(false);
  });

  it('validates the section, naming the field', () => {
    const base = { seed: 1, montecarlo: [{ target: 'fuel', distribution: { type: 'lognormal', sdlog: 0.1 } }] };
    expect(() => parseSpec({ ...base, sobol: { n: 1000 } })).toThrow(/sobol\.n: must be a power of two/);
    expect(() => parseSpec({ ...base, sobol: { n: 32 } })).toThrow(/sobol\.n: Too small/);
    expect(() => parseSpec({ ...base, sobol: { n: 64, confidence: 1.5 } })).toThrow(/sobol\.confidence/);
    expect(() => parseSpec({ ...base, sobol: { n: 64, sequence: 'halton' } })).toThrow(/sobol\.sequence/);
    expect(() => parseSpec({ ...base, sobol: { n: 64, extra: 1 } })).toThrow(/sobol: unknown field\(s\) extra/);
    expect(() => parseSpec({ ...base, draws: 10, sobol: { n: 64 } })).toThrow(/draws: with a sobol section/);
    expect(() => parseSpec({ seed: 1, sobol: { n: 64 } })).toThrow(/sobol: needs montecarlo groups/);
    expect(parseSpec({ ...base, sobol: { n: 64 } }).sobol).toEqual({ n: 64, bootstrap: 200, confidence: 0.95, sequence: 'sobol' });
  });
});
