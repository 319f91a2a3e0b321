/** The core of src/inputs runs in the page's worker: nothing it imports, directly or not, may import a Node built-in. */
import { existsSync, readFileSync } from 'node:fs';
import { dirname, join, relative, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';

const ROOT = resolve(dirname(fileURLToPath(import.meta.url)), '..', '..');

/** Every module reached from `entry` by static relative imports. */
function reached(entry: string): string[] {
  const seen = new Set<string>();
  const visit = (file: string) => {
    if (seen.has(file)) return;
    seen.add(file);
    const text = readFileSync(file, 'utf8');
    for (const [, spec] of text.matchAll(/^(?:import|export)\s[^;]*?from\s+'(\.[^']+)'/gms)) {
      const ts = resolve(dirname(file), spec!).replace(/\.js$/, '.ts');
      if (existsSync(ts)) visit(ts);
    }
  };
  visit(entry);
  return [...seen];
}

describe('src/inputs layering', () => {
  it('the core and what it imports use no Node built-in (the Node part is node.ts)', () => {
    const files = reached(join(ROOT, 'src/inputs/index.ts'));
    expect(files.map((f) => relative(ROOT, f))).toContain('src/io/provincial-set.ts');
    for (const f of files) expect(readFileSync(f, 'utf8'), relative(ROOT, f)).not.toMatch(/from\s+['"](node:|fs['"]|path['"]|os['"])/);
  });
});
