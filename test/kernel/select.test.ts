/** selectKernel: the one choice of kernel, and the fallback of 'auto' with its reason. */
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { pathToFileURL } from 'node:url';
import { afterAll, describe, expect, it } from 'vitest';
import { KERNEL_CHOICES, loadKernel, referenceKernel, selectKernel, type KernelChoice } from '../../src/kernel/index.js';

const dir = mkdtempSync(join(tmpdir(), 'embodied-select-'));
afterAll(() => rmSync(dir, { recursive: true, force: true }));

describe('selectKernel', () => {
  it("'auto' is the cached wasm kernel, with no fallback", async () => {
    const s = await selectKernel();
    expect(s.kernel.name).toBe('wasm');
    expect(s.kernel).toBe(await loadKernel());
    expect(s).not.toHaveProperty('fallback');
  });

  it("'reference' is the TypeScript kernel", async () => {
    expect(await selectKernel('reference')).toEqual({ kernel: referenceKernel });
  });

  it("warmUp: 'off' gives a fresh wasm instance", async () => {
    const s = await selectKernel('wasm', { warmUp: 'off' });
    expect(s.kernel.name).toBe('wasm');
    expect(s.kernel).not.toBe(await loadKernel());
    expect(s.kernel.leontief(new Float64Array([0.5]), 1)[0]).toBe(2);
  });

  it("'auto' falls back to the reference kernel when the module is missing, and says why", async () => {
    const url = pathToFileURL(join(dir, 'missing.wasm'));
    const s = await selectKernel('auto', { url });
    expect(s.kernel).toBe(referenceKernel);
    expect(s.fallback).toMatch(/^the wasm kernel did not load \(.*ENOENT.*missing\.wasm.*\); using the reference TypeScript kernel$/);
  });

  it("'auto' falls back when the bytes are not a wasm module (uncached path too)", async () => {
    const file = join(dir, 'broken.wasm');
    writeFileSync(file, 'not wasm');
    for (const warmUp of ['eager', 'off'] as const) {
      const s = await selectKernel('auto', { url: pathToFileURL(file), warmUp });
      expect(s.kernel).toBe(referenceKernel);
      expect(s.fallback).toMatch(
        /^the wasm kernel did not load \(.*not a WebAssembly module: got no content type, 8 bytes starting `not `.*\); using the reference TypeScript kernel$/i,
      );
    }
  });

  it("'wasm' does not fall back: it fails with the loader's error", async () => {
    await expect(selectKernel('wasm', { url: pathToFileURL(join(dir, 'missing.wasm')) })).rejects.toThrow(/ENOENT/);
  });

  it("'threads' is the threaded wasm kernel", async () => {
    const { kernel, fallback } = await selectKernel('threads', { threads: 2 });
    try {
      expect(kernel.name).toBe('wasm-threads');
      expect(kernel.threads).toBe(2);
      expect(fallback).toBeUndefined();
    } finally {
      await kernel.close();
    }
  });

  it('an unknown choice is a RangeError naming the choices', async () => {
    await expect(selectKernel('fast' as KernelChoice)).rejects.toThrow(`unknown kernel 'fast': choose from ${KERNEL_CHOICES.join(', ')}`);
  });
});
