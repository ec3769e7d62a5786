/**
 * Fuzz targets for the binary and line readers: OSM PBF (a small valid file from the
 * test writer, raw or zlib blobs, then mutated; and the first blocks of the real Monaco
 * extract, mutated) and DIMACS `.gr` / `.co` text (generated graphs, token-level damage,
 * any chunking).
 */
import fs from 'node:fs';
import path from 'node:path';
import fc from 'fast-check';
import { DimacsError, GraphFormatError, RoadGraph, parseDimacsCoords, parseDimacsGraph } from '../../packages/graph/src/index.ts';
import { OsmFormatError, buildCarGraph, readOsm } from '../../packages/osm/src/index.ts';
import { writePbf, type Compression, type TestNode, type TestWay } from '../../packages/osm/test/pbf-writer.ts';
import { byteMutations, chunked, mutate, type FuzzTarget, type ByteMutation } from './fuzz.ts';

// ---------------------------------------------------------------- OSM PBF

const TAGS: Record<string, string[]> = {
  highway: ['motorway', 'trunk', 'primary', 'secondary', 'tertiary', 'unclassified', 'residential', 'service', 'living_street', 'motorway_link', 'track', 'footway', 'cycleway', 'construction', ''],
  oneway: ['yes', 'no', '-1', '1', 'reversible', 'true'],
  maxspeed: ['50', '90', 'FR:urban', 'FR:rural', 'FR:motorway', '30 mph', 'none', 'walk', '70;50', '0', '-5', ''],
  access: ['no', 'private', 'destination', 'yes', 'permissive'],
  motor_vehicle: ['no', 'yes', 'destination'],
  junction: ['roundabout', 'circular'],
  area: ['yes'],
  name: ['Rue de la Mairie', 'Allée des Érables', ''],
  building: ['yes'],
};

const nodeArb: fc.Arbitrary<TestNode[]> = fc
  .uniqueArray(fc.oneof({ weight: 8, arbitrary: fc.integer({ min: 1, max: 30 }) }, { weight: 1, arbitrary: fc.integer({ min: -5, max: 2 ** 40 }) }), { maxLength: 10 })
  .chain((ids) =>
    fc.tuple(
      ...ids.map((id) =>
        fc.record({
          id: fc.constant(id),
          lon: fc.oneof({ weight: 9, arbitrary: fc.double({ min: 1.2, max: 1.3, noNaN: true }) }, { weight: 1, arbitrary: fc.constantFrom(0, -180, 180, 179.9999999) }),
          lat: fc.oneof({ weight: 9, arbitrary: fc.double({ min: 45.8, max: 45.9, noNaN: true }) }, { weight: 1, arbitrary: fc.constantFrom(0, -90, 90, 89.9999999) }),
        }),
      ),
    ),
  );

const tagsArb: fc.Arbitrary<Record<string, string>> = fc
  .dictionary(fc.constantFrom(...Object.keys(TAGS)), fc.constant(''), { maxKeys: 4 })
  .chain((d) => fc.record(Object.fromEntries(Object.keys(d).map((k) => [k, fc.constantFrom(...TAGS[k])])) as Record<string, fc.Arbitrary<string>>));

/** Ways mostly over the file's own nodes with a car highway tag (so many inputs build a graph), some over anything. */
const waysArb = (nodeIds: number[]): fc.Arbitrary<TestWay[]> => {
  const known = nodeIds.length > 0 ? fc.constantFrom(...nodeIds) : fc.integer({ min: 1, max: 32 });
  const ref = fc.oneof({ weight: 8, arbitrary: known }, { weight: 1, arbitrary: fc.integer({ min: 1, max: 32 }) }, { weight: 1, arbitrary: fc.integer({ min: -3, max: 2 ** 40 }) });
  const road = fc.record({ highway: fc.constantFrom('primary', 'residential', 'service', 'tertiary', 'motorway_link') }).chain((h) => tagsArb.map((t) => ({ ...t, ...h })));
  return fc.array(
    fc.record({
      id: fc.integer({ min: 1, max: 1000 }),
      refs: fc.array(ref, { maxLength: 8 }),
      tags: fc.oneof({ weight: 3, arbitrary: road }, { weight: 1, arbitrary: tagsArb }),
    }),
    { maxLength: 5 },
  );
};

export interface PbfInput {
  nodes: TestNode[];
  ways: TestWay[];
  dense: boolean;
  compression: Compression;
  mutations: ByteMutation[];
  cuts: number[];
}

export const pbfTarget: FuzzTarget<PbfInput> = {
  name: 'pbf',
  reader: 'buildCarGraph (OSM PBF reader + car graph build), small generated files',
  arbitrary: nodeArb.chain((nodes) =>
    fc.record({
      nodes: fc.constant(nodes),
      ways: waysArb(nodes.map((n) => n.id)),
      dense: fc.boolean(),
      // Raw blobs expose the protobuf decoder to the mutations (zlib's checksum stops most of them).
      compression: fc.constantFrom('raw', 'raw', 'zlib') as fc.Arbitrary<Compression>,
      // A quarter of the files unmutated: the build itself is fuzzed too.
      mutations: fc.oneof({ weight: 1, arbitrary: fc.constant<ByteMutation[]>([]) }, { weight: 3, arbitrary: byteMutations(4) }),
      cuts: fc.array(fc.double({ min: 0, max: 1, noNaN: true }), { maxLength: 3 }),
    }),
  ),
  allowed: [OsmFormatError],
  async check(input) {
    const bytes = mutate(writePbf(input.nodes, input.ways, { dense: input.dense, compression: input.compression }), input.mutations);
    // A re-openable chunked stream: the reader is read twice, in pieces.
    const chunks = chunked(bytes, input.cuts);
    const g = await buildCarGraph(() => chunks, { name: 'fuzz.osm.pbf' });
    checkCarGraph(g);
  },
};

function checkCarGraph(g: Awaited<ReturnType<typeof buildCarGraph>>): void {
  const { graph, stats } = g;
  if (graph.n !== stats.nodes || graph.m !== stats.arcs) throw new Error(`stats disagree with the graph: ${graph.n}/${stats.nodes} nodes, ${graph.m}/${stats.arcs} arcs`);
  if (graph.n === 0) throw new Error('an empty car graph was returned instead of an OsmFormatError');
  const c = graph.coords!;
  for (let i = 0; i < c.length; i++) if (!Number.isFinite(c[i])) throw new Error(`node coordinate ${i} is ${c[i]}`);
  for (let a = 0; a < graph.m; a++) {
    const len = g.arcLength[a];
    if (!(len >= 0) || !Number.isFinite(len)) throw new Error(`arc ${a} has length ${len}`);
  }
}

/** Byte offsets of the file blocks of a PBF (read from the 4-byte length prefixes and the BlobHeader's datasize). */
export function pbfBlocks(bytes: Uint8Array): { offset: number; headerLength: number; dataStart: number; dataSize: number }[] {
  const out: { offset: number; headerLength: number; dataStart: number; dataSize: number }[] = [];
  const view = new DataView(bytes.buffer, bytes.byteOffset, bytes.byteLength);
  let o = 0;
  while (o < bytes.length) {
    const headerLength = view.getUint32(o);
    const h = o + 4;
    // BlobHeader: field 1 type (string), field 3 datasize (varint); skip anything else.
    let p = h;
    let dataSize = -1;
    while (p < h + headerLength) {
      const tag = bytes[p++];
      let v = 0;
      let mul = 1;
      for (;;) {
        const b = bytes[p++];
        v += (b & 0x7f) * mul;
        mul *= 128;
        if (b < 0x80) break;
      }
      if ((tag & 7) === 2) p += v;
      else if (tag >> 3 === 3) dataSize = v;
    }
    out.push({ offset: o, headerLength, dataStart: h + headerLength, dataSize });
    o = h + headerLength + dataSize;
  }
  return out;
}

/** The first blocks of the real Monaco extract (header + a few data blocks), read at run time from the mirror. */
export function monacoPrefix(dataDir: string, blocks = 4): Uint8Array | undefined {
  const file = path.join(dataDir, 'osm/monaco.osm.pbf');
  if (!fs.existsSync(file)) return undefined;
  const bytes = new Uint8Array(fs.readFileSync(file));
  const kept = pbfBlocks(bytes).slice(0, blocks);
  const last = kept[kept.length - 1];
  return bytes.slice(0, last ? last.dataStart + last.dataSize : 0);
}

export interface RealPbfInput {
  mutations: ByteMutation[];
}

/** Mutations of real PBF bytes: every node, way and tag decoded (readOsm with both visitors). */
export function realPbfTarget(prefix: Uint8Array): FuzzTarget<RealPbfInput> {
  return {
    name: 'pbf-monaco',
    reader: 'readOsm (OSM PBF reader, every primitive decoded), first blocks of monaco.osm.pbf mutated',
    arbitrary: fc.record({ mutations: byteMutations(3).filter((m) => m.length > 0) }),
    allowed: [OsmFormatError],
    async check(input) {
      const bytes = mutate(prefix, input.mutations);
      let refs = 0;
      await readOsm(
        bytes,
        {
          nodes(ids, lons, lats, count) {
            for (let i = 0; i < count; i++) if (Number.isNaN(ids[i]) || Number.isNaN(lons[i]) || Number.isNaN(lats[i])) throw new Error(`NaN in node ${i}`);
          },
          way(w) {
            for (let i = 0; i < w.tagCount; i++) w.key(i) + w.value(i);
            w.get('highway');
            w.refs();
            refs += w.refCount;
          },
        },
        { name: 'monaco-mutated.osm.pbf' },
      );
      return refs;
    },
  };
}

// ---------------------------------------------------------------- DIMACS

const TOKENS = ['-1', '0', '1', '3', 'x', '1.5', '99999999999', '2147483648', '4294967295', '4294967294', '', '  ', 'a', 'p', 'sp', 'c', '+2', '-0', '1e3', '0x10'];

export interface DimacsInput {
  n: number;
  arcs: { u: number; v: number; w: number }[];
  withCoords: boolean;
  coords: [number, number][];
  edits: { line: number; kind: 'drop' | 'dup' | 'token' | 'blank' | 'crlf' | 'garbage' | 'count'; token: string; pos: number }[];
  cuts: number[];
}

export const dimacsTarget: FuzzTarget<DimacsInput> = {
  name: 'dimacs',
  reader: 'parseDimacsGraph + parseDimacsCoords + RoadGraph.fromEdges (DIMACS .gr/.co)',
  arbitrary: fc.integer({ min: 0, max: 12 }).chain((n) =>
    fc.record({
      n: fc.constant(n),
      arcs: fc.array(
        fc.record({ u: fc.integer({ min: 1, max: Math.max(1, n) }), v: fc.integer({ min: 1, max: Math.max(1, n) }), w: fc.oneof(fc.integer({ min: 0, max: 20 }), fc.integer({ min: 0, max: 2 ** 32 - 2 })) }),
        { maxLength: 3 * n },
      ),
      withCoords: fc.boolean(),
      coords: fc.array(fc.tuple(fc.integer({ min: -180_000_000, max: 180_000_000 }), fc.integer({ min: -90_000_000, max: 90_000_000 })), { minLength: n, maxLength: n }),
      edits: fc.array(
        fc.record({
          line: fc.nat(),
          kind: fc.constantFrom('drop', 'dup', 'token', 'blank', 'crlf', 'garbage', 'count') as fc.Arbitrary<DimacsInput['edits'][number]['kind']>,
          token: fc.constantFrom(...TOKENS),
          pos: fc.nat({ max: 4 }),
        }),
        { maxLength: 3 },
      ),
      cuts: fc.array(fc.double({ min: 0, max: 1, noNaN: true }), { maxLength: 4 }),
    }),
  ),
  allowed: [DimacsError],
  async check(input) {
    const gr = [`c fuzz`, `p sp ${input.n} ${input.arcs.length}`, ...input.arcs.map((a) => `a ${a.u} ${a.v} ${a.w}`)];
    const co = [`p aux sp co ${input.n}`, ...input.coords.map(([x, y], i) => `v ${i + 1} ${x} ${y}`)];
    const edited = input.edits.length > 0;
    for (const e of input.edits) {
      const lines = e.pos % 2 === 0 || !input.withCoords ? gr : co;
      if (lines.length === 0) continue;
      const i = e.line % lines.length;
      const words = lines[i].split(' ');
      switch (e.kind) {
        case 'drop':
          lines.splice(i, 1);
          break;
        case 'dup':
          lines.splice(i, 0, lines[i]);
          break;
        case 'token':
          words[e.pos % words.length] = e.token;
          lines[i] = words.join(' ');
          break;
        case 'blank':
          lines.splice(i, 0, '');
          break;
        case 'crlf':
          lines[i] += '\r';
          break;
        case 'garbage':
          lines.splice(i, 0, `${e.token} ${e.token}`);
          break;
        case 'count':
          words.push(e.token);
          lines[i] = words.join(' ');
          break;
      }
    }
    const enc = new TextEncoder();
    const edges = await parseDimacsGraph(chunked(enc.encode(gr.join('\n') + '\n'), input.cuts), 'fuzz.gr');
    const coords = input.withCoords ? await parseDimacsCoords(chunked(enc.encode(co.join('\n') + '\n'), input.cuts), 'fuzz.co') : undefined;
    if (coords && coords.length !== 2 * edges.nodeCount) return 'coords-mismatch';
    let graph: RoadGraph;
    try {
      graph = RoadGraph.fromEdges({ ...edges, coords });
    } catch (err) {
      // The DIMACS reader checked ids and weights: the graph build must accept what it returns.
      if (err instanceof GraphFormatError) throw new Error(`RoadGraph refused what the DIMACS reader accepted: ${err.message}`);
      throw err;
    }
    if (!edited) {
      // Unedited input: the graph must hold exactly the cheapest arc per pair, no self-loop.
      const best = new Map<string, number>();
      for (const a of input.arcs) {
        if (a.u === a.v) continue;
        const k = `${a.u - 1},${a.v - 1}`;
        best.set(k, Math.min(best.get(k) ?? Infinity, a.w));
      }
      if (graph.n !== input.n || graph.m !== best.size) throw new Error(`graph has ${graph.n} nodes / ${graph.m} arcs, expected ${input.n} / ${best.size}`);
      for (const [k, w] of best) {
        const [u, v] = k.split(',').map(Number);
        if (graph.arcCost(u, v) !== w) throw new Error(`arc ${u}→${v} costs ${graph.arcCost(u, v)}, expected ${w}`);
      }
    }
    return 'ok';
  },
};
