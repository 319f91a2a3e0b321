/**
 * The model worker: holds the kernel and the current dataset (the demo at first), and recomputes
 * on request so the page never blocks. The bundled reference data are inlined in this script. Start
 * and talk to it with createModelWorker() (./client.ts); its messages are in ./protocol.ts.
 */
import { setBundledData } from '../../../src/data/index.js';
import { parseBundledData } from '../../../src/data/parse.js';
import type { Kernel } from '../../../src/kernel/api.js';
import { selectKernel } from '../../../src/kernel/select.js';
import { loadData, type LoadedData } from '../../../src/inputs/index.js';
import { loadSpreadsheetLibrary } from '../../../src/io/spreadsheet.js';
import { compute } from '../../../src/report/compute.js';
import { inputsSpa } from '../../../src/analysis/spa.js';
import { referenceDataOf } from '../../../src/model/reference.js';
import { applyScalings } from '../../../src/model/scenario.js';
import { DATA_TEXTS } from '../bundled.js';
import type { DatasetInfo, InitRequest, KernelInfo, ModelWorkerRequest, ModelWorkerResponse } from './protocol.js';

// Typed by hand: the project compiles with the DOM lib, which clashes with the webworker lib.
const scope = (typeof self === 'undefined' ? undefined : self) as
  | { postMessage(message: ModelWorkerResponse): void; onmessage: ((ev: MessageEvent<ModelWorkerRequest>) => void) | null }
  | undefined;
if (!scope || typeof (scope as { importScripts?: unknown }).importScripts !== 'function') {
  throw new Error(
    "embodied's model worker is a Web Worker script: start it in a browser with createModelWorker() from 'embodied/worker'; " +
      "in Node call runModel from 'embodied' directly",
  );
}

const data = parseBundledData((file) => DATA_TEXTS[file]!);
// The readers and the model look the data up through src/data's bundledData().
setBundledData(data);

let started: Promise<{ kernel: Kernel; info: KernelInfo }> | undefined;
let dataset: LoadedData | undefined;

function start(req?: InitRequest) {
  started ??= selectKernel(req?.kernel ?? 'wasm', { url: req?.wasmUrl }).then((s) => ({
    kernel: s.kernel,
    info: s.fallback ? { name: s.kernel.name, fallback: s.fallback } : { name: s.kernel.name },
  }));
  return started;
}

function info(d: LoadedData): DatasetInfo {
  const { provinces, sources } = d.inputs;
  return {
    data: d.data,
    note: d.dataNote,
    provinces: provinces.map((t) => t.region),
    has: { emissions: !!sources.emissions, energy: !!sources.energy, nationalInventory: !!sources.nationalInventory },
    warnings: d.warnings,
  };
}

async function handle(req: ModelWorkerRequest): Promise<ModelWorkerResponse> {
  if (req.type === 'init' && started) throw new Error('the worker is already started (init must be the first message)');
  const { kernel, info: k } = await start(req.type === 'init' ? req : undefined);
  dataset ??= loadData(undefined);
  switch (req.type) {
    case 'init':
      return { type: 'ready', id: req.id, kernel: k, dataset: info(dataset) };
    case 'demo':
      dataset = loadData(undefined);
      return { type: 'dataset', id: req.id, kernel: k, dataset: info(dataset) };
    case 'load':
      // SheetJS is fetched only now, when files (which may be spreadsheets) are read.
      await loadSpreadsheetLibrary();
      dataset = loadData(req.files);
      return { type: 'dataset', id: req.id, kernel: k, dataset: info(dataset) };
    case 'compute':
      return { type: 'result', id: req.id, kernel: k, result: compute(dataset.inputs, data, req.options, req.scalings, kernel) };
    case 'paths': {
      const inputs = applyScalings(dataset.inputs, req.scalings);
      const { spa } = inputsSpa(inputs, referenceDataOf(data), req.options, undefined, req.province, kernel, {
        maxPaths: req.maxPaths,
        threshold: req.threshold,
      });
      return { type: 'paths', id: req.id, kernel: k, paths: spa };
    }
  }
}

scope.onmessage = (ev: MessageEvent<ModelWorkerRequest>) => {
  handle(ev.data).then(
    (res) => scope.postMessage(res),
    (e: unknown) => scope.postMessage({ type: 'error', id: ev.data.id, message: e instanceof Error ? e.message : String(e) }),
  );
};
