/**
 * Labels the synthetic dataset needs, kept here so that demoDataset() runs without file access
 * (browser builds). test/demo checks them against data/*.csv.
 */

/** [code, English id, Chinese short name, CEADs sheet, region] of the 31 provinces, NBS order. */
export const DEMO_PROVINCES: readonly (readonly [string, string, string, string, string])[] = [
  ['01', 'Beijing', '北京', 'Beijing2017', 'North coast'],
  ['02', 'Tianjin', '天津', 'Tianjin2017', 'North coast'],
  ['03', 'Hebei', '河北', 'Hebei2017', 'North coast'],
  ['04', 'Shanxi', '山西', 'Shanxi2017', 'Middle Yellow River'],
  ['05', 'Inner Mongolia', '内蒙古', 'InnerMongolia2017', 'Middle Yellow River'],
  ['06', 'Liaoning', '辽宁', 'Liaoning2017', 'Northeast'],
  ['07', 'Jilin', '吉林', 'Jilin2017', 'Northeast'],
  ['08', 'Heilongjiang', '黑龙江', 'Heilongjiang2017', 'Northeast'],
  ['09', 'Shanghai', '上海', 'Shanghai2017', 'East coast'],
  ['10', 'Jiangsu', '江苏', 'Jiangsu2017', 'East coast'],
  ['11', 'Zhejiang', '浙江', 'Zhejiang2017', 'East coast'],
  ['12', 'Anhui', '安徽', 'Anhui2017', 'Middle Yangtze'],
  ['13', 'Fujian', '福建', 'Fujian2017', 'South coast'],
  ['14', 'Jiangxi', '江西', 'Jiangxi2017', 'Middle Yangtze'],
  ['15', 'Shandong', '山东', 'Shandong2017', 'North coast'],
  ['16', 'Henan', '河南', 'Henan2017', 'Middle Yellow River'],
  ['17', 'Hubei', '湖北', 'Hubei2017', 'Middle Yangtze'],
  ['18', 'Hunan', '湖南', 'Hunan2017', 'Middle Yangtze'],
  ['19', 'Guangdong', '广东', 'Guangdong2017', 'South coast'],
  ['20', 'Guangxi', '广西', 'Guangxi2017', 'Southwest'],
  ['21', 'Hainan', '海南', 'Hainan2017', 'South coast'],
  ['22', 'Chongqing', '重庆', 'Chongqing2017', 'Southwest'],
  ['23', 'Sichuan', '四川', 'Sichuan2017', 'Southwest'],
  ['24', 'Guizhou', '贵州', 'Guizhou2017', 'Southwest'],
  ['25', 'Yunnan', '云南', 'Yunnan2017', 'Southwest'],
  ['26', 'Tibet', '西藏', '', 'Northwest'],
  ['27', 'Shaanxi', '陕西', 'Shaanxi2017', 'Middle Yellow River'],
  ['28', 'Gansu', '甘肃', 'Gansu2017', 'Northwest'],
  ['29', 'Qinghai', '青海', 'Qinghai2017', 'Northwest'],
  ['30', 'Ningxia', '宁夏', 'Ningxia2017', 'Northwest'],
  ['31', 'Xinjiang', '新疆', 'Xinjiang2017', 'Northwest'],
];

/** IO sector codes 01..42. */
export const DEMO_SECTORS: readonly string[] = Array.from({ length: 42 }, (_, i) => String(i + 1).padStart(2, '0'));

/** The 45 CEADs production sectors (emission inventory labels), sheet order. */
export const CEADS_SECTORS: readonly string[] = [
  'Farming, Forestry, Animal Husbandry, Fishery and Water Conservancy',
  'Coal Mining and Dressing',
  'Petroleum and Natural Gas Extraction',
  'Ferrous Metals Mining and Dressing',
  'Nonferrous Metals Mining and Dressing',
  'Nonmetal Minerals Mining and Dressing',
  'Other Minerals Mining and Dressing',
  'Logging and Transport of Wood and Bamboo',
  'Food Processing',
  'Food Production',
  'Beverage Production',
  'Tobacco Processing',
  'Textile Industry',
  'Garments and Other Fiber Products',
  'Leather, Furs, Down and Related Products',
  'Timber Processing, Bamboo, Cane, Palm Fiber & Straw Products',
  'Furniture Manufacturing',
  'Papermaking and Paper Products',
  'Printing and Record Medium Reproduction',
  'Cultural, Educational and Sports Articles',
  'Petroleum Processing and Coking',
  'Raw Chemical Materials and Chemical Products',
  'Medical and Pharmaceutical Products',
  'Chemical Fiber',
  'Rubber Products',
  'Plastic Products',
  'Nonmetal Mineral Products',
  'Smelting and Pressing of Ferrous Metals',
  'Smelting and Pressing of Nonferrous Metals',
  'Metal Products',
  'Ordinary Machinery',
  'Equipment for Special Purposes',
  'Transportation Equipment',
  'Electric Equipment and Machinery',
  'Electronic and Telecommunications Equipment',
  'Instruments, Meters, Cultural and Office Machinery',
  'Other Manufacturing Industry',
  'Scrap and waste',
  'Production and Supply of Electric Power, Steam and Hot Water',
  'Production and Supply of Gas',
  'Production and Supply of Tap Water',
  'Construction',
  'Transportation, Storage, Post and Telecommunication Services',
  'Wholesale, Retail Trade and Catering Services',
  'Others',
];

/** The 17 CEADs fuels, column order of the inventories. */
export const CEADS_FUELS: readonly string[] = [
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
];

/** Units of the 17 fuel columns of the CEADs energy inventory, as printed in its row 2. */
export const CEADS_ENERGY_UNITS: readonly string[] = [
  '10^4 ton',
  '10^4 ton',
  '10^4 ton',
  '10^4 ton',
  '10^4 ton',
  '10^8 cu.m',
  '10^8 cu.m',
  '10^4 ton',
  '10^4 ton',
  '10^4 ton',
  '10^4 ton',
  '10^4 ton',
  '10^4 ton',
  '10^4 ton',
  '10^4 ton',
  '10^4 ton',
  '10^8 cu.m',
];

/** Default Mt CO2 per inventory unit of the 17 fuels (data/ipcc-fuels.csv, mt_per_unit). */
export const DEMO_FUEL_FACTORS: readonly number[] = [
  0.0244068, // Raw Coal
  0.0266772, // Cleaned Coal
  0.009889484, // Other Washed Coal
  0.0201825, // Briquettes
  0.030174, // Coke
  0.07705176, // Coke Oven Gas
  0.097838, // Other Gas
  0.022596, // Other Coking Products
  0.0310059, // Crude Oil
  0.0306999, // Gasoline
  0.0315315, // Kerosene
  0.031863, // Diesel Oil
  0.0312696, // Fuel Oil
  0.0298463, // LPG
  0.028512, // Refinery Gas
  0.0294666, // Other Petroleum Products
  0.21840291, // Natural Gas
];
