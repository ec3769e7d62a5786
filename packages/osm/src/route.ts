/**
 * Point-to-point car routes on a CarGraph: both ends snapped onto the nearest road,
 * partial arcs at both ends, one-way rules respected (a point on a one-way road can only
 * leave it forwards), by time or by distance.
 *
 * The search minimises an integer cost — deciseconds for 'time', decimetres for
 * 'distance' — made of whole arcs plus the rounded share of the partial arcs at the ends;
 * the reported timeS and distanceM are exactly those sums for the chosen path, so routes
 * computed with the two metrics compare exactly (the time route is never slower, the
 * distance route never longer).
 */
import { BinaryHeap, type RoadGraph } from '@fs-access/graph';
import type { CarGraph } from './build.ts';
import { RouteError } from './errors.ts';
import { haversineM } from './geo.ts';
import { Snapper, type Snap } from './snap.ts';

export type RouteMetric = 'time' | 'distance';

export interface RouteOptions {
  /** What to minimise (default 'time'). */
  metric?: RouteMetric;
  /** Largest distance (m) from a point to the road network (default 1000). */
  maxSnapM?: number;
  /** A Snapper of this graph, to reuse between calls (built on first use otherwise). */
  snapper?: Snapper;
}

export interface RouteResult {
  /** Length of the route on the road network, between the snapped points (m, 0.1 m steps). */
  distanceM: number;
  /** Driving time between the snapped points (s, 0.1 s steps). */
  timeS: number;
  /** The route's line, from the snapped start to the snapped end, [lon, lat] in degrees. */
  coordinates: [number, number][];
  /** Graph arcs used whole, in order (the partial arcs at the ends are not listed). */
  arcs: number[];
  /** Where each end joined the network (distanceM there is the leg off the road, not counted above). */
  snapped: { from: Snap; to: Snap };
  metric: RouteMetric;
}

const snappers = new WeakMap<CarGraph, Snapper>();

function snapperOf(car: CarGraph): Snapper {
  let s = snappers.get(car);
  if (!s) {
    s = new Snapper(car);
    snappers.set(car, s);
  }
  return s;
}

/** Cost of running along arc a from share p to share q of its length (p ≤ q). */
function partial(weights: Uint32Array, a: number, p: number, q: number): number {
  return Math.round((q - p) * weights[a]);
}

/** The arcs of the snapped road in each direction, with the point's share along each. */
function arcsAt(s: Snap): { arc: number; at: number }[] {
  const out = [{ arc: s.arc, at: s.fraction }];
  if (s.reverseArc >= 0) out.push({ arc: s.reverseArc, at: 1 - s.fraction });
  return out;
}

/**
 * The fastest (or shortest) car route between two [lon, lat] points. Throws RouteError when
 * a point is farther than maxSnapM from every road. Every pair of snapped points has a
 * route: the graph is strongly connected.
 */
export function route(car: CarGraph, from: [number, number], to: [number, number], options: RouteOptions = {}): RouteResult {
  const metric = options.metric ?? 'time';
  if (metric !== 'time' && metric !== 'distance') throw new RangeError(`metric must be 'time' or 'distance', got ${String(metric)}`);
  const maxSnapM = options.maxSnapM ?? 1000;
  const snapper = options.snapper ?? snapperOf(car);
  const a = snapper.snap(from[0], from[1], maxSnapM);
  if (!a) throw new RouteError(`start point (lat ${from[1]}, lon ${from[0]}) is farther than ${maxSnapM} m from any road of ${car.name}`);
  const b = snapper.snap(to[0], to[1], maxSnapM);
  if (!b) throw new RouteError(`end point (lat ${to[1]}, lon ${to[0]}) is farther than ${maxSnapM} m from any road of ${car.name}`);

  const g = metric === 'time' ? car.graph : car.distanceGraph();
  const path = search(g, a, b);
  return describe(car, a, b, path, metric);
}

interface Path {
  /** Arc of the start road taken from the start point. */
  startArc: number;
  startAt: number;
  /** Arc of the end road on which the route reaches the end point. */
  endArc: number;
  endAt: number;
  /** Whole arcs between them; empty with `direct` when both points are on the same arc. */
  arcs: number[];
  direct: boolean;
}

function search(g: RoadGraph, a: Snap, b: Snap): Path {
  const { offsets, targets, weights } = g;
  let best = Infinity;
  let bestPath: Path | null = null;
  const starts = arcsAt(a);
  const ends = arcsAt(b);
  // Both points on the same arc, the end ahead of the start: drive straight there.
  for (const s of starts) {
    for (const t of ends) {
      if (s.arc === t.arc && t.at >= s.at) {
        const c = partial(weights, s.arc, s.at, t.at);
        if (c < best) {
          best = c;
          bestPath = { startArc: s.arc, startAt: s.at, endArc: t.arc, endAt: t.at, arcs: [], direct: true };
        }
      }
    }
  }

  const n = g.n;
  const cost = new Float64Array(n).fill(Infinity);
  const pred = new Int32Array(n); // arc that reached the node, or -1 - i for start i
  const settled = new Uint8Array(n);
  const heap = new BinaryHeap(256);
  for (let i = 0; i < starts.length; i++) {
    const s = starts[i];
    const v = targets[s.arc];
    const c = partial(weights, s.arc, s.at, 1);
    if (c < cost[v]) {
      cost[v] = c;
      pred[v] = -1 - i;
      heap.push(v, c);
    }
  }
  // Per end arc: its tail and the cost from there to the end point.
  const tailOfEnd = ends.map((t) => ({ node: tailIn(offsets, t.arc), cost: partial(weights, t.arc, 0, t.at) }));
  let bestEnd = -1;
  let bestNode = -1;
  while (heap.size > 0) {
    const u = heap.pop();
    const cu = heap.lastKey;
    if (cu >= best) break;
    if (settled[u] || cu !== cost[u]) continue;
    settled[u] = 1;
    for (let i = 0; i < ends.length; i++) {
      if (tailOfEnd[i].node === u && cu + tailOfEnd[i].cost < best) {
        best = cu + tailOfEnd[i].cost;
        bestEnd = i;
        bestNode = u;
      }
    }
    for (let e = offsets[u], end = offsets[u + 1]; e < end; e++) {
      const v = targets[e];
      const cv = cu + weights[e];
      if (cv < cost[v]) {
        cost[v] = cv;
        pred[v] = e;
        heap.push(v, cv);
      }
    }
  }
  if (bestEnd >= 0) {
    const arcs: number[] = [];
    let v = bestNode;
    let p = pred[v];
    while (p >= 0) {
      arcs.push(p);
      v = tailIn(offsets, p);
      p = pred[v];
    }
    arcs.reverse();
    const s = starts[-1 - p];
    const t = ends[bestEnd];
    bestPath = { startArc: s.arc, startAt: s.at, endArc: t.arc, endAt: t.at, arcs, direct: false };
  }
  if (!bestPath) throw new RouteError('no route between the snapped points (graph not strongly connected?)');
  return bestPath;
}

function tailIn(offsets: Uint32Array, arc: number): number {
  let lo = 0;
  let hi = offsets.length - 2;
  while (lo < hi) {
    const mid = (lo + hi + 1) >> 1;
    if (offsets[mid] <= arc) lo = mid;
    else hi = mid - 1;
  }
  return lo;
}

/** Points of arc `arc` between shares p and q of its length (interpolated ends). */
function slice(car: CarGraph, arc: number, p: number, q: number, out: [number, number][]): void {
  const geom = car.arcGeometry(arc);
  const n = geom.length / 2;
  const cum = new Float64Array(n);
  for (let i = 1; i < n; i++) cum[i] = cum[i - 1] + haversineM(geom[2 * i - 2], geom[2 * i - 1], geom[2 * i], geom[2 * i + 1]);
  const total = cum[n - 1];
  const at = (share: number): [number, number] => {
    const d = share * total;
    let i = 0;
    while (i < n - 2 && cum[i + 1] < d) i++;
    const seg = cum[i + 1] - cum[i];
    const t = seg > 0 ? Math.min(1, Math.max(0, (d - cum[i]) / seg)) : 0;
    return [geom[2 * i] + t * (geom[2 * i + 2] - geom[2 * i]), geom[2 * i + 1] + t * (geom[2 * i + 3] - geom[2 * i + 1])];
  };
  const push = (pt: [number, number]) => {
    const last = out[out.length - 1];
    if (!last || last[0] !== pt[0] || last[1] !== pt[1]) out.push(pt);
  };
  push(at(p));
  for (let i = 0; i < n; i++) {
    if (cum[i] > p * total && cum[i] < q * total) push([geom[2 * i], geom[2 * i + 1]]);
  }
  push(at(q));
}

function describe(car: CarGraph, a: Snap, b: Snap, path: Path, metric: RouteMetric): RouteResult {
  const tw = car.graph.weights;
  const dw = car.distanceGraph().weights;
  let time = 0;
  let dist = 0;
  const coordinates: [number, number][] = [];
  if (path.direct) {
    time = partial(tw, path.startArc, path.startAt, path.endAt);
    dist = partial(dw, path.startArc, path.startAt, path.endAt);
    slice(car, path.startArc, path.startAt, path.endAt, coordinates);
  } else {
    time = partial(tw, path.startArc, path.startAt, 1) + partial(tw, path.endArc, 0, path.endAt);
    dist = partial(dw, path.startArc, path.startAt, 1) + partial(dw, path.endArc, 0, path.endAt);
    slice(car, path.startArc, path.startAt, 1, coordinates);
    for (const arc of path.arcs) {
      time += tw[arc];
      dist += dw[arc];
      slice(car, arc, 0, 1, coordinates);
    }
    slice(car, path.endArc, 0, path.endAt, coordinates);
  }
  // The ends are the snapped points themselves (re-interpolating them from the fractions
  // would move them by rounding errors).
  coordinates[0] = [a.lon, a.lat];
  if (coordinates.length === 1) coordinates.push([b.lon, b.lat]);
  else coordinates[coordinates.length - 1] = [b.lon, b.lat];
  return { distanceM: dist / 10, timeS: time / 10, coordinates, arcs: path.arcs, snapped: { from: a, to: b }, metric };
}
