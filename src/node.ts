/**
 * The main entry under Node ("node" export condition): everything of ./index.ts (whose
 * `bundledData()` reads the package's data/ files under Node), plus the file-path readers of
 * src/io/node.ts.
 */
export * from './index.js';
export * from './io/node.js';
export { loadInputs, dataPathsOf, DATA_PATH_KEYS, type DataPaths, type LoadedInputs, type InputFile } from './inputs/node.js';
