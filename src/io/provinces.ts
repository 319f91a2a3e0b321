/**
 * The 31 provinces (same content as data/provinces.csv, which a test keeps in sync), and the
 * identification of a province from a sheet title or a file name, in Chinese or English.
 */

export interface ProvinceInfo {
  /** Two-digit NBS order, "01".."31". */
  code: string;
  /** English id used everywhere in the model, e.g. "Inner Mongolia". */
  province: string;
  /** Chinese short name, e.g. "内蒙古". */
  zh: string;
  region: string;
  /** CEADs sheet name, e.g. "InnerMongolia2017"; '' for Tibet (no inventory). */
  ceadsSheet: string;
}

const RAW: [string, string, string, string, string][] = [
  ['01', 'Beijing', '北京', 'North coast', 'Beijing2017'],
  ['02', 'Tianjin', '天津', 'North coast', 'Tianjin2017'],
  ['03', 'Hebei', '河北', 'North coast', 'Hebei2017'],
  ['04', 'Shanxi', '山西', 'Middle Yellow River', 'Shanxi2017'],
  ['05', 'Inner Mongolia', '内蒙古', 'Middle Yellow River', 'InnerMongolia2017'],
  ['06', 'Liaoning', '辽宁', 'Northeast', 'Liaoning2017'],
  ['07', 'Jilin', '吉林', 'Northeast', 'Jilin2017'],
  ['08', 'Heilongjiang', '黑龙江', 'Northeast', 'Heilongjiang2017'],
  ['09', 'Shanghai', '上海', 'East coast', 'Shanghai2017'],
  ['10', 'Jiangsu', '江苏', 'East coast', 'Jiangsu2017'],
  ['11', 'Zhejiang', '浙江', 'East coast', 'Zhejiang2017'],
  ['12', 'Anhui', '安徽', 'Middle Yangtze', 'Anhui2017'],
  ['13', 'Fujian', '福建', 'South coast', 'Fujian2017'],
  ['14', 'Jiangxi', '江西', 'Middle Yangtze', 'Jiangxi2017'],
  ['15', 'Shandong', '山东', 'North coast', 'Shandong2017'],
  ['16', 'Henan', '河南', 'Middle Yellow River', 'Henan2017'],
  ['17', 'Hubei', '湖北', 'Middle Yangtze', 'Hubei2017'],
  ['18', 'Hunan', '湖南', 'Middle Yangtze', 'Hunan2017'],
  ['19', 'Guangdong', '广东', 'South coast', 'Guangdong2017'],
  ['20', 'Guangxi', '广西', 'Southwest', 'Guangxi2017'],
  ['21', 'Hainan', '海南', 'South coast', 'Hainan2017'],
  ['22', 'Chongqing', '重庆', 'Southwest', 'Chongqing2017'],
  ['23', 'Sichuan', '四川', 'Southwest', 'Sichuan2017'],
  ['24', 'Guizhou', '贵州', 'Southwest', 'Guizhou2017'],
  ['25', 'Yunnan', '云南', 'Southwest', 'Yunnan2017'],
  ['26', 'Tibet', '西藏', 'Northwest', ''],
  ['27', 'Shaanxi', '陕西', 'Middle Yellow River', 'Shaanxi2017'],
  ['28', 'Gansu', '甘肃', 'Northwest', 'Gansu2017'],
  ['29', 'Qinghai', '青海', 'Northwest', 'Qinghai2017'],
  ['30', 'Ningxia', '宁夏', 'Northwest', 'Ningxia2017'],
  ['31', 'Xinjiang', '新疆', 'Northwest', 'Xinjiang2017'],
];

export const PROVINCES: readonly ProvinceInfo[] = Object.freeze(
  RAW.map(([code, province, zh, region, ceadsSheet]) => Object.freeze({ code, province, zh, region, ceadsSheet })),
);

/** Other English spellings seen in data sets (lower case, letters only). */
const ALIASES: Record<string, string[]> = {
  'Inner Mongolia': ['innermongolia', 'neimenggu', 'neimongol', 'nmg'],
  Tibet: ['tibet', 'xizang'],
};

function latinKey(s: string): string {
  return s.toLowerCase().replace(/[^a-z]/g, '');
}

export function provinceById(id: string): ProvinceInfo | undefined {
  return PROVINCES.find((p) => p.province === id);
}

/**
 * The provinces whose name occurs in the text: Chinese short names as substrings; English names
 * (and a few aliases) as whole letter runs, so "Shanxi" never matches "Shaanxi".
 */
export function provincesIn(text: string): ProvinceInfo[] {
  const found = new Set<ProvinceInfo>();
  for (const p of PROVINCES) if (text.includes(p.zh)) found.add(p);
  // English: compare against letter runs and concatenations of neighbouring runs ("Inner Mongolia", "InnerMongolia2017").
  const runs = text.split(/[^A-Za-z]+/).filter((s) => s.length > 0).map((s) => s.toLowerCase());
  const words = new Set<string>();
  for (let i = 0; i < runs.length; i++) {
    words.add(runs[i]!);
    if (i + 1 < runs.length) words.add(runs[i]! + runs[i + 1]!);
    // CamelCase runs such as "Beijing2017" are already split by the digits.
  }
  for (const p of PROVINCES) {
    const keys = [latinKey(p.province), ...(ALIASES[p.province] ?? [])];
    if (keys.some((k) => words.has(k))) found.add(p);
  }
  return [...found];
}
