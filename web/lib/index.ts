/**
 * The entry of embodied-model (dist/index.js, built by `npm run build:browser`, web/lib/build.mjs):
 * src/index.ts with the bundled reference data inlined, so `bundledData()` works at once.
 */
import { parseBundledData } from '../../src/data/parse.js';
import { setBundledData } from '../../src/index.js';
import { DATA_TEXTS } from '../src/bundled.js';

setBundledData(parseBundledData((file) => DATA_TEXTS[file]!));

export * from '../../src/index.js';
