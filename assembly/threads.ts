// Entry of the threaded build (src/kernel/embodied-threads.wasm): the whole kernel of model.ts over
// an imported shared memory, plus the fork-join control (par.ts). The host (src/kernel/threads.ts)
// instantiates it once per thread; workers call workerStep, the main instance everything else.
export * from './model';
export { CTL_BYTES, MAX_THREADS, parQuit, parReleaseScratch, parSetup, workerStep } from './par';
