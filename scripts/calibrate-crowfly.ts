/**
 * Calibrates the crow-fly model (time = great-circle distance × detour factor ÷ speed +
 * access time) on real road graphs, and writes the fit and its error to
 * packages/access/src/crowfly-calibration.json (the model's defaults).
 *
 *   pnpm tsx scripts/calibrate-crowfly.ts [--origins 60] [--per-origin 100] [--seed 1]
 *                                         [--min-km 0.5] [--max-km 40] [--out FILE] [--dry-run]
 *
 * Graphs (from data/cache or the mirror ../shared/data):
 * - DIMACS USA-road-d.NY (distance, 0.1 m units — checked below against the .co coordinates:
 *   arc weight ÷ great-circle length of the arc ≈ 10). Its travel-time twin USA-road-t.NY
 *   uses an undocumented unit (t = d × 2.5, 1.667, 1.25 or 1 for four road classes), so NY
 *   gives the detour factor only.
 * - The OSM car graphs of @fs-access/osm (Andorra, Monaco, north of Bayreuth): time in
 *   deciseconds (the French car profile's speeds) and distance in decimetres; they give the
 *   detour factor and the speed.
 *
 * Random origin–destination pairs: origins uniform over nodes (seeded PRNG), destinations
 * uniform over the nodes reached from the origin whose great-circle distance lies in
 * [min-km, max-km] (France services trips are a few km to a few tens of km). Road distance is
 * the shortest-distance path; road time the fastest path (both exact Dijkstra).
 *
 * Fit: detour factor = median of road distance ÷ great-circle distance over every pair
 * (NY and OSM, the same number of pairs drawn per graph); then, on the OSM pairs, least
 * squares of road time on great-circle distance with an intercept (the access time, kept
 * ≥ 0): time ≈ α·d + a, speed = factor ÷ α. Error: median and 90th percentile of
 * |estimate − road time| over the OSM pairs, per graph and pooled.
 */
import fs from 'node:fs';
import path from 'node:path';
import { parseArgs } from 'node:util';
import { BoundedSearch, readDimacsFile, type RoadGraph } from '../packages/graph/src/index.ts';
import { buildCarGraph } from '../packages/osm/src/index.ts';
import { findDataPath } from '../packages/data/src/index.ts';
import { greatCircleM } from '../packages/access/src/index.ts';

const { values } = parseArgs({
  options: {
    origins: { type: 'string', default: '60' },
    'per-origin': { type: 'string', default: '100' },
    seed: { type: 'string', default: '1' },
    'min-km': { type: 'string', default: '0.5' },
    'max-km': { type: 'string', default: '40' },
    out: { type: 'string', default: path.resolve(import.meta.dirname, '../packages/access/src/crowfly-calibration.json') },
    'dry-run': { type: 'boolean', default: false },
  },
});
const ORIGINS = Number(values.origins);
const PER_ORIGIN = Number(values['per-origin']);
const MIN_M = Number(values['min-km']) * 1000;
const MAX_M = Number(values['max-km']) * 1000;

/** mulberry32: a small seeded PRNG, so the pairs (and the fit) are reproducible. */
function prng(seed: number): () => number {
  let a = seed >>> 0;
  return () => {
    a = (a + 0x6d2b79f5) >>> 0;
    let t = a;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}
const random = prng(Number(values.seed));

interface Pair {
  gc: number;
  roadM: number;
  /** Road time (s); NaN for distance-only graphs. */
  timeS: number;
}

function quantile(sorted: ArrayLike<number>, p: number): number {
  if (sorted.length === 0) return NaN;
  const k = Math.min(sorted.length - 1, Math.max(0, Math.ceil(p * sorted.length) - 1));
  return sorted[k];
}
const sortedOf = (xs: number[]) => Float64Array.from(xs).sort();

/** Pairs from random origins: distance graph in dm (always), time graph in ds (optional). */
function samplePairs(dist: RoadGraph, time: RoadGraph | null, coords: Float64Array): Pair[] {
  const ds = new BoundedSearch(dist, { direction: 'from' });
  const ts = time ? new BoundedSearch(time, { direction: 'from' }) : null;
  const pairs: Pair[] = [];
  // Road distance up to 4 × the largest crow-fly distance: enough for any detour we keep.
  const maxDm = Math.ceil((MAX_M * 4) * 10);
  for (let k = 0; k < ORIGINS; k++) {
    const o = Math.floor(random() * dist.n);
    ds.run(o, maxDm);
    const reached = Array.from(ds.nodes()).filter((v) => {
      const g = greatCircleM(coords[2 * o], coords[2 * o + 1], coords[2 * v], coords[2 * v + 1]);
      return g >= MIN_M && g <= MAX_M;
    });
    // Partial Fisher–Yates: PER_ORIGIN random destinations.
    const take = Math.min(PER_ORIGIN, reached.length);
    for (let i = 0; i < take; i++) {
      const j = i + Math.floor(random() * (reached.length - i));
      [reached[i], reached[j]] = [reached[j], reached[i]];
    }
    const dests = reached.slice(0, take);
    const roadDm = dests.map((v) => ds.costs[v]);
    let timesDs: number[] | null = null;
    if (ts) {
      ts.run(o, 0xfffffffe);
      timesDs = dests.map((v) => ts.costs[v]);
    }
    dests.forEach((v, i) => {
      const gc = greatCircleM(coords[2 * o], coords[2 * o + 1], coords[2 * v], coords[2 * v + 1]);
      pairs.push({ gc, roadM: roadDm[i] / 10, timeS: timesDs ? timesDs[i] / 10 : NaN });
    });
  }
  return pairs;
}

function detourStats(pairs: Pair[]) {
  const r = sortedOf(pairs.map((p) => p.roadM / p.gc));
  return { median: quantile(r, 0.5), p10: quantile(r, 0.1), p90: quantile(r, 0.9) };
}

/** Least squares of time on great-circle distance, intercept ≥ 0. */
function fitTime(pairs: Pair[]): { alpha: number; intercept: number } {
  let sx = 0;
  let sy = 0;
  let sxx = 0;
  let sxy = 0;
  const n = pairs.length;
  for (const p of pairs) {
    sx += p.gc;
    sy += p.timeS;
    sxx += p.gc * p.gc;
    sxy += p.gc * p.timeS;
  }
  const alpha = (n * sxy - sx * sy) / (n * sxx - sx * sx);
  const intercept = (sy - alpha * sx) / n;
  if (intercept >= 0) return { alpha, intercept };
  return { alpha: sxy / sxx, intercept: 0 };
}

function errorStats(pairs: Pair[], secondsPerMetre: number, accessS: number) {
  const abs = sortedOf(pairs.map((p) => Math.abs(p.gc * secondsPerMetre + accessS - p.timeS)));
  const rel = sortedOf(pairs.map((p) => Math.abs(p.gc * secondsPerMetre + accessS - p.timeS) / p.timeS));
  const signed = sortedOf(pairs.map((p) => p.gc * secondsPerMetre + accessS - p.timeS));
  return {
    pairs: pairs.length,
    medianAbsS: Math.round(quantile(abs, 0.5) * 10) / 10,
    p90AbsS: Math.round(quantile(abs, 0.9) * 10) / 10,
    medianAbsRelative: Math.round(quantile(rel, 0.5) * 1000) / 1000,
    p90AbsRelative: Math.round(quantile(rel, 0.9) * 1000) / 1000,
    medianSignedS: Math.round(quantile(signed, 0.5) * 10) / 10,
  };
}

const round = (x: number, d: number) => Math.round(x * 10 ** d) / 10 ** d;

function need(rel: string): string {
  const p = findDataPath(rel);
  if (!p) throw new Error(`${rel}: not found in data/cache nor in the mirror; run \`pnpm fs-access data fetch\``);
  return p;
}

const t0 = performance.now();
const graphs: { name: string; file: string; pairs: Pair[] }[] = [];

{
  const gr = need('graphs/USA-road-d.NY.gr.gz');
  const co = need('graphs/USA-road-d.NY.co.gz');
  const g = await readDimacsFile(gr, co);
  // Unit check: arc weight ÷ great-circle length of the arc, over arcs longer than 50 m.
  const c = g.coords!;
  const ratios: number[] = [];
  for (let u = 0; u < g.n; u += 13)
    for (let e = g.offsets[u]; e < g.offsets[u + 1]; e++) {
      const v = g.targets[e];
      const m = greatCircleM(c[2 * u], c[2 * u + 1], c[2 * v], c[2 * v + 1]);
      if (m > 50) ratios.push(g.weights[e] / m);
    }
  const unit = quantile(sortedOf(ratios), 0.5);
  process.stderr.write(`NY: median arc weight ÷ great-circle metres = ${unit.toFixed(3)} (≈ 10: weights are decimetres)\n`);
  if (Math.abs(unit - 10) > 0.5) throw new Error(`USA-road-d.NY: unexpected unit (weight/metre = ${unit})`);
  graphs.push({ name: 'USA-road-d.NY (DIMACS, distance only)', file: 'graphs/USA-road-d.NY.gr.gz', pairs: samplePairs(g, null, c) });
}

for (const name of ['north-bayreuth', 'andorra', 'monaco']) {
  const file = `osm/${name}.osm.pbf`;
  const car = await buildCarGraph(need(file));
  const pairs = samplePairs(car.distanceGraph(), car.graph, car.graph.coords!);
  graphs.push({ name: `${name} (OSM, car profile)`, file, pairs });
}

const all = graphs.flatMap((g) => g.pairs);
const osmPairs = graphs.filter((g) => g.file.startsWith('osm/')).flatMap((g) => g.pairs);
const detour = detourStats(all).median;
const { alpha, intercept } = fitTime(osmPairs);
const speedKmh = (detour / alpha) * 3.6;
const detourFactor = round(detour, 3);
const speed = round(speedKmh, 1);
const accessTimeS = Math.round(intercept);
const spm = detourFactor / (speed / 3.6);

const result = {
  detourFactor,
  speedKmh: speed,
  accessTimeS,
  method:
    'detour factor = median(road distance ÷ great-circle distance) over all pairs; then least squares of road time on great-circle distance over the OSM pairs (intercept = access time, ≥ 0); speed = factor ÷ slope',
  error: { on: 'OSM car graphs, fastest road time', ...errorStats(osmPairs, spm, accessTimeS) },
  graphs: graphs.map((g) => {
    const d = detourStats(g.pairs);
    const timed = g.pairs.filter((p) => Number.isFinite(p.timeS));
    const gcs = sortedOf(g.pairs.map((p) => p.gc / 1000));
    const entry: Record<string, unknown> = {
      name: g.name,
      file: g.file,
      pairs: g.pairs.length,
      crowKmMedian: round(quantile(gcs, 0.5), 2),
      detourMedian: round(d.median, 3),
      detourP10: round(d.p10, 3),
      detourP90: round(d.p90, 3),
    };
    if (timed.length > 0) {
      const f = fitTime(timed);
      entry.ownSpeedKmh = round(((d.median / f.alpha) * 3.6), 1);
      entry.ownAccessTimeS = Math.round(f.intercept);
      entry.errorWithDefaults = errorStats(timed, spm, accessTimeS);
    }
    return entry;
  }),
  sampling: { seed: Number(values.seed), origins: ORIGINS, perOrigin: PER_ORIGIN, minKm: MIN_M / 1000, maxKm: MAX_M / 1000 },
  generatedBy: 'scripts/calibrate-crowfly.ts',
};

const text = JSON.stringify(result, null, 2) + '\n';
process.stderr.write(text);
process.stderr.write(`calibration: ${all.length} pairs in ${((performance.now() - t0) / 1000).toFixed(1)} s\n`);
if (!values['dry-run']) {
  const tmp = `${values.out}.tmp-${process.pid}`;
  fs.writeFileSync(tmp, text);
  fs.renameSync(tmp, values.out!);
  process.stderr.write(`written ${values.out}\n`);
}
