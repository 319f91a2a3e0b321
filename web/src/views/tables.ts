/** The tables: N by region × sector group, every province's balances, and each result table as a CSV download. */
import { tableCsv } from '../../../src/output/csv.js';
import { divergingColour } from '../colour.js';
import { $ } from '../dom.js';
import { exact, mt } from '../format.js';
import { state } from '../state.js';

export function renderRegionTable(): void {
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

export function renderProvinceTable(): void {
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

export function renderDownloads(): void {
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
