import { describe, expect, it } from 'vitest';
import fc from 'fast-check';
import { BEYOND_LIMIT, CROWFLY_CALIBRATION, CROWFLY_DEFAULTS, CrowFlyModel, REACHED, greatCircleM } from '../src/index.ts';
import { makeSites, makeUnits } from './fixtures.ts';

const pointArb = fc.record({ lon: fc.double({ min: 0.5, max: 2.5, noNaN: true }), lat: fc.double({ min: 45, max: 46.5, noNaN: true }) });

describe('great-circle distance', () => {
  it('matches known distances', () => {
    // One degree of latitude on a 6371 km sphere.
    expect(greatCircleM(1, 45, 1, 46)).toBeCloseTo((6_371_000 * Math.PI) / 180, 3);
    // Paris (Notre-Dame) – Limoges (Hôtel de ville), about 347 km.
    expect(greatCircleM(2.3499, 48.853, 1.2614, 45.8297) / 1000).toBeGreaterThan(340);
    expect(greatCircleM(2.3499, 48.853, 1.2614, 45.8297) / 1000).toBeLessThan(352);
    expect(greatCircleM(1, 45, 1, 45)).toBe(0);
  });
});

describe('CrowFlyModel', () => {
  it('time = distance × factor ÷ speed + access', () => {
    const m = new CrowFlyModel({ detourFactor: 1.5, speedKmh: 36, accessTimeS: 60 });
    // 36 km/h = 10 m/s; 1000 m × 1.5 / 10 + 60 = 210 s.
    expect(m.timeForDistance(1000)).toBeCloseTo(210, 9);
    expect(m.distanceForTime(210)).toBeCloseTo(1000, 9);
  });

  it('uses the calibrated defaults', () => {
    const m = new CrowFlyModel();
    expect(m.detourFactor).toBe(CROWFLY_CALIBRATION.detourFactor);
    expect(m.speedKmh).toBe(CROWFLY_DEFAULTS.speedKmh);
    expect(m.detourFactor).toBeGreaterThanOrEqual(1);
  });

  it('rejects impossible parameters', () => {
    expect(() => new CrowFlyModel({ detourFactor: 0.5 })).toThrow(RangeError);
    expect(() => new CrowFlyModel({ speedKmh: 0 })).toThrow(RangeError);
    expect(() => new CrowFlyModel({ accessTimeS: -1 })).toThrow(RangeError);
  });

  it('nearest site = brute-force minimum over all sites', () => {
    fc.assert(
      fc.property(fc.array(pointArb, { minLength: 1, maxLength: 40 }), fc.array(pointArb, { minLength: 1, maxLength: 15 }), (us, ss) => {
        const model = new CrowFlyModel({ detourFactor: 1.3, speedKmh: 50, accessTimeS: 30 });
        const units = makeUnits(us);
        const sites = makeSites(ss);
        const res = model.forUnits(units).nearest(sites);
        for (let i = 0; i < units.count; i++) {
          let best = Infinity;
          for (let s = 0; s < sites.count; s++) best = Math.min(best, model.time(us[i].lon, us[i].lat, ss[s].lon, ss[s].lat));
          expect(res.status[i]).toBe(REACHED);
          expect(res.time[i]).toBeCloseTo(best, 6);
          const s = res.site[i];
          expect(model.time(us[i].lon, us[i].lat, ss[s].lon, ss[s].lat)).toBeCloseTo(best, 6);
        }
      }),
      { numRuns: 60 },
    );
  });

  it('cut-off: units beyond maxTimeS get BEYOND_LIMIT, the others their exact time', () => {
    fc.assert(
      fc.property(fc.array(pointArb, { minLength: 1, maxLength: 30 }), fc.array(pointArb, { minLength: 1, maxLength: 8 }), fc.integer({ min: 0, max: 5400 }), (us, ss, maxT) => {
        const model = new CrowFlyModel({ detourFactor: 1.3, speedKmh: 50, accessTimeS: 30 });
        const times = model.forUnits(makeUnits(us));
        const full = times.nearest(makeSites(ss));
        const cut = times.nearest(makeSites(ss), { maxTimeS: maxT });
        for (let i = 0; i < us.length; i++) {
          if (full.time[i] <= maxT) {
            expect(cut.status[i]).toBe(REACHED);
            expect(cut.time[i]).toBe(full.time[i]);
          } else {
            expect(cut.status[i]).toBe(BEYOND_LIMIT);
            expect(cut.site[i]).toBe(-1);
          }
        }
      }),
      { numRuns: 60 },
    );
  });

  it('reach = brute-force radius query, sorted by time', () => {
    fc.assert(
      fc.property(fc.array(pointArb, { minLength: 0, maxLength: 60 }), pointArb, fc.integer({ min: 0, max: 5400 }), (us, p, maxT) => {
        const model = new CrowFlyModel({ detourFactor: 1.25, speedKmh: 70, accessTimeS: 0 });
        const r = model.forUnits(makeUnits(us)).reach(p.lon, p.lat, maxT);
        const expected = us.map((u, i) => [model.time(u.lon, u.lat, p.lon, p.lat), i] as const).filter(([t]) => t <= maxT);
        expected.sort((a, b) => a[0] - b[0] || a[1] - b[1]);
        expect(Array.from(r.unit)).toEqual(expected.map((e) => e[1]));
        for (let k = 1; k < r.time.length; k++) expect(r.time[k]).toBeGreaterThanOrEqual(r.time[k - 1]);
      }),
      { numRuns: 60 },
    );
  });

  it('no sites: every unit BEYOND_LIMIT, no site', () => {
    const res = new CrowFlyModel().forUnits(makeUnits([{ lon: 1, lat: 45 }])).nearest(makeSites([]));
    expect(res.status[0]).toBe(BEYOND_LIMIT);
    expect(res.site[0]).toBe(-1);
    expect(Number.isNaN(res.time[0])).toBe(true);
  });
});
