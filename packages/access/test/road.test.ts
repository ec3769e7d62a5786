import { describe, expect, it } from 'vitest';
import fc from 'fast-check';
import { NOT_SNAPPED, NO_ROUTE, REACHED, RoadModel, computeCoverage } from '../src/index.ts';
import { bruteForceNetwork, makeSites, makeUnits, randomRoadGraph, roadOracle } from './fixtures.ts';

/** Seed costs are rounded to whole deciseconds: at most 0.05 s off the exact time. */
const TOL = 0.05 + 1e-9;

// Graphs near (0, 0): 0.01° ≈ 1.1 km.
const instanceArb = fc.integer({ min: 2, max: 9 }).chain((n) =>
  fc.record({
    n: fc.constant(n),
    coords: fc.array(fc.integer({ min: 0, max: 20 }), { minLength: 2 * n, maxLength: 2 * n }).map((a) => a.map((v) => v * 0.001)),
    roads: fc.array(
      fc.record({ u: fc.integer({ min: 0, max: n - 1 }), v: fc.integer({ min: 0, max: n - 1 }), w: fc.integer({ min: 0, max: 900 }), twoWay: fc.boolean() }),
      { minLength: 1, maxLength: 3 * n },
    ),
    units: fc.array(fc.record({ lon: fc.integer({ min: -2, max: 22 }), lat: fc.integer({ min: -2, max: 22 }) }).map((p) => ({ lon: p.lon * 0.001, lat: p.lat * 0.001 })), {
      minLength: 1,
      maxLength: 8,
    }),
    sites: fc.array(fc.record({ lon: fc.integer({ min: -2, max: 22 }), lat: fc.integer({ min: -2, max: 22 }) }).map((p) => ({ lon: p.lon * 0.001, lat: p.lat * 0.001 })), {
      minLength: 0,
      maxLength: 4,
    }),
    maxSnap: fc.constantFrom(150, 400, 5000),
  }),
);

describe('RoadModel', () => {
  it('times equal an exact Dijkstra on the graph with every snapped point inserted (random instances)', () => {
    fc.assert(
      fc.property(instanceArb, (inst) => {
        const graph = randomRoadGraph(inst.n, inst.roads, inst.coords);
        const network = bruteForceNetwork(graph);
        const model = new RoadModel(network, { accessSpeedKmh: 15, maxSnapDistanceM: inst.maxSnap });
        const res = model.forUnits(makeUnits(inst.units)).nearest(makeSites(inst.sites));
        const oracle = roadOracle(network, inst.units, inst.sites, 15, inst.maxSnap);
        inst.units.forEach((u, i) => {
          const snapped = network.snap(u.lon, u.lat, inst.maxSnap) !== null;
          const best = Math.min(Infinity, ...oracle[i]);
          if (!snapped) {
            expect(res.status[i]).toBe(NOT_SNAPPED);
          } else if (best === Infinity) {
            expect(res.status[i]).toBe(NO_ROUTE);
          } else {
            expect(res.status[i]).toBe(REACHED);
            expect(Math.abs(res.time[i] - best)).toBeLessThanOrEqual(TOL);
            // The site named is (within rounding) as near as the nearest.
            expect(Math.abs(oracle[i][res.site[i]] - best)).toBeLessThanOrEqual(2 * TOL);
          }
        });
      }),
      { numRuns: 300 },
    );
  });

  it('reach(point, T) = units whose exact time to the point is ≤ T (up to rounding)', () => {
    fc.assert(
      fc.property(instanceArb, fc.integer({ min: 0, max: 400 }), (inst, maxT) => {
        if (inst.sites.length === 0) return;
        const graph = randomRoadGraph(inst.n, inst.roads, inst.coords);
        const network = bruteForceNetwork(graph);
        const model = new RoadModel(network, { accessSpeedKmh: 15, maxSnapDistanceM: inst.maxSnap });
        const p = inst.sites[0];
        const r = model.forUnits(makeUnits(inst.units)).reach(p.lon, p.lat, maxT);
        const oracle = roadOracle(network, inst.units, [p], 15, inst.maxSnap);
        const got = new Map(Array.from(r.unit, (u, k) => [u, r.time[k]]));
        inst.units.forEach((_, i) => {
          const t = oracle[i][0];
          if (t <= maxT - TOL) {
            expect(got.has(i)).toBe(true);
          }
          if (got.has(i)) {
            expect(Math.abs(got.get(i)! - t)).toBeLessThanOrEqual(TOL);
            expect(got.get(i)!).toBeLessThanOrEqual(maxT);
          } else if (t < Infinity) {
            expect(t).toBeGreaterThan(maxT - TOL);
          }
        });
      }),
      { numRuns: 300 },
    );
  });

  it('adding a site never lowers coverage; no sites → nothing covered', () => {
    fc.assert(
      fc.property(instanceArb, fc.record({ lon: fc.integer({ min: 0, max: 20 }), lat: fc.integer({ min: 0, max: 20 }) }), (inst, extra) => {
        const graph = randomRoadGraph(inst.n, inst.roads, inst.coords);
        const model = new RoadModel(bruteForceNetwork(graph), { maxSnapDistanceM: inst.maxSnap });
        const units = makeUnits(inst.units);
        const times = model.forUnits(units);
        const th = { thresholdsS: [30, 60, 120] };
        const a = computeCoverage(units, times.nearest(makeSites(inst.sites)), th);
        const b = computeCoverage(units, times.nearest(makeSites([...inst.sites, { lon: extra.lon * 0.001, lat: extra.lat * 0.001 }])), th);
        const none = computeCoverage(units, times.nearest(makeSites([])), th);
        for (let k = 0; k < 3; k++) {
          expect(b.byThreshold[k].covered.units).toBeGreaterThanOrEqual(a.byThreshold[k].covered.units);
          expect(none.byThreshold[k].covered.units).toBe(0);
          if (k > 0) expect(a.byThreshold[k].covered.units).toBeGreaterThanOrEqual(a.byThreshold[k - 1].covered.units);
        }
      }),
      { numRuns: 150 },
    );
  });

  it('one-way street: the household → site direction is the one that counts', () => {
    // 0 → 1 one-way, 60 s; site at node 1, household at node 0.
    const graph = randomRoadGraph(2, [{ u: 0, v: 1, w: 600, twoWay: false }], [0, 0, 0.01, 0]);
    const model = new RoadModel(bruteForceNetwork(graph), { maxSnapDistanceM: 10 });
    const toSite = model.forUnits(makeUnits([{ lon: 0, lat: 0 }])).nearest(makeSites([{ lon: 0.01, lat: 0 }]));
    expect(toSite.status[0]).toBe(REACHED);
    expect(toSite.time[0]).toBeCloseTo(60, 9);
    const fromSite = model.forUnits(makeUnits([{ lon: 0.01, lat: 0 }])).nearest(makeSites([{ lon: 0, lat: 0 }]));
    expect(fromSite.status[0]).toBe(NO_ROUTE);
  });
});
