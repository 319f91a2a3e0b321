/** The synthetic demo dataset (browser-safe). File writing is Node-only: import './files.js'. */
export {
  demoDataset,
  DEMO_SEED,
  ENERGY_EXTRA_COLUMNS,
  ENERGY_OTHER_ROWS,
  type DemoDataset,
  type DemoIOTable,
  type DemoTableDetail,
} from './dataset.js';
export { CEADS_ENERGY_UNITS, CEADS_FUELS, CEADS_SECTORS, DEMO_FUEL_FACTORS, DEMO_PROVINCES, DEMO_SECTORS } from './labels.js';
export { mulberry32, rng, type Rng } from './prng.js';
