import { BoundedSearch, RoadGraph, type Direction, type QueueKind } from '@fs-access/graph';

/**
 * What a cover-set worker receives once: the graph's buffer (SharedArrayBuffer: shared;
 * ArrayBuffer: copied once per worker) and, optionally, which demand units sit at each
 * node (CSR node → units); without it, unit = node.
 */
export interface CoverSearchInit {
  graph: ArrayBuffer | SharedArrayBuffer;
  /** 'to' (default): time from the units to the candidate, the household → site direction. */
  direction?: Direction;
  /**
   * Priority queue of the searches. Default 'heap': a candidate's search is small, and the
   * bucket queue pays per search a reset as wide as the largest arc cost plus a scan of
   * every cost value up to the cut-off (on NY at the 5th-percentile cut-off, ~265 nodes per
   * search, the heap was about twice as fast). 'bucket' wins on searches that reach most
   * of the graph.
   */
  queue?: QueueKind;
  /** node → units, CSR: units of node v are unitIds[unitOffsets[v] … unitOffsets[v+1]-1]. */
  unitOffsets?: Uint32Array;
  unitIds?: Uint32Array;
  /** Number of units (default: number of nodes). */
  unitCount?: number;
}

/** Cover sets of a block of candidates, CSR, rows sorted ascending (canonical). */
export interface PackedCoverSets {
  offsets: Uint32Array;
  units: Uint32Array;
}

/**
 * One bounded search per candidate (reverse graph for 'to', cut at maxCost inclusive);
 * the units at the nodes reached form the candidate's cover set. Scratch memory is reused
 * between candidates. The same code runs in a worker and in the calling thread.
 */
export class CoverSearcher {
  readonly graph: RoadGraph;
  readonly unitCount: number;
  private readonly search: BoundedSearch;
  private readonly unitOffsets?: Uint32Array;
  private readonly unitIds?: Uint32Array;

  constructor(init: CoverSearchInit) {
    this.graph = RoadGraph.from(init.graph);
    this.search = new BoundedSearch(this.graph, { direction: init.direction ?? 'to', queue: init.queue ?? 'heap' });
    if ((init.unitOffsets === undefined) !== (init.unitIds === undefined)) throw new RangeError('give both unitOffsets and unitIds, or neither');
    if (init.unitOffsets && init.unitOffsets.length !== this.graph.n + 1) {
      throw new RangeError(`unitOffsets has ${init.unitOffsets.length} entries for ${this.graph.n} nodes (expected n + 1)`);
    }
    this.unitOffsets = init.unitOffsets;
    this.unitIds = init.unitIds;
    this.unitCount = init.unitCount ?? this.graph.n;
  }

  /**
   * Cover sets of `candidates` (node ids) at `maxCost` (the graph's cost unit, inclusive).
   * @param startCosts optional per-candidate start cost (e.g. an access leg), same unit.
   */
  run(candidates: ArrayLike<number>, maxCost: number, startCosts?: ArrayLike<number>): PackedCoverSets {
    const offsets = new Uint32Array(candidates.length + 1);
    let units = new Uint32Array(1024);
    let len = 0;
    for (let i = 0; i < candidates.length; i++) {
      const reached = this.search.run(candidates[i], maxCost, startCosts ? startCosts[i] : 0);
      const nodes = this.search.nodes();
      let need = reached;
      if (this.unitOffsets) {
        need = 0;
        for (let j = 0; j < reached; j++) need += this.unitOffsets[nodes[j] + 1] - this.unitOffsets[nodes[j]];
      }
      if (len + need > units.length) {
        let cap = units.length;
        while (cap < len + need) cap *= 2;
        const next = new Uint32Array(cap);
        next.set(units.subarray(0, len));
        units = next;
      }
      const start = len;
      if (this.unitOffsets && this.unitIds) {
        for (let j = 0; j < reached; j++) {
          const v = nodes[j];
          for (let e = this.unitOffsets[v], end = this.unitOffsets[v + 1]; e < end; e++) units[len++] = this.unitIds[e];
        }
      } else {
        units.set(nodes, len);
        len += reached;
      }
      // Search order depends on the queue; sorted rows do not.
      units.subarray(start, len).sort();
      offsets[i + 1] = len;
    }
    return { offsets, units: units.slice(0, len) };
  }
}
