/**
 * The sweep's summaries, computed once every chunk is present: the chunk statistics folded in chunk
 * order, the base run and one-at-a-time elasticities of every grid cell, and the method-grid table.
 * Writes summary/*.csv and summary/summary.md; returns the terminal summary.
 */
import { mkdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { OPTION_VALUES, type OptionName } from '../model/options.js';
import { writeAtomic } from '../output/atomic.js';
import { csvText } from '../output/csv.js';
import { formatDecimal, markdownTable } from '../output/markdown.js';
import { formatNumber } from '../output/number.js';
import type { Cell } from '../output/table.js';
import { chunkName, type SweepContext } from './context.js';
import type { Variant } from './draws.js';
import type { Manifest } from './checkpoint.js';
import { CLASSES, newDrawResult, type DrawResult } from '../model/evaluate.js';
import { METRICS, quantile, sd, StatsFold, type CellStats, type ChunkStats } from './stats.js';
import { sobolSummary } from './sobol-summary.js';

const num = (v: number) => (Number.isFinite(v) ? formatNumber(v) : '');
const fmt = (v: number, digits = 3) => (Number.isFinite(v) ? formatDecimal(v, digits) : '–');
const pct = (v: number) => (Number.isFinite(v) ? `${formatDecimal(100 * v, 1)} %` : '–');

function copyResult(o: DrawResult): DrawResult {
  const c = newDrawResult(o.N.length);
  for (const k of Object.keys(c) as (keyof DrawResult)[]) (c[k] as Float64Array).set(o[k] as Float64Array);
  return c;
}

/** Reads chunk k's statistics file. */
export function readChunkStats(dir: string, k: number): ChunkStats {
  return JSON.parse(readFileSync(join(dir, 'stats', `${chunkName(k)}.json`), 'utf8')) as ChunkStats;
}

/** The fold of the chunk statistics files, in chunk order. */
function chunkFold(dir: string, m: Manifest): StatsFold {
  return new StatsFold(
    m.chunks,
    (k) => readChunkStats(dir, k),
    m.completed.map((c) => c.chunk),
  );
}

/** Folds the chunk statistics files in chunk order, per grid cell. */
export function foldStats(dir: string, m: Manifest): Map<number, CellStats> {
  return chunkFold(dir, m).result();
}

interface OatRow {
  cell: number;
  group: string;
  province: string;
  metric: 'N' | 'NP' | 'T';
  base: number;
  minus: number;
  plus: number;
  elasticity: number;
}

export interface SummaryInfo {
  dataNote: string;
  terminal: string;
}

/** Writes the summaries from the fold of the chunk statistics (of the files when not given). */
export function writeSummary(dir: string, ctx: SweepContext, m: Manifest, fold = chunkFold(dir, m)): SummaryInfo {
  const stats = fold.result();
  const spec = ctx.spec;
  const draws = ctx.drawsPerCell;
  const out = join(dir, 'summary');
  mkdirSync(out, { recursive: true });
  const provinces = ctx.evaluator(0).model.provinces;
  const step = spec.oat?.step ?? 0;

  const statRows: Cell[][] = [];
  const classRows: Cell[][] = [];
  const oatRows: OatRow[] = [];
  const gridRows: Cell[][] = [];
  const bases: DrawResult[] = [];
  const varied = (Object.keys(spec.grid) as OptionName[]).filter((k) => (spec.grid as Record<string, unknown>)[k]);

  ctx.cells.forEach((options, c) => {
    const ev = ctx.evaluator(c);
    const base = ev.model.base;
    bases.push(base);
    const st = stats.get(c);
    provinces.forEach((p, r) => {
      gridRows.push([
        c,
        ...varied.map((k) => options[k]),
        p,
        num(base.N[r]),
        num(base.NP[r]),
        num(base.T[r]),
        num(base.CTT[r]),
        num(base.CTTp[r]),
        CLASSES[base.cls[r]],
        ...(st
          ? [
              num(st.provinces[r].series.N.mean),
              num(st.provinces[r].series.NP.mean),
              num(st.provinces[r].series.T.mean),
              num(st.provinces[r].classes[base.cls[r]] / st.draws),
            ]
          : []),
      ]);
      if (!st) return;
      const ps = st.provinces[r];
      for (const metric of METRICS) {
        const s = ps.series[metric];
        statRows.push([
          c,
          p,
          metric,
          s.n,
          num(base[metric][r]),
          num(s.n ? s.mean : NaN),
          num(sd(s)),
          num(quantile(s, 0.05)),
          num(quantile(s, 0.5)),
          num(quantile(s, 0.95)),
        ]);
      }
      const D = st.draws;
      classRows.push([
        c,
        p,
        CLASSES[base.cls[r]],
        ...ps.classes.map((k) => num(k / D)),
        num(ps.flipN / D),
        num(ps.flipNP / D),
        num(ps.cttAbove1 / D),
        num(ps.cttpAbove1 / D),
      ]);
    });
    // One-at-a-time: each group scaled by 1 − step and 1 + step; central elasticity per province.
    ev.oat.forEach((g, gi) => {
      const variants: Variant[] = [
        { kind: 'oat', group: gi, factor: 1 - step },
        { kind: 'oat', group: gi, factor: 1 + step },
      ];
      const res: DrawResult[] = [];
      ev.evaluate(variants, (_k, o) => res.push(copyResult(o)));
      provinces.forEach((p, r) => {
        for (const metric of ['N', 'NP', 'T'] as const) {
          const b = base[metric][r];
          const lo = res[0][metric][r];
          const hi = res[1][metric][r];
          oatRows.push({
            cell: c,
            group: g.label,
            province: p,
            metric,
            base: b,
            minus: lo,
            plus: hi,
            elasticity: b === 0 ? NaN : (hi - lo) / (2 * step * b),
          });
        }
      });
    });
  });

  const csv = (header: string[], rows: Cell[][]) => csvText([header, ...rows]);
  writeAtomic(
    join(out, 'grid.csv'),
    csv(
      [
        'cell',
        ...varied,
        'province',
        'N',
        'NP',
        'T',
        'CTT',
        'CTTp',
        'class',
        ...(draws ? ['mean_N', 'mean_NP', 'mean_T', 'P_base_class'] : []),
      ],
      gridRows,
    ),
  );
  if (draws) {
    writeAtomic(join(out, 'stats.csv'), csv(['cell', 'province', 'metric', 'n', 'base', 'mean', 'sd', 'p5', 'p50', 'p95'], statRows));
    writeAtomic(
      join(out, 'classes.csv'),
      csv(
        [
          'cell',
          'province',
          'base_class',
          'P_I',
          'P_II',
          'P_III',
          'P_IV',
          'P_sign_N_differs',
          'P_sign_NP_differs',
          'P_CTT_above_1',
          'P_CTTp_above_1',
        ],
        classRows,
      ),
    );
  }
  if (oatRows.length) {
    writeAtomic(
      join(out, 'oat.csv'),
      csv(
        ['cell', 'group', 'province', 'metric', 'base', 'minus', 'plus', 'elasticity'],
        oatRows.map((o) => [o.cell, o.group, o.province, o.metric, num(o.base), num(o.minus), num(o.plus), num(o.elasticity)]),
      ),
    );
  }
  writeAtomic(
    join(out, 'cells.csv'),
    csv(
      ['cell', ...(Object.keys(OPTION_VALUES) as OptionName[])],
      ctx.cells.map((o, c) => [c, ...(Object.keys(OPTION_VALUES) as OptionName[]).map((k) => o[k])]),
    ),
  );

  // summary.md
  const md: string[] = [];
  md.push('# Sweep summary', '');
  md.push(ctx.loaded.dataNote, '');
  md.push(
    `Spec hash \`${m.specHash.slice(0, 16)}…\`, seed ${spec.seed}, embodied ${m.version}, ${m.kernel} kernel. ` +
      `${ctx.cells.length} method-grid cell(s) × ${draws} ${spec.sobol ? `evaluations of Saltelli's design (n = ${spec.sobol.n})` : 'Monte Carlo draws'} = ${ctx.totalDraws} draws in ${m.chunks} chunk(s) of ${ctx.chunkSize}.`,
    '',
  );
  if (spec.montecarlo.length) {
    md.push('Uncertain inputs (multipliers on the base values):', '');
    const e0 = ctx.evaluator(0);
    spec.montecarlo.forEach((g, i) => {
      const d = g.distribution;
      const params = Object.entries(d)
        .filter(([k]) => k !== 'type')
        .map(([k, v]) => `${k} ${v}`)
        .join(', ');
      md.push(`- ${e0.mc[i].label}: ${d.type} (${params}), one draw per ${g.per}, ${e0.mc[i].nSamples} per draw`);
    });
    md.push('');
  }
  const s0 = stats.get(0);
  const b0 = bases[0];
  if (s0 && s0.draws > 0) {
    md.push(`## Which conclusions survive (cell 0: ${describeCell(ctx, 0, varied)})`, '');
    const columns = [
      'province',
      'base class',
      'P(base class)',
      'P(sign N differs)',
      'P(sign NP differs)',
      'N p5 / p50 / p95 (Mt)',
      'NP p5 / p50 / p95 (Mt)',
      'P(CTT > 1)',
    ];
    const rows = provinces.map((p, r) => {
      const ps = s0.provinces[r];
      const q = (metric: 'N' | 'NP') => [0.05, 0.5, 0.95].map((x) => fmt(quantile(ps.series[metric], x), 2)).join(' / ');
      return [
        p,
        CLASSES[b0.cls[r]],
        pct(ps.classes[b0.cls[r]] / s0.draws),
        pct(ps.flipN / s0.draws),
        pct(ps.flipNP / s0.draws),
        q('N'),
        q('NP'),
        pct(ps.cttAbove1 / s0.draws),
      ];
    });
    md.push(markdownTable({ columns, rows }, { tight: true }));
    md.push(
      '',
      'Full statistics: `stats.csv` (mean, sd, p5, p50, p95 of N, NP, T, CTT, CTTp), `classes.csv` (probability of each class). Quantiles are read from a log-bucket sketch, accurate to ±0.05 % of the value.',
      '',
    );
  }
  if (oatRows.length) {
    md.push(`## One-at-a-time elasticities (±${(step * 100).toFixed(1)} %)`, '');
    md.push(
      'Elasticity = (M(1+s) − M(1−s)) / (2 s M(base)), per province; the median and largest absolute values over provinces, cell 0:',
      '',
    );
    const elasticities: string[][] = [];
    for (const g of ctx.evaluator(0).oat) {
      for (const metric of ['N', 'NP', 'T'] as const) {
        const rows = oatRows.filter((o) => o.cell === 0 && o.group === g.label && o.metric === metric && Number.isFinite(o.elasticity));
        if (!rows.length) continue;
        const abs = rows.map((o) => Math.abs(o.elasticity)).sort((a, b) => a - b);
        const top = rows.reduce((a, b) => (Math.abs(b.elasticity) > Math.abs(a.elasticity) ? b : a));
        elasticities.push([g.label, metric, fmt(abs[Math.floor(abs.length / 2)]), `${fmt(top.elasticity)} (${top.province})`]);
      }
    }
    md.push(
      markdownTable({ columns: ['group', 'metric', 'median abs. elasticity', 'largest (province)'], rows: elasticities }, { tight: true }),
    );
    md.push('', 'Every province: `oat.csv`.', '');
  }
  const sobol = spec.sobol
    ? sobolSummary(
        spec,
        provinces,
        fold.sobol,
        ctx.cells.length,
        ctx.evaluator(0).mc.map((g) => g.label),
        describeCell(ctx, 0, varied),
      )
    : undefined;
  if (sobol) {
    writeAtomic(
      join(out, 'sobol.csv'),
      csv(['cell', 'province', 'metric', 'factor', 'S1', 'S1_lo', 'S1_hi', 'ST', 'ST_lo', 'ST_hi'], sobol.rows),
    );
    writeAtomic(join(out, 'sobol.svg'), sobol.svg);
    md.push(...sobol.markdown);
  }
  if (ctx.cells.length > 1) {
    md.push('## Method grid', '');
    md.push(`Base-run classes per cell (options varied: ${varied.join(', ')}; cells in \`cells.csv\`, values in \`grid.csv\`).`, '');
    const shown = ctx.cells.slice(0, 16);
    md.push(
      markdownTable(
        {
          columns: ['province', ...shown.map((_, c) => `cell ${c}`)],
          rows: provinces.map((p, r) => [p, ...shown.map((_, c) => CLASSES[bases[c].cls[r]])]),
        },
        { tight: true },
      ),
    );
    md.push('', ...shown.map((_, c) => `- cell ${c}: ${describeCell(ctx, c, varied)}`), '');
    const changed = ctx.cells.map((_, c) => provinces.filter((_, r) => bases[c].cls[r] !== bases[0].cls[r]).length);
    md.push(`Provinces whose class differs from cell 0: ${changed.map((k, c) => `cell ${c}: ${k}`).join(', ')}.`, '');
  }
  md.push(
    '## Files',
    '',
    '- `draws/part-*.parquet`: one row per draw × province (cell, draw, province, N, NP, T, CTT, CTTp, class), in draw order',
    `- \`summary/\`: this file, stats.csv, classes.csv, oat.csv, grid.csv, cells.csv${sobol ? ', sobol.csv, sobol.svg' : ''}`,
    '- `manifest.json`: the checkpoint (spec hash, seed, version, chunks and their sha256)',
    '',
  );
  writeAtomic(join(out, 'summary.md'), md.join('\n'));

  // Terminal summary
  const lines: string[] = [];
  lines.push(`sweep: ${ctx.cells.length} cell(s) × ${draws} draws, seed ${spec.seed}`);
  if (s0 && s0.draws > 0) {
    const fragile = provinces
      .map((p, r) => ({ p, r, keep: s0.provinces[r].classes[b0.cls[r]] / s0.draws }))
      .sort((a, b) => a.keep - b.keep)
      .slice(0, 5);
    lines.push(`least robust classes (cell 0): ${fragile.map((f) => `${f.p} ${CLASSES[b0.cls[f.r]]} ${pct(f.keep)}`).join(', ')}`);
    const robust = provinces.filter((_, r) => s0.provinces[r].classes[b0.cls[r]] / s0.draws >= 0.95).length;
    lines.push(`${robust} of ${provinces.length} provinces keep their base class in ≥ 95 % of draws`);
  }
  if (sobol) lines.push(...sobol.terminal);
  lines.push(`summary: ${join(out, 'summary.md')}`);
  return { dataNote: ctx.loaded.dataNote, terminal: `${lines.join('\n')}\n` };
}

function describeCell(ctx: SweepContext, c: number, varied: OptionName[]): string {
  const o = ctx.cells[c];
  return varied.length ? varied.map((k) => `${k}=${o[k]}`).join(', ') : 'base options';
}
