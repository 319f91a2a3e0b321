import { spawn } from 'node:child_process';
import { cpSync, existsSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { parquetReadObjects } from 'hyparquet';
import { afterAll, describe, expect, it } from 'vitest';
import { mergeShards } from '../../src/sweep/merge.js';
import { runSweep } from '../../src/sweep/run.js';
import { quantile, sd, type CellStats } from '../../src/sweep/stats.js';
import { foldStats } from '../../src/sweep/summary.js';
import { readManifest } from '../../src/sweep/checkpoint.js';
import { SweepContext } from '../../src/sweep/context.js';
import { CLASSES } from '../../src/model/evaluate.js';
import { loadSpec } from '../../src/sweep/spec.js';
import { expectSameFiles } from './same-files.js';

const root = mkdtempSync(join(tmpdir(), 'sweep-test-'));
afterAll(() => rmSync(root, { recursive: true, force: true }));

function writeSpec(name: string, text: string): string {
  const p = join(root, name);
  writeFileSync(p, text);
  return p;
}

// Fuels (linear path), an A block (refactor path) and trade vectors, two grid cells, 10 chunks.
const MIXED = `
seed: 11
draws: 40
chunkSize: 8
grid:
  inflow-intensity: [national, other-provinces]
montecarlo:
  - target: fuel
    distribution: { type: lognormal, sdlog: 0.1 }
  - target: A
    provinces: [Hebei, Guizhou]
    per: column
    distribution: { type: triangular, min: 0.9, mode: 1, max: 1.15 }
  - target: trade
    vectors: [E, MP]
    per: province
    distribution: { type: uniform, min: 0.9, max: 1.1 }
oat:
  step: 0.05
  groups:
    - { target: intensity, sectors: ['24'], name: power }
    - { target: A, provinces: [Hebei] }
`;

const quiet = { quiet: true, progress: false, log: () => {} };

describe('sweep runs: determinism, shards, merge', () => {
  const spec = writeSpec('mixed.yaml', MIXED);
  const one = join(root, 'one');

  it('runs in the main thread and writes draws, stats, manifest and summaries', async () => {
    const r = await runSweep({ specPath: spec, out: one, workers: 0, ...quiet });
    expect(r.status).toBe('complete');
    expect(r.manifest.chunks).toBe(10);
    expect(r.manifest.completed).toHaveLength(10);
    for (const f of ['summary.md', 'stats.csv', 'classes.csv', 'oat.csv', 'grid.csv', 'cells.csv'])
      expect(existsSync(join(one, 'summary', f))).toBe(true);
    // Parquet rows: draw order, 31 provinces per draw, cells 0 then 1.
    const buf = readFileSync(join(one, 'draws', 'part-000005.parquet'));
    const rows = (await parquetReadObjects({ file: buf.buffer.slice(buf.byteOffset, buf.byteOffset + buf.byteLength) })) as Record<
      string,
      unknown
    >[];
    expect(rows).toHaveLength(8 * 31);
    expect(rows[0]).toMatchObject({ cell: 1, draw: 0, province: 'Beijing' });
    expect(rows[31]).toMatchObject({ cell: 1, draw: 1, province: 'Beijing' });
    expect(Object.keys(rows[0])).toEqual(['cell', 'draw', 'province', 'N', 'NP', 'T', 'CTT', 'CTTp', 'class']);
    // Every value as the evaluator gives it (NaN CTT, CTTp as null), read by hyparquet, not by our writer.
    const l = loadSpec(spec);
    const ctx = await SweepContext.create({ spec: l.spec, specDir: l.dir });
    const expected: Record<string, unknown>[] = [];
    ctx.evaluator(1).evaluate(
      Array.from({ length: 8 }, (_, d) => ({ kind: 'mc', draw: d }) as const),
      (d, o) =>
        o.N.forEach((_, r) =>
          expected.push({
            cell: 1,
            draw: d,
            province: ctx.evaluator(1).model.provinces[r],
            N: o.N[r],
            NP: o.NP[r],
            T: o.T[r],
            CTT: Number.isNaN(o.CTT[r]) ? null : o.CTT[r],
            CTTp: Number.isNaN(o.CTTp[r]) ? null : o.CTTp[r],
            class: CLASSES[o.cls[r]],
          }),
        ),
    );
    expect(rows).toEqual(expected);
    expect(readFileSync(join(one, 'summary', 'summary.md'), 'utf8')).toMatch(/## Which conclusions survive/);
  });

  it('gives byte-identical results with 2 worker threads', async () => {
    const two = join(root, 'two');
    const r = await runSweep({ specPath: spec, out: two, workers: 2, ...quiet });
    expect(r.status).toBe('complete');
    expectSameFiles(one, two);
  });

  it('gives byte-identical results from 3 shards merged', async () => {
    const shards = [0, 1, 2].map((k) => join(root, `shard${k}`));
    for (const [k, dir] of shards.entries()) {
      const r = await runSweep({ specPath: spec, out: dir, workers: 0, shard: { index: k, count: 3 }, ...quiet });
      expect(r.status).toBe('shard-complete');
    }
    // the three chunk ranges are disjoint and cover everything
    const ranges = shards.map((d) => readManifest(d)!.completed.map((c) => c.chunk));
    expect(ranges.flat().sort((a, b) => a - b)).toEqual([...Array(10).keys()]);
    const merged = join(root, 'merged');
    await mergeShards({ shards, out: merged });
    expectSameFiles(one, merged);
  });

  it('merge refuses a missing shard, another seed, another spec and a corrupt chunk', async () => {
    const shards = [0, 1, 2].map((k) => join(root, `shard${k}`));
    await expect(mergeShards({ shards: shards.slice(0, 2), out: join(root, 'm1') })).rejects.toThrow(/chunks are missing/);
    const otherSeed = writeSpec('seed12.yaml', MIXED.replace('seed: 11', 'seed: 12'));
    const s12 = join(root, 'seed12');
    await runSweep({ specPath: otherSeed, out: s12, workers: 0, shard: { index: 2, count: 3 }, ...quiet });
    await expect(mergeShards({ shards: [shards[0], shards[1], s12], out: join(root, 'm2') })).rejects.toThrow(
      /does not belong with .*: its seed is 12, not 11/,
    );
    const otherSpec = writeSpec('spec2.yaml', MIXED.replace('sdlog: 0.1', 'sdlog: 0.2'));
    const sp2 = join(root, 'spec2');
    await runSweep({ specPath: otherSpec, out: sp2, workers: 0, shard: { index: 2, count: 3 }, ...quiet });
    await expect(mergeShards({ shards: [shards[0], shards[1], sp2], out: join(root, 'm3') })).rejects.toThrow(
      /different spec or different input data/,
    );
    const bad = join(root, 'bad');
    cpSync(shards[1], bad, { recursive: true });
    const part = join(bad, 'draws', `part-00000${readManifest(bad)!.completed[0].chunk}.parquet`);
    const bytes = readFileSync(part);
    bytes[100] ^= 0xff;
    writeFileSync(part, bytes);
    await expect(mergeShards({ shards: [shards[0], bad, shards[2]], out: join(root, 'm4') })).rejects.toThrow(
      /does not match its recorded sha256/,
    );
    const v = join(root, 'version');
    cpSync(shards[2], v, { recursive: true });
    const mf = JSON.parse(readFileSync(join(v, 'manifest.json'), 'utf8'));
    mf.version = '0.0.1';
    writeFileSync(join(v, 'manifest.json'), JSON.stringify(mf));
    await expect(mergeShards({ shards: [shards[0], shards[1], v], out: join(root, 'm5') })).rejects.toThrow(/made by embodied 0\.0\.1/);
  });
});

describe('statistics on a case with a known answer', () => {
  it('one lognormal factor on all emissions makes N, NP, T lognormal with known quantiles', async () => {
    const sigma = 0.2;
    const spec = writeSpec(
      'lognormal.yaml',
      `seed: 2017\ndraws: 4000\nchunkSize: 1000\nmontecarlo:\n  - target: fuel\n    per: all\n    distribution: { type: lognormal, meanlog: 0, sdlog: ${sigma} }\n`,
    );
    const out = join(root, 'lognormal');
    const r = await runSweep({ specPath: spec, out, workers: 0, ...quiet });
    expect(r.status).toBe('complete');
    const st = foldStats(out, r.manifest).get(0) as CellStats;
    const base = await import('../../src/sweep/context.js').then(async (m) => {
      const { loadSpec } = await import('../../src/sweep/spec.js');
      const l = loadSpec(spec);
      return (await m.SweepContext.create({ spec: l.spec, specDir: l.dir })).evaluator(0).model.base;
    });
    const z = { 0.05: -1.6448536269514722, 0.5: 0, 0.95: 1.6448536269514722 };
    st.provinces.forEach((p, r) => {
      for (const metric of ['N', 'NP', 'T'] as const) {
        const b = base[metric][r];
        const s = p.series[metric];
        // N = k·N_base with k ~ lognormal(0, σ): mean e^{σ²/2}, sd √((e^{σ²}−1) e^{σ²}), quantiles e^{σ z}.
        expect(s.mean / b).toBeCloseTo(Math.exp(sigma ** 2 / 2), 1);
        expect(Math.abs(s.mean / b - Math.exp(sigma ** 2 / 2))).toBeLessThan(0.012);
        expect(Math.abs(sd(s) / Math.abs(b) / Math.sqrt((Math.exp(sigma ** 2) - 1) * Math.exp(sigma ** 2)) - 1)).toBeLessThan(0.05);
        for (const [q, zq] of Object.entries(z)) {
          const expected = b * Math.exp(sigma * (b > 0 ? zq : -zq));
          expect(Math.abs(quantile(s, Number(q)) / expected - 1), `${metric} p${Number(q) * 100} province ${r}`).toBeLessThan(0.025);
        }
      }
      // Scaling every emission keeps every sign, class and terms of trade.
      expect(p.flipN).toBe(0);
      expect(p.flipNP).toBe(0);
      expect(p.classes[base.cls[r]]).toBe(4000);
      if (Number.isFinite(base.CTT[r])) expect(Math.abs(quantile(p.series.CTT, 0.95) / base.CTT[r] - 1)).toBeLessThan(0.0011);
    });
  });
});

describe('resume: killed at any moment, every draw present exactly once', () => {
  const SLOW = `seed: 5\ndraws: 600\nchunkSize: 20\nmontecarlo:\n  - target: A\n    per: column\n    distribution: { type: lognormal, sdlog: 0.05 }\n`;
  const cli = join(__dirname, 'run-cli.ts');

  function child(args: string[]) {
    return spawn(process.execPath, ['--import', 'tsx', cli, ...args], { cwd: join(__dirname, '../..'), stdio: ['ignore', 'pipe', 'pipe'] });
  }
  async function waitFor(cond: () => boolean, ms = 120_000) {
    const t0 = Date.now();
    while (!cond()) {
      if (Date.now() - t0 > ms) throw new Error('timed out');
      await new Promise((r) => setTimeout(r, 50));
    }
  }
  const doneChunks = (dir: string) => {
    try {
      return readManifest(dir)?.completed.length ?? 0;
    } catch {
      return 0;
    }
  };

  it('SIGKILL mid-run, then --resume, equals an uninterrupted run', async () => {
    const spec = writeSpec('slow.yaml', SLOW);
    const full = join(root, 'full');
    await runSweep({ specPath: spec, out: full, workers: 0, ...quiet });
    const killed = join(root, 'killed');
    const p = child(['run', spec, '-o', killed, '-w', '0', '--no-progress', '-q']);
    const exited = new Promise<number | null>((r) => p.on('exit', (code, sig) => r(sig ? -1 : code)));
    await waitFor(() => doneChunks(killed) >= 3 || p.exitCode !== null);
    p.kill('SIGKILL');
    expect(await exited).toBe(-1);
    const partial = readManifest(killed)!.completed.length;
    expect(partial).toBeGreaterThanOrEqual(3);
    expect(partial).toBeLessThan(30);
    // without --resume the directory is refused
    await expect(runSweep({ specPath: spec, out: killed, workers: 0, ...quiet })).rejects.toThrow(/already holds a sweep.*--resume/);
    const r = await runSweep({ specPath: spec, out: killed, workers: 2, resume: true, ...quiet });
    expect(r.status).toBe('complete');
    expect(r.computed).toBe(30 - partial);
    expectSameFiles(full, killed);
  });

  it('Ctrl-C stops cleanly and says how to resume', async () => {
    const spec = join(root, 'slow.yaml');
    const out = join(root, 'interrupted');
    const p = child(['run', spec, '-o', out, '-w', '0', '--no-progress']);
    let stderr = '';
    p.stderr.on('data', (d) => (stderr += String(d)));
    const exited = new Promise<number | null>((r) => p.on('exit', (code) => r(code)));
    await waitFor(() => doneChunks(out) >= 2 || p.exitCode !== null);
    p.kill('SIGINT');
    expect(await exited).toBe(130);
    expect(stderr).toMatch(/interrupted: \d+ of 30 chunks done/);
    expect(stderr).toMatch(/resume with: embodied sweep run .*slow\.yaml --out .*interrupted --resume/);
    const r = await runSweep({ specPath: spec, out, workers: 0, resume: true, ...quiet });
    expect(r.status).toBe('complete');
    expectSameFiles(join(root, 'full'), out);
  });

  it('refuses a corrupt or mismatched checkpoint', async () => {
    const spec = join(root, 'slow.yaml');
    const out = join(root, 'corrupt');
    cpSync(join(root, 'full'), out, { recursive: true });
    writeFileSync(join(out, 'stats', 'part-000003.json'), '{}');
    await expect(runSweep({ specPath: spec, out, workers: 0, resume: true, ...quiet })).rejects.toThrow(
      /part-000003\.json does not match its recorded sha256/,
    );
    writeFileSync(join(out, 'manifest.json'), '{"tool": "embodied", "kind": "sweep", "form');
    await expect(runSweep({ specPath: spec, out, workers: 0, resume: true, ...quiet })).rejects.toThrow(/manifest\.json is corrupt/);
    const other = writeSpec('slow2.yaml', SLOW.replace('seed: 5', 'seed: 6'));
    await expect(runSweep({ specPath: other, out: join(root, 'full'), workers: 0, resume: true, ...quiet })).rejects.toThrow(
      /cannot resume .*its seed is 5, not 6/,
    );
    await expect(
      runSweep({ specPath: spec, out: join(root, 'full'), workers: 0, resume: true, shard: { index: 0, count: 2 }, ...quiet }),
    ).rejects.toThrow(/holds shard none, this run is shard 0\/2/);
  });
});
