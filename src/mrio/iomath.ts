/**
 * The multi-regional math, one function per matrix as the textbook (and pymrio's
 * pymrio/tools/iomath.py) names it, on labelled matrices. No I/O, no files.
 *
 * Definitions (pymrio 0.6, `calc_all`):
 *   x = Z 1 + Y 1                                   (output: row sums of Z and Y)
 *   A = Z diag(x)⁻¹, a column with x = 0 is zero    (technical coefficients)
 *   L = (I − A)⁻¹                                   (Leontief inverse)
 *   S = F diag(x)⁻¹, S_Y = F_Y diag(1ᵀY)⁻¹            (stressor coefficients)
 *   M = S L                                         (multipliers)
 * Accounts, with Y_agg the final demand summed over categories (one column per region r) and
 * Y_diag its block diagonalisation (column (r, i) holds region r's demand for product i from every
 * origin), x_diag = L Y_diag:
 *   D_cba = S x_diag                 footprint of region r's final demand for product i
 *   D_pba = S diag(x_diag 1)         emissions where they occur
 *   D_imp = S x_trade                x_trade = x_diag with rows of region r zeroed in column block r:
 *                                    emissions abroad for r's final demand
 *   D_exp = S diag(x_trade 1)        emissions in a region for other regions' final demand
 *   D_*_reg: the same summed over the sectors of each region; D_cba_reg and D_pba_reg add F_Y.
 * Per region r: D_cba_reg = D_pba_reg + D_imp_reg − D_exp_reg.
 *
 * How it is computed here (the same numbers without forming L or L·Y_diag): with X = L Y_agg (R solves,
 * x_r its column r) and M⁽ᵉ⁾ = S⁽ᵉ⁾ L, S⁽ᵉ⁾ being S with the columns outside region e zeroed (R·K
 * transposed solves in one block, or the rows of region e of L when L is computed anyway),
 *   M = Σ_e M⁽ᵉ⁾,  D_cba[k,(r,i)] = Σ_s M[k,(s,i)] Y_agg[(s,i),r],
 *   D_imp[k,(r,i)] = Σ_s (Σ_{e≠r} M⁽ᵉ⁾)[k,(s,i)] Y_agg[(s,i),r],
 *   D_pba = S ∘ Σ_r x_r,  D_exp = S ∘ Σ_{r≠s} x_r (for the rows (s, j) of region s).
 * The block structure of Y_diag is what makes R·K right-hand sides enough (not n).
 */
import type { LeontiefSolver } from './solver.js';
import { flatIndex, indexDifference, levelValues, matrix, nCols, nRows, rowSums, type LabelledMatrix } from './labels.js';

export const OUTPUT_COLUMN = flatIndex('', ['indout']);

/** x = Z 1 + Y 1 (one column "indout", rows as Z). */
export function calcX(Z: LabelledMatrix, Y: LabelledMatrix): LabelledMatrix {
  const z = rowSums(Z);
  const y = rowSums(Y);
  for (let i = 0; i < z.length; i++) z[i]! += y[i]!;
  return matrix(Z.rows, OUTPUT_COLUMN, z);
}

/** Divides each column j of `flows` by v_j (a zero v_j gives a zero column): A = Z diag(x)⁻¹. */
function normalizeColumns(flows: LabelledMatrix, v: Float64Array): LabelledMatrix {
  const r = nRows(flows);
  const c = nCols(flows);
  if (v.length !== c) throw new Error(`normalizeColumns: ${c} columns but ${v.length} divisors`);
  const inv = new Float64Array(c);
  for (let j = 0; j < c; j++) inv[j] = v[j] === 0 ? 0 : 1 / v[j]!;
  const out = new Float64Array(r * c);
  for (let i = 0; i < r; i++) for (let j = 0; j < c; j++) out[i * c + j] = flows.data[i * c + j]! * inv[j]!;
  return matrix(flows.rows, flows.cols, out);
}

export function calcA(Z: LabelledMatrix, x: LabelledMatrix): LabelledMatrix {
  return normalizeColumns(Z, x.data);
}

export function calcS(F: LabelledMatrix, x: LabelledMatrix): LabelledMatrix {
  return normalizeColumns(F, x.data);
}

/** S_Y = F_Y diag(1ᵀY)⁻¹: stressors per unit of each final-demand column. */
export function calcSY(F_Y: LabelledMatrix, Y: LabelledMatrix): LabelledMatrix {
  const r = nRows(Y);
  const c = nCols(Y);
  const colSums = new Float64Array(c);
  for (let i = 0; i < r; i++) for (let j = 0; j < c; j++) colSums[j]! += Y.data[i * c + j]!;
  return normalizeColumns(F_Y, colSums);
}

/**
 * Sums the final-demand columns of each region (over categories) into one column per region, in
 * the order of `regions` (the regions of Z). Returns the regions missing in Y or unknown to Z.
 */
export function aggregateY(Y: LabelledMatrix, regions: readonly string[]): LabelledMatrix | { missing: string[]; unknown: string[] } {
  const level = Y.cols.names.indexOf('region') >= 0 ? Y.cols.names.indexOf('region') : 0;
  const inY = levelValues(Y.cols, level);
  const known = new Set(regions);
  const missing = regions.filter((r) => !inY.includes(r));
  const unknown = inY.filter((r) => !known.has(r));
  if (missing.length || unknown.length) return { missing, unknown };
  const pos = new Map(regions.map((r, i) => [r, i]));
  const n = nRows(Y);
  const c = nCols(Y);
  const R = regions.length;
  const out = new Float64Array(n * R);
  for (let j = 0; j < c; j++) {
    const t = pos.get(Y.cols.keys[j]![level]!)!;
    for (let i = 0; i < n; i++) out[i * R + t]! += Y.data[i * c + j]!;
  }
  return matrix(Y.rows, flatIndex('region', regions), out);
}

export interface Accounts {
  M: LabelledMatrix;
  D_cba: LabelledMatrix;
  D_pba: LabelledMatrix;
  D_imp: LabelledMatrix;
  D_exp: LabelledMatrix;
  D_cba_reg: LabelledMatrix;
  D_pba_reg: LabelledMatrix;
  D_imp_reg: LabelledMatrix;
  D_exp_reg: LabelledMatrix;
}

/** X = L Y_agg in the kernel's block layout (column r of Y_agg, n values, one after another): R solves. */
export function regionOutputs(Yagg: LabelledMatrix, solver: LeontiefSolver): Float64Array {
  const n = nRows(Yagg);
  const R = nCols(Yagg);
  const b = new Float64Array(n * R);
  for (let r = 0; r < R; r++) for (let i = 0; i < n; i++) b[r * n + i] = Yagg.data[i * R + r]!;
  return solver.solve(b, R);
}

/** M⁽ᵉ⁾ = S⁽ᵉ⁾ L (K × n, row-major) for region e. */
export type RegionMultipliers = (e: number) => Float64Array;

/**
 * M⁽ᵉ⁾ for every region e from R·K transposed solves in one block: row k of S⁽ᵉ⁾ L solves
 * (I − A)ᵀ t = (S⁽ᵉ⁾)ᵀ e_k. Memory R·K·n values.
 */
export function multipliersBySolves(S: LabelledMatrix, ns: number, solver: LeontiefSolver): RegionMultipliers {
  const K = nRows(S);
  const n = nCols(S);
  const R = n / ns;
  const rhs = new Float64Array(R * K * n);
  for (let e = 0; e < R; e++) {
    for (let k = 0; k < K; k++) {
      const off = (e * K + k) * n + e * ns;
      rhs.set(S.data.subarray(k * n + e * ns, k * n + (e + 1) * ns), off);
    }
  }
  const T = solver.solveTransposed(rhs, R * K);
  return (e) => T.subarray(e * K * n, (e + 1) * K * n);
}

/** M⁽ᵉ⁾ from the rows of region e of L = (I − A)⁻¹ (row-major), when L is computed anyway. */
export function multipliersFromL(S: LabelledMatrix, ns: number, L: Float64Array): RegionMultipliers {
  const K = nRows(S);
  const n = nCols(S);
  return (e) => {
    const Me = new Float64Array(K * n);
    for (let k = 0; k < K; k++) {
      for (let j = e * ns; j < (e + 1) * ns; j++) {
        const sk = S.data[k * n + j]!;
        if (sk === 0) continue;
        const row = j * n;
        const off = k * n;
        for (let c = 0; c < n; c++) Me[off + c]! += sk * L[row + c]!;
      }
    }
    return Me;
  };
}

/**
 * M and the D accounts (see the module comment). `S` is K stressors × n (region-major region ×
 * sector columns); `Yagg` is n × R (one column per region, in the regions' order); `X` = L Y_agg
 * from regionOutputs; `Me` gives M⁽ᵉ⁾; `F_Y_agg` (K × R) is added to the regional cba and pba
 * accounts when given.
 */
export function calcAccounts(
  S: LabelledMatrix,
  Yagg: LabelledMatrix,
  X: Float64Array,
  Me: RegionMultipliers,
  regions: readonly string[],
  sectors: readonly string[],
  F_Y_agg?: LabelledMatrix,
): Accounts {
  const K = nRows(S);
  const R = regions.length;
  const ns = sectors.length;
  const n = R * ns;
  if (nCols(S) !== n || nRows(Yagg) !== n || nCols(Yagg) !== R || X.length !== n * R) {
    throw new Error(
      `calcAccounts: sizes do not fit (S ${K}×${nCols(S)}, Y_agg ${nRows(Yagg)}×${nCols(Yagg)}, X ${X.length}, ${R} regions × ${ns} sectors)`,
    );
  }
  const Y = Yagg.data;
  const xTot = new Float64Array(n);
  for (let r = 0; r < R; r++) for (let i = 0; i < n; i++) xTot[i]! += X[r * n + i]!;
  // One emitting region e at a time. Its contribution to the footprint of region r's demand for
  // product i is c = Σ_s M⁽ᵉ⁾[k,(s,i)] Y_agg[(s,i),r]; D_cba sums c over all e, D_imp over e ≠ r
  // (a sum of the foreign parts, never a difference).
  const M = new Float64Array(K * n);
  const D_cba = new Float64Array(K * n);
  const D_imp = new Float64Array(K * n);
  const c = new Float64Array(n); // c[(r, i)] for one e and k, summed over s in the order of the rows
  for (let e = 0; e < R; e++) {
    const Mr = Me(e);
    for (let q = 0; q < K * n; q++) M[q]! += Mr[q]!;
    for (let k = 0; k < K; k++) {
      c.fill(0);
      for (let row = 0; row < n; row++) {
        const m = Mr[k * n + row]!;
        if (m === 0) continue;
        const i = row % ns;
        for (let r = 0; r < R; r++) c[r * ns + i]! += m * Y[row * R + r]!;
      }
      for (let r = 0; r < R; r++) {
        for (let i = 0; i < ns; i++) {
          D_cba[k * n + r * ns + i]! += c[r * ns + i]!;
          if (r !== e) D_imp[k * n + r * ns + i]! += c[r * ns + i]!;
        }
      }
    }
  }

  const cols = S.cols;
  const D_pba = new Float64Array(K * n);
  const D_exp = new Float64Array(K * n);
  for (let k = 0; k < K; k++) {
    for (let j = 0; j < n; j++) {
      const s = S.data[k * n + j]!;
      D_pba[k * n + j] = s * xTot[j]!;
      // Σ over the other regions' demand: sum those columns rather than subtracting the domestic one.
      let exp = 0;
      const home = Math.floor(j / ns);
      for (let r = 0; r < R; r++) if (r !== home) exp += X[r * n + j]!;
      D_exp[k * n + j] = s * exp;
    }
  }
  const lab = (d: Float64Array): LabelledMatrix => matrix(S.rows, cols, d);
  const regionCols = flatIndex('region', regions);
  const byRegion = (d: Float64Array, add?: LabelledMatrix): LabelledMatrix => {
    const out = new Float64Array(K * R);
    for (let k = 0; k < K; k++) for (let j = 0; j < n; j++) out[k * R + Math.floor(j / ns)]! += d[k * n + j]!;
    if (add) for (let q = 0; q < K * R; q++) out[q]! += add.data[q]!;
    return matrix(S.rows, regionCols, out);
  };
  if (F_Y_agg) {
    const d = indexDifference(F_Y_agg.rows, S.rows) ?? indexDifference(F_Y_agg.cols, regionCols);
    if (d) throw new Error(`calcAccounts: F_Y per region does not match S / the regions: ${d}`);
  }
  return {
    M: lab(M),
    D_cba: lab(D_cba),
    D_pba: lab(D_pba),
    D_imp: lab(D_imp),
    D_exp: lab(D_exp),
    D_cba_reg: byRegion(D_cba, F_Y_agg),
    D_pba_reg: byRegion(D_pba, F_Y_agg),
    D_imp_reg: byRegion(D_imp),
    D_exp_reg: byRegion(D_exp),
  };
}
