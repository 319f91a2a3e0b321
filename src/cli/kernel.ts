/** The commands' kernel: selectKernel, with a fallback said on stderr and recorded in run.json. */
import type { Kernel } from '../kernel/api.js';
import { selectKernel, type KernelChoice } from '../kernel/select.js';

export interface CommandKernel {
  kernel: Kernel;
  /** run.json's record of a fallback, spread after `kernel`: empty when there was none, so run.json stays as it was. */
  record: { kernel_fallback?: string };
}

export async function commandKernel(choice: KernelChoice = 'auto'): Promise<CommandKernel> {
  const { kernel, fallback } = await selectKernel(choice);
  if (fallback === undefined) return { kernel, record: {} };
  process.stderr.write(`warning: ${fallback}\n`);
  return { kernel, record: { kernel_fallback: fallback } };
}
