/** The model's reference data (sector maps, concordance, provinces) from the bundled data/ files. */
import { GROUPS6, type BundledData, type Sector30, type Sector42 } from '../data/parse.js';
import { sectorMap } from './aggregation.js';
import type { ReferenceData } from './types.js';

/** The study's sector maps: 42 IO sectors -> 30 (data/sectors.csv), 30 -> 6 groups and 42 -> 6 groups. */
function sectorMapsOf(
  sectors42: readonly Sector42[],
  sectors30: readonly Sector30[],
): Pick<ReferenceData, 'to30' | 'groups30' | 'groups42'> {
  const codes42 = sectors42.map((s) => s.code);
  const codes30 = sectors30.map((s) => s.code);
  const to30 = new Map(sectors42.map((s) => [s.code, s.sector30]));
  const group30 = new Map(sectors30.map((s) => [s.code, s.group6]));
  const group42 = new Map(sectors42.map((s) => [s.code, s.group6]));
  return {
    to30: sectorMap(codes42, codes30, (c) => to30.get(c)!),
    groups30: sectorMap(codes30, GROUPS6, (c) => group30.get(c)!),
    groups42: sectorMap(codes42, GROUPS6, (c) => group42.get(c)!),
  };
}

export function referenceDataOf(data: BundledData): ReferenceData {
  const withInventory = new Set(data.provinces.filter((p) => p.ceadsSheet !== '').map((p) => p.province));
  return {
    ...sectorMapsOf(data.sectors42, data.sectors30),
    concordance: { ceadsSectors: data.ceadsSectors, entries: data.concordance },
    hasInventory: (p) => withInventory.has(p),
    sectorNames: {
      30: new Map(data.sectors30.map((s) => [s.code, s.en])),
      42: new Map(data.sectors42.map((s) => [s.code, s.en])),
    },
  };
}
