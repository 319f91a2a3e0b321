import { describe, expect, it } from 'vitest';
import { provinces } from '../../src/data/index.js';
import { provinceById, provincesIn } from '../../src/io/provinces.js';

describe('province list', () => {
  it('is the list of src/data (data/provinces.csv)', () => {
    for (const p of provinces()) expect(provinceById(p.province)).toBe(p);
    expect(provinceById('Atlantis')).toBeUndefined();
  });

  it('finds provinces in Chinese and English text without confusing neighbours', () => {
    const ids = (t: string): string[] => provincesIn(t).map((p) => p.province);
    expect(ids('陕西2017年投入产出表')).toEqual(['Shaanxi']);
    expect(ids('山西省投入产出表')).toEqual(['Shanxi']);
    expect(ids('Shaanxi_2017.xlsx')).toEqual(['Shaanxi']);
    expect(ids('shanxi.xls')).toEqual(['Shanxi']);
    expect(ids('InnerMongolia2017')).toEqual(['Inner Mongolia']);
    expect(ids('inner-mongolia.csv')).toEqual(['Inner Mongolia']);
    expect(ids('Xizang IO 2017')).toEqual(['Tibet']);
    expect(ids('Hainan vs Henan')).toEqual(['Henan', 'Hainan']);
    expect(ids('table.xls')).toEqual([]);
    expect(ids('neimenggu_2017.xlsx')).toEqual(['Inner Mongolia']);
    expect(ids('广西壮族自治区')).toEqual(['Guangxi']);
  });
});
