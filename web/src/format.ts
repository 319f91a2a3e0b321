/** Number formatting for the page: Mt CO2 with a sign, and the exact value for tooltips. */

const fixed = (digits: number) =>
  new Intl.NumberFormat('en-US', { minimumFractionDigits: digits, maximumFractionDigits: digits, signDisplay: 'exceptZero' });
const f2 = fixed(2);
const f3 = fixed(3);
const plain3 = new Intl.NumberFormat('en-US', { minimumFractionDigits: 3, maximumFractionDigits: 3 });

/** A balance in Mt CO2 for tables and labels, e.g. "+12.35". */
export const mt = (v: number): string => f2.format(v);
/** With three decimals, for the selected province. */
export const mt3 = (v: number): string => f3.format(v);
const significant6 = new Intl.NumberFormat('en-US', { maximumSignificantDigits: 6 });
/** Six significant digits (what the data support), for tooltips and title attributes; -0 prints as 0. */
export const exact = (v: number | null): string => (v === null ? 'n/a' : significant6.format(v === 0 ? 0 : v));
export const ratio = (v: number | null): string => (v === null ? 'n/a' : v.toFixed(3));
/** A gross flow (never negative) with three decimals, no sign. */
export const mt3plain = (v: number): string => plain3.format(v);
