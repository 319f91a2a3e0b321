/**
 * The package's entry points: the exports map names files the build makes from sources that exist;
 * `import 'embodied'` and `import 'embodied/kernel'` work in Node (a child process, as a user's
 * code would import the package); the browser build has no Node built-in and keeps the wasm a file.
 * The browser build running from a plain <script type="module"> is checked in page.test.ts.
 */
import { execFileSync } from 'node:child_process';
import { existsSync, readdirSync, readFileSync } from 'node:fs';
import { join, relative } from 'node:path';
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';

const ROOT = fileURLToPath(new URL('../../', import.meta.url));
const pkg = JSON.parse(readFileSync(join(ROOT, 'package.json'), 'utf8')) as {
  exports: Record<string, unknown>;
  types: string;
  files: string[];
};

/** Every target path in the exports map, with its conditions. */
function targets(v: unknown, conditions: string[] = []): { path: string; conditions: string[] }[] {
  if (typeof v === 'string') return [{ path: v, conditions }];
  return Object.entries(v as Record<string, unknown>).flatMap(([k, w]) => targets(w, [...conditions, k]));
}

/** The source a dist path is built from (tsc: dist/src/x.js ← src/x.ts, dist/web/… ← web/…; dist/browser/*: web/lib/build.mjs). */
function sourceOf(path: string): string | null {
  const p = path.replace(/^\.\//, '');
  if (p === 'dist/src/kernel/embodied.wasm') return 'assembly/index.ts';
  if (p.startsWith('dist/src/') || p.startsWith('dist/web/')) return p.replace(/^dist\//, '').replace(/\.d\.ts$|\.js$/, '.ts');
  if (/^dist\/browser\/(index|kernel|worker)\.js$/.test(p)) return 'web/lib/build.mjs';
  return null;
}

/** Whether an entry of "files" (a folder, a file or a simple glob) covers path. */
function covers(entry: string, path: string): boolean {
  if (!entry.includes('*')) return path.startsWith(entry);
  const re = new RegExp(
    `^${entry
      .replace(/[.+?^${}()|[\]\\]/g, '\\$&')
      .replace(/\*\*\//g, '(?:.*/)?')
      .replace(/\*/g, '[^/]*')}$`,
  );
  return re.test(path);
}

describe('package entry points', () => {
  it('exports map: main and kernel entries for node and browsers, each built from an existing source', () => {
    expect(Object.keys(pkg.exports)).toEqual(expect.arrayContaining(['.', './kernel', './package.json']));
    const all = Object.entries(pkg.exports).flatMap(([sub, v]) => targets(v).map((t) => ({ sub, ...t })));
    for (const t of all) {
      if (t.path.includes('*') || t.path === './package.json') continue;
      const src = sourceOf(t.path);
      expect(src, `${t.sub} → ${t.path}: not a build output`).not.toBeNull();
      expect(existsSync(join(ROOT, src!)), `${t.sub} → ${t.path}: source ${src} missing`).toBe(true);
      // Every target is shipped.
      expect(
        pkg.files.some((f) => covers(f, t.path.replace(/^\.\//, ''))),
        `${t.path} not in "files"`,
      ).toBe(true);
    }
    // The "." entry has a node and a browser build, each with types.
    const main = pkg.exports['.'] as Record<string, { types: string; default: string }>;
    for (const c of ['node', 'browser', 'default']) expect(main[c]?.types).toMatch(/\.d\.ts$/);
    expect(pkg.types).toBe('./dist/src/index.d.ts');
  });

  it('the browser entry imports no Node built-in, directly or through what it imports', () => {
    // A static walk of relative imports from src/index.ts and the worker (type-only imports excluded).
    const seen = new Set<string>();
    const offenders: string[] = [];
    const walk = (file: string) => {
      if (seen.has(file)) return;
      seen.add(file);
      const text = readFileSync(file, 'utf8');
      for (const m of text.matchAll(/^\s*(?:import|export)\s+(?!type\b)[^'";]*?from\s+'([^']+)'/gm)) {
        const spec = m[1]!;
        if (spec.includes('?')) continue; // Vite/esbuild text imports (data/*.csv?raw)
        if (spec.startsWith('node:') || ['fs', 'path', 'os', 'url', 'crypto', 'child_process'].includes(spec)) {
          offenders.push(`${file.slice(ROOT.length)} imports ${spec}`);
        } else if (spec.startsWith('.')) {
          walk(join(file, '..', spec.replace(/\.js$/, '.ts')));
        }
      }
    };
    walk(join(ROOT, 'src/index.ts'));
    walk(join(ROOT, 'web/src/worker/worker.ts'));
    expect(offenders).toEqual([]);
    expect(seen.size).toBeGreaterThan(20);
  });

  it('the sources of the package import nothing from bench/ or web/ (both are leaves above it)', () => {
    const offenders: string[] = [];
    const files = readdirSync(join(ROOT, 'src'), { recursive: true, encoding: 'utf8' }).filter((f) => f.endsWith('.ts'));
    for (const f of files) {
      const text = readFileSync(join(ROOT, 'src', f), 'utf8');
      for (const m of text.matchAll(/(?:\bfrom\s*|\bimport\s*\(\s*)'(\.[^']*)'/g)) {
        const target = relative(ROOT, join(ROOT, 'src', f, '..', m[1]!));
        if (/^(bench|web)\//.test(target)) offenders.push(`src/${f} imports ${m[1]}`);
      }
    }
    expect(files.length).toBeGreaterThan(50);
    expect(offenders).toEqual([]);
  });

  const built = existsSync(join(ROOT, 'dist/src/node.js')) && existsSync(join(ROOT, 'dist/src/kernel/embodied.wasm'));
  it.skipIf(!built)("Node: import 'embodied' and 'embodied/kernel' (needs `npm run build`)", () => {
    const script = `
      const e = await import('embodied');
      const { loadKernel } = await import('embodied/kernel');
      const kernel = await loadKernel();
      const demo = e.demoDataset();
      const r = e.runModel({ provinces: demo.provinces, national: demo.national, sources: { emissions: demo.emissions } },
        e.referenceDataOf(e.bundledData()), e.DEFAULT_OPTIONS, kernel);
      const csv = e.tableCsv(e.provincesTable(r, { provinces: e.bundledData().provinces, regions: e.REGIONS, sectorNames: new Map() }));
      console.log(JSON.stringify({ kernel: kernel.name, provinces: r.provinces.length, ok: r.checks.every((c) => c.ok), lines: csv.trim().split('\\n').length }));
    `;
    const out = execFileSync(process.execPath, ['--input-type=module', '-e', script], { cwd: ROOT, encoding: 'utf8' });
    expect(JSON.parse(out.trim().split('\n').at(-1)!)).toEqual({ kernel: 'wasm', provinces: 31, ok: true, lines: 32 });
  });
});
