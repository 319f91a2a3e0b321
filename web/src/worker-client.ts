/** The page's side of the model worker (./worker/): one request, one promised response. */
import { showError } from './views/status.js';
import type { Request, Response } from './worker/protocol.js';

const worker = new Worker(new URL('./worker/worker.ts', import.meta.url), { type: 'module', name: 'embodied-model' });
let nextId = 1;
const waiting = new Map<number, { resolve: (r: Response) => void; reject: (e: Error) => void }>();
worker.onmessage = (ev: MessageEvent<Response>) => {
  const w = waiting.get(ev.data.id);
  if (!w) return;
  waiting.delete(ev.data.id);
  if (ev.data.type === 'error') w.reject(new Error(ev.data.message));
  else w.resolve(ev.data);
};
worker.onerror = (ev) => showError(`The model worker failed: ${ev.message || 'could not start'}`);

type WithoutId<T> = T extends unknown ? Omit<T, 'id'> : never;

export function ask(req: WithoutId<Request>, transfer: Transferable[] = []): Promise<Response> {
  const id = nextId++;
  return new Promise((resolve, reject) => {
    waiting.set(id, { resolve, reject });
    worker.postMessage({ ...req, id } as Request, transfer);
  });
}
