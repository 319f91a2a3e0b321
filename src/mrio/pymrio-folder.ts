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
 * the consistency between tables (labels, sizes) is checked in pymrio.ts. Node only (node:fs).
 */
import { existsSync } from 'node:fs';
import { type FileHandle, mkdir, open, readdir, readFile, stat, writeFile } from 'node:fs/promises';
import { isAbsolute, join } from 'node:path';
import { formatNumber } from '../output/number.js';
import { parseDecimalBytes, parseNumber } from './cell-number.js';
import { MrioInputError } from './errors.js';
import type { Index, LabelledMatrix } from './labels.js';

/** A table of text cells with labels: unit.txt, or any table before numbers are parsed. */
export interface TextTable {
  rows: Index;
  cols: Index;
  /** rows × cols, row-major. */
  cells: string[];
}

interface FileParameters {
  name: string;
  nrIndexCol: number;
  nrHeader: number;
}

/** The tables of one folder (the core system or one extension), keyed as in file_parameters.json. */
interface PymrioFolder {
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

interface PymrioMeta {
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
    throw new MrioInputError(
      PARAMS,
      `systemtype is ${JSON.stringify(json.systemtype)}, expected "IOSystem" (is this an extension folder?)`,
    );
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
  const entries = (await readdir(dir, { withFileTypes: true }))
    .filter((e) => e.isDirectory())
    .map((e) => e.name)
    .sort();
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
    // Names are files of this folder: a name with a path in it (../../etc/passwd) is not opened.
    if (p.name === '' || p.name === '.' || p.name === '..' || /[/\\]/.test(p.name) || isAbsolute(p.name)) {
      throw new MrioInputError(
        file,
        `entry "${key}" names ${JSON.stringify(p.name)}: it must be a file name in this folder, without a path`,
      );
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
    files.set(key, file);
    if (key === 'unit') unit = await readTableFile(path, file, p.nrIndexCol, p.nrHeader, 'text');
    else tables.set(key, await readTableFile(path, file, p.nrIndexCol, p.nrHeader, 'numbers'));
  }
  return { tables, files, ...(unit ? { unit } : {}) };
}

/**
 * Splits one line as pandas writes it with sep="\t": fields are separated by tabs; a field holding
 * a tab, a quote or a line break is quoted ("..." with "" for a quote).
 */
function splitLine(line: string, file: string, lineNo: number): string[] {
  if (!line.includes('"')) return line.split('\t');
  const out: string[] = [];
  let i = 0;
  for (;;) {
    if (line[i] === '"') {
      let v = '';
      i++;
      for (;;) {
        const q = line.indexOf('"', i);
        if (q < 0) throw new MrioInputError(file, 'a quoted field is not closed (line breaks inside a label are not supported)', lineNo);
        v += line.slice(i, q);
        if (line[q + 1] === '"') {
          v += '"';
          i = q + 2;
        } else {
          i = q + 1;
          break;
        }
      }
      out.push(v);
      if (i >= line.length) return out;
      if (line[i] !== '\t') throw new MrioInputError(file, `unexpected text after a quoted field at character ${i + 1}`, lineNo);
      i++;
    } else {
      const t = line.indexOf('\t', i);
      if (t < 0) {
        out.push(line.slice(i));
        return out;
      }
      out.push(line.slice(i, t));
      i = t + 1;
    }
  }
}

type Mode = 'numbers' | 'text';

/**
 * Builds one table from its lines in pandas' to_csv layout (see the module comment), line by line,
 * so that files larger than a JavaScript string can be read. Numbers go straight into a growing
 * Float64Array; a bad cell is reported with its file, line and column. A plain data row of numbers
 * is parsed from its bytes (row); a header, a quoted field or anything row declines goes through the
 * line's text (line), which also words every error.
 */
class TableBuilder {
  private header: string[][] = [];
  private width = 0;
  private rowNames: string[] = [];
  private colNames: string[] = [];
  private colKeys: string[][] = [];
  private namesChecked = false;
  private rowKeys: string[][] = [];
  /** Values in blocks, each filled to its end or (the last) to count: growing never copies. */
  private blocks: Float64Array[] = [];
  private values = new Float64Array(1024);
  private count = 0;
  private cells: string[] = [];

  constructor(
    private readonly file: string,
    private readonly ni: number,
    private readonly nh: number,
    private readonly mode: Mode,
  ) {}

  /** One line, bytes[start, end) without its line break. */
  bytes(bytes: Buffer, start: number, end: number, lineNo: number): void {
    if (!(this.namesChecked && this.mode === 'numbers' && this.row(bytes, start, end)))
      this.line(bytes.toString('utf8', start, end), lineNo);
  }

  /**
   * A data row of numbers straight from its bytes; false (nothing taken) where it needs the text
   * path: a label that starts with a quote, a cell count that is not the header's, a cell that is
   * not a finite number.
   */
  private row(bytes: Buffer, start: number, end: number): boolean {
    const ni = this.ni;
    const nc = this.width - ni;
    const key: string[] = [];
    let p = start;
    for (let l = 0; l < ni; l++) {
      const t = bytes.indexOf(9, p);
      if (bytes[p] === 34 || t < 0 || t >= end) return false;
      key.push(bytes.toString('utf8', p, t));
      p = t + 1;
    }
    this.reserve(nc);
    const values = this.values;
    let k = this.count;
    for (let j = 0; j < nc; j++) {
      const last = j === nc - 1;
      if (bytes[p] === 48 && (p + 1 === end ? last : bytes[p + 1] === 9 && !last)) {
        values[k++] = 0;
        p += 2;
        continue;
      }
      let q = p;
      while (q < end && bytes[q] !== 9) q++;
      if ((q === end) !== last) return false;
      let v = parseDecimalBytes(bytes, p, q);
      if (!Number.isFinite(v)) {
        const w = parseNumber(bytes.toString('utf8', p, q));
        if (w === undefined || !Number.isFinite(w)) return false;
        v = w;
      }
      values[k++] = v;
      p = q + 1;
    }
    this.count = k;
    this.rowKeys.push(key);
    return true;
  }

  /** Room for `nc` more values in the current block. */
  private reserve(nc: number): void {
    if (this.count + nc > this.values.length) {
      this.blocks.push(this.values.subarray(0, this.count));
      this.values = new Float64Array(Math.max(Math.min(this.values.length * 2, 1 << 20), nc));
      this.count = 0;
    }
  }

  line(text: string, lineNo: number): void {
    if (text === '') return;
    const cells = splitLine(text, this.file, lineNo);
    if (this.header.length < this.nh) {
      if (this.header.length === 0) {
        this.width = cells.length;
        if (this.width - this.ni < 1) {
          throw new MrioInputError(
            this.file,
            `the header has ${this.width} cells: no data columns after the ${this.ni} label columns`,
            lineNo,
          );
        }
      } else if (cells.length !== this.width) {
        throw new MrioInputError(this.file, `header row has ${cells.length} cells, the first header row ${this.width}`, lineNo);
      }
      this.header.push(cells);
      if (this.header.length === this.nh) this.closeHeader();
      return;
    }
    const nc = this.width - this.ni;
    if (!this.namesChecked) {
      this.namesChecked = true;
      // pandas writes the index level names on their own row, with blank data cells.
      if (this.nh > 1 && cells.length === this.width && cells.slice(this.ni).every((c) => c === '')) {
        this.rowNames = cells.slice(0, this.ni);
        return;
      }
    }
    if (cells.length !== this.width) {
      throw new MrioInputError(this.file, `has ${cells.length} cells, the header ${this.width} (${this.ni} labels + ${nc} values)`, lineNo);
    }
    const key = cells.slice(0, this.ni);
    this.rowKeys.push(key);
    if (this.mode === 'text') {
      for (let j = 0; j < nc; j++) this.cells.push(cells[this.ni + j]!);
      return;
    }
    this.reserve(nc);
    for (let j = 0; j < nc; j++) {
      const c = cells[this.ni + j]!;
      const v = parseNumber(c);
      if (v === undefined || !Number.isFinite(v)) {
        const what = c.trim() === '' ? 'an empty cell (NaN)' : `"${c}"`;
        throw new MrioInputError(
          this.file,
          `${what} where a finite number is expected (row ${key.join('/')}, column ${this.colKeys[j]!.join('/')})`,
          lineNo,
          this.ni + j + 1,
        );
      }
      this.values[this.count++] = v;
    }
  }

  private closeHeader(): void {
    const ni = this.ni;
    const nc = this.width - ni;
    this.colKeys = Array.from({ length: nc }, () => []);
    if (this.nh === 1) {
      const h = this.header[0]!;
      this.rowNames = h.slice(0, ni);
      this.colNames = [''];
      for (let j = 0; j < nc; j++) this.colKeys[j]!.push(h[ni + j]!);
    } else {
      this.rowNames = Array.from({ length: ni }, () => '');
      for (const h of this.header) {
        this.colNames.push(h.slice(0, ni).find((c) => c !== '') ?? '');
        for (let j = 0; j < nc; j++) this.colKeys[j]!.push(h[ni + j]!);
      }
    }
  }

  finish(): TextTable | LabelledMatrix {
    if (this.header.length < this.nh)
      throw new MrioInputError(this.file, `has ${this.header.length} lines, fewer than its ${this.nh} header rows`);
    const rows = { names: this.rowNames, keys: this.rowKeys };
    const cols = { names: this.colNames, keys: this.colKeys };
    if (this.mode === 'text') return { rows, cols, cells: this.cells };
    const last = this.values.subarray(0, this.count);
    if (this.blocks.length === 0) return { rows, cols, data: this.values.length === this.count ? this.values : last.slice() };
    const data = new Float64Array(this.blocks.reduce((s, b) => s + b.length, this.count));
    let at = 0;
    for (const b of [...this.blocks, last]) {
      data.set(b, at);
      at += b.length;
    }
    return { rows, cols, data };
  }
}

/**
 * Reads one table file line by line (any size: it is never held whole) in chunks of bytes; a line
 * ends at \n, \r\n or \r, as readline counts them.
 */
async function readTableFile(path: string, file: string, nrIndexCol: number, nrHeader: number, mode: 'numbers'): Promise<LabelledMatrix>;
async function readTableFile(path: string, file: string, nrIndexCol: number, nrHeader: number, mode: 'text'): Promise<TextTable>;
async function readTableFile(
  path: string,
  file: string,
  nrIndexCol: number,
  nrHeader: number,
  mode: Mode,
): Promise<TextTable | LabelledMatrix> {
  const b = new TableBuilder(file, nrIndexCol, nrHeader, mode);
  const fh = await open(path, 'r');
  try {
    let buf = Buffer.allocUnsafe(1 << 20);
    let len = 0;
    let lineNo = 0;
    let start = -1; // before the first read: a UTF-8 byte order mark is skipped then
    for (let eof = false; !eof; ) {
      if (len === buf.length) {
        // One line longer than the buffer.
        const grown = Buffer.allocUnsafe(buf.length * 2);
        buf.copy(grown, 0, 0, len);
        buf = grown;
      }
      const { bytesRead } = await fh.read(buf, len, buf.length - len, null);
      eof = bytesRead === 0;
      len += bytesRead;
      if (start < 0) {
        if (len < 3 && !eof) continue;
        start = len >= 3 && buf[0] === 0xef && buf[1] === 0xbb && buf[2] === 0xbf ? 3 : 0;
      }
      const data = buf.subarray(0, len);
      let cr = data.indexOf(13, start);
      for (;;) {
        if (cr >= 0 && cr < start) cr = data.indexOf(13, start);
        let e = data.indexOf(10, start);
        if (e < 0) e = len;
        if (cr >= 0 && cr < e) e = cr;
        if (e === len) {
          if (eof && e > start) b.bytes(data, start, e, ++lineNo);
          break;
        }
        // A \r at the end of the bytes read may be the first half of a \r\n.
        if (e === cr && e + 1 === len && !eof) break;
        b.bytes(data, start, e, ++lineNo);
        start = e + (e === cr && data[e + 1] === 10 ? 2 : 1);
      }
      if (eof) break;
      buf.copy(buf, 0, start, len);
      len -= start;
      start = 0;
    }
  } finally {
    await fh.close();
  }
  return b.finish();
}

// ---------------------------------------------------------------------------------------------
// Writing

/** A table cell as pandas writes it: NaN empty, ±inf, and formatNumber's exact shortest form. */
function cellText(v: number): string {
  if (Number.isNaN(v)) return '';
  if (v === Infinity) return 'inf';
  if (v === -Infinity) return '-inf';
  return formatNumber(v);
}

function quote(s: string): string {
  return /[\t\n\r"]/.test(s) ? `"${s.replace(/"/g, '""')}"` : s;
}

/** Text into a file through one reused buffer: never the whole file in one string or buffer. */
class ChunkWriter {
  buf = Buffer.allocUnsafe(1 << 20);
  pos = 0;
  constructor(private readonly fh: FileHandle) {}

  /** Room for `n` more bytes in buf from pos. */
  async room(n: number): Promise<void> {
    if (this.pos + n <= this.buf.length) return;
    await this.flush();
    if (n > this.buf.length) this.buf = Buffer.allocUnsafe(n);
  }

  async line(text: string): Promise<void> {
    await this.room(Buffer.byteLength(text) + 1);
    this.pos += this.buf.write(text, this.pos);
    this.buf[this.pos++] = 10;
  }

  async flush(): Promise<void> {
    if (this.pos) await this.fh.write(this.buf, 0, this.pos);
    this.pos = 0;
  }
}

/** Bytes of a tab and formatNumber's longest text (-1.2345678901234567e-308), with room to spare. */
const CELL_BYTES = 32;

/**
 * Writes one table as pandas' to_csv(sep="\t") does, numbers (cellText) or text cells (quoted where
 * needed), in chunks; returns its file parameters.
 */
async function writeTableFile(
  path: string,
  rows: Index,
  cols: Index,
  cells: Float64Array | string[],
): Promise<{ nrIndexCol: number; nrHeader: number }> {
  const ni = rows.names.length;
  const nc = cols.keys.length;
  const fh = await open(path, 'w');
  try {
    const w = new ChunkWriter(fh);
    let nh: number;
    if (cols.names.length === 1) {
      nh = 1;
      await w.line([...rows.names, ...cols.keys.map((k) => k[0]!)].map(quote).join('\t'));
    } else {
      nh = cols.names.length;
      for (let l = 0; l < nh; l++) {
        await w.line([cols.names[l]!, ...Array<string>(ni - 1).fill(''), ...cols.keys.map((k) => k[l]!)].map(quote).join('\t'));
      }
      if (rows.names.some((n) => n !== '')) await w.line([...rows.names, ...Array<string>(nc).fill('')].map(quote).join('\t'));
    }
    for (let i = 0; i < rows.keys.length; i++) {
      const labels = rows.keys[i]!.map(quote).join('\t');
      if (!(cells instanceof Float64Array)) {
        await w.line([labels, ...cells.slice(i * nc, (i + 1) * nc).map(quote)].join('\t'));
        continue;
      }
      // Numbers are ASCII: one byte a character; a zero, most cells of a large table, is one byte.
      await w.room(Buffer.byteLength(labels) + nc * CELL_BYTES + 1);
      const buf = w.buf;
      let pos = w.pos + buf.write(labels, w.pos);
      for (let k = i * nc, end = k + nc; k < end; k++) {
        const v = cells[k]!;
        buf[pos++] = 9;
        if (v === 0) buf[pos++] = 48;
        else pos += buf.write(cellText(v), pos, 'latin1');
      }
      buf[pos++] = 10;
      w.pos = pos;
    }
    await w.flush();
    return { nrIndexCol: ni, nrHeader: nh };
  } finally {
    await fh.close();
  }
}

async function writeFolder(dir: string, f: PymrioFolder, head: Record<string, unknown>): Promise<void> {
  await mkdir(dir, { recursive: true });
  const files: Record<string, { name: string; nr_index_col: string; nr_header: string }> = {};
  const put = async (key: string, rows: Index, cols: Index, cells: Float64Array | string[]): Promise<void> => {
    const name = `${key}.txt`;
    const t = await writeTableFile(join(dir, name), rows, cols, cells);
    files[key] = { name, nr_index_col: String(t.nrIndexCol), nr_header: String(t.nrHeader) };
  };
  for (const [key, m] of f.tables) await put(key, m.rows, m.cols, m.data);
  if (f.unit) await put('unit', f.unit.rows, f.unit.cols, f.unit.cells);
  await writeFile(join(dir, PARAMS), JSON.stringify({ files, ...head }, null, 4));
}

/**
 * Writes a system in pymrio's folder format into `dir` (created if needed) so that
 * `pymrio.load_all(dir)` reads it: the core tables, unit.txt, file_parameters.json, metadata.json
 * (with the history), and one sub-folder per extension. The CLI calls it inside the guarded
 * output writer (src/output/folder.ts), which makes the whole folder appear at once.
 */
export async function writePymrio(dir: string, sys: PymrioSystem): Promise<void> {
  await writeFolder(dir, sys, { systemtype: 'IOSystem', ...(sys.name ? { name: sys.name } : {}) });
  if (sys.meta) await writeFile(join(dir, 'metadata.json'), JSON.stringify(sys.meta, null, 4));
  const used = new Set<string>();
  for (const e of sys.extensions) {
    const folder = e.folder || e.name.toLowerCase().replace(/[^a-z0-9]+/g, '_');
    if (used.has(folder)) throw new Error(`two extensions would be written to the same folder ${folder}`);
    used.add(folder);
    await writeFolder(join(dir, folder), e, { systemtype: 'Extension', name: e.name });
  }
}
