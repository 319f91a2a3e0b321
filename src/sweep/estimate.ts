/**
 * What a sweep will take before it starts: disk for its result files and memory per chunk (each
 * worker holds one chunk), refused beyond limits the user can raise. The sizes per row are the
 * Parquet writer's (src/sweep/parquet.ts: five doubles plus dictionary and run-length columns,
 * 41.4 bytes per row measured on the demo) and the chunk's buffers (four index columns and five
 * doubles, 50 bytes) plus the Parquet bytes twice while a chunk is assembled and written.
 */
import { SpecError } from './spec-error.js';

const PARQUET_BYTES_PER_ROW = 42;
const MEMORY_BYTES_PER_ROW = 50 + 2 * PARQUET_BYTES_PER_ROW;
/** The statistics file of a chunk: a bounded sketch per grid cell and province (about 38 KB at 32 768 draws). */
const STATS_BYTES_PER_PROVINCE = 64 * 1024;

const GB = 1e9;
/** The limits unless raised with --max-disk and --max-memory (in GB). */
const DEFAULT_LIMITS = { diskGB: 100, memoryGB: 4 } as const;

export interface SweepSize {
  chunkDisk: number;
  chunkMemory: number;
  totalDisk: number;
}

/** Bytes of one full chunk on disk and in memory, and of the whole sweep on disk; R provinces per draw. */
export function sweepSize(plan: { draws: number; cells: number; chunkSize: number }, R: number): SweepSize {
  const total = plan.draws * plan.cells;
  const chunks = Math.ceil(total / plan.chunkSize);
  const rows = Math.min(plan.chunkSize, total) * R;
  // A chunk holds statistics for each grid cell it touches.
  const cellsPerChunk = Math.min(plan.cells, Math.ceil(plan.chunkSize / Math.max(plan.draws, 1)) + 1);
  const stats = STATS_BYTES_PER_PROVINCE * R * cellsPerChunk;
  return {
    chunkDisk: rows * PARQUET_BYTES_PER_ROW + stats,
    chunkMemory: rows * MEMORY_BYTES_PER_ROW,
    totalDisk: total * R * PARQUET_BYTES_PER_ROW + chunks * stats,
  };
}

function formatBytes(b: number): string {
  if (b >= 1e12) return `${(b / 1e12).toFixed(1)} TB`;
  if (b >= GB) return `${(b / GB).toFixed(1)} GB`;
  if (b >= 1e6) return `${(b / 1e6).toFixed(1)} MB`;
  return `${Math.ceil(b / 1e3)} kB`;
}

/** One line for `sweep check` and the refusal: disk and memory per chunk and for the whole sweep. */
export function describeSize(s: SweepSize): string {
  return `estimated ${formatBytes(s.chunkDisk)} on disk and ${formatBytes(s.chunkMemory)} of memory per chunk (per worker), ${formatBytes(s.totalDisk)} on disk in all`;
}

/** Throws (naming the limit and the flag that raises it) when the sweep would exceed a limit. */
export function checkSize(s: SweepSize, limits: { diskGB?: number; memoryGB?: number } = {}): void {
  const disk = limits.diskGB ?? DEFAULT_LIMITS.diskGB;
  const memory = limits.memoryGB ?? DEFAULT_LIMITS.memoryGB;
  const over: string[] = [];
  if (s.totalDisk > disk * GB)
    over.push(`the results would take ${formatBytes(s.totalDisk)} on disk, over the limit of ${disk} GB (raise it with --max-disk GB)`);
  if (s.chunkMemory > memory * GB) {
    over.push(
      `a chunk would take ${formatBytes(s.chunkMemory)} of memory per worker, over the limit of ${memory} GB (lower chunkSize, or raise the limit with --max-memory GB)`,
    );
  }
  if (over.length) throw new SpecError(`sweep too large: ${over.join('; ')}`);
}

/** Parses a --max-disk / --max-memory value: a positive number of GB. */
export function parseGB(flag: string, v: string | undefined): number | undefined {
  if (v === undefined) return undefined;
  const n = Number(v);
  if (!Number.isFinite(n) || n <= 0) throw new SpecError(`${flag} ${v}: expected a positive number of GB`);
  return n;
}
