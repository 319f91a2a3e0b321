/**
 * Numbers as text, the one formatter of every text output (CSV, pymrio's .txt): the shortest digits
 * that read back to the same double (JavaScript's String), in the shorter of the plain and the
 * exponent form. String writes 0.0000010290149473999805 for 1.0290149473999805e-6: 23 digits that
 * pandas' default (fast, not round-trip) parser reads only to ~1e-10; the exponent form is shorter
 * and reads back exactly. Integers stay plain (2000, not 2e3), so counts read as integers.
 * Non-finite values are the caller's business (CSV: empty cell; pymrio: inf, -inf, NaN as empty).
 */
export function formatNumber(v: number): string {
  if (v === 0) return '0';
  const s = String(v);
  // String is already the exponent form below 1e-6 and from 1e21 on (shorter there), and plain
  // in between, where only a fraction below 0.01 can have a shorter exponent form: 0.0001234 → 1.234e-4.
  if (v >= 0.01 || v <= -0.01 || v !== v || s.includes('e')) return s;
  const neg = v < 0 ? 1 : 0;
  let z = neg + 2; // first digit after "0." (or "-0.")
  while (s.charCodeAt(z) === 48) z++;
  const lead = z - neg - 2; // zeros after the point
  const digits = s.length - z;
  const exp = `${s[z]}${digits > 1 ? `.${s.slice(z + 1)}` : ''}e-${lead + 1}`;
  return exp.length + neg < s.length ? (neg ? `-${exp}` : exp) : s;
}
