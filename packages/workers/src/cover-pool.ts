import type { Direction, QueueKind, RoadGraph } from '@fs-access/graph';
import { CoverSets } from '@fs-access/siting';
import { CoverSearcher, type CoverSearchInit, type PackedCoverSets } from './cover-search.ts';
import type { CoverWorkerApi } from './cover-worker.ts';
import { createPool, type AnyWorker, type MapOptions, type WorkerPool } from './pool.ts';

const isNode = typeof process === 'object' && typeof process.versions === 'object' && !!process.versions.node;

export interface CoverPoolOptions {
  /** The road graph; build it with `{ shared: true }` so workers share it instead of copying it. */
  graph: RoadGraph;
  /** Number of workers; default the number of cores. */
  size?: number;
  /** Default 'to' (time from the units to the candidate). */
  direction?: Direction;
  /** Queue of the bounded searches (default 'heap', see CoverSearchInit). */
  queue?: QueueKind;
  /** Demand units per node (CSR); default one unit per node, unit = node id. */
  units?: { offsets: Uint32Array; ids: Uint32Array; count: number };
  /** Override how workers are made (default: the bundled cover worker). */
  workerFactory?: (index: number) => AnyWorker;
}

function initOf(o: Pick<CoverPoolOptions, 'graph' | 'direction' | 'units' | 'queue'>): CoverSearchInit {
  return {
    graph: o.graph.buffer,
    direction: o.direction,
    queue: o.queue,
    unitOffsets: o.units?.offsets,
    unitIds: o.units?.ids,
    unitCount: o.units?.count,
  };
}

function toCoverSets(unitCount: number, parts: PackedCoverSets[]): CoverSets {
  return CoverSets.concat(
    parts.map((p) => new CoverSets(unitCount, p.offsets, p.units)),
    unitCount,
  );
}

/**
 * Cover sets of candidate nodes computed by a pool of workers: the graph (and the unit
 * table) travel once per worker at start; candidates go out in chunks; chunk results are
 * merged in candidate order, so the result is the same for any pool size.
 */
export class CoverPool {
  private constructor(
    readonly pool: WorkerPool<CoverWorkerApi>,
    readonly unitCount: number,
  ) {}

  static async create(options: CoverPoolOptions): Promise<CoverPool> {
    const factory =
      options.workerFactory ??
      (isNode ? undefined : () => new Worker(new URL('./cover-worker.ts', import.meta.url), { type: 'module' }));
    const pool = await createPool<CoverWorkerApi>({
      size: options.size,
      init: initOf(options),
      workerUrl: factory ? undefined : new URL('./cover-worker.ts', import.meta.url),
      workerFactory: factory,
    });
    return new CoverPool(pool, options.units?.count ?? options.graph.n);
  }

  get size(): number {
    return this.pool.size;
  }

  /**
   * Cover sets of `candidates` (node ids) within `maxCost` (graph unit, inclusive).
   * `chunkSize` candidates per message; default: 8 chunks per worker (at most 256
   * candidates each), enough to even out the load while messages stay few.
   */
  async coverSets(candidates: ArrayLike<number>, maxCost: number, options: MapOptions & { chunkSize?: number } = {}): Promise<CoverSets> {
    const items = candidates instanceof Uint32Array ? candidates : Uint32Array.from(candidates);
    const chunkSize = options.chunkSize ?? Math.max(1, Math.min(256, Math.ceil(items.length / (8 * this.pool.size))));
    const parts = await this.pool.mapChunks<PackedCoverSets>(items, chunkSize, 'coverSets', [maxCost], options);
    return toCoverSets(this.unitCount, parts);
  }

  close(): Promise<void> {
    return this.pool.close();
  }
}

/** The same computation in the calling thread (no worker): the reference for the pool. */
export function coverSetsInProcess(options: Pick<CoverPoolOptions, 'graph' | 'direction' | 'units' | 'queue'>, candidates: ArrayLike<number>, maxCost: number): CoverSets {
  const searcher = new CoverSearcher(initOf(options));
  return toCoverSets(searcher.unitCount, [searcher.run(candidates, maxCost)]);
}
