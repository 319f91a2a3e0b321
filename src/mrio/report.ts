/**
 * The outputs of the provincial MRIO run: bilateral.csv, footprints.csv and report.md, as text.
 * Pure: a built MRIO and its accounts in, strings out (the CLI writes them).
 */
import type { ModelOptions } from '../model/options.js';
import type { ModelResult } from '../model/pipeline.js';
import { csvText } from '../output/csv.js';
import { formatDecimal, markdownTable } from '../output/markdown.js';
import { barChartSvg } from '../report/chart.js';
import type { Table } from '../report/tables.js';
import { VERSION } from '../version.js';
import type { BalanceOption } from './options.js';
import type { MrioAccounts, ProvincialMrio } from './provincial.js';
import { conditionVerdict } from './solver.js';

const fmt = (v: number, d = 3): string => (Number.isFinite(v) ? formatDecimal(v, d) : '');

/** origin × destination (Mt), then foreign_exports and unallocated columns. */
export function bilateralCsv(m: ProvincialMrio, acc: MrioAccounts): string {
  const W = m.provinces.length + 2;
  return csvText([
    ['origin', ...m.provinces, 'foreign_exports', 'unallocated'],
    ...m.provinces.map((p, r) => [p, ...acc.bilateral.subarray(r * W, (r + 1) * W)]),
  ]);
}

/**
 * province,production,consumption,exports_embodied,imports_embodied (Mt), then production and
 * consumption per person (t CO2) where `population` (10^4 persons) knows the province.
 */
export function footprintsCsv(m: ProvincialMrio, acc: MrioAccounts, population: ReadonlyMap<string, number>): string {
  // Mt / 10^4 persons = 100 t per person.
  const perCapita = (v: number, p: string): number | string => (population.has(p) ? (v * 100) / population.get(p)! : '');
  return csvText([
    [
      'province',
      'production',
      'consumption',
      'exports_embodied',
      'imports_embodied',
      'production_t_per_capita',
      'consumption_t_per_capita',
    ],
    ...m.provinces.map((p, r) => [
      p,
      acc.production[r]!,
      acc.consumption[r]!,
      acc.exportsEmbodied[r]!,
      acc.importsEmbodied[r]!,
      perCapita(acc.production[r]!, p),
      perCapita(acc.consumption[r]!, p),
    ]),
  ]);
}

/**
 * The MRIO's accounts beside the per-province (paper) model's on the same data and options (Mt):
 * CO2 embodied in foreign exports and imports; in interprovincial outflows and inflows (the paper's
 * CEP and CMP; the MRIO's gross shipments valued with the origin's t, and the inflows no province
 * reports shipping); and three interprovincial balances — NP = CEP − CMP in the paper, the same
 * gross balance with the MRIO's intensities, and the MRIO's net transfer Σ_s≠r B[r,s] − Σ_s≠r B[s,r]
 * (CO2 emitted in r for others' final use minus the reverse, each ton counted once).
 */
export const COMPARISON_COLUMNS = [
  'province',
  'CE_paper',
  'exports_embodied_mrio',
  'CM_paper',
  'imports_embodied_mrio',
  'CEP_paper',
  'outflows_embodied_mrio',
  'CMP_paper',
  'inflows_embodied_mrio',
  'unattributed_inflows_embodied_mrio',
  'NP_paper',
  'NP_gross_mrio',
  'net_interprovincial_mrio',
] as const;
export type ComparisonColumn = (typeof COMPARISON_COLUMNS)[number];

/** One numeric column of the comparison table. */
function comparisonColumn(t: Table, name: ComparisonColumn): number[] {
  const j = t.columns.indexOf(name);
  return t.rows.map((r) => Number(r[j]));
}

export function comparisonTable(m: ProvincialMrio, acc: MrioAccounts, paper: ModelResult): Table {
  const R = m.provinces.length;
  const W = R + 2;
  return {
    name: 'comparison',
    title: 'MRIO against the per-province model (Mt CO2)',
    columns: [...COMPARISON_COLUMNS],
    rows: m.provinces.map((p, r) => {
      const a = paper.provinces.find((q) => q.province === p);
      if (!a) throw new Error(`comparison: ${p} is not in the per-province results`);
      let net = 0;
      for (let s = 0; s < R; s++) if (s !== r) net += acc.bilateral[r * W + s]! - acc.bilateral[s * W + r]!;
      const out = acc.outflowEmbodied[r]!;
      const inn = acc.inflowEmbodied[r]!;
      return [
        p,
        a.CE,
        acc.exportsEmbodied[r]!,
        a.CM,
        acc.importsEmbodied[r]!,
        a.CEP,
        out,
        a.CMP,
        inn,
        acc.unattributedInflowEmbodied[r]!,
        a.NP,
        out - inn,
        net,
      ];
    }),
  };
}

/** The three interprovincial balances of `comparisonTable` per province, as a bar chart (SVG). */
export function comparisonSvg(t: Table, synthetic: boolean): string {
  const col = (name: ComparisonColumn): number[] => comparisonColumn(t, name);
  return barChartSvg(
    `Interprovincial CO2 balance: the study and the MRIO${synthetic ? ' (synthetic demo data)' : ''}`,
    t.rows.map((r) => String(r[0])),
    [
      { label: 'NP (study)', colour: '#ff7f0e', values: col('NP_paper') },
      { label: 'gross (MRIO)', colour: '#9467bd', values: col('NP_gross_mrio') },
      { label: 'net (MRIO)', colour: '#2ca02c', values: col('net_interprovincial_mrio') },
    ],
    'Mt CO2',
  );
}

/** report.md's section on the comparison: the three balances explained, their totals, the table. */
export function comparisonSection(t: Table): string {
  const col = (name: ComparisonColumn): number[] => comparisonColumn(t, name);
  const total = (name: ComparisonColumn): string =>
    formatDecimal(
      col(name).reduce((a, b) => a + b, 0),
      1,
    );
  // Σ|balance|/2: the CO2 that the balances move between provinces.
  const volume = (name: ComparisonColumn): string => formatDecimal(col(name).reduce((a, b) => a + Math.abs(b), 0) / 2, 1);
  return [
    `## ${t.title}`,
    '',
    "The per-province model (`embodied run`) values a province's exports and outflows with its own t^r, as if the inputs it " +
      'draws from other provinces were made with its own technology, and its inflows with t^N; the MRIO follows those inputs ' +
      'back to the provinces that made them. Also in comparison.csv; the three balances below are drawn in comparison.svg.',
    '',
    'Three interprovincial balances, from the study to the MRIO one step at a time:',
    '',
    "- `NP_paper` = CEP − CMP: gross outflows OF valued with the province's own t^r, gross inflows IF with t^N.",
    "- `NP_gross_mrio`: the same kind of gross balance over the MRIO's shipments (intermediate and final goods sent to " +
      'the other provinces, Z^{rs}1 + f^{rs}), each valued with the total intensities of the province that made it. ' +
      "It differs from `NP_paper` by the intensities — the study's t^r and t^N treat every input as made with one " +
      "technology, the MRIO's t follows inputs to the provinces that made them and carries nothing for inputs that come " +
      'in as foreign imports or as inflows that no province reports shipping (both outside the system) — and by those ' +
      'unattributed inflows themselves, which the study values and the MRIO does not ship ' +
      "(`unattributed_inflows_embodied_mrio`, valued with the destination's own t).",
    "- `net_interprovincial_mrio`: CO2 emitted in the province for the other provinces' final use minus the reverse. " +
      'A gross balance counts the CO2 in goods that cross several provincial borders on their way to final use at every ' +
      'crossing; this one counts each ton once, where it is emitted and where it is finally used.',
    '',
    `Over all provinces: Σ CEP_paper = ${total('CEP_paper')} Mt against Σ outflows_embodied_mrio = ${total('outflows_embodied_mrio')} Mt; ` +
      `Σ CMP_paper = ${total('CMP_paper')} Mt against Σ inflows_embodied_mrio = ${total('inflows_embodied_mrio')} Mt ` +
      `(+ ${total('unattributed_inflows_embodied_mrio')} Mt in unattributed inflows). The CO2 the balances move between provinces ` +
      `(Σ |balance| / 2): ${volume('NP_paper')} Mt in the study, ${volume('NP_gross_mrio')} Mt gross in the MRIO, ` +
      `${volume('net_interprovincial_mrio')} Mt net in the MRIO.`,
    '',
    markdownTable(t),
    '',
  ].join('\n');
}

export interface MrioCheck {
  name: string;
  what: string;
  value: number;
  ok: boolean;
  /** Shown but not required (the inventories under direct-intensity=rescaled-national). */
  informational?: boolean;
}

/** The checks of a run, each against a relative tolerance. */
export function mrioChecks(acc: MrioAccounts, tol = 1e-8): MrioCheck[] {
  return [
    {
      name: 'output identity',
      what: 'x = L (domestic final use + exports + unallocated), max |error| / max x',
      value: acc.checks.output,
      ok: acc.checks.output <= tol,
    },
    {
      name: 'bilateral rows',
      what: 'production = row sum of bilateral (destinations + exports + unallocated), relative',
      value: acc.checks.bilateralRows,
      ok: acc.checks.bilateralRows <= tol,
    },
    {
      name: 'total',
      what: 'Σ production = Σ consumption + Σ exports embodied + unallocated, relative',
      value: acc.checks.total,
      ok: acc.checks.total <= tol,
    },
    ...(acc.checks.condition === undefined
      ? []
      : [
          {
            name: 'condition',
            what: 'estimated 1-norm condition number of I − A: a solve may lose up to log10 of it in significant digits (above 1e8, more than half)',
            value: acc.checks.condition,
            ok: !conditionVerdict(acc.checks.condition).warning,
            informational: true,
          },
        ]),
  ];
}

export function sum(v: ArrayLike<number>): number {
  let s = 0;
  for (let i = 0; i < v.length; i++) s += v[i]!;
  return s;
}

/** CO2 (Mt) in the unallocated column (destination discrepancy and residual ρ). */
export function unallocated(acc: MrioAccounts): number {
  const R = acc.provinces.length;
  let s = 0;
  for (let r = 0; r < R; r++) s += acc.bilateral[r * (R + 2) + R + 1]!;
  return s;
}

export interface ReportContext {
  options: ModelOptions;
  balance: BalanceOption;
  dataNote: string;
  kernel: string;
  checks: MrioCheck[];
  sectorNames: ReadonlyMap<string, string>;
}

export function reportMarkdown(m: ProvincialMrio, acc: MrioAccounts, c: ReportContext): string {
  const R = m.provinces.length;
  const ns = m.sectors.length;
  const L: string[] = [];
  const totOF = sum(m.outflowTotal);
  const totIF = sum(m.inflowTotal);
  let rhoAbs = 0;
  let rhoNet = 0;
  for (const v of m.rho) {
    rhoAbs += Math.abs(v);
    rhoNet += v;
  }
  L.push("# Interprovincial MRIO: CO2 embodied in China's provincial trade", '');
  L.push(c.dataNote, '');
  L.push(`embodied ${VERSION}; ${R} provinces × ${ns} sectors (n = ${m.n}); ${c.kernel} kernel, ${acc.solver} solver.`, '');
  L.push(
    `Options: ${Object.entries(c.options)
      .map(([k, v]) => `${k}=${v}`)
      .join(', ')}, balance=${c.balance}.`,
    '',
  );
  L.push(
    "Model options that do not apply to the MRIO: `inflow-intensity` (inflows are endogenous here: their CO2 comes from the origin provinces' own technology through L). `aggregation=after` is run at 42 sectors like `none` (the province totals do not depend on a later aggregation).",
    '',
  );
  L.push('## Method', '');
  L.push(
    'Each provincial table (competitive imports) gives, for every product i used in province s, the domestic use ' +
      'D = Z1 + y + err and how it is supplied: foreign imports IM, inflows from other provinces IF, and the rest from local production. ' +
      '**Chenery–Moses**: every user in s (each industry and final use) takes product i in the same mix, m = IM/D, p = IF/D, l = 1 − m − p; ' +
      'and the inflow of i into s comes from the other provinces in proportion to their outflows OF of i. ' +
      'The MRIO flow from (r, i) to industry j in s is p^s_i σ^{rs}_i Z^s_ij (r ≠ s) and l^s_i Z^s_ij (r = s); final use is split with the same shares. ' +
      'Foreign exports EX stay with the exporting province as a final demand; foreign imports leave the system (their CO2 is estimated, not modelled). ' +
      "The destination's statistical discrepancy ERR is split the same way but booked as *unallocated*, not as anyone's consumption.",
    '',
  );
  L.push(
    '**Limits.** One supply mix per product and province for all users; origins by outflow size only (no distance, price or quality); ' +
      're-exports cannot be separated (where IM + IF exceed domestic use the local share is set to 0 and the shares rescaled: see the notes); ' +
      "imported inputs are assumed to carry the importing province's own intensity (`import-intensity=own`) or the national one; " +
      'the provincial tables are not consistent with the national table (their outputs sum to about 9 % more).',
    '',
  );
  L.push('## Outflows and inflows do not match', '');
  L.push(
    `Σ outflows OF = ${fmt(totOF / 1e4, 1)} × 10^8 CNY, Σ inflows IF = ${fmt(totIF / 1e4, 1)} × 10^8 CNY (difference ${fmt(((totOF - totIF) / (totIF || 1)) * 100, 2)} % of inflows). ` +
      "Under Chenery–Moses each province ships what the destinations' inflows attribute to it, which is not its own OF. " +
      (c.balance === 'scale'
        ? `With \`balance=scale\` (default), for every product whose total outflow is below its total inflow (κ = ΣOF/ΣIF < 1) only the fraction κ of each destination's inflow is attributed to origin provinces (Chenery–Moses shares unchanged); the rest is inflow that no province reports shipping and is treated like an import, outside the system: ${fmt(sum(m.unattributedInflow) / 1e4, 1)} × 10^8 CNY in all. Then the provinces' shipments of each product add up to their reported outflows; outputs stay the tables' GO, and a residual final-demand entry ρ = GO − (MRIO row total) per row takes the rest (province-level deviations from OF, products with κ > 1, clipped shares, ERR), booked as *unallocated*. `
        : c.balance === 'residual'
          ? "With `balance=residual` outputs stay the tables' GO and A keeps each province's technology; every row gets a residual final-demand entry ρ = GO − (MRIO row total), booked as *unallocated* with the ERR split: it carries the whole outflow/inflow mismatch (negative where the inflows attributed to a province exceed its outflows). "
          : 'With `balance=rows` the outputs are recomputed as the MRIO row sums, so the mismatch changes outputs and coefficients. ') +
      `Σ|ρ| = ${fmt(rhoAbs / 1e4, 1)} × 10^8 CNY (${fmt((rhoAbs / (totOF || 1)) * 100, 2)} % of Σ OF), Σρ = ${fmt(rhoNet / 1e4, 1)} × 10^8 CNY. ` +
      `CO2 behind the unallocated column: ${fmt(unallocated(acc), 2)} Mt of ${fmt(sum(acc.production), 1)} Mt produced.` +
      (c.balance === 'scale'
        ? ` CO2 in the unattributed inflows, estimated with each destination's own total intensities (not part of any account above): ${fmt(sum(acc.unattributedInflowEmbodied), 2)} Mt.`
        : ''),
    '',
  );
  // Numbers are formatted here (digits per column); by default the first column is text, the rest right-aligned.
  const table = (columns: string[], rows: string[][], right = columns.map((_, j) => j > 0)) =>
    markdownTable({ columns, rows }, { right, tight: true });
  L.push(
    table(
      ['sector', 'Σ OF (10^8 CNY)', 'Σ IF (10^8 CNY)', 'OF/IF', 'κ used'],
      m.sectors.map((code, i) => [
        `${code} ${c.sectorNames.get(code) ?? ''}`,
        fmt(m.outflowTotal[i]! / 1e4, 1),
        fmt(m.inflowTotal[i]! / 1e4, 1),
        m.inflowTotal[i] ? fmt(m.outflowTotal[i]! / m.inflowTotal[i]!, 3) : '',
        fmt(m.kappa[i]!, 3),
      ]),
    ),
  );
  L.push('');
  L.push('## Checks', '');
  L.push(
    table(
      ['check', 'what', 'value', 'ok'],
      c.checks.map((k) => [
        k.name,
        k.what,
        k.value.toExponential(2),
        k.informational ? `${k.ok ? 'yes' : 'no'} (not required)` : k.ok ? 'yes' : '**no**',
      ]),
      [false, false, true, false],
    ),
  );
  L.push('');
  L.push('## CO2 by province (Mt)', '');
  L.push(
    'production: emitted in the province; consumption: emitted anywhere in China for its domestic final use; exports/imports embodied: for its foreign exports (emitted anywhere in China) / in its foreign imports (estimated).',
    '',
  );
  const byProvince = [acc.production, acc.consumption, acc.exportsEmbodied, acc.importsEmbodied];
  L.push(
    table(
      ['province', 'production', 'consumption', 'exports embodied', 'imports embodied', 'production − consumption'],
      m.provinces.map((p, r) => [p, ...byProvince.map((v) => fmt(v[r]!, 2)), fmt(acc.production[r]! - acc.consumption[r]!, 2)]),
    ),
  );
  // The total row leaves the difference column blank (written "| |", as it always has been).
  L.push(`| **total** | ${byProvince.map((v) => fmt(sum(v), 2)).join(' | ')} | |`, '');
  // The largest interprovincial transfers: CO2 emitted in r for final use in s ≠ r.
  const pairs: [number, number, number][] = [];
  for (let r = 0; r < R; r++) for (let s = 0; s < R; s++) if (r !== s) pairs.push([r, s, acc.bilateral[r * (R + 2) + s]!]);
  pairs.sort((a, b) => b[2] - a[2]);
  L.push('## Largest interprovincial transfers (Mt)', '', 'CO2 emitted in the origin for final use in the destination.', '');
  L.push(
    table(
      ['origin', 'destination', 'Mt'],
      pairs.slice(0, 15).map(([r, s, v]) => [m.provinces[r]!, m.provinces[s]!, fmt(v, 2)]),
      [false, false, true],
    ),
  );
  L.push('');
  L.push('The full origin × destination matrix is in bilateral.csv.', '');
  if (m.notes.length) {
    L.push('## Notes', '');
    for (const n of m.notes.slice(0, 50)) L.push(`- ${n}`);
    if (m.notes.length > 50) L.push(`- … and ${m.notes.length - 50} more (run.json has them all)`);
    L.push('');
  }
  return L.join('\n');
}
