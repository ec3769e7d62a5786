/**
 * Fuzz target for the graph searches: on every generated graph (one-way, zero-cost,
 * parallel arcs, self-loops, disconnected parts), nearestSources with both queues and both
 * directions, with start costs and a cut-off, BoundedSearch and shortestPath are checked
 * against the brute-force oracle (Floyd–Warshall, packages/graph/test/oracle.ts).
 */
import fc from 'fast-check';
import { BoundedSearch, RoadGraph, UNREACHED, nearestSources, shortestPath } from '../../packages/graph/src/index.ts';
import { floydWarshall, nearestOracle, type Arc } from '../../packages/graph/test/oracle.ts';
import type { FuzzTarget } from './fuzz.ts';

export interface SearchInput {
  n: number;
  arcs: { u: number; v: number; w: number; both: boolean }[];
  sources: number[];
  starts: number[];
  maxCost: number | undefined;
  bound: number;
  from: number;
}

const graphArb: fc.Arbitrary<SearchInput> = fc.integer({ min: 1, max: 14 }).chain((n) =>
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
    bound: fc.integer({ min: 0, max: 80 }),
    from: fc.integer({ min: 0, max: n - 1 }),
  }),
);

const asCost = (x: number) => (x === UNREACHED ? Infinity : x);

function fail(what: string, got: unknown, want: unknown): never {
  throw new Error(`${what}: got ${JSON.stringify(got)}, brute force says ${JSON.stringify(want)}`);
}

export const searchTarget: FuzzTarget<SearchInput> = {
  name: 'search',
  reader: 'nearestSources / BoundedSearch / shortestPath vs Floyd–Warshall',
  arbitrary: graphArb,
  allowed: [],
  check({ n, arcs: raw, sources, starts, maxCost, bound, from }) {
    const arcs: Arc[] = [];
    for (const a of raw) {
      arcs.push({ u: a.u, v: a.v, w: a.w });
      if (a.both) arcs.push({ u: a.v, v: a.u, w: a.w });
    }
    const graph = RoadGraph.fromEdges({ nodeCount: n, from: arcs.map((a) => a.u), to: arcs.map((a) => a.v), weight: arcs.map((a) => a.w) });
    const d = floydWarshall(n, arcs);
    const startCosts = sources.map((_, i) => starts[i]);
    for (const direction of ['to', 'from'] as const) {
      const want = nearestOracle(n, d, sources, startCosts, direction, maxCost);
      for (const queue of ['bucket', 'heap'] as const) {
        const got = nearestSources(graph, sources, { startCosts, direction, queue, maxCost });
        for (let v = 0; v < n; v++) {
          if (asCost(got.cost[v]) !== want.cost[v]) fail(`nearestSources ${direction}/${queue} cost of node ${v}`, asCost(got.cost[v]), want.cost[v]);
          if (got.source[v] !== want.source[v]) fail(`nearestSources ${direction}/${queue} source of node ${v}`, got.source[v], want.source[v]);
        }
      }
    }
    // Bounded search from one node, cut at `bound`, reused twice (the reset must be exact).
    for (const queue of ['bucket', 'heap'] as const) {
      const search = new BoundedSearch(graph, { queue, direction: 'to', maxSeedSpread: 30 });
      for (const [seeds, costs] of [[[from], [0]], [sources, startCosts]] as const) {
        search.run(seeds, bound, costs);
        const want = nearestOracle(n, d, [...seeds], [...costs], 'to', bound);
        let reached = 0;
        for (let v = 0; v < n; v++) {
          if (asCost(search.costs[v]) !== want.cost[v]) fail(`BoundedSearch/${queue} cost of node ${v}`, asCost(search.costs[v]), want.cost[v]);
          if (want.cost[v] !== Infinity) reached++;
        }
        if (search.nodes().length !== reached) fail(`BoundedSearch/${queue} nodes()`, search.nodes().length, reached);
      }
    }
    // Point-to-point paths from `from` to every node.
    for (let t = 0; t < n; t++) {
      const r = shortestPath(graph, from, t);
      const c = d[from * n + t];
      if (c === Infinity) {
        if (r !== null) fail(`shortestPath ${from}→${t}`, r.cost, null);
        continue;
      }
      if (!r || r.cost !== c) fail(`shortestPath ${from}→${t} cost`, r?.cost, c);
      let sum = 0;
      for (let i = 1; i < r.path.length; i++) {
        const a = graph.arcCost(r.path[i - 1], r.path[i]);
        if (a < 0) fail(`shortestPath ${from}→${t} uses a missing arc`, [r.path[i - 1], r.path[i]], 'an arc');
        sum += a;
      }
      if (r.path[0] !== from || r.path[r.path.length - 1] !== t || sum !== c) fail(`shortestPath ${from}→${t} path`, Array.from(r.path), c);
    }
  },
};
