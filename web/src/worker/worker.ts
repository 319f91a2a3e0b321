/**
 * The model worker: holds the current dataset and the kernel, and recomputes on request so the
 * page never blocks. Start it from a bundler with
 *   new Worker(new URL('embodied/worker', import.meta.url), { type: 'module' })
 * (or this file's URL); talk to it with the messages in ./protocol.ts.
 */
import { setBundledData } from '../../../src/data/index.js';
import { parseBundledData, type BundledData } from '../../../src/data/parse.js';
import { fuelFactorsOf } from '../../../src/data/lookup.js';
import type { Kernel } from '../../../src/kernel/api.js';
import { selectKernel } from '../../../src/kernel/select.js';
import type { ModelInputs } from '../../../src/model/types.js';
import { compute } from '../../../src/browser/compute.js';
import { loadDataset, demoInputs, type Dataset } from '../../../src/browser/dataset.js';
import type { Request, Response } from './protocol.js';

// Typed by hand: the project compiles with the DOM lib, which clashes with the webworker lib.
const scope = self as unknown as {
  postMessage(message: Response): void;
  onmessage: ((ev: MessageEvent<Request>) => void) | null;
};

let data: BundledData | undefined;
let kernel: Kernel | undefined;
let dataset: Dataset | undefined;

function post(msg: Response): void {
  scope.postMessage(msg);
}

async function handle(req: Request): Promise<void> {
  switch (req.type) {
    case 'init': {
      data = parseBundledData((file) => {
        const text = req.dataTexts[file];
        if (text === undefined) throw new Error(`bundled data file ${file} was not supplied`);
        return text;
      });
      // The readers and the model look the data up through src/data's bundledData() too.
      setBundledData(data);
      const k = await selectKernel('auto');
      kernel = k.kernel;
      dataset = demoInputs(fuelFactorsOf(data.ipccFuels, 'default'));
      post({ type: 'ready', id: req.id, kernel: kernel.name, kernelNote: k.fallback ?? `${kernel.name} kernel (WebAssembly)`, dataset: dataset.info });
      return;
    }
    case 'demo':
      if (!data) throw new Error('worker not initialised');
      dataset = demoInputs(fuelFactorsOf(data.ipccFuels, 'default'));
      post({ type: 'dataset', id: req.id, dataset: dataset.info });
      return;
    case 'load': {
      if (!data) throw new Error('worker not initialised');
      dataset = loadDataset(req.files, fuelFactorsOf(data.ipccFuels, 'default'));
      post({ type: 'dataset', id: req.id, dataset: dataset.info });
      return;
    }
    case 'compute': {
      if (!data || !kernel || !dataset) throw new Error('worker not initialised');
      const inputs: ModelInputs = dataset.inputs;
      post({ type: 'result', id: req.id, result: compute(inputs, data, req.options, req.scalings, kernel) });
      return;
    }
  }
}

scope.onmessage = (ev: MessageEvent<Request>) => {
  handle(ev.data).catch((e: unknown) => {
    post({ type: 'error', id: ev.data.id, message: e instanceof Error ? e.message : String(e) });
  });
};
