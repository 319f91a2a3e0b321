/**
 * Running a sweep: checkpoint checks, chunks dispatched to a piscina pool (one sweep context and
 * kernel instance per worker thread) or computed in-process, the manifest rewritten after each chunk,
 * progress on a terminal, and the summaries once every chunk is there.
 */
import { setMaxListeners } from 'node:events';
import { existsSync, mkdirSync, readdirSync, unlinkSync } from 'node:fs';
import { availableParallelism } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import cliProgress from 'cli-progress';
import { Piscina } from 'piscina';
import { TEMPORARY_FILE, writeAtomic } from '../output/atomic.js';
import { checkOutput, openOutputFolder, removeOutput } from '../output/folder.js';
import { VERSION } from '../version.js';
import {
  CheckpointError,
  identityDifference,
  readManifest,
  shardRange,
  SWEEP_OUTPUT,
  verifyChunks,
  writeManifest,
  type Identity,
  type Manifest,
  type Shard,
} from './checkpoint.js';
import { checkSize, sweepSize } from './estimate.js';
import { specDataPaths, SweepContext, type ChunkDone, type ChunkResult, type SweepInit } from './context.js';
import { loadSpec } from './spec.js';
import { readChunkStats, writeSummary } from './summary.js';
import { StatsFold } from './stats.js';
import type { ChunkTask } from './worker.js';

export interface SweepRunOptions {
  specPath: string;
  out: string;
  /** Worker threads; 0 computes in this thread. Default: every core. */
  workers?: number;
  shard?: Shard;
  resume?: boolean;
  force?: boolean;
  quiet?: boolean;
  /** Progress bar; default: when stderr is a terminal and not quiet. */
  progress?: boolean;
  /** Stops dispatching (Ctrl-C); completed chunks stay in the checkpoint. */
  signal?: AbortSignal;
  log?: (line: string) => void;
  /** Disk (for what this run writes) and memory (per chunk) limits in GB; default DEFAULT_LIMITS (./estimate.ts). */
  limits?: { diskGB?: number; memoryGB?: number };
}

export interface SweepOutcome {
  status: 'complete' | 'shard-complete' | 'interrupted';
  manifest: Manifest;
  /** Chunks computed by this invocation, and the time it took. */
  computed: number;
  drawsComputed: number;
  seconds: number;
  terminal?: string;
}

/** The worker module: the built JS next to this file, or the TypeScript source run through tsx. */
function workerFile(): { filename: string; execArgv: string[] } {
  const js = new URL('./worker.js', import.meta.url);
  if (existsSync(fileURLToPath(js))) return { filename: js.href, execArgv: [] };
  const ts = new URL('./worker.ts', import.meta.url);
  return { filename: ts.href, execArgv: ['--import', 'tsx'] };
}

export function identityOf(ctx: SweepContext): Identity {
  return {
    version: VERSION,
    specHash: ctx.specHash,
    seed: ctx.spec.seed,
    kernel: ctx.kernel.name,
    cells: ctx.cells.length,
    draws: ctx.drawsPerCell,
    chunkSize: ctx.chunkSize,
    chunks: ctx.chunks,
  };
}

export function resumeCommand(o: SweepRunOptions): string {
  return `embodied sweep run ${o.specPath} --out ${o.out}${o.shard ? ` --shard ${o.shard.index}/${o.shard.count}` : ''} --resume`;
}

function removeTemporaries(dir: string): void {
  for (const sub of ['', 'draws', 'stats', 'summary']) {
    const d = join(dir, sub);
    if (!existsSync(d)) continue;
    for (const f of readdirSync(d)) if (TEMPORARY_FILE.test(f)) unlinkSync(join(d, f));
  }
}

export async function runSweep(o: SweepRunOptions): Promise<SweepOutcome> {
  const t0 = performance.now();
  const log = o.log ?? ((l: string) => process.stderr.write(`${l}\n`));
  const loaded = loadSpec(o.specPath);
  const init: SweepInit = { spec: loaded.spec, specDir: loaded.dir };
  // --out: new, empty, or an earlier sweep; --force discards only an earlier sweep's own files.
  const place = { out: o.out, kind: SWEEP_OUTPUT, inputs: [o.specPath, ...Object.values(specDataPaths(init))] };
  checkOutput(place, false);
  const ctx = await SweepContext.create(init);
  // Prepare every cell now: bad selectors (unknown provinces, sectors, fuels) fail before any work.
  ctx.cells.forEach((_, c) => ctx.evaluator(c));
  const id = identityOf(ctx);
  if (o.shard && o.shard.count > ctx.chunks) {
    throw new CheckpointError(
      `--shard ${o.shard.index}/${o.shard.count}: the sweep has ${ctx.chunks} chunk(s), so at most ${ctx.chunks} shards (some would compute nothing)`,
    );
  }
  const [first, end] = shardRange(ctx.chunks, o.shard ?? null);
  const size = sweepSize({ ...ctx.spec, cells: ctx.cells.length }, ctx.evaluator(0).model.R);
  // A shard writes its share of the sweep.
  checkSize({ ...size, totalDisk: (size.totalDisk * (end - first)) / ctx.chunks }, o.limits);

  const { earlier } = await openOutputFolder(place);
  if (earlier && o.force && !o.resume) removeOutput(o.out, SWEEP_OUTPUT);
  const manifest = readManifest(o.out);
  if (manifest && !o.resume) {
    throw new CheckpointError(
      `${o.out} already holds a sweep (${manifest.completed.length} of ${manifest.shard ? manifest.shard.end - manifest.shard.first : manifest.chunks} chunks done): add --resume to continue it, or --force to start over`,
    );
  }
  if (manifest) {
    const diff = identityDifference(manifest, id);
    if (diff) throw new CheckpointError(`cannot resume ${o.out}: ${diff}. Start over with --force, or use another --out`);
    const mShard = manifest.shard ? `${manifest.shard.index}/${manifest.shard.count}` : 'none';
    const oShard = o.shard ? `${o.shard.index}/${o.shard.count}` : 'none';
    if (mShard !== oShard) throw new CheckpointError(`cannot resume ${o.out}: it holds shard ${mShard}, this run is shard ${oShard}`);
    verifyChunks(o.out, manifest.completed);
  }
  const m: Manifest = manifest ?? {
    tool: 'embodied',
    kind: 'sweep',
    format: 1,
    ...id,
    shard: o.shard ? { ...o.shard, first, end } : null,
    spec: loaded.spec,
    completed: [],
  };
  const done = new Map<number, ChunkDone>(m.completed.map((c) => [c.chunk, c]));
  // run.json first: it marks the folder as a sweep's from the first file on.
  writeAtomic(
    join(o.out, 'run.json'),
    `${JSON.stringify({ tool: 'embodied', command: 'sweep run', version: VERSION, spec: loaded.path, specDir: loaded.dir, out: o.out, shard: o.shard ?? null, kernel: ctx.kernel.name, data: ctx.loaded.data, inputs: ctx.loaded.files, ...(ctx.loaded.missingNote && { warnings: [ctx.loaded.missingNote] }) }, null, 2)}\n`,
  );
  writeManifest(o.out, m);
  mkdirSync(join(o.out, 'draws'), { recursive: true });
  mkdirSync(join(o.out, 'stats'), { recursive: true });
  removeTemporaries(o.out);

  const pending: number[] = [];
  for (let k = first; k < end; k++) if (!done.has(k)) pending.push(k);
  const drawsOf = (k: number) => {
    const [s, e] = ctx.chunkRange(k);
    return e - s;
  };
  const totalDraws = Array.from({ length: end - first }, (_, i) => drawsOf(first + i)).reduce((a, b) => a + b, 0);
  const alreadyDraws = [...done.keys()].filter((k) => k >= first && k < end).reduce((a, k) => a + drawsOf(k), 0);
  if (manifest && !o.quiet) log(`resuming ${o.out}: ${done.size} chunk(s) already done, ${pending.length} to go`);

  const showBar = o.progress ?? (!o.quiet && Boolean(process.stderr.isTTY));
  const bar = showBar
    ? new cliProgress.SingleBar(
        {
          format: 'sweep {bar} {percentage}% | {value}/{total} draws | {rate} draws/s | ETA {eta_formatted}',
          stream: process.stderr,
          hideCursor: true,
          etaBuffer: 20,
        },
        cliProgress.Presets.shades_classic,
      )
    : undefined;
  bar?.start(totalDraws, alreadyDraws, { rate: '–' });
  let computedDraws = 0;
  const tStart = performance.now();
  // The summaries' statistics are folded while the chunks arrive (a shard writes no summaries);
  // chunks finished by an earlier invocation are read from their files when the fold reaches them.
  const fold = m.shard ? undefined : new StatsFold(ctx.chunks, (k) => readChunkStats(o.out, k), done.keys());
  const record = ({ done: d, stats }: ChunkResult) => {
    fold?.add(stats);
    done.set(d.chunk, d);
    m.completed = [...done.values()];
    writeManifest(o.out, m);
    computedDraws += drawsOf(d.chunk);
    const rate = computedDraws / ((performance.now() - tStart) / 1000);
    bar?.update(alreadyDraws + computedDraws, { rate: Math.round(rate).toLocaleString('en-US') });
  };

  const workers = o.workers ?? availableParallelism();
  let interrupted = false;
  try {
    if (workers <= 0 || pending.length <= 1) {
      for (const k of pending) {
        if (o.signal?.aborted) break;
        record(ctx.writeChunk(k, o.out));
        await new Promise((r) => setImmediate(r));
      }
    } else {
      const { filename, execArgv } = workerFile();
      const pool = new Piscina({
        filename,
        execArgv,
        workerData: ctx.snapshot(),
        minThreads: workers,
        maxThreads: workers,
        idleTimeout: 1000,
      });
      const abort = new AbortController();
      setMaxListeners(0, abort.signal);
      const onAbort = () => abort.abort();
      o.signal?.addEventListener('abort', onAbort, { once: true });
      try {
        await Promise.all(
          pending.map((chunk) =>
            pool
              .run({ chunk, out: o.out } satisfies ChunkTask, { signal: abort.signal })
              .then((r: ChunkResult) => {
                if (!abort.signal.aborted) record(r);
              })
              .catch((e: unknown) => {
                if (abort.signal.aborted) return;
                abort.abort();
                throw e;
              }),
          ),
        );
      } finally {
        o.signal?.removeEventListener('abort', onAbort);
        await pool.destroy();
      }
    }
  } finally {
    bar?.stop();
  }
  interrupted = Boolean(o.signal?.aborted) && [...Array(end - first).keys()].some((i) => !done.has(first + i));
  removeTemporaries(o.out);
  // The whole command's time, the summaries included.
  const outcome = (status: SweepOutcome['status'], terminal?: string): SweepOutcome => ({
    status,
    manifest: m,
    computed: pending.filter((k) => done.has(k)).length,
    drawsComputed: computedDraws,
    seconds: (performance.now() - t0) / 1000,
    terminal,
  });
  if (interrupted) return outcome('interrupted');
  if (!fold) return outcome('shard-complete');
  const summary = writeSummary(o.out, ctx, m, fold);
  return outcome('complete', summary.terminal);
}
