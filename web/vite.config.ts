/**
 * Vite config of the page (web/, `npm run web:build`) and of the package's browser build
 * (`vite build --mode lib`, `npm run web:lib`: dist/browser/).
 * Node built-ins must never reach a browser bundle: the `no-node-builtins` plugin fails the build
 * if any module imports one.
 */
import { readFileSync } from 'node:fs';
import { builtinModules } from 'node:module';
import { fileURLToPath } from 'node:url';
import { defineConfig, type Plugin } from 'vite';

const root = fileURLToPath(new URL('.', import.meta.url));
const repo = fileURLToPath(new URL('..', import.meta.url));

const builtins = new Set([...builtinModules, ...builtinModules.map((m) => `node:${m}`)]);

/**
 * Fails the build on a static import of a Node built-in. A dynamic import of one (the kernel
 * loader's `await import('node:fs/promises')`, reached only under Node) is rewritten to a rejected
 * promise, and the finished chunks are checked, so no Node built-in is left in the browser bundle.
 */
export function noNodeBuiltins(): Plugin {
  // Not in type positions (`typeof import('node:fs')`), which the TypeScript transform drops.
  const dynamic = /(?<!typeof\s*)\bimport\s*\(\s*(?:\/\*[^*]*\*\/\s*)?(['"`])(node:[\w/]+)\1\s*\)/g;
  const isBuiltin = (s: string) => builtins.has(s) || s.startsWith('node:');
  return {
    name: 'no-node-builtins',
    enforce: 'pre',
    resolveId(source, importer) {
      if (!isBuiltin(source)) return null;
      this.error(`${importer ?? '?'} imports the Node built-in "${source}", which must not reach the browser bundle`);
    },
    transform(code, id) {
      if (id.includes('node_modules') || !code.includes('node:')) return null;
      const out = code.replace(
        dynamic,
        (_m, _q, name: string) => `Promise.reject(new Error(${JSON.stringify(`${name} is not available in the browser`)}))`,
      );
      return out === code ? null : { code: out, map: null };
    },
    renderChunk(code, chunk) {
      const m = /(?:from\s*|import\s*\(\s*|require\s*\(\s*)['"`](node:[\w/]+)['"`]/.exec(code);
      if (m) this.error(`${chunk.fileName} still imports the Node built-in ${m[1]}`);
      return null;
    },
  };
}

/**
 * Library build: keeps the kernel's `new URL('./embodied.wasm', import.meta.url)` as it is (Vite's
 * library mode would inline the module as a base64 data: URL) and puts embodied.wasm beside the
 * chunks, so that browsers fetch it by URL and compile it while streaming.
 */
function wasmBesideChunks(): Plugin {
  const wasm = fileURLToPath(new URL('../src/kernel/embodied.wasm', import.meta.url));
  return {
    name: 'wasm-beside-chunks',
    enforce: 'pre',
    transform(code, id) {
      if (!/[\\/]src[\\/]kernel[\\/]load\.ts$/.test(id)) return null;
      const out = code.replace(
        /new URL\((['"])\.\/embodied\.wasm\1,\s*import\.meta\.url\)/,
        "new URL('./embodied.wasm', import.meta['url'])",
      );
      if (out === code) this.error("src/kernel/load.ts no longer has new URL('./embodied.wasm', import.meta.url)");
      return { code: out, map: null };
    },
    generateBundle() {
      this.emitFile({ type: 'asset', fileName: 'embodied.wasm', source: readFileSync(wasm) });
    },
  };
}

export default defineConfig(({ mode }) => {
  const lib = mode === 'lib';
  return {
    root,
    base: './',
    publicDir: false,
    plugins: lib ? [noNodeBuiltins(), wasmBesideChunks()] : [noNodeBuiltins()],
    worker: { format: 'es', plugins: () => [noNodeBuiltins()] },
    server: { fs: { allow: [repo] } },
    build: lib
      ? {
          // The self-contained browser ESM build of the package ("browser" condition, and for a plain
          // <script type="module">): dist/browser/{index,kernel}.js, embodied.wasm fetched by URL.
          outDir: fileURLToPath(new URL('../dist/browser', import.meta.url)),
          emptyOutDir: true,
          target: 'es2022',
          sourcemap: true,
          minify: false,
          assetsInlineLimit: 0,
          lib: {
            entry: {
              index: fileURLToPath(new URL('./lib/index.ts', import.meta.url)),
              kernel: fileURLToPath(new URL('../src/kernel/index.ts', import.meta.url)),
              worker: fileURLToPath(new URL('./src/worker/worker.ts', import.meta.url)),
            },
            formats: ['es' as const],
          },
        }
      : {
          outDir: fileURLToPath(new URL('./dist', import.meta.url)),
          emptyOutDir: true,
          target: 'es2022',
          sourcemap: true,
          assetsInlineLimit: 0,
        },
  };
});
