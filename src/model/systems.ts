/** The tables at the model's sector level, d^r and t^N: the first stage of every model built on the inputs. */
import type { Kernel } from '../kernel/api.js';
import { aggregateTable } from './aggregation.js';
import { calcA } from './coefficients.js';
import type { IntensityResult } from './intensities.js';
import { directIntensities } from './intensities.js';
import { sectorLevels } from './levels.js';
import type { ModelOptions } from './options.js';
import type { ModelInputs, ReferenceData } from './types.js';
import type { IOTable } from '../data/types.js';

export interface ModelSystems {
  tables: IOTable[];
  national: IOTable;
  /** Sectors of the model. */
  n: number;
  intensities: IntensityResult;
  /** t^N = d^N (I − A^N)⁻¹. */
  tNational: Float64Array;
}

/** Aggregates the tables (aggregation=before), derives d^r and t^N. */
export function modelSystems(inputs: ModelInputs, ref: ReferenceData, options: ModelOptions, kernel: Kernel): ModelSystems {
  const map = sectorLevels(options, ref).model;
  const tables = map ? inputs.provinces.map((t) => aggregateTable(t, map)) : inputs.provinces;
  const national = map ? aggregateTable(inputs.national, map) : inputs.national;
  const n = national.sectors.length;
  for (const t of tables) {
    if (t.sectors.join() !== national.sectors.join()) {
      throw new Error(`${t.source}: sectors differ from the national table's (${national.source})`);
    }
  }
  const intensities = directIntensities(inputs.provinces, inputs.national, inputs.sources, ref.concordance, options, map, ref.hasInventory);
  const tNational = kernel.solve(calcA(national.Z, national.x), n, intensities.dNational, { leontief: true, transposed: true });
  return { tables, national, n, intensities, tNational };
}
