/**
 * Car rules on hand-written OSM XML fixtures (test/fixtures/*.osm, each one described in
 * its own header comment). Expected lengths are computed here from the fixture
 * coordinates with an independent flat-earth formula, not by the code under test.
 */
import { describe, expect, it } from 'vitest';
import { buildCarGraph, route } from '../src/index.ts';
import { fixture } from './helpers.ts';

/** Metres between two nearby points, equirectangular (independent of the package's haversine). */
function flat(a: [number, number], b: [number, number]): number {
  const k = (Math.PI / 180) * 6_371_008.8;
  const x = (b[0] - a[0]) * k * Math.cos((((a[1] + b[1]) / 2) * Math.PI) / 180);
  const y = (b[1] - a[1]) * k;
  return Math.hypot(x, y);
}
const pathLength = (pts: [number, number][]) => pts.slice(1).reduce((s, p, i) => s + flat(pts[i], p), 0);

describe('one-way streets', () => {
  const west: [number, number] = [2.3502, 48.8499];
  const east: [number, number] = [2.3518, 48.8499];
  // Direct: along way 10. Detour: east to node 3, round way 11 (3 → 4 → 5 → 1), then east to the point.
  const direct = flat([2.3502, 48.85], [2.3518, 48.85]);
  const detour = pathLength([
    [2.3518, 48.85],
    [2.352, 48.85],
    [2.352, 48.851],
    [2.35, 48.851],
    [2.35, 48.85],
    [2.3502, 48.85],
  ]);

  it('oneway=yes: direct in its direction, a detour in the other', async () => {
    const g = await buildCarGraph(fixture('oneway.osm'));
    const ab = route(g, west, east);
    const ba = route(g, east, west);
    expect(ab.distanceM).toBeCloseTo(direct, 0);
    expect(ba.distanceM).toBeCloseTo(detour, 0);
    expect(ba.timeS).toBeGreaterThan(2 * ab.timeS);
    // The detour goes north (lat 48.851); the direct route never does.
    expect(Math.max(...ab.coordinates.map((c) => c[1]))).toBeLessThan(48.8501);
    expect(Math.max(...ba.coordinates.map((c) => c[1]))).toBeCloseTo(48.851, 6);
  });

  it('oneway=-1: the same street, reversed', async () => {
    const g = await buildCarGraph(fixture('oneway-reverse.osm'));
    const ab = route(g, west, east);
    const ba = route(g, east, west);
    expect(ab.distanceM).toBeCloseTo(detour, 0);
    expect(ba.distanceM).toBeCloseTo(direct, 0);
  });

  it('keeps both roads between the same two junctions (the loop is split, not merged away)', async () => {
    const g = await buildCarGraph(fixture('oneway.osm'));
    // Junctions 1 and 3 are joined twice (way 10 one-way, way 11 two-way): 3 nodes, 5 arcs.
    expect(g.stats.splitEdges).toBe(1);
    expect([g.graph.n, g.graph.m]).toEqual([3, 5]);
  });
});

describe('roundabouts', () => {
  it('junction=roundabout is one-way: west→east passes south, east→west passes north', async () => {
    const g = await buildCarGraph(fixture('roundabout.osm'));
    const we = route(g, [2.357, 48.85], [2.363, 48.85]);
    const ew = route(g, [2.363, 48.85], [2.357, 48.85]);
    const lats = (r: typeof we) => r.coordinates.map((c) => c[1]);
    expect(Math.min(...lats(we))).toBeCloseTo(48.8495, 6);
    expect(Math.max(...lats(we))).toBeCloseTo(48.85, 6);
    expect(Math.max(...lats(ew))).toBeCloseTo(48.8505, 6);
    expect(Math.min(...lats(ew))).toBeCloseTo(48.85, 6);
  });
});

describe('access and construction', () => {
  it('access=private and highway=construction are not used: the route takes the long detour', async () => {
    const g = await buildCarGraph(fixture('access.osm'));
    expect(g.stats.highwayWays).toBe(3);
    expect(g.stats.carWays).toBe(1);
    const r = route(g, [2.37, 48.85], [2.372, 48.85]);
    const detour = pathLength([
      [2.37, 48.85],
      [2.37, 48.852],
      [2.372, 48.852],
      [2.372, 48.85],
    ]);
    expect(r.distanceM).toBeCloseTo(detour, 0);
    expect(r.distanceM).toBeGreaterThan(3 * flat([2.37, 48.85], [2.372, 48.85]));
  });
});

describe('maxspeed and the two metrics', () => {
  it('time takes the fast rural road, distance the short slow street', async () => {
    const g = await buildCarGraph(fixture('maxspeed.osm'));
    const s: [number, number] = [2.38, 48.85];
    const t: [number, number] = [2.384, 48.85];
    const fast = route(g, s, t, { metric: 'time' });
    const short = route(g, s, t, { metric: 'distance' });
    const street = flat(s, t);
    const rural = pathLength([s, [2.38, 48.852], [2.384, 48.852], t]);
    expect(short.distanceM).toBeCloseTo(street, 0);
    expect(fast.distanceM).toBeCloseTo(rural, 0);
    // 10 km/h and FR:rural = 80 km/h, both × the default factor 0.8.
    expect(short.timeS).toBeCloseTo(street / ((10 * 0.8) / 3.6), 0);
    expect(fast.timeS).toBeCloseTo(rural / ((80 * 0.8) / 3.6), 0);
  });
});

describe('nodes missing from the extract', () => {
  it('are counted, and the way is cut there instead of failing', async () => {
    const g = await buildCarGraph(fixture('missing.osm'));
    expect(g.stats.missingNodeRefs).toBe(1);
    // 51–52 on one side of the gap, 53–54–55 with a branch 54–56 on the other: the larger piece is kept.
    expect(g.stats.nodesBeforeContraction).toBe(6);
    expect(g.stats.removedComponents).toBe(1);
    expect(g.stats.removedNodes).toBe(2);
    expect(g.graph.n).toBe(4);
    const lons = Array.from(g.graph.coords!).filter((_, i) => i % 2 === 0);
    expect(lons.sort()).toEqual([2.393, 2.394, 2.394, 2.395]);
  });
});
