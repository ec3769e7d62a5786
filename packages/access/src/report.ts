/**
 * A coverage report for one area (a département, or all of France at commune level): the
 * site selection, the nearest-site search, coverage, gaps — everything the `report`
 * command writes, computed without touching files (so the map app can run it too).
 */
import type { Households, Sites } from '@fs-access/data';
import { computeCoverage, type Coverage, type HouseholdUnits } from './coverage.ts';
import { findGaps, type Gap, type GridUnits } from './gaps.ts';
import { bboxOf, distanceToBboxM, type Points } from './geo.ts';
import type { NearestSites, TravelTimeModel } from './model.ts';
import { REACHED } from './model.ts';

/** A source of the report, as cited in report.md and summary.json. */
export interface ReportSource {
  name: string;
  /** Publication or commit date. */
  date: string;
  url: string;
  description?: string;
}

export interface ReportInput {
  /** '87', '2A', … or 'all' for the national run. */
  area: { code: string; name: string };
  /** Household units of the area (rejections included in `rejected`). */
  units: Households;
  /** INSEE code → commune name. */
  communeNames: ReadonlyMap<string, string>;
  /** Every site available (typically the national list): the report picks those within reach. */
  sites: Sites;
  model: TravelTimeModel;
  /** Thresholds in minutes, increasing. */
  thresholdsMin: number[];
  sources: ReportSource[];
  /**
   * Fastest plausible road speed (km/h), used to bound which sites can matter: a site
   * farther (great-circle) than maxThreshold × this speed from every unit cannot cover any.
   * Default 130 (the French motorway limit).
   */
  maxRoadSpeedKmh?: number;
  /** For a grid report: the area's households by the commune totals, to state the grid's share. */
  gridAccounting?: { communeHouseholds: number; note?: string };
  /** Gap contiguity on the grid; default 8. */
  gapConnectivity?: 4 | 8;
}

export interface UncoveredCommune {
  rank: number;
  unit: number;
  code: string;
  households: number;
  timeS: number;
}

export interface AreaReport {
  input: ReportInput;
  thresholdsS: number[];
  /** Indices into input.sites of the sites considered, increasing. */
  siteIndex: Uint32Array;
  /** The sites considered (the model's sites; nearest.site indexes these). */
  sites: Sites;
  /** Great-circle radius (m) around the units within which sites were kept. */
  selectionRadiusM: number;
  nearest: NearestSites;
  coverage: Coverage;
  /** Grid reports: gaps per threshold (largest first). */
  gaps: Gap[][] | null;
  /** Commune reports: uncovered communes per threshold, longest time first. */
  uncoveredCommunes: UncoveredCommune[][] | null;
  /** Sites (indices into `sites`) the road model could not place on the network. */
  sitesNotPlaced: number[];
}

/** Indices of the points within `radiusM` (great-circle) of the bounding box of `around`. */
export function pointsWithinReach(points: Points, around: Points, radiusM: number): Uint32Array {
  const bbox = bboxOf(around);
  const keep: number[] = [];
  if (bbox === null) return new Uint32Array(0);
  for (let i = 0; i < points.count; i++) {
    const lon = points.lon[i];
    const lat = points.lat[i];
    if (!Number.isFinite(lon) || !Number.isFinite(lat)) continue;
    if (distanceToBboxM(lon, lat, bbox) <= radiusM) keep.push(i);
  }
  return Uint32Array.from(keep);
}

/** The sites at the given indices, as a Sites object of their own (rejections dropped). */
export function subsetSites(sites: Sites, index: ArrayLike<number>): Sites {
  const pick = <T>(a: T[]) => Array.from(index as ArrayLike<number>, (i) => a[i]);
  return {
    count: index.length,
    id: pick(sites.id),
    name: pick(sites.name),
    commune: pick(sites.commune),
    communeName: pick(sites.communeName),
    departement: pick(sites.departement),
    address: pick(sites.address),
    type: pick(sites.type),
    format: pick(sites.format),
    hours: pick(sites.hours),
    lon: Float64Array.from(index as ArrayLike<number>, (i) => sites.lon[i]),
    lat: Float64Array.from(index as ArrayLike<number>, (i) => sites.lat[i]),
    rejected: [],
  };
}

/** The units at the given indices (rejections only if `rejected` is given). */
export function subsetUnits(units: Households, index: ArrayLike<number>, rejected: Households['rejected'] = []): Households {
  const f64 = (a: Float64Array) => (a.length === 0 ? new Float64Array(0) : Float64Array.from(index as ArrayLike<number>, (i) => a[i]));
  const str = (a: string[]) => Array.from(index as ArrayLike<number>, (i) => a[i]);
  const out: Households & { name?: string[] } = {
    kind: units.kind,
    count: index.length,
    id: str(units.id),
    lon: f64(units.lon),
    lat: f64(units.lat),
    households: f64(units.households),
    inhabitants: f64(units.inhabitants),
    poor: f64(units.poor),
    commune: str(units.commune),
    x3035: f64(units.x3035),
    y3035: f64(units.y3035),
    rejected,
  };
  const names = (units as Households & { name?: string[] }).name;
  if (names) out.name = str(names);
  return out;
}

/** The nearest-site result restricted to some units. */
export function subsetNearest(nearest: NearestSites, index: ArrayLike<number>): NearestSites {
  return {
    time: Float64Array.from(index as ArrayLike<number>, (i) => nearest.time[i]),
    site: Int32Array.from(index as ArrayLike<number>, (i) => nearest.site[i]),
    status: Uint8Array.from(index as ArrayLike<number>, (i) => nearest.status[i]),
  };
}

/** Département of an INSEE commune code ('87085' → '87', '97411' → '974', '2A004' → '2A'). */
export function departementOfCommune(code: string): string {
  return code.startsWith('97') || code.startsWith('98') ? code.slice(0, 3) : code.slice(0, 2);
}

/** Builds the whole report of one area. */
export function buildReport(input: ReportInput): AreaReport {
  const { units, model } = input;
  const thresholdsS = input.thresholdsMin.map((m) => m * 60);
  const maxT = thresholdsS[thresholdsS.length - 1];
  const selectionRadiusM = (maxT * (input.maxRoadSpeedKmh ?? 130)) / 3.6;
  const siteIndex = pointsWithinReach(input.sites, units, selectionRadiusM);
  const sites = subsetSites(input.sites, siteIndex);

  const times = model.forUnits(units);
  const nearest = times.nearest(sites);
  const coverage = computeCoverage(units, nearest, { thresholdsS, siteCount: sites.count });

  // Sites the model could not place: ask the model for the sites as units.
  const sitesNotPlaced: number[] = [];
  if (model.kind === 'road' && sites.count > 0) {
    const placement = model.forUnits(sites).placement;
    for (let s = 0; s < sites.count; s++) if (placement[s] !== 0) sitesNotPlaced.push(s);
  }

  let gaps: Gap[][] | null = null;
  let uncoveredCommunes: UncoveredCommune[][] | null = null;
  if (units.kind === 'grid') {
    gaps = thresholdsS.map((t) => findGaps(units as GridUnits, nearest, t, { connectivity: input.gapConnectivity ?? 8 }));
  } else {
    uncoveredCommunes = thresholdsS.map((t) => {
      const list: UncoveredCommune[] = [];
      for (let i = 0; i < units.count; i++) {
        const reached = nearest.status[i] === REACHED;
        if (reached && nearest.time[i] <= t) continue;
        list.push({ rank: 0, unit: i, code: units.id[i], households: units.households[i], timeS: reached ? nearest.time[i] : Infinity });
      }
      list.sort((a, b) => b.timeS - a.timeS || b.households - a.households || (a.code < b.code ? -1 : a.code > b.code ? 1 : 0));
      list.forEach((c, k) => (c.rank = k + 1));
      return list;
    });
  }
  return { input, thresholdsS, siteIndex, sites, selectionRadiusM, nearest, coverage, gaps, uncoveredCommunes, sitesNotPlaced };
}

/** One row of the national table. */
export interface DepartementRow {
  code: string;
  name: string;
  /** Sites of the département in the sites file. */
  sites: number;
  coverage: Coverage;
}

/**
 * Splits a national commune-level report into one coverage per département: every
 * département of the units, plus every département that has a site (with zero households
 * if the household file has none), sorted by code.
 */
export function departementRows(report: AreaReport, names: ReadonlyMap<string, string>): DepartementRow[] {
  const { units } = report.input;
  const byDep = new Map<string, number[]>();
  for (let i = 0; i < units.count; i++) {
    const d = departementOfCommune(units.commune[i] || units.id[i]);
    let list = byDep.get(d);
    if (!list) byDep.set(d, (list = []));
    list.push(i);
  }
  const rejectedByDep = new Map<string, Households['rejected']>();
  for (const r of units.rejected) {
    const d = r.id && /^[0-9][0-9AB]\d{3}$/.test(r.id) ? departementOfCommune(r.id) : '';
    let list = rejectedByDep.get(d);
    if (!list) rejectedByDep.set(d, (list = []));
    list.push(r);
  }
  const sitesByDep = new Map<string, number>();
  for (const d of report.input.sites.departement) sitesByDep.set(d, (sitesByDep.get(d) ?? 0) + 1);
  const codes = new Set<string>([...byDep.keys(), ...sitesByDep.keys(), ...[...rejectedByDep.keys()].filter((d) => d !== '')]);
  return [...codes]
    .sort((a, b) => (a < b ? -1 : a > b ? 1 : 0))
    .map((code) => {
      const idx = byDep.get(code) ?? [];
      const sub = subsetUnits(units, idx, rejectedByDep.get(code) ?? []);
      const coverage = computeCoverage(sub as HouseholdUnits, subsetNearest(report.nearest, idx), {
        thresholdsS: report.thresholdsS,
        siteCount: report.sites.count,
      });
      return { code, name: names.get(code) ?? '', sites: sitesByDep.get(code) ?? 0, coverage };
    });
}
