/**
 * pymrio folder format: read → write → read round trip, and every bad-input error naming the
 * file and what is wrong.
 */
import { cpSync, mkdtempSync, readFileSync, rmSync, writeFileSync, readdirSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { parseNumber } from '../../src/mrio/cell-number.js';
import { readPymrio, writePymrio, type PymrioSystem } from '../../src/mrio/pymrio-folder.js';
import { loadKernel, referenceKernel } from '../../src/kernel/index.js';
import { formatNumber } from '../../src/output/number.js';
import { MrioInputError } from '../../src/mrio/errors.js';
import { index, matrix, regionSectorIndex, type LabelledMatrix } from '../../src/mrio/labels.js';
import { calcAll } from '../../src/mrio/pymrio.js';
import { hasPymrio, PYMRIO_NATIVE } from './helpers.js';

const tmp = mkdtempSync(join(tmpdir(), 'embodied-pymrio-'));
afterAll(() => rmSync(tmp, { recursive: true, force: true }));
let seq = 0;

/** A fresh copy of pymrio's test system (outside the shared data folder, which is never modified). */
function copyNative(): string {
  const d = join(tmp, `native-${seq++}`);
  cpSync(PYMRIO_NATIVE, d, { recursive: true });
  return d;
}

function edit(path: string, f: (lines: string[][]) => void): void {
  const lines = readFileSync(path, 'utf8')
    .replace(/\n$/, '')
    .split('\n')
    .map((l) => l.split('\t'));
  f(lines);
  writeFileSync(path, `${lines.map((l) => l.join('\t')).join('\n')}\n`);
}

/** Reads a folder and runs calc_all on it. */
const run = (d: string): Promise<unknown> => readPymrio(d).then((s) => calcAll(s, referenceKernel));

function expectSame(a: LabelledMatrix, b: LabelledMatrix): void {
  expect(b.rows).toEqual(a.rows);
  // pandas writes a one-level column index without its name (x's "indout", D_cba_reg's regions):
  // the name of such a level does not survive a round trip, in pymrio neither.
  if (a.cols.names.length === 1) expect(b.cols.keys).toEqual(a.cols.keys);
  else expect(b.cols).toEqual(a.cols);
  expect(Array.from(b.data)).toEqual(Array.from(a.data));
}

function expectSameSystem(a: PymrioSystem, b: PymrioSystem): void {
  expect([...b.tables.keys()].sort()).toEqual([...a.tables.keys()].sort());
  for (const [k, m] of a.tables) expectSame(m, b.tables.get(k)!);
  expect(b.unit).toEqual(a.unit);
  expect(b.extensions.map((e) => [e.name, e.folder])).toEqual(a.extensions.map((e) => [e.name, e.folder]));
  a.extensions.forEach((e, i) => {
    const f = b.extensions[i]!;
    expect([...f.tables.keys()].sort()).toEqual([...e.tables.keys()].sort());
    for (const [k, m] of e.tables) expectSame(m, f.tables.get(k)!);
    expect(f.unit).toEqual(e.unit);
  });
}

async function expectError(p: Promise<unknown> | (() => unknown), file: string, what: RegExp): Promise<MrioInputError> {
  let err: unknown;
  try {
    if (typeof p === 'function') p();
    else await p;
  } catch (e) {
    err = e;
  }
  expect(err).toBeInstanceOf(MrioInputError);
  const e = err as MrioInputError;
  expect(e.file).toBe(file);
  expect(e.message).toMatch(what);
  return e;
}

/**
 * A two-region, one-sector system in memory: Z = [[0, 2], [2, 0]], Y = [−1, −1] (one category per
 * region), so x = Z1 + Y1 = [1, 1] and A = Z: column sums 2, I − A invertible (det = −3) but
 * the Gauss–Seidel iteration x ← b + A x diverges (spectral radius 2).
 */
function tinySystem(z: number[], y: number[]): PymrioSystem {
  const rs = regionSectorIndex(['r1', 'r2'], ['s']);
  const Z = matrix(rs, rs, Float64Array.from(z));
  const Y = matrix(
    rs,
    index(
      ['region', 'category'],
      [
        ['r1', 'hh'],
        ['r2', 'hh'],
      ],
    ),
    Float64Array.from([y[0]!, 0, 0, y[1]!]),
  );
  const F = matrix(index(['stressor'], [['co2']]), rs, Float64Array.from([1, 1]));
  return {
    name: 'tiny',
    source: '',
    tables: new Map([
      ['Z', Z],
      ['Y', Y],
    ]),
    files: new Map(),
    extensions: [{ name: 'Emissions', folder: 'emissions', tables: new Map([['F', F]]), files: new Map() }],
  };
}

describe('pymrio folder format', () => {
  it('numbers survive formatting exactly', () => {
    for (const v of [0, 1, -2.5, 1 / 3, 1e-300, 6.02e23, 58180.65, 2.6813696e-6, Number.MAX_VALUE, Number.MIN_VALUE]) {
      expect(parseNumber(formatNumber(v))).toBe(v);
    }
    expect(parseNumber('abc')).toBeUndefined();
    expect(parseNumber('')).toBeUndefined();
  });

  it.skipIf(!hasPymrio)('read → write → read gives the same system (input folder)', async () => {
    const a = await readPymrio(PYMRIO_NATIVE);
    const out = join(tmp, 'rt1');
    await writePymrio(out, a);
    const b = await readPymrio(out);
    expectSameSystem(a, b);
    expect(b.meta).toEqual(a.meta);
    // And a second write is byte-identical to the first.
    const out2 = join(tmp, 'rt1b');
    await writePymrio(out2, b);
    for (const f of ['Z.txt', 'Y.txt', 'unit.txt', 'file_parameters.json', 'emissions/F.txt', 'emissions/F_Y.txt', 'factor_inputs/F.txt']) {
      expect(readFileSync(join(out2, f), 'utf8')).toBe(readFileSync(join(out, f), 'utf8'));
    }
  });

  it.skipIf(!hasPymrio)('writes the layouts pandas writes (multi-level headers, index-name row, one-level header)', async () => {
    const a = await readPymrio(PYMRIO_NATIVE);
    const out = join(tmp, 'layout');
    await writePymrio(out, calcAll(a, referenceKernel, { tables: ['A', 'L'] }).system);
    // Z: same header lines as pymrio's own file.
    const mine = readFileSync(join(out, 'Z.txt'), 'utf8').split('\n');
    const theirs = readFileSync(join(PYMRIO_NATIVE, 'Z.txt'), 'utf8').split(/\r?\n/);
    expect(mine.slice(0, 3)).toEqual(theirs.slice(0, 3));
    expect(readFileSync(join(out, 'x.txt'), 'utf8').split('\n')[0]).toBe('region\tsector\tindout');
    expect(readFileSync(join(out, 'emissions/D_cba_reg.txt'), 'utf8').split('\n')[0]).toBe(
      'stressor\tcompartment\treg1\treg2\treg3\treg4\treg5\treg6',
    );
    const params = JSON.parse(readFileSync(join(out, 'emissions/file_parameters.json'), 'utf8'));
    expect(params.systemtype).toBe('Extension');
    expect(params.name).toBe('Emissions');
    expect(params.files.D_cba).toEqual({ name: 'D_cba.txt', nr_index_col: '2', nr_header: '2' });
    expect(params.files.D_cba_reg).toEqual({ name: 'D_cba_reg.txt', nr_index_col: '2', nr_header: '1' });
    const core = JSON.parse(readFileSync(join(out, 'file_parameters.json'), 'utf8'));
    expect(core.systemtype).toBe('IOSystem');
    expect(Object.keys(core.files).sort()).toEqual(['A', 'L', 'Y', 'Z', 'population', 'unit', 'x']);
    // By default neither A nor L (n² numbers each; L an inverse nobody asked for).
    const plain = join(tmp, 'layout-default');
    await writePymrio(plain, calcAll(a, referenceKernel).system);
    expect(Object.keys(JSON.parse(readFileSync(join(plain, 'file_parameters.json'), 'utf8')).files).sort()).toEqual([
      'Y',
      'Z',
      'population',
      'unit',
      'x',
    ]);
    const meta = JSON.parse(readFileSync(join(out, 'metadata.json'), 'utf8'));
    expect(meta.history[0]).toMatch(/embodied mrio: calc_all/);
    // No temporary folders left behind.
    expect(readdirSync(tmp).filter((f) => f.includes('.tmp-') || f.includes('.old-'))).toEqual([]);
  });

  it.skipIf(!hasPymrio)('read → write → read of computed results, and recomputing them gives the same numbers', async () => {
    const res = calcAll(await readPymrio(PYMRIO_NATIVE), referenceKernel);
    const out = join(tmp, 'rt2');
    await writePymrio(out, res.system);
    const back = await readPymrio(out);
    expectSameSystem(res.system, back);
    const again = calcAll(back, referenceKernel);
    for (const k of ['D_cba', 'D_pba', 'D_imp', 'D_exp'])
      expectSame(res.system.extensions[0]!.tables.get(k)!, again.system.extensions[0]!.tables.get(k)!);
  });

  it('labels with tabs and quotes are quoted as pandas does and read back; CRLF files read', async () => {
    const sys = tinySystem([0, 0.2, 0.2, 0], [1, 1]);
    const Z = sys.tables.get('Z')!;
    const odd = ['r1', 'a\tb "c"'];
    Z.rows.keys[0] = odd;
    Z.cols.keys[0] = odd;
    sys.tables.get('Y')!.rows.keys[0] = odd;
    sys.extensions[0]!.tables.get('F')!.cols.keys[0] = odd;
    const out = join(tmp, 'quoted');
    await writePymrio(out, sys);
    expect(readFileSync(join(out, 'Z.txt'), 'utf8')).toContain('r1\t"a\tb ""c"""\t');
    const back = await readPymrio(out);
    expect(back.tables.get('Z')!.rows.keys[0]).toEqual(odd);
    expect(back.tables.get('Z')!.cols.keys[0]).toEqual(odd);
    // The same files with Windows line endings.
    for (const f of ['Z.txt', 'Y.txt', 'emissions/F.txt'])
      writeFileSync(join(out, f), readFileSync(join(out, f), 'utf8').replace(/\n/g, '\r\n'));
    const crlf = await readPymrio(out);
    expectSame(back.tables.get('Z')!, crlf.tables.get('Z')!);
    expectSame(back.extensions[0]!.tables.get('F')!, crlf.extensions[0]!.tables.get('F')!);
  });
});

describe.skipIf(!hasPymrio)('pymrio bad input: a clear error naming the file', () => {
  it('a folder without file_parameters.json', async () => {
    await expectError(readPymrio(tmp), 'file_parameters.json', /missing/);
  });

  it('a file named in file_parameters.json that does not exist', async () => {
    const d = copyNative();
    rmSync(join(d, 'emissions', 'F_Y.txt'));
    await expectError(readPymrio(d), 'emissions/F_Y.txt', /missing: emissions\/file_parameters.json names it for "F_Y"/);
    const d2 = copyNative();
    rmSync(join(d2, 'Y.txt'));
    await expectError(readPymrio(d2), 'Y.txt', /missing/);
  });

  it('Y rows with labels that differ from Z', async () => {
    const d = copyNative();
    edit(join(d, 'Y.txt'), (l) => {
      l[4]![1] = 'fishing';
    });
    await expectError(run(d), 'Y.txt', /row labels differ from Z.txt's: position 2 is reg1\/fishing vs reg1\/mining/);
  });

  it('Z with row and column labels in different orders', async () => {
    const d = copyNative();
    edit(join(d, 'Z.txt'), (l) => {
      [l[1]![2], l[1]![3]] = [l[1]![3]!, l[1]![2]!];
    });
    await expectError(run(d), 'Z.txt', /row and column labels differ: position 1 is reg1\/food vs reg1\/mining/);
  });

  it('an extension with a different number of sectors than Z', async () => {
    const d = copyNative();
    edit(join(d, 'emissions', 'F.txt'), (l) => l.forEach((row) => row.pop()));
    await expectError(run(d), 'emissions/F.txt', /has 47 columns, Z.txt has 48 sectors/);
  });

  it('an extension whose column labels differ from Z', async () => {
    const d = copyNative();
    edit(join(d, 'factor_inputs', 'F.txt'), (l) => {
      l[0]![9] = 'regX';
    });
    await expectError(run(d), 'factor_inputs/F.txt', /column labels differ from Z.txt's rows: position 9 is regX\/food vs reg2\/food/);
  });

  it('F_Y whose columns differ from Y, or whose stressors differ from F', async () => {
    const d = copyNative();
    edit(join(d, 'emissions', 'F_Y.txt'), (l) => l.forEach((row) => row.pop()));
    await expectError(run(d), 'emissions/F_Y.txt', /has 41 columns, Y.txt has 42/);
    const d2 = copyNative();
    edit(join(d2, 'emissions', 'F_Y.txt'), (l) => {
      l[3]![0] = 'emission_type9';
    });
    await expectError(
      run(d2),
      'emissions/F_Y.txt',
      /row labels \(stressors\) differ from emissions\/F.txt's: position 1 is emission_type9\/air vs emission_type1\/air/,
    );
  });

  it('Y without final demand for a region of Z', async () => {
    const d = copyNative();
    edit(join(d, 'Y.txt'), (l) => {
      for (let j = 2; j < l[0]!.length; j++) if (l[0]![j] === 'reg6') l[0]![j] = 'reg7';
    });
    await expectError(run(d), 'Y.txt', /no final-demand columns for region\(s\) reg6 .*columns for region\(s\) reg7/);
  });

  it('a row with a missing cell, and a cell that is not a number', async () => {
    const d = copyNative();
    edit(join(d, 'Z.txt'), (l) => l[5]!.pop());
    await expectError(readPymrio(d), 'Z.txt', /has 49 cells, the header 50/);
    const d2 = copyNative();
    edit(join(d2, 'Z.txt'), (l) => {
      l[5]![7] = 'n/a';
    });
    const e = await expectError(
      readPymrio(d2),
      'Z.txt',
      /"n\/a" where a finite number is expected \(row reg1\/manufactoring, column reg1\/trade\)/,
    );
    expect(e.line).toBe(6);
    expect(e.column).toBe(8);
  });

  it('a negative output is computed as pymrio does, with a warning naming the sector', async () => {
    const d = copyNative();
    edit(join(d, 'Y.txt'), (l) => {
      l[4]![2] = '-1e12';
    });
    const res = await readPymrio(d).then((s) => calcAll(s, referenceKernel));
    expect(res.warnings).toHaveLength(1);
    expect(res.warnings[0]).toMatch(
      /^reg1\/mining: output x \(row sum of Z and Y\) is negative \(-\d.*\); its coefficients are divided by it/,
    );
    // A = Z diag(x)⁻¹ with the negative x, as pymrio's calc_A: its column is Z's divided by x.
    const Z = res.system.tables.get('Z')!;
    const x = res.system.tables.get('x')!.data;
    const A = calcAll(await readPymrio(d), referenceKernel, { tables: ['A'] }).system.tables.get('A')!;
    expect(A.data[0 * 48 + 1]).toBe(Z.data[0 * 48 + 1]! * (1 / x[1]!));
    expect(x[1]).toBeLessThan(0);
  });

  it('a zero output with non-zero inputs: zero coefficients (pymrio), and a warning naming the sector', async () => {
    const d = copyNative();
    // Row reg1/food of Z and Y set to zero: x = 0, but its column of Z still has inputs.
    edit(join(d, 'Z.txt'), (l) => {
      for (let j = 2; j < l[3]!.length; j++) l[3]![j] = '0';
    });
    edit(join(d, 'Y.txt'), (l) => {
      for (let j = 2; j < l[3]!.length; j++) l[3]![j] = '0';
    });
    const res = calcAll(await readPymrio(d), referenceKernel, { tables: ['A'] });
    expect(res.warnings[0]).toMatch(
      /^reg1\/food: output x \(row sum of Z and Y\) is zero; its inputs \(column sum of \|Z\| = [\d.e+]+\) and stressors \(.*\) get zero coefficients/,
    );
    const A = res.system.tables.get('A')!;
    for (let i = 0; i < 48; i++) expect(A.data[i * 48]).toBe(0);
    expect(res.identityOk).toBe(true);
  });

  it('a zero output with stressors', () => {
    const res = calcAll(tinySystem([0, 0, 0, 0], [0, 1]), referenceKernel);
    expect(res.warnings).toEqual([
      `r1/s: output x (row sum of Z and Y) is zero; its stressors (Emissions/co2) get zero coefficients (pymrio's convention) and drop out of the accounts`,
    ]);
    expect(res.system.extensions[0]!.tables.get('S')!.data[0]).toBe(0);
  });

  it('an iterative solve that does not converge', async () => {
    const d = join(tmp, 'divergent');
    await writePymrio(d, tinySystem([0, 2, 2, 0], [-1, -1]));
    const sys = await readPymrio(d);
    // The dense path solves it (I − A is invertible) ...
    expect(() => calcAll(sys, referenceKernel)).not.toThrow();
    // ... the iterative one cannot, and says why.
    await expectError(
      () => calcAll(sys, referenceKernel, { solver: 'iterative', iterative: { maxIter: 200 } }),
      'Z.txt',
      /iterative Leontief solve did not converge .* largest column sum of A = Z diag\(x\)⁻¹ is 2\.00000/,
    );
  });

  it('a singular I − A: refused, the Z file and the column without a pivot named', async () => {
    // Z = [[0, 1], [2, 0]], Y = [1, −1]: x = [2, 1], A = [[0, 1], [1, 0]], I − A = [[1, −1], [−1, 1]]:
    // elimination leaves row 2 zero, so the second pivot (column r2/s) vanishes.
    const d = join(tmp, 'singular');
    await writePymrio(d, tinySystem([0, 1, 2, 0], [1, -1]));
    const sys = await readPymrio(d);
    for (const kernel of [referenceKernel, await loadKernel()]) {
      await expectError(
        () => calcAll(sys, kernel),
        'Z.txt',
        /^Z\.txt: I − A is singular at r2\/s \(matrix of order 2 is singular: pivot 1 is zero or negligible.*\): some sectors' inputs use up all their output$/,
      );
    }
  });

  it('an ill-conditioned I − A: solved, with its condition number in a warning', async () => {
    // As above with Y = [1, −1 + δ]: x = [2, 1 + δ], A = [[0, 1/(1 + δ)], [1, 0]], det(I − A) = δ/(1 + δ),
    // ‖I − A‖₁ = 2 and ‖(I − A)⁻¹‖₁ = 2(1 + δ)/δ, so κ₁ = 4(1 + δ)/δ ≈ 4.0e10 for δ = 1e-10.
    const d = join(tmp, 'ill');
    await writePymrio(d, tinySystem([0, 1, 2, 0], [1, -1 + 1e-10]));
    const sys = await readPymrio(d);
    for (const kernel of [referenceKernel, await loadKernel()]) {
      const res = calcAll(sys, kernel);
      expect(res.condition! / 4e10).toBeCloseTo(1, 4);
      expect(res.warnings).toContain(
        'I − A is ill-conditioned: its 1-norm condition number is about 4.0e+10, so the accounts may have lost up to 11 of their 16 significant digits (look for near-zero outputs and columns of A summing to nearly 1)',
      );
    }
    // pymrio's test system is well conditioned: no warning.
    expect(calcAll(tinySystem([0, 0.2, 0.2, 0], [1, 1]), referenceKernel).warnings).toEqual([]);
  });

  it('unit.txt that does not fit Z', async () => {
    const d = copyNative();
    edit(join(d, 'unit.txt'), (l) => l.pop());
    await expectError(run(d), 'unit.txt', /row labels differ from Z.txt's: 47 entries vs 48/);
  });
});
