/**
 * pymrio's folder format (IndEcol/pymrio, `IOSystem.save` / `pymrio.load`), read and written as is.
 *
 * A system folder holds `file_parameters.json`
 *   {"files": {"Z": {"name": "Z.txt", "nr_index_col": "2", "nr_header": "2"}, ...},
 *    "systemtype": "IOSystem", "name": ...}
 * the tab-separated tables it names (Z, Y, unit, and optionally x, A, L, population, ...), an
 * optional `metadata.json` (name, description, version, system, history), and one sub-folder per
 * extension with its own `file_parameters.json` ("systemtype": "Extension", "name") and tables
 * (F, F_Y, unit, and optionally S, S_Y, M, D_cba, ...).
 *
 * A table file is what pandas' `to_csv(sep="\t")` writes for a DataFrame with `nr_index_col`
 * label columns and `nr_header` header rows:
 *  - more than one column level: one row per column level, `<level name>`, blanks for the other
 *    label columns, then the keys; then a row with the index level names and blank data cells;
 *  - one column level: a single row with the index level names followed by the column keys.
 * Data rows hold the row labels, then the values (an empty cell is pandas' NaN).
 *
 * Reading checks the shape of every file and names the file, line and column of any bad cell;
 * the consistency between tables (labels, sizes) is checked in src/mrio/pymrio.ts.
 */
import { existsSync } from 'node:fs';
import { readdir, readFile, stat, writeFile, mkdir } from 'node:fs/promises';
import { join } from 'node:path';
import { parse } from 'csv-parse/sync';
import { MrioInputError } from '../mrio/errors.js';
import type { Index, LabelledMatrix } from '../mrio/labels.js';
import { writeDirAtomic } from '../mrio/atomic.js';

/** A table of text cells with labels: unit.txt, or any table before numbers are parsed. */
export interface TextTable {
  rows: Index;
  cols: Index;
  /** rows × cols, row-major. */
  cells: string[];
}

export interface FileParameters {
  name: string;
  nrIndexCol: number;
  nrHeader: number;
}

/** The tables of one folder (the core system or one extension), keyed as in file_parameters.json. */
export interface PymrioFolder {
  /** Numeric tables: Z, Y, x, A, L, population (core); F, F_Y, S, S_Y, M, D_cba, ... (extension). */
  tables: Map<string, LabelledMatrix>;
  /** unit.txt, when listed. */
  unit?: TextTable;
  /** File name (relative to the folder) of each table key, for messages. */
  files: Map<string, string>;
}

export interface PymrioExtension extends PymrioFolder {
  /** The extension's name from its file_parameters.json (e.g. "Emissions"). */
  name: string;
  /** Sub-folder name (e.g. "emissions"). */
  folder: string;
}

export interface PymrioSystem extends PymrioFolder {
  /** "name" of the core file_parameters.json or metadata.json. */
  name: string;
  /** metadata.json as read (kept and extended with history on write); undefined if absent. */
  meta?: PymrioMeta;
  extensions: PymrioExtension[];
  /** The folder read, for messages; '' for a system built in memory. */
  source: string;
}

export interface PymrioMeta {
  name?: string;
  description?: string;
  system?: string;
  version?: string;
  history?: string[];
  [key: string]: unknown;
}

const PARAMS = 'file_parameters.json';

/** Reads a pymrio system folder with all its extensions (sub-folders with a file_parameters.json). */
export async function readPymrio(dir: string): Promise<PymrioSystem> {
  if (!existsSync(dir)) throw new MrioInputError(dir, 'folder not found');
  const { params, json } = await readParameters(dir, '');
  if (json.systemtype !== undefined && json.systemtype !== 'IOSystem') {
    throw new MrioInputError(PARAMS, `systemtype is ${JSON.stringify(json.systemtype)}, expected "IOSystem" (is this an extension folder?)`);
  }
  const core = await readFolder(dir, '', params);
  let meta: PymrioMeta | undefined;
  const metaPath = join(dir, 'metadata.json');
  if (existsSync(metaPath)) {
    try {
      meta = JSON.parse(await readFile(metaPath, 'utf8')) as PymrioMeta;
    } catch (e) {
      throw new MrioInputError('metadata.json', `not valid JSON (${(e as Error).message})`, undefined, undefined, { cause: e });
    }
  }
  const extensions: PymrioExtension[] = [];
  const entries = (await readdir(dir, { withFileTypes: true })).filter((e) => e.isDirectory()).map((e) => e.name).sort();
  for (const folder of entries) {
    if (!existsSync(join(dir, folder, PARAMS))) continue;
    const ext = await readParameters(join(dir, folder), folder);
    if (ext.json.systemtype !== 'Extension') continue;
    const f = await readFolder(join(dir, folder), folder, ext.params);
    extensions.push({ ...f, name: typeof ext.json.name === 'string' ? ext.json.name : folder, folder });
  }
  const name = typeof json.name === 'string' ? json.name : typeof meta?.name === 'string' ? meta.name : '';
  return { ...core, name, ...(meta ? { meta } : {}), extensions, source: dir };
}

async function readParameters(dir: string, rel: string): Promise<{ params: Map<string, FileParameters>; json: Record<string, unknown> }> {
  const file = rel ? `${rel}/${PARAMS}` : PARAMS;
  const path = join(dir, PARAMS);
  if (!existsSync(path)) throw new MrioInputError(file, 'missing: a pymrio folder must have file_parameters.json');
  let json: Record<string, unknown>;
  try {
    json = JSON.parse(await readFile(path, 'utf8')) as Record<string, unknown>;
  } catch (e) {
    throw new MrioInputError(file, `not valid JSON (${(e as Error).message})`, undefined, undefined, { cause: e });
  }
  const files = json.files;
  if (!files || typeof files !== 'object') throw new MrioInputError(file, 'has no "files" object');
  const params = new Map<string, FileParameters>();
  for (const [key, v] of Object.entries(files as Record<string, unknown>)) {
    const p = v as Record<string, unknown>;
    const nrIndexCol = Number(p?.nr_index_col);
    const nrHeader = Number(p?.nr_header);
    if (typeof p?.name !== 'string' || !Number.isInteger(nrIndexCol) || nrIndexCol < 1 || !Number.isInteger(nrHeader) || nrHeader < 1) {
      throw new MrioInputError(file, `entry "${key}" needs "name", and "nr_index_col" and "nr_header" as positive integers`);
    }
    params.set(key, { name: p.name, nrIndexCol, nrHeader });
  }
  return { params, json };
}

async function readFolder(dir: string, rel: string, params: Map<string, FileParameters>): Promise<PymrioFolder> {
  const tables = new Map<string, LabelledMatrix>();
  const files = new Map<string, string>();
  let unit: TextTable | undefined;
  for (const [key, p] of params) {
    const file = rel ? `${rel}/${p.name}` : p.name;
    const path = join(dir, p.name);
    if (!existsSync(path) || !(await stat(path)).isFile()) {
      throw new MrioInputError(file, `missing: ${rel ? `${rel}/` : ''}${PARAMS} names it for "${key}" but there is no such file`);
    }
    const text = await readFile(path, 'utf8');
    const t = parseTable(text, file, p.nrIndexCol, p.nrHeader);
    files.set(key, file);
    if (key === 'unit') unit = t;
    else tables.set(key, toNumbers(t, file, p.nrIndexCol, p.nrHeader));
  }
  return { tables, files, ...(unit ? { unit } : {}) };
}

/** Parses one tab-separated table in pandas' to_csv layout (see the module comment). */
export function parseTable(text: string, file: string, nrIndexCol: number, nrHeader: number): TextTable & { firstDataLine: number } {
  let rows: string[][];
  try {
    rows = parse(text.charCodeAt(0) === 0xfeff ? text.slice(1) : text, {
      delimiter: '\t',
      relax_column_count: true,
      relax_quotes: true,
      skip_empty_lines: true,
    }) as string[][];
  } catch (e) {
    throw new MrioInputError(file, `cannot parse as tab-separated text (${(e as Error).message})`, undefined, undefined, { cause: e });
  }
  const ni = nrIndexCol;
  if (rows.length < nrHeader) throw new MrioInputError(file, `has ${rows.length} lines, fewer than its ${nrHeader} header rows`);
  const width = rows[0]!.length;
  const nc = width - ni;
  if (nc < 1) throw new MrioInputError(file, `the header has ${width} cells: no data columns after the ${ni} label columns`, 1);
  for (let l = 0; l < nrHeader; l++) {
    if (rows[l]!.length !== width) {
      throw new MrioInputError(file, `header row has ${rows[l]!.length} cells, the first header row ${width}`, l + 1);
    }
  }
  let rowNames: string[];
  const colNames: string[] = [];
  const colKeys: string[][] = Array.from({ length: nc }, () => []);
  let next = nrHeader;
  if (nrHeader === 1) {
    rowNames = rows[0]!.slice(0, ni);
    colNames.push('');
    for (let j = 0; j < nc; j++) colKeys[j]!.push(rows[0]![ni + j]!);
  } else {
    for (let l = 0; l < nrHeader; l++) {
      const r = rows[l]!;
      colNames.push(r.slice(0, ni).find((c) => c !== '') ?? '');
      for (let j = 0; j < nc; j++) colKeys[j]!.push(r[ni + j]!);
    }
    // pandas writes the index level names on their own row, with blank data cells.
    const cand = rows[nrHeader];
    if (cand && cand.slice(ni).every((c) => c === '')) {
      rowNames = cand.slice(0, ni);
      next++;
    } else {
      rowNames = Array.from({ length: ni }, () => '');
    }
  }
  const rowKeys: string[][] = [];
  const cells: string[] = [];
  for (let i = next; i < rows.length; i++) {
    const r = rows[i]!;
    if (r.length !== width) {
      throw new MrioInputError(file, `has ${r.length} cells, the header ${width} (${ni} labels + ${nc} values)`, i + 1);
    }
    rowKeys.push(r.slice(0, ni));
    for (let j = 0; j < nc; j++) cells.push(r[ni + j]!);
  }
  return {
    rows: { names: rowNames, keys: rowKeys },
    cols: { names: colNames, keys: colKeys },
    cells,
    firstDataLine: next + 1,
  };
}

const FLOAT = /^[+-]?(?:\d+\.?\d*|\.\d+)(?:[eE][+-]?\d+)?$/;

/** Parses a numeric cell as Python's float() would for what pandas writes; undefined if it is not one. */
export function parseNumber(s: string): number | undefined {
  const t = s.trim();
  if (FLOAT.test(t)) return Number(t);
  const l = t.toLowerCase();
  if (l === 'inf' || l === '+inf' || l === 'infinity') return Infinity;
  if (l === '-inf' || l === '-infinity') return -Infinity;
  return undefined;
}

function toNumbers(t: TextTable & { firstDataLine?: number }, file: string, ni: number, nh: number): LabelledMatrix {
  const nc = t.cols.keys.length;
  const data = new Float64Array(t.cells.length);
  const first = t.firstDataLine ?? nh + 1;
  for (let k = 0; k < t.cells.length; k++) {
    const i = Math.floor(k / nc);
    const j = k - i * nc;
    const c = t.cells[k]!;
    const v = parseNumber(c);
    if (v === undefined || !Number.isFinite(v)) {
      const what = c.trim() === '' ? 'an empty cell (NaN)' : `"${c}"`;
      throw new MrioInputError(file, `${what} where a finite number is expected (row ${t.rows.keys[i]!.join('/')}, column ${t.cols.keys[j]!.join('/')})`, first + i, ni + j + 1);
    }
    data[k] = v;
  }
  return { rows: t.rows, cols: t.cols, data };
}

// ---------------------------------------------------------------------------------------------
// Writing

/** Formats a number so that Python's float() reads back the same double (shortest round trip). */
export function formatNumber(v: number): string {
  if (Number.isNaN(v)) return '';
  if (v === Infinity) return 'inf';
  if (v === -Infinity) return '-inf';
  return Object.is(v, -0) ? '0' : String(v);
}

function quote(s: string): string {
  return /[\t\n\r"]/.test(s) ? `"${s.replace(/"/g, '""')}"` : s;
}

/** One table as pandas' to_csv(sep="\t") writes it; returns the text and its file parameters. */
export function formatTable(rows: Index, cols: Index, cell: (k: number) => string): { text: string; nrIndexCol: number; nrHeader: number } {
  const ni = rows.names.length;
  const nc = cols.keys.length;
  const lines: string[] = [];
  let nh: number;
  if (cols.names.length === 1) {
    nh = 1;
    lines.push([...rows.names, ...cols.keys.map((k) => k[0]!)].map(quote).join('\t'));
  } else {
    nh = cols.names.length;
    for (let l = 0; l < nh; l++) {
      lines.push([cols.names[l]!, ...Array<string>(ni - 1).fill(''), ...cols.keys.map((k) => k[l]!)].map(quote).join('\t'));
    }
    if (rows.names.some((n) => n !== '')) lines.push([...rows.names, ...Array<string>(nc).fill('')].map(quote).join('\t'));
  }
  for (let i = 0; i < rows.keys.length; i++) {
    const parts = rows.keys[i]!.map(quote);
    for (let j = 0; j < nc; j++) parts.push(cell(i * nc + j));
    lines.push(parts.join('\t'));
  }
  return { text: lines.join('\n') + '\n', nrIndexCol: ni, nrHeader: nh };
}

export function formatMatrix(m: LabelledMatrix): { text: string; nrIndexCol: number; nrHeader: number } {
  return formatTable(m.rows, m.cols, (k) => formatNumber(m.data[k]!));
}

async function writeFolder(dir: string, f: PymrioFolder, head: Record<string, unknown>): Promise<void> {
  await mkdir(dir, { recursive: true });
  const files: Record<string, { name: string; nr_index_col: string; nr_header: string }> = {};
  const put = async (key: string, t: { text: string; nrIndexCol: number; nrHeader: number }): Promise<void> => {
    const name = `${key}.txt`;
    await writeFile(join(dir, name), t.text);
    files[key] = { name, nr_index_col: String(t.nrIndexCol), nr_header: String(t.nrHeader) };
  };
  for (const [key, m] of f.tables) await put(key, formatMatrix(m));
  if (f.unit) {
    const u = f.unit;
    await put('unit', formatTable(u.rows, u.cols, (k) => quote(u.cells[k]!)));
  }
  await writeFile(join(dir, PARAMS), JSON.stringify({ files, ...head }, null, 4));
}

/**
 * Writes a system in pymrio's folder format so that `pymrio.load_all(dir)` reads it: the core
 * tables, unit.txt, file_parameters.json, metadata.json (with the history), and one sub-folder per
 * extension, plus `extraFiles` (name → text, e.g. run.json; pymrio ignores them). Atomic: everything is written into a temporary sibling folder that is then renamed
 * onto `dir` (an existing `dir` is replaced only once the new one is complete).
 */
export async function writePymrio(dir: string, sys: PymrioSystem, extraFiles: Record<string, string> = {}): Promise<void> {
  await writeDirAtomic(dir, async (tmp) => {
    for (const [name, text] of Object.entries(extraFiles)) await writeFile(join(tmp, name), text);
    await writeFolder(tmp, sys, { systemtype: 'IOSystem', ...(sys.name ? { name: sys.name } : {}) });
    if (sys.meta) await writeFile(join(tmp, 'metadata.json'), JSON.stringify(sys.meta, null, 4));
    const used = new Set<string>();
    for (const e of sys.extensions) {
      const folder = e.folder || e.name.toLowerCase().replace(/[^a-z0-9]+/g, '_');
      if (used.has(folder)) throw new Error(`two extensions would be written to the same folder ${folder}`);
      used.add(folder);
      await writeFolder(join(tmp, folder), e, { systemtype: 'Extension', name: e.name });
    }
  });
}
