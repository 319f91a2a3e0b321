/** `embodied demo`: writes the synthetic demo dataset as files in the real sources' layouts. */
import { writeFile } from 'node:fs/promises';
import { join, relative } from 'node:path';
import type { Command } from 'commander';
import { writeDemoFiles } from '../demo/files.js';
import { writeOutputFolder, type OutputKind } from '../output/folder.js';
import { VERSION } from '../version.js';

/** The folder `embodied demo` writes: the dataset's files, README.txt, and run.json to recognise it by. */
export const DEMO_OUTPUT: OutputKind = {
  commands: ['demo'],
  files:
    /^(?:run\.json|README\.txt|cn-io-2017\/provinces\/\d\d-[^/]+\.csv|cn-io-2017\/national\/china_2017_42\.csv|ceads-2017\/[^/]+\.xlsx)$/,
};

export function register(program: Command): void {
  program
    .command('demo')
    .description('write the synthetic demo dataset as files in the layouts of the real tables (to see or try the readers)')
    .requiredOption('-o, --out <dir>', 'folder to write (new, empty, or an earlier demo output, which is replaced)')
    .option('--seed <n>', 'seed of the generator', (v) => Number.parseInt(v, 10), 2017)
    .action(async (flags: { out: string; seed: number }) => {
      let shown: { provinces: number; national: string; emissions: string } | undefined;
      await writeOutputFolder({ out: flags.out, kind: DEMO_OUTPUT }, async (tmp) => {
        const files = writeDemoFiles(tmp, { seed: flags.seed });
        await writeFile(
          join(tmp, 'run.json'),
          `${JSON.stringify({ tool: 'embodied', command: 'demo', version: VERSION, seed: flags.seed, synthetic: true }, null, 2)}\n`,
        );
        const at = (p: string) => join(flags.out, relative(tmp, p));
        shown = { provinces: files.provinces.length, national: at(files.national), emissions: at(files.emissions) };
      });
      process.stdout.write(
        `wrote synthetic demo data (seed ${flags.seed}) to ${flags.out}: ${shown!.provinces} provincial tables, ` +
          `the national table and the emission inventory; run it with\n` +
          `  embodied run --provincial ${join(flags.out, 'cn-io-2017', 'provinces')} --national ${shown!.national} --emissions ${shown!.emissions}\n`,
      );
    });
}
