/**
 * Scale-up benchmark: the footprint pipeline of an MRIO at growing order n, dense against
 * iterative, with time and peak memory, a fitted growth exponent, JSON and an SVG chart.
 *
 *   npx tsx bench/scaleup.ts [--quick] [--out bench/results/scaleup.json] [--kernel auto|wasm|reference]
 *                            [--max-dense 2500] [--sizes 2000,4000,6000,8000,9800] [--density 0.1]
 *
 * The pipeline (the same for every system): Z, Y → x = Z1 + Y1 → A = Z diag(x)⁻¹ → solves with
 * five right-hand sides: the total-intensity row t = d L (one transposed solve) and the outputs
 * L y_r behind four final-demand vectors (four solves) → footprints t ∘ y_r.
 *  - dense: kernel.factorLeontief (LU of I − A), then the solves; also the full L = (I − A)⁻¹
 *    (kernel.leontief) timed on its own, and again on the threaded kernel with 2 threads
 *    (src/kernel/threads.ts) from n = 500 when the kernel is the wasm one.
 *  - iterative: A in CSR, prepared in the kernel once (prepareLeontiefIterative), then one
 *    block Gauss–Seidel iteration for all five vectors (solveWithTransposed: t and the four L y_r).
 *
 * Systems: 31 regions × 6, 30, 42 sectors (synthetic, MRIO-structured: dense domestic blocks,
 * sparser and smaller interregional trade), WIOD 2013 release, 2011 (41 × 35 = 1435, real, from
 * ../shared/data/wiod-2013-2011; output recomputed as row sums because the files are rounded), and
 * synthetic sparse systems up to n = 9800 at 10 % non-zeros (5 % for one size).
 *
 * Each case runs in its own child process so that its peak resident memory (maxRSS) is its own;
 * memory is reported as the peak minus the child's resident size before the case starts.
 */
import { spawnSync } from 'node:child_process';
import { existsSync, readFileSync } from 'node:fs';
import { mkdir, mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { dirname, join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import type { CSR, Kernel } from '../src/kernel/api.js';
import { selectKernel, type KernelChoice } from '../src/kernel/select.js';
import { toCSR } from '../src/mrio/solver.js';
import { writeAtomic } from '../src/output/atomic.js';
import { cpuPinning, pinningMeta, type Pinning } from '../src/benchmark/affinity.js';
import { wasmLuProbe } from '../src/benchmark/solvers.js';
import { readCsvNumbers } from './pymrio-systems.js';

const HERE = dirname(fileURLToPath(import.meta.url));
/** Dense systems from this order on also time the full L on the threaded kernel (2 threads). */
const THREADS_FROM = 500;

/** mulberry32: a small deterministic 32-bit generator in [0, 1) for the synthetic systems. */
function mulberry32(seed: number): () => number {
  let s = seed >>> 0;
  return () => {
    s = (s + 0x6d2b79f5) >>> 0;
    let t = s;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}
const WIOD = resolve(HERE, '../../shared/data/wiod-2013-2011');
const NRHS = 4;

// ---------------------------------------------------------------------------------------------
// Systems

interface SystemSpec {
  kind: 'mrio' | 'provincial' | 'wiod' | 'sparse';
  /** For kind 'provincial': folder of the binary files the parent wrote (Z, x, Y, d as float64). */
  dir?: string;
  name: string;
  n: number;
  regions?: number;
  sectors?: number;
  density?: number;
}

/** A system in the pipeline's input form: Z (dense or CSR), final demand Y (n × NRHS), intensity d. */
interface System {
  n: number;
  Zdense?: Float64Array;
  Zcsr?: CSR;
  /** NRHS final-demand vectors one after another (kernel block layout). */
  Y: Float64Array;
  d: Float64Array;
  nnz: number;
}

/** Final demand making every column sum of A at most 1/1.5: y_i ≥ 1.5·colsum_i(Z) − rowsum_i(Z). */
function finalDemand(rowSum: Float64Array, colSum: Float64Array, rand: () => number): Float64Array {
  const n = rowSum.length;
  const Y = new Float64Array(n * NRHS);
  for (let i = 0; i < n; i++) {
    const need = Math.max(1.5 * colSum[i]! - rowSum[i]!, 0) + 0.2 * (colSum[i]! + 1);
    let w = 0;
    const ws: number[] = [];
    for (let k = 0; k < NRHS; k++) {
      const u = 0.5 + rand();
      ws.push(u);
      w += u;
    }
    for (let k = 0; k < NRHS; k++) Y[k * n + i] = (need * ws[k]!) / w;
  }
  return Y;
}

function intensities(n: number, rand: () => number): Float64Array {
  const d = new Float64Array(n);
  for (let i = 0; i < n; i++) d[i] = rand() ** 2;
  return d;
}

/** 31 regions × s sectors: domestic blocks fully dense, interregional entries at 20 % density, 10× smaller. */
function mrioSystem(regions: number, sectors: number, seed: number): System {
  const n = regions * sectors;
  const rand = mulberry32(seed ^ n);
  const Z = new Float64Array(n * n);
  let nnz = 0;
  for (let i = 0; i < n; i++) {
    const ri = Math.floor(i / sectors);
    for (let j = 0; j < n; j++) {
      const dom = ri === Math.floor(j / sectors);
      if (!dom && rand() > 0.2) continue;
      Z[i * n + j] = rand() ** 2 * (dom ? 1 : 0.1);
      nnz++;
    }
  }
  const rowSum = new Float64Array(n);
  const colSum = new Float64Array(n);
  for (let i = 0; i < n; i++)
    for (let j = 0; j < n; j++) {
      rowSum[i]! += Z[i * n + j]!;
      colSum[j]! += Z[i * n + j]!;
    }
  return { n, Zdense: Z, Y: finalDemand(rowSum, colSum, rand), d: intensities(n, rand), nnz };
}

/** Random sparse Z at the given density, built directly in CSR (a dense n² copy is never made). */
function sparseSystem(n: number, density: number, seed: number, dense: boolean): System {
  const rand = mulberry32(seed ^ Math.imul(n, 0x9e3779b1) ^ Math.round(density * 1000));
  const perRow = Math.max(1, Math.round(density * n));
  const rowPtr = new Int32Array(n + 1);
  const colIdx = new Int32Array(n * perRow);
  const values = new Float64Array(n * perRow);
  const rowSum = new Float64Array(n);
  const colSum = new Float64Array(n);
  const mark = new Uint8Array(n);
  let p = 0;
  for (let i = 0; i < n; i++) {
    const cols: number[] = [];
    while (cols.length < perRow) {
      const j = Math.floor(rand() * n);
      if (mark[j]) continue;
      mark[j] = 1;
      cols.push(j);
    }
    cols.sort((a, b) => a - b);
    for (const j of cols) {
      mark[j] = 0;
      const v = rand() ** 2;
      colIdx[p] = j;
      values[p++] = v;
      rowSum[i]! += v;
      colSum[j]! += v;
    }
    rowPtr[i + 1] = p;
  }
  const sys: System = { n, Zcsr: { n, rowPtr, colIdx, values }, Y: finalDemand(rowSum, colSum, rand), d: intensities(n, rand), nnz: p };
  if (dense) {
    const Z = new Float64Array(n * n);
    for (let i = 0; i < n; i++) for (let q = rowPtr[i]!; q < rowPtr[i + 1]!; q++) Z[i * n + colIdx[q]!] = values[q]!;
    sys.Zdense = Z;
  }
  return sys;
}

/** WIOD 2011: Z (1435²) and Y (1435 × 41·5) as published; four final-demand vectors = Y of four regions. */
function wiodSystem(seed: number): System {
  const Zc = readCsvNumbers(join(WIOD, 'Z.csv'));
  const Yc = readCsvNumbers(join(WIOD, 'Y.csv'));
  const n = Zc.rowNames.length;
  if (Zc.colNames.length !== n) throw new Error(`WIOD Z.csv is ${n} × ${Zc.colNames.length}, not square`);
  for (let i = 0; i < n; i++) {
    if (Zc.colNames[i] !== Zc.rowNames[i])
      throw new Error(`WIOD Z.csv: column ${i + 2} is ${Zc.colNames[i]}, row ${i + 2} is ${Zc.rowNames[i]}`);
    if (Yc.rowNames[i] !== Zc.rowNames[i]) throw new Error(`WIOD Y.csv: row ${i + 2} is ${Yc.rowNames[i]}, Z.csv has ${Zc.rowNames[i]}`);
  }
  const m = Yc.colNames.length;
  // Four final-demand vectors: the total final demand (all categories) of CHN, USA, DEU, JPN.
  const Y = new Float64Array(n * NRHS);
  ['CHN', 'USA', 'DEU', 'JPN'].forEach((reg, k) => {
    for (let j = 0; j < m; j++) {
      if (!Yc.colNames[j]!.startsWith(`${reg}_`)) continue;
      for (let i = 0; i < n; i++) Y[k * n + i]! += Yc.data[i * m + j]!;
    }
  });
  // The pipeline's x = Z1 + Y1 needs the full final demand: keep its row sums as a fifth "vector".
  const yAll = new Float64Array(n);
  for (let i = 0; i < n; i++) for (let j = 0; j < m; j++) yAll[i]! += Yc.data[i * m + j]!;
  let nnz = 0;
  for (const v of Zc.data) if (v !== 0) nnz++;
  const sys: System = { n, Zdense: Zc.data, Y, d: intensities(n, mulberry32(seed)), nnz };
  (sys as System & { yAll: Float64Array }).yAll = yAll;
  return sys;
}

function readF64(path: string): Float64Array {
  const b = readFileSync(path);
  return new Float64Array(b.buffer, b.byteOffset, b.byteLength / 8).slice();
}

/** The real provincial MRIO the parent prepared (see prepareProvincial). */
function provincialSystem(dir: string): System {
  const x = readF64(join(dir, 'x.f64'));
  const n = x.length;
  const Z = readF64(join(dir, 'Z.f64'));
  let nnz = 0;
  for (const v of Z) if (v !== 0) nnz++;
  const sys: System = { n, Zdense: Z, Y: readF64(join(dir, 'Y.f64')), d: readF64(join(dir, 'd.f64')), nnz };
  (sys as System & { yAll: Float64Array }).yAll = readF64(join(dir, 'yAll.f64'));
  return sys;
}

function buildSystem(spec: SystemSpec, seed: number, needDense: boolean): System {
  if (spec.kind === 'mrio') return mrioSystem(spec.regions!, spec.sectors!, seed);
  if (spec.kind === 'provincial') return provincialSystem(spec.dir!);
  if (spec.kind === 'wiod') return wiodSystem(seed);
  return sparseSystem(spec.n, spec.density!, seed, needDense);
}

// ---------------------------------------------------------------------------------------------
// The pipeline

/** x = Z1 + Y1 (Y1: the fifth vector for WIOD, else the sum of the four). */
function outputOf(sys: System): Float64Array {
  const n = sys.n;
  const x = new Float64Array(n);
  const yAll = (sys as System & { yAll?: Float64Array }).yAll;
  for (let i = 0; i < n; i++) {
    let s = 0;
    if (yAll) s = yAll[i]!;
    else for (let k = 0; k < NRHS; k++) s += sys.Y[k * n + i]!;
    x[i] = s;
  }
  if (sys.Zdense) {
    const Z = sys.Zdense;
    for (let i = 0; i < n; i++) {
      let s = 0;
      for (let j = 0; j < n; j++) s += Z[i * n + j]!;
      x[i]! += s;
    }
  } else {
    const { rowPtr, values } = sys.Zcsr!;
    for (let i = 0; i < n; i++) for (let p = rowPtr[i]!; p < rowPtr[i + 1]!; p++) x[i]! += values[p]!;
  }
  return x;
}

function denseA(Z: Float64Array, x: Float64Array, n: number): Float64Array {
  const A = new Float64Array(n * n);
  const inv = x.map((v) => (v > 0 ? 1 / v : 0));
  for (let i = 0; i < n; i++) for (let j = 0; j < n; j++) A[i * n + j] = Z[i * n + j]! * inv[j]!;
  return A;
}

function csrA(Z: CSR, x: Float64Array): CSR {
  const values = new Float64Array(Z.values.length);
  for (let p = 0; p < values.length; p++) {
    const xj = x[Z.colIdx[p]!]!;
    values[p] = xj > 0 ? Z.values[p]! / xj : 0;
  }
  return { n: Z.n, rowPtr: Z.rowPtr, colIdx: Z.colIdx, values };
}

interface Footprints {
  t: Float64Array;
  X: Float64Array;
}

function footprintsDense(kernel: Kernel, A: Float64Array, sys: System): Footprints {
  const f = kernel.factorLeontief(A, sys.n);
  try {
    const t = f.solveTransposed(sys.d, 1);
    const X = f.solve(sys.Y, NRHS);
    return { t, X };
  } finally {
    f.free();
  }
}

/**
 * A copied into the kernel once (a prepared operator), then t = d L and L Y (four vectors) in one
 * Gauss–Seidel iteration (`solveWithTransposed`): each sweep reads the matrix once for all five
 * vectors (the four of L Y by row products, the transposed one for t in scatter form), so neither
 * a transposed copy of A nor a second pass is needed. The preparation (copy into wasm memory) is
 * part of the timed work. `iterations` counts matrix sweeps (the largest of the five vectors).
 */
function footprintsIterative(kernel: Kernel, A: CSR, sys: System, tol: number): Footprints & { iterations: number } {
  const op = kernel.prepareLeontiefIterative(A);
  try {
    const r = op.solveWithTransposed(sys.Y, sys.d, { tol });
    return { t: r.t.x, X: r.x.x, iterations: Math.max(r.t.iterations, r.x.iterations) };
  } finally {
    op.free();
  }
}

/**
 * Median wall time of f: one warm-up run (kept as the only sample when it alone exceeds half the
 * budget), then up to `reps` runs within the budget. Returns the last result too.
 */
function timeIt<T>(f: () => T, reps: number, budgetMs: number): { ms: number; minMs: number; cpuMs: number; samples: number; value: T } {
  // CPU time (user + system of this process) beside wall time: on a machine shared with other
  // work, the wall time of a single-threaded computation includes waiting for a core; its CPU
  // time does not (cache and memory-bandwidth contention still count).
  const cpu = (): number => {
    const u = process.cpuUsage();
    return (u.user + u.system) / 1000;
  };
  const w0 = performance.now();
  const c0 = cpu();
  let value = f();
  const warm = performance.now() - w0;
  const warmCpu = cpu() - c0;
  if (warm > budgetMs / 2) return { ms: warm, minMs: warm, cpuMs: warmCpu, samples: 1, value };
  const times: number[] = [];
  const cpus: number[] = [];
  const start = performance.now();
  do {
    const t0 = performance.now();
    const k0 = cpu();
    value = f();
    times.push(performance.now() - t0);
    cpus.push(cpu() - k0);
  } while (times.length < reps && performance.now() - start + times[times.length - 1]! < budgetMs);
  const med = (v: number[]): number => [...v].sort((a, b) => a - b)[Math.floor((v.length - 1) / 2)]!;
  return { ms: med(times), minMs: Math.min(...times), cpuMs: med(cpus), samples: times.length, value };
}

interface CaseResult {
  system: string;
  kind: SystemSpec['kind'];
  n: number;
  nnz: number;
  density: number;
  method: 'dense' | 'iterative';
  kernel: string;
  /** Building A from Z and Y (x = Z1 + Y1, A = Z diag(x)⁻¹). */
  coefficients_ms: number;
  /** Footprints: t = d L and L y for 4 final-demand vectors (factor + 5 solves, or one prepared block Gauss–Seidel iteration over all 5). */
  footprints_ms: number;
  /** Fastest sample of the footprints (less disturbed by other load on the machine than the median). */
  footprints_min_ms: number;
  /** CPU time of the footprints (median): the single-thread cost without waiting for a core. */
  footprints_cpu_ms: number;
  fullL_cpu_ms?: number;
  /** Full L = (I − A)⁻¹ (dense only), median and fastest sample. */
  fullL_ms?: number;
  fullL_min_ms?: number;
  /** Full L on the threaded kernel with 2 threads: wall median, fastest, and CPU of both threads. */
  fullL_2t_ms?: number;
  fullL_2t_min_ms?: number;
  fullL_2t_cpu_ms?: number;
  iterations?: number;
  /** Footprint CPU time per right-hand side (5 per run). */
  per_rhs_ms: number;
  samples: number;
  peak_rss_mb: number;
  /** Peak RSS minus the process's RSS before the system was built. */
  peak_delta_mb: number;
  /** max |t ∘ stuff| check: relative difference to the dense result where both ran. */
  check?: { footprint_sum: number };
}

async function runCase(
  spec: SystemSpec,
  method: 'dense' | 'iterative',
  kernelChoice: KernelChoice,
  seed: number,
  quick: boolean,
  tol: number,
  pin: Pinning,
): Promise<CaseResult> {
  pin.use(1);
  const { kernel } = await selectKernel(kernelChoice);
  const rss0 = process.memoryUsage().rss;
  const sys = buildSystem(spec, seed, method === 'dense');
  const n = sys.n;
  const reps = quick ? 1 : 5;
  const budget = quick ? 0 : 6000;
  const coef = timeIt(
    () => {
      const x = outputOf(sys);
      return method === 'dense' ? { A: denseA(sys.Zdense!, x, n), x } : { A: csrA(sys.Zcsr ?? toCSR(sys.Zdense!, n), x), x };
    },
    reps,
    budget,
  );
  const A = coef.value.A;
  let fp: { ms: number; minMs: number; cpuMs: number; samples: number; value: Footprints & { iterations?: number } };
  let fullL_ms: number | undefined;
  let fullL_min_ms: number | undefined;
  let fullL_cpu_ms: number | undefined;
  let fullL2: { fullL_2t_ms: number; fullL_2t_min_ms: number; fullL_2t_cpu_ms: number } | undefined;
  if (method === 'dense') {
    fp = timeIt(() => footprintsDense(kernel, A as Float64Array, sys), reps, budget);
    // L into one reused array (a fresh n = 1302 array costs ~40 ms of page faults per call).
    const L = new Float64Array(n * n);
    const tl = timeIt(() => kernel.leontief(A as Float64Array, n, L), reps, budget);
    fullL_ms = tl.ms;
    fullL_min_ms = tl.minMs;
    fullL_cpu_ms = tl.cpuMs;
    if (kernel.name === 'wasm' && n >= THREADS_FROM) {
      pin.use(2);
      const { kernel: tk } = await selectKernel('threads', { threads: 2 });
      try {
        const t2 = timeIt(() => tk.leontief(A as Float64Array, n, L), reps, budget);
        fullL2 = { fullL_2t_ms: t2.ms, fullL_2t_min_ms: t2.minMs, fullL_2t_cpu_ms: t2.cpuMs };
      } finally {
        await tk.close();
        pin.use(1);
      }
    }
  } else {
    fp = timeIt(() => footprintsIterative(kernel, A as CSR, sys, tol), reps, budget);
  }
  // A scalar to compare dense and iterative: Σ_k t · y_k (total footprint of the four demands).
  let footprint = 0;
  for (let k = 0; k < NRHS; k++) for (let i = 0; i < n; i++) footprint += fp.value.t[i]! * sys.Y[k * n + i]!;
  const peak = process.resourceUsage().maxRSS * 1024;
  return {
    system: spec.name,
    kind: spec.kind,
    n,
    nnz: sys.nnz,
    density: sys.nnz / (n * n),
    method,
    kernel: kernel.name,
    coefficients_ms: coef.ms,
    footprints_ms: fp.ms,
    footprints_min_ms: fp.minMs,
    footprints_cpu_ms: fp.cpuMs,
    ...(fullL_ms !== undefined ? { fullL_ms, fullL_min_ms, fullL_cpu_ms } : {}),
    ...fullL2,
    ...(fp.value.iterations !== undefined ? { iterations: fp.value.iterations } : {}),
    per_rhs_ms: fp.cpuMs / (NRHS + 1),
    samples: fp.samples,
    peak_rss_mb: peak / 2 ** 20,
    peak_delta_mb: (peak - rss0) / 2 ** 20,
    check: { footprint_sum: footprint },
  };
}

// ---------------------------------------------------------------------------------------------
// Fits, chart, driver

/** Least-squares slope of log(y) on log(n): y ≈ c·n^p. */
export function fitExponent(points: { n: number; y: number }[]): { p: number; c: number; r2: number } | undefined {
  const pts = points.filter((q) => q.n > 0 && q.y > 0);
  if (pts.length < 2) return undefined;
  const X = pts.map((q) => Math.log(q.n));
  const Y = pts.map((q) => Math.log(q.y));
  const mx = X.reduce((a, b) => a + b, 0) / X.length;
  const my = Y.reduce((a, b) => a + b, 0) / Y.length;
  let sxy = 0;
  let sxx = 0;
  let syy = 0;
  for (let i = 0; i < X.length; i++) {
    sxy += (X[i]! - mx) * (Y[i]! - my);
    sxx += (X[i]! - mx) ** 2;
    syy += (Y[i]! - my) ** 2;
  }
  const p = sxy / sxx;
  return { p, c: Math.exp(my - p * mx), r2: syy === 0 ? 1 : (sxy * sxy) / (sxx * syy) };
}

interface Series {
  label: string;
  color: string;
  points: { n: number; y: number }[];
}

/** A minimal log-log line chart as SVG text (hand-rolled: axes, decade ticks, one polyline per series). */
export function svgChart(title: string, yLabel: string, series: Series[], width = 640, height = 400): string {
  const m = { l: 70, r: 170, t: 36, b: 48 };
  const all = series.flatMap((s) => s.points).filter((p) => p.n > 0 && p.y > 0);
  const lx = all.map((p) => Math.log10(p.n));
  const ly = all.map((p) => Math.log10(p.y));
  const x0 = Math.floor(Math.min(...lx));
  const x1 = Math.ceil(Math.max(...lx));
  const y0 = Math.floor(Math.min(...ly));
  const y1 = Math.ceil(Math.max(...ly));
  const W = width - m.l - m.r;
  const H = height - m.t - m.b;
  const px = (n: number): number => m.l + ((Math.log10(n) - x0) / (x1 - x0 || 1)) * W;
  const py = (y: number): number => m.t + H - ((Math.log10(y) - y0) / (y1 - y0 || 1)) * H;
  const esc = (s: string): string => s.replace(/&/g, '&amp;').replace(/</g, '&lt;');
  const out: string[] = [
    `<svg xmlns="http://www.w3.org/2000/svg" width="${width}" height="${height}" font-family="sans-serif" font-size="12">`,
    `<rect width="${width}" height="${height}" fill="white"/>`,
    `<text x="${m.l + W / 2}" y="20" text-anchor="middle" font-size="14">${esc(title)}</text>`,
    `<rect x="${m.l}" y="${m.t}" width="${W}" height="${H}" fill="none" stroke="#333"/>`,
  ];
  for (let e = x0; e <= x1; e++) {
    const x = px(10 ** e);
    out.push(
      `<line x1="${x}" y1="${m.t}" x2="${x}" y2="${m.t + H}" stroke="#ddd"/>`,
      `<text x="${x}" y="${m.t + H + 16}" text-anchor="middle">1e${e}</text>`,
    );
  }
  for (let e = y0; e <= y1; e++) {
    const y = py(10 ** e);
    out.push(
      `<line x1="${m.l}" y1="${y}" x2="${m.l + W}" y2="${y}" stroke="#ddd"/>`,
      `<text x="${m.l - 6}" y="${y + 4}" text-anchor="end">1e${e}</text>`,
    );
  }
  out.push(`<text x="${m.l + W / 2}" y="${height - 10}" text-anchor="middle">n (regions × sectors)</text>`);
  out.push(`<text transform="translate(16 ${m.t + H / 2}) rotate(-90)" text-anchor="middle">${esc(yLabel)}</text>`);
  series.forEach((s, k) => {
    const pts = s.points.filter((p) => p.n > 0 && p.y > 0).sort((a, b) => a.n - b.n);
    if (pts.length) {
      out.push(
        `<polyline fill="none" stroke="${s.color}" stroke-width="2" points="${pts.map((p) => `${px(p.n).toFixed(1)},${py(p.y).toFixed(1)}`).join(' ')}"/>`,
      );
      for (const p of pts) out.push(`<circle cx="${px(p.n).toFixed(1)}" cy="${py(p.y).toFixed(1)}" r="3" fill="${s.color}"/>`);
    }
    const ly2 = m.t + 14 + k * 18;
    out.push(
      `<line x1="${m.l + W + 10}" y1="${ly2 - 4}" x2="${m.l + W + 28}" y2="${ly2 - 4}" stroke="${s.color}" stroke-width="2"/>`,
      `<text x="${m.l + W + 32}" y="${ly2}">${esc(s.label)}</text>`,
    );
  });
  out.push('</svg>');
  return `${out.join('\n')}\n`;
}

type Fit = { p: number; c: number; r2: number } | undefined;

/** The results as markdown tables (written next to the JSON as <name>.md, and printed). */
function markdownSummary(j: {
  meta: Record<string, unknown>;
  results: CaseResult[];
  fits: Record<string, Fit>;
  comparison: {
    system: string;
    n: number;
    dense_cpu_ms: number;
    iterative_cpu_ms: number;
    speedup_iterative: number;
    footprint_rel_diff: number;
  }[];
  extrapolated: {
    system: string;
    n: number;
    dense_footprints_ms_extrapolated?: number | undefined;
    dense_fullL_ms_extrapolated?: number | undefined;
    dense_matrix_mb: number;
  }[];
  targets: Record<string, number | undefined>;
}): string {
  const f = (v: number | undefined, d = 1): string => (v === undefined ? '' : v.toFixed(d));
  const L: string[] = [];
  L.push(
    `Kernel: ${String(j.meta.kernel)}; node ${String(j.meta.node)}; ${String(j.meta.cpus)} CPUs; load average at start ${(j.meta.load_average_start as number[]).map((v) => v.toFixed(1)).join(', ')}, at end ${(j.meta.load_average_end as number[]).map((v) => v.toFixed(1)).join(', ')}; iterative tol ${String(j.meta.iterative_tol)}.`,
    '',
  );
  L.push(
    'Times in ms: CPU = CPU time of the process (median), wall = wall-clock median (fastest sample). Footprints = t = dL and L·y for 4 final-demand vectors (5 right-hand sides).',
    '',
  );
  L.push(
    '| system | n | nnz % | method | A from Z | footprints CPU | footprints wall (min) | per RHS CPU | full L CPU | full L wall (min) | full L, 2 threads: wall (min), CPU | GS sweeps (all 5 RHS at once) | peak RSS (MB) | peak − start (MB) |',
  );
  L.push('|---|---:|---:|---|---:|---:|---:|---:|---:|---:|---:|---:|---:|---:|');
  for (const r of j.results) {
    L.push(
      `| ${r.system} | ${r.n} | ${f(r.density * 100, 1)} | ${r.method} | ${f(r.coefficients_ms)} | ${f(r.footprints_cpu_ms)} | ${f(r.footprints_ms)} (${f(r.footprints_min_ms)}) | ${f(r.per_rhs_ms)} | ${f(r.fullL_cpu_ms)} | ${r.fullL_ms === undefined ? '' : `${f(r.fullL_ms)} (${f(r.fullL_min_ms)})`} | ${r.fullL_2t_ms === undefined ? '' : `${f(r.fullL_2t_ms)} (${f(r.fullL_2t_min_ms)}), ${f(r.fullL_2t_cpu_ms)}`} | ${r.iterations ?? ''} | ${f(r.peak_rss_mb, 0)} | ${f(r.peak_delta_mb, 0)} |`,
    );
  }
  L.push('', '| fit (y ≈ c·nᵖ) | p | r² |', '|---|---:|---:|');
  for (const [k, v] of Object.entries(j.fits)) if (v) L.push(`| ${k} | ${v.p.toFixed(2)} | ${v.r2.toFixed(3)} |`);
  L.push(
    '',
    '| system | n | dense footprints CPU (ms) | iterative footprints CPU (ms) | iterative speed-up | footprint rel. diff |',
    '|---|---:|---:|---:|---:|---:|',
  );
  for (const c of j.comparison)
    L.push(
      `| ${c.system} | ${c.n} | ${f(c.dense_cpu_ms)} | ${f(c.iterative_cpu_ms)} | ${c.speedup_iterative.toFixed(2)}× | ${c.footprint_rel_diff.toExponential(1)} |`,
    );
  if (j.extrapolated.length) {
    L.push(
      '',
      '| system (iterative only) | n | dense footprints, extrapolated (s) | dense full L, extrapolated (s) | one dense n×n matrix (MB) |',
      '|---|---:|---:|---:|---:|',
    );
    for (const e of j.extrapolated)
      L.push(
        `| ${e.system} | ${e.n} | ${f((e.dense_footprints_ms_extrapolated ?? NaN) / 1000)} | ${f((e.dense_fullL_ms_extrapolated ?? NaN) / 1000)} | ${f(e.dense_matrix_mb, 0)} |`,
      );
  }
  L.push(
    '',
    `Targets: full L at n = 1302: CPU ${f(j.targets.fullL_n1302_cpu_ms)} ms, wall median ${f(j.targets.fullL_n1302_ms)} ms, fastest ${f(j.targets.fullL_n1302_min_ms)} ms (target ${j.targets.fullL_n1302_target_ms}); with 2 threads: wall median ${f(j.targets.fullL_n1302_2t_ms)} ms, fastest ${f(j.targets.fullL_n1302_2t_min_ms)} ms (target ${j.targets.fullL_n1302_2t_target_ms}); footprints (5 RHS) at n = 9800, 10 %, iterative: CPU ${f(j.targets.sparse_n9800_10pct_footprints_cpu_ms)} ms, wall median ${f(j.targets.sparse_n9800_10pct_footprints_ms)} ms, fastest ${f(j.targets.sparse_n9800_10pct_footprints_min_ms)} ms (target ${j.targets.sparse_n9800_target_ms}).`,
    '',
  );
  return L.join('\n');
}

interface Args {
  quick: boolean;
  out: string;
  kernel: KernelChoice;
  maxDense: number;
  sizes: number[];
  density: number;
  seed: number;
  /** Relative residual tolerance of the iterative solves. */
  tol: number;
  /** Synthetic 31-region systems instead of the real provincial MRIO. */
  synthetic: boolean;
  /** CPU for the single-thread timings (src/benchmark/affinity.ts); undefined: chosen by probe; false: none. */
  cpu?: number | false;
  child?: string;
}

function parseArgs(argv: string[]): Args {
  const a: Args = {
    quick: false,
    out: join(HERE, 'results', 'scaleup.json'),
    kernel: 'auto',
    maxDense: 2500,
    sizes: [2000, 4000, 6000, 8000, 9800],
    density: 0.1,
    seed: 20240601,
    tol: 1e-10,
    synthetic: false,
  };
  for (let i = 0; i < argv.length; i++) {
    const k = argv[i]!;
    const v = (): string => {
      const s = argv[++i];
      if (s === undefined) throw new Error(`${k} needs a value`);
      return s;
    };
    if (k === '--quick') a.quick = true;
    else if (k === '--out') a.out = resolve(v());
    else if (k === '--kernel') a.kernel = v() as KernelChoice;
    else if (k === '--max-dense') a.maxDense = Number(v());
    else if (k === '--sizes') a.sizes = v().split(',').map(Number);
    else if (k === '--density') a.density = Number(v());
    else if (k === '--seed') a.seed = Number(v());
    else if (k === '--tol') a.tol = Number(v());
    else if (k === '--synthetic') a.synthetic = true;
    else if (k === '--cpu') {
      const c = v();
      a.cpu = c === 'none' ? false : Number(c);
      if (a.cpu !== false && !(Number.isInteger(a.cpu) && a.cpu >= 0))
        throw new Error(`--cpu: expected a CPU number or "none", got "${c}"`);
    } else if (k === '--child') a.child = v();
    else throw new Error(`unknown argument ${k}`);
  }
  return a;
}

const PROVINCIAL = resolve(HERE, '../../shared/data/cn-io-2017');
const CEADS = resolve(HERE, '../../shared/data/ceads-2017/Emission_Inventories_for_30_Provinces_2017.xlsx');

/**
 * The real 31-province MRIO (src/mrio/provincial.ts, balance=scale) at 6, 30 and 42 sectors, with
 * the model's direct intensities d^r, written once as float64 files for the child processes (so
 * that reading the spreadsheets is neither timed nor counted in their peak memory). Four
 * final-demand vectors: the domestic final use of Guangdong, Jiangsu, Shandong and Zhejiang;
 * yAll = all final demand (incl. exports and the residual), so that Z1 + yAll = GO.
 * Returns undefined when the real tables are not there.
 */
async function prepareProvincial(tmp: string): Promise<Map<number, string> | undefined> {
  if (!existsSync(join(PROVINCIAL, 'provinces')) || !existsSync(CEADS)) return undefined;
  const [
    { loadInputs },
    { bundledData },
    { referenceDataOf },
    { aggregateTable },
    { directIntensities },
    { DEFAULT_OPTIONS },
    { buildProvincialMrio },
  ] = await Promise.all([
    import('../src/inputs/node.js'),
    import('../src/data/index.js'),
    import('../src/model/reference.js'),
    import('../src/model/aggregation.js'),
    import('../src/model/intensities.js'),
    import('../src/model/options.js'),
    import('../src/mrio/provincial.js'),
  ]);
  const loaded = loadInputs({
    provincial: join(PROVINCIAL, 'provinces'),
    national: join(PROVINCIAL, 'national/china_2017_42.csv'),
    emissions: CEADS,
  });
  const ref = referenceDataOf(bundledData());
  const out = new Map<number, string>();
  for (const [ns, map] of [
    [6, ref.groups42],
    [30, ref.to30],
    [42, undefined],
  ] as const) {
    const { provinces, national, sources } = loaded.inputs;
    const tables = map ? provinces.map((t) => aggregateTable(t, map)) : provinces;
    const intens = directIntensities(
      provinces,
      national,
      sources,
      ref.concordance,
      { ...DEFAULT_OPTIONS, aggregation: map ? 'before' : 'none' },
      map,
      ref.hasInventory,
    );
    const m = buildProvincialMrio(tables);
    const n = m.n;
    const R = m.provinces.length;
    const d = new Float64Array(n);
    m.provinces.forEach((p, r) => d.set(intens.d.get(p)!, r * m.sectors.length));
    const Y = new Float64Array(n * NRHS);
    ['Guangdong', 'Jiangsu', 'Shandong', 'Zhejiang'].forEach((p, k) => {
      const s = m.provinces.indexOf(p);
      for (let a = 0; a < n; a++) Y[k * n + a] = m.F[a * R + s]!;
    });
    const yAll = new Float64Array(n);
    for (let a = 0; a < n; a++) {
      let v = m.E[a]! + m.u[a]! + m.rho[a]!;
      for (let s = 0; s < R; s++) v += m.F[a * R + s]!;
      yAll[a] = v;
    }
    const dir = join(tmp, `provincial-${ns}`);
    await mkdir(dir, { recursive: true });
    for (const [name, v] of [
      ['Z', m.Z],
      ['x', m.x],
      ['Y', Y],
      ['yAll', yAll],
      ['d', d],
    ] as const) {
      await writeFile(join(dir, `${name}.f64`), new Uint8Array(v.buffer, v.byteOffset, v.byteLength));
    }
    out.set(ns, dir);
  }
  return out;
}

function specs(a: Args, real: Map<number, string> | undefined): SystemSpec[] {
  const list: SystemSpec[] = real
    ? [6, 30, 42].map((ns) => ({ kind: 'provincial' as const, name: `provinces 31×${ns}`, n: 31 * ns, dir: real.get(ns)! }))
    : [
        { kind: 'mrio', name: '31×6', n: 186, regions: 31, sectors: 6 },
        { kind: 'mrio', name: '31×30', n: 930, regions: 31, sectors: 30 },
        { kind: 'mrio', name: '31×42', n: 1302, regions: 31, sectors: 42 },
      ];
  if (existsSync(join(WIOD, 'Z.csv'))) list.push({ kind: 'wiod', name: 'WIOD 2011 (41×35)', n: 1435 });
  const sizes = a.quick ? a.sizes.filter((n) => n <= 2000) : a.sizes;
  for (const n of sizes) list.push({ kind: 'sparse', name: `sparse ${n} @${Math.round(a.density * 100)}%`, n, density: a.density });
  if (!a.quick) list.push({ kind: 'sparse', name: 'sparse 9800 @5%', n: 9800, density: 0.05 });
  return list;
}

async function main(): Promise<void> {
  const a = parseArgs(process.argv.slice(2));
  if (a.child) {
    const { spec, method } = JSON.parse(a.child) as { spec: SystemSpec; method: 'dense' | 'iterative' };
    const r = await runCase(spec, method, a.kernel, a.seed, a.quick, a.tol, cpuPinning(a.cpu ?? false));
    process.stdout.write(`${JSON.stringify(r)}\n`);
    return;
  }
  const loadStart = (await import('node:os')).loadavg();
  // Single-thread timings of every case on one CPU, the one a probe finds fastest now (src/benchmark/affinity.ts).
  const pin = cpuPinning(a.cpu, a.cpu === undefined && a.kernel !== 'reference' ? await wasmLuProbe() : undefined);
  process.stderr.write(`scaleup: single-thread timings ${pin.cpu === null ? pin.note : `pinned to CPU ${pin.cpu}`}\n`);
  const results: CaseResult[] = [];
  const self = fileURLToPath(import.meta.url);
  const tmp = await mkdtemp(join(tmpdir(), 'embodied-scaleup-'));
  let real: Map<number, string> | undefined;
  try {
    real = a.synthetic ? undefined : await prepareProvincial(tmp);
  } catch (e) {
    process.stderr.write(
      `scaleup: the real provincial MRIO could not be built (${(e as Error).message}); using synthetic 31-region systems\n`,
    );
  }
  try {
    await runAll(specs(a, real), a, self, results, pin);
  } finally {
    await rm(tmp, { recursive: true, force: true });
  }
  await summarise(a, results, loadStart, pin);
}

async function runAll(list: SystemSpec[], a: Args, self: string, results: CaseResult[], pin: Pinning): Promise<void> {
  for (const spec of list) {
    const methods: ('dense' | 'iterative')[] = spec.n <= a.maxDense ? ['dense', 'iterative'] : ['iterative'];
    for (const method of methods) {
      process.stderr.write(`scaleup: ${spec.name} (n = ${spec.n}) ${method} ... `);
      const child = spawnSync(
        process.execPath,
        [
          ...process.execArgv,
          self,
          '--child',
          JSON.stringify({ spec, method }),
          '--kernel',
          a.kernel,
          '--seed',
          String(a.seed),
          '--tol',
          String(a.tol),
          '--cpu',
          String(pin.cpu ?? 'none'),
          ...(a.quick ? ['--quick'] : []),
        ],
        {
          encoding: 'utf8',
          maxBuffer: 1 << 24,
        },
      );
      if (child.status !== 0) {
        process.stderr.write(`failed\n${child.stderr}\n`);
        continue;
      }
      const r = JSON.parse(child.stdout.trim().split('\n').pop()!) as CaseResult;
      results.push(r);
      process.stderr.write(
        `footprints ${r.footprints_cpu_ms.toFixed(1)} ms CPU (${r.footprints_ms.toFixed(1)} wall)${r.fullL_cpu_ms !== undefined ? `, full L ${r.fullL_cpu_ms.toFixed(1)} ms CPU (${r.fullL_ms!.toFixed(1)} wall)` : ''}` +
          `${r.fullL_2t_ms !== undefined ? `, full L 2 threads ${r.fullL_2t_ms.toFixed(1)} ms wall` : ''}` +
          `${r.iterations !== undefined ? `, ${r.iterations} iterations` : ''}, peak ${r.peak_rss_mb.toFixed(0)} MB (+${r.peak_delta_mb.toFixed(0)})\n`,
      );
    }
  }
}

async function summarise(a: Args, results: CaseResult[], loadStart: number[], pin: Pinning): Promise<void> {
  const pick = (m: 'dense' | 'iterative', f: (r: CaseResult) => number | undefined): { n: number; y: number }[] =>
    results.filter((r) => r.method === m && f(r) !== undefined).map((r) => ({ n: r.n, y: f(r)! }));
  const fits = {
    dense_fullL_cpu: fitExponent(pick('dense', (r) => r.fullL_cpu_ms)),
    dense_footprints_cpu: fitExponent(pick('dense', (r) => r.footprints_cpu_ms)),
    iterative_footprints_cpu: fitExponent(pick('iterative', (r) => r.footprints_cpu_ms)),
    iterative_footprints_cpu_vs_nnz: fitExponent(
      results.filter((r) => r.method === 'iterative').map((r) => ({ n: r.nnz, y: r.footprints_cpu_ms })),
    ),
    dense_fullL_wall: fitExponent(pick('dense', (r) => r.fullL_ms)),
    dense_footprints_wall: fitExponent(pick('dense', (r) => r.footprints_ms)),
    iterative_footprints_wall: fitExponent(pick('iterative', (r) => r.footprints_ms)),
    dense_peak_memory: fitExponent(pick('dense', (r) => Math.max(r.peak_delta_mb, 0.01))),
    iterative_peak_memory: fitExponent(pick('iterative', (r) => Math.max(r.peak_delta_mb, 0.01))),
  };
  // Dense vs iterative where both ran: same footprint, and the time ratio.
  const comparison = results
    .filter((r) => r.method === 'dense')
    .map((d) => {
      const it = results.find((r) => r.method === 'iterative' && r.system === d.system);
      if (!it) return undefined;
      const fd = d.check!.footprint_sum;
      const fi = it.check!.footprint_sum;
      return {
        system: d.system,
        n: d.n,
        dense_cpu_ms: d.footprints_cpu_ms,
        iterative_cpu_ms: it.footprints_cpu_ms,
        speedup_iterative: d.footprints_cpu_ms / it.footprints_cpu_ms,
        footprint_rel_diff: Math.abs(fd - fi) / Math.abs(fd),
      };
    })
    .filter((x) => x !== undefined);
  // Where the dense path was not run: its time extrapolated from the fit (what "not practical" means).
  const fitD = fits.dense_footprints_cpu;
  const fitL = fits.dense_fullL_cpu;
  const extrapolated = results
    .filter((r) => r.method === 'iterative' && !results.some((d) => d.method === 'dense' && d.system === r.system))
    .map((r) => ({
      system: r.system,
      n: r.n,
      iterative_cpu_ms: r.footprints_cpu_ms,
      dense_footprints_ms_extrapolated: fitD ? fitD.c * r.n ** fitD.p : undefined,
      dense_fullL_ms_extrapolated: fitL ? fitL.c * r.n ** fitL.p : undefined,
      dense_matrix_mb: (r.n * r.n * 8) / 2 ** 20,
    }));
  const targets = {
    fullL_n1302_ms: results.find((r) => r.n === 1302 && r.method === 'dense')?.fullL_ms,
    fullL_n1302_min_ms: results.find((r) => r.n === 1302 && r.method === 'dense')?.fullL_min_ms,
    fullL_n1302_cpu_ms: results.find((r) => r.n === 1302 && r.method === 'dense')?.fullL_cpu_ms,
    fullL_n1302_target_ms: 150,
    fullL_n1302_2t_ms: results.find((r) => r.n === 1302 && r.method === 'dense')?.fullL_2t_ms,
    fullL_n1302_2t_min_ms: results.find((r) => r.n === 1302 && r.method === 'dense')?.fullL_2t_min_ms,
    fullL_n1302_2t_target_ms: 90,
    sparse_n9800_10pct_footprints_ms: results.find((r) => r.n === 9800 && r.method === 'iterative' && Math.abs(r.density - 0.1) < 0.01)
      ?.footprints_ms,
    sparse_n9800_10pct_footprints_min_ms: results.find((r) => r.n === 9800 && r.method === 'iterative' && Math.abs(r.density - 0.1) < 0.01)
      ?.footprints_min_ms,
    sparse_n9800_10pct_footprints_cpu_ms: results.find((r) => r.n === 9800 && r.method === 'iterative' && Math.abs(r.density - 0.1) < 0.01)
      ?.footprints_cpu_ms,
    sparse_n9800_target_ms: 500,
  };
  const meta = {
    created: new Date().toISOString(),
    node: process.version,
    cpus: (await import('node:os')).cpus().length,
    kernel: results[0]?.kernel,
    quick: a.quick,
    seed: a.seed,
    pipeline: 'x = Z1 + Y1; A = Z diag(x)^-1; t = d L (1 transposed solve) and L y_k for 4 final-demand vectors',
    iterative_tol: a.tol,
    load_average_start: loadStart,
    load_average_end: (await import('node:os')).loadavg(),
    pinning: pinningMeta(pin),
  };
  const json = { meta, results, fits, comparison, extrapolated, targets };
  await mkdir(dirname(a.out), { recursive: true });
  writeAtomic(a.out, `${JSON.stringify(json, null, 2)}\n`);
  const color = { dense: '#1f77b4', iterative: '#d62728', fullL: '#2ca02c' };
  const svg = svgChart(`Footprint pipeline: CPU time vs n (${meta.kernel} kernel)`, 'milliseconds (CPU)', [
    { label: 'dense: footprints', color: color.dense, points: pick('dense', (r) => r.footprints_cpu_ms) },
    { label: 'dense: full L', color: color.fullL, points: pick('dense', (r) => r.fullL_cpu_ms) },
    { label: 'iterative: footprints', color: color.iterative, points: pick('iterative', (r) => r.footprints_cpu_ms) },
  ]);
  const svgMem = svgChart('Peak memory of the pipeline vs n', 'MB above start', [
    { label: 'dense', color: color.dense, points: pick('dense', (r) => Math.max(r.peak_delta_mb, 0.01)) },
    { label: 'iterative', color: color.iterative, points: pick('iterative', (r) => Math.max(r.peak_delta_mb, 0.01)) },
  ]);
  const base = a.out.replace(/\.json$/, '');
  writeAtomic(`${base}.svg`, svg);
  writeAtomic(`${base}-memory.svg`, svgMem);
  writeAtomic(`${base}.md`, markdownSummary(json));
  process.stdout.write(markdownSummary(json));
  process.stderr.write(`scaleup: wrote ${a.out}, ${base}.svg, ${base}-memory.svg\n`);
}

// Run only as a script (the module is also imported by tests for fitExponent and svgChart).
if (process.argv[1] && resolve(process.argv[1]) === fileURLToPath(import.meta.url)) await main();
