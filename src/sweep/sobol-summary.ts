/**
 * The Sobol' part of a sweep's summaries: summary/sobol.csv (every cell, province, metric and factor),
 * the summary.md section naming per province the factor that drives most of the variance of N and NP,
 * the chart summary/sobol.svg and the warning when the intervals do not separate the factors.
 */
import { barChartSvg } from '../report/chart.js';
import type { Cell } from '../output/table.js';
import { formatDecimal, markdownTable } from '../output/markdown.js';
import { BLOCKS, sobolIndices, type SobolIndices } from './sobol-indices.js';
import type { SweepSpec } from './spec.js';
import { METRICS } from './stats.js';

const num = (v: number) => (Number.isFinite(v) ? String(v) : '');
const fmt = (v: number) => (Number.isFinite(v) ? formatDecimal(v, 3) : '–');
/** Provinces in the chart: those with the largest variance of NP. */
const CHART_PROVINCES = 8;
const PALETTE = ['#4e79a7', '#f28e2b', '#e15759', '#76b7b2', '#59a14f', '#edc948', '#b07aa1', '#ff9da7', '#9c755f', '#bab0ac'];

export interface SobolSummary {
  rows: Cell[][];
  markdown: string[];
  svg: string;
  terminal: string[];
}

/** A factor's name: the group's name, or mc0, mc1, … in spec order. */
function factorNames(spec: SweepSpec): string[] {
  return spec.montecarlo.map((g, i) => g.name ?? `mc${i}`);
}

/** The indices of every cell from the folded block sums, and what the summaries show of them. */
export function sobolSummary(
  spec: SweepSpec,
  provinces: readonly string[],
  sums: Map<number, Map<number, Float64Array>>,
  cells: number,
  labels: readonly string[],
  cell0: string,
): SobolSummary {
  const sobol = spec.sobol!;
  const names = factorNames(spec);
  const k = names.length;
  const M = METRICS.length;
  const R = provinces.length;
  const rows: Cell[][] = [];
  let first: SobolIndices | undefined;
  for (let c = 0; c < cells; c++) {
    const r = sobolIndices(sums.get(c) ?? new Map(), R * M, k, sobol.bootstrap, sobol.confidence, spec.seed);
    first ??= r;
    for (let p = 0; p < R; p++) {
      METRICS.forEach((metric, m) => {
        for (let f = 0; f < k; f++) {
          const j = (p * M + m) * k + f;
          rows.push([c, provinces[p], metric, names[f], ...[r.S1, r.S1lo, r.S1hi, r.ST, r.STlo, r.SThi].map((a) => num(a[j]))]);
        }
      });
    }
  }
  const r = first!;
  const at = (p: number, metric: 'N' | 'NP') => (p * M + METRICS.indexOf(metric)) * k;
  /** The factor with the largest S_T, and whether its interval lies above every other factor's. */
  const top = (p: number, metric: 'N' | 'NP') => {
    const o = at(p, metric);
    let best = -1;
    for (let f = 0; f < k; f++) if (Number.isFinite(r.ST[o + f]) && (best < 0 || r.ST[o + f] > r.ST[o + best])) best = f;
    if (best < 0) return undefined;
    let separated = true;
    for (let f = 0; f < k; f++) if (f !== best && !(r.STlo[o + best] > r.SThi[o + f])) separated = false;
    return { f: best, S1: r.S1[o + best], ST: r.ST[o + best], lo: r.STlo[o + best], hi: r.SThi[o + best], separated: separated || k === 1 };
  };
  const pct = Math.round(sobol.confidence * 100);
  const describe = (t: ReturnType<typeof top>) =>
    t
      ? `${names[t.f]}: S_T ${fmt(t.ST)} [${fmt(t.lo)}, ${fmt(t.hi)}], S1 ${fmt(t.S1)}${t.separated ? '' : ' (not separated)'}`
      : '– (no variance)';
  const sd = (p: number, metric: 'N' | 'NP') => Math.sqrt(r.V[p * M + METRICS.indexOf(metric)]);
  let unseparated = 0;
  let varied = 0;
  const table = provinces.map((name, p) => {
    const tN = top(p, 'N');
    const tNP = top(p, 'NP');
    for (const t of [tN, tNP]) {
      if (!t) continue;
      varied++;
      if (!t.separated) unseparated++;
    }
    return [name, fmt(sd(p, 'N')), describe(tN), fmt(sd(p, 'NP')), describe(tNP)];
  });
  const warning =
    unseparated > 0
      ? `warning: for ${unseparated} of ${varied} (province, N or NP) the ${pct} % interval of the largest total index overlaps another factor's: the sample is too small to tell which factor drives most of the variance there (raise sobol.n)`
      : undefined;
  const markdown: string[] = [
    `## Which input drives the variance: Sobol' indices (cell 0: ${cell0})`,
    '',
    `Saltelli's design, n = ${sobol.n} base samples × (k + 2) = ${(k + 2) * sobol.n} evaluations per cell, ${sobol.sequence === 'sobol' ? "scrambled Sobol' sequence" : 'random streams'}; ` +
      `first-order S1 (Saltelli 2010) and total S_T (Jansen) per Monte Carlo group; ${pct} % bootstrap intervals (${sobol.bootstrap} replicates of ${BLOCKS} blocks of base samples). ` +
      'For each province, the factor with the largest S_T (its share of the variance, interactions included), for N and NP (sd in Mt):',
    '',
    markdownTable({ columns: ['province', 'sd N', 'N: largest S_T', 'sd NP', 'NP: largest S_T'], rows: table }, { tight: true }),
    '',
  ];
  const unnamed = names.flatMap((name, f) => (labels[f] === name ? [] : [`- ${name}: ${labels[f]}`]));
  if (unnamed.length) markdown.push('Factors:', '', ...unnamed, '');
  if (warning) markdown.push(`**${warning}.**`, '');
  markdown.push('Every cell, province, metric (N, NP, T, CTT, CTTp) and factor: `sobol.csv`; chart: `sobol.svg`.', '');

  const byVariance = provinces.map((_, p) => p).sort((a, b) => (r.V[b * M + 1] || 0) - (r.V[a * M + 1] || 0));
  const shown = byVariance.slice(0, CHART_PROVINCES);
  const svg = barChartSvg(
    `Total Sobol' indices of NP, the ${shown.length} provinces with the largest variance (cell 0)`,
    shown.map((p) => provinces[p]),
    names.map((label, f) => ({ label, colour: PALETTE[f % PALETTE.length], values: shown.map((p) => r.ST[at(p, 'NP') + f] || 0) })),
    'S_T: share of the variance of NP',
  );
  const terminal = shown.slice(0, 3).map((p) => {
    const t = top(p, 'NP');
    return `${provinces[p]} ${t ? `${names[t.f]} ${fmt(t.ST)}` : '–'}`;
  });
  return {
    rows,
    markdown,
    svg: `${svg}\n`,
    terminal: [`largest variance share of NP (cell 0): ${terminal.join(', ')}`, ...(warning ? [warning] : [])],
  };
}
