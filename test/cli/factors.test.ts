/**
 * `--factors data/ipcc-fuels.csv` (a copy of the defaults) gives the outputs of the defaults byte
 * for byte; run.json records the factors file either way (the bundled one when none is given).
 */
import { createHash } from 'node:crypto';
import { readdirSync, readFileSync } from 'node:fs';
import { join, resolve } from 'node:path';
import { describe, expect, it } from 'vitest';
import { demoCopy, embodied } from '../bad-inputs/helpers.js';

const sha = (b: Buffer): string => createHash('sha256').update(b).digest('hex');

describe('--factors', () => {
  it('the bundled data/ipcc-fuels.csv gives the same outputs as the defaults', () => {
    const d = demoCopy();
    const run = (out: string, extra: string[]) => {
      const r = embodied(['run', ...d.data, '--energy', d.energy, ...extra, '-O', 'emission-source=energy', '-q', '-o', out]);
      expect(r.stderr).toBe('');
      expect(r.code).toBe(0);
    };
    const a = join(d.dir, 'a');
    const b = join(d.dir, 'b');
    run(a, []);
    run(b, ['--factors', 'data/ipcc-fuels.csv']);
    const files = readdirSync(a).sort();
    expect(readdirSync(b).sort()).toEqual(files);
    for (const f of files.filter((f) => f !== 'run.json')) expect(readFileSync(join(b, f)), f).toEqual(readFileSync(join(a, f)));
    const bundled = readFileSync('data/ipcc-fuels.csv');
    const recorded = (dir: string) =>
      (
        JSON.parse(readFileSync(join(dir, 'run.json'), 'utf8')) as { inputs: { role: string; path: string; sha256: string }[] }
      ).inputs.filter((i) => i.role === 'factors');
    expect(recorded(a)).toEqual([{ role: 'factors', path: resolve('data/ipcc-fuels.csv'), sha256: sha(bundled), bytes: bundled.length }]);
    expect(recorded(b)).toEqual(recorded(a));
  });
});
