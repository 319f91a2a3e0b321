/** What the option `aggregation` means, decided once: the sector level of the model, of the report and of the groups. */
import type { SectorMap } from './aggregation.js';
import type { ModelOptions } from './options.js';
import type { ReferenceData } from './types.js';

export interface SectorLevels {
  /** 42 → 30 applied to the tables before the model is solved (aggregation=before). */
  model: SectorMap | undefined;
  /** 42 → 30 applied to the results for the report (aggregation=after). */
  report: SectorMap | undefined;
  /** Report-level sectors → the 6 groups. */
  groups: SectorMap;
  /** Code → name of the model's and of the report's sectors. */
  modelNames: ReadonlyMap<string, string>;
  reportNames: ReadonlyMap<string, string>;
}

export function sectorLevels(options: Pick<ModelOptions, 'aggregation'>, ref: ReferenceData): SectorLevels {
  const { to30, groups30, groups42, sectorNames } = ref;
  switch (options.aggregation) {
    case 'before':
      return { model: to30, report: undefined, groups: groups30, modelNames: sectorNames[30], reportNames: sectorNames[30] };
    case 'after':
      return { model: undefined, report: to30, groups: groups30, modelNames: sectorNames[42], reportNames: sectorNames[30] };
    case 'none':
      return { model: undefined, report: undefined, groups: groups42, modelNames: sectorNames[42], reportNames: sectorNames[42] };
  }
}
