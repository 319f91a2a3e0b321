/** The model's reference data (sector maps, concordance, provinces) from the bundled data/ files. */
import { GROUPS6, type BundledData } from '../data/parse.js';
import { sectorMap } from './aggregation.js';
import type { ReferenceData } from './pipeline.js';

export function referenceDataOf(data: BundledData): ReferenceData {
  const codes42 = data.sectors42.map((s) => s.code);
  const codes30 = data.sectors30.map((s) => s.code);
  const to30 = new Map(data.sectors42.map((s) => [s.code, s.sector30]));
  const group30 = new Map(data.sectors30.map((s) => [s.code, s.group6]));
  const group42 = new Map(data.sectors42.map((s) => [s.code, s.group6]));
  const withInventory = new Set(data.provinces.filter((p) => p.ceadsSheet !== '').map((p) => p.province));
  return {
    to30: sectorMap(codes42, codes30, (c) => to30.get(c)!),
    groups30: sectorMap(codes30, GROUPS6, (c) => group30.get(c)!),
    groups42: sectorMap(codes42, GROUPS6, (c) => group42.get(c)!),
    concordance: { ceadsSectors: data.ceadsSectors, entries: data.concordance },
    hasInventory: (p) => withInventory.has(p),
  };
}
