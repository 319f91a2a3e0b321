/**
 * Vite config of the page (web/, `npm run web:build`). The package's browser builds are esbuild's
 * (web/lib/build.mjs).
 * Node built-ins must never reach a browser bundle: the `no-node-builtins` plugin fails the build
 * if any module imports one.
 */
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
function noNodeBuiltins(): Plugin {
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

export default defineConfig({
  root,
  base: './',
  publicDir: false,
  plugins: [noNodeBuiltins()],
  worker: { format: 'es', plugins: () => [noNodeBuiltins()] },
  server: { fs: { allow: [repo] } },
  build: {
    outDir: fileURLToPath(new URL('./dist', import.meta.url)),
    emptyOutDir: true,
    target: 'es2022',
    sourcemap: true,
    assetsInlineLimit: 0,
  },
});
