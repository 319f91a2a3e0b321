/** `embodied mrio --pymrio`: through commander, output readable again, run.json with the checks. */
import { existsSync, mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { Command } from 'commander';
import { afterAll, describe, expect, it } from 'vitest';
import { register } from '../../src/cli/mrio.js';
import { readPymrio } from '../../src/io/pymrio.js';
import { PYMRIO_NATIVE, readExpected } from './helpers.js';

const tmp = mkdtempSync(join(tmpdir(), 'embodied-mrio-cli-'));
afterAll(() => rmSync(tmp, { recursive: true, force: true }));

async function cli(...args: string[]): Promise<void> {
  const p = new Command('embodied').exitOverride();
  register(p);
  await p.parseAsync(['node', 'embodied', ...args]);
}

describe('embodied mrio --pymrio', () => {
  it('computes and writes the accounts in pymrio format', async () => {
    const out = join(tmp, 'out');
    await cli('mrio', '--pymrio', PYMRIO_NATIVE, '--out', out, '--kernel', 'reference', '--quiet');
    const run = JSON.parse(readFileSync(join(out, 'run.json'), 'utf8'));
    expect(run.checks.identity.ok).toBe(true);
    expect(run.n).toBe(48);
    const back = await readPymrio(out);
    const cbaReg = back.extensions.find((e) => e.name === 'Emissions')!.tables.get('D_cba_reg')!;
    const want = readExpected('emissions_D_cba_reg.csv', 2);
    for (let q = 0; q < cbaReg.data.length; q++) {
      const w = want.data[Math.floor(q / 6)]![q % 6]!;
      expect(Math.abs(cbaReg.data[q]! - w) / w).toBeLessThan(1e-10);
    }
  });

  it('fails with the file named, and leaves no output behind', async () => {
    const out = join(tmp, 'none');
    await expect(cli('mrio', '--pymrio', join(tmp, 'missing'), '--out', out, '--quiet')).rejects.toThrow(/missing: folder not found/);
    expect(existsSync(out)).toBe(false);
  });
});
