/**
 * OSM suite: reading and car-graph building on the shared extracts, side by side with
 * osmium-tool as the reading peer, plus snapping throughput.
 *
 * - read: one full decoding pass (every node's coordinates, every way's tags and node refs),
 *   against `osmium cat -f opl FILE -o /dev/null -O` (decodes and writes every object),
 *   timed in the same run. osmium's time includes its process start-up, measured apart on
 *   a header-only file and reported in the notes.
 * - build: buildCarGraph (two passes + contraction + largest component), per million
 *   OSM nodes of the file; node/arc counts before and after contraction in the notes.
 * - snap: Snapper.snap on 100,000 random points (the household-cell workload).
 * Times: median of ≥ 5 runs after three warm-up runs.
 *
 * Run alone: pnpm tsx benchmarks/src/osm.ts   (prints a markdown table)
 */
import { spawnSync } from 'node:child_process';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { Snapper, buildCarGraph, fflateInflate, readOsm } from '@fs-access/osm';
import type { BenchRow } from './types.ts';

export type { BenchRow };

const here = path.dirname(fileURLToPath(import.meta.url));
const OSM_DIR = path.resolve(here, '../../../shared/data/osm');
const EXTRACTS = ['monaco', 'andorra', 'north-bayreuth'];

interface Timing {
  median: number;
  min: number;
  max: number;
}

function summarize(samples: number[]): Timing {
  const s = [...samples].sort((a, b) => a - b);
  const mid = s.length >> 1;
  return { median: s.length % 2 ? s[mid] : (s[mid - 1] + s[mid]) / 2, min: s[0], max: s[s.length - 1] };
}

/**
 * Median of `runs` timed runs after 3 warm-up runs: on inputs this small a single warm-up
 * leaves the first timed runs in V8's baseline tier, which would measure the JIT, not the code.
 */
async function time<T>(fn: () => Promise<T> | T, runs: number): Promise<{ t: Timing; result: T }> {
  let result = await fn();
  for (let i = 0; i < 2; i++) result = await fn();
  const samples: number[] = [];
  for (let i = 0; i < runs; i++) {
    const t0 = performance.now();
    result = await fn();
    samples.push(performance.now() - t0);
  }
  return { t: summarize(samples), result };
}

function osmiumAvailable(): string | null {
  const r = spawnSync('osmium', ['--version'], { encoding: 'utf8' });
  return r.status === 0 ? r.stdout.split('\n')[0].trim() : null;
}

function osmiumCat(file: string): void {
  const r = spawnSync('osmium', ['cat', '-f', 'opl', file, '-o', '/dev/null', '-O'], { encoding: 'utf8' });
  if (r.status !== 0) throw new Error(`osmium cat failed on ${file}: ${r.stderr}`);
}

/** One full decoding pass: coordinates of every node, tags and refs of every way. */
async function fullRead(input: string | Uint8Array, browser: boolean): Promise<{ nodes: number; ways: number; tags: number }> {
  let tags = 0;
  let checksum = 0;
  const c = await readOsm(
    input,
    {
      nodes(ids, lons, lats, count) {
        for (let i = 0; i < count; i++) checksum += lons[i] + lats[i];
      },
      way(w) {
        for (let i = 0; i < w.tagCount; i++) tags += w.key(i).length + w.value(i).length > 0 ? 1 : 0;
        const r = w.refs();
        if (w.refCount > 0) checksum += r[0];
      },
    },
    browser ? { inflate: fflateInflate } : {},
  );
  if (!Number.isFinite(checksum)) throw new Error('bad checksum');
  return { nodes: c.nodes, ways: c.ways, tags };
}

const fmt = (n: number) => n.toLocaleString('en-US');

export async function runOsmBench(options: { runs?: number } = {}): Promise<BenchRow[]> {
  const runs = Math.max(5, options.runs ?? 7);
  const rows: BenchRow[] = [];
  const osmium = osmiumAvailable();
  let startup: Timing | null = null;
  if (osmium) {
    // osmium's process start-up, on a file with an OSMHeader block only.
    const tmp = fs.mkdtempSync(path.join(os.tmpdir(), 'fs-osm-bench-'));
    const empty = path.join(tmp, 'empty.osm.pbf');
    spawnSync('osmium', ['tags-filter', path.join(OSM_DIR, 'monaco.osm.pbf'), 'n/nonexistent_key_xyz', '-o', empty, '-O']);
    if (fs.existsSync(empty)) startup = (await time(() => osmiumCat(empty), runs)).t;
    fs.rmSync(tmp, { recursive: true, force: true });
  }

  for (const name of EXTRACTS) {
    const file = path.join(OSM_DIR, `${name}.osm.pbf`);
    if (!fs.existsSync(file)) {
      rows.push({ suite: 'osm', input: name, size: '', ours_ms: NaN, notes: `skipped: ${file} not found` });
      continue;
    }
    const bytes = fs.statSync(file).size;
    const mb = bytes / 1e6;

    // Reading, Node path (file streaming + node:zlib) and browser path (bytes + fflate).
    const read = await time(() => fullRead(file, false), runs);
    const data = new Uint8Array(fs.readFileSync(file));
    const readBrowser = await time(() => fullRead(data, true), runs);
    let peer: Timing | null = null;
    if (osmium) peer = (await time(() => osmiumCat(file), runs)).t;
    const size = `${(bytes / 1024).toFixed(0)} KiB, ${fmt(read.result.nodes)} nodes, ${fmt(read.result.ways)} ways`;
    const peerCols = (ours: Timing) =>
      peer
        ? { peer: osmium!, peer_ms: peer.median, peer_min_ms: peer.min, peer_max_ms: peer.max, ratio: ours.median / peer.median }
        : { peer: 'skipped: osmium-tool not installed (apt-get install osmium-tool)' };
    const startupNote = startup ? `; osmium process start-up alone ${startup.median.toFixed(1)} ms` : '';
    rows.push({
      suite: 'osm-read',
      input: `${name} (path, node:zlib)`,
      size,
      ours_ms: read.t.median,
      ours_min_ms: read.t.min,
      ours_max_ms: read.t.max,
      ...peerCols(read.t),
      notes: `${(mb / (read.t.median / 1000)).toFixed(1)} MB/s; full decode of every node and way tag${startupNote}`,
    });
    rows.push({
      suite: 'osm-read',
      input: `${name} (bytes, fflate: browser path)`,
      size,
      ours_ms: readBrowser.t.median,
      ours_min_ms: readBrowser.t.min,
      ours_max_ms: readBrowser.t.max,
      ...peerCols(readBrowser.t),
      notes: `${(mb / (readBrowser.t.median / 1000)).toFixed(1)} MB/s`,
    });

    // Build.
    const build = await time(() => buildCarGraph(file), runs);
    const g = build.result;
    const s = g.stats;
    const memory = g.graph.byteLength + g.edgeCoords.byteLength + g.edgeOffsets.byteLength + g.edgeLength.byteLength + g.arcLength.byteLength + g.arcEdge.byteLength + g.arcReversed.byteLength + 8 * g.edgeCount;
    rows.push({
      suite: 'osm-build',
      input: name,
      size: `${fmt(s.osmNodes)} OSM nodes, ${fmt(s.carWays)} car ways`,
      ours_ms: build.t.median,
      ours_min_ms: build.t.min,
      ours_max_ms: build.t.max,
      peer: 'none (no graph-building peer installed)',
      memory_bytes: memory,
      notes:
        `${(build.t.median / (s.osmNodes / 1e6)).toFixed(0)} ms per million OSM nodes; ${(mb / (build.t.median / 1000)).toFixed(1)} MB/s; ` +
        `before contraction ${fmt(s.nodesBeforeContraction)} nodes / ${fmt(s.arcsBeforeContraction)} arcs, ` +
        `after ${fmt(s.contractedNodes)} / ${fmt(s.contractedArcs)}, largest component ${fmt(s.nodes)} / ${fmt(s.arcs)} ` +
        `(${fmt(s.removedNodes)} nodes in ${fmt(s.removedComponents)} other components removed)`,
    });

    // Snapping 100,000 random points in the graph's bounding box.
    const c = g.graph.coords!;
    let [x0, y0, x1, y1] = [Infinity, Infinity, -Infinity, -Infinity];
    for (let u = 0; u < g.graph.n; u++) {
      x0 = Math.min(x0, c[2 * u]);
      x1 = Math.max(x1, c[2 * u]);
      y0 = Math.min(y0, c[2 * u + 1]);
      y1 = Math.max(y1, c[2 * u + 1]);
    }
    let seed = 12345;
    const rand = () => ((seed = (Math.imul(seed, 1103515245) + 12345) >>> 0) / 4294967296);
    const N = 100_000;
    const pts = new Float64Array(2 * N);
    for (let i = 0; i < N; i++) {
      pts[2 * i] = x0 + rand() * (x1 - x0);
      pts[2 * i + 1] = y0 + rand() * (y1 - y0);
    }
    const index = await time(() => new Snapper(g), runs);
    const snapper = index.result;
    const snap = await time(() => {
      let hits = 0;
      for (let i = 0; i < N; i++) if (snapper.snap(pts[2 * i], pts[2 * i + 1], 2000)) hits++;
      return hits;
    }, runs);
    rows.push({
      suite: 'osm-snap',
      input: name,
      size: `100,000 points, ${fmt(snapper.size)} segments`,
      ours_ms: snap.t.median,
      ours_min_ms: snap.t.min,
      ours_max_ms: snap.t.max,
      notes: `${((snap.t.median * 1000) / N).toFixed(2)} µs per point; ${fmt(snap.result)} within 2 km; index built in ${index.t.median.toFixed(1)} ms`,
    });
  }
  return rows;
}

function markdown(rows: BenchRow[]): string {
  const f = (x: number | undefined, d = 1) => (x === undefined || !Number.isFinite(x) ? '' : x.toFixed(d));
  const lines = [
    '| suite | input | size | ours ms (min–max) | peer | peer ms (min–max) | ratio | memory | notes |',
    '|---|---|---|---|---|---|---|---|---|',
  ];
  for (const r of rows) {
    lines.push(
      `| ${r.suite} | ${r.input} | ${r.size} | ${f(r.ours_ms)} (${f(r.ours_min_ms)}–${f(r.ours_max_ms)}) | ${r.peer ?? ''} | ${r.peer_ms === undefined ? '' : `${f(r.peer_ms)} (${f(r.peer_min_ms)}–${f(r.peer_max_ms)})`} | ${f(r.ratio, 2)} | ${r.memory_bytes ? `${(r.memory_bytes / 1024).toFixed(0)} KiB` : ''} | ${r.notes ?? ''} |`,
    );
  }
  return lines.join('\n');
}

if (process.argv[1] && path.resolve(process.argv[1]) === fileURLToPath(import.meta.url)) {
  runOsmBench().then(
    (rows) => process.stdout.write(markdown(rows) + '\n'),
    (err) => {
      process.stderr.write(`osm bench: ${(err as Error).stack ?? err}\n`);
      process.exitCode = 1;
    },
  );
}
