/**
 * The zip-bomb guard of readWorkbook: a hand-built .xlsx-shaped zip whose one entry inflates to
 * `inflated` zero bytes while its headers declare `declared` bytes.
 */
import { deflateRawSync } from 'node:zlib';
import { describe, expect, it } from 'vitest';
import { readWorkbook } from '../../src/io/spreadsheet.js';

function zipOf(name: string, inflated: number, declared: number): Uint8Array {
  const data = deflateRawSync(Buffer.alloc(inflated));
  const nameBytes = Buffer.from(name);
  const local = Buffer.alloc(30);
  local.writeUInt32LE(0x04034b50, 0);
  local.writeUInt16LE(8, 8); // deflated
  local.writeUInt32LE(data.length, 18);
  local.writeUInt32LE(declared, 22);
  local.writeUInt16LE(nameBytes.length, 26);
  const central = Buffer.alloc(46);
  central.writeUInt32LE(0x02014b50, 0);
  central.writeUInt16LE(8, 10);
  central.writeUInt32LE(data.length, 20);
  central.writeUInt32LE(declared, 24);
  central.writeUInt16LE(nameBytes.length, 28);
  central.writeUInt32LE(0, 42); // its local header is at 0
  const centralAt = local.length + nameBytes.length + data.length;
  const end = Buffer.alloc(22);
  end.writeUInt32LE(0x06054b50, 0);
  end.writeUInt16LE(1, 8);
  end.writeUInt16LE(1, 10);
  end.writeUInt32LE(central.length + nameBytes.length, 12);
  end.writeUInt32LE(centralAt, 16);
  return new Uint8Array(Buffer.concat([local, nameBytes, data, central, nameBytes, end]));
}

const refusal = (bytes: Uint8Array, maxInflatedBytes: number): string => {
  try {
    readWorkbook(bytes, 'bomb.xlsx', { maxInflatedBytes });
  } catch (e) {
    return (e as Error).message;
  }
  return 'read';
};

describe('readWorkbook: contents that inflate past the limit', () => {
  const MiB = 1024 * 1024;

  it('declared too large: refused by the central directory alone', () => {
    expect(refusal(zipOf('xl/worksheets/sheet1.xml', 1000, 2 * MiB), MiB)).toBe(
      'bomb.xlsx: its contents inflate to 2.0 MB, over the limit of 1.0 MB for an .xlsx workbook (a zip bomb, or not a table)',
    );
  });

  it('declared small but inflating to 8 MiB: refused while inflating, the lying entry named', () => {
    const bomb = zipOf('xl/worksheets/sheet1.xml', 8 * MiB, 100);
    expect(bomb.length).toBeLessThan(16 * 1024); // zeros deflate about 1000:1
    expect(refusal(bomb, MiB)).toBe(
      'bomb.xlsx: its contents inflate to more than 1.0 MB (xl/worksheets/sheet1.xml declares 0.0 MB), over the limit of 1.0 MB for an .xlsx workbook (a zip bomb, or not a table)',
    );
  });

  it('inflating to just under the limit: passes the guard (and the parser then finds no workbook in it)', () => {
    expect(refusal(zipOf('xl/worksheets/sheet1.xml', MiB - 1, 100), MiB)).toMatch(/^bomb\.xlsx: cannot be read as a \.xlsx workbook/);
  });
});
