/**
 * The sweep spec (JSON or YAML): base inputs and options, Monte Carlo parameters, one-at-a-time
 * groups, the method grid, draws and seed. Validated with zod; every error names the field and why.
 * The format is documented in src/sweep/README.md.
 */
import { readFileSync } from 'node:fs';
import { dirname, resolve } from 'node:path';
import { parse as parseYaml } from 'yaml';
import { z } from 'zod';
import { OPTION_VALUES, type ModelOptions, type OptionName } from '../model/options.js';
import { sha256 } from '../output/sha256.js';
import { issueLines, SpecError } from './spec-error.js';

export { SpecError };

const OPTION_NAMES = Object.keys(OPTION_VALUES) as OptionName[];
const VECTORS = ['E', 'EP', 'M', 'MP'] as const;
export type TradeVector = (typeof VECTORS)[number];

/** '*' (everything) or a non-empty list of labels. */
const selector = z.union([z.literal('*'), z.array(z.string().min(1)).min(1)]);
export type Selector = z.infer<typeof selector>;

const finite = z.number().finite();
/**
 * The largest multiplier a distribution may reach within 12 standard deviations (a normal deviate
 * from a double never reaches 9): far beyond any plausible uncertainty, and small enough that a
 * multiplied input (at most MAX_MAGNITUDE, src/io/grid.ts) stays a finite double.
 */
const MAX_MULTIPLIER = 1e100;
const SIGMAS = 12;
const bounded = finite.min(-MAX_MULTIPLIER).max(MAX_MULTIPLIER);
const reach = { message: `the distribution reaches multipliers beyond ±${MAX_MULTIPLIER} within ${SIGMAS} standard deviations` };
const distribution = z.discriminatedUnion(
  'type',
  [
    z
      .strictObject({ type: z.literal('normal'), mean: bounded.default(1), sd: bounded.nonnegative() })
      .refine((d) => Math.abs(d.mean) + SIGMAS * d.sd <= MAX_MULTIPLIER, { ...reach, path: ['sd'] }),
    z
      .strictObject({ type: z.literal('lognormal'), meanlog: bounded.default(0), sdlog: bounded.nonnegative() })
      .refine((d) => Math.abs(d.meanlog) + SIGMAS * d.sdlog <= Math.log(MAX_MULTIPLIER), { ...reach, path: ['sdlog'] }),
    z
      .strictObject({ type: z.literal('uniform'), min: bounded, max: bounded })
      .refine((d) => d.min < d.max, { message: 'min must be below max', path: ['max'] }),
    z
      .strictObject({ type: z.literal('triangular'), min: bounded, mode: bounded, max: bounded })
      .refine((d) => d.min < d.max, { message: 'min must be below max', path: ['max'] })
      .refine((d) => d.min <= d.mode && d.mode <= d.max, { message: 'mode must lie in [min, max]', path: ['mode'] }),
  ],
  { error: 'distribution type must be one of normal, lognormal, uniform, triangular' },
);
export type Distribution = z.infer<typeof distribution>;

/** The uncertain inputs a parameter group can scale (multiplicatively). */
const fuelTarget = {
  target: z.literal('fuel'),
  /** Fuel columns of the inventory (or fuels of the factor table with emission-source=energy). */
  fuels: selector.default('*'),
};
const intensityTarget = {
  target: z.literal('intensity'),
  provinces: selector.default('*'),
  sectors: selector.default('*'),
  /** Also scale the national intensity d^N behind t^N. */
  national: z.boolean().default(false),
};
const aTarget = {
  target: z.literal('A'),
  provinces: selector.default('*'),
  rows: selector.default('*'),
  columns: selector.default('*'),
  /** Also perturb the national A^N behind t^N. */
  national: z.boolean().default(false),
};
const tradeTarget = {
  target: z.literal('trade'),
  vectors: z
    .array(z.enum(VECTORS))
    .min(1)
    .refine((v) => new Set(v).size === v.length, { message: 'vectors must not repeat' })
    .default([...VECTORS]),
  provinces: selector.default('*'),
  sectors: selector.default('*'),
};

const name = z.string().min(1).optional();
const montecarloParameter = z.discriminatedUnion(
  'target',
  [
    z.strictObject({ ...fuelTarget, name, per: z.enum(['fuel', 'all']).default('fuel'), distribution }),
    z.strictObject({ ...intensityTarget, name, per: z.enum(['cell', 'province', 'sector', 'all']).default('cell'), distribution }),
    z.strictObject({ ...aTarget, name, per: z.enum(['cell', 'column', 'province', 'all']).default('cell'), distribution }),
    z.strictObject({
      ...tradeTarget,
      name,
      per: z.enum(['cell', 'province', 'sector', 'vector', 'all']).default('cell'),
      distribution,
    }),
  ],
  { error: 'target must be one of fuel, intensity, A, trade' },
);
export type MonteCarloParameter = z.infer<typeof montecarloParameter>;

const oatGroup = z.discriminatedUnion(
  'target',
  [
    z.strictObject({ ...fuelTarget, name }),
    z.strictObject({ ...intensityTarget, name }),
    z.strictObject({ ...aTarget, name }),
    z.strictObject({ ...tradeTarget, name }),
  ],
  { error: 'target must be one of fuel, intensity, A, trade' },
);
export type OatGroup = z.infer<typeof oatGroup>;

const optionValue = (k: OptionName) => z.enum(OPTION_VALUES[k] as unknown as [string, ...string[]]);
const optionsShape = Object.fromEntries(OPTION_NAMES.map((k) => [k, optionValue(k).optional()]));
const gridShape = Object.fromEntries(
  OPTION_NAMES.map((k) => [
    k,
    z
      .array(optionValue(k))
      .min(1)
      .refine((v) => new Set(v).size === v.length, { message: 'values must not repeat' })
      .optional(),
  ]),
);

const SPEC_SCHEMA = z.strictObject({
  /** Base inputs as for `embodied run`; paths relative to the spec file. Omitted: the demo dataset. */
  data: z
    .strictObject({
      provincial: z.string().min(1).optional(),
      national: z.string().min(1).optional(),
      emissions: z.string().min(1).optional(),
      energy: z.string().min(1).optional(),
      factors: z.string().min(1).optional(),
      nationalInventory: z.string().min(1).optional(),
    })
    .optional(),
  /** Base method options (src/model/README.md, "Options"); the grid varies some of them. */
  options: z.strictObject(optionsShape).default({}),
  /** The method grid: the full factorial of these option values. */
  grid: z.strictObject(gridShape).default({}),
  seed: z.number().int().min(0).max(0xffffffff),
  /** Monte Carlo draws per grid cell. */
  draws: z.number().int().min(0).max(2_000_000_000).default(0),
  /** Draws per result file and checkpoint unit. */
  chunkSize: z.number().int().min(1).max(1_000_000).default(4096),
  montecarlo: z.array(montecarloParameter).default([]),
  oat: z
    .strictObject({
      /** Relative step: 0.1 means ±10 %. */
      step: z.number().gt(0).lt(1),
      groups: z.array(oatGroup).min(1),
    })
    .optional(),
  /**
   * A perturbed column of A whose sum reaches this cap is scaled back to it (or to its base sum if
   * that is already higher), so that every perturbed economy stays productive.
   */
  maxColumnSum: z.number().gt(0).lt(1).default(0.99),
  /**
   * Variance-based sensitivity (first-order and total Sobol' indices) of the Monte Carlo groups, each
   * group one factor: Saltelli's design of n base samples replaces the plain draws.
   */
  sobol: z
    .strictObject({
      n: z
        .number()
        .int()
        .min(64)
        .max(2 ** 24)
        .refine((n) => (n & (n - 1)) === 0, { message: 'must be a power of two (64, 128, …, 4096, …)' }),
      bootstrap: z.number().int().min(0).max(10_000).default(200),
      confidence: z.number().gt(0).lt(1).default(0.95),
      sequence: z.enum(['sobol', 'random']).default('sobol'),
    })
    .optional(),
});

export type SweepSpec = z.infer<typeof SPEC_SCHEMA>;

/** Validates a parsed spec object; `origin` (the file name) prefixes every error. */
export function parseSpec(raw: unknown, origin = 'spec'): SweepSpec {
  const r = SPEC_SCHEMA.safeParse(raw);
  if (!r.success) {
    throw new SpecError(`${origin}: invalid sweep spec\n  ${issueLines(r.error.issues).join('\n  ')}`);
  }
  if (r.data.montecarlo.length === 0 && r.data.draws > 0) {
    throw new SpecError(`${origin}: invalid sweep spec\n  draws: ${r.data.draws} draws but no montecarlo parameters`);
  }
  if (r.data.sobol && r.data.montecarlo.length === 0) {
    throw new SpecError(`${origin}: invalid sweep spec\n  sobol: needs montecarlo groups (each group is one factor)`);
  }
  if (r.data.sobol && r.data.draws > 0) {
    throw new SpecError(
      `${origin}: invalid sweep spec\n  draws: with a sobol section the design sets the evaluations ((k + 2) · sobol.n per grid cell); leave draws out`,
    );
  }
  return r.data;
}

export interface LoadedSpec {
  spec: SweepSpec;
  /** The file it came from (absolute), and its folder, against which data paths resolve. */
  path: string;
  dir: string;
}

/** Reads and validates a spec file (.json, .yaml or .yml). */
export function loadSpec(path: string): LoadedSpec {
  let text: string;
  try {
    text = readFileSync(path, 'utf8');
  } catch (e) {
    throw new SpecError(`${path}: cannot read the spec (${(e as NodeJS.ErrnoException).code ?? (e as Error).message})`);
  }
  let raw: unknown;
  try {
    raw = /\.json$/i.test(path) ? JSON.parse(text) : parseYaml(text);
  } catch (e) {
    throw new SpecError(`${path}: not valid ${/\.json$/i.test(path) ? 'JSON' : 'YAML'}: ${(e as Error).message}`);
  }
  const abs = resolve(path);
  return { spec: parseSpec(raw, path), path: abs, dir: dirname(abs) };
}

/** The base options of the spec. */
function baseOptions(spec: SweepSpec, defaults: ModelOptions): ModelOptions {
  return { ...defaults, ...(spec.options as Partial<ModelOptions>) };
}

/** The method grid as a list of option records: the full factorial, first option varying slowest. */
export function gridCells(spec: SweepSpec, defaults: ModelOptions): ModelOptions[] {
  let cells: ModelOptions[] = [baseOptions(spec, defaults)];
  for (const k of OPTION_NAMES) {
    const values = (spec.grid as Record<string, string[] | undefined>)[k];
    if (!values) continue;
    cells = cells.flatMap((c) => values.map((v) => ({ ...c, [k]: v }) as ModelOptions));
  }
  return cells;
}

/** JSON with sorted keys, for hashing. */
function canonicalJson(v: unknown): string {
  if (Array.isArray(v)) return `[${v.map(canonicalJson).join(',')}]`;
  if (v && typeof v === 'object') {
    return `{${Object.keys(v)
      .sort()
      .filter((k) => (v as Record<string, unknown>)[k] !== undefined)
      .map((k) => `${JSON.stringify(k)}:${canonicalJson((v as Record<string, unknown>)[k])}`)
      .join(',')}}`;
  }
  return JSON.stringify(v);
}

/**
 * sha256 of the validated spec and the input files' contents: without the seed (recorded on its
 * own) and without the data paths (the contents are in dataHash), so a moved folder still resumes.
 */
export function specHash(spec: SweepSpec, dataHash: string): string {
  const { seed: _seed, data: _paths, ...rest } = spec;
  return sha256(canonicalJson({ spec: rest, data: dataHash }));
}
