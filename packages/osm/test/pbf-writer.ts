/**
 * A minimal OSM PBF writer for tests (fileformat.proto / osmformat.proto, with `pbf`):
 * dense or plain nodes, ways with tags, raw / zlib / fake-lzma blobs. Written from the
 * spec, independently of the reader under test.
 */
import { PbfWriter } from 'pbf';
import { zlibSync } from 'fflate';

export interface TestNode {
  id: number;
  lon: number;
  lat: number;
}
export interface TestWay {
  id: number;
  refs: number[];
  tags: Record<string, string>;
}
export type Compression = 'raw' | 'zlib' | 'lzma';

function blobOf(data: Uint8Array, compression: Compression): Uint8Array {
  const w = new PbfWriter();
  if (compression === 'raw') w.writeBytesField(1, data);
  else {
    w.writeVarintField(2, data.length);
    if (compression === 'zlib') w.writeBytesField(3, zlibSync(data));
    else w.writeBytesField(4, data); // lzma_data: content irrelevant, the reader must refuse it
  }
  return w.finish();
}

function fileBlock(type: string, data: Uint8Array, compression: Compression): Uint8Array {
  const blob = blobOf(data, compression);
  const h = new PbfWriter();
  h.writeStringField(1, type);
  h.writeVarintField(3, blob.length);
  const header = h.finish();
  const out = new Uint8Array(4 + header.length + blob.length);
  new DataView(out.buffer).setUint32(0, header.length, false);
  out.set(header, 4);
  out.set(blob, 4 + header.length);
  return out;
}

function headerBlock(features: string[]): Uint8Array {
  const w = new PbfWriter();
  for (const f of features) w.writeStringField(4, f);
  w.writeStringField(16, 'fs-access test writer');
  return w.finish();
}

function primitiveBlock(nodes: TestNode[], ways: TestWay[], dense: boolean): Uint8Array {
  const strings = [''];
  const index = new Map<string, number>();
  const sid = (s: string) => {
    let i = index.get(s);
    if (i === undefined) {
      i = strings.length;
      strings.push(s);
      index.set(s, i);
    }
    return i;
  };
  for (const w of ways) for (const [k, v] of Object.entries(w.tags)) (sid(k), sid(v));
  const w = new PbfWriter();
  w.writeMessage(1, (_: unknown, pbf: PbfWriter) => {
    for (const s of strings) pbf.writeBytesField(1, new TextEncoder().encode(s));
  }, null);
  const toInt = (deg: number) => Math.round(deg * 1e7); // granularity 100 nanodegrees
  if (nodes.length > 0) {
    w.writeMessage(2, (_: unknown, group: PbfWriter) => {
      if (dense) {
        group.writeMessage(2, (_2: unknown, d: PbfWriter) => {
          const delta = (vals: number[]) => vals.map((v, i) => v - (i > 0 ? vals[i - 1] : 0));
          d.writePackedSVarint(1, delta(nodes.map((n) => n.id)));
          d.writePackedSVarint(8, delta(nodes.map((n) => toInt(n.lat))));
          d.writePackedSVarint(9, delta(nodes.map((n) => toInt(n.lon))));
        }, null);
      } else {
        for (const n of nodes) {
          group.writeMessage(1, (_2: unknown, m: PbfWriter) => {
            m.writeSVarintField(1, n.id);
            m.writeSVarintField(8, toInt(n.lat));
            m.writeSVarintField(9, toInt(n.lon));
          }, null);
        }
      }
    }, null);
  }
  if (ways.length > 0) {
    w.writeMessage(2, (_: unknown, group: PbfWriter) => {
      for (const way of ways) {
        group.writeMessage(3, (_2: unknown, m: PbfWriter) => {
          m.writeVarintField(1, way.id);
          const tags = Object.entries(way.tags);
          if (tags.length) {
            m.writePackedVarint(2, tags.map(([k]) => sid(k)));
            m.writePackedVarint(3, tags.map(([, v]) => sid(v)));
          }
          m.writePackedSVarint(8, way.refs.map((r, i) => r - (i > 0 ? way.refs[i - 1] : 0)));
        }, null);
      }
    }, null);
  }
  return w.finish();
}

/** Encodes a whole PBF file: header, one node block, one way block. */
export function writePbf(
  nodes: TestNode[],
  ways: TestWay[],
  options: { dense?: boolean; compression?: Compression; features?: string[]; nodeCompression?: Compression } = {},
): Uint8Array {
  const compression = options.compression ?? 'zlib';
  const parts = [
    fileBlock('OSMHeader', headerBlock(options.features ?? ['OsmSchema-V0.6', 'DenseNodes']), compression === 'lzma' ? 'zlib' : compression),
    fileBlock('OSMData', primitiveBlock(nodes, [], options.dense ?? true), options.nodeCompression ?? compression),
    fileBlock('OSMData', primitiveBlock([], ways, true), compression),
  ];
  const total = parts.reduce((s, p) => s + p.length, 0);
  const out = new Uint8Array(total);
  let o = 0;
  for (const p of parts) {
    out.set(p, o);
    o += p.length;
  }
  return out;
}
