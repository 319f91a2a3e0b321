/** report.md: the result tables, readable, with the run's options and checks. */
import type { Check } from '../model/checks.js';
import type { ModelOptions } from '../model/options.js';
import { markdownTable } from '../output/markdown.js';
import type { Table } from './tables.js';

export interface ReportHeader {
  title: string;
  /** A line saying what data this is (e.g. that the demo dataset is synthetic). */
  dataNote: string;
  version: string;
  options: ModelOptions;
  checks: Check[];
  /** Provinces whose profiles are shown side by side. */
  profileProvinces: string[];
  /** Charts written beside the report, as [file, caption]. */
  charts: [string, string][];
}

export function reportMarkdown(h: ReportHeader, tables: Table[]): string {
  const byName = new Map(tables.map((t) => [t.name, t]));
  const section = (name: string) => {
    const t = byName.get(name)!;
    return `## ${t.title}\n\n${markdownTable(t)}\n`;
  };
  const profiles = byName.get('profiles')!;
  const profileSections = h.profileProvinces
    .filter((p) => profiles.rows.some((r) => r[0] === p))
    .map(
      (p) =>
        `### ${p}\n\n${markdownTable({ columns: profiles.columns.slice(1), rows: profiles.rows.filter((r) => r[0] === p).map((r) => r.slice(1)) })}\n`,
    );
  return [
    `# ${h.title}\n`,
    `${h.dataNote}\n`,
    `embodied ${h.version}. Units: CO2 in Mt, trade in 10^4 CNY; shares in %. N = CE − CM (foreign), NP = CEP − CMP (interprovincial), T = N + NP; classes I (N>0, NP>0), II (N<0, NP>0), III (N<0, NP<0), IV (N>0, NP<0).\n`,
    `## Options\n\n${markdownTable({ columns: ['option', 'value'], rows: Object.entries(h.options) })}\n`,
    `## Checks\n\n${markdownTable({ columns: ['check', 'result', 'detail'], rows: h.checks.map((c) => [c.name, c.ok ? 'ok' : 'FAILED', c.detail]) })}\n`,
    ...h.charts.map(([file, caption]) => `![${caption}](${file})\n`),
    section('provinces'),
    section('np_by_group'),
    section('n_by_group'),
    section('n_by_region_group'),
    `## Province profiles by sector group\n\n${profileSections.join('\n')}`,
    'Per-sector results for every province are in sectors.csv.\n',
  ].join('\n');
}
