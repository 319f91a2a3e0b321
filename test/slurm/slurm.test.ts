/**
 * The Slurm path as src/sweep/README.md documents it, on a real cluster (test/slurm/ensure-slurm.sh
 * starts a one-node one; .ci/run calls it): src/sweep/jobs/slurm.sbatch as an array job of 4 tasks
 * and a dependent merge give the unsharded run's files, byte for byte; a task cancelled mid-run
 * with scancel and resubmitted alone resumes from its checkpoint, and the merge is again identical.
 * Uses the built CLI (dist/), put on the jobs' PATH as `embodied`.
 */
import { execFileSync, spawnSync } from 'node:child_process';
import { chmodSync, mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { parseAllDocuments } from 'yaml';
import { readManifest } from '../../src/sweep/checkpoint.js';
import { expectSameFiles } from '../sweep/same-files.js';

const repo = join(__dirname, '../..');
const SBATCH = join(repo, 'src/sweep/jobs/slurm.sbatch');
const K8S = join(repo, 'src/sweep/jobs/k8s-indexed-job.yaml');
const CLI = join(repo, 'dist/src/cli/main.js');

/** Why the test cannot run here, or undefined when a Slurm node is up. */
function unavailable(): string | undefined {
  const r = spawnSync('sinfo', ['-h', '-N', '-o', '%T'], { encoding: 'utf8', timeout: 10_000 });
  const start = 'start one with: bash test/slurm/ensure-slurm.sh';
  if (r.error)
    return `${(r.error as NodeJS.ErrnoException).code === 'ENOENT' ? 'no Slurm on this machine' : 'no Slurm cluster answers'} (sinfo: ${r.error.message}); ${start}`;
  if (r.status !== 0) return `no Slurm cluster answers (sinfo: ${r.stderr.trim()}); ${start}`;
  if (!/^(idle|mixed|allocated|completing)/m.test(r.stdout)) return `no Slurm node is up (sinfo: ${r.stdout.trim()}); ${start}`;
  return undefined;
}
const skip = unavailable();
if (skip) console.warn(`Slurm tests skipped: ${skip}`);

// Demo data; 60 chunks of 200 draws through the refactor path, 15 per shard: a task runs a few
// seconds, long enough to be cancelled between two chunks.
const SPEC = `seed: 14
draws: 12000
chunkSize: 200
montecarlo:
  - target: A
    per: column
    distribution: { type: lognormal, sdlog: 0.05 }
`;
const PER_SHARD = 15;

describe.skipIf(skip)(`Slurm array job${skip ? ` (skipped: ${skip})` : ''}`, () => {
  const root = mkdtempSync(join(tmpdir(), 'slurm-test-'));
  const jobs: string[] = [];
  afterAll(() => {
    if (jobs.length) spawnSync('scancel', jobs); // anything left by a failed test; finished jobs are ignored
    rmSync(root, { recursive: true, force: true });
  });

  const bin = join(root, 'bin');
  mkdirSync(bin);
  writeFileSync(join(bin, 'embodied'), `#!/bin/sh\nexec '${process.execPath}' '${CLI}' "$@"\n`);
  chmodSync(join(bin, 'embodied'), 0o755);
  const env = { ...process.env, PATH: `${bin}:${process.env.PATH}` };
  const spec = join(root, 'sweep.yaml');
  writeFileSync(spec, SPEC);

  /** sbatch in root (so the jobs' logs land there), the jobs see `embodied` on their PATH; returns the job id. */
  function sbatch(...args: string[]): string {
    const id = execFileSync('sbatch', ['--parsable', ...args], { cwd: root, env, encoding: 'utf8' }).trim();
    jobs.push(id);
    return id;
  }
  function merge(out: string, after: string): string {
    return sbatch(
      `--dependency=afterok:${after}`,
      '--output=merge-%j.log',
      '--wrap',
      `embodied sweep merge --out ${out}/all ${out}/shard-*`,
    );
  }
  /** squeue's view of a job (every task of an array), or '' once it left the queue. */
  const queued = (id: string, format = '%T') =>
    spawnSync('squeue', ['-h', '-j', id, '-o', format], { encoding: 'utf8' }).stdout?.trim() ?? '';
  /** Final states of a job's tasks in task order, e.g. ['COMPLETED 0:0', …], from the controller (no accounting needed). */
  const states = (id: string) =>
    execFileSync('scontrol', ['-o', 'show', 'job', id], { encoding: 'utf8' })
      .trim()
      .split('\n')
      .map((l) => ({
        task: Number(/ArrayTaskId=(\d+)/.exec(l)?.[1] ?? 0),
        state: `${/JobState=(\S+)/.exec(l)?.[1]} ${/ExitCode=(\S+)/.exec(l)?.[1]}`,
      }))
      .sort((a, b) => a.task - b.task)
      .map((t) => t.state);
  const logs = () => execFileSync('sh', ['-c', 'tail -n 20 *.log 2>/dev/null || true'], { cwd: root, encoding: 'utf8' });
  async function until(what: string, cond: () => boolean, ms = 150_000) {
    const t0 = Date.now();
    while (!cond()) {
      if (Date.now() - t0 > ms) throw new Error(`timed out waiting for ${what}; squeue: ${queued('', '%i %T %r')}\n${logs()}`);
      await new Promise((r) => setTimeout(r, 100));
    }
  }
  const chunksDone = (dir: string) => {
    try {
      return readManifest(dir)?.completed.length ?? 0;
    } catch {
      return 0; // not written yet
    }
  };

  const ref = join(root, 'unsharded');
  beforeAll(() => {
    execFileSync(process.execPath, [CLI, 'sweep', 'run', spec, '--out', ref, '-w', '1', '--no-progress', '-q']);
  });

  it('4 array tasks and the dependent merge give the unsharded run, byte for byte', async () => {
    const out = join(root, 'sharded');
    const array = sbatch('--array=0-3', SBATCH, spec, out);
    const m = merge(out, array);
    await until(`merge job ${m}`, () => queued(m) === '');
    expect(states(array), logs()).toEqual(Array(4).fill('COMPLETED 0:0'));
    expect(states(m), logs()).toEqual(['COMPLETED 0:0']);
    for (let k = 0; k < 4; k++)
      expect(readManifest(join(out, `shard-${k}`))!.shard).toMatchObject({
        index: k,
        count: 4,
        first: k * PER_SHARD,
        end: (k + 1) * PER_SHARD,
      });
    expectSameFiles(ref, join(out, 'all'));
  }, 180_000);

  it('a task cancelled mid-run and resubmitted alone resumes, and the merge is still identical', async () => {
    const out = join(root, 'cancelled');
    const shard1 = join(out, 'shard-1');
    const array = sbatch('--array=0-3', SBATCH, spec, out);
    const m = merge(out, array);
    await until('task 1 to finish 2 chunks', () => chunksDone(shard1) >= 2);
    execFileSync('scancel', [`${array}_1`]);
    await until(`array job ${array}`, () => queued(array) === '');
    expect(states(array)[1]).toMatch(/^CANCELLED/);
    const done = chunksDone(shard1);
    expect(done, 'task 1 finished before scancel reached it: make the spec slower').toBeLessThan(PER_SHARD);
    // afterok cannot be met any more: the first merge never runs and is cancelled by hand.
    await until(`merge job ${m} to be marked as never runnable`, () => queued(m, '%r') === 'DependencyNeverSatisfied');
    execFileSync('scancel', [m]);

    const again = sbatch('--array=1', SBATCH, spec, out, '4');
    const m2 = merge(out, again);
    await until(`merge job ${m2}`, () => queued(m2) === '');
    expect(states(again), logs()).toEqual(['COMPLETED 0:0']);
    expect(states(m2), logs()).toEqual(['COMPLETED 0:0']);
    expect(readFileSync(join(root, `sweep-${again}_1.log`), 'utf8')).toContain(
      `resuming ${shard1}: ${done} chunk(s) already done, ${PER_SHARD - done} to go`,
    );
    expectSameFiles(ref, join(out, 'all'));
  }, 180_000);
});

describe('the job examples agree', () => {
  it('a Kubernetes pod asks for what a Slurm task asks for, and its shard count is the Job size', () => {
    const sbatch = readFileSync(SBATCH, 'utf8');
    const cpus = Number(/^#SBATCH --cpus-per-task=(\d+)$/m.exec(sbatch)?.[1]);
    const memPerCpu = Number(/^#SBATCH --mem-per-cpu=(\d+)G$/m.exec(sbatch)?.[1]);
    expect(sbatch).toMatch(/--workers "\$\{SLURM_CPUS_PER_TASK:-1\}"/);
    const job = parseAllDocuments(readFileSync(K8S, 'utf8'))[0].toJS();
    const pod = job.spec.template.spec.containers[0];
    expect(pod.resources.requests).toEqual(pod.resources.limits);
    expect(Number(pod.resources.limits.cpu)).toBe(cpus);
    expect(pod.resources.limits.memory).toBe(`${cpus * memPerCpu}Gi`);
    expect(pod.env).toContainEqual({ name: 'CPUS', valueFrom: { resourceFieldRef: { resource: 'limits.cpu', divisor: '1' } } });
    expect(pod.args[0]).toContain('--workers $CPUS');
    expect(job.spec.parallelism).toBe(job.spec.completions);
    expect(pod.args[0]).toContain(`--shard $JOB_COMPLETION_INDEX/${job.spec.completions}`);
  });
});
