import { parquetMetadata, parquetReadObjects } from 'hyparquet';
import { describe, expect, it } from 'vitest';
import { writeParquet } from '../../src/sweep/parquet.js';

/** Reads our bytes back with hyparquet, an independent implementation. */
async function read(bytes: Uint8Array) {
  const file = bytes.slice().buffer;
  return { rows: (await parquetReadObjects({ file })) as Record<string, unknown>[], meta: parquetMetadata(file) };
}

describe('parquet writer', () => {
  it('round-trips runs (also values that come back), nulls, dictionaries and a partial last bit-packed group', async () => {
    const rows = 8 * 37 + 5;
    const back = Int32Array.from({ length: rows }, (_, i) => [5, 1, 5, 9, 1, 7][Math.floor(i / 13) % 6]);
    const up = Int32Array.from({ length: rows }, (_, i) => Math.floor(i / 3));
    const x = Float64Array.from({ length: rows }, (_, i) => (i % 7 === 3 ? NaN : i / 3 - 10));
    const names = Array.from({ length: 31 }, (_, i) => `p${i}`);
    const idx = Uint8Array.from({ length: rows }, (_, i) => (i * 7) % 31);
    const bytes = writeParquet(
      [
        { name: 'back', type: 'INT32', data: back, runs: true },
        { name: 'up', type: 'INT32', data: up, runs: true },
        { name: 'plain', type: 'INT32', data: up },
        { name: 'x', type: 'DOUBLE', data: x, nullable: true },
        { name: 'y', type: 'DOUBLE', data: x.map((v) => (Number.isNaN(v) ? 0 : v)) },
        { name: 'name', type: 'DICT', dictionary: names, indices: idx },
      ],
      { note: 'test' },
      'embodied test',
    );
    const { rows: got, meta } = await read(bytes);
    expect(got).toHaveLength(rows);
    expect(meta.key_value_metadata).toEqual([{ key: 'note', value: 'test' }]);
    got.forEach((r, i) => {
      expect(r.back).toBe(back[i]);
      expect(r.up).toBe(up[i]);
      expect(r.plain).toBe(up[i]);
      expect(r.x).toBe(Number.isNaN(x[i]) ? null : x[i]);
      expect(r.name).toBe(names[idx[i]]);
    });
  });

  it('writes a column with every value null', async () => {
    const x = new Float64Array(11).fill(NaN);
    const { rows } = await read(writeParquet([{ name: 'x', type: 'DOUBLE', data: x, nullable: true }], {}, 'embodied test'));
    expect(rows.map((r) => r.x)).toEqual(Array(11).fill(null));
  });
});
