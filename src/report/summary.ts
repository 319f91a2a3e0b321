/** The few lines `embodied run` prints on the terminal. */
import type { ModelResult } from '../model/pipeline.js';

export function terminalSummary(r: ModelResult, dataNote: string, outDir: string, timings: Record<string, number>): string {
  const fmt = (v: number) => `${v >= 0 ? '+' : ''}${v.toFixed(1)}`;
  const ranked = (key: 'N' | 'NP') => [...r.provinces].sort((a, b) => b[key] - a[key]).map((p) => `${p.province} ${fmt(p[key])}`);
  const top = (key: 'N' | 'NP') => {
    const all = ranked(key);
    return `${all.slice(0, 3).join(', ')} … ${all.slice(-2).join(', ')}`;
  };
  const classes = (['I', 'II', 'III', 'IV'] as const).map((c) => `${c}: ${r.provinces.filter((p) => p.class === c).length}`);
  const sum = (k: 'N' | 'NP') => r.provinces.reduce((s, p) => s + p[k], 0);
  const lines = [
    dataNote.replace(/\*\*/g, ''),
    `${r.provinces.length} provinces, options: ${Object.entries(r.options)
      .map(([k, v]) => `${k}=${v}`)
      .join(' ')}`,
    `N  (foreign, Mt CO2):         ${top('N')}; all provinces ${fmt(sum('N'))}`,
    `NP (interprovincial, Mt CO2): ${top('NP')}; all provinces ${fmt(sum('NP'))}`,
    `classes ${classes.join(', ')}`,
    `checks: ${r.checks.map((c) => `${c.name} ${c.ok ? 'ok' : 'FAILED'}`).join('; ')}`,
    `wrote ${outDir}/ (provinces.csv, np_by_group.csv, n_by_group.csv, n_by_region_group.csv, sectors.csv, profiles.csv, balances.svg, report.md, run.json) in ${timings.total.toFixed(0)} ms`,
  ];
  return `${lines.join('\n')}\n`;
}
