import { execFileSync } from 'node:child_process';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { RoadGraph, UNREACHED, nearestSources } from '@fs-access/graph';
import { certify, compareCosts } from '../src/compare.ts';
import { PYTHON, exportGraph, runBoundedPeer, runMultiPeer, writeSources } from '../src/peers.ts';
import { markdownTable } from '../src/report.ts';
import { peerRow } from '../src/rows.ts';
import { prng, sampleDistinct, summarize } from '../src/stats.ts';

function hasPython(module: string): boolean {
  try {
    execFileSync(PYTHON, ['-c', `import ${module}`], { stdio: 'ignore' });
    return true;
  } catch {
    return false;
  }
}
const scipy = hasPython('scipy');

/** A random directed graph with one-way and zero-cost arcs, parallel arcs and unreachable parts. */
function randomGraph(n: number, arcs: number, seed: number): RoadGraph {
  const rand = prng(seed);
  const from: number[] = [];
  const to: number[] = [];
  const weight: number[] = [];
  for (let i = 0; i < arcs; i++) {
    const u = Math.floor(rand() * (n - 5)); // the last 5 nodes have no out-arcs: unreachable in 'to'
    const v = Math.floor(rand() * n);
    const w = rand() < 0.1 ? 0 : 1 + Math.floor(rand() * 500);
    from.push(u);
    to.push(v);
    weight.push(w);
    if (rand() < 0.7 && v < n - 5) {
      from.push(v);
      to.push(u);
      weight.push(w);
    }
  }
  return RoadGraph.fromEdges({ nodeCount: n, from, to, weight });
}

const dirs: string[] = [];
const tmp = () => {
  const d = fs.mkdtempSync(path.join(os.tmpdir(), 'fs-bench-test-'));
  dirs.push(d);
  return d;
};
afterAll(() => dirs.forEach((d) => fs.rmSync(d, { recursive: true, force: true })));

describe('compareCosts', () => {
  it('matches UNREACHED with Infinity and counts every other difference', () => {
    const ours = Uint32Array.from([0, 5, UNREACHED, 7, UNREACHED]);
    expect(compareCosts(ours, [0, 5, Infinity, 7, Infinity]).differing).toBe(0);
    const c = compareCosts(ours, [0, 6, Infinity, 7, 3]);
    expect(c.differing).toBe(2);
    expect(c.maxDiff).toBe(Infinity);
    expect(c.examples.map((e) => e.node)).toEqual([1, 4]);
    expect(compareCosts(ours, [0, 5.5, Infinity, 7, Infinity]).maxDiff).toBe(0.5);
  });
});

describe('certify (exact optimality certificate)', () => {
  const graph = randomGraph(300, 700, 7);
  const sources = sampleDistinct(6, 295, 1);
  const { cost } = nearestSources(graph, sources);

  it('accepts the exact answer', () => {
    expect(certify(graph, sources, cost).ok).toBe(true);
  });

  it('rejects a cost too high, a cost too low and a source not at 0', () => {
    const reached = [...cost.keys()].filter((v) => cost[v] !== UNREACHED && cost[v] > 0 && !sources.includes(v));
    const high = cost.slice();
    high[reached[0]] += 1;
    expect(certify(graph, sources, high).relaxable).toBeGreaterThan(0);
    const low = cost.slice();
    low[reached[1]] -= 1;
    expect(certify(graph, sources, low).unsupported).toBeGreaterThan(0);
    const src = cost.slice();
    src[sources[0]] = 1;
    expect(certify(graph, sources, src).ok).toBe(false);
  });

  it('rejects costs that a zero-cost cycle holds up without any source', () => {
    // 0 ⇄ 1 at cost 0, 1 → 2 (source) at cost 5: true costs to 2 are 5, 5, 0; claiming 1, 1, 0 is tight on the cycle.
    const g = RoadGraph.fromEdges({ nodeCount: 3, from: [0, 1, 1], to: [1, 0, 2], weight: [0, 0, 5] });
    expect(certify(g, [2], [5, 5, 0]).ok).toBe(true);
    const bad = certify(g, [2], [1, 1, 0]);
    expect(bad.ok).toBe(false);
    expect(bad.unsupported).toBe(2);
  });
});

describe.skipIf(!scipy)('scipy peer on a small random graph (needs python3-scipy)', () => {
  const graph = randomGraph(2000, 5000, 42);
  const sources = sampleDistinct(10, 1995, 3);
  const ours = nearestSources(graph, sources, { direction: 'to' }).cost;

  it('returns the same costs as ours, and the row says so', async () => {
    const dir = tmp();
    exportGraph(graph, dir, 'to');
    writeSources(dir, 'sources', sources);
    const { outcome, costs } = await runMultiPeer(dir, 'scipy', 5);
    expect(outcome.kind).toBe('ok');
    const cmp = compareCosts(ours, costs!);
    expect(cmp.differing).toBe(0);
    expect([...ours].filter((c) => c === UNREACHED).length).toBeGreaterThanOrEqual(5);
    const row = peerRow({ suite: 't', input: 'i', size: 's' }, summarize([1, 2, 3, 4, 5]), outcome, { graph, sources, ours, peer: costs });
    expect(row.notes).toMatch(/answers equal on all 2,000 nodes/);
    expect(row.ratio).toBeCloseTo(3 / row.peer_ms!, 10);
  });

  it('detects a deliberately perturbed answer and names the wrong side', async () => {
    const dir = tmp();
    exportGraph(graph, dir, 'to');
    writeSources(dir, 'sources', sources);
    const { outcome, costs } = await runMultiPeer(dir, 'scipy', 5);
    const perturbed = Float64Array.from(costs!);
    const victim = [...ours.keys()].find((v) => ours[v] !== UNREACHED && ours[v] > 0)!;
    perturbed[victim] += 3;
    const cmp = compareCosts(ours, perturbed);
    expect(cmp.differing).toBe(1);
    expect(cmp.maxDiff).toBe(3);
    expect(cmp.examples[0].node).toBe(victim);
    const row = peerRow({ suite: 't', input: 'i', size: 's' }, summarize([1, 2, 3, 4, 5]), outcome, { graph, sources, ours, peer: perturbed });
    expect(row.notes).toMatch(/ANSWERS DIFFER on 1 nodes \(largest difference 3/);
    expect(row.notes).toMatch(/ours: exact \(certificate holds\); peer: NOT exact/);
    expect(row.notes).toContain(`node ${victim} = ${ours[victim]} (ours right)`);
    // The row keeps the peer's time: a differing peer is reported, never dropped.
    expect(row.peer_ms).toBe(outcome.kind === 'ok' ? outcome.timing.median : NaN);
    expect(markdownTable([row])).toMatch(/DIFFER/);
  });

  it('searching the forward graph instead of the reversed one is caught', async () => {
    // Exporting direction 'from' while we computed 'to' is exactly the mistake the check exists for.
    const dir = tmp();
    exportGraph(graph, dir, 'from');
    writeSources(dir, 'sources', sources);
    const { costs } = await runMultiPeer(dir, 'scipy', 5);
    expect(compareCosts(ours, costs!).differing).toBeGreaterThan(0);
    expect(certify(graph, sources, costs!, 'to').ok).toBe(false);
    expect(certify(graph, sources, costs!, 'from').ok).toBe(true);
  });

  it('bounded searches: scipy counts and sums match ours', async () => {
    const dir = tmp();
    exportGraph(graph, dir, 'to');
    const starts = sampleDistinct(20, 1995, 9);
    writeSources(dir, 'bounded', starts);
    const limit = 400;
    const peer = await runBoundedPeer(dir, 5, limit);
    expect(peer.outcome.kind).toBe('ok');
    for (let i = 0; i < starts.length; i++) {
      const { cost } = nearestSources(graph, [starts[i]], { direction: 'to', maxCost: limit });
      let count = 0;
      let sum = 0;
      for (const c of cost) if (c !== UNREACHED) (count++, (sum += c));
      expect(Number(peer.count![i])).toBe(count);
      expect(peer.sum![i]).toBe(sum);
    }
  });
});

describe.skipIf(!hasPython('networkx') || !hasPython('igraph'))('networkx and igraph peers agree on a small graph', () => {
  it('both return our costs', async () => {
    const graph = randomGraph(500, 1200, 5);
    const sources = sampleDistinct(4, 495, 2);
    const ours = nearestSources(graph, sources).cost;
    const dir = tmp();
    exportGraph(graph, dir, 'to');
    writeSources(dir, 'sources', sources);
    for (const peer of ['networkx', 'igraph'] as const) {
      const { outcome, costs } = await runMultiPeer(dir, peer, 5);
      expect(outcome.kind).toBe('ok');
      expect(compareCosts(ours, costs!).differing).toBe(0);
    }
  });
});

describe('a missing peer', () => {
  it('is a skipped row, not a failure', () => {
    const row = peerRow({ suite: 't', input: 'i', size: 's' }, summarize([1, 2, 3, 4, 5]), { kind: 'skipped', reason: 'python3-scipy not installed' }, { note: '' });
    expect(row.peer).toBe('skipped: python3-scipy not installed');
    expect(row.ratio).toBeUndefined();
    expect(markdownTable([row])).toContain('skipped: python3-scipy not installed');
  });
});
