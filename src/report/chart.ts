/** A diverging horizontal bar chart of N and NP per province, as a standalone SVG. */

export interface BarSeries {
  label: string;
  colour: string;
  values: number[];
}

const esc = (s: string) => s.replace(/&/g, '&amp;').replace(/</g, '&lt;');

export function barChartSvg(title: string, categories: string[], series: BarSeries[], unit: string): string {
  const rowH = 8 * series.length + 6;
  const left = 120;
  const width = 760;
  const plotW = width - left - 20;
  // The legend wraps after as many 140-pixel entries as fit (one row up to four series).
  const perRow = Math.floor((width - left) / 140);
  const top = 48 + 16 * (Math.ceil(series.length / perRow) - 1);
  const height = top + categories.length * rowH + 40;
  const all = series.flatMap((s) => s.values);
  const lo = Math.min(0, ...all);
  const hi = Math.max(0, ...all);
  const scale = (v: number) => left + ((v - lo) / (hi - lo || 1)) * plotW;
  const zero = scale(0);
  const parts: string[] = [
    `<svg xmlns="http://www.w3.org/2000/svg" width="${width}" height="${height}" font-family="sans-serif" font-size="11">`,
    `<title>${esc(title)}</title>`,
    `<text x="${left}" y="18" font-size="14" font-weight="bold">${esc(title)}</text>`,
    ...series.map(
      (s, k) =>
        `<rect x="${left + (k % perRow) * 140}" y="${28 + 16 * Math.floor(k / perRow)}" width="10" height="10" fill="${s.colour}"/><text x="${left + (k % perRow) * 140 + 14}" y="${37 + 16 * Math.floor(k / perRow)}">${esc(s.label)}</text>`,
    ),
  ];
  categories.forEach((c, i) => {
    const y = top + i * rowH;
    parts.push(`<text x="${left - 6}" y="${y + rowH / 2 + 3}" text-anchor="end">${esc(c)}</text>`);
    series.forEach((s, k) => {
      const v = s.values[i];
      const x0 = Math.min(zero, scale(v));
      parts.push(
        `<rect x="${x0.toFixed(1)}" y="${y + 3 + k * 8}" width="${Math.abs(scale(v) - zero).toFixed(1)}" height="7" fill="${s.colour}"><title>${esc(c)} ${esc(s.label)}: ${v.toFixed(3)} ${esc(unit)}</title></rect>`,
      );
    });
  });
  const axisY = top + categories.length * rowH + 4;
  parts.push(`<line x1="${zero}" y1="${top}" x2="${zero}" y2="${axisY}" stroke="#333"/>`);
  for (const v of niceTicks(lo, hi)) {
    parts.push(`<text x="${scale(v).toFixed(1)}" y="${axisY + 14}" text-anchor="middle">${v}</text>`);
  }
  parts.push(`<text x="${left + plotW / 2}" y="${axisY + 30}" text-anchor="middle">${esc(unit)}</text>`, '</svg>');
  return parts.join('\n');
}

function niceTicks(lo: number, hi: number): number[] {
  const span = hi - lo || 1;
  const step = 10 ** Math.floor(Math.log10(span / 5));
  const k = [1, 2, 5, 10].find((m) => span / (m * step) <= 6) ?? 10;
  const s = k * step;
  const ticks: number[] = [];
  for (let v = Math.ceil(lo / s) * s; v <= hi + 1e-9; v += s) ticks.push(+v.toPrecision(6));
  return ticks;
}
