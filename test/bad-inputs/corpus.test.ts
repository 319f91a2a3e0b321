/**
 * The bad-input corpus: each case breaks one thing in valid inputs and asserts the exit code, a
 * message that names the place (file, sheet, row, column, province, field or flag) and what is
 * wrong, no stack trace, and that nothing was written. Add a case with every bug found.
 */
import { existsSync, mkdirSync, readFileSync, renameSync, rmSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import * as XLSX from '@e965/xlsx';
import { describe, expect, it } from 'vitest';
import { demoCopy, embodied, expectRefused, pymrioCopy } from './helpers.js';
import { hasShared } from '../shared-data.js';

const SPEC = 'seed: 1\ndraws: 8\nchunkSize: 4\n';
const MC = 'montecarlo:\n  - { target: fuel, per: fuel, distribution: { type: lognormal, sdlog: 0.1 } }\n';

/** A sweep spec file (on the demo dataset) in a fresh folder; returns its path and an output folder. */
function spec(text: string): { path: string; out: string } {
  const d = demoCopy();
  const path = join(d.dir, 'spec.yaml');
  writeFileSync(path, text);
  return { path, out: d.out };
}

/** An .xlsx of one sheet from rows of values. */
function xlsx(sheets: Record<string, unknown[][]>): Buffer {
  const wb = XLSX.utils.book_new();
  for (const [name, rows] of Object.entries(sheets)) XLSX.utils.book_append_sheet(wb, XLSX.utils.aoa_to_sheet(rows), name);
  return XLSX.write(wb, { type: 'buffer', bookType: 'xlsx' }) as Buffer;
}

/** The provincial CSV as an .xlsx, whose sheet XML `edit` may change (e.g. a far-away cell). */
function tableAsXlsx(csv: string, edit: (xml: string) => string = (x) => x): Buffer {
  const rows = readFileSync(csv, 'utf8')
    .split('\n')
    .filter((l) => l !== '')
    .map((l) => l.split(',').map((v) => (v !== '' && !Number.isNaN(Number(v)) && !/^0\d/.test(v) ? Number(v) : v)));
  const zip = XLSX.CFB.read(xlsx({ Sheet1: rows }), { type: 'buffer' });
  const i = zip.FullPaths.findIndex((p) => p.endsWith('worksheets/sheet1.xml'));
  const entry = zip.FileIndex[i];
  entry.content = Buffer.from(edit(Buffer.from(entry.content as Uint8Array).toString('utf8')));
  entry.size = entry.content.length;
  return Buffer.from(XLSX.CFB.write(zip, { type: 'buffer', fileType: 'zip' }) as Uint8Array);
}

/** Sets the declared inflated size of every entry of a zip's central directory (the guard reads it before inflating). */
function declareInflated(zip: Buffer, size: number): Buffer {
  const b = Buffer.from(zip);
  for (let p = b.indexOf(Buffer.from([0x50, 0x4b, 0x01, 0x02])); p >= 0; p = b.indexOf(Buffer.from([0x50, 0x4b, 0x01, 0x02]), p + 4)) {
    b.writeUInt32LE(size, p + 24);
  }
  return b;
}

// Row 9 of a demo provincial CSV is sector 01; column 4 its use by sector 01; column 61 GO.
describe('provincial and national tables', () => {
  it('a missing provincial table with --strict: refused, the province named', () => {
    const d = demoCopy();
    rmSync(d.table('24-'));
    expectRefused(embodied(['run', ...d.data, '--strict', '-o', d.out]), /no provincial table for Guizhou.*refused with --strict/, d.out);
  });
  it('mrio --provincial with a missing table and --strict: refused', () => {
    const d = demoCopy();
    rmSync(d.table('24-'));
    expectRefused(embodied(['mrio', ...d.data, '--strict', '--out', d.out]), /no provincial table for Guizhou/, d.out);
  });
  it('a number past float range (1e400): refused at the cell', () => {
    const d = demoCopy();
    d.setCsvCell(d.table('01-'), 9, 4, '1e400');
    expectRefused(
      embodied(['run', ...d.data, '-o', d.out]),
      /01-北京\.csv, row 9, column 4: 01 × 01: not a finite number \("1e400"\)/,
      d.out,
    );
  });
  it('an absurd magnitude (1e300): refused at the cell', () => {
    const d = demoCopy();
    d.setCsvCell(d.table('01-'), 9, 61, '1e300');
    expectRefused(embodied(['run', ...d.data, '-o', d.out]), /01-北京\.csv, row 9, column 61: .*"1e300" is beyond ±1e\+25/, d.out);
  });
  it('text where a number belongs: refused at the cell', () => {
    const d = demoCopy();
    d.setCsvCell(d.table('03-'), 10, 5, 'n/a');
    expectRefused(
      embodied(['run', ...d.data, '-o', d.out]),
      /03-河北\.csv, row 10, column 5: .*expected a number, found text "n\/a"/,
      d.out,
    );
  });
  it('Infinity in the national table: refused at the cell', () => {
    const d = demoCopy();
    // Column 8 of the naive comma split: the first value (the description before it holds commas).
    d.setCsvCell(d.national, 2, 8, 'Infinity');
    expectRefused(
      embodied(['run', ...d.data, '-o', d.out]),
      /china_2017_42\.csv, row 2, column [^:]+: .*expected a number, found text "Infinity"/,
      d.out,
    );
  });
  it('a provincial folder without tables: refused, the folder named', () => {
    const d = demoCopy();
    rmSync(d.provinces, { recursive: true });
    mkdirSync(d.provinces);
    writeFileSync(join(d.provinces, 'notes.txt'), 'no tables\n');
    expectRefused(embodied(['run', ...d.data, '-o', d.out]), /provinces: no \.xls, \.xlsx or \.csv tables in this folder/, d.out);
  });
  it('a missing national file: refused, the file named', () => {
    const d = demoCopy();
    rmSync(d.national);
    expectRefused(embodied(['run', ...d.data, '-o', d.out]), /china_2017_42\.csv: cannot read: ENOENT/, d.out);
  });
  it('two tables for one province: refused, both files named', () => {
    const d = demoCopy();
    writeFileSync(join(d.provinces, '01-北京-copy.csv'), readFileSync(d.table('01-')));
    expectRefused(embodied(['run', ...d.data, '-o', d.out]), /Beijing/, d.out);
  });
  it('a table with a sector column removed: refused, the file named', () => {
    const d = demoCopy();
    const f = d.table('05-');
    const lines = readFileSync(f, 'utf8')
      .split('\n')
      .map((l) =>
        l
          .split(',')
          .filter((_, c) => c !== 44)
          .join(','),
      );
    writeFileSync(f, lines.join('\n'));
    expectRefused(embodied(['run', ...d.data, '-o', d.out]), /05-内蒙古\.csv/, d.out);
  });
  it('an .xlsx table with a stray cell at XFD1048576: refused, the used-range limit named', () => {
    const d = demoCopy();
    const f = d.table('01-');
    const x = tableAsXlsx(f, (xml) =>
      xml
        .replace(/<dimension ref="[^"]*"\/>/, '<dimension ref="A1:XFD1048576"/>')
        .replace('</sheetData>', '<row r="1048576"><c r="XFD1048576"><v>5</v></c></row></sheetData>'),
    );
    rmSync(f);
    writeFileSync(f.replace(/\.csv$/, '.xlsx'), x);
    const r = embodied(['run', ...d.data, '-o', d.out], 30_000);
    expectRefused(
      r,
      /01-北京\.xlsx, sheet Sheet1: the sheet's used range A1:XFD1048576 is beyond the limit of 10000 rows × 1000 columns/,
      d.out,
    );
  });
  it('an .xlsx whose contents inflate past the limit: refused before inflating, the limit named', () => {
    const d = demoCopy();
    writeFileSync(d.emissions, declareInflated(readFileSync(d.emissions), 0xfffffff0));
    expectRefused(
      embodied(['run', ...d.data, '-o', d.out]),
      /Emission_Inventories_for_30_Provinces_2017\.xlsx: its contents inflate to .* over the limit of 256\.0 MB/,
      d.out,
    );
  });
  it('a text file given as the inventory: refused, the file named', () => {
    const d = demoCopy();
    writeFileSync(d.emissions, 'not a workbook\n');
    expectRefused(
      embodied(['run', ...d.data, '-o', d.out]),
      /Emission_Inventories_for_30_Provinces_2017\.xlsx: not an Excel workbook/,
      d.out,
    );
  });
  it('a damaged (truncated) workbook: refused, the file named', () => {
    const d = demoCopy();
    const b = readFileSync(d.emissions);
    writeFileSync(d.emissions, b.subarray(0, b.length >> 1));
    expectRefused(embodied(['run', ...d.data, '-o', d.out]), /Emission_Inventories_for_30_Provinces_2017\.xlsx: /, d.out);
  });
  it('an inventory without the sheet of a province: refused, sheet and province named', () => {
    const d = demoCopy();
    writeFileSync(d.emissions, xlsx({ NOTE: [['nothing here']] }));
    expectRefused(embodied(['run', ...d.data, '-o', d.out]), /Emission_Inventories_for_30_Provinces_2017\.xlsx/, d.out);
  });
});

describe('options and data that do not match', () => {
  it('-O emission-source=energy without --energy: the flag it needs is named', () => {
    const d = demoCopy();
    expectRefused(
      embodied(['run', ...d.data, '-O', 'emission-source=energy', '-o', d.out]),
      /emission-source=energy needs the energy inventory \(--energy FILE\)/,
      d.out,
    );
  });
  it('--energy alone with the default option: says to add -O emission-source=energy', () => {
    const d = demoCopy();
    const args = ['run', '--provincial', d.provinces, '--national', d.national, '--energy', d.energy, '-o', d.out];
    expectRefused(embodied(args), /needs the CO2 emission inventory \(--emissions FILE\).*-O emission-source=energy/, d.out);
  });
  it('--factors in the format of data/ipcc-fuels.csv with a bad EF: refused, file, row and column named', () => {
    const d = demoCopy();
    const factors = join(d.dir, 'factors.csv');
    // Line 3 of the bundled file (after a comment and the header) is Raw Coal; column 5 its ipcc_ef_kgco2_per_tj.
    writeFileSync(
      factors,
      readFileSync('data/ipcc-fuels.csv', 'utf8').replace(
        'Raw Coal,10^4 t,Other Bituminous Coal,25.8,94600',
        'Raw Coal,10^4 t,Other Bituminous Coal,25.8,-94600',
      ),
    );
    const args = ['run', ...d.data, '--energy', d.energy, '--factors', factors, '-O', 'emission-source=energy', '-o', d.out];
    expectRefused(embodied(args), /factors\.csv, row 3, column 5: ipcc_ef_kgco2_per_tj of Raw Coal must be positive/, d.out);
  });
  it('--factors with neither format: refused, both formats named', () => {
    const d = demoCopy();
    const factors = join(d.dir, 'factors.csv');
    writeFileSync(factors, 'fuel_name,co2\nRaw Coal,1\n');
    const args = ['run', ...d.data, '--energy', d.energy, '--factors', factors, '-O', 'emission-source=energy', '-o', d.out];
    expectRefused(embodied(args), /factors\.csv, row 1: header must have the columns fuel, factor, unit .*data\/ipcc-fuels\.csv/, d.out);
  });
  it('-O national-emissions=national-inventory without the file: refused, the flag named', () => {
    const d = demoCopy();
    expectRefused(embodied(['run', ...d.data, '-O', 'national-emissions=national-inventory', '-o', d.out]), /--national-inventory/, d.out);
  });
  it('an unknown option: refused, the options listed', () => {
    const d = demoCopy();
    expectRefused(
      embodied(['run', ...d.data, '-O', 'colour=blue', '-o', d.out]),
      /unknown option "colour"; options are aggregation/,
      d.out,
    );
  });
  it('only one of --provincial and --national: refused, both flags named', () => {
    const d = demoCopy();
    expectRefused(embodied(['run', '--provincial', d.provinces, '-o', d.out]), /both --provincial DIR and --national FILE/, d.out);
  });
});

describe('--config', () => {
  const config = (json: string) => {
    const d = demoCopy();
    const path = join(d.dir, 'config.json');
    writeFileSync(path, json);
    return { r: embodied(['run', '--config', path, '-o', d.out]), out: d.out };
  };
  it('a number where a path belongs: the field and the type named', () => {
    const { r, out } = config('{"provincial": 12345}');
    expectRefused(r, /config\.json: invalid config .*\n {2}provincial: Invalid input: expected string, received number/, out);
  });
  it('null: refused as not an object', () => {
    const { r, out } = config('null');
    expectRefused(r, /\(top level\): Invalid input: expected object, received null/, out);
  });
  it('an unknown field: named', () => {
    const { r, out } = config('{"provinical": "x"}');
    expectRefused(r, /unknown field\(s\) provinical/, out);
  });
  it('not JSON: refused, the file named', () => {
    const { r, out } = config('{provincial: x');
    expectRefused(r, /--config .*config\.json: /, out);
  });
  it('a 5 MB option value: refused, and echoed cut short', () => {
    const { r, out } = config(JSON.stringify({ options: { scope: 'x'.repeat(5_000_000) } }));
    expectRefused(r, /option scope cannot be "x{37}\.\.\."; values are production/, out);
    expect(r.stderr.length).toBeLessThan(1000);
  });
});

describe('sweep specs', () => {
  it('lognormal {meanlog: 1e308, sdlog: 1e308}: refused, the field named', () => {
    const s = spec(`${SPEC}montecarlo:\n  - { target: fuel, distribution: { type: lognormal, meanlog: 1e308, sdlog: 1e308 } }\n`);
    expectRefused(embodied(['sweep', 'run', s.path, '-o', s.out, '-q']), /montecarlo\[0\]\.distribution\.meanlog: .*1e\+100/, s.out);
  });
  it('a uniform distribution whose width overflows: refused', () => {
    const s = spec(`${SPEC}montecarlo:\n  - { target: fuel, distribution: { type: uniform, min: -1e308, max: 1e308 } }\n`);
    expectRefused(embodied(['sweep', 'check', s.path]), /montecarlo\[0\]\.distribution\.min/, s.out);
  });
  it('a normal distribution reaching beyond the multiplier bound: refused', () => {
    const s = spec(`${SPEC}montecarlo:\n  - { target: fuel, distribution: { type: normal, mean: 1, sd: 1e99 } }\n`);
    expectRefused(
      embodied(['sweep', 'check', s.path]),
      /montecarlo\[0\]\.distribution\.sd: the distribution reaches multipliers beyond/,
      s.out,
    );
  });
  it('a repeated province: refused, the selector named', () => {
    const s = spec(
      `${SPEC}montecarlo:\n  - { target: intensity, provinces: [Beijing, Beijing], distribution: { type: normal, sd: 0.1 } }\n`,
    );
    expectRefused(
      embodied(['sweep', 'run', s.path, '-o', s.out, '-q']),
      /montecarlo\[0\]\.provinces: province "Beijing" is listed twice/,
      s.out,
    );
  });
  it('a repeated trade vector: refused', () => {
    const s = spec(`${SPEC}montecarlo:\n  - { target: trade, vectors: [E, E], distribution: { type: normal, sd: 0.1 } }\n`);
    expectRefused(embodied(['sweep', 'check', s.path]), /montecarlo\[0\]\.vectors: vectors must not repeat/, s.out);
  });
  it('2e9 draws in chunks of 1e6: refused by sweep check and sweep run, disk and memory named', () => {
    const s = spec(`seed: 1\ndraws: 2000000000\nchunkSize: 1000000\n${MC}`);
    const check = embodied(['sweep', 'check', s.path]);
    expect(check.stdout).toMatch(/estimated 1\.3 GB on disk and 4\.2 GB of memory per chunk \(per worker\), 2\.6 TB on disk in all/);
    expectRefused(
      check,
      /sweep too large: the results would take 2\.6 TB on disk, over the limit of 100 GB \(raise it with --max-disk GB\)/,
      s.out,
    );
    expectRefused(embodied(['sweep', 'run', s.path, '-o', s.out, '-q']), /--max-memory GB/, s.out);
  });
  it('--shard 0/99999999999999999999: refused', () => {
    const s = spec(SPEC + MC);
    expectRefused(
      embodied(['sweep', 'run', s.path, '-o', s.out, '--shard', '0/99999999999999999999', '-q']),
      /--shard 0\/99999999999999999999: k must be/,
      s.out,
    );
  });
  it('more shards than chunks: refused, the chunk count named', () => {
    const s = spec(SPEC + MC);
    expectRefused(
      embodied(['sweep', 'run', s.path, '-o', s.out, '--shard', '0/5', '-q']),
      /the sweep has 2 chunk\(s\), so at most 2 shards/,
      s.out,
    );
  });
  it('an unknown field: named', () => {
    const s = spec(`${SPEC}${MC}colour: blue\n`);
    expectRefused(embodied(['sweep', 'run', s.path, '-o', s.out, '-q']), /\(top level\): unknown field\(s\) colour/, s.out);
  });
  it('an unknown province: named with the field', () => {
    const s = spec(`${SPEC}montecarlo:\n  - { target: intensity, provinces: [Atlantis], distribution: { type: normal, sd: 0.1 } }\n`);
    expectRefused(embodied(['sweep', 'run', s.path, '-o', s.out, '-q']), /montecarlo\[0\]\.provinces: unknown province "Atlantis"/, s.out);
  });
  it('not YAML: refused, the file named', () => {
    const s = spec('seed: [1\n');
    expectRefused(embodied(['sweep', 'run', s.path, '-o', s.out, '-q']), /spec\.yaml/, s.out);
  });
});

describe.skipIf(!hasShared('pymrio-test/native'))('pymrio folders', () => {
  it('file_parameters.json naming ../../etc/passwd: refused, never opened', () => {
    const dir = pymrioCopy();
    const p = join(dir, 'file_parameters.json');
    const json = JSON.parse(readFileSync(p, 'utf8'));
    json.files.Z.name = '../../../../etc/passwd';
    writeFileSync(p, JSON.stringify(json));
    const out = `${dir}-out`;
    expectRefused(
      embodied(['mrio', '--pymrio', dir, '--out', out]),
      /file_parameters\.json: entry "Z" names "\.\.\/\.\.\/\.\.\/\.\.\/etc\/passwd": it must be a file name in this folder/,
      out,
    );
  });
  it('an absolute name: refused', () => {
    const dir = pymrioCopy();
    const p = join(dir, 'file_parameters.json');
    const json = JSON.parse(readFileSync(p, 'utf8'));
    json.files.Y.name = '/etc/hostname';
    writeFileSync(p, JSON.stringify(json));
    expectRefused(embodied(['mrio', '--pymrio', dir, '--out', `${dir}-out`]), /entry "Y" names "\/etc\/hostname"/, `${dir}-out`);
  });
  it('no file_parameters.json: refused, the file named', () => {
    const dir = pymrioCopy();
    rmSync(join(dir, 'file_parameters.json'));
    expectRefused(embodied(['mrio', '--pymrio', dir, '--out', `${dir}-out`]), /file_parameters\.json: missing/, `${dir}-out`);
  });
  it('a word in Z.txt: refused, row and column named', () => {
    const dir = pymrioCopy();
    const p = join(dir, 'Z.txt');
    const lines = readFileSync(p, 'utf8').split('\n');
    const cells = lines[4].split('\t');
    cells[3] = 'abc';
    lines[4] = cells.join('\t');
    writeFileSync(p, lines.join('\n'));
    expectRefused(embodied(['mrio', '--pymrio', dir, '--out', `${dir}-out`]), /Z\.txt.*row|Z\.txt.*column/, `${dir}-out`);
  });
});

describe('what users do that is not an error', () => {
  it('a missing provincial table without --strict: exit 0, a warning on the terminal, in run.json and report.md', () => {
    const d = demoCopy();
    rmSync(d.table('24-'));
    const r = embodied(['run', ...d.data, '-q', '-o', d.out]);
    expect(r.code).toBe(0);
    expect(r.stderr).toMatch(
      /^warning: no provincial table for Guizhou: it is left out, so every national total .* covers only the 30 provinces read/m,
    );
    expect(r.stderr).not.toMatch(/\(node:\d+\)/);
    const run = JSON.parse(readFileSync(join(d.out, 'run.json'), 'utf8'));
    expect(run.warnings[0]).toMatch(/^no provincial table for Guizhou/);
    expect(readFileSync(join(d.out, 'report.md'), 'utf8')).toMatch(/\*\*Warning: no provincial table for Guizhou/);
  });
  it('a table whose file name is GBK bytes (as unzipped from a Chinese archive): read', () => {
    const d = demoCopy();
    const f = d.table('01-');
    // 北京 in GBK: B1 B1 BE A9.
    renameSync(
      Buffer.from(f) as unknown as string,
      Buffer.concat([
        Buffer.from(join(d.provinces, '01-')),
        Buffer.from([0xb1, 0xb1, 0xbe, 0xa9]),
        Buffer.from('.csv'),
      ]) as unknown as string,
    );
    expect(existsSync(f)).toBe(false);
    const r = embodied(['run', ...d.data, '-q', '-o', d.out]);
    expect(r.stderr).toBe('');
    expect(r.code).toBe(0);
    expect(JSON.parse(readFileSync(join(d.out, 'run.json'), 'utf8')).provinces).toBe(31);
  });
  it('stdout closed early (| head -c 1): ends quietly', () => {
    const s = spec(SPEC + MC);
    const { spawnSync } = require('node:child_process') as typeof import('node:child_process');
    const cli = join(__dirname, '../../dist/src/cli/main.js');
    const r = spawnSync(
      'bash',
      ['-c', `set -o pipefail; "${process.execPath}" "${cli}" sweep run "${s.path}" -o "${s.out}" --no-progress -w 0 | head -c 1`],
      { encoding: 'utf8' },
    );
    expect(r.stderr).not.toMatch(/EPIPE|^\s+at /m);
    expect(r.status).toBe(0);
  });
});
