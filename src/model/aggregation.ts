import type { IOTable } from '../data/types.js';

/** A many-to-one sector mapping: source sector i goes to target sector `index[i]`. */
export interface SectorMap {
  from: readonly string[];
  to: readonly string[];
  index: Int32Array;
}

/** Builds a SectorMap from a source-code → target-code lookup; every source code must be mapped. */
export function sectorMap(from: readonly string[], to: readonly string[], target: (code: string) => string): SectorMap {
  const pos = new Map(to.map((c, i) => [c, i]));
  const index = new Int32Array(from.length);
  from.forEach((code, i) => {
    const t = pos.get(target(code));
    if (t === undefined) throw new Error(`sector ${code} maps to ${target(code)}, which is not a target sector`);
    index[i] = t;
  });
  return { from, to, index };
}

/** Sums a vector over the mapping. */
export function aggregateVector(v: Float64Array, map: SectorMap): Float64Array {
  const out = new Float64Array(map.to.length);
  for (let i = 0; i < v.length; i++) out[map.index[i]] += v[i];
  return out;
}

/** Sums rows and columns of a square row-major matrix over the mapping. */
export function aggregateSquare(Z: Float64Array, map: SectorMap): Float64Array {
  const n = map.from.length;
  const m = map.to.length;
  const out = new Float64Array(m * m);
  for (let i = 0; i < n; i++) {
    const row = map.index[i] * m;
    for (let j = 0; j < n; j++) out[row + map.index[j]] += Z[i * n + j];
  }
  return out;
}

/** The table with every block aggregated (src/model/README.md, option "aggregation"). */
export function aggregateTable(t: IOTable, map: SectorMap): IOTable {
  const v = (a: Float64Array) => aggregateVector(a, map);
  return {
    ...t,
    sectors: [...map.to],
    Z: aggregateSquare(t.Z, map),
    y: v(t.y),
    yHouseholds: v(t.yHouseholds),
    E: v(t.E),
    EP: v(t.EP),
    M: v(t.M),
    MP: v(t.MP),
    err: v(t.err),
    x: v(t.x),
  };
}
