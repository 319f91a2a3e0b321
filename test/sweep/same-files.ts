import { readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { expect } from 'vitest';

/** Every file under dir (relative path → bytes), without run.json (which records paths and times). */
function files(dir: string): Map<string, Buffer> {
  const out = new Map<string, Buffer>();
  const walk = (d: string, rel: string) => {
    for (const f of readdirSync(d, { withFileTypes: true })) {
      if (f.isDirectory()) walk(join(d, f.name), `${rel}${f.name}/`);
      else if (f.name !== 'run.json') out.set(rel + f.name, readFileSync(join(d, f.name)));
    }
  };
  walk(dir, '');
  return out;
}

/** The two sweep folders hold the same files with the same bytes (run.json aside). */
export function expectSameFiles(a: string, b: string) {
  const fa = files(a);
  const fb = files(b);
  expect([...fb.keys()].sort()).toEqual([...fa.keys()].sort());
  for (const [k, v] of fa) expect(fb.get(k)!.equals(v), `${k} differs`).toBe(true);
}
