/** A set of provincial tables (one per province), from named byte buffers. Byte-level, browser-safe. */
import { DataError } from './errors.js';
import { provinces } from '../data/index.js';
import type { ProvinceInfo } from './provinces.js';
import { readProvincialTable, type ProvincialReadOptions, type ProvincialTableResult } from './provincial.js';

export interface NamedBytes {
  name: string;
  bytes: Uint8Array;
}

export interface ProvincialSet {
  /** Keyed by province id, in the order of data/provinces.csv. */
  tables: Map<string, ProvincialTableResult>;
  /** Provinces for which no table was given (the caller decides whether that is fatal). */
  missing: ProvinceInfo[];
}

/** File names the set readers take: .xls, .xlsx, .csv (case-insensitive), not lock files such as "~$x.xlsx". */
export function isTableFileName(name: string): boolean {
  const base = name.replace(/^.*[\\/]/, '');
  return /\.(xls|xlsx|csv)$/i.test(base) && !base.startsWith('~$') && !base.startsWith('.');
}

/** Read and identify every table; DataError if two files hold the same province. */
export function readProvincialFiles(files: NamedBytes[], opts: Omit<ProvincialReadOptions, 'province' | 'sheet'> = {}): ProvincialSet {
  const byProvince = new Map<string, ProvincialTableResult & { file: string }>();
  for (const f of files) {
    const r = readProvincialTable(f.bytes, f.name, opts);
    const prev = byProvince.get(r.province.province);
    if (prev) {
      throw new DataError({ file: f.name }, `province ${r.province.province} (${r.province.zh}) is duplicated: also in ${prev.file}`);
    }
    byProvince.set(r.province.province, { ...r, file: f.name });
  }
  const tables = new Map<string, ProvincialTableResult>();
  for (const p of provinces()) {
    const r = byProvince.get(p.province);
    if (r) {
      const { file: _file, ...rest } = r;
      void _file;
      tables.set(p.province, rest);
    }
  }
  return { tables, missing: provinces().filter((p) => !byProvince.has(p.province)) };
}
