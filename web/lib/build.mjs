/**
 * The package's browser builds, bundled with esbuild from the same sources (`npm run build:browser`,
 * after `build:wasm` and `build:ts`):
 *   packages/embodied-kernel/dist/  the kernel alone: index.js + embodied.wasm (the Kernel API's
 *                                   module, src/kernel/embodied-kernel.wasm) + types
 *   packages/embodied-model/dist/   the model: index.js (src/index.ts with the reference data
 *                                   inlined), kernel.js, client.js (createModelWorker), worker.js,
 *                                   shared chunks, SheetJS as a chunk loaded on demand, embodied.wasm
 *                                   (the model's module, with the row batch and the path search), types
 *   dist/browser/                   the `embodied` package's browser entries: re-exports of embodied-model
 * esbuild leaves `new URL('./embodied.wasm', import.meta.url)` and `new URL('./worker.js', …)` as
 * they are, so the app's bundler finds the files beside the modules. platform 'browser' makes a
 * static import of a Node built-in a build error.
 */
import { cpSync, existsSync, mkdirSync, readdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { build } from 'esbuild';

const root = fileURLToPath(new URL('../../', import.meta.url));
const at = (p) => join(root, p);

/** Vite's `?raw` imports (web/src/bundled.ts): the file's text. */
const rawText = {
  name: 'raw-text',
  setup(b) {
    b.onResolve({ filter: /\?raw$/ }, (args) => ({ path: join(args.resolveDir, args.path.slice(0, -'?raw'.length)), namespace: 'raw' }));
    b.onLoad({ filter: /.*/, namespace: 'raw' }, (args) => ({ contents: readFileSync(args.path, 'utf8'), loader: 'text' }));
  },
};

const common = {
  bundle: true,
  format: 'esm',
  platform: 'browser',
  target: 'es2022',
  minify: true,
  // Maps carry the sources (sourcesContent), so they are useful without the sources shipped.
  sourcemap: 'linked',
  legalComments: 'eof',
  // csv-parse's default ESM entry uses Node's global Buffer; this one does not.
  alias: { 'csv-parse/sync': at('node_modules/csv-parse/dist/esm/sync.js') },
  plugins: [rawText],
  logLevel: 'warning',
};

/** The tsc declarations below dist/ (src/, web/) copied under out/types/, minus the Node-only commands. */
function copyTypes(out, dirs) {
  for (const d of dirs) {
    const from = at(`dist/${d}`);
    for (const f of readdirSync(from, { recursive: true, encoding: 'utf8' })) {
      if (!f.endsWith('.d.ts') || /^(cli|benchmark|sweep)\//.test(f)) continue;
      const to = join(out, 'types', d, f);
      mkdirSync(dirname(to), { recursive: true });
      cpSync(join(from, f), to);
    }
  }
}

function fresh(dir) {
  rmSync(dir, { recursive: true, force: true });
  mkdirSync(dir, { recursive: true });
  return dir;
}

for (const f of ['embodied.wasm', 'embodied-kernel.wasm']) {
  if (!existsSync(at(`src/kernel/${f}`))) throw new Error(`src/kernel/${f} is missing: npm run build:wasm first`);
}
if (!existsSync(at('dist/src/index.d.ts'))) throw new Error('dist/src/index.d.ts is missing: npm run build:ts first');

const kernel = fresh(at('packages/embodied-kernel/dist'));
await build({ ...common, entryPoints: { index: at('src/kernel/index.ts') }, outdir: kernel });
cpSync(at('src/kernel/embodied-kernel.wasm'), join(kernel, 'embodied.wasm'));
copyTypes(kernel, ['src/kernel']);

const model = fresh(at('packages/embodied-model/dist'));
await build({
  ...common,
  entryPoints: {
    index: at('web/lib/index.ts'),
    kernel: at('src/kernel/index.ts'),
    client: at('web/src/worker/client.ts'),
    worker: at('web/src/worker/worker.ts'),
  },
  outdir: model,
  splitting: true,
  // Chunks beside the entries: the kernel's and the client's `new URL('./…', import.meta.url)` stay right.
  chunkNames: '[name]-[hash]',
});
cpSync(at('src/kernel/embodied.wasm'), join(model, 'embodied.wasm'));
// SheetJS's own map (2 MB) maps minified code to its minified release: not shipped.
for (const f of readdirSync(model).filter((f) => /^xlsx-.*\.js$/.test(f))) {
  rmSync(join(model, `${f}.map`));
  writeFileSync(join(model, f), readFileSync(join(model, f), 'utf8').replace(/\n\/\/# sourceMappingURL=.*\n?$/, '\n'));
}
copyTypes(model, ['src', 'web']);

const browser = fresh(at('dist/browser'));
const stubs = { 'index.js': 'embodied-model', 'kernel.js': 'embodied-model/kernel', 'worker.js': 'embodied-model/client' };
for (const [file, target] of Object.entries(stubs)) writeFileSync(join(browser, file), `export * from '${target}';\n`);
