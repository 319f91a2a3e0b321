/**
 * The one number formatter (src/output/number.ts): shortest round-trip digits in the shorter of the
 * plain and exponent forms. A seeded sample over every magnitude is read back bit for bit with the
 * strict pymrio cell parser and, where python3 has pandas, with Python's float() and pandas'
 * round-trip CSV parser. pandas' default parser (1.5.3) is not exact for any text form: it reads the
 * exponent forms to within 1.5e-14 relative on this sample, the 23-digit plain
 * 0.0000010290149473999805 only to ~1e-10 (the reason for the exponent form).
 */
import { spawnSync } from 'node:child_process';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { uniformFloat64 } from 'pure-rand/distribution/uniformFloat64';
import { xoroshiro128plus } from 'pure-rand/generator/xoroshiro128plus';
import { afterAll, describe, expect, it } from 'vitest';
import { csvText } from '../../src/output/csv.js';
import { formatNumber } from '../../src/output/number.js';
import { parseNumber } from '../../src/mrio/cell-number.js';

/** Doubles from 1e-320 to 1e300, both signs, with full 17-digit mantissas, and a few shorter ones. */
function sample(count: number): number[] {
  const g = xoroshiro128plus(13);
  const u = () => uniformFloat64(g);
  const out: number[] = [0, 1, -1, 2000, 0.5, 0.01, 0.001, 0.002, 1e21, 1e-7, 5e-324, Number.MAX_VALUE, Number.MIN_VALUE, 1 / 3];
  for (let k = 0; k < count; k++) {
    const v = (u() < 0.5 ? -1 : 1) * u() * 10 ** Math.floor(-320 + 620 * u());
    out.push(u() < 0.2 ? Number(v.toPrecision(1 + Math.floor(5 * u()))) : v);
  }
  return out;
}

const bits = (v: number): string => {
  const b = new DataView(new ArrayBuffer(8));
  b.setFloat64(0, v);
  return b.getBigUint64(0).toString(16);
};

const python = ['/usr/bin/python3', 'python3'].find((p) => spawnSync(p, ['-c', 'import pandas'], { stdio: 'ignore' }).status === 0);
const tmp = mkdtempSync(join(tmpdir(), 'embodied-number-'));
afterAll(() => rmSync(tmp, { recursive: true, force: true }));

describe('formatNumber', () => {
  it('writes the shortest round-trip digits, in the exponent form where it is shorter', () => {
    expect(formatNumber(0.0000010290149473999805)).toBe('1.0290149473999805e-6');
    expect(formatNumber(0.0000012345678901234567)).toBe('1.2345678901234567e-6');
    expect(formatNumber(0.0001234)).toBe('1.234e-4');
    expect(formatNumber(-0.0001234)).toBe('-1.234e-4');
    expect(formatNumber(0.002)).toBe('2e-3');
    // Ties and plain-shorter cases stay as String writes them.
    expect(formatNumber(0.001234)).toBe('0.001234');
    expect(formatNumber(0.01)).toBe('0.01');
    expect(formatNumber(123.456)).toBe('123.456');
    expect(formatNumber(1 / 3)).toBe('0.3333333333333333');
    // Integers stay plain; -0 is 0.
    expect(formatNumber(2000)).toBe('2000');
    expect(formatNumber(-0)).toBe('0');
    expect(formatNumber(1e-7)).toBe('1e-7');
  });

  it('is never longer than String(v) and changes no digit', () => {
    for (const v of sample(20000)) {
      const f = formatNumber(v);
      const s = String(v);
      expect(f.length).toBeLessThanOrEqual(s.length);
      const digits = (t: string) => t.replace(/e.*$/, '').replace(/[-.]/g, '').replace(/^0+/, '');
      expect(digits(f)).toBe(digits(s));
    }
  });

  it('reads back bit for bit with the strict parser', () => {
    for (const v of sample(20000)) expect(bits(parseNumber(formatNumber(v))!)).toBe(bits(v === 0 ? 0 : v));
  });

  it('the parser is strict: the fast path takes nothing the number pattern refuses', () => {
    for (const s of ['0x10', '0b11', '0o17', '1_0', '', ' ', '.', '-', '+', '1e', 'e5', '1.2.3', '--1', '1 2', 'nan'])
      expect(parseNumber(s), s).toBeUndefined();
    expect(parseNumber(' 1.5 ')).toBe(1.5);
    expect(parseNumber('.5')).toBe(0.5);
    expect(parseNumber('5.')).toBe(5);
    expect(parseNumber('-inf')).toBe(-Infinity);
    expect(parseNumber('+1e-3')).toBe(0.001);
  });

  it('CSV cells use it', () => {
    expect(csvText([[0.0001234, 1e-7, 2000]])).toBe('1.234e-4,1e-7,2000\n');
  });

  it.skipIf(!python)(
    "reads back bit for bit with Python's float() and pandas' round-trip parser; within 1e-13 with pandas' default",
    () => {
      const vs = sample(5000);
      const file = join(tmp, 'sample.csv');
      writeFileSync(file, csvText([['v'], ...vs.map((v) => [v])]));
      const script = [
        'import sys, pandas',
        'text = open(sys.argv[1]).read().split()[1:]',
        'rt = pandas.read_csv(sys.argv[1], float_precision="round_trip")["v"]',
        'df = pandas.read_csv(sys.argv[1])["v"]',
        'for t, a, b in zip(text, rt, df): print(float(t).hex(), float(a).hex(), repr(float(b)))',
      ].join('\n');
      const r = spawnSync(python!, ['-c', script, file], { encoding: 'utf8', maxBuffer: 1 << 26 });
      expect(r.status, r.stderr).toBe(0);
      const got = r.stdout.trim().split('\n');
      expect(got).toHaveLength(vs.length);
      // Python's float.hex of each value, from JavaScript: sign, mantissa bits, exponent.
      const hex = (v: number): string => {
        if (v === 0) return '0x0.0p+0';
        const b = BigInt(`0x${bits(Math.abs(v))}`);
        const e = Number(b >> 52n);
        const m = (b & ((1n << 52n) - 1n)).toString(16).padStart(13, '0');
        const text = e === 0 ? `0x0.${m}p-1022` : `0x1.${m}p${e - 1023 >= 0 ? '+' : ''}${e - 1023}`;
        return v < 0 ? `-${text}` : text;
      };
      let worst = 0;
      vs.forEach((v, i) => {
        const [f, rt, df] = got[i]!.split(' ');
        expect(f, formatNumber(v)).toBe(hex(v));
        expect(rt, formatNumber(v)).toBe(hex(v));
        if (v !== 0) worst = Math.max(worst, Math.abs(Number(df) - v) / Math.abs(v));
      });
      expect(worst).toBeLessThan(1e-13);
    },
  );
});
