/**
 * Node-only helpers to read and write DIMACS files (plain or gzip, detected by the
 * magic bytes, not the name). Node modules are imported lazily so the rest of the
 * package stays usable in a browser bundle.
 */
import { DimacsError, formatDimacsCoords, formatDimacsGraph, parseDimacsCoords, parseDimacsGraph } from './dimacs.ts';
import { RoadGraph, type BuildOptions } from './road-graph.ts';

/** Streams a file's bytes, gunzipping when it starts with the gzip magic number. */
export async function* readFileBytes(path: string): AsyncGenerator<Uint8Array> {
  const fs = await import('node:fs');
  const zlib = await import('node:zlib');
  const handle = await fs.promises.open(path, 'r');
  const magic = new Uint8Array(2);
  try {
    await handle.read(magic, 0, 2, 0);
  } finally {
    await handle.close();
  }
  const raw = fs.createReadStream(path, { highWaterMark: 1 << 20 });
  if (magic[0] === 0x1f && magic[1] === 0x8b) {
    const gunzip = zlib.createGunzip({ chunkSize: 1 << 20 });
    raw.on('error', (e) => gunzip.destroy(e));
    yield* raw.pipe(gunzip) as AsyncIterable<Uint8Array>;
  } else {
    yield* raw as AsyncIterable<Uint8Array>;
  }
}

/**
 * Loads a DIMACS road graph from `.gr[.gz]` and optionally its `.co[.gz]` coordinates.
 * Parallel arcs keep the cheapest. Node i of the graph is DIMACS id i + 1.
 */
export async function readDimacsFile(grPath: string, coPath?: string, options: BuildOptions = {}): Promise<RoadGraph> {
  const edges = await parseDimacsGraph(readFileBytes(grPath), grPath);
  let coords: Float64Array | undefined;
  if (coPath) {
    coords = await parseDimacsCoords(readFileBytes(coPath), coPath);
    if (coords.length !== 2 * edges.nodeCount) {
      throw new DimacsError(coPath, 1, `has ${coords.length / 2} nodes, the graph ${edges.nodeCount}`);
    }
  }
  try {
    return RoadGraph.fromEdges({ ...edges, coords }, options);
  } catch (err) {
    // A problem line declaring far more nodes than memory holds fails here, as a RangeError.
    if (err instanceof RangeError) {
      throw new DimacsError(grPath, edges.problemLine ?? 0, `cannot build a graph of ${edges.nodeCount} nodes and ${edges.from.length} arcs (${err.message})`);
    }
    throw err;
  }
}

/**
 * Writes text chunks to `path` through a temporary file renamed at the end, so a failure
 * never leaves a partial file. Gzips when the name ends in `.gz`.
 */
export async function writeTextAtomic(path: string, chunks: Iterable<string> | AsyncIterable<string>): Promise<void> {
  const fs = await import('node:fs');
  const zlib = await import('node:zlib');
  const { pipeline } = await import('node:stream/promises');
  const { Readable } = await import('node:stream');
  const tmp = `${path}.tmp-${process.pid}-${Date.now()}`;
  try {
    const source = Readable.from(chunks as AsyncIterable<string>);
    if (path.endsWith('.gz')) await pipeline(source, zlib.createGzip(), fs.createWriteStream(tmp));
    else await pipeline(source, fs.createWriteStream(tmp));
    await fs.promises.rename(tmp, path);
  } catch (err) {
    await fs.promises.rm(tmp, { force: true });
    throw err;
  }
}

/** Writes a graph as DIMACS `.gr` (and `.co` when it has coordinates and coPath is given). */
export async function writeDimacsFile(graph: RoadGraph, grPath: string, coPath?: string): Promise<void> {
  await writeTextAtomic(grPath, formatDimacsGraph(graph.toEdges()));
  if (coPath) {
    if (!graph.coords) throw new RangeError('graph has no coordinates to write');
    await writeTextAtomic(coPath, formatDimacsCoords(graph.coords));
  }
}
