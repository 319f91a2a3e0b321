/**
 * The package's main entry (`import … from 'embodied'`), the same surface in browsers and Node:
 * the model, the kernels, the byte-level readers, the result tables, the demo dataset and the
 * page's helpers. Browser-safe: no Node built-in is imported from here (Node additions are in
 * ./node.ts, picked by the "node" export condition).
 *
 * The model needs the bundled reference data (data/*.csv): `bundledData()` reads the files under
 * Node; in browsers it returns what `setBundledData` set. The browser build of the package
 * (embodied-model's dist/index.js, from web/lib/index.ts) sets it from the CSV text inlined at build time; `fetchBundledData(base)`
 * fetches the files from a URL.
 */
import { setBundledData } from './data/index.js';
import { DATA_FILES, parseBundledData, type BundledData } from './data/parse.js';

// The model (src/model/README.md): options, pipeline, reference data, accounts, checks.
export {
  OPTION_VALUES,
  DEFAULT_OPTIONS,
  OptionError,
  withOption,
  parseOptionArgs,
  optionsFromRecord,
  type ModelOptions,
  type OptionName,
} from './model/options.js';
export { runModel, TOLERANCE, type ModelResult } from './model/pipeline.js';
export type { ModelInputs, ReferenceData } from './model/types.js';
export { referenceDataOf } from './model/reference.js';
export { comparativeIndices, type ProvinceAccounts, type SectorAccounts } from './model/accounts.js';
export { CLASSES, classCode, type TradeClass } from './model/evaluate.js';
export { CheckFailedError, type Check } from './model/checks.js';
export { calcA, netFinalDemand } from './model/coefficients.js';
export type { EmissionSources, IntensityResult } from './model/intensities.js';
export type { IOTable, Inventory, ProvinceInventory, FuelFactor, BalanceIssue, InventoryIssue } from './data/types.js';

// The kernels: selectKernel (the wasm kernel, else the reference one with the reason), the wasm loader
// (loadKernel: fetched by URL, instantiated streaming) and the reference kernel.
export * from './kernel/index.js';

// Byte-level readers of the provincial and national tables, CEADs inventories and factor tables.
export * from './io/index.js';

// Bundled reference data (parsing from text; the provinces, sectors, regions and groups).
export {
  DATA_FILES,
  REGIONS,
  GROUPS6,
  parseBundledData,
  type BundledData,
  type Province,
  type Region,
  type Group6,
  type Sector42,
  type Sector30,
  type CeadsSector,
  type ConcordanceEntry,
} from './data/parse.js';
export { findProvinceIn, fuelFactorsOf, concordanceMatrixOf } from './data/lookup.js';
// bundledData(): under Node read from the package's data/ folder; in browsers what setBundledData set.
export { bundledData, setBundledData } from './data/index.js';

// Result tables as `embodied run` writes them, and their CSV text.
export { resultTables, provincesTable, balanceByGroupTable, nByRegionGroupTable, sectorsTable, profilesTable } from './report/tables.js';
export type { Table, Cell, ReportContext } from './report/tables.js';
export { tableCsv } from './output/csv.js';

// The synthetic demo dataset.
export { demoDataset, DEMO_SEED, type DemoDataset } from './demo/index.js';

// What the page uses: scalings of the inputs, one recompute as rows, the user's files. The worker's
// messages are typed by the `embodied/worker` export (web/src/worker/protocol.ts).
export { applyScalings, scaleExports, scaleProvinceInventory, NO_SCALING, type Scalings } from './model/scenario.js';
export { compute, type ComputeResult, type ProvinceRow } from './report/compute.js';

// The MRIO, and what flows through it: structural paths (SPA) of a province's footprint, and
// hypothetical extraction (HEM) in the per-province model (src/model/README.md#structural-paths-and-hypothetical-extraction).
export { buildProvincialMrio, mrioAccounts, type ProvincialMrio, type MrioAccounts } from './mrio/provincial.js';
export { mrioSpa, inputsSpa, type SpaOptions, type SpaPath, type SpaResult } from './analysis/spa.js';
export { provincialHem, mrioLinkHem, EXTRACTIONS, type Extraction, type HemResult, type LinkHemResult } from './analysis/hem.js';

// The inputs layer: the user's files by role (named bytes), or the demo dataset, to the model's inputs.
export { loadData, DATA_ROLES, type DataFiles, type DataRole, type LoadedData } from './inputs/index.js';

/** Fetches data/*.csv below `packageRoot` (e.g. new URL('./node_modules/embodied/', location.href)), parses and sets them. */
export async function fetchBundledData(packageRoot: URL | string): Promise<BundledData> {
  const files = Object.values(DATA_FILES);
  const texts = new Map<string, string>();
  await Promise.all(
    files.map(async (file) => {
      const url = new URL(file, packageRoot);
      const res = await fetch(url);
      if (!res.ok) throw new Error(`embodied: cannot fetch ${url.href}: HTTP ${res.status}`);
      texts.set(file, await res.text());
    }),
  );
  const data = parseBundledData((file) => texts.get(file)!);
  setBundledData(data);
  return data;
}
