import { describe, expect, it } from 'vitest';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import zlib from 'node:zlib';
import fc from 'fast-check';
import { DimacsError, RoadGraph, nearestSources, parseDimacsGraph, readDimacsFile, writeDimacsFile } from '../src/index.ts';

const tmp = fs.mkdtempSync(path.join(os.tmpdir(), 'fs-access-dimacs-'));
function write(name: string, text: string | Buffer): string {
  const f = path.join(tmp, name);
  fs.writeFileSync(f, text);
  return f;
}
const GOOD = 'c tiny\np sp 3 3\na 1 2 5\na 2 3 7\na 3 1 2\n';

describe('DIMACS reader', () => {
  it('reads plain and gzip files alike, in any chunking', async () => {
    const plain = await readDimacsFile(write('good.gr', GOOD));
    const gz = await readDimacsFile(write('good.gr.gz', zlib.gzipSync(GOOD)));
    expect(plain.m).toBe(3);
    expect(Array.from(gz.weights)).toEqual(Array.from(plain.weights));
    const bytes = new TextEncoder().encode(GOOD);
    await fc.assert(
      fc.asyncProperty(fc.array(fc.integer({ min: 1, max: bytes.length }), { maxLength: 6 }), async (cuts) => {
        const points = [...new Set(cuts)].sort((a, b) => a - b);
        const chunks: Uint8Array[] = [];
        let prev = 0;
        for (const p of [...points, bytes.length]) {
          chunks.push(bytes.subarray(prev, p));
          prev = p;
        }
        const g = await parseDimacsGraph(chunks, 'chunked');
        expect(Array.from(g.weight)).toEqual([5, 7, 2]);
      }),
      { numRuns: 200 },
    );
  });

  it('round-trips through the writer', async () => {
    const g = RoadGraph.fromEdges({ nodeCount: 4, from: [0, 1, 2, 3], to: [1, 2, 3, 0], weight: [1, 2, 3, 4], coords: [2.5, 45.1, 2.6, 45.2, 2.7, 45.3, 2.8, 45.4] });
    const gr = path.join(tmp, 'rt.gr.gz');
    const co = path.join(tmp, 'rt.co');
    await writeDimacsFile(g, gr, co);
    const back = await readDimacsFile(gr, co);
    expect(Array.from(back.targets)).toEqual(Array.from(g.targets));
    expect(Array.from(back.weights)).toEqual(Array.from(g.weights));
    expect(Array.from(back.coords!)).toEqual(Array.from(g.coords!));
  });

  const bad: [string, string | Buffer, RegExp][] = [
    ['wrong-count.gr', 'p sp 3 4\na 1 2 5\na 2 3 7\na 3 1 2\n', /wrong-count\.gr:4: problem line declares 4 arcs, file has 3/],
    ['too-many.gr', 'p sp 3 1\na 1 2 5\na 2 3 7\n', /too-many\.gr:3: more arcs than the 1 declared/],
    ['out-of-range.gr', 'p sp 3 2\na 1 2 5\na 2 4 7\n', /out-of-range\.gr:3: node id 4 out of range 1\.\.3/],
    ['zero-id.gr', 'p sp 3 1\na 0 2 5\n', /zero-id\.gr:2: node id 0 out of range/],
    ['negative.gr', 'c x\np sp 3 2\na 1 2 5\na 2 3 -7\n', /negative\.gr:4: negative weight -7/],
    ['non-numeric.gr', 'p sp 3 1\na 1 2 x5\n', /non-numeric\.gr:2: weight is not a non-negative integer/],
    ['short-line.gr', 'p sp 3 1\na 1 2\n', /short-line\.gr:2: an arc line must be `a u v w`/],
    ['no-problem.gr', 'c only\na 1 2 3\n', /no-problem\.gr:2: arc before the problem line/],
    ['empty.gr', '', /empty\.gr:0: no problem line/],
    ['garbage.gr', 'p sp 2 1\nx 1 2 3\n', /garbage\.gr:2: unknown line type `x`/],
  ];
  for (const [name, text, message] of bad) {
    it(`rejects ${name} with a DimacsError naming file and line`, async () => {
      const f = write(name, text);
      const err = await readDimacsFile(f).catch((e) => e);
      expect(err).toBeInstanceOf(DimacsError);
      expect(err.message).toMatch(message);
      expect(err.file).toBe(f);
    });
  }

  it('rejects a truncated gzip with a DimacsError', async () => {
    const big = 'p sp 1000 20000\n' + Array.from({ length: 20000 }, (_, i) => `a ${(i % 1000) + 1} ${((i * 7) % 1000) + 1} ${i}`).join('\n') + '\n';
    const gz = zlib.gzipSync(big);
    const f = write('truncated.gr.gz', gz.subarray(0, Math.floor(gz.length / 2)));
    const err = await readDimacsFile(f).catch((e) => e);
    expect(err).toBeInstanceOf(DimacsError);
    expect(err.message).toMatch(/truncated\.gr\.gz:\d+: cannot read: unexpected end of file/);
  });
});

const NY = path.resolve(__dirname, '../../../../shared/data/graphs/USA-road-t.NY.gr.gz');

describe.skipIf(!fs.existsSync(NY))('USA-road-t.NY', () => {
  it('binary heap and bucket queue give identical results on 20 random source sets', async () => {
    const g = await readDimacsFile(NY);
    expect(g.n).toBe(264_346);
    let seed = 12345;
    const rand = () => ((seed = (Math.imul(seed, 1103515245) + 12345) >>> 0) / 2 ** 32);
    for (let k = 0; k < 20; k++) {
      const sources = Array.from({ length: 1 + Math.floor(rand() * 100) }, () => Math.floor(rand() * g.n));
      const maxCost = k % 4 === 3 ? 200_000 : undefined;
      const a = nearestSources(g, sources, { queue: 'heap', maxCost });
      const b = nearestSources(g, sources, { queue: 'bucket', maxCost });
      expect(Buffer.from(a.cost.buffer).equals(Buffer.from(b.cost.buffer))).toBe(true);
      expect(Buffer.from(a.source.buffer).equals(Buffer.from(b.source.buffer))).toBe(true);
    }
  });
});
