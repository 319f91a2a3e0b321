/**
 * Physical units of the energy inventories and factor tables: "10^4 ton", "10^8 cu.m", "10^10 kj",
 * "10^8 kwh", "10^4 tce", "t", "m3", "kWh", "TJ", ... → a dimension and a size in a base unit
 * (mass: t; volume: m3; energy: kJ, with 1 kWh = 3600 kJ and 1 tce = 29.3076 GJ).
 */

export type Dimension = 'mass' | 'volume' | 'energy';

export interface ParsedUnit {
  dimension: Dimension;
  /** Size in the base unit of the dimension (t, m3 or kJ). */
  size: number;
}

const BASE: Record<string, ParsedUnit> = {
  kg: { dimension: 'mass', size: 1e-3 },
  t: { dimension: 'mass', size: 1 },
  ton: { dimension: 'mass', size: 1 },
  tn: { dimension: 'mass', size: 1 },
  tonne: { dimension: 'mass', size: 1 },
  kt: { dimension: 'mass', size: 1e3 },
  gg: { dimension: 'mass', size: 1e3 },
  mt: { dimension: 'mass', size: 1e6 },
  tg: { dimension: 'mass', size: 1e6 },
  m3: { dimension: 'volume', size: 1 },
  'cu.m': { dimension: 'volume', size: 1 },
  cum: { dimension: 'volume', size: 1 },
  kj: { dimension: 'energy', size: 1 },
  mj: { dimension: 'energy', size: 1e3 },
  gj: { dimension: 'energy', size: 1e6 },
  tj: { dimension: 'energy', size: 1e9 },
  pj: { dimension: 'energy', size: 1e12 },
  kwh: { dimension: 'energy', size: 3600 },
  mwh: { dimension: 'energy', size: 3.6e6 },
  gwh: { dimension: 'energy', size: 3.6e9 },
  // Tonne of standard coal equivalent: 29.3076 GJ (7000 kcal/kg), the Chinese statistical convention.
  tce: { dimension: 'energy', size: 2.93076e7 },
};

/** "10^4 ton" → {mass, 1e4}; "10^8 cu.m" → {volume, 1e8}; undefined if not understood. */
export function parseUnit(text: string): ParsedUnit | undefined {
  const t = text.trim().toLowerCase().replace(/\s+/g, ' ');
  const m = /^(?:(\d+(?:\.\d+)?)\s*)?(?:(?:x\s*)?10\s*\^\s*(-?\d+)\s*)?([a-z][a-z0-9.]*)$/.exec(t);
  if (!m) return undefined;
  const base = BASE[m[3]!];
  if (!base) return undefined;
  const k = m[1] !== undefined ? Number(m[1]) : 1;
  const p = m[2] !== undefined ? 10 ** Number(m[2]) : 1;
  return { dimension: base.dimension, size: base.size * k * p };
}

/** Mass of CO2 in a factor unit numerator ("kg CO2", "t CO2", "Mt CO2", "Gg CO2") → Mt. */
export function co2ToMt(text: string): number | undefined {
  const m = /^\s*(.+?)\s*co2(?:e|eq)?\s*$/i.exec(text);
  if (!m) return undefined;
  const u = parseUnit(m[1]!);
  if (u?.dimension !== 'mass') return undefined;
  return u.size / 1e6;
}
