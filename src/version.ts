import { canReadPackageFiles, readPackageText } from './assets.js';

/** The package's version, from package.json; 'unknown' outside Node (no file access). */
export const VERSION: string = canReadPackageFiles()
  ? (JSON.parse(readPackageText('package.json')) as { version: string }).version
  : 'unknown';
