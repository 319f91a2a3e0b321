import { readFileSync } from 'node:fs';
import { packagePath } from './assets.js';

/** The package's version, from package.json. */
export const VERSION = (JSON.parse(readFileSync(packagePath('package.json'), 'utf8')) as { version: string }).version;
