import { describe, expect, it } from 'vitest';
import { nearestSources, UNREACHED, stronglyConnectedComponents } from '@fs-access/graph';
import { buildCarGraph, type CarGraph } from '../src/index.ts';
import { EXTRACTS, hasData, osmFile, rng } from './helpers.ts';
import { gc, naiveDijkstra, naiveGraph } from './oracle.ts';

const graphs = new Map<string, Promise<CarGraph>>();
const car = (name: string) => {
  if (!graphs.has(name)) graphs.set(name, buildCarGraph(osmFile(name)));
  return graphs.get(name)!;
};

describe.skipIf(!hasData)('car graph invariants on the shared extracts', () => {
  for (const name of EXTRACTS) {
    it(`${name}: structure, geometry, lengths, weights`, async () => {
      const g = await car(name);
      const { graph, stats } = g;
      expect(graph.n).toBe(stats.nodes);
      expect(graph.m).toBe(stats.arcs);
      expect(stats.nodes + stats.removedNodes).toBe(stats.contractedNodes);
      // Contraction shrinks the graph several times over.
      expect(stats.contractedNodes * 3).toBeLessThan(stats.nodesBeforeContraction);
      // Strongly connected, no parallel arcs, no self-loops.
      expect(stronglyConnectedComponents(graph).count).toBe(1);
      for (let u = 0; u < graph.n; u++) {
        const heads = new Set<number>();
        for (let a = graph.offsets[u]; a < graph.offsets[u + 1]; a++) {
          expect(graph.targets[a]).not.toBe(u);
          expect(heads.has(graph.targets[a])).toBe(false);
          heads.add(graph.targets[a]);
        }
      }
      const coords = graph.coords!;
      for (let u = 0; u < graph.n; u++) {
        for (let a = graph.offsets[u]; a < graph.offsets[u + 1]; a++) {
          const v = graph.targets[a];
          const geom = g.arcGeometry(a);
          const k = geom.length / 2;
          // Geometry runs from the tail's coordinates to the head's.
          expect([geom[0], geom[1]]).toEqual([coords[2 * u], coords[2 * u + 1]]);
          expect([geom[2 * k - 2], geom[2 * k - 1]]).toEqual([coords[2 * v], coords[2 * v + 1]]);
          let len = 0;
          for (let i = 1; i < k; i++) len += gc(geom[2 * i - 2], geom[2 * i - 1], geom[2 * i], geom[2 * i + 1]);
          expect(Math.abs(g.arcLength[a] - len)).toBeLessThan(1e-3 + len * 1e-6);
          expect(len).toBeGreaterThanOrEqual(gc(coords[2 * u], coords[2 * u + 1], coords[2 * v], coords[2 * v + 1]) - 1e-6);
          if (len > 0) expect(graph.weights[a]).toBeGreaterThanOrEqual(1);
          // No car goes faster than 130 km/h × the motorway factor (+ rounding).
          expect(len / (graph.weights[a] / 10)).toBeLessThanOrEqual((130 * 0.9) / 3.6 + len / Math.max(1, graph.weights[a] - 0.5) / 10 + 1e-9);
          // The reverse arc of a two-way road shares the geometry.
          const e = g.arcEdge[a];
          const other = g.arcReversed[a] ? g.edgeForwardArc[e] : g.edgeBackwardArc[e];
          if (other >= 0) expect(Array.from(g.arcGeometry(other)).join()).toBe(Array.from(reversePairs(geom)).join());
        }
      }
    });
  }

  for (const name of ['monaco', 'andorra'] as const) {
    it(`${name}: shortest distances and times equal a plain Dijkstra on the uncontracted OSM segments`, async () => {
      const g = await car(name);
      const naive = await naiveGraph(osmFile(name));
      // Graph node → OSM node, by coordinates (skip the rare places where two nodes share them).
      const byCoord = new Map<string, number>();
      const dup = new Set<string>();
      naive.lon.forEach((x, i) => {
        const key = `${x},${naive.lat[i]}`;
        if (byCoord.has(key)) dup.add(key);
        byCoord.set(key, i);
      });
      const coords = g.graph.coords!;
      const toNaive = (u: number) => {
        const key = `${coords[2 * u]},${coords[2 * u + 1]}`;
        return dup.has(key) ? -1 : (byCoord.get(key) ?? -1);
      };
      const rand = rng(name.length);
      const dg = g.distanceGraph();
      let compared = 0;
      for (let k = 0; k < 6; k++) {
        const s = Math.floor(rand() * g.graph.n);
        const ns = toNaive(s);
        if (ns < 0) continue;
        const ours = { d: nearestSources(dg, [s], { direction: 'from' }).cost, t: nearestSources(g.graph, [s], { direction: 'from' }).cost };
        const ref = { d: naiveDijkstra(naive, ns, 1), t: naiveDijkstra(naive, ns, 2) };
        for (let v = 0; v < g.graph.n; v++) {
          const nv = toNaive(v);
          if (nv < 0) continue;
          expect(ours.d[v]).not.toBe(UNREACHED);
          // Integer decimetres / deciseconds per arc vs exact floats: rounding is ≤ 0.05 per arc
          // (0.1 s for the 1-decisecond floor), and paths here have well under 200 arcs.
          expect(Math.abs(ours.d[v] / 10 - ref.d[nv])).toBeLessThan(1);
          expect(Math.abs(ours.t[v] / 10 - ref.t[nv])).toBeLessThan(2);
          compared++;
        }
      }
      expect(compared).toBeGreaterThan(1000);
    });
  }
});

function reversePairs(a: Float64Array): Float64Array {
  const out = new Float64Array(a.length);
  for (let i = 0, j = a.length - 2; j >= 0; i += 2, j -= 2) {
    out[i] = a[j];
    out[i + 1] = a[j + 1];
  }
  return out;
}
