/**
 * Thin Node helpers: read files from paths and hand the bytes to the byte-level readers.
 * The only module of src/io that imports node:fs / node:path.
 */
import { readdirSync, readFileSync, statSync } from 'node:fs';
import { basename, join } from 'node:path';
import type { FuelFactor } from '../data/types.js';
import { readCeadsInventory, type CeadsInventoryResult, type CeadsReadOptions } from './ceads.js';
import { DataError } from './errors.js';
import { ceadsEnergyUnits, readIpccFactorTable, readUserFactorTable, type IpccFuel } from './factors.js';
import { readNationalTable, type NationalReadOptions, type NationalTableResult } from './national.js';
import { readProvincialTable, type ProvincialReadOptions, type ProvincialTableResult } from './provincial.js';
import { isTableFileName, readProvincialFiles, type ProvincialSet } from './provincial-set.js';
import { DEFAULT_MAX_BYTES } from './spreadsheet.js';

/** Read a file's bytes; DataError (naming the file) if missing, a directory, or over the size limit. */
export function readBytes(path: string, maxBytes = DEFAULT_MAX_BYTES): Uint8Array {
  let size: number;
  try {
    const st = statSync(path);
    if (!st.isFile()) throw new DataError({ file: path }, 'not a regular file');
    size = st.size;
  } catch (e) {
    if (e instanceof DataError) throw e;
    throw new DataError({ file: path }, `cannot read: ${(e as Error).message}`, { cause: e });
  }
  if (size > maxBytes) {
    throw new DataError(
      { file: path },
      `file is ${(size / 1048576).toFixed(1)} MB, larger than the limit of ${(maxBytes / 1048576).toFixed(1)} MB`,
    );
  }
  const buf = readFileSync(path);
  return new Uint8Array(buf.buffer, buf.byteOffset, buf.byteLength);
}

/** Messages name the file by its base name (e.g. "01-北京.xls"); IOTable.source keeps the same. */
export function readProvincialTableFile(path: string, opts: ProvincialReadOptions = {}): ProvincialTableResult {
  return readProvincialTable(readBytes(path, opts.maxBytes), basename(path), opts);
}

/** The names of the .xls/.xlsx/.csv tables in a folder, sorted; DataError if it cannot be listed or holds none. */
export function tableFilesIn(dir: string): string[] {
  let names: string[];
  try {
    names = readdirSync(dir).filter(isTableFileName).sort();
  } catch (e) {
    throw new DataError({ file: dir }, `cannot list folder: ${(e as Error).message}`, { cause: e });
  }
  if (names.length === 0) throw new DataError({ file: dir }, 'no .xls, .xlsx or .csv tables in this folder');
  return names;
}

/** Every .xls/.xlsx/.csv table in a folder, identified by province; duplicates are an error, missing ones are listed. */
export function readProvincialDir(dir: string, opts: Omit<ProvincialReadOptions, 'province' | 'sheet'> = {}): ProvincialSet {
  return readProvincialFiles(
    tableFilesIn(dir).map((name) => ({ name, bytes: readBytes(join(dir, name), opts.maxBytes) })),
    opts,
  );
}

export function readNationalTableFile(path: string, opts: NationalReadOptions = {}): NationalTableResult {
  return readNationalTable(readBytes(path, opts.maxBytes), basename(path), opts);
}

export function readCeadsInventoryFile(path: string, opts: CeadsReadOptions = {}): CeadsInventoryResult {
  return readCeadsInventory(readBytes(path, opts.maxBytes), basename(path), opts);
}

export function readIpccFactorTableFile(path: string): IpccFuel[] {
  return readIpccFactorTable(readBytes(path), basename(path));
}

export function readUserFactorTableFile(path: string, units: Readonly<Record<string, string>> = ceadsEnergyUnits()): FuelFactor[] {
  return readUserFactorTable(readBytes(path), basename(path), units);
}
