/**
 * Structural path analysis of a province's consumption footprint in the interprovincial MRIO
 * (src/mrio/provincial.ts): the footprint t f^{·s} = Σ_k d A^k f^{·s} unfolded into the supply chains
 * that carry it, from the final demand of province s back to the sector that emits. The traversal
 * runs in the kernel (src/kernel/spa.ts, where nodes, bounds and the bookkeeping are defined); this
 * module labels the paths and checks the bookkeeping: covered (the listed paths) + remainder
 * (unlisted values + pruned subtrees + queued subtrees, each computed) = total, the MRIO's
 * consumption-based CO2 of s, up to the solve's residual (`closure`).
 */
import type { Kernel } from '../kernel/api.js';
import { pathSearchOf } from '../kernel/spa.js';
import { sectorLevels } from '../model/levels.js';
import type { ModelOptions } from '../model/options.js';
import { modelSystems, type ModelSystems } from '../model/systems.js';
import type { ModelInputs, ReferenceData } from '../model/types.js';
import type { BalanceOption } from '../mrio/options.js';
import { mrioIntensities } from '../mrio/inventories.js';
import { buildProvincialMrio, mrioA, mrioAccounts, type MrioAccounts, type ProvincialMrio } from '../mrio/provincial.js';

export interface SpaOptions {
  /** Share of the total below which a node is not expanded (default 1e-6). */
  threshold?: number;
  /** Most paths listed (default 1000). */
  maxPaths?: number;
  /** Most nodes created (default: the kernel's). */
  maxNodes?: number;
  /** Sector code → name, for the chains (default: the codes). */
  sectorNames?: ReadonlyMap<string, string>;
}

export interface SpaPath {
  rank: number;
  /** Mt CO2 emitted at the first node of the chain for the final demand at its last. */
  value: number;
  /** value / total. */
  share: number;
  /** Number of intermediate links: 0 is the final-demand sector's own emission. */
  order: number;
  /** Emitting sector first, e.g. `Inner Mongolia·power ← Hebei·steel ← Guangdong final demand`. */
  chain: string;
  /** The nodes of the chain, emitting first: [province, sector code]. */
  nodes: [string, string][];
}

export interface SpaResult {
  province: string;
  /** The MRIO's consumption-based CO2 of the province (Mt). */
  total: number;
  /** Σ of the listed paths (Mt). */
  covered: number;
  /** What the listing left out (Mt): unlisted + pruned + leftover. */
  remainder: number;
  unlisted: number;
  pruned: number;
  leftover: number;
  /** |covered + remainder − total| / |total|. */
  closure: number;
  paths: SpaPath[];
  threshold: number;
  maxPaths: number;
  /** Paths examined (nodes expanded) and nodes created. */
  expanded: number;
  nodes: number;
  truncated: boolean;
  ms: number;
}

/** Unfolds province `province`'s consumption footprint; `acc` (the MRIO's accounts) gives d, t and the total. */
export function mrioSpa(
  m: ProvincialMrio,
  acc: Pick<MrioAccounts, 't' | 'd' | 'consumption'>,
  province: string,
  kernel: Kernel,
  opts: SpaOptions = {},
): SpaResult {
  const s = m.provinces.indexOf(province);
  if (s < 0) throw new Error(`--province ${province}: not among the MRIO's provinces (${m.provinces.join(', ')})`);
  const { n } = m;
  const R = m.provinces.length;
  const ns = m.sectors.length;
  const threshold = opts.threshold ?? 1e-6;
  const maxPaths = opts.maxPaths ?? 1000;
  if (!(threshold >= 0 && threshold < 1)) throw new Error(`--threshold ${threshold}: expected a share in [0, 1)`);
  const f = new Float64Array(n);
  for (let a = 0; a < n; a++) f[a] = m.F[a * R + s]!;
  const total = acc.consumption[s]!;
  const t0 = performance.now();
  const raw = pathSearchOf(kernel).structuralPaths({
    n,
    A: mrioA(m),
    d: acc.d,
    t: acc.t,
    f,
    threshold: threshold * Math.abs(total),
    maxPaths,
    ...(opts.maxNodes !== undefined ? { maxNodes: opts.maxNodes } : {}),
  });
  const ms = performance.now() - t0;
  const name = (code: string): string => opts.sectorNames?.get(code) ?? code;
  const paths: SpaPath[] = [];
  let covered = 0;
  for (let k = 0; k < raw.values.length; k++) {
    const nodes: [string, string][] = [];
    for (let q = raw.offsets[k]!; q < raw.offsets[k + 1]!; q++) {
      const a = raw.chains[q]!;
      nodes.push([m.provinces[Math.floor(a / ns)]!, m.sectors[a % ns]!]);
    }
    const value = raw.values[k]!;
    covered += value;
    paths.push({
      rank: k + 1,
      value,
      share: value / total,
      order: nodes.length - 1,
      chain: [...nodes.map(([p, c]) => `${p}·${name(c)}`), `${province} final demand`].join(' ← '),
      nodes,
    });
  }
  const remainder = raw.unlisted + raw.pruned + raw.leftover;
  return {
    province,
    total,
    covered,
    remainder,
    unlisted: raw.unlisted,
    pruned: raw.pruned,
    leftover: raw.leftover,
    closure: Math.abs(covered + remainder - total) / (Math.abs(total) || 1),
    paths,
    threshold,
    maxPaths,
    expanded: raw.expanded,
    nodes: raw.nodes,
    truncated: raw.truncated,
    ms,
  };
}

export interface InputsSpa {
  spa: SpaResult;
  systems: ModelSystems;
  mrio: ProvincialMrio;
  accounts: MrioAccounts;
}

/**
 * From the model's inputs to the paths: d^r and the tables under `options` (as `embodied mrio`),
 * the MRIO with `balance`, its accounts, then mrioSpa with the sectors' names.
 */
export function inputsSpa(
  inputs: ModelInputs,
  ref: ReferenceData,
  options: ModelOptions,
  balance: BalanceOption | undefined,
  province: string,
  kernel: Kernel,
  opts: Omit<SpaOptions, 'sectorNames'> = {},
): InputsSpa {
  const systems = modelSystems(inputs, ref, options, kernel);
  const mrio = buildProvincialMrio(systems.tables, balance ? { balance } : {});
  const accounts = mrioAccounts(mrio, mrioIntensities(mrio, systems.intensities, options['direct-intensity']).d, kernel, {
    tNational: systems.tNational,
    importIntensity: options['import-intensity'],
  });
  const spa = mrioSpa(mrio, accounts, province, kernel, { ...opts, sectorNames: sectorLevels(options, ref).modelNames });
  return { spa, systems, mrio, accounts };
}
