/** The page's side of the model worker (./worker/): the package's client, with failures shown on the page. */
import { showError } from './views/status.js';
import { createModelWorker, type ModelWorkerResponse, type WorkerRequestBody } from './worker/client.js';

export const model = createModelWorker({
  worker: new Worker(new URL('./worker/worker.ts', import.meta.url), { type: 'module', name: 'embodied-model' }),
});
model.ready.catch(() => undefined); // shown by main.ts

export function ask(req: WorkerRequestBody, transfer: Transferable[] = []): Promise<ModelWorkerResponse> {
  return model.request(req, transfer).catch((e: Error) => {
    if (/^the model worker failed/.test(e.message)) showError(e.message);
    throw e;
  });
}
