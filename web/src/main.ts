/**
 * The page: a map of the provinces coloured by N, NP or T, the selected province's values and NP
 * by sector group, the region × group table, what-if sliders and the method options. The model
 * runs in a Web Worker (src/browser/worker.ts) with the wasm kernel; this thread only renders.
 */
import { parseBundledData, type Province } from '../../src/data/parse.js';
import type { ComputeResult, ProvinceRow } from '../../src/browser/compute.js';
import { tableCsv } from '../../src/browser/csv.js';
import type { DatasetInfo, NamedFile, Request, Response, UserFiles } from '../../src/browser/protocol.js';
import { NO_SCALING, type Scalings } from '../../src/browser/scenario.js';
import { DEFAULT_OPTIONS, OPTION_VALUES, type ModelOptions, type OptionName } from '../../src/model/options.js';
import { DATA_TEXTS } from './bundled.js';
import { divergingColour, GRADIENT, niceCeil } from './colour.js';
import { exact, mt, mt3, mt3plain, ratio } from './format.js';
import { MAP_HEIGHT, MAP_WIDTH, provinceShapes } from './geo.js';

type Metric = 'N' | 'NP' | 'T';

const METRIC_HELP: Record<Metric, string> = {
  N: 'N = CE − CM: CO₂ embodied in foreign exports minus imports. N > 0: the province emits for foreign consumers.',
  NP: 'NP = CEP − CMP: CO₂ embodied in outflows to other provinces minus inflows from them.',
  T: 'T = N + NP: the total net balance of foreign and interprovincial trade.',
};
const METRIC_NAME: Record<Metric, string> = {
  N: 'Foreign net embodied carbon N',
  NP: 'Interprovincial net embodied carbon NP',
  T: 'Total net embodied carbon T = N + NP',
};
const OPTION_HELP: Record<OptionName, string> = {
  aggregation: 'before: aggregate 42 → 30 sectors, then invert · after: 42-sector model, results aggregated · none: report at 42 sectors',
  'emission-source': 'ceads: the CEADs CO₂ inventory · energy: CEADs energy inventory × IPCC 2006 emission factors',
  scope: 'production: production CO₂ only · production+households: household CO₂ added to the provincial total',
  electricity: 'producer: power-sector CO₂ stays in sector 24 · consumer: reassigned to the users of electricity and heat',
  'inflow-intensity': 'intensity valuing inflows from other provinces: national t^N, the own t^r, or the other provinces’ output-weighted t',
  'import-intensity': 'intensity valuing foreign imports: own t^r or national t^N',
  'national-emissions': 'national sector CO₂: the sum of the provinces, or the national inventory',
};

const $ = <T extends Element = HTMLElement>(sel: string): T => {
  const el = document.querySelector<T>(sel);
  if (!el) throw new Error(`page element ${sel} missing`);
  return el;
};
const SVG = 'http://www.w3.org/2000/svg';
const svgEl = <K extends keyof SVGElementTagNameMap>(tag: K, attrs: Record<string, string | number> = {}) => {
  const el = document.createElementNS(SVG, tag);
  for (const [k, v] of Object.entries(attrs)) el.setAttribute(k, String(v));
  return el;
};

// ---------------------------------------------------------------- state

const bundled = parseBundledData((file) => DATA_TEXTS[file]!);
const meta = new Map<string, Province>(bundled.provinces.map((p) => [p.province, p]));
const byZh = new Map<string, Province>(bundled.provinces.map((p) => [p.zh, p]));

const state = {
  metric: 'N' as Metric,
  selected: 'Zhejiang',
  options: { ...DEFAULT_OPTIONS } as ModelOptions,
  scalings: { ...NO_SCALING, province: 'Zhejiang' } as Scalings,
  result: undefined as ComputeResult | undefined,
  dataset: undefined as DatasetInfo | undefined,
  /** Colour scale half-range (Mt CO2); kept while only sliders move, so the map shows their effect. */
  domain: 1,
  rescale: true,
  computes: 0,
  roundTrips: [] as number[],
};

// ---------------------------------------------------------------- worker

const worker = new Worker(new URL('../../src/browser/worker.ts', import.meta.url), { type: 'module', name: 'embodied-model' });
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

function ask(req: WithoutId<Request>, transfer: Transferable[] = []): Promise<Response> {
  const id = nextId++;
  return new Promise((resolve, reject) => {
    waiting.set(id, { resolve, reject });
    worker.postMessage({ ...req, id } as Request, transfer);
  });
}

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

// ---------------------------------------------------------------- map

const shapes = provinceShapes();
const mapSvg = $<SVGSVGElement>('#map');
mapSvg.setAttribute('viewBox', `0 0 ${MAP_WIDTH} ${MAP_HEIGHT}`);
const paths = new Map<string, SVGPathElement>();
const selOutline = svgEl('path');
const tooltip = $('#tooltip');

function buildMap(): void {
  const gShapes = svgEl('g');
  const gLabels = svgEl('g', { class: 'labels', 'aria-hidden': 'true' });
  for (const s of shapes) {
    const p = byZh.get(s.zh);
    const path = svgEl('path', { d: s.d, class: p ? 'prov' : 'prov nodata' });
    if (p) {
      path.dataset.province = p.province;
      path.setAttribute('tabindex', '0');
      path.setAttribute('role', 'button');
      path.addEventListener('click', () => select(p.province));
      path.addEventListener('keydown', (ev) => {
        if (ev.key === 'Enter' || ev.key === ' ') {
          ev.preventDefault();
          select(p.province);
        }
      });
      path.addEventListener('mouseenter', () => showTip(p.province, path));
      path.addEventListener('mousemove', (ev) => moveTip(ev));
      path.addEventListener('mouseleave', hideTip);
      path.addEventListener('focus', () => showTip(p.province, path, true));
      path.addEventListener('blur', hideTip);
      paths.set(p.province, path);
      if (s.area > 800) {
        // Hebei's and Gansu's centroids fall next to or outside their shapes: label at the capital.
        const [x, y] = s.zh === '河北' || s.zh === '甘肃' ? s.capital : s.centroid;
        const t = svgEl('text', { x: x.toFixed(1), y: (y + 4).toFixed(1) });
        t.textContent = p.zh;
        gLabels.append(t);
      }
    } else {
      path.setAttribute('aria-label', `${s.zh}: not among the 31 provinces of the tables`);
      const t = svgEl('title');
      t.textContent = `${s.zh}: not among the 31 provinces of the tables (no data)`;
      path.append(t);
    }
    gShapes.append(path);
  }
  selOutline.setAttribute('class', 'sel-outline');
  selOutline.setAttribute('aria-hidden', 'true');
  mapSvg.append(gShapes, gLabels, selOutline);
}

function metricValue(row: ProvinceRow): number {
  return row[state.metric];
}

function renderMap(): void {
  const r = state.result;
  if (!r) return;
  const rows = new Map(r.provinces.map((p) => [p.province, p]));
  if (state.rescale) {
    state.domain = niceCeil(Math.max(...r.provinces.map((p) => Math.abs(metricValue(p)))));
    state.rescale = false;
  }
  for (const [name, path] of paths) {
    const row = rows.get(name);
    path.classList.toggle('selected', name === state.selected);
    if (!row) {
      path.style.fill = '';
      path.classList.add('nodata');
      path.dataset.value = '';
      path.setAttribute('aria-label', `${name}: not in the loaded data`);
      continue;
    }
    path.classList.remove('nodata');
    const v = metricValue(row);
    path.style.fill = divergingColour(v, state.domain);
    path.dataset.value = String(v);
    path.setAttribute('aria-label', `${name} ${row.zh}: ${state.metric} ${mt(v)} Mt CO2, class ${row.class}`);
  }
  // The selected outline is drawn on top by a copy of the path (moving the path itself would lose keyboard focus).
  const sel = paths.get(state.selected);
  selOutline.setAttribute('d', sel?.getAttribute('d') ?? '');
  $('#map-title').textContent = `${METRIC_NAME[state.metric]} by province (Mt CO₂)`;
  renderLegend();
}

function renderLegend(): void {
  const max = state.domain;
  const legend = $('#legend');
  const stops = GRADIENT.map((c, i) => `${c} ${((100 * i) / (GRADIENT.length - 1)).toFixed(1)}%`).join(', ');
  legend.innerHTML = '';
  const bar = document.createElement('div');
  bar.className = 'bar';
  bar.style.background = `linear-gradient(to right, ${stops})`;
  const ticks = document.createElement('div');
  ticks.className = 'ticks';
  for (const v of [-max, -max / 2, 0, max / 2, max]) {
    const s = document.createElement('span');
    s.textContent = `${v === -max ? '≤ ' : v === max ? '≥ ' : ''}${v === 0 ? '0' : mt(v).replace(/\.00$/, '')}`;
    ticks.append(s);
  }
  const caption = document.createElement('div');
  caption.className = 'caption';
  caption.innerHTML = `<span>${state.metric} in Mt CO<sub>2</sub>: blue &lt; 0 (net importer of embodied CO<sub>2</sub>), red &gt; 0 (net exporter)</span>`;
  const btn = document.createElement('button');
  btn.type = 'button';
  btn.className = 'link';
  btn.textContent = 'rescale colours';
  btn.title = 'The colour range stays fixed while sliders move, so that their effect shows; this fits it to the current values.';
  btn.addEventListener('click', () => {
    state.rescale = true;
    renderMap();
  });
  caption.append(btn);
  const nodata = document.createElement('span');
  nodata.className = 'nodata-key';
  nodata.innerHTML = '<i></i> no data';
  caption.append(nodata);
  legend.append(bar, ticks, caption);
}

function tipHtml(name: string): string {
  const row = state.result?.provinces.find((p) => p.province === name);
  const m = meta.get(name);
  if (!row) return `<strong>${name}</strong><br>no data`;
  return (
    `<strong>${name} ${m?.zh ?? ''}</strong> · ${row.region} · class ${row.class}<br>` +
    `<table><tr><th>N</th><td>${exact(row.N)}</td><td class="unit">Mt CO<sub>2</sub></td></tr>` +
    `<tr><th>NP</th><td>${exact(row.NP)}</td><td class="unit">Mt CO<sub>2</sub></td></tr>` +
    `<tr><th>T</th><td>${exact(row.T)}</td><td class="unit">Mt CO<sub>2</sub></td></tr></table>`
  );
}

function showTip(name: string, path: SVGPathElement, fromFocus = false): void {
  tooltip.innerHTML = tipHtml(name);
  tooltip.hidden = false;
  if (fromFocus) {
    const box = path.getBoundingClientRect();
    const wrap = tooltip.parentElement!.getBoundingClientRect();
    place(box.left + box.width / 2 - wrap.left, box.top + box.height / 2 - wrap.top);
  }
}
function moveTip(ev: MouseEvent): void {
  const wrap = tooltip.parentElement!.getBoundingClientRect();
  place(ev.clientX - wrap.left, ev.clientY - wrap.top);
}
function place(x: number, y: number): void {
  const wrap = tooltip.parentElement!.getBoundingClientRect();
  const w = tooltip.offsetWidth;
  tooltip.style.left = `${Math.min(Math.max(4, x + 14), wrap.width - w - 4)}px`;
  tooltip.style.top = `${y + 14}px`;
}
function hideTip(): void {
  tooltip.hidden = true;
}

// ---------------------------------------------------------------- selected province

function select(name: string): void {
  state.selected = name;
  state.scalings = { ...state.scalings, province: name };
  ($('#province') as HTMLSelectElement).value = name;
  for (const el of document.querySelectorAll('.sel-name')) el.textContent = name;
  if (state.scalings.provinceEmissions !== 1) schedule();
  else render();
}

function renderDetail(): void {
  const r = state.result;
  const row = r?.provinces.find((p) => p.province === state.selected);
  const m = meta.get(state.selected);
  $('#sel-title').textContent = `${state.selected} ${m?.zh ?? ''}`;
  $('#sel-region').textContent = m ? `${m.region} region` : '';
  const dl = $('#sel-values');
  dl.innerHTML = '';
  if (!row) {
    dl.textContent = 'Not in the loaded data.';
    return;
  }
  const items: [string, string, string, number | null, string][] = [
    ['class', 'Class', row.class, null, classNote(row.class)],
    ['N', 'N (foreign net)', mt3(row.N), row.N, 'Mt CO₂'],
    ['NP', 'NP (interprovincial net)', mt3(row.NP), row.NP, 'Mt CO₂'],
    ['T', 'T = N + NP', mt3(row.T), row.T, 'Mt CO₂'],
    ['CE', 'CE in exports', mt3plain(row.CE), row.CE, 'Mt CO₂'],
    ['CM', 'CM in imports', mt3plain(row.CM), row.CM, 'Mt CO₂'],
    ['CEP', 'CEP in outflows', mt3plain(row.CEP), row.CEP, 'Mt CO₂'],
    ['CMP', 'CMP in inflows', mt3plain(row.CMP), row.CMP, 'Mt CO₂'],
    ['CTT', 'CTT (foreign terms of trade)', ratio(row.CTT), row.CTT, ''],
    ['CTTp', 'CTTp (interprovincial)', ratio(row.CTTp), row.CTTp, ''],
  ];
  for (const [key, label, text, value, unit] of items) {
    const dt = document.createElement('dt');
    dt.textContent = label;
    const dd = document.createElement('dd');
    dd.dataset.key = key;
    if (value !== null) {
      dd.dataset.value = String(value);
      dd.title = `${exact(value)}${unit ? ` ${unit}` : ''}`;
    }
    dd.innerHTML = `<span class="num${value !== null && value < 0 ? ' neg' : ''}">${text}</span> <span class="unit">${unit}</span>`;
    if (key === 'class') dd.classList.add('class', `class-${row.class}`);
    dl.append(dt, dd);
  }
  dl.setAttribute('aria-label', `${state.selected}: N ${mt3(row.N)}, NP ${mt3(row.NP)}, T ${mt3(row.T)} Mt CO2, class ${row.class}`);
}

function classNote(c: string): string {
  return { I: 'N > 0, NP > 0', II: 'N < 0, NP > 0', III: 'N < 0, NP < 0', IV: 'N > 0, NP < 0' }[c] ?? '';
}

function renderBars(): void {
  const r = state.result;
  const svg = $<SVGSVGElement>('#bars');
  svg.innerHTML = '';
  const values = r?.npByGroup[state.selected];
  if (!r || !values) return;
  const W = 380;
  const rowH = 30;
  const left = 104;
  const right = 16;
  const top = 8;
  const H = top + rowH * values.length + 22;
  svg.setAttribute('viewBox', `0 0 ${W} ${H}`);
  const max = Math.max(1e-12, ...values.map(Math.abs));
  const hasNeg = values.some((v) => v < 0);
  const hasPos = values.some((v) => v > 0);
  const zero = hasNeg && hasPos ? left + (W - left - right) / 2 : hasNeg ? W - right - 54 : left + 4;
  const span = hasNeg && hasPos ? (W - left - right) / 2 - 54 : W - left - right - 62;
  const title = svgEl('title');
  title.textContent = `NP by sector group for ${state.selected}, Mt CO2: ${r.groups.map((g, i) => `${g} ${mt(values[i]!)}`).join(', ')}`;
  svg.append(title);
  values.forEach((v, i) => {
    const y = top + i * rowH;
    const w = (Math.abs(v) / max) * span;
    const x = v < 0 ? zero - w : zero;
    const g = svgEl('g', { class: 'barrow' });
    const label = svgEl('text', { x: left - 8, y: y + rowH / 2 + 4, 'text-anchor': 'end', class: 'glabel' });
    label.textContent = r.groups[i]!;
    const rect = svgEl('rect', { x: x.toFixed(1), y: y + 5, width: Math.max(0.5, w).toFixed(1), height: rowH - 10, rx: 2, fill: v < 0 ? '#4393c3' : '#d6604d' });
    const tip = svgEl('title');
    tip.textContent = `${r.groups[i]}: NP = ${exact(v)} Mt CO2`;
    rect.append(tip);
    const val = svgEl('text', {
      x: (v < 0 ? x - 4 : x + w + 4).toFixed(1),
      y: y + rowH / 2 + 4,
      'text-anchor': v < 0 ? 'end' : 'start',
      class: 'gval',
    });
    val.textContent = mt(v);
    g.append(label, rect, val);
    svg.append(g);
  });
  svg.append(svgEl('line', { x1: zero, x2: zero, y1: top, y2: top + rowH * values.length, class: 'zero' }));
  const axis = svgEl('text', { x: W - right, y: H - 4, 'text-anchor': 'end', class: 'axis' });
  axis.textContent = 'Mt CO₂ (outflow − inflow)';
  svg.append(axis);
}

// ---------------------------------------------------------------- tables

function renderRegionTable(): void {
  const t = state.result?.tables.find((x) => x.name === 'n_by_region_group');
  const table = $<HTMLTableElement>('#region-table');
  if (!t) return;
  const nums = t.rows.flatMap((r) => r.slice(1, -1) as number[]);
  const max = Math.max(1e-12, ...nums.map(Math.abs));
  table.innerHTML = '';
  const caption = document.createElement('caption');
  caption.textContent = 'Rows: the 8 economic regions; columns: the 6 sector groups; Mt CO2. Hover a cell for the exact value.';
  const thead = table.createTHead().insertRow();
  for (const c of t.columns) {
    const th = document.createElement('th');
    th.scope = 'col';
    th.textContent = c === 'region' ? 'Region' : c === 'total' ? 'Total' : c;
    thead.append(th);
  }
  const body = table.createTBody();
  t.rows.forEach((row, ri) => {
    const tr = body.insertRow();
    if (ri === t.rows.length - 1) tr.className = 'total';
    row.forEach((cell, ci) => {
      if (ci === 0) {
        const th = document.createElement('th');
        th.scope = 'row';
        th.textContent = String(cell);
        tr.append(th);
        return;
      }
      const td = tr.insertCell();
      const v = cell as number;
      td.textContent = mt(v);
      td.title = `${exact(v)} Mt CO2`;
      td.className = 'num';
      const inner = ci < row.length - 1 && ri < t.rows.length - 1;
      if (inner) td.style.background = divergingColour(v * 0.6, max);
    });
  });
  table.prepend(caption);
}

function renderProvinceTable(): void {
  const r = state.result;
  const table = $<HTMLTableElement>('#province-table');
  if (!r) return;
  table.innerHTML = '';
  const head = table.createTHead().insertRow();
  for (const c of ['Province', '', 'Region', 'N', 'NP', 'T', 'Class']) {
    const th = document.createElement('th');
    th.scope = 'col';
    th.textContent = c;
    if (!['N', 'NP', 'T'].includes(c)) th.className = 'text';
    head.append(th);
  }
  const body = table.createTBody();
  for (const p of r.provinces) {
    const tr = body.insertRow();
    tr.dataset.province = p.province;
    const th = document.createElement('th');
    th.scope = 'row';
    th.textContent = p.province;
    tr.append(th);
    for (const v of [p.zh, p.region]) tr.insertCell().textContent = v;
    for (const v of [p.N, p.NP, p.T]) {
      const td = tr.insertCell();
      td.className = 'num';
      td.textContent = mt(v);
      td.title = `${exact(v)} Mt CO2`;
    }
    tr.insertCell().textContent = p.class;
  }
}

function renderDownloads(): void {
  const r = state.result;
  const box = $('#downloads');
  box.innerHTML = '';
  if (!r) return;
  for (const t of r.tables) {
    const a = document.createElement('button');
    a.type = 'button';
    a.className = t.name === 'provinces' ? 'primary' : 'secondary';
    a.textContent = `${t.name}.csv`;
    a.title = t.title;
    a.dataset.table = t.name;
    a.addEventListener('click', () => {
      const blob = new Blob([tableCsv(t)], { type: 'text/csv;charset=utf-8' });
      const url = URL.createObjectURL(blob);
      const link = document.createElement('a');
      link.href = url;
      link.download = `${t.name}.csv`;
      document.body.append(link);
      link.click();
      link.remove();
      setTimeout(() => URL.revokeObjectURL(url), 1000);
    });
    box.append(a);
  }
}

function renderChecks(): void {
  const ul = $('#checks');
  ul.innerHTML = '';
  for (const c of state.result?.checks ?? []) {
    const li = document.createElement('li');
    li.className = c.ok ? 'ok' : 'fail';
    li.innerHTML = `<span aria-hidden="true">${c.ok ? '✓' : '✗'}</span> `;
    li.append(`${c.name}${c.ok ? '' : ' failed'}`);
    li.title = c.detail;
    ul.append(li);
  }
}

function renderTiming(roundTrip: number, model: number, renderMs: number): void {
  const el = $('#timing');
  el.dataset.ms = roundTrip.toFixed(2);
  el.dataset.modelMs = model.toFixed(2);
  el.dataset.renderMs = renderMs.toFixed(2);
  el.dataset.count = String(state.computes);
  el.textContent = `Recomputed in ${roundTrip.toFixed(0)} ms (model ${model.toFixed(0)} ms in the worker, ${state.result?.kernel ?? '?'} kernel).`;
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

function showError(message: string): void {
  const el = $('#error');
  el.hidden = message === '';
  el.textContent = message;
}

// ---------------------------------------------------------------- controls

function buildControls(): void {
  const sel = $<HTMLSelectElement>('#province');
  for (const p of bundled.provinces) sel.add(new Option(`${p.province} ${p.zh}`, p.province));
  sel.value = state.selected;
  sel.addEventListener('change', () => select(sel.value));
  for (const el of document.querySelectorAll('.sel-name')) el.textContent = state.selected;

  for (const input of document.querySelectorAll<HTMLInputElement>('input[name="metric"]')) {
    input.addEventListener('change', () => {
      state.metric = input.value as Metric;
      state.rescale = true;
      $('#metric-help').textContent = METRIC_HELP[state.metric];
      render();
    });
  }
  $('#metric-help').textContent = METRIC_HELP[state.metric];

  const sliders: [string, keyof Scalings][] = [
    ['emissions', 'emissions'],
    ['province', 'provinceEmissions'],
    ['exports', 'exports'],
  ];
  for (const [id, key] of sliders) {
    const input = $<HTMLInputElement>(`#s-${id}`);
    const out = $<HTMLOutputElement>(`#o-${id}`);
    input.setAttribute('aria-valuetext', `times ${Number(input.value).toFixed(2)}`);
    input.addEventListener('input', () => {
      const k = Number(input.value);
      out.value = `×${k.toFixed(2)}`;
      input.setAttribute('aria-valuetext', `times ${k.toFixed(2)}`);
      state.scalings = { ...state.scalings, [key]: k };
      schedule();
    });
  }
  $('#reset-scalings').addEventListener('click', () => {
    for (const [id] of sliders) {
      $<HTMLInputElement>(`#s-${id}`).value = '1';
      $<HTMLInputElement>(`#s-${id}`).setAttribute('aria-valuetext', 'times 1.00');
      $<HTMLOutputElement>(`#o-${id}`).value = '×1.00';
    }
    state.scalings = { ...NO_SCALING, province: state.selected };
    schedule();
  });

  const box = $('#options');
  for (const [name, values] of Object.entries(OPTION_VALUES) as [OptionName, readonly string[]][]) {
    const id = `opt-${name}`;
    const label = document.createElement('label');
    label.htmlFor = id;
    label.textContent = name;
    const select = document.createElement('select');
    select.id = id;
    select.dataset.option = name;
    select.title = OPTION_HELP[name];
    for (const v of values) select.add(new Option(v === values[0] ? `${v} (default)` : v, v));
    select.value = state.options[name];
    select.addEventListener('change', () => {
      state.options = { ...state.options, [name]: select.value } as ModelOptions;
      state.rescale = true;
      schedule();
    });
    const help = document.createElement('span');
    help.className = 'hint';
    help.textContent = OPTION_HELP[name];
    box.append(label, select, help);
  }

  $('#file-form').addEventListener('submit', (ev) => {
    ev.preventDefault();
    void loadFiles();
  });
  $('#use-demo').addEventListener('click', () => {
    void ask({ type: 'demo' }).then((r) => r.type === 'dataset' && useDataset(r.dataset));
  });
}

function disableUnavailable(): void {
  const has = state.dataset?.has;
  if (!has) return;
  const rules: [OptionName, string, boolean][] = [
    ['emission-source', 'ceads', has.emissions],
    ['emission-source', 'energy', has.energy],
    ['national-emissions', 'national-inventory', has.nationalInventory],
  ];
  for (const [name, value, ok] of rules) {
    const select = document.querySelector<HTMLSelectElement>(`#opt-${name}`)!;
    const opt = [...select.options].find((o) => o.value === value)!;
    opt.disabled = !ok;
    opt.textContent = `${value}${value === OPTION_VALUES[name][0] ? ' (default)' : ''}${ok ? '' : ' — needs its inventory file'}`;
    if (!ok && state.options[name] === value) {
      const fallback = [...select.options].find((o) => !o.disabled)!.value;
      select.value = fallback;
      state.options = { ...state.options, [name]: fallback } as ModelOptions;
    }
  }
}

async function readFile(input: HTMLInputElement): Promise<NamedFile[]> {
  return Promise.all([...(input.files ?? [])].map(async (f) => ({ name: f.name, bytes: new Uint8Array(await f.arrayBuffer()) })));
}

async function loadFiles(): Promise<void> {
  const one = async (id: string) => (await readFile($<HTMLInputElement>(id)))[0];
  const files: UserFiles = { provincial: await readFile($<HTMLInputElement>('#f-provincial')) };
  const optional: [keyof Omit<UserFiles, 'provincial'>, string][] = [
    ['national', '#f-national'],
    ['emissions', '#f-emissions'],
    ['energy', '#f-energy'],
    ['nationalInventory', '#f-national-inventory'],
  ];
  for (const [key, id] of optional) {
    const f = await one(id);
    if (f) files[key] = f;
  }
  $('#data-note').textContent = 'Reading your files…';
  const transfer = [...files.provincial, ...optional.map(([k]) => files[k]).filter((f): f is NamedFile => !!f)].map((f) => f.bytes.buffer);
  try {
    const r = await ask({ type: 'load', files }, transfer);
    if (r.type === 'dataset') useDataset(r.dataset);
  } catch (e) {
    showError(`Could not read your files: ${(e as Error).message}`);
    if (state.dataset) renderDatasetNote(state.dataset);
  }
}

function renderDatasetNote(d: DatasetInfo): void {
  const note = $('#data-note');
  note.textContent = d.data === 'demo' ? 'Synthetic demo data' : 'Your data';
  note.className = `badge ${d.data}`;
  note.title = d.note;
  const ul = $('#warnings');
  ul.innerHTML = '';
  const li = document.createElement('li');
  li.className = 'note';
  li.textContent = d.note;
  ul.append(li);
  for (const w of d.warnings) {
    const item = document.createElement('li');
    item.textContent = w;
    ul.append(item);
  }
}

function useDataset(d: DatasetInfo): void {
  state.dataset = d;
  state.rescale = true;
  renderDatasetNote(d);
  disableUnavailable();
  schedule();
}

// ---------------------------------------------------------------- start

buildMap();
buildControls();
document.body.dataset.state = 'loading';
ask({ type: 'init', dataTexts: DATA_TEXTS })
  .then((r) => {
    if (r.type !== 'ready') return;
    $('#kernel').textContent = `Model: ${r.kernelNote}.`;
    document.body.dataset.kernel = r.kernel;
    useDataset(r.dataset);
  })
  .catch((e: Error) => showError(`The model could not start: ${e.message}`));
