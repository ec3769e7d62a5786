import type { RoadGraph } from './road-graph.ts';

export interface Components {
  /** Component index per node (0-based). */
  component: Uint32Array;
  /** Number of components. */
  count: number;
  /** Nodes per component. */
  sizes: Uint32Array;
  /** Index of the largest component (the lowest index among equals). */
  largest: number;
}

/**
 * Strongly connected components by Tarjan's algorithm, iterative (road graphs are deep
 * enough to overflow a recursive version). O(n + m), typed arrays only.
 */
export function stronglyConnectedComponents(graph: RoadGraph): Components {
  const { n, offsets, targets } = graph;
  const index = new Int32Array(n).fill(-1);
  const low = new Uint32Array(n);
  const onStack = new Uint8Array(n);
  const stack = new Uint32Array(n);
  const callNode = new Uint32Array(n);
  const callEdge = new Uint32Array(n);
  const component = new Uint32Array(n);
  const sizesList: number[] = [];
  let sp = 0;
  let counter = 0;

  for (let root = 0; root < n; root++) {
    if (index[root] >= 0) continue;
    let depth = 0;
    callNode[0] = root;
    callEdge[0] = offsets[root];
    index[root] = low[root] = counter++;
    stack[sp++] = root;
    onStack[root] = 1;
    while (depth >= 0) {
      const u = callNode[depth];
      const e = callEdge[depth];
      if (e < offsets[u + 1]) {
        callEdge[depth] = e + 1;
        const v = targets[e];
        if (index[v] < 0) {
          index[v] = low[v] = counter++;
          stack[sp++] = v;
          onStack[v] = 1;
          depth++;
          callNode[depth] = v;
          callEdge[depth] = offsets[v];
        } else if (onStack[v] && index[v] < low[u]) {
          low[u] = index[v];
        }
        continue;
      }
      // u is finished.
      if (low[u] === index[u]) {
        const c = sizesList.length;
        let size = 0;
        let w: number;
        do {
          w = stack[--sp];
          onStack[w] = 0;
          component[w] = c;
          size++;
        } while (w !== u);
        sizesList.push(size);
      }
      depth--;
      if (depth >= 0) {
        const parent = callNode[depth];
        if (low[u] < low[parent]) low[parent] = low[u];
      }
    }
  }
  const sizes = Uint32Array.from(sizesList);
  let largest = 0;
  for (let c = 1; c < sizes.length; c++) if (sizes[c] > sizes[largest]) largest = c;
  return { component, count: sizes.length, sizes, largest };
}

export interface LargestComponent {
  /** The subgraph induced by the largest strongly connected component. */
  graph: RoadGraph;
  /** Old node id → new id, -1 for removed nodes. */
  oldToNew: Int32Array;
  /** New node id → old id. */
  newToOld: Uint32Array;
  /** Number of nodes removed (not in the largest component). */
  removedNodes: number;
  /** Sizes of the removed components, largest first. */
  otherSizes: number[];
}

/** Keeps only the largest strongly connected component, so every kept node reaches every other. */
export function largestComponent(graph: RoadGraph, options: { shared?: boolean } = {}): LargestComponent {
  const scc = stronglyConnectedComponents(graph);
  const keep = new Uint8Array(graph.n);
  for (let u = 0; u < graph.n; u++) keep[u] = scc.component[u] === scc.largest ? 1 : 0;
  const sub = graph.subgraph(keep, options);
  const otherSizes: number[] = [];
  for (let c = 0; c < scc.count; c++) if (c !== scc.largest) otherSizes.push(scc.sizes[c]);
  otherSizes.sort((a, b) => b - a);
  return { ...sub, removedNodes: graph.n - sub.graph.n, otherSizes };
}
