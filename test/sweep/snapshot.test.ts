/**
 * Worker threads get the main thread's prepared models (a structured-cloned ContextSnapshot)
 * instead of loading the data and preparing them again: the chunks they compute are the same bytes.
 */
import { describe, expect, it } from 'vitest';
import { ChunkContext, SweepContext } from '../../src/sweep/context.js';
import { parseSpec } from '../../src/sweep/spec.js';

describe('ContextSnapshot', () => {
  it.each([
    [
      'A columns and fuels (fuel basis shipped)',
      [
        { target: 'A', per: 'column', distribution: { type: 'lognormal', sdlog: 0.1 } },
        { target: 'fuel', distribution: { type: 'lognormal', sdlog: 0.1 } },
      ],
    ],
    [
      'intensities and trade',
      [
        { target: 'intensity', per: 'province', distribution: { type: 'normal', mean: 1, sd: 0.05 } },
        { target: 'trade', vectors: ['E', 'M'], distribution: { type: 'uniform', min: 0.9, max: 1.1 } },
      ],
    ],
  ])('%s: a context from the cloned snapshot computes the same chunks', async (_what, montecarlo) => {
    const spec = parseSpec({ seed: 3, draws: 40, chunkSize: 16, montecarlo, grid: { 'import-intensity': ['own', 'national'] } });
    const main = await SweepContext.create({ spec, specDir: process.cwd() });
    const worker = await ChunkContext.fromSnapshot(structuredClone(main.snapshot()));
    expect(worker.cells).toEqual(main.cells);
    expect(worker.specHash).toBe(main.specHash);
    for (let k = 0; k < main.chunks; k++) {
      const a = main.computeChunk(k);
      const want = { parquet: a.parquet.slice(), stats: JSON.stringify(a.stats) };
      const b = worker.computeChunk(k);
      expect(JSON.stringify(b.stats)).toBe(want.stats);
      expect(Buffer.from(b.parquet).equals(Buffer.from(want.parquet))).toBe(true);
    }
  });

  it('a cell missing from the snapshot is an error, not a silent re-preparation', async () => {
    const spec = parseSpec({ seed: 1, draws: 4, montecarlo: [{ target: 'A', distribution: { type: 'lognormal', sdlog: 0.1 } }] });
    const main = await SweepContext.create({ spec, specDir: process.cwd() });
    const snap = main.snapshot();
    const worker = await ChunkContext.fromSnapshot({ ...snap, models: [] });
    expect(() => worker.computeChunk(0)).toThrow(/grid cell 0 was not prepared in the main thread/);
  });
});
