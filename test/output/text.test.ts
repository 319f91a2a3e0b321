/** CSV text and markdown tables: one writer each, browser-safe. */
import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { csvText, tableCsv } from '../../src/output/csv.js';
import { markdownTable } from '../../src/output/markdown.js';

describe('tableCsv', () => {
  it('writes numbers at full precision, null as an empty cell, and quotes what needs it', () => {
    expect(
      tableCsv({
        columns: ['a', 'b,c', 'd'],
        rows: [
          ['x, y', 0.1 + 0.2, null],
          ['say "hi"', -0, 'two\nlines'],
        ],
      }),
    ).toBe('a,"b,c",d\n"x, y",0.30000000000000004,\n"say ""hi""",0,"two\nlines"\n');
  });

  it('is csvText of the header and the rows', () => {
    const t = { columns: ['p', 'v'], rows: [['Beijing', 1.5]] };
    expect(tableCsv(t)).toBe(csvText([t.columns, ...t.rows]));
  });
});

describe('markdownTable', () => {
  const t = {
    columns: ['province', 'N', 'output_share'],
    rows: [
      ['Beijing', 1.23456, 12.3456],
      ['Tibet', null, 0],
    ],
  };

  it('formats numbers (3 decimals, 2 in share columns), null as –, and right-aligns number columns', () => {
    expect(markdownTable(t)).toBe(
      ['| province | N | output_share |', '| --- | ---: | ---: |', '| Beijing | 1.235 | 12.35 |', '| Tibet | – | 0.00 |'].join('\n'),
    );
  });

  it('writes the tight rule and the alignment it is given', () => {
    expect(markdownTable({ columns: ['a', 'b'], rows: [['x', '1.0']] }, { right: [false, true], tight: true })).toBe(
      '| a | b |\n|---|---:|\n| x | 1.0 |',
    );
  });
});

describe('src/output layering', () => {
  it('the CSV and markdown modules import no Node built-in (the page bundles them)', () => {
    for (const f of ['csv.ts', 'markdown.ts', 'table.ts']) {
      const text = readFileSync(new URL(`../../src/output/${f}`, import.meta.url), 'utf8');
      expect(text, f).not.toMatch(/from\s+['"](node:|fs['"]|path['"]|crypto['"])/);
      expect(text, f).not.toMatch(/from\s+['"]csv-stringify\/sync['"]/);
    }
  });

  it('src/output imports nothing from the layers above it', () => {
    for (const f of ['csv.ts', 'markdown.ts', 'table.ts', 'sha256.ts', 'atomic.ts', 'folder.ts']) {
      const text = readFileSync(new URL(`../../src/output/${f}`, import.meta.url), 'utf8');
      expect(text, f).not.toMatch(/from\s+['"]\.\.\//);
    }
  });
});
