import { describe, expect, it } from 'vitest';
import { referenceKernel } from '../../src/kernel/index.js';
import { comparativeIndices } from '../../src/model/accounts.js';
import { ownIntensities } from '../../src/model/intensities.js';
import { DEFAULT_OPTIONS, parseOptionArgs } from '../../src/model/options.js';
import { runModel } from '../../src/model/pipeline.js';
import { EMISSIONS, NATION, P1, P2, REFERENCE } from './hand-system.js';

const inputs = { provinces: [P1, P2], national: NATION, sources: { emissions: EMISSIONS } };
const run = (...opts: string[]) => runModel(inputs, REFERENCE, parseOptionArgs(['aggregation=none', ...opts]), referenceKernel);
const byName = (r: ReturnType<typeof run>, p: string) => r.provinces.find((a) => a.province === p)!;

/*
 * Derivation (hand-system.ts has the tables):
 * National C = [20+10, 10+2, 6+6] = [30,12,12] Mt over x^N = 200 each → d = [0.15, 0.06, 0.06];
 * c = 54/600 = 0.09. c^P1 = 36/300 = 0.12 → d^P1 = d·4/3 = [0.2, 0.08, 0.08];
 * c^P2 = 18/300 = 0.06 → d^P2 = d·2/3 = [0.1, 0.04, 0.04].
 * t^N = d/0.9 (A^N = 0.1 I) = [1/6, 1/15, 1/15].
 * P1: t(I−A) = d with A upper triangular: t1 = 0.2/0.9 = 2/9; t2 = (0.08 + 0.2 t1)/0.9 = 11.2/81;
 *     t3 = 0.08 + 0.2 t2 = 8.72/81.
 *     CE = 20·2/9 + 10·11.2/81 = 472/81; CEP = (30·18 + 20·11.2 + 40·8.72)/81 = 1112.8/81;
 *     CM = (10·18 + 5·8.72)/81 = 223.6/81; CMP = 5/6 + 10/15 = 1.5.
 *     N = 248.4/81, NP = 1112.8/81 − 1.5 → class I; CTT = (472/81/30)/(223.6/81/15) = 472/447.2.
 * P2: A lower triangular: t3 = 0.04; t2 = 0.04 + 0.4·0.04 = 0.056; t1 = 0.1 + 0.3·0.056 = 0.1168.
 *     CE = 0; CEP = 10·(0.1168 + 0.056 + 0.04) = 2.128; CM = 20·0.1168 = 2.336; CMP = 30/15 = 2.
 *     N = −2.336, NP = 0.128 → class II; CTT has no value (E = 0); CTTp = (2.128/30)/(2/30) = 1.064.
 */
describe('paper pipeline on the hand-worked 2-province, 3-sector system', () => {
  const r = run();

  it('derives the rescaled direct intensities', () => {
    expect([...r.intensities.dNational]).toEqual([0.15, 0.06, 0.06].map((v) => expect.closeTo(v, 14)));
    expect([...r.intensities.d.get('P1')!].map((v) => +v.toFixed(14))).toEqual([0.2, 0.08, 0.08]);
    expect([...r.intensities.d.get('P2')!].map((v) => +v.toFixed(14))).toEqual([0.1, 0.04, 0.04]);
    expect(r.intensities.cNational).toBeCloseTo(0.09, 14);
  });

  it('solves the total intensities t = d L', () => {
    expect(r.t.get('P1')![0]).toBeCloseTo(2 / 9, 14);
    expect(r.t.get('P1')![1]).toBeCloseTo(11.2 / 81, 14);
    expect(r.t.get('P1')![2]).toBeCloseTo(8.72 / 81, 14);
    expect([...r.t.get('P2')!].map((v) => +v.toFixed(14))).toEqual([0.1168, 0.056, 0.04]);
    expect([...r.tNational].map((v) => +v.toFixed(14))).toEqual([1 / 6, 1 / 15, 1 / 15].map((v) => +v.toFixed(14)));
  });

  it('computes the accounts, balances, terms of trade and classes', () => {
    const p1 = byName(r, 'P1');
    expect(p1.CE).toBeCloseTo(472 / 81, 12);
    expect(p1.CEP).toBeCloseTo(1112.8 / 81, 12);
    expect(p1.CM).toBeCloseTo(223.6 / 81, 12);
    expect(p1.CMP).toBeCloseTo(1.5, 12);
    expect(p1.N).toBeCloseTo(248.4 / 81, 12);
    expect(p1.NP).toBeCloseTo(1112.8 / 81 - 1.5, 12);
    expect(p1.T).toBeCloseTo(248.4 / 81 + 1112.8 / 81 - 1.5, 12);
    expect(p1.CTT).toBeCloseTo(472 / 447.2, 12);
    expect(p1.class).toBe('I');
    const p2 = byName(r, 'P2');
    expect(p2.CE).toBe(0);
    expect(p2.CEP).toBeCloseTo(2.128, 12);
    expect(p2.CM).toBeCloseTo(2.336, 12);
    expect(p2.CMP).toBeCloseTo(2, 12);
    expect(p2.CTT).toBeNull();
    expect(p2.CTTp).toBeCloseTo(1.064, 12);
    expect(p2.class).toBe('II');
  });

  it('gives ECC per sector and no ECC where a sector does not export', () => {
    // P1: CE/E = 472/81/30; ECC_1 = t1 / that = (2/9)·30·81/472; sector 3 exports nothing.
    const { ECC, PECC } = comparativeIndices(byName(r, 'P1').sectors);
    expect(ECC[0]).toBeCloseTo(((2 / 9) * 30 * 81) / 472, 12);
    expect(ECC[2]).toBeNull();
    expect(PECC.every((v) => v !== null)).toBe(true);
    expect(comparativeIndices(byName(r, 'P2').sectors).ECC).toEqual([null, null, null]);
  });

  it('passes its own checks', () => {
    for (const c of r.checks) expect(c, c.detail).toMatchObject({ ok: true });
  });

  it('sums the groups', () => {
    const g = r.groups.get('P1')!;
    expect(g.sectors).toEqual(['goods', 'services']);
    expect(g.CE[0]).toBeCloseTo(472 / 81, 12);
    expect(g.CEP[1]).toBeCloseTo((40 * 8.72) / 81, 12);
  });
});

describe('each option changes what it should and nothing else', () => {
  const base = run();
  const p1 = byName(base, 'P1');

  it('inflow-intensity=own values P1 inflows at t^P1: (5·18 + 10·11.2)/81', () => {
    const r = byName(run('inflow-intensity=own'), 'P1');
    expect(r.CMP).toBeCloseTo(202 / 81, 12);
    expect([r.CE, r.CM, r.CEP]).toEqual([p1.CE, p1.CM, p1.CEP]);
  });

  it('inflow-intensity=other-provinces values P1 inflows at t^P2 (the only other, equal outputs)', () => {
    const r = byName(run('inflow-intensity=other-provinces'), 'P1');
    expect(r.CMP).toBeCloseTo(5 * 0.1168 + 10 * 0.056, 12);
    expect([r.CE, r.CM, r.CEP]).toEqual([p1.CE, p1.CM, p1.CEP]);
  });

  it('import-intensity=national values P1 imports at t^N: 10/6 + 5/15', () => {
    const r = byName(run('import-intensity=national'), 'P1');
    expect(r.CM).toBeCloseTo(2, 12);
    expect([r.CE, r.CMP, r.CEP]).toEqual([p1.CE, p1.CMP, p1.CEP]);
  });

  it('scope=production+households raises c^P1 to 39/300 and so every P1 intensity by 13/12', () => {
    const r = run('scope=production+households');
    expect(byName(r, 'P1').CE).toBeCloseTo((p1.CE * 13) / 12, 12);
    expect(byName(r, 'P2').CE).toBe(byName(base, 'P2').CE);
    expect(byName(r, 'P1').CMP).toBe(p1.CMP); // valued at t^N, which households do not enter
  });

  /*
   * direct-intensity=provincial-inventory: d^P1 = [20,10,6]/100, d^P2 = [10,2,6]/100.
   * P1: t1 = 0.2/0.9 = 2/9; t2 = (0.1 + 0.2·2/9)/0.9 = 13/81; t3 = 0.06 + 0.2·13/81 = 7.46/81;
   *     CE = 20·2/9 + 10·13/81 = 490/81.
   * P2: t3 = 0.06; t2 = 0.02 + 0.4·0.06 = 0.044; t1 = 0.1 + 0.3·0.044 = 0.1132; CEP = 10·(0.1132 + 0.044 + 0.06) = 2.172.
   */
  it("direct-intensity=provincial-inventory takes each province's inventory over its output, d^r x^r giving it back", () => {
    const r = run('direct-intensity=provincial-inventory');
    expect([...r.intensities.d.get('P1')!]).toEqual([0.2, 0.1, 0.06].map((v) => expect.closeTo(v, 15)));
    expect([...r.intensities.d.get('P2')!]).toEqual([0.1, 0.02, 0.06].map((v) => expect.closeTo(v, 15)));
    expect(byName(r, 'P1').CE).toBeCloseTo(490 / 81, 12);
    expect(byName(r, 'P2').CEP).toBeCloseTo(2.172, 12);
    expect(byName(r, 'P1').CMP).toBe(p1.CMP); // t^N is the national intensity either way
    expect(r.intensities.warnings).toEqual([]);
    expect(r.checks.every((c) => c.ok)).toBe(true);
    // scope only moves c^r, which these intensities do not use.
    expect(byName(run('direct-intensity=provincial-inventory', 'scope=production+households'), 'P1').CE).toBe(byName(r, 'P1').CE);
  });

  it('provincial-inventory: a province without inventory keeps the national d, and the warnings say so', () => {
    const inv = { ...EMISSIONS, provinces: new Map([['P1', EMISSIONS.provinces.get('P1')!]]) };
    const ref = { ...REFERENCE, hasInventory: (p: string) => p === 'P1' };
    const r = runModel(
      { ...inputs, sources: { emissions: inv } },
      ref,
      parseOptionArgs(['aggregation=none', 'direct-intensity=provincial-inventory']),
      referenceKernel,
    );
    // C = P1's inventory only: [20,10,6] over x^N = 200.
    expect([...r.intensities.d.get('P2')!]).toEqual([0.1, 0.05, 0.03].map((v) => expect.closeTo(v, 15)));
    expect(r.intensities.warnings).toEqual([
      'P2: no inventory; direct-intensity=provincial-inventory keeps the national intensities d for it, as the study does',
    ]);
  });

  it('a sector with CO2 and no output gets d = 0 and a warning naming it, never a division by zero', () => {
    const warnings: string[] = [];
    expect([...ownIntensities([1, 2, 0], [0, 4, 0], 'P9', ['07', '08', '09'], warnings)]).toEqual([0, 0.5, 0]);
    expect(warnings).toEqual([
      'P9, sector 07: 1 Mt CO2 in the inventory but output 0; its direct intensity is set to 0, so this CO2 is in no account',
    ]);
  });

  it('rejects unknown options and values', () => {
    expect(() => parseOptionArgs(['colour=blue'])).toThrow(/unknown option "colour"/);
    expect(() => parseOptionArgs(['scope=everything'])).toThrow(
      /scope cannot be "everything"; values are production, production\+households/,
    );
    expect(() => parseOptionArgs(['scope'])).toThrow(/expected name=value/);
    expect(DEFAULT_OPTIONS.aggregation).toBe('before');
  });
});
