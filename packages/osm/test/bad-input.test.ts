import { describe, expect, it } from 'vitest';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { gzipSync } from 'fflate';
import { OsmFormatError, buildCarGraph, countOsm } from '../src/index.ts';
import { hasData, osmFile, rng } from './helpers.ts';
import { writePbf } from './pbf-writer.ts';

const nodes = [
  { id: 1, lon: 2.35, lat: 48.85 },
  { id: 2, lon: 2.351, lat: 48.85 },
  { id: 3, lon: 2.352, lat: 48.85 },
];
const ways = [{ id: 10, refs: [1, 2, 3], tags: { highway: 'residential' } }];

/** Runs fn, expecting an OsmFormatError; returns it. */
async function formatError(fn: () => Promise<unknown>): Promise<OsmFormatError> {
  try {
    await fn();
  } catch (err) {
    expect(err).toBeInstanceOf(OsmFormatError);
    expect((err as Error).name).toBe('OsmFormatError');
    return err as OsmFormatError;
  }
  throw new Error('expected an OsmFormatError, got none');
}

describe('bad input → OsmFormatError naming the file and where', () => {
  it('random bytes', async () => {
    const rand = rng(7);
    for (let k = 0; k < 20; k++) {
      const bytes = new Uint8Array(1 + Math.floor(rand() * 5000)).map(() => Math.floor(rand() * 256));
      bytes[0] = 0; // not '<' (XML) nor a gzip magic number: goes to the PBF reader
      const e = await formatError(() => buildCarGraph(bytes, { name: `random-${k}.pbf` }));
      expect(e.message).toContain(`random-${k}.pbf`);
      expect(e.message).toMatch(/blob 0 at byte 0/);
    }
  });

  it('random bytes after a valid header block', async () => {
    const good = writePbf(nodes, ways);
    const h0 = new DataView(good.buffer, good.byteOffset).getUint32(0);
    const block1 = 4 + h0 + blobSizeAt(good, 4, h0);
    const rand = rng(11);
    for (let k = 0; k < 20; k++) {
      const bytes = new Uint8Array(good.length);
      bytes.set(good);
      // Keep block 0 (the header) intact, scramble at least 30 bytes from somewhere in the data
      // blocks (scrambling only zlib's trailing checksum would go unnoticed by fflate, harmlessly).
      for (let i = block1 + Math.floor(rand() * (good.length - block1 - 30)); i < good.length; i++) bytes[i] = Math.floor(rand() * 256);
      const e = await formatError(() => buildCarGraph(bytes, { name: 'scrambled.pbf' }));
      expect(e.message).toMatch(/^scrambled\.pbf: blob [12] at byte \d+: /);
    }
  });

  it.skipIf(!hasData)('a truncated file: inside a blob, and inside a block header', async () => {
    const bytes = new Uint8Array(fs.readFileSync(osmFile('monaco')));
    const cut = await formatError(() => buildCarGraph(bytes.subarray(0, 100_000), { name: 'monaco-cut.pbf' }));
    expect(cut.message).toMatch(/^monaco-cut\.pbf: blob \d+ at byte \d+: truncated/);
    const tiny = await formatError(() => countOsm(bytes.subarray(0, 10), { name: 'ten-bytes.pbf' }));
    expect(tiny.message).toMatch(/^ten-bytes\.pbf: blob 0 at byte 0: truncated/);
    const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'fs-osm-'));
    const file = path.join(dir, 'cut.osm.pbf');
    fs.writeFileSync(file, bytes.subarray(0, 150_000));
    const onDisk = await formatError(() => buildCarGraph(file));
    expect(onDisk.message).toContain(file);
  });

  it('a blob compressed with lzma', async () => {
    const e = await formatError(() => buildCarGraph(writePbf(nodes, ways, { compression: 'lzma' }), { name: 'lzma.pbf' }));
    expect(e.message).toMatch(/^lzma\.pbf: blob 1 at byte \d+: unsupported compression lzma/);
  });

  it('corrupt zlib data', async () => {
    const bytes = writePbf(nodes, ways);
    // Find block 1's zlib stream and break its first bytes (the zlib header).
    const view = new DataView(bytes.buffer, bytes.byteOffset);
    let o = 0;
    o += 4 + view.getUint32(0); // header of block 0
    const size0 = blobSizeAt(bytes, 4, view.getUint32(0));
    o += size0;
    const h1 = view.getUint32(o);
    const blobStart = o + 4 + h1;
    const copy = bytes.slice();
    for (let i = blobStart + 6; i < blobStart + 12; i++) copy[i] ^= 0xff;
    const e = await formatError(() => buildCarGraph(copy, { name: 'zlib.pbf' }));
    expect(e.message).toMatch(/^zlib\.pbf: blob 1 at byte \d+: /);
  });

  it('an unsupported required feature', async () => {
    const e = await formatError(() => countOsm(writePbf(nodes, ways, { features: ['OsmSchema-V0.6', 'HistoricalInformation'] }), { name: 'history.pbf' }));
    expect(e.message).toContain('unsupported required feature "HistoricalInformation"');
  });

  it('an empty file, and a gzip-compressed file', async () => {
    expect((await formatError(() => buildCarGraph(new Uint8Array(0), { name: 'empty.pbf' }))).message).toContain('empty file');
    const gz = gzipSync(new TextEncoder().encode('<osm></osm>'));
    expect((await formatError(() => buildCarGraph(gz, { name: 'x.osm.gz' }))).message).toContain('gzip-compressed');
  });

  it('bad OSM XML names the line', async () => {
    const xml = '<?xml version="1.0"?>\n<osm version="0.6">\n  <node id="1" lat="48.85" lon="2.35"/>\n  <node id="two" lat="48.85" lon="2.35"/>\n</osm>\n';
    const e = await formatError(() => buildCarGraph(new TextEncoder().encode(xml), { name: 'bad.osm' }));
    expect(e.message).toMatch(/^bad\.osm: line 4: node needs an integer id/);
    const notOsm = await formatError(() => buildCarGraph(new TextEncoder().encode('<html></html>'), { name: 'page.html' }));
    expect(notOsm.message).toContain('not an OSM XML file');
  });
});

describe('ways referencing nodes absent from the extract', () => {
  it('are cut at the missing nodes and the references counted (PBF)', async () => {
    const w = [
      { id: 10, refs: [1, 2, 404, 3], tags: { highway: 'residential' } },
      { id: 11, refs: [405, 406], tags: { highway: 'residential' } },
    ];
    const g = await buildCarGraph(writePbf(nodes, w), { name: 'missing.pbf' });
    expect(g.stats.missingNodeRefs).toBe(3);
    expect(g.stats.carWays).toBe(2);
    // Only 1–2 remains a road (2–404–3 lost its middle node).
    expect(g.stats.nodesBeforeContraction).toBe(2);
    expect(g.graph.n).toBe(2);
  });
});

/** Size of the Blob that follows a BlobHeader at `start` of length `len` (datasize, field 3). */
function blobSizeAt(bytes: Uint8Array, start: number, len: number): number {
  let p = start;
  const end = start + len;
  while (p < end) {
    const tag = bytes[p++];
    if (tag >> 3 === 3 && (tag & 7) === 0) {
      let v = 0;
      let s = 0;
      for (;;) {
        const b = bytes[p++];
        v += (b & 0x7f) * 2 ** s;
        s += 7;
        if (b < 0x80) break;
      }
      return v;
    }
    // length-delimited field (type): skip it
    let l = 0;
    let s = 0;
    for (;;) {
      const b = bytes[p++];
      l += (b & 0x7f) * 2 ** s;
      s += 7;
      if (b < 0x80) break;
    }
    p += l;
  }
  throw new Error('no datasize');
}
