/**
 * The commands' kernel: a fallback of selectKernel is said on stderr and recorded for run.json;
 * without one the record is empty, so run.json is as it was (the golden digest checks the bytes).
 */
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, describe, expect, it, vi } from 'vitest';
import { referenceKernel } from '../../src/kernel/index.js';

const fallback = 'the wasm kernel did not load (test); using the reference TypeScript kernel';
vi.mock('../../src/kernel/select.js', () => ({
  KERNEL_CHOICES: ['auto', 'wasm', 'threads', 'reference'],
  THREADS_FROM: 500,
  selectKernel: async (choice: string) => (choice === 'auto' ? { kernel: referenceKernel, fallback } : { kernel: referenceKernel }),
}));
const { commandKernel } = await import('../../src/cli/kernel.js');
const { runCommand } = await import('../../src/cli/run.js');

afterEach(() => vi.restoreAllMocks());

describe('commandKernel', () => {
  it('records and says a fallback', async () => {
    const err = vi.spyOn(process.stderr, 'write').mockReturnValue(true);
    const k = await commandKernel();
    expect(k.kernel).toBe(referenceKernel);
    expect(k.record).toEqual({ kernel_fallback: fallback });
    expect(err).toHaveBeenCalledWith(`warning: ${fallback}\n`);
  });

  it('records nothing and says nothing without one', async () => {
    const err = vi.spyOn(process.stderr, 'write').mockReturnValue(true);
    const k = await commandKernel({ kernel: 'reference' });
    expect(k.record).toEqual({});
    expect(err).not.toHaveBeenCalled();
  });
});

describe('embodied run', () => {
  it('puts the fallback in run.json after the kernel it fell back to', async () => {
    vi.spyOn(process.stderr, 'write').mockReturnValue(true);
    const dir = mkdtempSync(join(tmpdir(), 'embodied-kernel-'));
    try {
      await runCommand({ option: [], out: join(dir, 'out'), quiet: true });
      const run = JSON.parse(readFileSync(join(dir, 'out', 'run.json'), 'utf8')) as Record<string, unknown>;
      const keys = Object.keys(run);
      expect(run.kernel).toBe('reference');
      expect(run.kernel_fallback).toBe(fallback);
      expect(keys.indexOf('kernel_fallback')).toBe(keys.indexOf('kernel') + 1);
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  });
});
