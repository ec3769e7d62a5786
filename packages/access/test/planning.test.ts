/**
 * Planning on the real Haute-Vienne (87) data, crow-fly model: greedy vs the exact optimum
 * (HiGHS, and brute-force enumeration as an independent oracle), every pick's gain against
 * the coverage recomputed from scratch with the site added, closures against the coverage
 * recomputed without the site, what-ifs against the same, minimum sites.
 */
import { beforeAll, describe, expect, it } from 'vitest';
import fc from 'fast-check';
import { CoverSetsBuilder, enumerateMaximalCovering } from '@fs-access/siting';
import type { Households, Sites } from '@fs-access/data';
import {
  CrowFlyModel,
  PlanningInputError,
  SitingPlanner,
  computeCoverage,
  objectiveWeights,
  recommendSites,
  type Figures,
  type NearestSites,
  type Objective,
  type Points,
} from '../src/index.ts';
import { haveData, load87, type Data87 } from './planning-data.ts';

const T = 1200;
const model = new CrowFlyModel();

/** Sites plus some extra points appended (indices of the extra ones follow the sites'). */
function withPoints(sites: Sites, extra: { lon: number; lat: number }[]): Points {
  return {
    count: sites.count + extra.length,
    lon: Float64Array.from([...sites.lon, ...extra.map((p) => p.lon)]),
    lat: Float64Array.from([...sites.lat, ...extra.map((p) => p.lat)]),
  };
}

function without(sites: Sites, drop: number[]): Points {
  const keep = Array.from({ length: sites.count }, (_, i) => i).filter((i) => !drop.includes(i));
  return { count: keep.length, lon: Float64Array.from(keep, (i) => sites.lon[i]), lat: Float64Array.from(keep, (i) => sites.lat[i]) };
}

/** Covered figures at T from scratch (computeCoverage on a fresh nearest-site search). */
function coveredFromScratch(units: Households, nearest: NearestSites): Figures {
  const c = computeCoverage(units, nearest, { thresholdsS: [T] }).byThreshold[0].covered;
  return { units: c.units, households: c.households, inhabitants: c.inhabitants, poor: c.poor };
}

function expectFigures(actual: Figures, expected: Figures): void {
  expect(actual.units).toBe(expected.units);
  expect(actual.households).toBeCloseTo(expected.households, 6);
  expect(actual.inhabitants).toBeCloseTo(expected.inhabitants, 6);
  expect(actual.poor).toBeCloseTo(expected.poor, 6);
}

describe.skipIf(!haveData)('planning on Haute-Vienne (87), crow-fly', () => {
  let d: Data87;
  let communePlanner: SitingPlanner;
  let gridPlanner: SitingPlanner;
  beforeAll(async () => {
    d = await load87();
    communePlanner = new SitingPlanner({ model, units: d.communes, sites: d.sitesFor(d.communes, T), candidates: d.candidates, thresholdS: T });
    gridPlanner = new SitingPlanner({ model, units: d.grid, sites: d.sitesFor(d.grid, T), candidates: d.candidates, thresholdS: T });
  });

  it('k = 3: greedy and the exact optimum (HiGHS), HiGHS checked by enumerating every subset', async () => {
    for (const [level, planner] of [
      ['communes', communePlanner],
      ['grid', gridPlanner],
    ] as const) {
      const greedy = planner.recommend({ k: 3 });
      const exact = await planner.exactRecommend({ k: 3, greedy });
      // The oracle enumerates every triple of the candidates that cover someone new (the others add nothing).
      const cover = planner.coverSets();
      const useful = Array.from({ length: cover.candidateCount }, (_, c) => c).filter((c) => cover.size(c) > 0);
      const b = new CoverSetsBuilder(cover.unitCount);
      useful.forEach((c, i) => b.add(i, cover.row(c)));
      // Triples at commune level (C(87, 3) ≈ 106,000); on the grid (C(217, 3) ≈ 1.7 million, ~10 s) pairs, against HiGHS at k = 2.
      const kBrute = level === 'communes' ? 3 : 2;
      const brute = enumerateMaximalCovering({ cover: b.finish(useful.length), weight: objectiveWeights(planner.units, 'households'), alreadyCovered: planner.covered, k: kBrute }, { maxSubsets: 5_000_000 });
      const exactBrute = kBrute === 3 ? exact : await planner.exactRecommend({ k: kBrute });
      const fmt = (ps: typeof greedy.picks) => ps.map((p) => `${p.id} (+${p.objectiveGain.toFixed(1)})`).join(', ');
      console.log(
        `87 ${level}, T = 20 min, k = 3 — baseline ${(100 * planner.baseline.share).toFixed(2)} %\n` +
          `  greedy: ${fmt(greedy.picks)} = ${exact.greedyGain.toFixed(1)} households → ${(100 * greedy.final.share).toFixed(2)} %\n` +
          `  exact (${exact.method}): ${fmt(exact.picks)} = ${exact.optimumGain.toFixed(1)} → ${(100 * exact.final.share).toFixed(2)} %\n` +
          `  enumeration of C(${useful.length}, ${kBrute}): ${brute.gain.toFixed(1)} (HiGHS at k = ${kBrute}: ${exactBrute.optimumGain.toFixed(1)}); greedy/optimum at k = 3: ${exact.ratio.toFixed(4)}`,
      );
      expect(greedy.picks).toHaveLength(3);
      expect(exactBrute.optimumGain).toBeCloseTo(brute.gain, 6);
      expect(exact.optimumGain).toBeGreaterThanOrEqual(exact.greedyGain - 1e-6);
      expect(exact.ratio).toBeGreaterThanOrEqual(1 - 1 / Math.E);
      // The optimum's picks, added to the sites and recomputed from scratch, cover what it claims.
      const after = coveredFromScratch(planner.units as Households, planner.times.nearest(withPoints(planner.sites as Sites, exact.picks)));
      expect(after.households - planner.baseline.households).toBeCloseTo(exact.optimumGain, 6);
      expect(exact.final.households).toBeCloseTo(after.households, 6);
    }
  });

  it("each pick's gain = the coverage difference recomputed from scratch; gains never increase (three objectives, grid, k = 6)", () => {
    const planner = gridPlanner;
    const units = planner.units as Households;
    const sites = planner.sites as Sites;
    for (const objective of ['households', 'poor', 'inhabitants'] as Objective[]) {
      const r = planner.recommend({ k: 6, objective });
      expect(r.picks).toHaveLength(6);
      let prev = coveredFromScratch(units, planner.current);
      expectFigures(prev, planner.baseline);
      r.picks.forEach((p, j) => {
        const now = coveredFromScratch(units, planner.times.nearest(withPoints(sites, r.picks.slice(0, j + 1))));
        expectFigures(p.gain, { units: now.units - prev.units, households: now.households - prev.households, inhabitants: now.inhabitants - prev.inhabitants, poor: now.poor - prev.poor });
        expect(p.after.households).toBeCloseTo(now.households, 6);
        expect(p.after.share).toBeCloseTo(now.households / planner.totals.households, 12);
        if (j > 0) expect(p.objectiveGain).toBeLessThanOrEqual(r.picks[j - 1].objectiveGain);
        prev = now;
      });
    }
  });

  it('the first pick is the best single what-if over all candidates (lowest index on ties)', () => {
    for (const planner of [communePlanner, gridPlanner]) {
      const r = planner.recommend({ k: 1 });
      let best = -1;
      let bestC = -1;
      for (let c = 0; c < planner.candidates.count; c++) {
        const g = planner.whatIf(planner.candidates.lon[c], planner.candidates.lat[c]).gain.households;
        if (g > best) [best, bestC] = [g, c];
      }
      expect(r.picks[0].candidate).toBe(bestC);
      expect(r.picks[0].gain.households).toBe(best);
    }
  });

  it('a what-if at any point = the coverage recomputed with a site there', () => {
    const planner = gridPlanner;
    const units = planner.units as Households;
    const base = coveredFromScratch(units, planner.current);
    fc.assert(
      fc.property(fc.double({ min: 0.85, max: 1.85, noNaN: true }), fc.double({ min: 45.45, max: 46.4, noNaN: true }), (lon, lat) => {
        const w = planner.whatIf(lon, lat);
        const now = coveredFromScratch(units, planner.times.nearest(withPoints(planner.sites as Sites, [{ lon, lat }])));
        expectFigures(w.gain, { units: now.units - base.units, households: now.households - base.households, inhabitants: now.inhabitants - base.inhabitants, poor: now.poor - base.poor });
        for (const t of w.times) expect(t).toBeLessThanOrEqual(T);
      }),
      { numRuns: 15 },
    );
    // With the caller's own covered flags (the app's scenario), units already covered do not count again.
    const p = planner.recommend({ k: 1 }).picks[0];
    const flags = planner.covered.slice();
    for (const u of p.units) flags[u] = 1;
    expect(planner.whatIf(p.lon, p.lat, { covered: flags }).gain.units).toBe(0);
  });

  it("a closure's loss = the coverage without the site recomputed from scratch (sites of 87 one by one, and three together; communes and grid)", () => {
    for (const planner of [communePlanner, gridPlanner]) {
      const units = planner.units as Households;
      const sites = planner.sites as Sites;
      const own = Array.from({ length: sites.count }, (_, s) => s).filter((s) => sites.departement[s] === '87');
      expect(own).toHaveLength(24);
      const base = coveredFromScratch(units, planner.current);
      let someLoss = false;
      // Every site at commune level; one in three on the grid (each costs a search over 25,000 cells).
      const singles = planner === communePlanner ? own : own.filter((_, k) => k % 3 === 0);
      for (const group of [...singles.map((s) => [s]), own.slice(0, 3)]) {
        const loss = planner.closureLoss(group);
        const after = planner.times.nearest(without(sites, group));
        const now = coveredFromScratch(units, after);
        expectFigures(loss.lost, { units: base.units - now.units, households: base.households - now.households, inhabitants: base.inhabitants - now.inhabitants, poor: base.poor - now.poor });
        expect(loss.after.share).toBeCloseTo(now.households / planner.totals.households, 12);
        // The units are exactly those covered before and not after, with their new times.
        const lost: number[] = [];
        for (let i = 0; i < units.count; i++) if (planner.covered[i] && !(after.status[i] === 0 && after.time[i] <= T)) lost.push(i);
        expect(Array.from(loss.units)).toEqual(lost);
        loss.units.forEach((u, k) => {
          expect(loss.timeAfter[k]).toBe(after.status[u] === 0 ? after.time[u] : Infinity);
          expect(loss.timeAfter[k]).toBeGreaterThan(T);
          expect(group).not.toContain(loss.siteAfter[k]);
        });
        let served = 0;
        for (let i = 0; i < units.count; i++) if (group.includes(planner.current.site[i])) served += units.households[i];
        expect(loss.served.households).toBeCloseTo(served, 6);
        if (loss.lost.households > 0) someLoss = true;
      }
      expect(someLoss).toBe(true);
    }
  });

  it('fewest sites for a share: greedy reaches it with its last pick only; the exact count is never larger', async () => {
    const planner = gridPlanner;
    for (const share of [0.99, 0.995]) {
      const g = planner.minimumSites({ share });
      if (share === 0.99) {
        expect(g.reached).toBe(true);
        expect(g.final.share).toBeGreaterThanOrEqual(share - 1e-9);
        continue;
      }
      expect(g.reached).toBe(true);
      expect(g.final.share).toBeGreaterThanOrEqual(share - 1e-9);
      const beforeLast = g.picks.length > 1 ? g.picks[g.picks.length - 2].after.share : planner.baseline.share;
      expect(beforeLast).toBeLessThan(share);
      const e = await planner.exactMinimumSites({ share });
      expect(e.reached).toBe(true);
      expect(e.picks.length).toBeLessThanOrEqual(g.picks.length);
      const now = coveredFromScratch(planner.units as Households, planner.times.nearest(withPoints(planner.sites as Sites, e.picks)));
      expect(now.households / planner.totals.households).toBeGreaterThanOrEqual(share - 1e-9);
      console.log(`87 grid, ${share * 100} % of households within 20 min: greedy ${g.picks.length} sites, exact ${e.picks.length}`);
    }
    // Beyond what the candidates can reach: the best reachable share, reached = false.
    const all = planner.minimumSites({ share: 1 });
    if (!all.reached) expect(all.stopReason).toBe('no-gain');
  });

  it('bad input: poor households where none are known, k beyond the useful candidates, out-of-range indices, mismatched cover sets', () => {
    expect(() => communePlanner.recommend({ k: 3, objective: 'poor' })).toThrow(PlanningInputError);
    expect(() => communePlanner.recommend({ k: 3, objective: 'people' as Objective })).toThrow(/objective must be one of/);
    const many = communePlanner.recommend({ k: 10_000 });
    expect(many.stopReason).toBe('no-gain');
    expect(many.picks.length).toBeLessThanOrEqual(many.usefulCandidates);
    expect(many.picks.length).toBeLessThan(10_000);
    // With every useful candidate open, nothing they can reach stays uncovered.
    const allUseful = Array.from({ length: communePlanner.candidates.count }, (_, c) => c).filter((c) => communePlanner.coverSets().size(c) > 0);
    const reachable = new Set(allUseful.flatMap((c) => Array.from(communePlanner.coverSets().row(c))));
    expect(many.final.units - communePlanner.baseline.units).toBe(reachable.size);
    expect(() => communePlanner.closureLoss([communePlanner.sites.count])).toThrow(PlanningInputError);
    expect(() => communePlanner.setCoverSets(gridPlanner.coverSets())).toThrow(/expected/);
    expect(() => communePlanner.minimumSites({ share: 1.5 })).toThrow(PlanningInputError);
    // One-call form, same answer as the planner's.
    const one = recommendSites({ model, units: d.communes, sites: communePlanner.sites, candidates: d.candidates, thresholdS: T, k: 3 });
    expect(one.picks.map((p) => p.id)).toEqual(communePlanner.recommend({ k: 3 }).picks.map((p) => p.id));
  });
});
