import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import fs from 'node:fs';
import path from 'node:path';
import { nearestSources, readDimacsFile, RoadGraph, UNREACHED } from '@fs-access/graph';
import { maximalCovering } from '@fs-access/siting';
import { CancelledError, CoverPool, coverSetsInProcess } from '../src/index.ts';

const NY = path.resolve(__dirname, '../../../../shared/data/graphs/USA-road-t.NY.gr.gz');

function rng(seed: number) {
  let a = seed >>> 0;
  return () => {
    a = (a + 0x6d2b79f5) >>> 0;
    let t = a;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

describe.skipIf(!fs.existsSync(NY))('CoverPool on DIMACS NY', () => {
  let graph: RoadGraph;
  let candidates: Uint32Array;
  let alreadyCovered: Uint8Array;
  const T = 30000; // NY travel-time units: ~200 nodes per candidate
  const pools: CoverPool[] = [];
  beforeAll(async () => {
    graph = await readDimacsFile(NY, undefined, { shared: true });
    const r = rng(5);
    candidates = Uint32Array.from({ length: 300 }, () => Math.floor(r() * graph.n));
    const sites = Uint32Array.from({ length: 20 }, () => Math.floor(r() * graph.n));
    const near = nearestSources(graph, sites, { maxCost: T });
    alreadyCovered = Uint8Array.from(near.cost, (c) => (c !== UNREACHED ? 1 : 0));
  });
  afterAll(async () => {
    await Promise.all(pools.map((p) => p.close()));
  });

  it('byte-identical JSON (cover sets and CELF picks) with 1, 2 and 4 workers and in-process', async () => {
    const reference = coverSetsInProcess({ graph }, candidates, T);
    // Each cover set is the set of nodes within T of the candidate (reverse search): spot-check one by brute force.
    const c0 = candidates[0];
    const exact = nearestSources(graph, [c0], { maxCost: T });
    const within = [];
    for (let v = 0; v < graph.n; v++) if (exact.cost[v] !== UNREACHED) within.push(v);
    expect(Array.from(reference.row(0))).toEqual(within);
    expect(reference.units.length).toBeGreaterThan(candidates.length * 10);
    expect(maximalCovering({ cover: reference, alreadyCovered, k: 10 }).picks.length).toBe(10);
    // The queue changes the visiting order, never the (sorted) sets.
    expect(JSON.stringify(coverSetsInProcess({ graph, queue: 'bucket' }, candidates, T))).toBe(JSON.stringify(reference));
    const json = (cover: typeof reference) => JSON.stringify({ cover, picks: maximalCovering({ cover, alreadyCovered, k: 10 }) });
    const expected = json(reference);
    for (const size of [1, 2, 4]) {
      const pool = await CoverPool.create({ graph, size });
      pools.push(pool);
      let last = 0;
      const sets = await pool.coverSets(candidates, T, { chunkSize: 16, onProgress: ({ done }) => (last = done) });
      expect(last).toBe(candidates.length);
      expect(json(sets)).toBe(expected);
    }
  });

  it('units mapped through a node → units table', async () => {
    // Two units per even node, none on odd nodes.
    const offsets = new Uint32Array(graph.n + 1);
    for (let v = 0; v < graph.n; v++) offsets[v + 1] = offsets[v] + (v % 2 === 0 ? 2 : 0);
    const ids = Uint32Array.from({ length: offsets[graph.n] }, (_, i) => i);
    const units = { offsets, ids, count: ids.length };
    const nodes = coverSetsInProcess({ graph }, candidates.subarray(0, 20), T);
    const pool = await CoverPool.create({ graph, size: 2, units });
    pools.push(pool);
    const sets = await pool.coverSets(candidates.subarray(0, 20), T);
    expect(sets.unitCount).toBe(ids.length);
    for (let c = 0; c < 20; c++) {
      const want = Array.from(nodes.row(c)).filter((v) => v % 2 === 0).flatMap((v) => [v, v + 1]);
      expect(Array.from(sets.row(c))).toEqual(want);
    }
  });

  it('cancellation stops a large job and the pool recovers', async () => {
    const pool = await CoverPool.create({ graph, size: 2 });
    pools.push(pool);
    const many = Uint32Array.from({ length: 20000 }, (_, i) => (i * 7919) % graph.n);
    const ac = new AbortController();
    let chunks = 0;
    const job = pool.coverSets(many, 20000, { chunkSize: 8, signal: ac.signal, onProgress: () => ++chunks === 3 && ac.abort() });
    await expect(job).rejects.toBeInstanceOf(CancelledError);
    expect(chunks).toBeLessThan(many.length / 8);
    const again = await pool.coverSets(candidates.subarray(0, 10), T);
    expect(JSON.stringify(again)).toBe(JSON.stringify(coverSetsInProcess({ graph }, candidates.subarray(0, 10), T)));
  });
});
