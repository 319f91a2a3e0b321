/**
 * WIOD 2013 release, 2011, as published (../shared/data/wiod-2013-2011), through `embodied mrio
 * --pymrio`: two Luxembourg sectors have no intermediate flows and an inventory change of −1, so
 * their output x = Z1 + Y1 is −1. pymrio computes on it (coefficients divided by the negative x);
 * embodied does the same and names both sectors in a warning. The folder is built from the shared
 * data in a temporary directory (bench/pymrio-systems.ts, with two seeded synthetic extensions),
 * and every account is compared with pymrio's own calc_all on the same folder, to 1e-12 relative
 * where pymrio's value is finite (python3 with pandas and ../shared/tools/pymrio; skipped otherwise).
 */
import { spawnSync } from 'node:child_process';
import { existsSync, mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { pymrioCommand, pymrioDifference, pymrioPython, writeWiodPymrio } from '../../bench/pymrio-systems.js';
import { mrioAction } from '../../src/cli/mrio.js';
import { readPymrio, type PymrioSystem } from '../../src/mrio/pymrio-folder.js';
import { hasShared, SHARED_DATA } from '../shared-data.js';

const WIOD = `${SHARED_DATA}wiod-2013-2011`;
const python = pymrioPython();
const tmp = mkdtempSync(join(tmpdir(), 'embodied-wiod-'));
afterAll(() => rmSync(tmp, { recursive: true, force: true }));

describe.skipIf(!hasShared('wiod-2013-2011'))('WIOD 2013, 2011 as published', () => {
  const dir = join(tmp, 'wiod');
  const out = join(tmp, 'out');
  let run: Record<string, unknown>;
  let res: PymrioSystem;

  beforeAll(async () => {
    await writeWiodPymrio(dir, WIOD);
    run = (await mrioAction({ pymrio: dir, out, quiet: true })).run;
    res = await readPymrio(out);
  }, 300_000);

  it('is computed, with both negative-output sectors named', () => {
    const w = run.warnings as string[];
    expect(w).toHaveLength(2);
    expect(w[0]).toMatch(/^LUX\/c5: output x \(row sum of Z and Y\) is negative \(-1\); its coefficients are divided by it as pymrio does/);
    expect(w[1]).toMatch(/^LUX\/c8: output x \(row sum of Z and Y\) is negative \(-1\)/);
    expect((run.checks as { identity: { ok: boolean } }).identity.ok).toBe(true);
    expect(run.multipliers).toBe('solves');
    expect(existsSync(join(out, 'L.txt'))).toBe(false);
  });

  it.skipIf(!python)(
    "every account equals pymrio's calc_all to 1e-12 where pymrio's is finite",
    () => {
      const save = join(tmp, 'pymrio');
      const c = pymrioCommand(python!, dir, save);
      const r = spawnSync(c.cmd, c.args, { encoding: 'utf8', env: c.env });
      expect(r.status, r.stderr).toBe(0);
      const d = pymrioDifference(res, save);
      expect(d.worst, d.where).toBeLessThanOrEqual(1e-12);
      expect(d.compared).toBeGreaterThan(3 * 1435);
    },
    300_000,
  );
});
