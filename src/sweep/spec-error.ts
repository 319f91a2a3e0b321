/** A bad sweep spec. In its own module so worker threads can use it without loading the schema libraries. */
export class SpecError extends Error {
  override name = 'SpecError';
}

/** A zod issue's path as the user writes it: `montecarlo[0].distribution.sd`. */
function issuePath(path: readonly PropertyKey[]): string {
  let s = '';
  for (const p of path) s += typeof p === 'number' ? `[${p}]` : s ? `.${String(p)}` : String(p);
  return s || '(top level)';
}

/** One line per zod issue, `path: message`, unknown fields named. */
export function issueLines(
  issues: readonly { path: readonly PropertyKey[]; message: string; code: string; keys?: readonly string[] }[],
): string[] {
  return issues.map(
    (i) => `${issuePath(i.path)}: ${i.code === 'unrecognized_keys' && i.keys ? `unknown field(s) ${i.keys.join(', ')}` : i.message}`,
  );
}
