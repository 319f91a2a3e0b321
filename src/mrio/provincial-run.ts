/**
 * `embodied mrio --provincial DIR --national FILE --emissions FILE [--option k=v ...] --out DIR`:
 * reads the provincial tables, the national table and the inventories (as `embodied run` does),
 * takes the direct intensities d^r from the model (src/model/intensities.ts, with the model's
 * options), builds the interprovincial MRIO (src/mrio/provincial.ts), solves it through the
 * kernel and writes, atomically:
 *   bilateral.csv   origin × destination, Mt CO2 emitted in the origin for final use in the
 *                   destination; two more columns: foreign exports, unallocated (discrepancy and
 *                   outflow/inflow residual)
 *   footprints.csv  province,production,consumption,exports_embodied,imports_embodied (Mt)
 *   report.md       the assumption, its limits, the mismatch and how it is handled, checks, tables
 *   run.json        inputs, options, checks, timings
 * With `--demo` instead of data paths it runs on the embedded synthetic dataset.
 */
import { writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { stringify } from 'csv-stringify/sync';
import type { MrioFlags, MrioRunSummary } from '../cli/mrio.js';
import { loadInputs, type DataPaths } from '../cli/inputs.js';
import { bundledData } from '../data/index.js';
import { aggregateTable } from '../model/aggregation.js';
import { calcA } from '../model/coefficients.js';
import { directIntensities } from '../model/intensities.js';
import { DEFAULT_OPTIONS, parseOptionArgs, type ModelOptions } from '../model/options.js';
import { referenceDataOf } from '../model/reference.js';
import { VERSION } from '../version.js';
import { writeDirAtomic } from './atomic.js';
import { getKernel } from './kernel.js';
import { buildProvincialMrio, mrioAccounts, type BalanceOption, type MrioAccounts, type ProvincialMrio } from './provincial.js';

/** Options of the MRIO itself (the rest of --option goes to the model's options). */
export const MRIO_OPTION_VALUES = { balance: ['scale', 'residual', 'rows'] } as const;

export interface ProvincialRunFlags extends MrioFlags {
  demo?: boolean;
}

function splitOptions(args: readonly string[]): { model: ModelOptions; balance: BalanceOption } {
  let balance: BalanceOption = 'scale';
  const rest: string[] = [];
  for (const a of args) {
    const [k, v] = a.split('=', 2).map((s) => s.trim());
    if (k === 'balance') {
      if (!MRIO_OPTION_VALUES.balance.includes(v as BalanceOption)) throw new Error(`--option balance=${v}: choose from ${MRIO_OPTION_VALUES.balance.join(', ')}`);
      balance = v as BalanceOption;
    } else rest.push(a);
  }
  return { model: parseOptionArgs(rest, DEFAULT_OPTIONS), balance };
}

const fmt = (v: number, d = 3): string => (Number.isFinite(v) ? v.toFixed(d) : '');

export async function runProvincialCommand(flags: ProvincialRunFlags): Promise<MrioRunSummary> {
  const t0 = performance.now();
  const out = flags.out!;
  const { model: options, balance } = splitOptions(flags.option ?? []);
  const paths: DataPaths = flags.demo
    ? {}
    : {
        ...(flags.provincial !== undefined ? { provincial: flags.provincial } : {}),
        ...(flags.national !== undefined ? { national: flags.national } : {}),
        ...(flags.emissions !== undefined ? { emissions: flags.emissions } : {}),
        ...(flags.energy !== undefined ? { energy: flags.energy } : {}),
      };
  const loaded = loadInputs(paths);
  const data = bundledData();
  const ref = referenceDataOf(data);
  const kernel = await getKernel(flags.kernel ?? 'auto');
  const t1 = performance.now();

  const before = options.aggregation === 'before';
  const { provinces, national, sources } = loaded.inputs;
  const tables = before ? provinces.map((t) => aggregateTable(t, ref.to30)) : provinces;
  const nationalM = before ? aggregateTable(national, ref.to30) : national;
  const intens = directIntensities(provinces, national, sources, ref.concordance, options, before ? ref.to30 : undefined, ref.hasInventory);
  const ns = nationalM.sectors.length;
  const tNational = kernel.solve(calcA(nationalM.Z, nationalM.x), ns, intens.dNational, { leontief: true, transposed: true });

  const m = buildProvincialMrio(tables, { balance });
  const acc = mrioAccounts(m, intens.d, kernel, {
    solver: flags.solver ?? 'dense',
    tNational,
    importIntensity: options['import-intensity'],
    ...(flags.tol !== undefined ? { tol: flags.tol } : {}),
  });
  const t2 = performance.now();

  const tol = 1e-8;
  const checks = [
    { name: 'output identity', what: 'x = L (domestic final use + exports + unallocated), max |error| / max x', value: acc.checks.output, ok: acc.checks.output <= tol },
    { name: 'bilateral rows', what: 'production = row sum of bilateral (destinations + exports + unallocated), relative', value: acc.checks.bilateralRows, ok: acc.checks.bilateralRows <= tol },
    { name: 'total', what: 'Σ production = Σ consumption + Σ exports embodied + unallocated, relative', value: acc.checks.total, ok: acc.checks.total <= tol },
  ];
  const R = m.provinces.length;
  const W = R + 2;
  const bilateralCsv = stringify([
    ['origin', ...m.provinces, 'foreign_exports', 'unallocated'],
    ...m.provinces.map((p, r) => [p, ...Array.from(acc.bilateral.subarray(r * W, (r + 1) * W), (v) => String(v))]),
  ]);
  const footprintsCsv = stringify([
    ['province', 'production', 'consumption', 'exports_embodied', 'imports_embodied'],
    ...m.provinces.map((p, r) => [p, acc.production[r], acc.consumption[r], acc.exportsEmbodied[r], acc.importsEmbodied[r]].map(String)),
  ]);
  const report = reportMarkdown(m, acc, {
    options,
    balance,
    dataNote: loaded.dataNote,
    kernel: kernel.name,
    checks,
    sectorNames: new Map((before ? data.sectors30 : data.sectors42).map((s) => [s.code, s.en])),
  });
  const t3 = performance.now();
  const run = {
    tool: 'embodied',
    version: VERSION,
    command: 'mrio --provincial',
    created: new Date().toISOString(),
    data: loaded.data,
    synthetic: loaded.data === 'demo',
    inputs: loaded.files,
    options: { ...options, balance },
    provinces: R,
    sectors: m.sectors.length,
    n: m.n,
    kernel: kernel.name,
    solver: acc.solver,
    iterations: acc.iterations,
    checks,
    notes: m.notes,
    totals_Mt: {
      production: sum(acc.production),
      consumption: sum(acc.consumption),
      exports_embodied: sum(acc.exportsEmbodied),
      imports_embodied: sum(acc.importsEmbodied),
      unallocated: unallocated(acc, R),
    },
    timings_ms: { read: t1 - t0, model: t2 - t1, report: t3 - t2, total: t3 - t0 },
  };
  await writeDirAtomic(out, async (tmp) => {
    await writeFile(join(tmp, 'bilateral.csv'), bilateralCsv);
    await writeFile(join(tmp, 'footprints.csv'), footprintsCsv);
    await writeFile(join(tmp, 'report.md'), report);
    await writeFile(join(tmp, 'run.json'), JSON.stringify(run, null, 2) + '\n');
  });
  if (!flags.quiet) {
    process.stderr.write(
      `embodied mrio: ${R} provinces × ${m.sectors.length} sectors (n = ${m.n}), ${kernel.name} kernel, ${acc.solver} solver; ` +
        `production ${fmt(run.totals_Mt.production, 1)} Mt, unallocated ${fmt(run.totals_Mt.unallocated, 1)} Mt; checks ${checks.every((c) => c.ok) ? 'ok' : 'FAILED'}; written to ${out}\n`,
    );
  }
  const failed = checks.filter((c) => !c.ok);
  if (failed.length) throw new Error(`check(s) failed: ${failed.map((c) => `${c.name} (${c.value})`).join(', ')}; results written to ${out} for inspection`);
  return { mode: 'provincial', out, run };
}

function sum(v: ArrayLike<number>): number {
  let s = 0;
  for (let i = 0; i < v.length; i++) s += v[i]!;
  return s;
}

function unallocated(acc: MrioAccounts, R: number): number {
  let s = 0;
  for (let r = 0; r < R; r++) s += acc.bilateral[r * (R + 2) + R + 1]!;
  return s;
}

interface ReportContext {
  options: ModelOptions;
  balance: BalanceOption;
  dataNote: string;
  kernel: string;
  checks: { name: string; what: string; value: number; ok: boolean }[];
  sectorNames: Map<string, string>;
}

function reportMarkdown(m: ProvincialMrio, acc: MrioAccounts, c: ReportContext): string {
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
  L.push('# Interprovincial MRIO: CO2 embodied in China\'s provincial trade', '');
  L.push(c.dataNote, '');
  L.push(`embodied ${VERSION}; ${R} provinces × ${ns} sectors (n = ${m.n}); ${c.kernel} kernel, ${acc.solver} solver.`, '');
  L.push(`Options: ${Object.entries(c.options).map(([k, v]) => `${k}=${v}`).join(', ')}, balance=${c.balance}.`, '');
  L.push('Model options that do not apply to the MRIO: `inflow-intensity` (inflows are endogenous here: their CO2 comes from the origin provinces\' own technology through L). `aggregation=after` is run at 42 sectors like `none` (the province totals do not depend on a later aggregation).', '');
  L.push('## Method', '');
  L.push(
    'Each provincial table (competitive imports) gives, for every product i used in province s, the domestic use ' +
      'D = Z1 + y + err and how it is supplied: foreign imports IM, inflows from other provinces IF, and the rest from local production. ' +
      '**Chenery–Moses**: every user in s (each industry and final use) takes product i in the same mix, m = IM/D, p = IF/D, l = 1 − m − p; ' +
      'and the inflow of i into s comes from the other provinces in proportion to their outflows OF of i. ' +
      'The MRIO flow from (r, i) to industry j in s is p^s_i σ^{rs}_i Z^s_ij (r ≠ s) and l^s_i Z^s_ij (r = s); final use is split with the same shares. ' +
      'Foreign exports EX stay with the exporting province as a final demand; foreign imports leave the system (their CO2 is estimated, not modelled). ' +
      'The destination\'s statistical discrepancy ERR is split the same way but booked as *unallocated*, not as anyone\'s consumption.',
    '',
  );
  L.push('**Limits.** One supply mix per product and province for all users; origins by outflow size only (no distance, price or quality); ' +
    're-exports cannot be separated (where IM + IF exceed domestic use the local share is set to 0 and the shares rescaled: see the notes); ' +
    'imported inputs are assumed to carry the importing province\'s own intensity (`import-intensity=own`) or the national one; ' +
    'the provincial tables are not consistent with the national table (their outputs sum to about 9 % more).', '');
  L.push('## Outflows and inflows do not match', '');
  L.push(
    `Σ outflows OF = ${fmt(totOF / 1e4, 1)} × 10^8 CNY, Σ inflows IF = ${fmt(totIF / 1e4, 1)} × 10^8 CNY (difference ${fmt(((totOF - totIF) / (totIF || 1)) * 100, 2)} % of inflows). ` +
      'Under Chenery–Moses each province ships what the destinations\' inflows attribute to it, which is not its own OF. ' +
      (c.balance === 'scale'
        ? `With \`balance=scale\` (default), for every product whose total outflow is below its total inflow (κ = ΣOF/ΣIF < 1) only the fraction κ of each destination's inflow is attributed to origin provinces (Chenery–Moses shares unchanged); the rest is inflow that no province reports shipping and is treated like an import, outside the system: ${fmt(sum(m.unattributedInflow) / 1e4, 1)} × 10^8 CNY in all. Then the provinces' shipments of each product add up to their reported outflows; outputs stay the tables' GO, and a residual final-demand entry ρ = GO − (MRIO row total) per row takes the rest (province-level deviations from OF, products with κ > 1, clipped shares, ERR), booked as *unallocated*. `
        : c.balance === 'residual'
          ? 'With `balance=residual` outputs stay the tables\' GO and A keeps each province\'s technology; every row gets a residual final-demand entry ρ = GO − (MRIO row total), booked as *unallocated* with the ERR split: it carries the whole outflow/inflow mismatch (negative where the inflows attributed to a province exceed its outflows). '
          : 'With `balance=rows` the outputs are recomputed as the MRIO row sums, so the mismatch changes outputs and coefficients. ') +
      `Σ|ρ| = ${fmt(rhoAbs / 1e4, 1)} × 10^8 CNY (${fmt((rhoAbs / (totOF || 1)) * 100, 2)} % of Σ OF), Σρ = ${fmt(rhoNet / 1e4, 1)} × 10^8 CNY. ` +
      `CO2 behind the unallocated column: ${fmt(unallocated(acc, R), 2)} Mt of ${fmt(sum(acc.production), 1)} Mt produced.`,
    '',
  );
  L.push('| sector | Σ OF (10^8 CNY) | Σ IF (10^8 CNY) | OF/IF | κ used |', '|---|---:|---:|---:|---:|');
  for (let i = 0; i < ns; i++) {
    const code = m.sectors[i]!;
    L.push(`| ${code} ${c.sectorNames.get(code) ?? ''} | ${fmt(m.outflowTotal[i]! / 1e4, 1)} | ${fmt(m.inflowTotal[i]! / 1e4, 1)} | ${m.inflowTotal[i] ? fmt(m.outflowTotal[i]! / m.inflowTotal[i]!, 3) : ''} | ${fmt(m.kappa[i]!, 3)} |`);
  }
  L.push('');
  L.push('## Checks', '', '| check | what | value | ok |', '|---|---|---:|---|');
  for (const k of c.checks) L.push(`| ${k.name} | ${k.what} | ${k.value.toExponential(2)} | ${k.ok ? 'yes' : '**no**'} |`);
  L.push('');
  L.push('## CO2 by province (Mt)', '');
  L.push('production: emitted in the province; consumption: emitted anywhere in China for its domestic final use; exports/imports embodied: for its foreign exports (emitted anywhere in China) / in its foreign imports (estimated).', '');
  L.push('| province | production | consumption | exports embodied | imports embodied | production − consumption |', '|---|---:|---:|---:|---:|---:|');
  for (let r = 0; r < R; r++) {
    L.push(`| ${m.provinces[r]} | ${fmt(acc.production[r]!, 2)} | ${fmt(acc.consumption[r]!, 2)} | ${fmt(acc.exportsEmbodied[r]!, 2)} | ${fmt(acc.importsEmbodied[r]!, 2)} | ${fmt(acc.production[r]! - acc.consumption[r]!, 2)} |`);
  }
  L.push(`| **total** | ${fmt(sum(acc.production), 2)} | ${fmt(sum(acc.consumption), 2)} | ${fmt(sum(acc.exportsEmbodied), 2)} | ${fmt(sum(acc.importsEmbodied), 2)} | |`, '');
  L.push('The full origin × destination matrix is in bilateral.csv.', '');
  if (m.notes.length) {
    L.push('## Notes', '');
    for (const n of m.notes.slice(0, 50)) L.push(`- ${n}`);
    if (m.notes.length > 50) L.push(`- … and ${m.notes.length - 50} more (run.json has them all)`);
    L.push('');
  }
  return L.join('\n');
}
