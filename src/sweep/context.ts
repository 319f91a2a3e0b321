/**
 * A sweep's working context: the inputs, the kernel, the grid cells and (lazily) one prepared model
 * and evaluator per cell; and the chunk computation: a fixed range of draws → a Parquet file of
 * results and a statistics file. The main thread builds a SweepContext from the data; worker
 * threads get its prepared models (a ContextSnapshot) and build a ChunkContext from them, so a
 * worker neither loads the data nor prepares a model (nor imports the readers).
 */
import { mkdirSync } from 'node:fs';
import { isAbsolute, join, resolve } from 'node:path';
import type { DataPaths, LoadedInputs } from '../inputs/node.js';
import type { Kernel } from '../kernel/api.js';
import { selectKernel } from '../kernel/select.js';
import { DEFAULT_OPTIONS, type ModelOptions } from '../model/options.js';
import type { ReferenceData } from '../model/types.js';
import { writeAtomic } from '../output/atomic.js';
import { sha256 } from '../output/sha256.js';
import { VERSION } from '../version.js';
import { Evaluator, type Variant } from './draws.js';
import { writeParquet } from './parquet.js';
import { CLASSES } from '../model/evaluate.js';
import { modelFromPortable, portableModel, prepareModel, type PortableModel, type PreparedModel } from '../model/prepared.js';
import type { SweepSpec } from './spec.js';
import { cellStats, METRICS, type ChunkStats, type Metric } from './stats.js';
import { chunkDraws, drawsPerCell, evaluationsPerSample } from './sobol-design.js';
import { accumulateSamples, blocksJson } from './sobol-indices.js';

/** What a worker needs to rebuild the context: the validated spec and where its data paths resolve. */
export interface SweepInit {
  spec: SweepSpec;
  specDir: string;
}

/**
 * The main thread's prepared state, sent once to each worker thread: the prepared model of every
 * grid cell as plain typed arrays (about 0.6 MB per cell for 31 × 30), so a worker starts in
 * milliseconds instead of loading the data and preparing every model again.
 */
export interface ContextSnapshot {
  spec: SweepSpec;
  specHash: string;
  cells: ModelOptions[];
  kernel: string;
  models: PortableModel[];
}

/**
 * A wasm kernel instance of this thread; the reference kernel, with a warning, where the wasm cannot
 * load (its name goes into the checkpoint). Without the loader's warm-up, which exercises the
 * large-matrix paths a sweep never calls (0.1 CPU-second per thread).
 */
async function sweepKernel(): Promise<Kernel> {
  const { kernel, fallback } = await selectKernel('auto', { warmUp: 'off' });
  if (fallback !== undefined) process.emitWarning(fallback);
  return kernel;
}

/** The spec's data paths, relative ones resolved against the spec's folder. */
export function specDataPaths(init: SweepInit): DataPaths {
  const paths: DataPaths = {};
  for (const [k, v] of Object.entries(init.spec.data ?? {})) {
    if (v !== undefined) paths[k as keyof DataPaths] = isAbsolute(v) ? v : resolve(init.specDir, v);
  }
  return paths;
}

export function chunkName(k: number): string {
  return `part-${String(k).padStart(6, '0')}`;
}

export interface ChunkDone {
  chunk: number;
  rows: number;
  parquet: string;
  stats: string;
}

/** A written chunk: its checkpoint entry, and its statistics for the main thread's running fold. */
export interface ChunkResult {
  done: ChunkDone;
  stats: ChunkStats;
}

/** What computes chunks: the spec, the kernel, the grid cells and one evaluator per cell. */
export class ChunkContext {
  readonly spec: SweepSpec;
  readonly kernel: Kernel;
  readonly cells: ModelOptions[];
  readonly specHash: string;
  protected readonly prepared = new Map<number, Evaluator>();
  private buffers:
    | { cell: Int32Array; draw: Int32Array; province: Uint8Array; cls: Uint8Array; cols: Record<Metric, Float64Array> }
    | undefined;

  protected constructor(spec: SweepSpec, kernel: Kernel, cells: ModelOptions[], specHash: string) {
    this.spec = spec;
    this.kernel = kernel;
    this.cells = cells;
    this.specHash = specHash;
  }

  /** A worker's context from the main thread's snapshot (its own kernel instance). */
  static async fromSnapshot(s: ContextSnapshot): Promise<ChunkContext> {
    const kernel = await sweepKernel();
    if (kernel.name !== s.kernel) throw new Error(`worker kernel ${kernel.name} differs from the main thread's ${s.kernel}`);
    const ctx = new ChunkContext(s.spec, kernel, s.cells, s.specHash);
    s.models.forEach((m, c) => ctx.prepared.set(c, new Evaluator(modelFromPortable(m), s.spec, kernel)));
    return ctx;
  }

  /** The evaluator of grid cell c. */
  evaluator(c: number): Evaluator {
    let e = this.prepared.get(c);
    if (!e) {
      e = this.prepare(c);
      this.prepared.set(c, e);
    }
    return e;
  }

  protected prepare(c: number): Evaluator {
    throw new Error(`grid cell ${c} was not prepared in the main thread`);
  }

  /** Evaluations per grid cell: the Monte Carlo draws, or Saltelli's (k + 2)·n. */
  get drawsPerCell(): number {
    return drawsPerCell(this.spec);
  }

  get totalDraws(): number {
    return this.cells.length * this.drawsPerCell;
  }

  /** Draws per chunk (with a sobol section, whole base samples). */
  get chunkSize(): number {
    return chunkDraws(this.spec);
  }

  get chunks(): number {
    return Math.ceil(this.totalDraws / this.chunkSize);
  }

  chunkRange(k: number): [number, number] {
    const s = this.chunkSize;
    return [k * s, Math.min((k + 1) * s, this.totalDraws)];
  }

  /** Computes chunk k: the Parquet bytes (a view, valid until the next call) and its statistics. */
  computeChunk(k: number): { parquet: Uint8Array; stats: ChunkStats; rows: number } {
    const [start, end] = this.chunkRange(k);
    const D = this.drawsPerCell;
    const first = this.evaluator(Math.floor(start / D));
    const R = first.model.R;
    const provinces = first.model.provinces;
    const rows = (end - start) * R;
    // Column buffers are reused from chunk to chunk (fresh multi-megabyte arrays cost page faults).
    if (!this.buffers || this.buffers.cell.length !== rows) {
      this.buffers = {
        cell: new Int32Array(rows),
        draw: new Int32Array(rows),
        province: new Uint8Array(rows),
        cls: new Uint8Array(rows),
        cols: Object.fromEntries(METRICS.map((m) => [m, new Float64Array(rows)])) as Record<Metric, Float64Array>,
      };
    }
    const { cell, draw, province, cls, cols } = this.buffers;
    const stats: ChunkStats = { chunk: k, start, end, cells: {} };
    for (let v = start; v < end; ) {
      const c = Math.floor(v / D);
      const segEnd = Math.min(end, (c + 1) * D);
      const ev = this.evaluator(c);
      if (ev.model.provinces.join() !== provinces.join()) throw new Error(`grid cell ${c}: provinces differ from cell 0's`);
      const variants: Variant[] = [];
      for (let j = v; j < segEnd; j++) variants.push({ kind: 'mc', draw: j - c * D });
      const off = (v - start) * R;
      const { N, NP, T, CTT, CTTp } = cols;
      const c0 = v - c * D;
      ev.evaluate(variants, (i, out) => {
        const o = off + i * R;
        const d = c0 + i;
        for (let r = 0; r < R; r++) {
          const q = o + r;
          cell[q] = c;
          draw[q] = d;
          province[q] = r;
          N[q] = out.N[r];
          NP[q] = out.NP[r];
          T[q] = out.T[r];
          CTT[q] = out.CTT[r];
          CTTp[q] = out.CTTp[r];
          cls[q] = out.cls[r];
        }
      });
      stats.cells[String(c)] = cellStats(R, segEnd - v, cols, cls, ev.model.base.N, ev.model.base.NP, off);
      const sobol = this.spec.sobol;
      if (sobol) {
        // Chunks hold whole base samples (k + 2 evaluations each): their sums per block of samples.
        const e = evaluationsPerSample(this.spec);
        const blocks = new Map<number, Float64Array>();
        const base = ev.model.base;
        const metricCols = METRICS.map((m) => cols[m]);
        accumulateSamples(
          blocks,
          e - 2,
          R,
          sobol.n,
          c0 / e,
          (segEnd - c * D) / e,
          metricCols,
          off,
          METRICS.map((m) => base[m]),
        );
        stats.sobol ??= {};
        stats.sobol[String(c)] = blocksJson(blocks);
      }
      v = segEnd;
    }
    const parquet = writeParquet(
      [
        { name: 'cell', type: 'INT32', data: cell, runs: true },
        { name: 'draw', type: 'INT32', data: draw, runs: true },
        { name: 'province', type: 'DICT', dictionary: provinces, indices: province },
        { name: 'N', type: 'DOUBLE', data: cols.N },
        { name: 'NP', type: 'DOUBLE', data: cols.NP },
        { name: 'T', type: 'DOUBLE', data: cols.T },
        { name: 'CTT', type: 'DOUBLE', data: cols.CTT, nullable: true },
        { name: 'CTTp', type: 'DOUBLE', data: cols.CTTp, nullable: true },
        { name: 'class', type: 'DICT', dictionary: CLASSES, indices: cls },
      ],
      { 'embodied.sweep': JSON.stringify({ chunk: k, start, end, specHash: this.specHash, seed: this.spec.seed, version: VERSION }) },
      `embodied ${VERSION}`,
    );
    return { parquet, stats, rows };
  }

  /** Computes chunk k and writes draws/part-k.parquet and stats/part-k.json under `out`, atomically. */
  writeChunk(k: number, out: string): ChunkResult {
    const { parquet, stats, rows } = this.computeChunk(k);
    const name = chunkName(k);
    mkdirSync(join(out, 'draws'), { recursive: true });
    mkdirSync(join(out, 'stats'), { recursive: true });
    const statsText = JSON.stringify(stats);
    const done: ChunkDone = { chunk: k, rows, parquet: sha256(parquet), stats: sha256(statsText) };
    writeAtomic(join(out, 'stats', `${name}.json`), statsText);
    writeAtomic(join(out, 'draws', `${name}.parquet`), parquet);
    return { done, stats };
  }
}

/** The main thread's context: loads the data and prepares each cell's model on first use. */
export class SweepContext extends ChunkContext {
  readonly loaded: LoadedInputs;
  readonly ref: ReferenceData;
  /** sha256 over the input files (empty string hash for the demo dataset). */
  readonly dataHash: string;

  private constructor(
    init: SweepInit,
    loaded: LoadedInputs,
    ref: ReferenceData,
    kernel: Kernel,
    cells: ModelOptions[],
    dataHash: string,
    hash: string,
  ) {
    super(init.spec, kernel, cells, hash);
    this.loaded = loaded;
    this.ref = ref;
    this.dataHash = dataHash;
  }

  static async create(init: SweepInit): Promise<SweepContext> {
    // Imported here, not at the top: worker threads load this module without the readers, the
    // reference data or the spec's schema libraries.
    const [{ dataWarnings, loadInputs }, { bundledData }, { referenceDataOf }, { gridCells, specHash }] = await Promise.all([
      import('../inputs/node.js'),
      import('../data/index.js'),
      import('../model/reference.js'),
      import('./spec.js'),
    ]);
    const loaded = loadInputs(specDataPaths(init));
    dataWarnings(loaded);
    const dataHash = sha256(loaded.files.map((f) => `${f.role} ${f.sha256}`).join('\n'));
    const cells = gridCells(init.spec, DEFAULT_OPTIONS);
    return new SweepContext(
      init,
      loaded,
      referenceDataOf(bundledData()),
      await sweepKernel(),
      cells,
      dataHash,
      specHash(init.spec, dataHash),
    );
  }

  protected override prepare(c: number): Evaluator {
    const options = this.cells[c];
    try {
      const model: PreparedModel = prepareModel(this.loaded.inputs, this.ref, options, this.kernel);
      return new Evaluator(model, this.spec, this.kernel);
    } catch (err) {
      if (this.cells.length > 1 && err instanceof Error) {
        err.message = `grid cell ${c} (${Object.entries(options)
          .map(([k, v]) => `${k}=${v}`)
          .join(', ')}): ${err.message}`;
      }
      throw err;
    }
  }

  /** Every cell prepared, as plain data for the sweep's worker threads. */
  snapshot(): ContextSnapshot {
    const fuel = [...this.spec.montecarlo, ...(this.spec.oat?.groups ?? [])].some((g) => g.target === 'fuel');
    const models = this.cells.map((_, c) => portableModel(this.evaluator(c).model, fuel));
    return { spec: this.spec, specHash: this.specHash, cells: this.cells, kernel: this.kernel.name, models };
  }
}
