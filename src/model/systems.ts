/** The tables at the model's sector level, d^r and t^N: the first stage of every model built on the inputs. */
import type { Kernel } from '../kernel/api.js';
import { aggregateTable } from './aggregation.js';
import { calcA } from './coefficients.js';
import type { IntensityResult } from './intensities.js';
import { directIntensities } from './intensities.js';
import { sectorLevels } from './levels.js';
import type { ModelOptions } from './options.js';
import { inSystems, type SystemArray } from './system-errors.js';
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
  const ioSectors = new Set(ref.concordance.entries.map((e) => e.ioSector));
  for (const t of [inputs.national, ...inputs.provinces]) {
    const lacking = [...ioSectors].filter((s) => !t.sectors.includes(s));
    if (lacking.length) {
      throw new Error(
        `${t.source}: has ${t.sectors.length} sectors, lacking ${lacking.join(', ')} of the ${ioSectors.size} that the concordance of CEADs to IO sectors (data/ceads-to-io.csv) maps to`,
      );
    }
  }
  const intensities = directIntensities(inputs.provinces, inputs.national, inputs.sources, ref.concordance, options, map, ref.hasInventory);
  const AN = calcA(national.Z, national.x);
  const arrays: SystemArray[] = [
    { what: 'A = Z / x', data: AN, kind: 'matrix' },
    { what: 'direct intensity d', data: intensities.dNational, kind: 'vector' },
  ];
  const tNational = inSystems([national], n, arrays, () =>
    kernel.solve(AN, n, intensities.dNational, { leontief: true, transposed: true }),
  );
  return { tables, national, n, intensities, tNational };
}
