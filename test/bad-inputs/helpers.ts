/**
 * The bad-input corpus's tools: the built command line run as a user runs it (`npm run build`
 * first, as for the output digest), a fresh copy of valid inputs per case (the demo dataset in the
 * layouts of the real files, and pymrio's test system), and the checks every refusal must pass.
 */
import { spawnSync } from 'node:child_process';
import { cpSync, existsSync, mkdtempSync, readdirSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { expect } from 'vitest';
import { SHARED_DATA } from '../shared-data.js';

const root = fileURLToPath(new URL('../../', import.meta.url));
const CLI = join(root, 'dist/src/cli/main.js');

export interface Outcome {
  code: number | null;
  stdout: string;
  stderr: string;
  /** The process did not finish within the bound. */
  timedOut: boolean;
}

/** Runs `embodied …`, killed after `timeoutMs`. */
export function embodied(args: string[], timeoutMs = 60_000): Outcome {
  const r = spawnSync(process.execPath, [CLI, ...args], { encoding: 'utf8', timeout: timeoutMs, maxBuffer: 64 * 1024 * 1024 });
  return { code: r.status, stdout: r.stdout ?? '', stderr: r.stderr ?? '', timedOut: r.error !== undefined || r.signal !== null };
}

const base = mkdtempSync(join(tmpdir(), 'embodied-bad-'));
let demo: string | undefined;

/** A fresh folder of the demo files in the real layouts (written once, copied per case). */
export function demoCopy(): Demo {
  if (!demo) {
    demo = join(base, 'demo');
    const r = embodied(['demo', '-o', demo]);
    if (r.code !== 0) throw new Error(`embodied demo failed: ${r.stderr}`);
  }
  const dir = mkdtempSync(join(base, 'case-'));
  cpSync(demo, dir, { recursive: true });
  return new Demo(dir);
}

export class Demo {
  readonly provinces: string;
  readonly national: string;
  readonly emissions: string;
  readonly energy: string;
  /** An output folder that no case may create. */
  readonly out: string;
  constructor(readonly dir: string) {
    this.provinces = join(dir, 'cn-io-2017/provinces');
    this.national = join(dir, 'cn-io-2017/national/china_2017_42.csv');
    this.emissions = join(dir, 'ceads-2017/Emission_Inventories_for_30_Provinces_2017.xlsx');
    this.energy = join(dir, 'ceads-2017/省级能源清单_2017.xlsx');
    this.out = join(dir, 'out');
  }
  /** The data flags of a run on these files. */
  get data(): string[] {
    return ['--provincial', this.provinces, '--national', this.national, '--emissions', this.emissions];
  }
  table(prefix: string): string {
    const name = readdirSync(this.provinces).find((f) => f.startsWith(prefix));
    if (!name) throw new Error(`no table ${prefix}`);
    return join(this.provinces, name);
  }
  /** Replaces cell (row, column), both 1-based as an editor shows them, of a CSV file. */
  setCsvCell(file: string, row: number, column: number, value: string): void {
    const lines = readFileSync(file, 'utf8').split('\n');
    const cells = lines[row - 1].split(',');
    cells[column - 1] = value;
    lines[row - 1] = cells.join(',');
    writeFileSync(file, lines.join('\n'));
  }
}

/** A fresh copy of pymrio's test system (its native folder format). */
export function pymrioCopy(): string {
  const dir = mkdtempSync(join(base, 'pymrio-'));
  cpSync(join(SHARED_DATA, 'pymrio-test/native'), dir, { recursive: true });
  return dir;
}

/** What every refusal must show: the exit code, a message naming the place, no stack trace, nothing written. */
export function expectRefused(r: Outcome, message: RegExp, out: string | undefined, code = 1): void {
  expect(r.timedOut, 'finished within the bound').toBe(false);
  expect(r.stderr).toMatch(message);
  expect(r.stderr).not.toMatch(/^\s+at /m);
  expect(r.stderr).not.toMatch(/\(node:\d+\)|TypeError|ReferenceError|RangeError/);
  expect(r.code).toBe(code);
  if (out !== undefined) expect(existsSync(out), `${out} must not be written`).toBe(false);
}
