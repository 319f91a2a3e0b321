/** The selected province: its chooser, values and class, and NP by sector group as bars. */
import { $, svgEl } from '../dom.js';
import { exact, mt, mt3, mt3plain, ratio } from '../format.js';
import { bundled, meta, state } from '../state.js';

/** The province chooser; `onSelect` runs when it changes. */
export function buildProvinceSelect(onSelect: (province: string) => void): void {
  const sel = $<HTMLSelectElement>('#province');
  for (const p of bundled.provinces) sel.add(new Option(`${p.province} ${p.zh}`, p.province));
  sel.value = state.selected;
  sel.addEventListener('change', () => onSelect(sel.value));
  for (const el of document.querySelectorAll('.sel-name')) el.textContent = state.selected;
}

/** Shows `name` as the selection in the chooser and wherever the page names it. */
export function showSelected(name: string): void {
  ($('#province') as HTMLSelectElement).value = name;
  for (const el of document.querySelectorAll('.sel-name')) el.textContent = name;
}

export function renderDetail(): void {
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

export function renderBars(): void {
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
    const rect = svgEl('rect', {
      x: x.toFixed(1),
      y: y + 5,
      width: Math.max(0.5, w).toFixed(1),
      height: rowH - 10,
      rx: 2,
      fill: v < 0 ? '#4393c3' : '#d6604d',
    });
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
