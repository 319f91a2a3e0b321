/**
 * pymrio's per-capita accounts (`calc_system`): D_cba_cap = D_cba_reg / population, and the same
 * for pba, imp and exp, region by region. The population is the first row of the population table
 * (pymrio's `population.iloc[0]`), its columns matched to the regions by label.
 */
import { MrioInputError } from './errors.js';
import { keyText, matrix, nCols, nRows, type LabelledMatrix } from './labels.js';

/** Regional account K × R divided column by column by each region's population. */
export function perCapita(reg: LabelledMatrix, population: LabelledMatrix, file: string): LabelledMatrix {
  if (nRows(population) < 1) throw new MrioInputError(file, 'has no data row (the population per region)');
  const level = Math.max(population.cols.names.indexOf('region'), 0);
  const pos = new Map(population.cols.keys.map((k, j) => [k[level]!, j]));
  const R = nCols(reg);
  const pop = new Float64Array(R);
  for (let r = 0; r < R; r++) {
    const region = keyText(reg.cols.keys[r]!);
    const j = pos.get(region);
    if (j === undefined) throw new MrioInputError(file, `has no column for region ${region}`);
    pop[r] = population.data[j]!;
    if (!(pop[r]! > 0)) throw new MrioInputError(file, `the population of ${region} is ${pop[r]}, not a positive number`);
  }
  const out = new Float64Array(reg.data.length);
  for (let q = 0; q < out.length; q++) out[q] = reg.data[q]! / pop[q % R]!;
  return matrix(reg.rows, reg.cols, out);
}
