/**
 * A directed road graph in compressed sparse row (CSR) form, forward and reverse,
 * with every array living in one ArrayBuffer (or SharedArrayBuffer) so that the
 * graph crosses to a worker without copying: `RoadGraph.from(graph.buffer)`.
 *
 * Costs are non-negative integers (Uint32) in the caller's unit: DIMACS files
 * keep theirs, the OSM car graph uses deciseconds. Node ids are 0-based.
 *
 * Memory: 16 bytes per arc (targets + weights, both directions) plus 8 bytes per
 * node (offsets, both directions) plus 16 bytes per node with coordinates.
 */

const MAGIC = 0x46534752; // "FSGR"
const VERSION = 1;
const HEADER_WORDS = 8; // magic, version, n, m, flags, reserved x3
const FLAG_COORDS = 1;

export interface EdgeList {
  /** Number of nodes; every endpoint must be < nodeCount. */
  nodeCount: number;
  /** Tail of each arc (0-based). */
  from: ArrayLike<number>;
  /** Head of each arc (0-based). */
  to: ArrayLike<number>;
  /** Cost of each arc: a non-negative integer below 2^32 - 1. */
  weight: ArrayLike<number>;
  /** Optional node coordinates, interleaved [lon0, lat0, lon1, lat1, …] in degrees. */
  coords?: ArrayLike<number>;
}

export interface BuildOptions {
  /** Put the arrays in a SharedArrayBuffer (for workers sharing one copy). Default false. */
  shared?: boolean;
  /**
   * Parallel arcs u→v: keep only the cheapest (default true). Self-loops are always dropped:
   * they never shorten a path.
   */
  dedupe?: boolean;
}

function align8(bytes: number): number {
  return (bytes + 7) & ~7;
}

/** Byte layout of the single buffer behind a graph. */
function layout(n: number, m: number, hasCoords: boolean) {
  let off = HEADER_WORDS * 4;
  const at = (bytes: number) => {
    const start = off;
    off = align8(off + bytes);
    return start;
  };
  const offsets = at(4 * (n + 1));
  const targets = at(4 * m);
  const weights = at(4 * m);
  const rOffsets = at(4 * (n + 1));
  const rTargets = at(4 * m);
  const rWeights = at(4 * m);
  const coords = hasCoords ? at(8 * 2 * n) : -1;
  return { offsets, targets, weights, rOffsets, rTargets, rWeights, coords, total: off };
}

export class GraphFormatError extends Error {
  override name = 'GraphFormatError';
}

export class RoadGraph {
  /** Number of nodes. */
  readonly n: number;
  /** Number of arcs (after parallel arcs were merged). */
  readonly m: number;
  /** Forward CSR: arcs of node u are offsets[u] .. offsets[u+1]-1. */
  readonly offsets: Uint32Array;
  readonly targets: Uint32Array;
  readonly weights: Uint32Array;
  /** Reverse CSR: arcs entering node v, as (source, cost). */
  readonly rOffsets: Uint32Array;
  readonly rTargets: Uint32Array;
  readonly rWeights: Uint32Array;
  /** [lon, lat] per node in degrees, or null when the source had no coordinates. */
  readonly coords: Float64Array | null;
  /** The single buffer behind every array above. */
  readonly buffer: ArrayBuffer | SharedArrayBuffer;

  private constructor(buffer: ArrayBuffer | SharedArrayBuffer) {
    const head = new Uint32Array(buffer, 0, HEADER_WORDS);
    if (head[0] !== MAGIC) throw new GraphFormatError('not a fs-access graph buffer (bad magic number)');
    if (head[1] !== VERSION) throw new GraphFormatError(`unsupported graph buffer version ${head[1]}`);
    const n = head[2];
    const m = head[3];
    const hasCoords = (head[4] & FLAG_COORDS) !== 0;
    const l = layout(n, m, hasCoords);
    if (buffer.byteLength < l.total) throw new GraphFormatError(`graph buffer truncated: ${buffer.byteLength} < ${l.total} bytes`);
    this.n = n;
    this.m = m;
    this.buffer = buffer;
    this.offsets = new Uint32Array(buffer, l.offsets, n + 1);
    this.targets = new Uint32Array(buffer, l.targets, m);
    this.weights = new Uint32Array(buffer, l.weights, m);
    this.rOffsets = new Uint32Array(buffer, l.rOffsets, n + 1);
    this.rTargets = new Uint32Array(buffer, l.rTargets, m);
    this.rWeights = new Uint32Array(buffer, l.rWeights, m);
    this.coords = hasCoords ? new Float64Array(buffer, l.coords, 2 * n) : null;
  }

  /** Wraps a buffer made by another RoadGraph (e.g. received by a worker) without copying. */
  static from(buffer: ArrayBuffer | SharedArrayBuffer): RoadGraph {
    return new RoadGraph(buffer);
  }

  /** Bytes used by the graph, all arrays included. */
  get byteLength(): number {
    return this.buffer.byteLength;
  }

  /** Out-degree of node u. */
  degree(u: number): number {
    return this.offsets[u + 1] - this.offsets[u];
  }

  /** Cost of the cheapest arc u→v, or -1 if there is none. */
  arcCost(u: number, v: number): number {
    let best = -1;
    for (let e = this.offsets[u], end = this.offsets[u + 1]; e < end; e++) {
      if (this.targets[e] === v && (best < 0 || this.weights[e] < best)) best = this.weights[e];
    }
    return best;
  }

  /** Index (into targets/weights) of the cheapest arc u→v, or -1. */
  arcIndex(u: number, v: number): number {
    let best = -1;
    for (let e = this.offsets[u], end = this.offsets[u + 1]; e < end; e++) {
      if (this.targets[e] === v && (best < 0 || this.weights[e] < this.weights[best])) best = e;
    }
    return best;
  }

  /**
   * Builds a graph from an arc list. Arcs are sorted by tail then head (counting sort, O(n+m));
   * parallel arcs keep the cheapest one; self-loops are dropped.
   * Throws GraphFormatError on an endpoint out of range or a weight that is not a
   * non-negative integer below 2^32 - 1.
   */
  static fromEdges(edges: EdgeList, options: BuildOptions = {}): RoadGraph {
    const n = edges.nodeCount;
    const count = edges.from.length;
    if (edges.to.length !== count || edges.weight.length !== count) {
      throw new GraphFormatError('from, to and weight must have the same length');
    }
    if (edges.coords && edges.coords.length !== 2 * n) {
      throw new GraphFormatError(`coords must hold 2 × nodeCount = ${2 * n} numbers, got ${edges.coords.length}`);
    }
    const dedupe = options.dedupe !== false;

    // Counting sort by tail, then sort each row by (head, weight) so parallel arcs are adjacent.
    const rowStart = new Uint32Array(n + 1);
    for (let i = 0; i < count; i++) {
      const u = edges.from[i];
      const v = edges.to[i];
      const w = edges.weight[i];
      if (!(u >= 0 && u < n && Number.isInteger(u))) throw new GraphFormatError(`arc ${i}: tail ${u} out of range 0..${n - 1}`);
      if (!(v >= 0 && v < n && Number.isInteger(v))) throw new GraphFormatError(`arc ${i}: head ${v} out of range 0..${n - 1}`);
      if (!(w >= 0 && w < 0xffffffff && Number.isInteger(w))) {
        throw new GraphFormatError(`arc ${i}: weight ${w} is not a non-negative integer below 2^32-1`);
      }
      rowStart[u + 1]++;
    }
    for (let u = 0; u < n; u++) rowStart[u + 1] += rowStart[u];
    const fill = rowStart.slice(0, n);
    const sortedTo = new Uint32Array(count);
    const sortedW = new Uint32Array(count);
    for (let i = 0; i < count; i++) {
      const u = edges.from[i];
      const p = fill[u]++;
      sortedTo[p] = edges.to[i];
      sortedW[p] = edges.weight[i];
    }
    // Per row: insertion sort on (head, weight); rows are short on road graphs.
    for (let u = 0; u < n; u++) {
      const a = rowStart[u];
      const b = rowStart[u + 1];
      for (let i = a + 1; i < b; i++) {
        const t = sortedTo[i];
        const w = sortedW[i];
        let j = i - 1;
        while (j >= a && (sortedTo[j] > t || (sortedTo[j] === t && sortedW[j] > w))) {
          sortedTo[j + 1] = sortedTo[j];
          sortedW[j + 1] = sortedW[j];
          j--;
        }
        sortedTo[j + 1] = t;
        sortedW[j + 1] = w;
      }
    }
    // Count kept arcs.
    let m = 0;
    for (let u = 0; u < n; u++) {
      for (let i = rowStart[u]; i < rowStart[u + 1]; i++) {
        const v = sortedTo[i];
        if (v === u) continue;
        if (dedupe && i > rowStart[u] && sortedTo[i - 1] === v) continue;
        m++;
      }
    }

    const hasCoords = !!edges.coords;
    const l = layout(n, m, hasCoords);
    const buffer = options.shared ? new SharedArrayBuffer(l.total) : new ArrayBuffer(l.total);
    const head = new Uint32Array(buffer, 0, HEADER_WORDS);
    head[0] = MAGIC;
    head[1] = VERSION;
    head[2] = n;
    head[3] = m;
    head[4] = hasCoords ? FLAG_COORDS : 0;

    const offsets = new Uint32Array(buffer, l.offsets, n + 1);
    const targets = new Uint32Array(buffer, l.targets, m);
    const weights = new Uint32Array(buffer, l.weights, m);
    let k = 0;
    for (let u = 0; u < n; u++) {
      offsets[u] = k;
      for (let i = rowStart[u]; i < rowStart[u + 1]; i++) {
        const v = sortedTo[i];
        if (v === u) continue;
        if (dedupe && i > rowStart[u] && sortedTo[i - 1] === v) continue;
        targets[k] = v;
        weights[k] = sortedW[i];
        k++;
      }
    }
    offsets[n] = k;

    // Reverse CSR by counting sort on heads; rows come out sorted by source since we scan u in order.
    const rOffsets = new Uint32Array(buffer, l.rOffsets, n + 1);
    const rTargets = new Uint32Array(buffer, l.rTargets, m);
    const rWeights = new Uint32Array(buffer, l.rWeights, m);
    for (let e = 0; e < m; e++) rOffsets[targets[e] + 1]++;
    for (let v = 0; v < n; v++) rOffsets[v + 1] += rOffsets[v];
    const rFill = rOffsets.slice(0, n);
    for (let u = 0; u < n; u++) {
      for (let e = offsets[u]; e < offsets[u + 1]; e++) {
        const p = rFill[targets[e]]++;
        rTargets[p] = u;
        rWeights[p] = weights[e];
      }
    }
    if (hasCoords) {
      const c = new Float64Array(buffer, l.coords, 2 * n);
      for (let i = 0; i < 2 * n; i++) c[i] = edges.coords![i];
    }
    return new RoadGraph(buffer);
  }

  /** The arc list of this graph (forward arcs in CSR order). */
  toEdges(): { nodeCount: number; from: Uint32Array; to: Uint32Array; weight: Uint32Array; coords?: Float64Array } {
    const from = new Uint32Array(this.m);
    for (let u = 0; u < this.n; u++) from.fill(u, this.offsets[u], this.offsets[u + 1]);
    return {
      nodeCount: this.n,
      from,
      to: this.targets.slice(),
      weight: this.weights.slice(),
      ...(this.coords ? { coords: this.coords.slice() } : {}),
    };
  }

  /**
   * The subgraph induced by the nodes where keep[u] is non-zero, renumbered in the
   * original order. Returns the graph and both id maps (oldToNew holds -1 for dropped nodes).
   */
  subgraph(keep: ArrayLike<number | boolean>, options: BuildOptions = {}): { graph: RoadGraph; oldToNew: Int32Array; newToOld: Uint32Array } {
    const oldToNew = new Int32Array(this.n).fill(-1);
    let k = 0;
    for (let u = 0; u < this.n; u++) if (keep[u]) oldToNew[u] = k++;
    const newToOld = new Uint32Array(k);
    for (let u = 0; u < this.n; u++) if (oldToNew[u] >= 0) newToOld[oldToNew[u]] = u;
    let m = 0;
    for (let u = 0; u < this.n; u++) {
      if (oldToNew[u] < 0) continue;
      for (let e = this.offsets[u]; e < this.offsets[u + 1]; e++) if (oldToNew[this.targets[e]] >= 0) m++;
    }
    const from = new Uint32Array(m);
    const to = new Uint32Array(m);
    const weight = new Uint32Array(m);
    let i = 0;
    for (let u = 0; u < this.n; u++) {
      if (oldToNew[u] < 0) continue;
      for (let e = this.offsets[u]; e < this.offsets[u + 1]; e++) {
        const v = oldToNew[this.targets[e]];
        if (v < 0) continue;
        from[i] = oldToNew[u];
        to[i] = v;
        weight[i] = this.weights[e];
        i++;
      }
    }
    let coords: Float64Array | undefined;
    if (this.coords) {
      coords = new Float64Array(2 * k);
      for (let j = 0; j < k; j++) {
        coords[2 * j] = this.coords[2 * newToOld[j]];
        coords[2 * j + 1] = this.coords[2 * newToOld[j] + 1];
      }
    }
    const graph = RoadGraph.fromEdges({ nodeCount: k, from, to, weight, coords }, options);
    return { graph, oldToNew, newToOld };
  }
}
