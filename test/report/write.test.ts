import { chmodSync, existsSync, mkdtempSync, readdirSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { tableCsv, writeOutputDir } from '../../src/report/write.js';

const tmp = () => mkdtempSync(join(tmpdir(), 'embodied-write-'));

describe('writeOutputDir', () => {
  it('writes every file, and replaces an earlier run', async () => {
    const dir = join(tmp(), 'out');
    await writeOutputDir(dir, new Map([['run.json', '{}'], ['a.csv', 'x\n1\n']]));
    await writeOutputDir(dir, new Map([['run.json', '{"second":true}'], ['b.csv', 'y\n']]));
    expect(readdirSync(dir).sort()).toEqual(['b.csv', 'run.json']);
    expect(readFileSync(join(dir, 'run.json'), 'utf8')).toBe('{"second":true}');
  });

  it('refuses to replace a directory that is not an earlier run, and leaves it as it was', async () => {
    const dir = tmp();
    writeFileSync(join(dir, 'thesis.tex'), 'precious');
    await expect(writeOutputDir(dir, new Map([['run.json', '{}']]))).rejects.toThrow(/not an embodied output directory/);
    expect(readdirSync(dir)).toEqual(['thesis.tex']);
  });

  it.skipIf(process.getuid?.() === 0)('reports a directory that cannot be written and leaves nothing behind', async () => {
    const parent = tmp();
    chmodSync(parent, 0o500);
    await expect(writeOutputDir(join(parent, 'out'), new Map([['run.json', '{}']]))).rejects.toThrow(/cannot write there/);
    chmodSync(parent, 0o700);
    expect(readdirSync(parent)).toEqual([]);
  });

  it('reports an output path under a regular file and leaves nothing behind', async () => {
    const parent = tmp();
    writeFileSync(join(parent, 'file'), '');
    await expect(writeOutputDir(join(parent, 'file', 'out'), new Map([['run.json', '{}']]))).rejects.toThrow(/--out .*: cannot write there/);
    expect(existsSync(join(parent, 'file', 'out'))).toBe(false);
    expect(readdirSync(parent)).toEqual(['file']);
  });
});

describe('tableCsv', () => {
  it('writes numbers at full precision and null as an empty cell', () => {
    const csv = tableCsv({ name: 't', title: 't', columns: ['a', 'b', 'c'], rows: [['x, y', 0.1 + 0.2, null]] });
    expect(csv).toBe('a,b,c\n"x, y",0.30000000000000004,\n');
  });
});
