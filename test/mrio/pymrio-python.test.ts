/**
 * The provincial MRIO's pymrio folder (`mrio --provincial … --format pymrio`) loaded by pymrio itself
 * (../shared/tools/pymrio with Debian's pandas, as its README says): `load_all` + `calc_all` give the
 * provincial run's production and consumption. Skipped where python3 has no pandas or pymrio is absent.
 */
import { execFileSync, spawnSync } from 'node:child_process';
import { existsSync, mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { afterAll, describe, expect, it } from 'vitest';
import { mrioCli } from './helpers.js';

const PYMRIO = fileURLToPath(new URL('../../../shared/tools/pymrio', import.meta.url));
const PYTHON = '/usr/bin/python3';
const env = { ...process.env, PYTHONPATH: PYMRIO };
delete env.OPENBLAS_CORETYPE;
delete env.OPENBLAS_L2_SIZE;
const hasPandas =
  existsSync(PYMRIO) && existsSync(PYTHON) && spawnSync(PYTHON, ['-c', 'import pandas, pymrio'], { env, stdio: 'ignore' }).status === 0;

const tmp = mkdtempSync(join(tmpdir(), 'embodied-pymrio-python-'));
afterAll(() => rmSync(tmp, { recursive: true, force: true }));

const cli = mrioCli;

const SCRIPT = `
import json, sys, pymrio
io = pymrio.load_all(sys.argv[1])
io.calc_all()
e = io.co2
print(json.dumps({k: getattr(e, k).iloc[0].to_dict() for k in ['D_pba_reg', 'D_cba_reg']}))
`;

describe.skipIf(!hasPandas)("pymrio loads the provincial MRIO's folder", () => {
  it('and its D_pba_reg / D_cba_reg are the provincial run’s production / consumption', async () => {
    await cli('mrio', '--demo', '--out', join(tmp, 'csv'), '--quiet');
    await cli('mrio', '--demo', '--format', 'pymrio', '--out', join(tmp, 'pymrio'), '--quiet');
    const got = JSON.parse(execFileSync(PYTHON, ['-c', SCRIPT, join(tmp, 'pymrio')], { env, encoding: 'utf8' })) as Record<
      string,
      Record<string, number>
    >;
    const rows = readFileSync(join(tmp, 'csv', 'footprints.csv'), 'utf8')
      .trim()
      .split('\n')
      .slice(1);
    expect(rows).toHaveLength(31);
    // pandas' default CSV parser reads long decimals to about 1e-10 relative (issue 12, item 5).
    for (const line of rows) {
      const [p, production, consumption] = line.split(',');
      expect(Math.abs(got.D_pba_reg![p!]! - Number(production)) / Number(production), `${p} production`).toBeLessThan(1e-9);
      expect(Math.abs(got.D_cba_reg![p!]! - Number(consumption)) / Number(consumption), `${p} consumption`).toBeLessThan(1e-9);
    }
  }, 300_000);
});
