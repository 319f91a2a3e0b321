/**
 * The kernel for the browser: the wasm kernel (src/kernel's loader fetches embodied.wasm by URL and
 * instantiates it streaming), or the reference TypeScript kernel if the wasm cannot be loaded,
 * with a note saying so (the page shows it).
 */
import type { Kernel } from '../kernel/api.js';
import { loadKernel, referenceKernel } from '../kernel/index.js';

export async function loadBrowserKernel(): Promise<{ kernel: Kernel; note: string }> {
  try {
    const kernel = await loadKernel();
    return { kernel, note: `${kernel.name} kernel (WebAssembly)` };
  } catch (e) {
    const why = e instanceof Error ? e.message : String(e);
    return { kernel: referenceKernel, note: `the wasm kernel failed to load (${why}); reference TypeScript kernel` };
  }
}
