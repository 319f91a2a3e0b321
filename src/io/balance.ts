/** Row balance of an IO table: x = Z1 + y + E + EP − M − MP + err (src/model/README.md, "Data and units"). */
import type { BalanceIssue, IOTable } from '../data/types.js';

export const DEFAULT_BALANCE_TOLERANCE = 1e-6;

/** Right-hand side Z1 + y + E + EP − M − MP + err, per row. */
export function balanceRhs(t: IOTable): Float64Array {
  const n = t.sectors.length;
  const rhs = new Float64Array(n);
  for (let i = 0; i < n; i++) {
    let s = 0;
    for (let j = 0; j < n; j++) s += t.Z[i * n + j]!;
    rhs[i] = s + t.y[i]! + t.E[i]! + t.EP[i]! - t.M[i]! - t.MP[i]! + t.err[i]!;
  }
  return rhs;
}

/**
 * Each row's residual |x − rhs| / max(|x|, |rhs|, absTol / relTol): above relTol exactly where
 * checkRowBalance finds an issue, so the worst of them is what a passing check reports.
 */
export function balanceResiduals(t: IOTable, relTol = DEFAULT_BALANCE_TOLERANCE, absTol = 0.01): Float64Array {
  const rhs = balanceRhs(t);
  return Float64Array.from(rhs, (r, i) => Math.abs(t.x[i]! - r) / Math.max(Math.abs(t.x[i]!), Math.abs(r), absTol / relTol));
}

/**
 * Rows whose balance fails: |x − rhs| > relTol · max(|x|, |rhs|) and also > absTol (10^4 CNY;
 * default 0.01, i.e. 100 CNY, so that rows of zeros with rounding dust pass). relError is
 * |x − rhs| / max(|x|, |rhs|). Never throws: the caller decides what to do with the issues.
 */
export function checkRowBalance(t: IOTable, relTol = DEFAULT_BALANCE_TOLERANCE, absTol = 0.01): BalanceIssue[] {
  const rhs = balanceRhs(t);
  const issues: BalanceIssue[] = [];
  for (let i = 0; i < t.sectors.length; i++) {
    const x = t.x[i]!;
    const r = rhs[i]!;
    const diff = Math.abs(x - r);
    const scale = Math.max(Math.abs(x), Math.abs(r));
    if (diff > absTol && diff > relTol * scale) {
      issues.push({ region: t.region, sector: t.sectors[i]!, x, rhs: r, relError: scale > 0 ? diff / scale : Infinity });
    }
  }
  return issues;
}

/**
 * Column check: total inputs (the TI row) of column j equal output x_j. Mismatches are reported as
 * BalanceIssue with sector "TI:<code>", x = x_j and rhs = TI_j.
 */
export function checkTotalInputs(t: IOTable, ti: Float64Array, relTol = DEFAULT_BALANCE_TOLERANCE, absTol = 0.01): BalanceIssue[] {
  const issues: BalanceIssue[] = [];
  for (let j = 0; j < t.sectors.length; j++) {
    const x = t.x[j]!;
    const r = ti[j]!;
    const diff = Math.abs(x - r);
    const scale = Math.max(Math.abs(x), Math.abs(r));
    if (diff > absTol && diff > relTol * scale) {
      issues.push({ region: t.region, sector: `TI:${t.sectors[j]}`, x, rhs: r, relError: diff / scale });
    }
  }
  return issues;
}
