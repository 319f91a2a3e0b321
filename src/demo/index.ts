/** The synthetic demo dataset (browser-safe). File writing is Node-only: import './files.js'. */
export { demoDataset, DEMO_SEED, type DemoDataset, type DemoIOTable, type DemoTableDetail } from './dataset.js';
export { CEADS_FUELS, CEADS_SECTORS, DEMO_PROVINCES, DEMO_SECTORS } from './labels.js';
export { mulberry32, rng, type Rng } from './prng.js';
