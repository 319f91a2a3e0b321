/**
 * The commands' thread choice (src/cli/kernel.ts): the threaded kernel from order THREADS_FROM on,
 * one thread below it (and then nothing new in run.json), --threads to choose, one --kernel list
 * (KERNEL_CHOICES) on every command that factors.
 */
import { availableParallelism } from 'node:os';
import { Command } from 'commander';
import { describe, expect, it } from 'vitest';
import { commandKernel } from '../../src/cli/kernel.js';
import { register as registerMrio } from '../../src/cli/mrio.js';
import { register as registerRun } from '../../src/cli/run.js';
import { UsageError } from '../../src/inputs/node.js';
import { KERNEL_CHOICES, THREADS_FROM } from '../../src/kernel/index.js';

describe('commandKernel', () => {
  it('one thread below THREADS_FROM, and run.json gets nothing new', async () => {
    const k = await commandKernel({}, 42);
    expect(k.kernel.name).toBe('wasm');
    expect(k.record).toEqual({});
    await k.close();
  });

  it.runIf(availableParallelism() >= 2)('the threaded kernel on 2 threads from THREADS_FROM on, recorded with the reason', async () => {
    const k = await commandKernel({}, THREADS_FROM);
    try {
      expect(k.kernel.name).toBe('wasm-threads');
      expect(k.record.threads?.used).toBe(2);
      expect(k.record.threads?.why).toContain(`order ${THREADS_FROM} ≥ ${THREADS_FROM}`);
    } finally {
      await k.close();
    }
  });

  it('--threads 1 keeps a large system on one thread and says so', async () => {
    const k = await commandKernel({ threads: 1 }, 1302);
    expect(k.kernel.name).toBe('wasm');
    expect(k.record).toEqual({ threads: { used: 1, why: '--threads 1' } });
  });

  it('--kernel threads --threads 3 uses three threads at any size', async () => {
    const k = await commandKernel({ kernel: 'threads', threads: 3 }, 10);
    try {
      expect(k.kernel.name).toBe('wasm-threads');
      expect(k.record.threads).toEqual({ used: 3, why: '--kernel threads' });
    } finally {
      await k.close();
    }
  });

  it('refuses --threads 2 with a single-thread kernel', async () => {
    await expect(commandKernel({ kernel: 'wasm', threads: 2 }, 1302)).rejects.toThrow(UsageError);
  });
});

describe('--kernel and --threads on the commands', () => {
  it.each([
    ['mrio', registerMrio],
    ['run', registerRun],
  ])('%s offers the shared kernel choices and --threads', (name, register) => {
    const program = new Command();
    register(program);
    const cmd = program.commands.find((c) => c.name() === name)!;
    const kernel = cmd.options.find((o) => o.long === '--kernel')!;
    expect(kernel.argChoices).toEqual([...KERNEL_CHOICES]);
    expect(cmd.options.some((o) => o.long === '--threads')).toBe(true);
  });
});
