/** Catalogue cases for the OSM PBF reader, the DIMACS readers and the cost-matrix reader. */
import zlib from 'node:zlib';
import { expect } from 'vitest';
import { DimacsError, readDimacsFile } from '../../packages/graph/src/index.ts';
import { OsmFormatError, buildCarGraph } from '../../packages/osm/src/index.ts';
import { CostFileError, readCostMatrix, type CostMatrixOptions } from '../../packages/siting/src/index.ts';
import { writePbf } from '../../packages/osm/test/pbf-writer.ts';
import type { Case } from './case.ts';
import { expectError, pbfBlocks, rng, type CaseDir } from './harness.ts';

const NODES = [
  { id: 1, lon: 1.25, lat: 45.83 },
  { id: 2, lon: 1.251, lat: 45.83 },
  { id: 3, lon: 1.252, lat: 45.831 },
];
const ROAD = [{ id: 10, refs: [1, 2, 3], tags: { highway: 'residential' } }];
const good = () => writePbf(NODES, ROAD);

const costOptions = (t: CaseDir, costs: string | Uint8Array, demand: string | Uint8Array, extra: Partial<CostMatrixOptions> = {}): CostMatrixOptions => ({
  costsFile: t.write('costs.csv', costs),
  demandFile: t.write('demand.csv', demand),
  fromCol: 'origin',
  toCol: 'facility',
  costCol: 'cost',
  idCol: 'id',
  weightCol: 'households',
  radius: 10,
  ...extra,
});

export const fileCases: Case[] = [
  // ---------------------------------------------------------------- OSM PBF (buildCarGraph)
  {
    id: 'pbf-random-bytes',
    target: 'buildCarGraph',
    input: '4,000 random bytes named `.osm.pbf`',
    outcome: 'error',
    expected: 'OsmFormatError `FILE: blob 0 at byte 0: BlobHeader length N is outside 1..65536 (not an OSM PBF file?)`',
    async run(t) {
      const rand = rng(2024);
      const bytes = Uint8Array.from({ length: 4000 }, () => Math.floor(rand() * 256));
      const length = ((bytes[0] << 24) | (bytes[1] << 16) | (bytes[2] << 8) | bytes[3]) >>> 0;
      expect(length).toBeGreaterThan(65536); // the seed's first bytes: not '<', not gzip, too long a header
      const f = t.write('random.osm.pbf', bytes);
      await expectError(() => buildCarGraph(f), OsmFormatError, `${f}: blob 0 at byte 0: BlobHeader length ${length} is outside 1..65536 (not an OSM PBF file?)`);
    },
  },
  {
    id: 'pbf-truncated-mid-blob',
    target: 'buildCarGraph',
    input: 'a valid PBF cut in the middle of its third block',
    outcome: 'error',
    expected: 'OsmFormatError `FILE: blob 2 at byte B: truncated: blob has X of Y bytes`',
    async run(t) {
      const bytes = good();
      const b = pbfBlocks(bytes)[2];
      const keep = Math.floor(b.dataSize / 2);
      const f = t.write('cut.osm.pbf', bytes.subarray(0, b.dataStart + keep));
      await expectError(() => buildCarGraph(f), OsmFormatError, `${f}: blob 2 at byte ${b.offset}: truncated: blob has ${keep} of ${b.dataSize} bytes`);
    },
  },
  {
    id: 'pbf-truncated-header',
    target: 'buildCarGraph',
    input: 'a valid PBF cut 3 bytes into the BlobHeader of its second block',
    outcome: 'error',
    expected: 'OsmFormatError `FILE: blob 1 at byte B: truncated inside the BlobHeader (3 of N bytes)`',
    async run(t) {
      const bytes = good();
      const b = pbfBlocks(bytes)[1];
      const f = t.write('cut.osm.pbf', bytes.subarray(0, b.offset + 4 + 3));
      await expectError(() => buildCarGraph(f), OsmFormatError, `${f}: blob 1 at byte ${b.offset}: truncated inside the BlobHeader (3 of ${b.headerLength} bytes)`);
    },
  },
  {
    id: 'pbf-lzma',
    target: 'buildCarGraph',
    input: 'data blocks compressed with lzma',
    outcome: 'error',
    expected: 'OsmFormatError `FILE: blob 1 at byte B: unsupported compression lzma (…osmium cat…)`',
    async run(t) {
      const bytes = writePbf(NODES, ROAD, { compression: 'lzma' });
      const f = t.write('lzma.osm.pbf', bytes);
      await expectError(
        () => buildCarGraph(f),
        OsmFormatError,
        `${f}: blob 1 at byte ${pbfBlocks(bytes)[1].offset}: unsupported compression lzma (this reader handles raw and zlib blobs; recompress with "osmium cat -O FILE -o out.osm.pbf")`,
      );
    },
  },
  {
    id: 'pbf-corrupt-zlib',
    target: 'buildCarGraph',
    input: 'the zlib stream of block 1 with its header bytes flipped',
    outcome: 'error',
    expected: 'OsmFormatError `FILE: blob 1 at byte B: zlib data cannot be decompressed (…)`',
    async run(t) {
      const bytes = good().slice();
      const b = pbfBlocks(bytes)[1];
      // Blob: field 2 raw_size (varint), field 3 zlib_data: flip bytes well inside it.
      for (let i = b.dataStart + 6; i < b.dataStart + 12; i++) bytes[i] ^= 0xff;
      const f = t.write('zlib.osm.pbf', bytes);
      await expectError(() => buildCarGraph(f), OsmFormatError, new RegExp(`^${escape(f)}: blob 1 at byte ${b.offset}: zlib data cannot be decompressed \\(.+\\)$`));
    },
  },
  {
    id: 'pbf-huge-declared-length',
    target: 'buildCarGraph',
    input: 'a 40-byte data block whose node ids claim 2^27 bytes (a corrupt length)',
    outcome: 'error',
    expected: 'OsmFormatError `FILE: blob 1 at byte B: corrupt OSMData block (DenseNodes ids run past their end)`, without allocating for the claim',
    async run(t) {
      const header = good().subarray(0, pbfBlocks(good())[1].offset);
      // PrimitiveBlock { stringtable { "" }, primitivegroup { dense { id: length 2^27, 2 bytes } } }
      const dense = [0x0a, 0x80, 0x80, 0x80, 0x40, 1, 2];
      const group = [0x12, dense.length, ...dense];
      const block = [0x0a, 0x02, 0x0a, 0x00, 0x12, group.length, ...group];
      const blob = [0x0a, block.length, ...block]; // Blob { raw }
      const blobHeader = [0x0a, 7, ...Buffer.from('OSMData'), 0x18, blob.length]; // BlobHeader { type, datasize }
      const bytes = Buffer.concat([header, Buffer.from([0, 0, 0, blobHeader.length, ...blobHeader, ...blob])]);
      const f = t.write('huge.osm.pbf', bytes);
      await expectError(() => buildCarGraph(f), OsmFormatError, `${f}: blob 1 at byte ${header.length}: corrupt OSMData block (DenseNodes ids run past their end)`);
    },
  },
  {
    id: 'pbf-gzip',
    target: 'buildCarGraph',
    input: 'a PBF compressed once more with gzip (`.osm.pbf.gz` renamed)',
    outcome: 'error',
    expected: 'OsmFormatError `FILE: blob 0 at byte 0: gzip-compressed data: decompress it first (…)`',
    async run(t) {
      const f = t.write('double.osm.pbf', zlib.gzipSync(good()));
      await expectError(() => buildCarGraph(f), OsmFormatError, `${f}: blob 0 at byte 0: gzip-compressed data: decompress it first (this reader takes .osm.pbf, or plain .osm XML)`);
    },
  },
  {
    id: 'pbf-empty',
    target: 'buildCarGraph',
    input: 'an empty file',
    outcome: 'error',
    expected: 'OsmFormatError `FILE: blob 0 at byte 0: empty file`',
    async run(t) {
      const f = t.write('empty.osm.pbf', '');
      await expectError(() => buildCarGraph(f), OsmFormatError, `${f}: blob 0 at byte 0: empty file`);
    },
  },
  {
    id: 'pbf-history-feature',
    target: 'buildCarGraph',
    input: 'a history file (required feature `HistoricalInformation`)',
    outcome: 'error',
    expected: 'OsmFormatError `FILE: blob 0 at byte 0: unsupported required feature "HistoricalInformation"`',
    async run(t) {
      const f = t.write('history.osm.pbf', writePbf(NODES, ROAD, { features: ['OsmSchema-V0.6', 'HistoricalInformation'] }));
      await expectError(() => buildCarGraph(f), OsmFormatError, `${f}: blob 0 at byte 0: unsupported required feature "HistoricalInformation"`);
    },
  },
  {
    id: 'pbf-missing-nodes',
    target: 'buildCarGraph',
    input: 'a road through node 404, which the extract does not hold',
    outcome: 'accepted',
    expected: 'the road is cut at the missing node; `stats.missingNodeRefs` = 1',
    async run(t) {
      const f = t.write('partial.osm.pbf', writePbf(NODES, [{ id: 10, refs: [1, 2, 404, 3], tags: { highway: 'residential' } }]));
      const g = await buildCarGraph(f);
      expect(g.stats.missingNodeRefs).toBe(1);
      expect(g.stats.carWays).toBe(1);
      // 1–2 stays a road; 2–404–3 lost its middle node.
      expect(g.graph.n).toBe(2);
      expect(g.graph.m).toBe(2);
    },
  },
  {
    id: 'pbf-no-highway',
    target: 'buildCarGraph',
    input: 'an extract with buildings and no highway at all',
    outcome: 'error',
    expected: 'OsmFormatError `FILE: whole file (3 nodes, 1 way): no road a car can use: no way has a highway tag: this is not a road extract`',
    async run(t) {
      const f = t.write('buildings.osm.pbf', writePbf(NODES, [{ id: 10, refs: [1, 2, 3, 1], tags: { building: 'yes' } }]));
      await expectError(() => buildCarGraph(f), OsmFormatError, `${f}: whole file (3 nodes, 1 way): no road a car can use: no way has a highway tag: this is not a road extract`);
    },
  },
  {
    id: 'pbf-footways-only',
    target: 'buildCarGraph',
    input: 'an extract whose only highway is a footway',
    outcome: 'error',
    expected: 'OsmFormatError `FILE: whole file (3 nodes, 1 way): no road a car can use: none of the 1 highway way is open to cars`',
    async run(t) {
      const f = t.write('paths.osm.pbf', writePbf(NODES, [{ id: 10, refs: [1, 2, 3], tags: { highway: 'footway' } }]));
      await expectError(() => buildCarGraph(f), OsmFormatError, `${f}: whole file (3 nodes, 1 way): no road a car can use: none of the 1 highway way is open to cars`);
    },
  },
  {
    id: 'pbf-all-nodes-missing',
    target: 'buildCarGraph',
    input: 'a road whose nodes are all absent from the extract',
    outcome: 'error',
    expected: 'OsmFormatError `FILE: whole file (…): no road a car can use: no two consecutive nodes of the 1 car way are in the file (2 node references missing: a partial extract?)`',
    async run(t) {
      const f = t.write('ways-only.osm.pbf', writePbf(NODES, [{ id: 10, refs: [7, 8], tags: { highway: 'primary' } }]));
      await expectError(
        () => buildCarGraph(f),
        OsmFormatError,
        `${f}: whole file (3 nodes, 1 way): no road a car can use: no two consecutive nodes of the 1 car way are in the file (2 node references missing: a partial extract?)`,
      );
    },
  },

  // ---------------------------------------------------------------- DIMACS (readDimacsFile)
  {
    id: 'dimacs-wrong-count',
    target: 'readDimacsFile',
    input: '`p sp 3 4` followed by 3 arcs',
    outcome: 'error',
    expected: 'DimacsError `FILE:4: problem line declares 4 arcs, file has 3`',
    async run(t) {
      const f = t.write('g.gr', 'p sp 3 4\na 1 2 5\na 2 3 7\na 3 1 2\n');
      const e = await expectError(() => readDimacsFile(f), DimacsError, `${f}:4: problem line declares 4 arcs, file has 3`);
      expect([(e as DimacsError).file, (e as DimacsError).line]).toEqual([f, 4]);
    },
  },
  {
    id: 'dimacs-too-many-arcs',
    target: 'readDimacsFile',
    input: '`p sp 3 1` followed by 2 arcs',
    outcome: 'error',
    expected: 'DimacsError `FILE:3: more arcs than the 1 declared in the problem line`',
    async run(t) {
      const f = t.write('g.gr', 'p sp 3 1\na 1 2 5\na 2 3 7\n');
      await expectError(() => readDimacsFile(f), DimacsError, `${f}:3: more arcs than the 1 declared in the problem line`);
    },
  },
  {
    id: 'dimacs-out-of-range',
    target: 'readDimacsFile',
    input: 'an arc to node 4 in a 3-node graph',
    outcome: 'error',
    expected: 'DimacsError `FILE:3: node id 4 out of range 1..3`',
    async run(t) {
      const f = t.write('g.gr', 'p sp 3 2\na 1 2 5\na 2 4 7\n');
      await expectError(() => readDimacsFile(f), DimacsError, `${f}:3: node id 4 out of range 1..3`);
    },
  },
  {
    id: 'dimacs-negative-weight',
    target: 'readDimacsFile',
    input: 'an arc of weight -7',
    outcome: 'error',
    expected: 'DimacsError `FILE:4: negative weight -7`',
    async run(t) {
      const f = t.write('g.gr', 'c x\np sp 3 2\na 1 2 5\na 2 3 -7\n');
      await expectError(() => readDimacsFile(f), DimacsError, `${f}:4: negative weight -7`);
    },
  },
  {
    id: 'dimacs-non-integer-weight',
    target: 'readDimacsFile',
    input: 'an arc of weight `2.5`',
    outcome: 'error',
    expected: 'DimacsError `FILE:2: weight is not a non-negative integer`',
    async run(t) {
      const f = t.write('g.gr', 'p sp 3 1\na 1 2 2.5\n');
      await expectError(() => readDimacsFile(f), DimacsError, `${f}:2: weight is not a non-negative integer`);
    },
  },
  {
    id: 'dimacs-truncated-gzip',
    target: 'readDimacsFile',
    input: 'a `.gr.gz` cut in the middle of its deflate stream',
    outcome: 'error',
    expected: 'DimacsError `FILE:L: cannot read: unexpected end of file` (L = the line after the last whole one)',
    async run(t) {
      const text = 'p sp 1000 20000\n' + Array.from({ length: 20000 }, (_, i) => `a ${(i % 1000) + 1} ${((i * 7) % 1000) + 1} ${i}`).join('\n') + '\n';
      const gz = zlib.gzipSync(text);
      const cut = gz.subarray(0, Math.floor(gz.length / 2));
      // What a reader can still get out of the cut stream: its whole lines, counted apart.
      const readable = zlib.gunzipSync(cut, { finishFlush: zlib.constants.Z_SYNC_FLUSH }).toString('latin1');
      const wholeLines = readable.split('\n').length - 1;
      const f = t.write('g.gr.gz', cut);
      await expectError(() => readDimacsFile(f), DimacsError, `${f}:${wholeLines + 1}: cannot read: unexpected end of file`);
    },
  },
  {
    id: 'dimacs-huge-node-count',
    target: 'readDimacsFile',
    input: '`p sp 2000000000 1` (a stray digit in the node count)',
    outcome: 'error',
    expected: 'DimacsError `FILE:1: node count 2000000000 too large (at most 268435456)`, without allocating for it',
    async run(t) {
      const f = t.write('g.gr', 'p sp 2000000000 1\na 1 2 3\n');
      await expectError(() => readDimacsFile(f), DimacsError, `${f}:1: node count 2000000000 too large (at most 268435456)`);
    },
  },
  {
    id: 'dimacs-arc-before-problem',
    target: 'readDimacsFile',
    input: 'an arc line before the problem line',
    outcome: 'error',
    expected: 'DimacsError ``FILE:2: arc before the problem line `p sp N M` ``',
    async run(t) {
      const f = t.write('g.gr', 'c only\na 1 2 3\n');
      await expectError(() => readDimacsFile(f), DimacsError, `${f}:2: arc before the problem line \`p sp N M\``);
    },
  },
  {
    id: 'dimacs-coords-missing-node',
    target: 'readDimacsFile',
    input: 'a `.co` declaring 3 nodes with coordinates for 2',
    outcome: 'error',
    expected: "DimacsError `CO:3: problem line declares 3 nodes, file has 2 coordinates`",
    async run(t) {
      const gr = t.write('g.gr', 'p sp 3 2\na 1 2 5\na 2 3 7\n');
      const co = t.write('g.co', 'p aux sp co 3\nv 1 1250000 45830000\nv 2 1251000 45830000\n');
      await expectError(() => readDimacsFile(gr, co), DimacsError, `${co}:3: problem line declares 3 nodes, file has 2 coordinates`);
    },
  },

  // ---------------------------------------------------------------- cost matrix (readCostMatrix)
  {
    id: 'costs-missing-columns',
    target: 'readCostMatrix',
    input: 'a cost file with columns `origin,dest,time` read as `origin,facility,cost`',
    outcome: 'error',
    expected: 'CostFileError `FILE: missing columns "facility" (facility id), "cost" (cost); the header has "origin", "dest", "time"`',
    async run(t) {
      const o = costOptions(t, 'origin,dest,time\n01,A,5\n', 'id,households\n01,3\n');
      const e = await expectError(() => readCostMatrix(o), CostFileError, `${o.costsFile}: missing columns "facility" (facility id), "cost" (cost); the header has "origin", "dest", "time"`);
      expect((e as CostFileError).line).toBe(1);
    },
  },
  {
    id: 'costs-negative',
    target: 'readCostMatrix',
    input: 'a cost of -4 on line 3',
    outcome: 'error',
    expected: 'CostFileError `FILE:3: negative cost -4 in column "cost"`',
    async run(t) {
      const o = costOptions(t, 'origin,facility,cost\n01,A,5\n02,A,-4\n', 'id,households\n01,3\n02,1\n');
      await expectError(() => readCostMatrix(o), CostFileError, `${o.costsFile}:3: negative cost -4 in column "cost"`);
    },
  },
  {
    id: 'costs-non-numeric',
    target: 'readCostMatrix',
    input: 'a cost written `12 min`',
    outcome: 'error',
    expected: 'CostFileError `FILE:2: cost "12 min" in column "cost" is not a number`',
    async run(t) {
      const o = costOptions(t, 'origin,facility,cost\n01,A,12 min\n', 'id,households\n01,3\n');
      await expectError(() => readCostMatrix(o), CostFileError, `${o.costsFile}:2: cost "12 min" in column "cost" is not a number`);
    },
  },
  {
    id: 'costs-leading-zeros',
    target: 'readCostMatrix',
    input: 'ids `007` and `7`, facility `0012`: numeric-looking ids with leading zeros',
    outcome: 'accepted',
    expected: 'kept as distinct strings (`007` ≠ `7`), never parsed as numbers',
    async run(t) {
      const m = await readCostMatrix(costOptions(t, 'origin,facility,cost\n007,0012,5\n7,0012,50\n', 'id,households\n007,3\n7,1\n'));
      expect(m.demandIds).toEqual(['007', '7']);
      expect(m.facilityIds).toEqual(['0012']);
      expect(Array.from(m.cover.row(0))).toEqual([0]);
    },
  },
  {
    id: 'costs-demand-absent',
    target: 'readCostMatrix',
    input: 'a demand unit (`03`) that never appears in the cost file',
    outcome: 'accepted',
    expected: 'reported as never coverable (`absent`, `uncoverable`), not an error',
    async run(t) {
      const m = await readCostMatrix(costOptions(t, 'origin,facility,cost\n01,A,5\n02,A,7\n', 'id,households\n01,3\n02,1\n03,4\n'));
      expect(Array.from(m.absent, (u) => m.demandIds[u])).toEqual(['03']);
      expect(Array.from(m.uncoverable, (u) => m.demandIds[u])).toEqual(['03']);
    },
  },
  {
    id: 'costs-unknown-demand',
    target: 'readCostMatrix',
    input: 'a cost row for demand id `99`, absent from the demand file',
    outcome: 'error',
    expected: 'CostFileError `FILE:3: demand id "99" is not in the demand file DEMAND`',
    async run(t) {
      const o = costOptions(t, 'origin,facility,cost\n01,A,5\n99,A,7\n', 'id,households\n01,3\n');
      await expectError(() => readCostMatrix(o), CostFileError, `${o.costsFile}:3: demand id "99" is not in the demand file ${o.demandFile}`);
    },
  },
  {
    id: 'costs-duplicate-demand',
    target: 'readCostMatrix',
    input: 'the demand id `01` listed twice in the demand file',
    outcome: 'error',
    expected: 'CostFileError `DEMAND:3: duplicate demand id "01" (first at line 2)`',
    async run(t) {
      const o = costOptions(t, 'origin,facility,cost\n01,A,5\n', 'id,households\n01,3\n01,4\n');
      await expectError(() => readCostMatrix(o), CostFileError, `${o.demandFile}:3: duplicate demand id "01" (first at line 2)`);
    },
  },
  {
    id: 'costs-negative-weight',
    target: 'readCostMatrix',
    input: 'a demand weight of -3',
    outcome: 'error',
    expected: 'CostFileError `DEMAND:2: weight "-3" in column "households" is not a finite number ≥ 0`',
    async run(t) {
      const o = costOptions(t, 'origin,facility,cost\n01,A,5\n', 'id,households\n01,-3\n');
      await expectError(() => readCostMatrix(o), CostFileError, `${o.demandFile}:2: weight "-3" in column "households" is not a finite number ≥ 0`);
    },
  },
  {
    id: 'costs-latin1',
    target: 'readCostMatrix',
    input: 'a demand file in Latin-1 (`Évaux` on line 3)',
    outcome: 'error',
    expected: 'CostFileError `DEMAND:3: not valid UTF-8 (byte 0xc9): …`',
    async run(t) {
      const o = costOptions(t, 'origin,facility,cost\nLimoges,A,5\n', '');
      t.write('demand.csv', Buffer.from('id,households\nLimoges,3\nÉvaux,4\n', 'latin1'));
      await expectError(
        () => readCostMatrix(o),
        CostFileError,
        `${o.demandFile}:3: not valid UTF-8 (byte 0xc9): the file looks Latin-1/Windows-1252 encoded; re-save it as UTF-8`,
      );
    },
  },
  {
    id: 'costs-empty-file',
    target: 'readCostMatrix',
    input: 'an empty cost file',
    outcome: 'error',
    expected: 'CostFileError `FILE: empty file (no header)`',
    async run(t) {
      const o = costOptions(t, '', 'id,households\n01,3\n');
      await expectError(() => readCostMatrix(o), CostFileError, `${o.costsFile}: empty file (no header)`);
    },
  },
];

function escape(s: string): string {
  return s.replace(/[.*+?^${}()|[\]\\]/g, '\\$&');
}
