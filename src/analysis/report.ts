/**
 * The outputs of `embodied spa`, as text: paths.csv, hem.csv, the report's sections and the tree
 * SVG of the top paths. Pure: results in, strings out (the CLI writes them).
 */
import { csvText } from '../output/csv.js';
import { formatDecimal, markdownTable } from '../output/markdown.js';
import { EXTRACTIONS, type HemResult, type LinkHemResult } from './hem.js';
import type { SpaResult } from './spa.js';

/** rank,value,share,order,chain (value in Mt, share of the total). */
export function pathsCsv(r: SpaResult): string {
  return csvText([['rank', 'value', 'share', 'order', 'chain'], ...r.paths.map((p) => [p.rank, p.value, p.share, p.order, p.chain])]);
}

const pct = (v: number): string => `${formatDecimal(100 * v, 2)} %`;

/** The report's SPA section: the bookkeeping and the top paths. */
export function spaMarkdown(r: SpaResult, top = 30): string {
  const rows = r.paths.slice(0, top).map((p) => [p.rank, p.value, 100 * p.share, p.order, p.chain]);
  return [
    `## Structural paths of ${r.province}'s consumption footprint`,
    '',
    `The MRIO's consumption-based CO2 of ${r.province}, ${formatDecimal(r.total, 3)} Mt, unfolded into supply chains from its final demand back to the`,
    `emitting sector (best-first, threshold ${r.threshold} of the total, at most ${r.maxPaths} paths; method: src/kernel/spa.ts).`,
    `${r.paths.length} paths cover ${formatDecimal(r.covered, 3)} Mt (${pct(r.covered / r.total)}); the remainder, ${formatDecimal(r.remainder, 3)} Mt, is computed:`,
    `${formatDecimal(r.unlisted, 4)} Mt on examined paths not listed, ${formatDecimal(r.pruned, 4)} Mt in subtrees cut by the threshold, ${formatDecimal(r.leftover, 4)} Mt`,
    `in subtrees still queued. covered + remainder − total = ${pct(r.closure)} of the total. ${r.expanded} paths examined, ${r.nodes} created` +
      `${r.truncated ? ' (node limit reached: the threshold was not honoured everywhere)' : ''}.`,
    '',
    markdownTable({ columns: ['rank', 'Mt', 'share %', 'order', 'chain'], rows }),
    '',
  ].join('\n');
}

/** province,sector,sector_name,base,total,backward,forward (Mt; base = the province's production CO2). */
export function hemCsv(h: HemResult, names?: ReadonlyMap<string, string>): string {
  const ns = h.sectors.length;
  return csvText([
    ['province', 'sector', 'sector_name', 'base', ...EXTRACTIONS],
    ...h.provinces.flatMap((p, r) =>
      h.sectors.map((s, j) => [p, s, names?.get(s) ?? '', h.base[r]!, ...EXTRACTIONS.map((k) => h.attributable[k][r * ns + j]!)]),
    ),
  ]);
}

/** The report's HEM section: definitions and the largest total extractions. */
export function hemMarkdown(h: HemResult, names?: ReadonlyMap<string, string>, top = 20): string {
  const ns = h.sectors.length;
  const all = h.provinces.flatMap((p, r) => h.sectors.map((s, j) => ({ p, s, r, j, v: h.attributable.total[r * ns + j]! })));
  all.sort((a, b) => b.v - a.v);
  const rows = all
    .slice(0, top)
    .map(({ p, s, r, j }) => [
      p,
      `${s} ${names?.get(s) ?? ''}`.trim(),
      ...EXTRACTIONS.map((k) => h.attributable[k][r * ns + j]!),
      h.base[r]!,
    ]);
  return [
    '## Hypothetical extraction (per-province model)',
    '',
    `Each of the ${h.provinces.length * ns} province-sectors removed from its province's system and the system re-solved (src/analysis/hem.ts):`,
    "total (the sector and all its links), backward (its purchases of inputs), forward (others' purchases of its output); the",
    "attributable CO2 is the province's production CO2 E = d x minus that of the re-solved system. The largest by total extraction (Mt):",
    '',
    markdownTable({ columns: ['province', 'sector', ...EXTRACTIONS, 'province E'], rows }),
    '',
  ].join('\n');
}

/** province,base,total,backward,forward (Mt; base = the MRIO's production CO2). */
export function linkHemCsv(h: LinkHemResult): string {
  return csvText([
    ['province', 'base', ...EXTRACTIONS],
    ...h.provinces.map((p, r) => [p, h.base, ...EXTRACTIONS.map((k) => h.attributable[k][r]!)]),
  ]);
}

/** The report's section on the provinces' interprovincial links. */
export function linkHemMarkdown(h: LinkHemResult): string {
  const rows = h.provinces
    .map((p, r) => [p, ...EXTRACTIONS.map((k) => h.attributable[k][r]!)])
    .sort((a, b) => (b[1] as number) - (a[1] as number));
  return [
    "## Hypothetical extraction of each province's interprovincial links (MRIO)",
    '',
    `The MRIO re-solved without a province's intermediate purchases from the other provinces (backward), without their purchases`,
    `from it (forward), or both (total); its own block stays (src/analysis/hem.ts). CO2 that disappears, Mt, of the MRIO's`,
    `${formatDecimal(h.base, 1)} Mt of production CO2:`,
    '',
    markdownTable({ columns: ['province', ...EXTRACTIONS], rows }),
    '',
  ].join('\n');
}

const esc = (s: string) => s.replace(/&/g, '&amp;').replace(/</g, '&lt;').replace(/>/g, '&gt;');

interface TreeNode {
  label: string;
  /** Σ of the shown paths through this node (Mt). */
  weight: number;
  children: Map<string, TreeNode>;
}

/**
 * The top paths as a tree (an icicle): final demand on the left, each column one step further up
 * the supply chain; a node's height is the CO2 of the shown paths through it, its children share
 * its span. The emitting node of each path is where the path ends.
 */
export function spaTreeSvg(r: SpaResult, top = 40, synthetic = false): string {
  const paths = r.paths.slice(0, top).filter((p) => p.value > 0);
  const root: TreeNode = { label: `${r.province} final demand`, weight: 0, children: new Map() };
  let depth = 0;
  for (const p of paths) {
    root.weight += p.value;
    let node = root;
    // The chain's labels are emitting-first; walk them from the final-demand end.
    const labels = p.chain.split(' ← ').slice(0, p.nodes.length);
    for (let k = labels.length - 1; k >= 0; k--) {
      const label = labels[k]!;
      let c = node.children.get(label);
      if (!c) {
        c = { label, weight: 0, children: new Map() };
        node.children.set(label, c);
      }
      c.weight += p.value;
      node = c;
    }
    depth = Math.max(depth, p.nodes.length);
  }
  const colW = 170;
  const left = 10;
  const top0 = 50;
  const H = 640;
  const width = Math.max(left + (depth + 1) * colW + 10, 900);
  const height = top0 + H + 30;
  const scale = root.weight > 0 ? H / root.weight : 0;
  const palette = ['#4e79a7', '#f28e2b', '#e15759', '#76b7b2', '#59a14f', '#edc948', '#b07aa1', '#ff9da7', '#9c755f', '#bab0ac'];
  const colourOf = (label: string) => {
    const prov = label.split('·')[0]!;
    let h = 0;
    for (const ch of prov) h = (h * 31 + ch.charCodeAt(0)) >>> 0;
    return palette[h % palette.length]!;
  };
  const title = `Top ${paths.length} supply-chain paths of ${r.province}'s consumption CO2 (${pct(paths.reduce((s, p) => s + p.value, 0) / r.total)} of ${r.total.toFixed(1)} Mt)${synthetic ? ' — SYNTHETIC demo data' : ''}`;
  const parts = [
    `<svg xmlns="http://www.w3.org/2000/svg" width="${width}" height="${height}" font-family="sans-serif" font-size="10">`,
    `<title>${esc(title)}</title>`,
    `<text x="${left}" y="18" font-size="13" font-weight="bold">${esc(title)}</text>`,
    `<text x="${left}" y="34">Left to right: final demand, then each step up the supply chain; height ∝ Mt CO2 of the shown paths through a node; the part of a node with nothing to its right is emitted there.</text>`,
  ];
  const draw = (node: TreeNode, level: number, y: number): void => {
    const h = node.weight * scale;
    const x = left + level * colW;
    const fill = level === 0 ? '#555' : colourOf(node.label);
    parts.push(
      `<rect x="${x}" y="${y.toFixed(2)}" width="${colW - 4}" height="${Math.max(h - 0.5, 0.5).toFixed(2)}" fill="${fill}" fill-opacity="0.8"><title>${esc(node.label)}: ${node.weight.toFixed(3)} Mt</title></rect>`,
    );
    // The province on one line, the sector below it when there is room.
    const [prov, ...rest] = node.label.split('·');
    const sector = rest.join('·');
    if (h >= 11) parts.push(`<text x="${x + 3}" y="${(y + 10).toFixed(2)}" fill="#fff">${esc((prov ?? '').slice(0, 32))}</text>`);
    if (h >= 22 && sector) parts.push(`<text x="${x + 3}" y="${(y + 21).toFixed(2)}" fill="#fff">${esc(sector.slice(0, 32))}</text>`);
    let cy = y;
    for (const c of [...node.children.values()].sort((a, b) => b.weight - a.weight)) {
      draw(c, level + 1, cy);
      cy += c.weight * scale;
    }
  };
  draw(root, 0, top0);
  parts.push('</svg>');
  return `${parts.join('\n')}\n`;
}
