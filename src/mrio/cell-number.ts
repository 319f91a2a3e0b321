/**
 * A numeric cell of a pymrio table file as Python's float() reads what pandas writes: from a string
 * (parseNumber, the exact reference) and from the bytes of a file (parseDecimalBytes, the reader's
 * fast path, which answers only where it is exactly right and leaves everything else to parseNumber).
 */

const FLOAT = /^[+-]?(?:\d+\.?\d*|\.\d+)(?:[eE][+-]?\d+)?$/;

/** Parses a numeric cell as Python's float() would for what pandas writes; undefined if it is not one. */
export function parseNumber(s: string): number | undefined {
  // Fast path, no regular expression: a cell that starts with a digit, sign or point and ends with a
  // digit or point is decimal text exactly when Number reads it (its grammar is FLOAT's) and it is
  // not 0x/0b/0o (the only non-decimal forms Number reads that start with a digit).
  const c0 = s.charCodeAt(0);
  const cl = s.charCodeAt(s.length - 1);
  if (((c0 >= 48 && c0 <= 57) || c0 === 45 || c0 === 43 || c0 === 46) && ((cl >= 48 && cl <= 57) || cl === 46)) {
    const c1 = s.charCodeAt(1) | 32;
    if (c1 !== 120 && c1 !== 98 && c1 !== 111) {
      const v = +s;
      if (v === v) return v;
    }
  }
  const t = s.trim();
  if (FLOAT.test(t)) return Number(t);
  const l = t.toLowerCase();
  if (l === 'inf' || l === '+inf' || l === 'infinity') return Infinity;
  if (l === '-inf' || l === '-infinity') return -Infinity;
  return undefined;
}

/** 10^0 … 10^22: every one is a double exactly (5^22 < 2^53). */
const POW10 = [
  1, 1e1, 1e2, 1e3, 1e4, 1e5, 1e6, 1e7, 1e8, 1e9, 1e10, 1e11, 1e12, 1e13, 1e14, 1e15, 1e16, 1e17, 1e18, 1e19, 1e20, 1e21, 1e22,
];
const TWO53 = 2 ** 53;

/**
 * The decimal text in bytes[start, end) — FLOAT's grammar, no blanks — as float() reads it; NaN for
 * anything else (blanks, inf, not a number: parseNumber decides). Clinger's fast path: when the
 * digits without the point form an integer w < 2^53 and the decimal exponent e has |e| ≤ 22, w and
 * 10^|e| are exact doubles and one multiplication or division rounds correctly, as float() does;
 * zeros and short numbers, most cells of a large table, take it. Other decimal text goes to Number.
 */
export function parseDecimalBytes(bytes: Buffer, start: number, end: number): number {
  let p = start;
  let c = bytes[p];
  const neg = c === 45;
  if (neg || c === 43) p++;
  // While w < 2^53 every step is exact; once past it, w stays ≥ 2^53 (rounding is monotonic).
  let w = 0;
  let digits = 0;
  let scale = 0;
  for (; p < end; p++) {
    c = bytes[p]! - 48;
    if (c < 0 || c > 9) break;
    w = w * 10 + c;
    digits++;
  }
  if (p < end && bytes[p] === 46) {
    for (p++; p < end; p++) {
      c = bytes[p]! - 48;
      if (c < 0 || c > 9) break;
      w = w * 10 + c;
      digits++;
      scale++;
    }
  }
  if (digits === 0) return Number.NaN;
  let e = 0;
  if (p < end && (bytes[p]! | 32) === 101) {
    p++;
    const eneg = bytes[p] === 45;
    if (eneg || bytes[p] === 43) p++;
    const first = p;
    for (; p < end && e < 1000; p++) {
      c = bytes[p]! - 48;
      if (c < 0 || c > 9) break;
      e = e * 10 + c;
    }
    if (p === first) return Number.NaN;
    if (eneg) e = -e;
  }
  if (p !== end) return Number.NaN;
  e -= scale;
  let v: number;
  if (w === 0) v = 0;
  else if (w >= TWO53 || e > 22 || e < -22) return Number(bytes.toString('latin1', start, end));
  else if (e >= 0) v = w * POW10[e]!;
  else v = w / POW10[-e]!;
  return neg ? -v : v;
}
