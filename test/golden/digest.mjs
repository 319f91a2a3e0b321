#!/usr/bin/env node
// The output digest: sha256 of every file each command writes, on the real data and the demo,
// so a redesign can show that users see the same bytes. run.json is hashed with the fields that
// record a time, a version or a temporary path removed (named in VOLATILE), pymrio's
// metadata.json with the time stamp of the history line it adds replaced, and in every file the
// absolute paths of ../shared and of this checkout (the bundled data files, recorded as
// provenance) replaced by <shared> and <repo>, so a clone anywhere gives the same digest.
//
//   node test/golden/digest.mjs [--cli dist/src/cli/main.js] [--shared ../shared] > digest.json
//   node test/golden/digest.mjs --compare test/golden/digest.json
import { execFileSync } from 'node:child_process';
import { createHash } from 'node:crypto';
import { existsSync, mkdtempSync, readdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, relative, resolve } from 'node:path';
import { parseArgs } from 'node:util';

const here = import.meta.dirname;
const repo = resolve(here, '../..');
const { values } = parseArgs({
  options: {
    cli: { type: 'string', default: resolve(here, '../../dist/src/cli/main.js') },
    shared: { type: 'string', default: resolve(here, '../../../shared') },
    compare: { type: 'string' },
  },
});

/** run.json fields that change from run to run, or name the temporary folder. */
export const VOLATILE = ['created', 'version', 'timings_ms', 'out', 'elapsed_ms', 'kernel_load_ms'];

const D = join(values.shared, 'data');
const real = [
  '--provincial',
  join(D, 'cn-io-2017/provinces'),
  '--national',
  join(D, 'cn-io-2017/national/china_2017_42.csv'),
  '--emissions',
  join(D, 'ceads-2017/Emission_Inventories_for_30_Provinces_2017.xlsx'),
];
const energy = ['--energy', join(D, 'ceads-2017/省级能源清单_2017.xlsx')];
const natInv = ['--national-inventory', join(D, 'ceads-2017/China_CO2_Inventory_1997-2019_(IPCC_Sectoral_Emissions).xlsx')];

const optionValues = {
  aggregation: ['after', 'none'],
  'emission-source': ['energy'],
  scope: ['production+households'],
  electricity: ['consumer'],
  'inflow-intensity': ['own', 'other-provinces'],
  'import-intensity': ['national'],
  'national-emissions': ['national-inventory'],
  'direct-intensity': ['provincial-inventory'],
};

/** @type {Record<string, string[] | ((dir: string) => string[])>} */
const cases = {
  'run demo': ['run', '-q'],
  'run real': ['run', ...real, '-q'],
};
for (const [name, vals] of Object.entries(optionValues)) {
  for (const v of vals) {
    const extra = v === 'energy' ? energy : v === 'national-inventory' ? natInv : [];
    cases[`run real ${name}=${v}`] = ['run', ...real, ...extra, '-O', `${name}=${v}`, '-q'];
  }
}
Object.assign(cases, {
  'mrio demo': ['mrio', '--demo', '--quiet'],
  'mrio real': ['mrio', ...real, '--quiet'],
  'mrio real aggregation=none balance=rows': ['mrio', ...real, '--option', 'aggregation=none', '--option', 'balance=rows', '--quiet'],
  'mrio real iterative': ['mrio', ...real, '--solver', 'iterative', '--quiet'],
  'mrio real direct-intensity=rescaled-national': ['mrio', ...real, '--option', 'direct-intensity=rescaled-national', '--quiet'],
  'mrio real format=pymrio': ['mrio', ...real, '--format', 'pymrio', '--quiet'],
  'mrio pymrio': ['mrio', '--pymrio', join(values.shared, 'data/pymrio-test/native'), '--quiet'],
  'mrio pymrio iterative': ['mrio', '--pymrio', join(values.shared, 'data/pymrio-test/native'), '--solver', 'iterative', '--quiet'],
  'sweep demo': (dir) => ['sweep', 'run', spec(dir, false), '--no-progress', '-q', '-w', '2'],
  'sweep real': (dir) => ['sweep', 'run', spec(dir, true), '--no-progress', '-q', '-w', '2'],
});

function spec(dir, withData) {
  const data = withData ? `data:\n  provincial: ${real[1]}\n  national: ${real[3]}\n  emissions: ${real[5]}\n` : '';
  const text = `seed: 2017
draws: 40
chunkSize: 16
${data}montecarlo:
  - { target: fuel, per: fuel, distribution: { type: lognormal, sdlog: 0.1 } }
  - { target: intensity, per: province, distribution: { type: normal, mean: 1, sd: 0.05 } }
  - { target: A, per: column, distribution: { type: triangular, min: 0.95, mode: 1, max: 1.05 } }
  - { target: trade, per: vector, distribution: { type: uniform, min: 0.95, max: 1.05 } }
oat:
  step: 0.1
  groups:
    - { target: fuel, fuels: [Raw Coal], name: raw coal }
    - { target: intensity, sectors: ['24'], name: power }
    - { target: A, name: all A }
    - { target: trade, vectors: [E], name: exports }
grid:
  inflow-intensity: [national, own]
  import-intensity: [own, national]
`;
  const f = join(dir, 'spec.yaml');
  writeFileSync(f, text);
  return f;
}

function files(dir) {
  const out = [];
  for (const e of readdirSync(dir, { withFileTypes: true })) {
    const p = join(dir, e.name);
    if (e.isDirectory()) out.push(...files(p));
    else out.push(p);
  }
  return out.sort();
}

function strip(value) {
  if (Array.isArray(value)) return value.map(strip);
  if (value && typeof value === 'object') {
    const o = {};
    for (const [k, v] of Object.entries(value)) if (!VOLATILE.includes(k)) o[k] = strip(v);
    return o;
  }
  return value;
}

function digestCase(args) {
  const dir = mkdtempSync(join(tmpdir(), 'embodied-digest-'));
  const out = join(dir, 'out');
  try {
    const argv = typeof args === 'function' ? args(dir) : args;
    execFileSync(process.execPath, [values.cli, ...argv, '--out', out], { stdio: ['ignore', 'ignore', 'inherit'] });
    const digest = {};
    for (const f of files(out)) {
      let bytes = readFileSync(f);
      const name = relative(out, f);
      if (name.endsWith('run.json') || name.endsWith('manifest.json')) {
        bytes = Buffer.from(JSON.stringify(strip(JSON.parse(bytes.toString('utf8')))).replaceAll(dir, '<tmp>'));
      } else if (name === 'metadata.json') {
        bytes = Buffer.from(bytes.toString('utf8').replace(/"\d{8} \d{6}\.\d - MODIFICATION/, '"<time> - MODIFICATION'));
      }
      bytes = Buffer.from(bytes.toString('latin1').replaceAll(values.shared, '<shared>').replaceAll(repo, '<repo>'), 'latin1');
      digest[name] = createHash('sha256').update(bytes).digest('hex');
    }
    return digest;
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
}

const result = {};
for (const [name, args] of Object.entries(cases)) {
  if (name.includes('real') || name.includes('pymrio')) if (!existsSync(D)) continue;
  result[name] = digestCase(args);
  process.stderr.write(`${name}: ${Object.keys(result[name]).length} files\n`);
}

if (values.compare) {
  const before = JSON.parse(readFileSync(values.compare, 'utf8'));
  let same = 0;
  const differ = [];
  let skipped = 0;
  for (const [name, files] of Object.entries(before)) {
    if (!(name in result)) {
      skipped++; // a real-data case without ../shared/data
      continue;
    }
    for (const [f, h] of Object.entries(files)) {
      if (result[name]?.[f] === h) same++;
      else differ.push(`${name}: ${f}${result[name]?.[f] ? ' differs' : ' missing'}`);
    }
    for (const f of Object.keys(result[name] ?? {})) if (!(f in files)) differ.push(`${name}: ${f} new`);
  }
  process.stdout.write(
    `${same} files identical; ${differ.length} not${skipped ? ` (${skipped} real-data cases skipped: no ${D})` : ''}\n${differ.join('\n')}\n`,
  );
  process.exitCode = differ.length ? 1 : 0;
} else {
  process.stdout.write(`${JSON.stringify(result, null, 1)}\n`);
}
