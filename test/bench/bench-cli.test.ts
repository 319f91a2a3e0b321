/** The `embodied bench` command: JSON schema of a quick run at tiny sizes (no timing assertions). */
import { mkdtempSync, readdirSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { Command } from 'commander';
import { afterAll, describe, expect, it, vi } from 'vitest';
import { leontiefSystem, mulberry32 } from '../../src/benchmark/matrices.js';
import { numpyEnv } from '../../src/benchmark/numpy.js';
import { metaPath, writeJsonAtomic } from '../../src/benchmark/report.js';
import { defaultOptions, runSuite } from '../../src/benchmark/suite.js';
import { flops, OPS, SOLVERS } from '../../src/benchmark/types.js';
import { register } from '../../src/cli/bench.js';

const dir = mkdtempSync(join(tmpdir(), 'embodied-bench-'));
afterAll(() => rmSync(dir, { recursive: true, force: true }));

describe('bench test systems', () => {
  it('are deterministic, column-substochastic Leontief matrices', () => {
    const a = leontiefSystem(60);
    const b = leontiefSystem(60);
    expect(a.M).toEqual(b.M);
    expect(a.block).toBe(30);
    for (let j = 0; j < 60; j++) {
      let s = 0;
      for (let i = 0; i < 60; i++) {
        expect(a.A[i * 60 + j]).toBeGreaterThanOrEqual(0);
        s += a.A[i * 60 + j]!;
      }
      expect(s).toBeGreaterThanOrEqual(0.5 - 1e-12);
      expect(s).toBeLessThanOrEqual(0.7 + 1e-12);
      expect(a.M[j * 60 + j]).toBeCloseTo(1 - a.A[j * 60 + j]!, 15);
    }
    expect(leontiefSystem(60, 7).M).not.toEqual(a.M);
    const r = mulberry32(1);
    expect(r()).toBeGreaterThanOrEqual(0);
  });

  it('credit the documented flop counts', () => {
    expect(flops('lu', 30)).toBeCloseTo((2 / 3) * 27000);
    expect(flops('inverse', 30)).toBe(54000);
    expect(flops('solve4', 30)).toBeCloseTo((2 / 3) * 27000 + 8 * 900);
  });
});

describe('numpy child environment', () => {
  it('fixes the BLAS threads and removes the OpenBLAS core-type and L2 overrides', () => {
    const env = numpyEnv(2, { OPENBLAS_CORETYPE: 'Haswell', OPENBLAS_L2_SIZE: '512', PATH: '/bin' });
    expect(env.OPENBLAS_NUM_THREADS).toBe('2');
    expect(env.OPENBLAS_CORETYPE).toBeUndefined();
    expect(env.OPENBLAS_L2_SIZE).toBeUndefined();
    expect(env.PATH).toBe('/bin');
  });
});

describe('writeJsonAtomic', () => {
  it('leaves only the final file', () => {
    const file = join(dir, 'sub', 'x.json');
    writeJsonAtomic(file, [1, 2]);
    expect(JSON.parse(readFileSync(file, 'utf8'))).toEqual([1, 2]);
    expect(readdirSync(join(dir, 'sub'))).toEqual(['x.json']);
    expect(metaPath(file)).toBe(join(dir, 'sub', 'x.meta.json'));
  });
});

describe('embodied bench --quick --json', () => {
  it('writes an array of {n, solver, op, threads, median_ms, min_ms, gflops, backward_error}', async () => {
    const file = join(dir, 'quick.json');
    const program = new Command('embodied').exitOverride();
    register(program);
    const out = vi.spyOn(process.stdout, 'write').mockImplementation(() => true);
    try {
      await program.parseAsync(
        ['bench', '--quick', '--sizes', '8,12', '--time', '1', '--min-iter', '2', '--threads', '1', '--no-progress', '--json', file],
        { from: 'user' },
      );
    } finally {
      out.mockRestore();
    }
    const records = JSON.parse(readFileSync(file, 'utf8')) as Record<string, unknown>[];
    expect(Array.isArray(records)).toBe(true);
    expect(records.length).toBeGreaterThan(0);
    for (const r of records) {
      expect(Object.keys(r).sort()).toEqual(['backward_error', 'gflops', 'median_ms', 'min_ms', 'n', 'op', 'solver', 'threads']);
      // Each answer was checked before timing: f64 level for the direct solvers (well-conditioned M,
      // n ≤ 12); Gauss–Seidel stops at a relative residual of 1e-10.
      expect(r.backward_error as number).toBeLessThanOrEqual(r.solver === 'embodied-iterative' ? 1e-10 : 1e-14);
      expect([8, 12]).toContain(r.n);
      expect(SOLVERS).toContain(r.solver);
      expect(OPS).toContain(r.op);
      expect(Number.isInteger(r.threads)).toBe(true);
      for (const k of ['median_ms', 'min_ms', 'gflops'] as const) {
        expect(typeof r[k]).toBe('number');
        expect(Number.isFinite(r[k])).toBe(true);
        expect(r[k] as number).toBeGreaterThanOrEqual(0);
      }
      expect(r.min_ms as number).toBeLessThanOrEqual(r.median_ms as number);
    }
    // the plain TypeScript baseline is always there
    expect(records.filter((r) => r.solver === 'js-baseline').length).toBe(2 * OPS.length);
    // the mixed-precision solve has solve1 and solve4 only
    expect(records.filter((r) => r.solver === 'embodied-mixed').map((r) => r.op)).toEqual(['solve1', 'solve4', 'solve1', 'solve4']);
    const meta = JSON.parse(readFileSync(metaPath(file), 'utf8')) as { notes: string[]; flop_counts: object };
    expect(Array.isArray(meta.notes)).toBe(true);
    expect(Object.keys(meta.flop_counts).sort()).toEqual([...OPS].sort());
  });
});

describe('runSuite with rounds', () => {
  it('splits the budget into turns, the solvers taking them in alternating order, and pools the samples', async () => {
    const lines: string[] = [];
    const o = {
      ...defaultOptions(true),
      sizes: [8],
      ops: ['solve1' as const],
      solvers: ['embodied' as const, 'js-baseline' as const],
      threads: [1],
      timeMs: 1,
      minIter: 3,
      warmupMs: 0,
      rounds: 3,
      cpu: false as const,
      progress: (l: string) => lines.push(l),
    };
    const { records } = await runSuite(o);
    const turns = lines.filter((l) => / round \d\/3 …$/.test(l)).map((l) => /n=8 solve1 (\S+) round (\d)/.exec(l)!.slice(1).join(' '));
    expect(turns).toEqual(['embodied 1', 'js-baseline 1', 'js-baseline 2', 'embodied 2', 'embodied 3', 'js-baseline 3']);
    // One sample at least per turn (minIter 3 over 3 rounds), pooled into one record per solver.
    for (const s of ['embodied', 'js-baseline']) {
      const done = lines.find((l) => l.startsWith(`n=8 solve1 ${s}: median`))!;
      expect(Number(/, (\d+) samples,/.exec(done)![1])).toBeGreaterThanOrEqual(3);
    }
    expect(records.map((r) => r.solver)).toEqual(['embodied', 'js-baseline']);
  });

  it('pools any number of samples (a fast op gives hundreds of thousands per turn)', async () => {
    const lines: string[] = [];
    const { records, meta } = await runSuite({
      ...defaultOptions(true),
      sizes: [4],
      ops: ['solve1' as const],
      solvers: ['js-baseline' as const],
      threads: [1],
      timeMs: 1200,
      minIter: 2,
      warmupMs: 0,
      rounds: 2,
      cpu: false as const,
      progress: (l: string) => lines.push(l),
    });
    expect(meta.notes.filter((n) => n.includes('failed'))).toEqual([]);
    expect(records).toHaveLength(1);
    const done = lines.find((l) => l.startsWith('n=4 solve1 js-baseline: median'))!;
    // Spread into push(), this many samples overflowed the call stack.
    expect(Number(/, (\d+) samples,/.exec(done)![1])).toBeGreaterThan(200_000);
  }, 30_000);
});
