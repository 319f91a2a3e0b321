import { readFileSync } from 'node:fs';
import { afterEach, describe, expect, it, vi } from 'vitest';
import { packagePath } from '../../src/assets.js';
import { bundledData, DATA_FILES, parseBundledData, setBundledData } from '../../src/data/index.js';

/** Modules the browser build bundles that read package files under Node. */
const MODULES = ['src/data/index.ts', 'src/assets.ts', 'src/version.ts'];

describe('bundled data outside Node', () => {
  afterEach(() => {
    vi.unstubAllGlobals();
    setBundledData(undefined);
  });

  it('no import of a node: module (types aside) in the modules that read package files', () => {
    for (const f of MODULES) {
      const text = readFileSync(packagePath(f), 'utf8');
      expect(text, f).not.toMatch(/from\s+['"](node:|fs['"]|path['"]|url['"])/);
      expect(text, f).not.toMatch(/(?<!typeof )import\(['"]node:/);
    }
  });

  it('without file access, bundledData() asks for setBundledData(parseBundledData(text))', () => {
    const texts = new Map(Object.values(DATA_FILES).map((f) => [f, readFileSync(packagePath(f), 'utf8')]));
    setBundledData(undefined);
    vi.stubGlobal('process', { ...process, getBuiltinModule: undefined });
    expect(() => bundledData()).toThrow(/setBundledData\(parseBundledData\(text\)\) first/);
    const data = parseBundledData((file) => texts.get(file)!);
    setBundledData(data);
    expect(bundledData()).toBe(data);
  });

  it('under Node, reads data/ on first use', () => {
    setBundledData(undefined);
    expect(bundledData().provinces).toHaveLength(31);
  });
});
