/**
 * The main entry under Node ("node" export condition): everything of ./index.ts, with
 * `bundledData()` reading the package's data/ files, and the file-path readers of src/io/node.ts.
 */
export * from './index.js';
export { bundledData, setBundledData } from '../data/index.js';
export * from '../io/node.js';
