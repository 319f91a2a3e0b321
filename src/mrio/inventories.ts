/**
 * The MRIO against the inventories it is built from. A multi-regional model's production account
 * must give back its satellite account (pymrio: D_pba = F): with direct-intensity=provincial-inventory
 * d^r_i = C^r_i / x^r_i on the MRIO's own outputs x (GO, or the row sums under balance=rows), so
 * Σ_i d^r_i x^r_i = Σ_i C^r_i for every balance value. With rescaled-national it does not, and the
 * report says by how much and why.
 */
import { noInventoryWarning, ownIntensities, type IntensityResult } from '../model/intensities.js';
import type { ModelOptions } from '../model/options.js';
import { markdownTable } from '../output/markdown.js';
import type { ProvincialMrio } from './provincial.js';
import type { MrioCheck } from './report.js';

/**
 * d^r for the MRIO: the model's, or each province's inventory over the MRIO's outputs; with the
 * warnings to report. A sector without output emits nothing: its d is 0 (else its d would reach the
 * total intensities of its users through L while no production account holds it).
 */
export function mrioIntensities(
  m: ProvincialMrio,
  intens: IntensityResult,
  option: ModelOptions['direct-intensity'],
): { d: Map<string, Float64Array>; warnings: string[] } {
  const ns = m.sectors.length;
  const warnings: string[] = [];
  const d = new Map<string, Float64Array>();
  m.provinces.forEach((p, r) => {
    const x = m.x.subarray(r * ns, (r + 1) * ns);
    const C = intens.provinceCO2.get(p);
    if (option === 'provincial-inventory' && C) {
      d.set(p, ownIntensities(C, x, p, m.sectors, warnings));
      return;
    }
    if (option === 'provincial-inventory') warnings.push(noInventoryWarning(p));
    d.set(
      p,
      intens.d.get(p)!.map((v, i) => (x[i]! > 0 ? v : 0)),
    );
  });
  return { d, warnings };
}

export interface InventoryBalance {
  /** Per province (Mt): the production-sector CO2 of its inventory (NaN without one) and the MRIO's production. */
  inventory: Float64Array;
  production: Float64Array;
  /** Worst |d^r_i x^r_i − C^r_i| / max(|C^r_i|, |d^r_i x^r_i|) over the inventoried provinces' sectors with output, and where. */
  maxRelError: number;
  worst: string;
  /** Sums over the provinces with an inventory (Mt), and the provinces without one (their production is shown apart). */
  inventoryTotal: number;
  productionInventoried: number;
  without: string[];
  productionWithout: number;
  /** Inventory CO2 in sectors without output (Mt), in no account (each named in a warning). */
  withoutOutput: number;
}

export function inventoryBalance(m: ProvincialMrio, d: ReadonlyMap<string, Float64Array>, intens: IntensityResult): InventoryBalance {
  const ns = m.sectors.length;
  const R = m.provinces.length;
  const inventory = new Float64Array(R).fill(Number.NaN);
  const production = new Float64Array(R);
  let maxRelError = 0;
  let worst = '';
  const out = { inventoryTotal: 0, productionInventoried: 0, productionWithout: 0, without: [] as string[], withoutOutput: 0 };
  m.provinces.forEach((p, r) => {
    const dr = d.get(p)!;
    for (let i = 0; i < ns; i++) production[r] += dr[i]! * m.x[r * ns + i]!;
    const C = intens.provinceCO2.get(p);
    if (!C) {
      out.without.push(p);
      out.productionWithout += production[r]!;
      return;
    }
    let total = 0;
    for (let i = 0; i < ns; i++) {
      total += C[i]!;
      // A sector with CO2 but no output has d = 0 and a warning of its own.
      if (!(m.x[r * ns + i]! > 0)) {
        out.withoutOutput += C[i]!;
        continue;
      }
      const q = dr[i]! * m.x[r * ns + i]!;
      const scale = Math.max(Math.abs(C[i]!), Math.abs(q));
      const e = scale === 0 ? 0 : Math.abs(q - C[i]!) / scale;
      if (e > maxRelError) {
        maxRelError = e;
        worst = `${p}, sector ${m.sectors[i]}`;
      }
    }
    inventory[r] = total;
    out.inventoryTotal += total;
    out.productionInventoried += production[r]!;
  });
  return { inventory, production, maxRelError, worst, ...out };
}

/** The check on every run: required under provincial-inventory, shown under rescaled-national. */
export function inventoryCheck(b: InventoryBalance, option: ModelOptions['direct-intensity'], tol = 1e-9): MrioCheck {
  const provincial = option === 'provincial-inventory';
  return {
    name: 'inventories',
    what: `production = inventory per province and sector (d^r_i x^r_i against C^r_i), max relative error${provincial ? '' : '; not expected to hold with direct-intensity=rescaled-national'}`,
    value: b.maxRelError,
    ok: b.maxRelError <= tol,
    ...(provincial ? {} : { informational: true }),
  };
}

const fmt = (v: number, digits: number): string => (Number.isFinite(v) ? v.toFixed(digits) : '');

/** report.md's section: production against the inventories, per province and in total, and why they differ when they do. */
export function inventorySection(m: ProvincialMrio, b: InventoryBalance, options: ModelOptions): string {
  const gap = b.productionInventoried - b.inventoryTotal;
  const L = [
    '## Production against the inventories',
    '',
    `The inventories of the ${m.provinces.length - b.without.length} provinces that have one hold ${fmt(b.inventoryTotal, 1)} Mt CO2 in their ` +
      `production sectors (emission-source=${options['emission-source']}); the MRIO's production account gives ${fmt(b.productionInventoried, 1)} Mt ` +
      `for them (${gap >= 0 ? '+' : ''}${fmt(gap, 1)} Mt, ${fmt((gap / (b.inventoryTotal || 1)) * 100, 2)} %)` +
      (b.without.length
        ? `, and ${fmt(b.productionWithout, 1)} Mt for ${b.without.join(', ')}, which ha${b.without.length > 1 ? 've' : 's'} no inventory and is valued with the national intensities d (shown apart: it is in no inventory).`
        : '.') +
      (b.withoutOutput !== 0
        ? ` Of the inventories, ${b.withoutOutput.toPrecision(3)} Mt are in sectors without output (named in the warnings of run.json) and in no account.`
        : '') +
      ` Worst relative error per province and sector with output: ${b.maxRelError.toExponential(2)}${b.worst ? ` (${b.worst})` : ''}.`,
    '',
  ];
  if (options['direct-intensity'] === 'rescaled-national') {
    L.push(
      "With `direct-intensity=rescaled-national` (the study's intensities) the production account does not give back the inventories: " +
        "d^r_i = d_i·c^r/c keeps the nation's sector pattern of intensities, so Σ_i d^r_i x^r_i = (c^r/c)·Σ_i d_i x^r_i equals province r's " +
        "inventory only when its output mix is the nation's; a province whose output leans to sectors that are CO2-intensive nationally gets " +
        'more than its inventory, one leaning to clean sectors less' +
        (options.scope === 'production+households' ? ", and with `scope=production+households` c^r also carries the households' CO2" : '') +
        ". `direct-intensity=provincial-inventory` (the MRIO default) takes each province's own C^r_i / x^r_i and gives the inventories back.",
      '',
    );
  }
  const rows = m.provinces.map((p, r) => {
    const inv = b.inventory[r]!;
    return [p, fmt(inv, 2), fmt(b.production[r]!, 2), Number.isFinite(inv) ? fmt(((b.production[r]! - inv) / (inv || 1)) * 100, 3) : ''];
  });
  L.push(
    markdownTable(
      { columns: ['province', 'inventory (Mt)', 'production (Mt)', 'difference (%)'], rows },
      { right: [false, true, true, true], tight: true },
    ),
    '',
  );
  return L.join('\n');
}
