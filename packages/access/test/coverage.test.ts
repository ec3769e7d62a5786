import { describe, expect, it } from 'vitest';
import fc from 'fast-check';
import { BEYOND, COVERED, CrowFlyModel, UNREACHABLE, categoryOf, computeCoverage, type Coverage, type NearestSites } from '../src/index.ts';
import { makeSites, makeUnits } from './fixtures.ts';

const pointArb = fc.record({ lon: fc.double({ min: 0.5, max: 2.5, noNaN: true }), lat: fc.double({ min: 45, max: 46.5, noNaN: true }) });
const unitArb = fc.record({
  lon: fc.double({ min: 0.5, max: 2.5, noNaN: true }),
  lat: fc.double({ min: 45, max: 46.5, noNaN: true }),
  households: fc.double({ min: 0, max: 500, noNaN: true }),
  inhabitants: fc.double({ min: 0, max: 1000, noNaN: true }),
  poor: fc.option(fc.double({ min: 0, max: 50, noNaN: true }), { nil: undefined }),
  commune: fc.constantFrom('87001', '87002', '87085', '19001'),
});
const thresholdsArb = fc
  .uniqueArray(fc.integer({ min: 1, max: 90 }), { minLength: 1, maxLength: 4 })
  .map((a) => a.sort((x, y) => x - y).map((m) => m * 60));

const model = new CrowFlyModel({ detourFactor: 1.3, speedKmh: 60, accessTimeS: 0 });

function close(a: number, b: number): void {
  expect(Math.abs(a - b)).toBeLessThanOrEqual(1e-6 * Math.max(1, Math.abs(a), Math.abs(b)));
}

function checkCategoriesAddUp(cov: Coverage): void {
  for (const t of cov.byThreshold) {
    expect(t.covered.units + t.beyond.units + t.unreachable.units + t.rejected.units).toBe(cov.totalRead.units);
    close(t.covered.households + t.beyond.households + t.unreachable.households + t.rejected.households, cov.totalRead.households);
  }
}

describe('computeCoverage', () => {
  it('every unit in exactly one category; categories add up to the total read', () => {
    fc.assert(
      fc.property(fc.array(unitArb, { maxLength: 50 }), fc.array(pointArb, { maxLength: 6 }), thresholdsArb, fc.nat(3), (us, ss, th, nRejected) => {
        const rejected = Array.from({ length: nRejected }, (_, k) => ({ file: 'f.csv', line: k + 2, reason: k % 2 ? 'bad-count' : 'bad-coordinates', detail: '' }));
        const units = makeUnits(us, 'communes', rejected);
        const nearest = model.forUnits(units).nearest(makeSites(ss));
        const cov = computeCoverage(units, nearest, { thresholdsS: th });
        checkCategoriesAddUp(cov);
        expect(cov.rejected.units).toBe(nRejected);
        // Per unit: the category matches the time.
        th.forEach((t, k) => {
          let covered = 0;
          for (let i = 0; i < units.count; i++) if (categoryOf(nearest, i, t) === COVERED) covered += units.households[i];
          close(cov.byThreshold[k].covered.households, covered);
        });
        // Communes partition the units.
        let h = 0;
        let u = 0;
        for (const c of cov.communes) {
          h += c.total.households;
          u += c.total.units;
          th.forEach((_, k) => close(c.covered[k].households + c.beyond[k].households + c.unreachable[k].households, c.total.households));
        }
        close(h, cov.total.households);
        expect(u).toBe(units.count);
      }),
      { numRuns: 80 },
    );
  });

  it('coverage is monotone in the threshold', () => {
    fc.assert(
      fc.property(fc.array(unitArb, { maxLength: 50 }), fc.array(pointArb, { maxLength: 6 }), thresholdsArb, (us, ss, th) => {
        const units = makeUnits(us);
        const cov = computeCoverage(units, model.forUnits(units).nearest(makeSites(ss)), { thresholdsS: th });
        for (let k = 1; k < th.length; k++) {
          expect(cov.byThreshold[k].covered.units).toBeGreaterThanOrEqual(cov.byThreshold[k - 1].covered.units);
          expect(cov.byThreshold[k].covered.households).toBeGreaterThanOrEqual(cov.byThreshold[k - 1].covered.households - 1e-9);
        }
      }),
      { numRuns: 80 },
    );
  });

  it('adding a site never lowers coverage (nor raises any time)', () => {
    fc.assert(
      fc.property(fc.array(unitArb, { maxLength: 50 }), fc.array(pointArb, { maxLength: 6 }), pointArb, thresholdsArb, (us, ss, extra, th) => {
        const units = makeUnits(us);
        const times = model.forUnits(units);
        const before = times.nearest(makeSites(ss));
        const after = times.nearest(makeSites([...ss, extra]));
        for (let i = 0; i < units.count; i++) if (before.site[i] >= 0) expect(after.time[i]).toBeLessThanOrEqual(before.time[i]);
        const a = computeCoverage(units, before, { thresholdsS: th });
        const b = computeCoverage(units, after, { thresholdsS: th });
        th.forEach((_, k) => {
          expect(b.byThreshold[k].covered.units).toBeGreaterThanOrEqual(a.byThreshold[k].covered.units);
          expect(b.byThreshold[k].covered.households).toBeGreaterThanOrEqual(a.byThreshold[k].covered.households - 1e-9);
        });
      }),
      { numRuns: 80 },
    );
  });

  it('no sites → nothing covered, everything unreachable', () => {
    fc.assert(
      fc.property(fc.array(unitArb, { maxLength: 30 }), thresholdsArb, (us, th) => {
        const units = makeUnits(us);
        const cov = computeCoverage(units, model.forUnits(units).nearest(makeSites([])), { thresholdsS: th });
        for (const t of cov.byThreshold) {
          expect(t.covered.units).toBe(0);
          expect(t.beyond.units).toBe(0);
          expect(t.unreachable.units).toBe(units.count);
        }
        expect(Number.isNaN(cov.distribution.p50)).toBe(true);
      }),
      { numRuns: 40 },
    );
  });

  it('weighted percentiles, bands and poor households (NaN-aware) on a hand-made case', () => {
    const units = makeUnits([
      { lon: 0, lat: 0, households: 10, poor: 1 },
      { lon: 0, lat: 0, households: 30, poor: NaN },
      { lon: 0, lat: 0, households: 50, poor: 5 },
      { lon: 0, lat: 0, households: 10, poor: 2 },
    ]);
    const nearest: NearestSites = {
      time: Float64Array.from([60, 600, 1500, NaN]),
      site: Int32Array.from([0, 0, 1, -1]),
      status: Uint8Array.from([0, 0, 0, 1]),
    };
    const cov = computeCoverage(units, nearest, { thresholdsS: [1200, 1800] });
    // Weights 10, 30, 50 at 60, 600, 1500 s (the unreachable unit has no time).
    expect(cov.distribution.p50).toBe(1500); // 10 + 30 = 40 < 45
    expect(cov.distribution.p90).toBe(1500);
    expect(cov.distribution.mean).toBeCloseTo((10 * 60 + 30 * 600 + 50 * 1500) / 90, 9);
    expect(cov.distribution.unreachableHouseholds).toBe(10);
    // Bands (0,5], (5,10], (10,15], (15,20], (20,25], (25,30] min: 600 s falls in (5,10], 1500 s in (20,25].
    expect(cov.distribution.bands[0].households).toBe(10);
    expect(cov.distribution.bands[1].households).toBe(30);
    expect(cov.distribution.bands[4].households).toBe(50);
    const [t20, t30] = cov.byThreshold;
    expect(t20.covered.households).toBe(40);
    expect(t20.covered.poor).toBe(1); // the second unit's poor count is unknown
    expect(t20.covered.poorKnownUnits).toBe(1);
    expect(t20.sharePoorCovered).toBeCloseTo(1 / 8, 12);
    expect(t30.covered.households).toBe(90);
    expect(t30.unreachable.households).toBe(10);
    expect(cov.sites[0].served.households).toBe(40);
    expect(cov.sites[1].servedWithin[0].households).toBe(0);
    expect(cov.sites[1].servedWithin[1].households).toBe(50);
    expect(categoryOf(nearest, 2, 1200)).toBe(BEYOND);
    expect(categoryOf(nearest, 3, 1800)).toBe(UNREACHABLE);
  });

  it('rejects bad thresholds and mismatched results', () => {
    const units = makeUnits([{ lon: 1, lat: 45 }]);
    const nearest = model.forUnits(units).nearest(makeSites([{ lon: 1, lat: 45 }]));
    expect(() => computeCoverage(units, nearest, { thresholdsS: [] })).toThrow(RangeError);
    expect(() => computeCoverage(units, nearest, { thresholdsS: [1800, 1200] })).toThrow(RangeError);
    expect(() => computeCoverage(makeUnits([]), nearest, { thresholdsS: [1200] })).toThrow(RangeError);
  });
});
