/** Byte-level readers (browser-safe). Node path helpers are in ./node.js. */
export { DataError, formatLocation, columnLetter, type DataLocation } from './errors.js';
export { checkRowBalance, balanceRhs, DEFAULT_BALANCE_TOLERANCE } from './balance.js';
export { PROVINCES, provinceById, provincesIn, type ProvinceInfo } from './provinces.js';
export {
  readProvincialTable,
  parseProvincialGrid,
  IO_SECTOR_CODES,
  type ProvincialReadOptions,
  type ProvincialTableResult,
} from './provincial.js';
export { readProvincialFiles, isTableFileName, type NamedBytes, type ProvincialSet } from './provincial-set.js';
export { readNationalTable, parseNationalGrid, type NationalReadOptions, type NationalTableResult } from './national.js';
