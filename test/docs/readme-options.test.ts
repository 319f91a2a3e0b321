/**
 * The options are written once, in OPTIONS (src/model/options.ts). The README's option table must
 * say the same, word for word, and the method document (src/model/README.md) must have a section
 * for each option that names every value: a change made in one place fails here until the other
 * follows.
 */
import { readFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';
import { OPTIONS } from '../../src/model/options.js';
import { MRIO_OPTIONS } from '../../src/mrio/options.js';

const read = (path: string) => readFileSync(fileURLToPath(new URL(`../../${path}`, import.meta.url)), 'utf8').split('\n');

/** The README row of one option: name, summary, then each value and its description, default first. */
function readmeRow(name: string, o: { summary: string; values: Readonly<Record<string, string>> }): string {
  const values = Object.entries(o.values).map(([v, text]) => `\`${v}\`: ${text}`);
  return `| \`${name}\` | ${o.summary} | ${values.join(' · ')} |`;
}

/** The lines of a markdown section, from its heading to the next heading of the same or a higher level, with 1-based line numbers. */
function section(lines: string[], heading: string): { line: number; text: string }[] {
  const start = lines.indexOf(heading);
  if (start < 0) throw new Error(`no heading "${heading}"`);
  const level = heading.indexOf(' ');
  const out: { line: number; text: string }[] = [];
  for (let i = start + 1; i < lines.length; i++) {
    const m = /^(#+) /.exec(lines[i]!);
    if (m && m[1]!.length <= level) break;
    out.push({ line: i + 1, text: lines[i]! });
  }
  return out;
}

describe("README.md's option table", () => {
  const rows = section(read('README.md'), '### Method options').filter((l) => l.text.startsWith('| `'));

  it('has one row per option of OPTIONS, in its order', () => {
    expect(
      rows.map((r) => /^\| `([^`]+)`/.exec(r.text)![1]),
      'README.md, "### Method options": the option names differ from OPTIONS in src/model/options.ts',
    ).toEqual(Object.keys(OPTIONS));
  });

  it('says what OPTIONS says, word for word', () => {
    Object.entries(OPTIONS).forEach(([name, o], k) => {
      const row = rows[k];
      expect(
        row?.text,
        `README.md line ${row?.line}: the row of option "${name}" differs from OPTIONS in src/model/options.ts; change the one that is stale`,
      ).toBe(readmeRow(name, o));
    });
  });
});

describe('the method document, src/model/README.md', () => {
  const doc = read('src/model/README.md');

  it('has a section for each option of OPTIONS that names each of its values', () => {
    for (const [name, o] of Object.entries(OPTIONS)) {
      const text = section(doc, `### \`${name}\``)
        .map((l) => l.text)
        .join('\n');
      for (const value of Object.keys(o.values))
        expect(text, `src/model/README.md, section ${name}: value ${value} is not described`).toContain(`\`${value}\``);
    }
  });

  it("describes each value of the MRIO's balance option", () => {
    const text = section(doc, '### `balance`')
      .map((l) => l.text)
      .join('\n');
    for (const value of Object.keys(MRIO_OPTIONS.balance.values))
      expect(text, `src/model/README.md, section balance: value ${value} is not described`).toContain(`\`${value}\``);
  });
});

/** GitHub's anchor of a heading: lower case, punctuation other than - and _ dropped, spaces to -. */
const anchor = (heading: string) =>
  heading
    .replace(/^#+ /, '')
    .toLowerCase()
    .replace(/[^\p{L}\p{N} _-]/gu, '')
    .replace(/ /g, '-');

describe('links into the method document', () => {
  const anchors = new Set(
    read('src/model/README.md')
      .filter((l) => /^#+ /.test(l))
      .map(anchor),
  );

  it('every #section link inside it names one of its headings', () => {
    const links = read('src/model/README.md').flatMap((l) => [...l.matchAll(/\]\(#([^)]+)\)/g)].map((m) => m[1]!));
    expect(links.length).toBeGreaterThan(0);
    for (const a of links) expect(anchors, `src/model/README.md links to #${a}, which is no heading of it`).toContain(a);
  });

  it("the README's links to it name its headings", () => {
    const links = read('README.md').flatMap((l) => [...l.matchAll(/src\/model\/README\.md#([^)\s]+)/g)].map((m) => m[1]!));
    for (const a of links) expect(anchors, `README.md links to src/model/README.md#${a}, which is no heading of it`).toContain(a);
  });
});
