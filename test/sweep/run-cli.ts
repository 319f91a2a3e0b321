/** Runs `embodied sweep …` in a child process (the kill-and-resume test spawns this). */
import { sweepMain } from '../../src/cli/sweep.js';

sweepMain(process.argv.slice(2)).catch((err: unknown) => {
  process.stderr.write(`embodied: ${err instanceof Error ? err.message : String(err)}\n`);
  process.exitCode = 1;
});
