import { describe, expect, it } from 'vitest';
import fs from 'node:fs';
import { buildCarGraph, countOsm, fflateInflate, readOsm } from '../src/index.ts';
import { EXTRACTS, OSMIUM, hasData, osmFile, rng } from './helpers.ts';
import { writePbf, type TestWay } from './pbf-writer.ts';

describe.skipIf(!hasData)('PBF reader on the shared extracts, against osmium', () => {
  for (const name of EXTRACTS) {
    it(`${name}: nodes, ways, relations and highway ways equal osmium's counts`, async () => {
      const c = await countOsm(osmFile(name));
      const o = OSMIUM[name];
      expect({ nodes: c.nodes, ways: c.ways, relations: c.relations, highwayWays: c.highwayWays }).toEqual({
        nodes: o.nodes,
        ways: o.ways,
        relations: o.relations,
        highwayWays: o.highwayWays,
      });
    });

    it(`${name}: node coordinates span osmium's bounding box; highway ways reference osmium's node count`, async () => {
      let minLon = Infinity;
      let minLat = Infinity;
      let maxLon = -Infinity;
      let maxLat = -Infinity;
      const present = new Set<number>();
      const referenced = new Set<number>();
      await readOsm(osmFile(name), {
        nodes(ids, lons, lats, count) {
          for (let i = 0; i < count; i++) {
            present.add(ids[i]);
            minLon = Math.min(minLon, lons[i]);
            maxLon = Math.max(maxLon, lons[i]);
            minLat = Math.min(minLat, lats[i]);
            maxLat = Math.max(maxLat, lats[i]);
          }
        },
        way(w) {
          if (w.get('highway') === undefined) return;
          const r = w.refs();
          for (let i = 0; i < w.refCount; i++) referenced.add(r[i]);
        },
      });
      const e7 = (x: number) => Math.round(x * 1e7);
      expect([minLon, minLat, maxLon, maxLat].map(e7)).toEqual(OSMIUM[name].bbox.map(e7));
      let inFile = 0;
      for (const id of referenced) if (present.has(id)) inFile++;
      expect(inFile).toBe(OSMIUM[name].highwayNodes);
    });

    it(`${name}: the graph build reports the same file counts`, async () => {
      const g = await buildCarGraph(osmFile(name));
      const o = OSMIUM[name];
      expect([g.stats.osmNodes, g.stats.ways, g.stats.highwayWays]).toEqual([o.nodes, o.ways, o.highwayWays]);
      expect(g.stats.carWays).toBeGreaterThan(0);
      expect(g.stats.carWays).toBeLessThanOrEqual(g.stats.highwayWays);
    });
  }

  it('gives the same graph from a path, bytes, a re-openable stream, a one-shot chunked stream, and with fflate', async () => {
    const file = osmFile('monaco');
    const bytes = new Uint8Array(fs.readFileSync(file));
    const chunked = (seed: number) =>
      (function* () {
        const rand = rng(seed);
        for (let o = 0; o < bytes.length; ) {
          const n = 1 + Math.floor(rand() * 5000);
          yield bytes.subarray(o, o + n);
          o += n;
        }
      })();
    const graphs = [
      await buildCarGraph(file),
      await buildCarGraph(bytes, { inflate: fflateInflate }),
      await buildCarGraph(() => chunked(1)),
      await buildCarGraph(chunked(2)),
      await buildCarGraph(bytes.buffer.slice(bytes.byteOffset, bytes.byteOffset + bytes.length) as ArrayBuffer),
    ];
    const ref = graphs[0];
    for (const g of graphs.slice(1)) {
      expect(g.stats).toEqual(ref.stats);
      expect(Array.from(g.graph.weights)).toEqual(Array.from(ref.graph.weights));
      expect(Array.from(g.edgeCoords)).toEqual(Array.from(ref.edgeCoords));
    }
  });
});

describe('PBF reader on generated files', () => {
  const nodes = [
    { id: 1, lon: 2.35, lat: 48.85 },
    { id: 2, lon: 2.351, lat: 48.85 },
    { id: 3, lon: 2.352, lat: 48.8501 },
    { id: 5_000_000_000, lon: -1.5, lat: -45.25 }, // an id beyond 32 bits, negative coordinates
  ];
  const ways: TestWay[] = [
    { id: 7, refs: [1, 2, 3], tags: { highway: 'residential', name: 'Rue de l’Église' } },
    { id: 8, refs: [3, 5_000_000_000], tags: { building: 'yes' } },
  ];

  for (const [label, opts] of [
    ['dense nodes, zlib', { dense: true, compression: 'zlib' }],
    ['plain nodes, zlib', { dense: false, compression: 'zlib' }],
    ['dense nodes, raw blobs', { dense: true, compression: 'raw' }],
  ] as const) {
    it(`reads ${label}: ids, coordinates, tags, refs`, async () => {
      const bytes = writePbf(nodes, ways, opts);
      const got: { id: number; lon: number; lat: number }[] = [];
      const gotWays: { id: number; tags: Record<string, string>; refs: number[] }[] = [];
      const counts = await readOsm(bytes, {
        nodes(ids, lons, lats, count) {
          for (let i = 0; i < count; i++) got.push({ id: ids[i], lon: lons[i], lat: lats[i] });
        },
        way(w) {
          const tags: Record<string, string> = {};
          for (let i = 0; i < w.tagCount; i++) tags[w.key(i)] = w.value(i);
          gotWays.push({ id: w.id, tags, refs: Array.from(w.refs().subarray(0, w.refCount)) });
        },
      });
      expect(counts).toMatchObject({ nodes: 4, ways: 2, relations: 0 });
      expect(got.map((n) => n.id)).toEqual(nodes.map((n) => n.id));
      got.forEach((n, i) => {
        expect(n.lon).toBeCloseTo(nodes[i].lon, 9);
        expect(n.lat).toBeCloseTo(nodes[i].lat, 9);
      });
      expect(gotWays).toEqual(ways);
    });
  }
});

describe('readDeltaSint64 (the inlined varint loop) against pbf', () => {
  it('decodes what PbfWriter.writePackedSVarint encodes, for small and 53-bit values', async () => {
    const fc = (await import('fast-check')).default;
    const { PbfWriter, PbfReader } = await import('pbf');
    const { readDeltaSint64 } = await import('../src/pbf.ts');
    fc.assert(
      fc.property(
        fc.array(
          fc.oneof(
            fc.integer({ min: -200, max: 200 }),
            fc.integer({ min: -(2 ** 31), max: 2 ** 31 }),
            fc.integer({ min: -(2 ** 27) - 5, max: 2 ** 27 + 5 }),
            fc.double({ min: -(2 ** 51), max: 2 ** 51, noNaN: true }).map(Math.trunc),
          ),
          { maxLength: 60 },
        ),
        fc.double({ min: 1e-9, max: 1, noNaN: true }),
        (deltas, scale) => {
          const w = new PbfWriter();
          w.writePackedSVarint(1, deltas.map((d) => d + 0)); // + 0 turns -0 into 0
          const buf = w.finish();
          const r = new PbfReader(buf);
          if (deltas.length === 0) return buf.length === 0;
          r.nextField();
          const end = r.readVarint() + r.pos;
          const out = new Float64Array(deltas.length);
          const n = readDeltaSint64(buf, r.pos, end, out, scale, 0.5);
          let acc = 0;
          expect(n).toBe(deltas.length);
          deltas.forEach((d, i) => {
            acc += d;
            expect(out[i]).toBe(0.5 + scale * acc);
          });
          return true;
        },
      ),
      { numRuns: 300 },
    );
  });

  it('throws on a varint cut at the end of its field', async () => {
    const { readDeltaSint64 } = await import('../src/pbf.ts');
    expect(() => readDeltaSint64(new Uint8Array([0x02, 0x80, 0x80]), 0, 3, new Float64Array(3), 1, 0)).toThrow();
  });
});
