/**
 * MRIO systems in pymrio's folder format, written into a folder the caller owns (a temporary or
 * bench output folder, never the repository), for the embodied-vs-pymrio benchmark and tests:
 *
 * - `writeWiodPymrio`: WIOD 2013 release, 2011, as published (../shared/data/wiod-2013-2011: Z.csv,
 *   Y.csv; labels "AUS_c1" → region AUS, sector c1; "AUS_fd1" → region AUS, category fd1), with
 *   two seeded synthetic extensions (WIOD's environmental accounts are not in the shared data):
 *   "Emissions" (two stressors, F = s ∘ max(x, 0), s uniform on [0.01, 1); households' F_Y for the
 *   first) and "Factor Inputs" (value added = x − column sum of Z, as published it is negative for
 *   a few sectors). x = Z 1 + Y 1 as pymrio computes it (the published x.csv is rounded).
 * - `writeSyntheticPymrio`: R regions × S sectors (default 50 × 100, n = 5000), seeded: domestic
 *   blocks of A ~25 % dense, foreign ~1.5 %, each column of A summing to c_j uniform on [0.3, 0.8];
 *   a total final demand y > 0 per row, x = (I − A)⁻¹ y by Neumann iteration (ρ(A) ≤ 0.8), Z = A
 *   diag(x); Y split over three categories per region (most of it in the row's own region), and
 *   the same two extensions as above.
 */
import { spawnSync } from 'node:child_process';
import { existsSync, readFileSync } from 'node:fs';
import { dirname, join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { parse } from 'csv-parse/sync';
import { uniformFloat64 } from 'pure-rand/distribution/uniformFloat64';
import { xoroshiro128plus } from 'pure-rand/generator/xoroshiro128plus';
import { flatIndex, index, keyText, matrix, nCols, regionSectorIndex, type Index, type LabelledMatrix } from '../src/mrio/labels.js';
import { writePymrio, type PymrioExtension, type PymrioSystem } from '../src/mrio/pymrio-folder.js';

const HERE = dirname(fileURLToPath(import.meta.url));
const PYMRIO = resolve(HERE, '../../shared/tools/pymrio');

/** A python3 that imports pandas and requests (what pymrio needs), with pymrio present; else undefined. */
export function pymrioPython(): string | undefined {
  if (!existsSync(PYMRIO)) return undefined;
  return ['/usr/bin/python3', 'python3'].find((p) => spawnSync(p, ['-c', 'import pandas, requests'], { stdio: 'ignore' }).status === 0);
}

/**
 * The command that runs pymrio's load_all + calc_all on `folder` (bench/pymrio_run.py), with
 * OPENBLAS_CORETYPE / OPENBLAS_L2_SIZE removed as the pymrio README says; --save DIR when given.
 */
export function pymrioCommand(python: string, folder: string, save?: string): { cmd: string; args: string[]; env: NodeJS.ProcessEnv } {
  const env: NodeJS.ProcessEnv = { ...process.env, PYTHONPATH: PYMRIO };
  delete env.OPENBLAS_CORETYPE;
  delete env.OPENBLAS_L2_SIZE;
  return { cmd: python, args: [join(HERE, 'pymrio_run.py'), folder, ...(save ? ['--save', save] : [])], env };
}

function uniform(seed: number): () => number {
  const g = xoroshiro128plus(seed);
  return () => uniformFloat64(g);
}

/** A numeric CSV with one label column and a header row (WIOD's Z.csv, Y.csv), every cell checked. */
export function readCsvNumbers(file: string): { rowNames: string[]; colNames: string[]; data: Float64Array } {
  const recs = parse(readFileSync(file, 'utf8'), { relax_column_count: true }) as string[][];
  const colNames = recs[0]!.slice(1);
  const rows = recs.slice(1);
  const data = new Float64Array(rows.length * colNames.length);
  rows.forEach((r, i) => {
    for (let j = 0; j < colNames.length; j++) {
      const v = Number(r[j + 1]);
      if (!Number.isFinite(v) || (r[j + 1] ?? '').trim() === '')
        throw new Error(`${file}: row ${i + 2}, column ${j + 2} is not a number ("${r[j + 1]}")`);
      data[i * colNames.length + j] = v;
    }
  });
  return { rowNames: rows.map((r) => r[0]!), colNames, data };
}

/** "AUS_c1" → ["AUS", "c1"]. */
function split(label: string, file: string): string[] {
  const p = label.indexOf('_');
  if (p < 1) throw new Error(`${file}: label "${label}" is not REGION_NAME`);
  return [label.slice(0, p), label.slice(p + 1)];
}

/** The two extensions of both systems, from x, Z's column sums and Y's household columns. */
function extensions(
  rs: Index,
  x: Float64Array,
  zColSum: Float64Array,
  Ycols: Index,
  households: (col: number) => boolean,
  seed: number,
): PymrioExtension[] {
  const n = x.length;
  const rand = uniform(seed);
  const stressors = index(
    ['stressor', 'compartment'],
    [
      ['emission_type1', 'air'],
      ['emission_type2', 'water'],
    ],
  );
  const F = new Float64Array(2 * n);
  for (let k = 0; k < 2; k++) for (let j = 0; j < n; j++) F[k * n + j] = (0.01 + 0.99 * rand()) * Math.max(x[j]!, 0);
  const m = Ycols.keys.length;
  const FY = new Float64Array(2 * m);
  for (let c = 0; c < m; c++) if (households(c)) FY[c] = 1000 * (0.5 + rand());
  const va = new Float64Array(n);
  for (let j = 0; j < n; j++) va[j] = x[j]! - zColSum[j]!;
  const unit = (ix: Index, u: string) => ({ rows: ix, cols: flatIndex('', ['unit']), cells: ix.keys.map(() => u) });
  const va1 = flatIndex('stressor', ['Value Added']);
  return [
    {
      name: 'Emissions',
      folder: 'emissions',
      tables: new Map([
        ['F', matrix(stressors, rs, F)],
        ['F_Y', matrix(stressors, Ycols, FY)],
      ]),
      files: new Map(),
      unit: unit(stressors, 'kg'),
    },
    {
      name: 'Factor Inputs',
      folder: 'factor_inputs',
      tables: new Map([['F', matrix(va1, rs, va)]]),
      files: new Map(),
      unit: unit(va1, 'M.EUR'),
    },
  ];
}

function system(
  name: string,
  rs: Index,
  Z: Float64Array,
  Y: LabelledMatrix,
  households: (col: number) => boolean,
  seed: number,
): PymrioSystem {
  const n = rs.keys.length;
  const m = Y.cols.keys.length;
  const x = new Float64Array(n);
  const zc = new Float64Array(n);
  for (let i = 0; i < n; i++) {
    let s = 0;
    for (let j = 0; j < n; j++) {
      s += Z[i * n + j]!;
      zc[j]! += Z[i * n + j]!;
    }
    for (let c = 0; c < m; c++) s += Y.data[i * m + c]!;
    x[i] = s;
  }
  return {
    name,
    source: '',
    tables: new Map([
      ['Z', matrix(rs, rs, Z)],
      ['Y', Y],
    ]),
    files: new Map(),
    unit: { rows: rs, cols: flatIndex('', ['unit']), cells: rs.keys.map(() => 'M.EUR') },
    extensions: extensions(rs, x, zc, Y.cols, households, seed),
    meta: { name, description: 'written by bench/pymrio-systems.ts', system: 'ixi', version: '1', history: [] },
  };
}

/** WIOD 2013, 2011 as published, with the two seeded extensions, into `dir`. Returns n. */
export async function writeWiodPymrio(dir: string, wiodDir: string, seed = 2011): Promise<number> {
  const Zc = readCsvNumbers(`${wiodDir}/Z.csv`);
  const Yc = readCsvNumbers(`${wiodDir}/Y.csv`);
  const n = Zc.rowNames.length;
  if (Zc.colNames.length !== n || Zc.colNames.some((c, i) => c !== Zc.rowNames[i]) || Yc.rowNames.some((r, i) => r !== Zc.rowNames[i]))
    throw new Error(`${wiodDir}: Z.csv is not square with the same row and column labels as Y.csv's rows`);
  const rs = index(
    ['region', 'sector'],
    Zc.rowNames.map((r) => split(r, 'Z.csv')),
  );
  const Ycols = index(
    ['region', 'category'],
    Yc.colNames.map((c) => split(c, 'Y.csv')),
  );
  const sys = system('WIOD 2013 release, 2011', rs, Zc.data, matrix(rs, Ycols, Yc.data), (c) => Ycols.keys[c]![1] === 'fd1', seed);
  await writePymrio(dir, sys);
  return n;
}

export interface SyntheticOptions {
  regions?: number;
  sectors?: number;
  seed?: number;
}

/** The seeded synthetic MRIO (see the module comment) into `dir`. Returns n. */
export async function writeSyntheticPymrio(dir: string, o: SyntheticOptions = {}): Promise<number> {
  const R = o.regions ?? 50;
  const S = o.sectors ?? 100;
  const n = R * S;
  const rand = uniform(o.seed ?? 5000);
  const A = new Float64Array(n * n);
  for (let j = 0; j < n; j++) {
    const rj = Math.floor(j / S);
    let sum = 0;
    for (let i = 0; i < n; i++) {
      const dom = Math.floor(i / S) === rj;
      if (rand() >= (dom ? 0.25 : 0.015)) continue;
      const v = rand() ** 2 * (dom ? 1 : 0.3);
      A[i * n + j] = v;
      sum += v;
    }
    const c = 0.3 + 0.5 * rand();
    if (sum > 0) for (let i = 0; i < n; i++) A[i * n + j]! *= c / sum;
  }
  // Sparse rows of A for the Neumann iteration x ← y + A x.
  const cols: number[][] = Array.from({ length: n }, () => []);
  for (let i = 0; i < n; i++) for (let j = 0; j < n; j++) if (A[i * n + j] !== 0) cols[i]!.push(j);
  const y = new Float64Array(n);
  for (let i = 0; i < n; i++) y[i] = 100 + 900 * rand();
  let x = Float64Array.from(y);
  for (let it = 0; it < 1000; it++) {
    const next = new Float64Array(n);
    let change = 0;
    for (let i = 0; i < n; i++) {
      let s = y[i]!;
      for (const j of cols[i]!) s += A[i * n + j]! * x[j]!;
      next[i] = s;
      change = Math.max(change, Math.abs(s - x[i]!) / s);
    }
    x = next;
    if (change < 1e-15) break;
  }
  const Z = A; // in place: Z = A diag(x)
  for (let i = 0; i < n; i++) for (const j of cols[i]!) Z[i * n + j]! *= x[j]!;
  const regions = Array.from({ length: R }, (_, r) => `r${String(r + 1).padStart(2, '0')}`);
  const sectors = Array.from({ length: S }, (_, s) => `s${String(s + 1).padStart(3, '0')}`);
  const rs = regionSectorIndex(regions, sectors);
  const cats = ['households', 'government', 'investment'];
  const Ycols = index(
    ['region', 'category'],
    regions.flatMap((r) => cats.map((c) => [r, c])),
  );
  const m = 3 * R;
  const Y = new Float64Array(n * m);
  for (let i = 0; i < n; i++) {
    const home = Math.floor(i / S);
    const w = new Float64Array(m);
    let tot = 0;
    for (let c = 0; c < m; c++) {
      w[c] = (Math.floor(c / 3) === home ? 20 : 0.2) * rand();
      tot += w[c]!;
    }
    for (let c = 0; c < m; c++) Y[i * m + c] = (y[i]! * w[c]!) / tot;
  }
  await writePymrio(
    dir,
    system(`synthetic ${R} x ${S}`, rs, Z, matrix(rs, Ycols, Y), (c) => c % 3 === 0, (o.seed ?? 5000) + 1),
  );
  return n;
}

/** The accounts bench/pymrio_run.py --save writes for each extension. */
const ACCOUNTS = ['S', 'M', 'D_cba', 'D_pba', 'D_imp', 'D_exp', 'D_cba_reg', 'D_pba_reg', 'D_imp_reg', 'D_exp_reg'] as const;

export interface PymrioDifference {
  /** Values compared (pymrio's finite ones). */
  compared: number;
  /** Largest |ours − pymrio| / max(|pymrio|, 1e-9 · largest |pymrio| of its row). */
  worst: number;
  where: string;
}

/**
 * Our accounts (a system as `embodied mrio --pymrio` wrote it, read back) against pymrio's, saved by
 * `bench/pymrio_run.py FOLDER --save DIR`: labels must be equal; values where pymrio's are finite.
 */
export function pymrioDifference(ours: PymrioSystem, saved: string): PymrioDifference {
  const d: PymrioDifference = { compared: 0, worst: 0, where: '' };
  for (const e of ours.extensions) {
    for (const k of ACCOUNTS) {
      const theirs = JSON.parse(readFileSync(join(saved, `${e.name}_${k}.json`), 'utf8')) as {
        rows: string[];
        cols: string[];
        data: (number | null)[];
      };
      const m = e.tables.get(k);
      if (!m) throw new Error(`${e.name}: no ${k} in our output`);
      const rows = m.rows.keys.map(keyText);
      const cols = m.cols.keys.map(keyText);
      if (rows.join('\n') !== theirs.rows.join('\n') || cols.join('\n') !== theirs.cols.join('\n'))
        throw new Error(`${e.name} ${k}: labels differ from pymrio's`);
      const c = nCols(m);
      for (let i = 0; i < rows.length; i++) {
        let scale = 0;
        for (let j = 0; j < c; j++) scale = Math.max(scale, Math.abs(theirs.data[i * c + j] ?? 0));
        for (let j = 0; j < c; j++) {
          const want = theirs.data[i * c + j];
          if (want === null || want === undefined) continue;
          const err = Math.abs(m.data[i * c + j]! - want) / Math.max(Math.abs(want), 1e-9 * scale, Number.MIN_VALUE);
          d.compared++;
          if (!(err <= d.worst)) {
            d.worst = Number.isNaN(err) ? Infinity : err;
            d.where = `${e.name} ${k} [${rows[i]}, ${cols[j]}]: ${m.data[i * c + j]} vs pymrio's ${want}`;
          }
        }
      }
    }
  }
  return d;
}
