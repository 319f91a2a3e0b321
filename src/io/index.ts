/** Byte-level readers (browser-safe). Node path helpers are in ./node.js. */
export { DataError, formatLocation, columnLetter, type DataLocation } from './errors.js';
export { checkRowBalance, balanceRhs, DEFAULT_BALANCE_TOLERANCE } from './balance.js';
export { provinceById, provincesIn, type ProvinceInfo } from './provinces.js';
export {
  readProvincialTable,
  parseProvincialGrid,
  IO_SECTOR_CODES,
  type ProvincialReadOptions,
  type ProvincialTableResult,
} from './provincial.js';
export { readProvincialFiles, isTableFileName, type NamedBytes, type ProvincialSet } from './provincial-set.js';
export { readNationalTable, parseNationalGrid, type NationalReadOptions, type NationalTableResult } from './national.js';
export {
  readCeadsInventory,
  readCeadsNationalInventory,
  parseCeadsSheet,
  ceadsSectorIndex,
  type CeadsReadOptions,
  type CeadsNationalOptions,
  type CeadsInventoryResult,
} from './ceads.js';
export { readIpccFactorTable, readUserFactorTable, ceadsEnergyUnits, type IpccFuel } from './factors.js';
export { parseUnit, co2ToMt, type ParsedUnit, type Dimension } from './units.js';
export {
  readWorkbook,
  loadSpreadsheetLibrary,
  sniffSpreadsheet,
  DEFAULT_MAX_BYTES,
  type Workbook,
  type SpreadsheetOptions,
} from './spreadsheet.js';
export { readCsvGrid, type CsvOptions } from './csv.js';
export type { Grid, Cell } from './grid.js';
