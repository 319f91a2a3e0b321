/**
 * Every document that the README or a command's --help names is in the package, as `npm pack`
 * would ship it (issue 16, item 14). Documents are the linked or named files that are not TypeScript
 * sources (the README also links to a few sources for readers of the repository, which the package
 * does not ship: those are left out here and listed so).
 */
import { execFileSync } from 'node:child_process';
import { existsSync, readdirSync, readFileSync, statSync } from 'node:fs';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';

const ROOT = fileURLToPath(new URL('../../', import.meta.url));
const CLI = join(ROOT, 'dist/src/cli/main.js');

/** The files `npm pack` puts in the tarball (no build, no scripts run). */
function packedFiles(): Set<string> {
  const out = execFileSync('npm', ['pack', '--dry-run', '--json', '--ignore-scripts'], {
    cwd: ROOT,
    encoding: 'utf8',
    stdio: ['ignore', 'pipe', 'ignore'],
  });
  return new Set((JSON.parse(out) as { files: { path: string }[] }[])[0]!.files.map((f) => f.path));
}

/** Relative link targets of a markdown text, without anchors. */
function links(md: string): string[] {
  return [...md.matchAll(/\]\((?!https?:|#|mailto:)([^)\s]+)\)/g)].map((m) => m[1]!.replace(/#.*$/, '')).filter((l) => l !== '');
}

/** Repository paths a help text names (src/…/README.md, bench/….md, data/…, web/README.md). */
function named(text: string): string[] {
  return [...text.matchAll(/\b((?:src|bench|data|web)\/[\w./-]*[\w/])/g)].map((m) => m[1]!);
}

/** The subcommands a commander help text lists under "Commands:". */
function subcommands(help: string): string[] {
  const section = help.split(/^Commands:$/m)[1] ?? '';
  return [...section.matchAll(/^ {2}([a-z][\w-]*)\b/gm)].map((m) => m[1]!).filter((c) => c !== 'help');
}

function helpTexts(): string[] {
  const help = (...args: string[]) => execFileSync(process.execPath, [CLI, ...args, '--help'], { cwd: ROOT, encoding: 'utf8' });
  const main = help();
  const texts = [main];
  for (const c of subcommands(main)) {
    const t = help(c);
    texts.push(t);
    for (const sub of subcommands(t)) texts.push(help(c, sub));
  }
  expect(texts.length).toBeGreaterThan(5);
  return texts;
}

describe('the documents the README and --help name are in the package', () => {
  const packed = packedFiles();
  const shipped = (p: string) => packed.has(p) || [...packed].some((f) => f.startsWith(p.endsWith('/') ? p : `${p}/`));
  // Not a document: a TypeScript source, or a folder of nothing but sources (src/analysis/).
  const document = (p: string) => {
    if (/\.ts$/.test(p)) return false;
    const dir = join(ROOT, p);
    if (!existsSync(dir) || !statSync(dir).isDirectory()) return true;
    return readdirSync(dir, { recursive: true, encoding: 'utf8' }).some((f) => !f.endsWith('.ts') && statSync(join(dir, f)).isFile());
  };

  it('README.md: every linked document', () => {
    const targets = links(readFileSync(join(ROOT, 'README.md'), 'utf8'));
    expect(targets).toEqual(expect.arrayContaining(['src/sweep/README.md', 'src/io/README.md', 'src/kernel/README.md', 'bench/README.md']));
    const missing = targets.filter(document).filter((t) => !shipped(t));
    expect(missing).toEqual([]);
  });

  it.skipIf(!existsSync(CLI))('--help of every command: every named document (needs `npm run build`)', () => {
    const targets = helpTexts().flatMap(named);
    expect(targets).toContain('src/sweep/README.md');
    expect(targets.filter(document).filter((t) => !shipped(t))).toEqual([]);
  });

  it('the shipped documents link to shipped documents', () => {
    const docs = [...packed].filter((f) => f.endsWith('.md') && !f.startsWith('dist/'));
    const missing = docs.flatMap((d) =>
      links(readFileSync(join(ROOT, d), 'utf8'))
        .map((l) => join(d, '..', l))
        .filter((t) => document(t) && !t.startsWith('..') && existsSync(join(ROOT, t)) && !shipped(t))
        .map((t) => `${d} → ${t}`),
    );
    expect(missing).toEqual([]);
  });
});
