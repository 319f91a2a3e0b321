/**
 * The error of the MRIO layer: input that cannot make a consistent multi-regional system. It always
 * names the file (and, where known, the 1-based line and column as a text editor shows them) and
 * says what is wrong, e.g. `emissions/F.txt: column labels differ from Z.txt's rows: ...`.
 */
export class MrioInputError extends Error {
  override name = 'MrioInputError';
  constructor(
    readonly file: string,
    readonly detail: string,
    readonly line?: number,
    readonly column?: number,
    options?: { cause?: unknown },
  ) {
    super(`${file}${line !== undefined ? `, line ${line}` : ''}${column !== undefined ? `, column ${column}` : ''}: ${detail}`, options);
  }
}
