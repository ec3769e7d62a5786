/**
 * Streaming OSM PBF decoding (fileformat.proto + osmformat.proto), browser-safe: bytes in
 * (any chunking), file blocks out, then one PrimitiveBlock at a time. Nothing here touches
 * a Node API; decompression is a parameter (fflate by default, node:zlib from node-io.ts).
 *
 * Memory: one file block (≤ 32 MiB by the spec, ~100 kB in practice) plus reused scratch
 * arrays; nothing accumulates across blocks.
 */
import { PbfReader } from 'pbf';
import { unzlibSync } from 'fflate';
import { OsmFormatError } from './errors.ts';

/** zlib decompression of a blob: `rawSize` is the declared uncompressed size (0 if absent). */
export type Inflate = (data: Uint8Array, rawSize: number) => Uint8Array;

/** Pure-JS zlib (fflate): works in every JavaScript runtime. */
export const fflateInflate: Inflate = (data, rawSize) => (rawSize > 0 ? unzlibSync(data, { out: new Uint8Array(rawSize) }) : unzlibSync(data));

/** Spec limits (fileformat.proto / OSM wiki "PBF Format"). */
const MAX_HEADER = 64 * 1024;
const MAX_BLOB = 32 * 1024 * 1024;
/** Features of the HeaderBlock this reader understands; any other required one is refused. */
const SUPPORTED_FEATURES = new Set(['OsmSchema-V0.6', 'DenseNodes']);

/** One file block: its header type and its still-encoded Blob message. */
export interface FileBlock {
  /** 0-based position in the file (block 0 is the OSMHeader). */
  index: number;
  /** Byte offset of the block's 4-byte length prefix. */
  offset: number;
  type: string;
  blob: Uint8Array;
}

type Chunks = AsyncIterator<Uint8Array> | Iterator<Uint8Array>;

/** Accumulates chunks and hands out contiguous slices (zero-copy when inside one chunk). */
class ByteQueue {
  private chunks: Uint8Array[] = [];
  private head = 0;
  buffered = 0;
  /** Bytes handed out so far = file offset of the next byte. */
  offset = 0;
  private ended = false;

  constructor(private readonly it: Chunks) {}

  /** Lets the input release its resources (an open file) when reading stops early. */
  async close(): Promise<void> {
    if (!this.ended && this.it.return) await this.it.return();
  }

  /** Ensures n bytes are buffered; false if the input ends first. */
  async fill(n: number): Promise<boolean> {
    while (this.buffered < n && !this.ended) {
      const r = await this.it.next();
      if (r.done) {
        this.ended = true;
        break;
      }
      const c = r.value instanceof Uint8Array ? r.value : new Uint8Array(r.value as ArrayBufferLike);
      if (c.length === 0) continue;
      this.chunks.push(c);
      this.buffered += c.length;
    }
    return this.buffered >= n;
  }

  take(n: number): Uint8Array {
    const first = this.chunks[0];
    let out: Uint8Array;
    if (first.length - this.head >= n) {
      out = first.subarray(this.head, this.head + n);
      this.head += n;
      if (this.head === first.length) {
        this.chunks.shift();
        this.head = 0;
      }
    } else {
      out = new Uint8Array(n);
      let filled = 0;
      while (filled < n) {
        const c = this.chunks[0];
        const k = Math.min(n - filled, c.length - this.head);
        out.set(c.subarray(this.head, this.head + k), filled);
        filled += k;
        this.head += k;
        if (this.head === c.length) {
          this.chunks.shift();
          this.head = 0;
        }
      }
    }
    this.buffered -= n;
    this.offset += n;
    return out;
  }
}

function iteratorOf(source: AsyncIterable<Uint8Array> | Iterable<Uint8Array>): Chunks {
  const a = source as AsyncIterable<Uint8Array>;
  if (typeof a[Symbol.asyncIterator] === 'function') return a[Symbol.asyncIterator]();
  return (source as Iterable<Uint8Array>)[Symbol.iterator]();
}

/**
 * Splits a PBF byte stream into file blocks. Throws OsmFormatError (with the block index
 * and byte offset) on a bad length prefix, a bad BlobHeader, a truncated block, or a first
 * block that is not an OSMHeader (i.e. not a PBF file at all).
 */
export async function* fileBlocks(source: AsyncIterable<Uint8Array> | Iterable<Uint8Array>, file: string): AsyncGenerator<FileBlock> {
  const q = new ByteQueue(iteratorOf(source));
  try {
    yield* blocksOf(q, file);
  } finally {
    await q.close();
  }
}

async function* blocksOf(q: ByteQueue, file: string): AsyncGenerator<FileBlock> {
  for (let index = 0; ; index++) {
    const offset = q.offset;
    if (!(await q.fill(4))) {
      if (q.buffered === 0) {
        if (index === 0) throw OsmFormatError.atBlob(file, 0, 0, 'empty file');
        return;
      }
      throw OsmFormatError.atBlob(file, index, offset, `truncated: ${q.buffered} stray byte(s) at the end of the file`);
    }
    const p = q.take(4);
    const headerLength = ((p[0] << 24) | (p[1] << 16) | (p[2] << 8) | p[3]) >>> 0;
    if (headerLength === 0 || headerLength > MAX_HEADER) {
      throw OsmFormatError.atBlob(file, index, offset, `BlobHeader length ${headerLength} is outside 1..${MAX_HEADER}${index === 0 ? ' (not an OSM PBF file?)' : ' (corrupt file)'}`);
    }
    if (!(await q.fill(headerLength))) throw OsmFormatError.atBlob(file, index, offset, `truncated inside the BlobHeader (${q.buffered} of ${headerLength} bytes)`);
    let type = '';
    let datasize = -1;
    try {
      const pbf = new PbfReader(q.take(headerLength));
      let f: number;
      while ((f = pbf.nextField())) {
        if (f === 1) type = pbf.readString();
        else if (f === 3) datasize = pbf.readVarint(true);
      }
      if (pbf.pos !== pbf.length) throw new Error('field runs past the end');
    } catch (err) {
      throw OsmFormatError.atBlob(file, index, offset, `bad BlobHeader (${(err as Error).message})${index === 0 ? ': not an OSM PBF file?' : ''}`);
    }
    if (index === 0 && type !== 'OSMHeader') {
      throw OsmFormatError.atBlob(file, index, offset, `first block has type "${type.slice(0, 40)}", expected "OSMHeader": not an OSM PBF file`);
    }
    if (!(datasize >= 0 && datasize <= MAX_BLOB)) throw OsmFormatError.atBlob(file, index, offset, `blob size ${datasize} is outside 0..${MAX_BLOB}`);
    if (!(await q.fill(datasize))) throw OsmFormatError.atBlob(file, index, offset, `truncated: blob has ${q.buffered} of ${datasize} bytes`);
    yield { index, offset, type, blob: q.take(datasize) };
  }
}

/**
 * Packed, delta-coded sint64 values (DenseNodes ids/lat/lon, Way refs) from buf[pos..end),
 * written as offset + scale · (running sum) into out. The hot loop of the reader: inlined
 * varint and zigzag decoding in 32-bit integers up to 4 bytes, in doubles beyond (exact
 * below 2^53). Returns the number of values; throws when the field is malformed.
 */
export function readDeltaSint64(buf: Uint8Array, pos: number, end: number, out: Float64Array, scale: number, offset: number): number {
  let acc = 0;
  let n = 0;
  while (pos < end) {
    let b = buf[pos++];
    let v = b & 0x7f;
    if (b >= 0x80) {
      b = buf[pos++];
      v |= (b & 0x7f) << 7;
      if (b >= 0x80) {
        b = buf[pos++];
        v |= (b & 0x7f) << 14;
        if (b >= 0x80) {
          b = buf[pos++];
          v |= (b & 0x7f) << 21;
          if (b >= 0x80) {
            let mul = 268435456; // 2^28
            let k = 4;
            do {
              b = buf[pos++];
              v += (b & 0x7f) * mul;
              mul *= 128;
            } while (b >= 0x80 && ++k < 10);
            if (b >= 0x80) throw new Error('varint longer than 10 bytes');
          }
        }
      }
    }
    acc += v < 268435456 ? (v >>> 1) ^ -(v & 1) : v % 2 === 1 ? -(v + 1) / 2 : v / 2;
    out[n++] = offset + scale * acc;
  }
  if (pos !== end) throw new Error('packed field runs past its end');
  return n;
}

const UNSUPPORTED_COMPRESSION: Record<number, string> = { 4: 'lzma', 5: 'bzip2', 6: 'lz4', 7: 'zstd' };

/** Decompresses a block's Blob (raw or zlib); other compressions are an OsmFormatError. */
export function blobData(block: FileBlock, file: string, inflate: Inflate = fflateInflate): Uint8Array {
  const fail = (detail: string) => OsmFormatError.atBlob(file, block.index, block.offset, detail);
  let rawSize = 0;
  let raw: Uint8Array | null = null;
  let zlib: Uint8Array | null = null;
  let other = 0;
  try {
    const pbf = new PbfReader(block.blob);
    let f: number;
    while ((f = pbf.nextField())) {
      if (f === 1) raw = pbf.readBytes();
      else if (f === 2) rawSize = pbf.readVarint(true);
      else if (f === 3) zlib = pbf.readBytes();
      else if (UNSUPPORTED_COMPRESSION[f]) other = f;
    }
    if (pbf.pos !== pbf.length) throw new Error('field runs past the end');
  } catch (err) {
    throw fail(`bad Blob message (${(err as Error).message})`);
  }
  if (raw) return raw;
  if (zlib) {
    if (rawSize < 0 || rawSize > MAX_BLOB) throw fail(`declared raw_size ${rawSize} is outside 0..${MAX_BLOB}`);
    let out: Uint8Array;
    try {
      out = inflate(zlib, rawSize);
    } catch (err) {
      throw fail(`zlib data cannot be decompressed (${(err as Error).message})`);
    }
    if (rawSize > 0 && out.length !== rawSize) throw fail(`zlib data decompressed to ${out.length} bytes, raw_size says ${rawSize}`);
    return out;
  }
  if (other) throw fail(`unsupported compression ${UNSUPPORTED_COMPRESSION[other]} (this reader handles raw and zlib blobs; recompress with "osmium cat -O FILE -o out.osm.pbf")`);
  throw fail('blob holds no data');
}

/** Checks an OSMHeader block's required features. */
export function checkHeader(data: Uint8Array, block: FileBlock, file: string): void {
  const features: string[] = [];
  try {
    const pbf = new PbfReader(data);
    let f: number;
    while ((f = pbf.nextField())) if (f === 4) features.push(pbf.readString());
    if (pbf.pos !== pbf.length) throw new Error('field runs past the end');
  } catch (err) {
    throw OsmFormatError.atBlob(file, block.index, block.offset, `bad HeaderBlock (${(err as Error).message})`);
  }
  for (const feat of features) {
    if (!SUPPORTED_FEATURES.has(feat)) throw OsmFormatError.atBlob(file, block.index, block.offset, `unsupported required feature "${feat}"`);
  }
}

const utf8 = new TextDecoder();
const encoder = new TextEncoder();

/** A block's string table, decoded lazily (most strings are never looked at). */
export class StringTable {
  private readonly cache: (string | undefined)[];
  private found: Map<string, number> | null = null;
  constructor(
    private readonly data: Uint8Array,
    private readonly starts: Uint32Array,
    private readonly ends: Uint32Array,
    readonly count: number,
  ) {
    this.cache = new Array(count);
  }

  get(i: number): string {
    let s = this.cache[i];
    if (s === undefined) {
      if (!(i < this.count)) throw new RangeError(`string index ${i} beyond the table (${this.count})`);
      s = utf8.decode(this.data.subarray(this.starts[i], this.ends[i]));
      this.cache[i] = s;
    }
    return s;
  }

  /** Index of a string in the table, -1 if absent (byte comparison, cached per string). */
  find(s: string): number {
    if (!this.found) this.found = new Map();
    let i = this.found.get(s);
    if (i !== undefined) return i;
    i = -1;
    const b = encoder.encode(s);
    if (!this.lenStart) this.indexLengths();
    const { data, starts, lenStart, lenIdx } = this;
    const bucket = Math.min(b.length, MAX_BUCKET);
    for (let k = lenStart![bucket]; k < lenStart![bucket + 1] && i < 0; k++) {
      const idx = lenIdx![k];
      if (this.ends[idx] - starts[idx] !== b.length) continue;
      let j = 0;
      const st = starts[idx];
      while (j < b.length && data[st + j] === b[j]) j++;
      if (j === b.length) i = idx;
    }
    this.found.set(s, i);
    return i;
  }

  /** Groups the strings by byte length (counting sort, no decoding), so find() compares few. */
  private lenStart: Uint32Array | null = null;
  private lenIdx: Uint32Array | null = null;
  private indexLengths(): void {
    const { starts, ends, count } = this;
    const lenStart = new Uint32Array(MAX_BUCKET + 2);
    for (let k = 1; k < count; k++) lenStart[Math.min(ends[k] - starts[k], MAX_BUCKET) + 1]++;
    for (let b = 0; b <= MAX_BUCKET; b++) lenStart[b + 1] += lenStart[b];
    const fill = lenStart.slice(0, MAX_BUCKET + 1);
    const lenIdx = new Uint32Array(Math.max(0, count - 1));
    for (let k = 1; k < count; k++) lenIdx[fill[Math.min(ends[k] - starts[k], MAX_BUCKET)]++] = k;
    this.lenStart = lenStart;
    this.lenIdx = lenIdx;
  }
}

/** Strings of this many bytes or more share one bucket of the length index. */
const MAX_BUCKET = 48;

/** Tags looked up by key: a Map, a way of the reader, or `tagsOf({...})`. */
export interface TagGetter {
  get(key: string): string | undefined;
}

/** The way being visited (a reused object: copy what you keep). */
export interface WayView extends TagGetter {
  id: number;
  tagCount: number;
  key(i: number): string;
  value(i: number): string;
  /** Node ids, in a scratch array valid until the next way: read `refCount` entries. */
  refs(): Float64Array;
  refCount: number;
}

/** What to decode in a PrimitiveBlock; absent handlers are skipped without decoding. */
export interface BlockVisitor {
  /** Node coordinates in degrees, in scratch arrays valid during the call. */
  nodes?(ids: Float64Array, lons: Float64Array, lats: Float64Array, count: number): void;
  way?(way: WayView): void;
}

export interface BlockCounts {
  nodes: number;
  ways: number;
  relations: number;
}

class ScratchF64 {
  a = new Float64Array(8192);
  ensure(n: number): Float64Array {
    if (n > this.a.length) {
      let c = this.a.length;
      while (c < n) c *= 2;
      const next = new Float64Array(c);
      next.set(this.a);
      this.a = next;
    }
    return this.a;
  }
}

/**
 * Decodes PrimitiveBlocks. One instance per reader: it keeps scratch arrays between blocks.
 * Each call throws a plain Error on malformed data; the caller wraps it with the block's
 * position (see `readBlock`).
 */
export class BlockDecoder implements WayView {
  private readonly idS = new ScratchF64();
  private readonly latS = new ScratchF64();
  private readonly lonS = new ScratchF64();
  private readonly refS = new ScratchF64();
  private keysBuf = new Uint32Array(64);
  private valsBuf = new Uint32Array(64);
  private pbf!: PbfReader;
  private strings!: StringTable;
  private refsStart = -1;
  private refsEnd = -1;
  private refsRead = false;
  id = 0;
  tagCount = 0;
  refCount = 0;

  key(i: number): string {
    return this.strings.get(this.keysBuf[i]);
  }
  value(i: number): string {
    return this.strings.get(this.valsBuf[i]);
  }
  get(key: string): string | undefined {
    const k = this.strings.find(key);
    if (k < 0) return undefined;
    for (let i = 0; i < this.tagCount; i++) if (this.keysBuf[i] === k) return this.strings.get(this.valsBuf[i]);
    return undefined;
  }
  refs(): Float64Array {
    if (!this.refsRead) {
      this.refsRead = true;
      this.refCount = 0;
      if (this.refsStart >= 0) {
        // Upper bound: one varint per byte.
        const out = this.refS.ensure(this.refsEnd - this.refsStart);
        try {
          this.refCount = readDeltaSint64(this.pbf.buf, this.refsStart, this.refsEnd, out, 1, 0);
        } catch (err) {
          throw new Error(`way ${this.id}: node refs: ${(err as Error).message}`);
        }
      }
    }
    return this.refS.a;
  }

  /** Decodes one PrimitiveBlock, calling the visitor; returns the number of each primitive seen. */
  decode(data: Uint8Array, visitor: BlockVisitor): BlockCounts {
    const pbf = new PbfReader(data);
    this.pbf = pbf;
    const groups: number[] = [];
    let stStart = -1;
    let stEnd = -1;
    let granularity = 100;
    let latOffset = 0;
    let lonOffset = 0;
    let f: number;
    while ((f = pbf.nextField())) {
      if (f === 1) {
        stEnd = pbf.readVarint() + pbf.pos;
        stStart = pbf.pos;
        pbf.pos = stEnd;
      } else if (f === 2) {
        const end = pbf.readVarint() + pbf.pos;
        groups.push(pbf.pos, end);
        pbf.pos = end;
      } else if (f === 17) granularity = pbf.readVarint(true);
      else if (f === 19) latOffset = pbf.readVarint(true);
      else if (f === 20) lonOffset = pbf.readVarint(true);
    }
    if (pbf.pos !== data.length) throw new Error('PrimitiveBlock field runs past the end of the block');
    this.strings = this.readStrings(data, stStart, stEnd);

    const counts: BlockCounts = { nodes: 0, ways: 0, relations: 0 };
    const scale = granularity * 1e-9;
    for (let g = 0; g < groups.length; g += 2) {
      const end = groups[g + 1];
      pbf.pos = groups[g];
      let plainNodes = 0;
      while ((f = pbf.nextField(end))) {
        if (f === 1) {
          // A plain Node: gather into the scratch arrays, flushed at the end of the group.
          const mEnd = pbf.readVarint() + pbf.pos;
          if (visitor.nodes) {
            const ids = this.idS.ensure(plainNodes + 1);
            const lats = this.latS.ensure(plainNodes + 1);
            const lons = this.lonS.ensure(plainNodes + 1);
            let id = 0;
            let lat = 0;
            let lon = 0;
            let g2: number;
            while ((g2 = pbf.nextField(mEnd))) {
              if (g2 === 1) id = pbf.readSVarint();
              else if (g2 === 8) lat = pbf.readSVarint();
              else if (g2 === 9) lon = pbf.readSVarint();
            }
            ids[plainNodes] = id;
            lats[plainNodes] = 1e-9 * latOffset + scale * lat;
            lons[plainNodes] = 1e-9 * lonOffset + scale * lon;
          }
          pbf.pos = mEnd;
          plainNodes++;
        } else if (f === 2) {
          const mEnd = pbf.readVarint() + pbf.pos;
          counts.nodes += this.dense(pbf, mEnd, visitor, scale, latOffset, lonOffset);
          pbf.pos = mEnd;
        } else if (f === 3) {
          const mEnd = pbf.readVarint() + pbf.pos;
          counts.ways++;
          if (visitor.way) {
            this.readWay(pbf, mEnd);
            visitor.way(this);
          }
          pbf.pos = mEnd;
        } else if (f === 4) {
          counts.relations++;
        }
      }
      if (pbf.pos !== end) throw new Error('PrimitiveGroup runs past its end');
      if (plainNodes > 0) {
        counts.nodes += plainNodes;
        if (visitor.nodes) visitor.nodes(this.idS.a, this.lonS.a, this.latS.a, plainNodes);
      }
    }
    return counts;
  }

  private readStrings(data: Uint8Array, start: number, end: number): StringTable {
    if (start < 0) return new StringTable(data, new Uint32Array(0), new Uint32Array(0), 0);
    const pbf = this.pbf;
    const save = pbf.pos;
    pbf.pos = start;
    let n = 0;
    let starts = new Uint32Array(256);
    let ends = new Uint32Array(256);
    let f: number;
    while ((f = pbf.nextField(end))) {
      if (f !== 1) continue;
      const e = pbf.readVarint() + pbf.pos;
      if (e > end) throw new Error('a string runs past the end of the string table');
      if (n === starts.length) {
        const s2 = new Uint32Array(n * 2);
        s2.set(starts);
        starts = s2;
        const e2 = new Uint32Array(n * 2);
        e2.set(ends);
        ends = e2;
      }
      starts[n] = pbf.pos;
      ends[n] = e;
      n++;
      pbf.pos = e;
    }
    if (pbf.pos !== end) throw new Error('string table runs past its end');
    pbf.pos = save;
    return new StringTable(data, starts, ends, n);
  }

  private dense(pbf: PbfReader, end: number, visitor: BlockVisitor, scale: number, latOffset: number, lonOffset: number): number {
    let nIds = 0;
    let nLat = 0;
    let nLon = 0;
    const decode = !!visitor.nodes;
    let f: number;
    while ((f = pbf.nextField(end))) {
      if (f === 1) {
        const e = pbf.readVarint() + pbf.pos;
        // Checked before use: a corrupt length would size the scratch arrays (2^27 → 1 GiB)
        // or the counting loop below (2^35 → a minute) from a few bad bytes.
        if (e > end) throw new Error('DenseNodes ids run past their end');
        if (!decode) {
          // Count varints: every byte below 0x80 ends one.
          const buf = pbf.buf;
          for (let i = pbf.pos; i < e; i++) if (buf[i] < 0x80) nIds++;
          pbf.pos = e;
          continue;
        }
        nIds = readDeltaSint64(pbf.buf, pbf.pos, e, this.idS.ensure(e - pbf.pos), 1, 0);
        pbf.pos = e;
      } else if (decode && (f === 8 || f === 9)) {
        const e = pbf.readVarint() + pbf.pos;
        if (e > end) throw new Error('DenseNodes coordinates run past their end');
        const out = f === 8 ? this.latS.ensure(e - pbf.pos) : this.lonS.ensure(e - pbf.pos);
        const n = readDeltaSint64(pbf.buf, pbf.pos, e, out, scale, 1e-9 * (f === 8 ? latOffset : lonOffset));
        pbf.pos = e;
        if (f === 8) nLat = n;
        else nLon = n;
      }
    }
    if (pbf.pos !== end) throw new Error('DenseNodes runs past its end');
    if (decode) {
      if (nLat !== nIds || nLon !== nIds) throw new Error(`DenseNodes has ${nIds} ids but ${nLat} latitudes and ${nLon} longitudes`);
      if (nIds > 0) visitor.nodes!(this.idS.a, this.lonS.a, this.latS.a, nIds);
    }
    return nIds;
  }

  private readWay(pbf: PbfReader, end: number): void {
    this.id = 0;
    this.tagCount = 0;
    this.refsStart = -1;
    this.refsEnd = -1;
    this.refsRead = false;
    this.refCount = 0;
    let nk = 0;
    let nv = 0;
    let f: number;
    while ((f = pbf.nextField(end))) {
      if (f === 1) this.id = pbf.readVarint(true);
      else if (f === 2 || f === 3) {
        const e = pbf.readPackedEnd();
        if (e > end) throw new Error(`way ${this.id}: tags run past the end of the way`);
        let buf = f === 2 ? this.keysBuf : this.valsBuf;
        let n = 0;
        while (pbf.pos < e) {
          if (n === buf.length) {
            const b2 = new Uint32Array(n * 2);
            b2.set(buf);
            buf = b2;
          }
          buf[n++] = pbf.readVarint();
        }
        if (f === 2) {
          this.keysBuf = buf;
          nk = n;
        } else {
          this.valsBuf = buf;
          nv = n;
        }
      } else if (f === 8) {
        const e = pbf.readPackedEnd();
        // refs() sizes its scratch array from this length: check it first.
        if (e > end) throw new Error(`way ${this.id}: node refs run past the end of the way`);
        this.refsStart = pbf.pos;
        this.refsEnd = e;
        pbf.pos = e;
      }
    }
    if (pbf.pos !== end) throw new Error('Way runs past its end');
    if (nk !== nv) throw new Error(`way ${this.id} has ${nk} keys but ${nv} values`);
    for (let i = 0; i < nk; i++) {
      if (this.keysBuf[i] >= this.strings.count || this.valsBuf[i] >= this.strings.count) throw new Error(`way ${this.id}: tag string index beyond the string table`);
    }
    this.tagCount = nk;
  }
}
