/**
 * OSM → car road graph.
 *
 * Pass 1 keeps the ways a car may use (profile) as lists of dense node indices; pass 2
 * fills the coordinates of those nodes only. The segments between consecutive nodes are
 * then contracted: a graph node is kept where the number of incident segments is not two
 * (junctions, dead ends) or where the one-way status changes; every chain of degree-2
 * nodes between two kept nodes becomes one edge, which keeps its full geometry, its length
 * (haversine, metres) and its travel time per direction (sum over its segments).
 *
 * A RoadGraph holds no parallel arcs (it would keep only the cheapest), so two roads
 * joining the same pair of nodes would lose one: such an edge is split at an interior
 * point, which becomes a node; loops (tail = head) are split twice. Only true duplicates
 * (two one-segment ways over the same two nodes) are merged, keeping the cheapest.
 * Finally the largest strongly connected component is kept.
 */
import { RoadGraph, hilbertOrder, largestComponent, renumber } from '@fs-access/graph';
import { OsmFormatError } from './errors.ts';
import { haversineM } from './geo.ts';
import { GrowF64, GrowU32, GrowU8, IdTable } from './grow.ts';
import type { Inflate } from './pbf.ts';
import { carProfile, evaluateWay, relevantKeys, type CarProfile } from './profile.ts';
import { OsmPasses, type OsmInput } from './source.ts';

export interface CarGraphStats {
  /** Nodes, ways and relations in the file (as `osmium fileinfo -e` counts them). */
  osmNodes: number;
  ways: number;
  relations: number;
  /** Ways with a highway=* tag. */
  highwayWays: number;
  /** Ways a car may use (profile), with at least two node references. */
  carWays: number;
  /** OSM nodes on car ways (with coordinates) = graph nodes without contraction. */
  nodesBeforeContraction: number;
  /** Directed arcs between consecutive OSM nodes (two per two-way segment). */
  arcsBeforeContraction: number;
  /** Nodes and arcs after contraction, before keeping the largest component. */
  contractedNodes: number;
  contractedArcs: number;
  /** Final graph (largest strongly connected component). */
  nodes: number;
  arcs: number;
  /** Nodes of the contracted graph outside the largest component, and how many components they form. */
  removedNodes: number;
  removedComponents: number;
  /** Way node references whose node is absent from the file (the way is cut there). */
  missingNodeRefs: number;
  /** Edges split so that no two arcs join the same ordered pair of nodes. */
  splitEdges: number;
  /** Arcs dropped as exact duplicates (same two OSM nodes, no geometry between), and degenerate loops. */
  droppedDuplicateArcs: number;
  droppedLoops: number;
}

export interface BuildCarGraphOptions {
  /** Car profile (default `carProfile`, France). */
  profile?: CarProfile;
  /** Name used in error messages and in the result (default: the path or "input"). */
  name?: string;
  /** zlib decompressor (default: node:zlib for a path, fflate otherwise). */
  inflate?: Inflate;
}

/** OSM coordinates are stored as integers × 10^7; dividing (not multiplying by 1e-7) gives back the exact decimal. */
const D7 = 1e7;

/** A CarGraph as structured-clonable data (see CarGraph.toParts). */
export interface CarGraphParts {
  graph: ArrayBuffer | SharedArrayBuffer;
  arcLength: Float32Array;
  arcEdge: Uint32Array;
  arcReversed: Uint8Array;
  edgeForwardArc: Int32Array;
  edgeBackwardArc: Int32Array;
  edgeOffsets: Uint32Array;
  edgeCoords: Int32Array;
  edgeLength: Float64Array;
  stats: CarGraphStats;
  name: string;
  profile: CarProfile;
}

/**
 * The car graph: a RoadGraph whose arc weights are travel times in deciseconds (integer,
 * ≥ 1 on any arc of non-zero length) and node coords [lon, lat] in degrees, plus per arc
 * its length and geometry. Geometry is stored once per edge (a road between two nodes)
 * and shared by the edge's two arcs when it is two-way.
 *
 * Invariants: every node reaches every other (largest strongly connected component); no
 * two arcs share a tail and a head; arc a runs along edge arcEdge[a], against the order of
 * its points when arcReversed[a] = 1.
 */
export class CarGraph {
  private distGraph: RoadGraph | null = null;

  constructor(
    /** Weights = travel time in deciseconds; coords = node [lon, lat] in degrees. */
    readonly graph: RoadGraph,
    /** Metres per arc (index = arc index in graph.targets). */
    readonly arcLength: Float32Array,
    /** Edge of each arc. */
    readonly arcEdge: Uint32Array,
    /** 1 when the arc runs from the edge's last point to its first. */
    readonly arcReversed: Uint8Array,
    /** Arc along / against the edge's points, -1 when that direction is not allowed. */
    readonly edgeForwardArc: Int32Array,
    readonly edgeBackwardArc: Int32Array,
    /** Points of edge e are edgeOffsets[e] .. edgeOffsets[e+1]-1 (both end nodes included). */
    readonly edgeOffsets: Uint32Array,
    /** [lon, lat] of each point × 10^7 (OSM's own precision: lossless, half the size of floats). */
    readonly edgeCoords: Int32Array,
    /** Length of each edge in metres (double precision). */
    readonly edgeLength: Float64Array,
    readonly stats: CarGraphStats,
    readonly name: string,
    readonly profile: CarProfile,
  ) {}

  /**
   * The graph as plain data (typed arrays, the stats, the profile), for postMessage / comlink:
   * pass `transfer` (or use SharedArrayBuffers) to avoid copies, then `CarGraph.fromParts`.
   */
  toParts(): CarGraphParts {
    return {
      graph: this.graph.buffer,
      arcLength: this.arcLength,
      arcEdge: this.arcEdge,
      arcReversed: this.arcReversed,
      edgeForwardArc: this.edgeForwardArc,
      edgeBackwardArc: this.edgeBackwardArc,
      edgeOffsets: this.edgeOffsets,
      edgeCoords: this.edgeCoords,
      edgeLength: this.edgeLength,
      stats: this.stats,
      name: this.name,
      profile: this.profile,
    };
  }

  /** Rebuilds a CarGraph from `toParts()` output (no copy). */
  static fromParts(p: CarGraphParts): CarGraph {
    return new CarGraph(RoadGraph.from(p.graph), p.arcLength, p.arcEdge, p.arcReversed, p.edgeForwardArc, p.edgeBackwardArc, p.edgeOffsets, p.edgeCoords, p.edgeLength, p.stats, p.name, p.profile);
  }

  /** The buffers of `toParts()`, for a transfer list. */
  transferables(): ArrayBuffer[] {
    const p = this.toParts();
    return [p.graph, p.arcLength.buffer, p.arcEdge.buffer, p.arcReversed.buffer, p.edgeForwardArc.buffer, p.edgeBackwardArc.buffer, p.edgeOffsets.buffer, p.edgeCoords.buffer, p.edgeLength.buffer].filter(
      (b): b is ArrayBuffer => b instanceof ArrayBuffer,
    );
  }

  /** Number of edges (roads between two nodes, one or two arcs each). */
  get edgeCount(): number {
    return this.edgeLength.length;
  }

  /** [lon, lat, lon, lat, …] of an arc from its tail to its head, both ends included. */
  arcGeometry(arc: number): Float64Array {
    const e = this.arcEdge[arc];
    const a = this.edgeOffsets[e];
    const b = this.edgeOffsets[e + 1];
    const out = new Float64Array(2 * (b - a));
    const c = this.edgeCoords;
    if (this.arcReversed[arc]) {
      for (let p = b - 1, i = 0; p >= a; p--, i += 2) {
        out[i] = c[2 * p] / D7;
        out[i + 1] = c[2 * p + 1] / D7;
      }
    } else {
      for (let p = a, i = 0; p < b; p++, i += 2) {
        out[i] = c[2 * p] / D7;
        out[i + 1] = c[2 * p + 1] / D7;
      }
    }
    return out;
  }

  /**
   * The same topology with lengths as weights, in decimetres (integers), built on first use.
   * Its arcs are in the same order as `graph`'s, so arc indices carry over.
   */
  distanceGraph(): RoadGraph {
    if (!this.distGraph) {
      const e = this.graph.toEdges();
      const weight = new Uint32Array(this.graph.m);
      for (let a = 0; a < this.graph.m; a++) weight[a] = Math.round(this.edgeLength[this.arcEdge[a]] * 10);
      const g = RoadGraph.fromEdges({ nodeCount: e.nodeCount, from: e.from, to: e.to, weight, coords: e.coords });
      if (g.m !== this.graph.m) throw new Error('distance graph lost arcs: parallel arcs in the car graph');
      this.distGraph = g;
    }
    return this.distGraph;
  }
}

/** Seconds → integer deciseconds, at least 1 when the arc has a length. */
function deciseconds(seconds: number, metres: number): number {
  const ds = Math.round(seconds * 10);
  return metres > 0 && ds < 1 ? 1 : ds;
}

/**
 * Reads an OSM PBF (or OSM XML) file and builds its car graph. Memory grows with the road
 * network, not with the file: one hash entry, two coordinates and a few counters per node
 * of a car way; the file is streamed twice (see OsmPasses for one-shot streams).
 * Throws OsmFormatError (file, block index, byte offset) on bad input, and when the file
 * holds no road segment a car can use (no highway at all, or only ways whose nodes are
 * missing): an empty graph would report every household as unreachable.
 */
export async function buildCarGraph(input: OsmInput, options: BuildCarGraphOptions = {}): Promise<CarGraph> {
  const profile = options.profile ?? carProfile;
  const passes = await OsmPasses.open(input, { name: options.name, inflate: options.inflate });

  // Pass 1: car ways → node indices, direction flags, speeds.
  const ids = new IdTable();
  const refs = new GrowU32(1 << 16);
  const wayStart = new GrowU32();
  wayStart.push(0);
  const wayFlags = new GrowU8();
  const wayFwd = new GrowF64(); // m/s
  const wayBwd = new GrowF64();
  let highwayWays = 0;
  let carWays = 0;
  // The profile reads ~20 keys; copying the few relevant tags of a way into a small Map
  // once is cheaper than 20 lookups in the block's string table.
  const relevant = relevantKeys(profile);
  const tags = new Map<string, string>();
  const counts = await passes.ways((w) => {
    if (w.get('highway') === undefined) return;
    highwayWays++;
    tags.clear();
    for (let i = 0; i < w.tagCount; i++) {
      const k = w.key(i);
      if (relevant.has(k)) tags.set(k, w.value(i));
    }
    const rule = evaluateWay(tags, profile);
    if (!rule) return;
    const r = w.refs();
    const n = w.refCount;
    if (n < 2) return;
    carWays++;
    refs.reserve(n);
    for (let i = 0; i < n; i++) refs.data[refs.length++] = ids.add(r[i]);
    wayStart.push(refs.length);
    wayFlags.push((rule.forward ? 1 : 0) | (rule.backward ? 2 : 0));
    wayFwd.push(rule.forwardKmh / 3.6);
    wayBwd.push(rule.backwardKmh / 3.6);
  });

  // Pass 2: coordinates of the needed nodes only.
  const N = ids.size;
  const lon7 = new Int32Array(N);
  const lat7 = new Int32Array(N);
  const found = new Uint8Array(N);
  await passes.nodes((nodeIds, lons, lats, count) => {
    for (let i = 0; i < count; i++) {
      const k = ids.get(nodeIds[i]);
      if (k < 0) continue;
      lon7[k] = Math.round(lons[i] * 1e7);
      lat7[k] = Math.round(lats[i] * 1e7);
      found[k] = 1;
    }
  });

  const R = refs.data;
  const WS = wayStart.data;
  const WF = wayFlags.data;
  const W = wayFlags.length;
  let missingNodeRefs = 0;
  for (let i = 0; i < refs.length; i++) if (!found[R[i]]) missingNodeRefs++;

  // Segments between consecutive present nodes, and the node → segment-end adjacency.
  const deg = new Uint32Array(N + 1);
  let S = 0;
  for (let w = 0; w < W; w++) {
    for (let i = WS[w]; i + 1 < WS[w + 1]; i++) {
      const a = R[i];
      const b = R[i + 1];
      if (a === b || !found[a] || !found[b]) continue;
      S++;
      deg[a]++;
      deg[b]++;
    }
  }
  if (S === 0) {
    const nb = (n: number, what: string) => `${n} ${what}${n === 1 ? '' : 's'}`;
    // An empty graph would make every point "unreachable" downstream: a wrong map, not an error.
    const detail =
      highwayWays === 0
        ? 'no way has a highway tag: this is not a road extract'
        : carWays === 0
          ? `none of the ${nb(highwayWays, 'highway way')} is open to cars`
          : `no two consecutive nodes of the ${nb(carWays, 'car way')} are in the file (${nb(missingNodeRefs, 'node reference')} missing: a partial extract?)`;
    throw new OsmFormatError(passes.file, `whole file (${nb(counts.nodes, 'node')}, ${nb(counts.ways, 'way')})`, `no road a car can use: ${detail}`);
  }
  const adjStart = new Uint32Array(N + 1);
  for (let v = 0; v < N; v++) adjStart[v + 1] = adjStart[v] + deg[v];
  const fill = adjStart.slice(0, N);
  const adj = new Uint32Array(2 * S);
  const segA = new Uint32Array(S);
  const segB = new Uint32Array(S);
  const segWay = new Uint32Array(S);
  let arcsBeforeContraction = 0;
  let s = 0;
  for (let w = 0; w < W; w++) {
    const dirs = (WF[w] & 1) + ((WF[w] >> 1) & 1);
    for (let i = WS[w]; i + 1 < WS[w + 1]; i++) {
      const a = R[i];
      const b = R[i + 1];
      if (a === b || !found[a] || !found[b]) continue;
      segA[s] = a;
      segB[s] = b;
      segWay[s] = w;
      adj[fill[a]++] = 2 * s;
      adj[fill[b]++] = 2 * s + 1;
      arcsBeforeContraction += dirs;
      s++;
    }
  }
  let nodesBeforeContraction = 0;
  for (let v = 0; v < N; v++) if (deg[v] > 0) nodesBeforeContraction++;

  // Which nodes stay: degree ≠ 2, or a change of one-way status through the node.
  // For a segment end at node x: "in" = a car may drive into x along it, "out" = out of x.
  const inOut = (entry: number): number => {
    const f = WF[segWay[entry >> 1]];
    const fwd = f & 1;
    const bwd = (f >> 1) & 1;
    return (entry & 1) === 1 ? fwd | (bwd << 1) : bwd | (fwd << 1);
  };
  const kept = new Uint8Array(N);
  for (let v = 0; v < N; v++) {
    if (deg[v] === 0) continue;
    if (deg[v] !== 2) {
      kept[v] = 1;
      continue;
    }
    const io1 = inOut(adj[adjStart[v]]);
    const io2 = inOut(adj[adjStart[v] + 1]);
    // Passing through: in along the first = out along the second, and the other way round.
    const in1 = io1 & 1;
    const out1 = io1 >> 1;
    const in2 = io2 & 1;
    const out2 = io2 >> 1;
    if (in1 !== out2 || out1 !== in2) kept[v] = 1;
  }

  // Walk the chains. Per chain point: the OSM node, and cumulative metres and seconds
  // along / against the chain (to cut an edge in two later without losing speeds).
  // Every segment is walked once, so there are at most S edges and S + S points.
  const pNode = new Uint32Array(2 * S);
  const pLen = new Float64Array(2 * S);
  const pTF = new Float64Array(2 * S);
  const pTB = new Float64Array(2 * S);
  const ES = new Uint32Array(S);
  const EE = new Uint32Array(S);
  const EF = new Uint8Array(S);
  const WV = wayFwd.data;
  const WB = wayBwd.data;
  let points = 0;
  let edgeCount0 = 0;
  const visited = new Uint8Array(S);
  const walk = (u: number, entry: number): void => {
    const start = points;
    pNode[points] = u;
    pLen[points] = 0;
    pTF[points] = 0;
    pTB[points] = 0;
    points++;
    const f0 = WF[segWay[entry >> 1]];
    EF[edgeCount0] = (entry & 1) === 0 ? f0 : ((f0 & 1) << 1) | ((f0 >> 1) & 1);
    let cur = u;
    let len = 0;
    let tf = 0;
    let tb = 0;
    for (;;) {
      const sg = entry >> 1;
      visited[sg] = 1;
      const along = (entry & 1) === 0;
      const next = along ? segB[sg] : segA[sg];
      const w = segWay[sg];
      const d = haversineM(lon7[cur] / D7, lat7[cur] / D7, lon7[next] / D7, lat7[next] / D7);
      len += d;
      tf += d / (along ? WV[w] : WB[w]);
      tb += d / (along ? WB[w] : WV[w]);
      pNode[points] = next;
      pLen[points] = len;
      pTF[points] = tf;
      pTB[points] = tb;
      points++;
      cur = next;
      if (kept[cur]) break;
      const a0 = adj[adjStart[cur]];
      entry = a0 >> 1 === sg ? adj[adjStart[cur] + 1] : a0;
    }
    ES[edgeCount0] = start;
    EE[edgeCount0] = points - 1;
    edgeCount0++;
  };
  for (let v = 0; v < N; v++) {
    if (!kept[v]) continue;
    for (let k = adjStart[v]; k < adjStart[v + 1]; k++) if (!visited[adj[k] >> 1]) walk(v, adj[k]);
  }
  // Rings with no kept node (an isolated roundabout): keep one of their nodes.
  for (let sg = 0; sg < S; sg++) {
    if (visited[sg]) continue;
    const v = segA[sg];
    kept[v] = 1;
    let k = adjStart[v];
    while (adj[k] >> 1 !== sg) k++;
    walk(v, adj[k]);
  }

  // Make arcs unique per (tail, head): split edges with interior points, merge true duplicates.
  const PN = pNode;
  const split = new Uint8Array(edgeCount0); // 1: split once in the middle, 3: split in three (loop)
  let droppedLoops = 0;
  let droppedDuplicateArcs = 0;
  for (let e = 0; e < edgeCount0; e++) {
    if (PN[ES[e]] !== PN[EE[e]]) continue;
    if (EE[e] - ES[e] - 1 >= 2) split[e] = 3;
    else {
      EF[e] = 0;
      droppedLoops++;
    }
  }
  const interior = (e: number) => EE[e] - ES[e] - 1;
  // Arcs of the edges not (yet) split, grouped by tail (CSR over OSM node indices), each
  // row sorted by (head, cost): equal (tail, head) pairs end up adjacent.
  const rowStart = new Uint32Array(N + 1);
  const arcEdgeTmp = new Uint32Array(2 * edgeCount0);
  const arcDir = new Uint8Array(2 * edgeCount0);
  const arcHead = new Uint32Array(2 * edgeCount0);
  const arcCost = new Float64Array(2 * edgeCount0);
  const groupArcs = (): void => {
    rowStart.fill(0);
    for (let e = 0; e < edgeCount0; e++) {
      if (split[e] || EF[e] === 0) continue;
      if (EF[e] & 1) rowStart[PN[ES[e]] + 1]++;
      if (EF[e] & 2) rowStart[PN[EE[e]] + 1]++;
    }
    for (let v = 0; v < N; v++) rowStart[v + 1] += rowStart[v];
    const next = rowStart.slice(0, N);
    const put = (tail: number, head: number, e: number, dir: number, cost: number) => {
      const a = rowStart[tail];
      let i = next[tail]++;
      while (i > a && (arcHead[i - 1] > head || (arcHead[i - 1] === head && arcCost[i - 1] > cost))) {
        arcHead[i] = arcHead[i - 1];
        arcCost[i] = arcCost[i - 1];
        arcEdgeTmp[i] = arcEdgeTmp[i - 1];
        arcDir[i] = arcDir[i - 1];
        i--;
      }
      arcHead[i] = head;
      arcCost[i] = cost;
      arcEdgeTmp[i] = e;
      arcDir[i] = dir;
    };
    for (let e = 0; e < edgeCount0; e++) {
      if (split[e] || EF[e] === 0) continue;
      if (EF[e] & 1) put(PN[ES[e]], PN[EE[e]], e, 1, pTF[EE[e]]);
      if (EF[e] & 2) put(PN[EE[e]], PN[ES[e]], e, 2, pTB[EE[e]]);
    }
  };
  // Phase A: in each group of arcs with the same (tail, head), one arc stays whole —
  // preferably one without interior points, which cannot be split — the others are split.
  groupArcs();
  for (let v = 0; v < N; v++) {
    for (let i = rowStart[v], end = rowStart[v + 1]; i < end; ) {
      let j = i + 1;
      while (j < end && arcHead[j] === arcHead[i]) j++;
      if (j - i > 1) {
        let keeper = -1;
        for (let k = i; k < j && keeper < 0; k++) if (interior(arcEdgeTmp[k]) === 0) keeper = k;
        if (keeper < 0) keeper = i;
        for (let k = i; k < j; k++) if (k !== keeper && interior(arcEdgeTmp[k]) > 0) split[arcEdgeTmp[k]] = 1;
      }
      i = j;
    }
  }
  // Phase B: what still collides are single segments doubled by the data: keep the cheapest.
  groupArcs();
  for (let v = 0; v < N; v++) {
    for (let i = rowStart[v], end = rowStart[v + 1]; i < end; ) {
      let j = i + 1;
      while (j < end && arcHead[j] === arcHead[i]) j++;
      for (let k = i + 1; k < j; k++) {
        EF[arcEdgeTmp[k]] &= ~arcDir[k];
        droppedDuplicateArcs++;
      }
      i = j;
    }
  }

  // Final edges (as point ranges of the chains) after the splits.
  const fStart = new GrowU32();
  const fEnd = new GrowU32();
  const fFlags = new GrowU8();
  let splitEdges = 0;
  for (let e = 0; e < edgeCount0; e++) {
    if (EF[e] === 0) continue;
    const a = ES[e];
    const b = EE[e];
    const cuts: number[] = [a];
    if (split[e] === 1) cuts.push(a + ((b - a) >> 1));
    else if (split[e] === 3) {
      const step = Math.max(1, Math.floor((b - a) / 3));
      cuts.push(a + step, a + 2 * step);
    }
    cuts.push(b);
    if (split[e]) splitEdges++;
    for (let k = 0; k + 1 < cuts.length; k++) {
      fStart.push(cuts[k]);
      fEnd.push(cuts[k + 1]);
      fFlags.push(EF[e]);
    }
  }

  // Graph nodes and arcs (before the component filter).
  const F = fStart.length;
  const FS = fStart.data;
  const FE = fEnd.data;
  const FF = fFlags.data;
  const gid = new Int32Array(N).fill(-1);
  let n0 = 0;
  for (let e = 0; e < F; e++) {
    const u = PN[FS[e]];
    const v = PN[FE[e]];
    if (gid[u] < 0) gid[u] = n0++;
    if (gid[v] < 0) gid[v] = n0++;
  }
  const coords0 = new Float64Array(2 * n0);
  for (let v = 0; v < N; v++) {
    if (gid[v] < 0) continue;
    coords0[2 * gid[v]] = lon7[v] / D7;
    coords0[2 * gid[v] + 1] = lat7[v] / D7;
  }
  const from = new GrowU32();
  const to = new GrowU32();
  const weight = new GrowU32();
  const len = pLen;
  const TF = pTF;
  const TB = pTB;
  for (let e = 0; e < F; e++) {
    const u = gid[PN[FS[e]]];
    const v = gid[PN[FE[e]]];
    const metres = len[FE[e]] - len[FS[e]];
    if (FF[e] & 1) {
      from.push(u);
      to.push(v);
      weight.push(deciseconds(TF[FE[e]] - TF[FS[e]], metres));
    }
    if (FF[e] & 2) {
      from.push(v);
      to.push(u);
      weight.push(deciseconds(TB[FE[e]] - TB[FS[e]], metres));
    }
  }
  const full = RoadGraph.fromEdges({ nodeCount: n0, from: from.toArray(), to: to.toArray(), weight: weight.toArray(), coords: coords0 });
  if (full.m !== from.length) throw new Error(`internal: ${from.length - full.m} parallel arcs survived the split step`);

  // Largest strongly connected component, and the arc ↔ edge mapping in its CSR order.
  const lc = largestComponent(full);
  if (lc.graph.m === 0) {
    // Car ways exist but no two points reach each other (a lone one-way road, a way that
    // only doubles back on itself): every point would snap to one node, another wrong map.
    throw new OsmFormatError(
      passes.file,
      `whole file (${counts.nodes} node${counts.nodes === 1 ? '' : 's'}, ${counts.ways} way${counts.ways === 1 ? '' : 's'})`,
      `no road a car can use: the ${carWays} car way${carWays === 1 ? '' : 's'} form no network where two points reach each other (largest strongly connected part: ${lc.graph.n} node${lc.graph.n === 1 ? '' : 's'})`,
    );
  }
  // Number nodes along a Hilbert curve: neighbours on the ground become neighbours in memory,
  // which makes every search on a large graph faster (1.4× on a 4-million-node road grid).
  const spatial = renumber(lc.graph, hilbertOrder(lc.graph.coords!));
  const graph = spatial.graph;
  const newId = new Int32Array(full.n);
  for (let x = 0; x < full.n; x++) newId[x] = lc.oldToNew[x] < 0 ? -1 : spatial.oldToNew[lc.oldToNew[x]];
  const keepEdge = new Int32Array(F).fill(-1);
  let E = 0;
  let finalPoints = 0;
  for (let e = 0; e < F; e++) {
    if (newId[gid[PN[FS[e]]]] < 0 || newId[gid[PN[FE[e]]]] < 0) continue;
    keepEdge[e] = E++;
    finalPoints += FE[e] - FS[e] + 1;
  }
  const edgeOffsets = new Uint32Array(E + 1);
  const edgeCoords = new Int32Array(2 * finalPoints);
  const edgeLength = new Float64Array(E);
  const edgeForwardArc = new Int32Array(E).fill(-1);
  const edgeBackwardArc = new Int32Array(E).fill(-1);
  const arcEdge = new Uint32Array(graph.m);
  const arcReversed = new Uint8Array(graph.m);
  const arcLength = new Float32Array(graph.m);
  let p = 0;
  for (let e = 0; e < F; e++) {
    const k = keepEdge[e];
    if (k < 0) continue;
    edgeOffsets[k] = p;
    for (let q = FS[e]; q <= FE[e]; q++, p++) {
      edgeCoords[2 * p] = lon7[PN[q]];
      edgeCoords[2 * p + 1] = lat7[PN[q]];
    }
    const metres = len[FE[e]] - len[FS[e]];
    edgeLength[k] = metres;
    const u = newId[gid[PN[FS[e]]]];
    const v = newId[gid[PN[FE[e]]]];
    if (FF[e] & 1) {
      const a = graph.arcIndex(u, v);
      edgeForwardArc[k] = a;
      arcEdge[a] = k;
      arcLength[a] = metres;
    }
    if (FF[e] & 2) {
      const a = graph.arcIndex(v, u);
      edgeBackwardArc[k] = a;
      arcEdge[a] = k;
      arcReversed[a] = 1;
      arcLength[a] = metres;
    }
  }
  edgeOffsets[E] = p;

  const stats: CarGraphStats = {
    osmNodes: counts.nodes,
    ways: counts.ways,
    relations: counts.relations,
    highwayWays,
    carWays,
    nodesBeforeContraction,
    arcsBeforeContraction,
    contractedNodes: full.n,
    contractedArcs: full.m,
    nodes: graph.n,
    arcs: graph.m,
    removedNodes: lc.removedNodes,
    removedComponents: lc.otherSizes.length,
    missingNodeRefs,
    splitEdges,
    droppedDuplicateArcs,
    droppedLoops,
  };
  return new CarGraph(graph, arcLength, arcEdge, arcReversed, edgeForwardArc, edgeBackwardArc, edgeOffsets, edgeCoords, edgeLength, stats, passes.file, profile);
}
