/**
 * The numbers of the pymrio reader: the byte fast path (parseDecimalBytes, Clinger's exact cases)
 * and the reader's row parsing read every cell bit for bit as the string parser does (parseNumber,
 * which test/output/number.test.ts ties to Python's float()) and, where python3 runs, as Python's
 * float() itself; line endings, a byte order mark, quoted cells, lines longer than the read buffer;
 * and a bad cell anywhere is reported with its file, line and column.
 */
import { spawnSync } from 'node:child_process';
import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import fc from 'fast-check';
import { afterAll, describe, expect, it } from 'vitest';
import { parseDecimalBytes, parseNumber } from '../../src/mrio/cell-number.js';
import { MrioInputError } from '../../src/mrio/errors.js';
import { readPymrio } from '../../src/mrio/pymrio-folder.js';
import { formatNumber } from '../../src/output/number.js';

const tmp = mkdtempSync(join(tmpdir(), 'embodied-cell-number-'));
afterAll(() => rmSync(tmp, { recursive: true, force: true }));

const bits = (v: number): string => {
  const b = new DataView(new ArrayBuffer(8));
  b.setFloat64(0, v);
  return b.getBigUint64(0).toString(16);
};

const finite = fc.double({ noNaN: true, noDefaultInfinity: true });
/** Python's repr of a float in exponent form: at least two exponent digits (1e-05, 1.5e+16). */
const pythonExp = (s: string): string => s.replace(/e([+-])(\d)$/, 'e$10$2');

/** Decimal text as formatNumber, String, pandas/Python and hand-edited files write it. */
const decimalText = fc.oneof(
  finite.map(formatNumber),
  finite.map(String),
  fc.tuple(finite, fc.integer({ min: 0, max: 20 })).map(([v, d]) => pythonExp(v.toExponential(d))),
  fc.tuple(finite, fc.integer({ min: 1, max: 21 })).map(([v, d]) => v.toPrecision(d).toUpperCase()),
  fc.integer({ min: -1e6, max: 1e6 }).map(String),
  fc.constantFrom(
    '0',
    '-0',
    '-0.0',
    '0.0',
    '+0',
    '0e5',
    '1e-05',
    '1.5E+10',
    '5.',
    '.5',
    '+.5e-3',
    '007',
    '1e22',
    '1e23',
    '9007199254740993',
  ),
  fc.stringMatching(/^[+-]?\d{1,25}(\.\d{0,25})?([eE][+-]?\d{1,3})?$/),
);

/** The same, where it is a finite number (a table's cells must be). */
const finiteText = decimalText.filter((t) => Number.isFinite(parseNumber(t)));

describe('parseDecimalBytes', () => {
  it('reads decimal text bit for bit as parseNumber', () => {
    fc.assert(
      fc.property(decimalText, (t) => {
        const b = Buffer.from(`x${t}y`);
        expect(bits(parseDecimalBytes(b, 1, b.length - 1)), t).toBe(bits(parseNumber(t)!));
      }),
      { numRuns: 20000 },
    );
  });

  it('takes nothing outside the decimal grammar (parseNumber decides those)', () => {
    for (const t of ['', ' 1', '1 ', '-', '+', '.', 'e5', '1e', '1e+', '1.2.3', '--1', 'inf', 'nan', '0x10', '1_0', '"1"', '1,5'])
      expect(parseDecimalBytes(Buffer.from(t), 0, t.length), t).toBeNaN();
  });
});

const python = ['/usr/bin/python3', 'python3'].find((p) => spawnSync(p, ['-c', 'pass'], { stdio: 'ignore' }).status === 0);

/** A one-table pymrio folder: Z.txt with two label columns and two header rows, as pandas writes it. */
function folder(name: string, cells: string[][], eol = '\n', bom = false): string {
  const d = join(tmp, name);
  mkdirSync(d, { recursive: true });
  const nc = cells[0]!.length;
  const lines = [
    ['region', '', ...Array.from({ length: nc }, (_, j) => `r${j}`)],
    ['sector', '', ...Array.from({ length: nc }, () => 's')],
    ['region', 'sector', ...Array<string>(nc).fill('')],
    ...cells.map((row, i) => [`r${i}`, 's', ...row]),
  ];
  writeFileSync(join(d, 'Z.txt'), `${bom ? '\ufeff' : ''}${lines.map((l) => l.join('\t')).join(eol)}${eol}`);
  writeFileSync(join(d, 'file_parameters.json'), JSON.stringify({ files: { Z: { name: 'Z.txt', nr_index_col: '2', nr_header: '2' } } }));
  return d;
}

let seq = 0;
const table = fc
  .integer({ min: 1, max: 6 })
  .chain((nc) => fc.array(fc.array(finiteText, { minLength: nc, maxLength: nc }), { minLength: 1, maxLength: 6 }));

describe('the pymrio reader', () => {
  it('reads every cell as parseNumber, with any line ending, a byte order mark, quoted and zero cells', async () => {
    await fc.assert(
      fc.asyncProperty(
        table,
        fc.constantFrom('\n', '\r\n', '\r'),
        fc.boolean(),
        fc.func(fc.constantFrom('plain', 'plain', 'quoted', 'zero')),
        async (cells, eol, bom, how) => {
          const text = cells.map((row, i) =>
            row.map((t, j) => {
              const h = how(i, j);
              return h === 'quoted' ? `"${t}"` : h === 'zero' ? '0' : t;
            }),
          );
          const m = (await readPymrio(folder(`t${seq++}`, text, eol, bom))).tables.get('Z')!;
          expect(m.rows.keys).toEqual(cells.map((_, i) => [`r${i}`, 's']));
          expect(m.rows.names).toEqual(['region', 'sector']);
          expect(Array.from(m.data, bits)).toEqual(text.flat().map((t) => bits(parseNumber(t.replace(/"/g, ''))!)));
        },
      ),
      { numRuns: 150 },
    );
  });

  it('names the line and column of a bad cell wherever it is', async () => {
    await fc.assert(
      fc.asyncProperty(
        table,
        fc.constantFrom('\n', '\r\n', '\r'),
        fc.nat(),
        fc.constantFrom('', 'inf', '-inf', 'nan', '1e400', 'n/a', '1,5', '1.5.2'),
        async (cells, eol, at, bad) => {
          const nc = cells[0]!.length;
          const i = Math.floor(at / nc) % cells.length;
          const j = at % nc;
          const rows = cells.map((row, k) => (k === i ? row.map((t, l) => (l === j ? bad : t)) : row));
          let err: unknown;
          await readPymrio(folder(`e${seq++}`, rows, eol)).catch((e: unknown) => {
            err = e;
          });
          expect(err).toBeInstanceOf(MrioInputError);
          const e = err as MrioInputError;
          expect([e.file, e.line, e.column]).toEqual(['Z.txt', 4 + i, 3 + j]);
          expect(e.message).toMatch(bad === '' ? /an empty cell \(NaN\)/ : /where a finite number is expected/);
        },
      ),
      { numRuns: 60 },
    );
  });

  it('lines longer than the read buffer, and a \\r\\n split between two reads', async () => {
    // Z.txt's first data line ends with its \r at byte 2^20 − 1, the last byte of the first read;
    // the second is 1.5 MB long.
    const head = 'region\t\tr0\tr1\r\nsector\t\ts\ts\r\nregion\tsector\t\t\r\n';
    const tail = '\ts\t0\t1.5';
    const long = `a${'x'.repeat((1 << 20) - 1 - head.length - tail.length - 1)}`;
    const longer = `b${'y'.repeat(3 << 19)}`;
    const d = join(tmp, 'long');
    mkdirSync(d);
    const text = `${head}${long}${tail}\r\n${longer}\ts\t-2e-3\t0\r\n`;
    expect(text.indexOf(`${tail}\r\n`) + tail.length).toBe((1 << 20) - 1);
    writeFileSync(join(d, 'Z.txt'), text);
    writeFileSync(join(d, 'file_parameters.json'), JSON.stringify({ files: { Z: { name: 'Z.txt', nr_index_col: '2', nr_header: '2' } } }));
    const m = (await readPymrio(d)).tables.get('Z')!;
    expect(m.rows.keys).toEqual([
      [long, 's'],
      [longer, 's'],
    ]);
    expect(Array.from(m.data)).toEqual([0, 1.5, -0.002, 0]);
    // The lines are counted across the split: a bad cell on the next line is on line 6.
    writeFileSync(join(d, 'Z.txt'), `${text}c\ts\t0\tn/a\r\n`);
    const e = await readPymrio(d).catch((err: unknown) => err as MrioInputError);
    expect([e instanceof MrioInputError, (e as MrioInputError).line, (e as MrioInputError).column]).toEqual([true, 6, 4]);
  });

  it.skipIf(!python)("reads every cell as Python's float()", async () => {
    const texts = fc.sample(finiteText, { numRuns: 5000, seed: 13 });
    const r = spawnSync(python!, ['-c', 'import sys\nfor t in sys.stdin.read().split():\n    print(repr(float(t)))'], {
      input: texts.join('\n'),
      encoding: 'utf8',
      maxBuffer: 1 << 26,
    });
    expect(r.status, r.stderr).toBe(0);
    // repr is Python's shortest round-trip text: Number reads it back to the same double.
    const expected = r.stdout
      .trim()
      .split('\n')
      .map((t) => bits(Number(t)));
    const m = (
      await readPymrio(
        folder(
          'python',
          texts.map((t) => [t]),
        ),
      )
    ).tables.get('Z')!;
    expect(Array.from(m.data, bits)).toEqual(expected);
  });
});
