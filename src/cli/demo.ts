/** `embodied demo`: writes the synthetic demo dataset as files in the real sources' layouts. */
import type { Command } from 'commander';
import { writeDemoFiles } from '../demo/files.js';

export function register(program: Command): void {
  program
    .command('demo')
    .description('write the synthetic demo dataset as files in the layouts of the real tables (to see or try the readers)')
    .requiredOption('-o, --out <dir>', 'folder to write into')
    .option('--seed <n>', 'seed of the generator', (v) => Number.parseInt(v, 10), 2017)
    .action((flags: { out: string; seed: number }) => {
      const files = writeDemoFiles(flags.out, { seed: flags.seed });
      process.stdout.write(
        `wrote synthetic demo data (seed ${flags.seed}) to ${flags.out}: ${files.provinces.length} provincial tables, ` +
          `the national table and the emission inventory; run it with\n` +
          `  embodied run --provincial ${flags.out}/cn-io-2017/provinces --national ${files.national} --emissions ${files.emissions}\n`,
      );
    });
}
