/**
 * The piscina worker: one chunk context (kernel instance, prepared models) per thread, built from
 * the main thread's snapshot (piscina's workerData; each sweep makes its own pool) and kept across
 * tasks; each task computes one chunk and writes its files.
 */
import { workerData } from 'piscina';
import { ChunkContext, type ChunkResult, type ContextSnapshot } from './context.js';

export interface ChunkTask {
  chunk: number;
  out: string;
}

let ctx: Promise<ChunkContext> | undefined;

export default async function runChunkTask(task: ChunkTask): Promise<ChunkResult> {
  ctx ??= ChunkContext.fromSnapshot(workerData as ContextSnapshot);
  return (await ctx).writeChunk(task.chunk, task.out);
}
