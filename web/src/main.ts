/**
 * The page: a map of the provinces coloured by N, NP or T, the selected province's values and NP
 * by sector group, the region × group table, what-if sliders and the method options. The model
 * runs in a Web Worker (./worker/worker.ts) with the wasm kernel; this thread only renders. Each
 * view is in ./views/; this file wires them to the state and the worker.
 */
import type { DatasetInfo } from './worker/protocol.js';
import { $ } from './dom.js';
import { state } from './state.js';
import { buildDataForm, renderDatasetNote } from './views/data.js';
import { buildMap, buildMetricControl, renderMap } from './views/map.js';
import { buildOptions, disableUnavailable } from './views/options.js';
import { buildProvinceSelect, renderBars, renderDetail, showSelected } from './views/province.js';
import { schedulePaths } from './views/paths.js';
import { renderChecks, renderTiming, showError } from './views/status.js';
import { renderDownloads, renderProvinceTable, renderRegionTable } from './views/tables.js';
import { buildWhatIf, updateProvinceSlider } from './views/whatif.js';
import { ask, model } from './worker-client.js';

let inFlight = false;
let pending = false;

/** Recompute with the current options and scalings; requests made meanwhile collapse into one. */
function schedule(): void {
  if (inFlight) {
    pending = true;
    return;
  }
  inFlight = true;
  document.body.dataset.state = 'computing';
  const t0 = performance.now();
  ask({ type: 'compute', options: state.options, scalings: state.scalings })
    .then((r) => {
      if (r.type !== 'result') return;
      state.result = r.result;
      showError('');
      schedulePaths();
      const tr = performance.now();
      render();
      const ms = performance.now() - t0;
      state.computes++;
      state.roundTrips.push(ms);
      renderTiming(ms, r.result.ms, performance.now() - tr);
    })
    .catch((e: Error) => showError(e.message))
    .finally(() => {
      inFlight = false;
      if (pending) {
        pending = false;
        schedule();
      } else {
        document.body.dataset.state = 'ready';
      }
    });
}

function render(): void {
  renderMap();
  renderDetail();
  renderBars();
  renderRegionTable();
  renderProvinceTable();
  renderDownloads();
  renderChecks();
}

function select(name: string): void {
  state.selected = name;
  state.scalings = { ...state.scalings, province: name };
  showSelected(name);
  updateProvinceSlider();
  if (state.scalings.provinceEmissions !== 1) schedule();
  else {
    render();
    schedulePaths();
  }
}

function useDataset(d: DatasetInfo): void {
  state.dataset = d;
  state.rescale = true;
  renderDatasetNote(d);
  disableUnavailable();
  schedule();
}

buildMap(select);
buildProvinceSelect(select);
buildMetricControl(render);
buildWhatIf(schedule);
updateProvinceSlider();
buildOptions(schedule);
buildDataForm(useDataset);
document.body.dataset.state = 'loading';
model.ready
  .then((r) => {
    $('#kernel').textContent = `Model: ${r.kernel.fallback ?? `${r.kernel.name} kernel (WebAssembly)`}.`;
    document.body.dataset.kernel = r.kernel.name;
    useDataset(r.dataset);
  })
  .catch((e: Error) => showError(`The model could not start: ${e.message}`));
