/**
 * The checkpoint manifest (out/manifest.json): the sweep's identity (spec hash, seed, version, kernel,
 * layout) and every completed chunk with the sha256 of its two files. Rewritten atomically after each
 * chunk, so a kill at any moment leaves a manifest that lists only chunks whose files are complete.
 * Nothing machine- or time-dependent goes in it: an unsharded run and a merge of shards write the
 * same bytes. Resume and merge both start from it.
 */
import { existsSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { z } from 'zod';
import { writeAtomic } from '../output/atomic.js';
import type { OutputKind } from '../output/folder.js';
import { sha256 } from '../output/sha256.js';
import { chunkName, type ChunkDone } from './context.js';
import type { SweepSpec } from './spec.js';

export class CheckpointError extends Error {
  override name = 'CheckpointError';
}

export interface Shard {
  index: number;
  count: number;
}

export interface Manifest {
  tool: 'embodied';
  kind: 'sweep';
  format: 1;
  version: string;
  specHash: string;
  seed: number;
  kernel: string;
  cells: number;
  draws: number;
  chunkSize: number;
  chunks: number;
  /** The shard this directory holds (null: the whole sweep), and its chunk range [first, end). */
  shard: (Shard & { first: number; end: number }) | null;
  spec: SweepSpec;
  completed: ChunkDone[];
}

const manifestSchema = z.object({
  tool: z.literal('embodied'),
  kind: z.literal('sweep'),
  format: z.literal(1),
  version: z.string(),
  specHash: z.string().regex(/^[0-9a-f]{64}$/),
  seed: z.number().int(),
  kernel: z.string(),
  cells: z.number().int().min(1),
  draws: z.number().int().min(0),
  chunkSize: z.number().int().min(1),
  chunks: z.number().int().min(0),
  shard: z.object({ index: z.number().int(), count: z.number().int(), first: z.number().int(), end: z.number().int() }).nullable(),
  spec: z.unknown(),
  completed: z.array(
    z.object({
      chunk: z.number().int().min(0),
      rows: z.number().int().min(0),
      parquet: z.string().regex(/^[0-9a-f]{64}$/),
      stats: z.string().regex(/^[0-9a-f]{64}$/),
    }),
  ),
});

const MANIFEST = 'manifest.json';

/**
 * A sweep's folder (`sweep run` or `sweep merge`): run.json, the checkpoint, the chunks, the
 * summaries and the temporary files of a write a kill interrupted. A manifest, when there is one,
 * must be a sweep's (one that does not parse is left to readManifest's message or to --force).
 */
export const SWEEP_OUTPUT: OutputKind = {
  commands: ['sweep run', 'sweep merge'],
  files:
    /^(?:run\.json|manifest\.json|draws\/part-\d{6,}\.parquet|stats\/part-\d{6,}\.json|summary\/(?:[a-z]+\.csv|summary\.md|sobol\.svg))(?:\.tmp-\d+-[a-z0-9]+)?$/,
  check: (dir) => {
    let m: { tool?: unknown; kind?: unknown } | null;
    try {
      m = JSON.parse(readFileSync(join(dir, MANIFEST), 'utf8')) as typeof m;
    } catch {
      return true;
    }
    return m?.tool === 'embodied' && m.kind === 'sweep';
  },
};

/** Shard k of N: chunks [floor(k·C/N), floor((k+1)·C/N)). */
export function shardRange(chunks: number, shard: Shard | null): [number, number] {
  if (!shard) return [0, chunks];
  return [Math.floor((shard.index * chunks) / shard.count), Math.floor(((shard.index + 1) * chunks) / shard.count)];
}

/** Parses "k/N" (k from 0 to N−1, as SLURM_ARRAY_TASK_ID with --array=0-(N-1) or JOB_COMPLETION_INDEX give it). */
export function parseShard(text: string): Shard {
  const m = /^\s*(\d+)\s*\/\s*(\d+)\s*$/.exec(text);
  if (!m) throw new CheckpointError(`--shard ${text}: expected k/N, e.g. 0/8 (k counts from 0)`);
  const index = Number(m[1]);
  const count = Number(m[2]);
  if (!Number.isSafeInteger(count) || count < 1 || index >= count)
    throw new CheckpointError(`--shard ${text}: k must be in 0..N−1 and N ≥ 1`);
  return { index, count };
}

function manifestText(m: Manifest): string {
  const ordered: Manifest = {
    tool: m.tool,
    kind: m.kind,
    format: m.format,
    version: m.version,
    specHash: m.specHash,
    seed: m.seed,
    kernel: m.kernel,
    cells: m.cells,
    draws: m.draws,
    chunkSize: m.chunkSize,
    chunks: m.chunks,
    shard: m.shard,
    spec: m.spec,
    completed: [...m.completed]
      .sort((a, b) => a.chunk - b.chunk)
      .map((c) => ({ chunk: c.chunk, rows: c.rows, parquet: c.parquet, stats: c.stats })),
  };
  return `${JSON.stringify(ordered, null, 1)}\n`;
}

export function writeManifest(dir: string, m: Manifest): void {
  writeAtomic(join(dir, MANIFEST), manifestText(m));
}

/** Reads a manifest, refusing a corrupt one with a message that says what to do. */
export function readManifest(dir: string): Manifest | undefined {
  const path = join(dir, MANIFEST);
  if (!existsSync(path)) return undefined;
  let raw: unknown;
  try {
    raw = JSON.parse(readFileSync(path, 'utf8'));
  } catch (e) {
    throw new CheckpointError(
      `${path} is corrupt (${(e as Error).message}); it cannot be resumed or merged: delete ${dir} or start over with --force`,
    );
  }
  const r = manifestSchema.safeParse(raw);
  if (!r.success) {
    const i = r.error.issues[0];
    throw new CheckpointError(
      `${path} is not a sweep checkpoint (${i.path.join('.') || 'top level'}: ${i.message}); delete ${dir} or start over with --force`,
    );
  }
  return r.data as Manifest;
}

/** What must match for a checkpoint to be resumed or merged. */
export type Identity = Pick<Manifest, 'version' | 'specHash' | 'seed' | 'kernel' | 'cells' | 'draws' | 'chunkSize' | 'chunks'>;

/** Names the first difference between two identities, or undefined. */
export function identityDifference(a: Identity, b: Identity): string | undefined {
  if (a.version !== b.version) return `it was made by embodied ${a.version}, this is ${b.version}`;
  if (a.seed !== b.seed) return `its seed is ${a.seed}, not ${b.seed}`;
  if (a.specHash !== b.specHash) return 'it was made from a different spec or different input data (spec hash differs)';
  if (a.kernel !== b.kernel) return `it was computed with the ${a.kernel} kernel, not ${b.kernel}`;
  for (const k of ['cells', 'draws', 'chunkSize', 'chunks'] as const) {
    if (a[k] !== b[k]) return `its ${k} is ${a[k]}, not ${b[k]}`;
  }
  return undefined;
}

/** Checks every completed chunk's files against their hashes; throws naming the first bad file. */
export function verifyChunks(dir: string, completed: readonly ChunkDone[], what = 'checkpoint'): void {
  for (const c of completed) {
    const name = chunkName(c.chunk);
    for (const [sub, ext, hash] of [
      ['draws', 'parquet', c.parquet],
      ['stats', 'json', c.stats],
    ] as const) {
      const path = join(dir, sub, `${name}.${ext}`);
      if (!existsSync(path)) throw new CheckpointError(`${what} ${dir}: chunk ${c.chunk} is listed as done but ${path} is missing`);
      if (sha256(readFileSync(path)) !== hash) {
        throw new CheckpointError(
          `${what} ${dir}: ${path} does not match its recorded sha256 (corrupt or changed); delete it and its manifest entry, or start over with --force`,
        );
      }
    }
  }
}
