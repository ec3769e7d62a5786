/**
 * A worker pool on comlink, the same code over Node's worker_threads and browser Web
 * Workers. Work is a list of items cut into chunks; idle workers pull the next chunk, and
 * results are stored by chunk index, so the merged output is in item order whatever the
 * finishing order (deterministic for any pool size).
 */
import * as Comlink from 'comlink';

/** The map was cancelled through its AbortSignal; the pool's workers were terminated. */
export class CancelledError extends Error {
  override name = 'CancelledError';
  constructor(message = 'cancelled') {
    super(message);
  }
}

/** A worker failed to start, crashed, or exited while a chunk was in flight. */
export class WorkerCrashedError extends Error {
  override name = 'WorkerCrashedError';
}

/** A method threw inside a worker; the message names the chunk and carries the worker's message. */
export class WorkerTaskError extends Error {
  override name = 'WorkerTaskError';
  constructor(
    message: string,
    readonly chunk: number,
    override readonly cause: unknown,
  ) {
    super(message);
  }
}

/** The pool was closed. */
export class PoolClosedError extends Error {
  override name = 'PoolClosedError';
}

/** The Node worker_threads Worker or the browser Worker: what a factory returns. */
export type AnyWorker = Worker | import('node:worker_threads').Worker;

export interface PoolOptions {
  /** Number of workers (≥ 1). Default: the number of cores. */
  size?: number;
  /**
   * The worker module. In Node a `.ts` module runs through tsx (registered inside the
   * worker by a small bootstrap: Node 20 does not apply `--import` hooks to workers); in a
   * browser it becomes a module worker. Give this or workerFactory.
   */
  workerUrl?: URL | string;
  /**
   * Makes worker `index`. For Vite builds write the worker literally so the bundler sees it:
   * `() => new Worker(new URL('./my-worker.ts', import.meta.url), { type: 'module' })`.
   */
  workerFactory?: (index: number) => AnyWorker;
  /**
   * Sent once to each worker's `init(payload)` when it starts (and again if it is
   * respawned after a cancellation). Structured clone: a SharedArrayBuffer is shared by
   * every worker without copying; an ArrayBuffer is copied once per worker.
   */
  init?: unknown;
}

export interface Progress {
  /** Items finished so far (counts up to total, one chunk at a time). */
  done: number;
  total: number;
}

export interface MapOptions {
  /** Called after each chunk, in completion order, with the items done so far. */
  onProgress?: (progress: Progress) => void;
  /** Aborting terminates the workers (in-flight chunks included) and rejects with CancelledError. */
  signal?: AbortSignal;
}

const isNode = typeof process === 'object' && typeof process.versions === 'object' && !!process.versions.node;

interface Slot {
  remote: Comlink.Remote<Record<string, (...args: unknown[]) => unknown>>;
  /** Rejects when the worker errors or exits. */
  dead: Promise<never>;
  terminate(): Promise<void>;
}

async function defaultSize(): Promise<number> {
  if (isNode) {
    const os = await import('node:os');
    return Math.max(1, os.availableParallelism?.() ?? os.cpus().length);
  }
  return Math.max(1, (globalThis as { navigator?: { hardwareConcurrency?: number } }).navigator?.hardwareConcurrency ?? 2);
}

async function spawnNode(url: URL | string, index: number): Promise<Slot> {
  const { Worker } = await import('node:worker_threads');
  // @ts-expect-error the adapter ships an .mjs without a matching .d.mts
  const nodeEndpoint = (await import('comlink/dist/esm/node-adapter.mjs')).default as (w: unknown) => Comlink.Endpoint;
  const href = typeof url === 'string' ? url : url.href;
  const isTs = /\.[cm]?tsx?$/.test(new URL(href).pathname);
  const worker = isTs
    ? new Worker(new URL('./node-bootstrap.mjs', import.meta.url), { workerData: { __fsAccessEntry: href } })
    : new Worker(new URL(href));
  return wrapNode(worker, nodeEndpoint, index);
}

function wrapNode(worker: import('node:worker_threads').Worker, nodeEndpoint: (w: unknown) => Comlink.Endpoint, index: number): Slot {
  let terminated = false;
  const dead = new Promise<never>((_, reject) => {
    worker.on('error', (err) => reject(new WorkerCrashedError(`worker ${index} failed: ${(err as Error)?.message ?? String(err)}`)));
    worker.on('exit', (code) => reject(new WorkerCrashedError(terminated ? `worker ${index} was terminated` : `worker ${index} exited with code ${code}`)));
  });
  dead.catch(() => {});
  return {
    remote: Comlink.wrap(nodeEndpoint(worker)),
    dead,
    async terminate() {
      terminated = true;
      await worker.terminate();
    },
  };
}

function wrapWeb(worker: Worker, index: number): Slot {
  let onError: ((e: ErrorEvent) => void) | undefined;
  const dead = new Promise<never>((_, reject) => {
    onError = (e: ErrorEvent) => {
      e.preventDefault?.();
      reject(new WorkerCrashedError(`worker ${index} failed: ${e.message || 'error event'}`));
    };
    worker.addEventListener('error', onError);
  });
  dead.catch(() => {});
  return {
    remote: Comlink.wrap(worker),
    dead,
    async terminate() {
      worker.terminate();
    },
  };
}

async function spawn(options: PoolOptions, index: number): Promise<Slot> {
  if (options.workerFactory) {
    const w = options.workerFactory(index);
    if (isNode && typeof (w as { on?: unknown }).on === 'function') {
      // @ts-expect-error the adapter ships an .mjs without a matching .d.mts
      const nodeEndpoint = (await import('comlink/dist/esm/node-adapter.mjs')).default as (w: unknown) => Comlink.Endpoint;
      return wrapNode(w as import('node:worker_threads').Worker, nodeEndpoint, index);
    }
    return wrapWeb(w as Worker, index);
  }
  if (!options.workerUrl) throw new TypeError('createPool needs workerUrl or workerFactory');
  if (isNode) return spawnNode(options.workerUrl, index);
  return wrapWeb(new Worker(options.workerUrl, { type: 'module' }), index);
}

function sliceItems<T>(items: ArrayLike<T>, a: number, b: number): ArrayLike<T> {
  const s = (items as unknown as { slice?: (a: number, b: number) => ArrayLike<T> }).slice;
  return typeof s === 'function' ? s.call(items, a, b) : Array.prototype.slice.call(items, a, b);
}

function transferable(chunk: unknown): unknown {
  // A typed-array slice owns its buffer: hand it over instead of copying it.
  if (ArrayBuffer.isView(chunk) && chunk.buffer instanceof ArrayBuffer && chunk.byteOffset === 0 && chunk.byteLength === chunk.buffer.byteLength) {
    return Comlink.transfer(chunk, [chunk.buffer]);
  }
  return chunk;
}

/**
 * A pool of `size` workers running one module. The module calls `exposeWorker(api)`;
 * the pool calls `api.init(init)` once per worker, then `api[method](chunk, ...extraArgs)`
 * per chunk.
 */
export class WorkerPool<API extends object = Record<string, unknown>> {
  readonly size: number;
  private slots: Slot[] | null = null;
  private starting: Promise<Slot[]> | null = null;
  private queue: Promise<unknown> = Promise.resolve();
  private closed = false;

  /** Use createPool (which picks the default size and starts the workers). */
  constructor(
    private readonly options: PoolOptions,
    size: number,
  ) {
    if (!Number.isInteger(size) || size < 1) throw new RangeError(`pool size must be a whole number ≥ 1, got ${size}`);
    this.size = size;
  }

  /** Starts (or restarts) the workers and runs their init; idempotent. */
  async start(): Promise<void> {
    await this.ensure();
  }

  private ensure(): Promise<Slot[]> {
    if (this.closed) return Promise.reject(new PoolClosedError('the pool is closed'));
    if (this.slots) return Promise.resolve(this.slots);
    if (!this.starting) {
      const started = (async () => {
        const slots: Slot[] = [];
        try {
          for (let i = 0; i < this.size; i++) slots.push(await spawn(this.options, i));
          if (this.options.init !== undefined) {
            await Promise.all(slots.map((s) => Promise.race([(s.remote as unknown as { init(p: unknown): Promise<void> }).init(this.options.init), s.dead])));
          }
        } catch (err) {
          await Promise.all(slots.map((s) => s.terminate()));
          throw err;
        }
        this.slots = slots;
        return slots;
      })();
      this.starting = started;
      started.then(
        () => (this.starting = null),
        () => (this.starting = null),
      );
    }
    return this.starting;
  }

  private async terminateAll(): Promise<void> {
    const slots = this.slots;
    this.slots = null;
    if (slots) await Promise.all(slots.map((s) => s.terminate()));
  }

  /**
   * Runs `method` on chunks of `chunkSize` items; returns one result per chunk, in chunk
   * order. Calls on one pool run one after the other.
   */
  mapChunks<R>(items: ArrayLike<unknown>, chunkSize: number, method: keyof API & string, extraArgs: readonly unknown[] = [], options: MapOptions = {}): Promise<R[]> {
    const job = this.queue.then(() => this.run<R>(items, chunkSize, method, extraArgs, options));
    this.queue = job.catch(() => {});
    return job;
  }

  /**
   * Runs `method` on chunks of items, where the method returns one result per item of its
   * chunk; returns the results in item order.
   */
  async map<R>(items: ArrayLike<unknown>, chunkSize: number, method: keyof API & string, extraArgs: readonly unknown[] = [], options: MapOptions = {}): Promise<R[]> {
    const chunks = await this.mapChunks<ArrayLike<R>>(items, chunkSize, method, extraArgs, options);
    const out: R[] = [];
    chunks.forEach((c, i) => {
      const expected = Math.min(chunkSize, items.length - i * chunkSize);
      if (!c || c.length !== expected) throw new WorkerTaskError(`chunk ${i}: ${method} returned ${c?.length} results for ${expected} items`, i, undefined);
      for (let j = 0; j < c.length; j++) out.push(c[j]);
    });
    return out;
  }

  private async run<R>(items: ArrayLike<unknown>, chunkSize: number, method: string, extraArgs: readonly unknown[], { onProgress, signal }: MapOptions): Promise<R[]> {
    if (!Number.isInteger(chunkSize) || chunkSize < 1) throw new RangeError(`chunkSize must be a whole number ≥ 1, got ${chunkSize}`);
    if (signal?.aborted) throw new CancelledError();
    const total = items.length;
    const nChunks = Math.ceil(total / chunkSize);
    if (nChunks === 0) return [];
    let onAbort: (() => void) | undefined;
    const aborted = new Promise<never>((_, reject) => {
      onAbort = () => reject(new CancelledError());
      signal?.addEventListener('abort', onAbort, { once: true });
    });
    aborted.catch(() => {});
    try {
      const slots = await Promise.race([this.ensure(), aborted]);
      const results = new Array<R>(nChunks);
      let next = 0;
      let done = 0;
      let stop = false;
      const drive = async (slot: Slot) => {
        while (!stop && next < nChunks) {
          const i = next++;
          const chunk = sliceItems(items, i * chunkSize, Math.min(total, (i + 1) * chunkSize));
          const n = chunk.length;
          let r: R;
          try {
            const call = (slot.remote as unknown as Record<string, (...a: unknown[]) => Promise<R>>)[method](transferable(chunk), ...extraArgs);
            r = await Promise.race([call, slot.dead]);
          } catch (err) {
            if (err instanceof WorkerCrashedError) throw err;
            throw new WorkerTaskError(`chunk ${i} (items ${i * chunkSize}–${i * chunkSize + n - 1}): ${method} failed: ${(err as Error)?.message ?? String(err)}`, i, err);
          }
          if (stop) return;
          results[i] = r;
          done += n;
          onProgress?.({ done, total });
        }
      };
      const all = Promise.all(slots.map(drive));
      all.catch(() => {});
      try {
        await Promise.race([all, aborted]);
      } catch (err) {
        stop = true;
        // Cancelled or failed: stop what is in flight now; the next call respawns the workers.
        await this.terminateAll();
        throw err;
      }
      return results;
    } finally {
      if (onAbort) signal?.removeEventListener('abort', onAbort);
    }
  }

  /** Terminates the workers; later calls reject with PoolClosedError. */
  async close(): Promise<void> {
    this.closed = true;
    await this.queue;
    if (this.starting) await this.starting.catch(() => {});
    await this.terminateAll();
  }
}

/** Creates a pool and starts its workers (their init done) before resolving. */
export async function createPool<API extends object = Record<string, unknown>>(options: PoolOptions): Promise<WorkerPool<API>> {
  const pool = new WorkerPool<API>(options, options.size ?? (await defaultSize()));
  await pool.start();
  return pool;
}
