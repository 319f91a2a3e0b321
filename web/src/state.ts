/** What the page shows now: one mutable record the views read and the controls change. */
import type { ComputeResult } from '../../src/report/compute.js';
import { NO_SCALING, type Scalings } from '../../src/model/scenario.js';
import type { DatasetInfo } from './worker/protocol.js';
import { parseBundledData, type Province } from '../../src/data/parse.js';
import { DEFAULT_OPTIONS, type ModelOptions } from '../../src/model/options.js';
import { DATA_TEXTS } from './bundled.js';

export type Metric = 'N' | 'NP' | 'T';

export const bundled = parseBundledData((file) => DATA_TEXTS[file]!);
export const meta = new Map<string, Province>(bundled.provinces.map((p) => [p.province, p]));
export const byZh = new Map<string, Province>(bundled.provinces.map((p) => [p.zh, p]));

export const state = {
  metric: 'N' as Metric,
  selected: 'Zhejiang',
  options: { ...DEFAULT_OPTIONS } as ModelOptions,
  scalings: { ...NO_SCALING, province: 'Zhejiang' } as Scalings,
  result: undefined as ComputeResult | undefined,
  dataset: undefined as DatasetInfo | undefined,
  /** Colour scale half-range (Mt CO2); kept while only sliders move, so the map shows their effect. */
  domain: 1,
  rescale: true,
  computes: 0,
  roundTrips: [] as number[],
};
