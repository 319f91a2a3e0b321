/**
 * Every output file of run (each option value), mrio (real, demo, pymrio) and two sweeps has the
 * sha256 recorded in digest.json: a change to what users get must be deliberate. After an intended
 * change: `node test/golden/digest.mjs > test/golden/digest.json`, and say why in the commit.
 */
import { spawnSync } from 'node:child_process';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';

const here = dirname(fileURLToPath(import.meta.url));

describe('output digest', () => {
  it('every output file is byte-identical to the recorded digest', () => {
    const run = spawnSync(process.execPath, [join(here, 'digest.mjs'), '--compare', join(here, 'digest.json')], { encoding: 'utf8' });
    expect(run.stdout).toMatch(/ 0 not/);
    expect(run.status).toBe(0);
  }, 180_000);
});
