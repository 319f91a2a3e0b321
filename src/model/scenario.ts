/**
 * What-if scalings of the inputs, applied before runModel (the page's sliders). Each is a plain
 * transformation of ModelInputs, so the model itself stays the one `embodied run` uses:
 * - emissions ×k scales every inventory (emission, energy and national), hence d, t and every
 *   embodied flow by k (the model is linear in d);
 * - one province's emissions ×k scales that province's inventory rows, which moves its c^r and
 *   also the national sector totals C_i (the sum over provinces) that every province's d builds on;
 * - exports ×k scales E of every province with output x held fixed: the difference is booked to
 *   the statistical discrepancy err, so the row balance and x = L f still hold and t is unchanged;
 *   CE scales by k.
 * Browser-safe and pure: inputs are never modified.
 */
import type { ModelInputs } from './types.js';
import type { IOTable, Inventory, ProvinceInventory } from '../data/types.js';

export interface Scalings {
  /** Multiplier on all CO2 (every inventory). */
  emissions: number;
  /** Multiplier on one province's CO2 (its inventory sheet); ignored when province is ''. */
  provinceEmissions: number;
  province: string;
  /** Multiplier on exports E of every province (output held fixed). */
  exports: number;
}

export const NO_SCALING: Scalings = { emissions: 1, provinceEmissions: 1, province: '', exports: 1 };

function isIdentity(s: Scalings): boolean {
  return s.emissions === 1 && s.exports === 1 && (s.provinceEmissions === 1 || s.province === '');
}

const times = (v: Float64Array, k: number): Float64Array => v.map((a) => a * k);

/**
 * A province inventory with every quantity times k: sector rows, households, the total row and
 * the other rows (power-plant inputs and the like), except ratios such as "% Loss".
 */
export function scaleProvinceInventory(inv: ProvinceInventory, k: number): ProvinceInventory {
  if (k === 1) return inv;
  const out: ProvinceInventory = {
    ...inv,
    data: times(inv.data, k),
    households: { urban: times(inv.households.urban, k), rural: times(inv.households.rural, k) },
    total: times(inv.total, k),
  };
  if (inv.otherRows) {
    out.otherRows = inv.otherRows.map((r) => ({ ...r, values: r.label.includes('%') ? r.values : times(r.values, k) }));
  }
  return out;
}

function scaleInventory(inv: Inventory | undefined, kOf: (province: string) => number): Inventory | undefined {
  if (!inv) return inv;
  const provinces = new Map<string, ProvinceInventory>();
  for (const [p, v] of inv.provinces) provinces.set(p, scaleProvinceInventory(v, kOf(p)));
  return { ...inv, provinces };
}

/** E × k with x fixed: err absorbs −(k − 1)E so that x = Z1 + y + E + EP − M − MP + err still holds. */
export function scaleExports(t: IOTable, k: number): IOTable {
  if (k === 1) return t;
  const E = times(t.E, k);
  const err = t.err.map((e, i) => e - (k - 1) * t.E[i]!);
  return { ...t, E, err };
}

export function applyScalings(inputs: ModelInputs, s: Scalings): ModelInputs {
  if (isIdentity(s)) return inputs;
  const kOf = (p: string) => s.emissions * (p === s.province ? s.provinceEmissions : 1);
  const src = inputs.sources;
  const sources: ModelInputs['sources'] = { ...src };
  if (src.emissions) sources.emissions = scaleInventory(src.emissions, kOf)!;
  if (src.energy) sources.energy = scaleInventory(src.energy, kOf)!;
  if (src.nationalInventory) sources.nationalInventory = scaleProvinceInventory(src.nationalInventory, s.emissions);
  return {
    ...inputs,
    provinces: inputs.provinces.map((t) => scaleExports(t, s.exports)),
    sources,
  };
}
