/**
 * Labelled matrices: numbers never travel without their row and column keys (STYLE.md; pymrio
 * issue #152). An `Index` is pandas' MultiIndex reduced to what the folder format needs: level
 * names and one key tuple per position. Data are row-major like the kernel (src/kernel/api.ts).
 */

export interface Index {
  /** Level names, e.g. ["region", "sector"]; '' for an unnamed level. */
  names: string[];
  /** One tuple per position, each with names.length entries. */
  keys: string[][];
}

export interface LabelledMatrix {
  rows: Index;
  cols: Index;
  /** rows.keys.length × cols.keys.length, row-major. */
  data: Float64Array;
}

export function index(names: string[], keys: string[][]): Index {
  for (const k of keys) {
    if (k.length !== names.length) throw new Error(`index key [${k.join(', ')}] has ${k.length} levels, expected ${names.length}`);
  }
  return { names: [...names], keys: keys.map((k) => [...k]) };
}

/** A one-level index. */
export function flatIndex(name: string, keys: readonly string[]): Index {
  return { names: [name], keys: keys.map((k) => [k]) };
}

/** The region × sector index of an MRIO, region-major (position = region·nSectors + sector). */
export function regionSectorIndex(regions: readonly string[], sectors: readonly string[]): Index {
  const keys: string[][] = [];
  for (const r of regions) for (const s of sectors) keys.push([r, s]);
  return { names: ['region', 'sector'], keys };
}

export function matrix(rows: Index, cols: Index, data?: Float64Array): LabelledMatrix {
  const size = rows.keys.length * cols.keys.length;
  if (data && data.length !== size) {
    throw new Error(`matrix data has ${data.length} values, expected ${rows.keys.length}×${cols.keys.length} = ${size}`);
  }
  return { rows, cols, data: data ?? new Float64Array(size) };
}

export const nRows = (m: LabelledMatrix): number => m.rows.keys.length;
export const nCols = (m: LabelledMatrix): number => m.cols.keys.length;

export function keyText(k: readonly string[]): string {
  return k.join('/');
}

/**
 * Where two indices differ: undefined when they are equal (same levels, same keys, same order),
 * otherwise a sentence that says how (size, level names, or the first differing position).
 * Level names are compared only when both sides name them.
 */
export function indexDifference(a: Index, b: Index): string | undefined {
  if (a.keys.length !== b.keys.length) return `${a.keys.length} entries vs ${b.keys.length}`;
  if (a.names.length !== b.names.length)
    return `${a.names.length} label levels (${a.names.join(', ')}) vs ${b.names.length} (${b.names.join(', ')})`;
  for (let i = 0; i < a.keys.length; i++) {
    const ka = a.keys[i]!;
    const kb = b.keys[i]!;
    for (let l = 0; l < ka.length; l++) {
      if (ka[l] !== kb[l]) return `position ${i + 1} is ${keyText(ka)} vs ${keyText(kb)}`;
    }
  }
  return undefined;
}

/** Distinct values of one level, in order of first appearance. */
export function levelValues(ix: Index, level: number | string): string[] {
  const l = typeof level === 'number' ? level : ix.names.indexOf(level);
  if (l < 0 || l >= ix.names.length) throw new Error(`index has no level ${String(level)} (levels: ${ix.names.join(', ')})`);
  const seen = new Set<string>();
  const out: string[] = [];
  for (const k of ix.keys) {
    const v = k[l]!;
    if (!seen.has(v)) {
      seen.add(v);
      out.push(v);
    }
  }
  return out;
}

/**
 * Checks that an index is a full region-major region × sector grid (the layout pymrio and the
 * kernel assume) and returns its regions and sectors.
 */
export function regionSectorGrid(ix: Index): { regions: string[]; sectors: string[] } | string {
  if (ix.names.length !== 2) return `expected 2 label levels (region, sector), got ${ix.names.length}`;
  const regions = levelValues(ix, 0);
  const sectors = levelValues(ix, 1);
  if (regions.length * sectors.length !== ix.keys.length) {
    return `${ix.keys.length} entries are not a full grid of ${regions.length} regions × ${sectors.length} sectors`;
  }
  for (let r = 0; r < regions.length; r++) {
    for (let s = 0; s < sectors.length; s++) {
      const k = ix.keys[r * sectors.length + s]!;
      if (k[0] !== regions[r] || k[1] !== sectors[s]) {
        return `position ${r * sectors.length + s + 1} is ${keyText(k)}, expected ${regions[r]}/${sectors[s]} (region-major order, same sectors in every region)`;
      }
    }
  }
  return { regions, sectors };
}

/** Row sums as a Float64Array. */
export function rowSums(m: LabelledMatrix): Float64Array {
  const r = nRows(m);
  const c = nCols(m);
  const out = new Float64Array(r);
  for (let i = 0; i < r; i++) {
    let s = 0;
    for (let j = 0; j < c; j++) s += m.data[i * c + j]!;
    out[i] = s;
  }
  return out;
}

/**
 * Sums the columns that share a value of one column level (pandas' groupby(level, axis=1).sum()),
 * keeping the groups in order of first appearance. The result has a one-level column index.
 */
export function sumColumnsBy(m: LabelledMatrix, level: number | string): LabelledMatrix {
  const l = typeof level === 'number' ? level : m.cols.names.indexOf(level);
  const groups = levelValues(m.cols, l);
  const pos = new Map(groups.map((g, i) => [g, i]));
  const r = nRows(m);
  const c = nCols(m);
  const g = groups.length;
  const out = new Float64Array(r * g);
  for (let j = 0; j < c; j++) {
    const t = pos.get(m.cols.keys[j]![l]!)!;
    for (let i = 0; i < r; i++) out[i * g + t]! += m.data[i * c + j]!;
  }
  return { rows: m.rows, cols: flatIndex(m.cols.names[l]!, groups), data: out };
}
