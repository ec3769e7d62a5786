/**
 * Checking a peer's answer against ours, and an exact optimality certificate that says
 * which side is wrong when they differ.
 */
import { UNREACHED, type RoadGraph } from '@fs-access/graph';

export interface Comparison {
  /** Nodes compared. */
  nodes: number;
  /** Nodes whose costs differ (beyond tolerance, or reached by one side only). */
  differing: number;
  /** Largest |ours − peer| over nodes both sides reach; Infinity if one side alone reaches a node. */
  maxDiff: number;
  /** Up to 5 differing nodes, for the report. */
  examples: { node: number; ours: number; peer: number }[];
}

/**
 * Compares our Uint32 costs (UNREACHED = not reached) with a peer's float64 costs
 * (Infinity = not reached). Equal when |a − b| ≤ tol · max(1, |a|): costs are integer sums,
 * exact in float64 below 2^53, so tol only absorbs a peer that stores float32 or rounds.
 */
export function compareCosts(ours: Uint32Array, peer: ArrayLike<number>, tol = 1e-9): Comparison {
  if (ours.length !== peer.length) throw new RangeError(`cost arrays differ in length: ours ${ours.length}, peer ${peer.length}`);
  let differing = 0;
  let maxDiff = 0;
  const examples: Comparison['examples'] = [];
  for (let v = 0; v < ours.length; v++) {
    const a = ours[v] === UNREACHED ? Infinity : ours[v];
    const b = peer[v];
    let same: boolean;
    if (a === Infinity || b === Infinity || Number.isNaN(b)) same = a === b;
    else {
      const d = Math.abs(a - b);
      same = d <= tol * Math.max(1, Math.abs(a));
      if (!same && d > maxDiff) maxDiff = d;
    }
    if (!same) {
      if (a === Infinity || b === Infinity || Number.isNaN(b)) maxDiff = Infinity;
      differing++;
      if (examples.length < 5) examples.push({ node: v, ours: a, peer: b });
    }
  }
  return { nodes: ours.length, differing, maxDiff, examples };
}

export function describeComparison(c: Comparison): string {
  if (c.differing === 0) return `answers equal on all ${c.nodes.toLocaleString('en-US')} nodes`;
  const ex = c.examples.map((e) => `node ${e.node}: ours ${e.ours}, peer ${e.peer}`).join('; ');
  return `ANSWERS DIFFER on ${c.differing.toLocaleString('en-US')} nodes (largest difference ${c.maxDiff}; e.g. ${ex})`;
}

export interface Certificate {
  /** True when the costs are exactly the shortest costs to (or from) the nearest source. */
  ok: boolean;
  /** Arcs along which a cost could still be lowered (the cost is too high somewhere). */
  relaxable: number;
  /** Nodes with a finite cost that no chain of tight arcs links to a source (too low). */
  unsupported: number;
  /** Sources whose cost is not 0. */
  badSources: number;
}

/**
 * Exact optimality check of multi-source costs, independent of any search code (O(n + m)):
 * costs d are the shortest costs with all sources at 0 iff (1) every source has d = 0,
 * (2) no arc can lower a cost (d[u] ≤ w + d[v] for 'to' on arc u→v; finite d[v] forces finite d[u]),
 * and (3) every finite node is linked to a source by a chain of tight arcs
 * (d[u] = w + d[v]): (2) rules out costs too high, (3) costs too low — even on zero-cost cycles.
 * `cost` may be Uint32 (UNREACHED) or float64 (Infinity).
 */
export function certify(graph: RoadGraph, sources: ArrayLike<number>, cost: ArrayLike<number>, direction: 'to' | 'from' = 'to'): Certificate {
  const n = graph.n;
  const d = new Float64Array(n);
  for (let v = 0; v < n; v++) {
    const c = cost[v];
    d[v] = c === UNREACHED || c === Infinity ? Infinity : c;
  }
  // "Search" arcs go from a settled node to the node it relaxes: reverse arcs for 'to'.
  const so = direction === 'to' ? graph.rOffsets : graph.offsets;
  const st = direction === 'to' ? graph.rTargets : graph.targets;
  const sw = direction === 'to' ? graph.rWeights : graph.weights;
  let relaxable = 0;
  for (let v = 0; v < n; v++) {
    const dv = d[v];
    if (dv === Infinity) continue;
    for (let e = so[v]; e < so[v + 1]; e++) if (dv + sw[e] < d[st[e]]) relaxable++;
  }
  let badSources = 0;
  const justified = new Uint8Array(n);
  const stack: number[] = [];
  for (let i = 0; i < sources.length; i++) {
    const s = sources[i];
    if (d[s] !== 0) badSources++;
    else if (!justified[s]) {
      justified[s] = 1;
      stack.push(s);
    }
  }
  while (stack.length > 0) {
    const v = stack.pop()!;
    for (let e = so[v]; e < so[v + 1]; e++) {
      const u = st[e];
      if (!justified[u] && d[u] === d[v] + sw[e]) {
        justified[u] = 1;
        stack.push(u);
      }
    }
  }
  let unsupported = 0;
  for (let v = 0; v < n; v++) if (d[v] !== Infinity && !justified[v]) unsupported++;
  return { ok: relaxable === 0 && unsupported === 0 && badSources === 0, relaxable, unsupported, badSources };
}

export function describeCertificate(c: Certificate): string {
  if (c.ok) return 'exact (certificate holds)';
  return `NOT exact: ${c.relaxable} relaxable arcs, ${c.unsupported} unsupported nodes, ${c.badSources} sources ≠ 0`;
}
