/**
 * The MRIO's own option, described beside its values like the model's OPTIONS (src/model/options.ts):
 * the CLI help and the method document (src/model/README.md, "The MRIO") take it from here.
 * The default comes first.
 */
export const MRIO_OPTIONS = {
  balance: {
    summary: "how the MRIO closes the gap between the provinces' reported outflows and inflows",
    values: {
      scale:
        "attribute to origin provinces only the part of each product's inflows that the reported outflows cover (Σ OF / Σ IF where below 1), the rest is treated like an import; outputs stay GO, with a residual",
      residual: "outputs stay GO; each row's gap goes to a residual final demand, booked as unallocated",
      rows: 'outputs are recomputed as the MRIO row sums (no residual), so the gap changes outputs and coefficients',
    },
  },
} as const;

export type BalanceOption = keyof typeof MRIO_OPTIONS.balance.values;

const BALANCE_VALUES = Object.keys(MRIO_OPTIONS.balance.values) as BalanceOption[];

export const DEFAULT_BALANCE: BalanceOption = BALANCE_VALUES[0]!;

/** The balance option from its value, checked; `origin` names the flag or field it came from. */
export function balanceOption(value: string, origin: string): BalanceOption {
  if (!(BALANCE_VALUES as string[]).includes(value)) throw new Error(`${origin}: choose from ${BALANCE_VALUES.join(', ')}`);
  return value as BalanceOption;
}
