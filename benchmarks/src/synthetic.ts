/**
 * Road-like synthetic graphs: a perturbed square grid with a hierarchy of faster roads.
 *
 * - Nodes on a side × side grid, `spacing` metres apart, each moved by up to ±30 % of the
 *   spacing in x and y (seeded), so arc lengths vary.
 * - Every 10th row/column is a 'secondary' road (3× the local speed), every 100th a 'primary'
 *   road (6×): local 20 km/h (junction-dense streets), secondary 60 km/h, primary 120 km/h.
 * - 20 % of local street segments are removed (never hierarchy ones), giving ≈ 3.2 arcs per node
 *   like real contracted road graphs (DIMACS NY: 2.8); parts may be cut off, as in real data.
 * - 2 % of the remaining segments are one-way (direction drawn at random).
 * - Arc cost = travel time in deciseconds: length / speed × a ±10 % noise factor, at least 1.
 */
import { RoadGraph, hilbertOrder } from '@fs-access/graph';
import { prng } from './stats.ts';

export interface SyntheticOptions {
  /** Target node count; the grid side is round(sqrt(nodes)). */
  nodes: number;
  seed?: number;
  /** Grid spacing in metres (default 150). */
  spacing?: number;
}

export interface SyntheticEdges {
  side: number;
  nodeCount: number;
  from: Uint32Array;
  to: Uint32Array;
  weight: Uint32Array;
  /** Planar x, y in metres per node (interleaved). */
  xy: Float64Array;
}

const LOCAL_KMH = 20;

export function syntheticEdges(options: SyntheticOptions): SyntheticEdges {
  const side = Math.max(2, Math.round(Math.sqrt(options.nodes)));
  const n = side * side;
  const spacing = options.spacing ?? 150;
  const rand = prng(options.seed ?? 1);
  const xy = new Float64Array(2 * n);
  for (let r = 0; r < side; r++) {
    for (let c = 0; c < side; c++) {
      const i = r * side + c;
      xy[2 * i] = (c + (rand() - 0.5) * 0.6) * spacing;
      xy[2 * i + 1] = (r + (rand() - 0.5) * 0.6) * spacing;
    }
  }
  // At most 2 segments per node, 2 arcs per segment.
  const cap = 4 * n;
  const from = new Uint32Array(cap);
  const to = new Uint32Array(cap);
  const weight = new Uint32Array(cap);
  let k = 0;
  const speedFactor = (line: number) => (line % 100 === 0 ? 6 : line % 10 === 0 ? 3 : 1);
  const addSegment = (a: number, b: number, factor: number) => {
    if (factor === 1 && rand() < 0.2) return;
    const dx = xy[2 * a] - xy[2 * b];
    const dy = xy[2 * a + 1] - xy[2 * b + 1];
    const metres = Math.sqrt(dx * dx + dy * dy);
    const mps = (LOCAL_KMH * factor) / 3.6;
    const oneWay = rand() < 0.02;
    const forward = rand() < 0.5;
    const w1 = Math.max(1, Math.round((metres / mps) * 10 * (0.9 + 0.2 * rand())));
    const w2 = Math.max(1, Math.round((metres / mps) * 10 * (0.9 + 0.2 * rand())));
    if (!oneWay || forward) {
      from[k] = a;
      to[k] = b;
      weight[k++] = w1;
    }
    if (!oneWay || !forward) {
      from[k] = b;
      to[k] = a;
      weight[k++] = w2;
    }
  };
  for (let r = 0; r < side; r++) {
    for (let c = 0; c < side; c++) {
      const i = r * side + c;
      if (c + 1 < side) addSegment(i, i + 1, speedFactor(r));
      if (r + 1 < side) addSegment(i, i + side, speedFactor(c));
    }
  }
  return { side, nodeCount: n, from: from.subarray(0, k), to: to.subarray(0, k), weight: weight.subarray(0, k), xy };
}

export function buildSynthetic(edges: SyntheticEdges): RoadGraph {
  return RoadGraph.fromEdges({ nodeCount: edges.nodeCount, from: edges.from, to: edges.to, weight: edges.weight });
}

/**
 * The same edges with nodes renumbered along a Hilbert curve of their positions (the graph
 * package's `hilbertOrder`), so that nodes close on the ground are close in memory. Returns
 * the edges and old → new ids.
 */
export function hilbertRenumber(edges: SyntheticEdges): { edges: SyntheticEdges; newId: Uint32Array } {
  const n = edges.nodeCount;
  const order = hilbertOrder(edges.xy);
  const newId = new Uint32Array(n);
  for (let i = 0; i < n; i++) newId[order[i]] = i;
  const xy = new Float64Array(2 * n);
  for (let i = 0; i < n; i++) {
    xy[2 * newId[i]] = edges.xy[2 * i];
    xy[2 * newId[i] + 1] = edges.xy[2 * i + 1];
  }
  return {
    edges: { ...edges, from: edges.from.map((u) => newId[u]), to: edges.to.map((v) => newId[v]), xy },
    newId,
  };
}
