/**
 * The interprovincial MRIO as a pymrio system (`embodied mrio --provincial … --format pymrio`), so a
 * pymrio user gets the provinces' table in one command (`pymrio.load_all(DIR)`).
 *
 * pymrio sums every final-demand column of a region into that region's footprint (D_cba_reg) and
 * counts every column outside it as its exports (D_exp), so the two final demands that are nobody's
 * consumption in China get regions of their own, with sectors that produce nothing (zero rows and
 * columns of Z, zero output and CO2): `Foreign exports` holds the provinces' foreign exports E by
 * origin row, `Unallocated` the destinations' discrepancy and the balancing residual (u + ρ). Then
 * D_pba_reg of a province is its production, D_cba_reg its consumption (plus its households' CO2
 * from F_Y, when the scope counts them), D_cba_reg of `Foreign exports` the CO2 embodied in all
 * foreign exports, as the provincial run reports them. Foreign imports stay outside, as in the run.
 */
import { flatIndex, index, matrix, regionSectorIndex } from './labels.js';
import type { PymrioSystem, TextTable } from './pymrio-folder.js';
import type { ProvincialMrio } from './provincial.js';

const FOREIGN_EXPORTS = 'Foreign exports';
const UNALLOCATED = 'Unallocated';

export interface ProvincialPymrioInput {
  /** The sector labels pymrio shows (names, not codes: pandas reads a label like "01" as the number 1). */
  sectorLabels: readonly string[];
  /** Direct intensities d^r per province (Mt per 10^4 CNY), as the accounts used them. */
  d: ReadonlyMap<string, Float64Array>;
  /** Households' CO2 per province (Mt), booked to its final use in F_Y; absent when the scope leaves them out. */
  households?: ReadonlyMap<string, number>;
  description: string;
}

function textTable(rows: ReturnType<typeof index>, column: string, value: string): TextTable {
  return { rows, cols: flatIndex('', [column]), cells: rows.keys.map(() => value) };
}

export function provincialPymrioSystem(m: ProvincialMrio, p: ProvincialPymrioInput): PymrioSystem {
  const R = m.provinces.length;
  const ns = m.sectors.length;
  const regions = [...m.provinces, FOREIGN_EXPORTS, UNALLOCATED];
  const N = regions.length * ns;
  const n = m.n;
  const rows = regionSectorIndex(regions, p.sectorLabels);
  const Z = new Float64Array(N * N);
  for (let a = 0; a < n; a++) Z.set(m.Z.subarray(a * n, (a + 1) * n), a * N);
  const yCols = index(
    ['region', 'category'],
    [...m.provinces.map((s) => [s, 'final use']), [FOREIGN_EXPORTS, 'exports'], [UNALLOCATED, 'unallocated']],
  );
  const C = R + 2;
  const Y = new Float64Array(N * C);
  const x = new Float64Array(N);
  const F = new Float64Array(N);
  for (let a = 0; a < n; a++) {
    for (let s = 0; s < R; s++) Y[a * C + s] = m.F[a * R + s]!;
    Y[a * C + R] = m.E[a]!;
    Y[a * C + R + 1] = m.u[a]! + m.rho[a]!;
    x[a] = m.x[a]!;
    F[a] = p.d.get(m.provinces[Math.floor(a / ns)]!)![a % ns]! * m.x[a]!;
  }
  const stressor = index(['stressor', 'compartment'], [['CO2', 'air']]);
  const ext: PymrioSystem['extensions'][number] = {
    name: 'CO2',
    folder: 'co2',
    tables: new Map([['F', matrix(stressor, rows, F)]]),
    files: new Map(),
    unit: textTable(stressor, 'unit', 'Mt'),
  };
  if (p.households) {
    const FY = new Float64Array(C);
    m.provinces.forEach((s, r) => (FY[r] = p.households!.get(s) ?? 0));
    ext.tables.set('F_Y', matrix(stressor, yCols, FY));
  }
  const name = 'China interprovincial MRIO 2017';
  return {
    name,
    source: '',
    tables: new Map([
      ['Z', matrix(rows, rows, Z)],
      ['Y', matrix(rows, yCols, Y)],
      ['x', matrix(rows, flatIndex('', ['indout']), x)],
    ]),
    files: new Map(),
    unit: textTable(rows, 'unit', '10^4 CNY'),
    meta: { name, description: p.description, system: 'pxp', version: '2017', history: [] },
    extensions: [ext],
  };
}
