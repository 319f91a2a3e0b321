/** Which kernel the MRIO layer uses: the wasm kernel when it loads, the reference kernel otherwise. */
import * as kernelModule from '../kernel/index.js';
import type { Kernel } from '../kernel/api.js';

export type KernelChoice = 'auto' | 'wasm' | 'reference';

/**
 * 'auto': `loadKernel()` (wasm) if the kernel module exports it and it loads, else the reference
 * TypeScript kernel. 'wasm' fails when the wasm kernel is not available.
 */
export async function getKernel(choice: KernelChoice = 'auto'): Promise<Kernel> {
  const mod = kernelModule as unknown as { loadKernel?: () => Promise<Kernel>; referenceKernel: Kernel };
  if (choice === 'reference') return mod.referenceKernel;
  if (typeof mod.loadKernel === 'function') {
    try {
      return await mod.loadKernel();
    } catch (e) {
      if (choice === 'wasm') throw e;
    }
  } else if (choice === 'wasm') {
    throw new Error('the wasm kernel is not available in this build (src/kernel/index.ts exports no loadKernel)');
  }
  return mod.referenceKernel;
}
