import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { referenceKernel } from '../../src/kernel/index.js';
import { parseOptionArgs } from '../../src/model/options.js';
import { compileGroup } from '../../src/sweep/draws.js';
import { prepareModel } from '../../src/model/prepared.js';
import { gridCells, loadSpec, parseSpec, SpecError, specHash } from '../../src/sweep/spec.js';
import { DEFAULT_OPTIONS } from '../../src/model/options.js';
import { EMISSIONS, NATION, P1, P2, REFERENCE } from '../model/hand-system.js';

const ok = { seed: 1, draws: 10, montecarlo: [{ target: 'intensity', distribution: { type: 'normal', sd: 0.1 } }] };
const bad = (patch: Record<string, unknown>) => () => parseSpec({ ...ok, ...patch }, 'spec.yaml');

describe('sweep spec validation: every error names the field and why', () => {
  const cases: [string, Record<string, unknown>, RegExp][] = [
    ['missing seed', { seed: undefined }, /seed: .*(expected number|required)/i],
    ['seed not an integer', { seed: 1.5 }, /seed: .*int/i],
    ['negative draws', { draws: -1 }, /draws: .*>=\s*0|draws: .*too small/i],
    ['unknown top-level field', { colour: 'red' }, /\(top level\): unknown field\(s\) colour/],
    ['draws without parameters', { montecarlo: [] }, /draws: 10 draws but no montecarlo parameters/],
    [
      'unknown target',
      { montecarlo: [{ target: 'B', distribution: { type: 'normal', sd: 1 } }] },
      /montecarlo\[0\]\.target: target must be one of fuel, intensity, A, trade/,
    ],
    [
      'unknown distribution',
      { montecarlo: [{ target: 'A', distribution: { type: 'cauchy' } }] },
      /montecarlo\[0\]\.distribution\.type: distribution type must be one of/,
    ],
    [
      'negative sd',
      { montecarlo: [{ target: 'A', distribution: { type: 'normal', sd: -1 } }] },
      /montecarlo\[0\]\.distribution\.sd: .*>=\s*0|too small/,
    ],
    [
      'negative sdlog',
      { montecarlo: [{ target: 'fuel', distribution: { type: 'lognormal', sdlog: -0.1 } }] },
      /montecarlo\[0\]\.distribution\.sdlog/,
    ],
    [
      'uniform min ≥ max',
      { montecarlo: [{ target: 'trade', distribution: { type: 'uniform', min: 2, max: 1 } }] },
      /montecarlo\[0\]\.distribution\.max: min must be below max/,
    ],
    [
      'triangular mode outside',
      { montecarlo: [{ target: 'trade', distribution: { type: 'triangular', min: 0.9, mode: 1.5, max: 1.1 } }] },
      /montecarlo\[0\]\.distribution\.mode: mode must lie in \[min, max\]/,
    ],
    ['bad per', { montecarlo: [{ target: 'fuel', per: 'cell', distribution: { type: 'normal', sd: 1 } }] }, /montecarlo\[0\]\.per: /],
    [
      'unknown parameter field',
      { montecarlo: [{ target: 'A', sectors: '*', distribution: { type: 'normal', sd: 1 } }] },
      /montecarlo\[0\]: unknown field\(s\) sectors/,
    ],
    [
      'bad trade vector',
      { montecarlo: [{ target: 'trade', vectors: ['X'], distribution: { type: 'normal', sd: 1 } }] },
      /montecarlo\[0\]\.vectors\[0\]/,
    ],
    [
      'empty selector',
      { montecarlo: [{ target: 'intensity', provinces: [], distribution: { type: 'normal', sd: 1 } }] },
      /montecarlo\[0\]\.provinces/,
    ],
    ['bad option value', { options: { aggregation: 'sideways' } }, /options\.aggregation: .*before.*after.*none/],
    ['unknown option', { options: { colour: 'red' } }, /options: unknown field\(s\) colour/],
    ['bad grid value', { grid: { scope: ['production', 'all'] } }, /grid\.scope\[1\]/],
    ['repeated grid value', { grid: { scope: ['production', 'production'] } }, /grid\.scope: values must not repeat/],
    ['OAT step ≥ 1', { oat: { step: 1.5, groups: [{ target: 'A' }] } }, /oat\.step: /],
    ['OAT without groups', { oat: { step: 0.1, groups: [] } }, /oat\.groups: /],
    [
      'OAT group with a distribution',
      { oat: { step: 0.1, groups: [{ target: 'A', distribution: { type: 'normal', sd: 1 } }] } },
      /oat\.groups\[0\]: unknown field\(s\) distribution/,
    ],
    ['chunk size 0', { chunkSize: 0 }, /chunkSize: /],
    ['maxColumnSum ≥ 1', { maxColumnSum: 1 }, /maxColumnSum: /],
    ['data path not a string', { data: { provincial: 3 } }, /data\.provincial: /],
  ];
  for (const [what, patch, message] of cases) {
    it(what, () => {
      expect(bad(patch)).toThrow(SpecError);
      expect(bad(patch)).toThrow(message);
      expect(bad(patch)).toThrow(/^spec\.yaml: invalid sweep spec/);
    });
  }

  it('fills defaults and expands the grid as a full factorial', () => {
    const s = parseSpec({
      seed: 3,
      grid: { 'inflow-intensity': ['national', 'own', 'other-provinces'], 'import-intensity': ['own', 'national'] },
    });
    expect(s.draws).toBe(0);
    expect(s.chunkSize).toBe(4096);
    const cells = gridCells(s, DEFAULT_OPTIONS);
    expect(cells).toHaveLength(6);
    expect(new Set(cells.map((c) => `${c['inflow-intensity']}/${c['import-intensity']}`)).size).toBe(6);
  });

  it('the method grid takes direct-intensity like every option of OPTIONS', () => {
    const s = parseSpec({ seed: 3, grid: { 'direct-intensity': ['rescaled-national', 'provincial-inventory'] } });
    expect(gridCells(s, DEFAULT_OPTIONS).map((c) => c['direct-intensity'])).toEqual(['rescaled-national', 'provincial-inventory']);
    expect(() => parseSpec({ seed: 3, grid: { 'direct-intensity': ['own'] } })).toThrow(/grid\.direct-intensity\[0\]/);
  });

  it('reads YAML and JSON files and names the file in errors', () => {
    const dir = mkdtempSync(join(tmpdir(), 'spec-'));
    writeFileSync(
      join(dir, 'a.yaml'),
      'seed: 5\ndraws: 2\nmontecarlo:\n  - target: A\n    per: column\n    distribution: {type: lognormal, sdlog: 0.1}\n',
    );
    expect(loadSpec(join(dir, 'a.yaml')).spec.montecarlo[0]).toMatchObject({ target: 'A', per: 'column', provinces: '*' });
    writeFileSync(join(dir, 'b.json'), JSON.stringify({ seed: 5 }));
    expect(loadSpec(join(dir, 'b.json')).spec.seed).toBe(5);
    writeFileSync(join(dir, 'c.yaml'), 'seed: [1, 2\n');
    expect(() => loadSpec(join(dir, 'c.yaml'))).toThrow(/c\.yaml: not valid YAML/);
    writeFileSync(join(dir, 'd.json'), '{"seed": 1,}');
    expect(() => loadSpec(join(dir, 'd.json'))).toThrow(/d\.json: not valid JSON/);
    expect(() => loadSpec(join(dir, 'missing.yaml'))).toThrow(/missing\.yaml: cannot read the spec \(ENOENT\)/);
  });

  it('refuses unknown provinces, sectors and fuels against the model', () => {
    const m = prepareModel(
      { provinces: [P1, P2], national: NATION, sources: { emissions: EMISSIONS } },
      REFERENCE,
      parseOptionArgs(['aggregation=none']),
      referenceKernel,
    );
    const group = (g: Record<string, unknown>) => parseSpec({ seed: 1, oat: { step: 0.1, groups: [g] } }).oat!.groups[0];
    expect(() => compileGroup(m, group({ target: 'intensity', provinces: ['P9'] }), 'oat.groups[0]')).toThrow(
      /oat\.groups\[0\]\.provinces: unknown province "P9"; provinces here are P1, P2/,
    );
    expect(() => compileGroup(m, group({ target: 'A', columns: ['07'] }), 'oat.groups[0]')).toThrow(
      /oat\.groups\[0\]\.columns: unknown sector "07"/,
    );
    expect(() => compileGroup(m, group({ target: 'fuel', fuels: ['Peat'] }), 'oat.groups[0]')).toThrow(
      /oat\.groups\[0\]\.fuels: unknown fuel "Peat"; fuels here are Raw Coal, Process/,
    );
    expect(compileGroup(m, group({ target: 'fuel', fuels: ['raw coal'] }), 'x').slots).toHaveLength(1);
  });
});

describe('specHash: what a resumed sweep must share', () => {
  const at = (dir: string) => parseSpec({ ...ok, data: { provincial: `${dir}/provinces`, national: `${dir}/n.csv` } }, 'spec.yaml');
  it('ignores where the input files sit (their contents are in the data hash)', () => {
    expect(specHash(at('/a'), 'd1')).toBe(specHash(at('/b/c'), 'd1'));
  });
  it('changes with the data contents, the draws and the seedless spec, not the seed', () => {
    const base = specHash(at('/a'), 'd1');
    expect(specHash(at('/a'), 'd2')).not.toBe(base);
    expect(specHash({ ...at('/a'), draws: 11 }, 'd1')).not.toBe(base);
    expect(specHash({ ...at('/a'), seed: 2 }, 'd1')).toBe(base);
  });
});
