/**
 * The typed client of the model worker: `createModelWorker()` starts the worker (the packaged
 * worker.js beside this module, unless given another), numbers the requests and pairs each with its
 * answer. Protocol and examples: web/README.md ("The model worker").
 */
import type { ModelOptions } from '../../../src/model/options.js';
import { DEFAULT_OPTIONS } from '../../../src/model/options.js';
import { NO_SCALING, type Scalings } from '../../../src/model/scenario.js';
import type { DataFiles, NamedBytes, ModelWorkerRequest, ModelWorkerResponse, WorkerKernelChoice } from './protocol.js';

export type * from './protocol.js';

export interface ModelWorkerOptions {
  /** The worker to talk to, or its script's URL (a module worker); default: worker.js beside this module. */
  worker?: Worker | URL | string;
  /** 'wasm' (default): fail when the wasm kernel does not load; 'auto': fall back to the TypeScript kernel; 'reference'. */
  kernel?: WorkerKernelChoice;
  /** Where embodied.wasm is, when not beside the worker's script (e.g. the URL your bundler gave it). */
  wasmUrl?: URL | string;
}

/** A request without its id, as the client takes it. */
export type WorkerRequestBody = ModelWorkerRequest extends infer R ? (R extends unknown ? Omit<R, 'id'> : never) : never;
type Answer<T extends ModelWorkerResponse['type']> = Extract<ModelWorkerResponse, { type: T }>;

export interface ModelWorker {
  /** The kernel and the demo dataset, once the worker has started; rejects with why it could not. */
  readonly ready: Promise<Answer<'ready'>>;
  /** The model on the current dataset, with the kernel that computed it. */
  compute(options?: ModelOptions, scalings?: Scalings): Promise<Answer<'result'>>;
  /** Reads the user's files in the worker (their buffers are transferred) and makes them the dataset. */
  load(files: DataFiles): Promise<Answer<'dataset'>>;
  /** Back to the demo dataset. */
  demo(): Promise<Answer<'dataset'>>;
  /** Any request of the protocol; resolves with its answer, rejects with the worker's error message. */
  request(req: WorkerRequestBody, transfer?: Transferable[]): Promise<ModelWorkerResponse>;
  terminate(): void;
}

export function createModelWorker(opts: ModelWorkerOptions = {}): ModelWorker {
  if (typeof Worker === 'undefined') {
    throw new Error("createModelWorker() needs Web Workers (a browser); in Node call runModel from 'embodied' directly");
  }
  const worker =
    opts.worker instanceof Worker
      ? opts.worker
      : opts.worker !== undefined
        ? new Worker(opts.worker, { type: 'module', name: 'embodied-model' })
        : // A literal, so that bundlers (Vite, webpack 5) find and bundle the worker script.
          new Worker(new URL('./worker.js', import.meta.url), { type: 'module', name: 'embodied-model' });
  let nextId = 1;
  const waiting = new Map<number, { resolve: (r: ModelWorkerResponse) => void; reject: (e: Error) => void }>();
  worker.addEventListener('message', (ev: MessageEvent<ModelWorkerResponse>) => {
    const w = waiting.get(ev.data.id);
    if (!w) return;
    waiting.delete(ev.data.id);
    if (ev.data.type === 'error') w.reject(new Error(ev.data.message));
    else w.resolve(ev.data);
  });
  // The script failed to load or threw at the top level: every pending request fails with why.
  worker.addEventListener('error', (ev: ErrorEvent) => {
    const e = new Error(`the model worker failed: ${ev.message || 'its script could not be loaded'}`);
    for (const w of waiting.values()) w.reject(e);
    waiting.clear();
  });

  const request = (req: WorkerRequestBody, transfer: Transferable[] = []): Promise<ModelWorkerResponse> => {
    const id = nextId++;
    return new Promise((resolve, reject) => {
      waiting.set(id, { resolve, reject });
      worker.postMessage({ ...req, id }, transfer);
    });
  };
  const expect =
    <T extends ModelWorkerResponse['type']>(type: T) =>
    (r: ModelWorkerResponse): Answer<T> => {
      if (r.type !== type) throw new Error(`the model worker answered '${r.type}' where '${type}' was expected`);
      return r as Answer<T>;
    };

  const wasmUrl = opts.wasmUrl === undefined ? undefined : new URL(opts.wasmUrl, globalThis.location?.href).href;
  const ready = request({ type: 'init', kernel: opts.kernel, wasmUrl }).then(expect('ready'));
  return {
    ready,
    compute: (options = DEFAULT_OPTIONS, scalings = NO_SCALING) => request({ type: 'compute', options, scalings }).then(expect('result')),
    load: (files) => {
      const named = Object.values(files)
        .flat()
        .filter((f): f is NamedBytes => typeof f === 'object' && f !== null && 'bytes' in f);
      const transfer = [...new Set(named.map((f) => f.bytes.buffer))];
      return request({ type: 'load', files }, transfer).then(expect('dataset'));
    },
    demo: () => request({ type: 'demo' }).then(expect('dataset')),
    request,
    terminate: () => {
      worker.terminate();
      const e = new Error('the model worker was terminated');
      for (const w of waiting.values()) w.reject(e);
      waiting.clear();
    },
  };
}
