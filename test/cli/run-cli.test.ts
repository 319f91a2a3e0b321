/** `embodied run` as a user runs it: a child process, its exit code, its files and its messages. */
import { spawnSync } from 'node:child_process';
import { existsSync, mkdtempSync, readdirSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { basename, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import * as XLSX from '@e965/xlsx';
import { beforeAll, describe, expect, it } from 'vitest';
import { writeDemoFiles, type DemoFiles } from '../../src/demo/files.js';
import { SHARED_DATA } from '../shared-data.js';

const root = fileURLToPath(new URL('../../', import.meta.url));

function embodied(...args: string[]) {
  const r = spawnSync(process.execPath, ['--import', 'tsx', join(root, 'src/cli/main.ts'), ...args], {
    cwd: root,
    encoding: 'utf8',
  });
  return { code: r.status, stdout: r.stdout, stderr: r.stderr };
}

const tmp = () => mkdtempSync(join(tmpdir(), 'embodied-cli-'));

describe('embodied run on the embedded demo dataset', () => {
  const out = join(tmp(), 'results');
  let r: ReturnType<typeof embodied>;
  beforeAll(() => {
    r = embodied('run', '--out', out, '--option', 'inflow-intensity=own');
  });

  it('exits 0 and prints a summary that says the data are synthetic', () => {
    expect(r.stderr).toBe('');
    expect(r.code).toBe(0);
    expect(r.stdout).toMatch(/Synthetic demo data/);
    expect(r.stdout).toMatch(/classes I: \d+, II: \d+, III: \d+, IV: \d+/);
  });

  it('writes the documented files with the documented columns', () => {
    expect(readdirSync(out).sort()).toEqual(
      [
        'balances.svg',
        'n_by_group.csv',
        'n_by_region_group.csv',
        'np_by_group.csv',
        'profiles.csv',
        'provinces.csv',
        'report.md',
        'run.json',
        'sectors.csv',
      ].sort(),
    );
    const header = (f: string) => readFileSync(join(out, f), 'utf8').split('\n')[0];
    expect(header('provinces.csv')).toBe('province,province_zh,region,CE,CM,CEP,CMP,N,NP,T,CTT,CTTp,class');
    expect(header('np_by_group.csv')).toBe('province,agriculture,mining,manufacturing,utilities,construction,services');
    expect(header('n_by_group.csv')).toBe('province,agriculture,mining,manufacturing,utilities,construction,services');
    expect(header('n_by_region_group.csv')).toBe('region,agriculture,mining,manufacturing,utilities,construction,services,total');
    expect(header('sectors.csv')).toBe('province,sector,sector_name,CE,CM,CEP,CMP,ECC,PECC,output_share,export_share,outflow_share');
    const regionRows = readFileSync(join(out, 'n_by_region_group.csv'), 'utf8').trim().split('\n');
    expect(regionRows).toHaveLength(1 + 8 + 1);
    expect(readFileSync(join(out, 'report.md'), 'utf8')).toMatch(/Synthetic demo data/);
  });

  it('records options, checks, synthetic data and timings in run.json', () => {
    const run = JSON.parse(readFileSync(join(out, 'run.json'), 'utf8'));
    expect(run.synthetic).toBe(true);
    expect(run.options['inflow-intensity']).toBe('own');
    expect(run.options.aggregation).toBe('before');
    expect(run.checks.every((c: { ok: boolean }) => c.ok)).toBe(true);
    expect(Object.keys(run.timings_ms)).toEqual(['parse', 'model', 'report', 'total']);
  });
});

describe('embodied run on bad input: an error that says where, exit ≠ 0, nothing written', () => {
  let demo: DemoFiles;
  let dir: string;
  beforeAll(() => {
    dir = tmp();
    demo = writeDemoFiles(join(dir, 'data'));
  });
  const dataArgs = (over: Partial<Record<'provincial' | 'national' | 'emissions', string>> = {}) => [
    '--provincial',
    over.provincial ?? join(dir, 'data/cn-io-2017/provinces'),
    '--national',
    over.national ?? demo.national,
    '--emissions',
    over.emissions ?? demo.emissions,
  ];
  /** A copy of the demo provincial folder with one file replaced by `content`. */
  function provincesWith(file: string, content: string | Uint8Array): string {
    const d = join(tmp(), 'provinces');
    const { mkdirSync, copyFileSync } = require('node:fs') as typeof import('node:fs');
    mkdirSync(d);
    for (const p of demo.provinces) copyFileSync(p, join(d, basename(p)));
    writeFileSync(join(d, file), content);
    return d;
  }
  /** Index of the line of sector `code` (below the code row, which holds the codes as column labels). */
  function sectorLine(lines: string[], code: string): number {
    const codeRow = lines.findIndex((l) => l.split(',').includes('GO'));
    return lines.findIndex((l, i) => i > codeRow && l.split(',').includes(code));
  }
  function expectFailure(r: ReturnType<typeof embodied>, message: RegExp, out: string) {
    expect(r.code).not.toBe(0);
    expect(r.stderr).toMatch(message);
    expect(existsSync(out)).toBe(false);
  }

  it('runs cleanly on the demo files themselves (the baseline for the cases below)', () => {
    const out = join(tmp(), 'ok');
    const r = embodied('run', ...dataArgs(), '--out', out, '--quiet');
    expect(r.stderr).toBe('');
    expect(r.code).toBe(0);
  });

  it('an unknown option or value', () => {
    const out = join(tmp(), 'o');
    expectFailure(embodied('run', '--out', out, '--option', 'colour=blue'), /unknown option "colour"/, out);
    expectFailure(
      embodied('run', '--out', out, '--option', 'scope=all'),
      /option scope cannot be "all"; values are production, production\+households/,
      out,
    );
  });

  it('a truncated .xls names the file', () => {
    const real = join(SHARED_DATA, 'cn-io-2017', 'provinces', '11-浙江.xls');
    const bytes = existsSync(real) ? readFileSync(real).subarray(0, 20_000) : new Uint8Array([0xd0, 0xcf, 0x11, 0xe0, 1, 2, 3]);
    const out = join(tmp(), 'o');
    const p = provincesWith('11-浙江.xls', bytes);
    // The folder now holds Zhejiang twice (csv and truncated xls): the truncated one must fail first.
    expectFailure(embodied('run', ...dataArgs({ provincial: p }), '--out', out), /11-浙江\.xls/, out);
  });

  it('a table without its code row', () => {
    const file = basename(demo.provinces[3]);
    const text = readFileSync(demo.provinces[3], 'utf8').replace(/(^|,)FU101(,|$)/m, '$1XX101$2');
    const out = join(tmp(), 'o');
    expectFailure(
      embodied('run', ...dataArgs({ provincial: provincesWith(file, text) }), '--out', out),
      new RegExp(`${file}.*code row`),
      out,
    );
  });

  it('a negative total output', () => {
    const file = basename(demo.provinces[0]);
    const lines = readFileSync(demo.provinces[0], 'utf8').split('\n');
    const row = sectorLine(lines, '05');
    const cells = lines[row].split(',');
    cells[cells.length - 1] = '-1';
    lines[row] = cells.join(',');
    const out = join(tmp(), 'o');
    expectFailure(
      embodied('run', ...dataArgs({ provincial: provincesWith(file, lines.join('\n')) }), '--out', out),
      new RegExp(`${file}.*row \\d+.*negative`),
      out,
    );
  });

  it('a province missing from the inventory', () => {
    const wb = XLSX.read(readFileSync(demo.emissions));
    wb.SheetNames = wb.SheetNames.filter((s) => s !== 'Guizhou2017');
    const inv = join(tmp(), 'inventory.xlsx');
    writeFileSync(inv, XLSX.write(wb, { type: 'buffer', bookType: 'xlsx' }) as Buffer);
    const out = join(tmp(), 'o');
    expectFailure(embodied('run', ...dataArgs({ emissions: inv }), '--out', out), /no sheet for Guizhou/, out);
  });

  it('a config file: its options are used and flags override them; an unknown field is an error', () => {
    const config = join(tmp(), 'config.json');
    writeFileSync(config, JSON.stringify({ options: { scope: 'production+households', 'import-intensity': 'national' } }));
    const out = join(tmp(), 'c');
    const r = embodied('run', '--config', config, '-O', 'import-intensity=own', '--out', out, '--quiet');
    expect(r.stderr).toBe('');
    const run = JSON.parse(readFileSync(join(out, 'run.json'), 'utf8'));
    expect(run.options.scope).toBe('production+households');
    expect(run.options['import-intensity']).toBe('own');
    writeFileSync(config, JSON.stringify({ provincal: 'typo/' }));
    const bad = join(tmp(), 'b');
    expectFailure(
      embodied('run', '--config', config, '--out', bad),
      /--config .*config\.json: invalid config .*\n {2}\(top level\): unknown field\(s\) provincal/,
      bad,
    );
  });

  it('an output directory that cannot be written', () => {
    const file = join(tmp(), 'a-file');
    writeFileSync(file, '');
    const r = embodied('run', '--out', join(file, 'results'));
    expect(r.code).not.toBe(0);
    expect(r.stderr).toMatch(/--out .*a-file\/results: cannot write there/);
  });

  it('a failed check is a warning, and an error under --strict', () => {
    // Break one row balance of one table by editing its exports cell.
    const file = basename(demo.provinces[5]);
    const lines = readFileSync(demo.provinces[5], 'utf8').split('\n');
    const ex = lines
      .find((l) => l.split(',').includes('GO'))!
      .split(',')
      .indexOf('EX');
    const row = sectorLine(lines, '10');
    const cells = lines[row].split(',');
    cells[ex] = String(Number(cells[ex]) + 1000);
    lines[row] = cells.join(',');
    const p = provincesWith(file, lines.join('\n'));
    const warnOut = join(tmp(), 'w');
    const warn = embodied('run', ...dataArgs({ provincial: p }), '--out', warnOut, '--quiet');
    expect(warn.code).toBe(0);
    expect(warn.stderr).toMatch(/warning: check failed: row balance/);
    expect(JSON.parse(readFileSync(join(warnOut, 'run.json'), 'utf8')).warnings[0]).toMatch(/row balance/);
    const strictOut = join(tmp(), 's');
    expectFailure(embodied('run', ...dataArgs({ provincial: p }), '--out', strictOut, '--strict'), /checks failed: row balance/, strictOut);
  });
});
