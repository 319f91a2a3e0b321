/**
 * The 31 provinces as the readers see them: the list of src/data (data/provinces.csv) and the
 * identification of a province from a sheet title or a file name, in Chinese or English.
 */
import { provinces, provincesInText, type Province } from '../data/index.js';

/** A province (src/data's Province). */
export type ProvinceInfo = Province;

export function provinceById(id: string): ProvinceInfo | undefined {
  return provinces().find((p) => p.province === id);
}

/**
 * The provinces whose name occurs in the text: Chinese short names as substrings; English names
 * (and a few aliases) as whole letter runs, so "Shanxi" never matches "Shaanxi".
 */
export function provincesIn(text: string): ProvinceInfo[] {
  return provincesInText(provinces(), text);
}
