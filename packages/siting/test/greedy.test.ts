import { describe, expect, it } from 'vitest';
import {
  CoverSets,
  CoverSetsBuilder,
  coverageOf,
  enumerateMaximalCovering,
  enumerateSetCover,
  exactMaximalCovering,
  exactSetCover,
  greedySetCover,
  InstanceTooLargeError,
  maximalCovering,
  SitingInputError,
  type CoverInput,
} from '../src/index.ts';
import { randomInstance, rng } from './random.ts';

/** Plain greedy, no laziness: every gain recomputed from scratch each round (the CELF oracle). */
function naiveGreedy(input: CoverInput, k: number): { candidate: number; gain: number }[] {
  const chosen: number[] = [];
  const out: { candidate: number; gain: number }[] = [];
  let current = coverageOf(input, chosen).covered;
  while (out.length < k) {
    let best = -1;
    let bestGain = 0;
    for (let c = 0; c < input.cover.candidateCount; c++) {
      if (chosen.includes(c)) continue;
      const g = coverageOf(input, [...chosen, c]).covered - current;
      if (g > bestGain) {
        bestGain = g;
        best = c;
      }
    }
    if (best < 0) break;
    chosen.push(best);
    current += bestGain;
    out.push({ candidate: best, gain: bestGain });
  }
  return out;
}

const BOUND = 1 - 1 / Math.E;

describe('maximalCovering (CELF)', () => {
  it('matches the plain greedy and keeps its invariants on 300 random instances', () => {
    for (let seed = 1; seed <= 300; seed++) {
      const inst = randomInstance(seed);
      const r = maximalCovering(inst);
      const naive = naiveGreedy(inst, inst.k);
      expect(r.picks.map((p) => [p.candidate, p.gain])).toEqual(naive.map((p) => [p.candidate, p.gain]));
      const chosen: number[] = [];
      let prev = Infinity;
      let before = coverageOf(inst, []);
      expect(r.baseline).toBe(before.covered);
      for (const p of r.picks) {
        chosen.push(p.candidate);
        const after = coverageOf(inst, chosen);
        // Marginal gain = coverage difference recomputed from scratch (integer weights: exact).
        expect(p.gain).toBe(after.covered - before.covered);
        expect(p.units).toBe(after.coveredUnits - before.coveredUnits);
        expect(p.cumulative).toBe(after.covered);
        expect(p.gain).toBeGreaterThan(0);
        expect(p.gain).toBeLessThanOrEqual(prev);
        prev = p.gain;
        before = after;
      }
      expect(r.covered).toBe(before.covered);
      expect(r.coveredUnits).toBe(before.coveredUnits);
      if (r.picks.length < inst.k) expect(r.stopReason).toBe('no-gain');
      else expect(r.stopReason).toBe('k');
    }
  });

  it('greedy ≥ (1 − 1/e) × optimum on ≥ 50 random instances, against enumeration and HiGHS', async () => {
    let equal = 0;
    let worst = 1;
    let n = 0;
    for (let seed = 1; seed <= 120; seed++) {
      const inst = randomInstance(seed);
      const g = maximalCovering(inst);
      const gain = g.covered - g.baseline;
      const enumd = enumerateMaximalCovering(inst);
      const ilp = await exactMaximalCovering(inst);
      // Two exact methods, same optimum (integer weights: exact equality).
      expect(ilp.gain).toBe(enumd.gain);
      expect(ilp.candidates.length).toBeLessThanOrEqual(inst.k);
      expect(coverageOf(inst, ilp.candidates).covered - g.baseline).toBe(ilp.gain);
      expect(gain).toBeLessThanOrEqual(enumd.gain);
      expect(gain).toBeGreaterThanOrEqual(BOUND * enumd.gain - 1e-9);
      if (gain === enumd.gain) equal++;
      if (enumd.gain > 0) worst = Math.min(worst, gain / enumd.gain);
      n++;
    }
    console.log(`greedy vs exact (maximal covering): ${n} instances, greedy optimal in ${equal} (${((100 * equal) / n).toFixed(1)} %), worst ratio ${worst.toFixed(4)} (bound ${BOUND.toFixed(4)})`);
    expect(n).toBeGreaterThanOrEqual(50);
  });

  it('ties go to the lowest candidate index, whatever the row order of units', () => {
    // Candidates 0, 1, 2 each cover 2 units of weight 1; 1 and 2 are disjoint from 0.
    const b = new CoverSetsBuilder(6);
    b.add(0, [1, 0]).add(1, [3, 2]).add(2, [5, 4]);
    const r = maximalCovering({ cover: b.finish(), k: 3 });
    expect(r.picks.map((p) => p.candidate)).toEqual([0, 1, 2]);
    // Reverse the candidate numbering: the lowest index still wins.
    const b2 = new CoverSetsBuilder(6);
    b2.add(0, [4, 5]).add(1, [2, 3]).add(2, [0, 1]);
    expect(maximalCovering({ cover: b2.finish(), k: 1 }).picks[0].candidate).toBe(0);
  });

  it('k larger than the useful candidates: stops early with "no-gain"; zero-gain candidates never picked', () => {
    const b = new CoverSetsBuilder(4);
    b.add(0, [0, 1]).add(1, [1]).add(2, [3]).add(3, []);
    const weight = Float64Array.from([1, 1, 5, 0]);
    const r = maximalCovering({ cover: b.finish(), weight, k: 10 });
    // Candidate 1's unit is taken by 0; 2 covers only a zero-weight unit; 3 covers nothing.
    expect(r.picks.map((p) => p.candidate)).toEqual([0]);
    expect(r.stopReason).toBe('no-gain');
    expect(r.share).toBeCloseTo(2 / 7, 12);
    expect(maximalCovering({ cover: b.finish(), weight, k: 0 }).picks).toEqual([]);
  });

  it('fractional weights: gains equal the recomputed difference to float precision', () => {
    const r0 = rng(99);
    const inst = randomInstance(7);
    const weight = inst.weight.map(() => r0() * 37.3);
    const r = maximalCovering({ ...inst, weight });
    const chosen: number[] = [];
    let before = coverageOf({ ...inst, weight }, []).covered;
    for (const p of r.picks) {
      chosen.push(p.candidate);
      const after = coverageOf({ ...inst, weight }, chosen).covered;
      expect(p.gain).toBeCloseTo(after - before, 9);
      before = after;
    }
  });

  it('bad input: typed errors', () => {
    const cover = new CoverSetsBuilder(3).add(0, [0, 2]).finish();
    expect(() => maximalCovering({ cover, k: -1 })).toThrow(SitingInputError);
    expect(() => maximalCovering({ cover, k: 1.5 })).toThrow(SitingInputError);
    expect(() => maximalCovering({ cover, k: 1, weight: new Float64Array(2) })).toThrow(/weight has 2 entries for 3 units/);
    expect(() => maximalCovering({ cover, k: 1, weight: Float64Array.from([1, -1, 0]) })).toThrow(/unit 1 is -1/);
    expect(() => maximalCovering({ cover, k: 1, weight: Float64Array.from([1, NaN, 0]) })).toThrow(SitingInputError);
    expect(() => maximalCovering({ cover, k: 1, alreadyCovered: new Uint8Array(4) })).toThrow(SitingInputError);
    expect(() => new CoverSetsBuilder(3).add(0, [3])).toThrow(/out of range/);
    expect(() => new CoverSetsBuilder(3).add(1, [0]).add(0, [1])).toThrow(/increasing order/);
    expect(() => new CoverSets(3, Uint32Array.from([0, 2]), Uint32Array.from([2, 1]))).toThrow(/sorted/);
  });
});

describe('set cover', () => {
  it('exact ≤ greedy picks, both reach the share, on 100 random instances', async () => {
    let equal = 0;
    for (let seed = 1; seed <= 100; seed++) {
      const inst = randomInstance(1000 + seed);
      const share = [0.3, 0.5, 0.8, 0.95, 1][seed % 5];
      const g = greedySetCover({ ...inst, targetShare: share });
      const e = enumerateSetCover({ ...inst, targetShare: share });
      const h = await exactSetCover({ ...inst, targetShare: share });
      expect(h.candidates.length).toBe(e.candidates.length);
      expect(h.reached).toBe(e.reached);
      expect(g.reached).toBe(e.reached);
      expect(e.candidates.length).toBeLessThanOrEqual(g.picks.length);
      const all = coverageOf(inst, Array.from({ length: inst.cover.candidateCount }, (_, i) => i));
      if (e.reached) {
        expect(h.covered).toBeGreaterThanOrEqual(share * all.total - 1e-9 * all.total);
        expect(g.covered).toBeGreaterThanOrEqual(share * all.total - 1e-9 * all.total);
        // One fewer than the optimum cannot reach the share.
        if (e.candidates.length > 0) {
          const less = enumerateMaximalCovering({ ...inst, k: e.candidates.length - 1 });
          expect(less.covered).toBeLessThan(share * all.total - 1e-9 * all.total);
        }
      } else {
        // Unreachable: every variant stops at what all candidates together cover.
        expect(h.covered).toBe(all.covered);
        expect(g.covered).toBe(all.covered);
      }
      if (g.picks.length === e.candidates.length) equal++;
    }
    console.log(`greedy vs exact (set cover): 100 instances, greedy used the fewest sites in ${equal}`);
  });

  it('target already met by existing coverage: no pick', async () => {
    const cover = new CoverSetsBuilder(4).add(0, [0, 1]).add(1, [2]).finish();
    const alreadyCovered = Uint8Array.from([0, 0, 1, 1]);
    const g = greedySetCover({ cover, alreadyCovered, targetShare: 0.5 });
    expect(g.picks).toEqual([]);
    expect(g.reached).toBe(true);
    expect((await exactSetCover({ cover, alreadyCovered, targetShare: 0.5 })).candidates).toEqual([]);
    expect(() => greedySetCover({ cover, targetShare: 1.5 })).toThrow(SitingInputError);
  });
});

describe('exact bounds', () => {
  it('enumeration refuses instances above its bound with a typed error', () => {
    const b = new CoverSetsBuilder(10);
    for (let c = 0; c < 40; c++) b.add(c, [c % 10]);
    expect(() => enumerateMaximalCovering({ cover: b.finish(), k: 10 }, { maxSubsets: 1e6 })).toThrow(InstanceTooLargeError);
  });

  it('k ≥ useful candidates: takes them all (≤ k, never infeasible)', async () => {
    const cover = new CoverSetsBuilder(3).add(0, [0]).add(1, [1]).add(2, []).finish();
    const r = await exactMaximalCovering({ cover, k: 5 });
    expect(r.candidates).toEqual([0, 1]);
    expect(r.covered).toBe(2);
    expect(enumerateMaximalCovering({ cover, k: 5 }).covered).toBe(2);
  });
});
