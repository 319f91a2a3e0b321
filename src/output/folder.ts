/**
 * The one way a command writes its output folder (Node). It never deletes or overwrites a file it
 * did not write: an existing --out is used only when it is empty or holds an earlier output of the
 * same kind, recognised by its run.json (`tool` embodied, `command` that command's) and by holding
 * nothing that kind does not write. A complete folder is written atomically: into a hidden
 * temporary sibling, renamed into place, the earlier output moved aside first and removed last, so
 * a reader sees the old folder or the new one, never half of either. Temporary and moved-aside
 * folders a kill left behind are removed by the next write into the same place.
 */
import { existsSync, lstatSync, readdirSync, readFileSync, realpathSync, rmdirSync, rmSync, statSync, unlinkSync } from 'node:fs';
import { mkdir, rename, rm, writeFile } from 'node:fs/promises';
import { basename, dirname, join, resolve, sep } from 'node:path';

class OutputError extends Error {
  override name = 'OutputError';
}

/** What an output folder of one command holds, to recognise an earlier one. */
export interface OutputKind {
  /** The commands whose run.json marks a folder as this kind's output (e.g. "run"). */
  commands: readonly string[];
  /** Every path ('/'-separated, relative to the folder) an output of this kind may hold. */
  files: RegExp;
  /** Any further check of an earlier output (the sweep's checkpoint). */
  check?: (dir: string) => boolean;
}

/** Where a command writes: --out as given, the kind of folder it writes, and what it reads. */
export interface OutputPlace {
  out: string;
  kind: OutputKind;
  /** Files and folders the command reads: --out may not be one, hold one or lie inside one. */
  inputs?: readonly (string | undefined)[];
}

const commandsOf = (k: OutputKind) => k.commands.map((c) => `\`embodied ${c}\``).join(' or ');

/** The command recorded in a folder's run.json, if it is embodied's. */
function recordedCommand(dir: string): string | undefined {
  try {
    const run = JSON.parse(readFileSync(join(dir, 'run.json'), 'utf8')) as { tool?: unknown; command?: unknown };
    if (typeof run.command !== 'string') return undefined;
    if (run.tool === 'embodied') return run.command;
    // `mrio --pymrio` has always recorded its command as "embodied mrio --pymrio", without `tool`.
    return run.command.startsWith('embodied ') ? run.command.slice('embodied '.length) : undefined;
  } catch {
    return undefined;
  }
}

/** Every file and folder under `dir`, as '/'-separated relative paths (folders end with '/'). */
function entries(dir: string, rel = ''): string[] {
  const out: string[] = [];
  for (const e of readdirSync(join(dir, rel), { withFileTypes: true })) {
    const p = rel ? `${rel}/${e.name}` : e.name;
    if (e.isDirectory()) out.push(`${p}/`, ...entries(dir, p));
    else out.push(p);
  }
  return out;
}

/** The real path `path` names, through symbolic links in it, for a path that may not exist yet. */
function realPath(path: string): string {
  const abs = resolve(path);
  if (existsSync(abs)) return realpathSync(abs);
  const parent = dirname(abs);
  return parent === abs ? abs : join(realPath(parent), basename(abs));
}

const inside = (child: string, parent: string) => child.startsWith(parent.endsWith(sep) ? parent : parent + sep);

function isAlive(pid: number): boolean {
  try {
    process.kill(pid, 0);
    return true;
  } catch (e) {
    return (e as NodeJS.ErrnoException).code === 'EPERM';
  }
}

/** Hidden siblings of `target` this writer names: `.<name>.tmp-<tag>` and `.<name>.old-<tag>`. */
function siblingName(target: string, what: 'tmp' | 'old', tag: string): string {
  return join(dirname(target), `.${basename(target)}.${what}-${tag}`);
}

/** Removes the temporary and moved-aside folders of earlier writes to `target` whose process is gone. */
function removeLeftovers(target: string): void {
  const parent = dirname(target);
  if (!existsSync(parent) || !statSync(parent).isDirectory()) return;
  const prefix = `.${basename(target)}.`;
  for (const name of readdirSync(parent)) {
    if (!name.startsWith(prefix)) continue;
    const m = /^(?:tmp|old)-(\d+)-[a-z0-9]+-[a-z0-9]+$/.exec(name.slice(prefix.length));
    if (m && !isAlive(Number(m[1]))) rmSync(join(parent, name), { recursive: true, force: true });
  }
}

/**
 * Checks --out, writing nothing (a command calls it before its work, so that a refusal comes at
 * once; the writers check again). Returns the real folder to write (a link's target) and whether it
 * holds an earlier output. Refuses a dangling link, a path that is not a folder, a place that is,
 * holds or lies inside an input, and a non-empty folder that is not an earlier output of this
 * kind; `replace` (the default: the whole folder is replaced) refuses an earlier output that also
 * holds anything else. Removes the leftovers of killed writes to the same place.
 */
export function checkOutput(p: OutputPlace, replace = true): { target: string; earlier: boolean } {
  const { out, kind } = p;
  let target: string;
  let link: ReturnType<typeof lstatSync> | undefined;
  try {
    link = lstatSync(out);
  } catch {
    link = undefined;
  }
  if (link?.isSymbolicLink()) {
    try {
      target = realpathSync(out);
    } catch {
      throw new OutputError(`--out ${out}: a symbolic link to a place that does not exist; give a folder`);
    }
  } else target = realPath(out);
  const exists = existsSync(target);
  if (exists && !statSync(target).isDirectory()) throw new OutputError(`--out ${out}: exists and is not a folder`);
  for (const input of p.inputs ?? []) {
    if (input === undefined || !existsSync(input)) continue;
    const real = realpathSync(input);
    if (real === target) throw new OutputError(`--out ${out}: is the input ${input}; choose another folder`);
    if (inside(real, target)) throw new OutputError(`--out ${out}: holds the input ${input}; choose another folder`);
    if (inside(target, real)) throw new OutputError(`--out ${out}: lies inside the input folder ${input}; choose another folder`);
  }
  removeLeftovers(target);
  if (!exists) return { target, earlier: false };
  const found = entries(target);
  if (found.length === 0) return { target, earlier: false };
  const command = recordedCommand(target);
  if (command === undefined || !kind.commands.includes(command) || (kind.check && !kind.check(target))) {
    throw new OutputError(
      `--out ${out}: is not empty and holds no earlier output of ${commandsOf(kind)}` +
        (command ? ` (its run.json is from \`embodied ${command}\`)` : '') +
        '; choose another folder or empty it',
    );
  }
  const foreign = replace && found.find((f) => !f.endsWith('/') && !kind.files.test(f));
  if (foreign)
    throw new OutputError(
      `--out ${out}: holds ${foreign}, which ${commandsOf(kind)} does not write; move it away or choose another folder`,
    );
  return { target, earlier: true };
}

/**
 * Writes the output folder `p.out` at once: `fill(tmp)` writes every file into a fresh hidden
 * temporary folder beside it, which is then renamed into place, replacing an earlier output of the
 * same kind (behind a symbolic link, its target). On any error the temporary folder is removed and
 * --out is left as it was.
 */
export async function writeOutputFolder(p: OutputPlace, fill: (tmp: string) => Promise<void>): Promise<void> {
  const { target } = checkOutput(p);
  const tag = `${process.pid}-${Date.now().toString(36)}-${Math.random().toString(36).slice(2, 8)}`;
  const tmp = siblingName(target, 'tmp', tag);
  try {
    await mkdir(dirname(target), { recursive: true });
    await mkdir(tmp);
  } catch (e) {
    throw new OutputError(`--out ${p.out}: cannot write there (${(e as Error).message})`);
  }
  try {
    await fill(tmp);
  } catch (e) {
    await rm(tmp, { recursive: true, force: true });
    throw e;
  }
  if (!existsSync(target)) {
    await rename(tmp, target);
    return;
  }
  const old = siblingName(target, 'old', tag);
  await rename(target, old);
  try {
    await rename(tmp, target);
  } catch (e) {
    await rename(old, target);
    await rm(tmp, { recursive: true, force: true });
    throw e;
  }
  await rm(old, { recursive: true, force: true });
}

/** writeOutputFolder with the files given as name → content. */
export async function writeOutputFiles(p: OutputPlace, files: ReadonlyMap<string, string | Uint8Array>): Promise<void> {
  await writeOutputFolder(p, async (tmp) => {
    for (const [name, content] of files) await writeFile(join(tmp, name), content);
  });
}

/**
 * For a command that writes into its folder bit by bit (the sweep): checks --out as
 * writeOutputFolder does, creates it if needed, and says whether it holds an earlier output of the
 * kind (files of the user's beside it stay untouched).
 */
export async function openOutputFolder(p: OutputPlace): Promise<{ earlier: boolean }> {
  const { target, earlier } = checkOutput(p, false);
  try {
    await mkdir(target, { recursive: true });
  } catch (e) {
    throw new OutputError(`--out ${p.out}: cannot write there (${(e as Error).message})`);
  }
  return { earlier };
}

/** Removes the files of an earlier output of `kind` in `dir`, and the folders that leaves empty; nothing else. */
export function removeOutput(dir: string, kind: OutputKind): void {
  const found = entries(dir);
  for (const f of found) if (!f.endsWith('/') && kind.files.test(f)) unlinkSync(join(dir, f));
  for (const f of found.filter((e) => e.endsWith('/')).reverse()) {
    if (readdirSync(join(dir, f)).length === 0) rmdirSync(join(dir, f));
  }
}
