/** The data flags and -O, declared once (src/cli/data-flags.ts): the same on `run` and `mrio`, help text from OPTIONS. */
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { Command } from 'commander';
import { afterAll, describe, expect, it } from 'vitest';
import { register as registerMrio } from '../../src/cli/mrio.js';
import { register as registerRun } from '../../src/cli/run.js';
import { DATA_PATH_KEYS } from '../../src/inputs/node.js';
import { sectors42 } from '../../src/data/index.js';
import { OPTIONS } from '../../src/model/options.js';
import { MRIO_OPTIONS } from '../../src/mrio/options.js';

const tmp = mkdtempSync(join(tmpdir(), 'embodied-data-flags-'));
afterAll(() => rmSync(tmp, { recursive: true, force: true }));

function program(): Command {
  const p = new Command('embodied').exitOverride();
  registerRun(p);
  registerMrio(p);
  return p;
}

function command(name: string): Command {
  return program().commands.find((c) => c.name() === name)!;
}

/** The whole `--help` text, with the text added after the option list. */
function help(name: string): string {
  let text = '';
  const c = command(name).configureOutput({ writeOut: (s) => (text += s) });
  c.outputHelp();
  return text;
}

/** The help with line breaks and indentation collapsed, so wrapped descriptions can be searched. */
const flat = (s: string) => s.replace(/\s+/g, ' ');

const DATA_FLAGS = [...DATA_PATH_KEYS.map((k) => `--${k.replace(/[A-Z]/g, (c) => `-${c.toLowerCase()}`)}`), '--option'];

describe('the data flags of run and mrio', () => {
  const declared = (name: string) =>
    command(name)
      .options.filter((o) => DATA_FLAGS.includes(o.long!))
      .map((o) => ({ flags: o.flags, description: o.description, default: o.defaultValue as unknown }));

  it('are the same flags with the same help on both commands, -O included', () => {
    const run = declared('run');
    expect(run.map((o) => o.flags)).toEqual([
      '--provincial <dir>',
      '--national <file>',
      '--emissions <file>',
      '--energy <file>',
      '--factors <file>',
      '--national-inventory <file>',
      '-O, --option <name=value>',
    ]);
    expect(declared('mrio')).toEqual(run);
  });

  it("list every method option, value and description of OPTIONS in both commands' help", () => {
    for (const name of ['run', 'mrio']) {
      const text = flat(help(name));
      for (const [option, o] of Object.entries(OPTIONS)) {
        expect(text).toContain(`${option}: ${o.summary}`);
        for (const [value, description] of Object.entries(o.values)) expect(text).toContain(flat(`${value} ${description}`));
      }
    }
  });

  it("mrio's help lists its balance option from MRIO_OPTIONS, run's does not", () => {
    const mrio = flat(help('mrio'));
    expect(mrio).toContain(`balance: ${MRIO_OPTIONS.balance.summary}`);
    for (const [value, description] of Object.entries(MRIO_OPTIONS.balance.values)) expect(mrio).toContain(flat(`${value} ${description}`));
    expect(flat(help('run'))).not.toContain('balance:');
  });
});

describe('embodied mrio -O', () => {
  it('aggregation=none: the MRIO at the 42 IO sectors of data/sectors.csv', async () => {
    const out = join(tmp, 'none');
    await program().parseAsync([
      'node',
      'embodied',
      'mrio',
      '--demo',
      '-O',
      'aggregation=none',
      '-O',
      'balance=rows',
      '--out',
      out,
      '--quiet',
    ]);
    const run = JSON.parse(readFileSync(join(out, 'run.json'), 'utf8'));
    expect(run.options.aggregation).toBe('none');
    expect(run.options.balance).toBe('rows');
    expect(run.sectors).toBe(sectors42().length);
    expect(run.n).toBe(run.provinces * sectors42().length);
  });
});
