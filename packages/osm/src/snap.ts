/**
 * Snapping points onto the car graph: the nearest point of the nearest road segment
 * (not only the nearest node), through a Flatbush index over every segment of every edge.
 *
 * The index lives in a plane where x = lon · cos(φmax) and y = lat (both in metres at the
 * mean radius), φmax being the latitude farthest from the equator in the graph: box
 * distances there never exceed true distances, so the nearest-first walk of Flatbush can
 * stop as soon as the next box is farther than the best exact distance found. Exact
 * distances are computed in a local equirectangular frame around the query point (error
 * < 0.1 % within a few kilometres), and the reported `distanceM` is the haversine
 * distance to the snapped point.
 */
import Flatbush from 'flatbush';
import type { CarGraph } from './build.ts';
import { METRES_PER_DEGREE, RAD, haversineM } from './geo.ts';

/** OSM coordinates are stored as integers × 10^7; dividing (not multiplying by 1e-7) gives back the exact decimal. */
const D7 = 1e7;

export interface Snap {
  /** Arc the point lies on: along the road if a car may drive that way, else the opposite arc. */
  arc: number;
  /** The arc of the same road in the other direction, -1 if the road is one-way. */
  reverseArc: number;
  /** Tail and head of `arc`. */
  u: number;
  v: number;
  /** Position on `arc` as a share of its length, from u (0) to v (1). */
  fraction: number;
  /** Distance from the query point to the snapped point (m). */
  distanceM: number;
  /** The snapped point. */
  lon: number;
  lat: number;
}

export class Snapper {
  private readonly index: Flatbush;
  /** Per indexed segment: its edge, and its first point. */
  private readonly segEdge: Uint32Array;
  private readonly segPoint: Uint32Array;
  private readonly kx: number;
  private readonly cosRef: number;
  /** Metres from the start of its edge to each point (8 bytes per point: O(1) fractions). */
  private readonly cum: Float64Array;

  constructor(readonly car: CarGraph) {
    const { edgeOffsets, edgeCoords } = car;
    const E = car.edgeCount;
    const count = edgeOffsets[E] - E;
    let maxAbsLat = 0;
    for (let p = 0; p < edgeOffsets[E]; p++) maxAbsLat = Math.max(maxAbsLat, Math.abs(edgeCoords[2 * p + 1] / D7));
    this.cosRef = Math.cos(Math.min(89.9, maxAbsLat) * RAD);
    this.kx = METRES_PER_DEGREE * this.cosRef;
    const ky = METRES_PER_DEGREE;
    this.segEdge = new Uint32Array(count);
    this.segPoint = new Uint32Array(count);
    this.index = new Flatbush(Math.max(1, count));
    this.cum = new Float64Array(edgeOffsets[E]);
    let i = 0;
    for (let e = 0; e < E; e++) {
      for (let p = edgeOffsets[e]; p + 1 < edgeOffsets[e + 1]; p++) {
        this.cum[p + 1] = this.cum[p] + haversineM(edgeCoords[2 * p] / D7, edgeCoords[2 * p + 1] / D7, edgeCoords[2 * p + 2] / D7, edgeCoords[2 * p + 3] / D7);
        const x1 = edgeCoords[2 * p] / D7 * this.kx;
        const y1 = edgeCoords[2 * p + 1] / D7 * ky;
        const x2 = edgeCoords[2 * p + 2] / D7 * this.kx;
        const y2 = edgeCoords[2 * p + 3] / D7 * ky;
        this.index.add(Math.min(x1, x2), Math.min(y1, y2), Math.max(x1, x2), Math.max(y1, y2));
        this.segEdge[i] = e;
        this.segPoint[i] = p;
        i++;
      }
    }
    if (count === 0) this.index.add(Infinity, Infinity, Infinity, Infinity);
    this.index.finish();
  }

  /** Number of indexed road segments. */
  get size(): number {
    return this.segEdge.length;
  }

  /**
   * The nearest point of the road network to (lon, lat) in degrees, or null when none is
   * within maxDistanceM metres.
   */
  snap(lon: number, lat: number, maxDistanceM = Infinity): Snap | null {
    if (!Number.isFinite(lon) || !Number.isFinite(lat) || this.segEdge.length === 0) return null;
    const c = this.car.edgeCoords;
    const cosQ = Math.cos(lat * RAD);
    const qkx = METRES_PER_DEGREE * cosQ;
    const ky = METRES_PER_DEGREE;
    const qx = lon * this.kx;
    const qy = lat * ky;
    // Box distances are lower bounds only where cos(φ) ≥ cosRef; shrink them north of φmax.
    const lb = Math.min(1, cosQ / this.cosRef);
    let best = Infinity;
    let bestSeg = -1;
    let bestT = 0;
    const segPoint = this.segPoint;
    const kx = this.kx;
    this.index.neighbors(qx, qy, 1, maxDistanceM / lb, (i) => {
      const p = segPoint[i];
      const lon1 = c[2 * p] / D7;
      const lat1 = c[2 * p + 1] / D7;
      const lon2 = c[2 * p + 2] / D7;
      const lat2 = c[2 * p + 3] / D7;
      // Stop when this segment's box is already farther than the best exact distance.
      const bx = Math.max(Math.min(lon1, lon2) * kx - qx, 0, qx - Math.max(lon1, lon2) * kx);
      const by = Math.max(Math.min(lat1, lat2) * ky - qy, 0, qy - Math.max(lat1, lat2) * ky);
      if (Math.sqrt(bx * bx + by * by) * lb > best) return true;
      const ax = (lon1 - lon) * qkx;
      const ay = (lat1 - lat) * ky;
      const dx = (lon2 - lon1) * qkx;
      const dy = (lat2 - lat1) * ky;
      const l2 = dx * dx + dy * dy;
      let t = l2 > 0 ? -(ax * dx + ay * dy) / l2 : 0;
      if (t < 0) t = 0;
      else if (t > 1) t = 1;
      const ex = ax + t * dx;
      const ey = ay + t * dy;
      const d = Math.sqrt(ex * ex + ey * ey);
      if (d < best) {
        best = d;
        bestSeg = i;
        bestT = t;
      }
      return false;
    });
    if (bestSeg < 0) return null;
    const p = segPoint[bestSeg];
    const sLon = c[2 * p] / D7 + bestT * (c[2 * p + 2] - c[2 * p]) / D7;
    const sLat = c[2 * p + 1] / D7 + bestT * (c[2 * p + 3] - c[2 * p + 1]) / D7;
    const distanceM = haversineM(lon, lat, sLon, sLat);
    if (distanceM > maxDistanceM) return null;

    // Share of the edge's length before the snapped point.
    const e = this.segEdge[bestSeg];
    const car = this.car;
    const cum = this.cum;
    const before = cum[p] + bestT * (cum[p + 1] - cum[p]);
    const total = cum[car.edgeOffsets[e + 1] - 1];
    const along = total > 0 ? before / total : 0;
    const fwd = car.edgeForwardArc[e];
    const bwd = car.edgeBackwardArc[e];
    const arc = fwd >= 0 ? fwd : bwd;
    const reverseArc = fwd >= 0 ? bwd : -1;
    const g = car.graph;
    const v = g.targets[arc];
    const u = tailOf(g.offsets, arc);
    return { arc, reverseArc, u, v, fraction: fwd >= 0 ? along : 1 - along, distanceM, lon: sLon, lat: sLat };
  }
}

/** Tail of an arc: the node whose CSR row holds it (binary search on offsets). */
export function tailOf(offsets: Uint32Array, arc: number): number {
  let lo = 0;
  let hi = offsets.length - 2;
  while (lo < hi) {
    const mid = (lo + hi + 1) >> 1;
    if (offsets[mid] <= arc) lo = mid;
    else hi = mid - 1;
  }
  return lo;
}
