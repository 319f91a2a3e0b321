import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { parse } from 'csv-parse/sync';
import { PROVINCES, provincesIn } from '../../src/io/provinces.js';
import { FIXTURES } from './helpers.js';

describe('province list', () => {
  it('equals data/provinces.csv', () => {
    const rows = parse(readFileSync(join(FIXTURES, '..', '..', '..', 'data', 'provinces.csv')), { columns: true }) as Record<string, string>[];
    expect(PROVINCES.map((p) => [p.code, p.province, p.zh, p.region, p.ceadsSheet])).toEqual(
      rows.map((r) => [r.code, r.province, r.province_zh, r.region, r.ceads_sheet]),
    );
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
  });
});
