/**
 * The model worker: holds the current dataset and the kernel, and recomputes on request so the
 * page never blocks. Start it from a bundler with
 *   new Worker(new URL('embodied/worker', import.meta.url), { type: 'module' })
 * (or this file's URL); talk to it with the messages in ./protocol.ts.
 */
import { setBundledData } from '../../../src/data/index.js';
import { parseBundledData, type BundledData } from '../../../src/data/parse.js';
import type { Kernel } from '../../../src/kernel/api.js';
import { selectKernel } from '../../../src/kernel/select.js';
import { loadData, type LoadedData } from '../../../src/inputs/index.js';
import { compute } from '../../../src/report/compute.js';
import { inputsSpa } from '../../../src/analysis/spa.js';
import { referenceDataOf } from '../../../src/model/reference.js';
import { applyScalings } from '../../../src/model/scenario.js';
import type { DatasetInfo, Request, Response } from './protocol.js';

// Typed by hand: the project compiles with the DOM lib, which clashes with the webworker lib.
const scope = self as unknown as {
  postMessage(message: Response): void;
  onmessage: ((ev: MessageEvent<Request>) => void) | null;
};

let data: BundledData | undefined;
let kernel: Kernel | undefined;
let dataset: LoadedData | undefined;

function post(msg: Response): void {
  scope.postMessage(msg);
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
      dataset = loadData(undefined);
      post({
        type: 'ready',
        id: req.id,
        kernel: kernel.name,
        kernelNote: k.fallback ?? `${kernel.name} kernel (WebAssembly)`,
        dataset: info(dataset),
      });
      return;
    }
    case 'demo':
      if (!data) throw new Error('worker not initialised');
      dataset = loadData(undefined);
      post({ type: 'dataset', id: req.id, dataset: info(dataset) });
      return;
    case 'load': {
      if (!data) throw new Error('worker not initialised');
      dataset = loadData(req.files);
      post({ type: 'dataset', id: req.id, dataset: info(dataset) });
      return;
    }
    case 'compute': {
      if (!data || !kernel || !dataset) throw new Error('worker not initialised');
      post({ type: 'result', id: req.id, result: compute(dataset.inputs, data, req.options, req.scalings, kernel) });
      return;
    }
    case 'paths': {
      if (!data || !kernel || !dataset) throw new Error('worker not initialised');
      const inputs = applyScalings(dataset.inputs, req.scalings);
      const { spa } = inputsSpa(inputs, referenceDataOf(data), req.options, undefined, req.province, kernel, {
        maxPaths: req.maxPaths,
        threshold: req.threshold,
      });
      post({ type: 'paths', id: req.id, paths: spa, kernel: kernel.name });
      return;
    }
  }
}

scope.onmessage = (ev: MessageEvent<Request>) => {
  handle(ev.data).catch((e: unknown) => {
    post({ type: 'error', id: ev.data.id, message: e instanceof Error ? e.message : String(e) });
  });
};
