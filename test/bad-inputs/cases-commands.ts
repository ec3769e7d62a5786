/**
 * Catalogue cases for the `fs-access` commands, run as child processes: wrong files, wrong
 * values, wrong output folders. Each checks the exit code, the exact message line, and
 * that no output (nor temp) was left in the case folder.
 */
import crypto from 'node:crypto';
import fs from 'node:fs';
import path from 'node:path';
import zlib from 'node:zlib';
import { expect } from 'vitest';
import { writePbf } from '../../packages/osm/test/pbf-writer.ts';
import type { Case } from './case.ts';
import { expectCliError, fsAccess, repoRoot, rng, serveDir } from './harness.ts';

const SITES_HEADER = 'id_fs,insee_dep,lib_fs,insee_com,latitude,longitude';
const NODES = [
  { id: 1, lon: 1.25, lat: 45.83 },
  { id: 2, lon: 1.251, lat: 45.83 },
  { id: 3, lon: 1.252, lat: 45.831 },
];
const GRAPH = 'p sp 3 3\na 1 2 5\na 2 3 7\na 3 1 2\n';
const COSTS = 'origin,facility,cost\n01,A,5\n02,A,7\n02,B,3\n';
const DEMAND = 'id,households\n01,3\n02,1\n';
const manifest = () => JSON.parse(fs.readFileSync(path.join(repoRoot, 'data/manifest.json'), 'utf8')) as { sources: { name: string; path: string; sha256: string; size: number }[] };

const randomBytes = (n: number, seed: number) => {
  const r = rng(seed);
  return Uint8Array.from({ length: n }, () => Math.floor(r() * 256));
};
const headerLength = (b: Uint8Array) => ((b[0] << 24) | (b[1] << 16) | (b[2] << 8) | b[3]) >>> 0;

export const commandCases: Case[] = [
  // ---------------------------------------------------------------- report
  {
    id: 'report-thresholds-negative',
    target: 'fs-access report',
    input: '`--thresholds -5`',
    outcome: 'exit',
    expected: 'exit 2: `--thresholds: minutes must be > 0 and ≤ 1440, got "-5"`',
    needsData: true,
    async run(t) {
      const r = await fsAccess(['report', '--departement', '87', '--thresholds', '-5', '--out', t.out('out')]);
      expectCliError(r, 'report', 2, null, '--thresholds: minutes must be > 0 and ≤ 1440, got "-5"');
    },
  },
  {
    id: 'report-thresholds-zero',
    target: 'fs-access report',
    input: '`--thresholds 20,0`',
    outcome: 'exit',
    expected: 'exit 2: `--thresholds: minutes must be > 0 and ≤ 1440, got "20,0"`',
    needsData: true,
    async run(t) {
      const r = await fsAccess(['report', '--departement', '87', '--thresholds', '20,0', '--out', t.out('out')]);
      expectCliError(r, 'report', 2, null, '--thresholds: minutes must be > 0 and ≤ 1440, got "20,0"');
    },
  },
  {
    id: 'report-unknown-departement',
    target: 'fs-access report',
    input: '`--departement 99`',
    outcome: 'exit',
    expected: 'exit 2: `--departement: unknown code "99"; valid codes: 01, 02, …, all`',
    needsData: true,
    async run(t) {
      const r = await fsAccess(['report', '--departement', '99', '--out', t.out('out')]);
      expectCliError(r, 'report', 2, null, /^--departement: unknown code "99"; valid codes: 01, 02, 03, .*, 2A, 2B, .*, 87, .*, 974, .*, all$/);
    },
  },
  {
    id: 'report-missing-sites-file',
    target: 'fs-access report',
    input: '`--sites` naming a file that does not exist',
    outcome: 'exit',
    expected: 'exit 2: `--sites: file not found: FILE`',
    needsData: true,
    async run(t) {
      const missing = t.out('nope.csv');
      const r = await fsAccess(['report', '--departement', '87', '--sites', missing, '--out', t.out('out')]);
      expectCliError(r, 'report', 2, null, `--sites: file not found: ${missing}`);
    },
  },
  {
    id: 'report-out-not-empty',
    target: 'fs-access report',
    input: '`--out` naming a folder that exists and holds a file',
    outcome: 'exit',
    expected: 'exit 2: `--out: DIR exists and is not an empty folder`; the folder is left as it was',
    needsData: true,
    async run(t) {
      const keep = t.write('out/notes.txt', 'mine\n');
      const out = path.dirname(keep);
      const r = await fsAccess(['report', '--departement', '87', '--out', out]);
      expectCliError(r, 'report', 2, null, `--out: ${out} exists and is not an empty folder`);
      expect(fs.readdirSync(out)).toEqual(['notes.txt']);
      expect(fs.readFileSync(keep, 'utf8')).toBe('mine\n');
    },
  },
  {
    id: 'report-out-is-file',
    target: 'fs-access report',
    input: '`--out` naming an existing file',
    outcome: 'exit',
    expected: 'exit 2: `--out: FILE exists and is not an empty folder`; the file is untouched',
    needsData: true,
    async run(t) {
      const out = t.write('out', 'a file\n');
      const r = await fsAccess(['report', '--departement', '87', '--out', out]);
      expectCliError(r, 'report', 2, null, `--out: ${out} exists and is not an empty folder`);
      expect(fs.readFileSync(out, 'utf8')).toBe('a file\n');
    },
  },
  {
    id: 'report-sites-latin1',
    target: 'fs-access report',
    input: '`--sites` in Latin-1',
    outcome: 'exit',
    expected: 'exit 1: `EncodingError: FILE:3: not valid UTF-8 (byte 0xe9); …`',
    needsData: true,
    async run(t) {
      const f = t.write('sites.csv', Buffer.from(`${SITES_HEADER}\n1,87,Limoges,87085,45.83,1.26\n2,87,Bellac Mairie déléguée,87011,46.12,1.05\n`, 'latin1'));
      const r = await fsAccess(['report', '--departement', '87', '--sites', f, '--out', t.out('out')]);
      expectCliError(r, 'report', 1, 'EncodingError', `${f}:3: not valid UTF-8 (byte 0xe9); the file looks Latin-1/Windows-1252 encoded: re-save it as UTF-8 or load it with encoding 'latin1'`);
    },
  },
  {
    id: 'report-sites-swapped',
    target: 'fs-access report',
    input: '`--sites` with latitude and longitude columns exchanged',
    outcome: 'exit',
    expected: 'exit 1: `UnusableInputError: FILE:2: 2 of 2 sites rejected as swapped-lat-lon (…)`, no report drawn from no site',
    needsData: true,
    async run(t) {
      const f = t.write('sites.csv', `${SITES_HEADER}\n1,87,Limoges,87085,1.26,45.83\n2,87,Bellac,87011,1.05,46.12\n`);
      const r = await fsAccess(['report', '--departement', '87', '--sites', f, '--out', t.out('out')]);
      expectCliError(
        r,
        'report',
        1,
        'UnusableInputError',
        `${f}:2: 2 of 2 sites rejected as swapped-lat-lon (first: longitude 45.83, latitude 1.26 are plausible only swapped (latitude and longitude columns exchanged?)); latitude and longitude look exchanged: swap the two columns`,
      );
    },
  },
  {
    id: 'report-communes-header-only',
    target: 'fs-access report',
    input: '`--communes` holding only its header',
    outcome: 'exit',
    expected: 'exit 1: `EmptyInputError: FILE: header only, no record after line 1`',
    needsData: true,
    async run(t) {
      const f = t.write('communes.csv', 'insee_com,insee_dep,commune,commune_type,lat,lng,population_2021,menages_2021\n');
      const r = await fsAccess(['report', '--departement', '87', '--communes', f, '--out', t.out('out')]);
      expectCliError(r, 'report', 1, 'EmptyInputError', `${f}: header only, no record after line 1`);
    },
  },
  {
    id: 'report-osm-random',
    target: 'fs-access report',
    input: '`--osm` holding random bytes',
    outcome: 'exit',
    expected: 'exit 1: `OsmFormatError: FILE: blob 0 at byte 0: BlobHeader length N is outside 1..65536 (not an OSM PBF file?)`',
    needsData: true,
    async run(t) {
      const bytes = randomBytes(3000, 31);
      expect(headerLength(bytes)).toBeGreaterThan(65536);
      const f = t.write('dep.osm.pbf', bytes);
      const r = await fsAccess(['report', '--departement', '87', '--osm', f, '--out', t.out('out')]);
      expectCliError(r, 'report', 1, 'OsmFormatError', `${f}: blob 0 at byte 0: BlobHeader length ${headerLength(bytes)} is outside 1..65536 (not an OSM PBF file?)`);
    },
  },
  {
    id: 'report-grid-tabs',
    target: 'fs-access report',
    input: '`--households grid --grid` naming a tab-separated INSEE file',
    outcome: 'exit',
    expected: "exit 1: `CsvSchemaError: FILE:1: separator '\\t' not supported; expected ';' or ','`",
    needsData: true,
    async run(t) {
      const f = t.write('grid.tsv', 'Idcar_200m\tInd\tMen\tMen_pauv\nCRS3035RES200mN2563400E3635200\t25.5\t10.25\t1.5\n');
      const r = await fsAccess(['report', '--departement', '87', '--households', 'grid', '--grid', f, '--out', t.out('out')]);
      expectCliError(r, 'report', 1, 'CsvSchemaError', `${f}:1: separator '\\t' not supported; expected ';' or ','`);
    },
  },

  // ---------------------------------------------------------------- nearest
  {
    id: 'nearest-truncated-gzip',
    target: 'fs-access nearest',
    input: '`--graph` a `.gr.gz` cut short (its gzip trailer missing)',
    outcome: 'exit',
    expected: 'exit 1: `DimacsError: FILE:5: cannot read: unexpected end of file`; no `--out` file',
    async run(t) {
      const gz = zlib.gzipSync(GRAPH);
      // Four lines, all of them readable; the stream ends before gzip's 8-byte trailer.
      const f = t.write('g.gr.gz', gz.subarray(0, gz.length - 8));
      const r = await fsAccess(['nearest', '--graph', f, '--sources', '1', '--out', t.out('nearest.csv')]);
      expectCliError(r, 'nearest', 1, 'DimacsError', `${f}:5: cannot read: unexpected end of file`);
    },
  },
  {
    id: 'nearest-out-of-range-arc',
    target: 'fs-access nearest',
    input: '`--graph` with an arc to node 9 of 3',
    outcome: 'exit',
    expected: 'exit 1: `DimacsError: FILE:3: node id 9 out of range 1..3`',
    async run(t) {
      const f = t.write('g.gr', 'p sp 3 2\na 1 2 5\na 2 9 1\n');
      const r = await fsAccess(['nearest', '--graph', f, '--sources', '1', '--out', t.out('nearest.csv')]);
      expectCliError(r, 'nearest', 1, 'DimacsError', `${f}:3: node id 9 out of range 1..3`);
    },
  },
  {
    id: 'nearest-source-zero',
    target: 'fs-access nearest',
    input: '`--sources 0` (DIMACS ids start at 1)',
    outcome: 'exit',
    expected: 'exit 2: `--sources: "0" is not a node id (1..3)`',
    async run(t) {
      const f = t.write('g.gr', GRAPH);
      const r = await fsAccess(['nearest', '--graph', f, '--sources', '0', '--out', t.out('nearest.csv')]);
      expectCliError(r, 'nearest', 2, null, '--sources: "0" is not a node id (1..3)');
    },
  },
  {
    id: 'nearest-negative-max',
    target: 'fs-access nearest',
    input: '`--max -1`',
    outcome: 'exit',
    expected: 'exit 2: `--max must be ≥ 0, got -1`',
    async run(t) {
      const f = t.write('g.gr', GRAPH);
      const r = await fsAccess(['nearest', '--graph', f, '--sources', '1', '--max', '-1', '--out', t.out('nearest.csv')]);
      expectCliError(r, 'nearest', 2, null, '--max must be ≥ 0, got -1');
    },
  },
  {
    id: 'nearest-missing-graph',
    target: 'fs-access nearest',
    input: '`--graph` naming a file that does not exist',
    outcome: 'exit',
    expected: 'exit 2: `--graph: file not found: FILE`',
    async run(t) {
      const missing = t.out('nope.gr');
      const r = await fsAccess(['nearest', '--graph', missing, '--sources', '1', '--out', t.out('nearest.csv')]);
      expectCliError(r, 'nearest', 2, null, `--graph: file not found: ${missing}`);
    },
  },

  // ---------------------------------------------------------------- route
  {
    id: 'route-random-bytes',
    target: 'fs-access route',
    input: '`--osm` holding random bytes, with `--geojson` output',
    outcome: 'exit',
    expected: 'exit 1: `OsmFormatError: FILE: blob 0 at byte 0: …`; no GeoJSON written',
    async run(t) {
      const bytes = randomBytes(5000, 99);
      expect(headerLength(bytes)).toBeGreaterThan(65536);
      const f = t.write('x.osm.pbf', bytes);
      const r = await fsAccess(['route', '--osm', f, '--from', '45.83,1.25', '--to', '45.831,1.252', '--geojson', t.out('route.geojson')]);
      expectCliError(r, 'route', 1, 'OsmFormatError', `${f}: blob 0 at byte 0: BlobHeader length ${headerLength(bytes)} is outside 1..65536 (not an OSM PBF file?)`);
    },
  },
  {
    id: 'route-no-highway',
    target: 'fs-access route',
    input: '`--osm` an extract without any highway',
    outcome: 'exit',
    expected: 'exit 1: `OsmFormatError: FILE: whole file (3 nodes, 1 way): no road a car can use: …`',
    async run(t) {
      const f = t.write('b.osm.pbf', writePbf(NODES, [{ id: 10, refs: [1, 2, 3, 1], tags: { landuse: 'meadow' } }]));
      const r = await fsAccess(['route', '--osm', f, '--from', '45.83,1.25', '--to', '45.831,1.252', '--geojson', t.out('route.geojson')]);
      expectCliError(r, 'route', 1, 'OsmFormatError', `${f}: whole file (3 nodes, 1 way): no road a car can use: no way has a highway tag: this is not a road extract`);
    },
  },
  {
    id: 'route-far-point',
    target: 'fs-access route',
    input: 'a start point 50 km from the roads of the extract',
    outcome: 'exit',
    expected: 'exit 1: `RouteError: start point (lat 46.3, lon 1.25) is farther than 1000 m from any road of FILE`',
    async run(t) {
      const f = t.write('r.osm.pbf', writePbf(NODES, [{ id: 10, refs: [1, 2, 3], tags: { highway: 'residential' } }]));
      const r = await fsAccess(['route', '--osm', f, '--from', '46.3,1.25', '--to', '45.831,1.252', '--geojson', t.out('route.geojson')]);
      expectCliError(r, 'route', 1, 'RouteError', `start point (lat 46.3, lon 1.25) is farther than 1000 m from any road of ${f}`);
    },
  },
  {
    id: 'route-latitude-out-of-range',
    target: 'fs-access route',
    input: '`--from 95,2`',
    outcome: 'exit',
    expected: 'exit 2: `--from: latitude must be a number in -90..90, got "95"`',
    async run(t) {
      const f = t.write('r.osm.pbf', writePbf(NODES, [{ id: 10, refs: [1, 2, 3], tags: { highway: 'residential' } }]));
      const r = await fsAccess(['route', '--osm', f, '--from', '95,2', '--to', '45.831,1.252']);
      expectCliError(r, 'route', 2, null, '--from: latitude must be a number in -90..90, got "95"');
    },
  },

  // ---------------------------------------------------------------- cover
  {
    id: 'cover-negative-cost',
    target: 'fs-access cover',
    input: '`--costs` with a cost of -4',
    outcome: 'exit',
    expected: 'exit 1: `CostFileError: FILE:3: negative cost -4 in column "cost"`',
    async run(t) {
      const costs = t.write('costs.csv', 'origin,facility,cost\n01,A,5\n02,A,-4\n');
      const demand = t.write('demand.csv', DEMAND);
      const r = await fsAccess(['cover', '--costs', costs, '--from-col', 'origin', '--to-col', 'facility', '--cost-col', 'cost', '--demand', demand, '--id-col', 'id', '--radius', '10', '--p', '1']);
      expectCliError(r, 'cover', 1, 'CostFileError', `${costs}:3: negative cost -4 in column "cost"`);
    },
  },
  {
    id: 'cover-p-negative',
    target: 'fs-access cover',
    input: '`--p -1`',
    outcome: 'exit',
    expected: 'exit 2: `--p must be ≥ 0, got -1`',
    async run(t) {
      const costs = t.write('costs.csv', COSTS);
      const demand = t.write('demand.csv', DEMAND);
      const r = await fsAccess(['cover', '--costs', costs, '--from-col', 'origin', '--to-col', 'facility', '--cost-col', 'cost', '--demand', demand, '--id-col', 'id', '--radius', '10', '--p', '-1']);
      expectCliError(r, 'cover', 2, null, '--p must be ≥ 0, got -1');
    },
  },
  {
    id: 'cover-radius-text',
    target: 'fs-access cover',
    input: '`--radius ten`',
    outcome: 'exit',
    expected: 'exit 2: `--radius must be a number, got "ten"`',
    async run(t) {
      const costs = t.write('costs.csv', COSTS);
      const demand = t.write('demand.csv', DEMAND);
      const r = await fsAccess(['cover', '--costs', costs, '--from-col', 'origin', '--to-col', 'facility', '--cost-col', 'cost', '--demand', demand, '--id-col', 'id', '--radius', 'ten', '--p', '1']);
      expectCliError(r, 'cover', 2, null, '--radius must be a number, got "ten"');
    },
  },
  {
    id: 'cover-unknown-existing',
    target: 'fs-access cover',
    input: '`--existing Z`, a facility the cost file does not list',
    outcome: 'exit',
    expected: 'exit 2: `--existing: facility "Z" is not in FILE`',
    async run(t) {
      const costs = t.write('costs.csv', COSTS);
      const demand = t.write('demand.csv', DEMAND);
      const r = await fsAccess(['cover', '--costs', costs, '--from-col', 'origin', '--to-col', 'facility', '--cost-col', 'cost', '--demand', demand, '--id-col', 'id', '--radius', '10', '--p', '1', '--existing', 'Z']);
      expectCliError(r, 'cover', 2, null, `--existing: facility "Z" is not in ${costs}`);
    },
  },
  {
    id: 'cover-wrong-id-column',
    target: 'fs-access cover',
    input: '`--id-col code` on a demand file whose id column is `id`',
    outcome: 'exit',
    expected: 'exit 1: `CostFileError: DEMAND: missing column "code" (demand id); the header has "id", "households"`',
    async run(t) {
      const costs = t.write('costs.csv', COSTS);
      const demand = t.write('demand.csv', DEMAND);
      const r = await fsAccess(['cover', '--costs', costs, '--from-col', 'origin', '--to-col', 'facility', '--cost-col', 'cost', '--demand', demand, '--id-col', 'code', '--radius', '10', '--p', '1']);
      expectCliError(r, 'cover', 1, 'CostFileError', `${demand}: missing column "code" (demand id); the header has "id", "households"`);
    },
  },

  // ---------------------------------------------------------------- data
  {
    id: 'data-fetch-unknown-name',
    target: 'fs-access data',
    input: '`data fetch nosuch`',
    outcome: 'exit',
    expected: 'exit 1: `ManifestError: unknown source or group "nosuch"; groups: …`; the cache untouched',
    async run(t) {
      const r = await fsAccess(['data', 'fetch', 'nosuch', '--cache', t.out('cache'), '--no-mirror']);
      expectCliError(r, 'data', 1, 'ManifestError', /^unknown source or group "nosuch"; groups: .*default.*, all \(`fs-access data list` shows the sources\)$/);
    },
  },
  {
    id: 'data-fetch-checksum',
    target: 'fs-access data',
    input: 'the server sends a file whose sha256 differs from the manifest',
    outcome: 'exit',
    expected: 'exit 1: `ChecksumError: annuaire-87: sha256 of URL is X, the manifest says Y; nothing was written to the cache`',
    async run(t) {
      const entry = manifest().sources.find((s) => s.name === 'annuaire-87')!;
      const bytes = Buffer.from('{"id":"x"}\n'.repeat(1000));
      t.write(`served/${entry.path}`, bytes);
      const server = await serveDir(path.join(t.dir, 'served'));
      try {
        const r = await fsAccess(['data', 'fetch', 'annuaire-87', '--no-mirror', '--base-url', server.url, '--cache', t.out('cache'), '--retries', '0']);
        const actual = crypto.createHash('sha256').update(bytes).digest('hex');
        expectCliError(r, 'data', 1, 'ChecksumError', `annuaire-87: sha256 of ${server.url}/${entry.path} is ${actual}, the manifest says ${entry.sha256}; nothing was written to the cache`);
      } finally {
        await server.close();
      }
    },
  },
  {
    id: 'data-fetch-404',
    target: 'fs-access data',
    input: 'the server answers 404',
    outcome: 'exit',
    expected: 'exit 1: `DownloadError: URL: HTTP 404 Not Found`',
    async run(t) {
      const entry = manifest().sources.find((s) => s.name === 'outlines-87')!;
      fs.mkdirSync(t.input(path.join(t.dir, 'served')));
      const server = await serveDir(path.join(t.dir, 'served'));
      try {
        const r = await fsAccess(['data', 'fetch', 'outlines-87', '--no-mirror', '--base-url', server.url, '--cache', t.out('cache')]);
        expectCliError(r, 'data', 1, 'DownloadError', `${server.url}/${entry.path}: HTTP 404 Not Found`);
        expect(server.log.length).toBe(1); // a 404 is not retried
      } finally {
        await server.close();
      }
    },
  },
  {
    id: 'data-fetch-retries-out-of-range',
    target: 'fs-access data',
    input: '`data fetch --retries 99`',
    outcome: 'exit',
    expected: 'exit 2: `--retries must be between 0 and 20, got 99`',
    async run(t) {
      const r = await fsAccess(['data', 'fetch', 'annuaire-87', '--no-mirror', '--retries', '99', '--cache', t.out('cache')]);
      expectCliError(r, 'data', 2, null, '--retries must be between 0 and 20, got 99');
    },
  },
  {
    id: 'data-fetch-missing-mirror',
    target: 'fs-access data',
    input: '`data fetch --mirror` naming a folder that does not exist',
    outcome: 'exit',
    expected: 'exit 2: `--mirror: no such directory: DIR`',
    async run(t) {
      const missing = t.out('no-mirror-here');
      const r = await fsAccess(['data', 'fetch', 'annuaire-87', '--mirror', missing, '--cache', t.out('cache')]);
      expectCliError(r, 'data', 2, null, `--mirror: no such directory: ${missing}`);
    },
  },
];

/** Cases of the planning commands (`sites`, `closure`), added when those commands exist. */
export const planningCases: Case[] = [
  {
    id: 'sites-k-zero',
    target: 'fs-access sites',
    input: '`--k 0`',
    outcome: 'exit',
    expected: 'exit 2: `--k must be between 1 and 10000, got 0`',
    needsData: true,
    async run(t) {
      const r = await fsAccess(['sites', '--departement', '87', '--k', '0', '--out', t.out('out')]);
      expectCliError(r, 'sites', 2, null, '--k must be between 1 and 10000, got 0');
    },
  },
  {
    id: 'closure-unknown-site',
    target: 'fs-access closure',
    input: '`--site NOPE`, an id no site has',
    outcome: 'exit',
    expected: 'exit 2: `--site: unknown site id "NOPE"; sites of 87: …`',
    needsData: true,
    async run(t) {
      const r = await fsAccess(['closure', '--departement', '87', '--site', 'NOPE', '--out', t.out('out')]);
      expectCliError(r, 'closure', 2, null, /^--site: unknown site id "NOPE"; sites of 87: \d+(, \d+)*, … \(24 in all\)$/);
    },
  },
];
