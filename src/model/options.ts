/**
 * The method's open choices (src/model/README.md, "Options") as one typed, validated record. Each
 * option's description sits beside its values, once: the CLI help, the page, the README's option
 * table (checked by test/docs) and the reports take it from here.
 * Defaults come first in each list.
 */
import { shown } from '../io/errors.js';

export const OPTIONS = {
  aggregation: {
    summary: 'the sector level of the model and of the report',
    values: {
      before: 'aggregate the tables from 42 to 30 sectors, then solve',
      after: 'solve at 42 sectors and sum the results to 30',
      none: 'solve and report at 42 sectors',
    },
  },
  'emission-source': {
    summary: 'where the sector CO₂ comes from',
    values: {
      ceads: 'the CEADs CO₂ inventories as published (fuels and process CO₂)',
      energy:
        'the CEADs energy inventories × emission factors (--factors, default IPCC 2006); fuel burnt in power and heat plants is booked to the power sector, non-energy use is left out, and there is no process CO₂',
    },
  },
  scope: {
    summary: "what the province's total CO₂ in c^r counts",
    values: {
      production: 'the CO₂ of its production sectors',
      'production+households': 'the CO₂ of its production sectors and of its households (urban and rural)',
    },
  },
  electricity: {
    summary: 'who is charged with the CO₂ of power and heat',
    values: {
      producer: 'the power and heat sector (IO 24)',
      consumer: 'the sectors that use power and heat, pro rata to their intermediate use of it (row 24 of the national Z)',
    },
  },
  'inflow-intensity': {
    summary: 'the total intensity that values inflows from other provinces (CMP)',
    values: {
      national: 'the national t^N',
      own: "the province's own t^r",
      'other-provinces': "the other provinces' t, averaged per sector with their outputs as weights",
    },
  },
  'import-intensity': {
    summary: 'the total intensity that values foreign imports (CM)',
    values: {
      own: "the province's own t^r (technology homogeneity)",
      national: 'the national t^N',
    },
  },
  'national-emissions': {
    summary: 'where the national sector CO₂ C_i comes from',
    values: {
      'sum-of-provinces': 'the sum of the 30 provincial inventories',
      'national-inventory': 'the CEADs national inventory (--national-inventory)',
    },
  },
  'direct-intensity': {
    summary: 'the direct intensities d^r of the provinces',
    values: {
      'rescaled-national': "the national sector intensities scaled by the province's aggregate intensity, d_i·c^r/c (the study's)",
      'provincial-inventory':
        "the province's own inventory over its own output, C^r_i/x^r_i (Tibet, without an inventory, keeps the national d)",
    },
  },
} as const;

export type OptionName = keyof typeof OPTIONS;
type OptionValue<K extends OptionName> = keyof (typeof OPTIONS)[K]['values'] & string;

/** Each option's values, default first. */
export const OPTION_VALUES = Object.fromEntries(Object.entries(OPTIONS).map(([k, o]) => [k, Object.keys(o.values)])) as unknown as {
  readonly [K in OptionName]: readonly OptionValue<K>[];
};

export type ModelOptions = { [K in OptionName]: OptionValue<K> };

export const DEFAULT_OPTIONS: ModelOptions = Object.fromEntries(
  Object.entries(OPTION_VALUES).map(([k, values]) => [k, values[0]]),
) as ModelOptions;

export class OptionError extends Error {
  override name = 'OptionError';
}

function isOptionName(name: string): name is OptionName {
  return Object.hasOwn(OPTION_VALUES, name);
}

/** Sets one option, checking its name and value. */
export function withOption(options: ModelOptions, name: string, value: string, origin = 'option'): ModelOptions {
  if (!isOptionName(name)) {
    throw new OptionError(`${origin}: unknown option ${shown(name)}; options are ${Object.keys(OPTION_VALUES).join(', ')}`);
  }
  const allowed: readonly string[] = OPTION_VALUES[name];
  if (!allowed.includes(value)) {
    throw new OptionError(`${origin}: option ${name} cannot be ${shown(value)}; values are ${allowed.join(', ')}`);
  }
  return { ...options, [name]: value };
}

/** Options from `name=value` strings (the CLI's repeatable --option), over a base record. */
export function parseOptionArgs(args: readonly string[], base: ModelOptions = DEFAULT_OPTIONS): ModelOptions {
  let options = base;
  for (const arg of args) {
    const eq = arg.indexOf('=');
    if (eq <= 0) throw new OptionError(`--option ${arg}: expected name=value, e.g. aggregation=after`);
    options = withOption(options, arg.slice(0, eq).trim(), arg.slice(eq + 1).trim(), `--option ${arg}`);
  }
  return options;
}

/** Options from a config object (e.g. a JSON file's "options" field); `origin` names the file. */
export function optionsFromRecord(record: unknown, origin: string, base: ModelOptions = DEFAULT_OPTIONS): ModelOptions {
  if (record === null || typeof record !== 'object' || Array.isArray(record)) {
    throw new OptionError(`${origin}: options must be an object of name: value`);
  }
  let options = base;
  for (const [name, value] of Object.entries(record)) {
    if (typeof value !== 'string') throw new OptionError(`${origin}: option ${name} must be a string`);
    options = withOption(options, name, value, origin);
  }
  return options;
}
