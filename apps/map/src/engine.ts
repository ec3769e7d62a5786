/**
 * The map's computations, all through @fs-access/access (crow-fly model, report, coverage,
 * gaps, formats) and @fs-access/siting (maximal covering, closure impact). Runs inside Web
 * Workers (see engine.worker.ts); nothing here touches the DOM.
 *
 * A scenario is the report's sites minus the closed ones plus the user's candidate sites
 * (in the order placed). Two engines hold the same scenario:
 * - the "quick" one answers map clicks: the households a new point would newly cover,
 *   from one radius query (kdbush) against per-threshold "covered" flags it keeps up to
 *   date incrementally (a point only changes the category of units within the largest
 *   threshold of it, so the flags stay exact);
 * - the "full" one rebuilds the whole report (buildReport: nearest site of every unit,
 *   coverage, per-commune figures, gaps) for the panel, the colours and the exports.
 *
 * Units: times in seconds inside, minutes in what the panel shows; households are floats.
 */
import {
  CrowFlyModel,
  SitingPlanner,
  buildReport,
  communesCsv,
  gapCoordinates,
  gapsGeoJson,
  householdsCsv,
  householdsGeoJson,
  round,
  sitesGeoJson,
  summaryJson,
  worstCommunes,
  REACHED,
  EARTH_RADIUS_M,
  type AreaReport,
  type CommuneCoverage,
  type Figures,
  type PackedCover,
  type PlanningWorkerInit,
  type UnitTimes,
} from '@fs-access/access';
import { CoverSets } from '@fs-access/siting';
import type { Candidates, Households, Sites } from '@fs-access/data';
import { candidatesFromJson, decodeUnits, sitesFromJson, type CandidatesJson, type DepartementMeta, type SitesJson } from './prepared.ts';

/** A site the user placed on the map. Coordinates are rounded to 1e-5° (about 1 m) so the URL reproduces them exactly. */
export interface UserCandidate {
  id: string;
  lon: number;
  lat: number;
}

/** What the user changed: closed site ids, candidate sites in the order placed. */
export interface Scenario {
  closed: string[];
  added: UserCandidate[];
}

/** Households (and the rest) newly covered or lost, at one threshold (access's Figures). */
export type Gain = Figures;

export interface CandidateEffect {
  id: string;
  lon: number;
  lat: number;
  /** Per threshold (order of meta.thresholdsMin). */
  gains: Gain[];
  /** Units newly covered, per threshold. */
  units: Uint32Array[];
  /** Time the engine took (ms), when measured. */
  workerMs?: number;
}

export interface ThresholdFigures {
  thresholdMin: number;
  households: number;
  share: number;
  inhabitants: number;
  poor: number | null;
  sharePoor: number | null;
  beyondHouseholds: number;
  unreachableHouseholds: number;
  units: number;
}

export interface WorstCommune {
  code: string;
  name: string;
  households: number;
  share: number;
  meanMin: number | null;
  maxMin: number | null;
  mainSite: string;
}

export interface GapSummary {
  thresholdMin: number;
  count: number;
  households: number;
  /** Grid: GeoJSON MultiPolygons; communes: null (the map outlines the units instead). */
  geojson: GeoJSON.FeatureCollection | null;
  /** Communes level: the uncovered units. */
  units: number[];
}

export interface SiteRow {
  id: string;
  name: string;
  inArea: boolean;
  /** Households whose nearest site it is. */
  served: number;
}

/** What the full engine sends after each refresh. */
export interface View {
  totals: { households: number; inhabitants: number; poor: number | null; units: number; rejected: number };
  thresholds: ThresholdFigures[];
  /** Per threshold: the 10 worst communes (lowest share within it, then longest mean time). */
  worst: WorstCommune[][];
  gaps: GapSummary[];
  /** Minutes to the nearest site per unit (NaN when no site is reached), for the colours. */
  minutes: Float32Array;
  /** Sites of the scenario that serve someone or lie in the département. */
  sites: SiteRow[];
  p50Min: number | null;
  p90Min: number | null;
  maxMin: number | null;
}

export interface ClosureLoss {
  siteId: string;
  siteName: string;
  /** Per threshold. */
  lost: Gain[];
  lostUnits: Uint32Array[];
  servedHouseholds: number;
}

export interface Recommendation {
  thresholdMin: number;
  k: number;
  picks: { candidate: number; id: string; name: string; kind: string; commune: string; communeName: string; lon: number; lat: number; gain: number; units: number; share: number }[];
  baselineShare: number;
  share: number;
  stopReason: string;
  candidates: number;
}

export interface EngineData {
  meta: DepartementMeta;
  units: ArrayBuffer;
  sites: SitesJson;
  candidates: CandidatesJson;
}

export type { PackedCover };

export class Engine {
  readonly meta: DepartementMeta;
  readonly units: Households;
  readonly baseSites: Sites;
  readonly candidates: Candidates;
  readonly model: CrowFlyModel;
  readonly times: UnitTimes;
  readonly thresholdsS: number[];
  private readonly communeNames: Map<string, string>;
  private scenario: Scenario = { closed: [], added: [] };
  /** Per threshold, 1 where the unit is covered in the current scenario (quick engine). */
  private flags: Uint8Array[] = [];
  private report: AreaReport | null = null;

  constructor(data: EngineData) {
    this.meta = data.meta;
    this.units = decodeUnits(data.meta, data.units);
    this.baseSites = sitesFromJson(data.sites);
    this.candidates = candidatesFromJson(data.candidates);
    const p = data.meta.model;
    this.model = new CrowFlyModel({ detourFactor: Number(p.detourFactor), speedKmh: Number(p.speedKmh), accessTimeS: Number(p.accessTimeS) });
    this.times = this.model.forUnits(this.units);
    this.thresholdsS = data.meta.thresholdsMin.map((m) => m * 60);
    this.communeNames = new Map(Object.entries(data.meta.communeNames));
  }

  /** The sites of a scenario: base sites not closed, then the user's candidates. */
  sitesOf(s: Scenario): Sites {
    const closed = new Set(s.closed);
    const keep: number[] = [];
    for (let i = 0; i < this.baseSites.count; i++) if (!closed.has(this.baseSites.id[i])) keep.push(i);
    const b = this.baseSites;
    const n = keep.length + s.added.length;
    const pick = <T>(a: T[]) => keep.map((i) => a[i]);
    const label = (k: number) => `Site candidat ${k + 1}`;
    return {
      count: n,
      id: [...pick(b.id), ...s.added.map((c) => c.id)],
      name: [...pick(b.name), ...s.added.map((_, k) => label(k))],
      commune: [...pick(b.commune), ...s.added.map(() => '')],
      communeName: [...pick(b.communeName), ...s.added.map(() => '')],
      departement: [...pick(b.departement), ...s.added.map(() => this.meta.code)],
      address: [...pick(b.address), ...s.added.map(() => '')],
      type: [...pick(b.type), ...s.added.map(() => 'Candidat')],
      format: [...pick(b.format), ...s.added.map(() => 'Candidat')],
      hours: [...pick(b.hours), ...s.added.map(() => [])],
      lon: Float64Array.from([...keep.map((i) => b.lon[i]), ...s.added.map((c) => c.lon)]),
      lat: Float64Array.from([...keep.map((i) => b.lat[i]), ...s.added.map((c) => c.lat)]),
      rejected: [],
    };
  }

  // ---- quick engine ----

  /** One planner per threshold for the sites open in the scenario (its candidates are tracked in `flags`). */
  private planners: SitingPlanner[] = [];

  private plannersFor(closed: string[]): SitingPlanner[] {
    const sites = this.sitesOf({ closed, added: [] });
    const current = this.times.nearest(sites);
    return this.thresholdsS.map((thresholdS) => new SitingPlanner({ model: this.model, units: this.units, sites, candidates: this.candidates, thresholdS, times: this.times, current }));
  }

  /** What a site at (lon, lat) would newly cover given the current scenario (no change made): access's whatIf per threshold. */
  effectAt(lon: number, lat: number, id = ''): CandidateEffect {
    const gains: Gain[] = [];
    const units: Uint32Array[] = [];
    this.planners.forEach((p, k) => {
      const w = p.whatIf(lon, lat, { covered: this.flags[k] });
      gains.push(w.gain);
      units.push(w.units);
    });
    return { id, lon, lat, gains, units };
  }

  private apply(effect: CandidateEffect): void {
    effect.units.forEach((list, k) => {
      for (const u of list) this.flags[k][u] = 1;
    });
  }

  /** Quick engine: adds a candidate at the end of the scenario; returns what it newly covers. */
  addCandidate(c: UserCandidate): CandidateEffect {
    if (this.planners.length === 0) this.setScenario(this.scenario);
    const effect = this.effectAt(c.lon, c.lat, c.id);
    this.apply(effect);
    this.scenario = { closed: this.scenario.closed, added: [...this.scenario.added, c] };
    return effect;
  }

  /**
   * Quick engine: takes a whole scenario; returns each candidate's effect, in order (each
   * relative to the sites open and the candidates placed before it).
   */
  setScenario(s: Scenario): CandidateEffect[] {
    const sameClosed = this.planners.length > 0 && s.closed.length === this.scenario.closed.length && s.closed.every((id, i) => id === this.scenario.closed[i]);
    if (!sameClosed) this.planners = this.plannersFor(s.closed);
    this.scenario = { closed: [...s.closed], added: [] };
    this.flags = this.planners.map((p) => p.covered.slice());
    return s.added.map((c) => this.addCandidate(c));
  }

  // ---- full engine --------------------------------------------------------------------

  /** Full engine: the report of a scenario (kept for views, closures and exports). */
  rebuild(s: Scenario): AreaReport {
    this.scenario = { closed: [...s.closed], added: [...s.added] };
    this.report = buildReport({
      area: { code: this.meta.code, name: this.meta.name },
      units: this.units,
      communeNames: this.communeNames,
      sites: this.sitesOf(this.scenario),
      model: this.model,
      thresholdsMin: this.meta.thresholdsMin,
      sources: this.meta.sources,
      gridAccounting: this.meta.gridAccounting ?? undefined,
    });
    return this.report;
  }

  current(): AreaReport {
    return this.report ?? this.rebuild(this.scenario);
  }

  view(): View {
    const r = this.current();
    const c = r.coverage;
    const thresholds: ThresholdFigures[] = c.byThreshold.map((t) => ({
      thresholdMin: t.thresholdS / 60,
      households: round(t.covered.households)!,
      share: round(t.shareCovered, 6)!,
      inhabitants: round(t.covered.inhabitants)!,
      poor: t.covered.poorKnownUnits > 0 ? round(t.covered.poor) : null,
      sharePoor: round(t.sharePoorCovered, 6),
      beyondHouseholds: round(t.beyond.households)!,
      unreachableHouseholds: round(t.unreachable.households)!,
      units: t.covered.units,
    }));
    const worst = this.thresholdsS.map((_, k) => this.worst(r, k));
    const gaps: GapSummary[] = this.thresholdsS.map((t, k) => {
      if (r.gaps) {
        const list = r.gaps[k];
        const features: GeoJSON.Feature[] = list.map((g) => ({
          type: 'Feature',
          properties: { rank: g.rank, households: round(g.tally.households), cells: g.tally.units },
          geometry: { type: 'MultiPolygon', coordinates: gapCoordinates(g, this.meta.cellSizeM) },
        }));
        return {
          thresholdMin: t / 60,
          count: list.length,
          households: round(list.reduce((s, g) => s + g.tally.households, 0))!,
          geojson: { type: 'FeatureCollection', features },
          units: [],
        };
      }
      const list = r.uncoveredCommunes![k];
      return { thresholdMin: t / 60, count: list.length, households: round(list.reduce((s, u) => s + u.households, 0))!, geojson: null, units: list.map((u) => u.unit) };
    });
    const minutes = Float32Array.from(r.nearest.time, (t, i) => (r.nearest.status[i] === REACHED ? t / 60 : NaN));
    const sites: SiteRow[] = [];
    for (let s = 0; s < r.sites.count; s++) {
      const inArea = r.sites.departement[s] === this.meta.code;
      const served = c.sites[s]?.served.households ?? 0;
      if (inArea || served > 0) sites.push({ id: r.sites.id[s], name: r.sites.name[s], inArea, served: round(served)! });
    }
    const min = (x: number) => (Number.isFinite(x) ? round(x / 60)! : null);
    return {
      totals: {
        households: round(c.totalRead.households)!,
        inhabitants: round(c.totalRead.inhabitants)!,
        poor: c.totalRead.poorKnownUnits > 0 ? round(c.totalRead.poor) : null,
        units: c.totalRead.units,
        rejected: c.rejected.units,
      },
      thresholds,
      worst,
      gaps,
      minutes,
      sites,
      p50Min: min(c.distribution.p50),
      p90Min: min(c.distribution.p90),
      maxMin: min(c.distribution.max),
    };
  }

  /** The report's ranking (worstCommunes) applied to threshold k. */
  private worst(r: AreaReport, k: number): WorstCommune[] {
    const byK: CommuneCoverage[] = r.coverage.communes.map((c) => ({ ...c, covered: [c.covered[k]] }));
    return worstCommunes(byK, 10).map((c) => ({
      code: c.code,
      name: this.communeNames.get(c.code) ?? '',
      households: round(c.total.households)!,
      share: round(c.covered[0].households / c.total.households, 6)!,
      meanMin: Number.isFinite(c.meanTimeS) ? round(c.meanTimeS / 60)! : null,
      maxMin: Number.isFinite(c.maxTimeS) ? round(c.maxTimeS / 60)! : null,
      mainSite: c.mainSite >= 0 ? r.sites.name[c.mainSite] : '',
    }));
  }

  /** A planner on the current scenario's sites at threshold index k (access's SitingPlanner). */
  private plannerAt(k: number): SitingPlanner {
    const r = this.current();
    return new SitingPlanner({ model: this.model, units: this.units, sites: r.sites, candidates: this.candidates, thresholdS: this.thresholdsS[k], times: this.times, current: r.nearest });
  }

  /** Full engine: what closing one site of the current scenario would cost (the scenario is not changed). */
  closure(siteId: string): ClosureLoss {
    const r = this.current();
    const site = r.sites.id.indexOf(siteId);
    if (site < 0) throw new RangeError(`site ${siteId} is not open in this scenario`);
    const lost: Gain[] = [];
    const lostUnits: Uint32Array[] = [];
    let servedHouseholds = 0;
    this.thresholdsS.forEach((_, k) => {
      const loss = this.plannerAt(k).closureLoss([site]);
      lost.push(loss.lost);
      lostUnits.push(loss.units);
      servedHouseholds = loss.served.households;
    });
    return { siteId, siteName: r.sites.name[site], lost, lostUnits, servedHouseholds };
  }

  private planning: { k: number; planner: SitingPlanner } | null = null;

  /**
   * Full engine: starts a recommendation at threshold index `k` for the current scenario.
   * Returns what the planning workers need (once per pool) and the extra arguments of
   * their `cover` method (threshold, units not covered now).
   */
  planStart(k: number): { init: PlanningWorkerInit; thresholdS: number; uncovered: Uint32Array } {
    const planner = this.plannerAt(k);
    this.planning = { k, planner };
    return { init: planner.workerInit(), thresholdS: planner.thresholdS, uncovered: planner.uncovered };
  }

  /**
   * Full engine: the best `count` candidate places (SitingPlanner.recommend: siting's
   * maximalCovering, households as the objective) from the cover sets the pool computed,
   * in candidate order — the same picks as `fs-access sites` on the same inputs.
   */
  planFinish(parts: PackedCover[], count: number): Recommendation {
    if (!this.planning) throw new Error('planFinish without planStart');
    const { k, planner } = this.planning;
    const n = this.units.count;
    planner.setCoverSets(CoverSets.concat(parts.map((p) => new CoverSets(n, p.offsets, p.units)), n));
    const res = planner.recommend({ k: count, objective: 'households' });
    this.planning = null;
    return {
      thresholdMin: this.thresholdsS[k] / 60,
      k: count,
      picks: res.picks.map((p) => ({
        candidate: p.candidate,
        id: p.id,
        name: p.name,
        kind: p.kind,
        commune: p.commune,
        communeName: this.communeNames.get(p.commune) ?? '',
        lon: p.lon,
        lat: p.lat,
        gain: round(p.gain.households)!,
        units: p.gain.units,
        share: round(p.after.share, 6)!,
      })),
      baselineShare: round(res.baseline.share, 6)!,
      share: round(res.final.share, 6)!,
      stopReason: res.stopReason,
      candidates: res.candidates,
    };
  }

  /** Full engine: the current results in the CLI's file formats. */
  exportText(kind: 'summary' | 'households-geojson' | 'households-csv' | 'communes-csv' | 'gaps-geojson' | 'sites-geojson'): string {
    const r = this.current();
    switch (kind) {
      case 'summary':
        return summaryJson(r);
      case 'households-geojson':
        return householdsGeoJson(r).join('');
      case 'households-csv':
        return withWktColumn(householdsCsv(r).join(''));
      case 'communes-csv':
        return communesCsv(r);
      case 'gaps-geojson':
        return gapsGeoJson(r).join('');
      case 'sites-geojson':
        return sitesGeoJson(r).join('');
    }
  }

  /**
   * The area within each threshold of a site at (lon, lat): for the crow-fly model a circle
   * of radius model.distanceForTime(T) (64-gon on the sphere), largest first.
   */
  siteArea(lon: number, lat: number): GeoJSON.FeatureCollection {
    const features: GeoJSON.Feature[] = [];
    for (let k = this.thresholdsS.length - 1; k >= 0; k--) {
      const d = this.model.distanceForTime(this.thresholdsS[k]);
      if (!(d > 0)) continue;
      const ring: number[][] = [];
      for (let j = 0; j <= 64; j++) ring.push(destination(lon, lat, (j % 64) * (360 / 64), d));
      features.push({ type: 'Feature', properties: { threshold_min: this.thresholdsS[k] / 60, radius_km: round(d / 1000, 2) }, geometry: { type: 'Polygon', coordinates: [ring] } });
    }
    return { type: 'FeatureCollection', features };
  }

}

/** The point `metres` away from (lon, lat) along `bearing` degrees, on the sphere of EARTH_RADIUS_M. */
function destination(lon: number, lat: number, bearing: number, metres: number): number[] {
  const R = Math.PI / 180;
  const d = metres / EARTH_RADIUS_M;
  const p1 = lat * R;
  const b = bearing * R;
  const p2 = Math.asin(Math.sin(p1) * Math.cos(d) + Math.cos(p1) * Math.sin(d) * Math.cos(b));
  const l2 = lon * R + Math.atan2(Math.sin(b) * Math.sin(d) * Math.cos(p1), Math.cos(d) - Math.sin(p1) * Math.sin(p2));
  return [Math.round((l2 / R) * 1e6) / 1e6, Math.round((p2 / R) * 1e6) / 1e6];
}

/**
 * households.csv with a leading WKT column (`POINT (lon lat)`), which QGIS (GDAL's CSV
 * driver) reads as the geometry without any import dialog.
 */
export function withWktColumn(csv: string): string {
  const lines = csv.split('\n');
  const head = lines[0].split(',');
  const lonAt = head.indexOf('lon');
  const latAt = head.indexOf('lat');
  const out = ['WKT,' + lines[0]];
  for (let i = 1; i < lines.length; i++) {
    const line = lines[i];
    if (line === '') continue;
    // Fields before lon/lat are id and commune, which never hold commas.
    const f = line.split(',');
    out.push(`"POINT (${f[lonAt]} ${f[latAt]})",${line}`);
  }
  return out.join('\n') + '\n';
}
