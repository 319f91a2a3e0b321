/**
 * The Node shell of ./index.ts for the commands: the data paths of the flags (or of a config or
 * spec file) → each file read once → its sha256 and size recorded for run.json → the same bytes
 * parsed by `loadData`.
 */
import { basename, join, resolve } from 'node:path';
import type { NamedBytes } from '../io/provincial-set.js';
import { packagePath } from '../assets.js';
import { DATA_FILES } from '../data/index.js';
import { readBytes, tableFilesIn } from '../io/node.js';
import { VERSION } from '../version.js';
import { DATA_ROLES, loadData, missingData, type DataFiles, type DataRole, type LoadedData } from './index.js';
import { sha256 } from '../output/sha256.js';

/** The data flags (and the data fields of a config or sweep spec file), shared by every command that reads the tables: one per role. */
export const DATA_PATH_KEYS = DATA_ROLES;
export type DataPaths = Partial<Record<DataRole, string>>;

/** The data paths set in `flags`, over those of `base` (e.g. a config file's). */
export function dataPathsOf(flags: DataPaths, base: DataPaths = {}): DataPaths {
  const paths: DataPaths = { ...base };
  for (const k of DATA_PATH_KEYS) if (flags[k] !== undefined) paths[k] = flags[k];
  return paths;
}

export interface InputFile {
  role: DataRole;
  path: string;
  sha256: string;
  bytes: number;
}

export interface LoadedInputs extends LoadedData {
  /** Every file read, in the order of DATA_PATH_KEYS (the provincial tables sorted by name). */
  files: InputFile[];
}

export class UsageError extends Error {
  override name = 'UsageError';
}

const MISSING_FLAGS = {
  provincial: 'real data needs both --provincial DIR and --national FILE',
  national: 'real data needs both --provincial DIR and --national FILE',
  inventory: 'real data needs --emissions FILE (CEADs inventory) or --energy FILE',
} as const;

/**
 * Reads the named data, or the demo dataset if no data path is given. A province without a table
 * is a warning (`missingNote`, which the caller prints and records), an error with `strict`.
 */
export function loadInputs(paths: DataPaths, { strict = false }: { strict?: boolean } = {}): LoadedInputs {
  if (DATA_PATH_KEYS.every((k) => paths[k] === undefined)) return { ...loadData(undefined, 'command'), files: [] };
  // Checked before reading, so a forgotten flag fails at once rather than after 31 spreadsheets.
  const lacking = missingData((k) => Boolean(paths[k]));
  if (lacking) throw new UsageError(MISSING_FLAGS[lacking]);

  const files: InputFile[] = [];
  const read = (role: DataRole, path: string | Buffer, name: string, shown: string): NamedBytes => {
    const bytes = readBytes(path, undefined, shown);
    files.push({ role, path: resolve(shown), sha256: sha256(bytes), bytes: bytes.length });
    return { name, bytes };
  };
  const dir = paths.provincial!;
  const tables = tableFilesIn(dir).map((e) => read('provincial', e.path, e.name, join(dir, e.name)));
  const named: DataFiles = { provincial: tables, folder: dir };
  for (const k of DATA_PATH_KEYS) if (k !== 'provincial' && paths[k]) named[k] = read(k, paths[k], basename(paths[k]), paths[k]);
  // The energy inventory without --factors uses the bundled factors: recorded like a file given.
  if (paths.energy && !paths.factors)
    read('factors', packagePath(DATA_FILES.ipccFuels), DATA_FILES.ipccFuels, packagePath(DATA_FILES.ipccFuels));

  const loaded = loadData(named, 'command');
  if (loaded.missingNote && strict) throw new UsageError(`--provincial ${dir}: ${loaded.missingNote} (refused with --strict)`);
  return { ...loaded, files };
}

/** The data warnings every command prints on stderr (even with --quiet) and records in run.json. */
export function dataWarnings(loaded: LoadedData): string[] {
  const w = loaded.missingNote ? [`${loaded.missingNote}`] : [];
  for (const line of w) process.stderr.write(`warning: ${line}\n`);
  return w;
}

/** The provenance fields every run.json starts with: tool, version, command, time, data and inputs. */
export function provenance(command: string, loaded: LoadedInputs) {
  return {
    tool: 'embodied',
    version: VERSION,
    command,
    created: new Date().toISOString(),
    data: loaded.data,
    synthetic: loaded.data === 'demo',
    inputs: loaded.files,
  };
}
