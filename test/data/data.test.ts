import { describe, expect, it } from 'vitest';
import {
  bundledData,
  ceadsConcordance,
  ceadsSectors,
  ceadsToIoMatrix,
  findProvince,
  groups6,
  ipccFuelFactors,
  parseConcordance,
  parseProvinces,
  province,
  provinces,
  regions,
  sectors30,
  sectors42,
  stripZhSuffix,
} from '../../src/data/index.js';
import { aggregateSquare, aggregateVector } from '../../src/model/aggregation.js';
import { referenceDataOf } from '../../src/model/reference.js';

const codes42 = Array.from({ length: 42 }, (_, i) => String(i + 1).padStart(2, '0'));

describe('provinces and regions', () => {
  it('has 31 provinces in NBS order, each in one of the 8 regions', () => {
    const ps = provinces();
    expect(ps.map((p) => p.code)).toEqual(Array.from({ length: 31 }, (_, i) => String(i + 1).padStart(2, '0')));
    expect(regions()).toEqual([
      'Northeast',
      'North coast',
      'East coast',
      'South coast',
      'Middle Yellow River',
      'Middle Yangtze',
      'Southwest',
      'Northwest',
    ]);
    for (const p of ps) expect(regions()).toContain(p.region);
    expect(ps.filter((p) => p.ceadsSheet === '').map((p) => p.province)).toEqual(['Tibet']);
  });

  it('puts the provinces in the regions of src/model/README.md', () => {
    const byRegion = (r: string) =>
      provinces()
        .filter((p) => p.region === r)
        .map((p) => p.province)
        .sort();
    expect(byRegion('Northeast')).toEqual(['Heilongjiang', 'Jilin', 'Liaoning']);
    expect(byRegion('North coast')).toEqual(['Beijing', 'Hebei', 'Shandong', 'Tianjin']);
    expect(byRegion('East coast')).toEqual(['Jiangsu', 'Shanghai', 'Zhejiang']);
    expect(byRegion('South coast')).toEqual(['Fujian', 'Guangdong', 'Hainan']);
    expect(byRegion('Middle Yellow River')).toEqual(['Henan', 'Inner Mongolia', 'Shaanxi', 'Shanxi']);
    expect(byRegion('Middle Yangtze')).toEqual(['Anhui', 'Hubei', 'Hunan', 'Jiangxi']);
    expect(byRegion('Southwest')).toEqual(['Chongqing', 'Guangxi', 'Guizhou', 'Sichuan', 'Yunnan']);
    expect(byRegion('Northwest')).toEqual(['Gansu', 'Ningxia', 'Qinghai', 'Tibet', 'Xinjiang']);
  });

  it('finds a province by every name form', () => {
    const im = 'Inner Mongolia';
    for (const q of [
      '05',
      '5',
      'Inner Mongolia',
      'inner mongolia',
      'InnerMongolia',
      'InnerMongolia2017',
      'Nei Mongol',
      '内蒙古',
      '内蒙古自治区',
      ' 内蒙古 ',
    ])
      expect(findProvince(q)?.province, q).toBe(im);
    expect(findProvince('广西壮族自治区')?.province).toBe('Guangxi');
    expect(findProvince('宁夏回族自治区')?.province).toBe('Ningxia');
    expect(findProvince('新疆维吾尔自治区')?.province).toBe('Xinjiang');
    expect(findProvince('西藏自治区')?.province).toBe('Tibet');
    expect(findProvince('Xizang')?.province).toBe('Tibet');
    expect(findProvince('北京市')?.province).toBe('Beijing');
    expect(findProvince('Guangxi Zhuang Autonomous Region')?.province).toBe('Guangxi');
    expect(findProvince('Xinjiang Uygur Autonomous Region')?.province).toBe('Xinjiang');
    expect(findProvince('Inner Mongolia Autonomous Region')?.province).toBe('Inner Mongolia');
    expect(findProvince('Hebei Province')?.province).toBe('Hebei');
    expect(findProvince('Shanghai Municipality')?.province).toBe('Shanghai');
    expect(findProvince('河北省')?.province).toBe('Hebei');
    expect(findProvince('Shanxi')?.code).toBe('04');
    expect(findProvince('Shaanxi')?.code).toBe('27');
    expect(findProvince('陕西省')?.code).toBe('27');
    expect(findProvince('山西')?.code).toBe('04');
    expect(findProvince('Atlantis')).toBeUndefined();
    expect(findProvince('32')).toBeUndefined();
    expect(findProvince('')).toBeUndefined();
    expect(() => province('Atlantis')).toThrow(/unknown province/);
    for (const p of provinces()) {
      expect(findProvince(p.code)).toBe(p);
      expect(findProvince(p.province)).toBe(p);
      expect(findProvince(p.zh)).toBe(p);
      if (p.ceadsSheet) expect(findProvince(p.ceadsSheet)).toBe(p);
    }
    expect(stripZhSuffix('上海市')).toBe('上海');
  });

  it('rejects a malformed provinces file', () => {
    expect(() => parseProvinces('code,province\n01,Beijing\n')).toThrow(/missing column/);
  });
});

describe('sectors 42 -> 30 -> 6', () => {
  it('maps as src/model/README.md says', () => {
    const s42 = sectors42();
    expect(s42.map((s) => s.code)).toEqual(codes42);
    const expected30 = (c: number) => (c <= 27 ? c : c === 29 ? 28 : c === 28 || c === 30 ? 29 : 30);
    for (const s of s42) expect(Number(s.sector30), s.code).toBe(expected30(Number(s.code)));
    const s30 = sectors30();
    expect(s30.map((s) => Number(s.code))).toEqual(Array.from({ length: 30 }, (_, i) => i + 1));
    const expected6 = (c: number) =>
      c === 1
        ? 'agriculture'
        : c <= 5
          ? 'mining'
          : c <= 23
            ? 'manufacturing'
            : c <= 26
              ? 'utilities'
              : c === 27
                ? 'construction'
                : 'services';
    for (const s of s30) expect(s.group6, s.code).toBe(expected6(Number(s.code)));
    for (const s of s42) expect(s.group6).toBe(s30[Number(s.sector30) - 1]!.group6);
    expect(groups6()).toEqual(['agriculture', 'mining', 'manufacturing', 'utilities', 'construction', 'services']);
    expect(s42[22]!.zh).toBe('金属制品、机械和设备修理服务');
  });

  it('aggregates vectors and matrices 42 -> 30 -> 6 with the sector maps of the model', () => {
    const m = referenceDataOf(bundledData());
    expect(m.to30.to).toEqual(sectors30().map((s) => s.code));
    expect(m.groups30.to).toEqual(groups6());
    const v = Float64Array.from(codes42, (_, i) => i + 1);
    const v30 = aggregateVector(v, m.to30);
    expect(v30[27]).toBe(29); // 30-sector #28 = IO 29
    expect(v30[28]).toBe(28 + 30);
    expect(v30[29]).toBe(codes42.slice(30).reduce((s, c) => s + Number(c), 0));
    expect(aggregateVector(v30, m.groups30).reduce((s, x) => s + x, 0)).toBe((42 * 43) / 2);
    expect(aggregateVector(v, m.groups42)).toEqual(aggregateVector(v30, m.groups30));
    const Z = new Float64Array(42 * 42).fill(1);
    const Z30 = aggregateSquare(Z, m.to30);
    expect(Z30[29 * 30 + 29]).toBe(144);
    expect(Z30[28 * 30 + 27]).toBe(2);
  });
});

describe('CEADs -> IO concordance', () => {
  it('covers every CEADs sector and every IO sector except 23, weights summing to 1', () => {
    const names = ceadsSectors().map((s) => s.name);
    expect(names).toHaveLength(45);
    expect(new Set(names).size).toBe(45);
    const conc = ceadsConcordance();
    for (const e of conc) expect(names).toContain(e.ceadsSector);
    const covered = new Set(conc.map((e) => e.ioSector));
    expect([...covered].sort()).toEqual(codes42.filter((c) => c !== '23'));
    for (const n of names) {
      const es = conc.filter((e) => e.ceadsSector === n);
      expect(es.length, n).toBeGreaterThan(0);
      const fixed = es.filter((e) => e.weight !== 'output').reduce((s, e) => s + (e.weight as number), 0);
      if (es.some((e) => e.weight === 'output')) expect(fixed).toBeLessThan(1);
      else expect(fixed, n).toBeCloseTo(1, 12);
    }
  });

  it('builds a weight matrix whose rows sum to 1, pro rata to output', () => {
    const x = Float64Array.from(codes42, (_, i) => (i + 1) * 10);
    for (const W of [ceadsToIoMatrix(), ceadsToIoMatrix(x)]) {
      expect(W).toHaveLength(45 * 42);
      for (let r = 0; r < 45; r++) {
        let s = 0;
        for (let j = 0; j < 42; j++) s += W[r * 42 + j]!;
        expect(s).toBeCloseTo(1, 12);
      }
      for (let r = 0; r < 45; r++) expect(W[r * 42 + 22]).toBe(0); // IO 23 gets nothing
    }
    const W = ceadsToIoMatrix(x);
    const trade = ceadsSectors().findIndex((s) => s.name.startsWith('Wholesale'));
    expect(W[trade * 42 + 27]).toBeCloseTo(280 / (280 + 300), 12);
    expect(W[trade * 42 + 29]).toBeCloseTo(300 / (280 + 300), 12);
    const scrap = ceadsSectors().findIndex((s) => s.name === 'Scrap and waste');
    expect(W[scrap * 42 + 21]).toBe(1);
    const eq = ceadsToIoMatrix();
    const others = ceadsSectors().findIndex((s) => s.name === 'Others');
    expect(eq[others * 42 + 30]).toBeCloseTo(1 / 12, 12);
  });

  it('honours fixed shares next to output shares', () => {
    const conc = parseConcordance('ceads_sector,io_sector,weight\nA,01,0.25\nA,02,output\nA,03,output\n');
    expect(conc[0]!.weight).toBe(0.25);
    expect(conc[1]!.weight).toBe('output');
  });
});

describe('IPCC fuel factors', () => {
  it('has the 17 CEADs fuels with consistent Mt CO2 per unit', () => {
    const f = ipccFuelFactors();
    expect(f.map((x) => x.fuel)).toEqual([
      'Raw Coal',
      'Cleaned Coal',
      'Other Washed Coal',
      'Briquettes',
      'Coke',
      'Coke Oven Gas',
      'Other Gas',
      'Other Coking Products',
      'Crude Oil',
      'Gasoline',
      'Kerosene',
      'Diesel Oil',
      'Fuel Oil',
      'LPG',
      'Refinery Gas',
      'Other Petroleum Products',
      'Natural Gas',
    ]);
    const file = ipccFuelFactors({ ncv: 'default' });
    for (const x of file) {
      // recomputed factor equals the file's mt_per_unit column (6 significant digits)
      expect(x.mtPerUnit).toBeGreaterThan(0);
      const gas = x.unit === '10^8 m3';
      expect(x.ncvBasis === 'china').toBe(gas || x.fuel === 'Other Washed Coal');
    }
    const byFuel = new Map(file.map((x) => [x.fuel, x]));
    expect(byFuel.get('Raw Coal')!.mtPerUnit).toBeCloseTo(258 * 94600e-9, 12);
    expect(byFuel.get('Natural Gas')!.mtPerUnit).toBeCloseTo(3893.1 * 56100e-9, 12);
    expect(byFuel.get('Diesel Oil')!.mtPerUnit).toBeCloseTo(0.031863, 6);
    // 2-3 t CO2 per t of coal and oil products, ~2 kg CO2 per m3 of natural gas
    for (const x of file)
      if (x.unit === '10^4 t' && x.fuel !== 'Other Washed Coal') {
        expect(x.mtPerUnit * 100).toBeGreaterThan(2);
        expect(x.mtPerUnit * 100).toBeLessThan(3.5);
      }
    const cn = new Map(ipccFuelFactors({ ncv: 'china' }).map((x) => [x.fuel, x]));
    expect(cn.get('Raw Coal')!.mtPerUnit).toBeCloseTo(209.08 * 94600e-9, 12);
    expect(cn.get('Briquettes')!.mtPerUnit).toBe(byFuel.get('Briquettes')!.mtPerUnit);
  });

  it('agrees with the file column', async () => {
    const { bundledData } = await import('../../src/data/index.js');
    const recomputed = ipccFuelFactors();
    bundledData().ipccFuels.forEach((row, i) => {
      expect(recomputed[i]!.mtPerUnit / row.mtPerUnit).toBeCloseTo(1, 5);
      expect(recomputed[i]!.ncvTjPerUnit / row.ncvTjPerUnit).toBeCloseTo(1, 5);
    });
  });
});
