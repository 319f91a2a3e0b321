/** Validation that is part of every run; the result goes into the outputs (run.json, report.md). */

export interface Check {
  name: string;
  ok: boolean;
  /** The worst value found, in the check's own measure (e.g. a relative error). */
  worst: number;
  tolerance: number;
  /** Where the worst value is (province, sector). */
  where: string;
  detail: string;
}

/** A check that passes when the worst of `values` is within `tolerance`. */
export function worstOf(
  name: string,
  values: Iterable<{ value: number; where: string }>,
  tolerance: number,
  describe: (worst: number, where: string) => string,
): Check {
  let worst = 0;
  let where = '';
  for (const v of values) {
    if (!(v.value <= worst)) {
      worst = v.value;
      where = v.where;
    }
  }
  const ok = worst <= tolerance;
  return { name, ok, worst, tolerance, where, detail: describe(worst, where) };
}

/** ‖a − b‖∞ / ‖b‖∞, the relative error measure of the identity checks. */
export function relErrorInf(a: ArrayLike<number>, b: ArrayLike<number>): number {
  let diff = 0;
  let scale = 0;
  for (let i = 0; i < b.length; i++) {
    diff = Math.max(diff, Math.abs(a[i] - b[i]));
    scale = Math.max(scale, Math.abs(b[i]));
  }
  return scale === 0 ? diff : diff / scale;
}

/** Raised under --strict when a check fails. */
export class CheckFailedError extends Error {
  override name = 'CheckFailedError';
  constructor(readonly failed: Check[]) {
    super(`checks failed: ${failed.map((c) => `${c.name} (${c.detail})`).join('; ')}`);
  }
}
