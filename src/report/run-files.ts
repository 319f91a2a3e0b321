/** Every file `embodied run` writes except run.json, rendered from a model result (pure). */
import { REGIONS, type BundledData } from '../data/parse.js';
import type { ModelResult } from '../model/pipeline.js';
import { tableCsv } from '../output/csv.js';
import type { OutputKind } from '../output/folder.js';
import { barChartSvg } from './chart.js';
import { reportMarkdown } from './markdown.js';
import { resultTables, type ReportContext } from './tables.js';

/** The folder `embodied run` writes: these files and its run.json. */
export const RUN_OUTPUT: OutputKind = {
  commands: ['run'],
  files: /^(?:(?:provinces|np_by_group|n_by_group|n_by_region_group|sectors|profiles)\.csv|balances\.svg|report\.md|run\.json)$/,
};

export interface RunReportInfo {
  /** What data this is, one sentence (says so when it is synthetic). */
  dataNote: string;
  synthetic: boolean;
  version: string;
}

export function runReportFiles(result: ModelResult, data: BundledData, info: RunReportInfo): Map<string, string> {
  const ctx: ReportContext = { provinces: data.provinces, regions: REGIONS, sectorNames: result.levels.reportNames };
  const tables = resultTables(result, ctx);
  const files = new Map<string, string>(tables.map((t) => [`${t.name}.csv`, tableCsv(t)]));
  files.set(
    'balances.svg',
    barChartSvg(
      `Net carbon embodied in trade by province${info.synthetic ? ' (synthetic demo data)' : ''}`,
      result.provinces.map((p) => p.province),
      [
        { label: 'N (foreign)', colour: '#1f77b4', values: result.provinces.map((p) => p.N) },
        { label: 'NP (interprovincial)', colour: '#ff7f0e', values: result.provinces.map((p) => p.NP) },
      ],
      'Mt CO2',
    ),
  );
  files.set(
    'report.md',
    reportMarkdown(
      {
        title: 'Carbon embodied in provincial foreign and interprovincial trade',
        dataNote: info.dataNote,
        version: info.version,
        options: result.options,
        checks: result.checks,
        profileProvinces: ['Zhejiang', 'Guizhou'],
        charts: [['balances.svg', 'N and NP by province']],
      },
      tables,
    ),
  );
  return files;
}
