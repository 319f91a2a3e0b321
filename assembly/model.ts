// Entry of the model's build (src/kernel/embodied.wasm): the Kernel API's module (index.ts) plus the
// routines only the model uses, the sweep's batch of row systems (small.ts) and the structural path
// search (spa.ts). Kept out of index.ts so that a page with the kernel alone does not load them.
export * from './index';
export { leontiefRowsBatch, rowsBatchWork } from './small';
export { spaRun, spaResult, spaFree } from './spa';
