import { describe, expect, it } from 'vitest';
import { nearestSources, UNREACHED, type RoadGraph } from '@fs-access/graph';
import { RouteError, Snapper, buildCarGraph, route, type CarGraph, type RouteResult, type Snap } from '../src/index.ts';
import { hasData, osmFile, rng } from './helpers.ts';
import { gc } from './oracle.ts';

/**
 * The optimum of a route by another search: the graph package's multi-source Dijkstra seeded
 * at the heads of the start road's arcs with their partial costs, then the best way onto
 * the end road (or straight along one arc when both points are on it).
 */
function oracleCost(g: RoadGraph, a: Snap, b: Snap): number {
  const starts = [{ arc: a.arc, at: a.fraction }, ...(a.reverseArc >= 0 ? [{ arc: a.reverseArc, at: 1 - a.fraction }] : [])];
  const ends = [{ arc: b.arc, at: b.fraction }, ...(b.reverseArc >= 0 ? [{ arc: b.reverseArc, at: 1 - b.fraction }] : [])];
  const w = g.weights;
  const seeds = starts.map((s) => g.targets[s.arc]);
  const startCosts = starts.map((s) => Math.round((1 - s.at) * w[s.arc]));
  const { cost } = nearestSources(g, seeds, { direction: 'from', startCosts, queue: 'heap' });
  let best = Infinity;
  for (const t of ends) {
    let tail = 0;
    while (g.offsets[tail + 1] <= t.arc) tail++;
    if (cost[tail] !== UNREACHED) best = Math.min(best, cost[tail] + Math.round(t.at * w[t.arc]));
    for (const s of starts) if (s.arc === t.arc && t.at >= s.at) best = Math.min(best, Math.round((t.at - s.at) * w[s.arc]));
  }
  return best;
}

function checkShape(g: CarGraph, r: RouteResult): void {
  const { from, to } = r.snapped;
  expect(r.coordinates[0]).toEqual([from.lon, from.lat]);
  expect(r.coordinates[r.coordinates.length - 1]).toEqual([to.lon, to.lat]);
  for (let i = 0; i + 1 < r.arcs.length; i++) {
    const head = g.graph.targets[r.arcs[i]];
    expect(r.arcs[i + 1]).toBeGreaterThanOrEqual(g.graph.offsets[head]);
    expect(r.arcs[i + 1]).toBeLessThan(g.graph.offsets[head + 1]);
  }
  // The line's length is the reported distance (up to decimetre rounding per arc).
  let len = 0;
  for (let i = 1; i < r.coordinates.length; i++) len += gc(...r.coordinates[i - 1], ...r.coordinates[i]);
  expect(Math.abs(len - r.distanceM)).toBeLessThan(0.05 * (r.arcs.length + 2) + 0.01);
}

describe.skipIf(!hasData)('routes on real extracts', () => {
  for (const name of ['monaco', 'andorra'] as const) {
    it(`${name}: time ≤ / distance ≤ across metrics, ≥ great circle, optimal, one-ways make A→B ≠ B→A`, async () => {
      const g = await buildCarGraph(osmFile(name));
      const snapper = new Snapper(g);
      const c = g.graph.coords!;
      const rand = rng(name === 'monaco' ? 42 : 43);
      // Random pairs of points near the network: a random node, moved by up to ~300 m.
      const point = (): [number, number] => {
        const u = Math.floor(rand() * g.graph.n);
        return [c[2 * u] + (rand() - 0.5) * 0.006, c[2 * u + 1] + (rand() - 0.5) * 0.006];
      };
      let asymmetric = 0;
      const pairs = name === 'monaco' ? 120 : 60;
      for (let k = 0; k < pairs; k++) {
        const A = point();
        const B = point();
        const opts = { snapper, maxSnapM: 2000 };
        const t = route(g, A, B, { ...opts, metric: 'time' });
        const d = route(g, A, B, { ...opts, metric: 'distance' });
        const back = route(g, B, A, { ...opts, metric: 'time' });
        expect(t.timeS).toBeLessThanOrEqual(d.timeS);
        expect(d.distanceM).toBeLessThanOrEqual(t.distanceM);
        for (const r of [t, d, back]) {
          const crow = gc(r.snapped.from.lon, r.snapped.from.lat, r.snapped.to.lon, r.snapped.to.lat);
          expect(r.distanceM).toBeGreaterThanOrEqual(crow - 0.05 * (r.arcs.length + 2));
          checkShape(g, r);
        }
        expect(t.timeS * 10).toBe(oracleCost(g.graph, t.snapped.from, t.snapped.to));
        expect(d.distanceM * 10).toBe(oracleCost(g.distanceGraph(), d.snapped.from, d.snapped.to));
        if (Math.abs(t.timeS - back.timeS) > 5) asymmetric++;
      }
      // Monaco's and Andorra's one-way streets make many return trips differ.
      expect(asymmetric).toBeGreaterThan(pairs / 10);
    });
  }

  it('throws RouteError for a point far from every road', async () => {
    const g = await buildCarGraph(osmFile('monaco'));
    expect(() => route(g, [7.42, 43.0], [7.42, 43.73])).toThrow(RouteError);
    expect(() => route(g, [7.42, 43.73], [7.42, 43.0], { maxSnapM: 500 })).toThrow(/end point .* farther than 500 m/);
  });

  it('a route from a point to itself is empty; along one arc it is the partial arc', async () => {
    const g = await buildCarGraph(osmFile('monaco'));
    const a = g.arcGeometry(0);
    const mid: [number, number] = [(a[0] + a[2]) / 2, (a[1] + a[3]) / 2];
    const r = route(g, mid, mid);
    expect(r.distanceM).toBe(0);
    expect(r.timeS).toBe(0);
    expect(r.coordinates.length).toBe(2);
  });
});
