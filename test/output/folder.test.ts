/** The guarded output writer on its own: what it replaces, what it refuses, and what it leaves. */
import { spawnSync } from 'node:child_process';
import { chmodSync, existsSync, lstatSync, mkdirSync, readdirSync, readFileSync, readlinkSync, symlinkSync, writeFileSync } from 'node:fs';
import { basename, dirname, join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { openOutputFolder, removeOutput, writeOutputFiles, type OutputKind } from '../../src/output/folder.js';
import { temporaryFolders } from './temp.js';

const tmp = temporaryFolders('embodied-output-');

/** A kind like `embodied run`'s: run.json from the command "test", and .csv files. */
const KIND: OutputKind = { commands: ['test'], files: /^(?:run\.json|[a-z]+\.csv)$/ };
const marker = (extra = {}) => JSON.stringify({ tool: 'embodied', command: 'test', ...extra });
const output = (n: number) =>
  new Map([
    ['run.json', marker({ n })],
    [`a${'b'.repeat(n)}.csv`, `x\n${n}\n`],
  ]);
const write = (out: string, n = 1, inputs?: string[]) => writeOutputFiles({ out, kind: KIND, inputs }, output(n));

/** Entries beside `dir` that the writer would have made (hidden temporary or moved-aside folders). */
const leftovers = (dir: string) => readdirSync(dirname(dir)).filter((f) => f.startsWith(`.${basename(dir)}.`));

/** A process id that is certainly no longer running. */
const deadPid = () => spawnSync(process.execPath, ['-e', '']).pid!;

describe('writeOutputFiles', () => {
  it('writes a new folder, and replaces an earlier output of the same kind', async () => {
    const dir = join(tmp(), 'out');
    await write(dir, 1);
    await write(dir, 2);
    expect(readdirSync(dir).sort()).toEqual(['abb.csv', 'run.json']);
    expect(JSON.parse(readFileSync(join(dir, 'run.json'), 'utf8')).n).toBe(2);
    expect(leftovers(dir)).toEqual([]);
  });

  it('accepts an empty existing folder', async () => {
    const dir = tmp();
    await write(dir);
    expect(readdirSync(dir).sort()).toEqual(['ab.csv', 'run.json']);
  });

  it('refuses a folder holding a user file, and leaves it as it was', async () => {
    const dir = tmp();
    writeFileSync(join(dir, 'thesis.docx'), 'important');
    await expect(write(dir)).rejects.toThrow(/is not empty and holds no earlier output of `embodied test`/);
    expect(readdirSync(dir)).toEqual(['thesis.docx']);
    expect(leftovers(dir)).toEqual([]);
  });

  it("refuses a run.json that is not this command's, or not embodied's", async () => {
    for (const [json, message] of [
      ['{}', /holds no earlier output/],
      ['not json', /holds no earlier output/],
      [JSON.stringify({ tool: 'embodied', command: 'sweep run' }), /its run\.json is from `embodied sweep run`/],
      [JSON.stringify({ tool: 'other', command: 'test' }), /holds no earlier output/],
    ] as const) {
      const dir = tmp();
      writeFileSync(join(dir, 'run.json'), json);
      await expect(write(dir)).rejects.toThrow(message);
      expect(readFileSync(join(dir, 'run.json'), 'utf8')).toBe(json);
    }
  });

  it("refuses an earlier output that also holds a file of the user's", async () => {
    const dir = join(tmp(), 'out');
    await write(dir);
    mkdirSync(join(dir, 'notes'));
    writeFileSync(join(dir, 'notes', 'todo.txt'), 'mine');
    await expect(write(dir, 2)).rejects.toThrow(/holds notes\/todo\.txt, which `embodied test` does not write/);
    expect(readFileSync(join(dir, 'notes', 'todo.txt'), 'utf8')).toBe('mine');
    expect(JSON.parse(readFileSync(join(dir, 'run.json'), 'utf8')).n).toBe(1);
  });

  it('refuses a regular file as --out', async () => {
    const file = join(tmp(), 'results');
    writeFileSync(file, 'data');
    await expect(write(file)).rejects.toThrow(/exists and is not a folder/);
    expect(readFileSync(file, 'utf8')).toBe('data');
    expect(leftovers(file)).toEqual([]);
  });

  it('refuses --out that is, holds or lies inside an input', async () => {
    const root = tmp();
    const input = join(root, 'in');
    mkdirSync(input);
    writeFileSync(join(input, 'table.csv'), 'x\n');
    await expect(write(input, 1, [input])).rejects.toThrow(/is the input/);
    await expect(write(root, 1, [join(input, 'table.csv')])).rejects.toThrow(/holds the input/);
    await expect(write(join(input, 'out'), 1, [input])).rejects.toThrow(/lies inside the input folder/);
    expect(readdirSync(input)).toEqual(['table.csv']);
    expect(readdirSync(root)).toEqual(['in']);
  });

  it('refuses a dangling symbolic link and leaves nothing behind', async () => {
    const root = tmp();
    const link = join(root, 'out');
    symlinkSync(join(root, 'missing'), link);
    await expect(write(link)).rejects.toThrow(/a symbolic link to a place that does not exist/);
    expect(readdirSync(root)).toEqual(['out']);
    expect(existsSync(join(root, 'missing'))).toBe(false);
  });

  it('through a symbolic link to an earlier output, replaces the target and keeps the link', async () => {
    const root = tmp();
    const target = join(root, 'real');
    await write(target, 1);
    const link = join(root, 'out');
    symlinkSync(target, link);
    await write(link, 2);
    expect(lstatSync(link).isSymbolicLink()).toBe(true);
    expect(readlinkSync(link)).toBe(target);
    expect(JSON.parse(readFileSync(join(target, 'run.json'), 'utf8')).n).toBe(2);
    expect(readdirSync(root).sort()).toEqual(['out', 'real']);
  });

  it('removes the temporary and moved-aside folders a killed write left, and only those', async () => {
    const root = tmp();
    const dir = join(root, 'out');
    await write(dir);
    const pid = deadPid();
    const killed = [`.out.tmp-${pid}-m1-abc123`, `.out.old-${pid}-m1-abc123`];
    for (const k of killed) {
      mkdirSync(join(root, k));
      writeFileSync(join(root, k, 'run.json'), marker());
    }
    // Not this writer's names, or another target's: kept.
    const others = ['.out.tmp-notes', '.other.tmp-1-m1-abc123', 'out.tmp-1-m1-abc123'];
    for (const o of others) mkdirSync(join(root, o));
    // A write in progress in a live process (this one): kept.
    const live = `.out.tmp-${process.pid}-m1-abc123`;
    mkdirSync(join(root, live));
    await write(dir, 2);
    expect(readdirSync(root).sort()).toEqual(['out', ...others, live].sort());
  });

  it.skipIf(process.getuid?.() === 0)('reports a folder that cannot be written and leaves nothing behind', async () => {
    const parent = tmp();
    chmodSync(parent, 0o500);
    await expect(write(join(parent, 'out'))).rejects.toThrow(/cannot write there/);
    chmodSync(parent, 0o700);
    expect(readdirSync(parent)).toEqual([]);
  });

  it('reports an output path under a regular file and leaves nothing behind', async () => {
    const parent = tmp();
    writeFileSync(join(parent, 'file'), '');
    await expect(write(join(parent, 'file', 'out'))).rejects.toThrow(/--out .*: cannot write there/);
    expect(readdirSync(parent)).toEqual(['file']);
  });

  it('on an error while filling, leaves the earlier output as it was', async () => {
    const dir = join(tmp(), 'out');
    await write(dir, 1);
    const bad = new Map([
      ['run.json', marker()],
      ['sub/x.csv', 'no such folder'],
    ]);
    await expect(writeOutputFiles({ out: dir, kind: KIND }, bad)).rejects.toThrow(/ENOENT/);
    expect(readdirSync(dir).sort()).toEqual(['ab.csv', 'run.json']);
    expect(leftovers(dir)).toEqual([]);
  });
});

describe('openOutputFolder and removeOutput (a folder written bit by bit)', () => {
  it('creates a new folder, accepts an empty one, and says when one holds an earlier output', async () => {
    const root = tmp();
    expect(await openOutputFolder({ out: join(root, 'new'), kind: KIND })).toEqual({ earlier: false });
    expect(existsSync(join(root, 'new'))).toBe(true);
    expect(await openOutputFolder({ out: join(root, 'new'), kind: KIND })).toEqual({ earlier: false });
    writeFileSync(join(root, 'new', 'run.json'), marker());
    expect(await openOutputFolder({ out: join(root, 'new'), kind: KIND })).toEqual({ earlier: true });
  });

  it("refuses a folder of the user's, but leaves the user's files beside an earlier output to removeOutput, which keeps them", async () => {
    const dir = tmp();
    writeFileSync(join(dir, 'thesis.docx'), 'important');
    await expect(openOutputFolder({ out: dir, kind: KIND })).rejects.toThrow(/holds no earlier output/);
    writeFileSync(join(dir, 'run.json'), marker());
    writeFileSync(join(dir, 'a.csv'), 'x\n');
    expect(await openOutputFolder({ out: dir, kind: KIND })).toEqual({ earlier: true });
    removeOutput(dir, KIND);
    expect(readdirSync(dir)).toEqual(['thesis.docx']);
  });

  it('removeOutput removes the folders it empties, not those holding something else', () => {
    const dir = tmp();
    const kind: OutputKind = { commands: ['test'], files: /^(?:run\.json|parts\/[a-z]+\.csv)$/ };
    mkdirSync(join(dir, 'parts'));
    mkdirSync(join(dir, 'kept'));
    writeFileSync(join(dir, 'parts', 'a.csv'), '');
    writeFileSync(join(dir, 'kept', 'a.csv'), '');
    writeFileSync(join(dir, 'run.json'), marker());
    removeOutput(dir, kind);
    expect(readdirSync(dir)).toEqual(['kept']);
    expect(readdirSync(join(dir, 'kept'))).toEqual(['a.csv']);
  });
});
