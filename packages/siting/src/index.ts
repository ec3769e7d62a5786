/**
 * @fs-access/siting — location decisions on cover sets: where the next k sites should go
 * (maximal covering), the fewest sites reaching a coverage share (set cover), what a
 * closure costs. No geography: plain typed arrays in, indices out.
 *
 * Units: a demand unit is whatever the caller counts (a 200 m cell, a commune, a road
 * node); `weight` per unit is the objective (households, poor households or inhabitants —
 * default 1, i.e. units). Candidates are rows of a CoverSets (CSR). Times and radii are in
 * the caller's unit (seconds, deciseconds, metres).
 *
 * Invariants: greedy picks have positive, non-increasing gains, each equal to the coverage
 * difference recomputed from scratch; equal gains go to the lowest candidate index; the
 * results depend only on the inputs (not on how cover sets were computed or by how many
 * workers, since rows are sorted). Greedy maximal covering reaches ≥ (1 − 1/e) of the
 * optimum that `exactMaximalCovering` (HiGHS MIP) or `enumerateMaximalCovering` returns.
 *
 * ```ts
 * const cover = CoverSets.fromCostList({ unitCount, candidateCount, unit, candidate, cost, radius: 1800 });
 * const greedy = maximalCovering({ cover, weight: households, alreadyCovered, k: 5 });
 * const best = await exactMaximalCovering({ cover, weight: households, alreadyCovered, k: 5 });
 * ```
 */
export { CoverSets, CoverSetsBuilder } from './cover-sets.ts';
export {
  maximalCovering,
  greedySetCover,
  coverageOf,
  reachesShare,
  SHARE_TOLERANCE,
  type CoverInput,
  type Pick,
  type StopReason,
  type CoverResult,
  type SetCoverResult,
  type MaximalCoveringOptions,
  type SetCoverOptions,
} from './greedy.ts';
export {
  exactMaximalCovering,
  exactSetCover,
  enumerateMaximalCovering,
  enumerateSetCover,
  loadSolver,
  binomial,
  MAX_SUBSETS,
  type ExactResult,
  type ExactSetCoverResult,
  type IlpOptions,
} from './exact.ts';
export { closureImpact, closureLossBySite, type ClosureInput, type ClosureImpact } from './closure.ts';
export { readCostMatrix, type CostMatrixOptions, type CostMatrix } from './cost-matrix.ts';
export { SitingInputError, InstanceTooLargeError, ExactSolverError, CostFileError } from './errors.ts';
