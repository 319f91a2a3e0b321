/** The map: provinces coloured by N, NP or T, its legend, tooltips and the metric choice. */
import type { ProvinceRow } from '../../../src/report/compute.js';
import { divergingColour, GRADIENT, niceCeil } from '../colour.js';
import { $, svgEl } from '../dom.js';
import { exact, mt } from '../format.js';
import { MAP_HEIGHT, MAP_WIDTH, provinceShapes } from '../geo.js';
import { byZh, meta, state, type Metric } from '../state.js';

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

const paths = new Map<string, SVGPathElement>();
const selOutline = svgEl('path');
const tooltip = $('#tooltip');

/** Draws the provinces once; `onSelect` runs on a click or Enter on one. */
export function buildMap(onSelect: (province: string) => void): void {
  const mapSvg = $<SVGSVGElement>('#map');
  mapSvg.setAttribute('viewBox', `0 0 ${MAP_WIDTH} ${MAP_HEIGHT}`);
  const gShapes = svgEl('g');
  const gLabels = svgEl('g', { class: 'labels', 'aria-hidden': 'true' });
  for (const s of provinceShapes()) {
    const p = byZh.get(s.zh);
    const path = svgEl('path', { d: s.d, class: p ? 'prov' : 'prov nodata' });
    if (p) {
      path.dataset.province = p.province;
      path.setAttribute('tabindex', '0');
      path.setAttribute('role', 'button');
      path.addEventListener('click', () => onSelect(p.province));
      path.addEventListener('keydown', (ev) => {
        if (ev.key === 'Enter' || ev.key === ' ') {
          ev.preventDefault();
          onSelect(p.province);
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
        t.dataset.zh = p.zh;
        t.dataset.en = p.province;
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
  // Chinese names by default (as on Chinese maps); English ones (data/provinces.csv) on request.
  const english = $<HTMLInputElement>('#names-en');
  english.addEventListener('change', () => {
    for (const t of gLabels.querySelectorAll<SVGTextElement>('text')) t.textContent = (english.checked ? t.dataset.en : t.dataset.zh) ?? '';
  });
}

/** The N / NP / T radio buttons; `onChange` redraws. */
export function buildMetricControl(onChange: () => void): void {
  for (const input of document.querySelectorAll<HTMLInputElement>('input[name="metric"]')) {
    input.addEventListener('change', () => {
      state.metric = input.value as Metric;
      state.rescale = true;
      $('#metric-help').textContent = METRIC_HELP[state.metric];
      onChange();
    });
  }
  $('#metric-help').textContent = METRIC_HELP[state.metric];
}

function metricValue(row: ProvinceRow): number {
  return row[state.metric];
}

export function renderMap(): void {
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
