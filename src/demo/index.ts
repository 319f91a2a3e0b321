/** The synthetic demo dataset (browser-safe; labels from src/data, so in a browser after setBundledData). File writing is Node-only: import './files.js'. */
export {
  demoDataset,
  DEMO_SEED,
  ENERGY_EXTRA_COLUMNS,
  ENERGY_OTHER_ROWS,
  type DemoDataset,
  type DemoIOTable,
  type DemoTableDetail,
} from './dataset.js';
