/**
 * Resolving a run's data: the real files named on the command line (or in a config file), or the
 * embedded synthetic demo dataset when none are named. Records what was read, for run.json.
 */
import { createHash } from 'node:crypto';
import { readFileSync, readdirSync } from 'node:fs';
import { join, resolve } from 'node:path';
import { ipccFuelFactors } from '../data/index.js';
import { demoDataset } from '../demo/index.js';
import { isTableFileName } from '../io/index.js';
import {
  readCeadsInventoryFile,
  readCeadsNationalInventoryFile,
  readNationalTableFile,
  readProvincialDir,
  readUserFactorTableFile,
} from '../io/node.js';
import type { ModelInputs } from '../model/types.js';
import { VERSION } from '../version.js';

/** The data flags, shared by every command that reads the tables. */
export const DATA_PATH_KEYS = ['provincial', 'national', 'emissions', 'energy', 'factors', 'nationalInventory'] as const;
export type DataPaths = Partial<Record<(typeof DATA_PATH_KEYS)[number], string>>;

/** The data paths set in `flags`, over those of `base` (e.g. a config file's). */
export function dataPathsOf(flags: DataPaths, base: DataPaths = {}): DataPaths {
  const paths: DataPaths = { ...base };
  for (const k of DATA_PATH_KEYS) if (flags[k] !== undefined) paths[k] = flags[k];
  return paths;
}

export interface InputFile {
  role: string;
  path: string;
  sha256: string;
  bytes: number;
}

export interface LoadedInputs {
  inputs: ModelInputs;
  /** "demo" for the synthetic dataset, "files" for the user's data. */
  data: 'demo' | 'files';
  /** One sentence for report headers and the terminal. */
  dataNote: string;
  files: InputFile[];
}

export class UsageError extends Error {
  override name = 'UsageError';
}

function fileRecord(role: string, path: string): InputFile {
  const buf = readFileSync(path);
  return { role, path: resolve(path), sha256: createHash('sha256').update(buf).digest('hex'), bytes: buf.length };
}

/** Reads the named data, or the demo dataset if no data path is given. */
export function loadInputs(paths: DataPaths): LoadedInputs {
  const named = Object.entries(paths).filter(([, v]) => v !== undefined);
  if (named.length === 0) {
    const demo = demoDataset();
    return {
      inputs: {
        provinces: demo.provinces,
        national: demo.national,
        sources: { emissions: demo.emissions, energy: demo.energy, factors: ipccFuelFactors() },
      },
      data: 'demo',
      dataNote:
        '**Synthetic demo data.** These results come from the embedded demo dataset (generated, seed 2017), not from real statistics: use --provincial, --national and --emissions for the real tables.',
      files: [],
    };
  }
  if (!paths.provincial || !paths.national) throw new UsageError('real data needs both --provincial DIR and --national FILE');
  if (!paths.emissions && !paths.energy) throw new UsageError('real data needs --emissions FILE (CEADs inventory) or --energy FILE');

  const set = readProvincialDir(paths.provincial);
  if (set.missing.length > 0) {
    process.emitWarning(`${paths.provincial}: no table for ${set.missing.map((p) => p.province).join(', ')}; these provinces are left out`);
  }
  const national = readNationalTableFile(paths.national);
  const tables = [...set.tables.values()];
  const emissions = paths.emissions ? readCeadsInventoryFile(paths.emissions, { kind: 'emissions' }) : undefined;
  const energy = paths.energy ? readCeadsInventoryFile(paths.energy, { kind: 'energy' }) : undefined;
  const nationalInventory = paths.nationalInventory ? readCeadsNationalInventoryFile(paths.nationalInventory) : undefined;
  const inputs: ModelInputs = {
    provinces: tables.map((r) => r.table),
    national: national.table,
    sources: {
      ...(emissions && { emissions: emissions.inventory }),
      ...(energy && { energy: energy.inventory }),
      factors: paths.factors ? readUserFactorTableFile(paths.factors) : ipccFuelFactors(),
      ...(nationalInventory && { nationalInventory: nationalInventory.inventory }),
    },
    balanceIssues: [...tables.flatMap((r) => r.issues), ...national.issues],
    inventoryIssues: [emissions, energy, nationalInventory].flatMap((r) => r?.issues ?? []),
  };
  const files = [
    ...readdirSync(paths.provincial)
      .filter(isTableFileName)
      .sort()
      .map((f) => fileRecord('provincial', join(paths.provincial!, f))),
    ...(['national', 'emissions', 'energy', 'factors', 'nationalInventory'] as const)
      .filter((k) => paths[k] !== undefined)
      .map((k) => fileRecord(k, paths[k]!)),
  ];
  return { inputs, data: 'files', dataNote: `Data: ${tables.length} provincial tables from ${paths.provincial}.`, files };
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
