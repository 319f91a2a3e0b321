/**
 * The dataset the worker computes on: the synthetic demo, or the user's own files parsed from
 * bytes with the browser-safe readers of src/io (nothing leaves the browser).
 */
import { demoDataset } from '../demo/index.js';
import { readCeadsInventory, readCeadsNationalInventory } from '../io/ceads.js';
import { DataError } from '../io/errors.js';
import { readNationalTable } from '../io/national.js';
import { readProvincialFiles } from '../io/provincial-set.js';
import type { ModelInputs } from '../model/types.js';
import type { FuelFactor } from '../data/types.js';
import type { DatasetInfo, UserFiles } from './user-files.js';

export interface Dataset {
  inputs: ModelInputs;
  info: DatasetInfo;
}

/** The demo dataset, with the same sources as `embodied run` without data flags. */
export function demoInputs(factors: FuelFactor[]): Dataset {
  const demo = demoDataset();
  const sources: ModelInputs['sources'] = { emissions: demo.emissions, factors };
  if (demo.energy) sources.energy = demo.energy;
  return {
    inputs: { provinces: demo.provinces, national: demo.national, sources },
    info: {
      data: 'demo',
      note: 'Synthetic demo data (generated, seed 2017), not real statistics. Load your own tables to see real results.',
      provinces: demo.provinces.map((t) => t.region),
      has: { emissions: true, energy: !!demo.energy, nationalInventory: false },
      warnings: [],
    },
  };
}

const MAX_WARNINGS = 20;

/** Reads the user's files; throws DataError (with file, sheet and cell) on anything unreadable. */
export function loadDataset(files: UserFiles, factors: FuelFactor[]): Dataset {
  if (files.provincial.length === 0) throw new DataError({ file: '(provincial tables)' }, 'choose the provincial IO tables (.xls, .xlsx or .csv, one per province)');
  if (!files.national) throw new DataError({ file: '(national table)' }, 'choose the national IO table (non-competitive CSV, e.g. china_2017_42.csv)');
  if (!files.emissions && !files.energy) {
    throw new DataError({ file: '(inventory)' }, 'choose the CEADs emission inventory (.xlsx), or the energy inventory');
  }
  const warnings: string[] = [];
  const set = readProvincialFiles(files.provincial);
  if (set.missing.length > 0) warnings.push(`no table for ${set.missing.map((p) => p.province).join(', ')}: these provinces are left out`);
  const national = readNationalTable(files.national.bytes, files.national.name);
  const tables = [...set.tables.values()];
  const sources: ModelInputs['sources'] = { factors };
  if (files.emissions) {
    const r = readCeadsInventory(files.emissions.bytes, files.emissions.name, { kind: 'emissions' });
    sources.emissions = r.inventory;
    warnings.push(...r.issues.map((i) => `${files.emissions!.name}: ${i.province} ${i.check} ${i.where}: sheet ${i.sheetValue}, computed ${i.computed}`));
  }
  if (files.energy) {
    const r = readCeadsInventory(files.energy.bytes, files.energy.name, { kind: 'energy' });
    sources.energy = r.inventory;
    warnings.push(...r.issues.map((i) => `${files.energy!.name}: ${i.province} ${i.check} ${i.where}: sheet ${i.sheetValue}, computed ${i.computed}`));
  }
  if (files.nationalInventory) {
    const r = readCeadsNationalInventory(files.nationalInventory.bytes, files.nationalInventory.name);
    sources.nationalInventory = r.inventory;
  }
  const balanceIssues = [...tables.flatMap((r) => r.issues), ...national.issues];
  if (balanceIssues.length > 0) {
    warnings.push(`${balanceIssues.length} table rows off balance (see the "row balance" check)`);
  }
  return {
    inputs: { provinces: tables.map((r) => r.table), national: national.table, sources, balanceIssues },
    info: {
      data: 'files',
      note: `Your data: ${tables.length} provincial tables, national table ${files.national.name}, ${[files.emissions?.name, files.energy?.name, files.nationalInventory?.name].filter(Boolean).join(', ')}. Read in this browser only.`,
      provinces: tables.map((r) => r.table.region),
      has: { emissions: !!sources.emissions, energy: !!sources.energy, nationalInventory: !!sources.nationalInventory },
      warnings: warnings.length > MAX_WARNINGS ? [...warnings.slice(0, MAX_WARNINGS), `… and ${warnings.length - MAX_WARNINGS} more`] : warnings,
    },
  };
}
