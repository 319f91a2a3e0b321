/** The kernel module: the typed API, its errors, the reference kernel, the wasm loader and selectKernel. */
export * from './api.js';
export * from './errors.js';
export { referenceKernel } from './reference.js';
export { loadKernel, instantiateKernel, WASM_URL } from './load.js';
export { KERNEL_CHOICES, selectKernel, THREADS_FROM, type KernelChoice, type KernelSelection, type SelectOptions } from './select.js';
export { rowsBatchOf, type RowsBatch } from './rows-batch.js';
export { pathSearchOf, structuralPathsReference, type PathSearch, type SpaInput, type SpaRaw } from './spa.js';
export { PIVOT_REL_TOL, pivotThreshold } from './validate.js';
export { chooseSolver, estimateSolverCosts, type SolverChoice, type ChooseOptions } from './choose.js';
