/**
 * The worker side: `exposeWorker(api)` serves `api` to the pool over comlink, in a Node
 * worker_threads worker or a browser Web Worker.
 */
import * as Comlink from 'comlink';

const isNode = typeof process === 'object' && typeof process.versions === 'object' && !!process.versions.node;

/**
 * Exposes `api` (an object of functions; `init(payload)` is called once by the pool when
 * it was given `init`). In a browser this registers synchronously, so no message sent
 * before the module finished loading is lost; Node's parentPort buffers messages until a
 * listener is attached, so the adapter can be loaded lazily there.
 */
export function exposeWorker(api: object): Promise<void> {
  if (!isNode) {
    Comlink.expose(api);
    return Promise.resolve();
  }
  return (async () => {
    const { parentPort } = await import('node:worker_threads');
    if (!parentPort) throw new Error('exposeWorker: not running in a worker thread');
    // @ts-expect-error the adapter ships an .mjs without a matching .d.mts
    const nodeEndpoint = (await import('comlink/dist/esm/node-adapter.mjs')).default as (p: unknown) => Comlink.Endpoint;
    Comlink.expose(api, nodeEndpoint(parentPort));
  })();
}

/** Marks typed arrays in a result to be moved, not copied, back to the pool. */
export function transferResult<T>(value: T, buffers: ArrayBufferLike[]): T {
  return Comlink.transfer(value, buffers.filter((b): b is ArrayBuffer => b instanceof ArrayBuffer) as Transferable[]);
}
