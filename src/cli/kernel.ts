/**
 * The commands' kernel, declared once: `--kernel` and `--threads` (addKernelFlags), and the choice
 * for a command that factors systems up to some order (commandKernel): the threaded kernel where
 * it pays (order ≥ THREADS_FROM, more than one thread), the single-thread wasm kernel where it
 * does not. A fallback is said on stderr; both go to run.json only when they differ from the plain
 * single-thread wasm kernel, so run.json stays as it was for small systems.
 */
import { availableParallelism } from 'node:os';
import { InvalidArgumentError, Option, type Command } from 'commander';
import type { Kernel } from '../kernel/api.js';
import { KERNEL_CHOICES, selectKernel, THREADS_FROM, type KernelChoice } from '../kernel/select.js';
import type { ThreadedKernel } from '../kernel/threads.js';
import { UsageError } from '../inputs/node.js';

export interface KernelFlags {
  kernel?: KernelChoice;
  /** Threads for the threaded kernel; 1 keeps everything on one thread. */
  threads?: number;
}

/** run.json's record of the kernel choice, spread after `kernel`: empty when it is the plain one-thread wasm kernel of old. */
interface KernelRecord {
  kernel_fallback?: string;
  /** Threads used and why, when more than one was used or --threads was given. */
  threads?: { used: number; why: string };
}

export interface CommandKernel {
  kernel: Kernel;
  record: KernelRecord;
  /** Stops the threaded kernel's workers (nothing to do for the others). */
  close(): Promise<void>;
}

/** Threads when --threads is not given: the CPUs, at most 2 (the threaded kernel's measured gain stops there on this kind of machine). */
function defaultThreads(): number {
  return Math.min(2, availableParallelism());
}

function threadCount(v: string): number {
  const n = Number(v);
  if (!Number.isInteger(n) || n < 1 || n > 16) throw new InvalidArgumentError(`expected an integer from 1 to 16, got "${v}"`);
  return n;
}

/** Declares `--kernel` and `--threads` on a command that factors matrices. */
export function addKernelFlags(cmd: Command): Command {
  return cmd
    .addOption(
      new Option(
        '--kernel <name>',
        `auto: the wasm kernel, threaded for systems of order ≥ ${THREADS_FROM} (the reference kernel if wasm does not load); ` +
          'wasm: one thread; threads: the threaded wasm kernel at any size; reference: plain TypeScript',
      )
        .choices(KERNEL_CHOICES)
        .default('auto'),
    )
    .option('--threads <n>', `threads of the threaded kernel (default: the CPUs, at most 2); 1: one thread`, threadCount);
}

/**
 * The kernel for a command whose largest factored system has order `order` (0 when unknown: one
 * thread). Throws UsageError for --threads > 1 with a single-thread kernel.
 */
export async function commandKernel(flags: KernelFlags = {}, order = 0): Promise<CommandKernel> {
  const choice = flags.kernel ?? 'auto';
  const asked = flags.threads;
  if (asked !== undefined && asked > 1 && (choice === 'wasm' || choice === 'reference'))
    throw new UsageError(`--threads ${asked} needs --kernel auto or threads (--kernel ${choice} runs on one thread)`);
  const want = asked ?? defaultThreads();
  const record: KernelRecord = {};
  const plain = async (): Promise<CommandKernel> => {
    const { kernel, fallback } = await selectKernel(choice === 'threads' ? 'auto' : choice);
    if (fallback !== undefined) {
      process.stderr.write(`warning: ${fallback}\n`);
      record.kernel_fallback = fallback;
    }
    return { kernel, record, close: async () => {} };
  };

  let why: string;
  if (choice === 'threads') why = `--kernel threads`;
  else if (choice !== 'auto') why = `--kernel ${choice}`;
  else if (want < 2) why = asked === undefined ? 'one CPU' : '--threads 1';
  else if (order < THREADS_FROM) why = `the largest system has order ${order} < ${THREADS_FROM}, where a thread costs more than it saves`;
  else why = `systems of order ${order} ≥ ${THREADS_FROM}: the LU, inverse and solves are split across ${want} threads`;
  const threaded = choice === 'threads' || (choice === 'auto' && want >= 2 && order >= THREADS_FROM);

  if (!threaded) {
    const k = await plain();
    if (asked !== undefined) record.threads = { used: 1, why };
    return k;
  }
  let kernel: ThreadedKernel;
  try {
    kernel = (await selectKernel('threads', { threads: want })).kernel;
  } catch (e) {
    if (choice === 'threads') throw e;
    const k = await plain();
    const fallback = `the threaded wasm kernel did not load (${(e as Error).message}); using one thread`;
    process.stderr.write(`warning: ${fallback}\n`);
    record.kernel_fallback = record.kernel_fallback ? `${fallback}; ${record.kernel_fallback}` : fallback;
    record.threads = { used: 1, why: fallback };
    return k;
  }
  record.threads = { used: kernel.threads, why };
  return { kernel, record, close: () => kernel.close() };
}
