/** `embodied mrio --provincial`: not wired yet (the provincial MRIO builder is in progress). */
import type { MrioFlags, MrioRunSummary } from '../cli/mrio.js';

export async function runProvincialCommand(flags: MrioFlags): Promise<MrioRunSummary> {
  throw new Error(`embodied mrio --provincial ${flags.provincial ?? ''}: not implemented yet`);
}
