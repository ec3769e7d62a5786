/**
 * Independent oracles for the graph build: a graph with one node per OSM node and one arc
 * per segment (no contraction, no splitting, no component filter), float metres and
 * seconds, searched with a plain Dijkstra. Shares only the reader and the profile with the
 * code under test, which have their own tests.
 */
import { evaluateWay, readOsm, type OsmInput } from '../src/index.ts';

const R = 6_371_008.8;
/** Haversine written out again (not imported) so the oracle does not share it. */
export function gc(lon1: number, lat1: number, lon2: number, lat2: number): number {
  const r = Math.PI / 180;
  const a = Math.sin(((lat2 - lat1) * r) / 2) ** 2 + Math.cos(lat1 * r) * Math.cos(lat2 * r) * Math.sin(((lon2 - lon1) * r) / 2) ** 2;
  return 2 * R * Math.asin(Math.min(1, Math.sqrt(a)));
}

export interface NaiveGraph {
  /** OSM id → dense index. */
  index: Map<number, number>;
  lon: number[];
  lat: number[];
  /** Adjacency: per node, [target, metres, seconds]. */
  adj: [number, number, number][][];
}

export async function naiveGraph(input: OsmInput): Promise<NaiveGraph> {
  const coords = new Map<number, [number, number]>();
  const ways: { refs: number[]; fwd: boolean; bwd: boolean; vf: number; vb: number }[] = [];
  await readOsm(input, {
    nodes(ids, lons, lats, count) {
      for (let i = 0; i < count; i++) coords.set(ids[i], [Math.round(lons[i] * 1e7) / 1e7, Math.round(lats[i] * 1e7) / 1e7]);
    },
    way(w) {
      const r = evaluateWay(w);
      if (!r) return;
      ways.push({ refs: Array.from(w.refs().subarray(0, w.refCount)), fwd: r.forward, bwd: r.backward, vf: r.forwardKmh / 3.6, vb: r.backwardKmh / 3.6 });
    },
  });
  const g: NaiveGraph = { index: new Map(), lon: [], lat: [], adj: [] };
  const id = (osm: number) => {
    let i = g.index.get(osm);
    if (i === undefined) {
      i = g.lon.length;
      g.index.set(osm, i);
      const [x, y] = coords.get(osm)!;
      g.lon.push(x);
      g.lat.push(y);
      g.adj.push([]);
    }
    return i;
  };
  for (const w of ways) {
    for (let k = 0; k + 1 < w.refs.length; k++) {
      const a = w.refs[k];
      const b = w.refs[k + 1];
      if (a === b || !coords.has(a) || !coords.has(b)) continue;
      const [ia, ib] = [id(a), id(b)];
      const d = gc(g.lon[ia], g.lat[ia], g.lon[ib], g.lat[ib]);
      if (w.fwd) g.adj[ia].push([ib, d, d / w.vf]);
      if (w.bwd) g.adj[ib].push([ia, d, d / w.vb]);
    }
  }
  return g;
}

/** Dijkstra from one node over metres (k = 1) or seconds (k = 2); returns the cost of every node. */
export function naiveDijkstra(g: NaiveGraph, source: number, k: 1 | 2): Float64Array {
  const n = g.lon.length;
  const dist = new Float64Array(n).fill(Infinity);
  const done = new Uint8Array(n);
  // Binary heap of [cost, node].
  const heap: [number, number][] = [];
  const push = (c: number, v: number) => {
    heap.push([c, v]);
    let i = heap.length - 1;
    while (i > 0) {
      const p = (i - 1) >> 1;
      if (heap[p][0] <= heap[i][0]) break;
      [heap[p], heap[i]] = [heap[i], heap[p]];
      i = p;
    }
  };
  const pop = () => {
    const top = heap[0];
    const last = heap.pop()!;
    if (heap.length > 0) {
      heap[0] = last;
      let i = 0;
      for (;;) {
        const l = 2 * i + 1;
        const r = l + 1;
        let m = i;
        if (l < heap.length && heap[l][0] < heap[m][0]) m = l;
        if (r < heap.length && heap[r][0] < heap[m][0]) m = r;
        if (m === i) break;
        [heap[m], heap[i]] = [heap[i], heap[m]];
        i = m;
      }
    }
    return top;
  };
  dist[source] = 0;
  push(0, source);
  while (heap.length) {
    const [c, u] = pop();
    if (done[u]) continue;
    done[u] = 1;
    for (const arc of g.adj[u]) {
      const nc = c + arc[k];
      if (nc < dist[arc[0]]) {
        dist[arc[0]] = nc;
        push(nc, arc[0]);
      }
    }
  }
  return dist;
}
