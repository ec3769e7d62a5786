/**
 * The road model: households and sites join the car graph at the nearest point of the
 * nearest arc (edge snapping), the leg off the network costs time at a stated speed, and
 * one multi-source search from all sites on the reversed graph gives every node its time
 * to the nearest site.
 *
 * A unit snapped at fraction f of arc u→v (cost w) leaves by that arc: access + (1−f)·w +
 * cost(v); on a two-way road also by the reverse arc v→u: access + f·w' + cost(u); and it
 * reaches a site on the same road directly when the site lies ahead of it. The least of
 * these is its time. Sites are seeded symmetrically: node u at f·w + access, node v (two-way)
 * at (1−f)·w' + access — the cost of reaching the site from that node.
 *
 * Units: the graph's arc costs are deciseconds (the OSM car graph's unit); every time
 * returned is in seconds. Seed costs are rounded to whole deciseconds (the graph search
 * works on integers), so a time can differ from an exact point-to-point computation by at
 * most 0.05 s.
 */
import { BoundedSearch, nearestSources, UNREACHED, type RoadGraph } from '@fs-access/graph';
import { Snapper, type CarGraph } from '@fs-access/osm';
import type { Points } from './geo.ts';
import {
  BEYOND_LIMIT,
  NO_ROUTE,
  NOT_SNAPPED,
  REACHED,
  type NearestOptions,
  type NearestSites,
  type Reach,
  type TravelTimeModel,
  type UnitTimes,
} from './model.ts';

/** Where a point joins the graph (the shape of @fs-access/osm's Snapper result). */
export interface Snap {
  /** Forward arc index (into graph.targets / graph.weights) the point lies on, from u to v. */
  arc: number;
  /** Index of the arc v→u of the same road, or -1 (one-way). */
  reverseArc: number;
  u: number;
  v: number;
  /** Position of the snapped point along arc u→v, 0 at u, 1 at v. */
  fraction: number;
  /** Distance (m) from the point to the snapped point. */
  distanceM: number;
  lon: number;
  lat: number;
}

/** A car graph (costs in deciseconds) and a way to snap points onto its arcs. */
export interface RoadNetwork {
  graph: RoadGraph;
  snap(lon: number, lat: number, maxDistanceM: number): Snap | null;
}

/** The road network of an OSM car graph, snapping with @fs-access/osm's Snapper (nearest point of the nearest road segment). */
export function carNetwork(car: CarGraph, snapper: Snapper = new Snapper(car)): RoadNetwork {
  return { graph: car.graph, snap: (lon, lat, maxDistanceM) => snapper.snap(lon, lat, maxDistanceM) };
}

export interface RoadModelOptions {
  /** Speed of the leg between a point and the road, km/h. Default 15 (a slow drive or a track). */
  accessSpeedKmh?: number;
  /** Points farther than this from every road are not snapped (NOT_SNAPPED). Default 1000 m. */
  maxSnapDistanceM?: number;
}

export const ROAD_DEFAULTS = Object.freeze({ accessSpeedKmh: 15, maxSnapDistanceM: 1000 });

/** A snapped point set, struct-of-arrays; arc = -1 for points that could not be snapped. */
interface Placed {
  arc: Int32Array;
  rev: Int32Array;
  u: Int32Array;
  v: Int32Array;
  fraction: Float64Array;
  /** Access leg, deciseconds (not rounded). */
  accessDs: Float64Array;
  distanceM: Float64Array;
}

export class RoadModel implements TravelTimeModel {
  readonly kind = 'road' as const;
  readonly accessSpeedKmh: number;
  readonly maxSnapDistanceM: number;
  private readonly dsPerMetre: number;

  constructor(
    readonly network: RoadNetwork,
    options: RoadModelOptions = {},
  ) {
    const o = { ...ROAD_DEFAULTS, ...options };
    if (!(o.accessSpeedKmh > 0)) throw new RangeError(`accessSpeedKmh must be > 0, got ${o.accessSpeedKmh}`);
    if (!(o.maxSnapDistanceM >= 0)) throw new RangeError(`maxSnapDistanceM must be ≥ 0, got ${o.maxSnapDistanceM}`);
    this.accessSpeedKmh = o.accessSpeedKmh;
    this.maxSnapDistanceM = o.maxSnapDistanceM;
    this.dsPerMetre = 10 / (o.accessSpeedKmh / 3.6);
  }

  get parameters(): Record<string, number | string> {
    return { model: 'road', accessSpeedKmh: this.accessSpeedKmh, maxSnapDistanceM: this.maxSnapDistanceM };
  }

  /** Snaps points onto the graph. */
  place(points: Points): Placed {
    const n = points.count;
    const p: Placed = {
      arc: new Int32Array(n).fill(-1),
      rev: new Int32Array(n).fill(-1),
      u: new Int32Array(n).fill(-1),
      v: new Int32Array(n).fill(-1),
      fraction: new Float64Array(n),
      accessDs: new Float64Array(n),
      distanceM: new Float64Array(n).fill(NaN),
    };
    for (let i = 0; i < n; i++) {
      const lon = points.lon[i];
      const lat = points.lat[i];
      if (!Number.isFinite(lon) || !Number.isFinite(lat)) continue;
      const s = this.network.snap(lon, lat, this.maxSnapDistanceM);
      if (s === null) continue;
      p.arc[i] = s.arc;
      p.rev[i] = s.reverseArc;
      p.u[i] = s.u;
      p.v[i] = s.v;
      p.fraction[i] = Math.min(1, Math.max(0, s.fraction));
      p.distanceM[i] = s.distanceM;
      p.accessDs[i] = s.distanceM * this.dsPerMetre;
    }
    return p;
  }

  forUnits(units: Points): UnitTimes {
    return new RoadUnitTimes(this, units);
  }
}

/** Seeds of the reverse search for a set of placed sites: up to two per site. */
function siteSeeds(graph: RoadGraph, sites: Placed): { node: Uint32Array; cost: Uint32Array; site: Int32Array } {
  const node: number[] = [];
  const cost: number[] = [];
  const site: number[] = [];
  const w = graph.weights;
  for (let s = 0; s < sites.arc.length; s++) {
    const a = sites.arc[s];
    if (a < 0) continue;
    const f = sites.fraction[s];
    node.push(sites.u[s]);
    cost.push(Math.round(sites.accessDs[s] + f * w[a]));
    site.push(s);
    const r = sites.rev[s];
    if (r >= 0) {
      node.push(sites.v[s]);
      cost.push(Math.round(sites.accessDs[s] + (1 - f) * w[r]));
      site.push(s);
    }
  }
  return { node: Uint32Array.from(node), cost: Uint32Array.from(cost), site: Int32Array.from(site) };
}

/**
 * Sites indexed by the arcs they lie on (both directions of their road), for the
 * same-road shortcut: arc → list of (site, position from the arc's tail).
 */
function sitesByArc(sites: Placed): Map<number, { site: number; pos: number }[]> {
  const byArc = new Map<number, { site: number; pos: number }[]>();
  const add = (arc: number, site: number, pos: number) => {
    let list = byArc.get(arc);
    if (!list) byArc.set(arc, (list = []));
    list.push({ site, pos });
  };
  for (let s = 0; s < sites.arc.length; s++) {
    if (sites.arc[s] < 0) continue;
    add(sites.arc[s], s, sites.fraction[s]);
    if (sites.rev[s] >= 0) add(sites.rev[s], s, 1 - sites.fraction[s]);
  }
  return byArc;
}

class RoadUnitTimes implements UnitTimes {
  readonly count: number;
  readonly placement: Uint8Array;
  private readonly placed: Placed;
  /** Node → units leaving through it (CSR), built on the first reach() call. */
  private byNode: { offsets: Uint32Array; units: Uint32Array } | null = null;
  private search: BoundedSearch | null = null;
  private byArc: Map<number, number[]> | null = null;

  constructor(
    private readonly model: RoadModel,
    units: Points,
  ) {
    this.count = units.count;
    this.placed = model.place(units);
    this.placement = new Uint8Array(units.count);
    for (let i = 0; i < units.count; i++) if (this.placed.arc[i] < 0) this.placement[i] = NOT_SNAPPED;
  }

  /** Per-unit access leg (s) and snapping distance (m); NaN for units not snapped. */
  accessLegs(): { accessS: Float64Array; distanceM: Float64Array } {
    const accessS = new Float64Array(this.count);
    for (let i = 0; i < this.count; i++) accessS[i] = this.placed.arc[i] < 0 ? NaN : this.placed.accessDs[i] / 10;
    return { accessS, distanceM: this.placed.distanceM.slice() };
  }

  nearest(sites: Points, options: NearestOptions = {}): NearestSites {
    const graph = this.model.network.graph;
    const w = graph.weights;
    const n = this.count;
    const P = this.placed;
    const placedSites = this.model.place(sites);
    const seeds = siteSeeds(graph, placedSites);
    const sameRoad = sitesByArc(placedSites);
    const maxTimeS = options.maxTimeS;
    const maxCost = maxTimeS === undefined ? undefined : Math.max(0, Math.floor(maxTimeS * 10));
    const res =
      seeds.node.length > 0
        ? nearestSources(graph, seeds.node, { direction: 'to', startCosts: seeds.cost, maxCost })
        : { cost: new Uint32Array(graph.n).fill(UNREACHED), source: new Int32Array(graph.n).fill(-1) };

    const time = new Float64Array(n).fill(NaN);
    const site = new Int32Array(n).fill(-1);
    const status = new Uint8Array(n);
    for (let i = 0; i < n; i++) {
      const a = P.arc[i];
      if (a < 0) {
        status[i] = NOT_SNAPPED;
        continue;
      }
      const f = P.fraction[i];
      let best = Infinity; // deciseconds, without the unit's own access leg
      let bestSite = -1;
      const consider = (ds: number, s: number) => {
        if (ds < best || (ds === best && s < bestSite)) {
          best = ds;
          bestSite = s;
        }
      };
      const cv = res.cost[P.v[i]];
      if (cv !== UNREACHED) consider((1 - f) * w[a] + cv, seeds.site[res.source[P.v[i]]]);
      const r = P.rev[i];
      if (r >= 0) {
        const cu = res.cost[P.u[i]];
        if (cu !== UNREACHED) consider(f * w[r] + cu, seeds.site[res.source[P.u[i]]]);
      }
      if (sameRoad.size > 0) {
        const ahead = sameRoad.get(a);
        if (ahead) for (const e of ahead) if (e.pos >= f) consider((e.pos - f) * w[a] + placedSites.accessDs[e.site], e.site);
        if (r >= 0) {
          const back = sameRoad.get(r);
          if (back) for (const e of back) if (e.pos >= 1 - f) consider((e.pos - (1 - f)) * w[r] + placedSites.accessDs[e.site], e.site);
        }
      }
      const t = (best + P.accessDs[i]) / 10;
      if (bestSite >= 0 && (maxTimeS === undefined || t <= maxTimeS)) {
        time[i] = t;
        site[i] = bestSite;
        status[i] = REACHED;
      } else {
        status[i] = maxTimeS === undefined ? NO_ROUTE : BEYOND_LIMIT;
      }
    }
    return { time, site, status };
  }

  private unitsByNode(): { offsets: Uint32Array; units: Uint32Array } {
    if (this.byNode) return this.byNode;
    const graph = this.model.network.graph;
    const P = this.placed;
    const counts = new Uint32Array(graph.n + 1);
    for (let i = 0; i < this.count; i++) {
      if (P.arc[i] < 0) continue;
      counts[P.v[i] + 1]++;
      if (P.rev[i] >= 0) counts[P.u[i] + 1]++;
    }
    for (let k = 0; k < graph.n; k++) counts[k + 1] += counts[k];
    const offsets = counts.slice();
    const fill = counts.slice(0, graph.n);
    const units = new Uint32Array(offsets[graph.n]);
    for (let i = 0; i < this.count; i++) {
      if (P.arc[i] < 0) continue;
      units[fill[P.v[i]]++] = i;
      if (P.rev[i] >= 0) units[fill[P.u[i]]++] = i;
    }
    this.byNode = { offsets, units };
    return this.byNode;
  }

  /** Arc → units lying on it (each unit under its arc and its reverse arc). */
  private unitsByArc(): Map<number, number[]> {
    if (this.byArc) return this.byArc;
    const byArc = new Map<number, number[]>();
    const add = (a: number, i: number) => {
      let list = byArc.get(a);
      if (!list) byArc.set(a, (list = []));
      list.push(i);
    };
    for (let i = 0; i < this.count; i++) {
      if (this.placed.arc[i] < 0) continue;
      add(this.placed.arc[i], i);
      if (this.placed.rev[i] >= 0) add(this.placed.rev[i], i);
    }
    this.byArc = byArc;
    return byArc;
  }

  reach(lon: number, lat: number, maxTimeS: number): Reach {
    const graph = this.model.network.graph;
    const w = graph.weights;
    const P = this.placed;
    const target = this.model.place({ count: 1, lon: Float64Array.of(lon), lat: Float64Array.of(lat) });
    const empty = { unit: new Uint32Array(0), time: new Float64Array(0) };
    if (target.arc[0] < 0 || !(maxTimeS >= 0)) return empty;
    const seeds = siteSeeds(graph, target);
    const { offsets, units } = this.unitsByNode();
    const search = (this.search ??= new BoundedSearch(graph, { direction: 'to' }));
    const maxCost = Math.floor(maxTimeS * 10);
    const best = new Map<number, number>(); // unit → deciseconds, access leg included
    const offer = (i: number, ds: number) => {
      const t = ds + P.accessDs[i];
      const old = best.get(i);
      if (old === undefined || t < old) best.set(i, t);
    };
    // BoundedSearch takes one start cost per run: run once per seed, keep the least per unit.
    for (let k = 0; k < seeds.node.length; k++) {
      if (seeds.cost[k] > maxCost) continue;
      search.run(seeds.node[k], maxCost, seeds.cost[k]);
      const costs = search.costs;
      for (const node of search.nodes()) {
        const c = costs[node];
        for (let e: number = offsets[node]; e < offsets[node + 1]; e++) {
          const i = units[e];
          // The unit leaves through `node` by its own arc (node = v) or the reverse arc (node = u).
          if (P.v[i] === node) offer(i, (1 - P.fraction[i]) * w[P.arc[i]] + c);
          if (P.rev[i] >= 0 && P.u[i] === node) offer(i, P.fraction[i] * w[P.rev[i]] + c);
        }
      }
    }
    // Units on the same road as the target, behind it (so the target lies ahead of them).
    const byArc = this.unitsByArc();
    for (const [ta, tpos] of [
      [target.arc[0], target.fraction[0]],
      [target.rev[0], 1 - target.fraction[0]],
    ] as const) {
      if (ta < 0) continue;
      for (const i of byArc.get(ta) ?? []) {
        const pos = P.arc[i] === ta ? P.fraction[i] : 1 - P.fraction[i];
        if (tpos >= pos) offer(i, (tpos - pos) * w[ta] + target.accessDs[0]);
      }
    }
    const pairs: [number, number][] = [];
    for (const [i, ds] of best) if (ds / 10 <= maxTimeS) pairs.push([ds / 10, i]);
    pairs.sort((a, b) => a[0] - b[0] || a[1] - b[1]);
    return { unit: Uint32Array.from(pairs, (p) => p[1]), time: Float64Array.from(pairs, (p) => p[0]) };
  }
}
