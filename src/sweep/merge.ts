/**
 * `embodied sweep merge`: combines shard directories into one sweep directory, byte for byte what the
 * unsharded run writes (the same chunk files, manifest and summaries). Refuses shards of a different
 * spec, seed, version or kernel, overlapping shards, missing chunks and files whose hash is wrong.
 */
import { copyFileSync, existsSync, mkdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { writeAtomic } from '../output/atomic.js';
import { checkOutput, openOutputFolder, removeOutput } from '../output/folder.js';
import { VERSION } from '../version.js';
import {
  CheckpointError,
  identityDifference,
  readManifest,
  SWEEP_OUTPUT,
  verifyChunks,
  writeManifest,
  type Manifest,
} from './checkpoint.js';
import { chunkName, SweepContext, type ChunkDone } from './context.js';
import { loadSpec, parseSpec } from './spec.js';
import { identityOf } from './run.js';
import { writeSummary } from './summary.js';

export interface MergeOptions {
  shards: string[];
  out: string;
  /** The spec file, to find the data when the shards' recorded spec folder is not reachable here. */
  specPath?: string;
}

export async function mergeShards(o: MergeOptions): Promise<{ manifest: Manifest; terminal: string }> {
  if (o.shards.length === 0) throw new CheckpointError('merge: name the shard directories to merge');
  // --out: new, empty, or an earlier sweep (whose files are replaced); never one of the shards.
  const place = { out: o.out, kind: SWEEP_OUTPUT, inputs: [...o.shards, o.specPath] };
  checkOutput(place, false);
  const manifests = o.shards.map((dir) => {
    const m = readManifest(dir);
    if (!m) throw new CheckpointError(`merge: ${dir} holds no sweep (no manifest.json)`);
    return m;
  });
  const first = manifests[0];
  manifests.forEach((m, i) => {
    if (m.version !== VERSION) throw new CheckpointError(`merge: ${o.shards[i]} was made by embodied ${m.version}, this is ${VERSION}`);
    const diff = identityDifference(m, first);
    if (diff) throw new CheckpointError(`merge: ${o.shards[i]} does not belong with ${o.shards[0]}: ${diff}`);
  });
  const owner = new Map<number, { dir: string; done: ChunkDone }>();
  manifests.forEach((m, i) => {
    verifyChunks(o.shards[i], m.completed, 'merge: shard');
    for (const c of m.completed) {
      const prev = owner.get(c.chunk);
      if (prev && (prev.done.parquet !== c.parquet || prev.done.stats !== c.stats)) {
        throw new CheckpointError(`merge: chunk ${c.chunk} differs between ${prev.dir} and ${o.shards[i]}`);
      }
      if (!prev) owner.set(c.chunk, { dir: o.shards[i], done: c });
    }
  });
  const missing = [...Array(first.chunks).keys()].filter((k) => !owner.has(k));
  if (missing.length) {
    throw new CheckpointError(
      `merge: ${missing.length} of ${first.chunks} chunks are missing (first: ${missing.slice(0, 5).join(', ')}); run the missing shards (or --resume unfinished ones) first`,
    );
  }

  // The spec: from --spec, else from the first shard's run.json (where its data paths resolve).
  const shardRuns = o.shards.map((dir) => {
    const runJson = join(dir, 'run.json');
    return existsSync(runJson) ? (JSON.parse(readFileSync(runJson, 'utf8')) as { spec?: string; specDir?: string }) : {};
  });
  const specDir = shardRuns[0].specDir ?? process.cwd();
  const spec = o.specPath
    ? loadSpec(o.specPath)
    : { spec: parseSpec(first.spec, `${o.shards[0]}/manifest.json`), dir: specDir, path: shardRuns[0].spec ?? '' };
  const ctx = await SweepContext.create({ spec: spec.spec, specDir: spec.dir });
  const diff = identityDifference(first, identityOf(ctx));
  if (diff) throw new CheckpointError(`merge: the shards do not match ${o.specPath ?? 'their recorded spec'} here: ${diff}`);

  const { earlier } = await openOutputFolder(place);
  if (earlier) removeOutput(o.out, SWEEP_OUTPUT);
  writeAtomic(
    join(o.out, 'run.json'),
    `${JSON.stringify(
      {
        tool: 'embodied',
        command: 'sweep merge',
        version: VERSION,
        spec: spec.path,
        specDir: spec.dir,
        shards: o.shards,
        shard_specs: shardRuns.map((r) => r.spec ?? null),
        kernel: ctx.kernel.name,
        data: ctx.loaded.data,
        inputs: ctx.loaded.files,
      },
      null,
      2,
    )}\n`,
  );
  mkdirSync(join(o.out, 'draws'), { recursive: true });
  mkdirSync(join(o.out, 'stats'), { recursive: true });
  for (const [k, { dir }] of [...owner].sort((a, b) => a[0] - b[0])) {
    const name = chunkName(k);
    for (const [sub, ext] of [
      ['draws', 'parquet'],
      ['stats', 'json'],
    ] as const)
      copyFileSync(join(dir, sub, `${name}.${ext}`), join(o.out, sub, `${name}.${ext}`));
  }
  const m: Manifest = { ...first, shard: null, completed: [...owner.values()].map((v) => v.done) };
  writeManifest(o.out, m);
  const summary = writeSummary(o.out, ctx, m);
  return { manifest: m, terminal: summary.terminal };
}
