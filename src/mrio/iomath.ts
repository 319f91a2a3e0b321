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
 * How it is computed here (the same numbers without forming L·Y_diag, so the iterative solver can
 * do it too): with x_r = L Y_agg[:, r] (R solves) and M⁽ʳ⁾ = S⁽ʳ⁾ L, S⁽ʳ⁾ being S with the columns
 * outside region r zeroed (from the rows of L when it was computed, else R·K transposed solves),
 *   M = Σ_r M⁽ʳ⁾,  D_cba[k,(r,i)] = Σ_s M[k,(s,i)] Y_agg[(s,i),r],
 *   D_imp[k,(r,i)] = Σ_s (Σ_{r'≠r} M⁽ʳ'⁾)[k,(s,i)] Y_agg[(s,i),r],
 *   D_pba = S ∘ Σ_r x_r,  D_exp = S ∘ Σ_{r≠s} x_r (for the rows (s, j) of region s).
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
  const out = new Float64Array(r * c);
  for (let j = 0; j < c; j++) {
    const inv = v[j] === 0 ? 0 : 1 / v[j]!;
    for (let i = 0; i < r; i++) out[i * c + j] = flows.data[i * c + j]! * inv;
  }
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

/** L as a labelled matrix from the kernel's row-major inverse. */
export function labelL(A: LabelledMatrix, L: Float64Array): LabelledMatrix {
  return matrix(A.rows, A.cols, L);
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
  /** x recomputed as L Y_agg 1, as pymrio's calc_accounts does. */
  xFromL: Float64Array;
}

/**
 * M and the D accounts (see the module comment). `S` is K stressors × n (region-major region ×
 * sector columns); `Yagg` is n × R (one column per region, in the regions' order); `F_Y_agg`
 * (K × R) is added to the regional cba and pba accounts when given.
 */
export function calcAccounts(
  S: LabelledMatrix,
  Yagg: LabelledMatrix,
  solver: LeontiefSolver,
  regions: readonly string[],
  sectors: readonly string[],
  F_Y_agg?: LabelledMatrix,
  /** L = (I − A)⁻¹ row-major when already computed (the dense path): M⁽ʳ⁾ then come from its rows. */
  L?: Float64Array,
): Accounts {
  const K = nRows(S);
  const R = regions.length;
  const ns = sectors.length;
  const n = R * ns;
  if (nCols(S) !== n || nRows(Yagg) !== n || nCols(Yagg) !== R) {
    throw new Error(
      `calcAccounts: sizes do not fit (S ${K}×${nCols(S)}, Y_agg ${nRows(Yagg)}×${nCols(Yagg)}, ${R} regions × ${ns} sectors)`,
    );
  }
  const Y = Yagg.data;
  // x_r = L Y_agg[:, r], all regions in one block solve.
  const b = new Float64Array(n * R);
  for (let r = 0; r < R; r++) for (let i = 0; i < n; i++) b[r * n + i] = Y[i * R + r]!;
  const X = solver.solve(b, R);
  const xTot = new Float64Array(n);
  for (let r = 0; r < R; r++) {
    for (let i = 0; i < n; i++) {
      const v = X[r * n + i]!;
      xTot[i]! += v;
    }
  }
  // One emitting region r' at a time (memory K·n, not R·K·n): M^(r') = S^(r') L, from the rows of
  // region r' of L when L is given, else by K transposed solves. Its contribution to the footprint
  // of region r's demand for product i is c = Σ_s M^(r')[k,(s,i)] Y_agg[(s,i),r]; D_cba sums c over
  // all r', D_imp over r' ≠ r (a sum of the foreign parts, never a difference).
  const M = new Float64Array(K * n);
  const D_cba = new Float64Array(K * n);
  const D_imp = new Float64Array(K * n);
  const rhs = new Float64Array(n * K);
  for (let e = 0; e < R; e++) {
    let Me: Float64Array;
    if (L) {
      Me = new Float64Array(K * n);
      for (let k = 0; k < K; k++) {
        for (let j = e * ns; j < (e + 1) * ns; j++) {
          const sk = S.data[k * n + j]!;
          if (sk === 0) continue;
          const row = j * n;
          const off = k * n;
          for (let c = 0; c < n; c++) Me[off + c]! += sk * L[row + c]!;
        }
      }
    } else {
      rhs.fill(0);
      for (let k = 0; k < K; k++) for (let j = e * ns; j < (e + 1) * ns; j++) rhs[k * n + j] = S.data[k * n + j]!;
      Me = solver.solveTransposed(rhs, K);
    }
    for (let q = 0; q < K * n; q++) M[q]! += Me[q]!;
    for (let k = 0; k < K; k++) {
      for (let r = 0; r < R; r++) {
        for (let i = 0; i < ns; i++) {
          let c = 0;
          for (let s2 = 0; s2 < R; s2++) {
            const row = s2 * ns + i;
            const y = Y[row * R + r]!;
            if (y !== 0) c += Me[k * n + row]! * y;
          }
          D_cba[k * n + r * ns + i]! += c;
          if (r !== e) D_imp[k * n + r * ns + i]! += c;
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
    xFromL: xTot,
  };
}
