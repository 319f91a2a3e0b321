/**
 * Thin Node helpers: read files from paths and hand the bytes to the byte-level readers.
 * The only module of src/io that imports node:fs / node:path.
 */
import { isUtf8 } from 'node:buffer';
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

/** Read a file's bytes; DataError (naming the file, or `name` for a path of raw bytes) if missing, a directory, or over the size limit. */
export function readBytes(path: string | Buffer, maxBytes = DEFAULT_MAX_BYTES, name = String(path)): Uint8Array {
  let size: number;
  try {
    const st = statSync(path);
    if (!st.isFile()) throw new DataError({ file: name }, 'not a regular file');
    size = st.size;
  } catch (e) {
    if (e instanceof DataError) throw e;
    throw new DataError({ file: name }, `cannot read: ${(e as Error).message}`, { cause: e });
  }
  if (size > maxBytes) {
    throw new DataError(
      { file: name },
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

/** A file in a folder: its name as text (for messages and to identify the province) and the path that opens it. */
export interface FolderEntry {
  name: string;
  path: string | Buffer;
}

const GBK = new TextDecoder('gbk');

/**
 * The .xls/.xlsx/.csv tables in a folder, sorted by name; DataError if it cannot be listed or holds
 * none. A name that is not UTF-8 is read as GBK (names unzipped from a Chinese archive keep their
 * GBK bytes) and opened by its bytes, since a path rebuilt from the decoded text would not exist.
 */
export function tableFilesIn(dir: string): FolderEntry[] {
  let entries: FolderEntry[];
  try {
    entries = readdirSync(dir, { encoding: 'buffer' }).flatMap((b) => {
      const name = isUtf8(b) ? b.toString('utf8') : GBK.decode(b);
      if (!isTableFileName(name)) return [];
      return [{ name, path: isUtf8(b) ? join(dir, name) : Buffer.concat([Buffer.from(join(dir, '/')), b]) }];
    });
  } catch (e) {
    throw new DataError({ file: dir }, `cannot list folder: ${(e as Error).message}`, { cause: e });
  }
  if (entries.length === 0) throw new DataError({ file: dir }, 'no .xls, .xlsx or .csv tables in this folder');
  return entries.sort((a, b) => (a.name < b.name ? -1 : a.name > b.name ? 1 : 0));
}

/** Every .xls/.xlsx/.csv table in a folder, identified by province; duplicates are an error, missing ones are listed. */
export function readProvincialDir(dir: string, opts: Omit<ProvincialReadOptions, 'province' | 'sheet'> = {}): ProvincialSet {
  return readProvincialFiles(
    tableFilesIn(dir).map(({ name, path }) => ({ name, bytes: readBytes(path, opts.maxBytes, name) })),
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
