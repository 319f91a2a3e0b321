/**
 * Random corruptions of valid inputs (fast-check): a provincial table, an inventory workbook, a
 * sweep spec and a pymrio folder. Whatever the bytes, the readers either read them or refuse with
 * the project's own error (never a TypeError or RangeError from inside a parser), within a bound;
 * the command line exits 1 with a message and no stack trace, and leaves no output.
 */
import { readFileSync, readdirSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import fc from 'fast-check';
import { parse as parseYaml } from 'yaml';
import { describe, expect, it } from 'vitest';
import { DataError } from '../../src/io/errors.js';
import { readCeadsInventory } from '../../src/io/ceads.js';
import { readProvincialTable } from '../../src/io/provincial.js';
import { parseSpec, SpecError } from '../../src/sweep/spec.js';
import { demoCopy, embodied, expectRefused, pymrioCopy } from './helpers.js';
import { hasShared } from '../shared-data.js';

/** A corruption of `bytes`: bytes overwritten, a slice cut out, or the file truncated. */
const corruption = (length: number) =>
  fc.oneof(
    fc.record({ kind: fc.constant('overwrite' as const), at: fc.nat(length - 1), bytes: fc.uint8Array({ minLength: 1, maxLength: 16 }) }),
    fc.record({ kind: fc.constant('cut' as const), at: fc.nat(length - 1), n: fc.integer({ min: 1, max: 4096 }) }),
    fc.record({ kind: fc.constant('truncate' as const), at: fc.nat(length - 1) }),
  );
type Corruption = typeof corruption extends (n: number) => fc.Arbitrary<infer C> ? C : never;

function corrupt(bytes: Uint8Array, c: Corruption): Uint8Array {
  const b = Uint8Array.from(bytes);
  if (c.kind === 'overwrite') {
    b.set(c.bytes.subarray(0, b.length - c.at), c.at);
    return b;
  }
  if (c.kind === 'cut') return Uint8Array.from([...b.subarray(0, c.at), ...b.subarray(c.at + c.n)]);
  return b.subarray(0, c.at);
}

/** Reads, or refuses with `ok` errors only; anything else (a crash inside a parser) fails the property. */
function readsOrRefuses(read: () => unknown, ok: (e: unknown) => boolean): void {
  try {
    read();
  } catch (e) {
    if (!ok(e)) throw e;
  }
}

const demo = demoCopy();
const tableFile = join(demo.provinces, readdirSync(demo.provinces).find((f) => f.startsWith('01-'))!);
const table = readFileSync(tableFile);
const inventory = readFileSync(demo.emissions);

describe('random corruptions never crash the readers', () => {
  it('a provincial table: read or DataError', () => {
    fc.assert(
      fc.property(corruption(table.length), (c) => {
        readsOrRefuses(
          () => readProvincialTable(corrupt(table, c), '01-北京.csv'),
          (e) => e instanceof DataError,
        );
      }),
      { numRuns: 200 },
    );
  });

  it('an inventory workbook: read or DataError', () => {
    fc.assert(
      fc.property(corruption(inventory.length), (c) => {
        readsOrRefuses(
          () => readCeadsInventory(corrupt(inventory, c), 'inventory.xlsx', { kind: 'emissions' }),
          (e) => e instanceof DataError,
        );
      }),
      { numRuns: 60 },
    );
  });

  it('a sweep spec: parsed or SpecError (or the YAML parser’s own syntax error)', () => {
    const spec = new TextEncoder().encode(
      'seed: 1\ndraws: 8\nchunkSize: 4\nmontecarlo:\n  - { target: intensity, provinces: [Beijing], distribution: { type: lognormal, sdlog: 0.1 } }\n',
    );
    fc.assert(
      fc.property(corruption(spec.length), (c) => {
        const text = new TextDecoder().decode(corrupt(spec, c));
        let raw: unknown;
        try {
          raw = parseYaml(text);
        } catch {
          return;
        }
        readsOrRefuses(
          () => parseSpec(raw, 'spec.yaml'),
          (e) => e instanceof SpecError,
        );
      }),
      { numRuns: 300 },
    );
  });
});

describe('random corruptions through the command line: exit 1, a message, nothing written', () => {
  it('a provincial table', () => {
    fc.assert(
      fc.property(corruption(table.length), (c) => {
        const d = demoCopy();
        const f = join(d.provinces, readdirSync(d.provinces).find((n) => n.startsWith('01-'))!);
        writeFileSync(f, corrupt(table, c));
        const r = embodied(['run', ...d.data, '-q', '-o', d.out], 60_000);
        if (r.code === 0) return; // a corruption the table survives (e.g. in a title cell)
        expectRefused(r, /^embodied: .+/m, d.out);
      }),
      { numRuns: 6 },
    );
  });

  it.skipIf(!hasShared('pymrio-test/native'))('a pymrio folder', () => {
    const z = readFileSync(join(pymrioCopy(), 'Z.txt'));
    fc.assert(
      fc.property(corruption(z.length), (c) => {
        const dir = pymrioCopy();
        writeFileSync(join(dir, 'Z.txt'), corrupt(z, c));
        const r = embodied(['mrio', '--pymrio', dir, '--out', `${dir}-out`, '--quiet'], 60_000);
        if (r.code === 0) return;
        expectRefused(r, /^embodied: .+/m, `${dir}-out`);
      }),
      { numRuns: 6 },
    );
  });
});

it('the corruption helper changes the bytes', () => {
  expect(corrupt(Uint8Array.from([1, 2, 3]), { kind: 'truncate', at: 1 })).toEqual(Uint8Array.from([1]));
});
