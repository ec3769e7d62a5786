/**
 * The Node-only part of the reader: file streaming and native zlib. Imported lazily
 * (only when the input is a path), so browser bundles never load node:fs.
 */
import type { Inflate } from './pbf.ts';

/** Streams a file in 1 MiB chunks. */
export async function* readFileChunks(path: string): AsyncGenerator<Uint8Array> {
  const fs = await import('node:fs');
  const stream = fs.createReadStream(path, { highWaterMark: 1 << 20 });
  try {
    for await (const chunk of stream) yield chunk as Uint8Array;
  } finally {
    stream.destroy();
  }
}

/** Node's native zlib (about twice as fast as the pure-JS fallback on large blobs). */
export async function nodeInflate(): Promise<Inflate> {
  const zlib = await import('node:zlib');
  return (data, rawSize) => zlib.inflateSync(data, rawSize > 0 ? { chunkSize: Math.max(rawSize, 64) } : {});
}
