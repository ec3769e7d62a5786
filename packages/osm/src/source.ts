/**
 * Inputs of the reader and the two passes of the graph build over them.
 *
 * Pass 1 reads ways (nodes are only counted, without decoding), pass 2 reads node
 * coordinates, and only from the blocks that pass 1 saw holding nodes. A re-readable
 * input (a path, bytes, or a function returning a fresh stream, e.g. `() => file.stream()`
 * in a browser) is simply read twice. A one-shot stream cannot be: its node blocks are
 * kept, still compressed, between the passes (memory ≈ the compressed node data).
 */
import { OsmFormatError } from './errors.ts';
import { BlockDecoder, blobData, checkHeader, fflateInflate, fileBlocks, type BlockCounts, type BlockVisitor, type FileBlock, type Inflate, type WayView } from './pbf.ts';
import { XmlWayView, parseOsmXml, type XmlData } from './xml.ts';

/**
 * An OSM PBF (or small OSM XML) file: a path (Node only), its bytes, a stream of chunks,
 * or a function returning a fresh stream each time it is called (read twice, no buffering).
 */
export type OsmInput =
  | string
  | Uint8Array
  | ArrayBuffer
  | AsyncIterable<Uint8Array>
  | Iterable<Uint8Array>
  | (() => AsyncIterable<Uint8Array> | Iterable<Uint8Array>);

export interface ReadOptions {
  /** Name used in error messages (default: the path, or "input"). */
  name?: string;
  /** zlib decompressor; default node:zlib for a path, fflate otherwise. */
  inflate?: Inflate;
}

type Source = () => AsyncIterable<Uint8Array> | Iterable<Uint8Array>;

interface Resolved {
  file: string;
  /** A fresh stream per call, or null for a one-shot stream (first in `once`). */
  open: Source | null;
  once: AsyncIterable<Uint8Array> | Iterable<Uint8Array> | null;
  inflate: Inflate;
}

async function resolve(input: OsmInput, options: ReadOptions): Promise<Resolved> {
  if (typeof input === 'string') {
    const io = await import('./node-io.ts');
    return { file: options.name ?? input, open: () => io.readFileChunks(input), once: null, inflate: options.inflate ?? (await io.nodeInflate()) };
  }
  const file = options.name ?? 'input';
  const inflate = options.inflate ?? fflateInflate;
  if (input instanceof Uint8Array) return { file, open: () => [input], once: null, inflate };
  if (input instanceof ArrayBuffer) {
    const bytes = new Uint8Array(input);
    return { file, open: () => [bytes], once: null, inflate };
  }
  if (typeof input === 'function') return { file, open: input, once: null, inflate };
  return { file, open: null, once: input, inflate };
}

type Format = 'pbf' | 'xml';

/** Reads the first bytes, decides the format, and returns a stream that still yields them. */
async function sniff(stream: AsyncIterable<Uint8Array> | Iterable<Uint8Array>, file: string): Promise<{ format: Format; stream: AsyncIterable<Uint8Array> }> {
  const a = stream as AsyncIterable<Uint8Array>;
  const it: AsyncIterator<Uint8Array> | Iterator<Uint8Array> =
    typeof a[Symbol.asyncIterator] === 'function' ? a[Symbol.asyncIterator]() : (stream as Iterable<Uint8Array>)[Symbol.iterator]();
  let first: Uint8Array | null = null;
  for (;;) {
    const r = await it.next();
    if (r.done) break;
    if (r.value.length > 0) {
      first = r.value;
      break;
    }
  }
  if (!first) throw OsmFormatError.atBlob(file, 0, 0, 'empty file');
  let format: Format = 'pbf';
  let i = 0;
  if (first[0] === 0xef && first[1] === 0xbb && first[2] === 0xbf) i = 3; // UTF-8 byte order mark
  while (i < first.length && (first[i] === 0x20 || first[i] === 0x0a || first[i] === 0x0d || first[i] === 0x09)) i++;
  if (first[i] === 0x3c /* < */) format = 'xml';
  else if (first[0] === 0x1f && first[1] === 0x8b) {
    throw OsmFormatError.atBlob(file, 0, 0, 'gzip-compressed data: decompress it first (this reader takes .osm.pbf, or plain .osm XML)');
  } else if (first[0] === 0x42 && first[1] === 0x5a && first[2] === 0x68) {
    throw OsmFormatError.atBlob(file, 0, 0, 'bzip2-compressed data: decompress it first (this reader takes .osm.pbf, or plain .osm XML)');
  }
  const head = first;
  async function* rest(): AsyncGenerator<Uint8Array> {
    let done = false;
    try {
      yield head;
      for (;;) {
        const r = await it.next();
        if (r.done) {
          done = true;
          return;
        }
        yield r.value;
      }
    } finally {
      if (!done && it.return) await it.return();
    }
  }
  return { format, stream: rest() };
}

/**
 * OSM XML is parsed whole (it is meant for small hand-made or exported files): past this
 * size, refuse with a typed error rather than run out of memory or exceed V8's longest
 * string (~512 MiB) in a RangeError.
 */
const MAX_XML_BYTES = 256 * 1024 * 1024;

async function readAll(stream: AsyncIterable<Uint8Array>, file: string): Promise<Uint8Array> {
  const parts: Uint8Array[] = [];
  let n = 0;
  for await (const c of stream) {
    parts.push(c);
    n += c.length;
    if (n > MAX_XML_BYTES) {
      throw new OsmFormatError(file, `byte ${MAX_XML_BYTES}`, `OSM XML larger than ${MAX_XML_BYTES / 2 ** 20} MiB: this reader loads XML whole; convert it to PBF first (osmium cat FILE -o FILE.osm.pbf)`);
    }
  }
  const out = new Uint8Array(n);
  let o = 0;
  for (const c of parts) {
    out.set(c, o);
    o += c.length;
  }
  return out;
}

function decodeBlock(decoder: BlockDecoder, block: FileBlock, file: string, inflate: Inflate, visitor: BlockVisitor): BlockCounts {
  const data = blobData(block, file, inflate);
  try {
    return decoder.decode(data, visitor);
  } catch (err) {
    if (err instanceof OsmFormatError) throw err;
    throw OsmFormatError.atBlob(file, block.index, block.offset, `corrupt OSMData block (${(err as Error).message})`);
  }
}

/** Totals of one pass over a file. */
export interface OsmCounts {
  nodes: number;
  ways: number;
  relations: number;
  /** File blocks read (the OSMHeader included). */
  blocks: number;
}

/** The two passes of the graph build over one input. */
export class OsmPasses {
  readonly file: string;
  private format: Format | null = null;
  private xml: XmlData | null = null;
  /** PBF blocks holding nodes (by index), found by pass 1. */
  private nodeBlocks = new Set<number>();
  /** One-shot input: node blocks kept between the passes. */
  private kept: FileBlock[] | null = null;
  private readonly decoder = new BlockDecoder();

  private constructor(private readonly r: Resolved) {
    this.file = r.file;
  }

  static async open(input: OsmInput, options: ReadOptions = {}): Promise<OsmPasses> {
    return new OsmPasses(await resolve(input, options));
  }

  private async stream(): Promise<AsyncIterable<Uint8Array>> {
    let s: AsyncIterable<Uint8Array> | Iterable<Uint8Array>;
    if (this.r.open) s = this.r.open();
    else if (this.r.once) {
      s = this.r.once;
      this.r.once = null;
    } else throw new Error('a one-shot input stream cannot be read twice');
    const sn = await sniff(s, this.file);
    this.format = sn.format;
    return sn.stream;
  }

  /** Pass 1: every way (node blocks are skipped after counting their nodes). */
  async ways(visit: (way: WayView) => void): Promise<OsmCounts> {
    const stream = await this.stream();
    if (this.format === 'xml') {
      this.xml = parseOsmXml(new TextDecoder().decode(await readAll(stream, this.file)), this.file);
      const view = new XmlWayView();
      for (const w of this.xml.ways) visit(view.set(w));
      return { nodes: this.xml.nodeIds.length, ways: this.xml.ways.length, relations: this.xml.relations, blocks: 1 };
    }
    const oneShot = !this.r.open;
    if (oneShot) this.kept = [];
    const totals: OsmCounts = { nodes: 0, ways: 0, relations: 0, blocks: 0 };
    const visitor: BlockVisitor = { way: visit };
    for await (const block of fileBlocks(stream, this.file)) {
      totals.blocks++;
      if (block.index === 0) {
        checkHeader(blobData(block, this.file, this.r.inflate), block, this.file);
        continue;
      }
      if (block.type !== 'OSMData') continue; // unknown block types are skipped, as the spec says
      const c = decodeBlock(this.decoder, block, this.file, this.r.inflate, visitor);
      totals.nodes += c.nodes;
      totals.ways += c.ways;
      totals.relations += c.relations;
      if (c.nodes > 0) {
        this.nodeBlocks.add(block.index);
        if (this.kept) this.kept.push(block);
      }
    }
    return totals;
  }

  /** Pass 2: node coordinates (degrees), from the blocks that hold nodes. */
  async nodes(visit: (ids: Float64Array, lons: Float64Array, lats: Float64Array, count: number) => void): Promise<void> {
    if (this.format === 'xml') {
      const x = this.xml!;
      visit(x.nodeIds, x.lons, x.lats, x.nodeIds.length);
      return;
    }
    const visitor: BlockVisitor = { nodes: visit };
    if (this.kept) {
      for (const block of this.kept) decodeBlock(this.decoder, block, this.file, this.r.inflate, visitor);
      this.kept = null;
      return;
    }
    const stream = await this.stream();
    let last = -1;
    for (const i of this.nodeBlocks) last = Math.max(last, i);
    for await (const block of fileBlocks(stream, this.file)) {
      if (this.nodeBlocks.has(block.index)) decodeBlock(this.decoder, block, this.file, this.r.inflate, visitor);
      if (block.index >= last) break; // the rest of the file holds no nodes
    }
  }
}

/**
 * One pass over a whole file, calling the visitor for nodes and/or ways (decoding only
 * what the visitor asks for). Returns the counts of nodes, ways and relations.
 */
export async function readOsm(input: OsmInput, visitor: BlockVisitor, options: ReadOptions = {}): Promise<OsmCounts> {
  if (!visitor.nodes) return (await OsmPasses.open(input, options)).ways(visitor.way ?? (() => {}));
  const r = await resolve(input, options);
  // Nodes wanted: one streaming pass decoding everything asked for.
  const sn = await sniff(r.open ? r.open() : r.once!, r.file);
  if (sn.format === 'xml') {
    const x = parseOsmXml(new TextDecoder().decode(await readAll(sn.stream, r.file)), r.file);
    visitor.nodes(x.nodeIds, x.lons, x.lats, x.nodeIds.length);
    if (visitor.way) {
      const view = new XmlWayView();
      for (const w of x.ways) visitor.way(view.set(w));
    }
    return { nodes: x.nodeIds.length, ways: x.ways.length, relations: x.relations, blocks: 1 };
  }
  const decoder = new BlockDecoder();
  const totals: OsmCounts = { nodes: 0, ways: 0, relations: 0, blocks: 0 };
  for await (const block of fileBlocks(sn.stream, r.file)) {
    totals.blocks++;
    if (block.index === 0) {
      checkHeader(blobData(block, r.file, r.inflate), block, r.file);
      continue;
    }
    if (block.type !== 'OSMData') continue;
    const c = decodeBlock(decoder, block, r.file, r.inflate, visitor);
    totals.nodes += c.nodes;
    totals.ways += c.ways;
    totals.relations += c.relations;
  }
  return totals;
}

/** Counts of a file as `osmium fileinfo -e` reports them, plus ways with a highway=* tag. */
export async function countOsm(input: OsmInput, options: ReadOptions = {}): Promise<OsmCounts & { highwayWays: number }> {
  let highwayWays = 0;
  const c = await readOsm(input, { way: (w) => void (w.get('highway') !== undefined && highwayWays++) }, options);
  return { ...c, highwayWays };
}
