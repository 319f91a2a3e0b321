/**
 * CPU pinning, so that a single-thread ratio compares two solvers on the same core.
 *
 * On a shared VM the virtual CPUs do not run at the same speed, and which one is slow changes
 * over minutes (measured here on 2026-11-28: the same wasm LU of n = 1302 took 66 ms pinned to
 * one vCPU and 90–97 ms pinned to the other, numpy's 26–27 and 31–35 ms; a few minutes later both
 * vCPUs were within 5 %). A Node process and a numpy child left to the scheduler can sit on
 * different vCPUs, which skews their ratio by up to ~40 %. So single-thread work (this process
 * and the one-thread numpy child) runs pinned to one CPU, the one that ran a short probe fastest
 * at the start, and multi-thread work gets every CPU. (The slow vCPU slows the wasm kernel more
 * than numpy: 30 % against 20 % above, so a ratio taken there is biased against the kernel.)
 *
 * Pinning uses Linux's `taskset` (util-linux) on whole processes (`-a`: every thread). Without it,
 * or with a single allowed CPU, nothing is pinned and the suite notes why.
 */
import { spawnSync } from 'node:child_process';

/** Parses a CPU list as taskset prints it ("0,1", "0-3,6") into CPU numbers. */
export function parseCpuList(list: string): number[] {
  const cpus: number[] = [];
  for (const part of list
    .split(',')
    .map((s) => s.trim())
    .filter(Boolean)) {
    const m = /^(\d+)(?:-(\d+))?$/.exec(part);
    if (!m) throw new Error(`cannot read the CPU list "${list}"`);
    const lo = Number(m[1]);
    const hi = m[2] === undefined ? lo : Number(m[2]);
    for (let c = lo; c <= hi; c++) cpus.push(c);
  }
  return cpus;
}

function taskset(args: string[]): { ok: boolean; out: string } {
  const r = spawnSync('taskset', args, { encoding: 'utf8', timeout: 10_000 });
  return { ok: r.status === 0, out: `${r.stdout ?? ''}${r.stderr ?? ''}${r.error ? r.error.message : ''}`.trim() };
}

/** The CPUs a process may run on, or null when taskset cannot tell. */
export function allowedCpus(pid: number): number[] | null {
  const r = taskset(['-c', '-p', String(pid)]);
  const m = /affinity list:\s*(\S+)/.exec(r.out);
  return r.ok && m ? parseCpuList(m[1]!) : null;
}

/** Restricts every thread of process `pid` to `cpus`. */
function setAffinity(pid: number, cpus: readonly number[]): void {
  const r = taskset(['-a', '-c', '-p', cpus.join(','), String(pid)]);
  if (!r.ok) throw new Error(`taskset could not pin process ${pid} to CPU ${cpus.join(',')}: ${r.out}`);
}

export interface Pinning {
  /** The CPU single-thread work runs on, or null when nothing is pinned. */
  readonly cpu: number | null;
  /** Every CPU the process started with. */
  readonly cpus: number[];
  /** The probe's best time in ms on each CPU, when the CPU was chosen by probing. */
  readonly probeMs?: Record<number, number>;
  /** Why nothing is pinned (when cpu is null). */
  readonly note?: string;
  /** Pins this process for work on `threads` threads: one CPU for 1, all of them otherwise. */
  use(threads: number): void;
  /** Pins a child process (a numpy server) the same way. */
  child(pid: number, threads: number): void;
  /** Gives this process every CPU again. */
  release(): void;
}

/** What a results file records of the pinning. */
export interface PinningMeta {
  cpu: number | null;
  cpus: number[];
  probe_ms?: Record<number, number>;
  note?: string;
}

export function pinningMeta(pin: Pinning): PinningMeta {
  return { cpu: pin.cpu, cpus: pin.cpus, ...(pin.probeMs ? { probe_ms: pin.probeMs } : {}), ...(pin.note ? { note: pin.note } : {}) };
}

/**
 * Chooses the CPU for single-thread work: `wanted` if given (it must be allowed); else the CPU on
 * which `probe` (a short piece of the benchmark's own work, returning its time in ms) runs fastest,
 * best of 5 per CPU; else the last allowed CPU. `wanted === false` pins nothing.
 */
export function cpuPinning(wanted?: number | false, probe?: () => number): Pinning {
  const none = (note: string, cpus: number[] = []): Pinning => ({ cpu: null, cpus, note, use() {}, child() {}, release() {} });
  if (wanted === false) return none('not pinned (--cpu none)');
  if (process.platform !== 'linux') return none(`not pinned: CPU pinning needs Linux's taskset (platform ${process.platform})`);
  const cpus = allowedCpus(process.pid);
  if (!cpus) return none('not pinned: taskset (util-linux) is not available');
  if (wanted !== undefined && !cpus.includes(wanted))
    throw new Error(`--cpu ${wanted}: this process may only run on CPU ${cpus.join(',')}`);
  if (cpus.length < 2) return none(`not pinned: only CPU ${cpus.join(',')} is available`, cpus);
  let probeMs: Record<number, number> | undefined;
  if (wanted === undefined && probe) {
    probeMs = {};
    for (const c of cpus) {
      setAffinity(process.pid, [c]);
      let best = Infinity;
      for (let r = 0; r < 5; r++) best = Math.min(best, probe());
      probeMs[c] = best;
    }
    setAffinity(process.pid, cpus);
  }
  const cpu = wanted ?? (probeMs ? cpus.reduce((a, b) => (probeMs![b]! < probeMs![a]! ? b : a)) : cpus[cpus.length - 1]!);
  let current: 'one' | 'all' = 'all';
  const use = (threads: number): void => {
    const want = threads > 1 ? 'all' : 'one';
    if (want === current) return;
    setAffinity(process.pid, want === 'one' ? [cpu] : cpus);
    current = want;
  };
  return {
    cpu,
    cpus,
    ...(probeMs ? { probeMs } : {}),
    use,
    child: (pid, threads) => setAffinity(pid, threads > 1 ? cpus : [cpu]),
    release: () => use(cpus.length),
  };
}
