/**
 * @fs-access/workers — a comlink worker pool that runs the same module in Node
 * (worker_threads; TypeScript modules through tsx) and in browsers (module Web Workers),
 * and the reference cover-set worker on a RoadGraph.
 *
 * Invariants: `map`/`mapChunks` return results in item/chunk order whatever the pool size
 * or finishing order; `init` reaches every worker once (again after a respawn); an aborted
 * signal terminates the workers and rejects with CancelledError (the next call respawns
 * them); progress `done` counts items and reaches `total` exactly once, at the end.
 *
 * Units: costs and maxCost are in the graph's unit (DIMACS: its own; OSM graph:
 * deciseconds); cover sets list demand units (nodes by default).
 *
 * ```ts
 * // worker.ts
 * exposeWorker({ init(p) { … }, double: (xs: Uint32Array) => Array.from(xs, (x) => 2 * x) });
 * // main
 * const pool = await createPool({ size: 2, workerUrl: new URL('./worker.ts', import.meta.url), init: payload });
 * const out = await pool.map(items, 100, 'double', [], { onProgress, signal });
 * await pool.close();
 *
 * const covers = await CoverPool.create({ graph, size: 2 });
 * const sets = await covers.coverSets(candidateNodes, 1800); // → CoverSets for @fs-access/siting
 * ```
 */
export {
  createPool,
  WorkerPool,
  CancelledError,
  WorkerCrashedError,
  WorkerTaskError,
  PoolClosedError,
  type PoolOptions,
  type MapOptions,
  type Progress,
  type AnyWorker,
} from './pool.ts';
export { exposeWorker, transferResult } from './expose.ts';
export { CoverSearcher, type CoverSearchInit, type PackedCoverSets } from './cover-search.ts';
export { CoverPool, coverSetsInProcess, type CoverPoolOptions } from './cover-pool.ts';
export type { CoverWorkerApi } from './cover-worker.ts';
