/**
 * The reference worker: bounded searches on a RoadGraph for blocks of candidate nodes,
 * returning their cover sets. Loaded by `createCoverPool` (Node: through tsx; browser:
 * as a module worker that Vite bundles).
 */
import { CoverSearcher, type CoverSearchInit, type PackedCoverSets } from './cover-search.ts';
import { exposeWorker, transferResult } from './expose.ts';

let searcher: CoverSearcher | null = null;

const api = {
  init(payload: CoverSearchInit): void {
    searcher = new CoverSearcher(payload);
  },
  /** Cover sets of a block of candidate nodes at maxCost (inclusive), moved back without copy. */
  coverSets(candidates: Uint32Array, maxCost: number): PackedCoverSets {
    if (!searcher) throw new Error('cover worker used before init');
    const r = searcher.run(candidates, maxCost);
    return transferResult(r, [r.offsets.buffer, r.units.buffer]);
  },
};

export type CoverWorkerApi = typeof api;

void exposeWorker(api);
