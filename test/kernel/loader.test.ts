/** Loading the wasm module: cached loadKernel, explicit bytes, and the module next to the loader. */
import { readFile } from 'node:fs/promises';
import { describe, expect, it } from 'vitest';
import { instantiateKernel, loadKernel, WASM_URL } from '../../src/kernel/index.js';

describe('wasm loader', () => {
  it('loadKernel() is cached', async () => {
    const a = loadKernel();
    const b = loadKernel();
    expect(a).toBe(b);
    expect((await a).name).toBe('wasm');
  });

  it('finds embodied.wasm next to the loader', () => {
    expect(WASM_URL.pathname.endsWith('/src/kernel/embodied.wasm')).toBe(true);
  });

  it('instantiates from bytes, independent of the cached instance', async () => {
    const k = await instantiateKernel(await readFile(WASM_URL));
    const cached = await loadKernel();
    expect(k).not.toBe(cached);
    const L = k.leontief(new Float64Array([0.15, 0.25, 0.2, 0.05]), 2);
    expect(L[0]).toBeCloseTo(0.95 / 0.7575, 15);
  });

  it('loadKernel(url) loads from an explicit location', async () => {
    const k = await loadKernel(WASM_URL);
    expect(k.name).toBe('wasm');
  });
});
