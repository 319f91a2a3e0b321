/**
 * CO2 decomposed by fuel column: the intensities are linear in the emissions of each fuel, up to the
 * ratio c^r / c, so a draw that scales fuels recombines these instead of rereading inventories
 * (src/model/README.md, "Direct intensities", steps 2–4).
 */
import type { EmissionSources, IntensityResult } from './intensities.js';
import { directIntensities, normaliseFuel } from './intensities.js';
import { sectorLevels } from './levels.js';
import type { ModelOptions } from './options.js';
import type { ModelInputs, ReferenceData } from './types.js';
import type { Inventory, IOTable, ProvinceInventory } from '../data/types.js';

/** National sector CO2 and provincial totals per fuel column. */
export interface FuelBasis {
  /** Fuel labels (as in the inventory or factor table). */
  fuels: string[];
  /** National sector CO2 per fuel at the model's level: fuels × n. */
  C: Float64Array;
  /** Provincial totals behind c^r per fuel: R × fuels (zero rows for provinces without inventory). */
  totals: Float64Array;
  /** direct-intensity=provincial-inventory: each province's own d^r per fuel (fuels × R × n), else undefined. */
  own?: Float64Array;
  /** 1 where the province has no inventory and gets d^N. */
  fallback: Uint8Array;
  /** Σ x^r per province, Σ x^N, and x^N per sector at the model's level. */
  sumX: Float64Array;
  sumXN: number;
  xN: Float64Array;
}

function maskInventory(inv: ProvinceInventory, keep: boolean[]): ProvinceInventory {
  const m = inv.columns.length;
  const data = new Float64Array(inv.data.length);
  for (let k = 0; k < data.length; k++) if (keep[k % m]) data[k] = inv.data[k];
  const mask = (v: Float64Array) => v.map((x, c) => (keep[c] ? x : 0));
  return { ...inv, data, households: { urban: mask(inv.households.urban), rural: mask(inv.households.rural) } };
}

function maskedInventory(inv: Inventory | undefined, fuel: string): Inventory | undefined {
  if (!inv) return undefined;
  const provinces = new Map<string, ProvinceInventory>();
  for (const [k, p] of inv.provinces)
    provinces.set(
      k,
      maskInventory(
        p,
        p.columns.map((c) => normaliseFuel(c) === fuel),
      ),
    );
  return { ...inv, provinces };
}

export function buildFuelBasis(
  inputs: ModelInputs,
  ref: ReferenceData,
  options: ModelOptions,
  tables: IOTable[],
  national: IOTable,
  base: IntensityResult,
): FuelBasis {
  const src = inputs.sources;
  const labels = new Map<string, string>();
  if (options['emission-source'] === 'ceads') {
    for (const p of src.emissions?.provinces.values() ?? [])
      for (const c of p.columns) if (!labels.has(normaliseFuel(c))) labels.set(normaliseFuel(c), c.trim());
    if (options['national-emissions'] === 'national-inventory') {
      for (const c of src.nationalInventory?.columns ?? []) if (!labels.has(normaliseFuel(c))) labels.set(normaliseFuel(c), c.trim());
    }
  } else {
    for (const f of src.factors ?? []) if (!labels.has(normaliseFuel(f.fuel))) labels.set(normaliseFuel(f.fuel), f.fuel.trim());
  }
  const R = tables.length;
  const n = national.sectors.length;
  const fuels: string[] = [];
  const Cs: Float64Array[] = [];
  const totals: Float64Array[] = [];
  const owns: Float64Array[] = [];
  const provincial = options['direct-intensity'] === 'provincial-inventory';
  for (const [key, label] of labels) {
    const masked: EmissionSources =
      options['emission-source'] === 'ceads'
        ? {
            ...src,
            emissions: maskedInventory(src.emissions, key),
            ...(src.nationalInventory && {
              nationalInventory: maskInventory(
                src.nationalInventory,
                src.nationalInventory.columns.map((c) => normaliseFuel(c) === key),
              ),
            }),
          }
        : { ...src, factors: src.factors!.map((f) => (normaliseFuel(f.fuel) === key ? f : { ...f, mtPerUnit: 0 })) };
    const r = directIntensities(
      inputs.provinces,
      inputs.national,
      masked,
      ref.concordance,
      options,
      sectorLevels(options, ref).model,
      ref.hasInventory,
    );
    const tot = Float64Array.from(tables, (t) => r.provinceTotal.get(t.region) ?? 0);
    if (r.C.every((v) => v === 0) && tot.every((v) => v === 0)) continue;
    fuels.push(label);
    Cs.push(r.C);
    totals.push(tot);
    if (provincial) {
      const own = new Float64Array(R * n);
      tables.forEach((t, q) => own.set(r.d.get(t.region)!, q * n));
      owns.push(own);
    }
  }
  const C = new Float64Array(fuels.length * n);
  Cs.forEach((c, f) => C.set(c, f * n));
  const T = new Float64Array(R * fuels.length);
  totals.forEach((tot, f) => tot.forEach((v, r) => (T[r * fuels.length + f] = v)));
  const own = provincial ? new Float64Array(fuels.length * R * n) : undefined;
  owns.forEach((o, f) => own!.set(o, f * R * n));
  const fallbackSet = new Set(base.nationalFallback);
  const sum = (v: Float64Array) => v.reduce((a, b) => a + b, 0);
  return {
    fuels,
    C,
    totals: T,
    ...(own && { own }),
    fallback: Uint8Array.from(tables, (t) => (fallbackSet.has(t.region) ? 1 : 0)),
    sumX: Float64Array.from(inputs.provinces, (t) => sum(t.x)),
    sumXN: sum(inputs.national.x),
    xN: Float64Array.from(national.x),
  };
}

/** d^r and d^N from fuel scales (src/model/README.md, "Direct intensities", steps 2–4, recombined per fuel). */
export function intensitiesFromFuels(b: FuelBasis, scale: Float64Array, n: number, out: Float64Array, o: number): void {
  const F = b.fuels.length;
  const R = b.fallback.length;
  const dN = o + R * n;
  let sumC = 0;
  for (let i = 0; i < n; i++) {
    let c = 0;
    for (let f = 0; f < F; f++) c += scale[f] * b.C[f * n + i];
    sumC += c;
    out[dN + i] = b.xN[i] > 0 ? c / b.xN[i] : 0;
  }
  const cN = sumC / b.sumXN;
  for (let r = 0; r < R; r++) {
    let ratio = 1;
    if (!b.fallback[r]) {
      let tot = 0;
      for (let f = 0; f < F; f++) tot += scale[f] * b.totals[r * F + f];
      ratio = tot / b.sumX[r] / cN;
    }
    const dr = o + r * n;
    if (b.own && !b.fallback[r]) {
      // d^r_i = C^r_i / x^r_i is linear in each fuel's CO2.
      for (let i = 0; i < n; i++) {
        let v = 0;
        for (let f = 0; f < F; f++) v += scale[f] * b.own[(f * R + r) * n + i];
        out[dr + i] = v;
      }
      continue;
    }
    for (let i = 0; i < n; i++) out[dr + i] = out[dN + i] * ratio;
  }
}
