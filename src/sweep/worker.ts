/**
 * The piscina worker: one sweep context (inputs, kernel instance, prepared models) per thread, kept
 * across tasks; each task computes one chunk and writes its files.
 */
import { SweepContext, type ChunkResult, type SweepInit } from './context.js';

export interface ChunkTask {
  init: SweepInit;
  /** Identity of the init, so a thread rebuilds its context only when the sweep changes. */
  key: string;
  chunk: number;
  out: string;
}

let current: { key: string; ctx: Promise<SweepContext> } | undefined;

export default async function runChunkTask(task: ChunkTask): Promise<ChunkResult> {
  if (!current || current.key !== task.key) current = { key: task.key, ctx: SweepContext.create(task.init) };
  const ctx = await current.ctx;
  return ctx.writeChunk(task.chunk, task.out);
}
