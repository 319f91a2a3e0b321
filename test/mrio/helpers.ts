/** Shared helpers of the MRIO tests: the shared data folder and pymrio's expected CSV files. */
import { readFileSync } from 'node:fs';
import { Command } from 'commander';
import { register } from '../../src/cli/mrio.js';
import { hasShared, SHARED_DATA } from '../shared-data.js';
import { parse } from 'csv-parse/sync';

export const SHARED = SHARED_DATA;
export const PYMRIO_NATIVE = `${SHARED}pymrio-test/native`;
const PYMRIO_EXPECTED = `${SHARED}pymrio-test/expected`;
/** pymrio's test system and results are in ../shared/data (skip the tests that need them if not). */
export const hasPymrio = hasShared('pymrio-test', 'native') && hasShared('pymrio-test', 'expected');

export interface ExpectedCsv {
  /** Row label tuples (the leading non-numeric cells of each data row). */
  rows: string[][];
  /** Column labels from the header row, or [] when the file has none. */
  cols: string[];
  data: number[][];
}

/**
 * Reads one of pymrio's expected CSV files. The README says "no header", the files as shipped
 * have one (`region,sector,reg1|food,...`): both are accepted. Row labels are the leading cells
 * that are not numbers.
 */
export function readExpected(name: string, nLabels: number): ExpectedCsv {
  const recs = parse(readFileSync(`${PYMRIO_EXPECTED}/${name}`, 'utf8'), {
    relax_column_count: true,
    skip_empty_lines: true,
  }) as string[][];
  const isNum = (s: string): boolean => s.trim() !== '' && Number.isFinite(Number(s));
  let start = 0;
  let cols: string[] = [];
  if (recs.length && !recs[0]!.slice(nLabels).every(isNum)) {
    cols = recs[0]!.slice(nLabels);
    start = 1;
  }
  const rows: string[][] = [];
  const data: number[][] = [];
  for (const r of recs.slice(start)) {
    rows.push(r.slice(0, nLabels));
    data.push(r.slice(nLabels).map(Number));
  }
  return { rows, cols, data };
}

/** `embodied mrio …` through commander, as the CLI runs it. */
export async function mrioCli(...args: string[]): Promise<void> {
  const p = new Command('embodied').exitOverride();
  register(p);
  await p.parseAsync(['node', 'embodied', ...args]);
}
