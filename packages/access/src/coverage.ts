/**
 * Coverage: how many households reach a site within each threshold, per commune and in
 * total, and the distribution of times. Every household unit read falls in exactly one
 * category per threshold — covered, beyond, unreachable, or rejected by the loader — and
 * the categories add up to what was read.
 *
 * Units: times in seconds; household, inhabitant and poor-household counts are floats (the
 * grid imputes fractional counts); poor households are NaN where the source lacks them and
 * are summed over the units that have them.
 */
import type { Rejection } from '@fs-access/data';
import { REACHED, type NearestSites } from './model.ts';

/** Time ≤ threshold. */
export const COVERED = 0;
/** Reachable but time > threshold. */
export const BEYOND = 1;
/** No route, could not be snapped, or beyond a search cut-off shorter than the threshold. */
export const UNREACHABLE = 2;
/** Rejected by the loader (these units are not in the arrays, only in `rejected`). */
export const REJECTED = 3;
export const CATEGORIES = ['covered', 'beyond', 'unreachable', 'rejected'] as const;
export type CategoryName = (typeof CATEGORIES)[number];

/** The fields of a household unit set that coverage reads (a subset of data's Households). */
export interface HouseholdUnits {
  count: number;
  id: string[];
  households: Float64Array;
  inhabitants: Float64Array;
  /** NaN where unknown. */
  poor: Float64Array;
  /** INSEE commune code per unit ('' if unknown). */
  commune: string[];
  rejected?: Rejection[];
}

/** Sums over a set of units. */
export interface Tally {
  units: number;
  households: number;
  inhabitants: number;
  /** Poor households summed over the units that have the figure. */
  poor: number;
  /** Units whose poor-household figure is known (poor is partial when this < units). */
  poorKnownUnits: number;
}

export function emptyTally(): Tally {
  return { units: 0, households: 0, inhabitants: 0, poor: 0, poorKnownUnits: 0 };
}

function addUnit(t: Tally, units: HouseholdUnits, i: number): void {
  t.units++;
  t.households += units.households[i];
  t.inhabitants += units.inhabitants[i];
  const p = units.poor[i];
  if (Number.isFinite(p)) {
    t.poor += p;
    t.poorKnownUnits++;
  }
}

function addTally(into: Tally, t: Tally): void {
  into.units += t.units;
  into.households += t.households;
  into.inhabitants += t.inhabitants;
  into.poor += t.poor;
  into.poorKnownUnits += t.poorKnownUnits;
}

/**
 * Figures a loader may attach to a rejection (not part of the Rejection contract; read when
 * present so that rejected households are counted, not only rejected records).
 */
function rejectedFigure(r: Rejection, key: 'households' | 'inhabitants' | 'poor'): number {
  const v = (r as unknown as Record<string, unknown>)[key];
  return typeof v === 'number' && Number.isFinite(v) ? v : NaN;
}

/** Tally of rejected records: units = records; households etc. when the loader gave them. */
export function rejectedTally(rejected: readonly Rejection[] = []): Tally {
  const t = emptyTally();
  for (const r of rejected) {
    t.units++;
    const h = rejectedFigure(r, 'households');
    const ind = rejectedFigure(r, 'inhabitants');
    const p = rejectedFigure(r, 'poor');
    if (Number.isFinite(h)) t.households += h;
    if (Number.isFinite(ind)) t.inhabitants += ind;
    if (Number.isFinite(p)) {
      t.poor += p;
      t.poorKnownUnits++;
    }
  }
  return t;
}

/** Category of unit i at threshold T (s). */
export function categoryOf(nearest: NearestSites, i: number, thresholdS: number): number {
  if (nearest.status[i] !== REACHED) return UNREACHABLE;
  return nearest.time[i] <= thresholdS ? COVERED : BEYOND;
}

export interface ThresholdCoverage {
  thresholdS: number;
  covered: Tally;
  beyond: Tally;
  unreachable: Tally;
  rejected: Tally;
  /** covered.households ÷ all households read (rejected included); NaN when there are none. */
  shareCovered: number;
  /** covered.inhabitants ÷ all inhabitants read. */
  shareInhabitantsCovered: number;
  /** covered.poor ÷ poor households over units where known; NaN when no unit has the figure. */
  sharePoorCovered: number;
}

export interface TimeBand {
  /** Band (fromS, toS], the first band includes 0; toS = Infinity for the open last band. */
  fromS: number;
  toS: number;
  units: number;
  households: number;
}

export interface TimeDistribution {
  /** Household-weighted percentiles (s) of the time, over reachable units; NaN if none. */
  p50: number;
  p90: number;
  p99: number;
  /** Household-weighted mean time (s) over reachable units. */
  mean: number;
  max: number;
  bands: TimeBand[];
  /** Households with no time (unreachable), outside the bands. */
  unreachableHouseholds: number;
}

export interface CommuneCoverage {
  /** INSEE code ('' for units without a commune). */
  code: string;
  total: Tally;
  /** Per threshold, in the order of `thresholdsS`. */
  covered: Tally[];
  beyond: Tally[];
  unreachable: Tally[];
  /** Household-weighted mean time (s) over reachable units; NaN if none. */
  meanTimeS: number;
  /** Largest time (s) of a reachable unit; NaN if none. */
  maxTimeS: number;
  /** Site serving the most households of the commune (-1 if none). */
  mainSite: number;
}

export interface SiteLoad {
  /** Units and households whose nearest site it is. */
  served: Tally;
  /** Of those, the ones within each threshold. */
  servedWithin: Tally[];
}

export interface Coverage {
  thresholdsS: number[];
  /** Units in the arrays (accepted by the loader). */
  total: Tally;
  /** Everything read: accepted units + rejected records. */
  totalRead: Tally;
  rejected: Tally;
  rejectedByReason: Record<string, number>;
  byThreshold: ThresholdCoverage[];
  distribution: TimeDistribution;
  /** Sorted by code. */
  communes: CommuneCoverage[];
  /** Per site index (sites given to the model). */
  sites: SiteLoad[];
}

export interface CoverageOptions {
  /** Thresholds in seconds, increasing. */
  thresholdsS: number[];
  /** Number of sites (sizes `sites`); default: 1 + the largest site index used. */
  siteCount?: number;
  /** Band width (s) of the distribution; default 300 (5 minutes). */
  bandS?: number;
  /** Upper end (s) of the last closed band; default 3600. */
  bandsUpToS?: number;
}

/** Household-weighted percentile over (time, weight) pairs sorted by time. */
function weightedPercentile(order: Uint32Array, time: Float64Array, weight: Float64Array, total: number, p: number): number {
  if (order.length === 0 || !(total > 0)) return NaN;
  const target = p * total;
  let acc = 0;
  for (let k = 0; k < order.length; k++) {
    acc += weight[order[k]];
    if (acc >= target - 1e-9 * total) return time[order[k]];
  }
  return time[order[order.length - 1]];
}

function checkThresholds(thresholdsS: number[]): void {
  if (thresholdsS.length === 0) throw new RangeError('give at least one threshold');
  for (let k = 0; k < thresholdsS.length; k++) {
    if (!(thresholdsS[k] >= 0) || !Number.isFinite(thresholdsS[k])) throw new RangeError(`threshold ${thresholdsS[k]} must be a finite number of seconds ≥ 0`);
    if (k > 0 && !(thresholdsS[k] > thresholdsS[k - 1])) throw new RangeError('thresholds must be increasing');
  }
}

/**
 * Coverage of household units given their nearest sites.
 *
 * Invariant (tested): for every threshold, covered + beyond + unreachable + rejected =
 * totalRead, in units and in households.
 */
export function computeCoverage(units: HouseholdUnits, nearest: NearestSites, options: CoverageOptions): Coverage {
  const { thresholdsS } = options;
  checkThresholds(thresholdsS);
  const n = units.count;
  if (nearest.time.length !== n || nearest.status.length !== n || nearest.site.length !== n) {
    throw new RangeError(`nearest-site result has ${nearest.time.length} entries for ${n} units`);
  }
  const nT = thresholdsS.length;
  const bandS = options.bandS ?? 300;
  const bandsUpToS = options.bandsUpToS ?? 3600;
  const nBands = Math.ceil(bandsUpToS / bandS);

  let siteCount = options.siteCount ?? 0;
  for (let i = 0; i < n; i++) if (nearest.site[i] + 1 > siteCount) siteCount = nearest.site[i] + 1;
  const sites: SiteLoad[] = Array.from({ length: siteCount }, () => ({ served: emptyTally(), servedWithin: thresholdsS.map(emptyTally) }));

  const total = emptyTally();
  const byT = thresholdsS.map((thresholdS) => ({ thresholdS, covered: emptyTally(), beyond: emptyTally(), unreachable: emptyTally() }));
  const bands: TimeBand[] = [];
  for (let b = 0; b <= nBands; b++) bands.push({ fromS: b * bandS, toS: b < nBands ? (b + 1) * bandS : Infinity, units: 0, households: 0 });
  let unreachableHouseholds = 0;

  // Communes: indices in first-seen order, sorted by code at the end.
  const communeIndex = new Map<string, number>();
  const communeOf = new Int32Array(n);
  for (let i = 0; i < n; i++) {
    const code = units.commune[i] ?? '';
    let c = communeIndex.get(code);
    if (c === undefined) communeIndex.set(code, (c = communeIndex.size));
    communeOf[i] = c;
  }
  const nC = communeIndex.size;
  const cTotal = Array.from({ length: nC }, emptyTally);
  const cCovered = Array.from({ length: nC }, () => thresholdsS.map(emptyTally));
  const cBeyond = Array.from({ length: nC }, () => thresholdsS.map(emptyTally));
  const cUnreach = Array.from({ length: nC }, () => thresholdsS.map(emptyTally));
  const cTimeSum = new Float64Array(nC);
  const cTimeWeight = new Float64Array(nC);
  const cMax = new Float64Array(nC).fill(NaN);
  const cSiteHouseholds: Map<number, number>[] = Array.from({ length: nC }, () => new Map());

  let reachable = 0;
  for (let i = 0; i < n; i++) if (nearest.status[i] === REACHED) reachable++;
  const order = new Uint32Array(reachable);
  let timeSum = 0;
  let timeWeight = 0;
  let max = NaN;

  for (let i = 0, r = 0; i < n; i++) {
    addUnit(total, units, i);
    const c = communeOf[i];
    addUnit(cTotal[c], units, i);
    const h = units.households[i];
    const ok = nearest.status[i] === REACHED;
    const t = nearest.time[i];
    if (ok) {
      order[r++] = i;
      timeSum += t * h;
      timeWeight += h;
      if (!(t <= max)) max = t;
      cTimeSum[c] += t * h;
      cTimeWeight[c] += h;
      if (!(t <= cMax[c])) cMax[c] = t;
      const b = Math.min(nBands, t <= 0 ? 0 : Math.ceil(t / bandS) - 1);
      bands[b].units++;
      bands[b].households += h;
      const s = nearest.site[i];
      addUnit(sites[s].served, units, i);
      cSiteHouseholds[c].set(s, (cSiteHouseholds[c].get(s) ?? 0) + h);
    } else {
      unreachableHouseholds += h;
    }
    for (let k = 0; k < nT; k++) {
      const cat = categoryOf(nearest, i, thresholdsS[k]);
      if (cat === COVERED) {
        addUnit(byT[k].covered, units, i);
        addUnit(cCovered[c][k], units, i);
        addUnit(sites[nearest.site[i]].servedWithin[k], units, i);
      } else if (cat === BEYOND) {
        addUnit(byT[k].beyond, units, i);
        addUnit(cBeyond[c][k], units, i);
      } else {
        addUnit(byT[k].unreachable, units, i);
        addUnit(cUnreach[c][k], units, i);
      }
    }
  }

  const time = nearest.time;
  order.sort((a, b) => time[a] - time[b] || a - b);
  const weight = units.households;

  const rejected = rejectedTally(units.rejected);
  const rejectedByReason: Record<string, number> = {};
  for (const r of units.rejected ?? []) rejectedByReason[r.reason] = (rejectedByReason[r.reason] ?? 0) + 1;
  const totalRead = emptyTally();
  addTally(totalRead, total);
  addTally(totalRead, rejected);

  const byThreshold: ThresholdCoverage[] = byT.map((t) => {
    const poorKnown = t.covered.poorKnownUnits + t.beyond.poorKnownUnits + t.unreachable.poorKnownUnits + rejected.poorKnownUnits;
    const poorTotal = t.covered.poor + t.beyond.poor + t.unreachable.poor + rejected.poor;
    return {
      ...t,
      rejected,
      shareCovered: totalRead.households > 0 ? t.covered.households / totalRead.households : NaN,
      shareInhabitantsCovered: totalRead.inhabitants > 0 ? t.covered.inhabitants / totalRead.inhabitants : NaN,
      sharePoorCovered: poorKnown > 0 && poorTotal > 0 ? t.covered.poor / poorTotal : NaN,
    };
  });

  const communes: CommuneCoverage[] = [];
  for (const [code, c] of communeIndex) {
    let mainSite = -1;
    let mainH = -Infinity;
    for (const [s, h] of cSiteHouseholds[c]) if (h > mainH || (h === mainH && s < mainSite)) [mainSite, mainH] = [s, h];
    communes.push({
      code,
      total: cTotal[c],
      covered: cCovered[c],
      beyond: cBeyond[c],
      unreachable: cUnreach[c],
      meanTimeS: cTimeWeight[c] > 0 ? cTimeSum[c] / cTimeWeight[c] : NaN,
      maxTimeS: cMax[c],
      mainSite,
    });
  }
  communes.sort((a, b) => (a.code < b.code ? -1 : a.code > b.code ? 1 : 0));

  return {
    thresholdsS: thresholdsS.slice(),
    total,
    totalRead,
    rejected,
    rejectedByReason: Object.fromEntries(Object.entries(rejectedByReason).sort(([a], [b]) => (a < b ? -1 : 1))),
    byThreshold,
    distribution: {
      p50: weightedPercentile(order, time, weight, timeWeight, 0.5),
      p90: weightedPercentile(order, time, weight, timeWeight, 0.9),
      p99: weightedPercentile(order, time, weight, timeWeight, 0.99),
      mean: timeWeight > 0 ? timeSum / timeWeight : NaN,
      max,
      bands,
      unreachableHouseholds,
    },
    communes,
    sites,
  };
}
