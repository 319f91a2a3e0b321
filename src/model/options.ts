/**
 * The method's open choices (METHOD.md, "Options") as one typed, validated record.
 * Defaults come first in each list.
 */
export const OPTION_VALUES = {
  aggregation: ['before', 'after', 'none'],
  'emission-source': ['ceads', 'energy'],
  scope: ['production', 'production+households'],
  electricity: ['producer', 'consumer'],
  'inflow-intensity': ['national', 'own', 'other-provinces'],
  'import-intensity': ['own', 'national'],
  'national-emissions': ['sum-of-provinces', 'national-inventory'],
} as const;

export type OptionName = keyof typeof OPTION_VALUES;
export type ModelOptions = { [K in OptionName]: (typeof OPTION_VALUES)[K][number] };

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
    throw new OptionError(`${origin}: unknown option "${name}"; options are ${Object.keys(OPTION_VALUES).join(', ')}`);
  }
  const allowed: readonly string[] = OPTION_VALUES[name];
  if (!allowed.includes(value)) {
    throw new OptionError(`${origin}: option ${name} cannot be "${value}"; values are ${allowed.join(', ')}`);
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
