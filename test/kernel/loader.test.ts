/** Loading the wasm module: cached loadKernel, explicit bytes, and the module next to the loader. */
import { readFile } from 'node:fs/promises';
import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import {
  instantiateKernel,
  type Kernel,
  KernelInputError,
  loadKernel,
  pathSearchOf,
  rowsBatchOf,
  WASM_URL,
} from '../../src/kernel/index.js';
import { randomVectors, substochastic } from './helpers.js';

describe('wasm loader', () => {
  it('loadKernel() is cached', async () => {
    const a = loadKernel();
    const b = loadKernel();
    expect(a).toBe(b);
    expect((await a).name).toBe('wasm');
  });

  it('finds embodied.wasm next to the loader', () => {
    expect(WASM_URL.pathname.endsWith('/src/kernel/embodied.wasm')).toBe(true);
  });

  it('instantiates from bytes, independent of the cached instance', async () => {
    const k = await instantiateKernel(await readFile(WASM_URL));
    const cached = await loadKernel();
    expect(k).not.toBe(cached);
    const L = k.leontief(new Float64Array([0.15, 0.25, 0.2, 0.05]), 2);
    expect(L[0]).toBeCloseTo(0.95 / 0.7575, 15);
  });

  it('loadKernel(url) loads from an explicit location', async () => {
    const k = await loadKernel(WASM_URL);
    expect(k.name).toBe('wasm');
  });
});

describe('wasm loader over HTTP: what was fetched is checked', () => {
  // A server that answers like an app's dev server would: the module, or its HTML fallback page (200).
  let server: Server;
  let base: string;
  beforeAll(async () => {
    const wasm = await readFile(WASM_URL);
    server = createServer((req, res) => {
      if (req.url === '/embodied.wasm') res.writeHead(200, { 'content-type': 'application/wasm' }).end(wasm);
      else if (req.url === '/octet.wasm') res.writeHead(200, { 'content-type': 'application/octet-stream' }).end(wasm);
      else if (req.url === '/gone.wasm') res.writeHead(404).end();
      else res.writeHead(200, { 'content-type': 'text/html' }).end('<!doctype html><html></html>');
    });
    await new Promise<void>((r) => server.listen(0, '127.0.0.1', r));
    base = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
  });
  afterAll(() => new Promise<void>((r) => server.close(() => r())));

  it('application/wasm (compiled while streaming) and any other content type with the magic word both load', async () => {
    for (const path of ['/embodied.wasm', '/octet.wasm']) {
      const k = await loadKernel(base + path, { warmUp: 'off' });
      // (I − A)⁻¹ of the 1×1 A = 0.5 is 2.
      expect(k.leontief(new Float64Array([0.5]), 1)[0]).toBe(2);
    }
  });

  it('an HTML page with status 200 is refused, naming the URL and what came back', async () => {
    await expect(loadKernel(`${base}/assets/embodied.wasm`)).rejects.toThrow(
      `the wasm kernel at ${base}/assets/embodied.wasm is not a WebAssembly module: got text/html, 28 bytes starting \`<!do\``,
    );
  });

  it('an HTTP error names the URL and the status', async () => {
    await expect(loadKernel(`${base}/gone.wasm`)).rejects.toThrow(`cannot fetch the wasm kernel from ${base}/gone.wasm: HTTP 404`);
  });
});

describe('warm-up under the caller’s control', () => {
  it("'off' and 'idle' return at once; an unknown value is refused", async () => {
    const bytes = await readFile(WASM_URL);
    for (const warmUp of ['off', 'idle'] as const) {
      const k = await instantiateKernel(bytes, { warmUp });
      expect(k.leontief(new Float64Array([0.5]), 1)[0]).toBe(2);
    }
    await expect(instantiateKernel(bytes, { warmUp: 'later' as 'off' })).rejects.toThrow(
      /unknown warmUp 'later': choose from eager, idle, off/,
    );
  });

  it('a file that is not wasm is refused with its URL', async () => {
    const url = new URL('../../package.json', import.meta.url);
    await expect(loadKernel(url)).rejects.toThrow(
      /the wasm kernel at file:.*package\.json is not a WebAssembly module: got no content type, \d+ bytes starting `\{\. {2}`/,
    );
  });
});

describe("the Kernel API's module (embodied-kernel.wasm, the embodied-kernel package's embodied.wasm)", () => {
  // The same sources as the model's embodied.wasm without the row batch and the path search, so
  // every Kernel method gives the same bits; rowsBatchOf and pathSearchOf say the kernel has none.
  it('computes every Kernel method bit for bit as the model’s module, and has no row batch or path search', async () => {
    const lean = await instantiateKernel(await readFile(new URL('embodied-kernel.wasm', WASM_URL)), { warmUp: 'off' });
    const full = await instantiateKernel(await readFile(WASM_URL), { warmUp: 'off' });
    const n = 200; // past the small-system path (160): the blocked LU, GEMM and triangular solves run
    const A = substochastic(n, 17);
    const b = randomVectors(n, 4, 3);
    const run = (k: Kernel) => {
      const f = k.factorLeontief(A, n);
      const out = [f.solve(b, 4), f.solveTransposed(b, 4), f.inverse(), [f.rcond()]];
      f.free();
      const batch = k.factorBatch(A.subarray(0, 2 * 100), 10, 2, { leontief: true });
      out.push(batch.solve(b.subarray(0, 20)), batch.solveTransposed(b.subarray(0, 20)));
      batch.free();
      const x = k.solve(A, n, b, { leontief: true, nrhs: 4 });
      const op = k.prepareLeontiefIterative(A);
      out.push(
        x,
        k.leontief(A, n),
        k.inverse(A, n, { leontief: true }),
        [k.residual(A, n, x, b, { leontief: true, nrhs: 4 })],
        k.solveMixed(A, n, b, { leontief: true, nrhs: 4 }).x,
        k.solveLeontiefIterative(A, b, { tol: 1e-12 }).x,
        op.solve(b.subarray(0, n)).x,
      );
      op.free();
      return out.map((v) => [...v]);
    };
    expect(run(lean)).toEqual(run(full));
    expect(() => rowsBatchOf(lean)).toThrow(new KernelInputError('the wasm kernel has no leontiefRowsBatch'));
    expect(() => pathSearchOf(lean)).toThrow(new KernelInputError('the wasm kernel has no structuralPaths'));
    expect(rowsBatchOf(full)).toBe(full);
    expect(pathSearchOf(full)).toBe(full);
  });
});
