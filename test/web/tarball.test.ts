/**
 * The packages as a web developer receives them (issue 17): `npm pack` of embodied, embodied-kernel
 * and embodied-model, installed from the tarballs into a fresh app; the app built for production with
 * Vite, esbuild, Rollup and webpack 5 (the repository's dev dependencies, run on the app's folder),
 * served and run in Debian's chromium; the same pages with Vite's dev server, from a plain
 * <script type="module"> with no bundler, and the packages imported in Node.
 * What each page checks: the wasm kernel solves a 2×2 Leontief system worked by hand, and the model
 * worker computes the demo model with kernel=wasm, equal to the model run in Node.
 * What it measures (test/output/package/sizes.json): the tarballs, a kernel-only install, and the
 * JavaScript + wasm bytes each page loads (raw and gzip -9).
 */
import { execFileSync } from 'node:child_process';
import { cpSync, existsSync, mkdirSync, mkdtempSync, readdirSync, readFileSync, rmSync, statSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, relative } from 'node:path';
import { fileURLToPath } from 'node:url';
import { gzipSync } from 'node:zlib';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { serveStatic, type StaticServer } from '../../src/cli/serve.js';
import { CHROMIUM, launchChromium } from './chromium.js';

const ROOT = fileURLToPath(new URL('../../', import.meta.url));
const OUT = join(ROOT, 'test', 'output', 'package');
const inCI = !!process.env.CI && process.env.CI !== 'false';
const built = existsSync(join(ROOT, 'packages/embodied-model/dist/index.js')) && existsSync(join(ROOT, 'dist/src/node.js'));
const run = (existsSync(CHROMIUM) && built) || inCI;
if (!run) console.warn('test/web/tarball: skipped: needs `npm run build` and Debian chromium (bash test/web/ensure-chromium.sh)');

// A = [[0.2, 0.3], [0.4, 0.1]]: I − A = [[0.8, −0.3], [−0.4, 0.9]], det 0.72 − 0.12 = 0.6, so
// L = (I − A)⁻¹ = [[0.9, 0.3], [0.4, 0.8]] / 0.6 = [[1.5, 0.5], [2/3, 4/3]] and x = L y for y = (1, 2) is (2.5, 10/3).
const HAND = { L: [1.5, 0.5, 2 / 3, 4 / 3], x: [2.5, 10 / 3] };

/** A page's script: the kernel from `kernelFrom`, loaded with `loadArgs`; the model worker if `worker`. */
function script(kernelFrom: string, opts: { loadArgs?: string; worker?: string; workerArgs?: string; head?: string } = {}): string {
  return `${opts.head ?? ''}
import { loadKernel } from '${kernelFrom}';
${opts.worker ? `import { createModelWorker } from '${opts.worker}';` : ''}
try {
  const k = await loadKernel(${opts.loadArgs ?? ''});
  const A = new Float64Array([0.2, 0.3, 0.4, 0.1]);
  const out = { kernel: k.name, L: [...k.leontief(A, 2)], x: [...k.solve(A, 2, new Float64Array([1, 2]), { leontief: true })] };
  ${
    opts.worker
      ? `const w = createModelWorker(${opts.workerArgs ?? ''});
  const ready = await w.ready;
  const r = await w.compute();
  Object.assign(out, { ready: ready.kernel, computed: r.kernel, rows: r.result.provinces.map((p) => [p.province, p.N, p.NP, p.T]) });`
      : ''
  }
  window.result = out;
} catch (e) {
  window.result = { error: String((e && e.stack) || e) };
}
`;
}

const html = (src: string) =>
  `<!doctype html><html><head><meta charset="utf-8"><link rel="icon" href="data:,"></head><body><script type="module" src="${src}"></script></body></html>\n`;

interface PageResult {
  error?: string;
  kernel: string;
  L: number[];
  x: number[];
  ready?: { name: string; fallback?: string };
  computed?: { name: string; fallback?: string };
  rows?: [string, number, number, number][];
}

/** The bundlers an app is built with, production builds. */
const BUNDLERS = ['vite', 'esbuild', 'rollup', 'webpack'] as const;
type Bundler = (typeof BUNDLERS)[number];

const close = (a: number, b: number, tol: number) => Math.abs(a - b) <= tol * Math.max(1, Math.abs(b));

describe.skipIf(!run)('the packed packages in apps built by Vite, esbuild, Rollup and webpack 5, a plain module script and Node', () => {
  const tmp = mkdtempSync(join(tmpdir(), 'embodied-pack-'));
  const app = join(tmp, 'app');
  const sizes: Record<string, unknown> = {};
  let expected: [string, number, number, number][];
  let browser: Awaited<ReturnType<typeof launchChromium>>;
  const servers: StaticServer[] = [];

  beforeAll(async () => {
    rmSync(OUT, { recursive: true, force: true });
    mkdirSync(OUT, { recursive: true });
    const pack = (...args: string[]) =>
      (
        JSON.parse(
          execFileSync('npm', ['pack', '--json', '--ignore-scripts', '--pack-destination', tmp, ...args], { cwd: ROOT, encoding: 'utf8' }),
        ) as {
          name: string;
          filename: string;
          size: number;
          unpackedSize: number;
        }[]
      ).map(({ name, filename, size, unpackedSize }) => ({ name, filename, size, unpackedSize }));
    const tarballs = [...pack(), ...pack('-w', 'embodied-kernel', '-w', 'embodied-model')];
    sizes.tarballs = tarballs;
    const tgz = Object.fromEntries(tarballs.map((t) => [t.name, join(tmp, t.filename)]));

    // A kernel-only user: what installing embodied-kernel puts on disk.
    const kernelOnly = join(tmp, 'kernel-only');
    mkdirSync(kernelOnly);
    writeFileSync(join(kernelOnly, 'package.json'), '{"name":"kernel-only","private":true,"type":"module"}\n');
    const install = (dir: string, specs: string[]) =>
      execFileSync('npm', ['install', '--no-audit', '--no-fund', '--prefer-offline', '--ignore-scripts', ...specs], {
        cwd: dir,
        stdio: 'pipe',
      });
    install(kernelOnly, [tgz['embodied-kernel']!]);
    sizes.kernelOnlyInstall = dirBytes(join(kernelOnly, 'node_modules'));

    // The app: all three packages (embodied brings the CLI's dependencies, from npm's cache or the registry).
    mkdirSync(app);
    writeFileSync(join(app, 'package.json'), '{"name":"app","private":true,"type":"module"}\n');
    install(app, [tgz['embodied-kernel']!, tgz['embodied-model']!, tgz.embodied!]);
    sizes.appInstall = dirBytes(join(app, 'node_modules'));

    // What the model in Node gives on the demo data (installed `embodied`, the wasm kernel).
    expected = JSON.parse(
      node(`
      const e = await import('embodied');
      const demo = e.demoDataset();
      const r = e.runModel({ provinces: demo.provinces, national: demo.national, sources: { emissions: demo.emissions } },
        e.referenceDataOf(e.bundledData()), e.DEFAULT_OPTIONS, await e.loadKernel());
      console.log(JSON.stringify(r.provinces.map((p) => [p.province, p.N, p.NP, p.T])));`),
    );
    expect(expected).toHaveLength(31);

    browser = await launchChromium({ width: 800, height: 600 });
  }, 300_000);

  afterAll(async () => {
    await browser?.close();
    for (const s of servers) await s.close();
    writeFileSync(join(OUT, 'sizes.json'), `${JSON.stringify(sizes, null, 2)}\n`);
    rmSync(tmp, { recursive: true, force: true });
  });

  function node(code: string): string {
    return execFileSync(process.execPath, ['--input-type=module', '-e', code], { cwd: app, encoding: 'utf8' }).trim().split('\n').at(-1)!;
  }

  function dirBytes(dir: string): number {
    let n = 0;
    for (const f of readdirSync(dir, { recursive: true, encoding: 'utf8' })) {
      const s = statSync(join(dir, f), { throwIfNoEntry: false });
      if (s?.isFile()) n += s.size;
    }
    return n;
  }

  /** Opens url, waits for window.result, and returns it with the JS and wasm files the page (and its workers) fetched. */
  async function open(url: string, allow = /^$/): Promise<{ result: PageResult; fetched: string[] }> {
    const page = await browser.context.newPage();
    const fetched: string[] = [];
    const problems: string[] = [];
    browser.context.on('response', (r) => {
      if (/\.(m?js|wasm)(\?|$)/.test(r.url())) fetched.push(r.url());
      if (r.status() >= 400) problems.push(`HTTP ${r.status()} ${r.url()}`);
    });
    page.on('pageerror', (e) => problems.push(e.message));
    try {
      await page.goto(url);
      await page.waitForFunction(() => (window as unknown as { result?: unknown }).result !== undefined, undefined, { timeout: 60_000 });
      const result = (await page.evaluate(() => (window as unknown as { result: PageResult }).result)) as PageResult;
      expect(problems.filter((p) => !allow.test(p))).toEqual([]);
      return { result, fetched: [...new Set(fetched)] };
    } finally {
      browser.context.removeAllListeners('response');
      await page.close();
    }
  }

  /** Bytes of the fetched JS and wasm, read from the served folder. */
  function bytesOf(urls: string[], server: StaticServer, dir: string) {
    let raw = 0;
    let gzip = 0;
    const files: string[] = [];
    for (const u of urls) {
      if (!u.startsWith(server.url)) continue;
      const file = join(dir, decodeURIComponent(new URL(u).pathname));
      const bytes = readFileSync(file);
      raw += bytes.length;
      gzip += gzipSync(bytes, { level: 9 }).length;
      files.push(relative(dir, file));
    }
    return { raw, gzip, files };
  }

  function checkKernel(r: PageResult) {
    expect(r.error).toBeUndefined();
    expect(r.kernel).toBe('wasm');
    r.L.forEach((v, i) => expect(close(v, HAND.L[i]!, 1e-15), `L[${i}] = ${v}`).toBe(true));
    r.x.forEach((v, i) => expect(close(v, HAND.x[i]!, 1e-15), `x[${i}] = ${v}`).toBe(true));
  }

  function checkModel(r: PageResult) {
    checkKernel(r);
    expect(r.ready).toEqual({ name: 'wasm' });
    expect(r.computed).toEqual({ name: 'wasm' });
    expect(r.rows).toHaveLength(31);
    r.rows!.forEach((row, i) => {
      expect(row[0]).toBe(expected[i]![0]);
      for (const j of [1, 2, 3]) expect(close(row[j] as number, expected[i]![j] as number, 1e-12), `${row[0]} column ${j}`).toBe(true);
    });
  }

  /** Serves dir, runs the app's three pages (below `prefix`) and records what the kernel and model pages fetched. */
  async function runApp(name: Bundler | 'plain', dir: string, prefix = ''): Promise<StaticServer> {
    const server = await serveStatic(dir);
    servers.push(server);
    const kernel = await open(`${server.url}${prefix}kernel.html`);
    checkKernel(kernel.result);
    checkKernel((await open(`${server.url}${prefix}readme.html`)).result);
    const model = await open(`${server.url}${prefix}model.html`);
    checkModel(model.result);
    sizes[name] = { kernel: bytesOf(kernel.fetched, server, dir), model: bytesOf(model.fetched, server, dir) };
    expect(kernel.fetched.some((u) => u.endsWith('.wasm'))).toBe(true);
    // SheetJS is not fetched for the demo data.
    expect(model.fetched.some((u) => /xlsx/.test(u))).toBe(false);
    return server;
  }

  /** The three pages of an app: the kernel alone, the README's `embodied/kernel`, the model worker. */
  function writePages(dir: string, scripts: Record<'kernel' | 'readme' | 'model', string>) {
    mkdirSync(dir);
    for (const [name, code] of Object.entries(scripts)) {
      writeFileSync(join(dir, `${name}.js`), code);
      writeFileSync(join(dir, `${name}.html`), html(`./${name}.js`));
    }
  }

  /** The three pages importing the packages by name, as an app's sources do; workerArgs: createModelWorker's options. */
  function writeAppPages(dir: string, workerArgs?: string) {
    writePages(dir, {
      kernel: script('embodied-kernel'),
      readme: script('embodied/kernel'),
      model: script('embodied/kernel', { worker: 'embodied/worker', workerArgs }),
    });
  }

  /** The pages' HTML beside a bundler's output. */
  function copyHtml(dir: string, out: string) {
    for (const p of ['kernel', 'readme', 'model']) cpSync(join(dir, `${p}.html`), join(out, `${p}.html`));
  }

  it('Node: each package imports and computes; the worker script and the client say they need a browser', () => {
    const out = JSON.parse(
      node(`
      const { loadKernel } = await import('embodied-kernel');
      const k = await loadKernel();
      const L = [...k.leontief(new Float64Array([0.2, 0.3, 0.4, 0.1]), 2)];
      const m = await import('embodied-model');
      const demo = m.demoDataset();
      const r = m.runModel({ provinces: demo.provinces, national: demo.national, sources: { emissions: demo.emissions } },
        m.referenceDataOf(m.bundledData()), m.DEFAULT_OPTIONS, await m.loadKernel());
      const errors = [];
      try { await import('embodied-model/worker'); } catch (e) { errors.push(e.message); }
      try { (await import('embodied/worker')).createModelWorker(); } catch (e) { errors.push(e.message); }
      console.log(JSON.stringify({ L, rows: r.provinces.map((p) => [p.province, p.N, p.NP, p.T]), errors }));`),
    );
    out.L.forEach((v: number, i: number) => expect(close(v, HAND.L[i]!, 1e-15)).toBe(true));
    // The types as a TypeScript user gets them: each entry resolves, the client's answers are typed.
    writeFileSync(
      join(app, 'check.ts'),
      `import { loadKernel, SingularMatrixError } from 'embodied-kernel';
import { runModel, type ModelResult } from 'embodied-model';
import { createModelWorker, type ModelWorkerResponse } from 'embodied/worker';
import { loadKernel as fromMain } from 'embodied/kernel';
export async function typed(): Promise<[string, ModelResult | undefined, ModelWorkerResponse['type'], boolean]> {
  const w = createModelWorker({ kernel: 'auto' });
  const r = await w.compute();
  const n: number = r.result.provinces[0]!.N;
  return [(await loadKernel()).name + (await fromMain()).name + r.kernel.name + n, typeof runModel === 'function' ? undefined : undefined, r.type, new SingularMatrixError(0, 1) instanceof Error];
}
`,
    );
    const tsc = join(ROOT, 'node_modules', 'typescript', 'bin', 'tsc');
    const flags = [
      '--noEmit',
      '--strict',
      '--module',
      'nodenext',
      '--moduleResolution',
      'nodenext',
      '--target',
      'es2022',
      '--lib',
      'es2022,dom',
    ];
    execFileSync(process.execPath, [tsc, ...flags, 'check.ts'], { cwd: app, encoding: 'utf8' });
    expect(out.rows).toEqual(expected);
    expect(out.errors).toEqual([
      expect.stringMatching(/^embodied's model worker is a Web Worker script: start it in a browser with createModelWorker\(\)/),
      expect.stringMatching(/^createModelWorker\(\) needs Web Workers \(a browser\); in Node call runModel/),
    ]);
  });

  it('Vite production build: the wasm and the worker emitted, kernel and model computed with kernel=wasm', async () => {
    const dir = join(app, 'vite');
    writeAppPages(dir);
    const vite = await import('vite');
    const input = Object.fromEntries(['kernel', 'readme', 'model'].map((p) => [p, join(dir, `${p}.html`)]));
    // worker.format 'es' (web/README.md): Vite's default 'iife' cannot split, and would inline SheetJS in the worker.
    await vite.build({
      root: dir,
      configFile: false,
      logLevel: 'error',
      worker: { format: 'es' },
      build: { outDir: join(dir, 'dist'), rollupOptions: { input } },
    });
    await runApp('vite', join(dir, 'dist'));
  }, 180_000);

  it("Vite's dev server: the same pages", async () => {
    const dir = join(app, 'vite');
    const vite = await import('vite');
    const server = await vite.createServer({
      root: dir,
      configFile: false,
      logLevel: 'error',
      worker: { format: 'es' },
      server: { port: 0, host: '127.0.0.1' },
    });
    await server.listen();
    try {
      const url = server.resolvedUrls!.local[0]!;
      checkKernel((await open(`${url}kernel.html`)).result);
      checkModel((await open(`${url}model.html`)).result);
    } finally {
      await server.close();
    }
  }, 180_000);

  it('esbuild: the wasm and the worker by the URLs esbuild gives them (it does not follow new URL)', async () => {
    const dir = join(app, 'esbuild');
    const head = "import wasmUrl from 'embodied-model/embodied.wasm';";
    writePages(dir, {
      kernel: script('embodied-kernel', { head: "import wasmUrl from 'embodied-kernel/embodied.wasm';", loadArgs: 'wasmUrl' }),
      readme: script('embodied/kernel', { head, loadArgs: 'wasmUrl' }),
      model: script('embodied/kernel', {
        head,
        loadArgs: 'wasmUrl',
        worker: 'embodied/worker',
        workerArgs: "{ worker: new URL('./worker.js', import.meta.url), wasmUrl }",
      }),
    });
    const esbuild = await import('esbuild');
    const out = join(dir, 'dist');
    await esbuild.build({
      absWorkingDir: dir,
      entryPoints: ['kernel.js', 'readme.js', 'model.js', { in: 'embodied-model/worker', out: 'worker' }],
      bundle: true,
      splitting: true,
      format: 'esm',
      minify: true,
      outdir: out,
      loader: { '.wasm': 'file' },
      logLevel: 'error',
    });
    copyHtml(dir, out);
    await runApp('esbuild', out);
  }, 180_000);

  it('Rollup (node-resolve, import-meta-assets): the wasm emitted by the plugin, the worker as an entry', async () => {
    const dir = join(app, 'rollup');
    // The worker's script is an entry of its own (it imports shared chunks), passed to the client by URL.
    const workerArgs = "{ worker: new URL('./worker.js', document.baseURI) }";
    writeAppPages(dir, workerArgs);
    const { rollup } = await import('rollup');
    const { nodeResolve } = await import('@rollup/plugin-node-resolve');
    const { importMetaAssets } = await import('@web/rollup-plugin-import-meta-assets');
    const input = {
      kernel: join(dir, 'kernel.js'),
      readme: join(dir, 'readme.js'),
      model: join(dir, 'model.js'),
      worker: 'embodied-model/worker',
    };
    const out = join(dir, 'dist');
    const bundle = await rollup({ input, plugins: [nodeResolve({ browser: true }), importMetaAssets()], logLevel: 'silent' });
    // No minifier: the packages' files are minified already, and re-minifying them (SheetJS's chunk
    // above all) costs half a minute for ~0.2 kB gzip of the page's own lines.
    await bundle.write({ dir: out, format: 'es' });
    await bundle.close();
    copyHtml(dir, out);
    await runApp('rollup', out);
  }, 180_000);

  it('webpack 5 (production, no configuration for the wasm or the worker): both emitted', async () => {
    const dir = join(app, 'webpack');
    writeAppPages(dir);
    const webpack = (await import('webpack')).default;
    const out = join(dir, 'dist');
    const stats = await new Promise<import('webpack').Stats>((resolve, reject) =>
      webpack(
        {
          mode: 'production',
          context: dir,
          entry: { kernel: './kernel.js', readme: './readme.js', model: './model.js' },
          output: { path: out, filename: '[name].js' },
        },
        (err, s) => (err || !s ? reject(err ?? new Error('webpack gave no stats')) : resolve(s)),
      ),
    );
    expect(stats.hasErrors(), stats.toString('errors-only')).toBe(false);
    copyHtml(dir, out);
    await runApp('webpack', out);
  }, 180_000);

  it('a plain <script type="module">, no bundler: the packages’ files as installed', async () => {
    const dir = join(app, 'plain');
    writePages(dir, {
      kernel: script('../node_modules/embodied-kernel/dist/index.js'),
      readme: script('../node_modules/embodied-model/dist/kernel.js'),
      model: script('../node_modules/embodied-model/dist/kernel.js', { worker: '../node_modules/embodied-model/dist/client.js' }),
    });
    const server = await runApp('plain', app, 'plain/');

    // A wasm URL that is not there: the default kernel choice fails and says where; 'auto' falls back and says so in every answer.
    const client = '../node_modules/embodied-model/dist/client.js';
    writeFileSync(
      join(dir, 'fallback.js'),
      `import { createModelWorker } from '${client}';
const strict = await createModelWorker({ wasmUrl: './missing.wasm' }).ready.then((r) => r.kernel, (e) => e.message);
const w = createModelWorker({ kernel: 'auto', wasmUrl: './missing.wasm' });
window.result = { strict, ready: (await w.ready).kernel, computed: (await w.compute()).kernel, demo: (await w.demo()).kernel };
`,
    );
    writeFileSync(join(dir, 'fallback.html'), html('./fallback.js'));
    const fallback = (await open(`${server.url}plain/fallback.html`, /^HTTP 404 .*missing\.wasm$/)).result as unknown as Record<
      string,
      unknown
    >;
    expect(fallback.strict).toBe(`cannot fetch the wasm kernel from ${server.url}plain/missing.wasm: HTTP 404`);
    const reported = {
      name: 'reference',
      fallback: `the wasm kernel did not load (cannot fetch the wasm kernel from ${server.url}plain/missing.wasm: HTTP 404); using the reference TypeScript kernel`,
    };
    expect(fallback).toMatchObject({ ready: reported, computed: reported, demo: reported });
  }, 180_000);

  it('sizes: tarball < 800 kB, kernel alone < 20 kB gzip through a bundler, model on the demo data < 120 kB gzip', () => {
    const main = (sizes.tarballs as { name: string; size: number }[]).find((t) => t.name === 'embodied')!;
    expect(main.size).toBeLessThan(800_000);
    for (const b of [...BUNDLERS, 'plain'] as const) {
      const s = sizes[b] as { kernel: { gzip: number }; model: { gzip: number } } | undefined;
      if (!s) continue; // its own test failed
      // Issue 17's target: the kernel alone under 20 kB through a bundler (the Kernel API's wasm module
      // and the loadKernel code the bundler keeps). A plain module script has no tree-shaking: it loads
      // the package's whole entry, the reference kernel and the reference path search included (24 kB).
      expect(s.kernel.gzip, `${b}: kernel`).toBeLessThan(b === 'plain' ? 25_000 : 20_000);
      expect(s.model.gzip, `${b}: model`).toBeLessThan(120_000);
    }
  });
});
