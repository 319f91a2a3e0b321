/**
 * The piscina worker: one chunk context (kernel instance, prepared models) per thread, kept across
 * tasks; each task computes one chunk and writes its files. The models come from the main
 * thread's snapshot (piscina's workerData) when it belongs to the task's sweep; otherwise the
 * worker loads the data and prepares them itself.
 */
import { workerData } from 'piscina';
import { ChunkContext, SweepContext, type ChunkResult, type ContextSnapshot, type SweepInit } from './context.js';

export interface ChunkTask {
  init: SweepInit;
  /** Identity of the init, so a thread rebuilds its context only when the sweep changes. */
  key: string;
  chunk: number;
  out: string;
}

let current: { key: string; ctx: Promise<ChunkContext> } | undefined;

export default async function runChunkTask(task: ChunkTask): Promise<ChunkResult> {
  if (!current || current.key !== task.key) {
    const snapshot = workerData as ContextSnapshot | undefined;
    current = { key: task.key, ctx: snapshot?.key === task.key ? ChunkContext.fromSnapshot(snapshot) : SweepContext.create(task.init) };
  }
  const ctx = await current.ctx;
  return ctx.writeChunk(task.chunk, task.out);
}
