/**
 * pymrio's `calc_all` on a system read from its folder format: checks that the tables fit
 * together (labels, sizes, outputs), then computes x, A, (L when asked for), S, S_Y, M and the D accounts per
 * sector and per region (definitions in iomath.ts), and checks the identity
 * D_cba_reg = D_pba_reg + D_imp_reg − D_exp_reg per region and stressor; with a population (the
 * extension's or the system's), the per-capita D_*_cap (per-capita.ts).
 *
 * What pymrio would use when present: x.txt (output) is taken as given; A and L are always
 * recomputed from Z and x (pymrio keeps a given A; for a consistent folder that is the same).
 *
 * L is not needed for the accounts (iomath.ts): one LU of I − A, R solves and R·K transposed solves
 * give them. L is computed only when asked for (`tables`), or when the transposed solves would cost
 * more than the inverse (R·K > 2n/3: 2n² per solve against 4n³/3 for the inverse after the LU).
 *
 * Outputs as pymrio's calc_A / calc_S take them: a column whose output x is zero gets zero
 * coefficients; a negative x divides as any other. Both are named in `warnings` when they change
 * something (a zero output with inputs or stressors; any negative output).
 */
import type { Kernel } from '../kernel/api.js';
import { ConvergenceError, SingularMatrixError } from '../kernel/errors.js';
import type { PymrioExtension, PymrioSystem } from './pymrio-folder.js';
import { MrioInputError } from './errors.js';
import { perCapita } from './per-capita.js';
import {
  aggregateY,
  calcA,
  calcAccounts,
  calcS,
  calcSY,
  calcX,
  multipliersBySolves,
  multipliersFromL,
  OUTPUT_COLUMN,
  regionOutputs,
  type Accounts,
} from './iomath.js';
import { indexDifference, keyText, matrix, nCols, nRows, regionSectorGrid, sumColumnsBy, type LabelledMatrix } from './labels.js';
import {
  conditionVerdict,
  denseSolver,
  iterativeSolver,
  type IterativeSolverOptions,
  type LeontiefSolver,
  type SolverKind,
} from './solver.js';

/** Core tables written only when asked for: each costs n² values of text, L also an inverse. */
export const OPTIONAL_TABLES = ['A', 'L'] as const;
export type OptionalTable = (typeof OPTIONAL_TABLES)[number];

export interface CalcAllOptions {
  solver?: SolverKind;
  /** Core tables to include in the result's system (default none: Z, Y, x and the extensions' tables). */
  tables?: readonly OptionalTable[];
  iterative?: IterativeSolverOptions;
  /** Relative tolerance of the accounts identity check (default 1e-9). */
  identityTol?: number;
}

export interface CalcAllResult {
  system: PymrioSystem;
  regions: string[];
  sectors: string[];
  solver: SolverKind;
  kernel: string;
  iterations: number;
  /** How M⁽ᵉ⁾ = S⁽ᵉ⁾ L were obtained: transposed solves, or the rows of an explicit L. */
  multipliers: 'solves' | 'inverse';
  /** Sectors whose output is negative, or zero with inputs or stressors (named, with what it does). */
  warnings: string[];
  /** Largest relative error of D_cba_reg = D_pba_reg + D_imp_reg − D_exp_reg over all extensions. */
  identityMaxRelError: number;
  identityOk: boolean;
  /** Largest |x − L·Y·1| / |x|: how well the solve reproduces the output. */
  outputMaxRelError: number;
  /** Estimated 1-norm condition number of I − A (dense solver): a solve may lose up to log10 of it in significant digits. */
  condition?: number;
  accounts: Map<string, Accounts>;
}

function fileOf(sys: { files: Map<string, string> }, key: string, dflt: string): string {
  return sys.files.get(key) ?? dflt;
}

/** Validates a system; returns Z, Y, x, regions, sectors. Throws MrioInputError naming the file. */
function checkSystem(sys: PymrioSystem): {
  Z: LabelledMatrix;
  Y: LabelledMatrix;
  x: LabelledMatrix;
  regions: string[];
  sectors: string[];
  Yagg: LabelledMatrix;
  warnings: string[];
} {
  const Z = sys.tables.get('Z');
  const Y = sys.tables.get('Y');
  if (!Z) throw new MrioInputError('file_parameters.json', 'lists no "Z" table (the intermediate flows are required)');
  if (!Y) throw new MrioInputError('file_parameters.json', 'lists no "Y" table (the final demand is required)');
  const zf = fileOf(sys, 'Z', 'Z.txt');
  const yf = fileOf(sys, 'Y', 'Y.txt');
  if (nRows(Z) !== nCols(Z)) throw new MrioInputError(zf, `is not square: ${nRows(Z)} rows × ${nCols(Z)} columns`);
  const zd = indexDifference(Z.rows, Z.cols);
  if (zd) throw new MrioInputError(zf, `row and column labels differ: ${zd}`);
  const grid = regionSectorGrid(Z.rows);
  if (typeof grid === 'string') throw new MrioInputError(zf, `rows are not a region × sector table: ${grid}`);
  const { regions, sectors } = grid;
  const yd = indexDifference(Y.rows, Z.rows);
  if (yd) throw new MrioInputError(yf, `row labels differ from ${zf}'s: ${yd}`);
  const Yagg = aggregateY(Y, regions);
  if (!('data' in Yagg)) {
    const parts: string[] = [];
    if (Yagg.missing.length) parts.push(`no final-demand columns for region(s) ${Yagg.missing.join(', ')} of ${zf}`);
    if (Yagg.unknown.length) parts.push(`columns for region(s) ${Yagg.unknown.join(', ')} that ${zf} does not have`);
    throw new MrioInputError(yf, parts.join('; '));
  }
  let x: LabelledMatrix;
  const given = sys.tables.get('x');
  const xf = given ? fileOf(sys, 'x', 'x.txt') : `${zf} + ${yf}`;
  if (given) {
    const d = indexDifference(given.rows, Z.rows);
    if (d) throw new MrioInputError(xf, `row labels differ from ${zf}'s: ${d}`);
    if (nCols(given) !== 1) throw new MrioInputError(xf, `has ${nCols(given)} columns, expected 1 (the output)`);
    x = matrix(Z.rows, OUTPUT_COLUMN, given.data);
  } else {
    x = calcX(Z, Y);
  }
  if (sys.unit) {
    const d = indexDifference(sys.unit.rows, Z.rows);
    if (d) throw new MrioInputError(fileOf(sys, 'unit', 'unit.txt'), `row labels differ from ${zf}'s: ${d}`);
  }
  const warnings = outputWarnings(sys, Z, x, given ? 'x' : 'Z + Y');
  for (const e of sys.extensions) checkExtension(e, Z, Y, zf, yf);
  return { Z, Y, x, regions, sectors, Yagg, warnings };
}

/**
 * pymrio's convention for outputs that are not positive, said per sector: a zero output zeroes the
 * sector's coefficients (its inputs and stressors are dropped), a negative one divides them as any
 * other (WIOD 2013, 2011 has two Luxembourg sectors with no inputs and x = −1).
 */
function outputWarnings(sys: PymrioSystem, Z: LabelledMatrix, x: LabelledMatrix, from: 'x' | 'Z + Y'): string[] {
  const n = nRows(Z);
  const out: string[] = [];
  const what = from === 'x' ? 'output x' : 'output x (row sum of Z and Y)';
  for (let j = 0; j < n; j++) {
    const xj = x.data[j]!;
    if (xj > 0) continue;
    const label = keyText(Z.rows.keys[j]!);
    let inputs = 0;
    for (let i = 0; i < n; i++) inputs += Math.abs(Z.data[i * n + j]!);
    const stressors: string[] = [];
    for (const e of sys.extensions) {
      const F = e.tables.get('F');
      if (!F || nCols(F) !== n) continue;
      for (let k = 0; k < nRows(F); k++) if (F.data[k * n + j] !== 0) stressors.push(`${e.name}/${keyText(F.rows.keys[k]!)}`);
    }
    const has = [
      ...(inputs > 0 ? [`inputs (column sum of |Z| = ${inputs})`] : []),
      ...(stressors.length ? [`stressors (${stressors.join(', ')})`] : []),
    ].join(' and ');
    if (xj < 0) {
      out.push(
        `${label}: ${what} is negative (${xj}); its coefficients are divided by it as pymrio does${has ? ` (it has ${has})` : ' (it has no inputs or stressors: its coefficients are zero)'}`,
      );
    } else if (has) {
      out.push(`${label}: ${what} is zero; its ${has} get zero coefficients (pymrio's convention) and drop out of the accounts`);
    }
  }
  return out;
}

function checkExtension(e: PymrioExtension, Z: LabelledMatrix, Y: LabelledMatrix, zf: string, yf: string): void {
  const ff = fileOf(e, 'F', `${e.folder}/F.txt`);
  const F = e.tables.get('F');
  if (!F) throw new MrioInputError(`${e.folder}/file_parameters.json`, 'lists no "F" table (the stressors by sector are required)');
  if (nCols(F) !== nRows(Z)) throw new MrioInputError(ff, `has ${nCols(F)} columns, ${zf} has ${nRows(Z)} sectors`);
  const d = indexDifference(F.cols, Z.rows);
  if (d) throw new MrioInputError(ff, `column labels differ from ${zf}'s rows: ${d}`);
  const FY = e.tables.get('F_Y');
  if (FY) {
    const fyf = fileOf(e, 'F_Y', `${e.folder}/F_Y.txt`);
    if (nCols(FY) !== nCols(Y)) throw new MrioInputError(fyf, `has ${nCols(FY)} columns, ${yf} has ${nCols(Y)}`);
    const dc = indexDifference(FY.cols, Y.cols);
    if (dc) throw new MrioInputError(fyf, `column labels differ from ${yf}'s: ${dc}`);
    const dr = indexDifference(FY.rows, F.rows);
    if (dr) throw new MrioInputError(fyf, `row labels (stressors) differ from ${ff}'s: ${dr}`);
  }
  if (e.unit) {
    const du = indexDifference(e.unit.rows, F.rows);
    if (du) throw new MrioInputError(fileOf(e, 'unit', `${e.folder}/unit.txt`), `row labels (stressors) differ from ${ff}'s: ${du}`);
  }
}

function maxColumnSum(A: Float64Array, n: number): number {
  const s = new Float64Array(n);
  for (let i = 0; i < n; i++) for (let j = 0; j < n; j++) s[j]! += Math.abs(A[i * n + j]!);
  let m = 0;
  for (const v of s) m = Math.max(m, v);
  return m;
}

/** Runs a solve and turns kernel failures into MrioInputError naming the Z file (and, when singular, the column's labels). */
function guarded<T>(zf: string, A: Float64Array, n: number, columns: readonly string[][], f: () => T): T {
  try {
    return f();
  } catch (e) {
    if (e instanceof ConvergenceError) {
      throw new MrioInputError(
        zf,
        `the iterative Leontief solve did not converge (${e.message}); the largest column sum of A = Z diag(x)⁻¹ is ${maxColumnSum(A, n).toPrecision(6)} (it must be below 1 for the iteration to converge): check Z and the outputs, or use the dense solver`,
        undefined,
        undefined,
        { cause: e },
      );
    }
    if (e instanceof SingularMatrixError) {
      const at = columns[e.pivot]?.join('/') ?? `column ${e.pivot + 1}`;
      throw new MrioInputError(
        zf,
        `I − A is singular at ${at} (${e.message}): some sectors' inputs use up all their output`,
        undefined,
        undefined,
        {
          cause: e,
        },
      );
    }
    throw e;
  }
}

/** pymrio's calc_all: returns the system with x (A, L when asked for) and every extension's accounts. */
export function calcAll(sys: PymrioSystem, kernel: Kernel, opts: CalcAllOptions = {}): CalcAllResult {
  const kind = opts.solver ?? 'dense';
  const want = new Set(opts.tables ?? []);
  const { Z, Y, x, regions, sectors, Yagg, warnings } = checkSystem(sys);
  const zf = fileOf(sys, 'Z', 'Z.txt');
  const n = nRows(Z);
  if (want.has('L') && kind !== 'dense')
    throw new Error('L is computed by the dense solver only: drop L from the tables to write, or use --solver dense');
  const A = calcA(Z, x);
  const stressors = sys.extensions.reduce((s, e) => s + nRows(e.tables.get('F')!), 0);
  const inverseCheaper = kind === 'dense' && 3 * regions.length * stressors > 2 * n;
  let L: Float64Array | undefined;
  const solver: LeontiefSolver =
    kind === 'dense'
      ? guarded(zf, A.data, n, Z.cols.keys, () => denseSolver(kernel, A.data, n))
      : iterativeSolver(kernel, A.data, n, opts.iterative);
  let condition: number | undefined;
  try {
    if (solver.condition) {
      condition = solver.condition();
      const verdict = conditionVerdict(condition);
      if (verdict.singular) throw new MrioInputError(zf, `${verdict.warning}: some sectors' inputs use up nearly all their output`);
      if (verdict.warning) warnings.push(verdict.warning);
    }
    if (kind === 'dense' && (want.has('L') || inverseCheaper)) L = solver.inverse!();
  } catch (e) {
    solver.free();
    throw e;
  }
  const out: PymrioSystem = {
    name: sys.name,
    source: sys.source,
    tables: new Map(),
    files: new Map(),
    extensions: [],
    ...(sys.unit ? { unit: sys.unit } : {}),
  };
  out.tables.set('Z', Z);
  out.tables.set('Y', Y);
  out.tables.set('x', x);
  if (want.has('A')) out.tables.set('A', A);
  if (L && want.has('L')) out.tables.set('L', matrix(A.rows, A.cols, L));
  for (const [k, m] of sys.tables) if (!out.tables.has(k) && !(OPTIONAL_TABLES as readonly string[]).includes(k)) out.tables.set(k, m);

  const accounts = new Map<string, Accounts>();
  let identityMax = 0;
  let outputMax = 0;
  const identityTol = opts.identityTol ?? 1e-9;
  try {
    const X = guarded(zf, A.data, n, Z.cols.keys, () => regionOutputs(Yagg, solver));
    for (const e of sys.extensions) {
      const F = e.tables.get('F')!;
      const FY = e.tables.get('F_Y');
      const S = calcS(F, x);
      const FYagg = FY ? sumColumnsBy(FY, FY.cols.names.indexOf('region') >= 0 ? 'region' : 0) : undefined;
      let FYreg: LabelledMatrix | undefined;
      if (FY && FYagg) {
        // Same region order as Z (labels, not positions).
        const pos = FYagg.cols.keys.map((k) => k[0]!);
        const R = regions.length;
        const K = nRows(FY);
        const data = new Float64Array(K * R);
        for (let r = 0; r < R; r++) {
          const p = pos.indexOf(regions[r]!);
          if (p < 0) continue;
          for (let k = 0; k < K; k++) data[k * R + r] = FYagg.data[k * pos.length + p]!;
        }
        FYreg = { rows: FY.rows, cols: { names: ['region'], keys: regions.map((r) => [r]) }, data };
      }
      const Me = L
        ? multipliersFromL(S, sectors.length, L)
        : guarded(zf, A.data, n, Z.cols.keys, () => multipliersBySolves(S, sectors.length, solver));
      const acc = calcAccounts(S, Yagg, X, Me, regions, sectors, FYreg);
      accounts.set(e.name, acc);
      for (let q = 0; q < acc.D_cba_reg.data.length; q++) {
        const cba = acc.D_cba_reg.data[q]!;
        const rhs = acc.D_pba_reg.data[q]! + acc.D_imp_reg.data[q]! - acc.D_exp_reg.data[q]!;
        const scale = Math.max(
          Math.abs(cba),
          Math.abs(acc.D_pba_reg.data[q]!),
          Math.abs(acc.D_imp_reg.data[q]!),
          Math.abs(acc.D_exp_reg.data[q]!),
        );
        identityMax = Math.max(identityMax, scale === 0 ? 0 : Math.abs(cba - rhs) / scale);
      }
      const tables = new Map<string, LabelledMatrix>();
      tables.set('F', F);
      if (FY) {
        tables.set('F_Y', FY);
        tables.set('S_Y', calcSY(FY, Y));
      }
      tables.set('S', S);
      for (const key of ['M', 'D_cba', 'D_pba', 'D_imp', 'D_exp', 'D_cba_reg', 'D_pba_reg', 'D_imp_reg', 'D_exp_reg'] as const)
        tables.set(key, acc[key]);
      const population = e.tables.get('population') ?? sys.tables.get('population');
      if (population) {
        const pf = e.tables.has('population')
          ? fileOf(e, 'population', `${e.folder}/population.txt`)
          : fileOf(sys, 'population', 'population.txt');
        for (const key of ['D_cba', 'D_pba', 'D_imp', 'D_exp'] as const)
          tables.set(`${key}_cap`, perCapita(acc[`${key}_reg`], population, pf));
      }
      for (const [k, m] of e.tables) if (!tables.has(k)) tables.set(k, m);
      out.extensions.push({ name: e.name, folder: e.folder, tables, files: new Map(), ...(e.unit ? { unit: e.unit } : {}) });
    }
    // Output reproduced by the solves: x ≈ L Y_agg 1 = Σ_r x_r.
    const R = regions.length;
    let xmax = 0;
    for (let i = 0; i < n; i++) xmax = Math.max(xmax, Math.abs(x.data[i]!));
    for (let i = 0; i < n; i++) {
      let xs = 0;
      for (let r = 0; r < R; r++) xs += X[r * n + i]!;
      outputMax = Math.max(outputMax, Math.abs(xs - x.data[i]!) / (xmax || 1));
    }
  } finally {
    solver.free();
  }
  const stamp = new Date().toISOString().replace(/[-:]/g, '').replace('T', ' ').slice(0, 17);
  const history = [
    `${stamp} - MODIFICATION -  embodied mrio: calc_all (x, A, ${L ? 'L, ' : ''}S, M, D accounts) with the ${kernel.name} kernel, ${kind} solver; identity max rel. error ${identityMax.toExponential(2)}`,
    ...(Array.isArray(sys.meta?.history) ? sys.meta.history : []),
  ];
  out.meta = { ...(sys.meta ?? { name: sys.name, description: '', system: '', version: '' }), history };
  return {
    system: out,
    regions,
    sectors,
    solver: kind,
    kernel: kernel.name,
    iterations: solver.iterations(),
    multipliers: L ? 'inverse' : 'solves',
    warnings,
    identityMaxRelError: identityMax,
    identityOk: identityMax <= identityTol,
    outputMaxRelError: outputMax,
    ...(condition !== undefined && { condition }),
    accounts,
  };
}
