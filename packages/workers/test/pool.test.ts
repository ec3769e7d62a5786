import { afterAll, describe, expect, it } from 'vitest';
import {
  CancelledError,
  createPool,
  PoolClosedError,
  WorkerCrashedError,
  WorkerTaskError,
  type WorkerPool,
} from '../src/index.ts';

const WORKER = new URL('./fixtures/echo-worker.ts', import.meta.url);
const pools: WorkerPool[] = [];
async function pool(size: number, init: unknown = { offset: 1000 }) {
  const p = await createPool({ size, workerUrl: WORKER, init });
  pools.push(p);
  return p;
}
afterAll(async () => {
  await Promise.all(pools.map((p) => p.close()));
});

const items = Uint32Array.from({ length: 1000 }, (_, i) => i);

describe('WorkerPool (Node worker_threads, TypeScript worker through tsx)', () => {
  it('results in item order for 1, 2 and 4 workers; init reaches every worker; progress counts to the total', async () => {
    const expected = Array.from(items, (x) => x + 1000);
    for (const size of [1, 2, 4]) {
      const p = await pool(size);
      const seen: number[] = [];
      const out = await p.map<number>(items, 37, 'addOffset', [], { onProgress: ({ done, total }) => {
        expect(total).toBe(1000);
        seen.push(done);
      } });
      expect(out).toEqual(expected);
      expect(seen.length).toBe(Math.ceil(1000 / 37));
      expect(seen[seen.length - 1]).toBe(1000);
      for (let i = 1; i < seen.length; i++) expect(seen[i]).toBeGreaterThan(seen[i - 1]);
    }
  });

  it('a SharedArrayBuffer in init is shared by all workers, not copied', async () => {
    const counter = new SharedArrayBuffer(4);
    const p = await pool(2, { offset: 0, counter });
    await p.map(items, 10, 'addOffset');
    expect(new Int32Array(counter)[0]).toBe(items.length);
  });

  it('cancellation: rejects with CancelledError, terminates busy workers, pool usable again', async () => {
    const counter = new SharedArrayBuffer(4);
    const finished = new Int32Array(counter);
    const p = await pool(2, { offset: 1000, counter });
    const ac = new AbortController();
    let progress = 0;
    // 8 chunks of 1.5 s each; cancel while the first two are in flight.
    const run = p.map(items.subarray(0, 16), 2, 'busy', [1500], { signal: ac.signal, onProgress: () => progress++ });
    setTimeout(() => ac.abort(), 300);
    await expect(run).rejects.toBeInstanceOf(CancelledError);
    expect(progress).toBe(0);
    // Had the in-flight chunks kept running they would have counted themselves by now.
    await new Promise((r) => setTimeout(r, 2000));
    expect(Atomics.load(finished, 0)).toBe(0);
    // The next call respawns the workers (init again) and works.
    expect(await p.map(items.subarray(0, 5), 2, 'addOffset')).toEqual([1000, 1001, 1002, 1003, 1004]);
    // Already aborted: rejects at once.
    await expect(p.map(items, 10, 'addOffset', [], { signal: AbortSignal.abort() })).rejects.toBeInstanceOf(CancelledError);
  });

  it('a method that throws rejects with WorkerTaskError naming the chunk; a worker that exits with WorkerCrashedError', async () => {
    const p = await pool(2);
    const err = await p.map(items.subarray(0, 30), 10, 'fail').catch((e) => e);
    expect(err).toBeInstanceOf(WorkerTaskError);
    expect(err.message).toMatch(/chunk 1 \(items 10–19\): fail failed: unlucky item 13/);
    await expect(p.map(items.subarray(0, 4), 2, 'die')).rejects.toBeInstanceOf(WorkerCrashedError);
    expect(await p.map(items.subarray(0, 3), 2, 'addOffset')).toEqual([1000, 1001, 1002]);
  });

  it('close: later calls reject with PoolClosedError; empty input resolves to []', async () => {
    const p = await pool(1);
    expect(await p.map(new Uint32Array(0), 10, 'addOffset')).toEqual([]);
    await p.close();
    await expect(p.map(items, 10, 'addOffset')).rejects.toBeInstanceOf(PoolClosedError);
  });

  it('a worker module that does not exist: createPool rejects with WorkerCrashedError', async () => {
    await expect(createPool({ size: 1, workerUrl: new URL('./fixtures/missing.ts', import.meta.url), init: {} })).rejects.toBeInstanceOf(WorkerCrashedError);
  });
});
