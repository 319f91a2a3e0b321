/** The synthetic demo dataset (browser-safe; labels from src/data, so in a browser after setBundledData). File writing is Node-only: import './files.js'. */
export {
  demoDataset,
  DEMO_SEED,
  type DemoDataset,
  type DemoIOTable,
} from './dataset.js';
