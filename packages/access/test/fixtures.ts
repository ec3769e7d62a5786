/** Small hand-built inputs and brute-force oracles shared by the tests. */
import type { Households, Sites } from '@fs-access/data';
import { RoadGraph } from '@fs-access/graph';
import type { RoadNetwork, Snap } from '../src/index.ts';

export interface UnitSpec {
  lon: number;
  lat: number;
  households?: number;
  inhabitants?: number;
  poor?: number;
  commune?: string;
  x3035?: number;
  y3035?: number;
}

export function makeUnits(specs: UnitSpec[], kind: 'grid' | 'communes' = 'communes', rejected: Households['rejected'] = []): Households {
  const n = specs.length;
  const grid = kind === 'grid';
  return {
    kind,
    count: n,
    id: specs.map((s, i) => (grid ? `cell${i}` : (s.commune ?? `C${i}`))),
    lon: Float64Array.from(specs, (s) => s.lon),
    lat: Float64Array.from(specs, (s) => s.lat),
    households: Float64Array.from(specs, (s) => s.households ?? 1),
    inhabitants: Float64Array.from(specs, (s) => s.inhabitants ?? 2),
    poor: Float64Array.from(specs, (s) => s.poor ?? NaN),
    commune: specs.map((s, i) => s.commune ?? `C${i}`),
    x3035: grid ? Float64Array.from(specs, (s) => s.x3035 ?? 0) : new Float64Array(0),
    y3035: grid ? Float64Array.from(specs, (s) => s.y3035 ?? 0) : new Float64Array(0),
    rejected,
  };
}

export function makeSites(points: { lon: number; lat: number; departement?: string }[]): Sites {
  const n = points.length;
  return {
    count: n,
    id: points.map((_, i) => `S${i}`),
    name: points.map((_, i) => `Site ${i}`),
    commune: points.map(() => ''),
    communeName: points.map(() => ''),
    departement: points.map((p) => p.departement ?? '87'),
    address: points.map(() => ''),
    type: points.map(() => 'Principal'),
    format: points.map(() => 'Fixe'),
    hours: points.map(() => ['', '', '', '', '', '']),
    lon: Float64Array.from(points, (p) => p.lon),
    lat: Float64Array.from(points, (p) => p.lat),
    rejected: [],
  };
}

const M_PER_DEG = 111_320;

/** Planar metres between two nearby points (equirectangular at lat 0: the test graphs sit near the equator). */
function planar(lon1: number, lat1: number, lon2: number, lat2: number): number {
  return Math.hypot((lon2 - lon1) * M_PER_DEG, (lat2 - lat1) * M_PER_DEG);
}

/**
 * A brute-force edge snapper for small test graphs: the nearest point of the nearest arc
 * (lowest arc index on ties), planar metres.
 */
export function bruteForceNetwork(graph: RoadGraph): RoadNetwork {
  const c = graph.coords!;
  return {
    graph,
    snap(lon: number, lat: number, maxDistanceM: number): Snap | null {
      let best: Snap | null = null;
      for (let u = 0; u < graph.n; u++) {
        for (let e = graph.offsets[u]; e < graph.offsets[u + 1]; e++) {
          const v = graph.targets[e];
          const ax = c[2 * u];
          const ay = c[2 * u + 1];
          const bx = c[2 * v];
          const by = c[2 * v + 1];
          const dx = bx - ax;
          const dy = by - ay;
          const len2 = dx * dx + dy * dy;
          const f = len2 === 0 ? 0 : Math.min(1, Math.max(0, ((lon - ax) * dx + (lat - ay) * dy) / len2));
          const px = ax + f * dx;
          const py = ay + f * dy;
          const d = planar(lon, lat, px, py);
          if (d <= maxDistanceM && (best === null || d < best.distanceM)) {
            best = { arc: e, reverseArc: graph.arcIndex(v, u), u, v, fraction: f, distanceM: d, lon: px, lat: py };
          }
        }
      }
      return best;
    },
  };
}

/**
 * Exact times (s) from each unit to each site through the road network, by Dijkstra on an
 * explicit graph where every snapped point is a node splitting its road: the oracle for
 * the road model. Returns times[unit][site] (Infinity when unreachable / not snapped).
 */
export function roadOracle(network: RoadNetwork, units: { lon: number; lat: number }[], sites: { lon: number; lat: number }[], accessSpeedKmh: number, maxSnapM: number): number[][] {
  const g = network.graph;
  const accessSPerM = 1 / (accessSpeedKmh / 3.6);
  // Node ids: graph nodes, then one "road point" per snapped point, then the points themselves.
  type P = { snap: Snap | null; roadNode: number; node: number };
  let next = g.n;
  const mk = (pt: { lon: number; lat: number }): P => {
    const snap = network.snap(pt.lon, pt.lat, maxSnapM);
    return { snap, roadNode: snap ? next++ : -1, node: -1 };
  };
  const U = units.map(mk);
  const S = sites.map(mk);
  for (const p of [...U, ...S]) p.node = next++;
  const adj: [number, number][][] = Array.from({ length: next }, () => []);
  // Points on each arc, by fraction along the arc.
  const onArc = new Map<number, { pos: number; node: number }[]>();
  const put = (arc: number, pos: number, node: number) => {
    if (!onArc.has(arc)) onArc.set(arc, []);
    onArc.get(arc)!.push({ pos, node });
  };
  for (const p of [...U, ...S]) {
    if (!p.snap) continue;
    put(p.snap.arc, p.snap.fraction, p.roadNode);
    if (p.snap.reverseArc >= 0) put(p.snap.reverseArc, 1 - p.snap.fraction, p.roadNode);
  }
  for (let u = 0; u < g.n; u++) {
    for (let e = g.offsets[u]; e < g.offsets[u + 1]; e++) {
      const v = g.targets[e];
      const w = g.weights[e] / 10;
      const pts = (onArc.get(e) ?? []).slice().sort((a, b) => a.pos - b.pos);
      let prev = u;
      let prevPos = 0;
      for (const q of pts) {
        adj[prev].push([q.node, (q.pos - prevPos) * w]);
        prev = q.node;
        prevPos = q.pos;
      }
      adj[prev].push([v, (1 - prevPos) * w]);
    }
  }
  for (const p of U) if (p.snap) adj[p.node].push([p.roadNode, p.snap.distanceM * accessSPerM]);
  for (const p of S) if (p.snap) adj[p.roadNode].push([p.node, p.snap.distanceM * accessSPerM]);
  return U.map((p) => {
    const dist = new Float64Array(next).fill(Infinity);
    const done = new Uint8Array(next);
    dist[p.node] = 0;
    for (;;) {
      let best = -1;
      for (let i = 0; i < next; i++) if (!done[i] && dist[i] < Infinity && (best < 0 || dist[i] < dist[best])) best = i;
      if (best < 0) break;
      done[best] = 1;
      for (const [v, w] of adj[best]) if (dist[best] + w < dist[v]) dist[v] = dist[best] + w;
    }
    return S.map((s) => (p.snap && s.snap ? dist[s.node] : Infinity));
  });
}

/** A random small road graph near (0, 0) with coordinates, one-way and two-way roads. */
export function randomRoadGraph(
  n: number,
  roads: { u: number; v: number; w: number; twoWay: boolean }[],
  coords: number[],
): RoadGraph {
  const from: number[] = [];
  const to: number[] = [];
  const weight: number[] = [];
  for (const r of roads) {
    if (r.u === r.v) continue;
    from.push(r.u);
    to.push(r.v);
    weight.push(r.w);
    if (r.twoWay) {
      from.push(r.v);
      to.push(r.u);
      weight.push(r.w);
    }
  }
  return RoadGraph.fromEdges({ nodeCount: n, from, to, weight, coords });
}
