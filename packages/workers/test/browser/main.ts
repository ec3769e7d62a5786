/**
 * Runs in headless Chromium (see ../browser.test.ts): the cover pool in module Web
 * Workers bundled by Vite, against the same computation in the page.
 */
import { RoadGraph } from '@fs-access/graph';
import { maximalCovering } from '@fs-access/siting';
import { CancelledError, CoverPool, coverSetsInProcess } from '../../src/index.ts';

function rng(seed: number) {
  let a = seed >>> 0;
  return () => {
    a = (a + 0x6d2b79f5) >>> 0;
    let t = a;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

async function main() {
  // A 60 × 60 grid with random costs in both directions.
  const side = 60;
  const r = rng(11);
  const from: number[] = [];
  const to: number[] = [];
  const weight: number[] = [];
  const id = (x: number, y: number) => y * side + x;
  for (let y = 0; y < side; y++) {
    for (let x = 0; x < side; x++) {
      for (const [dx, dy] of [[1, 0], [0, 1]]) {
        if (x + dx >= side || y + dy >= side) continue;
        from.push(id(x, y), id(x + dx, y + dy));
        to.push(id(x + dx, y + dy), id(x, y));
        weight.push(1 + Math.floor(r() * 20), 1 + Math.floor(r() * 20));
      }
    }
  }
  const shared = globalThis.crossOriginIsolated === true;
  const graph = RoadGraph.fromEdges({ nodeCount: side * side, from, to, weight }, { shared });
  const candidates = Uint32Array.from({ length: 200 }, () => Math.floor(r() * graph.n));
  const T = 60;
  const reference = coverSetsInProcess({ graph }, candidates, T);
  const results: Record<string, string> = {};
  for (const size of [1, 2, 4]) {
    const pool = await CoverPool.create({ graph, size });
    let done = 0;
    const sets = await pool.coverSets(candidates, T, { chunkSize: 7, onProgress: (p) => (done = p.done) });
    results[size] = JSON.stringify({ sets, picks: maximalCovering({ cover: sets, k: 5 }), done });
    await pool.close();
  }
  // Cancellation in the browser: abort a large job after its first chunk.
  const pool = await CoverPool.create({ graph, size: 2 });
  const ac = new AbortController();
  let cancelled = 'no';
  try {
    await pool.coverSets(Uint32Array.from({ length: 20000 }, (_, i) => i % graph.n), 100000, { chunkSize: 10, signal: ac.signal, onProgress: () => ac.abort() });
  } catch (err) {
    cancelled = err instanceof CancelledError ? 'CancelledError' : String(err);
  }
  const after = JSON.stringify(await pool.coverSets(candidates.subarray(0, 5), T));
  await pool.close();
  return {
    shared,
    bufferKind: graph.buffer.constructor.name,
    expected: JSON.stringify({ sets: reference, picks: maximalCovering({ cover: reference, k: 5 }), done: candidates.length }),
    results,
    cancelled,
    afterCancelOk: after === JSON.stringify(coverSetsInProcess({ graph }, candidates.subarray(0, 5), T)),
    entries: reference.units.length,
  };
}

main().then(
  (result) => {
    (globalThis as { __result?: unknown }).__result = result;
    document.getElementById('out')!.textContent = 'done';
  },
  (err) => {
    (globalThis as { __result?: unknown }).__result = { error: String(err?.stack ?? err) };
  },
);
