/**
 * Parameter groups compiled against a prepared model, and the per-draw evaluator.
 *
 * A group scales a set of slots of one target (fuel scales, d, A, trade vectors) by multipliers; its
 * `per` granularity says how many independent multipliers it draws and which slot takes which.
 * Three evaluation paths, chosen once per evaluator:
 * - linear (only fuels and d change, inflow not other-provinces): CE^r = d^r·(L^r E^r) etc., O(R·n);
 * - explicit t (trade vectors or other-provinces inflow): t^r = d^r L^r with the stored L, O(R·n²);
 * - refactor (A changes): the perturbed systems of a block of draws are formed, factored and solved
 *   for t in one kernel call (leontiefRowsBatch), the others use the stored L. With one A group
 *   constant down columns (the usual case) the kernel gets the base matrices and capped column
 *   multipliers, so no perturbed matrix is written in JavaScript.
 */
import type { Kernel } from '../kernel/api.js';
import { rowsBatchOf } from '../kernel/rows-batch.js';
import { accountsFromT, finishProvinces, newDrawResult, newFlowSums, sumFlows, type DrawResult, type FlowSums } from '../model/evaluate.js';
import { intensitiesFromFuels, type FuelBasis } from '../model/fuel-basis.js';
import { flowSums, type PreparedModel } from '../model/prepared.js';
import { DrawStream } from './rng.js';
import { SaltelliDesign } from './sobol-design.js';
import type { Distribution, MonteCarloParameter, OatGroup, Selector, SweepSpec, TradeVector } from './spec.js';
import { SpecError } from './spec-error.js';
import { normaliseFuel } from '../model/intensities.js';

type TargetKind = 'fuel' | 'intensity' | 'A' | 'trade';

export interface CompiledGroup {
  kind: TargetKind;
  /** Index of the multiplier array: 0 fuel, 1 d, 2 A, 3 trade. */
  target: number;
  label: string;
  /** The spec field it comes from, e.g. montecarlo[0]. */
  where: string;
  /** Flat positions in the target's multiplier array. */
  slots: Int32Array;
  /** The multiplier (sample) each slot takes. */
  sample: Int32Array;
  nSamples: number;
  distribution?: Distribution;
  /** A: the systems (province index, R for the nation) the group touches. */
  systems: number[];
  /** Intensity groups over every sector with one multiplier per province (or one for all): the provinces and their sample. */
  provinceLevel?: { provinces: Int32Array; sample: Int32Array };
}

const VECTORS: TradeVector[] = ['E', 'EP', 'M', 'MP'];

function resolve(sel: Selector, all: readonly string[], what: string, where: string, normalise = (s: string) => s): number[] {
  if (sel === '*') return all.map((_, i) => i);
  const pos = new Map(all.map((s, i) => [normalise(s), i]));
  const seen = new Map<number, string>();
  return sel.map((s) => {
    const i = pos.get(normalise(s));
    if (i === undefined) {
      const list = all.length > 45 ? `${all.slice(0, 45).join(', ')}, …` : all.join(', ');
      throw new SpecError(`${where}: unknown ${what} "${s}"; ${what}s here are ${list}`);
    }
    // A repeated label would apply the multiplier twice.
    const earlier = seen.get(i);
    if (earlier !== undefined) {
      const twice = earlier === s ? `"${s}" is listed twice` : `"${earlier}" and "${s}" name the same ${what}`;
      throw new SpecError(`${where}: ${what} ${twice}: the multiplier would apply twice; list each once`);
    }
    seen.set(i, s);
    return i;
  });
}

/** A Monte Carlo group's multipliers of one draw, refused if any is not finite (a distribution beyond the spec's bounds). */
function checkDrawn(g: CompiledGroup, b: Float64Array, draw: number): void {
  for (let k = 0; k < b.length; k++) {
    if (!Number.isFinite(b[k])) throw new SpecError(`${g.where} (${g.label}): draw ${draw} has a non-finite multiplier ${b[k]}`);
  }
}

function describe(g: MonteCarloParameter | OatGroup): string {
  if (g.name) return g.name;
  const s = (sel: Selector) => (sel === '*' ? '*' : sel.join('+'));
  switch (g.target) {
    case 'fuel':
      return `fuel ${s(g.fuels)}`;
    case 'intensity':
      return `d ${s(g.provinces)} × ${s(g.sectors)}${g.national ? ' +national' : ''}`;
    case 'A':
      return `A ${s(g.provinces)} rows ${s(g.rows)} cols ${s(g.columns)}${g.national ? ' +national' : ''}`;
    case 'trade':
      return `${g.vectors.join('+')} ${s(g.provinces)} × ${s(g.sectors)}`;
  }
}

/**
 * Compiles a Monte Carlo parameter (per = its granularity) or an OAT group (per = 'all': one
 * multiplier for every slot). `where` names the spec field in errors.
 */
export function compileGroup(m: PreparedModel, g: MonteCarloParameter | OatGroup, where: string): CompiledGroup {
  const per = 'per' in g ? g.per : 'all';
  const slots: number[] = [];
  const sample: number[] = [];
  let nSamples = 0;
  const counter = () => nSamples++;
  const { n, R } = m;
  const systems: number[] = [];
  switch (g.target) {
    case 'fuel': {
      const fuels = m.fuelBasis().fuels;
      const idx = resolve(g.fuels, fuels, 'fuel', `${where}.fuels`, normaliseFuel);
      idx.forEach((f) => {
        slots.push(f);
        sample.push(per === 'all' ? 0 : counter());
      });
      if (per === 'all') nSamples = 1;
      break;
    }
    case 'intensity': {
      const ps = resolve(g.provinces, m.provinces, 'province', `${where}.provinces`);
      if (g.national) ps.push(R);
      const ss = resolve(g.sectors, m.sectors, 'sector', `${where}.sectors`);
      ps.forEach((p, pi) =>
        ss.forEach((i, si) => {
          slots.push(p * n + i);
          sample.push(per === 'cell' ? counter() : per === 'province' ? pi : per === 'sector' ? si : 0);
        }),
      );
      if (per !== 'cell') nSamples = per === 'province' ? ps.length : per === 'sector' ? ss.length : 1;
      break;
    }
    case 'A': {
      const ps = resolve(g.provinces, m.provinces, 'province', `${where}.provinces`);
      if (g.national) ps.push(R);
      const rows = resolve(g.rows, m.sectors, 'sector', `${where}.rows`);
      const cols = resolve(g.columns, m.sectors, 'sector', `${where}.columns`);
      ps.forEach((p, pi) => {
        systems.push(p);
        cols.forEach((j, ci) =>
          rows.forEach((i) => {
            slots.push(p * n * n + i * n + j);
            sample.push(per === 'cell' ? counter() : per === 'column' ? pi * cols.length + ci : per === 'province' ? pi : 0);
          }),
        );
      });
      if (per !== 'cell') nSamples = per === 'column' ? ps.length * cols.length : per === 'province' ? ps.length : 1;
      break;
    }
    case 'trade': {
      const vs = [...new Set(g.vectors)].map((v) => VECTORS.indexOf(v));
      const ps = resolve(g.provinces, m.provinces, 'province', `${where}.provinces`);
      const ss = resolve(g.sectors, m.sectors, 'sector', `${where}.sectors`);
      vs.forEach((v, vi) =>
        ps.forEach((p, pi) =>
          ss.forEach((i, si) => {
            slots.push(v * R * n + p * n + i);
            sample.push(per === 'cell' ? counter() : per === 'province' ? pi : per === 'sector' ? si : per === 'vector' ? vi : 0);
          }),
        ),
      );
      if (per !== 'cell') {
        nSamples = per === 'province' ? ps.length : per === 'sector' ? ss.length : per === 'vector' ? vs.length : 1;
      }
      break;
    }
  }
  let provinceLevel: CompiledGroup['provinceLevel'];
  if (g.target === 'intensity' && g.sectors === '*' && (per === 'province' || per === 'all')) {
    const ps = resolve(g.provinces, m.provinces, 'province', `${where}.provinces`);
    if (g.national) ps.push(R);
    provinceLevel = { provinces: Int32Array.from(ps), sample: Int32Array.from(ps, (_, pi) => (per === 'province' ? pi : 0)) };
  }
  return {
    provinceLevel,
    kind: g.target,
    target: ['fuel', 'intensity', 'A', 'trade'].indexOf(g.target),
    label: describe(g),
    where,
    slots: Int32Array.from(slots),
    sample: Int32Array.from(sample),
    nSamples,
    distribution: 'distribution' in g ? g.distribution : undefined,
    systems,
  };
}

/** out[o..o+n) = v[vo..vo+n) · M (row vector times row-major matrix). */
function rowTimes(v: Float64Array, vo: number, Mx: Float64Array, mo: number, n: number, out: Float64Array, o: number): void {
  for (let j = 0; j < n; j++) out[o + j] = 0;
  for (let k = 0; k < n; k++) {
    const vk = v[vo + k];
    if (vk === 0) continue;
    const row = mo + k * n;
    for (let j = 0; j < n; j++) out[o + j] += vk * Mx[row + j];
  }
}

/** What a variant applies: a Monte Carlo draw (all groups sampled), one fixed OAT group, or nothing. */
export type Variant = { kind: 'mc'; draw: number } | { kind: 'oat'; group: number; factor: number } | { kind: 'base' };

const BLOCK = 16;

export class Evaluator {
  readonly model: PreparedModel;
  readonly mc: CompiledGroup[];
  readonly oat: CompiledGroup[];
  readonly path: 'linear' | 'explicit' | 'refactor';
  private readonly seed: number;
  /** With a sobol section: Saltelli's design supplies the multipliers instead of the draw streams. */
  private readonly design: SaltelliDesign | undefined;
  private readonly kernel: Kernel;
  private readonly maxColumnSum: number;
  private readonly sums: FlowSums;
  /** Systems whose A any group perturbs (province index; R = the nation). */
  private readonly systems: number[];
  // scratch
  private readonly fuelMul: Float64Array;
  private readonly dMul: Float64Array;
  private readonly aMul: Float64Array;
  private readonly tradeMul: Float64Array;
  /**
   * Each Monte Carlo group's draws, filled by DrawStream.fill (a call per value from here boxed each
   * double it returned); an A group's are the head of its aSamples.
   */
  private readonly drawn: Float64Array[];
  private readonly sysPos: Int32Array;
  private readonly aBase: Float64Array;
  private readonly colBase: Float64Array;
  private readonly aSlots: Map<CompiledGroup, Int32Array>;
  private readonly aSamples: Map<CompiledGroup, Float64Array>;
  private readonly colSumScratch: Float64Array;
  private colIdx: Int32Array | undefined;
  private aFused: CompiledGroup | undefined;
  /** Linear path with province-level intensity multipliers only: every total is a few products. */
  private factorized: Factorized | undefined;
  private readonly provMul = new Float64Array(0);
  private readonly basis: FuelBasis | undefined;
  private readonly targets: Float64Array[];
  private readonly resetSlots: Int32Array[];
  private readonly t: Float64Array;
  private readonly tN: Float64Array;
  /** Trade path: each draw of a block's perturbed E, EP, M, MP (views of flowBlock) and their sums. */
  private readonly flows: Float64Array[][];
  private readonly flowSums: FlowSums;
  private readonly dBlock: Float64Array;
  private readonly aBlock: Float64Array;
  /** Refactor path, per system of a block: column multipliers, d and t (BLOCK·S·n each). */
  private readonly scaleBlock: Float64Array;
  private readonly dSys: Float64Array;
  private readonly tSys: Float64Array;
  private readonly flowBlock: Float64Array;

  constructor(model: PreparedModel, spec: SweepSpec, kernel: Kernel) {
    this.model = model;
    this.seed = spec.seed;
    this.kernel = kernel;
    this.maxColumnSum = spec.maxColumnSum;
    this.mc = spec.montecarlo.map((g, i) => compileGroup(model, g, `montecarlo[${i}]`));
    this.oat = (spec.oat?.groups ?? []).map((g, i) => compileGroup(model, g, `oat.groups[${i}]`));
    this.design = spec.sobol ? new SaltelliDesign(spec.seed, spec.sobol.sequence, this.mc) : undefined;
    const all = [...this.mc, ...this.oat];
    const has = (k: TargetKind) => all.some((g) => g.kind === k);
    this.path = has('A') ? 'refactor' : has('trade') || model.inflowOther ? 'explicit' : 'linear';
    this.systems = [...new Set(all.flatMap((g) => g.systems))].sort((a, b) => a - b);
    const { R, n } = model;
    this.sums = flowSums(model);
    // The factorised fuel path assumes d^r = d^N · c^r/c; a province's own intensities go through intensitiesFromFuels.
    const ownFuels = has('fuel') && model.options['direct-intensity'] === 'provincial-inventory';
    if (this.path === 'linear' && !ownFuels && all.every((g) => g.kind === 'fuel' || g.provinceLevel))
      this.factorized = factorize(model, has('fuel'));
    this.basis = has('fuel') ? model.fuelBasis() : undefined;
    this.fuelMul = new Float64Array(this.basis?.fuels.length ?? 0);
    this.dMul = new Float64Array((R + 1) * n);
    this.aMul = new Float64Array(0);
    this.tradeMul = new Float64Array(has('trade') ? 4 * R * n : 0);
    this.targets = [this.fuelMul, this.dMul, this.aMul, this.tradeMul];
    this.targets.forEach((a) => a.fill(1));
    this.resetSlots = [0, 1, 2, 3].map((t) =>
      t === 2 ? new Int32Array(0) : Int32Array.from(new Set(all.filter((g) => g.target === t).flatMap((g) => [...g.slots]))),
    );
    // A: the touched systems' base matrices side by side, and each group's slots in that layout.
    const nn = n * n;
    this.sysPos = new Int32Array(R + 1).fill(-1);
    this.systems.forEach((p, s) => (this.sysPos[p] = s));
    this.aBase = new Float64Array(this.systems.length * nn);
    this.colBase = new Float64Array(this.systems.length * n);
    this.systems.forEach((p, s) => {
      this.aBase.set(p < R ? model.A.subarray(p * nn, (p + 1) * nn) : model.AN, s * nn);
      this.colBase.set(p < R ? model.colSum.subarray(p * n, (p + 1) * n) : model.colSumN, s * n);
    });
    this.aSlots = new Map(
      all.filter((g) => g.kind === 'A').map((g) => [g, Int32Array.from(g.slots, (q) => this.sysPos[Math.floor(q / nn)] * nn + (q % nn))]),
    );
    // Samples of each Monte Carlo A group, with a trailing 1 that untouched positions point to.
    this.aSamples = new Map(this.mc.filter((g) => g.kind === 'A').map((g) => [g, new Float64Array(g.nSamples + 1).fill(1)]));
    this.drawn = this.mc.map((g) => this.aSamples.get(g)?.subarray(0, g.nSamples) ?? new Float64Array(g.nSamples));
    const aGroups = this.mc.filter((g) => g.kind === 'A');
    const g0 = aGroups[0];
    const p0 = g0 && spec.montecarlo[this.mc.indexOf(g0)];
    if (aGroups.length === 1 && p0?.target === 'A' && p0.rows === '*' && p0.per !== 'cell') {
      // The usual case: one A group whose multiplier is constant down each column. A column's new
      // sum is then its base sum times the multiplier, the cap folds into the multiplier, and a
      // block of draws goes to the kernel as the base matrices and these multipliers.
      this.colIdx = new Int32Array(this.systems.length * n).fill(g0.nSamples);
      const slots = this.aSlots.get(g0)!;
      for (let k = 0; k < slots.length; k++) {
        const q = slots[k];
        this.colIdx[Math.floor(q / nn) * n + (q % n)] = g0.sample[k];
      }
      this.aFused = g0;
    }
    this.colSumScratch = new Float64Array(n);
    this.provMul = new Float64Array(R + 1);
    this.t = new Float64Array(R * n);
    this.tN = new Float64Array(n);
    const S = this.systems.length;
    this.dBlock = new Float64Array(BLOCK * (R + 1) * n);
    const refactor = this.path === 'refactor';
    this.aBlock = new Float64Array(refactor ? BLOCK * S * n * n : 0);
    this.scaleBlock = new Float64Array(refactor ? BLOCK * S * n : 0);
    this.dSys = new Float64Array(refactor ? BLOCK * S * n : 0);
    this.tSys = new Float64Array(refactor ? BLOCK * S * n : 0);
    this.flowBlock = new Float64Array(has('trade') ? BLOCK * 4 * R * n : 0);
    const RN = R * n;
    this.flows = has('trade')
      ? Array.from({ length: BLOCK }, (_, k) => [0, 1, 2, 3].map((v) => this.flowBlock.subarray((4 * k + v) * RN, (4 * k + v + 1) * RN)))
      : [];
    this.flowSums = newFlowSums(R);
  }

  /** Each Monte Carlo group's multipliers for draw `draw` of the cell, into `drawn`. */
  private sampleDraw(draw: number): void {
    if (this.design) this.design.fill(draw, this.drawn);
    else {
      const rng = new DrawStream(this.seed, draw);
      for (let i = 0; i < this.mc.length; i++) rng.fill(this.mc[i].distribution!, this.drawn[i]);
    }
    for (let i = 0; i < this.mc.length; i++) checkDrawn(this.mc[i], this.drawn[i], draw);
  }

  /** Sets the multiplier arrays for one variant (only the slots some group touches are reset). */
  private multipliers(v: Variant): void {
    const targets = this.targets;
    for (let a = 0; a < 4; a++) {
      const arr = targets[a];
      const reset = this.resetSlots[a];
      for (let k = 0; k < reset.length; k++) arr[reset[k]] = 1;
    }
    if (v.kind === 'mc') {
      this.sampleDraw(v.draw);
      for (let i = 0; i < this.mc.length; i++) {
        const g = this.mc[i];
        const b = this.drawn[i];
        if (g.kind === 'A') continue;
        const arr = targets[g.target];
        const slots = g.slots;
        const sample = g.sample;
        for (let k = 0; k < slots.length; k++) arr[slots[k]] *= b[sample[k]];
      }
    } else if (v.kind === 'oat') {
      const g = this.oat[v.group];
      if (g.kind === 'A') return;
      const arr = targets[g.target];
      for (let k = 0; k < g.slots.length; k++) arr[g.slots[k]] *= v.factor;
    }
  }

  /** d^r (R·n) then d^N (n) for the current multipliers, into out at offset o. */
  private intensities(out: Float64Array, o: number): void {
    const m = this.model;
    const { R, n } = m;
    const RN = R * n;
    if (this.basis) intensitiesFromFuels(this.basis, this.fuelMul, n, out, o);
    else {
      out.set(m.d, o);
      out.set(m.dN, o + RN);
    }
    if (this.resetSlots[1].length === 0) return;
    const mul = this.dMul;
    for (let k = 0; k < RN + n; k++) out[o + k] *= mul[k];
  }

  /** Evaluates variants in order, calling emit(k, result) for each; `out` is reused between calls. */
  evaluate(variants: readonly Variant[], emit: (k: number, out: DrawResult) => void): void {
    const m = this.model;
    const { R, n } = m;
    const out = newDrawResult(R);
    const D = (R + 1) * n;
    if (this.factorized) {
      for (let k = 0; k < variants.length; k++) {
        this.evaluateFactorized(variants[k], out);
        emit(k, out);
      }
      return;
    }
    if (this.path === 'linear') {
      const d = this.dBlock.subarray(0, D);
      const s = this.sums;
      const { wE, wEP, wM, wMP } = m;
      const dN = R * n;
      const impNat = m.importNational;
      const infOwn = m.inflowOwn;
      for (let k = 0; k < variants.length; k++) {
        this.multipliers(variants[k]);
        this.intensities(d, 0);
        for (let r = 0; r < R; r++) {
          const o = r * n;
          let CE = 0;
          let CEP = 0;
          let CM = 0;
          let CMP = 0;
          const im = impNat ? dN : o;
          const inf = infOwn ? o : dN;
          for (let i = 0; i < n; i++) {
            const di = d[o + i];
            CE += di * wE[o + i];
            CEP += di * wEP[o + i];
            CM += d[im + i] * wM[o + i];
            CMP += d[inf + i] * wMP[o + i];
          }
          out.CE[r] = CE;
          out.CM[r] = CM;
          out.CEP[r] = CEP;
          out.CMP[r] = CMP;
        }
        finishProvinces(out, s);
        emit(k, out);
      }
      return;
    }
    const S = this.systems.length;
    const nn = n * n;
    const baseFlows = [m.E, m.EP, m.M, m.MP];
    for (let b0 = 0; b0 < variants.length; b0 += BLOCK) {
      const block = variants.slice(b0, b0 + BLOCK);
      // Draws of the one column-constant A group: the kernel scales the base matrices itself.
      const scaled = this.aFused !== undefined && block.every((v) => v.kind === 'mc');
      for (let k = 0; k < block.length; k++) {
        this.multipliers(block[k]);
        this.intensities(this.dBlock, k * D);
        if (this.flowBlock.length) {
          const fk = this.flows[k];
          for (let v = 0; v < 4; v++) {
            const f = fk[v];
            const base = baseFlows[v];
            for (let q = 0; q < R * n; q++) f[q] = base[q] * this.tradeMul[v * R * n + q];
          }
        }
        if (this.path !== 'refactor') continue;
        if (scaled) this.columnScales(this.scaleBlock, k * S * n);
        else this.perturbA(k * S * nn, block[k]);
      }
      const count = block.length * S;
      if (this.path === 'refactor' && S > 0) {
        const dSys = this.dSys;
        for (let k = 0; k < block.length; k++) {
          for (let s = 0; s < S; s++) {
            const src = k * D + this.systems[s] * n;
            const dst = (k * S + s) * n;
            for (let i = 0; i < n; i++) dSys[dst + i] = this.dBlock[src + i];
          }
        }
        const len = count * n;
        if (!scaled) this.scaleBlock.fill(1, 0, len);
        const a = scaled ? this.aBase : this.aBlock.subarray(0, count * nn);
        rowsBatchOf(this.kernel).leontiefRowsBatch(
          a,
          this.scaleBlock.subarray(0, len),
          dSys.subarray(0, len),
          n,
          count,
          this.tSys.subarray(0, len),
        );
      }
      for (let k = 0; k < block.length; k++) {
        const d = this.dBlock;
        const o = k * D;
        const sysPos = this.sysPos;
        const tSys = this.tSys;
        for (let r = 0; r <= R; r++) {
          const dest = r < R ? this.t : this.tN;
          const destOff = r < R ? r * n : 0;
          if (sysPos[r] >= 0) {
            const src = (k * S + sysPos[r]) * n;
            for (let i = 0; i < n; i++) dest[destOff + i] = tSys[src + i];
          } else if (r < R) {
            rowTimes(d, o + r * n, m.L, r * nn, n, this.t, r * n);
          } else {
            rowTimes(d, o + R * n, m.LN, 0, n, this.tN, 0);
          }
        }
        if (this.flowBlock.length) {
          const f = this.flows[k];
          accountsFromT(m, this.t, this.tN, f[0], f[1], f[2], f[3], sumFlows(f[0], f[1], f[2], f[3], n, this.flowSums), out);
        } else {
          accountsFromT(m, this.t, this.tN, m.E, m.EP, m.M, m.MP, this.sums, out);
        }
        emit(b0 + k, out);
      }
    }
  }

  /** The linear path factorised: fuel scales and province multipliers → the four totals per province. */
  private evaluateFactorized(v: Variant, out: DrawResult): void {
    const f = this.factorized!;
    const m = this.model;
    const R = m.R;
    const pm = this.provMul;
    pm.fill(1);
    const fuel = this.fuelMul;
    fuel.fill(1);
    if (v.kind === 'mc') {
      this.sampleDraw(v.draw);
      for (let i = 0; i < this.mc.length; i++) {
        const g = this.mc[i];
        const b = this.drawn[i];
        if (g.kind === 'fuel') {
          const slots = g.slots;
          const sample = g.sample;
          for (let k = 0; k < slots.length; k++) fuel[slots[k]] *= b[sample[k]];
        } else {
          const { provinces, sample } = g.provinceLevel!;
          for (let k = 0; k < provinces.length; k++) pm[provinces[k]] *= b[sample[k]];
        }
      }
    } else if (v.kind === 'oat') {
      const g = this.oat[v.group];
      if (g.kind === 'fuel') for (let k = 0; k < g.slots.length; k++) fuel[g.slots[k]] *= v.factor;
      else for (const p of g.provinceLevel!.provinces) pm[p] *= v.factor;
    }
    const s = this.sums;
    const nat = pm[R];
    const impNat = m.importNational;
    const infOwn = m.inflowOwn;
    if (!f.G) {
      for (let r = 0; r < R; r++) {
        const own = pm[r];
        out.CE[r] = own * f.CE[r];
        out.CM[r] = (impNat ? nat : own) * f.CM[r];
        out.CEP[r] = own * f.CEP[r];
        out.CMP[r] = (infOwn ? own : nat) * f.CMP[r];
      }
      finishProvinces(out, s);
      return;
    }
    const b = this.basis!;
    const F = b.fuels.length;
    let sumC = 0;
    for (let q = 0; q < F; q++) sumC += fuel[q] * f.sumC[q];
    const cN = sumC / b.sumXN;
    const G = f.G;
    for (let r = 0; r < R; r++) {
      let ratio = 1;
      if (!b.fallback[r]) {
        let tot = 0;
        for (let q = 0; q < F; q++) tot += fuel[q] * b.totals[r * F + q];
        ratio = tot / b.sumX[r] / cN;
      }
      let XE = 0;
      let XEP = 0;
      let XM = 0;
      let XMP = 0;
      const o = r * F * 4;
      for (let q = 0; q < F; q++) {
        const sq = fuel[q];
        XE += sq * G[o + 4 * q];
        XEP += sq * G[o + 4 * q + 1];
        XM += sq * G[o + 4 * q + 2];
        XMP += sq * G[o + 4 * q + 3];
      }
      const own = ratio * pm[r];
      out.CE[r] = own * XE;
      out.CM[r] = (impNat ? nat : own) * XM;
      out.CEP[r] = own * XEP;
      out.CMP[r] = (infOwn ? own : nat) * XMP;
    }
    finishProvinces(out, s);
  }

  /** Writes the perturbed A of every touched system into aBlock at `off`, capping column sums. */
  private perturbA(off: number, v: Variant): void {
    const { n } = this.model;
    const nn = n * n;
    const a = this.aBlock;
    const S = this.systems.length;
    if (v.kind === 'mc' && this.aFused) {
      const cm = this.colSumScratch;
      for (let s = 0; s < S; s++) {
        this.capColumns(s, cm, 0);
        for (let i = 0; i < n; i++) {
          const r = s * nn + i * n;
          for (let j = 0; j < n; j++) a[off + r + j] = this.aBase[r + j] * cm[j];
        }
      }
      return;
    }
    a.set(this.aBase, off);
    if (v.kind === 'mc') {
      for (const [g, samples] of this.aSamples) {
        const slots = this.aSlots.get(g)!;
        const sample = g.sample;
        for (let k = 0; k < slots.length; k++) a[off + slots[k]] *= samples[sample[k]];
      }
    } else if (v.kind === 'oat' && this.oat[v.group].kind === 'A') {
      const slots = this.aSlots.get(this.oat[v.group])!;
      for (let k = 0; k < slots.length; k++) a[off + slots[k]] *= v.factor;
    }
    const cap = this.maxColumnSum;
    const col = this.colSumScratch;
    for (let s = 0; s < S; s++) {
      const dst = off + s * nn;
      col.fill(0);
      for (let i = 0; i < n; i++) {
        const row = dst + i * n;
        for (let j = 0; j < n; j++) col[j] += a[row + j];
      }
      for (let j = 0; j < n; j++) {
        const base = this.colBase[s * n + j];
        const limit = base >= cap ? base : cap;
        if (col[j] > limit) {
          const f = limit / col[j];
          for (let i = 0; i < n; i++) a[dst + i * n + j] *= f;
        }
      }
    }
  }

  /** The capped column multipliers of every touched system (column-constant A group) into out at `off`. */
  private columnScales(out: Float64Array, off: number): void {
    const n = this.model.n;
    for (let s = 0; s < this.systems.length; s++) this.capColumns(s, out, off + s * n);
  }

  /**
   * System s's column multipliers m_j with the cap folded in: a column's new sum is its base sum
   * times m_j, so a sum past the limit becomes the limit.
   */
  private capColumns(s: number, out: Float64Array, off: number): void {
    const n = this.model.n;
    const colIdx = this.colIdx!;
    const samples = this.aSamples.get(this.aFused!)!;
    const cap = this.maxColumnSum;
    for (let j = 0; j < n; j++) {
      const b = this.colBase[s * n + j];
      const m = samples[colIdx[s * n + j]];
      const limit = b >= cap ? b : cap;
      out[off + j] = b * m > limit ? limit / b : m;
    }
  }
}

interface Factorized {
  /** Without fuel groups: the base totals d^r·(L^r E^r) … (scaled by province multipliers per draw). */
  CE: Float64Array;
  CEP: Float64Array;
  CM: Float64Array;
  CMP: Float64Array;
  /** With fuel groups: G[(r·F + f)·4 + k] = (C_f / x^N) · w_k^r for k = E, EP, M, MP; Σ_i C_f,i. */
  G?: Float64Array;
  sumC: Float64Array;
}

/**
 * Precomputes the factorised linear path. d^r = d^N_fuel · ratio_r · (province multiplier), so each
 * total is ratio_r · mul_r · Σ_f s_f (C_f / x^N) · w^r: F products per total instead of n.
 */
function factorize(m: PreparedModel, fuels: boolean): Factorized {
  const { R, n } = m;
  const dot = (a: Float64Array, ao: number, w: Float64Array, wo: number) => {
    let t = 0;
    for (let i = 0; i < n; i++) t += a[ao + i] * w[wo + i];
    return t;
  };
  const f: Factorized = {
    CE: new Float64Array(R),
    CEP: new Float64Array(R),
    CM: new Float64Array(R),
    CMP: new Float64Array(R),
    sumC: new Float64Array(0),
  };
  const dN = m.dN;
  for (let r = 0; r < R; r++) {
    const o = r * n;
    f.CE[r] = dot(m.d, o, m.wE, o);
    f.CEP[r] = dot(m.d, o, m.wEP, o);
    f.CM[r] = m.importNational ? dot(dN, 0, m.wM, o) : dot(m.d, o, m.wM, o);
    f.CMP[r] = m.inflowOwn ? dot(m.d, o, m.wMP, o) : dot(dN, 0, m.wMP, o);
  }
  if (!fuels) return f;
  const b = m.fuelBasis();
  const F = b.fuels.length;
  const G = new Float64Array(R * F * 4);
  const unit = new Float64Array(n);
  f.sumC = new Float64Array(F);
  for (let q = 0; q < F; q++) {
    for (let i = 0; i < n; i++) {
      f.sumC[q] += b.C[q * n + i];
      unit[i] = b.xN[i] > 0 ? b.C[q * n + i] / b.xN[i] : 0;
    }
    for (let r = 0; r < R; r++) {
      const o = r * n;
      const g = (r * F + q) * 4;
      G[g] = dot(unit, 0, m.wE, o);
      G[g + 1] = dot(unit, 0, m.wEP, o);
      G[g + 2] = dot(unit, 0, m.wM, o);
      G[g + 3] = dot(unit, 0, m.wMP, o);
    }
  }
  f.G = G;
  return f;
}
