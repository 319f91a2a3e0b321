#!/usr/bin/env node
/** The `embodied` command line: one file per command in this folder, each exporting `register`. */
import { Command } from 'commander';
import { VERSION } from '../version.js';

// A reader that stops early (`embodied … | head -1`) closes stdout: end quietly, as shell tools do.
process.stdout.on('error', (err: NodeJS.ErrnoException) => {
  if (err.code !== 'EPIPE') throw err;
  process.exit(process.exitCode ?? 0);
});

const program = new Command('embodied')
  .description('Carbon embodied in trade: environmentally extended input-output analysis with a WebAssembly kernel')
  .version(VERSION);

const commands = await Promise.all([
  import('./run.js'),
  import('./sweep.js'),
  import('./mrio.js'),
  import('./spa.js'),
  import('./demo.js'),
  import('./bench.js'),
  import('./serve.js'),
]);
for (const c of commands) c.register(program);

await program.parseAsync(process.argv).catch((err: unknown) => {
  process.stderr.write(`embodied: ${err instanceof Error ? err.message : String(err)}\n`);
  process.exitCode = 1;
});
