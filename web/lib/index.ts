/**
 * The browser build of the package's main entry (dist/browser/index.js, built by `npm run web:lib`):
 * src/index.ts with the bundled reference data inlined, so `bundledData()` works at once.
 */
import { parseBundledData } from '../../src/data/parse.js';
import { setBundledData } from '../../src/index.js';
import { DATA_TEXTS } from '../src/bundled.js';

setBundledData(parseBundledData((file) => DATA_TEXTS[file]!));

export * from '../../src/index.js';
