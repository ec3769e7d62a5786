import { ExactSolverError, InstanceTooLargeError, SitingInputError } from './errors.ts';
import { coverageOf, greedySetCover, prepare, reachesShare, SHARE_TOLERANCE, type CoverInput, type Prepared } from './greedy.ts';

export interface ExactResult {
  /** The chosen candidates, ascending. */
  candidates: number[];
  /** Weight newly covered by them (the MCLP objective). */
  gain: number;
  /** Weight covered in total (existing coverage included), recomputed from scratch. */
  covered: number;
  coveredUnits: number;
  total: number;
  share: number;
  /** 'enumerate' or 'highs'. */
  method: 'enumerate' | 'highs';
}

export interface ExactSetCoverResult extends ExactResult {
  targetShare: number;
  /** False when even every candidate together misses the share: then the result is the fewest candidates reaching the best reachable share. */
  reached: boolean;
}

/** Number of k-subsets of n, saturating at Infinity past 2^53. */
export function binomial(n: number, k: number): number {
  if (k < 0 || k > n) return 0;
  k = Math.min(k, n - k);
  let r = 1;
  for (let i = 1; i <= k; i++) {
    r = (r * (n - k + i)) / i;
    if (r > Number.MAX_SAFE_INTEGER) return Infinity;
  }
  return Math.round(r);
}

/** Default bound on the subsets an enumeration may visit. */
export const MAX_SUBSETS = 2_000_000;

/**
 * Visits every k-subset of 0..n-1 in lexicographic order keeping, per unit, how many
 * chosen candidates cover it; `leaf(gain)` sees the newly covered weight. Depth-first, so
 * each step adds or removes one cover set: O(C(n,k) × mean set size).
 */
function enumerate(p: Prepared, k: number, leaf: (chosen: Int32Array, gain: number) => boolean | void): void {
  const { cover, weight, covered } = p;
  const n = cover.candidateCount;
  const count = new Uint32Array(cover.unitCount);
  const chosen = new Int32Array(k);
  const { offsets, units } = cover;
  let gain = 0;
  let stop = false;
  const add = (c: number) => {
    for (let i = offsets[c], end = offsets[c + 1]; i < end; i++) {
      const u = units[i];
      if (count[u]++ === 0 && covered[u] === 0) gain += weight[u];
    }
  };
  const remove = (c: number) => {
    for (let i = offsets[c], end = offsets[c + 1]; i < end; i++) {
      const u = units[i];
      if (--count[u] === 0 && covered[u] === 0) gain -= weight[u];
    }
  };
  const rec = (depth: number, from: number) => {
    if (depth === k) {
      if (leaf(chosen, gain) === true) stop = true;
      return;
    }
    for (let c = from; c <= n - (k - depth) && !stop; c++) {
      chosen[depth] = c;
      // Removing then re-adding leaves float drift in `gain`: recompute at each leaf
      // would cost more; the caller recomputes the winner from scratch instead.
      add(c);
      rec(depth + 1, c + 1);
      remove(c);
    }
  };
  rec(0, 0);
}

function finish(input: CoverInput, chosen: number[], method: 'enumerate' | 'highs', baseline: number): ExactResult {
  const sorted = [...chosen].sort((a, b) => a - b);
  const cov = coverageOf(input, sorted);
  return { candidates: sorted, gain: cov.covered - baseline, covered: cov.covered, coveredUnits: cov.coveredUnits, total: cov.total, share: cov.share, method };
}

function checkK(k: number): void {
  if (!Number.isInteger(k) || k < 0) throw new SitingInputError(`k must be a whole number ≥ 0, got ${k}`);
}

/**
 * Exact maximal covering by enumeration of every min(k, candidates)-subset (the oracle
 * for tests and for the ILP path). Of equal objectives the lexicographically first subset
 * wins. Throws InstanceTooLargeError when C(candidates, k) exceeds `maxSubsets`.
 * k beyond the number of candidates takes them all (never an error).
 */
export function enumerateMaximalCovering(input: CoverInput & { k: number }, options: { maxSubsets?: number } = {}): ExactResult {
  checkK(input.k);
  const p = prepare(input);
  const n = p.cover.candidateCount;
  const k = Math.min(input.k, n);
  const limit = options.maxSubsets ?? MAX_SUBSETS;
  const size = binomial(n, k);
  if (size > limit) throw new InstanceTooLargeError(`enumeration of C(${n}, ${k}) = ${size} subsets exceeds the bound ${limit}`, size, limit);
  let best = -1;
  let bestSet: number[] = [];
  // Compare with a relative slack so float drift in the running sum never prefers a later, equal subset.
  const eps = SHARE_TOLERANCE * Math.max(1, p.total);
  enumerate(p, k, (chosen, gain) => {
    if (gain > best + eps) {
      best = gain;
      bestSet = Array.from(chosen);
    }
  });
  return finish(input, bestSet, 'enumerate', p.baseline);
}

/**
 * Exact set cover by enumeration: subsets by increasing size, the first (lexicographic)
 * reaching `targetShare`. If no subset reaches it, the fewest candidates reaching the
 * share that all candidates together reach, with `reached: false`. Throws
 * InstanceTooLargeError when the subsets to visit exceed `maxSubsets`.
 */
export function enumerateSetCover(input: CoverInput & { targetShare: number }, options: { maxSubsets?: number } = {}): ExactSetCoverResult {
  const { targetShare } = input;
  if (!(targetShare >= 0 && targetShare <= 1)) throw new SitingInputError(`targetShare must be in [0, 1], got ${targetShare}`);
  const p = prepare(input);
  const n = p.cover.candidateCount;
  const all = coverageOf(input, Array.from({ length: n }, (_, i) => i));
  const reached = reachesShare(all.covered, all.total, targetShare);
  // Unreachable: aim at what everything reaches (compared as weight, same tolerance).
  const aim = (covered: number) => (reached ? reachesShare(covered, p.total, targetShare) : covered >= all.covered - SHARE_TOLERANCE * p.total);
  const limit = options.maxSubsets ?? MAX_SUBSETS;
  let visited = 0;
  for (let s = 0; s <= n; s++) {
    visited += binomial(n, s);
    if (visited > limit) throw new InstanceTooLargeError(`set cover enumeration needs more than ${limit} subsets (sizes 0..${s} of ${n} candidates)`, visited, limit);
    let found: number[] | null = null;
    enumerate(p, s, (chosen) => {
      const set = Array.from(chosen);
      if (aim(coverageOf(input, set).covered)) {
        found = set;
        return true;
      }
      return false;
    });
    if (found) return { ...finish(input, found, 'enumerate', p.baseline), targetShare, reached };
  }
  throw new ExactSolverError('set cover enumeration found no subset (unreachable)');
}

// ---------------------------------------------------------------------------------------
// ILP path: HiGHS compiled to WebAssembly (npm `highs`), loaded on first use.

type HighsModule = Awaited<ReturnType<typeof import('highs')['default']>>;
let highsPromise: Promise<HighsModule> | null = null;

/** Loads HiGHS once (≈ 60 ms, 3.5 MB of WebAssembly); later calls reuse it. */
export function loadSolver(): Promise<HighsModule> {
  if (!highsPromise) {
    highsPromise = import('highs').then((m) => m.default());
    highsPromise.catch(() => {
      highsPromise = null;
    });
  }
  return highsPromise;
}

export interface IlpOptions {
  /** Largest number of candidate columns accepted (default 5,000). */
  maxCandidates?: number;
  /** Solver time limit in seconds (default 60); reaching it throws ExactSolverError. */
  timeLimit?: number;
}

/**
 * The reduced instance the ILP sees: candidates that cover some uncovered unit of
 * positive weight, and those units. Others cannot change the objective.
 */
function reduce(p: Prepared) {
  const { cover, weight, covered } = p;
  const unitCol = new Int32Array(cover.unitCount).fill(-1);
  const cands: number[] = [];
  const unitsKept: number[] = [];
  for (let c = 0; c < cover.candidateCount; c++) {
    const row = cover.row(c);
    let useful = false;
    for (let i = 0; i < row.length; i++) {
      const u = row[i];
      if (covered[u] === 0 && weight[u] > 0) {
        useful = true;
        if (unitCol[u] < 0) {
          unitCol[u] = unitsKept.length;
          unitsKept.push(u);
        }
      }
    }
    if (useful) cands.push(c);
  }
  return { cands, unitsKept, unitCol };
}

/**
 * Builds and solves one MIP. Columns: x_j (binary, one per useful candidate) then y_i
 * (continuous in [0, 1], one per uncovered unit): y_i ≤ Σ_{j covers i} x_j forces y_i = 0
 * unless a chosen candidate covers i, and integral x make the best y integral too.
 * Rows: one per unit (y_i − Σ x_j ≤ 0), then the extra rows given.
 */
async function solveMip(
  p: Prepared,
  red: ReturnType<typeof reduce>,
  objective: { x: number; y: (u: number) => number; maximize: boolean },
  extraRows: { lower: number; upper: number; x: number; y: (u: number) => number }[],
  options: IlpOptions,
): Promise<number[] | null> {
  const { cands, unitsKept, unitCol } = red;
  const limit = options.maxCandidates ?? 5000;
  if (cands.length > limit) throw new InstanceTooLargeError(`${cands.length} useful candidates exceed the ILP bound ${limit}`, cands.length, limit);
  const highs = await loadSolver();
  const nx = cands.length;
  const ny = unitsKept.length;
  const numCols = nx + ny;
  const numRows = ny + extraRows.length;
  // Row-wise matrix: per unit row, +1 on y_i and -1 on each x_j covering it.
  const perUnit = new Uint32Array(ny + 1);
  for (let j = 0; j < nx; j++) {
    const row = p.cover.row(cands[j]);
    for (let i = 0; i < row.length; i++) if (unitCol[row[i]] >= 0) perUnit[unitCol[row[i]] + 1]++;
  }
  for (let i = 0; i < ny; i++) perUnit[i + 1] += perUnit[i] + 1;
  let nnz = perUnit[ny];
  for (const r of extraRows) {
    if (r.x !== 0) nnz += nx;
    for (let i = 0; i < ny; i++) if (r.y(unitsKept[i]) !== 0) nnz++;
  }
  const starts = new Int32Array(numRows + 1);
  const indices = new Int32Array(nnz);
  const values = new Float64Array(nnz);
  const fill = new Uint32Array(ny);
  for (let i = 0; i < ny; i++) {
    starts[i] = perUnit[i];
    indices[perUnit[i]] = nx + i;
    values[perUnit[i]] = 1;
    fill[i] = perUnit[i] + 1;
  }
  for (let j = 0; j < nx; j++) {
    const row = p.cover.row(cands[j]);
    for (let i = 0; i < row.length; i++) {
      const col = unitCol[row[i]];
      if (col < 0) continue;
      indices[fill[col]] = j;
      values[fill[col]] = -1;
      fill[col]++;
    }
  }
  let at = perUnit[ny];
  const rowLower = new Float64Array(numRows).fill(-highs.infinity);
  const rowUpper = new Float64Array(numRows);
  extraRows.forEach((r, k) => {
    starts[ny + k] = at;
    if (r.x !== 0) {
      for (let j = 0; j < nx; j++) {
        indices[at] = j;
        values[at++] = r.x;
      }
    }
    for (let i = 0; i < ny; i++) {
      const v = r.y(unitsKept[i]);
      if (v !== 0) {
        indices[at] = nx + i;
        values[at++] = v;
      }
    }
    rowLower[ny + k] = Number.isFinite(r.lower) ? r.lower : -highs.infinity;
    rowUpper[ny + k] = Number.isFinite(r.upper) ? r.upper : highs.infinity;
  });
  starts[numRows] = at;
  const colCost = new Float64Array(numCols);
  for (let j = 0; j < nx; j++) colCost[j] = objective.x;
  for (let i = 0; i < ny; i++) colCost[nx + i] = objective.y(unitsKept[i]);
  const integrality = new Int32Array(numCols);
  for (let j = 0; j < nx; j++) integrality[j] = highs.constants.variableType.integer;
  const model = highs.createModel({
    numCols,
    numRows,
    sense: objective.maximize ? highs.constants.objectiveSense.maximize : highs.constants.objectiveSense.minimize,
    colCost,
    colLower: new Float64Array(numCols),
    colUpper: new Float64Array(numCols).fill(1),
    rowLower,
    rowUpper,
    matrix: { format: 'csr', numRows, numCols, starts, indices, values },
    integrality,
  });
  try {
    // A zero relative gap: we want the optimum, not a near one; the absolute gap stays
    // below any difference of weights that matters (weights are households or people).
    model.options.set({ output_flag: false, mip_rel_gap: 0, mip_abs_gap: 1e-7, time_limit: options.timeLimit ?? 60 });
    model.run();
    let status = model.getModelStatus();
    if (status === highs.constants.modelStatus.infeasible) {
      // HiGHS 1.15's presolve has been seen to call a feasible model with a nearly tight
      // row infeasible: confirm without presolve before believing it.
      model.options.set({ presolve: 'off' });
      model.run();
      status = model.getModelStatus();
      if (status === highs.constants.modelStatus.infeasible) return null;
    }
    if (status !== highs.constants.modelStatus.optimal) {
      throw new ExactSolverError(`HiGHS stopped without proving optimality (model status ${status})`);
    }
    const x = model.getSolution().colValue;
    const chosen: number[] = [];
    for (let j = 0; j < nx; j++) if (x[j] > 0.5) chosen.push(cands[j]);
    return chosen;
  } finally {
    model.dispose();
  }
}

/**
 * Exact maximal covering: the k candidates covering the most uncovered weight, proved
 * optimal by HiGHS (MIP; binary site variables, continuous coverage variables). At most k
 * sites (Σ x ≤ k, unlike spopt's = p, so k beyond the candidates is not infeasible).
 * Which optimum is returned among equal ones is the solver's choice; the objective is what
 * is guaranteed (to within 1e-7 absolute). method 'enumerate' runs the oracle instead.
 */
export async function exactMaximalCovering(input: CoverInput & { k: number }, options: IlpOptions & { method?: 'highs' | 'enumerate'; maxSubsets?: number } = {}): Promise<ExactResult> {
  checkK(input.k);
  if (options.method === 'enumerate') return enumerateMaximalCovering(input, options);
  const p = prepare(input);
  const red = reduce(p);
  if (red.cands.length <= input.k) return finish(input, red.cands, 'highs', p.baseline);
  const chosen = await solveMip(p, red, { x: 0, y: (u) => p.weight[u], maximize: true }, [{ lower: -Infinity, upper: input.k, x: 1, y: () => 0 }], options);
  if (!chosen) throw new ExactSolverError('HiGHS found the maximal covering model infeasible');
  return finish(input, chosen, 'highs', p.baseline);
}

/**
 * Exact set cover: the fewest candidates whose coverage (existing included) reaches
 * `targetShare` of the total weight (see SHARE_TOLERANCE). If even all candidates miss
 * it, the fewest reaching the best reachable share, with `reached: false`.
 *
 * Solved as a bisection on k over exact maximal covering (HiGHS): the smallest k whose
 * optimum reaches the share, between 0 and the greedy set cover's count (which reaches
 * it). A direct set-cover MIP (min Σx with a share row) was tried first and dropped:
 * HiGHS 1.15's presolve called some feasible instances infeasible when the share row was
 * nearly tight. Bisection costs O(log greedy count) MIPs, each checked from scratch.
 */
export async function exactSetCover(input: CoverInput & { targetShare: number }, options: IlpOptions & { method?: 'highs' | 'enumerate'; maxSubsets?: number } = {}): Promise<ExactSetCoverResult> {
  const { targetShare } = input;
  if (!(targetShare >= 0 && targetShare <= 1)) throw new SitingInputError(`targetShare must be in [0, 1], got ${targetShare}`);
  if (options.method === 'enumerate') return enumerateSetCover(input, options);
  const p = prepare(input);
  const red = reduce(p);
  const all = coverageOf(input, red.cands);
  const reached = reachesShare(all.covered, p.total, targetShare);
  const ok = (covered: number) => (reached ? reachesShare(covered, p.total, targetShare) : covered >= all.covered - SHARE_TOLERANCE * p.total);
  if (ok(p.baseline)) return { ...finish(input, [], 'highs', p.baseline), targetShare, reached };
  const greedy = greedySetCover(input);
  let best = greedy.picks.map((q) => q.candidate);
  if (!ok(coverageOf(input, best).covered)) best = red.cands; // cannot happen: greedy covers all it can
  let lo = 0; // ok(lo) is false
  let hi = best.length; // ok(hi) is true
  while (hi - lo > 1) {
    const mid = (lo + hi) >> 1;
    const r = await exactMaximalCovering({ ...input, k: mid }, options);
    if (ok(r.covered)) {
      hi = mid;
      best = r.candidates;
    } else lo = mid;
  }
  return { ...finish(input, best, 'highs', p.baseline), targetShare, reached };
}
