import { describe, expect, it } from 'vitest';
import fc from 'fast-check';
import { BoundedSearch, RoadGraph, UNREACHED, hilbertOrder, largestComponent, nearestSources, renumber, shortestPath, stronglyConnectedComponents } from '../src/index.ts';
import { floydWarshall, nearestOracle, type Arc } from './oracle.ts';

/** Random small graphs with one-way arcs, zero-cost arcs, parallel arcs, self-loops and disconnected parts. */
const graphArb = fc
  .integer({ min: 1, max: 24 })
  .chain((n) =>
    fc.record({
      n: fc.constant(n),
      arcs: fc.array(
        fc.record({
          u: fc.integer({ min: 0, max: n - 1 }),
          v: fc.integer({ min: 0, max: n - 1 }),
          w: fc.oneof(fc.constant(0), fc.integer({ min: 0, max: 12 }), fc.integer({ min: 0, max: 5000 })),
          both: fc.boolean(),
        }),
        { maxLength: 4 * n },
      ),
      sources: fc.array(fc.integer({ min: 0, max: n - 1 }), { minLength: 1, maxLength: 5 }),
      starts: fc.array(fc.oneof(fc.constant(0), fc.integer({ min: 0, max: 30 })), { minLength: 5, maxLength: 5 }),
      maxCost: fc.option(fc.integer({ min: 0, max: 60 }), { nil: undefined }),
    }),
  );

function build(n: number, raw: { u: number; v: number; w: number; both: boolean }[]): { graph: RoadGraph; arcs: Arc[] } {
  const arcs: Arc[] = [];
  for (const a of raw) {
    arcs.push({ u: a.u, v: a.v, w: a.w });
    if (a.both) arcs.push({ u: a.v, v: a.u, w: a.w });
  }
  const graph = RoadGraph.fromEdges({
    nodeCount: n,
    from: arcs.map((a) => a.u),
    to: arcs.map((a) => a.v),
    weight: arcs.map((a) => a.w),
  });
  return { graph, arcs };
}

const asCosts = (c: Uint32Array) => Array.from(c, (x) => (x === UNREACHED ? Infinity : x));

describe('nearestSources against Floyd–Warshall', () => {
  it('both queues, both directions, with and without cut-off, on 300 random graphs', () => {
    fc.assert(
      fc.property(graphArb, ({ n, arcs: raw, sources, starts, maxCost }) => {
        const { graph, arcs } = build(n, raw);
        const d = floydWarshall(n, arcs);
        const startCosts = sources.map((_, i) => starts[i]);
        for (const direction of ['to', 'from'] as const) {
          const want = nearestOracle(n, d, sources, startCosts, direction, maxCost);
          for (const queue of ['bucket', 'heap'] as const) {
            const got = nearestSources(graph, sources, { startCosts, direction, queue, maxCost });
            expect(asCosts(got.cost)).toEqual(want.cost);
            expect(Array.from(got.source)).toEqual(want.source);
          }
        }
      }),
      { numRuns: 300 },
    );
  });

  it('keeps the cheapest of parallel arcs and drops self-loops', () => {
    const g = RoadGraph.fromEdges({ nodeCount: 3, from: [0, 0, 0, 1, 2], to: [1, 1, 1, 1, 0], weight: [9, 4, 7, 1, 3] });
    expect(g.m).toBe(2);
    expect(g.arcCost(0, 1)).toBe(4);
    expect(g.arcCost(1, 1)).toBe(-1);
    expect(Array.from(g.rOffsets)).toEqual([0, 1, 2, 2]);
  });

  it('no sources reach nothing; unknown source ids are rejected', () => {
    const g = RoadGraph.fromEdges({ nodeCount: 2, from: [0], to: [1], weight: [1] });
    const r = nearestSources(g, []);
    expect(Array.from(r.cost)).toEqual([UNREACHED, UNREACHED]);
    expect(Array.from(r.source)).toEqual([-1, -1]);
    expect(() => nearestSources(g, [2])).toThrow(RangeError);
  });
});

describe('BoundedSearch', () => {
  it('equals a single-source search cut at the bound, and resets between runs', () => {
    fc.assert(
      fc.property(graphArb, fc.array(fc.integer({ min: 0, max: 40 }), { minLength: 3, maxLength: 3 }), ({ n, arcs: raw }, bounds) => {
        const { graph, arcs } = build(n, raw);
        const d = floydWarshall(n, arcs);
        for (const queue of ['bucket', 'heap'] as const) {
          const search = new BoundedSearch(graph, { queue, direction: 'to' });
          for (let k = 0; k < bounds.length; k++) {
            const s = (k * 7) % n;
            const count = search.run(s, bounds[k]);
            const want = new Set<number>();
            for (let v = 0; v < n; v++) if (d[v * n + s] <= bounds[k]) want.add(v);
            expect(new Set(search.nodes())).toEqual(want);
            expect(count).toBe(want.size);
            for (let v = 0; v < n; v++) {
              expect(search.costs[v]).toBe(want.has(v) ? d[v * n + s] : UNREACHED);
            }
          }
        }
      }),
      { numRuns: 200 },
    );
  });
});

describe('BoundedSearch with one start cost per seed', () => {
  it('equals the multi-source search cut at the bound', () => {
    fc.assert(
      fc.property(graphArb, fc.integer({ min: 0, max: 60 }), ({ n, arcs: raw, sources, starts }, bound) => {
        const { graph, arcs } = build(n, raw);
        const d = floydWarshall(n, arcs);
        const startCosts = sources.map((_, i) => starts[i]);
        const want = nearestOracle(n, d, sources, startCosts, 'to', bound);
        for (const queue of ['bucket', 'heap'] as const) {
          const search = new BoundedSearch(graph, { queue, maxSeedSpread: 30 });
          search.run(sources, bound, startCosts);
          expect(asCosts(search.costs)).toEqual(want.cost);
        }
      }),
      { numRuns: 200 },
    );
  });
});

describe('shortestPath', () => {
  it('finds the optimal cost and a valid node path', () => {
    fc.assert(
      fc.property(graphArb, ({ n, arcs: raw }) => {
        const { graph, arcs } = build(n, raw);
        const d = floydWarshall(n, arcs);
        for (let s = 0; s < Math.min(n, 4); s++) {
          for (let t = 0; t < n; t++) {
            const r = shortestPath(graph, s, t);
            if (d[s * n + t] === Infinity) {
              expect(r).toBeNull();
              continue;
            }
            expect(r).not.toBeNull();
            expect(r!.cost).toBe(d[s * n + t]);
            expect(r!.path[0]).toBe(s);
            expect(r!.path[r!.path.length - 1]).toBe(t);
            let sum = 0;
            for (let i = 1; i < r!.path.length; i++) {
              const c = graph.arcCost(r!.path[i - 1], r!.path[i]);
              expect(c).toBeGreaterThanOrEqual(0);
              sum += c;
            }
            expect(sum).toBe(r!.cost);
          }
        }
      }),
      { numRuns: 200 },
    );
  });
});

describe('strongly connected components', () => {
  it('two nodes share a component iff each reaches the other', () => {
    fc.assert(
      fc.property(graphArb, ({ n, arcs: raw }) => {
        const { graph, arcs } = build(n, raw);
        const d = floydWarshall(n, arcs);
        const scc = stronglyConnectedComponents(graph);
        for (let u = 0; u < n; u++)
          for (let v = 0; v < n; v++) {
            const mutual = d[u * n + v] < Infinity && d[v * n + u] < Infinity;
            expect(scc.component[u] === scc.component[v]).toBe(mutual);
          }
        expect(scc.sizes.reduce((a, b) => a + b, 0)).toBe(n);
        const lc = largestComponent(graph);
        expect(lc.graph.n).toBe(scc.sizes[scc.largest]);
        expect(lc.removedNodes + lc.graph.n).toBe(n);
        expect(lc.otherSizes.reduce((a, b) => a + b, 0)).toBe(lc.removedNodes);
      }),
      { numRuns: 200 },
    );
  });

  it('handles a 200,000-node path without recursion limits', () => {
    const n = 200_000;
    const from = new Uint32Array(2 * (n - 1));
    const to = new Uint32Array(2 * (n - 1));
    for (let i = 0; i < n - 1; i++) {
      from[2 * i] = i;
      to[2 * i] = i + 1;
      from[2 * i + 1] = i + 1;
      to[2 * i + 1] = i;
    }
    const g = RoadGraph.fromEdges({ nodeCount: n, from, to, weight: new Uint32Array(2 * (n - 1)).fill(1) });
    const scc = stronglyConnectedComponents(g);
    expect(scc.count).toBe(1);
  });
});

describe('one buffer behind the graph', () => {
  it('RoadGraph.from(buffer) sees the same arrays without copying; SharedArrayBuffer works', () => {
    const g = RoadGraph.fromEdges({ nodeCount: 3, from: [0, 1, 2], to: [1, 2, 0], weight: [5, 6, 7], coords: [1, 2, 3, 4, 5, 6] }, { shared: true });
    expect(g.buffer).toBeInstanceOf(SharedArrayBuffer);
    const h = RoadGraph.from(g.buffer);
    expect(h.targets.buffer).toBe(g.buffer);
    expect(Array.from(h.weights)).toEqual([5, 6, 7]);
    expect(Array.from(h.coords!)).toEqual([1, 2, 3, 4, 5, 6]);
    expect(Array.from(nearestSources(h, [0]).cost)).toEqual([0, 13, 7]);
    expect(() => RoadGraph.from(new ArrayBuffer(64))).toThrow(/bad magic/);
  });

  it('rejects bad arcs with the arc index', () => {
    expect(() => RoadGraph.fromEdges({ nodeCount: 2, from: [0], to: [2], weight: [1] })).toThrow(/arc 0: head 2 out of range/);
    expect(() => RoadGraph.fromEdges({ nodeCount: 2, from: [0], to: [1], weight: [-1] })).toThrow(/arc 0: weight -1/);
  });
});

describe('Hilbert renumbering', () => {
  it('is a permutation and preserves every cost', () => {
    fc.assert(
      fc.property(graphArb, fc.array(fc.double({ min: -5, max: 10, noNaN: true }), { minLength: 48, maxLength: 48 }), ({ n, arcs: raw, sources }, xy) => {
        const { graph: plain } = build(n, raw);
        const e = plain.toEdges();
        const g = RoadGraph.fromEdges({ ...e, coords: xy.slice(0, 2 * n) });
        const order = hilbertOrder(g.coords!);
        expect([...order].sort((a, b) => a - b)).toEqual([...Array(n).keys()]);
        const { graph: h, oldToNew } = renumber(g, order);
        expect(h.m).toBe(g.m);
        const a = nearestSources(g, sources);
        const b = nearestSources(h, sources.map((s) => oldToNew[s]));
        for (let v = 0; v < n; v++) {
          expect(b.cost[oldToNew[v]]).toBe(a.cost[v]);
          expect(h.coords![2 * oldToNew[v]]).toBe(g.coords![2 * v]);
        }
      }),
      { numRuns: 200 },
    );
  });
});
