/**
 * A small, fast Parquet writer for the sweep's result chunks: one row group, uncompressed PLAIN pages
 * (numbers are copied as raw little-endian bytes), dictionary-encoded strings, definition levels only
 * for the nullable columns. The page headers and footer are serialised with hyparquet-writer's Thrift
 * code; hyparquet-writer's general writer encodes value by value (~1.5 M values/s), far too slow for
 * 100 000 draws/s × 31 provinces.
 *
 * Output is deterministic: the same columns give the same bytes (no timestamps).
 */
import type { ColumnChunk, FileMetaData, SchemaElement } from 'hyparquet';
import { ByteWriter } from 'hyparquet-writer/src/bytewriter.js';
import { writePageHeader } from 'hyparquet-writer/src/datapage.js';
import { writeMetadata } from 'hyparquet-writer/src/metadata.js';

export type ParquetColumn =
  | { name: string; type: 'INT32'; data: Int32Array /** Long runs of equal values: dictionary + RLE runs. */; runs?: boolean }
  | { name: string; type: 'DOUBLE'; data: Float64Array /** NaN is written as null. */; nullable?: boolean }
  | { name: string; type: 'DICT'; dictionary: readonly string[]; indices: Uint8Array | Int32Array };

const utf8 = new TextEncoder();

/** Header of an all-bit-packed RLE/bit-packed hybrid run of `groups` groups of 8 values, then room for `bytes`. */
function bitPackedStart(groups: number, bytes: number): { out: Uint8Array; pos: number } {
  const header: number[] = [];
  varint(header, (groups << 1) | 1);
  const out = new Uint8Array(header.length + bytes);
  out.set(header);
  return { out, pos: header.length };
}

/** RLE/bit-packed hybrid, all bit-packed: header varint, then groups of 8 values LSB first. */
function bitPacked(values: ArrayLike<number>, count: number, bitWidth: number): Uint8Array {
  const groups = Math.ceil(count / 8);
  const { out, pos: start } = bitPackedStart(groups, groups * bitWidth);
  let pos = start;
  let acc = 0;
  let bits = 0;
  for (let i = 0; i < count; i++) {
    acc |= values[i] << bits;
    bits += bitWidth;
    while (bits >= 8) {
      out[pos++] = acc & 0xff;
      acc >>>= 8;
      bits -= 8;
    }
  }
  // The last group is padded with zeros, which the fresh buffer already holds.
  if (bits > 0) out[pos] = acc;
  return out;
}

/**
 * Definition levels of a nullable column (1 where the value is not NaN), bit-packed as bitPacked
 * would write them, in one pass over the values; and how many are present.
 */
function definitionLevels(values: Float64Array, rows: number): { levels: Uint8Array; present: number } {
  const groups = Math.ceil(rows / 8);
  const { out, pos } = bitPackedStart(groups, groups);
  let present = 0;
  const full = rows >> 3;
  for (let g = 0; g < full; g++) {
    const o = g * 8;
    let b = 0;
    for (let t = 0; t < 8; t++) {
      const v = values[o + t];
      if (v === v) b |= 1 << t;
    }
    out[pos + g] = b;
  }
  let b = 0;
  for (let i = full * 8; i < rows; i++) {
    const v = values[i];
    if (v === v) b |= 1 << (i & 7);
  }
  if (full < groups) out[pos + full] = b;
  for (let i = pos; i < out.length; i++) present += POPCOUNT[out[i]];
  return { levels: out, present };
}

const POPCOUNT = Uint8Array.from({ length: 256 }, (_, b) => {
  let c = 0;
  for (let x = b; x; x >>= 1) c += x & 1;
  return c;
});

function varint(out: number[], v: number): void {
  while (v > 0x7f) {
    out.push((v & 0x7f) | 0x80);
    v >>>= 7;
  }
  out.push(v);
}

/** RLE/bit-packed hybrid with RLE runs only: run r repeats dictionary index index[r], length[r] times. */
function rleRuns(index: Int32Array, length: Int32Array, count: number, bitWidth: number): Uint8Array {
  const bytes = Math.ceil(bitWidth / 8);
  const out = new Uint8Array(count * (5 + bytes));
  let p = 0;
  for (let r = 0; r < count; r++) {
    let v = length[r] * 2;
    while (v > 0x7f) {
      out[p++] = (v & 0x7f) | 0x80;
      v >>>= 7;
    }
    out[p++] = v;
    const x = index[r];
    for (let b = 0; b < bytes; b++) out[p++] = (x >>> (8 * b)) & 0xff;
  }
  return out.subarray(0, p);
}

let runIndex = new Int32Array(0);
let runLength = new Int32Array(0);

/**
 * The runs of equal values of data[0, rows) as (dictionary index, length), the dictionary in order
 * of first appearance. A run whose value exceeds every earlier one is a new entry without a lookup
 * (cell and draw only increase within a chunk); the map is built only if a value comes back.
 */
function runsOf(data: Int32Array, rows: number): { index: Int32Array; length: Int32Array; count: number; dictionary: Int32Array } {
  if (runIndex.length < rows) {
    runIndex = new Int32Array(rows);
    runLength = new Int32Array(rows);
  }
  const dict: number[] = [];
  let pos: Map<number, number> | undefined;
  let top = -Infinity;
  let count = 0;
  for (let i = 0; i < rows; ) {
    const v = data[i];
    let j = i + 1;
    while (j < rows && data[j] === v) j++;
    let k: number | undefined;
    if (v > top) {
      top = v;
      k = dict.push(v) - 1;
      pos?.set(v, k);
    } else {
      pos ??= new Map(dict.map((x, q) => [x, q]));
      k = pos.get(v);
      if (k === undefined) pos.set(v, (k = dict.push(v) - 1));
    }
    runIndex[count] = k;
    runLength[count++] = j - i;
    i = j;
  }
  return { index: runIndex, length: runLength, count, dictionary: Int32Array.from(dict) };
}

function le32(n: number): Uint8Array {
  const b = new Uint8Array(4);
  new DataView(b.buffer).setUint32(0, n, true);
  return b;
}

function bytesOf(a: Float64Array | Int32Array): Uint8Array {
  return new Uint8Array(a.buffer, a.byteOffset, a.byteLength);
}

/** One writer per thread, reused: fresh multi-megabyte buffers per chunk cost more than the encoding. */
const shared = new ByteWriter(1 << 20);

/**
 * The columns as one Parquet file (all columns must have the same number of rows). The bytes are a
 * view into a buffer reused by the next call: write or copy them first.
 */
export function writeParquet(columns: readonly ParquetColumn[], meta: Record<string, string>, createdBy: string): Uint8Array {
  const rows = columns.length ? (columns[0].type === 'DICT' ? columns[0].indices.length : columns[0].data.length) : 0;
  const w = shared;
  w.offset = 0;
  w.index = 0;
  w.ensure(4096 + rows * columns.reduce((a, c) => a + (c.type === 'DOUBLE' ? 8 : c.type === 'INT32' ? 4 : 2), 0) + columns.length * 1024);
  w.appendUint32(0x31524150); // PAR1
  const schema: SchemaElement[] = [{ name: 'schema', num_children: columns.length }];
  const chunks: ColumnChunk[] = [];
  let total = 0n;
  for (const c of columns) {
    const len = c.type === 'DICT' ? c.indices.length : c.data.length;
    if (len !== rows) throw new Error(`parquet column ${c.name}: ${len} rows, expected ${rows}`);
    const start = w.offset;
    let dictionaryOffset: bigint | undefined;
    let body: Uint8Array[];
    let encoding: 'PLAIN' | 'RLE_DICTIONARY' = 'PLAIN';
    if (c.type === 'DICT') {
      schema.push({
        name: c.name,
        type: 'BYTE_ARRAY',
        repetition_type: 'REQUIRED',
        converted_type: 'UTF8',
        logical_type: { type: 'STRING' },
      });
      const dict = c.dictionary.flatMap((s) => {
        const b = utf8.encode(s);
        return [le32(b.length), b];
      });
      const dictLen = dict.reduce((a, b) => a + b.length, 0);
      dictionaryOffset = BigInt(w.offset);
      writePageHeader(w, {
        type: 'DICTIONARY_PAGE',
        uncompressed_page_size: dictLen,
        compressed_page_size: dictLen,
        dictionary_page_header: { num_values: c.dictionary.length, encoding: 'PLAIN' },
      });
      for (const b of dict) w.appendBytes(b);
      const bitWidth = Math.max(1, Math.ceil(Math.log2(c.dictionary.length)));
      body = [Uint8Array.of(bitWidth), bitPacked(c.indices, rows, bitWidth)];
      encoding = 'RLE_DICTIONARY';
    } else if (c.type === 'INT32' && c.runs) {
      schema.push({ name: c.name, type: 'INT32', repetition_type: 'REQUIRED' });
      // Runs of the column map straight to RLE runs of dictionary indices (no index array).
      const runs = runsOf(c.data, rows);
      const dict = bytesOf(runs.dictionary);
      const size = runs.dictionary.length;
      dictionaryOffset = BigInt(w.offset);
      writePageHeader(w, {
        type: 'DICTIONARY_PAGE',
        uncompressed_page_size: dict.length,
        compressed_page_size: dict.length,
        dictionary_page_header: { num_values: size, encoding: 'PLAIN' },
      });
      w.appendBytes(dict);
      const bitWidth = Math.max(1, Math.ceil(Math.log2(size)));
      body = [Uint8Array.of(bitWidth), rleRuns(runs.index, runs.length, runs.count, bitWidth)];
      encoding = 'RLE_DICTIONARY';
    } else if (c.type === 'INT32') {
      schema.push({ name: c.name, type: 'INT32', repetition_type: 'REQUIRED' });
      body = [bytesOf(c.data)];
    } else if (c.nullable) {
      schema.push({ name: c.name, type: 'DOUBLE', repetition_type: 'OPTIONAL' });
      const src = c.data;
      const { levels, present } = definitionLevels(src, rows);
      let values = src;
      if (present < rows) {
        values = new Float64Array(present);
        for (let i = 0, k = 0; i < rows; i++) if (src[i] === src[i]) values[k++] = src[i];
      }
      body = [le32(levels.length), levels, bytesOf(values)];
    } else {
      schema.push({ name: c.name, type: 'DOUBLE', repetition_type: 'REQUIRED' });
      body = [bytesOf(c.data)];
    }
    const size = body.reduce((a, b) => a + b.length, 0);
    const dataOffset = BigInt(w.offset);
    writePageHeader(w, {
      type: 'DATA_PAGE',
      uncompressed_page_size: size,
      compressed_page_size: size,
      data_page_header: {
        num_values: rows,
        encoding,
        definition_level_encoding: 'RLE',
        repetition_level_encoding: 'RLE',
      },
    });
    for (const b of body) w.appendBytes(b);
    const bytes = BigInt(w.offset - start);
    total += bytes;
    const el = schema[schema.length - 1];
    chunks.push({
      file_offset: BigInt(start),
      meta_data: {
        type: el.type!,
        encodings: dictionaryOffset !== undefined ? ['PLAIN', 'RLE', 'RLE_DICTIONARY'] : ['PLAIN', 'RLE'],
        path_in_schema: [c.name],
        codec: 'UNCOMPRESSED',
        num_values: BigInt(rows),
        total_uncompressed_size: bytes,
        total_compressed_size: bytes,
        data_page_offset: dataOffset,
        ...(dictionaryOffset !== undefined && { dictionary_page_offset: dictionaryOffset }),
      },
    });
  }
  const metadata: FileMetaData = {
    version: 1,
    schema,
    num_rows: BigInt(rows),
    row_groups: [{ columns: chunks, total_byte_size: total, num_rows: BigInt(rows) }],
    key_value_metadata: Object.entries(meta).map(([key, value]) => ({ key, value })),
    created_by: createdBy,
    metadata_length: 0,
  };
  writeMetadata(w, metadata as unknown as Parameters<typeof writeMetadata>[1]);
  w.appendUint32(0x31524150);
  return w.getBytes();
}
