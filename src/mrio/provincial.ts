/**
 * The interprovincial MRIO of China's provinces from the single-region provincial tables, and its
 * CO2 accounts. Pure: tables and intensities in, numbers out; the kernel is passed in.
 *
 * ## Building the system (Chenery–Moses)
 *
 * A provincial table (competitive-import form, src/model/README.md) gives for province s and product i the
 * total domestic use D^s_i = Σ_j Z^s_ij + y^s_i + err^s_i, supplied by local production, inflows
 * from other provinces MP^s_i (IF) and foreign imports M^s_i (IM). By the row balance
 * x = Z1 + y + E + EP − M − MP + err, the local part is ℓ^s_i = D^s_i − M^s_i − MP^s_i =
 * x^s_i − E^s_i − EP^s_i. Chenery–Moses assumes every user in s (each sector j and final use) takes
 * product i in the same mix:
 *   shares    m^s_i = M^s_i / D^s_i,  p^s_i = MP^s_i / D^s_i,  l^s_i = 1 − m^s_i − p^s_i,
 * and that the inflow of i into s comes from the other provinces in proportion to their outflows:
 *   σ^{rs}_i = EP^r_i / Σ_{q≠s} EP^q_i  (r ≠ s; σ^{ss}_i = 0).
 * Then
 *   Z^{ss}_ij = l^s_i Z^s_ij,   Z^{rs}_ij = p^s_i σ^{rs}_i Z^s_ij,   (imports m^s_i Z^s_ij leave the system)
 *   f^{ss}_i = l^s_i y^s_i,     f^{rs}_i = p^s_i σ^{rs}_i y^s_i        (domestic final use by destination)
 *   e^r_i = E^r_i                                                      (foreign exports stay with their province)
 * and the destination's err is split the same way into a discrepancy column u (not anyone's
 * consumption).
 *
 * Limits: one mix per product and province for all users (no user-specific import or inflow
 * shares); origins chosen by outflow size only (no distance, no product quality); re-exports are
 * not separable (when E + EP > x the local share is negative and is set to zero, see below);
 * foreign imports are outside the system (their CO2 is estimated with an intensity, not modelled).
 *
 * ## The outflow/inflow mismatch
 *
 * Σ_r OF^r_i ≠ Σ_s IF^s_i in the data (README: a known fact, not an error). Under Chenery–Moses,
 * province r ships Σ_{s≠r} MP^s_i σ^{rs}_i, which differs from its own OF^r_i. The `balance` option
 * decides where the difference goes:
 *  - `scale` (default): where the provinces report less outflow of i than inflow (κ_i =
 *    Σ OF_i / Σ IF_i < 1), only the fraction κ_i of each destination's inflow is attributed to
 *    origin provinces (with the Chenery–Moses shares); the rest, (1 − κ_i) MP^s_i, is an inflow no
 *    province reports shipping and is treated like an import (outside the system, reported as
 *    "unattributed inflow"). Then Σ_r (shipped by r) = Σ OF_i: the provinces' outflow totals hold
 *    per product. Where κ_i > 1 nothing is scaled. x stays GO, and a residual ρ (as below) takes
 *    what remains: per-province deviations of the attributed shipments from OF^r_i, products with
 *    κ_i > 1, clipped shares and ERR.
 *  - `residual`: x stays the table's GO and A = Z diag(GO)⁻¹ keeps each province's
 *    technology; every row gets a residual final-demand entry ρ^r_i = x^r_i − (row sum of the MRIO
 *    flows, final use, exports), booked as "unallocated" (it collects the outflow mismatch, a
 *    negative local share that was clipped, and any row imbalance of the table). Identity:
 *    x = L (Σ_s f^{·s} + e + u + ρ) exactly.
 *  - `rows`: no residual; x is recomputed as the row sums of the MRIO (pymrio's x = Z1 + Y1), so
 *    the mismatch changes the outputs (and with them the coefficients A = Z diag(x)⁻¹).
 * The report gives the mismatch per product and the size of ρ.
 *
 * ## Accounts (Mt CO2, d in Mt per 10^4 CNY)
 *   t = d L (total intensities of the MRIO, one transposed solve), x^{(s)} = L f^{·s} (31 solves);
 *   production^r = Σ_i d^r_i x^r_i,
 *   bilateral B[r, s] = Σ_i d^r_i x^{(s)}_{(r,i)}: CO2 emitted in r for final use in s,
 *   consumption^s = Σ_r B[r, s] = t f^{·s},
 *   exports_embodied^r = Σ_i t_{(r,i)} E^r_i: CO2 anywhere in China for r's foreign exports,
 *   imports_embodied^s = Σ_i t^{imp}_i M^s_i with t^{imp} = s's own block of t (import-intensity
 *   `own`, the domestic technology assumption) or the national t^N (`national`).
 *   Per origin r: production^r = Σ_s B[r, s] + B[r, exports] + B[r, unallocated].
 */
import type { Kernel } from '../kernel/api.js';
import type { IOTable } from '../data/types.js';
import { DEFAULT_BALANCE, type BalanceOption } from './options.js';
import { conditionVerdict, denseSolver, iterativeSolver, type LeontiefSolver, type SolverKind } from './solver.js';

export interface ProvincialMrioOptions {
  balance?: BalanceOption;
}

export interface ProvincialMrio {
  provinces: string[];
  sectors: string[];
  /** R·ns, region-major: position r·ns + i is province r, sector i. */
  n: number;
  /** Intermediate flows between all province-sectors, n×n row-major (origin rows, user columns). */
  Z: Float64Array;
  /** Domestic final use by destination: n × R, F[(r,i)·R + s] = f^{rs}_i. */
  F: Float64Array;
  /** Foreign exports per origin row (n). */
  E: Float64Array;
  /** The destinations' statistical discrepancy (err) split by origin (n): final use of nobody. */
  u: Float64Array;
  /** Balancing residual per row (n); zeros with balance = rows. */
  rho: Float64Array;
  /** Output used for A: GO (residual) or the MRIO row sums (rows). */
  x: Float64Array;
  /** Foreign imports per province and product (n, region-major), as in the tables (IM). */
  M: Float64Array;
  /** The shares per province and product (n each). */
  shares: { local: Float64Array; inflow: Float64Array; imports: Float64Array };
  /** Σ_r OF^r_i and Σ_s IF^s_i per product (ns each). */
  outflowTotal: Float64Array;
  inflowTotal: Float64Array;
  /** Inflow not attributed to any province (n, per destination and product; balance = scale). */
  unattributedInflow: Float64Array;
  /** κ_i = min(1, Σ OF_i / Σ IF_i) with balance = scale, else 1 (ns). */
  kappa: Float64Array;
  /** Notes on what had to be assumed (negative local shares clipped, inflows without any origin). */
  notes: string[];
  balance: BalanceOption;
}

function check(cond: boolean, msg: string): void {
  if (!cond) throw new Error(msg);
}

/** Builds the interprovincial MRIO (see the module comment). Tables must share their sectors. */
export function buildProvincialMrio(tables: readonly IOTable[], opts: ProvincialMrioOptions = {}): ProvincialMrio {
  const balance = opts.balance ?? DEFAULT_BALANCE;
  check(tables.length >= 2, `an MRIO needs at least 2 provincial tables, got ${tables.length}`);
  const sectors = tables[0]!.sectors;
  const ns = sectors.length;
  const provinces = tables.map((t) => t.region);
  check(new Set(provinces).size === provinces.length, `a province appears twice among the tables: ${provinces.join(', ')}`);
  for (const t of tables) {
    check(t.sectors.join('\u0000') === sectors.join('\u0000'), `${t.source}: sectors differ from ${tables[0]!.source}'s`);
    for (const [k, v] of [
      ['Z', t.Z],
      ['y', t.y],
      ['E', t.E],
      ['EP', t.EP],
      ['M', t.M],
      ['MP', t.MP],
      ['err', t.err],
      ['x', t.x],
    ] as const) {
      check(v.length === (k === 'Z' ? ns * ns : ns), `${t.source}: ${k} has ${v.length} values, expected ${k === 'Z' ? ns * ns : ns}`);
    }
  }
  const R = tables.length;
  const n = R * ns;
  const notes: string[] = [];

  // Shares per destination s and product i.
  const local = new Float64Array(n);
  const inflow = new Float64Array(n);
  const imports = new Float64Array(n);
  const M = new Float64Array(n);
  tables.forEach((t, s) => {
    for (let i = 0; i < ns; i++) {
      let D = t.y[i]! + t.err[i]!;
      for (let j = 0; j < ns; j++) D += t.Z[i * ns + j]!;
      M[s * ns + i] = t.M[i]!;
      if (!(D > 0)) continue; // no domestic use of i in s: nothing to split
      let m = Math.max(t.M[i]!, 0) / D;
      let p = Math.max(t.MP[i]!, 0) / D;
      if (m + p > 1) {
        // More is brought in than used: the rest is re-exported; no local production is used.
        notes.push(
          `${t.region}, sector ${sectors[i]}: imports + inflow (${(m + p).toFixed(3)} of domestic use) exceed use; local share set to 0, shares scaled to sum to 1`,
        );
        const k = 1 / (m + p);
        m *= k;
        p *= k;
      }
      imports[s * ns + i] = m;
      inflow[s * ns + i] = p;
      local[s * ns + i] = Math.max(1 - m - p, 0);
    }
  });

  // Origin shares σ^{rs}_i from outflows (negative outflows count as zero).
  const outflowTotal = new Float64Array(ns);
  const inflowTotal = new Float64Array(ns);
  for (const t of tables) {
    for (let i = 0; i < ns; i++) {
      outflowTotal[i]! += Math.max(t.EP[i]!, 0);
      inflowTotal[i]! += t.MP[i]!;
    }
  }
  /** σ^{rs}_i, or a fallback by output when no other province reports an outflow of i. */
  const sigma = (r: number, s: number, i: number): number => {
    if (r === s) return 0;
    const others = outflowTotal[i]! - Math.max(tables[s]!.EP[i]!, 0);
    if (others > 0) return Math.max(tables[r]!.EP[i]!, 0) / others;
    let xo = 0;
    for (let q = 0; q < R; q++) if (q !== s) xo += Math.max(tables[q]!.x[i]!, 0);
    return xo > 0 ? Math.max(tables[r]!.x[i]!, 0) / xo : 0;
  };
  for (let i = 0; i < ns; i++) {
    if (outflowTotal[i]! === 0 && inflowTotal[i]! > 0)
      notes.push(`sector ${sectors[i]}: inflows but no province reports an outflow; origins taken in proportion to output`);
  }

  const kappa = new Float64Array(ns).fill(1);
  if (balance === 'scale') {
    for (let i = 0; i < ns; i++)
      if (inflowTotal[i]! > 0 && outflowTotal[i]! < inflowTotal[i]!) kappa[i] = outflowTotal[i]! / inflowTotal[i]!;
  }
  const unattributedInflow = new Float64Array(n);
  const Z = new Float64Array(n * n);
  const F = new Float64Array(n * R);
  const E = new Float64Array(n);
  const u = new Float64Array(n);
  tables.forEach((t, s) => {
    for (let i = 0; i < ns; i++) {
      const l = local[s * ns + i]!;
      const p = inflow[s * ns + i]! * kappa[i]!;
      if (kappa[i]! < 1) {
        let D = t.y[i]! + t.err[i]!;
        for (let j = 0; j < ns; j++) D += t.Z[i * ns + j]!;
        unattributedInflow[s * ns + i] = (1 - kappa[i]!) * inflow[s * ns + i]! * D;
      }
      for (let r = 0; r < R; r++) {
        const w = r === s ? l : p > 0 ? p * sigma(r, s, i) : 0;
        if (w === 0) continue;
        const row = r * ns + i;
        for (let j = 0; j < ns; j++) Z[row * n + s * ns + j] = w * t.Z[i * ns + j]!;
        F[row * R + s] = w * t.y[i]!;
        u[row]! += w * t.err[i]!;
      }
    }
    for (let i = 0; i < ns; i++) E[s * ns + i] = t.E[i]!;
  });

  const rowTotal = new Float64Array(n);
  for (let a = 0; a < n; a++) {
    let sum = E[a]! + u[a]!;
    for (let b = 0; b < n; b++) sum += Z[a * n + b]!;
    for (let s = 0; s < R; s++) sum += F[a * R + s]!;
    rowTotal[a] = sum;
  }
  const x = new Float64Array(n);
  const rho = new Float64Array(n);
  tables.forEach((t, r) => {
    for (let i = 0; i < ns; i++) {
      const a = r * ns + i;
      if (balance !== 'rows') {
        x[a] = t.x[i]!;
        rho[a] = t.x[i]! - rowTotal[a]!;
      } else {
        x[a] = rowTotal[a]!;
      }
    }
  });
  return {
    provinces,
    sectors: [...sectors],
    n,
    Z,
    F,
    E,
    u,
    rho,
    x,
    M,
    shares: { local, inflow, imports },
    outflowTotal,
    inflowTotal,
    unattributedInflow,
    kappa,
    notes,
    balance,
  };
}

/** A = Z diag(x)⁻¹ of the MRIO (a column with x ≤ 0 gets zeros). */
export function mrioA(m: ProvincialMrio): Float64Array {
  const n = m.n;
  const A = new Float64Array(n * n);
  for (let j = 0; j < n; j++) {
    const xj = m.x[j]!;
    if (!(xj > 0)) continue;
    const inv = 1 / xj;
    for (let i = 0; i < n; i++) A[i * n + j] = m.Z[i * n + j]! * inv;
  }
  return A;
}

export interface MrioAccountsOptions {
  solver?: SolverKind;
  /** National total intensity t^N (at the MRIO's sectors), for importIntensity = national. */
  tNational?: Float64Array;
  importIntensity?: 'own' | 'national';
  tol?: number;
}

export interface MrioAccounts {
  provinces: string[];
  /** Per province (Mt). */
  production: Float64Array;
  consumption: Float64Array;
  exportsEmbodied: Float64Array;
  importsEmbodied: Float64Array;
  /**
   * CO2 (Mt) in the inflows no province reports shipping (balance = scale), estimated like imports
   * with the destination's own total intensities; zeros for the other balance options.
   */
  unattributedInflowEmbodied: Float64Array;
  /**
   * CO2 (Mt) embodied in the gross interprovincial shipments — intermediate and final, Z^{rs}1 + f^{rs}
   * for s ≠ r — valued with the origin's total intensities t: what province r ships to the others
   * (outflows) and receives from them (inflows). The basis of the study's CEP and CMP, with the
   * MRIO's intensities; unlike `bilateral`, a ton in goods that cross several borders counts at each.
   */
  outflowEmbodied: Float64Array;
  inflowEmbodied: Float64Array;
  /** R × (R + 2), row-major: origin rows; destination columns, then "exports" (foreign), then "unallocated". */
  bilateral: Float64Array;
  /** Total intensities t = d L (n). */
  t: Float64Array;
  /** The direct intensities d used, flat in the MRIO's order (n). */
  d: Float64Array;
  checks: {
    /** max_i |x_i − (L f_total)_i| / max |x|. */
    output: number;
    /** max_r |production^r − row sum of bilateral r| / max production. */
    bilateralRows: number;
    /** |Σ production − (Σ consumption + Σ exports_embodied + unallocated)| / Σ production. */
    total: number;
    /** Estimated 1-norm condition number of I − A (dense solver only). */
    condition?: number;
  };
  solver: SolverKind;
  iterations: number;
}

/**
 * The CO2 accounts of a built MRIO (see the module comment). `d` is the direct intensity per
 * province (ns each, Mt per 10^4 CNY), keyed by province.
 */
export function mrioAccounts(
  m: ProvincialMrio,
  d: ReadonlyMap<string, Float64Array>,
  kernel: Kernel,
  opts: MrioAccountsOptions = {},
): MrioAccounts {
  const { n, provinces } = m;
  const R = provinces.length;
  const ns = m.sectors.length;
  const dv = new Float64Array(n);
  provinces.forEach((p, r) => {
    const v = d.get(p);
    check(v !== undefined, `no direct intensity d for province ${p}`);
    check(v!.length === ns, `d of ${p} has ${v!.length} values, the MRIO has ${ns} sectors`);
    dv.set(v!, r * ns);
  });
  const A = mrioA(m);
  const kind = opts.solver ?? 'dense';
  const solver: LeontiefSolver =
    kind === 'dense' ? denseSolver(kernel, A, n) : iterativeSolver(kernel, A, n, opts.tol !== undefined ? { tol: opts.tol } : {});
  let t: Float64Array;
  let X: Float64Array;
  let condition: number | undefined;
  try {
    if (solver.condition) {
      condition = solver.condition();
      const verdict = conditionVerdict(condition);
      if (verdict.singular) throw new Error(`the provincial MRIO: ${verdict.warning}`);
    }
    t = solver.solveTransposed(dv, 1);
    // Right-hand sides: f^{·s} for each destination s, then exports, unallocated (u + ρ), total.
    const nb = R + 3;
    const B = new Float64Array(n * nb);
    for (let a = 0; a < n; a++) {
      let tot = 0;
      for (let s = 0; s < R; s++) {
        const v = m.F[a * R + s]!;
        B[s * n + a] = v;
        tot += v;
      }
      B[R * n + a] = m.E[a]!;
      B[(R + 1) * n + a] = m.u[a]! + m.rho[a]!;
      B[(R + 2) * n + a] = tot + m.E[a]! + m.u[a]! + m.rho[a]!;
    }
    X = solver.solve(B, nb);
  } finally {
    solver.free();
  }
  const production = new Float64Array(R);
  const consumption = new Float64Array(R);
  const exportsEmbodied = new Float64Array(R);
  const importsEmbodied = new Float64Array(R);
  const unattributedInflowEmbodied = new Float64Array(R);
  const W = R + 2;
  const bilateral = new Float64Array(R * W);
  for (let r = 0; r < R; r++) {
    for (let i = 0; i < ns; i++) {
      const a = r * ns + i;
      production[r]! += dv[a]! * m.x[a]!;
      exportsEmbodied[r]! += t[a]! * m.E[a]!;
      const timp = opts.importIntensity === 'national' && opts.tNational ? opts.tNational[i]! : t[a]!;
      importsEmbodied[r]! += timp * m.M[a]!;
      unattributedInflowEmbodied[r]! += t[a]! * m.unattributedInflow[a]!;
      for (let c = 0; c < W; c++) bilateral[r * W + c]! += dv[a]! * X[c * n + a]!;
    }
  }
  for (let s = 0; s < R; s++) for (let r = 0; r < R; r++) consumption[s]! += bilateral[r * W + s]!;
  const outflowEmbodied = new Float64Array(R);
  const inflowEmbodied = new Float64Array(R);
  for (let a = 0; a < n; a++) {
    const r = Math.floor(a / ns);
    for (let s = 0; s < R; s++) {
      if (s === r) continue;
      let ship = m.F[a * R + s]!;
      for (let b = s * ns; b < (s + 1) * ns; b++) ship += m.Z[a * n + b]!;
      outflowEmbodied[r]! += t[a]! * ship;
      inflowEmbodied[s]! += t[a]! * ship;
    }
  }
  // Checks.
  let xmax = 0;
  let outErr = 0;
  for (let a = 0; a < n; a++) xmax = Math.max(xmax, Math.abs(m.x[a]!));
  for (let a = 0; a < n; a++) outErr = Math.max(outErr, Math.abs(X[(R + 2) * n + a]! - m.x[a]!));
  let pmax = 0;
  let rowErr = 0;
  for (let r = 0; r < R; r++) {
    pmax = Math.max(pmax, Math.abs(production[r]!));
    let s = 0;
    for (let c = 0; c < W; c++) s += bilateral[r * W + c]!;
    rowErr = Math.max(rowErr, Math.abs(s - production[r]!));
  }
  const sum = (v: Float64Array): number => v.reduce((p, q) => p + q, 0);
  let unalloc = 0;
  for (let r = 0; r < R; r++) unalloc += bilateral[r * W + R + 1]!;
  const P = sum(production);
  const total = Math.abs(P - (sum(consumption) + sum(exportsEmbodied) + unalloc)) / (Math.abs(P) || 1);
  return {
    provinces: [...provinces],
    production,
    consumption,
    exportsEmbodied,
    importsEmbodied,
    unattributedInflowEmbodied,
    outflowEmbodied,
    inflowEmbodied,
    bilateral,
    t,
    d: dv,
    checks: { output: outErr / (xmax || 1), bilateralRows: rowErr / (pmax || 1), total, ...(condition !== undefined && { condition }) },
    solver: kind,
    iterations: solver.iterations(),
  };
}
