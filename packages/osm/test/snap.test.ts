import { describe, expect, it } from 'vitest';
import { Snapper, buildCarGraph, type CarGraph } from '../src/index.ts';
import { hasData, osmFile, rng } from './helpers.ts';
import { gc } from './oracle.ts';

/** Brute force: the nearest point of every segment by ternary search on the great-circle distance. */
function bruteForce(g: CarGraph, lon: number, lat: number): { d: number; lon: number; lat: number } {
  let best = { d: Infinity, lon: NaN, lat: NaN };
  const c = g.edgeCoords;
  for (let e = 0; e < g.edgeCount; e++) {
    for (let p = g.edgeOffsets[e]; p + 1 < g.edgeOffsets[e + 1]; p++) {
      const [x1, y1, x2, y2] = [c[2 * p] / 1e7, c[2 * p + 1] / 1e7, c[2 * p + 2] / 1e7, c[2 * p + 3] / 1e7];
      // Every point P of the segment has d(q, P) ≥ d(q, A) − |AB|: skip segments that cannot win.
      if (gc(lon, lat, x1, y1) - gc(x1, y1, x2, y2) > best.d) continue;
      const at = (t: number) => gc(lon, lat, x1 + t * (x2 - x1), y1 + t * (y2 - y1));
      let lo = 0;
      let hi = 1;
      for (let i = 0; i < 60; i++) {
        const m1 = lo + (hi - lo) / 3;
        const m2 = hi - (hi - lo) / 3;
        if (at(m1) < at(m2)) hi = m2;
        else lo = m1;
      }
      const t = (lo + hi) / 2;
      const d = at(t);
      if (d < best.d) best = { d, lon: x1 + t * (x2 - x1), lat: y1 + t * (y2 - y1) };
    }
  }
  return best;
}

/** The point at share f of an arc's length, walking its geometry. */
function pointAt(g: CarGraph, arc: number, f: number): [number, number] {
  const geom = g.arcGeometry(arc);
  const k = geom.length / 2;
  const seg: number[] = [];
  for (let i = 1; i < k; i++) seg.push(gc(geom[2 * i - 2], geom[2 * i - 1], geom[2 * i], geom[2 * i + 1]));
  let rest = f * seg.reduce((a, b) => a + b, 0);
  for (let i = 0; i < seg.length; i++) {
    if (rest <= seg[i] || i === seg.length - 1) {
      const t = seg[i] > 0 ? Math.min(1, rest / seg[i]) : 0;
      return [geom[2 * i] + t * (geom[2 * i + 2] - geom[2 * i]), geom[2 * i + 1] + t * (geom[2 * i + 3] - geom[2 * i + 1])];
    }
    rest -= seg[i];
  }
  return [geom[0], geom[1]];
}

describe.skipIf(!hasData)('Snapper', () => {
  for (const name of ['monaco', 'andorra'] as const) {
    it(`${name}: nearest point of the nearest segment equals brute force, with a consistent arc and fraction`, async () => {
      const g = await buildCarGraph(osmFile(name));
      const snapper = new Snapper(g);
      const coords = g.graph.coords!;
      let minX = Infinity;
      let minY = Infinity;
      let maxX = -Infinity;
      let maxY = -Infinity;
      for (let u = 0; u < g.graph.n; u++) {
        minX = Math.min(minX, coords[2 * u]);
        maxX = Math.max(maxX, coords[2 * u]);
        minY = Math.min(minY, coords[2 * u + 1]);
        maxY = Math.max(maxY, coords[2 * u + 1]);
      }
      const rand = rng(3);
      for (let k = 0; k < (name === 'monaco' ? 150 : 60); k++) {
        const lon = minX + rand() * (maxX - minX);
        const lat = minY + rand() * (maxY - minY);
        const s = snapper.snap(lon, lat)!;
        const ref = bruteForce(g, lon, lat);
        expect(Math.abs(s.distanceM - ref.d)).toBeLessThan(0.05 + ref.d * 2e-3);
        expect(gc(s.lon, s.lat, lon, lat)).toBeCloseTo(s.distanceM, 6);
        // arc / u / v / fraction describe the same point.
        expect(s.fraction).toBeGreaterThanOrEqual(0);
        expect(s.fraction).toBeLessThanOrEqual(1);
        expect(g.graph.targets[s.arc]).toBe(s.v);
        expect(s.arc).toBeGreaterThanOrEqual(g.graph.offsets[s.u]);
        expect(s.arc).toBeLessThan(g.graph.offsets[s.u + 1]);
        const [px, py] = pointAt(g, s.arc, s.fraction);
        expect(gc(px, py, s.lon, s.lat)).toBeLessThan(0.05);
        if (s.reverseArc >= 0) {
          expect(g.graph.targets[s.reverseArc]).toBe(s.u);
          const [rx, ry] = pointAt(g, s.reverseArc, 1 - s.fraction);
          expect(gc(rx, ry, s.lon, s.lat)).toBeLessThan(0.05);
        } else {
          expect(g.arcEdge[s.arc]).toBeGreaterThanOrEqual(0);
        }
        // maxDistanceM: just below the distance → null; just above → the same point.
        if (s.distanceM > 1) {
          expect(snapper.snap(lon, lat, s.distanceM * 0.99)).toBeNull();
          expect(snapper.snap(lon, lat, s.distanceM * 1.01)?.arc).toBe(s.arc);
        }
      }
    });
  }

  it.skipIf(!hasData)('a point on a node snaps at distance 0 with fraction 0 or 1; points far away give null', async () => {
    const g = await buildCarGraph(osmFile('monaco'));
    const snapper = new Snapper(g);
    const c = g.graph.coords!;
    for (let u = 0; u < g.graph.n; u += 17) {
      const s = snapper.snap(c[2 * u], c[2 * u + 1])!;
      expect(s.distanceM).toBeLessThan(1e-6);
      expect(s.fraction === 0 || s.fraction === 1 || s.u === u || s.v === u).toBe(true);
    }
    expect(snapper.snap(0, 0, 10_000)).toBeNull();
    expect(snapper.snap(NaN, 43.7)).toBeNull();
  });
});
