import { readdirSync, readFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';

const SRC = join(dirname(fileURLToPath(import.meta.url)), '..', '..', 'src', 'io');
/** Modules that may use Node built-ins: the path helpers. */
const NODE_ONLY = new Set(['node.ts']);

describe('src/io layering', () => {
  const files = readdirSync(SRC).filter((f) => f.endsWith('.ts'));

  it('byte-level readers import no Node built-ins (they must bundle for a browser)', () => {
    for (const f of files.filter((x) => !NODE_ONLY.has(x))) {
      const text = readFileSync(join(SRC, f), 'utf8');
      expect(text, f).not.toMatch(/from\s+['"](node:|fs['"]|path['"]|os['"])/);
      expect(text, f).not.toMatch(/\bBuffer\.(from|alloc|isBuffer)\b/);
    }
  });

  it('only spreadsheet.ts imports the spreadsheet library', () => {
    for (const f of files) {
      const text = readFileSync(join(SRC, f), 'utf8');
      if (f === 'spreadsheet.ts') expect(text).toMatch(/from '@e965\/xlsx'/);
      else expect(text, f).not.toMatch(/(from\s+|import\(|require\()['"][^'"]*xlsx['"]/);
    }
  });
});
