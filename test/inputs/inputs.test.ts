/**
 * The inputs layer: the core from named bytes (src/inputs/index.ts) and the Node shell from paths
 * (src/inputs/node.ts) give the same model inputs; the shell reads each file once; inventory issues
 * reach the model both ways; a missing or unreadable file is named.
 * Data: the demo dataset written as files (src/demo/files.ts), one inventory total changed; the
 * real 2017 files in ../shared/data where present.
 */
import { createHash } from 'node:crypto';
import { mkdtempSync, readFileSync, rmSync, unlinkSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { basename, join, resolve } from 'node:path';
import { afterAll, beforeAll, describe, expect, it, vi } from 'vitest';
import { bundledData } from '../../src/data/index.js';
import { demoDataset } from '../../src/demo/index.js';
import { writeDemoFiles, type DemoFiles } from '../../src/demo/files.js';
import { DataError } from '../../src/io/errors.js';
import { loadData, type DataFiles } from '../../src/inputs/index.js';
import { loadInputs, UsageError, type DataPaths } from '../../src/inputs/node.js';
import { referenceKernel } from '../../src/kernel/index.js';
import { DEFAULT_OPTIONS } from '../../src/model/options.js';
import { runModel } from '../../src/model/pipeline.js';
import { referenceDataOf } from '../../src/model/reference.js';
import { hasShared, SHARED_DATA } from '../shared-data.js';

// Every readFileSync of the code under test, counted by absolute path.
const reads = vi.hoisted(() => new Map<string, number>());
vi.mock('node:fs', async (importOriginal) => {
  const fs = await importOriginal<typeof import('node:fs')>();
  const readFileSync = ((path: string, ...rest: unknown[]) => {
    if (typeof path === 'string') reads.set(resolve(path), (reads.get(resolve(path)) ?? 0) + 1);
    return (fs.readFileSync as (...a: unknown[]) => unknown)(path, ...rest);
  }) as typeof fs.readFileSync;
  return { ...fs, readFileSync, default: { ...fs, readFileSync } };
});

const FACTORS = join(import.meta.dirname, '../io/fixtures/user-factors.csv');
const sha256 = (b: Uint8Array) => createHash('sha256').update(b).digest('hex');

/** The named bytes of the files at `paths`, as the page would hand them over. */
function namedBytes(paths: DataPaths, provincial: string[]): DataFiles {
  const one = (p: string) => ({ name: basename(p), bytes: new Uint8Array(readFileSync(p)) });
  const files: DataFiles = { provincial: provincial.map(one), folder: paths.provincial! };
  for (const k of ['national', 'emissions', 'energy', 'factors', 'nationalInventory'] as const) if (paths[k]) files[k] = one(paths[k]);
  return files;
}

let dir: string;
let demo: DemoFiles;
let paths: DataPaths;
/** Beijing's total row of coal (the first fuel), as the changed inventory file holds it, and its sectors' sum. */
let sheetTotal: number;
let sectorSum: number;

beforeAll(() => {
  dir = mkdtempSync(join(tmpdir(), 'embodied-inputs-'));
  const ds = demoDataset();
  const bj = ds.emissions.provinces.get('Beijing')!;
  sectorSum = bj.total[0]!;
  bj.total[0] = sheetTotal = sectorSum + 1;
  demo = writeDemoFiles(dir, { dataset: ds });
  paths = {
    provincial: join(dir, 'cn-io-2017', 'provinces'),
    national: demo.national,
    emissions: demo.emissions,
    energy: demo.energy,
    factors: FACTORS,
  };
});
afterAll(() => rmSync(dir, { recursive: true, force: true }));

describe('the Node shell', () => {
  it('reads each file once and records the sha256 of the bytes it parsed, in the order of the roles', () => {
    reads.clear();
    const loaded = loadInputs(paths);
    const files: [string, string][] = [...demo.provinces].sort().map((p) => ['provincial', p]);
    files.push(['national', demo.national], ['emissions', demo.emissions], ['energy', demo.energy], ['factors', FACTORS]);
    expect(loaded.files.map((f) => [f.role, f.path])).toEqual(files.map(([role, p]) => [role, resolve(p)]));
    for (const f of loaded.files) {
      expect(reads.get(f.path), f.path).toBe(1);
      const bytes = readFileSync(f.path);
      expect(f.sha256).toBe(sha256(bytes));
      expect(f.bytes).toBe(bytes.length);
    }
  });

  it('gives the same inputs, warnings and note as the core on the same bytes', () => {
    const { files: _files, ...fromPaths } = loadInputs(paths);
    expect(loadData(namedBytes(paths, [...demo.provinces].sort()), 'command')).toEqual(fromPaths);
    expect(fromPaths.dataNote).toBe(`Data: 31 provincial tables from ${paths.provincial}.`);
  });

  it('notes the provinces without a table (no Node process warning), leaves them out, and refuses them with strict', () => {
    const one = mkdtempSync(join(tmpdir(), 'embodied-inputs-'));
    try {
      unlinkSync(writeDemoFiles(one).provinces.find((p) => p.endsWith('西藏.csv'))!);
      const prov = join(one, 'cn-io-2017', 'provinces');
      const warn = vi.spyOn(process, 'emitWarning').mockImplementation(() => {});
      const loaded = loadInputs({ ...paths, provincial: prov });
      expect(warn).not.toHaveBeenCalled();
      warn.mockRestore();
      expect(loaded.missing).toEqual(['Tibet']);
      expect(loaded.inputs.provinces).toHaveLength(30);
      const note =
        'no provincial table for Tibet: it is left out, so every national total (sum over provinces) covers only the 30 provinces read and lacks its emissions, output and trade';
      expect(loaded.missingNote).toBe(note);
      expect(loaded.warnings[0]).toBe(note);
      expect(loaded.dataNote).toContain(`**Warning: ${note}**`);
      expect(() => loadInputs({ ...paths, provincial: prov }, { strict: true })).toThrow(
        `--provincial ${prov}: ${note} (refused with --strict)`,
      );
    } finally {
      rmSync(one, { recursive: true, force: true });
    }
  });

  it('uses the demo dataset when no path is given, and records no file', () => {
    const loaded = loadInputs({});
    expect(loaded.data).toBe('demo');
    expect(loaded.files).toEqual([]);
    expect(loaded.inputs).toEqual(loadData(undefined).inputs);
    expect(loaded.dataNote).toMatch(/^\*\*Synthetic demo data\.\*\* .* use --provincial, --national and --emissions/);
  });
});

describe('inventory issues', () => {
  it('reach the model from bytes and from paths, and are warned of', () => {
    const ref = referenceDataOf(bundledData());
    const fromBytes = loadData(namedBytes(paths, demo.provinces));
    for (const loaded of [fromBytes, loadInputs(paths)]) {
      const found = loaded.inputs.inventoryIssues!;
      expect(found.map((i) => [i.province, i.check, i.sheetValue])).toEqual([['Beijing', 'column-sum', sheetTotal]]);
      expect(found[0]!.computed).toBeCloseTo(sectorSum, 9);
      const check = runModel(loaded.inputs, ref, DEFAULT_OPTIONS, referenceKernel).checks.find((c) => c.name === 'inventory sums')!;
      expect(check.ok).toBe(false);
      expect(check.detail).toMatch(/^1 inventory sums differ from the sheet's totals/);
    }
    const [issue] = fromBytes.inputs.inventoryIssues!;
    expect(fromBytes.warnings).toEqual([
      `${basename(demo.emissions)}: Beijing column-sum ${issue!.where}: sheet ${sheetTotal}, computed ${issue!.computed}`,
    ]);
    expect(fromBytes.dataNote).toBe(
      `Your data: 31 provincial tables, national table china_2017_42.csv, ${basename(demo.emissions)}, ${basename(demo.energy)}, user-factors.csv. Read in this browser only.`,
    );
  });
});

describe('errors', () => {
  const messageOf = (f: () => unknown): string => {
    try {
      f();
    } catch (e) {
      return `${(e as Error).name}: ${(e as Error).message}`;
    }
    return 'no error';
  };

  it('name what the page lacks', () => {
    const all = namedBytes(paths, demo.provinces.slice(0, 1));
    expect(messageOf(() => loadData({ ...all, provincial: [] }))).toBe(
      'DataError: (provincial tables): choose the provincial IO tables (.xls, .xlsx or .csv, one per province)',
    );
    expect(messageOf(() => loadData({ provincial: all.provincial }))).toMatch(
      /^DataError: \(national table\): choose the national IO table/,
    );
    expect(messageOf(() => loadData({ provincial: all.provincial, national: all.national! }))).toMatch(
      /^DataError: \(inventory\): choose the CEADs emission inventory/,
    );
  });

  it('name the flags a command lacks, before reading anything', () => {
    reads.clear();
    expect(messageOf(() => loadInputs({ national: demo.national }))).toBe(
      'UsageError: real data needs both --provincial DIR and --national FILE',
    );
    expect(messageOf(() => loadInputs({ provincial: paths.provincial! }))).toBe(
      'UsageError: real data needs both --provincial DIR and --national FILE',
    );
    expect(messageOf(() => loadInputs({ provincial: paths.provincial!, national: demo.national }))).toBe(
      'UsageError: real data needs --emissions FILE (CEADs inventory) or --energy FILE',
    );
    expect(reads.size).toBe(0);
    expect(() => loadInputs({ national: demo.national })).toThrow(UsageError);
  });

  it('name the file that cannot be read or parsed', () => {
    const gone = join(dir, 'no-such.csv');
    expect(messageOf(() => loadInputs({ ...paths, national: gone }))).toMatch(new RegExp(`^DataError: ${gone}: cannot read: `));
    const files = namedBytes(paths, demo.provinces.slice(0, 1));
    const bad = { ...files, national: { name: 'china_2017_42.csv', bytes: new TextEncoder().encode('a,b\n1,2\n') } };
    expect(() => loadData(bad)).toThrow(DataError);
    expect(messageOf(() => loadData(bad))).toMatch(/^DataError: china_2017_42\.csv[:,]/);
  });
});

const REAL: DataPaths = {
  provincial: join(SHARED_DATA, 'cn-io-2017/provinces'),
  national: join(SHARED_DATA, 'cn-io-2017/national/china_2017_42.csv'),
  emissions: join(SHARED_DATA, 'ceads-2017/Emission_Inventories_for_30_Provinces_2017.xlsx'),
  energy: join(SHARED_DATA, 'ceads-2017/省级能源清单_2017.xlsx'),
  nationalInventory: join(SHARED_DATA, 'ceads-2017/China_CO2_Inventory_1997-2019_(IPCC_Sectoral_Emissions).xlsx'),
};

describe.skipIf(!hasShared())('on the real 2017 data', () => {
  it('the core from bytes equals the Node shell from paths, each file read once', () => {
    reads.clear();
    const { files, ...fromPaths } = loadInputs(REAL);
    for (const f of files) expect(reads.get(f.path), f.path).toBe(1);
    const provincial = files.filter((f) => f.role === 'provincial').map((f) => f.path);
    expect(provincial).toHaveLength(31);
    expect(loadData(namedBytes(REAL, provincial), 'command')).toEqual(fromPaths);
  });
});
