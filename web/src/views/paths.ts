/**
 * The selected province's top supply-chain paths (structural path analysis of its consumption CO2
 * in the MRIO), computed in the worker and recomputed whenever the province, the options or the
 * sliders change. The worker does one thing at a time, so the paths are asked for only once the
 * controls have been still for DELAY ms (a slider being dragged keeps the map live), and requests
 * made meanwhile collapse into one.
 */
import { $ } from '../dom.js';
import { state } from '../state.js';
import { ask } from '../worker-client.js';

const SHOWN = 15;
const MAX_PATHS = 1000;
const THRESHOLD = 1e-6;

const DELAY = 300;

let inFlight = false;
let pending = false;
let timer: ReturnType<typeof setTimeout> | undefined;

export function schedulePaths(): void {
  clearTimeout(timer);
  timer = setTimeout(requestPaths, DELAY);
}

function requestPaths(): void {
  if (inFlight) {
    pending = true;
    return;
  }
  inFlight = true;
  const province = state.selected;
  const t0 = performance.now();
  ask({ type: 'paths', province, options: state.options, scalings: state.scalings, maxPaths: MAX_PATHS, threshold: THRESHOLD })
    .then((r) => {
      if (r.type !== 'paths') return;
      const p = r.paths;
      const list = $('#paths-list');
      list.innerHTML = '';
      for (const path of p.paths.slice(0, SHOWN)) {
        const li = document.createElement('li');
        li.textContent = `${path.value.toFixed(2)} Mt (${(100 * path.share).toFixed(1)} %): ${path.chain}`;
        li.title = `order ${path.order}: ${path.value} Mt`;
        li.dataset.value = String(path.value);
        list.append(li);
      }
      $('#paths-note').textContent =
        `${p.province}: ${p.total.toFixed(1)} Mt consumption CO₂ in the MRIO; the top ${p.paths.length} paths cover ` +
        `${((100 * p.covered) / p.total).toFixed(1)} % (remainder ${p.remainder.toFixed(1)} Mt, computed). ` +
        `${p.expanded} paths examined in ${p.ms.toFixed(0)} ms, ${(performance.now() - t0).toFixed(0)} ms with the MRIO (${r.kernel.name} kernel).`;
    })
    .catch((e: Error) => {
      $('#paths-note').textContent = `Paths could not be computed: ${e.message}`;
      $('#paths-list').innerHTML = '';
    })
    .finally(() => {
      inFlight = false;
      if (pending) {
        pending = false;
        requestPaths();
      }
    });
}
