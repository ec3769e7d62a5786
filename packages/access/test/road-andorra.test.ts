/**
 * The road model on a real OpenStreetMap extract (Andorra: mountain roads, one-ways,
 * tunnels), checked against point-to-point routes computed separately by @fs-access/osm.
 */
import { beforeAll, describe, expect, it } from 'vitest';
import { findDataPath } from '@fs-access/data';
import { buildCarGraph, route, Snapper, type CarGraph } from '@fs-access/osm';
import { NOT_SNAPPED, REACHED, RoadModel, carNetwork } from '../src/index.ts';
import { makeSites, makeUnits } from './fixtures.ts';

const pbf = findDataPath('osm/andorra.osm.pbf');
const ACCESS_KMH = 15;
const MAX_SNAP = 1000;
/**
 * route() rounds each partial arc to whole deciseconds; the model rounds each site's seed
 * (partial arc + access leg) and keeps the household's partial arc exact: ≤ 0.05 s at each
 * of three places.
 */
const TOL = 0.15 + 1e-9;

// Andorra la Vella, Encamp, Sant Julià de Lòria, Ordino.
const SITES = [
  { lon: 1.5218, lat: 42.5063 },
  { lon: 1.58, lat: 42.535 },
  { lon: 1.4914, lat: 42.4636 },
  { lon: 1.5331, lat: 42.5557 },
];

describe.skipIf(!pbf)('RoadModel on Andorra (real OSM extract)', () => {
  let car: CarGraph;
  let snapper: Snapper;
  beforeAll(async () => {
    car = await buildCarGraph(pbf!);
    snapper = new Snapper(car);
  });

  it("every household's time = the fastest separately routed trip to any site (+ access legs)", () => {
    // Households on a 12 × 10 lattice over the country, plus one far outside the extract.
    const pts: { lon: number; lat: number }[] = [];
    for (let i = 0; i < 12; i++) for (let j = 0; j < 10; j++) pts.push({ lon: 1.42 + i * 0.03, lat: 42.44 + j * 0.024 });
    pts.push({ lon: 2.5, lat: 43.5 });
    const model = new RoadModel(carNetwork(car, snapper), { accessSpeedKmh: ACCESS_KMH, maxSnapDistanceM: MAX_SNAP });
    const res = model.forUnits(makeUnits(pts)).nearest(makeSites(SITES));
    const legS = (m: number) => m / (ACCESS_KMH / 3.6);
    let checked = 0;
    pts.forEach((p, i) => {
      const snap = snapper.snap(p.lon, p.lat, MAX_SNAP);
      if (!snap) {
        expect(res.status[i]).toBe(NOT_SNAPPED);
        return;
      }
      expect(res.status[i]).toBe(REACHED);
      const trips = SITES.map((s) => {
        const r = route(car, [p.lon, p.lat], [s.lon, s.lat], { maxSnapM: MAX_SNAP, snapper });
        return r.timeS + legS(r.snapped.from.distanceM) + legS(r.snapped.to.distanceM);
      });
      const best = Math.min(...trips);
      expect(Math.abs(res.time[i] - best)).toBeLessThanOrEqual(TOL);
      expect(trips[res.site[i]] - best).toBeLessThanOrEqual(2 * TOL);
      checked++;
    });
    expect(res.status[pts.length - 1]).toBe(NOT_SNAPPED);
    // The lattice must exercise the model: a third of the lattice lies within 1 km of a road (the rest is mountain).
    expect(checked).toBeGreaterThanOrEqual(30);
  });

  it('reach(site, T) agrees with the routes', () => {
    const pts: { lon: number; lat: number }[] = [];
    for (let i = 0; i < 8; i++) for (let j = 0; j < 6; j++) pts.push({ lon: 1.45 + i * 0.03, lat: 42.45 + j * 0.03 });
    const model = new RoadModel(carNetwork(car, snapper), { accessSpeedKmh: ACCESS_KMH, maxSnapDistanceM: MAX_SNAP });
    const site = SITES[0];
    const T = 900;
    const r = model.forUnits(makeUnits(pts)).reach(site.lon, site.lat, T);
    const got = new Map(Array.from(r.unit, (u, k) => [u, r.time[k]]));
    pts.forEach((p, i) => {
      if (!snapper.snap(p.lon, p.lat, MAX_SNAP)) return expect(got.has(i)).toBe(false);
      const rt = route(car, [p.lon, p.lat], [site.lon, site.lat], { maxSnapM: MAX_SNAP, snapper });
      const t = rt.timeS + (rt.snapped.from.distanceM + rt.snapped.to.distanceM) / (ACCESS_KMH / 3.6);
      if (t <= T - TOL) expect(got.has(i)).toBe(true);
      if (got.has(i)) expect(Math.abs(got.get(i)! - t)).toBeLessThanOrEqual(TOL);
      else expect(t).toBeGreaterThan(T - TOL);
    });
  });
});
