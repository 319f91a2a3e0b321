/** The kernel module: the typed API, its errors, the reference kernel and the wasm loader. */
export * from './api.js';
export * from './errors.js';
export { referenceKernel } from './reference.js';
export { loadKernel, instantiateKernel, WASM_URL } from './wasm.js';
export { PIVOT_REL_TOL, pivotThreshold } from './validate.js';
export { chooseSolver, estimateSolverCosts, type SolverChoice, type ChooseOptions } from './choose.js';
