import { describe, expect, it } from 'vitest';
import { closureImpact, closureLossBySite, CoverSets, CoverSetsBuilder, SitingInputError } from '../src/index.ts';
import { rng } from './random.ts';

const UNREACHED = 0xffffffff;

/** Brute force: per unit, times to every site of a random cost matrix. */
function randomTimes(seed: number, units: number, sites: number): number[][] {
  const r = rng(seed);
  return Array.from({ length: units }, () => Array.from({ length: sites }, () => (r() < 0.2 ? UNREACHED : Math.floor(r() * 100))));
}

function nearestOf(times: number[][], skip = -1) {
  const nearest = new Int32Array(times.length).fill(-1);
  const time = new Float64Array(times.length).fill(UNREACHED);
  times.forEach((row, u) =>
    row.forEach((t, s) => {
      if (s !== skip && t !== UNREACHED && t < time[u]) {
        time[u] = t;
        nearest[u] = s;
      }
    }),
  );
  return { nearest, time };
}

describe('closure impact', () => {
  it('the units losing coverage, against brute force on random matrices', () => {
    for (let seed = 1; seed <= 30; seed++) {
      const times = randomTimes(seed, 80, 6);
      const now = nearestOf(times);
      const T = 40;
      const weight = Float64Array.from(times.map((_, u) => (u % 7) + 0.5));
      const second = new Float64Array(times.length);
      times.forEach((row, u) => {
        const others = row.filter((_, s) => s !== now.nearest[u]).filter((t) => t !== UNREACHED);
        second[u] = others.length ? Math.min(...others) : UNREACHED;
      });
      const bySite = closureLossBySite({ nearest: now.nearest, time: now.time, secondTime: second, threshold: T, siteCount: 6, weight });
      for (let s = 0; s < 6; s++) {
        const without = nearestOf(times, s);
        const r = closureImpact({ site: s, nearest: now.nearest, time: now.time, timeWithout: without.time, threshold: T, weight });
        const expected = times.map((_, u) => u).filter((u) => now.time[u] <= T && without.time[u] > T);
        expect(Array.from(r.units)).toEqual(expected);
        expect(Array.from(r.newTime)).toEqual(expected.map((u) => without.time[u]));
        expect(r.lostWeight).toBeCloseTo(expected.reduce((a, u) => a + weight[u], 0), 9);
        expect(r.servedUnits).toBe(Array.from(now.nearest).filter((x) => x === s).length);
        // Only the units the site served can lose coverage.
        for (const u of r.units) expect(now.nearest[u]).toBe(s);
        // One pass over second-nearest times gives the same losses for every site.
        expect(bySite.lostUnits[s]).toBe(r.lostUnits);
        expect(bySite.lostWeight[s]).toBeCloseTo(r.lostWeight, 9);
      }
    }
  });

  it('rejects an inconsistent model (faster without the site) and length mismatches', () => {
    const base = { site: 0, nearest: [0, 1], time: [5, 5], threshold: 10 };
    expect(() => closureImpact({ ...base, timeWithout: [4, 5] })).toThrow(SitingInputError);
    expect(() => closureImpact({ ...base, timeWithout: [5] })).toThrow(/timeWithout has 1 entries for 2 units/);
  });
});

describe('cover sets', () => {
  it('fromCostList: ≤ radius inclusive, repeated pairs once, rows sorted', () => {
    const c = CoverSets.fromCostList({
      unitCount: 4,
      candidateCount: 3,
      unit: [3, 1, 1, 0, 2],
      candidate: [0, 0, 0, 2, 2],
      cost: [5, 2, 5, 5.0001, Infinity],
      radius: 5,
    });
    expect(Array.from(c.row(0))).toEqual([1, 3]);
    expect(c.size(1)).toBe(0);
    expect(c.size(2)).toBe(0);
    expect(() => CoverSets.fromCostList({ unitCount: 1, candidateCount: 1, unit: [0], candidate: [0], cost: [-1], radius: 5 })).toThrow(/triple 0/);
  });

  it('concat joins blocks of candidates (what the worker pool merges)', () => {
    const a = new CoverSetsBuilder(5).add(0, [4, 0]).add(1, []).finish();
    const b = new CoverSetsBuilder(5).add(0, [2]).add(2, [1, 1, 3]).finish();
    const c = CoverSets.concat([a, b]);
    expect(c.candidateCount).toBe(5);
    expect([0, 1, 2, 3, 4].map((i) => Array.from(c.row(i)))).toEqual([[0, 4], [], [2], [], [1, 3]]);
  });
});
