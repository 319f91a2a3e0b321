/**
 * Files shipped with the package (data/*.csv, package.json), read under Node. No static import of
 * a `node:` module, so that browser bundles can include the modules that use this one: the Node
 * built-ins are taken at run time with process.getBuiltinModule (Node ≥ 20.16).
 */

/** node:fs and node:url under Node; undefined in a browser. */
function nodeModules(): { fs: typeof import('node:fs'); url: typeof import('node:url') } | undefined {
  const get = globalThis.process?.getBuiltinModule;
  if (typeof get !== 'function') return undefined;
  return { fs: get('node:fs'), url: get('node:url') };
}

/** Whether the package's files can be read (true under Node, false in a browser). */
export function canReadPackageFiles(): boolean {
  return nodeModules() !== undefined;
}

/**
 * Absolute path of a file shipped with the package (e.g. "data/sectors.csv", "package.json").
 * Modules run from src/ (tests, tsx) and from dist/src/ (the built CLI), so the package root is
 * one or two levels above this file. Node only.
 */
export function packagePath(rel: string): string {
  const node = nodeModules();
  if (!node) throw new Error(`embodied: cannot locate packaged file ${rel} outside Node`);
  for (const up of ['../', '../../']) {
    const path = node.url.fileURLToPath(new URL(up + rel, import.meta.url));
    if (node.fs.existsSync(path)) return path;
  }
  throw new Error(`embodied: packaged file ${rel} not found (is the package installed completely?)`);
}

/** The text (UTF-8) of a file shipped with the package. Node only. */
export function readPackageText(rel: string): string {
  const path = packagePath(rel);
  return nodeModules()!.fs.readFileSync(path, 'utf8');
}
