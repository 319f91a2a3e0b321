/**
 * Every command that writes a folder, run as a user runs it (the built CLI in a child process, on the
 * demo data): a folder of the user's is refused (exit ≠ 0, its files intact, nothing left beside it),
 * and an earlier output of the same command is replaced.
 */
import { spawn, spawnSync } from 'node:child_process';
import { existsSync, lstatSync, mkdirSync, readdirSync, readFileSync, symlinkSync, writeFileSync } from 'node:fs';
import { basename, dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { beforeAll, describe, expect, it } from 'vitest';
import { index, matrix, regionSectorIndex } from '../../src/mrio/labels.js';
import { writePymrio } from '../../src/mrio/pymrio-folder.js';
import { temporaryFolders } from './temp.js';

const CLI = fileURLToPath(new URL('../../dist/src/cli/main.js', import.meta.url));

interface Result {
  code: number | null;
  stdout: string;
  stderr: string;
}

function embodied(...args: string[]): Promise<Result> {
  return new Promise((done) => {
    const p = spawn(process.execPath, [CLI, ...args], { stdio: ['ignore', 'pipe', 'pipe'] });
    let stdout = '';
    let stderr = '';
    p.stdout.on('data', (d) => (stdout += d));
    p.stderr.on('data', (d) => (stderr += d));
    p.on('close', (code) => done({ code, stdout, stderr }));
  });
}

const tmp = temporaryFolders('embodied-commands-');

/** Every file under `dir` with its content: what must not change when a command is refused. */
function snapshot(dir: string): Record<string, string> {
  const out: Record<string, string> = {};
  for (const e of readdirSync(dir, { withFileTypes: true, recursive: true })) {
    if (e.isFile()) out[join(e.parentPath, e.name).slice(dir.length)] = readFileSync(join(e.parentPath, e.name), 'utf8');
  }
  return out;
}

/** Hidden temporary or moved-aside folders beside `dir`. */
const leftovers = (dir: string) => readdirSync(dirname(dir)).filter((f) => f.startsWith(`.${basename(dir)}.`));

/** A folder holding a user's files: thesis.docx, and more if given (name → content). */
function userFolder(files: Record<string, string> = {}): string {
  const dir = join(tmp(), 'mine');
  mkdirSync(dir);
  writeFileSync(join(dir, 'thesis.docx'), 'important');
  for (const [name, content] of Object.entries(files)) {
    mkdirSync(dirname(join(dir, name)), { recursive: true });
    writeFileSync(join(dir, name), content);
  }
  return dir;
}

/** Runs a command that must be refused: exit ≠ 0, a message, `dir` exactly as it was, nothing beside it. */
async function refused(dir: string, args: string[], message: RegExp): Promise<void> {
  const before = existsSync(dir) && lstatSync(dir).isDirectory() ? snapshot(dir) : undefined;
  const r = await embodied(...args);
  expect(r.code, r.stderr).not.toBe(0);
  expect(r.stderr).toMatch(message);
  if (before) expect(snapshot(dir)).toEqual(before);
  expect(leftovers(dir)).toEqual([]);
}

const ok = (r: Result) => expect(r.code, r.stderr).toBe(0);
const command = (dir: string) => JSON.parse(readFileSync(join(dir, 'run.json'), 'utf8')).command as string;
/** A process id that is certainly no longer running. */
const deadPid = () => spawnSync(process.execPath, ['-e', '']).pid!;

const SPEC = `seed: 1
draws: 4
chunkSize: 2
montecarlo:
  - { target: intensity, per: province, distribution: { type: normal, mean: 1, sd: 0.05 } }
`;

// One sweep and two shards of it, for the run and sweep cases.
const root = tmp();
const spec = join(root, 'spec.yaml');
const sweep = join(root, 'sweep');
const shards = [join(root, 's0'), join(root, 's1')];
beforeAll(async () => {
  writeFileSync(spec, SPEC);
  const rs = await Promise.all([
    embodied('sweep', 'run', spec, '--out', sweep, '-w', '0', '-q', '--no-progress'),
    ...shards.map((s, k) => embodied('sweep', 'run', spec, '--out', s, '--shard', `${k}/2`, '-w', '0', '-q', '--no-progress')),
  ]);
  rs.forEach(ok);
});

describe('embodied run', () => {
  it('writes into an empty folder, replaces its earlier run, removes what a kill left, and writes through a link to the target', async () => {
    const root = tmp();
    const out = join(root, 'results');
    mkdirSync(out);
    ok(await embodied('run', '--out', out, '-q'));
    expect(command(out)).toBe('run');
    const pid = deadPid();
    for (const k of [`.results.tmp-${pid}-m1-abc123`, `.results.old-${pid}-m1-abc123`]) mkdirSync(join(root, k));
    ok(await embodied('run', '--out', out, '-q', '-O', 'scope=production+households'));
    expect(JSON.parse(readFileSync(join(out, 'run.json'), 'utf8')).options.scope).toBe('production+households');
    expect(readdirSync(root)).toEqual(['results']);
    symlinkSync(out, join(root, 'link'));
    ok(await embodied('run', '--out', join(root, 'link'), '-q'));
    expect(lstatSync(join(root, 'link')).isSymbolicLink()).toBe(true);
    expect(JSON.parse(readFileSync(join(out, 'run.json'), 'utf8')).options.scope).toBe('production');
    expect(readdirSync(root).sort()).toEqual(['link', 'results']);
  });

  it("refuses a user folder, a foreign run.json, a sweep's results, a dangling link and a regular file", async () => {
    const user = userFolder();
    const foreign = userFolder({ 'run.json': '{"experiment": 3}' });
    const dangling = join(tmp(), 'out');
    symlinkSync(join(dirname(dangling), 'missing'), dangling);
    const file = join(tmp(), 'results');
    writeFileSync(file, 'data');
    await Promise.all([
      refused(user, ['run', '--out', user, '-q'], /is not empty and holds no earlier output of `embodied run`/),
      refused(foreign, ['run', '--out', foreign, '-q'], /holds no earlier output of `embodied run`/),
      refused(sweep, ['run', '--out', sweep, '-q'], /its run\.json is from `embodied sweep run`/),
      refused(dangling, ['run', '--out', dangling, '-q'], /a symbolic link to a place that does not exist/),
      refused(file, ['run', '--out', file, '-q'], /exists and is not a folder/),
    ]);
    expect(readdirSync(dirname(dangling))).toEqual(['out']);
    expect(readFileSync(file, 'utf8')).toBe('data');
  });
});

describe('embodied mrio', () => {
  /** A two-region pymrio system in pymrio's folder format. */
  let pymrio: string;
  beforeAll(async () => {
    pymrio = join(tmp(), 'system');
    const rs = regionSectorIndex(['r1', 'r2'], ['s']);
    await writePymrio(pymrio, {
      name: 'tiny',
      source: '',
      tables: new Map([
        ['Z', matrix(rs, rs, Float64Array.from([0, 0.2, 0.2, 0]))],
        [
          'Y',
          matrix(
            rs,
            index(
              ['region', 'category'],
              [
                ['r1', 'hh'],
                ['r2', 'hh'],
              ],
            ),
            Float64Array.from([1, 0, 0, 1]),
          ),
        ],
      ]),
      files: new Map(),
      extensions: [
        {
          name: 'Emissions',
          folder: 'emissions',
          tables: new Map([['F', matrix(index(['stressor'], [['co2']]), rs, Float64Array.from([1, 1]))]]),
          files: new Map(),
        },
      ],
    });
  });

  it('replaces an earlier output of either mode', async () => {
    const out = join(tmp(), 'mrio');
    ok(await embodied('mrio', '--pymrio', pymrio, '--out', out, '--quiet'));
    expect(readdirSync(join(out, 'emissions'))).toContain('D_cba.txt');
    ok(await embodied('mrio', '--demo', '--out', out, '--quiet'));
    expect(readdirSync(out).sort()).toEqual([
      'bilateral.csv',
      'comparison.csv',
      'comparison.svg',
      'footprints.csv',
      'report.md',
      'run.json',
    ]);
    expect(leftovers(out)).toEqual([]);
  });

  it('refuses a user folder, its input folder and a regular file', async () => {
    const user = userFolder();
    const file = join(tmp(), 'out');
    writeFileSync(file, 'data');
    await Promise.all([
      refused(
        user,
        ['mrio', '--demo', '--out', user, '--quiet'],
        /holds no earlier output of `embodied mrio --provincial` or `embodied mrio --pymrio`/,
      ),
      refused(pymrio, ['mrio', '--pymrio', pymrio, '--out', pymrio, '--quiet'], /is the input/),
      refused(file, ['mrio', '--pymrio', pymrio, '--out', file, '--quiet'], /exists and is not a folder/),
    ]);
    expect(readFileSync(file, 'utf8')).toBe('data');
  });
});

describe('embodied demo', () => {
  it('marks its folder, replaces it, refuses a user folder, and its files are read by embodied run', async () => {
    const out = join(tmp(), 'demo');
    ok(await embodied('demo', '--out', out));
    expect(command(out)).toBe('demo');
    const user = userFolder();
    const D = join(out, 'cn-io-2017');
    const [again, results] = await Promise.all([
      embodied('demo', '--out', out, '--seed', '7'),
      embodied(
        'run',
        '--provincial',
        join(D, 'provinces'),
        '--national',
        join(D, 'national/china_2017_42.csv'),
        '--emissions',
        join(out, 'ceads-2017/Emission_Inventories_for_30_Provinces_2017.xlsx'),
        '--out',
        join(tmp(), 'r'),
        '-q',
      ),
      refused(user, ['demo', '--out', user], /holds no earlier output of `embodied demo`/),
    ]);
    ok(again);
    ok(results);
    expect(JSON.parse(readFileSync(join(out, 'run.json'), 'utf8')).seed).toBe(7);
    expect(readdirSync(out).sort()).toEqual(['README.txt', 'ceads-2017', 'cn-io-2017', 'run.json']);
  });
});

describe('embodied sweep run and sweep merge', () => {
  it('refuses a user folder (its run.json intact), --force on a folder that never held a sweep, and a shard as merge --out', async () => {
    const user = userFolder({ 'run.json': '{"mine": true}' });
    const lookalike = userFolder({ 'summary/notes.md': 'mine', 'draws/plan.txt': 'mine', 'stats/data.csv': 'mine' });
    const mergeInto = userFolder({ 'run.json': '{"mine": true}' });
    const run = ['-w', '0', '-q', '--no-progress'];
    await Promise.all([
      refused(
        user,
        ['sweep', 'run', spec, '--out', user, ...run],
        /holds no earlier output of `embodied sweep run` or `embodied sweep merge`/,
      ),
      refused(lookalike, ['sweep', 'run', spec, '--out', lookalike, '--force', ...run], /holds no earlier output/),
      refused(mergeInto, ['sweep', 'merge', '--out', mergeInto, ...shards, '-q'], /holds no earlier output/),
      refused(shards[0]!, ['sweep', 'merge', '--out', shards[0]!, ...shards, '-q'], /is the input/),
    ]);
  });

  it('--force discards an earlier sweep, and only its files; merge replaces an earlier sweep, and only its files', async () => {
    writeFileSync(join(sweep, 'notes.txt'), 'mine');
    const r = await embodied('sweep', 'run', spec, '--out', sweep, '-w', '0', '-q', '--no-progress');
    expect(r.code).not.toBe(0);
    expect(r.stderr).toMatch(/already holds a sweep/);
    ok(await embodied('sweep', 'run', spec, '--out', sweep, '--force', '-w', '0', '-q', '--no-progress'));
    expect(readFileSync(join(sweep, 'notes.txt'), 'utf8')).toBe('mine');
    const manifest = readFileSync(join(sweep, 'manifest.json'), 'utf8');
    ok(await embodied('sweep', 'merge', '--out', sweep, ...shards, '-q'));
    expect(command(sweep)).toBe('sweep merge');
    expect(readFileSync(join(sweep, 'notes.txt'), 'utf8')).toBe('mine');
    // The merge of the two shards is the unsharded run, byte for byte.
    expect(readFileSync(join(sweep, 'manifest.json'), 'utf8')).toBe(manifest);
  });
});
