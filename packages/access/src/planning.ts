/**
 * Planning new sites and closures for one area (a département): the composition of a
 * travel-time model (crow-fly or road), the existing sites, candidate places and
 * @fs-access/siting's decisions, so that the CLI (`fs-access sites`, `fs-access closure`)
 * and the map app (in a Web Worker) give the same answers from the same inputs.
 * Browser-safe: no Node API here (workers go through @fs-access/workers).
 *
 * Units: times in seconds; households, inhabitants and poor households are floats summed
 * over units (poor households over the units that have the figure — none at commune
 * level); shares are fractions in [0, 1] of everything the loader read for the area
 * (rejected records included, as in computeCoverage), so a share here equals the report's.
 *
 * Definitions (threshold T):
 * - a unit is **covered** when its time to the nearest existing site is ≤ T (REACHED);
 * - a candidate's **cover set** is the set of units it would newly cover: time to the
 *   candidate ≤ T and not covered now (beyond T, unreachable, or not snapped);
 * - **gain** of a pick = what it newly covers given the sites and the earlier picks.
 *
 * Tie rules: of candidates with exactly equal gains the lowest candidate index (the order
 * of the candidate list) is picked (siting's rule); cover sets are sorted by unit index, so
 * results do not depend on how many workers computed them.
 */
import { CarGraph, type CarGraphParts } from '@fs-access/osm';
import {
  CoverSets,
  CoverSetsBuilder,
  closureImpact,
  coverageOf,
  exactMaximalCovering,
  exactSetCover,
  greedySetCover,
  maximalCovering,
  reachesShare,
  type CoverResult,
  type IlpOptions,
} from '@fs-access/siting';
import { CancelledError, createPool, transferResult, type AnyWorker, type MapOptions, type WorkerPool } from '@fs-access/workers';
import { computeCoverage, type HouseholdUnits, type ThresholdCoverage } from './coverage.ts';
import { CrowFlyModel, type CrowFlyParameters } from './crowfly.ts';
import type { Points } from './geo.ts';
import { REACHED, type NearestSites, type Reach, type TravelTimeModel, type UnitTimes } from './model.ts';
import { pointsWithinReach } from './report.ts';
import { RoadModel, carNetwork, type RoadModelOptions } from './road.ts';

/** Bad planning input: unknown objective, poor households asked where none are known, arrays that do not match. */
export class PlanningInputError extends Error {
  override name = 'PlanningInputError';
}

/** What a pick maximises: households, poor households or inhabitants newly covered. */
export type Objective = 'households' | 'poor' | 'inhabitants';
export const OBJECTIVES: readonly Objective[] = ['households', 'poor', 'inhabitants'];

/** Household units as planning reads them (the Households of @fs-access/data fit). */
export interface PlanningUnits extends HouseholdUnits {
  lon: Float64Array;
  lat: Float64Array;
}

/** Existing sites: points, with ids and names when known (for messages and outputs). */
export type PlanningSites = Points & { id?: string[]; name?: string[] };

/** Candidate places: points with an id and a name (the Candidates of @fs-access/data fit). */
export type PlanningCandidates = Points & { id: string[]; name: string[]; kind?: string[]; commune?: string[] };

/** Figures summed over a set of units. */
export interface Figures {
  units: number;
  households: number;
  inhabitants: number;
  /** Poor households over the units that have the figure (0 when none has it). */
  poor: number;
}

/** Coverage of the area at T: what is covered and the shares of the area's totals. */
export interface CoverageState {
  households: number;
  inhabitants: number;
  poor: number;
  /** Units covered. */
  units: number;
  /** households ÷ the area's households (rejected records included); NaN when there are none. */
  share: number;
  shareInhabitants: number;
  /** NaN when no unit has a poor-household figure. */
  sharePoor: number;
}

export interface AreaTotals {
  households: number;
  inhabitants: number;
  /** Poor households over units (and rejected records) that have the figure. */
  poor: number;
  /** Units that have a poor-household figure. */
  poorKnownUnits: number;
  units: number;
}

function emptyFigures(): Figures {
  return { units: 0, households: 0, inhabitants: 0, poor: 0 };
}

function addUnit(f: Figures, units: HouseholdUnits, i: number): void {
  f.units++;
  f.households += units.households[i];
  f.inhabitants += units.inhabitants[i];
  const p = units.poor[i];
  if (Number.isFinite(p)) f.poor += p;
}

/** Figures of a list of units, summed in list order. */
export function figuresOf(units: HouseholdUnits, list: ArrayLike<number>): Figures {
  const f = emptyFigures();
  for (let k = 0; k < list.length; k++) addUnit(f, units, list[k]);
  return f;
}

/** Per unit: 1 when covered at T (REACHED and time ≤ T). */
export function coveredFlags(current: NearestSites, thresholdS: number): Uint8Array {
  const n = current.time.length;
  const f = new Uint8Array(n);
  for (let i = 0; i < n; i++) if (current.status[i] === REACHED && current.time[i] <= thresholdS) f[i] = 1;
  return f;
}

/** Units not covered at T, ascending. */
export function uncoveredUnits(current: NearestSites, thresholdS: number): Uint32Array {
  const flags = coveredFlags(current, thresholdS);
  let n = 0;
  for (let i = 0; i < flags.length; i++) if (!flags[i]) n++;
  const out = new Uint32Array(n);
  for (let i = 0, k = 0; i < flags.length; i++) if (!flags[i]) out[k++] = i;
  return out;
}

/**
 * Per-unit weights of an objective. Poor households: units without the figure weigh 0;
 * throws PlanningInputError when no unit has it (commune-level households).
 */
export function objectiveWeights(units: HouseholdUnits, objective: Objective): Float64Array {
  const n = units.count;
  if (objective === 'households') return Float64Array.from(units.households.subarray(0, n));
  if (objective === 'inhabitants') return Float64Array.from(units.inhabitants.subarray(0, n));
  if (objective !== 'poor') throw new PlanningInputError(`objective must be one of ${OBJECTIVES.join(', ')}, got "${objective as string}"`);
  const w = new Float64Array(n);
  let known = 0;
  for (let i = 0; i < n; i++) {
    const p = units.poor[i];
    if (Number.isFinite(p)) {
      w[i] = p;
      known++;
    }
  }
  if (known === 0 && n > 0) throw new PlanningInputError('objective "poor": no unit has a poor-household figure (commune-level households have none; use the Filosofi grid)');
  return w;
}

function objectiveValue(f: Figures | CoverageState, objective: Objective): number {
  return objective === 'households' ? f.households : objective === 'poor' ? f.poor : f.inhabitants;
}

// ---------------------------------------------------------------------------------------
// Models that can cross to a worker.

/**
 * A travel-time model as structured-clonable data, so a worker can rebuild it: crow-fly
 * by its parameters, road by its car graph (CarGraph.toParts()) and options.
 */
export type ModelSpec = { kind: 'crowfly'; parameters: Partial<CrowFlyParameters> } | { kind: 'road'; car: CarGraphParts; options?: RoadModelOptions };

/** Rebuilds the model of a spec (in a worker). */
export function modelFromSpec(spec: ModelSpec): TravelTimeModel {
  if (spec.kind === 'crowfly') return new CrowFlyModel(spec.parameters);
  if (spec.kind === 'road') return new RoadModel(carNetwork(CarGraph.fromParts(spec.car)), spec.options);
  throw new PlanningInputError(`unknown model kind ${(spec as { kind?: string }).kind}`);
}

/** The spec of a model: crow-fly from its parameters; a road model needs its CarGraph. */
export function modelSpecOf(model: TravelTimeModel, car?: CarGraph): ModelSpec {
  if (model instanceof CrowFlyModel) return { kind: 'crowfly', parameters: { detourFactor: model.detourFactor, speedKmh: model.speedKmh, accessTimeS: model.accessTimeS } };
  if (model instanceof RoadModel) {
    if (!car) throw new PlanningInputError('a road model crosses to workers as its CarGraph: pass the car graph it was built from');
    return { kind: 'road', car: car.toParts(), options: { accessSpeedKmh: model.accessSpeedKmh, maxSnapDistanceM: model.maxSnapDistanceM } };
  }
  throw new PlanningInputError(`cannot describe a ${model.kind} model for workers`);
}

// ---------------------------------------------------------------------------------------
// Cover sets.

/**
 * Reach queries over a subset of the units (those not covered now): the model indexes
 * (crow-fly: kdbush) or snaps (road) only them, so each candidate's query touches only
 * units it could newly cover — on 87's grid at 20 min, about 1,200 of 25,000 cells.
 */
export class SubsetReach {
  readonly times: UnitTimes;
  constructor(
    model: TravelTimeModel,
    units: Points,
    /** Unit indices of the subset, ascending. */
    readonly ids: Uint32Array,
  ) {
    this.times = model.forUnits({ count: ids.length, lon: Float64Array.from(ids, (i) => units.lon[i]), lat: Float64Array.from(ids, (i) => units.lat[i]) });
  }

  /** Units of the subset within T of (lon, lat), as indices of the full unit set, ascending; times aligned. */
  reach(lon: number, lat: number, thresholdS: number): Reach {
    const r = this.times.reach(lon, lat, thresholdS);
    const order = Uint32Array.from({ length: r.unit.length }, (_, k) => k).sort((a, b) => r.unit[a] - r.unit[b]);
    return { unit: Uint32Array.from(order, (k) => this.ids[r.unit[k]]), time: Float64Array.from(order, (k) => r.time[k]) };
  }
}

/** Cover sets of a block of candidates, CSR over full unit indices, rows ascending. */
export interface PackedCover {
  offsets: Uint32Array;
  units: Uint32Array;
}

function coverRows(reach: SubsetReach, lon: Float64Array, lat: Float64Array, chunk: ArrayLike<number>, thresholdS: number, unitCount: number, signal?: AbortSignal): PackedCover {
  const b = new CoverSetsBuilder(unitCount);
  for (let j = 0; j < chunk.length; j++) {
    if (signal?.aborted) throw new CancelledError();
    b.add(j, reach.reach(lon[chunk[j]], lat[chunk[j]], thresholdS).unit);
  }
  const s = b.finish(chunk.length);
  return { offsets: s.offsets, units: s.units };
}

export interface CandidateCoverInput {
  model: TravelTimeModel;
  units: Points;
  /** Nearest existing site of every unit (what is covered now). */
  current: NearestSites;
  candidates: Points;
  thresholdS: number;
}

/**
 * Cover sets of every candidate: the units newly covered at T — time to the candidate ≤ T
 * (the model's `reach`: kdbush radius query for crow-fly, bounded search on the reversed
 * graph for road) and not covered now. Rows in candidate order, units ascending.
 */
export function candidateCover(input: CandidateCoverInput, options: { signal?: AbortSignal; onProgress?: MapOptions['onProgress'] } = {}): CoverSets {
  const { model, units, current, candidates, thresholdS } = input;
  if (current.time.length !== units.count) throw new PlanningInputError(`nearest-site result has ${current.time.length} entries for ${units.count} units`);
  const reach = new SubsetReach(model, units, uncoveredUnits(current, thresholdS));
  const all = Uint32Array.from({ length: candidates.count }, (_, c) => c);
  const step = 64;
  const parts: CoverSets[] = [];
  for (let a = 0; a < all.length; a += step) {
    const chunk = all.subarray(a, Math.min(all.length, a + step));
    const p = coverRows(reach, candidates.lon, candidates.lat, chunk, thresholdS, units.count, options.signal);
    parts.push(new CoverSets(units.count, p.offsets, p.units));
    options.onProgress?.({ done: a + chunk.length, total: all.length });
  }
  return CoverSets.concat(parts, units.count);
}

/** What a planning worker receives once. */
export interface PlanningWorkerInit {
  model: ModelSpec;
  /** All units' coordinates (the subset is sent with each chunk). */
  lon: Float64Array;
  lat: Float64Array;
  candLon: Float64Array;
  candLat: Float64Array;
}

/**
 * The methods of a planning worker. Node: the pool loads `planning-worker.ts`; a browser
 * app writes its own two-line worker so that its bundler sees it:
 * `import { exposeWorker } from '@fs-access/workers'; import { createPlanningWorkerApi } from '@fs-access/access'; exposeWorker(createPlanningWorkerApi());`
 */
export function createPlanningWorkerApi() {
  let init: PlanningWorkerInit | null = null;
  let model: TravelTimeModel | null = null;
  let cached: { ids: Uint32Array; reach: SubsetReach } | null = null;
  const sameIds = (a: Uint32Array, b: Uint32Array) => {
    if (a.length !== b.length) return false;
    for (let i = 0; i < a.length; i++) if (a[i] !== b[i]) return false;
    return true;
  };
  return {
    init(payload: PlanningWorkerInit): void {
      init = payload;
      model = modelFromSpec(payload.model);
      cached = null;
    },
    /** Cover sets of candidates `chunk` at T over the units `uncovered` (ascending). */
    cover(chunk: Uint32Array, thresholdS: number, uncovered: Uint32Array): PackedCover {
      if (!init || !model) throw new Error('planning worker used before init');
      if (!cached || !sameIds(cached.ids, uncovered)) cached = { ids: uncovered, reach: new SubsetReach(model, { count: init.lon.length, lon: init.lon, lat: init.lat }, uncovered) };
      const r = coverRows(cached.reach, init.candLon, init.candLat, chunk, thresholdS, init.lon.length);
      return transferResult(r, [r.offsets.buffer, r.units.buffer]);
    },
  };
}

export type PlanningWorkerApi = ReturnType<typeof createPlanningWorkerApi>;

const isNode = typeof process === 'object' && typeof process.versions === 'object' && !!process.versions.node;

/**
 * A pool of planning workers for one set of units and candidates (Node: worker_threads
 * through tsx; browser: pass `workerFactory` with a worker exposing createPlanningWorkerApi()).
 */
export async function createPlanningPool(init: PlanningWorkerInit, options: { size?: number; workerFactory?: (index: number) => AnyWorker } = {}): Promise<WorkerPool<PlanningWorkerApi>> {
  const factory = options.workerFactory ?? (isNode ? undefined : () => new Worker(new URL('./planning-worker.ts', import.meta.url), { type: 'module' }));
  return createPool<PlanningWorkerApi>({
    size: options.size,
    init,
    workerUrl: factory ? undefined : new URL('./planning-worker.ts', import.meta.url),
    workerFactory: factory,
  });
}

// ---------------------------------------------------------------------------------------
// The planner.

export interface PlannerInput {
  model: TravelTimeModel;
  /** The area's household units (not its neighbours'). */
  units: PlanningUnits;
  /** Existing sites, neighbours' included (see selectSitesForPlanning). */
  sites: PlanningSites;
  candidates: PlanningCandidates;
  /** Coverage threshold T, seconds. */
  thresholdS: number;
  /** The model bound to `units`, if the caller has it already. */
  times?: UnitTimes;
  /** `times.nearest(sites)`, if the caller has it already. */
  current?: NearestSites;
  /** How workers rebuild the model (default: modelSpecOf(model); required for a road model). */
  modelSpec?: ModelSpec;
}

/** One chosen candidate. */
export interface SitePick {
  /** 1-based order of the pick. */
  rank: number;
  /** Index into the candidates. */
  candidate: number;
  id: string;
  name: string;
  kind: string;
  commune: string;
  lon: number;
  lat: number;
  /** Newly covered by this pick given the sites and the earlier picks. */
  gain: Figures;
  /** The gain in the objective's measure (what the greedy maximised). */
  objectiveGain: number;
  /** Coverage before and after this pick. */
  before: CoverageState;
  after: CoverageState;
  /** Units newly covered by this pick, ascending, and their times (s) to it. */
  units: Uint32Array;
  times: Float64Array;
}

export interface Recommendation {
  thresholdS: number;
  objective: Objective;
  k: number;
  /** Candidates evaluated (cover sets computed). */
  candidates: number;
  /** Candidates that would newly cover at least one unit. */
  usefulCandidates: number;
  baseline: CoverageState;
  picks: SitePick[];
  final: CoverageState;
  /** 'k': k picks made; 'no-gain': fewer — no other candidate covers anything new. */
  stopReason: 'k' | 'no-gain' | 'target';
  /** Gain evaluations made by the lazy greedy (vs candidates × picks for plain greedy). */
  evaluations: number;
}

export interface ExactComparison {
  method: 'highs' | 'enumerate';
  /** The optimal set, ordered as a greedy would open it (largest marginal gain first). */
  picks: SitePick[];
  final: CoverageState;
  /** Objective newly covered: greedy's and the optimum's. */
  greedyGain: number;
  optimumGain: number;
  /** greedyGain ÷ optimumGain (1 when both are 0); ≥ 1 − 1/e by theory, usually 1. */
  ratio: number;
}

export interface MinimumSites extends Recommendation {
  /** Share asked for, of the objective's total (households, poor households or inhabitants). */
  targetShare: number;
  /** Whether the picks reach it; when false, the picks reach the best share the candidates allow. */
  reached: boolean;
}

export interface WhatIf {
  lon: number;
  lat: number;
  thresholdS: number;
  /** Newly covered by a site at (lon, lat). */
  gain: Figures;
  /** Those units, ascending, and their time (s) to the point. */
  units: Uint32Array;
  times: Float64Array;
  before: CoverageState;
  after: CoverageState;
}

export interface ClosureLoss {
  /** Site indices closed together. */
  closed: number[];
  closedIds: string[];
  thresholdS: number;
  /** Units covered now and not once the sites close. */
  lost: Figures;
  units: Uint32Array;
  /** Per lost unit: time now, time after (Infinity: no site left within reach), new nearest site (-1: none). */
  timeBefore: Float64Array;
  timeAfter: Float64Array;
  siteAfter: Int32Array;
  /** Units whose nearest site was one of the closed ones (covered or not). */
  served: Figures;
  /** Units still covered but slower. */
  slower: Figures;
  before: CoverageState;
  after: CoverageState;
  /** Nearest site of every unit once the sites are closed (site indices into the planner's sites). */
  nearestAfter: NearestSites;
}

/** Times with "no site" as +Infinity (what siting compares). */
function timesOrInfinity(n: NearestSites): Float64Array {
  return Float64Array.from(n.time, (t, i) => (n.status[i] === REACHED ? t : Infinity));
}

/**
 * The existing sites that can matter for an area: those within `radiusS` × 130 km/h
 * (great-circle; the fastest French road) of the units' bounding box. Default radius:
 * max(2T, 60 min), so that coverage at T is exact (a farther site cannot reach a unit
 * within T) and the new times of a closure are exact up to that radius.
 */
export function selectSitesForPlanning(sites: Points, units: Points, thresholdS: number, options: { radiusS?: number; maxRoadSpeedKmh?: number } = {}): Uint32Array {
  const radiusS = options.radiusS ?? Math.max(2 * thresholdS, 3600);
  return pointsWithinReach(sites, units, (radiusS * (options.maxRoadSpeedKmh ?? 130)) / 3.6);
}

/**
 * Everything the `sites` and `closure` commands (and the map app) decide for one area at
 * one threshold T. The constructor runs the nearest-site search once (unless given);
 * cover sets are computed on first need (in process) or with `computeCover({ pool })`.
 */
export class SitingPlanner {
  readonly model: TravelTimeModel;
  readonly units: PlanningUnits;
  readonly sites: PlanningSites;
  readonly candidates: PlanningCandidates;
  readonly thresholdS: number;
  readonly times: UnitTimes;
  /** Nearest existing site of every unit. */
  readonly current: NearestSites;
  /** Coverage at T with the existing sites (computeCoverage). */
  readonly coverage: ThresholdCoverage;
  readonly totals: AreaTotals;
  /** Per unit: 1 when covered now. */
  readonly covered: Uint8Array;
  /** Units not covered now, ascending. */
  readonly uncovered: Uint32Array;
  readonly baseline: CoverageState;
  private readonly modelSpec: ModelSpec | undefined;
  private cover: CoverSets | null = null;
  private subset: SubsetReach | null = null;

  constructor(input: PlannerInput) {
    const { model, units, sites, candidates, thresholdS } = input;
    if (!(thresholdS >= 0) || !Number.isFinite(thresholdS)) throw new PlanningInputError(`threshold must be a finite number of seconds ≥ 0, got ${thresholdS}`);
    if (candidates.id.length !== candidates.count || candidates.lon.length < candidates.count) throw new PlanningInputError('candidates: id/lon/lat do not match count');
    this.model = model;
    this.units = units;
    this.sites = sites;
    this.candidates = candidates;
    this.thresholdS = thresholdS;
    this.modelSpec = input.modelSpec;
    this.times = input.times ?? model.forUnits(units);
    this.current = input.current ?? this.times.nearest(sites);
    if (this.current.time.length !== units.count) throw new PlanningInputError(`nearest-site result has ${this.current.time.length} entries for ${units.count} units`);
    const cov = computeCoverage(units, this.current, { thresholdsS: [thresholdS], siteCount: sites.count });
    this.coverage = cov.byThreshold[0];
    const poorTotal = this.coverage.covered.poor + this.coverage.beyond.poor + this.coverage.unreachable.poor + this.coverage.rejected.poor;
    this.totals = {
      households: cov.totalRead.households,
      inhabitants: cov.totalRead.inhabitants,
      poor: poorTotal,
      poorKnownUnits: cov.totalRead.poorKnownUnits,
      units: cov.totalRead.units,
    };
    this.covered = coveredFlags(this.current, thresholdS);
    this.uncovered = uncoveredUnits(this.current, thresholdS);
    const c = this.coverage.covered;
    this.baseline = this.state({ units: c.units, households: c.households, inhabitants: c.inhabitants, poor: c.poor });
  }

  /** Coverage state from covered figures. */
  private state(f: Figures): CoverageState {
    const t = this.totals;
    return {
      households: f.households,
      inhabitants: f.inhabitants,
      poor: f.poor,
      units: f.units,
      share: t.households > 0 ? f.households / t.households : NaN,
      shareInhabitants: t.inhabitants > 0 ? f.inhabitants / t.inhabitants : NaN,
      sharePoor: t.poorKnownUnits > 0 && t.poor > 0 ? f.poor / t.poor : NaN,
    };
  }

  private plus(s: CoverageState, g: Figures): CoverageState {
    return this.state({ units: s.units + g.units, households: s.households + g.households, inhabitants: s.inhabitants + g.inhabitants, poor: s.poor + g.poor });
  }

  /** What a worker needs (send once per pool). */
  workerInit(): PlanningWorkerInit {
    return {
      model: this.modelSpec ?? modelSpecOf(this.model),
      lon: this.units.lon.slice(0, this.units.count),
      lat: this.units.lat.slice(0, this.units.count),
      candLon: this.candidates.lon.slice(0, this.candidates.count),
      candLat: this.candidates.lat.slice(0, this.candidates.count),
    };
  }

  /**
   * Computes the candidates' cover sets: in this thread, or on `pool` (made with
   * createPlanningPool(planner.workerInit())) in chunks merged in candidate order — the
   * same CoverSets either way. Progress counts candidates; aborting `signal` rejects with
   * CancelledError.
   */
  async computeCover(options: MapOptions & { pool?: WorkerPool<PlanningWorkerApi>; chunkSize?: number } = {}): Promise<CoverSets> {
    const n = this.candidates.count;
    if (!options.pool) {
      this.cover = candidateCover(
        { model: this.model, units: this.units, current: this.current, candidates: this.candidates, thresholdS: this.thresholdS },
        { signal: options.signal, onProgress: options.onProgress },
      );
      return this.cover;
    }
    const pool = options.pool;
    const items = Uint32Array.from({ length: n }, (_, c) => c);
    const chunkSize = options.chunkSize ?? Math.max(1, Math.min(64, Math.ceil(n / (8 * pool.size))));
    const parts = await pool.mapChunks<PackedCover>(items, chunkSize, 'cover', [this.thresholdS, this.uncovered], { signal: options.signal, onProgress: options.onProgress });
    const u = this.units.count;
    this.cover = CoverSets.concat(
      parts.map((p) => new CoverSets(u, p.offsets, p.units)),
      u,
    );
    return this.cover;
  }

  /** The cover sets (computed in this thread on first use unless computeCover ran). */
  coverSets(): CoverSets {
    if (!this.cover) {
      this.cover = candidateCover({ model: this.model, units: this.units, current: this.current, candidates: this.candidates, thresholdS: this.thresholdS });
    }
    return this.cover;
  }

  /** Uses cover sets computed elsewhere (e.g. by the app's own pool); checked for shape. */
  setCoverSets(cover: CoverSets): void {
    if (cover.unitCount !== this.units.count || cover.candidateCount !== this.candidates.count) {
      throw new PlanningInputError(`cover sets over ${cover.unitCount} units × ${cover.candidateCount} candidates, expected ${this.units.count} × ${this.candidates.count}`);
    }
    this.cover = cover;
  }

  private pickOf(rank: number, candidate: number, newly: Uint32Array, before: CoverageState, objective: Objective): SitePick {
    const c = this.candidates;
    const gain = figuresOf(this.units, newly);
    const times = new Float64Array(newly.length);
    // Times to the pick, for outputs: one reach query (cheap; the cover sets keep no times).
    const r = this.subsetReach().reach(c.lon[candidate], c.lat[candidate], this.thresholdS);
    const timeOf = new Map<number, number>();
    for (let k = 0; k < r.unit.length; k++) timeOf.set(r.unit[k], r.time[k]);
    for (let k = 0; k < newly.length; k++) times[k] = timeOf.get(newly[k]) ?? NaN;
    return {
      rank,
      candidate,
      id: c.id[candidate],
      name: c.name[candidate] ?? '',
      kind: c.kind?.[candidate] ?? '',
      commune: c.commune?.[candidate] ?? '',
      lon: c.lon[candidate],
      lat: c.lat[candidate],
      gain,
      objectiveGain: objectiveValue(gain, objective),
      before,
      after: this.plus(before, gain),
      units: newly,
      times,
    };
  }

  private subsetReach(): SubsetReach {
    this.subset ??= new SubsetReach(this.model, this.units, this.uncovered);
    return this.subset;
  }

  /** Picks in the given order, each with what it newly covers given the ones before it. */
  sequence(candidates: readonly number[], objective: Objective = 'households'): SitePick[] {
    const cover = this.coverSets();
    const mark = new Uint8Array(this.units.count);
    let before = this.baseline;
    return candidates.map((c, k) => {
      if (!(c >= 0 && c < cover.candidateCount && Number.isInteger(c))) throw new PlanningInputError(`candidate ${c} out of range 0..${cover.candidateCount - 1}`);
      const row = cover.row(c);
      const newly: number[] = [];
      for (let j = 0; j < row.length; j++) {
        if (!mark[row[j]]) {
          mark[row[j]] = 1;
          newly.push(row[j]);
        }
      }
      const p = this.pickOf(k + 1, c, Uint32Array.from(newly), before, objective);
      before = p.after;
      return p;
    });
  }

  private usefulCount(cover: CoverSets): number {
    let n = 0;
    for (let c = 0; c < cover.candidateCount; c++) if (cover.size(c) > 0) n++;
    return n;
  }

  private fromGreedy(r: CoverResult, objective: Objective, k: number): Recommendation {
    const cover = this.coverSets();
    const picks = this.sequence(
      r.picks.map((p) => p.candidate),
      objective,
    );
    return {
      thresholdS: this.thresholdS,
      objective,
      k,
      candidates: cover.candidateCount,
      usefulCandidates: this.usefulCount(cover),
      baseline: this.baseline,
      picks,
      final: picks.length > 0 ? picks[picks.length - 1].after : this.baseline,
      stopReason: r.stopReason,
      evaluations: r.evaluations,
    };
  }

  /**
   * The best k new sites (maximal covering, greedy with lazy re-evaluation — siting's
   * maximalCovering). Each pick's gain is what it newly covers given the sites and the
   * earlier picks; gains never increase along the picks. k larger than the useful
   * candidates is not an error: the picks stop with stopReason 'no-gain'.
   */
  recommend(options: { k: number; objective?: Objective }): Recommendation {
    const objective = options.objective ?? 'households';
    const weight = objectiveWeights(this.units, objective);
    const r = maximalCovering({ cover: this.coverSets(), weight, alreadyCovered: this.covered, k: options.k });
    return this.fromGreedy(r, objective, options.k);
  }

  /**
   * The proven optimum of the same maximal-covering problem (HiGHS MIP, or enumeration
   * with method 'enumerate') next to greedy's, for the greedy gap. Throws siting's
   * InstanceTooLargeError / ExactSolverError beyond the bounds or the time limit.
   */
  async exactRecommend(options: { k: number; objective?: Objective; greedy?: Recommendation } & IlpOptions & { method?: 'highs' | 'enumerate'; maxSubsets?: number }): Promise<ExactComparison> {
    const objective = options.objective ?? 'households';
    const weight = objectiveWeights(this.units, objective);
    const cover = this.coverSets();
    const exact = await exactMaximalCovering({ cover, weight, alreadyCovered: this.covered, k: options.k }, options);
    const greedy = options.greedy ?? this.recommend({ k: options.k, objective });
    // Order the optimum as a greedy would open it, so each pick shows its marginal gain.
    const sub = new CoverSetsBuilder(cover.unitCount);
    exact.candidates.forEach((c, i) => sub.add(i, cover.row(c)));
    const order = maximalCovering({ cover: sub.finish(exact.candidates.length), weight, alreadyCovered: this.covered, k: exact.candidates.length });
    const ordered = order.picks.map((p) => exact.candidates[p.candidate]);
    for (const c of exact.candidates) if (!ordered.includes(c)) ordered.push(c);
    const picks = this.sequence(ordered, objective);
    const greedyGain = greedy.picks.reduce((s, p) => s + p.objectiveGain, 0);
    return {
      method: exact.method,
      picks,
      final: picks.length > 0 ? picks[picks.length - 1].after : this.baseline,
      greedyGain,
      optimumGain: exact.gain,
      ratio: exact.gain > 0 ? greedyGain / exact.gain : 1,
    };
  }

  /** The share of the objective's total reached by `covered` (in the objective's measure). */
  private objectiveTotal(objective: Objective): number {
    return objective === 'households' ? this.totals.households : objective === 'poor' ? this.totals.poor : this.totals.inhabitants;
  }

  /** Siting's target share (its total = the units' weights) for a share of the area's total (rejected records included). */
  private sitingShare(share: number, weight: Float64Array, objective: Objective): number {
    let unitsTotal = 0;
    for (let i = 0; i < weight.length; i++) unitsTotal += weight[i];
    const target = share * this.objectiveTotal(objective);
    return unitsTotal > 0 ? Math.min(1, target / unitsTotal) : share;
  }

  /**
   * The fewest new sites reaching `share` (0–1) of the objective's total, greedy set
   * cover (same pick rule as recommend). When the candidates cannot reach it, the picks
   * reach the best share they can and `reached` is false.
   */
  minimumSites(options: { share: number; objective?: Objective }): MinimumSites {
    const objective = options.objective ?? 'households';
    if (!(options.share >= 0 && options.share <= 1)) throw new PlanningInputError(`share must be in [0, 1], got ${options.share}`);
    const weight = objectiveWeights(this.units, objective);
    const r = greedySetCover({ cover: this.coverSets(), weight, alreadyCovered: this.covered, targetShare: this.sitingShare(options.share, weight, objective) });
    const rec = this.fromGreedy(r, objective, r.picks.length);
    const total = this.objectiveTotal(objective);
    const reached = reachesShare(objectiveValue(rec.final, objective), total, options.share);
    return { ...rec, targetShare: options.share, reached };
  }

  /** The proven fewest sites for the same share (siting's exactSetCover: bisection over HiGHS). */
  async exactMinimumSites(options: { share: number; objective?: Objective } & IlpOptions & { method?: 'highs' | 'enumerate'; maxSubsets?: number }): Promise<{ method: 'highs' | 'enumerate'; picks: SitePick[]; final: CoverageState; reached: boolean }> {
    const objective = options.objective ?? 'households';
    const weight = objectiveWeights(this.units, objective);
    const cover = this.coverSets();
    const r = await exactSetCover({ cover, weight, alreadyCovered: this.covered, targetShare: this.sitingShare(options.share, weight, objective) }, options);
    const sub = new CoverSetsBuilder(cover.unitCount);
    r.candidates.forEach((c, i) => sub.add(i, cover.row(c)));
    const order = maximalCovering({ cover: sub.finish(r.candidates.length), weight, alreadyCovered: this.covered, k: r.candidates.length });
    const ordered = order.picks.map((p) => r.candidates[p.candidate]);
    for (const c of r.candidates) if (!ordered.includes(c)) ordered.push(c);
    const picks = this.sequence(ordered, objective);
    const final = picks.length > 0 ? picks[picks.length - 1].after : this.baseline;
    return { method: r.method, picks, final, reached: reachesShare(objectiveValue(final, objective), this.objectiveTotal(objective), options.share) };
  }

  /**
   * What a new site at (lon, lat) would newly cover at T, given the existing sites — or
   * given `covered` (per unit, non-zero = already covered) when the caller tracks other
   * additions (the app's scenario). One reach query over the uncovered units.
   */
  whatIf(lon: number, lat: number, options: { covered?: ArrayLike<number> } = {}): WhatIf {
    const r = this.subsetReach().reach(lon, lat, this.thresholdS);
    const cov = options.covered;
    if (cov && cov.length !== this.units.count) throw new PlanningInputError(`covered has ${cov.length} entries for ${this.units.count} units`);
    const keep: number[] = [];
    for (let k = 0; k < r.unit.length; k++) if (!cov || !cov[r.unit[k]]) keep.push(k);
    const units = Uint32Array.from(keep, (k) => r.unit[k]);
    const times = Float64Array.from(keep, (k) => r.time[k]);
    const gain = figuresOf(this.units, units);
    let before = this.baseline;
    if (cov) {
      const list: number[] = [];
      for (let i = 0; i < cov.length; i++) if (cov[i]) list.push(i);
      before = this.state(figuresOf(this.units, list));
    }
    return { lon, lat, thresholdS: this.thresholdS, gain, units, times, before, after: this.plus(before, gain) };
  }

  /** Index of a site by id (-1 if none). */
  siteIndex(id: string): number {
    return this.sites.id ? this.sites.id.indexOf(id) : -1;
  }

  /**
   * What closing the given sites (indices into `sites`) together costs at T: the units
   * that lose coverage (covered now, not once they close — siting's closureImpact on the
   * model's times with and without them), their new times and nearest sites, the units
   * they served, and the coverage after. Equals the coverage without the sites recomputed
   * from scratch.
   */
  closureLoss(closed: readonly number[]): ClosureLoss {
    const n = this.sites.count;
    const shut = new Uint8Array(n);
    for (const s of closed) {
      if (!(Number.isInteger(s) && s >= 0 && s < n)) throw new PlanningInputError(`site index ${s} out of range 0..${n - 1}`);
      shut[s] = 1;
    }
    const keep: number[] = [];
    for (let s = 0; s < n; s++) if (!shut[s]) keep.push(s);
    const rest: Points = { count: keep.length, lon: Float64Array.from(keep, (s) => this.sites.lon[s]), lat: Float64Array.from(keep, (s) => this.sites.lat[s]) };
    const after = this.times.nearest(rest);
    // Site indices of the reduced list → indices into this.sites.
    for (let i = 0; i < after.site.length; i++) if (after.site[i] >= 0) after.site[i] = keep[after.site[i]];
    const impact = closureImpact({
      site: closed.length === 1 ? closed[0] : -1,
      nearest: this.current.site,
      time: timesOrInfinity(this.current),
      timeWithout: timesOrInfinity(after),
      threshold: this.thresholdS,
    });
    const served: number[] = [];
    const slower: number[] = [];
    for (let i = 0; i < this.units.count; i++) {
      const s = this.current.site[i];
      if (s >= 0 && shut[s]) served.push(i);
      if (this.covered[i] && after.status[i] === REACHED && after.time[i] <= this.thresholdS && after.time[i] > this.current.time[i]) slower.push(i);
    }
    const lost = figuresOf(this.units, impact.units);
    const before = this.baseline;
    return {
      closed: [...closed],
      closedIds: closed.map((s) => this.sites.id?.[s] ?? String(s)),
      thresholdS: this.thresholdS,
      lost,
      units: impact.units,
      timeBefore: Float64Array.from(impact.units, (u) => this.current.time[u]),
      timeAfter: impact.newTime,
      siteAfter: Int32Array.from(impact.units, (u) => after.site[u]),
      served: figuresOf(this.units, served),
      slower: figuresOf(this.units, slower),
      before,
      after: this.state({ units: before.units - lost.units, households: before.households - lost.households, inhabitants: before.inhabitants - lost.inhabitants, poor: before.poor - lost.poor }),
      nearestAfter: after,
    };
  }
}

/**
 * One call for the best k sites: builds a planner (nearest-site search, cover sets in this
 * thread) and runs its greedy. See SitingPlanner.recommend.
 */
export function recommendSites(input: PlannerInput & { k: number; objective?: Objective }): Recommendation {
  return new SitingPlanner(input).recommend({ k: input.k, objective: input.objective });
}
