/**
 * The model's inputs from the user's files (named bytes, one entry per role), or the embedded
 * demo dataset when no files are given. Browser-safe: the page's worker calls it with the files the
 * user chose, `./node.ts` with the files read from the paths of a command.
 */
import { ipccFuelFactors } from '../data/index.js';
import { demoDataset } from '../demo/index.js';
import { readCeadsInventory, readCeadsNationalInventory } from '../io/ceads.js';
import { DataError } from '../io/errors.js';
import { readUserFactorTable } from '../io/factors.js';
import { readNationalTable } from '../io/national.js';
import { readProvincialFiles, type NamedBytes } from '../io/provincial-set.js';
import type { ModelInputs } from '../model/types.js';
import type { InventoryIssue } from '../data/types.js';

/** The roles of the data files, in the order run.json lists them. */
export const DATA_ROLES = ['provincial', 'national', 'emissions', 'energy', 'factors', 'nationalInventory'] as const;
export type DataRole = (typeof DATA_ROLES)[number];

/** The user's files by role: the provincial tables are many, every other role one file. */
export type DataFiles = { provincial?: NamedBytes[] } & Partial<Record<Exclude<DataRole, 'provincial'>, NamedBytes>> & {
    /** The folder the provincial tables were read from, as the user wrote it: a command's data note names it. */
    folder?: string;
  };

/** Who reads the data note: the page (files chosen in the browser) or a command (files named by flags). */
export type Audience = 'page' | 'command';

export interface LoadedData {
  inputs: ModelInputs;
  /** "demo" for the synthetic dataset, "files" for the user's data. */
  data: 'demo' | 'files';
  /** One sentence for report headers, the terminal and the page. */
  dataNote: string;
  /** Provinces without a table: they are left out of the model. */
  missing: string[];
  /** The warning that says which provinces are missing and what that does to the national totals (when any is). */
  missingNote?: string;
  /** Readable warnings: missing provinces, inventory sums that differ, rows off balance (at most MAX_WARNINGS lines). */
  warnings: string[];
}

const MAX_WARNINGS = 20;

/**
 * The first requirement of real data that `has` lacks: both tables, and an emission or energy
 * inventory. The one rule for every caller; each words the error for its user.
 */
export function missingData(has: (role: DataRole) => boolean): 'provincial' | 'national' | 'inventory' | undefined {
  if (!has('provincial')) return 'provincial';
  if (!has('national')) return 'national';
  if (!has('emissions') && !has('energy')) return 'inventory';
  return undefined;
}

/** What the page asks for, named as the file it lacks. */
const PAGE_MISSING = {
  provincial: { file: '(provincial tables)', detail: 'choose the provincial IO tables (.xls, .xlsx or .csv, one per province)' },
  national: { file: '(national table)', detail: 'choose the national IO table (non-competitive CSV, e.g. china_2017_42.csv)' },
  inventory: { file: '(inventory)', detail: 'choose the CEADs emission inventory (.xlsx), or the energy inventory' },
} as const;

/** The demo dataset, or the user's files parsed; DataError (naming the file, sheet and cell) on anything unreadable. */
export function loadData(files: DataFiles | undefined, audience: Audience = 'page'): LoadedData {
  if (files === undefined) return demoData(audience);
  const lacking = missingData((role) => (role === 'provincial' ? (files.provincial?.length ?? 0) > 0 : files[role] !== undefined));
  if (lacking) throw new DataError({ file: PAGE_MISSING[lacking].file }, PAGE_MISSING[lacking].detail);

  const set = readProvincialFiles(files.provincial!);
  const tables = [...set.tables.values()];
  const national = readNationalTable(files.national!.bytes, files.national!.name);
  const emissions = files.emissions && readCeadsInventory(files.emissions.bytes, files.emissions.name, { kind: 'emissions' });
  const energy = files.energy && readCeadsInventory(files.energy.bytes, files.energy.name, { kind: 'energy' });
  const factors = files.factors ? readUserFactorTable(files.factors.bytes, files.factors.name) : ipccFuelFactors();
  const nationalInventory =
    files.nationalInventory && readCeadsNationalInventory(files.nationalInventory.bytes, files.nationalInventory.name);

  const balanceIssues = [...tables.flatMap((r) => r.issues), ...national.issues];
  const inputs: ModelInputs = {
    provinces: tables.map((r) => r.table),
    national: national.table,
    sources: {
      ...(emissions && { emissions: emissions.inventory }),
      ...(energy && { energy: energy.inventory }),
      factors,
      ...(nationalInventory && { nationalInventory: nationalInventory.inventory }),
    },
    balanceIssues,
    inventoryIssues: [emissions, energy, nationalInventory].flatMap((r) => r?.issues ?? []),
  };
  const missing = set.missing.map((p) => p.province);
  const issueLines = (file: NamedBytes | undefined, read: { issues: InventoryIssue[] } | undefined) =>
    file && read
      ? read.issues.map((i) => `${file.name}: ${i.province} ${i.check} ${i.where}: sheet ${i.sheetValue}, computed ${i.computed}`)
      : [];
  const missingNote = missingProvincesNote(missing, tables.length);
  const warnings = [
    ...(missingNote ? [missingNote] : []),
    ...issueLines(files.emissions, emissions),
    ...issueLines(files.energy, energy),
    ...issueLines(files.nationalInventory, nationalInventory),
    ...(balanceIssues.length > 0 ? [`${balanceIssues.length} table rows off balance (see the "row balance" check)`] : []),
  ];
  const dataNote =
    audience === 'command'
      ? `Data: ${tables.length} provincial tables${files.folder === undefined ? '' : ` from ${files.folder}`}.${missingNote ? ` **Warning: ${missingNote}**` : ''}`
      : `Your data: ${tables.length} provincial tables, national table ${files.national!.name}, ${[
          files.emissions,
          files.energy,
          files.factors,
          files.nationalInventory,
        ]
          .filter((f) => f !== undefined)
          .map((f) => f.name)
          .join(', ')}. Read in this browser only.`;
  return { inputs, data: 'files', dataNote, missing, ...(missingNote && { missingNote }), warnings: capped(warnings) };
}

/** What leaving out the provinces without a table means, or undefined when every province has one. */
function missingProvincesNote(missing: string[], read: number): string | undefined {
  if (missing.length === 0) return undefined;
  return (
    `no provincial table for ${missing.join(', ')}: ${missing.length === 1 ? 'it is' : 'they are'} left out, so every national total ` +
    `(sum over provinces) covers only the ${read} provinces read and lacks ${missing.length === 1 ? 'its' : 'their'} emissions, output and trade`
  );
}

function demoData(audience: Audience): LoadedData {
  const demo = demoDataset();
  return {
    inputs: {
      provinces: demo.provinces,
      national: demo.national,
      sources: { emissions: demo.emissions, energy: demo.energy, factors: ipccFuelFactors() },
      balanceIssues: [],
      inventoryIssues: [],
    },
    data: 'demo',
    dataNote:
      audience === 'command'
        ? '**Synthetic demo data.** These results come from the embedded demo dataset (generated, seed 2017), not from real statistics: use --provincial, --national and --emissions for the real tables.'
        : 'Synthetic demo data (generated, seed 2017), not real statistics. Load your own tables to see real results.',
    missing: [],
    warnings: [],
  };
}

function capped(warnings: string[]): string[] {
  return warnings.length > MAX_WARNINGS ? [...warnings.slice(0, MAX_WARNINGS), `… and ${warnings.length - MAX_WARNINGS} more`] : warnings;
}
