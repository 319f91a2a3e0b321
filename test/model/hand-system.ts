/**
 * A 2-province, 3-sector system small enough to solve by hand (numbers in paper-pipeline.test.ts).
 *
 * P1: x = [100,100,100], Z rows [10,20,0], [0,10,20], [0,0,0] → A upper triangular
 *     [[.1,.2,0],[0,.1,.2],[0,0,0]]; E = [20,10,0], EP = [30,20,40], M = [10,0,5], MP = [5,10,0],
 *     err = [0,0,1]; y is what balances each row: [35,50,64].
 * P2: x = [100,100,100], Z rows [0,0,0], [30,0,0], [0,40,0] → A lower triangular
 *     [[0,0,0],[.3,0,0],[0,.4,0]]; E = 0, EP = [10,10,10], M = [20,0,0], MP = [0,30,0], err = 0;
 *     y = [110,90,50].
 * Nation: x = [200,200,200], Z = 20·I (A = 0.1·I), y = [180,180,180].
 * Inventories (Mt): P1 sectors S1..S3 emit [20,10,6] (36 in all), households 3;
 *                   P2 emit [10,2,6] (18 in all), households 0. S_k maps to IO sector 0k.
 */
import type { ReferenceData } from '../../src/model/types.js';
import { sectorMap } from '../../src/model/aggregation.js';
import type { Inventory, IOTable, ProvinceInventory } from '../../src/data/types.js';

const f = (...v: number[]) => Float64Array.from(v);
const sectors = ['01', '02', '03'];

function table(region: string, Z: number[], parts: Omit<IOTable, 'region' | 'sectors' | 'Z' | 'y' | 'yHouseholds' | 'source'>): IOTable {
  const n = 3;
  const y = new Float64Array(n);
  for (let i = 0; i < n; i++) {
    const z = Z[i * n] + Z[i * n + 1] + Z[i * n + 2];
    y[i] = parts.x[i] - z - parts.E[i] - parts.EP[i] + parts.M[i] + parts.MP[i] - parts.err[i];
  }
  return { region, sectors, Z: Float64Array.from(Z), y, yHouseholds: y.map((v) => v / 2), source: `hand ${region}`, ...parts };
}

export const P1 = table('P1', [10, 20, 0, 0, 10, 20, 0, 0, 0], {
  x: f(100, 100, 100),
  E: f(20, 10, 0),
  EP: f(30, 20, 40),
  M: f(10, 0, 5),
  MP: f(5, 10, 0),
  err: f(0, 0, 1),
});
export const P2 = table('P2', [0, 0, 0, 30, 0, 0, 0, 40, 0], {
  x: f(100, 100, 100),
  E: f(0, 0, 0),
  EP: f(10, 10, 10),
  M: f(20, 0, 0),
  MP: f(0, 30, 0),
  err: f(0, 0, 0),
});
export const NATION = table('China', [20, 0, 0, 0, 20, 0, 0, 0, 20], {
  x: f(200, 200, 200),
  E: f(0, 0, 0),
  EP: f(0, 0, 0),
  M: f(0, 0, 0),
  MP: f(0, 0, 0),
  err: f(0, 0, 0),
});

/** Emissions split between a fuel column and process; the sheet's total column must not be counted twice. */
function inventory(province: string, co2: number[], households: number): ProvinceInventory {
  const columns = ['Raw Coal', 'Process', 'Scope 1 Total'];
  const data = new Float64Array(9);
  co2.forEach((c, k) => data.set([c * 0.75, c * 0.25, c], k * 3));
  const total = co2.reduce((a, b) => a + b, 0);
  return {
    province,
    sectors: ['S1', 'S2', 'S3'],
    columns,
    units: ['Mt CO2', 'Mt CO2', 'Mt CO2'],
    data,
    households: { urban: f(households, 0, households), rural: f(0, 0, 0) },
    total: f(total * 0.75, total * 0.25, total),
    source: `hand inventory ${province}`,
  };
}

export const EMISSIONS: Inventory = {
  kind: 'emissions',
  provinces: new Map([
    ['P1', inventory('P1', [20, 10, 6], 3)],
    ['P2', inventory('P2', [10, 2, 6], 0)],
  ]),
  source: 'hand inventory',
};

const identity = sectorMap(sectors, sectors, (c) => c);
export const REFERENCE: ReferenceData = {
  to30: identity,
  groups30: sectorMap(sectors, ['goods', 'services'], (c) => (c === '03' ? 'services' : 'goods')),
  groups42: sectorMap(sectors, ['goods', 'services'], (c) => (c === '03' ? 'services' : 'goods')),
  concordance: {
    ceadsSectors: sectors.map((_, k) => ({ index: k + 1, name: `S${k + 1}`, nameEnergy: `S${k + 1}` })),
    entries: sectors.map((io, k) => ({ ceadsSector: `S${k + 1}`, ioSector: io, weight: 1 })),
  },
  hasInventory: () => true,
  sectorNames: { 30: new Map(sectors.map((c) => [c, `sector ${c}`])), 42: new Map(sectors.map((c) => [c, `sector ${c}`])) },
};
