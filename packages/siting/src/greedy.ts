import type { CoverSets } from './cover-sets.ts';
import { SitingInputError } from './errors.ts';

/**
 * What every decision takes: the cover sets, the weight of each demand unit (the
 * objective: households, poor households or inhabitants — default 1 per unit, i.e.
 * count units), and the units already covered by the existing sites.
 */
export interface CoverInput {
  cover: CoverSets;
  /** Per unit: a finite weight ≥ 0 (households are fractional in the Filosofi grid). Default 1. */
  weight?: ArrayLike<number>;
  /** Per unit: non-zero when an existing site already covers it. Default: none covered. */
  alreadyCovered?: ArrayLike<number>;
}

export interface Pick {
  /** Candidate index (row of the cover sets). */
  candidate: number;
  /** Weight this pick newly covers (its marginal gain, > 0). */
  gain: number;
  /** Number of units this pick newly covers (zero-weight units included). */
  units: number;
  /** Weight covered after this pick: existing coverage plus every gain so far. */
  cumulative: number;
  /** cumulative / total weight (1 when the total is 0). */
  share: number;
}

/**
 * Why the greedy stopped: 'k' (k picks made), 'target' (set cover: the share is reached),
 * 'no-gain' (no remaining candidate covers any uncovered unit of positive weight — every
 * useful candidate is used up, so k was larger than what can help).
 */
export type StopReason = 'k' | 'target' | 'no-gain';

export interface CoverResult {
  picks: Pick[];
  /** Weight covered before any pick (already covered units). */
  baseline: number;
  /** Weight covered at the end. */
  covered: number;
  /** Units covered at the end (already covered ones included). */
  coveredUnits: number;
  /** Total weight of all units. */
  total: number;
  /** covered / total (1 when total is 0). */
  share: number;
  stopReason: StopReason;
  /** Marginal gains computed (CELF's laziness shows as evaluations ≪ k × candidates). */
  evaluations: number;
}

export interface SetCoverResult extends CoverResult {
  /** The share asked for. */
  targetShare: number;
  /** Whether it was reached; if not, picks is the greedy path to the best reachable share. */
  reached: boolean;
}

/**
 * Shares are compared with a relative slack of 1e-9 of the total weight, far above the
 * rounding of float sums and far below any meaningful difference: a solution "reaches"
 * a share when covered ≥ share × total − 1e-9 × total.
 */
export const SHARE_TOLERANCE = 1e-9;

/** Whether `covered` out of `total` reaches `share` (see SHARE_TOLERANCE). */
export function reachesShare(covered: number, total: number, share: number): boolean {
  return covered >= share * total - SHARE_TOLERANCE * total;
}

/** Validated, copied per-unit state shared by the greedy and exact solvers. */
export interface Prepared {
  cover: CoverSets;
  weight: Float64Array;
  covered: Uint8Array;
  baseline: number;
  baselineUnits: number;
  total: number;
}

export function prepare(input: CoverInput): Prepared {
  const { cover } = input;
  const n = cover.unitCount;
  const weight = new Float64Array(n);
  if (input.weight) {
    if (input.weight.length !== n) throw new SitingInputError(`weight has ${input.weight.length} entries for ${n} units`);
    for (let u = 0; u < n; u++) {
      const w = input.weight[u];
      if (!(w >= 0 && w < Infinity)) throw new SitingInputError(`weight of unit ${u} is ${w}: weights must be finite and ≥ 0`);
      weight[u] = w;
    }
  } else weight.fill(1);
  const covered = new Uint8Array(n);
  if (input.alreadyCovered) {
    if (input.alreadyCovered.length !== n) throw new SitingInputError(`alreadyCovered has ${input.alreadyCovered.length} entries for ${n} units`);
    for (let u = 0; u < n; u++) covered[u] = input.alreadyCovered[u] ? 1 : 0;
  }
  let total = 0;
  let baseline = 0;
  let baselineUnits = 0;
  for (let u = 0; u < n; u++) {
    total += weight[u];
    if (covered[u]) {
      baseline += weight[u];
      baselineUnits++;
    }
  }
  return { cover, weight, covered, baseline, baselineUnits, total };
}

function shareOf(covered: number, total: number): number {
  return total > 0 ? covered / total : 1;
}

let lastUnits = 0;
/** Weight of the uncovered units of candidate c, summed in row order; unit count in lastUnits. */
function gainOf(cover: CoverSets, c: number, covered: Uint8Array, weight: Float64Array): number {
  const { offsets, units } = cover;
  let g = 0;
  let k = 0;
  for (let i = offsets[c], end = offsets[c + 1]; i < end; i++) {
    const u = units[i];
    if (covered[u] === 0) {
      g += weight[u];
      k++;
    }
  }
  lastUnits = k;
  return g;
}

/**
 * Max-heap of candidates on (bound desc, candidate index asc), flat typed arrays.
 * The index order is what makes ties deterministic: of equal gains the lowest
 * candidate index is on top.
 */
class BoundHeap {
  readonly ids: Int32Array;
  size = 0;
  constructor(
    capacity: number,
    private readonly bound: Float64Array,
  ) {
    this.ids = new Int32Array(capacity);
  }
  private above(a: number, b: number): boolean {
    const ba = this.bound[a];
    const bb = this.bound[b];
    return ba > bb || (ba === bb && a < b);
  }
  push(c: number): void {
    let i = this.size++;
    const ids = this.ids;
    while (i > 0) {
      const p = (i - 1) >> 1;
      if (!this.above(c, ids[p])) break;
      ids[i] = ids[p];
      i = p;
    }
    ids[i] = c;
  }
  /** Restores the heap after the top's bound decreased. */
  siftDownTop(): void {
    const ids = this.ids;
    const n = this.size;
    const c = ids[0];
    let i = 0;
    for (;;) {
      const l = 2 * i + 1;
      if (l >= n) break;
      const r = l + 1;
      const best = r < n && this.above(ids[r], ids[l]) ? r : l;
      if (!this.above(ids[best], c)) break;
      ids[i] = ids[best];
      i = best;
    }
    ids[i] = c;
  }
  pop(): number {
    const top = this.ids[0];
    this.size--;
    if (this.size > 0) {
      this.ids[0] = this.ids[this.size];
      this.siftDownTop();
    }
    return top;
  }
}

/**
 * The lazy greedy (CELF): each candidate sits in a max-heap keyed by its last computed
 * gain, an upper bound of its current gain (coverage is submodular; with non-negative
 * weights a float sum over fewer terms in the same order is never larger, so the bound
 * holds in floating point too). The top is recomputed until it is fresh for this round;
 * a fresh top beats every bound below it, so the pick equals plain greedy's, tie rule
 * included.
 */
function celf(p: Prepared, k: number, targetShare: number | undefined): CoverResult {
  const { cover, weight, total } = p;
  const covered = p.covered.slice();
  const nc = cover.candidateCount;
  const bound = new Float64Array(nc);
  const stamp = new Int32Array(nc);
  const heap = new BoundHeap(nc, bound);
  let evaluations = 0;
  for (let c = 0; c < nc; c++) {
    bound[c] = gainOf(cover, c, covered, weight);
    evaluations++;
    // A candidate without gain now never gains later: leave it out.
    if (bound[c] > 0) heap.push(c);
  }
  const picks: Pick[] = [];
  let cum = p.baseline;
  let coveredUnits = p.baselineUnits;
  let stopReason: StopReason = 'k';
  for (;;) {
    if (targetShare !== undefined && reachesShare(cum, total, targetShare)) {
      stopReason = 'target';
      break;
    }
    if (picks.length >= k) {
      stopReason = 'k';
      break;
    }
    const round = picks.length;
    let chosen = -1;
    while (heap.size > 0) {
      const top = heap.ids[0];
      if (stamp[top] === round) {
        chosen = heap.pop();
        break;
      }
      bound[top] = gainOf(cover, top, covered, weight);
      stamp[top] = round;
      evaluations++;
      if (bound[top] > 0) heap.siftDownTop();
      else heap.pop();
    }
    if (chosen < 0) {
      stopReason = 'no-gain';
      break;
    }
    const { offsets, units } = cover;
    let g = 0;
    let nu = 0;
    for (let i = offsets[chosen], end = offsets[chosen + 1]; i < end; i++) {
      const u = units[i];
      if (covered[u] === 0) {
        covered[u] = 1;
        g += weight[u];
        nu++;
      }
    }
    cum += g;
    coveredUnits += nu;
    picks.push({ candidate: chosen, gain: g, units: nu, cumulative: cum, share: shareOf(cum, total) });
  }
  return { picks, baseline: p.baseline, covered: cum, coveredUnits, total, share: shareOf(cum, total), stopReason, evaluations };
}

export interface MaximalCoveringOptions extends CoverInput {
  /** Number of new sites to choose (integer ≥ 0). */
  k: number;
}

/**
 * Maximal covering (MCLP), greedy with lazy re-evaluation (CELF): up to k candidates,
 * each the one with the largest marginal gain (weight of the units it newly covers).
 *
 * - Ties: of equal gains (exactly equal floats) the lowest candidate index wins.
 * - Stops early, with stopReason 'no-gain', when no remaining candidate covers an
 *   uncovered unit of positive weight: zero-gain picks are never made, so `picks` may be
 *   shorter than k (k larger than the number of useful candidates is not an error).
 * - Gains are non-increasing along the picks (submodularity), each equal to the coverage
 *   difference recomputed from scratch; greedy reaches ≥ (1 − 1/e) of the optimum.
 */
export function maximalCovering(options: MaximalCoveringOptions): CoverResult {
  const { k } = options;
  if (!Number.isInteger(k) || k < 0) throw new SitingInputError(`k must be a whole number ≥ 0, got ${k}`);
  return celf(prepare(options), k, undefined);
}

export interface SetCoverOptions extends CoverInput {
  /** Share of the total weight to reach, in [0, 1] (existing coverage counts). */
  targetShare: number;
}

/**
 * Greedy set cover: picks by largest marginal gain (same rule and ties as
 * maximalCovering) until covered / total reaches `targetShare` (see SHARE_TOLERANCE).
 * When the share cannot be reached even with every candidate, returns the greedy path to
 * the best reachable share with `reached: false`. Greedy uses at most H(max set size) ×
 * the optimal number of picks; `exactSetCover` gives the optimum on small instances.
 */
export function greedySetCover(options: SetCoverOptions): SetCoverResult {
  const { targetShare } = options;
  if (!(targetShare >= 0 && targetShare <= 1)) throw new SitingInputError(`targetShare must be in [0, 1], got ${targetShare}`);
  const p = prepare(options);
  const r = celf(p, Number.MAX_SAFE_INTEGER, targetShare);
  return { ...r, targetShare, reached: r.stopReason === 'target' };
}

/**
 * Coverage of a set of candidates recomputed from scratch: the weight and number of
 * units covered by the existing sites or by any of `candidates`, summed in unit order.
 * The oracle for marginal gains; also what the exact solvers report.
 */
export function coverageOf(input: CoverInput, candidates: ArrayLike<number>): { covered: number; coveredUnits: number; share: number; total: number } {
  const p = prepare(input);
  const mark = p.covered;
  for (let i = 0; i < candidates.length; i++) {
    const c = candidates[i];
    if (!(c >= 0 && c < p.cover.candidateCount && Number.isInteger(c))) throw new SitingInputError(`candidate ${c} out of range 0..${p.cover.candidateCount - 1}`);
    const row = p.cover.row(c);
    for (let j = 0; j < row.length; j++) mark[row[j]] = 1;
  }
  let covered = 0;
  let coveredUnits = 0;
  for (let u = 0; u < mark.length; u++) {
    if (mark[u]) {
      covered += p.weight[u];
      coveredUnits++;
    }
  }
  return { covered, coveredUnits, share: shareOf(covered, p.total), total: p.total };
}
